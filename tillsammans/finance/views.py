import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_record, audit_view, audit_views
from tillsammans.core.decorators import access_required, coordinator_required, member_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.exports import download
from tillsammans.core.forms import MonthForm
from tillsammans.core.lib import params
from tillsammans.core.lib.dates import add_days, month_bounds
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.models import AuditAction
from tillsammans.core.versions import version_of
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages
from tillsammans.housing.models import SiteKind
from tillsammans.partnership.models import Agreement

from . import exports, selectors, services
from .downloads import ledger_persons
from .downloads import month_or_404 as _month_or_404
from .forms import CommentForm, RateForm, ReportForm, ReviewForm, StartForm
from .ledger import state_ledger
from .models import CompensationRate, CostType, MonthlyReport, RateKind, ReportStatus, Scheme


def _last_month() -> dt.date:
    return timezone.localdate().replace(day=1) - dt.timedelta(days=1)


# -- home and the month over all partners --------------------------------------------------


@access_required(selectors.sees_reports)
def finance_home(request: HttpRequest) -> HttpResponse:
    """The coordinator's month overview; for a partner's members, its own reports."""
    if access.is_coordinator(request.user):
        last = _last_month()
        return redirect("finance_month", last.year, last.month)
    membership = access.membership_of(request.user)
    if membership is None:
        raise Http404
    reports = (
        selectors.visible_reports(request.user)
        .select_related("agreement")
        .order_by("-month", "agreement__name", "-version")
    )
    writer = selectors.writes_reports_for(request.user)
    return render(
        request,
        "finance/home.html",
        {
            "reports": reports,
            "several_agreements": len({report.agreement_id for report in reports}) > 1,
            "organisation": membership.organisation,
            "form": StartForm(agreements=access.visible_agreements(request.user))
            if writer is not None
            else None,
            "sees_rates": selectors.sees_rates(request.user),
            "title": _("Monthly reports"),
        },
    )


def _month_agreement(request: HttpRequest, year: int, month: int) -> tuple[Agreement, list[Any]]:
    """The agreement of the month asked for (``?agreement=``), and those to choose among;
    a 404 when the user's municipality has none."""
    first, following = month_bounds(year, month)
    agreement, choices = selectors.month_agreement(
        request.user, first, following, request.GET.get("agreement")
    )
    if agreement is None:
        raise Http404
    return agreement, choices


def _agreement_query(agreement: Agreement) -> str:
    return "?" + urlencode({"agreement": str(agreement.public_id)})


@coordinator_required
def finance_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    first, following = month_bounds(year, month)
    agreement, choices = selectors.month_agreement(
        request.user, first, following, request.GET.get("agreement")
    )
    if agreement is None:
        return render(request, "finance/no_agreement.html", {"title": _("Monthly reports")})
    if request.GET.get("month"):
        form = MonthForm(request.GET)
        chosen = form.chosen()
        if chosen is None:
            messages.error(request, form.problem())
        else:
            url = reverse("finance_month", args=(chosen.year, chosen.month))
            return redirect(url + _agreement_query(agreement))
    context = _month_context(agreement, year, month)
    context["choices"] = choices
    return render(request, "finance/month.html", context)


def _month_context(agreement: Agreement, year: int, month: int) -> dict[str, Any]:
    first, following = month_bounds(year, month)
    counted: selectors.Counted = {}  # one pass over the data serves every partner
    rows = selectors.month_overview(agreement, year, month, counted)
    # The state's: person by person, each until their legal path ends the reception.
    state = state_ledger(agreement, year, month, per_person=False).as_compensation()
    previous = add_days(first, -1)
    return {
        "agreement": agreement,
        "query": _agreement_query(agreement),
        "first": first,
        "rows": rows,
        "state": state,
        "state_lines": _labelled(selectors.compensation_snapshot(state)[0]),
        "partners_total": sum((row.compensation for row in rows), 0),
        "costs_total": sum((row.costs for row in rows if row.costs is not None), 0),
        "previous": previous,
        "following": following,
        "title": _("Monthly reports %(month)s") % {"month": f"{first:%Y-%m}"},
    }


