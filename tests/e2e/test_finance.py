"""A monthly report in a real browser: submitted, sent back with a comment, corrected,
approved, and downloaded as a PDF."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tillsammans.finance.models import CompensationRate, MonthlyReport, RateKind, ReportStatus
from tillsammans.partnership.models import Agreement

from .test_reception_flow import log_in, log_out, server_errors

pytestmark = [pytest.mark.e2e]

REPORT_URL = re.compile(r"/finance/reports/[0-9a-f-]{36}/$")


def _fill_costs(page, staff: str, premises: str) -> None:
    page.locator("input[name=cost_staff]").fill(staff)
    page.locator("input[name=cost_premises]").fill(premises)
    page.get_by_test_id("save-report").click()
    page.wait_for_url(REPORT_URL)


def test_it_takes_a_month_from_submission_through_a_send_back_to_approval(page, cast):
    # given the agreement's night rates; partner A houses an adult and a child all September
    errors = server_errors(page)
    agreement = Agreement.objects.create(name="IOP", starts_on=dt.date(2022, 3, 1))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    for kind, amount in ((RateKind.ADULT_NIGHT, 300), (RateKind.CHILD_NIGHT, 150)):
        CompensationRate.objects.create(
            agreement=agreement, scheme="partner", kind=kind, amount=Decimal(amount),
            valid_from=dt.date(2022, 3, 1),
        )  # fmt: skip
    expected = Decimal(30 * 300 + 30 * 150)

    # when partner A's staff starts September, enters its costs and submits
    log_in(page, cast.a_staff)
    page.goto("/finance/")
    page.locator("input[name=month]").fill("2022-09")
    page.get_by_test_id("start-report").click()
    page.wait_for_url(re.compile(r"/finance/reports/[0-9a-f-]{36}/edit/$"))
    _fill_costs(page, "9000", "0")
    # then the figures come from the month's data
    expect(page.get_by_test_id("figures-total")).to_contain_text("60")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "submitted")
    report = MonthlyReport.objects.get()
    log_out(page)

    # when the coordinator sees it flagged (compensation above costs) and sends it back
    log_in(page, cast.coordinator)
    page.goto("/finance/months/2022/9/")
    row = page.get_by_test_id(f"partner-{cast.org_a.slug}")
    expect(row.get_by_test_id("flag")).to_be_visible()
    row.get_by_role("link").click()
    page.locator("#review-comment").fill("Lokalkostnaden saknas, komplettera.")
    page.get_by_test_id("send-back").click()
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "returned")
    log_out(page)

    # when partner A reads the comment, adds its premises and resubmits
    log_in(page, cast.a_staff)
    page.goto(f"/finance/reports/{report.public_id}/")
    expect(page.get_by_test_id("history")).to_contain_text("Lokalkostnaden saknas")
    page.get_by_test_id("edit-report").click()
    _fill_costs(page, "9000", "6000")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "submitted")
    log_out(page)

    # when the coordinator approves
    log_in(page, cast.coordinator)
    page.goto(f"/finance/reports/{report.public_id}/")
    expect(page.get_by_test_id("flag")).to_have_count(0)
    page.get_by_test_id("approve").click()
    # then the report is approved and locked, at the compensation the rates give
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("locked")).to_be_visible()
    log_out(page)
    log_in(page, cast.a_staff)
    page.goto(f"/finance/reports/{report.public_id}/")
    expect(page.get_by_test_id("edit-report")).to_have_count(0)
    expect(page.get_by_test_id("submit-report")).to_have_count(0)
    # and the partner downloads the PDF, which names it and says the approved sum
    with page.expect_download() as download:
        page.get_by_test_id("report-pdf").click()
    text = "".join(page_.extract_text() for page_ in PdfReader(download.value.path()).pages)
    assert cast.org_a.name in text
    assert "13500,00" in re.sub(r"\s", "", text)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.compensation_total == expected
    assert report.costs_total == Decimal(15000)
    assert errors == []
