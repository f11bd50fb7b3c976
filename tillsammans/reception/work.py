"""The reception's items in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext, ngettext_lazy

from tillsammans.core import access
from tillsammans.core.work import WorkItem, counted, link, queue

from .models import AllocationStatus
from .path_lists import PathList, work_lists

PENDING_QUERY = f"status={AllocationStatus.PENDING}"


def pending_url(user: Any) -> str | None:
    """The pending allocations, if ``user`` may open the list (the home page's figure)."""
    return link(user, "allocation_list", PENDING_QUERY)


@queue
def allocations_to_place(user: Any, today: dt.date) -> list[WorkItem]:
    pending = AllocationStatus.PENDING
    return counted(
        user, "allocation_list",
        lambda: access.visible_allocations(user).filter(status=pending).count(),
        lambda n: ngettext(
            "%(count)d allocated household waits for a place",
            "%(count)d allocated households wait for a place",
            n,
        ) % {"count": n},
        query=PENDING_QUERY,
    )  # fmt: skip


# Each takes its number from the "count" of the mapping it is formatted with.
RAN_OUT = ngettext_lazy(
    "%(count)d person's permit has run out with no extension applied for",
    "%(count)d persons' permits have run out with no extension applied for",
    "count",
)
ENDING = ngettext_lazy(
    "%(count)d person's permit ends within 60 days with no extension applied for",
    "%(count)d persons' permits end within 60 days with no extension applied for",
    "count",
)
OVERDUE = ngettext_lazy(
    "%(count)d person is past the four weeks with no registration recorded",
    "%(count)d persons are past the four weeks with no registration recorded",
    "count",
)
ELIGIBLE = ngettext_lazy(
    "%(count)d person can be registered next month",
    "%(count)d persons can be registered next month",
    "count",
)


@queue
def legal_paths(user: Any, today: dt.date) -> list[WorkItem]:
    """Permits run out or ending and registrations due among the housed persons the reader
    sees, from the legal path's work lists (one pass over their paths, as the lists' page
    makes). What is already late is urgent."""
    if link(user, "path_lists") is None:
        return []
    lists = work_lists(access.visible_persons(user), today)
    expiring = lists[PathList.EXPIRING]
    ran_out = sum(1 for row in expiring if row.lapsed)
    counts = (
        (PathList.EXPIRING, ran_out, RAN_OUT, True),
        (PathList.EXPIRING, len(expiring) - ran_out, ENDING, False),
        (PathList.OVERDUE, len(lists[PathList.OVERDUE]), OVERDUE, True),
        (PathList.ELIGIBLE, len(lists[PathList.ELIGIBLE]), ELIGIBLE, False),
    )
    return [
        WorkItem(text % {"count": n}, reverse("path_list", args=[kind]), urgent)
        for kind, n, text, urgent in counts
        if n
    ]
