"""The annual added-value report (Årsredovisning av mervärdesinsatser) of one agreement and
year: its figures from the data, beside the texts the partnership writes (``models``).

Everything here is a count over a year; no person appears. Counts of people from 1 to
``SMALL_COUNT`` - 1 are published as "fewer than 5" by the template filter ``published``;
counts of services, trainings or coupons are not persons and are shown as they are. The
figures count the agreement's parties (those taking part some day of the year).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillsammans.addedvalues.models import Delivery, ServiceCategory
from tillsammans.core.lib.dates import month_bounds
from tillsammans.coupons.selectors import issued_by_organisation
from tillsammans.finance.models import MonthlyReport, ReportStatus
from tillsammans.hosting.models import Programme
from tillsammans.hosting.selectors import rent_lines
from tillsammans.housing.models import Site, SiteKind
from tillsammans.housing.selectors import BedSteps, bed_steps, not_closed_by
from tillsammans.housing.selectors import agreement_sites as housing_agreement_sites
from tillsammans.jobs.selectors import yearly_figures as jobs_yearly_figures
from tillsammans.partnership.models import Agreement, Organisation, running_in, taking_part_in
from tillsammans.reception.models import Occupancy, Stay
from tillsammans.reception.selectors import arrival_occupancies
from tillsammans.referrals.selectors import sent_by_organisation
from tillsammans.training.models import TrainingSession, VolunteerHours

# The module, not its names: goals reads this module's counts, so each imports the other.
from . import goals as goal_years
from .models import AnnualNarrative, AnnualReport, Quote, ReportPhoto

SMALL_COUNT = 5
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Indicator:
    code: str  # stable across languages
    label: str | Promise
    value: int | None  # None: not recorded in the application
    persons: bool = True  # a count of persons: 1 to 4 is published as "fewer than 5"


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
    # (category label, count); the label stays lazy, read in the edition's language
    services: list[tuple[str | Promise, int]] = field(default_factory=list)
    delivered: int = 0
    reached: int = 0
    volunteer_hours: int = 0
    trainings: int = 0
    employed: int | None = None
    coupons: int = 0
    coupon_sek: int = 0
    referrals_sent: int = 0
    own_funds: int = 0
    narrative: AnnualNarrative | None = None
    quotes: list[Quote] = field(default_factory=list)
    photos: list[ReportPhoto] = field(default_factory=list)


@dataclass
class AnnualFigures:
    year: int
    agreement: Agreement
    texts: AnnualReport | None
    headline: list[Indicator]
    months: list[MonthBar]
    services_by_partner: list[tuple[str, list[tuple[str | Promise, int]]]]  # partner, (category, n)
    partners: list[PartnerSection]
    contribution: list[Indicator]
    goals: "list[goal_years.GoalYear]"  # quoted: goals is loaded after this module
    quotes: list[Quote]  # of the report as a whole
    photos: list[ReportPhoto]

    @property
    def peak_places(self) -> float:
        return max((bar.available for bar in self.months), default=0.0)

    @property
    def contributed(self) -> list[Indicator]:
        """The contributions the partners made this year: a partnership without food
        coupons or host homes (the minors' of 2015–2016) is not shown a column of zeros."""
        return [indicator for indicator in self.contribution if indicator.value]


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
    if Agreement.objects.filter(running_in(today, today + ONE_DAY)).exists():
        years.add(today.year)
    return sorted((year for year in years if year <= today.year), reverse=True)


def year_has_records(year: int, today: dt.date) -> bool:
    """Whether ``year`` is one of ``report_years(today)``, asked for one year: a few indexed
    existence checks instead of reading every stay's years (half a report's time at national
    scale)."""
    if year > today.year:
        return False
    start, end = _year(year)
    if (
        Stay.objects.filter(started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .exists()
    ):
        return True
    if Delivery.objects.filter(delivered_on__gte=start, delivered_on__lt=end).exists():
        return True
    if MonthlyReport.objects.filter(month__gte=start, month__lt=end).exists():
        return True
    return (
        year == today.year and Agreement.objects.filter(running_in(today, today + ONE_DAY)).exists()
    )


# organisation, opens, closes, and the site's beds over time (its units' bed counts)
SiteBeds = tuple[int, dt.date, dt.date | None, BedSteps]


def site_beds(year: int, sites: QuerySet[Site, Any] | None = None) -> list[SiteBeds]:
    """The sites open some day of the year: organisation, opening and closing days, and their
    beds as they were day by day (a bed count changed since is not read back into the year).
    One read serves the places made available and the place-days."""
    start, end = _year(year)
    open_sites = (
        (Site.objects.all() if sites is None else Site.objects.filter(pk__in=sites))
        .filter(opens_on__lt=end)
        .filter(not_closed_by(start))
    )
    steps = bed_steps(open_sites, end)
    rows = open_sites.order_by().values_list("id", "organisation_id", "opens_on", "closes_on")
    return [
        (organisation_id, opens_on, closes_on, steps[site_id])
        for site_id, organisation_id, opens_on, closes_on in rows
        if site_id in steps
    ]


def places_by_organisation(
    year: int, sites: QuerySet[Site, Any] | None = None, beds: list[SiteBeds] | None = None
) -> dict[int, int]:
    """Beds of the sites that were open some day of the year, the most each had while open
    in it: the places made available."""
    start, end = _year(year)
    totals: dict[int, int] = defaultdict(int)
    for organisation_id, opens_on, closes_on, steps in (
        site_beds(year, sites) if beds is None else beds
    ):
        most, _usable = steps.most(max(opens_on, start), min(closes_on or end, end))
        totals[organisation_id] += most
    return dict(totals)


def received_in_year(
    year: int, sites: QuerySet[Site, Any] | None = None
) -> tuple[int, dict[int, int]]:
    """Persons who arrived in the year (a move between units is not an arrival): how many in
    all, and by the organisation of the site they arrived at (a person who arrived twice, at
    two partners, counts once in all and once at each).

    One read of the (person, organisation) pairs serves both figures: two counting queries
    each joined the year's arrivals again (0.40 s instead of 0.24 s on PostgreSQL at national
    scale)."""
    start, end = _year(year)
    occupancies = arrival_occupancies(start, end)
    if sites is not None:
        occupancies = occupancies.filter(stay__unit__site__in=sites)
    pairs = set(
        occupancies.order_by().values_list("person_id", "stay__unit__site__organisation_id")
    )
    by_organisation: dict[int, int] = defaultdict(int)
    for _person, organisation_id in pairs:
        by_organisation[organisation_id] += 1
    return len({person for person, _org in pairs}), dict(by_organisation)


def persons_received(year: int, sites: QuerySet[Site, Any] | None = None) -> int:
    return received_in_year(year, sites)[0]


def nights_by_month(
    year: int, sites: QuerySet[Site, Any] | None = None
) -> tuple[list[int], dict[int, int], int]:
    """Occupied place-nights per month, per organisation over the year, and in host homes.

    One read of the year's occupancies, grouped by the days they start and end and their
    site (the persons of a household move together, so a group is a household or more),
    counted in arrays: a night belongs to the date it starts on, so an occupancy
    [start, end) holds (min(end, b) - max(start, a)) nights of a month [a, b).
    """
    start, end = _year(year)
    occupancies = Occupancy.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start), started_on__lt=end
    )
    if sites is not None:
        occupancies = occupancies.filter(bed__unit__site__in=sites)
    rows = list(
        occupancies.values_list("started_on", "ended_on", "bed__unit__site_id")
        .annotate(persons=Count("id"))
        .order_by()
    )
    if not rows:
        return [0] * 12, {}, 0
    known = Site.objects.all() if sites is None else Site.objects.filter(pk__in=sites)
    site_of = {
        pk: (org, kind) for pk, org, kind in known.values_list("pk", "organisation_id", "kind")
    }
    count = len(rows)
    open_end = end.toordinal()
    first = np.fromiter((row[0].toordinal() for row in rows), dtype=np.int64, count=count)
    last = np.fromiter(
        (row[1].toordinal() if row[1] else open_end for row in rows), dtype=np.int64, count=count
    )
    persons = np.fromiter((row[3] for row in rows), dtype=np.int64, count=count)
    org = np.fromiter((site_of[row[2]][0] for row in rows), dtype=np.int64, count=count)
    host_home = np.fromiter(
        (site_of[row[2]][1] == SiteKind.HOST_HOME for row in rows), dtype=bool, count=count
    )
    per_month = []
    for month in range(1, 13):
        a, b = (day.toordinal() for day in month_bounds(year, month))
        nights = np.clip(np.minimum(last, b) - np.maximum(first, a), 0, None)
        per_month.append(int((nights * persons).sum()))
    in_year = (
        np.clip(np.minimum(last, open_end) - np.maximum(first, start.toordinal()), 0, None)
        * persons
    )
    orgs, index = np.unique(org, return_inverse=True)
    per_org = np.bincount(index, weights=in_year)
    return (
        per_month,
        {int(o): int(n) for o, n in zip(orgs, per_org, strict=True)},
        int(in_year[host_home].sum()),
    )


