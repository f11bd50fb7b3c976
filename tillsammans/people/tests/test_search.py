import datetime as dt

import pytest
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from tillsammans.core.access import visible_persons
from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.people.models import Person
from tillsammans.people.search import fold_word, passport_spelling
from tillsammans.people.selectors import person_search, rank_matches
from tillsammans.people.services import person_index, prepare_person


@pytest.mark.parametrize(
    ("a", "b"),
    [("Житомир", "Zhytomyr"), ("Zhytomyr", "Zjytomyr"), ("Харків", "Kharkiv"), ("Ольга", "Olga")],
)
def test_it_folds_spellings_of_one_name_together(a, b):
    assert fold_word(a) == fold_word(b)


@pytest.fixture
def people(db):
    PersonFactory(first_name="Олександр", last_name="Шевченко", first_name_latin="Oleksandr",
                  last_name_latin="Shevchenko", name_swedish="Aleksandr Sjevtjenko")  # fmt: skip
    PersonFactory(first_name="Юлія", last_name="Ковальчук", first_name_latin="Yuliia",
                  last_name_latin="Kovalchuk")  # fmt: skip
    PersonFactory(first_name="Ірина", last_name="Бондаренко", first_name_latin="Iryna",
                  last_name_latin="Bondarenko", migration_case_number="22-123456")  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["Шевченко", "Shevchenko", "Sjevtjenko", "shevchenko oleksandr", "Shevchenkp", "Shevhenko",
     "Шевч", "Shevchneko", "Shevchenkao"],
)  # fmt: skip
def test_it_finds_a_person_by_any_spelling_and_one_typo(people, query):
    # when
    found = person_search(Person.objects.all(), query)
    # then
    assert found and found[0].last_name == "Шевченко"


def test_it_finds_by_case_number(people):
    assert [p.last_name for p in person_search(Person.objects.all(), "22-123456")] == ["Бондаренко"]


def test_it_does_not_find_unrelated_names(people):
    assert person_search(Person.objects.all(), "Petrenko") == []


def test_it_searches_a_very_long_word_at_the_cost_of_a_name(people, monkeypatch):
    # given: the typo variants are counted, not built, for a word of 100 000 letters
    from tillsammans.people import selectors

    asked: list[int] = []
    monkeypatch.setattr(selectors, "edits", lambda word: asked.append(len(word)) or {word})
    # when
    found = person_search(Person.objects.all(), "Shevchenko" + "ab" * 50_000)
    # then: only as much of the word as a name key holds was varied
    assert found == []
    assert asked and max(asked) <= 61


def test_it_finds_a_person_by_a_word_longer_than_a_name_key(db):
    # given
    PersonFactory(last_name_latin="Shevchenko" + "a" * 70)
    # when
    found = person_search(Person.objects.all(), "Shevchenko" + "a" * 70)
    # then
    assert len(found) == 1


def test_it_finds_only_people_the_user_may_see(cast):
    # when partner B staff searches for partner A's resident
    found = person_search(visible_persons(cast.b_staff), "Shevchenko")
    # then
    assert found == []
    assert person_search(visible_persons(cast.a_staff), "Shevchenko")


@pytest.mark.parametrize(
    ("written", "passport"),
    [("Житомир", "Zhytomyr"), ("Ярослава", "Yaroslava"), ("Згурський", "Zghurskyi"),
     ("Мар'яна", "Mariana"), ("Анна-Марія", "Anna-Mariia"), ("Smith", "Smith")],
)  # fmt: skip
def test_it_spells_cyrillic_names_as_the_ukrainian_passport_does(written, passport):
    assert passport_spelling(written) == passport


@pytest.mark.parametrize(
    "query",
    ["Tetjana Chartjenko", "Тетяна Харченко", "Tetiana Kharchenko", "Chartjenko Tetjana",
     "Tetjana Chartjenkp"],
)  # fmt: skip
def test_it_finds_a_name_written_in_cyrillic_by_its_swedish_spelling(db, query):
    # given: a person registered in Cyrillic and the passport's spelling, with no Swedish one
    PersonFactory(first_name="Тетяна", last_name="Харченко", first_name_latin="Tetiana",
                  last_name_latin="Kharchenko")  # fmt: skip
    # when: a Swedish official's sheet spells her as Swedish authorities do (one typo too)
    found = person_search(Person.objects.all(), query)
    # then
    assert [person.written_name for person in found] == ["Тетяна Харченко"]


