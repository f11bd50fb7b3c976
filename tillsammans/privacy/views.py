"""A person's rights, for the coordinator: the register extract and requests for correction."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core import access, background
from tillsammans.core.audit import audit_record, audit_view
from tillsammans.core.decorators import coordinator_required, dpo_required
from tillsammans.core.lib.dates import add_months, parse_month
from tillsammans.core.models import AuditAction, AuditEvent
from tillsammans.core.viewlib import call_service_or_message, form_errors_as_messages, page_forms
from tillsammans.people.audit import audit_households_shown

from . import review, services
from .background import KIND, REVIEW
from .forms import CorrectionForm, CorrectionHandleForm, ExtractForm, SignOffForm
from .models import CorrectionRequest, CorrectionStatus, LogReview


@coordinator_required
def person_rights(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access.get_person_for_user(request.user, public_id)
    corrections = list(person.corrections.select_related("recorded_by", "handled_by"))
    audit_view(actor=request.user, obj=person, summary=gettext_noop("the person's rights page"))
    # One open request at a time gets the form (the oldest): a page has one form of a kind.
    handling = next(
        (c.pk for c in reversed(corrections) if c.status == CorrectionStatus.OPEN), None
    )
    return render(
        request,
        "privacy/person_rights.html",
        {
            "person": person,
            "corrections": corrections,
            "handling": handling,
            **page_forms(
                extract_form=ExtractForm(),
                correction_form=CorrectionForm(),
                handle_form=CorrectionHandleForm() if handling else None,
            ),
            "title": _("Register extract and corrections"),
        },
    )


@coordinator_required
@require_POST
def extract_start(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access.get_person_for_user(request.user, public_id)
    form = ExtractForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("person_rights", person.public_id)
    job = background.start(
        actor=request.user,
        kind=KIND,
        # Named by the household, never by the person: a job's title is kept unencrypted.
        title=_("Register extract in %(language)s, of a person in %(household)s")
        % {
            "language": translation.get_language_info(form.cleaned_data["language"])[
                "name_translated"
            ].lower(),
            "household": person.household.reference,
        },
        params={
            "person": str(person.public_id),
            "language": form.cleaned_data["language"],
            "asked_on": form.cleaned_data["asked_on"].isoformat(),
        },
    )
    return redirect("job_detail", job.public_id)


@coordinator_required
@require_POST
def correction_add(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access.get_person_for_user(request.user, public_id)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.correction_add, actor=request.user, person=person,
        **form.cleaned_data,
    ):  # fmt: skip
        messages.success(request, _("The request is recorded."))
    return redirect("person_rights", person.public_id)


@coordinator_required
@require_POST
def correction_handle(request: HttpRequest, public_id: str) -> HttpResponse:
    correction = access.get_by_public_id(
        CorrectionRequest.objects.select_related("person"), public_id
    )
    person = access.get_person_for_user(request.user, correction.person.public_id)
    form = CorrectionHandleForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.correction_handle, actor=request.user, correction=correction,
        **form.cleaned_data,
    ):  # fmt: skip
        messages.success(request, _("The request is handled."))
    return redirect("person_rights", person.public_id)


# No partnership of the product's kind is older: a month before it has nothing to review.
EARLIEST = dt.date(2000, 1, 1)


def _review_month(request: HttpRequest) -> dt.date:
    """The month asked for (?month=YYYY-MM), by default the last whole month."""
    asked = parse_month(request.GET.get("month", "") or request.POST.get("month", ""))
    this_month = timezone.localdate().replace(day=1)
    if asked is None or asked > this_month or asked < EARLIEST:
        return add_months(this_month, -1)
    return asked


def _read_as(event: AuditEvent, household: Any) -> str | None:
    """What a read of the sample was about, by its household's reference: the household, or
    a person in it (never by the person's name)."""
    if household is None:
        return None
    if event.object_type == "people.person":
        return _("person in %(household)s") % {"household": household.reference}
    return str(household.reference)


@dpo_required
def log_review(request: HttpRequest) -> HttpResponse:
    """The data protection officer's review of a month's reads: what the rules flag, the
    month's sample, and the sign-off."""
    month = _review_month(request)
    computed = review.kept(month)
    found, findings = computed if computed is not None else (None, None)
    named = review.households_named(found.sample) if found is not None else {}
    # The sample's household references are shown: a read of those households, audited.
    audit_households_shown(
        actor=request.user, households=[h.pk for h in named.values()],
        summary=gettext_noop("review of the audit log"),
    )  # fmt: skip
    audit_record(
        actor=request.user, action=AuditAction.VIEW, object_type="privacy.logreview",
        object_id=month.strftime("%Y-%m"), summary=gettext_noop("review of the audit log"),
    )  # fmt: skip
    signed = LogReview.objects.filter(month=month).select_related("reviewed_by").first()
    return render(
        request,
        "privacy/log_review.html",
        {
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1)
            if add_months(month, 1) <= timezone.localdate().replace(day=1)
            else None,
            "review": found,
            "findings": findings,
            "final": findings is not None and review.final(findings),
            "sample": [
                (event, _read_as(event, named.get(event.object_id)))
                for event in AuditEvent.name_mentions(found.sample if found is not None else [])
            ],
            "disclosures": review.disclosures(month),
            "signed": signed,
            "form": None
            if signed or found is None
            else SignOffForm(initial={"month": month.strftime("%Y-%m")}),
            "history": LogReview.objects.select_related("reviewed_by")[:24],
            "title": _("Review of the audit log"),
        },
    )


@dpo_required
@require_POST
def log_review_compute(request: HttpRequest) -> HttpResponse:
    """Compute the month's review in the worker; the officer follows it on the job's page."""
    month = _review_month(request)
    job = background.start(
        actor=request.user, kind=REVIEW,
        title=_("Review of the audit log %(month)s") % {"month": f"{month:%Y-%m}"},
        params={"month": month.isoformat()},
    )  # fmt: skip
    return redirect("job_detail", job.public_id)


@dpo_required
@require_POST
def log_review_sign(request: HttpRequest) -> HttpResponse:
    form = SignOffForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(reverse("log_review") + f"?month={request.POST.get('month', '')}")
    month = form.cleaned_data["month"]
    if call_service_or_message(
        request, services.log_review_sign, actor=request.user, month=month,
        notes=form.cleaned_data["notes"],
    ):  # fmt: skip
        messages.success(request, _("The month's review is signed and kept."))
    return redirect(reverse("log_review") + f"?month={month:%Y-%m}")
