"""Writes of the jobs app: every change goes through a function here.

A stage change locks the job seeker's row and compares the stage the coach saw with the
stage now: two coaches moving the same card at once are served one after the other, and the
second is told that the card moved (nothing is overwritten). A proposal locks the seeker
too, so it cannot race a stage change.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import age_on
from tillsammans.core.lib.geo import DISTRICTS
from tillsammans.core.models import AuditAction
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Person

from . import selectors
from .error_codes import JobsErrorCode as Code
from .matching import OPENING_FIELDS as MATCH_OPENING_FIELDS
from .matching import SEEKER_FIELDS as MATCH_SEEKER_FIELDS
from .matching import points
from .models import (
    ACTIVE_STAGES,
    REQUIRED_LEVELS,
    TRANSITIONS,
    Education,
    Employer,
    EmployerContact,
    Employment,
    EmploymentType,
    EndReason,
    ExplainedIn,
    FollowUp,
    JobSeeker,
    Level,
    Occupation,
    Opening,
    Programme,
    Proposal,
    Stage,
    StageChange,
)

MAX_HOURS = 60
MAX_TRAVEL_KM = 200
PROFILE_FIELDS = (
    "wanted_occupation",
    "previous_occupation",
    "education",
    "education_note",
    "experience",
    "swedish",
    "english",
    "ukrainian",
    "russian",
    "driving_licence",
    "available_from",
    "hours_per_week",
    "home_district",
    "max_travel_km",
)
OPENING_FIELDS = (
    "title",
    "occupation",
    "district",
    "hours_per_week",
    "starts_on",
    "driving_licence",
    "swedish",
    "english",
    "ukrainian",
    "russian",
    "description",
)


def _require_coach(actor: Any, organisation_id: int | None = None) -> int:
    """The actor's coaching organisation; refused for anyone else (the coordinator reads)."""
    own = selectors.coaching_organisation_id(actor)
    if own is None or (organisation_id is not None and own != organisation_id):
        raise PermissionDenied(_("Only the coaches of the job programme can do this."))
    return own


def programme_start(*, actor: Any, organisation: Organisation, name: str) -> Programme:
    """Make an organisation a job programme's host: its staff become coaches."""
    from tillsammans.core.access import is_coordinator

    if not is_coordinator(actor):
        raise PermissionDenied(_("Only the coordinator can start a job programme."))
    with transaction.atomic():
        programme, _created = Programme.objects.update_or_create(
            organisation=organisation, defaults={"name": name}
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=programme,
            summary=gettext_noop("job programme %(name)s"),
            params={"name": name},
        )
    return programme


def _check_profile(profile: dict[str, Any]) -> None:
    if not isinstance(profile.get("wanted_occupation"), Occupation):
        raise ServiceError(Code.BAD_VALUE, _("Choose the occupation wanted."))
    previous = profile.get("previous_occupation")
    if previous is not None and not isinstance(previous, Occupation):
        raise ServiceError(Code.BAD_VALUE, _("Choose the occupation held before from the list."))
    if profile.get("education") not in Education.values:
        raise ServiceError(Code.BAD_VALUE, _("Choose the education."))
    for name in ("swedish", "english", "ukrainian", "russian"):
        if profile.get(name) not in Level.values:
            raise ServiceError(Code.BAD_VALUE, _("Choose a level for each language."))
    hours = profile.get("hours_per_week")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        raise ServiceError(
            Code.BAD_VALUE,
            _("Hours per week must be between 1 and %(max)s.") % {"max": MAX_HOURS},
        )
    km = profile.get("max_travel_km")
    if not isinstance(km, int) or not 0 <= km <= MAX_TRAVEL_KM:
        raise ServiceError(
            Code.BAD_VALUE,
            _("The travel distance must be between 0 and %(max)s km.") % {"max": MAX_TRAVEL_KM},
        )
    if profile.get("home_district") not in DISTRICTS:
        raise ServiceError(Code.BAD_VALUE, _("Choose the district where the job seeker lives."))
    if not isinstance(profile.get("available_from"), dt.date):
        raise ServiceError(Code.BAD_DATE, _("Enter the date the job seeker is available from."))


def _apply_profile(seeker: JobSeeker, profile: dict[str, Any]) -> None:
    for name in PROFILE_FIELDS:
        setattr(seeker, name, profile.get(name, getattr(seeker, name, None)))
    seeker.education_note = seeker.education_note or ""
    seeker.experience = seeker.experience or ""
    seeker.wanted_group = seeker.wanted_occupation.code[:2]
    seeker.previous_group = (
        seeker.previous_occupation.code[:2] if seeker.previous_occupation else ""
    )


