"""A move-out correction and a placement racing for the same last bed, on PostgreSQL.

Taking back a move-out re-opens the stay in beds that must still be free; a placement into
the same unit at the same moment wants the same bed. Both take the unit's lock first
(``reception/lock_objects.py``), so one waits for the other and exactly one gets the bed;
the other is told why, and the ledger never holds a bed twice.
"""

import datetime as dt
from typing import Any

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import UnitFactory
from tillsammans.reception.models import Allocation, AllocationStatus, Stay
from tillsammans.reception.services import allocation_place, stay_end, stay_reopen

from . import test_placement_race as race
from .test_placement_race import (
    assert_no_bed_twice,
    coordinator_in_thread,
    household_in,
    open_occupancies,
    pending_allocations,
    run_together,
)

pytestmark = race.pytestmark

MOVED_OUT_ON = dt.date(2022, 8, 20)
PLACED_ON = dt.date(2022, 8, 25)
PAIRS = 8


def test_it_gives_the_last_bed_to_exactly_one_of_a_correction_and_a_placement(cast):
    # given: in each of eight two-bed units, one resident stays and one was moved out by
    # mistake, so one bed is free; a waiting household is placed there as the move-out is
    # taken back
    units = [UnitFactory(site=cast.site_b, name=f"Race {i}", beds=2) for i in range(PAIRS)]
    moved_out = []
    for unit in units:
        leaving = household_in(unit, cast.coordinator)
        household_in(unit, cast.coordinator)
        stay_end(actor=cast.coordinator, stay=leaving, on=MOVED_OUT_ON, reason="own_housing")
        moved_out.append(leaving)
    allocation_ids = pending_allocations(PAIRS)

    def prepare(index: int) -> tuple[Any, ...]:
        actor = coordinator_in_thread(cast)
        pair = index // 2
        if index % 2 == 0:
            stay = Stay.objects.select_related("household", "unit__site").get(pk=moved_out[pair].pk)
            return actor, stay, None
        allocation = Allocation.objects.select_related("household").get(pk=allocation_ids[pair])
        return actor, allocation, units[pair]

    def act(actor: Any, thing: Any, unit: Any) -> Any:
        if isinstance(thing, Stay):
            return stay_reopen(actor=actor, stay=thing, note="Fel hushåll valdes")
        return allocation_place(actor=actor, allocation=thing, unit=unit, on=PLACED_ON)

    # when
    outcomes = run_together(2 * PAIRS, prepare, act)
    # then: per unit one winner, and the loser refused with "no room", never an error
    unexpected = [
        repr(o.error)
        for o in outcomes
        if o.error is not None
        and not (isinstance(o.error, ServiceError) and o.error.code == "no_room")
    ]
    assert unexpected == []
    for pair, unit in enumerate(units):
        correction, placement = outcomes[2 * pair], outcomes[2 * pair + 1]
        assert (correction.error is None) != (placement.error is None)
        assert open_occupancies(unit).count() == 2
        assert_no_bed_twice(unit)
        reopened = Stay.objects.get(pk=moved_out[pair].pk).ended_on is None
        placed = Allocation.objects.get(pk=allocation_ids[pair]).status == AllocationStatus.PLACED
        assert reopened == (correction.error is None)
        assert placed == (placement.error is None)
