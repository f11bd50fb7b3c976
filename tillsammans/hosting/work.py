"""Hjärterum in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core.work import WorkItem, counted, queue

from . import selectors


@queue
def hostings_ending(user: Any, today: dt.date) -> list[WorkItem]:
    return counted(
        user, "hosting_home",
        lambda: selectors.ending_soon(user, today).count(),
        lambda n: ngettext(
            "%(count)d hosting ends within 30 days with no next place planned",
            "%(count)d hostings end within 30 days with no next place planned",
            n,
        ) % {"count": n},
    )  # fmt: skip
