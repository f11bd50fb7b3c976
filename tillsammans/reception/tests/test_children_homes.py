"""Homes for children in the one rule (ADR 26): an unaccompanied child lives only in a
licensed home, on the social services' decision, within the licence's ages, sex and places;
no one else lives there. Each refusal is the place's, with its reason, and nothing is
written."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import (
    AllocationFactory,
    HomeForChildrenFactory,
    HouseholdFactory,
    LicenceFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
)
from tillsammans.housing.models import LicenceSex
from tillsammans.reception import eligibility
from tillsammans.reception.error_codes import ReceptionErrorCode as Code
from tillsammans.reception.models import PlacementDecision, Stay
from tillsammans.reception.services import allocation_place

DAY = dt.date(2016, 4, 1)
FOURTEEN = dt.date(2002, 1, 10)
FIFTEEN = dt.date(2000, 9, 1)
NINETEEN = dt.date(1997, 1, 1)
ELDERLY = dt.date(1940, 5, 5)


def _child(*births: dt.date, sex: str = "male", unaccompanied: bool = True):
    household = HouseholdFactory.create(unaccompanied=unaccompanied)
    for born in births:
        PersonFactory.create(household=household, birth_date=born, sex=sex)
    return AllocationFactory.create(household=household, allocated_on=DAY)


def _home(cast, *, units: int = 1, beds: int = 4, licensed: bool = True, **licence: object):
    site = HomeForChildrenFactory.create(organisation=cast.org_a, name="HVB Lunden")
    made = [UnitFactory.create(site=site, name=f"Rum {n}", beds=beds) for n in range(units)]
    if licensed:
        LicenceFactory.create(site=site, holder=cast.city, **licence)
    return site, made


def _adults_unit(cast):
    site = SiteFactory.create(organisation=cast.org_b, opens_on=dt.date(2015, 1, 1), name="Vuxna")
    return UnitFactory.create(site=site, name="V1", beds=4)


def _decide(allocation, site, **terms: object) -> PlacementDecision:
    values = {"valid_from": DAY, "valid_to": None, "continued_after_18": False} | terms
    return PlacementDecision.objects.create(
        household=allocation.household, site=site, decided_on=DAY, **values
    )


def _refused(cast, allocation, unit) -> str:
    with pytest.raises(ServiceError) as refused:
        allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=DAY)
    assert not Stay.objects.filter(household=allocation.household).exists()
    return refused.value.code


def test_it_places_a_child_on_a_decision_in_a_licensed_home(cast):
    # given: a 14-year-old with a decision for a home whose licence covers 13 to 20
    site, (unit,) = _home(cast)
    child = _child(FOURTEEN)
    _decide(child, site)
    # when
    stay = allocation_place(actor=cast.coordinator, allocation=child, unit=unit, on=DAY)
    # then
    assert stay.unit == unit
    assert stay.occupancies.count() == 1


def test_it_lists_only_the_decided_home_for_a_child(cast):
    # given
    site, (unit,) = _home(cast)
    _other_site, (other,) = _home(cast)
    adults = _adults_unit(cast)
    child = _child(FOURTEEN)
    _decide(child, site)
    # when
    listed = set(eligibility.units_for(type(unit).objects.all(), child.household, DAY))
    # then: not the adults' units, not another home without a decision
    assert listed == {unit}
    assert adults not in listed and other not in listed


def test_it_refuses_a_lone_child_in_an_adults_site(cast):
    # given: a household of one 14-year-old, not even marked unaccompanied
    child = _child(FOURTEEN, unaccompanied=False)
    # when / then
    assert _refused(cast, child, _adults_unit(cast)) == Code.NEEDS_LICENSED_HOME


def test_it_refuses_an_adult_in_a_home_for_children(cast):
    # given: an elderly couple, and an HVB home without a licence
    _site, (unit,) = _home(cast, licensed=False)
    couple = _child(ELDERLY, ELDERLY, unaccompanied=False)
    # when / then
    assert _refused(cast, couple, unit) == Code.HOME_FOR_CHILDREN


def test_it_refuses_a_child_without_a_decision(cast):
    _site, (unit,) = _home(cast)
    child = _child(FOURTEEN)
    assert _refused(cast, child, unit) == Code.NO_DECISION


def test_it_refuses_a_decision_that_has_ended(cast):
    site, (unit,) = _home(cast)
    child = _child(FOURTEEN)
    _decide(child, site, valid_from=dt.date(2016, 1, 1), valid_to=dt.date(2016, 3, 31))
    assert _refused(cast, child, unit) == Code.NO_DECISION


def test_it_refuses_a_home_whose_licence_has_expired(cast):
    site, (unit,) = _home(cast, valid_to=dt.date(2016, 3, 31))
    child = _child(FOURTEEN)
    _decide(child, site)
    assert _refused(cast, child, unit) == Code.NO_LICENCE


def test_it_refuses_an_age_outside_the_licence(cast):
    site, (unit,) = _home(cast, min_age=16, max_age=20)
    child = _child(FOURTEEN)
    _decide(child, site)
    with pytest.raises(ServiceError) as refused:
        allocation_place(actor=cast.coordinator, allocation=child, unit=unit, on=DAY)
    assert refused.value.code == Code.LICENCE_AGE
    assert "16" in refused.value.message and "20" in refused.value.message


def test_it_refuses_a_girl_in_a_home_licensed_for_boys(cast):
    site, (unit,) = _home(cast, sex=LicenceSex.MALE)
    girl = _child(FOURTEEN, sex="female")
    _decide(girl, site)
    assert _refused(cast, girl, unit) == Code.LICENCE_SEX


def test_it_refuses_a_young_adult_unless_the_placement_continues(cast):
    # given: a 19-year-old unaccompanied young person
    site, (unit,) = _home(cast)
    young = _child(NINETEEN)
    decision = _decide(young, site)
    # when / then: refused on a plain decision
    assert _refused(cast, young, unit) == Code.ADULT_IN_CHILDREN_HOME
    # and placed once the social services continue the placement
    decision.continued_after_18 = True
    decision.save()
    stay = allocation_place(actor=cast.coordinator, allocation=young, unit=unit, on=DAY)
    assert stay.unit == unit


def test_it_counts_the_licence_places_across_the_homes_units(cast):
    # given: a licence of two places over two rooms of four beds each
    site, (first, second) = _home(cast, units=2, places=2)
    one, two, three = _child(FOURTEEN), _child(FIFTEEN), _child(FOURTEEN)
    for child in (one, two, three):
        _decide(child, site)
    allocation_place(actor=cast.coordinator, allocation=one, unit=first, on=DAY)
    allocation_place(actor=cast.coordinator, allocation=two, unit=second, on=DAY)
    # when / then: the third has beds in both rooms but no licensed place
    assert _refused(cast, three, first) == Code.LICENCE_FULL
    assert _refused(cast, three, second) == Code.LICENCE_FULL


def test_it_lets_an_unaccompanied_young_adult_live_in_an_ordinary_place(cast):
    # given: an unaccompanied 19-year-old
    young = _child(NINETEEN)
    adults = _adults_unit(cast)
    # when
    stay = allocation_place(actor=cast.coordinator, allocation=young, unit=adults, on=DAY)
    # then
    assert stay.unit == adults


def test_it_tells_the_coordinator_why_a_lone_child_is_offered_no_adults_place(cast, client):
    # given: a lone 14-year-old waiting today, and adults' places with room
    today = timezone.localdate()
    child = _child(today.replace(year=today.year - 14, day=1), unaccompanied=False)
    _adults_unit(cast)
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("allocation_detail", args=[child.public_id])).content.decode()
    # then: the reason is the child's, not missing beds or features
    assert 'data-testid="licensed-home-note"' in page
    assert "Inget boende som ett placeringsbeslut anger har plats för barnet just nu." in page
    assert 'data-testid="host-home-note"' not in page