@coordinator_required
def month_pdf(request: HttpRequest, year: int, month: int) -> HttpResponse:
    def pdf(agreement: Agreement) -> bytes:
        from weasyprint import HTML  # loaded on use: it takes a moment to import

        html = render_to_string("finance/month_pdf.html", _month_context(agreement, year, month))
        return HTML(string=html).write_pdf(pdf_tags=True)

    return _month_download(
        request=request, year=year, month=month, body=pdf, stem="manadsrapporter", ext="pdf",
        content_type="application/pdf", summary=gettext_noop("PDF of the month's reports"),
    )  # fmt: skip


def _month_download(
    *, request: HttpRequest, year: int, month: int, body: Callable[[Agreement], bytes | str],
    stem: str, ext: str, content_type: str, summary: str,
) -> HttpResponse:  # fmt: skip
    """One agreement's month as a file (``?agreement=``, as the month page), audited."""
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="finance.month",
        object_id=f"{agreement.public_id}/{year:04d}-{month:02d}",
        summary=summary,
    )
    name = f"{stem}-{slugify(agreement.name)[:40]}-{year:04d}-{month:02d}.{ext}"
    return _download(body(agreement), content_type, name)


# -- the state's ledger (issue 14) ------------------------------------------------------------

LEDGER_PAGE = 100  # persons a page


