"""Aggregated figures: what every role, viewers included, may see. Never a person."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise

from tillsammans.core.lib.dates import week_bounds
from tillsammans.housing.models import Site, SiteKind
from tillsammans.housing.selectors import Capacity, capacity_by_site, not_closed_by
from tillsammans.partnership.models import Agreement, Organisation, running_in
from tillsammans.people.models import Person
from tillsammans.reception.models import Allocation, AllocationStatus, Occupancy
from tillsammans.reception.selectors import arrivals_between, departures_between

CLOSING_SOON_DAYS = 30


@dataclass(frozen=True)
class PartnerRow(Capacity):
    organisation: Organisation | None = None
    sites: int = 0


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
        return PartnerRow(
            beds=sum(row.beds for row in self.partners),
            blocked=sum(row.blocked for row in self.partners),
            occupied=sum(row.occupied for row in self.partners),
            sites=sum(row.sites for row in self.partners),
        )


def dashboard(today: dt.date, capacity: dict[int, Capacity] | None = None) -> Dashboard:
    board = Dashboard(today=today)
    capacity = capacity_by_site() if capacity is None else capacity
    per_org: dict[int, Capacity] = {}
    # A closed site's beds are no one's today (the 2015 agreement's homes closed with it).
    still_open = Site.objects.filter(not_closed_by(today))
    for site_id, org_id in still_open.order_by().values_list("id", "organisation_id"):
        per_org[org_id] = per_org.get(org_id, Capacity()) + capacity.get(site_id, Capacity())
    open_sites = dict(still_open.values_list("organisation_id").annotate(n=Count("id")).order_by())
    for org in Organisation.objects.order_by("name"):
        figures = per_org.get(org.pk, Capacity())
        board.partners.append(
            PartnerRow(
                organisation=org,
                sites=open_sites.get(org.pk, 0),
                beds=figures.beds,
                blocked=figures.blocked,
                occupied=figures.occupied,
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
    board.pending_persons = Person.objects.filter(
        household__in=pending.values("household_id")
    ).count()
    board.closing_soon = list(
        Site.objects.filter(
            closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=CLOSING_SOON_DAYS)
        )
        .select_related("organisation")
        .order_by("closes_on")[:50]
    )
    agreement = Agreement.objects.filter(running_in(today, today + dt.timedelta(days=1))).first()
    board.target_places = agreement.target_places_on(today) if agreement else 0
    return board


@dataclass(frozen=True)
class SiteRow:
    public_id: Any
    name: str
    organisation: str
    kind: str | Promise  # the kind's label, translated when shown
    district: str
    beds: int
    occupied: int
    free: int


def site_rows(
    organisation_id: int | None,
    page_size: int,
    offset: int,
    capacity: dict[int, Capacity] | None = None,
) -> tuple[list[SiteRow], int]:
    """One page of the sites open today, those with the most free beds first."""
    today = timezone.localdate()
    sites = Site.objects.filter(not_closed_by(today))
    if organisation_id:
        sites = sites.filter(organisation_id=organisation_id)
    capacity = capacity_by_site() if capacity is None else capacity
    empty = Capacity()
    # Sort all sites on their figures first, then load the details of one page only.
    ranked = sorted(
        sites.order_by().values_list("id", "name"),
        key=lambda row: (-capacity.get(row[0], empty).free, row[1]),
    )
    page = [site_id for site_id, _name in ranked[offset : offset + page_size]]
    kinds = dict(SiteKind.choices)
    details = {
        row[0]: row
        for row in Site.objects.filter(id__in=page).values_list(
            "id", "public_id", "name", "organisation__short_name", "kind", "district"
        )
    }
    rows = []
    for site_id in page:
        _id, public_id, name, organisation, kind, district = details[site_id]
        figures = capacity.get(site_id, empty)
        rows.append(
            SiteRow(
                public_id,
                name,
                organisation,
                kinds.get(kind, kind),
                district,
                figures.beds,
                figures.occupied,
                figures.free,
            )
        )
    return rows, len(ranked)
