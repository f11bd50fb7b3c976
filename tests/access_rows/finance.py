"""Monthly reports are their partner's and the coordinator's; rates are the city's, shown
read-only to a partner's admin; the month over all partners is the coordinator's."""

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.access import REDIRECT, Row, closed

MEMBER_ROLES = ("coordinator", "a_admin", "a_staff", "a_viewer", "b_staff", "case_worker")
PARTNER_A = {"coordinator": 200, "a_admin": 200, "a_staff": 200, "a_viewer": 200}


def _agreement(cast: Any) -> Any:
    from tillsammans.partnership.models import Agreement

    agreement = Agreement.objects.create(name="IOP", starts_on=dt.date(2022, 3, 1))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    return agreement


def month(cast: Any) -> dict[str, Any]:
    """September 2022, with an agreement for the month page to show."""
    _agreement(cast)
    return {"year": 2022, "month": 9}


def _rate(cast: Any) -> Any:
    from tillsammans.finance.models import RateKind, Scheme
    from tillsammans.finance.services import rate_create

    return rate_create(
        actor=cast.coordinator,
        agreement=_agreement(cast),
        scheme=Scheme.PARTNER,
        kind=RateKind.ADULT_NIGHT,
        amount=Decimal(300),
        valid_from=dt.date(2022, 3, 1),
    )


def rate(cast: Any) -> dict[str, Any]:
    return {"pk": _rate(cast).pk}


def figure(cast: Any) -> dict[str, Any]:
    from tillsammans.finance.services import figure_record

    made = figure_record(
        actor=cast.coordinator, agreement=_agreement(cast), decided_on=dt.date(2022, 7, 1),
        places=100,
    )  # fmt: skip
    return {"pk": made.pk}


def _figure_data(cast: Any) -> dict[str, Any]:
    from tillsammans.partnership.models import Agreement

    agreement = Agreement.objects.first() or _agreement(cast)
    return {"agreement": agreement.pk, "decided_on": "2022-08-01", "places": "1 000"}


def _report(cast: Any, status: str = "draft") -> Any:
    from tillsammans.finance import services

    rate_used = _rate(cast)
    report = services.report_start(actor=cast.a_staff, year=2022, month=9)
    if status in ("submitted", "approved"):
        report = services.report_submit(actor=cast.a_staff, report=report)
    if status == "approved":
        report = services.report_approve(actor=cast.coordinator, report=report)
    assert rate_used.pk
    return report


def draft_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _report(cast).public_id}


def submitted_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _report(cast, "submitted").public_id}


def approved_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _report(cast, "approved").public_id}


def _rate_data(cast: Any) -> dict[str, Any]:
    from tillsammans.partnership.models import Agreement

    agreement = Agreement.objects.first() or _agreement(cast)
    return {
        "agreement": agreement.pk,
        "scheme": "partner",
        "kind": "child_night",
        "amount": "150",
        "valid_from": "2022-10-01",
        "organisation": cast.org_a.slug,
        "site_kind": "",
    }


REPORT_DATA = {
    "cost_staff": "60000", "cost_premises": "20000", "cost_food": "0", "cost_transport": "0",
    "cost_material": "0", "cost_other": "0", "volunteer_hours": "10", "donated_goods": "0",
    "own_funds": "0", "comment": "",
}  # fmt: skip


def _405(*roles: str) -> dict[str, Any]:
    return closed(**dict.fromkeys(roles, 405))


def _payment_csv() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "månad;ersättningsslag;belopp\n2022-09;vuxen;9 000,00\n"
    return SimpleUploadedFile("utbetalning.csv", text.encode())


def _payment_file(cast: Any) -> dict[str, Any]:
    """September 2022's payments, imported."""
    from tillsammans.finance.services import payments_import
    from tillsammans.partnership.models import Agreement

    _agreement(cast)
    agreement = Agreement.objects.get(name="IOP")
    result = payments_import(
        actor=cast.coordinator, agreement=agreement, year=2022, month=9,
        file_name="utbetalning.csv", data=_payment_csv().read(),
    )  # fmt: skip
    assert result.file is not None, result.errors
    return {"year": 2022, "month": 9, "public_id": result.file.public_id}


