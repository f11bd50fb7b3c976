"""Writes of the finance app: rates, and a monthly report from draft to approval.

An approved report is locked: every write here takes the report's row lock
(``select_for_update``) and then reads its status, so of two coordinators deciding at once
one decides and the other is told it was already decided, and a partner's late save never
lands on an approved report. A rate that an approved report was paid at is locked the same
way: a change of rate is a new rate from a date.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction
from tillsammans.partnership.models import Agreement, Organisation

from . import selectors
from .error_codes import FinanceErrorCode as Code
from .models import (
    OPEN,
    CompensationRate,
    CostType,
    MonthlyReport,
    RateKind,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    Scheme,
)

# An amount above this is a typing error, not a month of a partnership.
MAX_AMOUNT = Decimal("1000000000")
MAX_HOURS = Decimal("100000")
FIRST_MONTH = dt.date(2000, 1, 1)


def _require_coordinator(actor: Any, message: str) -> None:
    if not access.is_coordinator(actor):
        raise PermissionDenied(message)


def _amount(value: Any, *, limit: Decimal = MAX_AMOUNT) -> Decimal:
    try:
        amount = Decimal(value)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ServiceError(Code.BAD_AMOUNT, _("Enter an amount such as 1250.50.")) from exc
    if not amount.is_finite() or not Decimal(0) <= amount <= limit:
        raise ServiceError(
            Code.BAD_AMOUNT,
            _("Amounts are from 0 to %(max)s.") % {"max": f"{limit:,.0f}".replace(",", " ")},
        )
    return amount


# -- rates -----------------------------------------------------------------------------------


def _check_rate(
    actor: Any, agreement: Agreement, scheme: str, kind: str, organisation: Organisation | None
) -> None:
    if not access.can_manage_agreement(actor, agreement):
        raise PermissionDenied(_("Only the agreement's coordinator can set its rates."))
    if scheme not in Scheme.values or kind not in RateKind.values:
        raise ServiceError(Code.BAD_RATE, _("Choose a scheme and a kind of rate."))
    if scheme == Scheme.STATE and organisation is not None:
        raise ServiceError(
            Code.BAD_RATE,
            _("The state pays the city for the whole reception: leave the partner empty."),
        )
    if organisation is not None and organisation.is_municipality:
        raise ServiceError(
            Code.BAD_RATE, _("The city's own sites are not compensated: choose a partner.")
        )
    if organisation is not None and not agreement.party_set.filter(organisation=organisation):
        raise ServiceError(
            Code.BAD_RATE,
            _("%(partner)s is not a party to %(agreement)s: choose one of its partners.")
            % {"partner": organisation.name, "agreement": agreement.name},
        )


def _duplicate() -> ServiceError:
    return ServiceError(
        Code.RATE_DUPLICATE,
        _(
            "There is already a rate of this kind for this partner and kind of site from that "
            "date. Change that rate, or choose another date."
        ),
    )


# A rate's values for its audit events; "–" is "every" (no one partner, no one kind of site),
# as an empty field is in the form.
def _rate_params(rate: CompensationRate, prefix: str = "") -> dict[str, object]:
    return {
        f"{prefix}scheme": rate.scheme,
        f"{prefix}kind": rate.kind,
        f"{prefix}amount": rate.amount,
        f"{prefix}from": rate.valid_from.isoformat(),
        f"{prefix}partner": rate.organisation.short_name if rate.organisation else "–",
        f"{prefix}site_kind": rate.site_kind or "–",
    }


def rate_create(
    *,
    actor: Any,
    agreement: Agreement,
    scheme: str,
    kind: str,
    amount: Decimal,
    valid_from: dt.date,
    organisation: Organisation | None = None,
    site_kind: str = "",
) -> CompensationRate:
    _require_coordinator(actor, _("Only a coordinator can add a compensation rate."))
    _check_rate(actor, agreement, scheme, kind, organisation)
    amount = _amount(amount)
    try:
        with transaction.atomic():
            rate = CompensationRate.objects.create(
                agreement=agreement,
                scheme=scheme,
                kind=kind,
                amount=amount,
                valid_from=valid_from,
                organisation=organisation,
                site_kind=site_kind,
                created_by=actor,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=rate,
                summary=gettext_noop(
                    "rate %(scheme)s %(kind)s %(amount)s SEK from %(from)s "
                    "(partner: %(partner)s, kind of site: %(site_kind)s)"
                ),
                params=_rate_params(rate),
            )
    except IntegrityError as exc:
        raise _duplicate() from exc
    return rate


def _locked_rate(rate: CompensationRate) -> CompensationRate:
    locked = CompensationRate.objects.select_for_update().get(pk=rate.pk)
    if selectors.rate_is_locked(locked):
        raise ServiceError(
            Code.RATE_LOCKED,
            _(
                "An approved report was paid at this rate (or, for a state rate, a month it held "
                "in is approved), so it cannot be changed or deleted. Add a new rate from the "
                "date the change applies."
            ),
        )
    return locked


def rate_update(
    *,
    actor: Any,
    rate: CompensationRate,
    agreement: Agreement,
    scheme: str,
    kind: str,
    amount: Decimal,
    valid_from: dt.date,
    organisation: Organisation | None = None,
    site_kind: str = "",
) -> CompensationRate:
    _require_coordinator(actor, _("Only a coordinator can change a compensation rate."))
    _check_rate(actor, rate.agreement, scheme, kind, organisation)
    _check_rate(actor, agreement, scheme, kind, organisation)
    amount = _amount(amount)
    try:
        with transaction.atomic():
            locked = _locked_rate(rate)
            before = _rate_params(locked, prefix="old_")
            locked.agreement = agreement
            locked.scheme = scheme
            locked.kind = kind
            locked.amount = amount
            locked.valid_from = valid_from
            locked.organisation = organisation
            locked.site_kind = site_kind
            locked.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                summary=gettext_noop(
                    "rate %(scheme)s %(kind)s %(amount)s SEK from %(from)s "
                    "(partner: %(partner)s, kind of site: %(site_kind)s), was %(old_scheme)s "
                    "%(old_kind)s %(old_amount)s SEK from %(old_from)s "
                    "(partner: %(old_partner)s, kind of site: %(old_site_kind)s)"
                ),
                params={**_rate_params(locked), **before},
            )
    except IntegrityError as exc:
        raise _duplicate() from exc
    return locked


def rate_delete(*, actor: Any, rate: CompensationRate) -> None:
    _require_coordinator(actor, _("Only a coordinator can delete a compensation rate."))
    with transaction.atomic():
        locked = _locked_rate(rate)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=locked,
            summary=gettext_noop(
                "rate %(scheme)s %(kind)s %(amount)s SEK from %(from)s "
                "(partner: %(partner)s, kind of site: %(site_kind)s)"
            ),
            params=_rate_params(locked),
        )
        locked.delete()


# -- monthly reports ---------------------------------------------------------------------------


def _event(report: MonthlyReport, kind: str, actor: Any, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, kind=kind, actor=actor, comment=comment)


def _locked_report(report: MonthlyReport) -> MonthlyReport:
    return (
        MonthlyReport.objects.select_related("organisation", "agreement")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )


def _refuse_locked(report: MonthlyReport) -> None:
    if report.status == ReportStatus.APPROVED:
        raise ServiceError(
            Code.REPORT_LOCKED,
            _(
                "This report is approved and locked. To change it, make a correction: a new "
                "version that replaces it once approved."
            ),
        )
    if not report.is_editable:
        raise ServiceError(
            Code.REPORT_LOCKED,
            _("This report has been submitted and cannot be changed while it is reviewed."),
        )


def _require_writer(actor: Any, report: MonthlyReport) -> None:
    if not selectors.can_write(actor, report):
        raise PermissionDenied(_("Only the partner's administrators and staff can do this."))


def _month_over(month: dt.date) -> bool:
    _start, end = selectors.month_bounds(month.year, month.month)
    return end <= timezone.localdate()


def _report_agreement(
    organisation: Organisation, first: dt.date, agreement: Agreement | None
) -> tuple[Agreement, bool]:
    """The agreement a report of the month is under, and whether it is the partner's only one
    that month: the one chosen, or the only one the partner took part in that month."""
    _start, end = selectors.month_bounds(first.year, first.month)
    candidates = list(selectors.report_agreements(organisation.pk, first, end))
    month = f"{first:%Y-%m}"
    if agreement is None:
        if len(candidates) > 1:
            raise ServiceError(
                Code.NO_AGREEMENT,
                _("%(partner)s took part in several agreements in %(month)s: choose one.")
                % {"partner": organisation.name, "month": month},
            )
        if candidates:
            return candidates[0], True
    elif agreement in candidates:
        return agreement, len(candidates) == 1
    raise ServiceError(
        Code.NO_AGREEMENT,
        _("%(partner)s took part in no agreement in %(month)s, so it has nothing to report.")
        % {"partner": organisation.name, "month": month}
        if not candidates
        else _("%(partner)s did not take part in %(agreement)s in %(month)s.")
        % {"partner": organisation.name, "agreement": agreement, "month": month},
    )


def report_start(
    *, actor: Any, year: int, month: int, agreement: Agreement | None = None
) -> MonthlyReport:
    """A draft report of the actor's partner for the month under one agreement (the partner's
    only one that month if none is given), with its volunteer hours when the partner has no
    other agreement to share them with."""
    organisation = selectors.writes_reports_for(actor)
    if organisation is None:
        raise PermissionDenied(_("Only a partner's administrators and staff can start a report."))
    try:
        first = dt.date(year, month, 1)
    except (TypeError, ValueError) as exc:
        raise ServiceError(Code.BAD_MONTH, _("Enter a month as YYYY-MM, e.g. 2022-10.")) from exc
    if not FIRST_MONTH <= first <= timezone.localdate():
        raise ServiceError(Code.BAD_MONTH, _("A report is for a month that has begun."))
    agreement, only = _report_agreement(organisation, first, agreement)
    existing = MonthlyReport.objects.filter(
        agreement=agreement, organisation=organisation, month=first
    ).exclude(status=ReportStatus.SUPERSEDED)
    if existing.exists():
        raise ServiceError(
            Code.REPORT_EXISTS,
            _("There is already a report for %(month)s.") % {"month": f"{first:%Y-%m}"},
        )
    hours = selectors.volunteer_hours_of(organisation.pk, year, month) if only else Decimal(0)
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                agreement=agreement,
                organisation=organisation,
                month=first,
                volunteer_hours=hours,
                created_by=actor,
            )
            _event(report, ReportEventKind.CREATED, actor)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=report,
                summary=gettext_noop("monthly report %(report)s"),
                params={"report": report},
            )
    except IntegrityError as exc:
        # Two members started the same month at once; the other one's draft stands.
        raise ServiceError(
            Code.REPORT_EXISTS,
            _("There is already a report for %(month)s.") % {"month": f"{first:%Y-%m}"},
        ) from exc
    return report


def report_update(
    *,
    actor: Any,
    report: MonthlyReport,
    costs: dict[str, Decimal],
    volunteer_hours: Decimal,
    donated_goods: Decimal,
    own_funds: Decimal,
    comment: str = "",
) -> MonthlyReport:
    _require_writer(actor, report)
    values = {f"cost_{kind}": _amount(costs.get(kind, 0)) for kind in CostType.values}
    values["volunteer_hours"] = _amount(volunteer_hours, limit=MAX_HOURS)
    values["donated_goods"] = _amount(donated_goods)
    values["own_funds"] = _amount(own_funds)
    with transaction.atomic():
        locked = _locked_report(report)
        _refuse_locked(locked)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name, value in values.items():
            setattr(locked, name, value)
        if locked.comment != comment.strip():
            changed.append("comment")
        locked.comment = comment.strip()
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            # Field names only: the audit log must not become a copy of the report.
            summary=gettext_noop("monthly report %(report)s: changed %(fields)s")
            if changed
            else gettext_noop("monthly report %(report)s: no change"),
            params={"report": locked, "fields": field_names(MonthlyReport, changed)},
        )
    return locked


def report_submit(*, actor: Any, report: MonthlyReport) -> MonthlyReport:
    """Freeze the figures and the compensation and send the report to the coordinator."""
    _require_writer(actor, report)
    if not _month_over(report.month):
        raise ServiceError(
            Code.MONTH_NOT_OVER,
            _("A month's report can be submitted once the month is over."),
        )
    with transaction.atomic():
        locked = _locked_report(report)
        _refuse_locked(locked)
        year, month = selectors.report_month(locked)
        result = selectors.compensation(
            scheme=Scheme.PARTNER,
            year=year,
            month=month,
            agreement=locked.agreement,
            organisation=locked.organisation,
        )
        if result.agreement is None:
            raise ServiceError(
                Code.NO_AGREEMENT,
                _("No agreement was in force in %(month)s: there is nothing to compensate.")
                % {"month": f"{locked.month:%Y-%m}"},
            )
        locked.figures = selectors.report_figures(
            locked.organisation_id, year, month, locked.agreement_id
        )
        locked.compensation_lines, locked.compensation_total = selectors.compensation_snapshot(
            result
        )
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save()
        locked.rates_used.set({line.rate for line in result.lines})
        _event(locked, ReportEventKind.SUBMITTED, actor)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop(
                "monthly report %(report)s submitted: compensation %(compensation)s SEK, "
                "costs %(costs)s SEK"
            ),
            params={
                "report": locked,
                "compensation": locked.compensation_total,
                "costs": locked.costs_total,
            },
        )
    return locked


def _decidable(report: MonthlyReport) -> None:
    if report.status == ReportStatus.SUBMITTED:
        return
    if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED, ReportStatus.SUPERSEDED):
        raise ServiceError(
            Code.ALREADY_DECIDED,
            _("This report was already %(status)s; reload the page to see it.")
            % {"status": report.get_status_display().lower()},
        )
    raise ServiceError(Code.NOT_SUBMITTED, _("Only a submitted report can be reviewed."))


def report_return(*, actor: Any, report: MonthlyReport, comment: str) -> MonthlyReport:
    """Send a submitted report back to its partner, saying what to change."""
    _require_coordinator(actor, _("Only a coordinator can send a report back."))
    comment = comment.strip()
    if not comment:
        raise ServiceError(
            Code.COMMENT_REQUIRED, _("Say in a comment what the partner should change.")
        )
    with transaction.atomic():
        locked = _locked_report(report)
        _decidable(locked)
        locked.status = ReportStatus.RETURNED
        locked.decided_at = timezone.now()
        locked.save()
        _event(locked, ReportEventKind.RETURNED, actor, comment)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("monthly report %(report)s sent back"),
            params={"report": locked},
        )
    return locked


def report_approve(*, actor: Any, report: MonthlyReport, comment: str = "") -> MonthlyReport:
    """Approve a submitted report; a correction supersedes the version it corrects."""
    _require_coordinator(actor, _("Only a coordinator can approve a report."))
    with transaction.atomic():
        locked = _locked_report(report)
        _decidable(locked)
        # The rates it was paid at become locked with it (rate_update takes the same locks).
        list(locked.rates_used.select_for_update().order_by("pk"))
        if locked.previous_id is not None:
            previous = MonthlyReport.objects.select_for_update().get(pk=locked.previous_id)
            previous.status = ReportStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            _event(previous, ReportEventKind.SUPERSEDED, actor)
        locked.status = ReportStatus.APPROVED
        locked.decided_at = timezone.now()
        locked.save()
        _event(locked, ReportEventKind.APPROVED, actor, comment.strip())
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("monthly report %(report)s approved: %(compensation)s SEK"),
            params={"report": locked, "compensation": locked.compensation_total},
        )
    return locked


def report_comment(*, actor: Any, report: MonthlyReport, comment: str) -> ReportEvent:
    """A comment in the report's history; it changes nothing in the report itself."""
    if not (access.is_coordinator(actor) or selectors.can_write(actor, report)):
        raise PermissionDenied(_("Only the coordinator and the partner's staff can comment."))
    comment = comment.strip()
    if not comment:
        raise ServiceError(Code.COMMENT_REQUIRED, _("Write a comment first."))
    with transaction.atomic():
        event = ReportEvent.objects.create(
            report=report, kind=ReportEventKind.COMMENTED, actor=actor, comment=comment
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=report,
            summary=gettext_noop("comment on monthly report %(report)s"),
            params={"report": report},
        )
    return event


