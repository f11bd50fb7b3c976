"""An unvetted home receives no one: not by hand, not by a move, not through the engine."""

import datetime as dt

import pytest
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import AllocationFactory, SiteFactory, UnitFactory
from tillsammans.hosting.error_codes import HostingErrorCode
from tillsammans.hosting.models import Answer
from tillsammans.hosting.services import answer_record, vetting_record
from tillsammans.housing.models import Bed, SiteKind, Unit
from tillsammans.placement.models import ItemStatus
from tillsammans.placement.selectors import available_units
from tillsammans.placement.services import proposal_accept, proposal_create
from tillsammans.reception.models import Stay
from tillsammans.reception.selectors import fitting_units
from tillsammans.reception.services import allocation_place, stay_move

from .conftest import agree, register, vet

ON = dt.date(2022, 10, 10)


def test_it_refuses_to_place_anyone_in_an_unvetted_home(cast, programme, new_household):
    # given: a registered host whose home visit is done, but not the identity or reference
    host = register(cast, programme)
    vetting_record(actor=cast.a_staff, host=host, step="home_visit", on=ON, notes="")
    allocation = AllocationFactory(household=new_household("H-GUEST"))
    # when: the coordinator places a household there
    with pytest.raises(ServiceError) as refused, translation.override("en"):
        allocation_place(actor=cast.coordinator, allocation=allocation, unit=host.unit, on=ON)
    # then: it is refused with the reason, and nobody lives there
    assert refused.value.code == HostingErrorCode.NOT_VETTED
    assert "not vetted" in str(refused.value.message)
    assert not Stay.objects.filter(unit=host.unit).exists()


def test_it_refuses_to_move_a_household_into_an_unvetted_home(cast, programme):
    # given: household A living at site A, and an unvetted host home
    host = register(cast, programme)
    # when: the coordinator moves the household there
    with pytest.raises(ServiceError) as refused:
        stay_move(actor=cast.coordinator, stay=cast.stay_a, to_unit=host.unit, on=ON)
    # then: refused, and the household still lives at site A
    assert refused.value.code == HostingErrorCode.NOT_VETTED
    assert Stay.objects.get(household=cast.household_a, ended_on__isnull=True).unit == cast.unit_a


def test_it_refuses_a_vetted_home_until_the_household_has_a_signed_agreement(
    cast, programme, new_household
):
    # given: a vetted home and a household the host has not agreed to
    host = vet(cast, register(cast, programme))
    allocation = AllocationFactory(household=new_household("H-GUEST"))
    # when: the coordinator places it there
    with pytest.raises(ServiceError) as refused:
        allocation_place(actor=cast.coordinator, allocation=allocation, unit=host.unit, on=ON)
    # then: refused until host, organisation and household have signed
    assert refused.value.code == HostingErrorCode.NO_AGREEMENT
    # when: the host says yes and the agreement is signed
    agree(cast, host, allocation.household, ON)
    stay = allocation_place(actor=cast.coordinator, allocation=allocation, unit=host.unit, on=ON)
    # then: the household moves in
    assert stay.unit == host.unit


def test_it_refuses_a_host_home_of_the_programme_that_has_no_registered_host(
    cast, programme, new_household
):
    # given: a host-home place of the programme's organisation made without a host
    site = SiteFactory(organisation=cast.org_a, kind=SiteKind.HOST_HOME, name="Värdhem utan värd")
    unit = UnitFactory(site=site, name="V1", beds=2)
    allocation = AllocationFactory(household=new_household("H-GUEST"))
    # when / then: nobody can be placed there
    with pytest.raises(ServiceError) as refused:
        allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=ON)
    assert refused.value.code == HostingErrorCode.NOT_REGISTERED


def test_it_does_not_offer_unvetted_homes_in_fitting_units_or_to_the_engine(
    cast, programme, new_household
):
    # given: one unvetted and one vetted home
    unvetted = register(cast, programme, name="Värd Ett")
    vetted = vet(cast, register(cast, programme, name="Värd Två"))
    household = new_household("H-GUEST")
    # when: the units that fit are listed, and the engine's units are read
    fitting = set(fitting_units(Unit.objects.all(), household, ON))
    engine = {unit.unit for unit in available_units(ON)}
    # then: the vetted home is offered, the unvetted one is not
    assert vetted.unit in fitting and vetted.unit in engine
    assert unvetted.unit not in fitting and unvetted.unit not in engine


def test_it_does_not_offer_a_home_outside_the_hosts_period(cast, programme, new_household):
    # given: a vetted home offered until the end of September
    host = vet(cast, register(cast, programme, available_until=dt.date(2022, 10, 1)))
    household = new_household("H-GUEST")
    # then: it fits on 30 September, not on 10 October
    assert host.unit in fitting_units(Unit.objects.all(), household, dt.date(2022, 9, 30))
    assert host.unit not in fitting_units(Unit.objects.all(), household, ON)


def test_it_fails_an_accepted_proposal_for_a_home_without_an_agreement(cast, programme):
    # given: the only place with room for the pending household is a vetted host home
    host = vet(cast, register(cast, programme))
    Bed.objects.exclude(unit=host.unit).update(blocked=True)
    proposal = proposal_create(actor=cast.coordinator, on=ON)
    item = proposal.items.get(household=cast.allocation_pending.household)
    assert item.unit == host.unit
    # when: the coordinator accepts before the host has agreed
    with translation.override("en"):
        outcome = proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then: the item fails with the reason and the household is not placed
    item.refresh_from_db()
    assert outcome.failed and item.status == ItemStatus.FAILED
    assert "sublet agreement" in item.failure_display()


def test_it_does_not_propose_a_home_again_to_a_household_its_host_declined(cast, programme):
    # given: the engine proposed the host home for the pending household
    host = vet(cast, register(cast, programme))
    Bed.objects.exclude(unit=host.unit).update(blocked=True)
    household = cast.allocation_pending.household
    first = proposal_create(actor=cast.coordinator, on=ON)
    assert first.items.get(household=household).unit == host.unit
    # when: the host says no, and the coordinator proposes again
    answer_record(
        actor=cast.a_staff, host=host, household=household, answer=Answer.NO, answered_on=ON
    )
    second = proposal_create(actor=cast.coordinator, on=ON)
    # then: the home is not proposed for that household
    assert second.items.get(household=household).unit != host.unit