def job_seeker_enrol(
    *,
    actor: Any,
    person: Person,
    enrolled_on: dt.date,
    consent_given_on: dt.date,
    consent_explained_in: str,
    **profile: Any,
) -> JobSeeker:
    """A coach enrols a resident, with the resident's consent recorded on the enrolment."""
    organisation_id = _require_coach(actor)
    today = timezone.localdate()
    if enrolled_on > today or consent_given_on > today:
        raise ServiceError(Code.BAD_DATE, _("Enrolment and consent cannot be in the future."))
    if consent_given_on > enrolled_on:
        raise ServiceError(Code.BAD_DATE, _("The consent must be given before the enrolment."))
    if consent_explained_in not in ExplainedIn.values:
        raise ServiceError(Code.BAD_VALUE, _("Choose the language the consent was explained in."))
    _check_profile(profile)
    if age_on(person.birth_date, enrolled_on) < selectors.MIN_AGE:
        raise ServiceError(
            Code.NOT_ENROLLABLE,
            _("Jobbstart takes residents aged %(age)d or more.") % {"age": selectors.MIN_AGE},
        )
    with transaction.atomic():
        if not selectors.enrollable_persons(actor, enrolled_on).filter(pk=person.pk).exists():
            if JobSeeker.objects.filter(person=person).exclude(stage=Stage.ENDED).exists():
                raise ServiceError(
                    Code.ALREADY_ENROLLED, _("This resident is already enrolled in Jobbstart.")
                )
            raise ServiceError(
                Code.NOT_ENROLLABLE,
                _(
                    "Only residents living with your organisation or referred to it can be "
                    "enrolled."
                ),
            )
        seeker = JobSeeker(
            organisation_id=organisation_id,
            person=person,
            coach=actor,
            enrolled_on=enrolled_on,
            consent_given_on=consent_given_on,
            consent_explained_in=consent_explained_in,
            stage=Stage.ENROLLED,
            stage_changed_on=enrolled_on,
        )
        _apply_profile(seeker, profile)
        try:
            with transaction.atomic():
                seeker.save()
        except IntegrityError as exc:
            # Two coaches enrolling the same resident at once: the constraint keeps one.
            raise ServiceError(
                Code.ALREADY_ENROLLED, _("This resident is already enrolled in Jobbstart.")
            ) from exc
        StageChange.objects.create(
            seeker=seeker, from_stage="", to_stage=Stage.ENROLLED, on=enrolled_on, by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=seeker,
            summary=gettext_noop("enrolled in Jobbstart"),
        )
    return seeker


def job_seeker_update(*, actor: Any, seeker: JobSeeker, **profile: Any) -> JobSeeker:
    _require_coach(actor, seeker.organisation_id)
    _check_profile(profile)
    with transaction.atomic():
        locked = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
        _apply_profile(locked, profile)
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("profile changed"),
        )
    return locked


