"""A person's legal path as it stands on a day, computed from their events (ADR 30).

Pure functions over a person's standing events and the permit on their allocation list: no
query, so that a work list or the state's ledger can compute the path of a hundred thousand
persons from one read of their events.

The rules, as the law stood in 2026 (the dates are the law's, the constants are here):

- A residence permit under temporary protection runs to its end date. A person who applied
  for the extension on or before that day stays in the reception while the application is
  decided; a person who did not falls outside the reception law the next day, and the city's
  daily compensation for them stops (``lapsed_on``).
- From 1 November 2024 a person who has had a permit for one year can be entered in the
  population register (``eligible_from``) and must notify the tax agency within four weeks
  (``registration_due_by``). Whether the stay will last six more months is the tax agency's
  judgement, not the city's: the list shows who has had the permit long enough.
- On registration the person leaves the reception system: the daily compensation stops on
  that day (``reception_ends_on``); so it does on a revoked permit, on leaving the
  municipality, and for someone allocated who never arrived.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .models import PathEventKind

REGISTRATION_POSSIBLE_FROM = dt.date(2024, 11, 1)
REGISTRATION_AFTER_YEARS = 1
NOTIFY_WITHIN = dt.timedelta(days=28)
DAY = dt.timedelta(days=1)


class EventLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def on(self) -> dt.date: ...
    @property
    def valid_until(self) -> dt.date | None: ...


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28) + DAY


@dataclass
class Path:
    permits: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # merged, in order
    decided: dict[dt.date, dt.date] = field(default_factory=dict)  # a permit's end: decided on
    applications: list[dt.date] = field(default_factory=list)
    first_permit_on: dt.date | None = None
    registered_on: dt.date | None = None
    settlement_on: dt.date | None = None
    left_on: dt.date | None = None
    revoked_on: dt.date | None = None
    never_arrived_on: dt.date | None = None

    def permit_on(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        """The permit valid on ``day``: its first and last day."""
        for start, end in self.permits:
            if start <= day <= end:
                return start, end
        return None

    def applied_for(self, end: dt.date) -> bool:
        """Whether an extension of the permit that ends on ``end`` was applied for in time:
        on or before that day, and after the decision that set it (an application of an
        earlier year was for an earlier permit)."""
        decided = self.decided.get(end, dt.date.min)
        return any(decided <= applied <= end for applied in self.applications)

    @property
    def lapsed_on(self) -> dt.date | None:
        """The first day without a permit and without an extension applied for in time; a
        day still to come when the permit in force ends with no application yet."""
        for index, (_start, end) in enumerate(self.permits):
            following = self.permits[index + 1][0] if index + 1 < len(self.permits) else None
            if following is not None and following <= end + DAY:
                continue
            if not self.applied_for(end):
                return end + DAY
        return None

    @property
    def reception_ends_on(self) -> dt.date | None:
        """The first day the city is no longer responsible for the person in the reception,
        and no longer paid for them by the day; None while it still is."""
        days = [
            d
            for d in (
                self.registered_on,
                self.lapsed_on,
                self.revoked_on,
                self.left_on,
                self.never_arrived_on,
            )
            if d is not None
        ]
        return min(days) if days else None

    @property
    def ends_because(self) -> str:
        """What ends the reception on ``reception_ends_on``: "registered", "lapsed",
        "revoked", "left" or "never_arrived" ("" while nothing does)."""
        ends = self.reception_ends_on
        causes = (
            ("registered", self.registered_on),
            ("lapsed", self.lapsed_on),
            ("revoked", self.revoked_on),
            ("left", self.left_on),
            ("never_arrived", self.never_arrived_on),
        )
        return next((cause for cause, day in causes if ends is not None and day == ends), "")

    def in_reception_on(self, day: dt.date) -> bool:
        ends = self.reception_ends_on
        return ends is None or day < ends

    @property
    def eligible_from(self) -> dt.date | None:
        """The first day the person can be entered in the population register, if they are
        not already and are still in the reception then."""
        if self.first_permit_on is None or self.registered_on is not None:
            return None
        day = max(
            REGISTRATION_POSSIBLE_FROM,
            _years_later(self.first_permit_on, REGISTRATION_AFTER_YEARS),
        )
        return day if self.in_reception_on(day) else None

    @property
    def registration_due_by(self) -> dt.date | None:
        eligible = self.eligible_from
        return eligible + NOTIFY_WITHIN if eligible is not None else None


def path_of(
    events: Iterable[EventLike],
    *,
    listed_permit: tuple[dt.date | None, dt.date | None] = (None, None),
) -> Path:
    """The path from a person's standing events (any order) and the permit their allocation
    list gave (used when no permit decision has been recorded)."""
    ordered = sorted(events, key=lambda e: e.on)
    path = Path()
    intervals: list[tuple[dt.date, dt.date]] = []
    granted = [e for e in ordered if e.kind == PathEventKind.PERMIT_GRANTED]
    listed_from, listed_until = listed_permit
    if not granted and listed_until is not None:
        start = listed_from or listed_until
        intervals.append((start, listed_until))
        path.decided[listed_until] = start
        path.first_permit_on = listed_from
    for event in ordered:
        kind, on, until = event.kind, event.on, event.valid_until
        if kind == PathEventKind.PERMIT_GRANTED and until is not None:
            intervals.append((on, until))
            path.decided[until] = max(path.decided.get(until, on), on)
            if path.first_permit_on is None:
                path.first_permit_on = on
        elif kind == PathEventKind.EXTENSION_GRANTED and until is not None:
            before = [end for _start, end in intervals if end < until]
            start = min(on, max(before) + DAY) if before else on
            intervals.append((start, until))
            path.decided[until] = max(path.decided.get(until, on), on)
        elif kind == PathEventKind.EXTENSION_APPLIED:
            path.applications.append(on)
        elif kind == PathEventKind.REGISTERED:
            path.registered_on = path.registered_on or on
        elif kind == PathEventKind.SETTLEMENT:
            path.settlement_on = path.settlement_on or on
        elif kind == PathEventKind.LEFT:
            path.left_on = path.left_on or on
        elif kind == PathEventKind.REVOKED:
            path.revoked_on = path.revoked_on or on
        elif kind == PathEventKind.NEVER_ARRIVED:
            path.never_arrived_on = path.never_arrived_on or on
    for start, end in sorted(intervals):
        if path.permits and start <= path.permits[-1][1] + DAY:
            last_start, last_end = path.permits[-1]
            path.permits[-1] = (last_start, max(last_end, end))
        else:
            path.permits.append((start, end))
    return path
