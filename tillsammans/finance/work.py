"""Monthly reports in the home page's work queue (``core.work``): the coordinator's to
review, a partner's to finish and send."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from tillsammans.core import access
from tillsammans.core.work import WorkItem, counted, queue

from . import selectors
from .models import ReportStatus


@queue
def reports_to_review(user: Any, today: dt.date) -> list[WorkItem]:
    """The coordinator's: the item opens the report that has waited longest, whatever its
    month or agreement (the month's overview shows one agreement's month)."""
    if not access.is_coordinator(user):
        return []
    submitted = selectors.visible_reports(user).filter(status=ReportStatus.SUBMITTED)
    oldest = submitted.order_by("month", "submitted_at", "id").first()
    if oldest is None:
        return []
    count = submitted.count()
    text = ngettext(
        "%(count)d monthly report waits for your review",
        "%(count)d monthly reports wait for your review",
        count,
    ) % {"count": count}
    return [WorkItem(text, reverse("report_detail", args=[oldest.public_id]))]


@queue
def reports_to_send(user: Any, today: dt.date) -> list[WorkItem]:
    """A partner's writers': reports sent back to them (urgent), and drafts."""
    if selectors.writes_reports_for(user) is None:
        return []
    reports = selectors.visible_reports(user)
    returned = counted(
        user, "finance_home", reports.filter(status=ReportStatus.RETURNED).count,
        lambda n: ngettext(
            "%(count)d monthly report was sent back to you",
            "%(count)d monthly reports were sent back to you", n,
        ) % {"count": n},
        urgent=True,
    )  # fmt: skip
    drafts = counted(
        user, "finance_home", reports.filter(status=ReportStatus.DRAFT).count,
        lambda n: ngettext(
            "%(count)d monthly report to finish and send",
            "%(count)d monthly reports to finish and send", n,
        ) % {"count": n},
    )  # fmt: skip
    return returned + drafts