def report_correct(*, actor: Any, report: MonthlyReport) -> MonthlyReport:
    """A new draft version of an approved report, starting from what it said."""
    _require_writer(actor, report)
    with transaction.atomic():
        locked = _locked_report(report)
        if locked.status != ReportStatus.APPROVED:
            raise ServiceError(Code.NOT_SUBMITTED, _("Only an approved report can be corrected."))
        if MonthlyReport.objects.filter(
            agreement=locked.agreement,
            organisation=locked.organisation,
            month=locked.month,
            status__in=OPEN,
        ).exists():
            raise ServiceError(
                Code.CORRECTION_EXISTS,
                _("A correction of this month is already being written."),
            )
        correction = MonthlyReport.objects.create(
            agreement=locked.agreement,
            organisation=locked.organisation,
            month=locked.month,
            version=locked.version + 1,
            previous=locked,
            volunteer_hours=locked.volunteer_hours,
            donated_goods=locked.donated_goods,
            own_funds=locked.own_funds,
            comment=locked.comment,
            created_by=actor,
            **{f"cost_{kind}": getattr(locked, f"cost_{kind}") for kind in CostType.values},
        )
        _event(correction, ReportEventKind.CREATED, actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=correction,
            summary=gettext_noop("correction %(correction)s of %(report)s"),
            params={"correction": correction, "report": locked},
        )
    return correction
