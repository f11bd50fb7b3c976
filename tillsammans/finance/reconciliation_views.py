"""The month's reconciliation of the state's payments (ADR 31): the coordinator imports what
the state paid, decides each difference and freezes the month; a viewer sees the totals."""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core import access, background
from tillsammans.core.audit import audit_views
from tillsammans.core.decorators import access_required, coordinator_required
from tillsammans.core.exports import download
from tillsammans.core.forms import AmountField, TableFileField
from tillsammans.core.lib.dates import month_bounds
from tillsammans.core.lib.tables import FILE_LINE, rows_about
from tillsammans.core.viewlib import call_service_or_message, form_errors_as_messages
from tillsammans.partnership.models import Agreement

from . import background as payments_job
from . import selectors, services
from .downloads import ledger_persons
from .models import Decision, DifferenceNature, PaymentFile, RateKind
from .payments import COLUMNS
from .reconciliation import forecast, reconcile
from .views import _agreement_query, _month_agreement, _month_or_404

DIFFERENCES_SHOWN = 200


class PaymentFileForm(forms.Form):
    file = TableFileField(
        testid="payment-file",
        label=gettext_lazy("The state's payments for the month (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per amount: month, kind, amount, and the person's case number or "
            "personal identity number where the statement names persons. A file with an "
            "error is not imported at all."
        ),
    )


