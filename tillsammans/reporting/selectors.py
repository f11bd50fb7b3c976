"""Aggregated figures: what every role, viewers included, may see. Never a person."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from tillsammans.core.lib.dates import week_bounds
from tillsammans.housing.models import Bed, Site
from tillsammans.housing.selectors import sites_with_capacity
from tillsammans.partnership.models import Agreement, Organisation
from tillsammans.reception.models import Allocation, AllocationStatus, Occupancy
from tillsammans.reception.selectors import arrivals_between, departures_between

CLOSING_SOON_DAYS = 30


@dataclass
class PartnerRow:
    organisation: Organisation
    sites: int = 0
    beds: int = 0
    blocked: int = 0
    occupied: int = 0

    @property
    def free(self) -> int:
        return self.beds - self.blocked - self.occupied


@dataclass
class Dashboard:
    today: dt.date
    partners: list[PartnerRow] = field(default_factory=list)
    arrivals_households: int = 0
    arrivals_persons: int = 0
    departures_households: int = 0
    departures_persons: int = 0
    pending_allocations: int = 0
    pending_persons: int = 0
    closing_soon: list[Site] = field(default_factory=list)
    target_places: int = 0

    @property
    def totals(self) -> PartnerRow:
        row = PartnerRow(organisation=None)  # type: ignore[arg-type]
        for partner in self.partners:
            row.sites += partner.sites
            row.beds += partner.beds
            row.blocked += partner.blocked
            row.occupied += partner.occupied
        return row


def dashboard(today: dt.date) -> Dashboard:
    board = Dashboard(today=today)
    open_sites = Q(sites__closes_on__isnull=True) | Q(sites__closes_on__gt=today)
    organisations = Organisation.objects.annotate(
        n_sites=Count("sites", filter=open_sites, distinct=True)
    ).order_by("name")
    beds = dict(
        Bed.objects.values_list("unit__site__organisation").annotate(n=Count("id")).order_by()
    )
    blocked = dict(
        Bed.objects.filter(blocked=True)
        .values_list("unit__site__organisation")
        .annotate(n=Count("id"))
        .order_by()
    )
    occupied = dict(
        Occupancy.objects.filter(ended_on__isnull=True)
        .values_list("bed__unit__site__organisation")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org in organisations:
        board.partners.append(
            PartnerRow(
                organisation=org,
                sites=org.n_sites,
                beds=beds.get(org.pk, 0),
                blocked=blocked.get(org.pk, 0),
                occupied=occupied.get(org.pk, 0),
            )
        )
    monday, next_monday = week_bounds(today)
    arrivals = arrivals_between(monday, next_monday)
    board.arrivals_households = arrivals.count()
    board.arrivals_persons = Occupancy.objects.filter(stay__in=arrivals).count()
    departures = departures_between(monday, next_monday)
    board.departures_households = departures.count()
    board.departures_persons = Occupancy.objects.filter(stay__in=departures).count()
    pending = Allocation.objects.filter(status=AllocationStatus.PENDING)
    board.pending_allocations = pending.count()
    board.pending_persons = pending.aggregate(n=Count("household__persons"))["n"] or 0
    board.closing_soon = list(
        Site.objects.filter(
            closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=CLOSING_SOON_DAYS)
        )
        .select_related("organisation")
        .order_by("closes_on")[:50]
    )
    agreement = (
        Agreement.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .first()
    )
    board.target_places = agreement.target_places_on(today) if agreement else 0
    return board


def site_rows(organisation_id: int | None, page_size: int, offset: int) -> tuple[list[Any], int]:
    sites = Site.objects.select_related("organisation")
    if organisation_id:
        sites = sites.filter(organisation_id=organisation_id)
    total = sites.count()
    rows = list(
        sites_with_capacity(sites).order_by("-beds_free", "name")[offset : offset + page_size]
    )
    return rows, total
