"""Placement proposals in a real browser: propose, a place goes stale, accept the rest."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.placement.models import ItemStatus, PlacementProposal
from tillsammans.reception.models import AllocationStatus
from tillsammans.reception.services import allocation_place

from .test_reception_flow import log_in, server_errors

pytestmark = [pytest.mark.e2e]


def _pending(reference: str, size: int, **household: object):
    home = HouseholdFactory(reference=reference, **household)
    for _ in range(size):
        PersonFactory(household=home)
    return AllocationFactory(household=home)


def test_it_accepts_a_proposal_and_explains_the_place_that_went_stale(page, cast):
    # given: a household only the one accessible unit can take
    errors = server_errors(page)
    accessible = UnitFactory(site=cast.site_b, name="B-ACC", beds=2, accessible=True)
    needs_access = _pending("E2E-ACC", 2, needs_accessible=True)
    log_in(page, cast.coordinator)
    # when: the coordinator proposes placements for all pending allocations
    page.goto("/placement/")
    page.get_by_test_id("propose").click()
    page.wait_for_url(re.compile(r"/placement/[0-9a-f-]{36}/$"))
    # then: every household has a proposed place
    expect(page.get_by_test_id("persons-placed")).to_have_text("3 / 3")
    row = page.get_by_test_id("item-E2E-ACC")
    expect(row).to_contain_text("B-ACC")
    # when: meanwhile someone else fills that unit by hand, and the coordinator accepts all
    allocation_place(
        actor=cast.coordinator,
        allocation=_pending("E2E-CROWD", 2, needs_accessible=True),
        unit=accessible,
        on=timezone.localdate(),
    )
    page.get_by_test_id("accept-all").click()
    page.wait_for_load_state()
    # then: that one fails with its reason, the other is placed
    expect(row.locator(".badge")).to_have_class(re.compile(r"\bfailed\b"))
    other = page.get_by_test_id(f"item-{cast.allocation_pending.household.reference}")
    expect(other.locator(".badge")).to_have_class(re.compile(r"\baccepted\b"))
    expect(page.locator(".messages li.warning")).to_be_visible()
    proposal = PlacementProposal.objects.get()
    assert proposal.items.get(household=needs_access.household).status == ItemStatus.FAILED
    cast.allocation_pending.refresh_from_db()
    assert cast.allocation_pending.status == AllocationStatus.PLACED
    # when: the coordinator proposes again
    page.get_by_test_id("propose-again").click()
    page.wait_for_url(lambda url: proposal.public_id.hex[:8] not in url)
    # then: the household waits with the reason that no unit has the room now
    expect(page.get_by_test_id("item-E2E-ACC")).to_contain_text("tillgänglighetsanpassad")
    expect(page.get_by_test_id("item-E2E-ACC").locator(".badge")).to_have_class(
        re.compile(r"\bunplaced\b")
    )
    assert errors == []
