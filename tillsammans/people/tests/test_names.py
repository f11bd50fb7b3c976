"""One way to show a person's name, and names that cannot reorder the text around them."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tillsammans.core.factories import PersonFactory
from tillsammans.core.lib.bidi import BIDI_CONTROLS
from tillsammans.people.forms import PersonForm
from tillsammans.people.models import Person
from tillsammans.referrals.forms import ConsentForm

RLO = "\u202e"
NAME_FIELDS = ["first_name", "last_name", "first_name_latin", "last_name_latin", "name_swedish"]


def _oksana(cast, **names):
    values = {"first_name": "Оксана", "last_name": "Мельник", "first_name_latin": "",
              "last_name_latin": ""} | names  # fmt: skip
    return PersonFactory(household=cast.household_a, birth_date=dt.date(1990, 4, 1), **values)


def _person_data(**overrides):
    return {
        "first_name": "Оксана", "last_name": "Мельник", "first_name_latin": "Oksana",
        "last_name_latin": "Melnyk", "birth_date": "1990-04-01", "sex": "female",
        "languages": "uk",
    } | overrides  # fmt: skip


# --- one way to show a name ----------------------------------------------------------------


def test_it_shows_a_name_without_a_passport_spelling_without_empty_parentheses(cast):
    # given
    oksana = _oksana(cast)
    # then
    assert oksana.display_name == "Оксана Мельник"
    assert str(oksana) == "Оксана Мельник"
    assert oksana.name_and_birth_year == "Оксана Мельник, 1990"


def test_it_shows_the_passport_spelling_in_parentheses_when_there_is_one(cast):
    # given
    oksana = _oksana(cast, first_name_latin="Oksana", last_name_latin="Melnyk")
    # then
    assert str(oksana) == "Оксана Мельник (Oksana Melnyk)"


def test_it_does_not_repeat_a_name_written_in_latin_letters(cast):
    # given
    anna = _oksana(
        cast, first_name="Anna", last_name="Berg", first_name_latin="Anna", last_name_latin="Berg"
    )
    # then
    assert str(anna) == "Anna Berg"


def test_it_shows_a_person_registered_by_hand_without_a_latin_spelling_without_brackets(
    cast, client
):
    # given: the coordinator registers an allocation by hand and leaves the spelling empty
    client.force_login(cast.coordinator)
    client.post(
        reverse("allocation_create"),
        {
            "allocation-reference": "A-HAND-1", "allocation-allocated_on": "2022-07-05",
            "allocation-household_reference": "H-HAND-1", "person-first_name": "Оксана",
            "person-last_name": "Мельник", "person-birth_date": "1990-04-01",
            "person-sex": "female",
        },
    )  # fmt: skip
    allocation = cast.allocation_pending.__class__.objects.get(reference="A-HAND-1")
    # when
    response = client.get(reverse("allocation_detail", args=[allocation.public_id]))
    # then
    text = re.sub(r"<[^>]+>", "", response.text)
    assert "Оксана Мельник, 1990-04-01" in text
    assert "()" not in text


def test_it_offers_a_person_without_a_passport_spelling_by_name_and_year_alone(cast):
    # given
    _oksana(cast)
    # when
    form = ConsentForm(household=cast.household_a, own_organisation_id=cast.org_a.pk)
    labels = [label for _value, label in form.fields["person"].choices]
    # then
    assert "Оксана Мельник, 1990" in labels
    assert not any("()" in str(label) for label in labels)


def test_it_prints_the_name_with_its_spelling_on_the_allocation_page(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.get(reverse("allocation_detail", args=[cast.allocation_pending.public_id]))
    # then
    assert "<bdi>Олег Бондар</bdi> (<bdi>Oleh Bondar</bdi>), 1950-01-02" in response.text


# --- direction controls --------------------------------------------------------------------


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_it_refuses_each_direction_control_in_a_name(cast, char):
    # given
    data = _person_data(first_name=f"Окс{char}ана")
    # when
    with translation.override("en"):
        form = PersonForm(data)
        valid = form.is_valid()
        errors = [str(error) for error in form.errors.get("first_name", [])]
    # then
    assert not valid
    assert errors == [
        "The name contains an invisible character that changes the direction of the text "
        f"around it (U+{ord(char):04X}). Type the name again without it."
    ]


@pytest.mark.parametrize("field", NAME_FIELDS)
def test_it_refuses_an_override_in_every_name_field_and_saves_nothing(cast, client, field):
    # given
    person = cast.household_a.persons.order_by("id").first()
    before = {name: getattr(person, name) for name in NAME_FIELDS}
    client.force_login(cast.a_staff)
    # when
    response = client.post(
        reverse("person_edit", args=[person.public_id]),
        _person_data(**{field: f"gnp{RLO}.exe"}),
    )
    # then
    assert response.status_code == 200
    assert "U+202E" in response.text
    person.refresh_from_db()
    assert {name: getattr(person, name) for name in NAME_FIELDS} == before


def test_it_refuses_an_override_in_the_model_too(cast):
    # given
    person = Person(household=cast.household_a, first_name=f"Ок{RLO}сана", last_name="М",
                    birth_date=dt.date(1990, 4, 1))  # fmt: skip
    # when / then
    with pytest.raises(ValidationError, match="U\\+202E"):
        person.full_clean()


def test_it_accepts_names_in_right_to_left_scripts(cast):
    # given: letters order themselves; only the invisible controls are refused
    data = _person_data(first_name="محمد", last_name="כהן", first_name_latin="Mohammed")
    # when
    form = PersonForm(data)
    # then
    assert form.is_valid(), form.errors


def test_it_keeps_an_override_written_before_the_check_inside_the_name_on_the_page(cast, client):
    # given: a name stored before names were checked, with a right-to-left override
    person = cast.household_a.persons.get(first_name_latin="Olena")
    Person.objects.filter(pk=person.pk).update(
        first_name_latin=f"Olena{RLO}gnp.exe", name_swedish="Olena Sjevtjenko"
    )
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    # then: the control is shown, not obeyed, and the name is an isolate that ends before
    # the Swedish spelling after it, which keeps its own order in its own isolate
    html = response.text
    assert RLO not in html
    assert (
        "<td><bdi>Olena\ufffdgnp.exe Shevchenko</bdi> "
        '<span class="muted">(<bdi>Olena Sjevtjenko</bdi>)</span></td>'
    ) in html
