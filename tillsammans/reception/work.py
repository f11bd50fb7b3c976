"""The reception's items in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core import access
from tillsammans.core.work import WorkItem, counted, link, queue

from .models import AllocationStatus

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
