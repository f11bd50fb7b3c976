"""The state's ledger (issue 14): what the state owes the city for a month under an
agreement, person by person, each line traceable to the nights and the events it comes from.

A person's nights are paid at the child's or the adult's rate (an unaccompanied minor's where
the agreement has one) until the day their legal path ends the reception (``people/path.py``:
registered, permit run out with no extension applied for, revoked, left, never arrived); the
one-time amount is paid for each person who moved in on arrival while in the reception. The
month is cut wherever a rate changes and on each birthday that changes a person's band, so a
rate from the 15th pays from the 15th and a child who turns 18 on the 20th is an adult from
that night. Amounts per place (places made available, place-days, the frame) are not a
person's and are counted from the sites alone (``selectors.add_place_quantities``); the
amount per place in the municipality's distribution figure from the figures set in the month
(``selectors.figure_lines``).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from tillsammans.core.lib.bulk import plain_rows
from tillsammans.core.lib.dates import birthday_in_year, month_bounds
from tillsammans.housing.models import Site
from tillsammans.housing.selectors import BedSteps, agreement_site_filter, bed_steps
from tillsammans.partnership.models import Agreement
from tillsammans.people.path import path_of
from tillsammans.reception.models import Occupancy
from tillsammans.reception.selectors import arrival_occupancies

from .models import CompensationRate, RateKind, Scheme
from .selectors import (
    ORE,
    RATE_BANDS,
    UNACCOMPANIED_KINDS,
    Compensation,
    Line,
    add_place_quantities,
    applicable_rate,
    figure_lines,
    frame_lines,
    in_force,
    price_period,
)

MOVE_IN = RateKind.MOVE_IN.value  # a plain str: compared on every line of a national month


@dataclass(frozen=True)
class LedgerLine(Line):
    """A line of the month's compensation that is one person's (``Line``'s kind, kind of
    site, days, quantity, rate and amount), traceable to its row in the occupancy ledger."""

    person_id: int = 0
    occupancy_id: int = 0  # the nights' (or the arrival's) row in the occupancy ledger
    ends_by: str = ""  # why the nights stop before the month or the stay does, in words

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


@dataclass
class StateLedger:
    agreement: Agreement
    start: dt.date
    end: dt.date
    lines: list[LedgerLine] = field(default_factory=list)  # empty unless asked per person
    places: Compensation | None = None  # the amounts per place, not per person
    cuts: list[dt.date] = field(default_factory=list)  # where a rate changes in the month
    uncovered: dict[tuple[str, str], int] = field(default_factory=dict)
    # The persons' quantities by kind, kind of site, part of the month and rate (the same
    # whether or not the lines were kept), and the rates by id.
    summed: dict[tuple[str, str, dt.date, dt.date, int], int] = field(default_factory=dict)
    rates: dict[int, CompensationRate] = field(default_factory=dict)
    # Each person's amount of each kind, kept when asked for (``person_sums``).
    person_sums: dict[tuple[int, str], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )

    @property
    def persons_total(self) -> Decimal:
        return sum((self.rates[key[4]].amount * n for key, n in self.summed.items()), Decimal(0))

    @property
    def total(self) -> Decimal:
        places = self.places.total if self.places is not None else Decimal(0)
        return self.persons_total + places

    def by_person(self) -> dict[int, list[LedgerLine]]:
        grouped: dict[int, list[LedgerLine]] = defaultdict(list)
        for line in self.lines:
            grouped[line.person_id].append(line)
        return dict(grouped)

    def as_compensation(self) -> Compensation:
        """The ledger summed into the month's lines by kind, kind of site and rate period, with
        the amounts per place: what the month page shows."""
        lines = [
            Line(kind, site_kind, lo, hi, quantity, self.rates[rate_id])
            for (kind, site_kind, lo, hi, rate_id), quantity in sorted(self.summed.items())
        ]
        place_lines = list(self.places.lines) if self.places is not None else []
        uncovered = dict(self.uncovered)
        if self.places is not None:
            for kind, site_kind, n in self.places.uncovered:
                uncovered[(kind, site_kind)] = uncovered.get((kind, site_kind), 0) + n
        return Compensation(
            Scheme.STATE, None, self.start, self.end,
            self.agreement if self.places is not None else None,  # None: the agreement did not run
            tuple(lines + place_lines),
            tuple((kind, site_kind, n) for (kind, site_kind), n in sorted(uncovered.items())),
        )  # fmt: skip


def _ends_by(because: str, day: dt.date) -> str:
    words = {
        "registered": _("entered in the population register on %(day)s"),
        "lapsed": _("permit ran out, no extension applied for; from %(day)s"),
        "revoked": _("permit revoked on %(day)s"),
        "left": _("left the municipality on %(day)s"),
        "never_arrived": _("never arrived"),
    }.get(because, "")
    return words % {"day": f"{day:%Y-%m-%d}"} if words else ""


class _Bands:
    """A person's rate band night by night, from the birthdays where it changes (read once
    per date of birth: at national scale many people share one)."""

    def __init__(self) -> None:
        self._edges: dict[dt.date, list[tuple[dt.date, str]]] = {}

    def edges(self, birth: dt.date) -> list[tuple[dt.date, str]]:
        found = self._edges.get(birth)
        if found is None:
            found = self._edges[birth] = [
                (birthday_in_year(birth, birth.year + low), code)
                for code, _label, low, _high in RATE_BANDS
            ]
        return found

    def pieces(
        self, birth: dt.date, lo: dt.date, hi: dt.date
    ) -> list[tuple[str, dt.date, dt.date]]:
        """[lo, hi) cut where the band changes: (band, first night, day after the last)."""
        edges = self.edges(birth)
        band = RATE_BANDS[0][0]
        for edge, code in edges:
            if edge <= lo:
                band = code
        pieces = []
        for edge, code in edges:
            if lo < edge < hi:
                pieces.append((band, lo, edge))
                band, lo = code, edge
        pieces.append((band, lo, hi))
        return pieces


def state_ledger(
    agreement: Agreement, year: int, month: int, *, per_person: bool = True,
    person_sums: bool = False,
) -> StateLedger:  # fmt: skip
    """The month's state ledger under ``agreement`` (see the module's docstring); without
    ``per_person`` only the sums are kept (what the month page needs, at national scale),
    and with ``person_sums`` also each person's amount of each kind (what the reconciliation
    compares, without a line object per night segment)."""
    first = dt.date(year, month, 1)
    found = state_ledgers(agreement, [first], per_person=per_person, person_sums=person_sums)
    return found[first]


@dataclass
class _Month:
    """One month's part of a walk over the occupancies (``state_ledgers``)."""

    ledger: StateLedger
    rates: list[CompensationRate]
    kinds_paid: set[str]
    cuts: set[dt.date]  # where a rate changes inside the month
    periods: list[tuple[dt.date, dt.date]]
    summed: dict[tuple[str, str, dt.date, dt.date, int], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    # A person's quantity of each kind at each rate: priced once at the end (a rate has two
    # decimals, so rate × quantity is exact and the sum of a person's lines is the same).
    person_quantities: dict[tuple[int, str, int], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    uncovered: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))


