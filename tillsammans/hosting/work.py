"""Hjärterum in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core.work import WorkItem, link, queue

from . import selectors


@queue
def hostings_ending(user: Any, today: dt.date) -> list[WorkItem]:
    url = link(user, "hosting_home")
    if url is None:
        return []
    count = selectors.ending_soon(user, today).count()
    if not count:
        return []
    text = ngettext(
        "%(count)d hosting ends within 30 days with no next place planned",
        "%(count)d hostings end within 30 days with no next place planned",
        count,
    ) % {"count": count}
    return [WorkItem(text, url)]
