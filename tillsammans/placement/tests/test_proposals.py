"""Proposals from the data, accepted through the locked reception services."""

import datetime as dt
from collections import defaultdict

import pytest
from django.utils import translation
from django.utils.translation import override

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
)
from tillsammans.core.models import AuditEvent
from tillsammans.housing.models import SiteKind, Unit
from tillsammans.housing.selectors import units_with_capacity
from tillsammans.people.models import AnchorKind
from tillsammans.placement.models import FitWeights, ItemStatus, ProposalKind, UnplacedReason
from tillsammans.placement.services import (
    fit_weights_update,
    proposal_accept,
    proposal_create,
    proposal_create_for_site,
    proposal_item_forbid,
    proposal_item_pin,
    proposal_repropose,
)
from tillsammans.reception.models import AllocationStatus, ExitReason, Stay
from tillsammans.reception.services import allocation_place

DAY = dt.date(2022, 8, 1)
ADULT = dt.date(1985, 5, 17)
CHILD = dt.date(2014, 2, 3)


def _pending(*births: dt.date, **household: object):
    home = HouseholdFactory(**household)
    for born in births or (ADULT,):
        PersonFactory(household=home, birth_date=born)
    return AllocationFactory(household=home)


def _item(proposal, allocation):
    return proposal.items.select_related("unit").get(household=allocation.household)


def _free_beds(unit: Unit) -> int:
    return units_with_capacity(Unit.objects.filter(pk=unit.pk), DAY).get().beds_free


def test_it_proposes_places_that_respect_needs_and_beds(cast):
    # given: one accessible unit of two beds, and households that need it or do not fit at all
    accessible = UnitFactory(site=cast.site_b, name="B-acc", beds=2, accessible=True)
    needs_access = _pending(ADULT, ADULT, needs_accessible=True)
    too_big = _pending(*[ADULT] * 5)
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    assert proposal.kind == ProposalKind.ALLOCATIONS
    assert proposal.households_total == 3
    assert _item(proposal, needs_access).unit == accessible
    assert _item(proposal, needs_access).needs == ["accessible"]
    unplaced = _item(proposal, too_big)
    assert (unplaced.status, unplaced.reason, unplaced.unit) == (
        ItemStatus.UNPLACED,
        UnplacedReason.NO_UNIT,
        None,
    )
    persons_in: dict[int, int] = defaultdict(int)
    for item in proposal.items.filter(unit__isnull=False).select_related("unit"):
        assert set(item.needs) <= item.unit.features()
        persons_in[item.unit_id] += item.size
    for unit_id, persons in persons_in.items():
        assert persons <= _free_beds(Unit.objects.get(pk=unit_id))
    assert proposal.persons_placed == 3
    assert proposal.upper_bound >= proposal.objective > 0
    assert 0 <= proposal.gap < 1


def test_it_keeps_children_out_of_units_that_do_not_take_them(cast):
    # given: the only free unit big enough for a mother and child does not take children
    cast.unit_b.children_ok = False
    cast.unit_b.save()
    family = _pending(ADULT, CHILD, ADULT)
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    item = _item(proposal, family)
    assert "children_ok" in item.needs
    assert item.unit is None
    assert item.reason == UnplacedReason.NO_UNIT


def test_it_keeps_the_fit_parts_of_each_proposed_place(cast):
    # given: the elderly pending person, a unit with food service and one without
    cast.unit_b.food_service = True
    cast.unit_b.save()
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    item = _item(proposal, cast.allocation_pending)
    assert item.unit == cast.unit_b
    assert item.parts["food"]["score"] == 1.0
    assert set(item.parts) == {"food", "fairness"}
    assert item.fit == round(1000 * (2 * 1.0 + 2 * item.parts["fairness"]["score"]) / 4)
    assert [part.name for part in item.explained_parts()] == ["food", "fairness"]


def test_it_places_a_household_near_its_anchor(cast):
    # given: a child's school in Angered; partner B has a site in Angered too
    angered = UnitFactory(site=SiteFactory(organisation=cast.org_b, district="Angered"), beds=4)
    family = _pending(ADULT, CHILD, anchor_kind=AnchorKind.SCHOOL, anchor_district="Angered")
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    item = _item(proposal, family)
    assert item.unit == angered
    assert item.parts["distance"]["km"] == 0
    assert item.parts["distance"]["anchor"] == "school"


