"""Fixtures of the finance tests: an agreement, its rates and a month worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.finance.models import CompensationRate, RateKind, Scheme
from tillsammans.housing.selectors import free_beds_of_unit
from tillsammans.partnership.models import Agreement
from tillsammans.reception.models import Occupancy, Stay
from tillsammans.reception.services import allocation_place, stay_end

D = dt.date
MARCH_1 = D(2022, 3, 1)


def place(cast, unit, on, *births):
    household = HouseholdFactory()
    for born in births:
        PersonFactory(household=household, birth_date=born)
    allocation = AllocationFactory(household=household, allocated_on=on)
    return allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=on)


def stayed_before_the_rule(unit, on, born):
    """A young person alone in an adults' place, as stays recorded before homes for children
    were in the placement rule (ADR 26) are: the counts and the money must take them as they
    are, so they are written here as the data holds them, not placed through the rule."""
    household = HouseholdFactory()
    person = PersonFactory(household=household, birth_date=born)
    stay = Stay.objects.create(household=household, unit=unit, started_on=on)
    bed = free_beds_of_unit(unit, on)[0]
    Occupancy.objects.create(stay=stay, person=person, bed=bed, started_on=on)
    return stay


def rate(agreement, kind, amount, valid_from=MARCH_1, scheme=Scheme.PARTNER, **more):
    return CompensationRate.objects.create(
        agreement=agreement,
        scheme=scheme,
        kind=kind,
        amount=Decimal(amount),
        valid_from=valid_from,
        **more,
    )


@pytest.fixture
def agreement(cast):
    agreement = Agreement.objects.create(name="IOP", starts_on=D(2022, 3, 1))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    return agreement


@pytest.fixture
def september_at_b(cast):
    """Partner B's site (4 beds, open since March) in September 2022.

    - an adult and a child move in on the first day and stay on: 30 nights each;
    - a young person who came in August turns 18 on the 15th and leaves on the last day
      (move-out exclusive): 14 nights as a child (1–14), 15 as an adult (15–29);
    - an adult moves in on the last day: 1 night.
    """
    place(cast, cast.unit_b, D(2022, 9, 1), D(1980, 1, 1), D(2015, 6, 1))
    turning = stayed_before_the_rule(cast.unit_b, D(2022, 8, 1), D(2004, 9, 15))
    stay_end(actor=cast.b_staff, stay=turning, on=D(2022, 9, 30), reason="own_housing")
    place(cast, cast.unit_b, D(2022, 9, 30), D(1990, 2, 2))


@pytest.fixture
def partner_rates(agreement, cast):
    """The partner rates of the worked example: 300/150 a night, 15 000 a move-in,
    100 a place-day for partner B, 120 from 16 September, and a frame of 5 000."""
    rates = [
        rate(agreement, RateKind.ADULT_NIGHT, 300),
        rate(agreement, RateKind.CHILD_NIGHT, 150),
        rate(agreement, RateKind.MOVE_IN, 15000),
        rate(agreement, RateKind.PLACE_DAY, 50),
        rate(agreement, RateKind.PLACE_DAY, 100, organisation=cast.org_b),
        rate(
            agreement, RateKind.PLACE_DAY, 120, valid_from=D(2022, 9, 16), organisation=cast.org_b
        ),
        rate(agreement, RateKind.FRAME, 5000),
    ]
    return rates


# 46 adult nights, 44 child nights, 3 persons moved in, 4 places × 15 days at 100 and at 120.
SEPTEMBER_AT_B = Decimal(46 * 300 + 44 * 150 + 3 * 15000 + 4 * 15 * 100 + 4 * 15 * 120 + 5000)
