"""The social services' case of an unaccompanied child: registered, dated, guarded, decided
and placed by the case worker who holds it; seen by that case worker and the home that
houses the child, and by no one else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import LicenceFactory, UnitFactory, member
from tillsammans.core.models import AuditAction, AuditEvent
from tillsammans.minors import access
from tillsammans.minors.error_codes import MinorsErrorCode as Code
from tillsammans.minors.models import ChildCase
from tillsammans.minors.services import (
    birth_date_record,
    case_take_over,
    child_place,
    child_register,
    decision_record,
    guardian_appoint,
    guardian_end,
)
from tillsammans.partnership.models import Role
from tillsammans.people.models import Household, Person
from tillsammans.reception.models import Allocation, AllocationStatus, PlacementDecision, Stay
from tillsammans.reception.services import stay_end

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY - dt.timedelta(days=round(years * 365.25) + days)


def _register(cast, **overrides):
    data = {
        "first_name": "علی", "last_name": "احمدی", "first_name_latin": "Ali",
        "last_name_latin": "Ahmadi", "birth_date": _years_ago(15, 40), "basis": "assessed",
        "sex": "male", "languages": ["prs"], "allocated_on": TODAY - 20 * DAY,
    }  # fmt: skip
    data.update(overrides)
    return child_register(actor=cast.case_worker, **data)


@pytest.fixture
def home(cast):
    """Partner A's HVB home for boys and girls aged 13–20, two places, licensed today."""
    licence = LicenceFactory.create(
        site__organisation=cast.org_a, site__name="HVB Solrosen", valid_from=TODAY - 400 * DAY,
        places=2,
    )  # fmt: skip
    UnitFactory.create(site=licence.site, name="Rum 1", beds=2)
    return licence.site


def _decide_and_place(cast, case, home, on=None):
    on = on or TODAY - 10 * DAY
    decision_record(actor=cast.case_worker, case=case, site=home, decided_on=on, valid_from=on)
    return child_place(actor=cast.case_worker, case=case, unit=home.units.get(), on=on)


def test_it_registers_a_child_as_an_unaccompanied_household_with_a_case_held_by_its_worker(cast):
    # when
    case = _register(cast)
    # then
    person = case.person
    assert person.household.unaccompanied
    assert person.household.persons.count() == 1
    assert case.case_worker == cast.case_worker
    allocation = Allocation.objects.get(household=person.household)
    assert allocation.status == AllocationStatus.PENDING
    assert [r.basis for r in case.birth_dates.all()] == ["assessed"]


@pytest.mark.parametrize("role", ["coordinator", "a_staff"])
def test_it_lets_only_a_case_worker_register_a_child(cast, role):
    # when / then
    with pytest.raises(PermissionDenied):
        child_register(
            actor=getattr(cast, role), first_name="Ali", last_name="Ahmadi",
            birth_date=_years_ago(15), basis="stated", sex="male", allocated_on=TODAY,
        )  # fmt: skip
    assert not ChildCase.objects.exists()


def test_it_refuses_a_date_of_birth_in_the_future_and_writes_nothing(cast):
    # when / then
    with pytest.raises(ServiceError) as refused:
        _register(cast, birth_date=TODAY + DAY)
    assert refused.value.code == Code.BAD_DATES
    assert not Household.objects.filter(unaccompanied=True).exists()


def test_it_makes_the_latest_decided_date_of_birth_the_childs(cast):
    # given a child stated to be 15
    case = _register(cast)
    revised = _years_ago(18, 10)
    # when the Migration Agency revises the date so that the young person is 18
    birth_date_record(
        actor=cast.case_worker, case=case, birth_date=revised, basis="revised",
        decided_on=TODAY - DAY,
    )  # fmt: skip
    # and an older assessment is entered afterwards
    birth_date_record(
        actor=cast.case_worker, case=case, birth_date=_years_ago(16), basis="assessed",
        decided_on=TODAY - 15 * DAY,
    )  # fmt: skip
    # then the person's date of birth is the latest decision's, and the change is audited
    assert Person.objects.get(pk=case.person_id).birth_date == revised
    assert case.birth_dates.count() == 3
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(case.person.public_id)
    ).exists()


def test_it_refuses_a_guardian_appointment_that_ends_before_it_starts(cast):
    # given
    case = _register(cast)
    # when / then
    with pytest.raises(ServiceError) as refused:
        guardian_appoint(
            actor=cast.case_worker, case=case, kind="god_man", name="Karin Andersson",
            appointed_on=TODAY - DAY, ended_on=TODAY - 5 * DAY,
        )  # fmt: skip
    assert refused.value.code == Code.BAD_DATES
    assert not case.guardians.exists()