def state_ledgers(
    agreement: Agreement, months: list[dt.date], *, per_person: bool = False,
    person_sums: bool = False,
) -> dict[dt.date, StateLedger]:  # fmt: skip
    """The state ledger of each month in ``months`` (each given by its first day), from one
    reading of the occupancies of all of them: the forecast prices six months, and the
    reading and the per-person work (dates, permits, paths) are most of a ledger's time."""
    result: dict[dt.date, StateLedger] = {}
    walked: list[_Month] = []
    all_rates = list(agreement.rates.filter(scheme=Scheme.STATE))
    for first in months:
        start, end = month_bounds(first.year, first.month)
        ledger = result[first] = StateLedger(agreement, start, end)
        if not in_force(agreement, start, end):
            continue
        rates = [rate for rate in all_rates if rate.valid_from < end]
        cuts = {r.valid_from for r in rates if start < r.valid_from < end}
        ledger.cuts = sorted({start, end, *cuts})
        walked.append(
            _Month(ledger, rates, {r.kind for r in rates}, cuts, list(pairwise(ledger.cuts)))
        )
    if not walked:
        return result
    span_start = min(m.ledger.start for m in walked)
    span_end = max(m.ledger.end for m in walked)
    chosen: dict[tuple[str, str, dt.date], CompensationRate | None] = {}

    def rate_in(
        month: _Month, kind: str, site_kind: str, period_lo: dt.date
    ) -> CompensationRate | None:
        """The rate for a night in the part of a month from ``period_lo`` (rates change
        only at the cuts, so one lookup per kind and part of the month)."""
        key = (kind, site_kind, period_lo)
        if key not in chosen:
            chosen[key] = applicable_rate(month.rates, kind, site_kind, period_lo)
        return chosen[key]

    def count(
        month: _Month, kind: str, site_kind: str, day: dt.date, until: dt.date, quantity: int,
        rate: CompensationRate, person_id: int, occupancy_id: int, ends_by: str,
        period: tuple[dt.date, dt.date],
    ) -> None:  # fmt: skip
        """Count a person's nights (or move-in) in the sums, and as a line when asked."""
        rate_id = rate.id  # a plain attribute: ``pk`` is a property, read a million times
        month.summed[(kind, site_kind, *period, rate_id)] += quantity
        if rate_id not in month.ledger.rates:
            month.ledger.rates[rate_id] = rate
        if per_person:
            line = LedgerLine(
                kind, site_kind, day, until, quantity, rate, person_id=person_id,
                occupancy_id=occupancy_id, ends_by=ends_by,
            )  # fmt: skip
            _add(month.ledger.lines, month.cuts, line)
        if person_sums:
            month.person_quantities[(person_id, kind, rate_id)] += quantity

    occupancies = Occupancy.objects.filter(
        agreement_site_filter(agreement.pk, "bed__unit__site__"),
        Q(ended_on__isnull=True) | Q(ended_on__gt=span_start),
        started_on__lt=span_end,
    )
    arrivals = set(arrival_occupancies(span_start, span_end).values_list("id", flat=True))
    bands = _Bands()
    # Without recorded events a person's path is their allocation list's permit alone, read
    # once per permit; with events, it is what the services keep on the person (ADR 30).
    listed: dict[tuple[dt.date | None, dt.date | None], tuple[dt.date | None, str]] = {}
    # The dates come as text and are read once per distinct day: a national month has a
    # quarter of a million date values but only some thousands of days, and the drivers'
    # per-value conversion costs more than the query.
    as_text = {
        f"t_{name}": Cast(name, CharField())
        for name in ("started_on", "ended_on", "person__birth_date", "person__permit_valid_from",
                     "person__permit_valid_until", "person__path_ends_on")
    }  # fmt: skip
    rows = occupancies.annotate(**as_text).values_list(
        "id", "person_id", *as_text, "person__household__unaccompanied",
        "bed__unit__site__kind", "person__on_path", "person__path_ends_because",
    )  # fmt: skip
    days: dict[str, dt.date] = {}

    def day_of(text: str) -> dt.date:
        found = days.get(text)
        if found is None:
            found = days[text] = dt.date.fromisoformat(text)
        return found

    def maybe(text: str | None) -> dt.date | None:
        return None if text is None else day_of(text)

    for (occupancy_id, person_id, t_started, t_ended, t_birth, t_from, t_until, t_stops,
         unaccompanied, site_kind, on_path, because) in plain_rows(rows):  # fmt: skip
        started, birth = day_of(t_started), day_of(t_birth)
        ended, permit_from, permit_until = maybe(t_ended), maybe(t_from), maybe(t_until)
        stops = maybe(t_stops)
        if not on_path:
            permit = (permit_from, permit_until)
            if permit not in listed:
                path = path_of([], listed_permit=permit)
                listed[permit] = (path.reception_ends_on, path.ends_because)
            stops, because = listed[permit]
        arrived = occupancy_id in arrivals and (stops is None or started < stops)
        for month in walked:
            start, end = month.ledger.start, month.ledger.end
            if started >= end or (ended is not None and ended <= start):
                continue
            lo = max(started, start)
            stay_end = min(ended or end, end)
            hi = min(stay_end, stops) if stops is not None else stay_end
            ends_by = _ends_by(because, stops) if stops is not None and stops < stay_end else ""
            if arrived and start <= started:
                period_lo, period_hi = next(p for p in month.periods if p[0] <= started < p[1])
                rate = rate_in(month, RateKind.MOVE_IN, site_kind, period_lo)
                if rate is not None:
                    count(
                        month, MOVE_IN, site_kind, started, started + dt.timedelta(days=1), 1,
                        rate, person_id, occupancy_id, "", (period_lo, period_hi),
                    )  # fmt: skip
                elif RateKind.MOVE_IN in month.kinds_paid:
                    month.uncovered[(RateKind.MOVE_IN, site_kind)] += 1
            if hi <= lo:
                continue
            for period_lo, period_hi in month.periods:
                a, b = max(lo, period_lo), min(hi, period_hi)
                if a >= b:
                    continue
                for band, day, until in bands.pieces(birth, a, b):
                    kind: str = RateKind.CHILD_NIGHT if band == "child" else RateKind.ADULT_NIGHT
                    special = UNACCOMPANIED_KINDS.get(band) if unaccompanied else None
                    if special and rate_in(month, special, site_kind, period_lo) is not None:
                        kind = special  # an unaccompanied minor's night, never also an ordinary one
                    rate = rate_in(month, kind, site_kind, period_lo)
                    nights = (until - day).days
                    if rate is not None:
                        count(
                            month, kind, site_kind, day, until, nights, rate, person_id,
                            occupancy_id, ends_by if until == hi else "", (period_lo, period_hi),
                        )  # fmt: skip
                    elif kind in month.kinds_paid:
                        month.uncovered[(kind, site_kind)] += nights
    # The sites' beds over the months, read once for all of them.
    steps = bed_steps(Site.objects.filter(agreement_site_filter(agreement.pk, "")), span_end)
    for month in walked:
        ledger = month.ledger
        ledger.uncovered = dict(month.uncovered)
        ledger.summed = dict(month.summed)
        for (person_id, kind, rate_id), quantity in month.person_quantities.items():
            amount = (ledger.rates[rate_id].amount * quantity).quantize(ORE, ROUND_HALF_UP)
            ledger.person_sums[(person_id, kind)] += amount
        ledger.places = _places(agreement, ledger, month.rates, steps)
        if per_person:
            ledger.lines.sort(
                key=lambda line: (line.person_id, line.start, line.kind != MOVE_IN, line.kind)
            )
    return result


