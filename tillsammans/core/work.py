"""What needs the reader now: the work queue at the top of each role's home page.

Each app registers what it asks of people with ``@queue``: a function of the reader and the
day that returns the items the reader may act on, each a sentence with its count and a link
to the rows behind it. Items name no person (the home page is read by every role, and a
count is not a read of anyone's data); the page they link to shows and audits the rows.

A queue asks the page it links to whether the reader may open it (``core.links.may_open``)
and counts only what the reader's own access rules let them see (``core.access`` and each
app's ``visible_*``), so an item and its page cannot disagree.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .links import may_open
from .models import BackgroundJob, BackgroundJobStatus


@dataclass(frozen=True)
class WorkItem:
    text: str  # "3 referrals wait for your answer", in the reader's language
    url: str
    urgent: bool = False  # overdue, or failed: shown first and marked


Queue = Callable[[Any, dt.date], Iterable[WorkItem]]
_QUEUES: list[Queue] = []
FINISHED_JOBS_DAYS = 7
FINISHED_JOBS_SHOWN = 5


def queue(function: Queue) -> Queue:
    """Register ``function(user, today)`` as one of the queues on the home page."""
    _QUEUES.append(function)
    return function


def work_for(user: Any, today: dt.date | None = None) -> list[WorkItem]:
    """Every registered queue's items for ``user``, the urgent ones first."""
    today = today or timezone.localdate()
    items = [item for function in _QUEUES for item in function(user, today)]
    return sorted(items, key=lambda item: not item.urgent)


def link(user: Any, name: str, query: str = "") -> str | None:
    """The address of the page ``name`` if ``user`` may open it, else None."""
    if not may_open(user, name):
        return None
    return reverse(name) + (f"?{query}" if query else "")


def counted(
    user: Any,
    page: str,
    count: Callable[[], int],
    text: Callable[[int], str],
    *,
    query: str = "",
    urgent: bool = False,
) -> list[WorkItem]:
    """The one item "``text(n)``" linking to ``page`` when ``user`` may open it and
    ``count()`` (asked only then) finds something; no item otherwise."""
    url = link(user, page, query)
    if url is None:
        return []
    n = count()
    return [WorkItem(text(n), url, urgent)] if n else []


@queue
def finished_jobs(user: Any, today: dt.date) -> list[WorkItem]:
    """The reader's own background work that finished or failed in the last week."""
    since = timezone.now() - dt.timedelta(days=FINISHED_JOBS_DAYS)
    jobs = BackgroundJob.objects.filter(
        created_by=user,
        status__in=[BackgroundJobStatus.DONE, BackgroundJobStatus.FAILED],
        finished_at__gte=since,
    ).order_by("-finished_at")[:FINISHED_JOBS_SHOWN]
    return [
        WorkItem(
            _("Failed: %(title)s") % {"title": job.title}
            if job.status == BackgroundJobStatus.FAILED
            else _("Ready: %(title)s") % {"title": job.title},
            reverse("job_detail", args=[job.public_id]),
            urgent=job.status == BackgroundJobStatus.FAILED,
        )
        for job in jobs
    ]
