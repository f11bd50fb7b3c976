"""Writes of the finance app: rates, and a monthly report from draft to approval.

An approved report is locked: every write here takes the report's row lock
(``select_for_update``) and then reads its status, so of two coordinators deciding at once
one decides and the other is told it was already decided, and a partner's late save never
lands on an approved report. A rate that an approved report was paid at is locked the same
way: a change of rate is a new rate from a date.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tillsammans.core import access
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import long_date, month_bounds
from tillsammans.core.lib.tables import RowError
from tillsammans.core.models import AuditAction
from tillsammans.core.versions import refuse_stale
from tillsammans.housing.models import Site
from tillsammans.housing.selectors import agreement_site_filter
from tillsammans.housing.settled import lock_owners, lock_sites
from tillsammans.partnership.models import Agreement, Organisation, Party

from . import selectors
from .error_codes import FinanceErrorCode as Code
from .models import (
    OPEN,
    CompensationRate,
    CostType,
    Decision,
    DistributionFigure,
    MonthlyReport,
    PaymentDifference,
    PaymentFile,
    RateKind,
    Reconciliation,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    Scheme,
    StatePayment,
)
from .payments import ParsedPayment, parse_payment_file
from .reconciliation import reconcile
from .selectors import in_force

MAX_ROW_ERRORS = 1000
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
    actor: Any, agreement: Agreement, scheme: str, kind: str, organisation: Organisation | None,
    site_kind: str = "",
) -> None:  # fmt: skip
    if not access.can_manage_agreement(actor, agreement):
        raise PermissionDenied(_("Only the agreement's coordinator can set its rates."))
    if scheme not in Scheme.values or kind not in RateKind.values:
        raise ServiceError(Code.BAD_RATE, _("Choose a scheme and a kind of rate."))
    if kind == RateKind.FIGURE_PLACE and (scheme != Scheme.STATE or site_kind):
        raise ServiceError(
            Code.BAD_RATE,
            _("The amount per place in the distribution figure is the state's, for every kind "
              "of site: choose the state's scheme and leave the kind of site empty."),
        )  # fmt: skip
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
    _check_rate(actor, agreement, scheme, kind, organisation, site_kind)
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
    _check_rate(actor, rate.agreement, scheme, kind, organisation, site_kind)
    _check_rate(actor, agreement, scheme, kind, organisation, site_kind)
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
    version: str | None = None,
) -> MonthlyReport:
    """Change a draft's costs and own contribution; ``version`` is the one the form was filled
    from (a save of an older one is refused: ``core.versions``)."""
    _require_writer(actor, report)
    values = {f"cost_{kind}": _amount(costs.get(kind, 0)) for kind in CostType.values}
    values["volunteer_hours"] = _amount(volunteer_hours, limit=MAX_HOURS)
    values["donated_goods"] = _amount(donated_goods)
    values["own_funds"] = _amount(own_funds)
    with transaction.atomic():
        locked = _locked_report(report)
        _refuse_locked(locked)
        refuse_stale(locked, version)
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
        # The organisation's and its sites' rows before their beds are read: a change of
        # beds or a new site made meanwhile is either counted here or, waiting for this,
        # refused as reaching a reported month (``housing.settled``).
        lock_owners(organisation_ids=[locked.organisation_id])
        lock_sites(
            Site.objects.filter(
                agreement_site_filter(locked.agreement_id, "", [locked.organisation_id]),
                organisation_id=locked.organisation_id,
            )
        )
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


# -- the state's payments and their reconciliation (ADR 31) ---------------------------------


@dataclass
class PaymentImport:
    """What an import did: the file written, or the errors that kept it from being written."""

    file: PaymentFile | None = None
    errors: list[RowError] = field(default_factory=list)


def _month_record(agreement: Agreement, month: dt.date) -> Reconciliation:
    """The month's reconciliation row, locked for this transaction (imports, decisions,
    freezing and reopening of one month are served one after the other)."""
    Reconciliation.objects.get_or_create(agreement=agreement, month=month)
    return Reconciliation.objects.select_for_update().get(agreement=agreement, month=month)


def _refuse_frozen(record: Reconciliation) -> None:
    if record.is_frozen:
        raise ServiceError(
            Code.MONTH_FROZEN,
            _(
                "%(month)s is reconciled and frozen. Reopen it, with a reason, before "
                "changing its payments or decisions."
            )
            % {"month": f"{record.month:%Y-%m}"},
        )


def _reconcilable_month(agreement: Agreement, year: int, month: int) -> dt.date:
    first, following = month_bounds(year, month)
    if first < FIRST_MONTH or first > timezone.localdate():
        raise ServiceError(
            Code.BAD_MONTH, _("Payments can be imported for a month that has begun only.")
        )
    if not in_force(agreement, first, following):
        raise ServiceError(
            Code.BAD_MONTH,
            _("%(agreement)s did not run in %(month)s: the state paid nothing under it then.")
            % {"agreement": agreement.name, "month": f"{first:%Y-%m}"},
        )
    return first


def _no_progress(done: int, total: int, step: str) -> None:
    """A page waits for the import; only a background job shows its steps."""


def _already_imported(found: PaymentFile) -> ServiceError:
    return ServiceError(
        Code.FILE_IMPORTED,
        _(
            "This file was already imported for %(month)s under %(agreement)s on %(day)s "
            "(%(file)s). Nothing was imported again."
        )
        % {
            "month": f"{found.month:%Y-%m}",
            "agreement": found.agreement.name,
            "day": f"{timezone.localtime(found.created_at):%Y-%m-%d}",
            "file": found.file_name,
        },
    )


def payments_import(
    *, actor: Any, agreement: Agreement, year: int, month: int, file_name: str, data: bytes,
    progress: Callable[[int, int, str], None] = _no_progress,
    then: Callable[[PaymentFile], None] | None = None,
) -> PaymentImport:  # fmt: skip
    """Import a file of what the state paid for the month: all of it, or nothing with the
    errors of each row (the layout: ``docs/state-payments.md``). ``then`` runs in the
    transaction that stores the rows (a background job marks itself done there)."""
    _require_coordinator(actor, _("Only a coordinator can import the state's payments."))
    first = _reconcilable_month(agreement, year, month)
    digest = hashlib.sha256(data).hexdigest()
    # Under any agreement: one statement is the state's money for one agreement's month.
    found = PaymentFile.objects.filter(digest=digest).select_related("agreement").first()
    if found is not None:
        raise _already_imported(found)
    progress(0, 3, _("Reading the file"))
    preview = parse_payment_file(file_name, data, year, month)
    if not preview.ok:
        return PaymentImport(errors=preview.errors)
    progress(1, 3, _("Storing the rows"))
    try:
        with transaction.atomic():
            record = _month_record(agreement, first)
            _refuse_frozen(record)
            other_way = _paid_the_other_way(agreement, first, preview.payments)
            if other_way:
                return PaymentImport(errors=other_way)
            payment_file = PaymentFile.objects.create(
                agreement=agreement, month=first, file_name=file_name[:200], digest=digest,
                rows=len(preview.payments), total=preview.total, imported_by=actor,
            )  # fmt: skip
            rows = (
                StatePayment(
                    file=payment_file,
                    line=p.line,
                    person_id=p.person_id,
                    kind=p.kind,
                    quantity=p.quantity,
                    amount=p.amount,
                )
                for p in preview.payments
            )
            while batch := list(islice(rows, 5000)):
                StatePayment.objects.bulk_create(batch)
            audit_record(
                actor=actor, action=AuditAction.IMPORT, obj=payment_file,
                summary=gettext_noop("state payments imported"),
                params={"month": f"{first:%Y-%m}", "rows": payment_file.rows,
                        "total": payment_file.total, "file": payment_file.file_name},
            )  # fmt: skip
            if then is not None:
                then(payment_file)
    except IntegrityError as exc:
        again = PaymentFile.objects.filter(digest=digest).select_related("agreement").first()
        if again is None:
            raise
        raise _already_imported(again) from exc
    return PaymentImport(file=payment_file)


def _paid_the_other_way(
    agreement: Agreement, first: dt.date, payments: list[ParsedPayment]
) -> list[RowError]:
    """The rows that pay a kind per person where the month's other files pay it for the
    month, or the other way round (the comparison needs one way per kind and month)."""
    per_person: set[str] = set()
    per_month: set[str] = set()
    for kind, person_id in (
        StatePayment.objects.filter(file__agreement=agreement, file__month=first)
        .values_list("kind", "person_id")
        .distinct()
    ):
        (per_person if person_id is not None else per_month).add(kind)
    errors = []
    for payment in payments:
        if (payment.person_id is not None and payment.kind in per_month) or (
            payment.person_id is None and payment.kind in per_person
        ):
            errors.append(
                RowError(
                    payment.line,
                    _(
                        "The payments already imported for %(month)s pay “%(kind)s” %(way)s; "
                        "give every row of that kind the same way."
                    )
                    % {
                        "month": f"{first:%Y-%m}",
                        "kind": RateKind(payment.kind).label,
                        "way": _("for the month as a whole")
                        if payment.person_id is not None
                        else _("per person"),
                    },
                )
            )
        if len(errors) >= MAX_ROW_ERRORS:
            break
    return errors


def payment_file_remove(*, actor: Any, payment_file: PaymentFile) -> str:
    """Take back a file imported by mistake (the month must not be frozen); returns the
    file's name."""
    _require_coordinator(actor, _("Only a coordinator can remove imported payments."))
    with transaction.atomic():
        record = _month_record(payment_file.agreement, payment_file.month)
        _refuse_frozen(record)
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=payment_file,
            summary=gettext_noop("state payments removed"),
            params={"month": f"{payment_file.month:%Y-%m}", "rows": payment_file.rows,
                    "total": payment_file.total, "file": payment_file.file_name},
        )  # fmt: skip
        payment_file.delete()
    return payment_file.file_name


