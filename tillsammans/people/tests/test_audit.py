"""Every person a household page, search or list shows is a read in the audit log."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditAction, AuditEvent


def _reads(user, since=0):
    return set(
        AuditEvent.objects.filter(
            id__gt=since, actor=user, action=AuditAction.VIEW, object_type="people.person"
        ).values_list("object_id", flat=True)
    )


def _last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _households(count, persons=2):
    households = []
    for _ in range(count):
        household = HouseholdFactory()
        for _ in range(persons):
            PersonFactory(household=household)
        households.append(household)
    return households


def test_it_records_a_read_of_each_person_a_name_search_shows(cast, client):
    # given
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("household_list"), {"q": "Olena"})
    # then: the one person found, not her household's other members
    assert "Шевченко" in response.text
    assert _reads(cast.a_staff) == {str(olena.public_id)}
    event = AuditEvent.objects.get(object_id=str(olena.public_id))
    assert event.summary == "household search"
    assert "Olena" not in event.summary


def test_it_records_a_read_of_a_person_found_by_case_number(cast, client):
    # given
    mariia = cast.household_a.persons.get(first_name_latin="Mariia")
    mariia.migration_case_number = "12345678"
    mariia.save()
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("household_list"), {"q": "12345678"})
    # then
    assert "2012-03-04" in response.text
    assert _reads(cast.a_staff) == {str(mariia.public_id)}


def test_it_records_no_read_when_a_search_finds_nobody_the_user_may_see(cast, client):
    # given
    client.force_login(cast.b_staff)
    # when
    client.get(reverse("household_list"), {"q": "Olena"})
    # then
    assert _reads(cast.b_staff) == set()


def test_it_records_reads_of_the_household_and_its_persons_on_the_needs_form(cast, client):
    # given
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("household_edit", args=[cast.household_a.public_id]))
    # then
    assert response.status_code == 200
    assert _reads(cast.a_staff) == {
        str(public_id) for public_id in cast.household_a.persons.values_list("public_id", flat=True)
    }
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, object_id=str(cast.household_a.public_id), action=AuditAction.VIEW
    ).exists()


def test_it_records_reads_of_the_persons_of_the_listed_page_only(cast, client):
    # given: 50 new households fill the first page; the cast's older ones are on the second
    shown = _households(50)
    client.force_login(cast.coordinator)
    # when
    response = client.get(reverse("household_list"))
    # then
    assert response.status_code == 200
    expected = {str(p.public_id) for household in shown for p in household.persons.all()}
    assert _reads(cast.coordinator) == expected
    assert str(cast.household_a.persons.first().public_id) not in _reads(cast.coordinator)


def test_it_reads_a_page_of_fifty_households_in_as_many_queries_as_a_page_of_one(cast, client):
    # given
    client.force_login(cast.coordinator)
    url = reverse("household_list")
    client.get(url)  # the session and the language are loaded once
    since = _last_event_id()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _households(50, persons=3)
    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    # then
    assert len(_reads(cast.coordinator, since)) == 3 + 150  # the cast's 3 persons, then 150
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_records_reads_of_the_persons_of_an_allocation_page(cast, client):
    # given
    client.force_login(cast.coordinator)
    allocation = cast.allocation_pending
    # when
    response = client.get(reverse("allocation_detail", args=[allocation.public_id]))
    # then
    assert "1950-01-02" in response.text
    assert _reads(cast.coordinator) == {
        str(public_id)
        for public_id in allocation.household.persons.values_list("public_id", flat=True)
    }


def test_it_records_a_read_of_the_persons_of_each_household_on_a_site_page(cast, client):
    # given
    client.force_login(cast.a_staff)
    # when
    client.get(reverse("site_detail", args=[cast.site_a.public_id]))
    # then
    assert _reads(cast.a_staff) == {
        str(public_id) for public_id in cast.household_a.persons.values_list("public_id", flat=True)
    }


def test_it_records_the_read_of_a_person_form_even_when_it_comes_back_with_errors(cast, client):
    # given
    person = cast.household_a.persons.first()
    client.force_login(cast.a_staff)
    # when
    response = client.post(
        reverse("person_edit", args=[person.public_id]), {"birth_date": dt.date.max}
    )
    # then
    assert response.status_code == 200
    assert _reads(cast.a_staff) == {str(person.public_id)}
