"""Referrals in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core.work import WorkItem, link, queue

from . import selectors
from .models import ReferralStatus


@queue
def referrals_to_answer(user: Any, today: dt.date) -> list[WorkItem]:
    url = link(user, "referral_home")
    if url is None:
        return []
    count = selectors.inbox(user).filter(status=ReferralStatus.SENT).count()
    if not count:
        return []
    text = ngettext(
        "%(count)d referral to your organisation waits for an answer",
        "%(count)d referrals to your organisation wait for an answer",
        count,
    ) % {"count": count}
    return [WorkItem(text, url)]
