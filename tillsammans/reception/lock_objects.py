"""Row locks for placing people into beds.

Locks are always taken in one order — sites, then units, each by id, then the household —
so two placements that touch the same units wait for each other instead of deadlocking. On SQLite
``select_for_update`` is a no-op; there the IMMEDIATE transaction mode serialises writers.
"""

from collections.abc import Iterable

from tillsammans.housing.models import Site, Unit
from tillsammans.people.models import Household


def lock_units(unit_ids: Iterable[int]) -> dict[int, Unit]:
    ids = sorted(set(unit_ids))
    site_ids = sorted(set(Unit.objects.filter(id__in=ids).values_list("site_id", flat=True)))
    list(Site.objects.select_for_update().filter(id__in=site_ids).order_by("id").values("id"))
    units = Unit.objects.select_for_update().filter(id__in=ids).order_by("id")
    return {unit.id: unit for unit in units}


def lock_household(household_id: int) -> Household:
    """Taken after the units: two placements of one household must not both pass the
    "already housed" check and leave the loser with a misleading "no room" answer."""
    return Household.objects.select_for_update().get(pk=household_id)
