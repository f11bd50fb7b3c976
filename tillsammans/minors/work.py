"""The minors' partnership in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core.work import WorkItem, link, queue

from . import access, selectors


@queue
def turning_18(user: Any, today: dt.date) -> list[WorkItem]:
    url = link(user, "turning_18")
    if url is None:
        return []
    rows = selectors.turning_18(access.visible_cases(user), today)
    if not rows:
        return []
    text = ngettext(
        "%(count)d young person is 18 or turns 18 within 90 days, with no decision for after",
        "%(count)d young people are 18 or turn 18 within 90 days, with no decision for after",
        len(rows),
    ) % {"count": len(rows)}
    return [WorkItem(text, url, urgent=any(row.days_left < 0 for row in rows))]
