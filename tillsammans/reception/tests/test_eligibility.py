"""The one rule of who may live where, asked three ways: the unit lists' queryset filter, the
engine's bulk candidates and the locked check must give the same answer for every household,
unit and day: adults, families, unaccompanied children and young people, in ordinary units,
host homes and homes for children with their licences."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import (
    HouseholdFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
)
from tillsammans.housing.models import Bed, Licence, LicenceSex, SiteKind, Unit
from tillsammans.reception import eligibility
from tillsammans.reception.models import Occupancy, PlacementDecision, Stay
from tillsammans.reception.services import (
    host_home_guest_record,
    host_home_programme_record,
    host_home_record,
)

D0 = dt.date(2022, 9, 1)
ADULT = dt.date(1980, 1, 1)
# Turns 18 on D0 + 10 days: a child on some of the days asked about, an adult on others.
TEEN = dt.date(2004, 9, 11)
CHILD = dt.date(2015, 6, 1)
YOUTH = dt.date(2007, 3, 1)
KINDS = (SiteKind.COLLECTIVE_SELF, SiteKind.HOST_HOME, SiteKind.HVB)


@dataclass
class LicenceSpec:
    ages: tuple[int, int]
    sex: str
    places: int
    valid_from: int
    valid_to: int | None


@dataclass
class HomeSpec:
    vetted: bool
    available_from: int
    available_until: int | None
    # (household index, from, until, ended)
    guests: list[tuple[int, int, int, bool]]


@dataclass
class UnitSpec:
    kind: str
    opens: int
    closes: int | None
    features: tuple[bool, bool, bool, bool]
    beds: int
    blocked: int
    max_households: int | None
    # Persons living there: each a one-person stay, open or moving out on a day.
    occupants: list[int | None]
    home: HomeSpec | None
    licences: list[LicenceSpec]


@dataclass
class HouseholdSpec:
    births: list[dt.date]
    accessible: bool
    pets: bool
    unaccompanied: bool
    sex: str
    # (unit index, from, to, continued after 18, withdrawn as recorded in error)
    decisions: list[tuple[int, int, int | None, bool, bool]]


# Most of what is drawn lets a household in, so that each condition is often the one that
# decides: a world where every site is closed would prove little. Dates are drawn from the
# days asked about and their neighbours, so that a period often starts or ends on one.
DAYS = (0, 5, 10)


def mostly(usual: Any, *others: Any) -> st.SearchStrategy[Any]:
    """``usual`` three times in four, else one of ``others``."""
    return st.sampled_from([usual] * 3 * len(others) + list(others))


def after(start: int, end: int | None) -> int | None:
    return None if end is None or end <= start else end


@st.composite
def homes(draw: Any, n_households: int) -> HomeSpec:
    start = draw(mostly(-30, *DAYS))
    until = after(start, draw(st.sampled_from([None, 5, 10, 15])))
    guests = []
    for _ in range(draw(st.integers(0, 3))):
        begins = draw(mostly(-30, *DAYS))
        ends = after(begins, draw(st.sampled_from([60, 5, 10, 15]))) or begins + 5
        guests.append(
            (
                draw(st.integers(0, n_households - 1)),
                begins,
                ends,
                draw(st.sampled_from([False, False, True])),
            )
        )
    return HomeSpec(draw(mostly(True, False)), start, until, guests)


@st.composite
def licences(draw: Any) -> LicenceSpec:
    start = draw(mostly(-30, *DAYS))
    return LicenceSpec(
        ages=draw(mostly((13, 20), (0, 17), (16, 20), (13, 17))),
        sex=draw(mostly(LicenceSex.ANY, LicenceSex.MALE, LicenceSex.FEMALE)),
        places=draw(mostly(6, 1, 2)),
        valid_from=start,
        valid_to=after(start, draw(mostly(None, 0, 5, 10))),
    )


@st.composite
def units(draw: Any, n_households: int) -> UnitSpec:
    opens = draw(mostly(-30, *DAYS))
    beds = draw(mostly(4, 0, 1, 2))
    features = tuple(draw(mostly(True, False)) for _ in range(4))
    closes = draw(mostly(None, 0, 5, 10, 15))
    kind = draw(st.sampled_from(KINDS))
    return UnitSpec(
        kind=kind,
        opens=opens,
        closes=None if closes is None or closes < opens else closes,
        features=features,
        beds=beds,
        blocked=draw(mostly(0, min(1, beds), beds)),
        max_households=draw(mostly(None, 1, 2)),
        occupants=draw(st.lists(mostly(None, *DAYS), max_size=1)),
        home=draw(st.none() | homes(n_households)),
        licences=[draw(licences()) for _ in range(draw(mostly(1, 0, 2)))]
        if kind == SiteKind.HVB
        else [],
    )


@st.composite
def households(draw: Any, n_units: int, homes_for_children: list[int]) -> HouseholdSpec:
    unaccompanied = draw(st.booleans())
    births = (
        draw(st.lists(mostly(YOUTH, TEEN, CHILD), min_size=1, max_size=2))
        if unaccompanied
        else draw(st.lists(mostly(ADULT, TEEN, CHILD), min_size=1, max_size=3))
    )
    decisions = []
    for _ in range(draw(mostly(1, 0, 2)) if unaccompanied else draw(mostly(0, 1))):
        start = draw(mostly(-30, *DAYS))
        decisions.append(
            (
                draw(st.sampled_from(homes_for_children) | st.integers(0, n_units - 1)),
                start,
                after(start, draw(mostly(None, 0, 5, 10))),
                draw(st.booleans()),
                draw(mostly(False, True)),
            )
        )
    return HouseholdSpec(
        births=births,
        accessible=draw(mostly(False, True)),
        pets=draw(mostly(False, True)),
        unaccompanied=unaccompanied,
        sex=draw(mostly("male", "female", "unknown")),
        decisions=decisions,
    )


@st.composite
def worlds(draw: Any) -> tuple[list[UnitSpec], list[HouseholdSpec]]:
    n_units, n_households = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    places = [draw(units(n_households)) for _ in range(n_units)]
    # Decisions mostly name a home for children, where they mean something.
    homes = [n for n, place in enumerate(places) if place.kind == SiteKind.HVB] or [0]
    people = [draw(households(n_units, homes)) for _ in range(n_households)]
    return places, people


def day(offset: int) -> dt.date:
    return D0 + dt.timedelta(days=offset)


def _build(places: list[UnitSpec], people: list[HouseholdSpec]) -> tuple[list[Unit], list[Any]]:
    programme_org, other_org = OrganisationFactory.create(), OrganisationFactory.create()
    host_home_programme_record(organisation=programme_org)
    made = []
    for person in people:
        household = HouseholdFactory.create(
            needs_accessible=person.accessible, has_pets=person.pets,
            unaccompanied=person.unaccompanied,
        )  # fmt: skip
        for born in person.births:
            PersonFactory(household=household, birth_date=born, sex=person.sex)
        made.append(household)
    built = []
    for n, spec in enumerate(places):
        site = SiteFactory.create(
            organisation=programme_org if n % 2 == 0 else other_org,
            kind=spec.kind,
            opens_on=day(spec.opens),
            closes_on=None if spec.closes is None else day(spec.closes),
        )
        for licence in spec.licences:
            Licence.objects.create(
                site=site, number=f"IVO-{n}", holder=site.organisation,
                min_age=licence.ages[0], max_age=licence.ages[1], sex=licence.sex,
                places=licence.places, valid_from=day(licence.valid_from),
                valid_to=None if licence.valid_to is None else day(licence.valid_to),
            )  # fmt: skip
        accessible, pets, children, food = spec.features
        unit = UnitFactory.create(
            site=site, beds=spec.beds, max_households=spec.max_households, accessible=accessible,
            pets_allowed=pets, children_ok=children, food_service=food,
        )  # fmt: skip
        Bed.objects.filter(unit=unit, number__lte=spec.blocked).update(blocked=True)
        free_beds = list(Bed.objects.filter(unit=unit, blocked=False).order_by("number"))
        for bed, leaves in zip(free_beds, spec.occupants, strict=False):
            resident = HouseholdFactory.create()
            occupant = PersonFactory.create(household=resident)
            ended = None if leaves is None else max(day(leaves), day(-40))
            stay = Stay.objects.create(
                household=resident, unit=unit, started_on=day(-40), ended_on=ended
            )
            Occupancy.objects.create(
                stay=stay, person=occupant, bed=bed, started_on=day(-40), ended_on=ended
            )
        if spec.home is not None and spec.kind != SiteKind.HVB:
            home = spec.home
            host_home_record(
                unit=unit,
                vetted=home.vetted,
                available_from=day(home.available_from),
                available_until=None if home.available_until is None else day(home.available_until),
            )
            for index, (guest, begins, ends, has_ended) in enumerate(home.guests):
                host_home_guest_record(
                    agreement=f"00000000-0000-0000-0000-{n:06d}{index:06d}",
                    unit=unit, household=made[guest], starts_on=day(begins), ends_on=day(ends),
                    ended_on=day(ends) if has_ended else None,
                )  # fmt: skip
        built.append(unit)
    for household, person in zip(made, people, strict=True):
        for index, starts, until, continued, withdrawn in person.decisions:
            PlacementDecision.objects.create(
                household=household, site=built[index].site, decided_on=day(-40),
                valid_from=day(starts), valid_to=None if until is None else day(until),
                continued_after_18=continued, withdrawn_on=day(-35) if withdrawn else None,
                withdrawn_reason="recorded in error" if withdrawn else "",
            )  # fmt: skip
    return built, made


def _checked(household: Any, unit: Unit, on: dt.date) -> bool:
    try:
        eligibility.check(household=household, unit=unit, on=on)
    except ServiceError:
        return False
    return True


@pytest.mark.django_db
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(world=worlds())
def test_it_answers_the_same_in_the_unit_list_the_engine_and_the_locked_check(world):
    places, people = world
    with transaction.atomic():
        # given: units of every kind (host homes vetted or not, with guests or not, full,
        # closed, missing features) and households of every kind
        built, made = _build(places, people)
        everything = Unit.objects.all()
        for on in map(day, DAYS):
            # when: each of the three ways is asked about every household and unit that day
            listed = {
                (h, unit.pk)
                for h, household in enumerate(made)
                for unit in eligibility.units_for(everything, household, on)
            }
            applicants = [eligibility.applicant_of(household, on) for household in made]
            rooms = eligibility.rooms_for(applicants, everything, on)
            pair_h, pair_u = eligibility.eligible_pairs(applicants, rooms)
            candidates = {
                (h, rooms[u].unit.pk) for h, u in zip(pair_h.tolist(), pair_u.tolist(), strict=True)
            }
            checked = {
                (h, unit.pk)
                for h, household in enumerate(made)
                for unit in built
                if _checked(household, unit, on)
            }
            # then: they agree
            assert listed == checked, on
            assert candidates == checked, on
        # and: with each household on a day of its own, as in a proposal, the engine's
        # candidates (beds counted on the first day) are places the locked check takes
        mixed = [
            eligibility.applicant_of(household, day(DAYS[h % len(DAYS)]))
            for h, household in enumerate(made)
        ]
        first = min(a.on for a in mixed)
        rooms = eligibility.rooms_for(mixed, everything, first)
        pair_h, pair_u = eligibility.eligible_pairs(mixed, rooms)
        for h, u in zip(pair_h.tolist(), pair_u.tolist(), strict=True):
            assert _checked(made[h], rooms[u].unit, mixed[h].on)
        transaction.set_rollback(True)