def test_it_keeps_one_guardian_at_a_time(cast):
    # given a god man appointed ten days ago
    case = _register(cast)
    first = guardian_appoint(
        actor=cast.case_worker, case=case, kind="god_man", name="Karin Andersson",
        appointed_on=TODAY - 10 * DAY,
    )  # fmt: skip
    # when a custodian is appointed while the god man still is, it is refused
    with pytest.raises(ServiceError, match="Karin Andersson"):
        guardian_appoint(
            actor=cast.case_worker, case=case, kind="custodian", name="Per Berg",
            appointed_on=TODAY - DAY,
        )  # fmt: skip
    # then once the god man's appointment has ended, the custodian is appointed
    guardian_end(actor=cast.case_worker, appointment=first, ended_on=TODAY - 2 * DAY)
    guardian_appoint(
        actor=cast.case_worker, case=case, kind="custodian", name="Per Berg",
        appointed_on=TODAY - DAY,
    )  # fmt: skip
    assert case.guardians.count() == 2


def test_it_places_a_child_only_on_a_decision_naming_the_home(cast, home):
    # given a child with no placement decision
    case = _register(cast)
    # when the case worker tries to place the child in the home
    with pytest.raises(ServiceError):
        child_place(actor=cast.case_worker, case=case, unit=home.units.get(), on=TODAY)
    assert not Stay.objects.filter(household=case.person.household).exists()
    # then with a decision, the child is placed
    stay = _decide_and_place(cast, case, home)
    assert stay.unit.site == home
    assert PlacementDecision.objects.get(household=case.person.household).decided_by == (
        cast.case_worker
    )


def test_it_refuses_a_decision_for_a_place_that_is_not_a_home_for_children(cast):
    # given
    case = _register(cast)
    # when / then
    with pytest.raises(ServiceError) as refused:
        decision_record(
            actor=cast.case_worker, case=case, site=cast.site_a, decided_on=TODAY,
            valid_from=TODAY,
        )  # fmt: skip
    assert refused.value.code == Code.NOT_A_HOME


def test_it_refuses_a_child_outside_the_licences_ages(cast):
    # given a home licensed for 16–20 (supported housing) and a 14-year-old with a decision
    licence = LicenceFactory.create(
        site__organisation=cast.org_a, site__kind="supported", min_age=16,
        valid_from=TODAY - 100 * DAY,
    )  # fmt: skip
    UnitFactory.create(site=licence.site, beds=1)
    case = _register(cast, birth_date=_years_ago(14, 10))
    # when / then
    with pytest.raises(ServiceError):
        _decide_and_place(cast, case, licence.site)
    assert not Stay.objects.filter(household=case.person.household).exists()


def test_it_lets_only_the_holder_change_a_case_and_a_colleague_take_it_when_the_holder_leaves(
    cast,
):
    # given a case held by the cast's case worker, and a colleague
    case = _register(cast)
    colleague = member(cast.city, Role.CASE_WORKER, "colleague@example.org")
    # when the colleague records something or takes the case, it is refused, and the case
    # is not the colleague's to see
    with pytest.raises(PermissionDenied):
        guardian_appoint(actor=colleague, case=case, kind="god_man", name="X", appointed_on=TODAY)
    with pytest.raises(PermissionDenied):
        case_take_over(actor=colleague, case=case)
    assert not access.visible_cases(colleague).filter(pk=case.pk).exists()
    # when the holder leaves (deactivated)
    cast.case_worker.is_active = False
    cast.case_worker.save(update_fields=["is_active"])
    # then every case worker sees the case, and the colleague takes it over and holds it
    assert access.visible_cases(colleague).filter(pk=case.pk).exists()
    case_take_over(actor=colleague, case=case)
    assert ChildCase.objects.get(pk=case.pk).case_worker == colleague


def test_it_shows_a_case_to_the_home_that_houses_the_child_now_and_to_no_other(cast, home):
    # given a child placed in partner A's home
    case = _register(cast)
    stay = _decide_and_place(cast, case, home)
    # then partner A's staff see the case; partner B, the viewer and the coordinator do not
    assert access.visible_cases(cast.a_staff).filter(pk=case.pk).exists()
    for outsider in (cast.b_staff, cast.a_viewer, cast.coordinator):
        assert not access.visible_cases(outsider).filter(pk=case.pk).exists()
    # when the child moves out of the home
    stay_end(actor=cast.a_staff, stay=stay, on=TODAY, reason="other")
    # then partner A no longer sees the case; the case worker still does
    assert not access.visible_cases(cast.a_staff).filter(pk=case.pk).exists()
    assert access.visible_cases(cast.case_worker).filter(pk=case.pk).exists()


def test_it_audits_every_read_of_a_case(cast, client):
    # given
    case = _register(cast)
    client.force_login(cast.case_worker)
    # when
    response = client.get(reverse("case_detail", args=[case.public_id]))
    # then
    assert response.status_code == 200
    assert "علی" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(case.person.public_id)
    ).exists()