def _places(
    agreement: Agreement, ledger: StateLedger, rates: list[CompensationRate],
    steps: dict[int, BedSteps],
) -> Compensation:  # fmt: skip
    """The amounts per place, not per person: available place-days and places made available
    at the agreement's sites, at the rate valid in each part of the month, and the frame once
    at the rate of the month's first day (as ``selectors.compensation`` prices them)."""
    sites = Site.objects.filter(agreement_site_filter(agreement.pk, ""))
    lines: list[Line] = []
    uncovered: dict[tuple[str, str], int] = defaultdict(int)
    for lo, hi in pairwise(ledger.cuts):
        totals: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        add_place_quantities(sites, lo, hi, totals, steps)
        summed: dict[tuple[str, str], int] = defaultdict(int)
        for by_kind in totals.values():
            for key, quantity in by_kind.items():
                summed[key] += quantity
        price_period(summed, rates, lo, hi, lines, uncovered)
    lines.extend(figure_lines(agreement.pk, rates, ledger.start, ledger.end, uncovered))
    lines.extend(frame_lines(rates, ledger.start, ledger.end))
    return Compensation(
        Scheme.STATE, None, ledger.start, ledger.end, agreement, tuple(lines),
        tuple((kind, site_kind, n) for (kind, site_kind), n in sorted(uncovered.items())),
    )  # fmt: skip


def _add(lines: list[LedgerLine], cuts: set[dt.date], line: LedgerLine) -> None:
    """Append ``line``, joined to the previous one when it simply continues it (never across
    a rate change, so that each line belongs to one period of the month)."""
    if lines and line.start not in cuts:
        last = lines[-1]
        if (
            last.person_id == line.person_id
            and last.occupancy_id == line.occupancy_id
            and last.kind == line.kind
            and last.rate.pk == line.rate.pk
            and last.end == line.start
        ):
            lines[-1] = replace(
                last, end=line.end, quantity=last.quantity + line.quantity, ends_by=line.ends_by
            )
            return
    lines.append(line)
