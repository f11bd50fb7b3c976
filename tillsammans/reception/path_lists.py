"""The legal path's work lists (issue 14, ADR 30): the people who need the city's attention
now, from each housed person's path (``people/path.py``) and where they live today.

One read of the housed persons and one of their standing events; the paths are computed in
Python, so that every list applies the same rules as the person's own page.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tillsammans.core.lib.dates import add_days
from tillsammans.housing.models import Site
from tillsammans.people.models import PathEvent, Person
from tillsammans.people.path import Path, path_of

from .models import Allocation, AllocationStatus, Occupancy

EXPIRING_WITHIN = 60  # days
NEVER_ARRIVED_AFTER = 14  # days past the expected arrival with nobody moved in


class PathList(models.TextChoices):
    EXPIRING = "expiring", _("Permits ended or ending within 60 days, no extension applied for")
    ELIGIBLE = "eligible", _("Can be registered next month")
    OVERDUE = "overdue", _("Past the four weeks, no registration recorded")
    REGISTERED = "registered", _("Registered, still in reception housing")
    NEVER_ARRIVED = "never_arrived", _("Allocated, nobody moved in")


@dataclass
class PathRow:
    person: Person | None  # None on the never-arrived list: the row is the allocation
    site: Site | None
    day: dt.date | None  # the date the list is about (the permit's end, eligible from …)
    allocation: Allocation | None = None
    lapsed: bool = False  # on the expiring list: the permit has already run out


def housed_paths(
    persons: QuerySet[Person], *, organisation_id: int | None = None, site_id: int | None = None
) -> list[tuple[Person, Site, Path]]:
    """Every person of ``persons`` housed today (in that organisation's or site's places), with
    where they live and their path."""
    occupancies = Occupancy.objects.filter(ended_on__isnull=True, person__in=persons)
    if organisation_id is not None:
        occupancies = occupancies.filter(bed__unit__site__organisation_id=organisation_id)
    if site_id is not None:
        occupancies = occupancies.filter(bed__unit__site_id=site_id)
    events: dict[int, list[PathEvent]] = defaultdict(list)
    for event in (
        PathEvent.objects.standing()
        .filter(person__in=occupancies.values("person_id"))
        .only("person_id", "kind", "on", "valid_until")
    ):
        events[event.person_id].append(event)
    rows = []
    for occupancy in occupancies.select_related(
        "person__household", "bed__unit__site__organisation"
    ).order_by("bed__unit__site__name", "person__last_name_latin", "person__first_name_latin"):
        person = occupancy.person
        path = path_of(
            events.get(person.pk, []),
            listed_permit=(person.permit_valid_from, person.permit_valid_until),
        )
        rows.append((person, occupancy.bed.unit.site, path))
    return rows


def _next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _row(kind: str, person: Person, site: Site, path: Path, today: dt.date) -> PathRow | None:
    if kind in (PathList.ELIGIBLE, PathList.OVERDUE) and not path.in_reception_on(today):
        return None
    if kind == PathList.EXPIRING:
        if path.registered_on is not None and path.registered_on <= today:
            return None
        lapsed = path.lapsed_on
        if lapsed is not None and lapsed <= today:
            return PathRow(person, site, lapsed - dt.timedelta(days=1), lapsed=True)
        permit = path.permit_on(today)
        if permit is None:
            return None
        _start, end = permit
        if end <= add_days(today, EXPIRING_WITHIN) and not path.applied_for(end):
            return PathRow(person, site, end)
        return None
    if kind == PathList.ELIGIBLE:
        eligible = path.eligible_from
        first, last = _next_month(today)
        if eligible is not None and first <= eligible <= last:
            return PathRow(person, site, eligible)
        return None
    if kind == PathList.OVERDUE:
        due = path.registration_due_by
        if due is not None and due < today:
            return PathRow(person, site, due)
        return None
    if kind == PathList.REGISTERED:
        if path.registered_on is not None and path.registered_on <= today:
            return PathRow(person, site, path.registered_on)
    return None


HOUSED_LISTS = (PathList.EXPIRING, PathList.ELIGIBLE, PathList.OVERDUE, PathList.REGISTERED)


def work_lists(
    persons: QuerySet[Person],
    today: dt.date,
    *,
    organisation_id: int | None = None,
    site_id: int | None = None,
) -> dict[str, list[PathRow]]:
    """The rows of every list about housed persons, for the persons the user sees, from one
    pass over their paths; each list soonest first."""
    lists: dict[str, list[PathRow]] = {kind: [] for kind in HOUSED_LISTS}
    for person, site, path in housed_paths(
        persons, organisation_id=organisation_id, site_id=site_id
    ):
        for kind in HOUSED_LISTS:
            row = _row(kind, person, site, path, today)
            if row is not None:
                lists[kind].append(row)
    for rows in lists.values():
        rows.sort(key=lambda r: (r.day or dt.date.max, r.site.name if r.site else ""))
    return lists


def never_arrived(today: dt.date) -> list[PathRow]:
    """Pending allocations whose expected arrival is more than two weeks past with nobody
    moved in (the coordinator's list: the allocations are theirs)."""
    late = add_days(today, -NEVER_ARRIVED_AFTER)
    allocations = (
        Allocation.objects.filter(status=AllocationStatus.PENDING)
        .filter(
            models.Q(expected_arrival__lt=late)
            | models.Q(expected_arrival__isnull=True, allocated_on__lt=late)
        )
        .exclude(household__stays__isnull=False)
        .select_related("household")
        .prefetch_related("household__persons")
        .order_by("allocated_on", "reference")
    )
    return [
        PathRow(None, None, a.expected_arrival or a.allocated_on, allocation=a) for a in allocations
    ]
