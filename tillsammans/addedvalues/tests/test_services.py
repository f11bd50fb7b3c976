"""Publishing services and recording deliveries: the rules a member of staff runs into."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tillsammans.addedvalues.error_codes import AddedValuesErrorCode as Code
from tillsammans.addedvalues.models import Delivery
from tillsammans.addedvalues.selectors import monthly_figures, pasted_lines
from tillsammans.addedvalues.services import (
    delivery_record,
    delivery_record_many,
    headcount_record,
    service_create,
    service_update,
)
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditEvent

TODAY = dt.date(2022, 10, 12)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def test_it_lets_an_admin_publish_and_staff_not(cast):
    # given / when
    service = service_create(actor=cast.a_admin, name_sv="Klädinsamling", category="clothing")
    # then
    assert service.organisation == cast.org_a
    with pytest.raises(PermissionDenied):
        service_create(actor=cast.a_staff, name_sv="Klädinsamling", category="clothing")
    with pytest.raises(PermissionDenied):
        service_update(actor=cast.b_staff, service=service, name_sv="Annat")


def test_it_refuses_a_site_of_another_partner(cast):
    # when / then
    with pytest.raises(ServiceError) as refused:
        service_create(actor=cast.a_admin, name_sv="Lunch", category="food", site=cast.site_b)
    assert refused.value.code == Code.BAD_SERVICE


def test_it_refuses_a_second_food_bag_within_the_week_with_the_reason(cast, food_bag):
    # given
    delivery_record(actor=cast.a_staff, service=food_bag, household=cast.household_a, on=TODAY)
    # when
    with pytest.raises(ServiceError) as refused:
        delivery_record(
            actor=cast.a_staff,
            service=food_bag,
            household=cast.household_a,
            on=TODAY + dt.timedelta(days=-6),
        )
    # then
    assert refused.value.code == Code.LIMIT_REACHED
    assert "H-A" in str(refused.value.message)
    assert "7" in str(refused.value.message)
    assert Delivery.objects.filter(service=food_bag).count() == 1


def test_it_allows_the_next_food_bag_a_week_later(cast, food_bag):
    # given
    delivery_record(actor=cast.a_staff, service=food_bag, household=cast.household_a, on=TODAY)
    # when
    delivery_record(
        actor=cast.a_staff,
        service=food_bag,
        household=cast.household_a,
        on=TODAY - dt.timedelta(days=7),
    )
    # then
    assert Delivery.objects.filter(service=food_bag).count() == 2


def test_it_warns_and_records_only_when_confirmed(cast, lunch):
    # given
    delivery_record(actor=cast.a_staff, service=lunch, household=cast.household_a, on=TODAY)
    # when
    with pytest.raises(ServiceError) as warned:
        delivery_record(actor=cast.a_staff, service=lunch, household=cast.household_a, on=TODAY)
    confirmed = delivery_record(
        actor=cast.a_staff, service=lunch, household=cast.household_a, on=TODAY, confirm=True
    )
    # then
    assert warned.value.code == Code.LIMIT_WARNING
    assert confirmed.limit_warning
    assert Delivery.objects.filter(service=lunch).count() == 2


def test_it_refuses_a_household_that_does_not_live_in_the_partnership(cast, food_bag):
    # given: a household with an allocation, not yet moved in
    pending = cast.allocation_pending.household
    # when
    with pytest.raises(ServiceError) as refused:
        delivery_record(actor=cast.a_staff, service=food_bag, household=pending, on=TODAY)
    # then
    assert refused.value.code == Code.NOT_A_RESIDENT
    assert "H-PENDING" in str(refused.value.message)


def test_it_refuses_a_day_before_the_household_moved_in(cast, food_bag):
    # when / then
    with pytest.raises(ServiceError):
        delivery_record(
            actor=cast.a_staff,
            service=food_bag,
            household=cast.household_a,
            on=dt.date(2022, 7, 9),
        )


def test_it_lets_only_the_providing_partner_record(cast, food_bag, household_b):
    # when / then: partner B staff cannot record partner A's service, even for B's resident
    with pytest.raises(PermissionDenied):
        delivery_record(actor=cast.b_staff, service=food_bag, household=household_b, on=TODAY)
    with pytest.raises(PermissionDenied):
        delivery_record(actor=cast.a_viewer, service=food_bag, household=household_b, on=TODAY)


def test_it_records_a_resident_of_another_partner(cast, food_bag, household_b):
    # when
    delivery = delivery_record(
        actor=cast.a_staff, service=food_bag, household=household_b, on=TODAY
    )
    # then: the delivery is partner A's, who provides the service
    assert delivery.organisation == cast.org_a


def test_it_records_thirty_people_in_one_go_or_none_of_them(cast, language_cafe, food_bag):
    # given: thirty residents of partner B, one of whom already had this week's food bag
    from tillsammans.core.factories import (
        AllocationFactory,
        HouseholdFactory,
        PersonFactory,
        UnitFactory,
    )
    from tillsammans.reception.services import allocation_place

    hall = UnitFactory(site=cast.site_b, name="B-hall", beds=30)
    persons = []
    for number in range(30):
        household = HouseholdFactory(reference=f"H-{number:02d}")
        persons.append(PersonFactory(household=household))
        allocation = AllocationFactory(household=household)
        allocation_place(
            actor=cast.coordinator, allocation=allocation, unit=hall, on=dt.date(2022, 8, 1)
        )
    # when
    cafe = delivery_record_many(
        actor=cast.a_staff, service=language_cafe, persons=persons, on=TODAY
    )
    delivery_record(actor=cast.a_staff, service=food_bag, household=persons[5].household, on=TODAY)
    with pytest.raises(ServiceError) as refused:
        delivery_record_many(actor=cast.a_staff, service=food_bag, persons=persons, on=TODAY)
    # then
    assert len(cafe) == 30
    assert Delivery.objects.filter(service=food_bag).count() == 1
    assert "H-05" not in str(refused.value.message)  # the reason names the person
    assert str(persons[5]) in str(refused.value.message)


def test_it_counts_two_members_of_one_household_against_its_limit(cast, food_bag):
    # given
    olena, mariia = cast.household_a.persons.order_by("id")
    # when / then
    with pytest.raises(ServiceError) as refused:
        delivery_record_many(
            actor=cast.a_staff, service=food_bag, persons=[olena, mariia], on=TODAY
        )
    assert refused.value.code == Code.LIMIT_REACHED


def test_it_refuses_a_delivery_in_the_future(cast, language_cafe):
    with pytest.raises(ServiceError) as refused:
        delivery_record(
            actor=cast.a_staff,
            service=language_cafe,
            household=cast.household_a,
            on=TODAY + dt.timedelta(days=1),
        )
    assert refused.value.code == Code.FUTURE_DATE


def test_it_counts_visitors_of_a_meeting_place_without_names(cast, lunch, language_cafe):
    # when
    counted = headcount_record(actor=cast.a_staff, service=lunch, on=TODAY, count=43)
    # then
    assert counted.household is None and counted.quantity == 43
    with pytest.raises(ServiceError) as refused:
        headcount_record(actor=cast.a_staff, service=language_cafe, on=TODAY, count=5)
    assert refused.value.code == Code.NOT_A_MEETING_PLACE


def test_it_adds_up_the_month_per_partner_and_category(cast, lunch, language_cafe, food_bag):
    # given
    olena, mariia = cast.household_a.persons.order_by("id")
    delivery_record_many(
        actor=cast.a_staff, service=language_cafe, persons=[olena, mariia], on=TODAY
    )
    delivery_record(actor=cast.a_staff, service=food_bag, household=cast.household_a, on=TODAY)
    headcount_record(actor=cast.a_staff, service=lunch, on=TODAY, count=40)
    headcount_record(actor=cast.a_staff, service=lunch, on=dt.date(2022, 9, 30), count=7)
    # when
    figures = monthly_figures(2022, 10)
    # then
    assert figures == {
        cast.org_a.pk: {
            "delivered_language": 2,
            "delivered_food": 41,
            "deliveries": 43,
            "persons_reached": 2,
            "households_reached": 1,
            "visitors_counted": 40,
        }
    }


def test_it_finds_residents_of_every_partner_but_shows_little_of_them(cast, household_b):
    # when
    rows = pasted_lines(cast.a_staff, "Kovalenko").lines[0].candidates
    # then: partner A sees partner B's resident by name, birth year and household size
    assert [row.name for row in rows] == ["Ірина Коваленко"]
    assert rows[0].birth_year == 1985 and rows[0].household_size == 1
    assert not rows[0].lives_with_us
    assert pasted_lines(cast.a_viewer, "Kovalenko").lines == ()


def test_it_audits_every_delivery(cast, food_bag):
    # when
    delivery = delivery_record(
        actor=cast.a_staff, service=food_bag, household=cast.household_a, on=TODAY
    )
    # then
    assert AuditEvent.objects.filter(object_id=str(delivery.public_id), action="create").exists()


def test_it_audits_each_delivery_of_a_list_with_its_household_in_the_readers_language(
    cast, language_cafe, household_b
):
    # given
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    iryna = household_b.persons.get()
    # when
    deliveries = delivery_record_many(
        actor=cast.a_staff, service=language_cafe, persons=[olena, iryna], on=TODAY
    )
    # then
    events = AuditEvent.objects.filter(action="create", object_type="addedvalues.delivery")
    by_delivery = {event.object_id: event for event in events}
    assert set(by_delivery) == {str(delivery.public_id) for delivery in deliveries}
    assert {event.actor for event in events} == {cast.a_staff}
    assert {event.organisation_name for event in events} == {cast.org_a.name}
    with translation.override("sv"):
        read = {by_delivery[str(d.public_id)].described(): d.household for d in deliveries}
    assert read == {
        "Språkcafé utförd för hushåll H-A den 2022-10-12": cast.household_a,
        "Språkcafé utförd för hushåll H-B den 2022-10-12": household_b,
    }
