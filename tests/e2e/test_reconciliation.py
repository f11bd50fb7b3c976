"""The state's payments in a real browser: a month's payments imported, its differences seen,
one explained and one to be claimed, and the month frozen."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tillsammans.finance.models import Decision, Reconciliation
from tillsammans.finance.tests.test_reconciliation import TWICE_AND_MISSING, set_up_march
from tillsammans.partnership.models import Agreement

from .test_reception_flow import log_in, server_errors

pytestmark = [pytest.mark.e2e]


def test_the_coordinator_imports_a_months_payments_decides_the_differences_and_freezes(
    page, cast, tmp_path
):
    # given March 2026 as the ledger counts it (four persons), and the state's file for it
    # in which the mother is paid twice and her child not at all
    errors = server_errors(page)
    agreement = Agreement.objects.create(name="IOP", starts_on=dt.date(2022, 3, 1))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    march = set_up_march(cast, agreement)
    statement = tmp_path / "utbetalning-2026-03.csv"
    statement.write_text(TWICE_AND_MISSING, encoding="utf-8")

    # when the coordinator goes from March's reports to the state's payments and imports it
    log_in(page, cast.coordinator)
    page.goto("/finance/months/2026/3/")
    page.get_by_test_id("reconciliation-link").click()
    expect(page.get_by_test_id("reconciliation-status")).to_contain_text("Inte påbörjad")
    page.get_by_test_id("payment-file").set_input_files(str(statement))
    page.get_by_role("button", name="Importera").click()

    # then the two differences are listed: the mother paid twice, her child not paid
    rows = page.get_by_test_id("difference")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(march["B-1"].last_name)
    expect(rows.nth(0)).to_contain_text("utbetald på 2 rader")
    expect(rows.nth(1)).to_contain_text("Räknat men inte utbetalt")
    expect(page.get_by_test_id("open-count")).to_have_text("2")

    # when freezing is tried too early, then it is refused with the reason
    page.get_by_test_id("freeze").click()
    expect(page.get_by_role("status")).to_contain_text("2 avvikelser har inget beslut")

    # when the double payment is explained and the missing child marked to be claimed
    first = page.get_by_test_id("difference").nth(0)
    first.get_by_label("Beslut").select_option(Decision.EXPLAINED)
    first.get_by_label("Anteckning").fill("Utbetald två gånger; återbetalas i april.")
    first.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("difference")).to_have_count(1)
    last = page.get_by_test_id("difference").nth(0)
    last.get_by_label("Beslut").select_option(Decision.CLAIM)
    last.get_by_label("Anteckning").fill("Begärs i nästa ansökan.")
    last.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("open-count")).to_have_text("0")

    # and the month is frozen
    page.get_by_test_id("freeze").click()
    expect(page.get_by_test_id("reconciliation-status")).to_contain_text("Avstämd och fryst")
    assert Reconciliation.objects.get().is_frozen
    # then the decided differences are still there to read, with their notes
    page.get_by_role("link", name="Visa alla").click()
    expect(page.get_by_test_id("difference")).to_have_count(2)
    expect(page.get_by_test_id("differences")).to_contain_text("återbetalas i april")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []
