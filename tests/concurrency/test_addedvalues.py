"""A service's per-household limit under concurrent deliveries (PostgreSQL).

Each attempt runs in its own thread with its own connection, released together by a barrier;
the household's row lock taken in ``addedvalues.services`` is what keeps the limit.
"""

import datetime as dt
import uuid
from typing import Any

from tillsammans.addedvalues.models import Delivery, LimitEnforcement
from tillsammans.addedvalues.services import (
    delivery_record,
    delivery_record_many,
    service_create,
)
from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.core.models import User
from tillsammans.people.models import Household, Person
from tillsammans.reception.services import allocation_place

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark

WEEK_START = dt.date(2022, 10, 10)
COUNTERS = 20


def _food_bag(cast: Any, limit_count: int = 1) -> Any:
    return service_create(
        actor=cast.a_admin,
        name_sv="Matkasse",
        category="food",
        limit_count=limit_count,
        limit_days=7,
        limit_enforcement=LimitEnforcement.REFUSE,
    )


def _staff(cast: Any) -> User:
    return User.objects.select_related("membership__organisation").get(pk=cast.a_staff.pk)


def _refusals(outcomes: list[Any]) -> list[str]:
    return [getattr(o.error, "code", repr(o.error)) for o in outcomes if o.error is not None]


def test_it_lets_one_food_bag_a_week_through_twenty_simultaneous_deliveries(cast):
    # given: once a week per household; twenty counters record household A on days of one week
    service = _food_bag(cast)

    def prepare(index: int) -> tuple[Any, ...]:
        household = Household.objects.get(pk=cast.household_a.pk)
        return _staff(cast), household, WEEK_START + dt.timedelta(days=index % 7)

    def deliver(actor: Any, household: Any, on: dt.date) -> Any:
        return delivery_record(actor=actor, service=service, household=household, on=on)

    # when
    outcomes = run_together(COUNTERS, prepare, deliver)
    # then
    assert len([o for o in outcomes if o.error is None]) == 1
    assert _refusals(outcomes) == ["limit_reached"] * (COUNTERS - 1)
    assert Delivery.objects.filter(service=service).count() == 1


def test_it_keeps_a_limit_of_two_within_the_week(cast):
    # given
    service = _food_bag(cast, limit_count=2)

    def prepare(index: int) -> tuple[Any, ...]:
        return _staff(cast), Household.objects.get(pk=cast.household_a.pk)

    def deliver(actor: Any, household: Any) -> Any:
        return delivery_record(actor=actor, service=service, household=household, on=WEEK_START)

    # when
    outcomes = run_together(COUNTERS, prepare, deliver)
    # then
    assert len([o for o in outcomes if o.error is None]) == 2
    assert Delivery.objects.filter(service=service).count() == 2


def _residents_of_a_hall(cast: Any, prefix: str, count: int) -> list[int]:
    """``count`` one-person households placed in one hall of site A, their persons' ids."""
    hall = UnitFactory(site=cast.site_a, name="A-hall", beds=count)
    for number in range(count):
        household = HouseholdFactory(reference=f"{prefix}-{number:02d}")
        PersonFactory(household=household)
        allocation_place(
            actor=cast.coordinator,
            allocation=AllocationFactory(household=household),
            unit=hall,
            on=dt.date(2022, 8, 1),
        )
    return sorted(
        Person.objects.filter(household__reference__startswith=f"{prefix}-").values_list(
            "pk", flat=True
        )
    )


def test_it_serialises_overlapping_bulk_submissions_without_a_deadlock(cast):
    # given: thirty residents; eight counters submit the same list, each in its own order
    service = _food_bag(cast)
    person_ids = _residents_of_a_hall(cast, "Q", 30)

    def prepare(index: int) -> tuple[Any, ...]:
        persons = list(Person.objects.filter(pk__in=person_ids).select_related("household"))
        persons.sort(key=lambda person: (person.pk * (index + 3)) % 31)
        return _staff(cast), persons

    def deliver(actor: Any, persons: list[Any]) -> Any:
        return delivery_record_many(actor=actor, service=service, persons=persons, on=WEEK_START)

    # when
    outcomes = run_together(8, prepare, deliver)
    # then: one submission went in whole; the others were refused whole, with the reason
    assert len([o for o in outcomes if o.error is None]) == 1, [repr(o.error) for o in outcomes]
    assert all(isinstance(o.error, ServiceError) for o in outcomes if o.error is not None)
    assert _refusals(outcomes) == ["limit_reached"] * 7
    assert Delivery.objects.filter(service=service).count() == 30


def test_it_records_a_confirmed_list_once_when_it_is_posted_several_times_at_once(cast):
    # given: a service without a limit, and one list posted eight times at once, each time
    # with another person chosen (so that no household lock puts them in turn)
    service = service_create(actor=cast.a_admin, name_sv="Språkcafé", category="language")
    person_ids = _residents_of_a_hall(cast, "L", 8)
    batch = uuid.uuid4()

    def prepare(index: int) -> tuple[Any, ...]:
        person = Person.objects.select_related("household").get(pk=person_ids[index])
        return _staff(cast), person

    def deliver(actor: Any, person: Any) -> Any:
        return delivery_record_many(
            actor=actor, service=service, persons=[person], on=WEEK_START, batch=batch
        )

    # when
    outcomes = run_together(8, prepare, deliver)
    # then
    assert len([o for o in outcomes if o.error is None]) == 1, [repr(o.error) for o in outcomes]
    assert _refusals(outcomes) == ["already_recorded"] * 7
    assert Delivery.objects.filter(service=service).count() == 1