def test_it_finds_a_person_by_the_start_of_a_first_name_thousands_share(db):
    # given: 2 100 people called Oleksandr, and one Oleksandr Shevchuk registered last
    household = HouseholdFactory()
    many = Person.objects.bulk_create(
        prepare_person(
            Person(
                household=household,
                first_name="Олександр",
                last_name="Бондар",
                first_name_latin="Oleksandr",
                last_name_latin="Bondar",
                birth_date=dt.date(1980, 1, 1),
            )
        )
        for _ in range(2100)
    )
    person_index(many)
    PersonFactory(first_name="Олександр", last_name="Шевчук", first_name_latin="Oleksandr",
                  last_name_latin="Shevchuk")  # fmt: skip
    # when: staff type the start of his first name and his surname
    found = person_search(Person.objects.all(), "Ole Shevchuk")
    # then
    assert [person.written_name for person in found] == ["Олександр Шевчук"]


def test_it_ranks_the_preferred_persons_first_whatever_their_number(db):
    # given: twelve namesakes; the caller prefers the one registered last
    namesakes = [
        PersonFactory(
            first_name="Оксана",
            last_name="Мельник",
            first_name_latin="Oksana",
            last_name_latin="Melnyk",
        )
        for _ in range(12)
    ]
    preferred = namesakes[-1]
    # when
    hits = rank_matches(
        Person.objects.all(),
        "Oksana Melnyk",
        prefer=ExpressionWrapper(Q(pk=preferred.pk), output_field=BooleanField()),
    )
    # then
    assert len(hits) == 12 and all(hit.exact for hit in hits)
    assert hits[0].person_id == preferred.pk and hits[0].preferred
    shown = person_search(
        Person.objects.all(),
        "Oksana Melnyk",
        limit=5,
        prefer=Exists(Person.objects.filter(pk=preferred.pk, id=OuterRef("id"))),
    )
    assert shown[0] == preferred


@pytest.fixture
def from_afghanistan_and_eritrea(db):
    """Names kept as written, in Arabic script (Dari) and Ge'ez (Tigrinya); the first with a
    Latin spelling, the others without."""
    PersonFactory(first_name="محمد", last_name="احمدی", first_name_latin="Mohammad",
                  last_name_latin="Ahmadi")  # fmt: skip
    PersonFactory(first_name="علی", last_name="حسینی")
    PersonFactory(first_name="ዮናስ", last_name="ተስፋይ")
    PersonFactory(first_name="Ольга", last_name="Мельник")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("محمد احمدی", "محمد احمدی"),
        ("Mohammad Ahmadi", "محمد احمدی"),
        ("Muhammad Ahmadi", "محمد احمدی"),  # a spelling variant
        ("Mohammed Ahmady", "محمد احمدی"),  # a variant and a typo
        ("Mohamned Ahmadi", "محمد احمدی"),  # a typo in a variant
        ("Ali Hosseini", "علی حسینی"),  # Latin letters for a name written in Arabic only
        ("Ali Husaini", "علی حسینی"),
        ("Yonas Tesfay", "ዮናስ ተስፋይ"),  # Latin letters for a name written in Ge'ez only
        ("Yonas Tesfai", "ዮናስ ተስፋይ"),
        ("Olga Melnyk", "Ольга Мельник"),
    ],
)
def test_it_finds_a_name_in_arabic_script_or_geez_from_either_spelling(
    from_afghanistan_and_eritrea, query, found
):
    # when
    hits = person_search(Person.objects.all(), query)
    # then
    assert [person.written_name for person in hits][:1] == [found]


@pytest.mark.parametrize(("a", "b"), [("Ahmad", "Ahmed"), ("أحمد", "Ahmad"), ("محمد", "Muhammad")])
def test_it_keys_the_common_spellings_of_a_name_together(a, b):
    from tillsammans.people.search import name_keys

    assert name_keys([a]) & name_keys([b])
