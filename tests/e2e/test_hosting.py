"""Hjärterum in a real browser: the host-home officer registers and vets a host, a
coordinator asks the host about a household waiting for a place, the host says yes, the
agreement is signed, the coordinator accepts the place the engine then proposes, and the
officer sees the month's rent."""

import calendar
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tillsammans.core.lib.amounts import format_amount
from tillsammans.hosting.models import Answer, Host
from tillsammans.hosting.selectors import prorated
from tillsammans.hosting.services import answer_record, programme_create
from tillsammans.housing.models import Bed
from tillsammans.placement.services import proposal_create
from tillsammans.reception.models import Stay

from .test_reception_flow import log_in, server_errors

pytestmark = [pytest.mark.e2e]

RENT = 4500


def test_it_registers_vets_and_places_a_household_with_a_host_and_shows_the_rent(
    page, browser, live_server, cast
):
    # given: partner A runs the host-home programme
    programme_create(actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum")
    errors = server_errors(page)
    log_in(page, cast.a_admin)
    # when: the officer registers a host
    page.goto("/host-homes/")
    page.get_by_test_id("register-host").click()
    page.locator("input[name=name]").fill("Karin och Olof Ekman")
    page.locator("input[name=address]").fill("Lärkträdsgatan 4")
    page.locator("input[name=district]").fill("Majorna-Linné")
    page.locator("input[name=beds]").fill("2")
    page.locator("input[name=languages]").fill("sv, en, uk")
    page.locator("input[name=monthly_rent]").fill(str(RENT))
    page.get_by_test_id("save-host").click()
    page.wait_for_url(re.compile(r"/host-homes/[0-9a-f-]{36}/$"))
    # then: the home is not vetted yet
    expect(page.get_by_test_id("vetting-status")).to_have_class(re.compile(r"\bfailed\b"))
    # when: the home visit, the identity and the reference are recorded
    for step in ("home_visit", "identity", "reference"):
        page.get_by_test_id(f"vet-{step}").click()
        page.wait_for_load_state()
    # then: the home is vetted
    expect(page.get_by_test_id("vetting-status")).to_have_class(re.compile(r"\baccepted\b"))
    host = Host.objects.get()
    assert host.vetted and host.unit.host_languages == ["sv", "en", "uk"]

    # given: a coordinator asks the host about the pending household (the other beds are
    # taken, and the home is not proposed to anyone without a signed agreement)
    Bed.objects.exclude(unit=host.unit).update(blocked=True)
    today = timezone.localdate()
    household = cast.allocation_pending.household
    answer_record(actor=cast.coordinator, host=host, household=household,
                  answer=Answer.ASKED, answered_on=today)  # fmt: skip
    assert not proposal_create(actor=cast.coordinator, on=today).items.exclude(unit=None)
    # when: the officer sees the request, and the host says yes
    page.goto("/host-homes/proposals/")
    row = page.get_by_test_id(f"request-{household.reference}")
    expect(row).to_be_visible()
    row.locator("button[value=yes]").click()
    page.wait_for_load_state()
    # and: the officer records the agreement signed by host, organisation and guests
    page.goto(f"/host-homes/{host.public_id}/")
    page.locator("details:has([data-testid=save-agreement]) summary").click()
    page.locator("select[name=household]").select_option(label=household.reference)
    for party in ("host", "organisation", "guest"):
        page.locator(f"input[name=signed_by_{party}]").check()
    page.get_by_test_id("save-agreement").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("agreements")).to_contain_text(household.reference)
    # then: the engine now proposes the home to the household
    proposal = proposal_create(actor=cast.coordinator, on=today)
    assert proposal.items.get(household=household).unit == host.unit

    # when: the coordinator accepts the proposed place
    coordinator = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    log_in(coordinator, cast.coordinator)
    coordinator.goto(f"/placement/{proposal.public_id}/")
    coordinator.get_by_test_id("accept-all").click()
    coordinator.wait_for_load_state()
    # then: the household lives with the host
    stay = Stay.objects.get(household=household, ended_on__isnull=True)
    assert stay.unit == host.unit
    page.goto(f"/host-homes/{host.public_id}/")
    expect(page.get_by_test_id("guest-now")).to_contain_text(household.reference)

    # when: the officer opens the month's rent
    page.goto(f"/host-homes/rent/?month={today:%Y-%m}")
    # then: the host is paid for the nights from today to the end of the month
    days = calendar.monthrange(today.year, today.month)[1]
    nights = days - today.day + 1
    expect(page.get_by_test_id("rent-amount")).to_have_text(
        format_amount(prorated(RENT, nights, days), 0)
    )
    assert errors == []
    coordinator.context.close()