def difference_decide(
    *,
    actor: Any,
    agreement: Agreement,
    year: int,
    month: int,
    person: Any,
    kind: str,
    decision: str,
    note: str,
    seen: tuple[Decimal, Decimal] | None = None,
) -> PaymentDifference:
    """Mark one difference of the month explained, to be claimed or written off, with a note;
    a new decision on the same difference replaces the earlier one (both are in the log).
    ``seen`` is the (counted, paid) the coordinator decided on: refused if they changed."""
    _require_coordinator(actor, _("Only a coordinator can decide on a payment difference."))
    note = (note or "").strip()
    if decision not in Decision.values:
        raise ServiceError(Code.BAD_DECISION, _("Choose explained, to be claimed or written off."))
    if not note:
        raise ServiceError(
            Code.COMMENT_REQUIRED, _("Write a note that says why, for whoever reads it later.")
        )
    first, _following = month_bounds(year, month)
    with transaction.atomic():
        record = _month_record(agreement, first)
        _refuse_frozen(record)
        person_id = person.pk if person is not None else None
        current = next(
            (
                d
                for d in reconcile(agreement, year, month).differences
                if d.person_id == person_id and d.kind == kind
            ),
            None,
        )
        if current is None or (seen is not None and (current.counted, current.paid) != tuple(seen)):
            raise ServiceError(
                Code.NO_DIFFERENCE,
                _(
                    "That difference in %(month)s is no longer as the page showed it: "
                    "payments or the ledger changed. Look at it again and decide."
                )
                % {"month": f"{first:%Y-%m}"},
            )
        row, _created = PaymentDifference.objects.update_or_create(
            reconciliation=record, person=person, kind=kind,
            defaults={"nature": current.nature, "counted": current.counted,
                      "paid": current.paid, "decision": decision, "note": note,
                      "decided_by": actor},
        )  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=person if person is not None else record,
            summary=gettext_noop("payment difference decided"),
            params={"month": f"{first:%Y-%m}", "kind": kind, "nature": current.nature,
                    "counted": current.counted, "paid": current.paid, "decision": decision},
        )  # fmt: skip
    return row


