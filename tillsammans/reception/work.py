"""The reception's items in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core import access
from tillsammans.core.work import WorkItem, link, queue

from .models import AllocationStatus


@queue
def allocations_to_place(user: Any, today: dt.date) -> list[WorkItem]:
    url = link(user, "allocation_list", f"status={AllocationStatus.PENDING}")
    if url is None:
        return []
    count = access.visible_allocations(user).filter(status=AllocationStatus.PENDING).count()
    if not count:
        return []
    text = ngettext(
        "%(count)d allocated household waits for a place",
        "%(count)d allocated households wait for a place",
        count,
    ) % {"count": count}
    return [WorkItem(text, url)]
