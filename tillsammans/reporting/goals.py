"""An agreement's goals followed year by year: each indicator's outcome beside its baseline and
target, computed from the data (``Indicator.measure``) or as entered by hand."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from tillsammans.addedvalues.models import Delivery, ServiceCategory
from tillsammans.housing.models import Site
from tillsammans.jobs.selectors import yearly_figures as jobs_yearly_figures
from tillsammans.minors.selectors import measure as minors_measure
from tillsammans.partnership.models import MINORS_MEASURES, Agreement, Goal, Indicator, Measure
from tillsammans.reception.models import ExitReason, Occupancy, Stay
from tillsammans.reception.selectors import arrivals_between
from tillsammans.training.models import VolunteerHours

from . import annual

ONE_DECIMAL = Decimal("0.1")


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def placed_within_48h(year: int, sites: QuerySet[Site, Any] | None = None) -> Decimal | None:
    """Of the households that arrived in the year from an allocation, the share who moved in
    at most two days after the allocation (the day's granularity of 48 hours)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    arrivals = arrivals_between(start, end).filter(allocation__isnull=False)
    if sites is not None:
        arrivals = arrivals.filter(unit__site__in=sites)
    rows = arrivals.values_list("started_on", "allocation__allocated_on")
    total = quick = 0
    for started_on, allocated_on in rows:
        total += 1
        quick += (started_on - allocated_on).days <= 2
    return _share(quick, total)


def health_reach(year: int, sites: QuerySet[Site, Any] | None = None) -> Decimal | None:
    """Of the persons who lived in the partnership's places some night of the year, the share
    given at least one health service in the year."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    occupancies = Occupancy.objects.filter(started_on__lt=end).exclude(ended_on__lte=start)
    if sites is not None:
        occupancies = occupancies.filter(bed__unit__site__in=sites)
    residents = set(occupancies.values_list("person_id", flat=True).distinct())
    reached = set(
        Delivery.objects.filter(
            delivered_on__gte=start,
            delivered_on__lt=end,
            service__category=ServiceCategory.HEALTH,
            person_id__in=residents,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    return _share(len(reached), len(residents))


def computed(
    measure: str, year: int, sites: QuerySet[Site, Any] | None = None,
    organisation_ids: Collection[int] | None = None, agreement: Agreement | None = None,
    windows: dict[int, tuple[dt.date, dt.date]] | None = None,
) -> Decimal | None:  # fmt: skip
    """The year's value of ``measure``: counted at an agreement's ``sites`` and for its
    parties (``organisation_ids``) when given, else over everything recorded."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    parties = Q() if organisation_ids is None else Q(organisation_id__in=organisation_ids)
    # Under an agreement, a party's work counts over the days it took part (as in the report);
    # ``windows``, when given, are the agreement's, counted once for all its indicators.
    if windows is None and agreement is not None:
        windows = annual.party_windows(agreement, year)
    if measure in MINORS_MEASURES:
        return minors_measure(measure, year, sites)
    match measure:
        case Measure.PLACED_WITHIN_48H:
            return placed_within_48h(year, sites)
        case Measure.HEALTH_REACH:
            return health_reach(year, sites)
        case Measure.IN_WORK:
            figures = (
                jobs_yearly_figures(year) if windows is None else annual.jobs_within(year, windows)
            )
            return Decimal(
                sum(
                    f["got_work"]
                    for organisation_id, f in figures.items()
                    if organisation_ids is None or organisation_id in organisation_ids
                )
            )
        case Measure.RECEIVED:
            return Decimal(annual.persons_received(year, sites))
        case Measure.PLACES:
            return Decimal(sum(annual.places_by_organisation(year, sites).values()))
        case Measure.MOVED_ON:
            stays = Stay.objects.filter(
                ended_on__gte=start, ended_on__lt=end, exit_reason=ExitReason.OWN_HOUSING
            )
            if sites is not None:
                stays = stays.filter(unit__site__in=sites)
            return Decimal(stays.values("household").distinct().count())
        case Measure.VOLUNTEER_HOURS:
            days = (
                Q(month__gte=start, month__lt=end)
                if windows is None
                else annual.within(annual.month_windows(windows), "organisation_id", "month")
            )
            hours = VolunteerHours.objects.filter(parties, days).aggregate(h=Sum("hours"))["h"]
            return Decimal(round(hours or 0))
        case Measure.SERVICES:
            offered = (
                Q()
                if agreement is None
                else Q(service__agreement=agreement) | Q(service__agreement__isnull=True)
            )
            days = (
                Q(delivered_on__gte=start, delivered_on__lt=end)
                if windows is None
                else annual.within(windows, "organisation_id", "delivered_on")
            )
            n = Delivery.objects.filter(parties, offered, days).aggregate(n=Sum("quantity"))["n"]
            return Decimal(n or 0)
    return None


@dataclass(frozen=True)
class Outcome:
    indicator: Indicator
    value: Decimal | None  # None: not entered, or nothing to compute from
    source: str  # the hand-entered value's source; empty when computed

    @property
    def reached(self) -> bool | None:
        if self.value is None or self.indicator.target is None:
            return None
        return self.value >= self.indicator.target


@dataclass(frozen=True)
class GoalYear:
    goal: Goal
    outcomes: list[Outcome]


def goals_for_year(agreement: Agreement, year: int) -> list[GoalYear]:
    goals = list(agreement.goals.prefetch_related("indicators__values"))
    windows = annual.party_windows(agreement, year)
    parties = list(windows)  # the organisations taking part some day of the year
    sites = annual.agreement_sites(agreement, parties)
    cache: dict[str, Decimal | None] = {}
    result = []
    for goal in goals:
        outcomes = []
        for indicator in goal.indicators.all():
            if indicator.measure:
                if indicator.measure not in cache:
                    cache[indicator.measure] = computed(
                        indicator.measure, year, sites, parties, agreement, windows
                    )
                outcomes.append(Outcome(indicator, cache[indicator.measure], ""))
            else:
                entered = next((v for v in indicator.values.all() if v.year == year), None)
                outcomes.append(
                    Outcome(
                        indicator,
                        entered.value if entered else None,
                        entered.note if entered else "",
                    )
                )
        result.append(GoalYear(goal, outcomes))
    return result


def agreement_years(agreement: Agreement, today: dt.date) -> list[int]:
    last = min(agreement.ends_on or today, today).year
    return list(range(agreement.starts_on.year, max(last, agreement.starts_on.year) + 1))