def test_it_prefers_a_host_who_speaks_the_households_language(cast):
    # given: two host homes, and the only other beds are taken or closed
    hosts = SiteFactory(organisation=cast.org_b, kind=SiteKind.HOST_HOME)
    UnitFactory(site=hosts, name="Sv", beds=2, max_households=1, host_languages=["sv", "en"])
    ukrainian = UnitFactory(site=hosts, name="Uk", beds=2, max_households=1, host_languages=["uk"])
    allocation_place(
        actor=cast.coordinator, allocation=_pending(*[ADULT] * 4), unit=cast.unit_b, on=DAY
    )
    cast.site_a.closes_on = DAY
    cast.site_a.save()
    # and one guest household, speaking Ukrainian and Russian
    cast.allocation_pending.status = AllocationStatus.REFUSED
    cast.allocation_pending.save()
    guest = _pending(ADULT)
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    item = _item(proposal, guest)
    assert item.unit == ukrainian
    assert item.parts["language"] == {"score": 1.0, "weight": 2, "shared": ["uk"]}


def test_it_makes_stays_when_the_coordinator_accepts(cast):
    # given
    family = _pending(ADULT, CHILD)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when
    outcome = proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then
    assert len(outcome.accepted) == 2
    assert outcome.failed == []
    for allocation in (family, cast.allocation_pending):
        allocation.refresh_from_db()
        assert allocation.status == AllocationStatus.PLACED
        item = _item(proposal, allocation)
        assert item.status == ItemStatus.ACCEPTED
        assert item.accepted_by == cast.coordinator
        assert item.accepted_at is not None
        stay = Stay.objects.get(household=allocation.household, ended_on__isnull=True)
        assert (item.stay, stay.unit, stay.started_on) == (stay, item.unit, DAY)


def test_it_accepts_only_the_selected_items(cast):
    # given
    family = _pending(ADULT, CHILD)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    chosen = _item(proposal, family)
    # when
    outcome = proposal_accept(
        actor=cast.coordinator, proposal=proposal, item_ids=[chosen.public_id, "not-a-uuid"]
    )
    # then
    assert [item.pk for item in outcome.accepted] == [chosen.pk]
    cast.allocation_pending.refresh_from_db()
    assert cast.allocation_pending.status == AllocationStatus.PENDING
    assert _item(proposal, cast.allocation_pending).status == ItemStatus.PROPOSED


def test_it_fails_a_stale_item_cleanly_and_places_the_others(cast):
    # given: a household that only the accessible unit can take, and the cast's pending one
    accessible = UnitFactory(site=cast.site_b, name="B-acc", beds=2, accessible=True)
    needs_access = _pending(ADULT, ADULT, needs_accessible=True)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    assert _item(proposal, needs_access).unit == accessible
    # and meanwhile another household is placed there by hand
    allocation_place(
        actor=cast.coordinator,
        allocation=_pending(ADULT, ADULT, needs_accessible=True),
        unit=accessible,
        on=DAY,
    )
    # when
    outcome = proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then
    stale = _item(proposal, needs_access)
    assert stale.status == ItemStatus.FAILED
    assert stale.error_code == "no_room"
    with override("en"):
        assert stale.failure_display() == (
            "The unit filled up after the proposal was made. Propose again to find another place."
        )
    assert [item.pk for item in outcome.failed] == [stale.pk]
    needs_access.refresh_from_db()
    assert needs_access.status == AllocationStatus.PENDING
    assert not Stay.objects.filter(household=needs_access.household).exists()
    other = _item(proposal, cast.allocation_pending)
    assert other.status == ItemStatus.ACCEPTED
    cast.allocation_pending.refresh_from_db()
    assert cast.allocation_pending.status == AllocationStatus.PLACED


def test_it_fails_an_item_whose_allocation_was_cancelled_meanwhile(cast):
    # given
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    cast.allocation_pending.status = AllocationStatus.CANCELLED
    cast.allocation_pending.save()
    # when
    outcome = proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then
    item = _item(proposal, cast.allocation_pending)
    assert [failed.pk for failed in outcome.failed] == [item.pk]
    assert item.error_code == "not_pending"


def test_it_does_not_accept_an_item_twice(cast):
    # given
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    proposal_accept(actor=cast.coordinator, proposal=proposal)
    # when / then
    with pytest.raises(ServiceError) as error:
        proposal_accept(actor=cast.coordinator, proposal=proposal)
    assert error.value.code == "nothing_selected"
    assert Stay.objects.filter(household=cast.allocation_pending.household).count() == 1


