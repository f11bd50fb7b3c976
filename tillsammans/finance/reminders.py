"""Reminders of monthly reports not submitted (issue 15's periodic jobs): from the
``REPORT_REMINDER_DAY`` of a month, each partner taking part in an agreement in the month
before that has not submitted that month's report is e-mailed once, at the addresses of its
staff who write reports. A mail that cannot be sent is tried again at the next run."""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.lib.dates import add_months, month_bounds
from tillsammans.core.lib.mail import send_in_swedish_and_english
from tillsammans.core.models import AuditAction, User
from tillsammans.core.schedule import periodic
from tillsammans.partnership.models import Agreement, Organisation

from . import selectors
from .models import MonthlyReport, ReportReminder, ReportStatus

logger = logging.getLogger(__name__)

# A report in one of these states has reached the coordinator.
SUBMITTED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def due(today: dt.date) -> list[tuple[Agreement, Organisation, dt.date]]:
    """The partners to remind today: the month before's reports not submitted, and not yet
    reminded of."""
    if today.day < settings.REPORT_REMINDER_DAY:
        return []
    month = add_months(today.replace(day=1), -1)
    start, end = month_bounds(month.year, month.month)
    found = []
    for agreement in selectors.agreements_in_force(start, end):
        reminded = set(
            ReportReminder.objects.filter(agreement=agreement, month=month).values_list(
                "organisation_id", flat=True
            )
        )
        submitted = set(
            MonthlyReport.objects.filter(
                agreement=agreement, month=month, status__in=SUBMITTED
            ).values_list("organisation_id", flat=True)
        )
        for organisation in selectors.partners_of_month(agreement, month.year, month.month):
            if organisation.pk not in reminded | submitted:
                found.append((agreement, organisation, month))
    return found


def _writers(organisation: Organisation) -> list[str]:
    return sorted(
        User.objects.filter(
            is_active=True,
            membership__organisation=organisation,
            membership__role__in=selectors.PARTNER_WRITERS,
        ).values_list("email", flat=True)
    )


def _mail(agreement: Agreement, organisation: Organisation, month: dt.date, to: list[str]) -> None:
    link = (
        settings.SERVICE_URL.rstrip("/") + reverse("finance_home") if settings.SERVICE_URL else ""
    )
    context = {"agreement": agreement, "organisation": organisation, "month": month, "link": link}
    # The staff's languages are not kept: Swedish first, then English, as the invitations.
    send_in_swedish_and_english(
        "finance/email/report_reminder.txt", context,
        lambda: _("The monthly report for %(month)s is not submitted")
        % {"month": f"{month:%Y-%m}"},
        to,
    )  # fmt: skip


def remind(today: dt.date | None = None) -> tuple[int, int]:
    """Send the reminders due; returns (sent, failed)."""
    sent = failed = 0
    for agreement, organisation, month in due(today or timezone.localdate()):
        to = _writers(organisation)
        try:
            with transaction.atomic():
                reminder, created = ReportReminder.objects.get_or_create(
                    agreement=agreement, organisation=organisation, month=month,
                    defaults={"recipients": len(to)},
                )  # fmt: skip
                if not created:
                    continue  # another scheduler's run sent it meanwhile
                if to:
                    _mail(agreement, organisation, month, to)
                audit_record(
                    actor=None, action=AuditAction.CREATE, obj=reminder,
                    summary=gettext_noop(
                        "reminder of the monthly report %(month)s sent to %(count)s addresses"
                    ),
                    params={"month": f"{month:%Y-%m}", "count": len(to)},
                )  # fmt: skip
            sent += 1
        except (smtplib.SMTPException, OSError) as exc:
            # Nothing is recorded: the next run tries again.
            logger.error("report reminder to %s not sent: %r", organisation.name, exc)
            failed += 1
    return sent, failed


@periodic("report_reminders", every=dt.timedelta(hours=6))
def report_reminders() -> str:
    sent, failed = remind()
    return f"{sent} report reminders sent, {failed} to try again"
