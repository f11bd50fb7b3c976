"""Capacity and occupancy, always computed from beds and occupancies, never stored.

Beds are counted in one pass over the bed rows, each joined to the occupancy that holds it
(at most one open occupancy per bed, by a unique index), grouped by unit or site. That is a
single scan at national scale where a correlated count per site or unit would be thousands.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from tillsammans.core.lib.bulk import plain_rows
from tillsammans.partnership.models import Party
from tillsammans.reception.models import Occupancy, Stay

from .models import Bed, BedCount, Site, Unit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def not_closed_by(day: dt.date, site: str = "") -> Q:
    """The site (reached by the path ``site``, such as ``"unit__site__"``) has not closed by
    ``day``: it closes after it, or not at all. (``closes_on`` is the first day closed.)"""
    return Q(**{f"{site}closes_on__isnull": True}) | Q(**{f"{site}closes_on__gt": day})


def occupied_beds_filter(on: dt.date | None = None, prefix: str = "") -> Q:
    """Occupancies that hold a bed on (and after) ``on``; open ones hold it indefinitely."""
    if on is None:
        return Q(**{f"{prefix}ended_on__isnull": True})
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})


@dataclass(frozen=True)
class Capacity:
    beds: int = 0
    blocked: int = 0
    occupied: int = 0

    @property
    def free(self) -> int:
        return self.beds - self.blocked - self.occupied

    def __add__(self, other: "Capacity") -> "Capacity":
        return Capacity(
            self.beds + other.beds, self.blocked + other.blocked, self.occupied + other.occupied
        )


CAPACITY_CACHE_PREFIX = "housing:capacity:v3:"
_FIGURES_KEY = CAPACITY_CACHE_PREFIX + "figures"
_GENERATION_KEY = CAPACITY_CACHE_PREFIX + "generation"
# Writes are tracked, so the timeout only bounds what a process with its own local cache can
# miss from another process's writes (ADR 8).
CAPACITY_CACHE_SECONDS = 600
# Past this many changed sites a full recount is as cheap as recounting each.
MAX_CHANGED_SITES = 200


def _changed_key(generation: int) -> str:
    return f"{CAPACITY_CACHE_PREFIX}changed:{generation}"


def _mark_changed(site_id: int) -> None:
    cache.add(_GENERATION_KEY, 0, None)
    generation = cache.incr(_GENERATION_KEY)
    cache.set(_changed_key(generation), site_id, CAPACITY_CACHE_SECONDS)


def forget_capacity(site_id: int) -> None:
    """Mark a site's cached figures as changed, now and again when the transaction commits.

    Now, so that the writer's own next read is right; on commit, because another request may
    have recounted the site from before the commit in between.
    """
    _mark_changed(site_id)
    transaction.on_commit(lambda: _mark_changed(site_id))


def capacity_by_site(site_ids: Iterable[int] | None = None) -> dict[int, Capacity]:
    """Beds, blocked beds and beds held by an open occupancy, per site id.

    The figures for all sites are cached with the generation of writes they include; each
    write (``forget_capacity``) adds a generation naming its site. A read recounts only the
    sites changed since, so a dashboard after a placement recounts one site, not the country.
    Anything missing from the cache (a restart, an eviction) means a full recount.
    """
    if site_ids is not None:
        return _capacity_by_site(list(site_ids))
    generation = cache.get(_GENERATION_KEY, 0)
    cached = cache.get(_FIGURES_KEY)
    if cached is not None and cached[0] == generation:
        return cached[1]
    figures: dict[int, Capacity] | None = None
    if cached is not None and 0 < generation - cached[0] <= MAX_CHANGED_SITES:
        keys = [_changed_key(g) for g in range(cached[0] + 1, generation + 1)]
        changed = cache.get_many(keys)
        if len(changed) == len(keys):
            site_list = sorted(set(changed.values()))
            figures = dict(cached[1])
            counted = _capacity_by_site(site_list)
            for site_id in site_list:
                figures[site_id] = counted.get(site_id, Capacity())
    if figures is None:
        figures = _capacity_by_site(None)
    cache.set(_FIGURES_KEY, (generation, figures), CAPACITY_CACHE_SECONDS)
    return figures


def _capacity_by_site(site_ids: list[int] | None) -> dict[int, Capacity]:
    beds = Bed.objects.all()
    if site_ids is not None:
        beds = beds.filter(unit__site_id__in=site_ids)
    rows = (
        beds.annotate(
            holder=FilteredRelation(
                "occupancies", condition=occupied_beds_filter(None, "occupancies__")
            )
        )
        .values("unit__site_id")
        .annotate(
            total=Count("id"),
            blocked_n=Count("id", filter=Q(blocked=True)),
            occupied_n=Count("holder__id"),
        )
        .order_by()
    )
    return {
        row["unit__site_id"]: Capacity(row["total"], row["blocked_n"], row["occupied_n"])
        for row in rows
    }


class SiteCapacity(TypedDict):
    beds_total: int
    beds_blocked: int
    beds_occupied: int
    beds_free: int


def attach_capacity(sites: Iterable[Site]) -> "list[WithAnnotations[Site, SiteCapacity]]":
    """The sites with ``beds_total``, ``beds_blocked``, ``beds_occupied`` and ``beds_free``
    (set from the cached figures, not annotated in SQL)."""
    found = [cast("WithAnnotations[Site, SiteCapacity]", site) for site in sites]
    capacity = capacity_by_site(site.pk for site in found)
    for site in found:
        figures = capacity.get(site.pk, Capacity())
        site.beds_total = figures.beds
        site.beds_blocked = figures.blocked
        site.beds_occupied = figures.occupied
        site.beds_free = figures.free
    return found


class UnitCapacity(TypedDict):
    beds_total: int
    beds_blocked: int
    beds_occupied: int
    households_open: int
    beds_free: int


def units_with_capacity(
    units: QuerySet[Unit], on: dt.date | None = None
) -> "QuerySet[WithAnnotations[Unit, UnitCapacity]]":
    """Annotate beds, blocked beds, occupied beds, free beds and open households per unit."""
    holder = FilteredRelation(
        "beds__occupancies", condition=occupied_beds_filter(on, "beds__occupancies__")
    )
    open_households = (
        Stay.objects.filter(unit=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("unit")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        units.annotate(holder=holder)
        .annotate(
            beds_total=Count("beds", distinct=True),
            beds_blocked=Count("beds", filter=Q(beds__blocked=True), distinct=True),
            beds_occupied=Count("holder__bed", distinct=True),
            households_open=Coalesce(
                Subquery(open_households, output_field=IntegerField()), Value(0)
            ),
        )
        .annotate(beds_free=F("beds_total") - F("beds_blocked") - F("beds_occupied"))
    )


def free_beds_of_unit(unit: Unit, on: dt.date | None = None) -> list[Bed]:
    holding = Occupancy.objects.filter(occupied_beds_filter(on), bed=OuterRef("pk"))
    return list(unit.beds.filter(blocked=False).exclude(Exists(holding)).order_by("number"))


def agreement_site_filter(
    agreement_id: int, site: str = "", organisation_ids: Iterable[int] | None = None
) -> Q:
    """The sites whose places an agreement counts, as a condition on the site reached by the
    path ``site`` (such as ``"bed__unit__site__"``): those offered under it, and its parties'
    sites that are under no agreement. ``organisation_ids`` narrows the parties (to those of a
    year, say). A query that joins the site anyway tests its row instead of a subquery, which
    at national scale saves a fifth of a month's count."""
    if organisation_ids is None:
        organisation_ids = Party.objects.filter(agreement_id=agreement_id).values_list(
            "organisation_id", flat=True
        )
    return Q(**{f"{site}agreement_id": agreement_id}) | Q(
        **{f"{site}agreement__isnull": True, f"{site}organisation_id__in": list(organisation_ids)}
    )


