"""Accepting placement proposals under real concurrency (PostgreSQL).

An item is locked before the reception services lock its site, unit and household, so two
coordinators accepting the same proposal at once place each household once, and a proposal
accepted while placements by hand take the same beds fails item by item, never twice.
"""

import datetime as dt
from typing import Any

from tillsammans.core.factories import SiteFactory, UnitFactory
from tillsammans.placement.models import ItemStatus, PlacementProposal
from tillsammans.placement.services import proposal_accept, proposal_create
from tillsammans.reception.models import Allocation, AllocationStatus, Stay
from tillsammans.reception.services import allocation_place

from . import test_placement_race as race
from .test_placement_race import (
    assert_no_bed_twice,
    coordinator_in_thread,
    open_occupancies,
    pending_allocations,
    run_together,
    unexpected,
)

pytestmark = race.pytestmark

ON = dt.date(2022, 8, 1)


def test_it_places_each_household_once_when_two_coordinators_accept_at_once(cast):
    # given: ten one-person households and room for all of them
    pending_allocations(10)
    UnitFactory(site=SiteFactory(organisation=cast.org_b), name="Big", beds=12)
    proposal = proposal_create(actor=cast.coordinator, on=ON)
    assert proposal.persons_placed == 11

    def prepare(index: int) -> tuple[Any, ...]:
        return coordinator_in_thread(cast), PlacementProposal.objects.get(pk=proposal.pk)

    def accept(actor: Any, mine: PlacementProposal) -> Any:
        return proposal_accept(actor=actor, proposal=mine)

    # when
    outcomes = run_together(4, prepare, accept)
    # then
    assert [repr(o.error) for o in outcomes if o.error is not None] == []
    accepted = [item.pk for o in outcomes for item in o.value.accepted]
    assert len(accepted) == len(set(accepted)) == 11
    assert proposal.items.filter(status=ItemStatus.ACCEPTED).count() == 11
    households = proposal.items.values("household")
    assert Stay.objects.filter(household__in=households).count() == 11


def test_it_fails_only_the_items_whose_beds_were_taken_by_hand_meanwhile(cast):
    # given: a proposal that fills a unit of six beds with six households
    for unit in (cast.unit_a, cast.unit_b):
        unit.beds.update(blocked=True)
    target = UnitFactory(site=cast.site_b, name="Six", beds=6)
    pending_allocations(5)
    proposal = proposal_create(actor=cast.coordinator, on=ON)
    assert set(proposal.items.values_list("unit", flat=True)) == {target.pk}
    # and six other households placed by hand into the same unit at the same moment
    by_hand = pending_allocations(6)

    def prepare(index: int) -> tuple[Any, ...]:
        actor = coordinator_in_thread(cast)
        if index == 0:
            return actor, PlacementProposal.objects.get(pk=proposal.pk)
        return actor, Allocation.objects.get(pk=by_hand[index - 1])

    def act(actor: Any, thing: Any) -> Any:
        if isinstance(thing, PlacementProposal):
            return proposal_accept(actor=actor, proposal=thing)
        return allocation_place(actor=actor, allocation=thing, unit=target, on=ON)

    # when
    outcomes = run_together(7, prepare, act)
    # then: six beds, six people; every item either accepted or failed with "no room"
    assert unexpected(outcomes) == []
    assert open_occupancies(target).count() == 6
    assert_no_bed_twice(target)
    items = list(proposal.items.all())
    accepted = [item for item in items if item.status == ItemStatus.ACCEPTED]
    failed = [item for item in items if item.status == ItemStatus.FAILED]
    assert len(accepted) + len(failed) == 6
    assert {item.error_code for item in failed} <= {"no_room"}
    placed_by_hand = Allocation.objects.filter(pk__in=by_hand, status=AllocationStatus.PLACED)
    assert len(accepted) + placed_by_hand.count() == 6