def place_days_by_month(
    year: int, sites: QuerySet[Site, Any] | None = None, beds: list[SiteBeds] | None = None
) -> list[int]:
    """Available place-days per month: each bed of a site for each day the site is open."""
    per_month = [0] * 12
    for _org, opens_on, closes_on, steps in site_beds(year, sites) if beds is None else beds:
        for month in range(1, 13):
            first, following = month_bounds(year, month)
            per_month[month - 1] += steps.open_place_days(opens_on, closes_on, first, following)
    return per_month


def agreement_sites(agreement: Agreement, organisation_ids: Collection[int]) -> QuerySet[Site, Any]:
    """The sites whose places the agreement counts: those offered under it, and the parties'
    sites that are under no agreement (the ids, as a subquery)."""
    return housing_agreement_sites(agreement.pk, organisation_ids)


Window = tuple[dt.date, dt.date]  # [first day, following day)


def party_windows(agreement: Agreement, year: int) -> dict[int, Window]:
    """The days of the year each party's work counts in the agreement, by organisation: what
    a partner did before it joined a running agreement, or after it left, is not the
    agreement's (seed 004: two partners joined in 2016). A founding party (joined when the
    agreement began) counts from the start of the year: the first year's report tells of the
    work that led to the agreement, as seed 000 tells of the spring before the signing."""
    start, end = _year(year)
    windows: dict[int, Window] = {}
    parties = agreement.party_set.filter(taking_part_in(start, end))
    for organisation_id, joined_on, left_on in parties.values_list(
        "organisation_id", "joined_on", "left_on"
    ):
        following = end if left_on is None else min(end, left_on + ONE_DAY)
        first = start if joined_on <= agreement.starts_on else max(start, joined_on)
        windows[organisation_id] = (first, following)
    return windows