class DecisionForm(forms.Form):
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=RateKind.choices, widget=forms.HiddenInput)
    # The amounts the coordinator saw: a decision is refused if they changed meanwhile.
    counted = AmountField(min_value=None, widget=forms.HiddenInput)
    paid = AmountField(min_value=None, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why is the month opened again?"), max_length=2000)


def _urls(year: int, month: int, agreement: Agreement) -> dict[str, str]:
    query = _agreement_query(agreement)
    return {
        name: reverse(f"reconciliation_{name}", args=(year, month)) + query
        for name in ("page", "import", "decide", "freeze", "reopen", "export")
    }


@access_required(selectors.sees_reconciliation)
def reconciliation_latest(request: HttpRequest) -> HttpResponse:
    """The menu's way in: last month's payments (the state pays in arrears)."""
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return redirect("reconciliation_page", last.year, last.month)


@access_required(selectors.sees_reconciliation)
def reconciliation_forecast(request: HttpRequest) -> HttpResponse:
    """The last three months as counted and paid beside the next three as expected."""
    today = timezone.localdate()
    first = today.replace(day=1)
    agreement, choices = _month_agreement(request, first.year, first.month)
    rows = forecast(agreement, today)
    return render(
        request,
        "finance/forecast.html",
        {
            "agreement": agreement,
            "choices": choices,
            "query": _agreement_query(agreement),
            "rows": rows,
            "today": today,
            "title": _("The state's payments: forecast"),
        },
    )


@access_required(selectors.sees_reconciliation)
def reconciliation_page(
    request: HttpRequest,
    year: int,
    month: int,
    *,
    import_errors: list[Any] | None = None,
    import_form: PaymentFileForm | None = None,
) -> HttpResponse:
    _month_or_404(year, month)
    agreement, choices = _month_agreement(request, year, month)
    state = reconcile(agreement, year, month)
    first, following = month_bounds(year, month)
    coordinator = access.is_coordinator(request.user)
    context: dict[str, Any] = {
        "agreement": agreement,
        "choices": choices,
        "query": _agreement_query(agreement),
        "first": first,
        "state": state,
        "coordinator": coordinator,
        "natures": [(DifferenceNature(nature).label, n) for nature, n in state.by_nature().items()],
        "title": _("The state's payments %(month)s") % {"month": f"{first:%Y-%m}"},
        "urls": _urls(year, month, agreement),
        "previous": first - dt.timedelta(days=1),
        "following": following if following <= timezone.localdate() else None,
    }
    if coordinator:
        wanted = [d for d in state.differences if d.is_open or request.GET.get("all")]
        shown = wanted[:DIFFERENCES_SHOWN]
        persons = ledger_persons(sorted({d.person_id for d in shown if d.person_id}))
        audit_views(
            actor=request.user, objs=list(persons.values()),
            summary=gettext_noop("the state's payments reconciled"),
        )  # fmt: skip
        context.update(
            rows=[(d, persons.get(d.person_id) if d.person_id else None) for d in shown],
            showing_all=bool(request.GET.get("all")),
            hidden=len(wanted) - len(shown),
            decided=len(state.differences) - state.open_count,
            decisions=Decision.choices,
            form=import_form or PaymentFileForm(),
            import_errors=import_errors,
            file_line=FILE_LINE,
            reopen_form=ReopenForm(),
            required_columns=[names[0] for _f, required, names in COLUMNS if required],
            optional_columns=[names[0] for _f, required, names in COLUMNS if not required],
        )  # fmt: skip
    status = 400 if import_errors or (import_form is not None and import_form.errors) else 200
    return render(request, "finance/reconciliation.html", context, status=status)


@coordinator_required
@require_POST
def reconciliation_import(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    form = PaymentFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return reconciliation_page(request, year, month, import_form=form, import_errors=[])
    upload = form.cleaned_data["file"]
    data, file_name = upload.read(), upload.name or ""
    if rows_about(data) >= settings.ROWS_IN_BACKGROUND_FROM:
        page = _urls(year, month, agreement)["page"]
        job = background.start(
            actor=request.user, kind=payments_job.KIND,
            title=payments_job.TITLE % {"month": f"{year}-{month:02d}", "file": file_name},
            params={"year": year, "month": month, "agreement": str(agreement.public_id),
                    "back": page},
            input_name=file_name, input_data=data,
        )  # fmt: skip
        return redirect("job_detail", job.public_id)
    result = call_service_or_message(
        request, services.payments_import, actor=request.user, agreement=agreement,
        year=year, month=month, file_name=file_name, data=data,
    )  # fmt: skip
    if result is not None and result.errors:
        return reconciliation_page(request, year, month, import_errors=result.errors)
    if result is not None and result.file is not None:
        messages.success(
            request,
            _("%(file)s was imported: %(rows)s rows.")
            % {"file": result.file.file_name, "rows": result.file.rows},
        )
    return redirect(_urls(year, month, agreement)["page"])


@coordinator_required
def reconciliation_remove(
    request: HttpRequest, year: int, month: int, public_id: str
) -> HttpResponse:
    """Asks first (a GET shows what will be removed); the POST removes the file's payments."""
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    first, _following = month_bounds(year, month)
    payment_file = PaymentFile.objects.filter(
        agreement=agreement, month=first, public_id=public_id
    ).first()
    if payment_file is None:
        raise Http404
    back = _urls(year, month, agreement)["page"]
    if request.method != "POST":
        return render(
            request,
            "confirm_page.html",
            {
                "title": _("Remove the payments of %(file)s?") % {"file": payment_file.file_name},
                "explanation": _(
                    "Its %(rows)s rows for %(month)s are removed from the reconciliation. The "
                    "file can be imported again."
                )
                % {"rows": payment_file.rows, "month": f"{first:%Y-%m}"},
                "button": _("Remove the payments"),
                "back_url": back,
            },
        )
    if call_service_or_message(
        request, services.payment_file_remove, actor=request.user, payment_file=payment_file
    ):
        messages.success(request, _("The payments were removed."))
    return redirect(back)


@coordinator_required
@require_POST
def reconciliation_decide(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    form = DecisionForm(request.POST)
    back = _urls(year, month, agreement)["page"]
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(back)
    person = None
    if form.cleaned_data["person"]:
        person = access.get_person_for_user(request.user, form.cleaned_data["person"])
    if call_service_or_message(
        request, services.difference_decide, actor=request.user, agreement=agreement,
        year=year, month=month, person=person, kind=form.cleaned_data["kind"],
        decision=form.cleaned_data["decision"], note=form.cleaned_data["note"],
        seen=(form.cleaned_data["counted"], form.cleaned_data["paid"]),
    ) is not None:  # fmt: skip
        messages.success(request, _("The decision was saved."))
    return redirect(back)


@coordinator_required
@require_POST
def reconciliation_freeze(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    if call_service_or_message(
        request, services.month_freeze, actor=request.user, agreement=agreement,
        year=year, month=month,
    ) is not None:  # fmt: skip
        messages.success(request, _("The month is reconciled and frozen."))
    return redirect(_urls(year, month, agreement)["page"])


@coordinator_required
@require_POST
def reconciliation_reopen(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.month_reopen, actor=request.user, agreement=agreement,
        year=year, month=month, reason=form.cleaned_data["reason"],
    ) is not None:  # fmt: skip
        messages.success(request, _("The month is open again."))
    return redirect(_urls(year, month, agreement)["page"])


@coordinator_required
def reconciliation_export(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _month_or_404(year, month)
    agreement, _choices = _month_agreement(request, year, month)
    args = {"year": year, "month": month, "agreement": str(agreement.public_id)}
    return download(request, "finance.payment_differences", args)
