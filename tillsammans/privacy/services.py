"""Requests for correction (GDPR art. 16): recorded, handled, audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction
from tillsammans.people.models import Person

from . import review
from .models import CorrectionRequest, CorrectionStatus, LogReview


def _require_coordinator(actor: Any) -> None:
    if not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator handles a person's requests."))


def correction_add(
    *, actor: Any, person: Person, received_on: dt.date, request: str
) -> CorrectionRequest:
    _require_coordinator(actor)
    with transaction.atomic():
        correction = CorrectionRequest.objects.create(
            person=person, received_on=received_on, request=request.strip(), recorded_by=actor
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=person,
            summary=gettext_noop("request for correction received on %(on)s"),
            params={"on": received_on.isoformat()},
        )  # fmt: skip
    return correction


def correction_handle(
    *, actor: Any, correction: CorrectionRequest, status: str, handled_on: dt.date, outcome: str
) -> CorrectionRequest:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if locked.status != CorrectionStatus.OPEN:
            raise ServiceError("handled", _("This request has been handled already."))
        if handled_on < locked.received_on:
            raise ServiceError(
                "before_received", _("A request cannot be handled before it was received.")
            )
        locked.status, locked.handled_on = status, handled_on
        locked.outcome, locked.handled_by = outcome.strip(), actor
        locked.save()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked.person,
            summary=gettext_noop("request for correction of %(on)s handled: %(status)s"),
            params={"on": locked.received_on.isoformat(), "status": locked.status},
        )  # fmt: skip
    return locked


def log_review_sign(*, actor: Any, month: dt.date, notes: str) -> LogReview:
    """Sign a month's review, keeping what the rules flagged and the sample as they were."""
    if not access.is_data_protection_officer(actor):
        raise PermissionDenied(_("Only the data protection officer signs the review."))
    if month >= timezone.localdate().replace(day=1):
        raise ServiceError("month_not_over", _("A month can be signed off once it is over."))
    computed = review.kept(month)
    if computed is None:
        raise ServiceError("not_computed", _("Compute the month's review before signing it."))
    found, findings = computed
    if not review.final(findings):
        raise ServiceError(
            "not_final",
            _(
                "The review was computed before the month ended: compute it again to include "
                "the month's last reads, then sign it."
            ),
        )
    with transaction.atomic():
        if LogReview.objects.select_for_update().filter(month=month).exists():
            raise ServiceError("signed", _("This month's review is signed already."))
        signed = LogReview.objects.create(
            month=month, reviewed_by=actor, notes=notes.strip(), flagged=found.flagged,
            sample=[event.pk for event in found.sample],
        )  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=signed,
            summary=gettext_noop("review of the audit log for %(month)s signed"),
            params={"month": month.strftime("%Y-%m")},
        )  # fmt: skip
    return signed