def _by_window(windows: dict[int, Window]) -> dict[Window, list[int]]:
    grouped: dict[Window, list[int]] = defaultdict(list)
    for organisation_id, window in windows.items():
        grouped[window].append(organisation_id)
    return grouped


def within(windows: dict[int, Window], organisation: str, day: str) -> Q:
    """Rows of each organisation dated inside its own window (one clause per distinct window:
    usually one, the whole year)."""
    condition = Q(pk__in=[])
    for (first, following), organisation_ids in _by_window(windows).items():
        condition |= Q(
            **{
                f"{organisation}__in": organisation_ids,
                f"{day}__gte": first,
                f"{day}__lt": following,
            }
        )
    return condition


def counted_within(
    windows: dict[int, Window], count: Callable[[dt.date, dt.date], dict[int, Any]]
) -> dict[int, Any]:
    """``count(first, following)`` of each organisation over its own window, asked once per
    distinct window."""
    result: dict[int, Any] = {}
    for (first, following), organisation_ids in _by_window(windows).items():
        counted = count(first, following)
        result.update({pk: counted[pk] for pk in organisation_ids if pk in counted})
    return result


def _employed(figures: dict[str, int] | None) -> int | None:
    """The people in work a partner's job programme can report for the year, or None."""
    if figures is None or not any(figures[k] for k in ("enrolled", "got_work", "in_work_end")):
        return None
    return figures["got_work"]


def jobs_within(year: int, windows: dict[int, Window]) -> dict[int, dict[str, int]]:
    """Jobbstart's figures of the year, each organisation's over its own window."""
    return counted_within(
        windows, lambda first, following: jobs_yearly_figures(year, period=(first, following))
    )


def month_windows(windows: dict[int, Window]) -> dict[int, Window]:
    """The windows widened to whole months: a month's record (volunteer hours) counts if the
    party took part some day of it."""
    return {pk: (first.replace(day=1), following) for pk, (first, following) in windows.items()}