ROWS = [
    # The coordinator is sent on to last month's overview; a partner's members see its list.
    Row(
        "finance_home",
        closed(coordinator=REDIRECT, a_admin=200, a_staff=200, a_viewer=200, b_staff=200),
    ),
    Row("finance_month", closed(coordinator=200), kwargs=month),
    Row(
        "finance_month",
        closed(coordinator=REDIRECT),
        kwargs=month,
        query="month=2022-10",
        case="pick a month",
    ),
    Row("month_export", closed(coordinator=200), kwargs=month),
    # The state's ledger names persons: the coordinator's only (viewers see the month's sums
    # nowhere but the dashboard's figures).
    Row("state_ledger", closed(coordinator=200), kwargs=month),
    Row("state_ledger_export", closed(coordinator=200), kwargs=month),
    Row("month_pdf", closed(coordinator=200), kwargs=month),
    # What the state paid: the coordinator reconciles; the city's viewers see the totals only
    # (the city's viewers see the totals; a partner's viewer is not the city's: 404)
    Row("reconciliation_latest", closed(coordinator=REDIRECT)),
    Row(
        "reconciliation_forecast",
        closed(coordinator=200),
        kwargs=lambda cast: _agreement(cast) and {},
    ),
    Row("reconciliation_page", closed(coordinator=200), kwargs=month),
    Row(
        "reconciliation_import",
        closed(coordinator=REDIRECT),
        kwargs=month,
        method="post",
        data=lambda cast: {"file": _payment_csv()},
    ),
    Row("reconciliation_import", _405("coordinator"), kwargs=month),
    Row("reconciliation_remove", closed(coordinator=200), kwargs=_payment_file),
    Row("reconciliation_remove", closed(coordinator=REDIRECT), kwargs=_payment_file, method="post"),
    Row("reconciliation_decide", closed(coordinator=REDIRECT), kwargs=month, method="post"),
    Row("reconciliation_freeze", closed(coordinator=REDIRECT), kwargs=month, method="post"),
    Row("reconciliation_reopen", closed(coordinator=REDIRECT), kwargs=month, method="post"),
    Row("reconciliation_export", closed(coordinator=200), kwargs=month),
    Row("payments_export", closed(coordinator=200), kwargs=month),
    # Rates: the coordinator's to change; a partner's admin reads those that apply to it.
    Row("rate_list", closed(coordinator=200, a_admin=200)),
    Row("rate_create", closed(coordinator=200)),
    Row("rate_create", closed(coordinator=REDIRECT), method="post", data=_rate_data),
    Row("rate_edit", closed(coordinator=200), kwargs=rate),
    Row("rate_edit", closed(coordinator=REDIRECT), kwargs=rate, method="post", data=_rate_data),
    Row("rate_delete", closed(coordinator=200), kwargs=rate),
    Row("rate_delete", closed(coordinator=REDIRECT), kwargs=rate, method="post"),
    # The distribution figure: the coordinator's alone.
    Row("figure_create", closed(coordinator=200)),
    Row("figure_create", closed(coordinator=REDIRECT), method="post", data=_figure_data),
    Row("figure_remove", closed(coordinator=200), kwargs=figure),
    Row("figure_remove", closed(coordinator=REDIRECT), kwargs=figure, method="post"),
    # Reports: partner A's admin and staff write them; its viewer and the coordinator read.
    Row("report_start", _405(*MEMBER_ROLES)),
    Row(
        "report_start",
        closed(a_admin=REDIRECT, a_staff=REDIRECT, b_staff=REDIRECT),
        method="post",
        data=lambda cast: {"month": "2022-09"},
    ),
    Row("report_detail", closed(**PARTNER_A), kwargs=draft_a, case="draft"),
    Row("report_detail", closed(**PARTNER_A), kwargs=approved_a, case="approved"),
    Row("report_export", closed(**PARTNER_A), kwargs=approved_a),
    Row("report_pdf", closed(**PARTNER_A), kwargs=approved_a),
    Row("report_edit", closed(a_admin=200, a_staff=200), kwargs=draft_a),
    # An approved report's edit page sends its writers back to the report, with a message.
    Row(
        "report_edit",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=approved_a,
        case="approved",
    ),
    Row(
        "report_edit",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=draft_a,
        method="post",
        data=lambda cast: REPORT_DATA,
    ),
    # The actions are POST-only; those who may read the report but not act get a message.
    Row("report_submit", _405(*MEMBER_ROLES), kwargs=draft_a),
    Row(
        "report_submit",
        closed(**dict.fromkeys(PARTNER_A, REDIRECT)),
        kwargs=draft_a,
        method="post",
    ),
    Row("report_review", _405(*MEMBER_ROLES), kwargs=submitted_a),
    Row(
        "report_review",
        closed(coordinator=REDIRECT),
        kwargs=submitted_a,
        method="post",
        data=lambda cast: {"action": "approve", "comment": ""},
    ),
    Row("report_comment", _405(*MEMBER_ROLES), kwargs=submitted_a),
    Row(
        "report_comment",
        closed(**dict.fromkeys(PARTNER_A, REDIRECT)),
        kwargs=submitted_a,
        method="post",
        data=lambda cast: {"comment": "Hur räknades lokalkostnaden?"},
    ),
    Row("report_correct", _405(*MEMBER_ROLES), kwargs=approved_a),
    Row(
        "report_correct",
        closed(**dict.fromkeys(PARTNER_A, REDIRECT)),
        kwargs=approved_a,
        method="post",
    ),
]
