import datetime as dt

import pytest
from django.utils.translation import override

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.core.models import AuditEvent
from tillsammans.reception.models import AllocationStatus, ExitReason, Occupancy
from tillsammans.reception.services import allocation_place, stay_end, stay_move


def _pending(size: int, **household: object):
    home = HouseholdFactory(**household)
    for _ in range(size):
        PersonFactory(household=home)
    return AllocationFactory(household=home)


def test_it_places_a_pending_allocation_into_free_beds(cast):
    # given
    allocation = cast.allocation_pending
    # when
    stay = allocation_place(
        actor=cast.coordinator, allocation=allocation, unit=cast.unit_b, on=dt.date(2022, 8, 1)
    )
    # then
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.PLACED
    assert stay.occupancies.count() == 1
    assert AuditEvent.objects.filter(object_id=str(stay.public_id), action="create").exists()


def test_it_refuses_a_household_larger_than_the_free_beds(cast):
    # given: unit A has 4 beds and 2 are taken
    allocation = _pending(3)
    # when / then
    with override("en"), pytest.raises(ServiceError) as error:
        allocation_place(
            actor=cast.coordinator, allocation=allocation, unit=cast.unit_a, on=dt.date(2022, 8, 1)
        )
    assert error.value.code == "no_room"
    assert "no longer room" in str(error.value.message)
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.PENDING


def test_it_refuses_a_unit_without_a_needed_feature(cast):
    # given
    allocation = _pending(1, needs_accessible=True)
    # when / then
    with pytest.raises(ServiceError) as error:
        allocation_place(
            actor=cast.coordinator, allocation=allocation, unit=cast.unit_b, on=dt.date(2022, 8, 1)
        )
    assert error.value.code == "needs_not_met"


def test_it_lets_only_a_coordinator_place(cast):
    with pytest.raises(PermissionDenied):
        allocation_place(
            actor=cast.a_staff,
            allocation=cast.allocation_pending,
            unit=cast.unit_a,
            on=dt.date(2022, 8, 1),
        )


def test_it_takes_one_household_into_a_host_home(cast):
    # given
    host_home = UnitFactory(site=cast.site_b, name="Host", beds=6, max_households=1)
    allocation_place(
        actor=cast.coordinator, allocation=_pending(1), unit=host_home, on=dt.date(2022, 8, 1)
    )
    # when / then
    with pytest.raises(ServiceError) as error:
        allocation_place(
            actor=cast.coordinator, allocation=_pending(1), unit=host_home, on=dt.date(2022, 8, 2)
        )
    assert error.value.code == "no_room"


def test_it_moves_a_household_and_frees_the_old_beds(cast):
    # when
    new_stay = stay_move(
        actor=cast.coordinator,
        stay=cast.stay_a,
        to_unit=cast.unit_b,
        on=dt.date(2022, 9, 1),
    )
    # then
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == dt.date(2022, 9, 1)
    assert cast.stay_a.exit_reason == ExitReason.MOVED
    assert Occupancy.objects.filter(bed__unit=cast.unit_a, ended_on__isnull=True).count() == 0
    assert new_stay.occupancies.filter(ended_on__isnull=True).count() == 2


def test_it_refuses_partner_staff_moving_a_household_to_another_partner(cast):
    with pytest.raises(PermissionDenied):
        stay_move(actor=cast.a_staff, stay=cast.stay_a, to_unit=cast.unit_b, on=dt.date(2022, 9, 1))


def test_it_refuses_a_move_out_before_the_move_in(cast):
    with pytest.raises(ServiceError) as error:
        stay_end(actor=cast.a_staff, stay=cast.stay_a, on=dt.date(2022, 7, 1), reason="own_housing")
    assert error.value.code == "bad_dates"


def test_it_moves_out_with_a_reason(cast):
    # when
    stay_end(actor=cast.a_staff, stay=cast.stay_a, on=dt.date(2022, 12, 1), reason="returned")
    # then
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.exit_reason == ExitReason.RETURNED
    assert not Occupancy.objects.filter(stay=cast.stay_a, ended_on__isnull=True).exists()
