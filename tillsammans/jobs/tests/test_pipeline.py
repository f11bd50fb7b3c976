import datetime as dt

import pytest

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.jobs.forms import EnrolForm
from tillsammans.jobs.models import Employment, JobSeeker, Stage
from tillsammans.jobs.services import (
    follow_up_add,
    job_seeker_enrol,
    job_seeker_stage_change,
    proposal_create,
)

from .conftest import (
    ENROLLED_ON,
    employer,
    enrol,
    opening,
    other_household_person,
    profile,
    resident,
)

DAY = dt.date(2022, 7, 1)


def _step(cast, seeker, to, **extra):
    seeker.refresh_from_db()
    return job_seeker_stage_change(
        actor=cast.a_staff, seeker=seeker, to=to, expected=seeker.stage, on=DAY, **extra
    )


def test_it_enrols_a_resident_with_consent_and_audits_it(cast, programme):
    # when
    seeker = enrol(cast)
    # then
    assert seeker.stage == Stage.ENROLLED
    assert seeker.consent_explained_in == "uk"
    assert seeker.wanted_group == "53"
    assert AuditEvent.objects.filter(object_id=str(seeker.public_id), action="create").exists()


def test_it_refuses_to_enrol_someone_twice(cast, programme):
    # given
    person = resident(cast)
    enrol(cast, person)
    # when / then
    with pytest.raises(ServiceError) as refused:
        enrol(cast, person)
    assert refused.value.code == "already_enrolled"


def test_it_refuses_a_resident_who_neither_lives_with_nor_was_referred_to_the_coach(
    cast, programme
):
    # given: a person living nowhere near partner A
    stranger = other_household_person()
    # when / then
    with pytest.raises(ServiceError) as refused:
        enrol(cast, stranger)
    assert refused.value.code == "not_enrollable"


def test_it_takes_only_residents_of_working_age(cast, programme):
    # given: a resident who turns 16 the day after the enrolment, and one who turned 16 on it
    almost = PersonFactory(household=cast.household_a, birth_date=dt.date(2006, 6, 2))
    just = PersonFactory(household=cast.household_a, birth_date=dt.date(2006, 6, 1))
    # when / then: the younger one is refused with the reason, the other is enrolled
    with pytest.raises(ServiceError) as refused:
        enrol(cast, almost)
    assert refused.value.code == "not_enrollable" and "16" in refused.value.message
    assert enrol(cast, just).person == just


def test_it_offers_no_child_for_enrolment(cast, programme):
    # given: household A's child (born 2012), and an adult of the household
    child = cast.household_a.persons.get(birth_date=dt.date(2012, 3, 4))
    adult = resident(cast)
    # when
    offered = list(EnrolForm(user=cast.a_staff).fields["person"].queryset)
    # then
    assert adult in offered and child not in offered


def test_it_refuses_anyone_but_a_coach(cast, programme):
    # when / then: partner B has no job programme, the coordinator only reads
    for actor in (cast.b_staff, cast.coordinator, cast.a_viewer):
        with pytest.raises(ServiceError):
            job_seeker_enrol(
                actor=actor, person=resident(cast), enrolled_on=ENROLLED_ON,
                consent_given_on=ENROLLED_ON, consent_explained_in="uk", **profile(),
            )  # fmt: skip


def test_it_moves_through_the_pipeline_to_employed(cast, programme):
    # given
    seeker = enrol(cast)
    job = opening(cast)
    # when
    _step(cast, seeker, Stage.CV_READY)
    proposal_create(actor=cast.a_staff, seeker=seeker, opening=job, on=DAY)
    _step(cast, seeker, Stage.INTERVIEW)
    _step(cast, seeker, Stage.OFFER)
    _step(
        cast, seeker, Stage.EMPLOYED, employer=job.employer, opening=job,
        employment_type="fixed_term", hours_per_week=30, starts_on=dt.date(2022, 8, 1),
    )  # fmt: skip
    # then
    seeker.refresh_from_db()
    assert seeker.stage == Stage.EMPLOYED
    job.refresh_from_db()
    assert not job.is_open
    employment = Employment.objects.get(seeker=seeker)
    assert (employment.hours_per_week, employment.starts_on) == (30, dt.date(2022, 8, 1))
    assert list(seeker.stage_changes.values_list("to_stage", flat=True)) == [
        "enrolled", "cv_ready", "proposed", "interview", "offer", "employed",
    ]  # fmt: skip


