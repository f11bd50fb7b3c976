"""Capacity and occupancy, always computed from beds and open occupancies."""

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tillsammans.reception.models import Occupancy, Stay

from .models import Bed, Site, Unit


def _count(queryset: QuerySet[Any], field: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("*")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def occupied_beds_filter(on: dt.date | None = None) -> Q:
    """Occupancies that hold a bed on (and after) ``on``; open ones hold it indefinitely."""
    if on is None:
        return Q(ended_on__isnull=True)
    return Q(ended_on__isnull=True) | Q(ended_on__gt=on)


def units_with_capacity(units: QuerySet[Unit], on: dt.date | None = None) -> QuerySet[Unit]:
    """Annotate beds, blocked beds, occupied beds, free beds and open households per unit."""
    occupied = Occupancy.objects.filter(occupied_beds_filter(on), bed__unit=OuterRef("pk"))
    return units.annotate(
        beds_total=_count(Bed.objects.filter(unit=OuterRef("pk")), "unit"),
        beds_blocked=_count(Bed.objects.filter(unit=OuterRef("pk"), blocked=True), "unit"),
        beds_occupied=_count(occupied, "bed__unit"),
        households_open=_count(
            Stay.objects.filter(unit=OuterRef("pk"), ended_on__isnull=True), "unit"
        ),
    ).annotate(
        beds_free=Coalesce("beds_total", 0)
        - Coalesce("beds_blocked", 0)
        - Coalesce("beds_occupied", 0)
    )


def free_beds_of_unit(unit: Unit, on: dt.date | None = None) -> list[Bed]:
    holding = Occupancy.objects.filter(occupied_beds_filter(on), bed=OuterRef("pk"))
    return list(unit.beds.filter(blocked=False).exclude(Exists(holding)).order_by("number"))


def sites_with_capacity(sites: QuerySet[Site]) -> QuerySet[Site]:
    occupied = Occupancy.objects.filter(ended_on__isnull=True, bed__unit__site=OuterRef("pk"))
    beds = Bed.objects.filter(unit__site=OuterRef("pk"))
    return sites.annotate(
        beds_total=_count(beds, "unit__site"),
        beds_blocked=_count(beds.filter(blocked=True), "unit__site"),
        beds_occupied=_count(occupied, "bed__unit__site"),
    ).annotate(
        beds_free=Coalesce("beds_total", 0)
        - Coalesce("beds_blocked", 0)
        - Coalesce("beds_occupied", 0)
    )


def units_for_household(
    units: QuerySet[Unit], *, size: int, needs: set[str], has_children: bool, on: dt.date
) -> QuerySet[Unit]:
    """Units that can take the whole household on ``on``: open, beds enough, features met."""
    # The capacity figures are annotations; the stubs cannot see them.
    queryset = units_with_capacity(units, on).filter(  # type: ignore[misc]
        Q(site__closes_on__isnull=True) | Q(site__closes_on__gt=on),
        site__opens_on__lte=on,
        beds_free__gte=size,
    )
    queryset = queryset.filter(
        Q(max_households__isnull=True) | Q(households_open__lt=F("max_households"))
    )
    for feature in needs:
        queryset = queryset.filter(**{feature: True})
    if has_children:
        queryset = queryset.filter(children_ok=True)
    return queryset.select_related("site__organisation").order_by(  # type: ignore[misc]
        "-beds_free", "site__name", "name"
    )
