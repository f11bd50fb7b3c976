"""What a month's compensation is, computed from stays, beds and the agreement's rates."""

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from tillsammans.core import access
from tillsammans.core.lib.dates import month_bounds
from tillsammans.housing.models import Site
from tillsammans.housing.selectors import (
    BedSteps,
    agreement_site_filter,
    bed_steps,
    not_closed_by,
)
from tillsammans.partnership.models import (
    Agreement,
    Organisation,
    OrganisationKind,
    Party,
    Role,
    running_in,
    taking_part_in,
)
from tillsammans.reception.models import Occupancy, Stay
from tillsammans.reception.selectors import (
    AGE_BANDS,
    arrivals_between,
    departures_between,
    nights_by,
)

from .models import (
    CompensationRate,
    CostType,
    DistributionFigure,
    MonthlyReport,
    RateKind,
    ReportStatus,
    Scheme,
)

ORE = Decimal("0.01")
# The ages the rates tell apart: a child's night and an adult's, and, for an unaccompanied
# young person, 18–20 (the state's compensation for unaccompanied minors runs to 21).
RATE_BANDS = (
    ("child", "0–17", 0, 18),
    ("young", "18–20", 18, 21),
    ("adult", "21+", 21, 200),
)
# What an unaccompanied person's night is also counted as, by band (none from 21).
UNACCOMPANIED_KINDS: dict[str, str] = {
    "child": RateKind.UNACCOMPANIED_CHILD,
    "young": RateKind.UNACCOMPANIED_YOUNG,
}
# The ordinary kind a rate for unaccompanied minors replaces where the scheme has one.
REPLACES: dict[str, str] = {
    RateKind.UNACCOMPANIED_CHILD: RateKind.CHILD_NIGHT,
    RateKind.UNACCOMPANIED_YOUNG: RateKind.ADULT_NIGHT,
}

Quantities = dict[tuple[str, str], int]  # (rate kind, site kind) -> quantity


def quantities(
    start: dt.date, end: dt.date, agreement_id: int, organisation_id: int | None = None
) -> Quantities:
    """What [start, end) holds at the agreement's sites, by rate kind and site kind, for one
    partner or everyone.

    - available place-days: each unblocked bed of a site, for each day the site is open;
    - occupied place-nights and person-nights: one per person and night (a night belongs to
      the date it starts on), by the person's age that night; an unaccompanied child's or
      young person's (to 21) nights are counted under their own kinds too, and
      ``compensation`` pays them under those where the scheme has such a rate, instead of as
      a child's or adult's night;
    - persons moved in: the household's persons on arrival (a move between units is not one);
    - places made available: the beds of sites that open in the period.
    """
    by_organisation = quantities_by_organisation(start, end, agreement_id, organisation_id)
    if organisation_id is not None:
        return by_organisation.get(organisation_id, {})
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for counted in by_organisation.values():
        for key, value in counted.items():
            totals[key] += value
    return dict(totals)


def quantities_by_organisation(
    start: dt.date, end: dt.date, agreement_id: int, organisation_id: int | None = None
) -> dict[int, Quantities]:
    """``quantities`` of every organisation (or of one) in one pass over the data."""
    totals: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))

    def own(site: str) -> Q:
        condition = agreement_site_filter(agreement_id, site)
        if organisation_id is not None:
            condition &= Q(**{f"{site}organisation_id": organisation_id})
        return condition

    sites = Site.objects.filter(own(""))
    occupancies = Occupancy.objects.filter(own("bed__unit__site__"))
    fields = (
        "bed__unit__site__organisation_id", "bed__unit__site__kind",
        "person__household__unaccompanied",
    )  # fmt: skip
    nights = nights_by(start, end, fields, occupancies, RATE_BANDS)
    for (org, site_kind, unaccompanied, band), count in nights.items():
        totals[org][(RateKind.PLACE_NIGHT, site_kind)] += count
        ordinary = RateKind.CHILD_NIGHT if band == "child" else RateKind.ADULT_NIGHT
        totals[org][(ordinary, site_kind)] += count
        if unaccompanied and band in UNACCOMPANIED_KINDS:
            totals[org][(UNACCOMPANIED_KINDS[band], site_kind)] += count

    add_place_quantities(sites, start, end, totals)

    arrivals = arrivals_between(start, end).filter(own("unit__site__"))
    moved_in = (
        Occupancy.objects.filter(stay__in=arrivals, started_on=F("stay__started_on"))
        .values_list("stay__unit__site__organisation_id", "stay__unit__site__kind")
        .annotate(persons=Count("id"))
    )
    for org, site_kind, persons in moved_in:
        totals[org][(RateKind.MOVE_IN, site_kind)] += persons
    return {
        org: {key: value for key, value in counted.items() if value}
        for org, counted in totals.items()
    }


