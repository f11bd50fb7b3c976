"""What a month's compensation is, computed from stays, beds and the agreement's rates."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.db.models import Count, F, Q

from tillsammans.housing.models import Site
from tillsammans.partnership.models import Agreement, Organisation
from tillsammans.reception.models import Occupancy
from tillsammans.reception.selectors import arrivals_between, nights_by

from .models import CompensationRate, RateKind, Scheme

ORE = Decimal("0.01")
# Person-nights of these age bands are paid as adults' nights; the rest as children's.
ADULT_BANDS = ("adult", "senior")

Quantities = dict[tuple[str, str], int]  # (rate kind, site kind) -> quantity


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first day of the month and the first day of the next (exclusive)."""
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, end


def quantities(start: dt.date, end: dt.date, organisation_id: int | None = None) -> Quantities:
    """What [start, end) holds, by rate kind and site kind, for one partner or everyone.

    - available place-days: each unblocked bed of a site, for each day the site is open;
    - occupied place-nights and person-nights: one per person and night (a night belongs to
      the date it starts on), by the person's age that night;
    - persons moved in: the household's persons on arrival (a move between units is not one);
    - places made available: the beds of sites that open in the period.
    """
    totals: dict[tuple[str, str], int] = defaultdict(int)
    own = Q() if organisation_id is None else Q(organisation_id=organisation_id)

    occupancies = Occupancy.objects.all()
    if organisation_id is not None:
        occupancies = occupancies.filter(bed__unit__site__organisation_id=organisation_id)
    for (site_kind, band), nights in nights_by(
        start, end, ("bed__unit__site__kind",), occupancies
    ).items():
        totals[(RateKind.PLACE_NIGHT, site_kind)] += nights
        kind = RateKind.ADULT_NIGHT if band in ADULT_BANDS else RateKind.CHILD_NIGHT
        totals[(kind, site_kind)] += nights

    sites = (
        Site.objects.filter(own, opens_on__lt=end)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gt=start))
        .annotate(beds=Count("units__beds", filter=Q(units__beds__blocked=False)))
        .values_list("kind", "opens_on", "closes_on", "beds")
    )
    for site_kind, opens_on, closes_on, beds in sites:
        days = (min(closes_on or end, end) - max(opens_on, start)).days
        totals[(RateKind.PLACE_DAY, site_kind)] += days * beds
        if opens_on >= start:
            totals[(RateKind.NEW_PLACE, site_kind)] += beds

    arrivals = arrivals_between(start, end)
    if organisation_id is not None:
        arrivals = arrivals.filter(unit__site__organisation_id=organisation_id)
    moved_in = (
        Occupancy.objects.filter(stay__in=arrivals, started_on=F("stay__started_on"))
        .values_list("stay__unit__site__kind")
        .annotate(persons=Count("id"))
    )
    for site_kind, persons in moved_in:
        totals[(RateKind.MOVE_IN, site_kind)] += persons
    return {key: value for key, value in totals.items() if value}


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


def agreement_in_force(start: dt.date, end: dt.date) -> Agreement | None:
    """The agreement covering the period (the latest to start, if several)."""
    return (
        Agreement.objects.filter(starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("-starts_on", "-id")
        .first()
    )


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


def compensation(
    *, scheme: str, year: int, month: int, organisation: Organisation | None = None
) -> Compensation:
    """The month's compensation: quantities times the rates valid on each day.

    The month is cut wherever a rate changes, so a rate from the 15th pays from the 15th.
    The fixed frame is paid once a month at the rate valid on its first day. For the state's
    scheme ``organisation`` is None: the state pays the city for the whole reception.
    """
    start, end = month_bounds(year, month)
    agreement = agreement_in_force(start, end)
    if agreement is None:
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
        for (kind, site_kind), quantity in sorted(quantities(lo, hi, organisation_id).items()):
            rate = applicable_rate(rates, kind, site_kind, lo)
            if rate is not None:
                lines.append(Line(kind, site_kind, lo, hi, quantity, rate))
            elif any(r.kind == kind for r in rates):
                # The scheme pays this kind, but not for this kind of site on these days.
                uncovered[(kind, site_kind)] += quantity
    frame = applicable_rate(rates, RateKind.FRAME, "", start)
    if frame is not None:
        lines.append(Line(RateKind.FRAME, "", start, end, 1, frame))
    return Compensation(
        scheme,
        organisation,
        start,
        end,
        agreement,
        tuple(lines),
        tuple((kind, site_kind, n) for (kind, site_kind), n in sorted(uncovered.items())),
    )