@coordinator_required
def state_ledger_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The month's state ledger person by person, each line with the nights it counts and
    why it stops; the persons on the page are audited as read."""
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    ledger = state_ledger(agreement, year, month)
    by_person = ledger.by_person()
    page = Paginator(sorted(by_person), LEDGER_PAGE).get_page(params.get_page(request.GET))
    persons = ledger_persons(list(page))
    rows = [(persons[pk], by_person[pk], sum(line.amount for line in by_person[pk])) for pk in page]
    audit_views(
        actor=request.user, objs=[person for person, _l, _t in rows],
        summary=gettext_noop("the state's ledger"),
    )  # fmt: skip
    summed = ledger.as_compensation()
    first, _following = month_bounds(year, month)
    return render(
        request,
        "finance/state_ledger.html",
        {
            "agreement": agreement,
            "query": _agreement_query(agreement),
            "first": first,
            "ledger": ledger,
            "summed": summed,
            "summed_lines": _labelled(selectors.compensation_snapshot(summed)[0]),
            "page": page,
            "rows": rows,
            "persons_count": len(by_person),
            "title": _("The state's ledger %(month)s") % {"month": f"{first:%Y-%m}"},
        },
    )


@coordinator_required
def state_ledger_export(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    args = {"year": year, "month": month, "agreement": str(agreement.public_id)}
    return download(request, "finance.state_ledger", args)


# -- rates ---------------------------------------------------------------------------------


@access_required(selectors.sees_rates)
def rate_list(request: HttpRequest) -> HttpResponse:
    coordinator = access.is_coordinator(request.user)
    rates = list(selectors.visible_rates(request.user))
    locked = selectors.locked_rate_ids(rates) if coordinator else set()
    for rate in rates:
        rate.locked = rate.pk in locked  # type: ignore[attr-defined]  # for the template only
    # One section per agreement, the latest first: each agreement has its own rates, and the
    # coordinator's also its distribution figures, recorded before any rate or not.
    shown = {rate.agreement for rate in rates}
    if coordinator:
        shown |= set(access.visible_agreements(request.user).filter(figures__isnull=False))
    agreements = sorted(shown, key=lambda a: (a.starts_on, a.pk), reverse=True)
    figures = selectors.figures_with_places_added(agreements) if coordinator else {}
    return render(
        request,
        "finance/rates.html",
        {
            "sections": [
                (
                    agreement,
                    [r for r in rates if r.agreement == agreement and r.scheme == Scheme.STATE],
                    [r for r in rates if r.agreement == agreement and r.scheme == Scheme.PARTNER],
                    _figures_shown(agreement, rates, figures),
                )
                for agreement in agreements
            ],
            "can_edit": coordinator,
            "title": _("Compensation rates"),
        },
    )


def _figures_shown(
    agreement: Agreement, rates: list[CompensationRate], figures: dict[int, list[Any]]
) -> list[Any] | None:
    """An agreement's distribution figures, or None where the state pays no amount per place
    in the figure (the minors' agreement): the page then leaves the section out."""
    pays = any(r.agreement_id == agreement.pk and r.kind == RateKind.FIGURE_PLACE for r in rates)
    found = figures.get(agreement.pk, [])
    return found if pays or found else None


def _rate_kwargs(form: RateForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "agreement": data["agreement"],
        "scheme": data["scheme"],
        "kind": data["kind"],
        "amount": data["amount"],
        "valid_from": data["valid_from"],
        "organisation": data["organisation"],
        "site_kind": data["site_kind"] or "",
    }


@coordinator_required
def rate_create(request: HttpRequest) -> HttpResponse:
    form = RateForm(request.POST or None, agreements=access.visible_agreements(request.user))
    if request.method == "POST" and form.is_valid():
        rate = call_service(form, services.rate_create, actor=request.user, **_rate_kwargs(form))
        if rate is not None:
            messages.success(request, _("The rate was added."))
            return redirect("rate_list")
    return render(request, "form_page.html", {"form": form, "title": _("Add a rate")})


def _get_rate(request: HttpRequest, pk: int) -> CompensationRate:
    try:
        return selectors.visible_rates(request.user).get(pk=pk)
    except CompensationRate.DoesNotExist as exc:
        raise Http404 from exc


@coordinator_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = _get_rate(request, pk)
    initial = {
        "agreement": rate.agreement_id,
        "scheme": rate.scheme,
        "kind": rate.kind,
        "amount": rate.amount,
        "valid_from": rate.valid_from,
        "organisation": rate.organisation.slug if rate.organisation else None,
        "site_kind": rate.site_kind,
    }
    form = RateForm(
        request.POST or None, initial=initial, agreements=access.visible_agreements(request.user)
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form, services.rate_update, actor=request.user, rate=rate, **_rate_kwargs(form)
        ):
            messages.success(request, _("The rate was saved."))
            return redirect("rate_list")
    if request.method == "GET" and selectors.rate_is_locked(rate):
        messages.warning(
            request,
            _(
                "An approved report was paid at this rate (or, for a state rate, a month it "
                "held in is approved), so it cannot be changed. Add a new rate from the date "
                "the change applies."
            ),
        )
    return render(request, "form_page.html", {"form": form, "title": _("Change the rate")})


@coordinator_required
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a GET shows what will be deleted); the POST deletes."""
    rate = _get_rate(request, pk)
    if request.method != "POST":
        return render(
            request,
            "confirm_page.html",
            {
                "title": _("Delete this rate?"),
                "explanation": (
                    _(
                        "%(kind)s, %(amount)s SEK from %(from)s (%(partner)s, %(site_kind)s), in "
                        "%(agreement)s. Months not yet approved will be computed without it."
                    )
                    if rate.scheme == Scheme.PARTNER
                    else _(
                        "The state's rate %(kind)s, %(amount)s SEK from %(from)s "
                        "(%(site_kind)s), in %(agreement)s. The state's compensation of the "
                        "months it held in will be computed without it."
                    )
                )
                % {
                    "kind": rate.get_kind_display(),
                    "amount": number_format(rate.amount, 2, force_grouping=True),
                    "from": f"{rate.valid_from:%Y-%m-%d}",
                    "partner": rate.organisation.name if rate.organisation else _("Every partner"),
                    "site_kind": rate.get_site_kind_display() or _("Every kind of site"),
                    "agreement": rate.agreement.name,
                },
                "button": _("Delete the rate"),
                "back_url": reverse("rate_list"),
            },
        )
    try:
        services.rate_delete(actor=request.user, rate=rate)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The rate was deleted."))
    return redirect("rate_list")


# -- a report ------------------------------------------------------------------------------


@member_required
@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    if selectors.writes_reports_for(request.user) is None:
        raise Http404
    form = StartForm(request.POST, agreements=access.visible_agreements(request.user))
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("finance_home")
    month = form.cleaned_data["month"]
    report = call_service_or_message(
        request,
        services.report_start,
        actor=request.user,
        year=month.year,
        month=month.month,
        agreement=form.cleaned_data.get("agreement"),
    )
    if report is None:
        return redirect("finance_home")
    return redirect("report_edit", report.public_id)


def _labelled(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = dict(RateKind.choices)
    sites = dict(SiteKind.choices)
    labelled = []
    for line in lines:
        shown = {
            **line,
            "kind_label": kinds.get(line["kind"], line["kind"]),
            "site_label": sites.get(line["site_kind"], ""),
        }
        if not line.get("uncovered"):
            shown["rate"] = Decimal(line["rate"])
            shown["amount"] = Decimal(line["amount"])
            shown["start"] = dt.date.fromisoformat(line["start"])
            # The stored end is exclusive; people read a period by its last day.
            shown["last"] = dt.date.fromisoformat(line["end"]) - dt.timedelta(days=1)
        labelled.append(shown)
    return labelled


def _category_labels() -> dict[str, str]:
    addedvalues = selectors._other_app("tillsammans.addedvalues.models")
    return dict(addedvalues.ServiceCategory.choices) if addedvalues is not None else {}


def _report_context(request: HttpRequest, report: MonthlyReport) -> dict[str, Any]:
    data = selectors.report_data(report)
    figures = data.figures
    site_kinds = dict(SiteKind.choices)
    for row in figures["sites"]:
        row["kind_label"] = site_kinds.get(row["kind"], row["kind"])
    services_figures = figures.get("services")
    delivered: list[tuple[str, int]] = []
    if services_figures:
        labels = _category_labels()
        delivered = [
            (labels.get(code, code), count) for code, count in services_figures["delivered"].items()
        ]
    is_coordinator = access.is_coordinator(request.user)
    writer = selectors.can_write(request.user, report)
    correction = MonthlyReport.objects.filter(previous=report).first()
    compensation = data.total
    return {
        "report": report,
        "figures": figures,
        "services_figures": services_figures,
        "delivered": delivered,
        "lines": _labelled(data.paid_lines),
        "uncovered": _labelled(data.uncovered),
        "compensation": compensation,
        "flagged": compensation > report.costs_total,
        "costs": [(label, getattr(report, f"cost_{code}")) for code, label in CostType.choices],
        "events": report.events.select_related("actor"),
        "diff": selectors.diff_rows(report, data),
        "correction": correction,
        "versions": selectors.visible_reports(request.user)
        .filter(agreement=report.agreement, organisation=report.organisation, month=report.month)
        .order_by("version"),
        "can_edit": writer and report.is_editable,
        "can_submit": writer and report.is_editable,
        "can_correct": writer and report.status == ReportStatus.APPROVED and correction is None,
        "can_review": is_coordinator and report.status == ReportStatus.SUBMITTED,
        "can_comment": is_coordinator or writer,
        "comment_form": CommentForm(),
        "title": _("Monthly report %(month)s: %(partner)s")
        % {"month": f"{report.month:%Y-%m}", "partner": report.organisation.name},
    }


@member_required
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    audit_view(
        actor=request.user,
        obj=report,
        summary=gettext_noop("monthly report %(report)s"),
        params={"report": report},
    )
    return render(request, "finance/report_detail.html", _report_context(request, report))


@member_required
def report_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    if not selectors.can_write(request.user, report):
        raise Http404
    if not report.is_editable:
        messages.error(
            request,
            _("This report is approved and locked.")
            if report.status == ReportStatus.APPROVED
            else _("This report has been submitted and cannot be changed while it is reviewed."),
        )
        return redirect("report_detail", report.public_id)
    initial = {f"cost_{code}": getattr(report, f"cost_{code}") for code in CostType.values}
    initial.update(
        version=version_of(report),
        volunteer_hours=report.volunteer_hours,
        donated_goods=report.donated_goods,
        own_funds=report.own_funds,
        comment=report.comment,
    )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.report_update,
            actor=request.user,
            report=report,
            **form.service_kwargs(),
        )
        if saved is not None:
            messages.success(request, _("The report was saved."))
            return redirect("report_detail", report.public_id)
    return render(
        request,
        "finance/report_edit.html",
        {
            "form": form,
            "report": report,
            "title": _("Costs and own contribution %(month)s") % {"month": f"{report.month:%Y-%m}"},
        },
    )


@member_required
@require_POST
def report_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    if call_service_or_message(request, services.report_submit, actor=request.user, report=report):
        messages.success(request, _("The report was submitted to the coordinator."))
    return redirect("report_detail", report.public_id)


@member_required
@require_POST
def report_review(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    if not access.is_coordinator(request.user):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("report_detail", report.public_id)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["action"] == ReviewForm.APPROVE:
        if call_service_or_message(
            request, services.report_approve, actor=request.user, report=report, comment=comment
        ):
            messages.success(request, _("The report was approved and is now locked."))
    elif call_service_or_message(
        request, services.report_return, actor=request.user, report=report, comment=comment
    ):
        messages.success(request, _("The report was sent back to the partner."))
    return redirect("report_detail", report.public_id)


@member_required
@require_POST
def report_comment(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request,
        services.report_comment,
        actor=request.user,
        report=report,
        comment=form.cleaned_data["comment"],
    ):
        messages.success(request, _("The comment was added."))
    return redirect("report_detail", report.public_id)


@member_required
@require_POST
def report_correct(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    correction = call_service_or_message(
        request, services.report_correct, actor=request.user, report=report
    )
    if correction is None:
        return redirect("report_detail", report.public_id)
    messages.success(
        request,
        _("A correction was started as version %(version)s.") % {"version": correction.version},
    )
    return redirect("report_edit", correction.public_id)


# -- exports -------------------------------------------------------------------------------


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    return response


@member_required
def report_export(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, public_id)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report,
        summary=gettext_noop("XLSX of monthly report %(report)s"),
        params={"report": report},
    )
    name = f"rapport-{report.organisation.slug}-{report.month:%Y-%m}-v{report.version}.xlsx"
    return _download(exports.report_workbook(report), exports.XLSX, name)


@coordinator_required
def month_export(request: HttpRequest, year: int, month: int) -> HttpResponse:
    return _month_download(
        request=request, year=year, month=month, stem="manadsrapporter", ext="xlsx",
        body=lambda agreement: exports.month_workbook(agreement, year, month),
        content_type=exports.XLSX, summary=gettext_noop("XLSX of the month's reports"),
    )  # fmt: skip


@coordinator_required
def payments_export(request: HttpRequest, year: int, month: int) -> HttpResponse:
    # A byte-order mark, so that a spreadsheet opens the file as UTF-8 (å, ä, ö).
    return _month_download(
        request=request, year=year, month=month, stem="utbetalningar", ext="csv",
        body=lambda agreement: "\ufeff" + exports.payments_csv(agreement, year, month),
        content_type="text/csv; charset=utf-8",
        summary=gettext_noop("CSV of the month's payments"),
    )  # fmt: skip


@member_required
def report_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    from weasyprint import HTML  # loaded on use: it takes a moment to import

    report = selectors.get_report_for_user(request.user, public_id)
    html = render_to_string("finance/report_pdf.html", _report_context(request, report))
    pdf = HTML(string=html).write_pdf(pdf_tags=True)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report,
        summary=gettext_noop("PDF of monthly report %(report)s"),
        params={"report": report},
    )
    name = f"rapport-{report.organisation.slug}-{report.month:%Y-%m}-v{report.version}.pdf"
    return _download(pdf, "application/pdf", name)