def _months_of(window: Window) -> list[int]:
    first, following = window
    last = following - dt.timedelta(days=1)
    return list(range(first.month, last.month + 1))


def parties_of_year(agreement: Agreement, year: int) -> list[Organisation]:
    """The organisations taking part in the agreement some day of the year, the city first."""
    parties = agreement.party_set.filter(taking_part_in(*_year(year)))
    return list(
        Organisation.objects.filter(parties__in=parties)
        .order_by("kind", "name")
        .select_related("logo")
        .defer("logo__content")
    )


def host_rent_by_organisation(
    year: int,
    windows: dict[int, Window] | None = None,
    sites: QuerySet[Site, Any] | None = None,
) -> dict[int, int]:
    """Rent passed on to host homes in the year, per organisation running the programme; with
    ``windows``, only the months each organisation took part in, and with ``sites`` only the
    host homes among them."""
    totals: dict[int, int] = defaultdict(int)
    site_ids = None if sites is None else set(sites.values_list("id", flat=True))
    programmes = Programme.objects.select_related("organisation")
    if windows is not None:
        programmes = programmes.filter(organisation_id__in=windows)
    for programme in programmes:
        if windows is None:
            months = list(range(1, 13))
        else:
            months = _months_of(windows[programme.organisation_id])
        for month in months:
            totals[programme.organisation_id] += sum(
                line.amount
                for line in rent_lines(programme, year, month)
                if site_ids is None or line.host.unit.site_id in site_ids
            )
    return totals


def own_funds_by_organisation(year: int, agreement: Agreement | None = None) -> dict[int, int]:
    """The own funds partners reported for the months of the year (under ``agreement``, if
    given): each month's latest version that is submitted or approved (a correction replaces
    what it corrects)."""
    start, end = _year(year)
    latest: dict[tuple[int, dt.date], tuple[int, Decimal]] = {}
    reports = MonthlyReport.objects.filter(
        month__gte=start, month__lt=end,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
    )  # fmt: skip
    if agreement is not None:
        reports = reports.filter(agreement=agreement)
    rows = reports.values_list("organisation_id", "month", "version", "own_funds")
    for organisation_id, month, version, own_funds in rows:
        key = (organisation_id, month)
        if key not in latest or version > latest[key][0]:
            latest[key] = (version, own_funds or Decimal(0))
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (organisation_id, _month), (_version, amount) in latest.items():
        totals[organisation_id] += amount
    return {organisation_id: round(total) for organisation_id, total in totals.items()}