def test_it_refuses_to_skip_a_stage(cast, programme):
    # given
    seeker = enrol(cast)
    # when / then: straight from enrolled to employed is not a step
    with pytest.raises(ServiceError) as refused:
        _step(cast, seeker, Stage.EMPLOYED, employer=employer(cast), employment_type="permanent",
              hours_per_week=40, starts_on=DAY)  # fmt: skip
    assert refused.value.code == "bad_stage"
    assert not Employment.objects.exists()


def test_it_refuses_employed_without_the_employment(cast, programme):
    # given: an offer
    seeker = enrol(cast)
    proposal_create(actor=cast.a_staff, seeker=seeker, opening=opening(cast), on=DAY)
    _step(cast, seeker, Stage.INTERVIEW)
    _step(cast, seeker, Stage.OFFER)
    # when / then
    with pytest.raises(ServiceError) as refused:
        _step(cast, seeker, Stage.EMPLOYED)
    assert refused.value.code == "missing_employment"
    seeker.refresh_from_db()
    assert seeker.stage == Stage.OFFER


def test_it_tells_the_second_coach_that_the_card_moved(cast, programme):
    # given: two coaches looked at the seeker while "enrolled"; the first marks the CV ready
    seeker = enrol(cast)
    job_seeker_stage_change(
        actor=cast.a_staff, seeker=seeker, to=Stage.CV_READY, expected=Stage.ENROLLED, on=DAY
    )
    # when / then: the second one's "ended" is refused, nothing is overwritten
    with pytest.raises(ServiceError) as refused:
        job_seeker_stage_change(
            actor=cast.a_admin, seeker=seeker, to=Stage.ENDED, expected=Stage.ENROLLED,
            on=DAY, end_reason="moved",
        )  # fmt: skip
    assert refused.value.code == "stage_changed"
    assert JobSeeker.objects.get(pk=seeker.pk).stage == Stage.CV_READY


def test_it_ends_with_a_reason_and_ends_the_job_when_it_ended(cast, programme):
    # given: employed
    seeker = enrol(cast)
    job = opening(cast)
    proposal_create(actor=cast.a_staff, seeker=seeker, opening=job, on=DAY)
    _step(cast, seeker, Stage.INTERVIEW)
    _step(cast, seeker, Stage.OFFER)
    _step(cast, seeker, Stage.EMPLOYED, employer=job.employer, employment_type="hourly",
          hours_per_week=20, starts_on=DAY)  # fmt: skip
    # when: ending needs a reason
    with pytest.raises(ServiceError):
        _step(cast, seeker, Stage.ENDED)
    _step(cast, seeker, Stage.ENDED, end_reason="job_ended")
    # then
    assert Employment.objects.get(seeker=seeker).ended_on == DAY
    # and the resident can be enrolled again
    assert enrol(cast, seeker.person).stage == Stage.ENROLLED


def test_it_refuses_proposing_the_same_seeker_twice_for_one_opening(cast, programme):
    # given
    seeker = enrol(cast)
    job = opening(cast)
    proposal_create(actor=cast.a_staff, seeker=seeker, opening=job, on=DAY)
    # when / then
    with pytest.raises(ServiceError) as refused:
        proposal_create(actor=cast.a_staff, seeker=seeker, opening=job, on=DAY)
    assert refused.value.code == "already_proposed"


def test_it_records_a_follow_up(cast, programme):
    # given
    seeker = enrol(cast)
    # when
    follow_up_add(actor=cast.a_staff, seeker=seeker, on=DAY, note="Intervjuträning")
    # then
    assert seeker.follow_ups.get().note == "Intervjuträning"
    with pytest.raises(ServiceError):
        follow_up_add(actor=cast.a_staff, seeker=seeker, on=DAY, note="  ")


def test_it_records_that_a_job_ended_after_the_follow_up(cast, programme):
    # given: employed, and the follow-up closed while still in work
    from tillsammans.jobs.services import employment_end

    seeker = enrol(cast)
    job = opening(cast)
    proposal_create(actor=cast.a_staff, seeker=seeker, opening=job, on=DAY)
    _step(cast, seeker, Stage.INTERVIEW)
    _step(cast, seeker, Stage.OFFER)
    _step(cast, seeker, Stage.EMPLOYED, employer=job.employer, employment_type="permanent",
          hours_per_week=40, starts_on=DAY)  # fmt: skip
    _step(cast, seeker, Stage.ENDED, end_reason="still_in_work")
    assert Employment.objects.get(seeker=seeker).ended_on is None
    # when
    employment_end(actor=cast.a_staff, seeker=seeker, on=dt.date(2022, 9, 30))
    # then
    assert Employment.objects.get(seeker=seeker).ended_on == dt.date(2022, 9, 30)
    with pytest.raises(ServiceError):
        employment_end(actor=cast.a_staff, seeker=seeker, on=dt.date(2022, 10, 1))
