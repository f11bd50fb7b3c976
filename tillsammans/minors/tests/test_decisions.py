"""A placement decision is ended on a day or, when recorded in error, withdrawn; a second
decision for the same home and time is refused. Neither is allowed from under a child who
lives in the home on it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import LicenceFactory, UnitFactory
from tillsammans.core.models import AuditEvent
from tillsammans.minors.error_codes import MinorsErrorCode as Code
from tillsammans.minors.services import (
    case_close,
    child_leave,
    child_move,
    child_place,
    child_register,
    decision_end,
    decision_record,
    decision_withdraw,
)
from tillsammans.reception.models import PlacementDecision, Stay

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _home(cast, name):
    licence = LicenceFactory.create(
        site__organisation=cast.org_a, site__name=name, valid_from=TODAY - 400 * DAY
    )
    UnitFactory.create(site=licence.site, beds=2)
    return licence.site


def _child(cast):
    return child_register(
        actor=cast.case_worker, first_name="Hassan", last_name="Rahimi",
        birth_date=TODAY - dt.timedelta(days=15 * 365), basis="assessed", sex="male",
        allocated_on=TODAY - 30 * DAY,
    )  # fmt: skip


def _decide(cast, case, site, start, end=None):
    return decision_record(
        actor=cast.case_worker, case=case, site=site, decided_on=start, valid_from=start,
        valid_to=end,
    )  # fmt: skip


def test_it_refuses_a_second_decision_for_the_same_home_and_time(cast):
    # given a decision for a home from twenty days ago, until further notice
    case, home = _child(cast), _home(cast, "HVB Linden")
    _decide(cast, case, home, TODAY - 20 * DAY)
    # when the same decision is recorded again, from another day in its time
    with pytest.raises(ServiceError) as refused:
        _decide(cast, case, home, TODAY - 5 * DAY)
    # then it is refused and nothing is written
    assert refused.value.code == Code.DUPLICATE
    assert PlacementDecision.objects.filter(household=case.person.household).count() == 1
    # but a decision that continues the placement after 18 may cover the same time
    decision_record(
        actor=cast.case_worker, case=case, site=home, decided_on=TODAY, valid_from=TODAY,
        continued_after_18=True,
    )  # fmt: skip
    assert PlacementDecision.objects.filter(household=case.person.household).count() == 2


def test_it_withdraws_a_decision_recorded_in_error_and_the_child_cannot_be_placed_on_it(cast):
    # given a decision for the wrong home, recorded in error
    case, wrong = _child(cast), _home(cast, "HVB Fel")
    decision = _decide(cast, case, wrong, TODAY - 2 * DAY)
    # when the case worker withdraws it
    decision_withdraw(actor=cast.case_worker, decision=decision, reason="Fel hem valt")
    # then it is kept, with the day and the reason, and the child cannot be placed on it
    decision.refresh_from_db()
    assert decision.withdrawn_on == TODAY and decision.withdrawn_reason == "Fel hem valt"
    with pytest.raises(ServiceError):
        child_place(actor=cast.case_worker, case=case, unit=wrong.units.get(), on=TODAY)
    assert not Stay.objects.filter(household=case.person.household).exists()
    # and the same home can be decided again (a withdrawn decision is no duplicate)
    _decide(cast, case, wrong, TODAY - DAY)
    assert AuditEvent.objects.filter(object_id=str(decision.public_id)).count() == 2


def test_it_refuses_to_withdraw_a_decision_the_child_has_lived_on(cast):
    # given a child placed in a home on a decision
    case, home = _child(cast), _home(cast, "HVB Eken")
    decision = _decide(cast, case, home, TODAY - 10 * DAY)
    child_place(actor=cast.case_worker, case=case, unit=home.units.get(), on=TODAY - 10 * DAY)
    # when / then
    with pytest.raises(ServiceError) as refused:
        decision_withdraw(actor=cast.case_worker, decision=decision, reason="Fel")
    assert refused.value.code == Code.STILL_LIVES_THERE
    assert PlacementDecision.objects.get(pk=decision.pk).withdrawn_on is None


def test_it_ends_a_decision_only_once_the_child_has_moved_out(cast):
    # given a child living in a home on a decision until further notice, and a second home
    case, first, second = _child(cast), _home(cast, "HVB Björken"), _home(cast, "HVB Aspen")
    decision = _decide(cast, case, first, TODAY - 10 * DAY)
    child_place(actor=cast.case_worker, case=case, unit=first.units.get(), on=TODAY - 10 * DAY)
    # when the case worker ends the decision while the child still lives there
    with pytest.raises(ServiceError) as refused:
        decision_end(actor=cast.case_worker, decision=decision, valid_to=TODAY - DAY)
    # then it is refused and the decision still holds
    assert refused.value.code == Code.STILL_LIVES_THERE
    assert PlacementDecision.objects.get(pk=decision.pk).valid_to is None
    # when the child moves to the second home today, the first decision ends yesterday
    _decide(cast, case, second, TODAY)
    child_move(actor=cast.case_worker, case=case, unit=second.units.get(), on=TODAY)
    decision_end(actor=cast.case_worker, decision=decision, valid_to=TODAY - DAY)
    assert PlacementDecision.objects.get(pk=decision.pk).valid_to == TODAY - DAY
    # and a last day before the first day is refused
    with pytest.raises(ServiceError) as refused:
        decision_end(actor=cast.case_worker, decision=decision, valid_to=TODAY - 11 * DAY)
    assert refused.value.code == Code.BAD_DATES


def test_the_case_page_ends_and_withdraws_decisions_and_shows_the_withdrawn_struck(cast, client):
    # given a decision recorded in error
    case, home = _child(cast), _home(cast, "HVB Lönnen")
    decision = _decide(cast, case, home, TODAY - 3 * DAY)
    client.force_login(cast.case_worker)
    # when the case worker withdraws it without a reason, then with one
    url = reverse("decision_withdraw", args=[decision.public_id])
    empty = client.post(url, {"reason": " "})
    assert empty.status_code == 200 and 'role="alert"' in empty.content.decode()
    assert PlacementDecision.objects.get(pk=decision.pk).withdrawn_on is None
    done = client.post(url, {"reason": "Registrerat på fel barn"}, follow=True)
    # then the case shows it struck through with the reason, and offers no action on it
    page = done.content.decode()
    assert "<del>HVB Lönnen" in page and "Registrerat på fel barn" in page
    assert reverse("decision_end", args=[decision.public_id]) not in page
    # and the withdraw page of another case worker's decision is a 404
    client.force_login(cast.coordinator)
    assert client.get(url).status_code == 404


def test_a_case_closes_only_once_the_young_person_has_left_and_can_be_reopened(cast, client):
    # given a child living in a home
    case, home = _child(cast), _home(cast, "HVB Poppeln")
    _decide(cast, case, home, TODAY - 10 * DAY)
    stay = child_place(
        actor=cast.case_worker, case=case, unit=home.units.get(), on=TODAY - 10 * DAY
    )
    # when the case worker closes the case while the child lives there, it is refused
    with pytest.raises(ServiceError) as refused:
        case_close(actor=cast.case_worker, case=case, closed_on=TODAY)
    assert refused.value.code == Code.STILL_LIVES_THERE
    # when the child has moved out, the case closes, and leaves the list of open cases
    assert stay.unit.site == home
    child_leave(actor=cast.case_worker, case=case, on=TODAY - DAY, reason="own_housing")
    case_close(actor=cast.case_worker, case=case, closed_on=TODAY)
    client.force_login(cast.case_worker)
    assert "Hassan" not in client.get(reverse("case_list")).content.decode()
    assert "Hassan" in client.get(reverse("case_list") + "?closed=1").content.decode()
    # and a case closed by mistake is reopened
    client.post(reverse("case_reopen", args=[case.public_id]))
    case.refresh_from_db()
    assert case.closed_on is None


def test_a_decision_is_extended_while_the_child_lives_there_but_not_over_another(cast):
    # given a child living in a home on a decision to the end of next month
    case, home = _child(cast), _home(cast, "HVB Granen")
    decision = _decide(cast, case, home, TODAY - 10 * DAY, TODAY + 40 * DAY)
    child_place(actor=cast.case_worker, case=case, unit=home.units.get(), on=TODAY - 10 * DAY)
    # when the case worker extends it by two months
    decision_end(actor=cast.case_worker, decision=decision, valid_to=TODAY + 100 * DAY)
    # then it holds to the new day
    assert PlacementDecision.objects.get(pk=decision.pk).valid_to == TODAY + 100 * DAY
    # and an extension over a later decision for the same home is refused
    later = decision_record(
        actor=cast.case_worker, case=case, site=home, decided_on=TODAY,
        valid_from=TODAY + 200 * DAY,
    )  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        decision_end(actor=cast.case_worker, decision=decision, valid_to=TODAY + 250 * DAY)
    assert refused.value.code == Code.DUPLICATE
    assert later.valid_to is None
