"""Monthly reports in the home page's work queue (``core.work``): the coordinator's to
review, a partner's to finish and send."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from tillsammans.core import access
from tillsammans.core.work import WorkItem, counted, link, queue

from . import selectors
from .models import ReportStatus


@queue
def reports(user: Any, today: dt.date) -> list[WorkItem]:
    url = link(user, "finance_home")
    if url is None:
        return []
    items: list[WorkItem] = []
    if access.is_coordinator(user):
        submitted = selectors.visible_reports(user).filter(status=ReportStatus.SUBMITTED)
        count = submitted.count()
        if count:
            text = ngettext(
                "%(count)d monthly report waits for your review",
                "%(count)d monthly reports wait for your review",
                count,
            ) % {"count": count}
            # The month's overview shows one agreement's month: the item opens the report
            # that has waited longest, whatever its month or agreement.
            oldest = submitted.order_by("month", "submitted_at", "id").first()
            if oldest is not None:
                items.append(WorkItem(text, reverse("report_detail", args=[oldest.public_id])))
    elif selectors.writes_reports_for(user) is not None:
        reports = selectors.visible_reports(user)
        items += counted(
            user, "finance_home",
            reports.filter(status=ReportStatus.RETURNED).count,
            lambda n: ngettext(
                "%(count)d monthly report was sent back to you",
                "%(count)d monthly reports were sent back to you",
                n,
            ) % {"count": n},
            urgent=True,
        )  # fmt: skip
        items += counted(
            user, "finance_home",
            reports.filter(status=ReportStatus.DRAFT).count,
            lambda n: ngettext(
                "%(count)d monthly report to finish and send",
                "%(count)d monthly reports to finish and send",
                n,
            ) % {"count": n},
        )  # fmt: skip
    return items
