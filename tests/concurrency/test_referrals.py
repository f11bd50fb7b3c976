"""Referrals under real concurrency (PostgreSQL): one answer wins, one delivery per referral,
and a withdrawal leaves no referral open with the resident's information.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from tillsammans.addedvalues.models import Delivery, Service
from tillsammans.core.errors import ServiceError
from tillsammans.core.models import User
from tillsammans.referrals.models import Consent, Referral, ReferralStatus
from tillsammans.referrals.services import (
    consent_record,
    consent_withdraw,
    referral_accept,
    referral_decline,
    referral_done,
    referral_send,
)

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark


def _user(user: Any) -> User:
    return User.objects.select_related("membership__organisation").get(pk=user.pk)


def _consent(cast: Any) -> Consent:
    return consent_record(
        actor=cast.a_staff,
        household=cast.household_a,
        scopes=["name_contact", "reason"],
        partners=[cast.org_b],
        given_on=dt.date(2022, 8, 1),
        explained_in="uk",
    )


def _service(cast: Any, name: str) -> Service:
    return Service.objects.create(organisation=cast.org_b, name_sv=name, category="work")


def _person(cast: Any) -> Any:
    return cast.household_a.persons.order_by("id").first()


def _refusals(outcomes: list[Any], code: str) -> list[str]:
    """Errors other than the service's own refusal with ``code``."""
    return [
        repr(o.error)
        for o in outcomes
        if o.error is not None and not (isinstance(o.error, ServiceError) and o.error.code == code)
    ]


def test_it_lets_one_of_ten_simultaneous_declines_win(cast):
    # given: a referral waiting for partner B's answer
    _consent(cast)
    referral = referral_send(
        actor=cast.a_staff, person=_person(cast), service=_service(cast, "Jobbstart")
    )

    def prepare(index: int) -> tuple[Any, ...]:
        return index, _user(cast.b_staff), Referral.objects.get(pk=referral.pk)

    def decline(index: int, actor: Any, mine: Referral) -> Any:
        return referral_decline(actor=actor, referral=mine, reason=f"Svar {index}")

    # when: ten members of staff decline it at the same moment
    outcomes = run_together(10, prepare, decline)
    # then: one answer is kept, the others are told it is no longer open
    assert _refusals(outcomes, "not_open") == []
    winners = [(i, o.value) for i, o in enumerate(outcomes) if o.error is None]
    assert len(winners) == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == f"Svar {winners[0][0]}"


def test_it_lets_one_of_ten_simultaneous_accepts_win(cast):
    # given
    _consent(cast)
    referral = referral_send(
        actor=cast.a_staff, person=_person(cast), service=_service(cast, "Jobbstart")
    )

    def prepare(index: int) -> tuple[Any, ...]:
        return _user(cast.b_staff), Referral.objects.get(pk=referral.pk)

    def accept(actor: Any, mine: Referral) -> Any:
        return referral_accept(actor=actor, referral=mine)

    # when
    outcomes = run_together(10, prepare, accept)
    # then
    assert _refusals(outcomes, "not_open") == []
    assert sum(o.error is None for o in outcomes) == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_it_records_one_delivery_when_done_is_pressed_five_times_at_once(cast):
    # given: an accepted referral
    _consent(cast)
    service = _service(cast, "Jobbstart")
    referral = referral_send(actor=cast.a_staff, person=_person(cast), service=service)
    referral_accept(actor=cast.b_staff, referral=referral)

    def prepare(index: int) -> tuple[Any, ...]:
        return _user(cast.b_staff), Referral.objects.get(pk=referral.pk)

    def done(actor: Any, mine: Referral) -> Any:
        return referral_done(actor=actor, referral=mine, on=timezone.localdate())

    # when
    outcomes = run_together(5, prepare, done)
    # then
    assert _refusals(outcomes, "not_accepted") == []
    assert sum(o.error is None for o in outcomes) == 1
    assert Delivery.objects.filter(service=service).count() == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE


def test_it_leaves_no_referral_open_with_content_when_sends_race_a_withdrawal(cast):
    # given: a consent, and eight services staff are about to refer the resident to
    consent = _consent(cast)
    services = [_service(cast, f"Insats {i}") for i in range(8)]
    person = _person(cast)

    def prepare(index: int) -> tuple[Any, ...]:
        return index, _user(cast.a_staff)

    def act(index: int, actor: Any) -> Any:
        if index == 0:
            mine = Consent.objects.get(pk=consent.pk)
            return consent_withdraw(actor=actor, consent=mine, on=timezone.localdate())
        return referral_send(actor=actor, person=person, service=services[index - 1], reason="Jobb")

    # when: one withdrawal and eight referrals at once
    outcomes = run_together(9, prepare, act)
    # then: each send either happened before the withdrawal (and was closed by it) or was
    # refused after it; none is open, none keeps the shared information
    assert outcomes[0].error is None
    assert _refusals(outcomes[1:], "no_consent") == []
    referrals = list(Referral.objects.filter(consent=consent))
    assert len(referrals) == sum(o.error is None for o in outcomes[1:])
    assert all(r.status == ReferralStatus.CLOSED for r in referrals)
    assert all(r.content == {} and r.is_erased for r in referrals)
