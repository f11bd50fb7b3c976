"""Reads for Hjärterum: the rent of a month, agreements ending soon, requests to hosts.

Rent is paid for the nights actually hosted (a night belongs to the date it starts on, as
everywhere in the ledger):

- per home: ``monthly rent × nights the home had guests / nights in the month``;
- per bed: ``monthly rent × person-nights / nights in the month`` (one person is one bed);

rounded to whole kronor, halves up. A stay from the 10th to the end of a 31-day month is
22 nights; one that ends (moves out) on the 20th is 19 nights, the 1st to the 19th.
"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tillsammans.core.lib.dates import month_bounds
from tillsammans.reception.models import Occupancy, Stay
from tillsammans.reception.selectors import nights_by

from .models import Answer, Host, HostAnswer, HostingAgreement, Programme, RentBasis, RentMonth
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


def rent_lines(programme: Programme, year: int, month: int) -> list[RentLine]:
    """What each of the programme's hosts is owed for the month, computed from the stays now;
    hosts without a guest that month are left out."""
    start, end = month_bounds(year, month)
    days = calendar.monthrange(year, month)[1]
    hosts = list(programme.hosts.select_related("unit__site").order_by("id"))
    home_nights = _hosted_nights(hosts, start, end)
    by_bed = [host.unit_id for host in hosts if host.rent_basis == RentBasis.BED]
    person_nights: dict[int, int] = defaultdict(int)
    if by_bed:
        occupancies = Occupancy.objects.filter(bed__unit_id__in=by_bed)
        for (unit_id, _band), count in nights_by(
            start, end, ("bed__unit_id",), occupancies
        ).items():
            person_nights[unit_id] += count
    lines = []
    for host in hosts:
        hosted = home_nights.get(host.unit_id)
        if not hosted:
            continue
        nights = person_nights[host.unit_id] if host.rent_basis == RentBasis.BED else len(hosted)
        lines.append(
            RentLine(
                host=host,
                period_start=min(hosted),
                period_end=max(hosted),
                nights=nights,
                rent_basis=host.rent_basis,
                monthly_rent=host.monthly_rent,
                amount=prorated(host.monthly_rent, nights, days),
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
