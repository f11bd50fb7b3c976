"""Hjärterum's pages: only the programme organisation's admins and staff and the city's
coordinators see hosts; everyone else gets the same 404 as a page that does not exist."""

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from tillsammans.core import access
from tillsammans.core.audit import audit_record, audit_view
from tillsammans.core.decorators import access_required
from tillsammans.core.forms import MonthForm
from tillsammans.core.lib import params
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.lib.spreadsheet import safe_cell
from tillsammans.core.models import AuditAction
from tillsammans.core.versions import version_of
from tillsammans.core.viewlib import call_service, call_service_or_message, page_forms
from tillsammans.people.audit import audit_households_shown
from tillsammans.reception.models import Stay

from . import rules, selectors, services
from .forms import (
    AgreementEndForm,
    AgreementForm,
    AgreementUpdateForm,
    AnswerForm,
    FollowUpForm,
    HostEditForm,
    HostForm,
    ProgrammeForm,
    VettingForm,
)
from .models import VETTING_STEPS, Host, Programme, RentBasis

STEP_LABELS = {
    "home_visit": _("Home visit"),
    "identity": _("Host's identity seen"),
    "reference": _("Reference checked"),
}


# A coordinator or a member of a host-home programme's organisation.
hosts_required = access_required(rules.sees_hosts)


def _registering_programmes(user: Any) -> list[Programme]:
    return [p for p in rules.visible_programmes(user) if rules.works_with(user, p)]


def _programme(request: HttpRequest) -> Programme | None:
    programmes = rules.visible_programmes(request.user)
    wanted = params.get_id(request.GET, "programme") or params.get_id(request.POST, "programme")
    if wanted is not None:
        return programmes.filter(pk=wanted).first() or programmes.first()
    return programmes.first()


@hosts_required
def hosting_home(request: HttpRequest) -> HttpResponse:
    hosts = list(
        rules.visible_hosts(request.user)
        .select_related("unit__site", "programme")
        .annotate(beds=Count("unit__beds"))
    )
    guests = {
        stay.unit_id: stay
        for stay in Stay.objects.filter(
            unit_id__in=[host.unit_id for host in hosts], ended_on__isnull=True
        ).select_related("household")
    }
    for host in hosts:
        host.guest_stay = guests.get(host.unit_id)  # type: ignore[attr-defined]  # for the template
    warnings = list(selectors.ending_soon(request.user))
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="hosting.host",
        summary=gettext_noop("host list (hosts: %(hosts)s, warnings: %(warnings)s)"),
        params={"hosts": len(hosts), "warnings": len(warnings)},
    )
    audit_households_shown(
        actor=request.user,
        households={
            *(stay.household_id for stay in guests.values()),
            *(agreement.household_id for agreement in warnings),
        },
        summary=gettext_noop("host list: guests"),
    )
    return render(
        request,
        "hosting/home.html",
        {
            "hosts": hosts,
            "warnings": warnings,
            "can_register": bool(_registering_programmes(request.user)),
            "can_set_up": access.is_coordinator(request.user),
            "warning_days": selectors.WARNING_DAYS,
            "title": _("Host homes"),
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not access.is_coordinator(request.user):
        raise Http404
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, services.programme_create, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("The host-home programme was set up."))
            return redirect("hosting_home")
    return render(
        request, "form_page.html", {"form": form, "title": _("Set up a host-home programme")}
    )


@hosts_required
def host_register(request: HttpRequest) -> HttpResponse:
    programmes = rules.visible_programmes(request.user).filter(
        pk__in=[p.pk for p in _registering_programmes(request.user)]
    )
    if not programmes.exists():
        raise Http404
    form = HostForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        host = call_service(form, services.host_register, actor=request.user, **data)
        if host is not None:
            messages.success(
                request, _("The host was registered. Vet the home before the first guest.")
            )
            return redirect("host_detail", host.public_id)
    return render(request, "hosting/host_form.html", {"form": form, "title": _("Register a host")})


@hosts_required
def host_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    host = rules.get_host_for_user(request.user, public_id)
    if not rules.works_with(request.user, host.programme):
        raise Http404
    initial = {field: getattr(host, field) for field in services.HOST_FIELDS}
    initial["beds"] = host.unit.beds.count()
    initial["version"] = version_of(host)
    form = HostEditForm(
        request.POST or None, initial=initial, programmes=rules.visible_programmes(request.user)
    )
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.host_update, actor=request.user, host=host,
                            **form.cleaned_data)  # fmt: skip
        if done is not None:
            messages.success(request, _("The host's details were saved."))
            return redirect("host_detail", host.public_id)
    audit_view(actor=request.user, obj=host, summary=gettext_noop("host edit form"))
    return render(
        request,
        "hosting/host_form.html",
        {"form": form, "title": _("Change the host's details"), "host": host},
    )