def job_seeker_stage_change(
    *,
    actor: Any,
    seeker: JobSeeker,
    to: str,
    expected: str,
    on: dt.date,
    end_reason: str = "",
    employer: Employer | None = None,
    opening: Opening | None = None,
    employment_type: str = "",
    hours_per_week: int | None = None,
    starts_on: dt.date | None = None,
) -> JobSeeker:
    """Move a job seeker one step along the pipeline; ``expected`` is the stage the coach saw."""
    _require_coach(actor, seeker.organisation_id)
    if on > timezone.localdate():
        raise ServiceError(Code.BAD_DATE, _("A step cannot be dated in the future."))
    with transaction.atomic():
        locked = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
        if locked.stage != expected:
            raise ServiceError(
                Code.STAGE_CHANGED,
                _("Someone else moved this job seeker to “%(stage)s” meanwhile; nothing changed.")
                % {"stage": Stage(locked.stage).label},
            )
        if to not in TRANSITIONS[locked.stage]:
            raise ServiceError(
                Code.BAD_STAGE,
                _("A job seeker in “%(from)s” cannot go to “%(to)s”.")
                % {
                    "from": Stage(locked.stage).label,
                    "to": Stage(to).label if to in Stage.values else to,
                },
            )
        if on < locked.stage_changed_on:
            raise ServiceError(Code.BAD_DATE, _("A step cannot be dated before the previous step."))
        if to == Stage.EMPLOYED:
            if employer is None or employer.organisation_id != locked.organisation_id:
                raise ServiceError(Code.MISSING_EMPLOYMENT, _("Choose the employer."))
            if employment_type not in EmploymentType.values:
                raise ServiceError(Code.MISSING_EMPLOYMENT, _("Choose the employment type."))
            if not hours_per_week or not 1 <= hours_per_week <= MAX_HOURS:
                raise ServiceError(
                    Code.MISSING_EMPLOYMENT,
                    _("Hours per week must be between 1 and %(max)s.") % {"max": MAX_HOURS},
                )
            if starts_on is None:
                raise ServiceError(Code.MISSING_EMPLOYMENT, _("Enter the start date."))
            Employment.objects.create(
                seeker=locked,
                employer=employer,
                opening=opening,
                employment_type=employment_type,
                hours_per_week=hours_per_week,
                starts_on=starts_on,
            )
            if opening is not None:
                Opening.objects.filter(pk=opening.pk).update(is_open=False)
        if to == Stage.ENDED:
            if end_reason not in EndReason.values:
                raise ServiceError(Code.MISSING_REASON, _("Choose the reason for ending."))
            locked.end_reason = end_reason
            if locked.stage == Stage.EMPLOYED and end_reason != EndReason.STILL_IN_WORK:
                for employment in locked.employments.filter(ended_on__isnull=True):
                    employment.ended_on = max(on, employment.starts_on)
                    employment.save(update_fields=["ended_on", "updated_at"])
            if end_reason == EndReason.CONSENT_WITHDRAWN:
                locked.consent_withdrawn_on = on
        elif end_reason:
            raise ServiceError(Code.BAD_VALUE, _("A reason is given only when ending."))
        previous = locked.stage
        locked.stage = to
        locked.stage_changed_on = on
        locked.save(update_fields=["stage", "stage_changed_on", "end_reason",
                                   "consent_withdrawn_on", "updated_at"])  # fmt: skip
        StageChange.objects.create(seeker=locked, from_stage=previous, to_stage=to, on=on, by=actor)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("stage %(from)s → %(to)s"),
            params={"from": Stage(previous), "to": Stage(to)},
        )
    return locked


def employment_end(*, actor: Any, seeker: JobSeeker, on: dt.date) -> Employment:
    """The job of a seeker whose follow-up is over ended after all (for the 3/6-month figures)."""
    _require_coach(actor, seeker.organisation_id)
    with transaction.atomic():
        locked = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
        employment = locked.employments.filter(ended_on__isnull=True).order_by("-starts_on").first()
        if employment is None:
            raise ServiceError(Code.NOT_ACTIVE, _("This job seeker has no job in progress."))
        if on < employment.starts_on or on > timezone.localdate():
            raise ServiceError(
                Code.BAD_DATE, _("The end date must be between the start and today.")
            )
        employment.ended_on = on
        employment.save(update_fields=["ended_on", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, summary=gettext_noop("job ended")
        )
    return employment


def follow_up_add(*, actor: Any, seeker: JobSeeker, on: dt.date, note: str) -> FollowUp:
    _require_coach(actor, seeker.organisation_id)
    note = (note or "").strip()
    if not note:
        raise ServiceError(Code.BAD_VALUE, _("Write a note about the follow-up."))
    if on > timezone.localdate() or on < seeker.enrolled_on:
        raise ServiceError(
            Code.BAD_DATE, _("A follow-up is dated between the enrolment and today.")
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(seeker=seeker, on=on, note=note[:2000], by=actor)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=seeker,
            summary=gettext_noop("follow-up recorded"),
        )
    return follow_up


def employer_create(
    *, actor: Any, name: str, organisation_number: str = "", district: str = "", notes: str = ""
) -> Employer:
    organisation_id = _require_coach(actor)
    name = (name or "").strip()
    if not name:
        raise ServiceError(Code.BAD_VALUE, _("Enter the employer's name."))
    if district and district not in DISTRICTS:
        raise ServiceError(Code.BAD_VALUE, _("Choose a district from the list."))
    with transaction.atomic():
        employer = Employer.objects.create(
            organisation_id=organisation_id,
            name=name[:200],
            organisation_number=(organisation_number or "").strip()[:20],
            district=district,
            notes=notes or "",
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=employer,
            summary=gettext_noop("employer %(name)s"),
            params={"name": employer.name},
        )
    return employer


def employer_contact_add(
    *, actor: Any, employer: Employer, name: str, title: str = "", phone: str = "", email: str = ""
) -> EmployerContact:
    _require_coach(actor, employer.organisation_id)
    name = (name or "").strip()
    if not name:
        raise ServiceError(Code.BAD_VALUE, _("Enter the contact person's name."))
    with transaction.atomic():
        contact = EmployerContact.objects.create(
            employer=employer, name=name[:200], title=title or "", phone=phone or "",
            email=email or "",
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=contact,
            summary=gettext_noop("employer contact added"),
        )
    return contact


def opening_create(*, actor: Any, employer: Employer, **fields: Any) -> Opening:
    _require_coach(actor, employer.organisation_id)
    if not (fields.get("title") or "").strip():
        raise ServiceError(Code.BAD_VALUE, _("Enter a title for the opening."))
    if not isinstance(fields.get("occupation"), Occupation):
        raise ServiceError(Code.BAD_VALUE, _("Choose the occupation."))
    if fields.get("district") not in DISTRICTS:
        raise ServiceError(Code.BAD_VALUE, _("Choose the district where the job is."))
    hours = fields.get("hours_per_week")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        raise ServiceError(
            Code.BAD_VALUE, _("Hours per week must be between 1 and %(max)s.") % {"max": MAX_HOURS}
        )
    if not isinstance(fields.get("starts_on"), dt.date):
        raise ServiceError(Code.BAD_DATE, _("Enter the start date."))
    for name in ("swedish", "english", "ukrainian", "russian"):
        if fields.get(name, 0) not in dict(REQUIRED_LEVELS):
            raise ServiceError(Code.BAD_VALUE, _("Choose a level for each language."))
    with transaction.atomic():
        opening = Opening(employer=employer, organisation_id=employer.organisation_id)
        for name in OPENING_FIELDS:
            if name in fields:
                setattr(opening, name, fields[name])
        opening.description = opening.description or ""
        opening.group = opening.occupation.code[:2]
        opening.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=opening,
            summary=gettext_noop("opening %(title)s"),
            params={"title": opening.title},
        )
    return opening