def agreement_sites(agreement_id: int, organisation_ids: Iterable[int] | None = None) -> QuerySet:
    """The ids of ``agreement_site_filter``'s sites, as a subquery."""
    return Site.objects.filter(
        agreement_site_filter(agreement_id, organisation_ids=organisation_ids)
    ).values("id")


@dataclass
class BedSteps:
    """A site's beds over time, summed over its units from their bed counts (``BedCount``):
    ``steps`` are (from, beds, usable), in order, each holding until the next. Before the
    first step the site had none counted."""

    steps: list[tuple[dt.date, int, int]]

    def on(self, day: dt.date) -> tuple[int, int]:
        """(beds, usable) on ``day``."""
        found = (0, 0)
        for valid_from, beds, usable in self.steps:
            if valid_from > day:
                break
            found = (beds, usable)
        return found

    def usable_days(self, lo: dt.date, hi: dt.date) -> int:
        """The usable beds summed over the days of [lo, hi): the place-days."""
        total = 0
        for (valid_from, _beds, usable), following in zip(
            self.steps, [*self.steps[1:], None], strict=True
        ):
            until = following[0] if following is not None else hi
            days = (min(until, hi) - max(valid_from, lo)).days
            if days > 0:
                total += days * usable
        return total

    def open_place_days(
        self, opens_on: dt.date, closes_on: dt.date | None, lo: dt.date, hi: dt.date
    ) -> int:
        """The place-days of [lo, hi) while the site is open (``closes_on`` is the first day
        closed)."""
        first, last = max(opens_on, lo), min(closes_on or hi, hi)
        return self.usable_days(first, last) if first < last else 0

    def most(self, lo: dt.date, hi: dt.date) -> tuple[int, int]:
        """The most beds and the most usable beds on some day of [lo, hi)."""
        seen = [self.on(lo)] + [
            (beds, usable) for valid_from, beds, usable in self.steps if lo < valid_from < hi
        ]
        return max(beds for beds, _ in seen), max(usable for _, usable in seen)


def bed_steps(sites: QuerySet[Site, Any], end: dt.date) -> dict[int, BedSteps]:
    """Each of ``sites``' beds over time up to ``end`` (``BedSteps``), from one read of
    their units' bed counts. A site with no bed count has no entry."""
    changes: dict[int, dict[dt.date, list[int]]] = {}
    previous: dict[int, tuple[int, int]] = {}
    rows = (
        BedCount.objects.filter(unit__site__in=sites, valid_from__lt=end)
        .order_by("unit_id", "valid_from")
        .values_list("unit__site_id", "unit_id", "valid_from", "beds", "usable")
    )
    for site_id, unit_id, valid_from, beds, usable in plain_rows(rows):
        was_beds, was_usable = previous.get(unit_id, (0, 0))
        previous[unit_id] = (beds, usable)
        delta = changes.setdefault(site_id, {}).setdefault(valid_from, [0, 0])
        delta[0] += beds - was_beds
        delta[1] += usable - was_usable
    result = {}
    for site_id, by_day in changes.items():
        beds = usable = 0
        steps = []
        for day in sorted(by_day):
            beds += by_day[day][0]
            usable += by_day[day][1]
            steps.append((day, beds, usable))
        result[site_id] = BedSteps(steps)
    return result


def beds_since(site: Site) -> dict[int, dt.date]:
    """The day each of the site's units has had its present number of beds (its last bed
    count), by unit id."""
    return dict(
        BedCount.objects.filter(unit__site=site)
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "valid_from")
    )