def _detail(request: HttpRequest, host: Host, status: int = 200, **forms: Any) -> HttpResponse:
    audit_view(actor=request.user, obj=host, summary=gettext_noop("host page"))
    steps = [
        {
            "code": step,
            "label": STEP_LABELS[step],
            "on": getattr(host, f"{step}_on"),
            "by": getattr(host, f"{step}_by"),
            "notes": getattr(host, f"{step}_notes"),
            "form": forms.get(f"vet_{step}") or VettingForm(prefix=step),
        }
        for step in VETTING_STEPS
    ]
    agreements = list(host.agreements.select_related("household", "recorded_by"))
    rents = list(host.rents.order_by("-valid_from"))  # the rent in force first
    answers = list(host.answers.select_related("household", "recorded_by"))
    guest_stay = selectors.open_stay_of(host)
    # The guests, and every household the host was asked about or signed for, by reference.
    audit_households_shown(
        actor=request.user,
        households={
            *(agreement.household_id for agreement in agreements),
            *(answer.household_id for answer in answers),
            *([guest_stay.household_id] if guest_stay else []),
        },
        summary=gettext_noop("host page"),
    )
    return render(
        request,
        "hosting/host_detail.html",
        {
            "host": host,
            "steps": steps,
            "guest_stay": guest_stay,
            "agreements": agreements,
            "answers": answers,
            "follow_ups": host.follow_ups.select_related("recorded_by"),
            "earlier_rents": rents[1:],
            "rent_since": rents[0].valid_from if rents else None,
            **page_forms(
                answer_form=forms.get("answer") or AnswerForm(user=request.user, host=host),
                agreement_form=forms.get("agreement") or AgreementForm(host=host),
                follow_up_form=forms.get("follow_up") or FollowUpForm(),
            ),
            "is_bed_rent": host.rent_basis == RentBasis.BED,
            "can_edit": rules.works_with(request.user, host.programme),
            "title": str(host),
        },
        status=status,
    )


@hosts_required
def host_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    host = rules.get_host_for_user(request.user, public_id)
    return _detail(request, host)


@hosts_required
@require_POST
def host_vet(request: HttpRequest, public_id: str, step: str) -> HttpResponse:
    host = rules.get_host_for_user(request.user, public_id)
    if step not in VETTING_STEPS:
        raise Http404
    form = VettingForm(request.POST, prefix=step)
    if form.is_valid():
        done = call_service(
            form,
            services.vetting_record,
            actor=request.user,
            host=host,
            step=step,
            on=form.cleaned_data["on"],
            notes=form.cleaned_data["notes"],
        )
        if done is not None:
            messages.success(request, _("%(step)s was recorded.") % {"step": STEP_LABELS[step]})
            return redirect("host_detail", host.public_id)
    return _detail(request, host, status=400, **{f"vet_{step}": form})


@hosts_required
@require_POST
def host_answer(request: HttpRequest, public_id: str) -> HttpResponse:
    host = rules.get_host_for_user(request.user, public_id)
    form = AnswerForm(request.POST, user=request.user, host=host)
    if form.is_valid():
        done = call_service(form, services.answer_record, actor=request.user, host=host,
                            **form.cleaned_data)  # fmt: skip
        if done is not None:
            messages.success(request, _("The host's answer was recorded."))
            if params.get_choice(request.POST, "next", ("proposals",), "") == "proposals":
                return redirect("host_proposals")
            return redirect("host_detail", host.public_id)
    return _detail(request, host, status=400, answer=form)


@hosts_required
@require_POST
def agreement_sign(request: HttpRequest, public_id: str) -> HttpResponse:
    host = rules.get_host_for_user(request.user, public_id)
    form = AgreementForm(request.POST, host=host)
    if form.is_valid():
        done = call_service(form, services.agreement_sign, actor=request.user, host=host,
                            **form.cleaned_data)  # fmt: skip
        if done is not None:
            messages.success(
                request,
                _("The signed agreement was recorded. The household can now be placed here."),
            )
            return redirect("host_detail", host.public_id)
    return _detail(request, host, status=400, agreement=form)


@hosts_required
@require_POST
def follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    host = rules.get_host_for_user(request.user, public_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        done = call_service(form, services.follow_up_record, actor=request.user, host=host,
                            **form.cleaned_data)  # fmt: skip
        if done is not None:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("host_detail", host.public_id)
    return _detail(request, host, status=400, follow_up=form)


@hosts_required
def agreement_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    agreement = rules.get_agreement_for_user(request.user, public_id)
    form = AgreementUpdateForm(
        request.POST or None,
        initial={"ends_on": agreement.ends_on, "next_place": agreement.next_place},
    )
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.agreement_update, actor=request.user,
                            agreement=agreement, **form.cleaned_data)  # fmt: skip
        if done is not None:
            messages.success(request, _("The agreement was updated."))
            return redirect("agreement_detail", agreement.public_id)
    audit_view(actor=request.user, obj=agreement, summary=gettext_noop("hosting agreement"))
    audit_households_shown(
        actor=request.user,
        households=[agreement.household_id],
        summary=gettext_noop("hosting agreement"),
    )
    return render(
        request,
        "hosting/agreement_detail.html",
        {
            "agreement": agreement,
            "host": agreement.host,
            "form": form,
            "end_form": AgreementEndForm(),
            "title": _("Hosting agreement"),
        },
    )


