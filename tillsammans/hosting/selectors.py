"""Reads for Hjärterum: the rent of a month, agreements ending soon, requests to hosts.

Rent is paid for the nights actually hosted (a night belongs to the date it starts on, as
everywhere in the ledger):

- per home: ``monthly rent × nights the home had guests / nights in the month``;
- per bed: ``monthly rent × person-nights / nights in the month`` (one person is one bed);

rounded to whole kronor, halves up. A stay from the 10th to the end of a 31-day month is
22 nights; one that ends (moves out) on the 20th is 19 nights, the 1st to the 19th. Each
night is paid at the rent in force that night (``HostRent``, ADR 32).
"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tillsammans.core.lib.dates import month_bounds
from tillsammans.reception.models import Occupancy, Stay
from tillsammans.reception.selectors import nights_by

from .models import (
    Answer,
    Host,
    HostAnswer,
    HostingAgreement,
    HostRent,
    Programme,
    RentBasis,
    RentMonth,
)
from .rules import visible_hosts

WARNING_DAYS = 30


def prorated(monthly_rent: int, nights: int, nights_in_month: int) -> int:
    """``monthly_rent × nights / nights_in_month`` in whole kronor, halves rounded up."""
    exact = Decimal(monthly_rent) * nights / nights_in_month
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class RentLine:
    host: Host
    period_start: dt.date  # the first night hosted in the month
    period_end: dt.date  # the last night hosted in the month
    nights: int  # nights with guests (per home) or person-nights (per bed)
    rent_basis: str
    monthly_rent: int
    amount: int

    @property
    def basis_label(self) -> str:
        return str(RentBasis(self.rent_basis).label)


def _hosted_nights(hosts: list[Host], start: dt.date, end: dt.date) -> dict[int, set[dt.date]]:
    """The nights in [start, end) on which each host's home had guests, by unit id."""
    nights: dict[int, set[dt.date]] = defaultdict(set)
    stays = Stay.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start),
        unit_id__in=[host.unit_id for host in hosts],
        started_on__lt=end,
    ).values_list("unit_id", "started_on", "ended_on")
    for unit_id, started, ended in stays:
        day, last = max(started, start), min(ended or end, end)
        while day < last:
            nights[unit_id].add(day)
            day += dt.timedelta(days=1)
    return nights


def _rent_periods(
    hosts: list[Host], start: dt.date, end: dt.date
) -> dict[int, list[tuple[dt.date, dt.date, str, int]]]:
    """Each host's rents in force in [start, end): (from, until, basis, monthly rent), the
    parts of the month between the host's changes of rent (``HostRent``). The first rent
    holds from the start: a night hosted is never left without a rent."""
    rows: dict[int, list[tuple[dt.date, str, int]]] = defaultdict(list)
    for host_id, valid_from, basis, rent in (
        HostRent.objects.filter(host__in=hosts, valid_from__lt=end)
        .order_by("host_id", "valid_from")
        .values_list("host_id", "valid_from", "rent_basis", "monthly_rent")
    ):
        rows[host_id].append((valid_from, basis, rent))
    periods: dict[int, list[tuple[dt.date, dt.date, str, int]]] = defaultdict(list)
    for host_id, changes in rows.items():
        for index, ((valid_from, basis, rent), following) in enumerate(
            zip(changes, [*changes[1:], None], strict=True)
        ):
            lo = max(valid_from, start) if index else start
            hi = min(following[0], end) if following is not None else end
            if lo < hi:
                periods[host_id].append((lo, hi, basis, rent))
    return periods


