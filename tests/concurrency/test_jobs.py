"""Jobbstart under real concurrency (PostgreSQL): one of many simultaneous stage changes
wins and the others are told the card moved; one enrolment per resident; one proposal per
opening."""

import datetime as dt
from typing import Any

import pytest

from tillsammans.core.errors import ServiceError
from tillsammans.core.models import User
from tillsammans.jobs.models import JobSeeker, Proposal, Stage, StageChange
from tillsammans.jobs.occupations import ensure_loaded
from tillsammans.jobs.services import job_seeker_stage_change, programme_start, proposal_create
from tillsammans.jobs.tests.conftest import enrol, opening, resident

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark
DAY = dt.date(2022, 7, 1)


@pytest.fixture(autouse=True)
def _occupations(transactional_db: Any) -> None:
    # A transactional test flushes the tables, the data migration's occupations with them.
    ensure_loaded()


def _user(user: Any) -> User:
    return User.objects.select_related("membership__organisation").get(pk=user.pk)


def _others(outcomes: list[Any], code: str) -> list[str]:
    return [
        repr(o.error)
        for o in outcomes
        if o.error is not None and not (isinstance(o.error, ServiceError) and o.error.code == code)
    ]


def test_it_lets_one_of_ten_simultaneous_stage_changes_win(cast):
    # given: an enrolled job seeker; ten coaches look at the card at once
    programme_start(actor=cast.coordinator, organisation=cast.org_a, name="Jobbstart")
    seeker = enrol(cast)

    def prepare(index: int) -> tuple[Any, ...]:
        return index, _user(cast.a_staff), JobSeeker.objects.get(pk=seeker.pk)

    def move(index: int, actor: Any, mine: JobSeeker) -> Any:
        if index % 2:
            return job_seeker_stage_change(
                actor=actor, seeker=mine, to=Stage.CV_READY, expected=Stage.ENROLLED, on=DAY
            )
        return job_seeker_stage_change(
            actor=actor, seeker=mine, to=Stage.ENDED, expected=Stage.ENROLLED, on=DAY,
            end_reason="moved",
        )  # fmt: skip

    # when
    outcomes = run_together(10, prepare, move)
    # then: one step was taken, the nine others were told the card had moved
    assert _others(outcomes, "stage_changed") == []
    assert sum(1 for o in outcomes if o.error is None) == 1
    assert StageChange.objects.filter(seeker=seeker).count() == 2


def test_it_enrols_a_resident_once_when_ten_coaches_try_at_once(cast):
    # given
    programme_start(actor=cast.coordinator, organisation=cast.org_a, name="Jobbstart")
    person = resident(cast)

    def prepare(index: int) -> tuple[Any, ...]:
        return (index,)

    def enrol_once(index: int) -> Any:
        return enrol(cast, person)

    # when
    outcomes = run_together(10, prepare, enrol_once)
    # then
    assert _others(outcomes, "already_enrolled") == []
    assert JobSeeker.objects.filter(person=person).count() == 1


def test_it_records_one_proposal_when_ten_arrive_at_once(cast):
    # given
    programme_start(actor=cast.coordinator, organisation=cast.org_a, name="Jobbstart")
    seeker = enrol(cast)
    job = opening(cast)

    def prepare(index: int) -> tuple[Any, ...]:
        return _user(cast.a_staff), JobSeeker.objects.get(pk=seeker.pk)

    def propose(actor: Any, mine: JobSeeker) -> Any:
        return proposal_create(actor=actor, seeker=mine, opening=job, on=DAY)

    # when
    outcomes = run_together(10, prepare, propose)
    # then
    assert _others(outcomes, "already_proposed") == []
    assert Proposal.objects.filter(seeker=seeker).count() == 1
    assert StageChange.objects.filter(seeker=seeker, to_stage=Stage.PROPOSED).count() == 1