def annual_report(agreement: Agreement, year: int) -> AnnualFigures:
    organisations = parties_of_year(agreement, year)
    ids = [o.id for o in organisations]
    # What a party did is counted only over the days it took part in the agreement.
    windows = party_windows(agreement, year)
    sites = agreement_sites(agreement, ids)
    beds = site_beds(year, sites)
    places = places_by_organisation(year, beds=beds)
    received_in_all, received = received_in_year(year, sites)
    nights, nights_per_org, host_home_nights = nights_by_month(year, sites)
    place_days = place_days_by_month(year, beds=beds)
    months = []
    for month in range(1, 13):
        first, following = month_bounds(year, month)
        days = (following - first).days
        months.append(MonthBar(first, nights[month - 1] / days, place_days[month - 1] / days))

    # The services offered under this agreement, and the parties' outside any agreement.
    deliveries = Delivery.objects.filter(
        Q(service__agreement=agreement) | Q(service__agreement__isnull=True),
        within(windows, "organisation_id", "delivered_on"),
    )
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
    trainings = {
        row["organiser_id"]: row["n"]
        for row in TrainingSession.objects.filter(within(windows, "organiser_id", "held_on"))
        .values("organiser_id")
        .annotate(n=Count("id"))
    }
    volunteer_hours = {
        row["organisation_id"]: round(row["h"] or 0)
        for row in VolunteerHours.objects.filter(
            within(month_windows(windows), "organisation_id", "month")
        )
        .values("organisation_id")
        .annotate(h=Sum("hours"))
    }
    # Jobbstart: "got_work" counts those who got a job in the year (the seeds' "over 40").
    job_figures = jobs_within(year, windows)
    coupons = counted_within(
        windows, lambda first, following: issued_by_organisation(first, following - ONE_DAY)
    )
    zone = timezone.get_current_timezone()
    referrals = counted_within(
        windows,
        lambda first, following: sent_by_organisation(
            dt.datetime.combine(first, dt.time(), tzinfo=zone),
            dt.datetime.combine(following, dt.time(), tzinfo=zone),
        ),
    )
    rent = host_rent_by_organisation(year, windows, sites)
    own_funds = own_funds_by_organisation(year, agreement)
    narratives = {
        narrative.organisation_id: narrative
        for narrative in AnnualNarrative.objects.filter(agreement=agreement, year=year)
    }
    quotes = list(Quote.objects.filter(agreement=agreement, year=year))
    photos = list(ReportPhoto.objects.filter(agreement=agreement, year=year).defer("file__content"))

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
                    (labels[c], n) for c, n in sorted(categories.items(), key=lambda i: -i[1])
                ],
                delivered=sum(categories.values()),
                reached=reached.get(organisation.id, 0),
                volunteer_hours=volunteer_hours.get(organisation.id, 0),
                trainings=trainings.get(organisation.id, 0),
                # None for a partner without a job programme, or whose programme had no
                # one in it that year (Jobbstart in the minors' 2016): nothing to show.
                employed=_employed(job_figures.get(organisation.id)),
                coupons=coupons.get(organisation.id, {}).get("issued") or 0,
                coupon_sek=coupons.get(organisation.id, {}).get("issued_sek") or 0,
                referrals_sent=referrals.get(organisation.id, 0),
                own_funds=own_funds.get(organisation.id, 0),
                narrative=narratives.get(organisation.id),
                quotes=[q for q in quotes if q.organisation_id == organisation.id],
                photos=[p for p in photos if p.organisation_id == organisation.id],
            )
        )

    def total(values: dict[int, int]) -> int:
        return sum(values.get(i, 0) for i in ids)

    headline = [
        Indicator("places", _("places made available"), total(places), persons=False),
        Indicator("received", _("people received"), received_in_all),
        Indicator(
            "in_work",
            _("people in work"),
            sum(job_figures.get(i, {}).get("got_work", 0) for i in ids),
        ),
        Indicator(
            "services", _("services delivered"), sum(s.delivered for s in partners), persons=False
        ),
        Indicator("trainings", _("joint trainings held"), total(trainings), persons=False),
    ]
    if all(section.employed is None for section in partners):
        # No partner ran a job programme that year: not "0 people in work".
        headline = [indicator for indicator in headline if indicator.code != "in_work"]
    contribution = [
        Indicator(
            "coupons",
            _("food coupons handed out"),
            sum(s.coupons for s in partners),
            persons=False,
        ),
        Indicator(
            "coupon_sek",
            _("value of the food coupons (SEK)"),
            sum(s.coupon_sek for s in partners),
            persons=False,
        ),
        Indicator(
            "host_rent",
            _("rent passed on to host homes (SEK)"),
            total(rent),
            persons=False,
        ),
        Indicator(
            "host_home_nights",
            _("nights in host homes in private households"),
            host_home_nights,
            persons=False,
        ),
        Indicator("volunteer_hours", _("volunteer hours"), total(volunteer_hours), persons=False),
        Indicator(
            "referrals",
            _("referrals between partners"),
            sum(s.referrals_sent for s in partners),
            persons=False,
        ),
        Indicator("own_funds", _("the partners' own funds (SEK)"), total(own_funds), persons=False),
    ]
    services_by_partner: list[tuple[str, list[tuple[str | Promise, int]]]] = [
        (
            section.organisation.short_name or section.organisation.name,
            [
                (label, by_org_category[section.organisation.id].get(code, 0))
                for code, label in labels.items()
            ],
        )
        for section in partners
        if section.delivered
    ]
    return AnnualFigures(
        year=year,
        agreement=agreement,
        texts=AnnualReport.objects.filter(agreement=agreement, year=year).first(),
        headline=headline,
        months=months,
        services_by_partner=services_by_partner,
        partners=partners,
        contribution=contribution,
        goals=goal_years.goals_for_year(agreement, year),
        quotes=[q for q in quotes if q.organisation_id is None],
        photos=[p for p in photos if p.organisation_id is None],
    )
