"""The engine and homes for children (ADR 26): an unaccompanied young person with a decision
is proposed a bed in the decided home while its licence has places, never elsewhere, and
every proposed place is taken when the proposal is accepted."""

import datetime as dt

from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    LicenceFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
)
from tillsammans.placement.models import ItemStatus, UnplacedReason
from tillsammans.placement.services import proposal_accept, proposal_create
from tillsammans.reception.models import AllocationStatus, PlacementDecision

DAY = dt.date(2016, 4, 1)


def _young(born: dt.date, site, *, decided: bool = True):
    household = HouseholdFactory.create(unaccompanied=True)
    PersonFactory.create(household=household, birth_date=born, sex="male")
    if decided:
        PlacementDecision.objects.create(
            household=household, site=site, decided_on=DAY, valid_from=DAY
        )
    return AllocationFactory.create(household=household, allocated_on=DAY)


def test_it_proposes_the_decided_home_within_the_licence_places(cast):
    # given: a home of two rooms and a licence of two places; three boys decided there, one
    # without a decision; an adults' site with plenty of room
    home = LicenceFactory.create(site__organisation=cast.org_a, places=2).site
    rooms = [UnitFactory.create(site=home, name=f"R{n}", beds=3) for n in range(2)]
    adults = SiteFactory.create(organisation=cast.org_b, opens_on=dt.date(2015, 1, 1))
    UnitFactory.create(site=adults, beds=20)
    decided = [_young(dt.date(2001, 1, n), home) for n in (1, 2, 3)]
    undecided = _young(dt.date(2001, 2, 1), home, decided=False)
    adult = AllocationFactory.create(household=HouseholdFactory.create(), allocated_on=DAY)
    PersonFactory.create(household=adult.household, birth_date=dt.date(1980, 1, 1))
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    items = {item.household_id: item for item in proposal.items.select_related("unit")}
    # then: two of the three in the home, none elsewhere; the undecided child nowhere
    in_home = [a for a in decided if items[a.household_id].unit in rooms]
    assert len(in_home) == 2
    for allocation in [*decided, undecided]:
        item = items[allocation.household_id]
        assert item.unit is None or item.unit in rooms
    assert items[undecided.household_id].status == ItemStatus.UNPLACED
    # and: the third is told its home's places went to others, not that units were forbidden
    (crowded,) = [a for a in decided if a not in in_home]
    assert items[crowded.household_id].reason == UnplacedReason.OUTBID
    assert items[adult.household_id].unit.site == adults
    # and: accepting everything takes every proposed place
    accepted = proposal_accept(actor=cast.coordinator, proposal=proposal)
    assert accepted.failed == []
    for allocation in in_home:
        allocation.refresh_from_db()
        assert allocation.status == AllocationStatus.PLACED
