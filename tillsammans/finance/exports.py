"""Spreadsheets and the payment file of the monthly reports: figures only, no person.

Every text cell goes through ``safe``: a spreadsheet runs a cell starting with ``=``, ``+``,
``-`` or ``@`` as a formula, and a partner's name or comment is text someone typed.
"""

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tillsammans.core.lib.amounts import format_amount
from tillsammans.core.lib.spreadsheet import safe_cell
from tillsammans.housing.models import SiteKind
from tillsammans.partnership.models import Agreement

from .models import CostType, MonthlyReport, RateKind, ReportStatus
from .selectors import (
    AGE_BANDS,
    ReportData,
    month_bounds,
    month_overview,
    report_data,
    report_figures,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _row(sheet: Any, *values: Any, bold: bool = False) -> None:
    sheet.append([safe_cell(_number(value)) for value in values])
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def _bands() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label, _low, _high in AGE_BANDS]


def _figure_header() -> list[str]:
    return [
        _("Site"),
        _("Kind of site"),
        _("Available places (average)"),
        _("Place-days"),
        _("Occupied place-nights"),
        *(_("Person-nights: %(band)s") % {"band": label} for _code, label in _bands()),
        _("Persons moved in"),
        _("Persons moved out"),
    ]


def _figure_values(row: dict[str, Any]) -> list[Any]:
    return [
        row["places"],
        row["place_days"],
        row["place_nights"],
        *(row["nights"].get(code, 0) for code, _label in _bands()),
        row["moved_in"],
        row["moved_out"],
    ]


def report_workbook(report: MonthlyReport) -> bytes:
    data: ReportData = report_data(report)
    kinds, sites = dict(RateKind.choices), dict(SiteKind.choices)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{report.month:%Y-%m}"
    _row(sheet, _("Monthly report"), bold=True)
    _row(sheet, _("Partner"), report.organisation.name)
    _row(sheet, _("Agreement"), report.agreement.name)
    _row(sheet, _("Month"), f"{report.month:%Y-%m}")
    _row(sheet, _("Version"), report.version)
    _row(sheet, _("Status"), str(report.get_status_display()))
    sheet.append([])
    _row(sheet, *_figure_header(), bold=True)
    for site in data.figures["sites"]:
        _row(sheet, site["name"], str(sites.get(site["kind"], site["kind"])), *_figure_values(site))
    _row(sheet, _("In total"), "", *_figure_values(data.figures["totals"]), bold=True)
    sheet.append([])
    _row(sheet, _("Costs and own contribution"), _("SEK"), bold=True)
    for code, label in CostType.choices:
        _row(sheet, str(label), getattr(report, f"cost_{code}"))
    _row(sheet, _("Costs in total (SEK)"), report.costs_total, bold=True)
    _row(sheet, _("Volunteer hours"), report.volunteer_hours)
    _row(sheet, _("Donated goods (SEK)"), report.donated_goods)
    _row(sheet, _("Own funds (SEK)"), report.own_funds)
    _row(sheet, _("Comments"), report.comment)
    sheet.append([])
    _row(
        sheet, _("Rate"), _("Kind of site"), _("From"), _("To (exclusive)"), _("Quantity"),
        _("Rate (SEK)"), _("Amount (SEK)"), bold=True,
    )  # fmt: skip
    for line in data.paid_lines:
        _row(
            sheet, str(kinds.get(line["kind"], line["kind"])),
            str(sites.get(line["site_kind"], "")), line["start"], line["end"], line["quantity"],
            Decimal(line["rate"]), Decimal(line["amount"]),
        )  # fmt: skip
    _row(sheet, _("Compensation (SEK)"), "", "", "", "", "", data.total, bold=True)
    return _bytes(workbook)


def month_workbook(agreement: Agreement, year: int, month: int) -> bytes:
    """Every partner's month under the agreement in one sheet: status, figures, costs,
    contribution, flag."""
    start, _end = month_bounds(year, month)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{start:%Y-%m}"
    _row(sheet, _("Agreement"), agreement.name, bold=True)
    _row(
        sheet, _("Partner"), _("Status"), _("Version"), _("Available places (average)"),
        _("Place-days"), _("Occupied place-nights"),
        *(_("Person-nights: %(band)s") % {"band": label} for _code, label in _bands()),
        _("Persons moved in"), _("Persons moved out"), _("Compensation (SEK)"),
        _("Costs in total (SEK)"), _("Volunteer hours"), _("Donated goods (SEK)"),
        _("Own funds (SEK)"), _("Compensation above costs"), bold=True,
    )  # fmt: skip
    for row in month_overview(agreement, year, month):
        report = row.current
        if report is not None:
            figures = report_data(report).figures
        else:
            figures = report_figures(row.organisation.pk, year, month, agreement.pk)
        _row(
            sheet,
            row.organisation.name,
            str(report.get_status_display()) if report else _("Not started"),
            report.version if report else "",
            *_figure_values(figures["totals"]),
            row.compensation,
            report.costs_total if report else "",
            report.volunteer_hours if report else "",
            report.donated_goods if report else "",
            report.own_funds if report else "",
            _("yes") if row.flagged else "",
        )
    return _bytes(workbook)


def _bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def payments_csv(agreement: Agreement, year: int, month: int) -> str:
    """The approved reports of the month under the agreement as payments to make: one line
    per partner."""
    start, _end = month_bounds(year, month)
    reports = (
        MonthlyReport.objects.filter(agreement=agreement, month=start, status=ReportStatus.APPROVED)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Partner"), _("Agreement"), _("Month"), _("Version"), _("Amount (SEK)"),
            _("Approved"), _("Reference"),
        ]
    )  # fmt: skip
    for report in reports:
        writer.writerow(
            [
                safe_cell(report.organisation.name),
                safe_cell(agreement.name),
                f"{start:%Y-%m}",
                report.version,
                # A decimal comma: the file is for a Swedish spreadsheet (";" between fields);
                # an approved report always has its total.
                format_amount(report.compensation_total or 0, 2, space=""),
                f"{report.decided_at:%Y-%m-%d}" if report.decided_at else "",
                str(report.public_id),
            ]
        )
    return out.getvalue()
