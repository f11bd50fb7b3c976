"""Reads for placement proposals: who is to be placed, where there is room, and the fit."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from tillsammans.core.lib.dates import add_days, age_on
from tillsammans.core.lib.geo import district_centre
from tillsammans.housing.models import Site, Unit
from tillsammans.people.models import Household, Person
from tillsammans.reception import eligibility
from tillsammans.reception.models import Allocation, AllocationStatus, Occupancy, Stay

from .fit import (
    ELDERLY_AGE,
    FAIRNESS_WINDOW_DAYS,
    Anchor,
    Fairness,
    HouseholdProfile,
    UnitProfile,
    fairness_scores,
)
from .models import PlacementProposal, ProposalItem, UnplacedReason


@dataclass
class HouseholdIn:
    """A household to be placed, as the engine and the fit see it."""

    household: Household
    size: int
    needs: frozenset[str]
    on: dt.date
    profile: HouseholdProfile
    # What the placement rule knows of it (reception.eligibility).
    applicant: eligibility.Applicant
    allocation: Allocation | None = None
    stay: Stay | None = None
    # Set when the engine is not asked about this household at all.
    skip: str = ""

    @property
    def id(self) -> str:
        return str(self.household.public_id)


@dataclass
class UnitIn:
    """A unit with room: free beds now and how many more households it may take."""

    unit: Unit
    free: int
    slots: int | None
    features: frozenset[str]
    profile: UnitProfile
    # What the placement rule knows of it (reception.eligibility).
    room: eligibility.Room

    @property
    def id(self) -> str:
        return str(self.unit.public_id)


@dataclass
class _Persons:
    # (date of birth, sex) of each person
    persons: list[tuple[dt.date, str]]
    languages: set[str]
    decisions: list[eligibility.Decision]

    @property
    def birth_dates(self) -> list[dt.date]:
        return [born for born, _sex in self.persons]


def _persons_by_household(households: QuerySet[Household]) -> dict[int, _Persons]:
    found: dict[int, _Persons] = defaultdict(lambda: _Persons([], set(), []))
    rows = (
        Person.objects.filter(household__in=households)
        .order_by("household_id", "id")
        .values_list("household_id", "birth_date", "sex", "languages")
    )
    for household_id, born, sex, languages in rows.iterator(chunk_size=5000):
        persons = found[household_id]
        persons.persons.append((born, sex))
        persons.languages.update(code for code in languages or [] if isinstance(code, str))
    for household_id, decisions in eligibility.decisions_by_household(households).items():
        found[household_id].decisions = decisions
    return found


def _anchor(household: Household) -> Anchor | None:
    if not household.has_anchor:
        return None
    point = district_centre(household.anchor_district)
    return Anchor(household.anchor_kind, household.anchor_district, point) if point else None


def _household_in(
    household: Household,
    persons: _Persons,
    on: dt.date,
    *,
    allocation: Allocation | None = None,
    stay: Stay | None = None,
) -> HouseholdIn:
    ages = [age_on(born, on) for born in persons.birth_dates]
    needs = household.needs(persons.birth_dates, on)
    profile = HouseholdProfile(
        anchor=_anchor(household),
        languages=frozenset(persons.languages),
        elderly=any(age >= ELDERLY_AGE for age in ages),
    )
    return HouseholdIn(
        household,
        len(ages),
        frozenset(needs),
        on,
        profile,
        eligibility.applicant(household, persons.persons, on, persons.decisions),
        allocation=allocation,
        stay=stay,
        skip="" if ages else UnplacedReason.EMPTY_HOUSEHOLD,
    )


def pending_households(on: dt.date) -> list[HouseholdIn]:
    """Every household with a pending allocation, by reference; its oldest pending one."""
    allocations = (
        Allocation.objects.filter(status=AllocationStatus.PENDING)
        .select_related("household")
        .order_by("household__reference", "allocated_on", "id")
    )
    households = Household.objects.filter(allocations__status=AllocationStatus.PENDING)
    persons = _persons_by_household(households)
    housed = set(
        Stay.objects.filter(ended_on__isnull=True, household__in=households).values_list(
            "household_id", flat=True
        )
    )
    found: list[HouseholdIn] = []
    seen: set[int] = set()
    for allocation in allocations:
        household = allocation.household
        if household.pk in seen:
            continue
        seen.add(household.pk)
        # A move-in cannot be dated before the allocation.
        day = max(on, allocation.allocated_on)
        item = _household_in(household, persons[household.pk], day, allocation=allocation)
        if household.pk in housed and not item.skip:
            item.skip = UnplacedReason.ALREADY_HOUSED
        found.append(item)
    return found


def residents_of_site(site: Site, on: dt.date) -> list[HouseholdIn]:
    """The households living at a site now, with their open stays, by reference."""
    stays = (
        Stay.objects.filter(unit__site=site, ended_on__isnull=True)
        .select_related("household", "unit")
        .order_by("household__reference", "id")
    )
    persons = _persons_by_household(Household.objects.filter(stays__in=stays))
    return [
        # A move cannot be dated before the move-in.
        _household_in(
            stay.household, persons[stay.household_id], max(on, stay.started_on), stay=stay
        )
        for stay in stays
    ]


def available_units(
    on: dt.date, households: Iterable[HouseholdIn], *, exclude_site: Site | None = None
) -> list[UnitIn]:
    """The units with a free bed and room for one more household that may take one of
    ``households`` by the placement rule (``reception.eligibility``)."""
    units = Unit.objects.order_by("site__organisation__name", "site__name", "name", "id")
    if exclude_site is not None:
        units = units.exclude(site=exclude_site)
    applicants = [household.applicant for household in households if not household.skip]
    found = []
    for room in eligibility.rooms_for(applicants, units, on):
        unit, site = room.unit, room.unit.site
        profile = UnitProfile(
            partner=site.organisation_id,
            location=site.location(),
            host_languages=frozenset(unit.host_languages or []),
            food_service=unit.food_service,
        )
        found.append(UnitIn(unit, room.free, room.slots, room.features, profile, room))
    return found


def recent_persons_by_partner(on: dt.date) -> dict[int, int]:
    """Persons who moved into each partner's beds in the window before ``on``."""
    since = add_days(on, -FAIRNESS_WINDOW_DAYS)
    rows = (
        Occupancy.objects.filter(started_on__gt=since, started_on__lte=on)
        .values("bed__unit__site__organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["bed__unit__site__organisation_id"]: row["n"] for row in rows}


def fairness_of(units: Iterable[UnitIn], on: dt.date) -> dict[int, Fairness]:
    free: dict[int, int] = defaultdict(int)
    for unit in units:
        free[unit.profile.partner] += unit.free
    return fairness_scores(free, recent_persons_by_partner(on))


def proposal_items(proposal: PlacementProposal) -> QuerySet[ProposalItem]:
    return (
        proposal.items.select_related(
            "household",
            "unit__site__organisation",
            "next_pin__site",
            "dropped_pin__site",
            "from_stay__unit",
            "accepted_by",
        )
        .annotate(forbids=Count("next_forbids"))
        .order_by("id")
    )


@dataclass
class Alternative:
    unit: Unit
    fit: int


def alternatives(item: ProposalItem, limit: int = 30) -> list[Alternative]:
    """The units the engine could have chosen for this household, best fit first, and the
    proposed one whatever its rank."""
    problem = item.proposal.problem or {}
    unit_ids = (item.proposal.ids or {}).get("units", {})
    proposed = str(item.unit.public_id) if item.unit is not None else None
    pairs = sorted(
        (
            (fit, unit_key)
            for h_key, unit_key, fit in problem.get("candidates", [])
            if h_key == item.key and unit_key in unit_ids
        ),
        # Short ids are "u1", "u2", ...: ties in the order the units were given.
        key=lambda pair: (-pair[0], int(pair[1][1:]) if pair[1][1:].isdigit() else 0, pair[1]),
    )
    shown = pairs[:limit] + [pair for pair in pairs[limit:] if unit_ids[pair[1]] == proposed]
    units = {
        str(unit.public_id): unit
        for unit in Unit.objects.filter(
            public_id__in=[unit_ids[key] for _fit, key in shown]
        ).select_related("site__organisation")
    }
    return [Alternative(units[unit_ids[key]], fit) for fit, key in shown if unit_ids[key] in units]


def residents(site: Site, on: dt.date) -> int:
    """How many households live at a site now (what a proposal to close it is about)."""
    return Stay.objects.filter(unit__site=site, ended_on__isnull=True).count()