def opening_close(*, actor: Any, opening: Opening) -> Opening:
    _require_coach(actor, opening.organisation_id)
    with transaction.atomic():
        Opening.objects.filter(pk=opening.pk).update(is_open=False)
        opening.is_open = False
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=opening,
            summary=gettext_noop("opening closed"),
        )
    return opening


def proposal_create(
    *, actor: Any, seeker: JobSeeker, opening: Opening, on: dt.date | None = None
) -> Proposal:
    """The coach proposes the job seeker to the employer: the pipeline moves to "proposed"."""
    _require_coach(actor, seeker.organisation_id)
    if opening.organisation_id != seeker.organisation_id:
        raise PermissionDenied(_("Only the coaches of the job programme can do this."))
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
        if locked.stage not in ACTIVE_STAGES:
            raise ServiceError(
                Code.NOT_ACTIVE, _("Only a job seeker who is still looking can be proposed.")
            )
        if locked.consent_withdrawn_on is not None:
            raise ServiceError(Code.CONSENT_WITHDRAWN, _("The job seeker withdrew the consent."))
        if not Opening.objects.filter(pk=opening.pk, is_open=True).exists():
            raise ServiceError(Code.OPENING_CLOSED, _("The opening is closed."))
        if Proposal.objects.filter(seeker=locked, opening=opening).exists():
            raise ServiceError(
                Code.ALREADY_PROPOSED, _("The job seeker is already proposed for this opening.")
            )
        total, _km = points(
            tuple(getattr(locked, name) for name in MATCH_SEEKER_FIELDS),
            tuple(getattr(opening, name) for name in MATCH_OPENING_FIELDS),
        )
        proposal = Proposal.objects.create(
            seeker=locked, opening=opening, proposed_on=on, proposed_by=actor, score=total
        )
        if locked.stage in (Stage.ENROLLED, Stage.CV_READY):
            StageChange.objects.create(
                seeker=locked, from_stage=locked.stage, to_stage=Stage.PROPOSED, on=on, by=actor
            )
            locked.stage = Stage.PROPOSED
            locked.stage_changed_on = max(on, locked.stage_changed_on)
            locked.save(update_fields=["stage", "stage_changed_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=locked,
            summary=gettext_noop("proposed for opening %(opening)s"),
            params={"opening": opening.public_id},
        )
    return proposal