def test_it_honours_forbids_and_pins_when_proposing_again(cast):
    # given: the first proposal puts the pending household somewhere
    first = proposal_create(actor=cast.coordinator, on=DAY)
    item = _item(first, cast.allocation_pending)
    proposed = item.unit
    other = cast.unit_a if proposed == cast.unit_b else cast.unit_b
    # when: the coordinator forbids that unit and proposes again
    proposal_item_forbid(actor=cast.coordinator, item=item, unit=proposed)
    second = proposal_repropose(actor=cast.coordinator, proposal=first)
    # then
    again = _item(second, cast.allocation_pending)
    assert again.unit == other
    assert second.previous == first
    assert second.forbids == [
        [str(cast.allocation_pending.household.public_id), str(proposed.public_id)]
    ]
    assert list(again.next_forbids.all()) == [proposed]
    # when: then pins it to a third unit and proposes again
    third_unit = UnitFactory(site=cast.site_b, name="B2", beds=1)
    proposal_item_pin(actor=cast.coordinator, item=again, unit=third_unit)
    third = proposal_repropose(actor=cast.coordinator, proposal=second)
    # then
    pinned = _item(third, cast.allocation_pending)
    assert (pinned.unit, pinned.pinned) == (third_unit, True)
    assert list(pinned.next_forbids.all()) == [proposed]


def test_it_lets_a_pin_override_a_forbid_of_the_same_unit(cast):
    # given
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    item = _item(proposal, cast.allocation_pending)
    proposal_item_forbid(actor=cast.coordinator, item=item, unit=cast.unit_a)
    # when
    proposal_item_pin(actor=cast.coordinator, item=item, unit=cast.unit_a)
    # then
    assert item.next_pin == cast.unit_a
    assert not item.next_forbids.exists()


def test_it_shows_a_forbid_of_every_fitting_unit_as_the_reason(cast):
    # given
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    item = _item(proposal, cast.allocation_pending)
    proposal_item_forbid(actor=cast.coordinator, item=item, unit=cast.unit_a)
    proposal_item_forbid(actor=cast.coordinator, item=item, unit=cast.unit_b)
    # when
    again = _item(
        proposal_repropose(actor=cast.coordinator, proposal=proposal), cast.allocation_pending
    )
    # then
    assert (again.unit, again.reason, again.suitable) == (None, UnplacedReason.NO_CANDIDATE, 2)
    assert again.reason_display()


def test_it_refuses_a_pin_to_a_unit_that_cannot_take_the_household(cast):
    # given
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    item = _item(proposal, cast.allocation_pending)
    too_small = UnitFactory(site=cast.site_b, name="B0", beds=0)
    # when / then
    with pytest.raises(ServiceError) as error:
        proposal_item_pin(actor=cast.coordinator, item=item, unit=too_small)
    assert error.value.code == "bad_pin"


def test_it_drops_a_pin_that_no_longer_holds_and_says_so(cast):
    # given: the pending household is pinned to unit B
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    proposal_item_pin(
        actor=cast.coordinator, item=_item(proposal, cast.allocation_pending), unit=cast.unit_b
    )
    # and unit B fills up before the coordinator proposes again
    allocation_place(
        actor=cast.coordinator, allocation=_pending(*[ADULT] * 4), unit=cast.unit_b, on=DAY
    )
    # when
    again = _item(
        proposal_repropose(actor=cast.coordinator, proposal=proposal), cast.allocation_pending
    )
    # then
    assert again.dropped_pin == cast.unit_b
    assert (again.unit, again.pinned, again.next_pin) == (cast.unit_a, False, None)