def add_place_quantities(
    sites: QuerySet[Site],
    start: dt.date,
    end: dt.date,
    totals: dict[int, dict[tuple[str, str], int]],
    steps: dict[int, BedSteps] | None = None,
) -> None:
    """Add to ``totals`` (by organisation) what the places of ``sites`` hold in [start, end):
    available place-days, and places made available by sites that open in the period, from
    the beds as they were then (a bed count changed since does not change the period).
    ``steps``, when given, are ``bed_steps`` of the sites read once for several periods."""
    open_sites = sites.filter(opens_on__lt=end).filter(not_closed_by(start))
    if steps is None:
        steps = bed_steps(open_sites, end)
    for site_id, org, site_kind, opens_on, closes_on in open_sites.values_list(
        "id", "organisation_id", "kind", "opens_on", "closes_on"
    ):
        beds = steps.get(site_id)
        if beds is None:
            continue
        place_days = beds.open_place_days(opens_on, closes_on, start, end)
        totals[org][(RateKind.PLACE_DAY, site_kind)] += place_days
        if opens_on >= start:
            # The most usable beds while open in the period: a unit entered some days after
            # the site opened is still a place the site made available.
            _beds, usable = beds.most(opens_on, min(closes_on or end, end))
            totals[org][(RateKind.NEW_PLACE, site_kind)] += usable


# Quantities already counted for every organisation, by agreement and period: one pass serves
# all partners.
Counted = dict[tuple[int, dt.date, dt.date], dict[int, Quantities]]


@dataclass(frozen=True)
class Line:
    kind: str
    site_kind: str
    start: dt.date
    end: dt.date  # exclusive
    quantity: int
    rate: CompensationRate

    @property
    def amount(self) -> Decimal:
        return (self.rate.amount * self.quantity).quantize(ORE, ROUND_HALF_UP)

    @property
    def kind_label(self) -> str:
        return str(RateKind(self.kind).label)


