"""Reads of the minors app: the work list of young people turning 18."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from tillsammans.core.lib.dates import ADULT_AGE, birthday_in_year
from tillsammans.reception.models import Stay

from .models import ChildCase

TURNING_18_DAYS = 90


@dataclass(frozen=True)
class TurningEighteen:
    case: ChildCase
    birthday: dt.date  # the 18th
    days_left: int  # negative: already 18


def eighteenth_birthday(birth_date: dt.date) -> dt.date:
    return birthday_in_year(birth_date, birth_date.year + ADULT_AGE)


def turning_18(
    cases: QuerySet[ChildCase], today: dt.date, days: int = TURNING_18_DAYS
) -> list[TurningEighteen]:
    """Open cases of young people who turn 18 within ``days`` — or are 18 already — with no
    decision yet for what happens then, soonest first. Ages are read from the person's date
    of birth as it stands: a revision that makes someone an adult (or a child) puts them on
    (or takes them off) the list at once."""
    horizon = today + dt.timedelta(days=days)
    # Born on or before the horizon's day 18 years earlier (a day's margin for 29 February).
    latest_birth = birthday_in_year(horizon, horizon.year - ADULT_AGE) + dt.timedelta(days=1)
    candidates = (
        cases.filter(closed_on__isnull=True, after_18="", person__birth_date__lte=latest_birth)
        .select_related("person__household", "case_worker")
        .order_by("-person__birth_date", "id")
    )
    rows = []
    for case in candidates:
        birthday = eighteenth_birthday(case.person.birth_date)
        if birthday <= horizon:
            rows.append(TurningEighteen(case, birthday, (birthday - today).days))
    return sorted(rows, key=lambda row: (row.birthday, row.case.pk))


def current_stays(cases: list[ChildCase]) -> dict[int, Stay]:
    """Where each child of ``cases`` lives today, by household: one query for a list."""
    today = timezone.localdate()
    stays = (
        Stay.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            household_id__in=[case.person.household_id for case in cases],
            started_on__lte=today,
        )
        .select_related("unit__site__organisation")
        .order_by("started_on")
    )
    return {stay.household_id: stay for stay in stays}