def rent_lines(programme: Programme, year: int, month: int) -> list[RentLine]:
    """What each of the programme's hosts is owed for the month, computed from the stays now
    at the rent in force each night (a host whose rent changed in the month has a line for
    each rent); hosts without a guest that month are left out."""
    start, end = month_bounds(year, month)
    days = calendar.monthrange(year, month)[1]
    hosts = list(programme.hosts.select_related("unit__site").order_by("id"))
    rents = _rent_periods(hosts, start, end)
    home_nights = _hosted_nights(hosts, start, end)
    by_bed = [
        host.unit_id
        for host in hosts
        if any(basis == RentBasis.BED for _lo, _hi, basis, _rent in rents[host.pk])
    ]
    # Person-nights of the homes paid per bed, in each part of the month between changes.
    cuts = sorted({start, end, *(lo for periods in rents.values() for lo, *_ in periods)})
    person_nights: dict[tuple[int, dt.date], int] = defaultdict(int)
    if by_bed:
        occupancies = Occupancy.objects.filter(bed__unit_id__in=by_bed)
        for lo, hi in pairwise(cuts):
            for (unit_id, _band), count in nights_by(
                lo, hi, ("bed__unit_id",), occupancies
            ).items():
                person_nights[(unit_id, lo)] += count
    lines = []
    for host in hosts:
        for lo, hi, basis, rent in rents[host.pk]:
            hosted = [night for night in home_nights.get(host.unit_id, ()) if lo <= night < hi]
            if not hosted:
                continue
            nights = (
                sum(person_nights[(host.unit_id, cut)] for cut in cuts if lo <= cut < hi)
                if basis == RentBasis.BED
                else len(hosted)
            )
            lines.append(
                RentLine(
                    host=host,
                    period_start=min(hosted),
                    period_end=max(hosted),
                    nights=nights,
                    rent_basis=basis,
                    monthly_rent=rent,
                    amount=prorated(rent, nights, days),
                )
            )
    return lines


def paid_month(programme: Programme, year: int, month: int) -> RentMonth | None:
    return RentMonth.objects.filter(programme=programme, year=year, month=month).first()


def month_statement(programme: Programme, year: int, month: int) -> tuple[RentMonth | None, list]:
    """The month's payments: as paid when the month is marked paid, else as computed now."""
    paid = paid_month(programme, year, month)
    if paid is None:
        return None, rent_lines(programme, year, month)
    return paid, list(paid.payments.select_related("host__unit__site").order_by("id"))


def open_stay_of(host: Host) -> Stay | None:
    return (
        Stay.objects.filter(unit_id=host.unit_id, ended_on__isnull=True)
        .select_related("household")
        .first()
    )


def ending_soon(user: Any, today: dt.date | None = None) -> QuerySet[HostingAgreement]:
    """Agreements ending within 30 days whose guests still live in the home and have no
    next place planned: no next place written down and no later agreement with another host."""
    today = today or timezone.localdate()
    later = HostingAgreement.objects.filter(
        household=OuterRef("household"),
        ended_on__isnull=True,
        starts_on__gte=OuterRef("ends_on"),
    )
    living = Stay.objects.filter(
        household=OuterRef("household"),
        unit=OuterRef("host__unit"),
        ended_on__isnull=True,
    )
    return (
        HostingAgreement.objects.filter(
            host__in=visible_hosts(user),
            ended_on__isnull=True,
            ends_on__lte=today + dt.timedelta(days=WARNING_DAYS),
            next_place="",
        )
        .filter(Exists(living))
        .exclude(Exists(later))
        .select_related("host__unit__site", "household")
        .order_by("ends_on", "id")
    )


def latest_answers(host: Host) -> dict[int, HostAnswer]:
    """Each household's latest answer from this host, by household id."""
    found: dict[int, HostAnswer] = {}
    for answer in host.answers.select_related("household", "recorded_by").order_by(
        "answered_on", "id"
    ):
        found[answer.household_id] = answer
    return found


def open_requests(user: Any) -> list[HostAnswer]:
    """The households the user's hosts were asked about and have not answered yet: each
    host and household whose latest entry is a request, oldest request first."""
    latest: dict[tuple[int, int], HostAnswer] = {}
    answers = (
        HostAnswer.objects.filter(host__in=visible_hosts(user))
        .select_related("host__unit__site", "household")
        .annotate(persons=Count("household__persons"))
        .order_by("answered_on", "id")
    )
    for answer in answers:
        latest[(answer.host_id, answer.household_id)] = answer
    return sorted(
        (answer for answer in latest.values() if answer.answer == Answer.ASKED),
        key=lambda answer: (answer.answered_on, answer.pk),
    )