@hosts_required
@require_POST
def agreement_end(request: HttpRequest, public_id: str) -> HttpResponse:
    agreement = rules.get_agreement_for_user(request.user, public_id)
    form = AgreementEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the reason the hosting ends."))
        return redirect("agreement_detail", agreement.public_id)
    done = call_service_or_message(
        request, services.agreement_end, actor=request.user, agreement=agreement,
        **form.cleaned_data,
    )  # fmt: skip
    if done is not None:
        messages.success(request, _("The hosting was ended."))
    return redirect("agreement_detail", agreement.public_id)


@hosts_required
def host_proposals(request: HttpRequest) -> HttpResponse:
    """The requests to the user's hosts that wait for an answer."""
    requests = selectors.open_requests(request.user)
    audit_households_shown(
        actor=request.user,
        households={answer.household_id for answer in requests},
        summary=gettext_noop("requests to hosts"),
    )
    return render(
        request,
        "hosting/proposals.html",
        {"requests": requests, "title": _("Requests to hosts")},
    )


def _month(request: HttpRequest) -> tuple[int, int] | None:
    """The month asked for (this month if none), or None after saying what is wrong."""
    form = MonthForm(request.GET if request.method == "GET" else request.POST)
    first = form.chosen()
    if first is None:
        messages.error(request, form.problem())
        return None
    return first.year, first.month


@hosts_required
def rent_month(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    month = _month(request)
    if month is None:
        today = timezone.localdate()
        month = (today.year, today.month)
    year, number = month
    paid, lines = (
        (None, []) if programme is None else selectors.month_statement(programme, year, number)
    )
    if programme is not None:
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            obj=programme,
            summary=gettext_noop("rent %(month)s (hosts: %(hosts)s)"),
            params={"month": f"{year:04d}-{number:02d}", "hosts": len(lines)},
        )
    start, end = selectors.month_bounds(year, number)
    return render(
        request,
        "hosting/rent.html",
        {
            "programme": programme,
            "programmes": rules.visible_programmes(request.user),
            "paid": paid,
            "lines": lines,
            "total": sum(line.amount for line in lines),
            "month_value": f"{year:04d}-{number:02d}",
            "first_day": start,
            "month_over": end <= timezone.localdate(),
            "can_pay": programme is not None
            and paid is None
            and rules.pays_rent(request.user, programme)
            and end <= timezone.localdate(),
            "title": _("Rent to hosts"),
        },
    )


def _rows(lines: list[Any]) -> list[list[object]]:
    rows: list[list[object]] = [
        [_("Host"), _("Host home"), _("District"), _("First night"), _("Last night"),
         _("Nights"), _("Rent"), _("Monthly rent (SEK)"), _("Amount (SEK)")]
    ]  # fmt: skip
    for line in lines:
        host = line.host
        rows.append(
            [
                host.name,
                str(host),
                host.district,
                line.period_start.isoformat(),
                line.period_end.isoformat(),
                line.nights,
                str(RentBasis(line.rent_basis).label),
                line.monthly_rent,
                line.amount,
            ]
        )
    return [[safe_cell(value) for value in row] for row in rows]


@hosts_required
def rent_export(request: HttpRequest) -> HttpResponse:
    """The month's payments for the finance system, as CSV or XLSX."""
    programme = _programme(request)
    month = _month(request)
    kind = params.get_choice(request.GET, "format", ("csv", "xlsx"), "csv")
    if programme is None or month is None:
        return redirect("rent_month")
    year, number = month
    paid, lines = selectors.month_statement(programme, year, number)
    rows = _rows(lines)
    name = f"hyra-{programme.name}-{year:04d}-{number:02d}.{kind}"
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = f"{year:04d}-{number:02d}"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = content_disposition(name)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=programme,
        summary=gettext_noop("rent %(month)s as %(kind)s (hosts: %(hosts)s, paid)")
        if paid
        else gettext_noop("rent %(month)s as %(kind)s (hosts: %(hosts)s, not yet paid)"),
        params={"month": f"{year:04d}-{number:02d}", "kind": kind, "hosts": len(lines)},
    )
    return response


@hosts_required
@require_POST
def rent_pay(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    month = _month(request)
    if programme is None or month is None:
        return redirect("rent_month")
    year, number = month
    done = call_service_or_message(
        request, services.rent_month_mark_paid, actor=request.user, programme=programme,
        year=year, month=number,
    )  # fmt: skip
    if done is not None:
        messages.success(request, _("The month is marked as paid; its amounts are now fixed."))
    return redirect(
        f"{reverse('rent_month')}?month={year:04d}-{number:02d}&programme={programme.pk}"
    )
