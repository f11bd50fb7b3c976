import datetime as dt

from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.reception.selectors import person_nights
from tillsammans.reception.services import allocation_place, stay_end, stay_move

D = dt.date


def _place(cast, unit, on, *births):
    household = HouseholdFactory()
    for born in births:
        PersonFactory(household=household, birth_date=born)
    allocation = AllocationFactory(household=household, allocated_on=on)
    return allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=on)


def _totals(result, band=None):
    return sum(n for (org, site, b), n in result.items() if band is None or b == band)


def test_it_counts_nights_from_move_in_to_move_out_exclusive(cast):
    # given partner B's unit with a household of one adult from 3 to 10 September
    stay = _place(cast, cast.unit_b, D(2022, 9, 3), D(1980, 1, 1))
    stay_end(actor=cast.b_staff, stay=stay, on=D(2022, 9, 10), reason="own_housing")
    # when
    nights = person_nights(D(2022, 9, 1), D(2022, 10, 1))
    # then: 7 nights at site B
    assert nights[("Partner B", "Site B", "adult")] == 7


def test_it_splits_a_child_turning_18_in_the_period(cast):
    # given a person who turns 18 on 15 September 2022, staying all month with a parent
    _place(cast, cast.unit_b, D(2022, 9, 1), D(2004, 9, 15), D(1980, 1, 1))
    # when
    nights = person_nights(D(2022, 9, 1), D(2022, 10, 1))
    # then: 14 nights as a child (1–14 Sep), 16 as an adult (15–30 Sep), the parent's 30
    assert nights[("Partner B", "Site B", "child")] == 14
    assert nights[("Partner B", "Site B", "adult")] == 16 + 30


def test_it_counts_a_move_once_and_on_the_right_site(cast):
    # given the cast's household at site A (2 persons since 10 July) moving to B on 20 Sep
    stay_move(actor=cast.coordinator, stay=cast.stay_a, to_unit=cast.unit_b, on=D(2022, 9, 20))
    # when
    nights = person_nights(D(2022, 9, 1), D(2022, 10, 1))
    # then: 19 nights at A and 11 at B, per person
    site_a = sum(n for (org, site, b), n in nights.items() if site == "Site A")
    site_b = sum(n for (org, site, b), n in nights.items() if site == "Site B")
    assert (site_a, site_b) == (2 * 19, 2 * 11)


def test_it_clips_stays_that_cross_the_period(cast):
    # when the period is one day inside the cast's open stay
    nights = person_nights(D(2022, 8, 1), D(2022, 8, 2))
    # then each of the 2 persons has one night
    assert _totals(nights) == 2
