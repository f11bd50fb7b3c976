import pytest

from tillsammans.core.access import visible_persons
from tillsammans.core.factories import PersonFactory
from tillsammans.people.models import Person
from tillsammans.people.search import fold_word, passport_spelling
from tillsammans.people.selectors import person_search


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
