"""One person per Swedish identity number: every way a number comes in refuses one that
another person holds, with a message on the number's field, and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.migrating import migrate, migrate_to_latest
from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.people.models import Household, Person
from tillsammans.people.services import household_create, person_add, person_update
from tillsammans.reception.models import Allocation

NUMBER = "198112189876"
TAKEN_SV = "finns redan registrerat för en annan person"


def _edit_data(client, url, **changes):
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"birth_date": "1985-05-17", "sex": "female", "languages": "uk", **changes})
    return data


def test_the_person_form_refuses_a_number_another_person_holds_and_keeps_the_old_one(cast, client):
    # given a person elsewhere with the number
    holder = PersonFactory.create(swedish_id_number=NUMBER)
    person = cast.household_a.persons.order_by("birth_date").first()
    client.force_login(cast.a_staff)
    url = reverse("person_edit", args=[person.public_id])
    # when the partner's staff type it, the Swedish way with a hyphen
    response = client.post(url, _edit_data(client, url, swedish_id_number="811218-9876"))
    # then the number's field says why, naming no one, and the person is unchanged
    assert response.status_code == 200
    assert TAKEN_SV in " ".join(response.context["form"].errors["swedish_id_number"])
    person.refresh_from_db()
    assert person.swedish_id_number == ""
    # and the holder's existence was told: a read of the holder, audited without the number
    read = AuditEvent.objects.get(
        actor=cast.a_staff, action="view", object_id=str(holder.public_id)
    )
    assert "9876" not in str(read.summary_params) and "9876" not in read.summary


def test_the_person_form_saves_a_person_again_with_their_own_number(cast, client):
    # given a person who has the number
    person = cast.household_a.persons.order_by("birth_date").first()
    person.swedish_id_number = NUMBER
    person.save()
    client.force_login(cast.a_staff)
    url = reverse("person_edit", args=[person.public_id])
    # when another field is changed
    response = client.post(url, _edit_data(client, url, languages="uk, sv"))
    # then the own number is no obstacle
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.swedish_id_number == NUMBER and person.languages == ["uk", "sv"]


def test_the_services_refuse_a_taken_number_on_the_numbers_field(cast):
    # given
    PersonFactory.create(swedish_id_number=NUMBER)
    person = cast.household_a.persons.first()
    # when a change or an addition brings the number by another way than the form
    with pytest.raises(ValidationError) as changed:
        person_update(actor=cast.coordinator, person=person, swedish_id_number=NUMBER)
    with pytest.raises(ValidationError) as added:
        person_add(
            actor=cast.coordinator, household=cast.household_a,
            data={"first_name": "Ірина", "last_name": "Бондар", "first_name_latin": "Iryna",
                  "last_name_latin": "Bondar", "birth_date": "1990-01-01",
                  "swedish_id_number": NUMBER},
        )  # fmt: skip
    # then both are refused on the number's field and nothing is written
    assert "swedish_id_number" in changed.value.error_dict
    assert "swedish_id_number" in added.value.error_dict
    assert Person.objects.filter(swedish_id_number=NUMBER).count() == 1
    assert not cast.household_a.persons.filter(first_name_latin="Iryna").exists()


def test_a_new_household_cannot_give_two_members_one_number(cast):
    member = {"first_name": "Ірина", "last_name": "Бондар", "first_name_latin": "Iryna",
              "last_name_latin": "Bondar", "swedish_id_number": NUMBER}  # fmt: skip
    twins = [{**member, "birth_date": "1990-01-01"}, {**member, "birth_date": "1992-01-01"}]
    with pytest.raises(ValidationError) as refused:
        household_create(actor=cast.coordinator, reference="H-TWINS", persons=twins)
    assert "swedish_id_number" in refused.value.error_dict
    assert not Household.objects.filter(reference="H-TWINS").exists()


def test_an_allocation_by_hand_with_a_taken_number_is_refused_whole(cast, client):
    # given
    PersonFactory.create(swedish_id_number=NUMBER)
    client.force_login(cast.coordinator)
    data = {
        "allocation-reference": "A-NEW-1", "allocation-allocated_on": "2022-07-05",
        "allocation-household_reference": "H-NEW-1", "person-first_name": "Тетяна",
        "person-last_name": "Мельник", "person-first_name_latin": "Tetiana",
        "person-last_name_latin": "Melnyk", "person-birth_date": "1979-02-03",
        "person-sex": "female", "person-swedish_id_number": "19811218-9876",
    }  # fmt: skip
    # when
    response = client.post(reverse("allocation_create"), data)
    # then
    assert response.status_code == 200
    assert TAKEN_SV in " ".join(response.context["person_form"].errors["swedish_id_number"])
    assert not Allocation.objects.filter(reference="A-NEW-1").exists()
    assert not Household.objects.filter(reference="H-NEW-1").exists()


# -- the migration that adds the constraint ---------------------------------------------------

BEFORE = [("people", "0013_path_summary")]
AFTER = [("people", "0014_one_person_per_swedish_number")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_a_shared_number_naming_households_not_the_number():
    apps = migrate(BEFORE)
    try:
        # given two persons of two households that share a number (allowed before)
        OldHousehold = apps.get_model("people", "Household")
        OldPerson = apps.get_model("people", "Person")
        first = OldHousehold.objects.create(reference="H-FIRST")
        second = OldHousehold.objects.create(reference="H-SECOND")
        for household in (first, second):
            OldPerson.objects.create(
                household=household, first_name="Олена", last_name="Коваленко",
                birth_date="1981-12-18", swedish_id_number=NUMBER,
            )  # fmt: skip
        # when the migration runs, it stops and says where
        with pytest.raises(RuntimeError) as stopped:
            migrate(AFTER)
        message = str(stopped.value)
        assert "H-FIRST" in message and "H-SECOND" in message
        assert NUMBER not in message and "9876" not in message
        # and once the number is kept on one person only, it runs
        OldPerson.objects.filter(household=second).update(swedish_id_number="")
        apps = migrate(AFTER)
        assert apps.get_model("people", "Person").objects.filter(swedish_id_number=NUMBER).count()
    finally:  # the schema as the other tests expect it
        migrate_to_latest()
        Person.objects.all().delete()
        Household.objects.all().delete()


def test_the_database_itself_refuses_a_second_holder(cast):
    from django.db import IntegrityError, transaction

    PersonFactory.create(swedish_id_number=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            household=HouseholdFactory(), first_name="A", last_name="B",
            birth_date="1990-01-01", swedish_id_number=NUMBER,
        )  # fmt: skip
    # and any number of persons have none
    PersonFactory.create_batch(3, swedish_id_number="")
