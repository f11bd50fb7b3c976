"""Host homes in proposals and unit lists: a place is offered only where accepting it will
take the household (ADR 18).

The world is the demo's in small: collective units with free beds, an unvetted host home and
a vetted one without an agreement (both welcoming pets, which no collective unit does), and a
vetted home whose host signed an agreement with one of the households waiting for a place.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import AllocationFactory
from tillsammans.hosting.models import EndReason, Host
from tillsammans.hosting.services import agreement_end
from tillsammans.placement.models import ItemStatus
from tillsammans.placement.services import proposal_accept, proposal_create
from tillsammans.reception.error_codes import ReceptionErrorCode
from tillsammans.reception.models import Allocation, Stay
from tillsammans.reception.services import allocation_place, stay_move

from .conftest import agree, register, vet

ON = dt.date(2022, 10, 10)


@dataclass
class World:
    unvetted: Host
    unsigned: Host
    signed: Host
    with_pets: Allocation
    guest: Allocation
    ordinary: Allocation
    agreement: Any


@pytest.fixture
def world(cast, programme, new_household) -> World:
    pets = {"guest_pets_welcome": True, "languages": ["uk"]}
    unvetted = register(cast, programme, name="Värd Ett", **pets)
    unsigned = vet(cast, register(cast, programme, name="Värd Två", **pets))
    signed = vet(cast, register(cast, programme, name="Värd Tre", **pets))
    with_pets = new_household("H-PETS")
    with_pets.has_pets = True
    with_pets.save()
    guest = new_household("H-GUEST")
    guest.has_pets = True
    guest.save()
    agreement = agree(cast, signed, guest, ON)
    return World(
        unvetted=unvetted,
        unsigned=unsigned,
        signed=signed,
        # Expected on ON: the allocation's page lists the units for that day.
        with_pets=AllocationFactory.create(household=with_pets, expected_arrival=ON),
        guest=AllocationFactory.create(household=guest, expected_arrival=ON),
        ordinary=AllocationFactory.create(
            household=new_household("H-ORDINARY"), expected_arrival=ON
        ),
        agreement=agreement,
    )


def test_it_proposes_only_places_that_accepting_takes(cast, world):
    # when: the coordinator proposes places for everyone waiting, and accepts them all
    proposal = proposal_create(actor=cast.coordinator, on=ON)
    outcome = proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then: every proposed place was taken; none failed
    places = list(proposal.items.exclude(unit=None))
    assert places and not outcome.failed
    for item in places:
        item.refresh_from_db()
        assert item.status == ItemStatus.ACCEPTED
        assert Stay.objects.get(household=item.household, ended_on__isnull=True).unit == item.unit
    # and: the homes without an agreement were never proposed; the guest went to its host
    proposed = {item.unit_id for item in places}
    assert world.unvetted.unit_id not in proposed and world.unsigned.unit_id not in proposed
    assert proposal.items.get(household=world.guest.household).unit_id == world.signed.unit_id
    assert proposal.items.get(household=world.with_pets.household).status == ItemStatus.UNPLACED


def test_it_offers_in_the_manual_list_only_the_homes_that_take_the_household(cast, world):
    # given: the coordinator's page of each pending allocation
    client = Client()
    client.force_login(cast.coordinator)

    def offered(allocation: Allocation) -> str:
        url = reverse("allocation_detail", args=[allocation.public_id])
        return client.get(url).content.decode()

    # then: the unvetted and the unsigned homes are offered to no one
    for allocation in (world.with_pets, world.guest, world.ordinary):
        page = offered(allocation)
        assert str(world.unvetted.unit.public_id) not in page
        assert str(world.unsigned.unit.public_id) not in page
    # and: the signed home only to the household of its agreement
    assert str(world.signed.unit.public_id) in offered(world.guest)
    assert str(world.signed.unit.public_id) not in offered(world.ordinary)


def test_it_still_refuses_them_under_lock(cast, world, new_household):
    # given: a proposal made while the guest's agreement stood, which then ended
    proposal = proposal_create(actor=cast.coordinator, on=ON)
    assert proposal.items.get(household=world.guest.household).unit_id == world.signed.unit_id
    agreement_end(actor=cast.a_staff, agreement=world.agreement, on=ON, reason=EndReason.HOST)
    # when: the coordinator accepts it (in English)
    with translation.override("en"):
        outcome = proposal_accept(actor=cast.coordinator, proposal=proposal)
    # then: that place fails with the reason, shown in the reader's language; the household
    # is not placed
    failed = proposal.items.get(household=world.guest.household)
    assert failed in outcome.failed and failed.error_code == ReceptionErrorCode.NO_AGREEMENT
    with translation.override("sv"):
        assert "andrahandsavtal" in failed.failure_display()
    assert not Stay.objects.filter(household=world.guest.household).exists()
    # and: placing or moving by hand into the homes without an agreement is refused
    late = AllocationFactory(household=new_household("H-LATE"))
    for host, code in (
        (world.unvetted, ReceptionErrorCode.HOST_NOT_VETTED),
        (world.unsigned, ReceptionErrorCode.NO_AGREEMENT),
    ):
        with pytest.raises(ServiceError) as placing:
            allocation_place(actor=cast.coordinator, allocation=late, unit=host.unit, on=ON)
        with pytest.raises(ServiceError) as moving:
            stay_move(actor=cast.coordinator, stay=cast.stay_a, to_unit=host.unit, on=ON)
        assert placing.value.code == moving.value.code == code
    assert not Stay.objects.filter(unit__host__isnull=False).exists()
