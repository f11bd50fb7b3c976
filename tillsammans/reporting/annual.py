"""The annual added-value report (Årsredovisning av mervärdesinsatser), from the data.

Everything here is a count over a year; no person appears. Counts of people from 1 to
``SMALL_COUNT`` - 1 are published as "fewer than 5" by the template filter ``published``.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillsammans.addedvalues.models import Delivery, ServiceCategory
from tillsammans.core.lib.dates import month_bounds
from tillsammans.finance.models import MonthlyReport
from tillsammans.housing.models import Site, SiteKind
from tillsammans.jobs.selectors import yearly_figures as jobs_yearly_figures
from tillsammans.partnership.models import Agreement, Organisation
from tillsammans.reception.models import ExitReason, Occupancy, Stay
from tillsammans.reception.selectors import arrivals_between
from tillsammans.training.models import TrainingSession, VolunteerHours

from .models import AnnualNarrative

SMALL_COUNT = 5


@dataclass(frozen=True)
class Indicator:
    code: str  # stable across languages
    label: str | Promise
    value: int | None  # None: not recorded in the application


@dataclass(frozen=True)
class Goal:
    title: str | Promise
    text: str | Promise
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class MonthBar:
    month: dt.date
    occupied: float  # average occupied places over the month's nights
    available: float  # average available places over its days


@dataclass
class PartnerSection:
    organisation: Organisation
    places: int = 0
    received: int = 0
    person_nights: int = 0
    services: list[tuple[str, int]] = field(default_factory=list)  # (category label, count)
    delivered: int = 0
    reached: int = 0
    volunteer_hours: int = 0
    trainings: int = 0
    employed: int | None = None
    narrative: AnnualNarrative | None = None


@dataclass
class AnnualReport:
    year: int
    agreement: Agreement | None
    headline: list[Indicator]
    months: list[MonthBar]
    services_by_partner: list[tuple[str, list[tuple[str, int]]]]  # partner, (category, n)
    partners: list[PartnerSection]
    goals: list[Goal]

    @property
    def peak_places(self) -> float:
        return max((bar.available for bar in self.months), default=0.0)


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def report_years(today: dt.date) -> list[int]:
    """The years an annual report can be made for, latest first: those in which someone
    lived in the partnership's places, a service was delivered or a monthly report was
    made, and the current year while an agreement is in force."""
    years: set[int] = set()
    spans = (
        Stay.objects.order_by()
        .annotate(first_year=ExtractYear("started_on"), last_year=ExtractYear("ended_on"))
        .values_list("first_year", "last_year")
        .distinct()
    )
    for first, last in spans:
        years.update(range(first, max(first, last or today.year) + 1))
    years.update(day.year for day in Delivery.objects.order_by().dates("delivered_on", "year"))
    years.update(day.year for day in MonthlyReport.objects.order_by().dates("month", "year"))
    in_force = Agreement.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    if in_force.exists():
        years.add(today.year)
    return sorted((year for year in years if year <= today.year), reverse=True)


def places_by_organisation(year: int) -> dict[int, int]:
    """Beds of the sites that were open some day of the year: the places made available."""
    start, end = _year(year)
    rows = (
        Site.objects.filter(opens_on__lt=end)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gt=start))
        .values("organisation_id")
        .annotate(beds=Count("units__beds"))
    )
    return {row["organisation_id"]: row["beds"] for row in rows}


def received_by_organisation(year: int) -> dict[int, int]:
    """Persons who arrived in the year (a move between units is not an arrival), by the
    organisation of the site they arrived at."""
    start, end = _year(year)
    rows = (
        Occupancy.objects.filter(
            stay__in=arrivals_between(start, end), started_on=F("stay__started_on")
        )
        .values("stay__unit__site__organisation_id")
        .annotate(persons=Count("person", distinct=True))
    )
    return {row["stay__unit__site__organisation_id"]: row["persons"] for row in rows}


def persons_received(year: int) -> int:
    start, end = _year(year)
    return (
        Occupancy.objects.filter(
            stay__in=arrivals_between(start, end), started_on=F("stay__started_on")
        )
        .values("person")
        .distinct()
        .count()
    )


def nights_by_month(year: int) -> tuple[list[int], dict[int, int], int]:
    """Occupied place-nights per month, per organisation over the year, and in host homes.

    One read of the year's occupancies, counted in arrays: a night belongs to the date it
    starts on, so an occupancy [start, end) holds (min(end, b) - max(start, a)) nights of a
    month [a, b).
    """
    start, end = _year(year)
    rows = list(
        Occupancy.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=start), started_on__lt=end
        ).values_list(
            "started_on", "ended_on", "bed__unit__site__organisation_id", "bed__unit__site__kind"
        )
    )
    if not rows:
        return [0] * 12, {}, 0
    open_end = end.toordinal()
    first = np.fromiter((row[0].toordinal() for row in rows), dtype=np.int64, count=len(rows))
    last = np.fromiter(
        (row[1].toordinal() if row[1] else open_end for row in rows),
        dtype=np.int64,
        count=len(rows),
    )
    org = np.fromiter((row[2] for row in rows), dtype=np.int64, count=len(rows))
    host_home = np.fromiter(
        (row[3] == SiteKind.HOST_HOME for row in rows), dtype=bool, count=len(rows)
    )
    per_month = []
    for month in range(1, 13):
        a, b = (day.toordinal() for day in month_bounds(year, month))
        per_month.append(int(np.clip(np.minimum(last, b) - np.maximum(first, a), 0, None).sum()))
    in_year = np.clip(np.minimum(last, open_end) - np.maximum(first, start.toordinal()), 0, None)
    orgs, index = np.unique(org, return_inverse=True)
    per_org = np.bincount(index, weights=in_year)
    return (
        per_month,
        {int(o): int(n) for o, n in zip(orgs, per_org, strict=True)},
        int(in_year[host_home].sum()),
    )


def place_days_by_month(year: int) -> list[int]:
    """Available place-days per month: each bed of a site for each day the site is open."""
    start, end = _year(year)
    per_month = [0] * 12
    sites = (
        Site.objects.filter(opens_on__lt=end)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gt=start))
        .annotate(beds=Count("units__beds", filter=Q(units__beds__blocked=False)))
        .values_list("opens_on", "closes_on", "beds")
    )
    for opens_on, closes_on, beds in sites:
        for month in range(1, 13):
            first, following = month_bounds(year, month)
            days = (min(closes_on or following, following) - max(opens_on, first)).days
            if days > 0:
                per_month[month - 1] += days * beds
    return per_month


def annual_report(year: int) -> AnnualReport:
    start, end = _year(year)
    agreement = (
        Agreement.objects.filter(starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("-starts_on", "-id")
        .first()
    )
    organisations = list(
        agreement.parties.order_by("kind", "name") if agreement else Organisation.objects.none()
    )
    places = places_by_organisation(year)
    received = received_by_organisation(year)
    nights, nights_per_org, host_home_nights = nights_by_month(year)
    place_days = place_days_by_month(year)
    months = []
    for month in range(1, 13):
        first, following = month_bounds(year, month)
        days = (following - first).days
        months.append(MonthBar(first, nights[month - 1] / days, place_days[month - 1] / days))

    deliveries = Delivery.objects.filter(delivered_on__gte=start, delivered_on__lt=end)
    labels = dict(ServiceCategory.choices)
    by_org_category: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        deliveries.order_by()
        .values("organisation_id", "service__category")
        .annotate(n=Sum("quantity"))
    ):
        by_org_category[row["organisation_id"]][row["service__category"]] = row["n"] or 0
    reached = {
        row["organisation_id"]: row["n"]
        for row in deliveries.filter(person__isnull=False)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("person", distinct=True))
    }
    by_category: dict[str, int] = defaultdict(int)
    for categories in by_org_category.values():
        for category, n in categories.items():
            by_category[category] += n
    trainings = {
        row["organiser_id"]: row["n"]
        for row in TrainingSession.objects.filter(held_on__gte=start, held_on__lt=end)
        .values("organiser_id")
        .annotate(n=Count("id"))
    }
    volunteer_hours = {
        row["organisation_id"]: round(row["h"] or 0)
        for row in VolunteerHours.objects.filter(month__gte=start, month__lt=end)
        .values("organisation_id")
        .annotate(h=Sum("hours"))
    }
    # Jobbstart: "got_work" counts those who got a job in the year (the seeds' "over 40").
    job_figures = jobs_yearly_figures(year)
    employed_total = sum(figures["got_work"] for figures in job_figures.values())
    enrolled_total = sum(figures["enrolled"] for figures in job_figures.values())
    moved_on = (
        Stay.objects.filter(
            ended_on__gte=start, ended_on__lt=end, exit_reason=ExitReason.OWN_HOUSING
        )
        .values("household")
        .distinct()
        .count()
    )
    narratives = {
        narrative.organisation_id: narrative
        for narrative in AnnualNarrative.objects.filter(year=year)
    }

    partners = []
    for organisation in organisations:
        categories = by_org_category.get(organisation.id, {})
        partners.append(
            PartnerSection(
                organisation=organisation,
                places=places.get(organisation.id, 0),
                received=received.get(organisation.id, 0),
                person_nights=nights_per_org.get(organisation.id, 0),
                services=[
                    (str(labels[c]), n) for c, n in sorted(categories.items(), key=lambda i: -i[1])
                ],
                delivered=sum(categories.values()),
                reached=reached.get(organisation.id, 0),
                volunteer_hours=volunteer_hours.get(organisation.id, 0),
                trainings=trainings.get(organisation.id, 0),
                # None for a partner without a job programme: nothing to show.
                employed=job_figures.get(organisation.id, {}).get("got_work"),
                narrative=narratives.get(organisation.id),
            )
        )
    services_total = sum(by_category.values())
    headline = [
        Indicator(
            "places", _("places made available"), sum(places.get(o.id, 0) for o in organisations)
        ),
        Indicator("received", _("people received"), persons_received(year)),
        Indicator("in_work", _("people in work"), employed_total),
        Indicator("services", _("services delivered"), services_total),
        Indicator("trainings", _("joint trainings held"), sum(trainings.values())),
    ]
    goals = [
        Goal(
            _("Safe homes"),
            _("A safe, home-like place to live from the first night."),
            (
                Indicator("places", _("places made available"), headline[0].value),
                Indicator("received", _("people received"), headline[1].value),
                Indicator(
                    "moved_on", _("households that moved on to a home of their own"), moved_on
                ),
            ),
        ),
        Goal(
            _("Better health"),
            _("Health checks and care within reach, and food on the table."),
            (
                Indicator(
                    "health", _("health services given"), by_category.get(ServiceCategory.HEALTH, 0)
                ),
                Indicator(
                    "food", _("food services given"), by_category.get(ServiceCategory.FOOD, 0)
                ),
            ),
        ),
        Goal(
            _("Participation"),
            _("Meeting places, language and a say in one's own life."),
            (
                Indicator(
                    "language",
                    _("language services given"),
                    by_category.get(ServiceCategory.LANGUAGE, 0),
                ),
                Indicator(
                    "leisure",
                    _("leisure and culture services given"),
                    by_category.get(ServiceCategory.LEISURE, 0),
                ),
                Indicator("volunteer_hours", _("volunteer hours"), sum(volunteer_hours.values())),
            ),
        ),
        Goal(
            _("Less segregation"),
            _("Homes in ordinary neighbourhoods and a way into working life."),
            (
                Indicator(
                    "host_home_nights",
                    _("nights in host homes in private households"),
                    host_home_nights,
                ),
                Indicator(
                    "work",
                    _("work and internship services given"),
                    by_category.get(ServiceCategory.WORK, 0),
                ),
            ),
        ),
        Goal(
            _("Belief in the future"),
            _("A job, a school and a plan for what comes next."),
            (
                Indicator("enrolled", _("job seekers enrolled"), enrolled_total),
                Indicator("in_work", _("people in work"), employed_total),
            ),
        ),
    ]
    services_by_partner = [
        (
            section.organisation.short_name or section.organisation.name,
            [
                (str(label), by_org_category[section.organisation.id].get(code, 0))
                for code, label in labels.items()
            ],
        )
        for section in partners
        if section.delivered
    ]
    return AnnualReport(
        year=year,
        agreement=agreement,
        headline=headline,
        months=months,
        services_by_partner=services_by_partner,
        partners=partners,
        goals=goals,
    )
