"""Referrals in the home page's work queue (``core.work``)."""

import datetime as dt
from typing import Any

from django.utils.translation import ngettext

from tillsammans.core.work import WorkItem, counted, queue

from . import selectors
from .models import ReferralStatus


@queue
def referrals_to_answer(user: Any, today: dt.date) -> list[WorkItem]:
    return counted(
        user, "referral_home",
        lambda: selectors.inbox(user).filter(status=ReferralStatus.SENT).count(),
        lambda n: ngettext(
            "%(count)d referral to your organisation waits for an answer",
            "%(count)d referrals to your organisation wait for an answer",
            n,
        ) % {"count": n},
    )  # fmt: skip