@dataclass(frozen=True)
class Compensation:
    scheme: str
    organisation: Organisation | None
    start: dt.date
    end: dt.date
    agreement: Agreement | None
    lines: tuple[Line, ...]
    # Quantities that no rate pays for, so that a missing rate is noticed, not silently 0.
    uncovered: tuple[tuple[str, str, int], ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def in_force(agreement: Agreement, start: dt.date, end: dt.date) -> bool:
    """Whether the agreement runs some day of [start, end)."""
    return agreement.starts_on < end and (agreement.ends_on is None or agreement.ends_on >= start)


def agreements_in_force(start: dt.date, end: dt.date) -> QuerySet[Agreement]:
    """The agreements running some day of [start, end), the latest to start first."""
    return Agreement.objects.filter(running_in(start, end)).order_by("-starts_on", "-id")


def month_agreement(
    user: Any, start: dt.date, end: dt.date, chosen: str | None
) -> tuple[Agreement | None, list[Agreement]]:
    """The agreement whose month [start, end) the user looks at: ``chosen`` (a public id; 404
    if not one of the user's), else the latest of the user's in force that month, else their
    latest (None if they have none); and the agreements to choose among: the user's in force
    that month, and the chosen one."""
    visible = access.visible_agreements(user)
    in_force = list(agreements_in_force(start, end).filter(pk__in=visible))
    if chosen:
        agreement: Agreement | None = access.get_agreement_for_user(user, chosen)
    elif in_force:
        agreement = in_force[0]
    else:
        agreement = visible.order_by("-starts_on", "-id").first()
    if agreement is None or agreement in in_force:
        return agreement, in_force
    return agreement, [agreement, *in_force]


def report_agreements(organisation_id: int, start: dt.date, end: dt.date) -> QuerySet[Agreement]:
    """The agreements under which a partner reports [start, end): those in force that it took
    part in some day of the period."""
    parties = Party.objects.filter(taking_part_in(start, end), organisation_id=organisation_id)
    return agreements_in_force(start, end).filter(party_set__in=parties)


def applicable_rate(
    rates: list[CompensationRate], kind: str, site_kind: str, day: dt.date
) -> CompensationRate | None:
    """The most specific rate of ``kind`` valid on ``day`` for a site of ``site_kind``.

    ``rates`` are already those of the right scheme and partner (or of every partner).
    """
    valid = [
        rate
        for rate in rates
        if rate.kind == kind and rate.valid_from <= day and rate.site_kind in ("", site_kind)
    ]
    if not valid:
        return None
    return max(valid, key=lambda rate: (rate.specificity, rate.valid_from, rate.id))


def _counted(
    start: dt.date,
    end: dt.date,
    agreement_id: int,
    organisation_id: int | None,
    counted: Counted | None,
) -> Quantities:
    if counted is None:
        return quantities(start, end, agreement_id, organisation_id)
    period = (agreement_id, start, end)
    if period not in counted:
        counted[period] = quantities_by_organisation(start, end, agreement_id)
    by_organisation = counted[period]
    if organisation_id is not None:
        return by_organisation.get(organisation_id, {})
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for one in by_organisation.values():
        for key, value in one.items():
            totals[key] += value
    return dict(totals)


def price_period(
    counted: Quantities, rates: list[CompensationRate], lo: dt.date, hi: dt.date,
    lines: list[Line], uncovered: dict[tuple[str, str], int],
) -> None:  # fmt: skip
    """Price the quantities of [lo, hi) at the rates valid on ``lo``: a line for each kind a
    rate pays, the rest to ``uncovered`` where the scheme pays that kind elsewhere."""
    quantities = dict(counted)
    for (kind, site_kind), quantity in list(quantities.items()):
        if kind in REPLACES and applicable_rate(rates, kind, site_kind, lo) is not None:
            # Paid as an unaccompanied minor's night, never also as a child's or adult's.
            ordinary = (REPLACES[kind], site_kind)
            quantities[ordinary] = quantities.get(ordinary, 0) - quantity
    for (kind, site_kind), quantity in sorted(quantities.items()):
        rate = applicable_rate(rates, kind, site_kind, lo)
        if quantity <= 0:
            continue
        if rate is not None:
            lines.append(Line(kind, site_kind, lo, hi, quantity, rate))
        elif kind in REPLACES:
            continue  # no rate for minors here: the child's or adult's night pays
        elif any(r.kind == kind for r in rates):
            # The scheme pays this kind, but not for this kind of site on these days.
            uncovered[(kind, site_kind)] += quantity


def figure_lines(
    agreement_id: int, rates: list[CompensationRate], start: dt.date, end: dt.date,
    uncovered: dict[tuple[str, str], int],
) -> list[Line]:  # fmt: skip
    """The state's amount per place in the distribution figure, for the figures set in
    [start, end): each place of a year's figure paid once, when a figure for that year first
    reaches it (a figure above the year's highest so far pays the places it adds; a lower one
    pays nothing), at the rate valid on the day the figure was set. Places no rate pays for are
    added to ``uncovered``."""
    lines: list[Line] = []
    figures = DistributionFigure.objects.filter(agreement_id=agreement_id, decided_on__lt=end)
    for figure, added in places_added(figures):
        day = figure.decided_on
        if day < start or not added:
            continue
        rate = applicable_rate(rates, RateKind.FIGURE_PLACE, "", day)
        if rate is not None:
            lines.append(
                Line(RateKind.FIGURE_PLACE, "", day, day + dt.timedelta(days=1), added, rate)
            )
        else:
            uncovered[(RateKind.FIGURE_PLACE, "")] += added
    return lines


def places_added(
    figures: QuerySet[DistributionFigure],
) -> Iterator[tuple[DistributionFigure, int]]:
    """Each figure, by agreement and in the order set, with the places it adds above the
    highest figure for the same year of its agreement before it: what the state pays for (each
    place of a year once; a lower figure adds none; a new year's first figure adds all)."""
    highest: dict[tuple[int, int], int] = defaultdict(int)
    for figure in figures.order_by("agreement_id", "decided_on"):
        key = (figure.agreement_id, figure.year)
        before = highest[key]
        highest[key] = max(before, figure.places)
        yield figure, max(0, figure.places - before)


def figures_with_places_added(
    agreements: list[Agreement],
) -> dict[int, list[DistributionFigure]]:
    """Each agreement's distribution figures, the latest first, each with ``added``
    (``places_added``)."""
    found: dict[int, list[DistributionFigure]] = defaultdict(list)
    for figure, added in places_added(DistributionFigure.objects.filter(agreement__in=agreements)):
        figure.added = added  # type: ignore[attr-defined]  # for the template only
        found[figure.agreement_id].insert(0, figure)
    return dict(found)


def frame_lines(rates: list[CompensationRate], start: dt.date, end: dt.date) -> list[Line]:
    """The fixed frame, paid once a month at the rate valid on its first day."""
    frame = applicable_rate(rates, RateKind.FRAME, "", start)
    return [Line(RateKind.FRAME, "", start, end, 1, frame)] if frame is not None else []


def compensation(
    *,
    scheme: str,
    year: int,
    month: int,
    agreement: Agreement,
    organisation: Organisation | None = None,
    counted: Counted | None = None,
) -> Compensation:
    """The month's compensation under one agreement: the quantities at its sites times its
    rates valid on each day; in a month the agreement does not run, no lines and
    ``agreement`` None on the result.

    The month is cut wherever a rate changes, so a rate from the 15th pays from the 15th.
    The fixed frame is paid once a month at the rate valid on its first day. For the state's
    scheme ``organisation`` is None: the state pays the city for the whole reception.
    ``counted``, when given, keeps every organisation's quantities per period between calls,
    so the month over all partners reads the data once per period instead of once a partner.
    """
    start, end = month_bounds(year, month)
    if not in_force(agreement, start, end):
        return Compensation(scheme, organisation, start, end, None, ())
    partner = Q(organisation__isnull=True)
    if scheme == Scheme.PARTNER and organisation is not None:
        partner |= Q(organisation=organisation)
    rates = list(
        agreement.rates.filter(partner, scheme=scheme, valid_from__lt=end).select_related(
            "organisation"
        )
    )
    cuts = sorted({start, end, *(r.valid_from for r in rates if start < r.valid_from < end)})
    lines: list[Line] = []
    uncovered: dict[tuple[str, str], int] = defaultdict(int)
    organisation_id = organisation.id if organisation is not None else None
    for lo, hi in pairwise(cuts):
        quantities = _counted(lo, hi, agreement.pk, organisation_id, counted)
        price_period(quantities, rates, lo, hi, lines, uncovered)
    if scheme == Scheme.STATE:
        lines.extend(figure_lines(agreement.pk, rates, start, end, uncovered))
    lines.extend(frame_lines(rates, start, end))
    return Compensation(
        scheme,
        organisation,
        start,
        end,
        agreement,
        tuple(lines),
        tuple((kind, site_kind, n) for (kind, site_kind), n in sorted(uncovered.items())),
    )


# -- who sees which report and rate ----------------------------------------------------------

PARTNER_WRITERS = (Role.PARTNER_ADMIN, Role.PARTNER_STAFF)


def sees_reports(user: Any) -> bool:
    """The coordinator, and a partner's members (viewers too); the city's other members
    have no reports of their own."""
    membership = access.membership_of(user)
    if membership is None:
        return False
    return membership.role == Role.COORDINATOR or not membership.organisation.is_municipality


def sees_reconciliation(user: Any) -> bool:
    """The coordinator, and the city's viewers (the totals only): what the state pays the
    city is the city's, not a partner's."""
    membership = access.membership_of(user)
    if membership is None:
        return False
    return membership.role == Role.COORDINATOR or (
        membership.role == Role.VIEWER and membership.organisation.is_municipality
    )


def sees_rates(user: Any) -> bool:
    """The coordinator, who sets the rates, and a partner's admin, who reads them."""
    membership = access.membership_of(user)
    return membership is not None and membership.role in (Role.COORDINATOR, Role.PARTNER_ADMIN)


def visible_reports(user: Any) -> QuerySet[MonthlyReport]:
    """The coordinator sees every report of the agreements their municipality is party to; a
    partner's members (viewers too) their own."""
    membership = access.membership_of(user)
    if membership is None:
        return MonthlyReport.objects.none()
    if membership.role == Role.COORDINATOR:
        return MonthlyReport.objects.filter(agreement__in=access.visible_agreements(user))
    if membership.organisation.is_municipality:
        return MonthlyReport.objects.none()
    return MonthlyReport.objects.filter(organisation_id=membership.organisation_id)


def get_report_for_user(user: Any, public_id: Any) -> MonthlyReport:
    return access._get(
        visible_reports(user).select_related("organisation", "agreement", "previous"), public_id
    )


def writes_reports_for(user: Any) -> Organisation | None:
    """The partner whose reports the user fills in and submits, if any."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in PARTNER_WRITERS:
        return None
    if membership.organisation.is_municipality:
        return None
    return membership.organisation


def can_write(user: Any, report: MonthlyReport) -> bool:
    organisation = writes_reports_for(user)
    return organisation is not None and organisation.pk == report.organisation_id


def visible_rates(user: Any) -> QuerySet[CompensationRate]:
    """The rates of the agreements the user's organisation is party to: every one for the
    coordinator; for a partner admin, the partner rates that apply to its organisation (its own
    and the general ones), read-only."""
    membership = access.membership_of(user)
    rates = CompensationRate.objects.select_related("organisation", "agreement").filter(
        agreement__in=access.visible_agreements(user)
    )
    if membership is None:
        return rates.none()
    if membership.role == Role.COORDINATOR:
        return rates
    if membership.role != Role.PARTNER_ADMIN or membership.organisation.is_municipality:
        return rates.none()
    return rates.filter(scheme=Scheme.PARTNER).filter(
        Q(organisation__isnull=True) | Q(organisation_id=membership.organisation_id)
    )


SETTLED = (ReportStatus.APPROVED, ReportStatus.SUPERSEDED)


def rate_is_locked(rate: CompensationRate) -> bool:
    """A rate that an approved report was paid at stays as it was: a change is a new rate.
    So does a state rate of a settled month."""
    return rate.pk in locked_rate_ids([rate])


def locked_rate_ids(rates: list[CompensationRate]) -> set[int]:
    """The ids of ``rates`` that are locked (``rate_is_locked``): partner rates an approved
    report was paid at, and state rates from before the latest approved month of their
    agreement (the city has claimed that month from the state at them)."""
    locked = set(
        MonthlyReport.rates_used.through.objects.filter(
            compensationrate_id__in=[rate.pk for rate in rates],
            monthlyreport__status__in=SETTLED,
        ).values_list("compensationrate_id", flat=True)
    )
    # The latest settled month of each agreement settles every state rate from before it.
    latest = dict(
        MonthlyReport.objects.filter(
            agreement_id__in={rate.agreement_id for rate in rates}, status__in=SETTLED
        )
        .order_by()
        .values_list("agreement_id")
        .annotate(month=Max("month"))
    )
    locked |= {
        rate.pk
        for rate in rates
        if rate.scheme == Scheme.STATE
        and rate.agreement_id in latest
        and latest[rate.agreement_id] >= rate.valid_from.replace(day=1)
    }
    return locked


# -- a partner's month in figures --------------------------------------------------------------

BANDS = tuple(code for code, _label, _low, _high in AGE_BANDS)
TOTAL_KEYS = ("place_days", "place_nights", "moved_in", "moved_out")


def _persons_by_site(stays: QuerySet[Stay], day_field: str) -> dict[int, int]:
    """Persons of ``stays`` on the stay's first (or last) day, by site: who moved in or out."""
    rows = (
        Occupancy.objects.filter(stay__in=stays, **{day_field: F(f"stay__{day_field}")})
        .order_by()
        .values_list("stay__unit__site_id")
        .annotate(persons=Count("id"))
    )
    return dict(rows)


def _other_app(name: str) -> Any:
    """Another app's selectors, imported when used: the report shows what the apps offer."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name is None or not name.startswith(missing.name):
            raise
        return None


def _service_figures(
    organisation_id: int, year: int, month: int, agreement_id: int
) -> dict[str, Any] | None:
    """Services delivered under the agreement and people reached, from the added-values app
    if it is installed."""
    figures = _other_app("tillsammans.addedvalues.selectors")
    if figures is None:
        return None
    raw = figures.monthly_figures(year, month, agreement_id=agreement_id).get(organisation_id, {})
    return {
        "delivered": {
            key.removeprefix("delivered_"): value
            for key, value in sorted(raw.items())
            if key.startswith("delivered_")
        },
        "deliveries": raw.get("deliveries", 0),
        "persons_reached": raw.get("persons_reached", 0),
        "households_reached": raw.get("households_reached", 0),
        "visitors_counted": raw.get("visitors_counted", 0),
    }


def volunteer_hours_of(organisation_id: int, year: int, month: int) -> Decimal:
    """The partner's volunteers' hours of the month, from the training app if installed."""
    training = _other_app("tillsammans.training.selectors")
    if training is None:
        return Decimal(0)
    hours = training.volunteer_hours_by_organisation(year, month).get(organisation_id)
    return Decimal(hours or 0)


def report_figures(
    organisation_id: int, year: int, month: int, agreement_id: int
) -> dict[str, Any]:
    """What the month holds for one partner under one agreement (at the sites and in the
    services offered under it), per site and in total, as plain JSON values.

    Available places are place-days divided by the days of the month (an average); moves in
    and out count persons arriving from outside the partnership's housing and leaving it (a
    move between units is neither).
    """
    start, end = month_bounds(year, month)
    days = (end - start).days
    sites: dict[int, dict[str, Any]] = {}

    def site(site_id: int) -> dict[str, Any]:
        return sites.setdefault(
            site_id,
            {
                "place_days": 0,
                "place_nights": 0,
                "nights": dict.fromkeys(BANDS, 0),
                "moved_in": 0,
                "moved_out": 0,
            },
        )

    def own(site: str) -> Q:
        return agreement_site_filter(agreement_id, site) & Q(
            **{f"{site}organisation_id": organisation_id}
        )

    own_sites = Site.objects.filter(own(""))
    open_sites = own_sites.filter(opens_on__lt=end).filter(not_closed_by(start))
    steps = bed_steps(open_sites, end)
    for site_id, opens_on, closes_on in open_sites.values_list("id", "opens_on", "closes_on"):
        if site_id in steps:
            place_days = steps[site_id].open_place_days(opens_on, closes_on, start, end)
            site(site_id)["place_days"] += place_days
    occupancies = Occupancy.objects.filter(own("bed__unit__site__"))
    for (site_id, band), nights in nights_by(
        start, end, ("bed__unit__site_id",), occupancies
    ).items():
        row = site(site_id)
        row["nights"][band] = row["nights"].get(band, 0) + nights
        row["place_nights"] += nights
    for site_id, persons in _persons_by_site(
        arrivals_between(start, end).filter(own("unit__site__")), "started_on"
    ).items():
        site(site_id)["moved_in"] += persons
    for site_id, persons in _persons_by_site(
        departures_between(start, end).filter(own("unit__site__")), "ended_on"
    ).items():
        site(site_id)["moved_out"] += persons

    named = dict(Site.objects.filter(id__in=sites).values_list("id", "name"))
    kinds = dict(Site.objects.filter(id__in=sites).values_list("id", "kind"))
    rows = []
    for site_id in sorted(sites, key=lambda pk: named[pk]):
        row = sites[site_id]
        row.update(name=named[site_id], kind=kinds[site_id], places=_places(row, days))
        rows.append(row)
    totals: dict[str, Any] = {key: sum(row[key] for row in rows) for key in TOTAL_KEYS}
    totals["nights"] = {band: sum(row["nights"][band] for row in rows) for band in BANDS}
    totals["places"] = _places(totals, days)
    return {
        "days": days,
        "sites": rows,
        "totals": totals,
        "services": _service_figures(organisation_id, year, month, agreement_id),
    }


def _places(row: dict[str, Any], days: int) -> float:
    return round(row["place_days"] / days, 1) if days else 0.0


# -- compensation as the report keeps it -------------------------------------------------------


def compensation_snapshot(result: Compensation) -> tuple[list[dict[str, Any]], Decimal]:
    """The lines of a compensation as plain JSON values, with the rate each was paid at."""
    lines = [
        {
            "kind": line.kind,
            "site_kind": line.site_kind,
            "start": line.start.isoformat(),
            "end": line.end.isoformat(),
            "quantity": line.quantity,
            "rate_id": line.rate.pk,
            "rate": str(line.rate.amount),
            "amount": str(line.amount),
        }
        for line in result.lines
    ]
    lines += [
        {"kind": kind, "site_kind": site_kind, "quantity": quantity, "uncovered": True}
        for kind, site_kind, quantity in result.uncovered
    ]
    return lines, result.total


def report_month(report: MonthlyReport) -> tuple[int, int]:
    return report.month.year, report.month.month


@dataclass
class ReportData:
    """A report's figures and compensation: frozen ones once submitted, else today's."""

    figures: dict[str, Any]
    lines: list[dict[str, Any]]
    total: Decimal

    @property
    def paid_lines(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if not line.get("uncovered")]

    @property
    def uncovered(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if line.get("uncovered")]


def report_data(report: MonthlyReport) -> ReportData:
    if report.is_frozen and report.compensation_total is not None:
        return ReportData(report.figures, report.compensation_lines, report.compensation_total)
    year, month = report_month(report)
    lines, total = compensation_snapshot(
        compensation(
            scheme=Scheme.PARTNER,
            year=year,
            month=month,
            agreement=report.agreement,
            organisation=report.organisation,
        )
    )
    figures = report_figures(report.organisation_id, year, month, report.agreement_id)
    return ReportData(figures, lines, total)


def diff_rows(report: MonthlyReport, data: ReportData | None = None) -> list[dict[str, Any]]:
    """What a correction changes against the version it corrects, line by line."""
    previous = report.previous
    if previous is None:
        return []
    before, after = report_data(previous), data or report_data(report)
    rows: list[tuple[Any, Any, Any]] = [
        (_("Available place-days"), before.figures["totals"]["place_days"],
         after.figures["totals"]["place_days"]),
        (_("Occupied place-nights"), before.figures["totals"]["place_nights"],
         after.figures["totals"]["place_nights"]),
    ]  # fmt: skip
    for code, label, _low, _high in AGE_BANDS:
        rows.append(
            (
                _("Person-nights: %(band)s") % {"band": label},
                before.figures["totals"]["nights"].get(code, 0),
                after.figures["totals"]["nights"].get(code, 0),
            )
        )
    rows += [
        (_("Persons moved in"), before.figures["totals"]["moved_in"],
         after.figures["totals"]["moved_in"]),
        (_("Persons moved out"), before.figures["totals"]["moved_out"],
         after.figures["totals"]["moved_out"]),
    ]  # fmt: skip
    for code, label in CostType.choices:
        rows.append(
            (
                _("Costs: %(type)s") % {"type": label},
                getattr(previous, f"cost_{code}"),
                getattr(report, f"cost_{code}"),
            )
        )
    rows += [
        (_("Costs in total"), previous.costs_total, report.costs_total),
        (_("Volunteer hours"), previous.volunteer_hours, report.volunteer_hours),
        (_("Donated goods (SEK)"), previous.donated_goods, report.donated_goods),
        (_("Own funds (SEK)"), previous.own_funds, report.own_funds),
        (_("Compensation (SEK)"), before.total, after.total),
        (_("Comments"), previous.comment, report.comment),
    ]
    return [
        {"label": label, "before": old, "after": new, "changed": old != new}
        for label, old, new in rows
    ]


# -- the month over all partners ----------------------------------------------------------------


@dataclass
class PartnerMonth:
    organisation: Organisation
    current: MonthlyReport | None  # the open version if any, else the approved one
    approved: MonthlyReport | None
    compensation: Decimal
    estimated: bool  # computed from today's data: nothing submitted yet

    @property
    def costs(self) -> Decimal | None:
        return self.current.costs_total if self.current is not None else None

    @property
    def flagged(self) -> bool:
        return self.current is not None and self.current.flagged


def partners_of_month(agreement: Agreement, year: int, month: int) -> QuerySet[Organisation]:
    """The non-profits taking part in the agreement in the month, or that reported under it."""
    start, end = month_bounds(year, month)
    # Nobody takes part in a month the agreement does not run (its parties keep no end date).
    parties = Party.objects.filter(taking_part_in(start, end), agreement=agreement)
    if not in_force(agreement, start, end):
        parties = parties.none()
    reports = MonthlyReport.objects.filter(
        organisation=OuterRef("pk"), agreement=agreement, month=start
    )
    return (
        Organisation.objects.exclude(kind=OrganisationKind.MUNICIPALITY)
        .filter(Q(parties__in=parties) | Q(Exists(reports)))
        .distinct()
        .order_by("name")
    )


def month_overview(
    agreement: Agreement, year: int, month: int, counted: Counted | None = None
) -> list[PartnerMonth]:
    start, _end = month_bounds(year, month)
    reports = MonthlyReport.objects.filter(agreement=agreement, month=start).exclude(
        status=ReportStatus.SUPERSEDED
    )
    open_of: dict[int, MonthlyReport] = {}
    approved_of: dict[int, MonthlyReport] = {}
    for report in reports:
        target = approved_of if report.status == ReportStatus.APPROVED else open_of
        target[report.organisation_id] = report
    rows = []
    counted = {} if counted is None else counted
    for organisation in partners_of_month(agreement, year, month):
        current = open_of.get(organisation.pk) or approved_of.get(organisation.pk)
        if current is not None and current.compensation_total is not None and current.is_frozen:
            amount, estimated = current.compensation_total, False
        else:
            amount = compensation(
                scheme=Scheme.PARTNER,
                year=year,
                month=month,
                agreement=agreement,
                organisation=organisation,
                counted=counted,
            ).total
            estimated = True
        rows.append(
            PartnerMonth(organisation, current, approved_of.get(organisation.pk), amount, estimated)
        )
    return rows
