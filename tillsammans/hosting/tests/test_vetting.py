"""An unvetted home receives no one, and a vetted one only the household of a signed sublet
agreement: not by hand, not by a move, not through the engine."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import AllocationFactory, SiteFactory, UnitFactory
from tillsammans.hosting.models import Answer, EndReason
from tillsammans.hosting.services import agreement_end, answer_record, host_update, vetting_record
from tillsammans.housing.models import SiteKind, Unit
from tillsammans.reception.eligibility import units_for
from tillsammans.reception.error_codes import ReceptionErrorCode
from tillsammans.reception.models import Stay
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
    assert refused.value.code == ReceptionErrorCode.HOST_NOT_VETTED
    assert "not vetted" in str(refused.value.message)
    assert not Stay.objects.filter(unit=host.unit).exists()


def test_it_refuses_to_move_a_household_into_an_unvetted_home(cast, programme):
    # given: household A living at site A, and an unvetted host home
    host = register(cast, programme)
    # when: the coordinator moves the household there
    with pytest.raises(ServiceError) as refused:
        stay_move(actor=cast.coordinator, stay=cast.stay_a, to_unit=host.unit, on=ON)
    # then: refused, and the household still lives at site A
    assert refused.value.code == ReceptionErrorCode.HOST_NOT_VETTED
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
    assert refused.value.code == ReceptionErrorCode.NO_AGREEMENT
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
    # when / then: nobody can be placed there, and no list offers it
    with pytest.raises(ServiceError) as refused:
        allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=ON)
    assert refused.value.code == ReceptionErrorCode.HOST_NOT_REGISTERED
    assert unit not in units_for(Unit.objects.all(), allocation.household, ON)


def test_it_offers_a_host_home_only_to_the_household_of_its_agreement(
    cast, programme, new_household
):
    # given: one unvetted and one vetted home, the vetted one with an agreement for a guest
    unvetted = register(cast, programme, name="Värd Ett")
    vetted = vet(cast, register(cast, programme, name="Värd Två"))
    guest, other = new_household("H-GUEST"), new_household("H-OTHER")
    agree(cast, vetted, guest, ON)
    # when: the units each household may move into are listed
    for_guest = set(units_for(Unit.objects.all(), guest, ON))
    for_other = set(units_for(Unit.objects.all(), other, ON))
    # then: the guest is offered its host's home, nobody the unvetted one, the other neither
    assert vetted.unit in for_guest and vetted.unit not in for_other
    assert unvetted.unit not in for_guest | for_other
    assert cast.unit_b in for_guest and cast.unit_b in for_other


def test_it_does_not_offer_a_home_outside_the_hosts_period(cast, programme, new_household):
    # given: a vetted home offered until the end of September, to a guest with an agreement
    host = vet(cast, register(cast, programme, available_until=dt.date(2022, 10, 1)))
    household = new_household("H-GUEST")
    agree(cast, host, household, dt.date(2022, 9, 20), ends_on=dt.date(2022, 12, 1))
    # then: it is offered on 30 September, not on 10 October
    assert host.unit in units_for(Unit.objects.all(), household, dt.date(2022, 9, 30))
    assert host.unit not in units_for(Unit.objects.all(), household, ON)
    # when: the host offers it longer
    host_update(actor=cast.a_admin, host=host, beds=3, available_until=dt.date(2023, 1, 1))
    # then: the rule reads the new period
    assert host.unit in units_for(Unit.objects.all(), household, ON)


def test_it_stops_offering_a_home_when_its_agreement_ends(cast, programme, new_household):
    # given: a vetted home with a signed agreement for a guest
    host = vet(cast, register(cast, programme))
    household = new_household("H-GUEST")
    agreement = agree(cast, host, household, ON)
    assert host.unit in units_for(Unit.objects.all(), household, ON)
    # when: the hosting ends before the guests moved in
    agreement_end(actor=cast.a_staff, agreement=agreement, on=ON, reason=EndReason.HOST)
    # then: the home is no longer offered, and placing there is refused
    assert host.unit not in units_for(Unit.objects.all(), household, ON)
    with pytest.raises(ServiceError) as refused:
        allocation_place(
            actor=cast.coordinator,
            allocation=AllocationFactory(household=household),
            unit=host.unit,
            on=ON,
        )
    assert refused.value.code == ReceptionErrorCode.NO_AGREEMENT


def test_it_lets_the_programmes_staff_answer_a_request_a_coordinator_made(
    cast, programme, new_household
):
    # given: a vetted home, and a household waiting for a place
    host = vet(cast, register(cast, programme))
    household = new_household("H-GUEST")
    # when: the programme's staff try to record an answer before anyone asked
    client = _client(cast.a_staff)
    refused = client.post(_answer_url(host), _answer(household, Answer.YES))
    # then: the household cannot be named by them
    assert refused.status_code == 400
    assert not host.answers.exists()
    # when: the coordinator asks the host about the household
    answer_record(
        actor=cast.coordinator, host=host, household=household, answer=Answer.ASKED,
        answered_on=ON,
    )  # fmt: skip
    # then: the request is on the staff's list, and they can record the host's yes
    page = client.get(reverse("host_proposals"))
    assert household.reference in page.content.decode()
    done = client.post(_answer_url(host), _answer(household, Answer.YES))
    assert done.status_code == 302
    assert host.answers.order_by("-id").first().answer == Answer.YES
    assert household.reference not in client.get(reverse("host_proposals")).content.decode()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _answer_url(host) -> str:
    return reverse("host_answer", args=[host.public_id])


def _answer(household, answer: str) -> dict[str, str]:
    return {"household": household.reference, "answer": answer, "answered_on": ON.isoformat()}


def test_the_audit_log_reads_a_hosts_answer_and_vetting_in_the_readers_words(
    cast, programme, new_household
):
    from tillsammans.core.models import AuditEvent

    # given a vetted host who said yes to a household
    host = vet(cast, register(cast, programme))
    household = new_household("H-SVAR")
    answer_record(
        actor=cast.a_staff, host=host, household=household, answer=Answer.YES,
        answered_on=dt.date(2022, 8, 2),
    )  # fmt: skip
    events = AuditEvent.objects.filter(object_type="hosting.host")
    # then a Swedish reader reads the answer and the step in Swedish, never their codes
    with translation.override("sv"):
        read = [event.described() for event in AuditEvent.name_mentions(list(events))]
    assert "värden svarade Ja för hushåll H-SVAR" in read
    assert any(text.startswith("granskning: hembesök") for text in read)
    assert not any("home_visit" in text or " yes " in text for text in read)