def month_freeze(*, actor: Any, agreement: Agreement, year: int, month: int) -> Reconciliation:
    """Freeze a month whose every difference is decided: its payments, differences and
    decisions then stay as they are (a later event or rate no longer changes them)."""
    _require_coordinator(actor, _("Only a coordinator can freeze a reconciled month."))
    first, _following = month_bounds(year, month)
    with transaction.atomic():
        # The agreement's row first, as a distribution figure takes it: a figure recorded
        # while the month freezes is either counted in it or refused.
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        # Then its parties' and its sites', as a report's submission takes them
        # (``housing.settled``).
        sites = Site.objects.filter(agreement_site_filter(agreement.pk, ""))
        lock_owners(
            organisation_ids=[
                *Party.objects.filter(agreement=agreement).values_list(
                    "organisation_id", flat=True
                ),
                *sites.values_list("organisation_id", flat=True),
            ]
        )
        lock_sites(sites)
        record = _month_record(agreement, first)
        _refuse_frozen(record)
        state = reconcile(agreement, year, month)
        if not state.files:
            raise ServiceError(
                Code.NOTHING_PAID,
                _("Import what the state paid for %(month)s before freezing it.")
                % {"month": f"{first:%Y-%m}"},
            )
        if state.open_count:
            raise ServiceError(
                Code.DIFFERENCES_OPEN,
                ngettext(
                    "%(count)s difference has no decision yet: decide it before freezing.",
                    "%(count)s differences have no decision yet: decide them before freezing.",
                    state.open_count,
                )
                % {"count": state.open_count},
            )
        kept = [d.decision.pk for d in state.differences if d.decision is not None]
        record.differences.exclude(pk__in=kept).delete()  # decisions on differences now gone
        record.counted, record.paid = state.counted, state.paid
        record.frozen_at, record.frozen_by = timezone.now(), actor
        record.save(update_fields=["counted", "paid", "frozen_at", "frozen_by", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=record,
            summary=gettext_noop("reconciled month frozen"),
            params={"month": f"{first:%Y-%m}", "counted": state.counted, "paid": state.paid,
                    "differences": len(state.differences)},
        )  # fmt: skip
    return record


def month_reopen(
    *, actor: Any, agreement: Agreement, year: int, month: int, reason: str
) -> Reconciliation:
    """Open a frozen month again, with a reason (its decisions are kept)."""
    _require_coordinator(actor, _("Only a coordinator can reopen a reconciled month."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(Code.COMMENT_REQUIRED, _("Write why the month is opened again."))
    first, _following = month_bounds(year, month)
    with transaction.atomic():
        record = _month_record(agreement, first)
        if not record.is_frozen:
            raise ServiceError(
                Code.NOT_FROZEN,
                _("%(month)s is not frozen.") % {"month": f"{first:%Y-%m}"},
            )
        record.frozen_at, record.frozen_by = None, None
        record.counted = record.paid = None
        record.save(update_fields=["counted", "paid", "frozen_at", "frozen_by", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=record,
            summary=gettext_noop("reconciled month reopened"),
            params={"month": f"{first:%Y-%m}", "reason": reason},
        )  # fmt: skip
    return record


# -- the municipality's distribution figure (issue 14) ---------------------------------------

MAX_FIGURE_PLACES = 1_000_000


def _refuse_frozen_from(agreement: Agreement, day: dt.date) -> None:
    """A figure set on ``day`` changes the amount per place of its month and, through the
    places each later figure adds, of the months of the later figures: none may be frozen."""
    months = {day.replace(day=1)} | {
        later.replace(day=1)
        for later in DistributionFigure.objects.filter(
            agreement=agreement, decided_on__gt=day
        ).values_list("decided_on", flat=True)
    }
    frozen = (
        Reconciliation.objects.filter(
            agreement=agreement, month__in=months, frozen_at__isnull=False
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if frozen is not None:
        raise ServiceError(
            Code.MONTH_FROZEN,
            _("The state's payments of %(month)s are frozen, and this figure would change "
              "what they count. Reopen the month first.") % {"month": f"{frozen:%Y-%m}"},
        )  # fmt: skip


def figure_record(
    *, actor: Any, agreement: Agreement, decided_on: dt.date, places: int, reference: str = "",
    year: int | None = None,
) -> DistributionFigure:  # fmt: skip
    """Record the distribution figure the Migration Agency set on ``decided_on`` for ``year``
    (that day's year unless given: a figure is set for its year or, in advance, for the next)
    (the coordinator's): each place of a year's figure is paid once, at the state's amount per
    place."""
    _require_coordinator(actor, _("Only a coordinator can record the distribution figure."))
    if decided_on > timezone.localdate():
        raise ServiceError(Code.BAD_FIGURE, _("A figure is recorded once it is set, not before."))
    year = decided_on.year if year is None else year
    if year not in (decided_on.year, decided_on.year + 1):
        raise ServiceError(
            Code.BAD_FIGURE,
            _("A figure set on %(day)s is for %(year)s, or for %(next)s when set in advance.")
            % {"day": long_date(decided_on), "year": decided_on.year, "next": decided_on.year + 1},
        )
    if not 0 <= places <= MAX_FIGURE_PLACES:
        raise ServiceError(
            Code.BAD_FIGURE,
            _("The figure is a number of places from 0 to %(max)s.")
            % {"max": number_format(MAX_FIGURE_PLACES, 0, force_grouping=True)},
        )
    if not in_force(agreement, decided_on, decided_on + dt.timedelta(days=1)):
        raise ServiceError(
            Code.NO_AGREEMENT,
            _("%(agreement)s does not run on %(day)s.")
            % {"agreement": agreement.name, "day": long_date(decided_on)},
        )
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        if DistributionFigure.objects.filter(agreement=agreement, decided_on=decided_on).exists():
            raise ServiceError(
                Code.FIGURE_EXISTS,
                _("A figure set on %(day)s is already recorded; remove it first to correct it.")
                % {"day": long_date(decided_on)},
            )
        _refuse_frozen_from(agreement, decided_on)
        figure = DistributionFigure.objects.create(
            agreement=agreement, decided_on=decided_on, year=year, places=places,
            reference=reference.strip(), created_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=figure,
            summary=gettext_noop(
                "distribution figure for %(year)s: %(places)s places, set on %(day)s"
            ),
            params={"year": year, "places": places, "day": f"{decided_on:%Y-%m-%d}"},
        )
    return figure


def figure_remove(*, actor: Any, figure: DistributionFigure) -> DistributionFigure:
    """Remove a figure recorded by mistake, unless a month it pays in is frozen; returns it
    as it was."""
    _require_coordinator(actor, _("Only a coordinator can record the distribution figure."))
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=figure.agreement_id)
        _refuse_frozen_from(figure.agreement, figure.decided_on)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=figure,
            summary=gettext_noop("distribution figure %(places)s places set on %(day)s removed"),
            params={"places": figure.places, "day": f"{figure.decided_on:%Y-%m-%d}"},
        )
        figure.delete()
    return figure