def test_it_proposes_new_places_only_for_the_residents_of_a_closing_site(cast):
    # given: someone also lives at site B; partner B has another site with room
    other_site = SiteFactory(organisation=cast.org_b, name="Site C")
    room = UnitFactory(site=other_site, name="C1", beds=3)
    neighbour = _pending(ADULT)
    neighbours_stay = allocation_place(
        actor=cast.coordinator, allocation=neighbour, unit=cast.unit_b, on=DAY
    )
    # when
    proposal = proposal_create_for_site(actor=cast.coordinator, site=cast.site_a, on=DAY)
    # then
    assert proposal.kind == ProposalKind.SITE_CLOSING
    assert proposal.site == cast.site_a
    item = proposal.items.get()
    assert item.household == cast.household_a
    assert item.from_stay == cast.stay_a
    assert item.unit in (cast.unit_b, room)
    assert item.unit.site != cast.site_a
    # when
    proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then
    cast.stay_a.refresh_from_db()
    assert (cast.stay_a.ended_on, cast.stay_a.exit_reason) == (DAY, ExitReason.MOVED)
    moved = Stay.objects.get(household=cast.household_a, ended_on__isnull=True)
    assert moved.unit == item.unit
    neighbours_stay.refresh_from_db()
    assert neighbours_stay.ended_on is None
    cast.allocation_pending.refresh_from_db()
    assert cast.allocation_pending.status == AllocationStatus.PENDING


def test_it_refuses_to_propose_for_a_site_where_nobody_lives(cast):
    with pytest.raises(ServiceError) as error:
        proposal_create_for_site(actor=cast.coordinator, site=cast.site_b, on=DAY)
    assert error.value.code == "nobody_lives_there"


def test_it_says_when_there_is_nothing_to_place(cast):
    # given
    cast.allocation_pending.status = AllocationStatus.REFUSED
    cast.allocation_pending.save()
    # when / then
    with pytest.raises(ServiceError) as error:
        proposal_create(actor=cast.coordinator, on=DAY)
    assert error.value.code == "nothing_to_place"


def test_it_reports_a_pending_household_without_persons(cast):
    # given
    empty = AllocationFactory(household=HouseholdFactory())
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    item = _item(proposal, empty)
    assert (item.status, item.reason, item.size) == (
        ItemStatus.UNPLACED,
        UnplacedReason.EMPTY_HOUSEHOLD,
        0,
    )
    assert proposal.households_total == 2


@pytest.mark.parametrize("role", ["a_admin", "a_staff", "a_viewer", "b_staff"])
def test_it_lets_only_a_coordinator_propose_and_accept(cast, role):
    # given
    user = getattr(cast, role)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when / then
    with pytest.raises(PermissionDenied):
        proposal_create(actor=user, on=DAY)
    with pytest.raises(PermissionDenied):
        proposal_create_for_site(actor=user, site=cast.site_a, on=DAY)
    with pytest.raises(PermissionDenied):
        proposal_accept(actor=user, proposal=proposal)
    with pytest.raises(PermissionDenied):
        proposal_item_pin(actor=user, item=proposal.items.get(), unit=None)
    with pytest.raises(PermissionDenied):
        fit_weights_update(actor=user, distance=1, language=1, food=1, fairness=1)


def test_it_audits_the_proposal_and_who_accepted_what(cast):
    # given
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when
    proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then
    events = AuditEvent.objects.filter(
        object_type="placement.placementproposal", object_id=str(proposal.public_id)
    )
    created = events.get(action="create")
    assert created.actor == cast.coordinator
    assert "1 of 1 households" in created.summary
    accepted = events.get(action="update")
    # the household is named by its reference when the log is read, never kept by it
    reference = cast.allocation_pending.household.reference
    with translation.override("en"):
        assert accepted.described().startswith(f"accepted {reference} in Site B")
    assert reference not in accepted.summary
    assert accepted.actor_email == cast.coordinator.email


def test_it_keeps_the_inputs_and_the_result_of_a_proposal(cast):
    # when
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then: the problem is the engine's file format, with short ids mapped to public ids
    household = proposal.problem["households"][0]
    assert household == {"id": "h1", "size": 1, "needs": []}
    assert proposal.ids["households"]["h1"] == str(cast.allocation_pending.household.public_id)
    assert {unit["id"] for unit in proposal.problem["units"]} == set(proposal.ids["units"])
    assert proposal.result["persons_placed"] == 1
    assert proposal.weights == FitWeights.current().weights().as_dict()
    assert proposal.created_by == cast.coordinator


def test_it_changes_the_weights_and_uses_them_from_the_next_proposal(cast):
    # when
    fit_weights_update(actor=cast.coordinator, distance=0, language=0, food=7, fairness=0)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # then
    assert proposal.weights == {"distance": 0, "language": 0, "food": 7, "fairness": 0}
    assert AuditEvent.objects.filter(object_type="placement.fitweights", action="update").exists()
    with pytest.raises(ServiceError):
        fit_weights_update(actor=cast.coordinator, distance=11, language=0, food=0, fairness=0)
