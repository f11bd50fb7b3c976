"""Reads of the minors app: the work list of young people turning 18, and the indicators of
the children's goals."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from tillsammans.addedvalues.models import Delivery
from tillsammans.core.lib.dates import ADULT_AGE, birthday_in_year
from tillsammans.housing.models import Site
from tillsammans.partnership.models import Measure
from tillsammans.reception.models import Occupancy, Stay

from .models import (
    ChildCase,
    GuardianAppointment,
    PlanGoal,
    ReunificationEvent,
    ReunificationStep,
    ServiceEnrolment,
    VolunteerLink,
)

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


# -- a child's sessions ----------------------------------------------------------------------

SESSIONS_SHOWN = 50


def sessions_of(
    person: Any, enrolments: list[ServiceEnrolment], links: list[VolunteerLink]
) -> list[Delivery]:
    """The child's latest sessions in the services the case gave a place in, and meetings
    with the linked volunteers' organisations, each within its dates: what another
    organisation gave the child outside these is that organisation's to know."""
    within = Q(pk__in=[])
    for enrolment in enrolments:
        within |= _dated(enrolment.starts_on, enrolment.ends_on) & Q(
            service_id=enrolment.service_id
        )
    for link in links:
        organisation_id = link.volunteer.volunteer.organisation_id
        within |= _dated(link.starts_on, link.ends_on) & Q(organisation_id=organisation_id)
    if not enrolments and not links:
        return []
    return list(
        Delivery.objects.filter(within, person=person)
        .select_related("service__organisation")
        .order_by("-delivered_on", "-id")[:SESSIONS_SHOWN]
    )


def _dated(starts_on: dt.date, ends_on: dt.date | None) -> Q:
    days = Q(delivered_on__gte=starts_on)
    return days if ends_on is None else days & Q(delivered_on__lte=ends_on)


# -- the agreement's goals: indicators from the children's data (seed 003) ----------------------

GUARDIAN_DAYS = 14
ONE_DECIMAL = Decimal("0.1")


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def children_of_year(year: int, sites: QuerySet[Site, Any] | None = None) -> QuerySet[ChildCase]:
    """The cases of the children who lived at ``sites`` (or anywhere) some night of the year."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    lived = Occupancy.objects.filter(started_on__lt=end).exclude(ended_on__lte=start)
    if sites is not None:
        lived = lived.filter(bed__unit__site__in=sites)
    return ChildCase.objects.filter(person_id__in=lived.values("person_id"))


def measure(name: str, year: int, sites: QuerySet[Site, Any] | None = None) -> Decimal | None:
    """The year's value of one of the measures of the children's goals (``MINORS_MEASURES``)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    cases = children_of_year(year, sites)
    during = Q(starts_on__lt=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    match name:
        case Measure.GUARDIAN_IN_TIME:
            arrived = list(
                cases.filter(opened_on__gte=start, opened_on__lt=end).values_list("pk", "opened_on")
            )
            first = dict(
                GuardianAppointment.objects.filter(case_id__in=[pk for pk, _ in arrived])
                .values_list("case_id")
                .annotate(first=Min("appointed_on"))
            )
            in_time = sum(
                1
                for pk, opened_on in arrived
                if pk in first and (first[pk] - opened_on).days <= GUARDIAN_DAYS
            )
            return _share(in_time, len(arrived))
        case Measure.CHILDREN_WITH_PLAN:
            # A goal carries no day it was written (a demo replayed today would write every
            # one today); a plan whose first follow-up falls by the end of the year served it.
            planned = PlanGoal.objects.filter(case__in=cases, follow_up_on__lt=end)
            return _share(planned.values("case_id").distinct().count(), cases.count())
        case Measure.CHILDREN_WITH_VOLUNTEER:
            linked = VolunteerLink.objects.filter(during, case__in=cases).values("case_id")
            return _share(linked.distinct().count(), cases.count())
        case Measure.CHILDREN_IN_SERVICES:
            taking = ServiceEnrolment.objects.filter(during, case__in=cases).values("case_id")
            return Decimal(taking.distinct().count())
        case Measure.RELATIVES_FOUND:
            found = ReunificationEvent.objects.filter(
                step=ReunificationStep.RELATIVE_FOUND, on__gte=start, on__lt=end,
                reunification__case__in=cases,
            )  # fmt: skip
            # relatives, not steps: a step recorded again as a correction is one relative
            return Decimal(found.values("relative_id").distinct().count())
        case Measure.AFTER_18_IN_TIME:
            # those still in the social services' care on the birthday (open case)
            turning = [
                case
                for case in cases.select_related("person")
                if eighteenth_birthday(case.person.birth_date).year == year
                and (
                    case.closed_on is None
                    or case.closed_on >= eighteenth_birthday(case.person.birth_date)
                )
            ]
            in_time = sum(
                1
                for case in turning
                if case.after_18_decided_on is not None
                and case.after_18_decided_on <= eighteenth_birthday(case.person.birth_date)
            )
            return _share(in_time, len(turning))
    return None
