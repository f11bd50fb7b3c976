"""A home's licensed places under real concurrency (ADR 26): twenty children with decisions
for one HVB home race for its rooms from their own connections; the licence has five places
over four rooms of four beds, so beds alone would let sixteen in. The site's row lock, taken
before the units', is what keeps the places."""

import datetime as dt
from typing import Any

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    LicenceFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.housing.models import Unit
from tillsammans.reception.models import Allocation, Occupancy, PlacementDecision
from tillsammans.reception.services import allocation_place

from . import test_placement_race as race
from .test_placement_race import coordinator_in_thread, run_together

# The race tests' marks: PostgreSQL only, real transactions.
pytestmark = race.pytestmark

DAY = dt.date(2016, 4, 1)


def test_it_never_places_more_children_than_the_licence_has_places(cast):
    # given: an HVB home of four rooms (16 beds) licensed for 5, and 20 decided children
    home = LicenceFactory.create(site__organisation=cast.org_a, places=5).site
    rooms = [UnitFactory.create(site=home, name=f"Rum {n}", beds=4) for n in range(4)]
    allocation_ids = []
    for n in range(20):
        household = HouseholdFactory.create(unaccompanied=True)
        PersonFactory.create(household=household, birth_date=dt.date(2001, 1, 1 + n))
        PlacementDecision.objects.create(
            household=household, site=home, decided_on=DAY, valid_from=DAY
        )
        allocation_ids.append(AllocationFactory.create(household=household, allocated_on=DAY).pk)

    def prepare(index: int) -> tuple[Any, ...]:
        allocation = Allocation.objects.select_related("household").get(pk=allocation_ids[index])
        room = Unit.objects.select_related("site").get(pk=rooms[index % 4].pk)
        return coordinator_in_thread(cast), allocation, room

    def place(actor: Any, allocation: Any, room: Any) -> Any:
        return allocation_place(actor=actor, allocation=allocation, unit=room, on=DAY)

    # when
    outcomes = run_together(20, prepare, place)
    # then: five placed, fifteen told the licence is full, nothing else
    placed = [o for o in outcomes if o.error is None]
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(placed) == 5
    assert all(isinstance(e, ServiceError) and e.code == "licence_full" for e in refused), refused
    assert Occupancy.objects.filter(bed__unit__site=home, ended_on__isnull=True).count() == 5
