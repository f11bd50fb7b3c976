"""The state's ledger (issue 14): what the state owes the city for a month under an
agreement, person by person, each line traceable to the nights and the events it comes from.

A person's nights are paid at the child's or the adult's rate (an unaccompanied minor's where
the agreement has one) until the day their legal path ends the reception (``people/path.py``:
registered, permit run out with no extension applied for, revoked, left, never arrived); the
one-time amount is paid for each person who moved in on arrival while in the reception. The
month is cut wherever a rate changes and on each birthday that changes a person's band, so a
rate from the 15th pays from the 15th and a child who turns 18 on the 20th is an adult from
that night. Amounts per place (places made available, place-days, the frame) are not a
person's and are counted from the sites alone (``selectors.add_place_quantities``).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise

from django.db.models import Q
from django.utils.translation import gettext as _

from tillsammans.core.lib.dates import month_bounds
from tillsammans.housing.models import Site
from tillsammans.housing.selectors import agreement_site_filter
from tillsammans.partnership.models import Agreement
from tillsammans.people.models import PathEvent
from tillsammans.people.path import Path, path_of
from tillsammans.reception.models import Occupancy
from tillsammans.reception.selectors import arrival_occupancies, band_segments

from .models import CompensationRate, RateKind, Scheme
from .selectors import (
    RATE_BANDS,
    UNACCOMPANIED_KINDS,
    Compensation,
    Line,
    add_place_quantities,
    applicable_rate,
    frame_lines,
    in_force,
    price_period,
)


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
    lines: list[LedgerLine] = field(default_factory=list)
    places: Compensation | None = None  # the amounts per place, not per person
    cuts: list[dt.date] = field(default_factory=list)  # where a rate changes in the month
    uncovered: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def persons_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

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
        summed: dict[tuple[str, str, dt.date, dt.date, int], int] = defaultdict(int)
        rates: dict[int, CompensationRate] = {}
        for line in self.lines:
            lo, hi = _rate_period(line, self.cuts)
            summed[(line.kind, line.site_kind, lo, hi, line.rate.pk)] += line.quantity
            rates[line.rate.pk] = line.rate
        lines = [
            Line(kind, site_kind, lo, hi, quantity, rates[rate_id])
            for (kind, site_kind, lo, hi, rate_id), quantity in sorted(summed.items())
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


def _rate_period(line: LedgerLine, cuts: list[dt.date]) -> tuple[dt.date, dt.date]:
    """The part of the month between two rate changes that holds the line (a line never
    crosses a change)."""
    return next((lo, hi) for lo, hi in pairwise(cuts) if lo <= line.start < hi)


def _ends_by(path: Path, day: dt.date) -> str:
    words = {
        "registered": _("entered in the population register on %(day)s"),
        "lapsed": _("permit ran out, no extension applied for; from %(day)s"),
        "revoked": _("permit revoked on %(day)s"),
        "left": _("left the municipality on %(day)s"),
        "never_arrived": _("never arrived"),
    }.get(path.ends_because, "")
    return words % {"day": f"{day:%Y-%m-%d}"} if words else ""


def state_ledger(agreement: Agreement, year: int, month: int) -> StateLedger:
    """The month's state ledger under ``agreement`` (see the module's docstring)."""
    start, end = month_bounds(year, month)
    ledger = StateLedger(agreement, start, end)
    if not in_force(agreement, start, end):
        return ledger
    rates = list(agreement.rates.filter(scheme=Scheme.STATE, valid_from__lt=end))
    kinds_paid = {rate.kind for rate in rates}
    cuts = {r.valid_from for r in rates if start < r.valid_from < end}
    ledger.cuts = sorted({start, end, *cuts})
    occupancies = Occupancy.objects.filter(
        agreement_site_filter(agreement.pk, "bed__unit__site__"),
        Q(ended_on__isnull=True) | Q(ended_on__gt=start),
        started_on__lt=end,
    )
    events: dict[int, list[PathEvent]] = defaultdict(list)
    for event in (
        PathEvent.objects.standing()
        .filter(person__in=occupancies.values("person_id"))
        .only("person_id", "kind", "on", "valid_until")
    ):
        events[event.person_id].append(event)
    arrivals = set(arrival_occupancies(start, end).values_list("id", flat=True))
    uncovered: dict[tuple[str, str], int] = defaultdict(int)
    rows = occupancies.values_list(
        "id", "person_id", "started_on", "ended_on", "person__birth_date",
        "person__permit_valid_from", "person__permit_valid_until",
        "person__household__unaccompanied", "bed__unit__site__kind",
    )  # fmt: skip
    for (occupancy_id, person_id, started, ended, birth, permit_from, permit_until,
         unaccompanied, site_kind) in rows.iterator(chunk_size=5000):  # fmt: skip
        path = path_of(events.get(person_id, []), listed_permit=(permit_from, permit_until))
        stops = path.reception_ends_on
        lo = max(started, start)
        stay_end = min(ended or end, end)
        hi = min(stay_end, stops) if stops is not None else stay_end
        ends_by = _ends_by(path, stops) if stops is not None and stops < stay_end else ""
        if occupancy_id in arrivals and path.in_reception_on(started):
            rate = applicable_rate(rates, RateKind.MOVE_IN, site_kind, started)
            if rate is not None:
                ledger.lines.append(LedgerLine(
                    RateKind.MOVE_IN, site_kind, started, started + dt.timedelta(days=1), 1, rate,
                    person_id=person_id, occupancy_id=occupancy_id,
                ))  # fmt: skip
            elif RateKind.MOVE_IN in kinds_paid:
                uncovered[(RateKind.MOVE_IN, site_kind)] += 1
        if hi <= lo:
            continue
        points = sorted({lo, hi, *(cut for cut in cuts if lo < cut < hi)})
        for a, b in pairwise(points):
            day = a
            for band, nights in band_segments(birth, a, b, RATE_BANDS):
                kind: str = RateKind.CHILD_NIGHT if band == "child" else RateKind.ADULT_NIGHT
                special = UNACCOMPANIED_KINDS.get(band) if unaccompanied else None
                if special and applicable_rate(rates, special, site_kind, day) is not None:
                    kind = special  # an unaccompanied minor's night, never also an ordinary one
                rate = applicable_rate(rates, kind, site_kind, day)
                until = day + dt.timedelta(days=nights)
                if rate is not None:
                    _add(ledger.lines, cuts, LedgerLine(
                        kind, site_kind, day, until, nights, rate, person_id=person_id,
                        occupancy_id=occupancy_id, ends_by=ends_by if until == hi else "",
                    ))  # fmt: skip
                elif kind in kinds_paid:
                    uncovered[(kind, site_kind)] += nights
                day = until
    ledger.uncovered = dict(uncovered)
    ledger.places = _places(agreement, ledger, rates)
    ledger.lines.sort(
        key=lambda line: (line.person_id, line.start, line.kind != RateKind.MOVE_IN, line.kind)
    )
    return ledger


def _places(
    agreement: Agreement, ledger: StateLedger, rates: list[CompensationRate]
) -> Compensation:
    """The amounts per place, not per person: available place-days and places made available
    at the agreement's sites, at the rate valid in each part of the month, and the frame once
    at the rate of the month's first day (as ``selectors.compensation`` prices them)."""
    sites = Site.objects.filter(agreement_site_filter(agreement.pk, ""))
    lines: list[Line] = []
    uncovered: dict[tuple[str, str], int] = defaultdict(int)
    for lo, hi in pairwise(ledger.cuts):
        totals: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        add_place_quantities(sites, lo, hi, totals)
        summed: dict[tuple[str, str], int] = defaultdict(int)
        for by_kind in totals.values():
            for key, quantity in by_kind.items():
                summed[key] += quantity
        price_period(summed, rates, lo, hi, lines, uncovered)
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
