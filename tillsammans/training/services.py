"""Writes of the training app: every change goes through a function here."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction, User
from tillsammans.partnership.models import PEOPLE_ROLES, Organisation, Role

from .error_codes import TrainingErrorCode as Code
from .models import Attendance, TrainingSession, TrainingTopic, Volunteer, VolunteerHours

# More hours than a month has would be a typing error, not generosity.
MAX_HOURS_PER_MONTH = Decimal(744)
MAX_SEATS = 10_000


def _role(actor: Any) -> tuple[str, int] | None:
    membership = access.membership_of(actor)
    if membership is None:
        return None
    return membership.role, membership.organisation_id


def can_create_session(actor: Any, organiser: Organisation | None = None) -> bool:
    """The coordinator for any organiser; a partner admin for its own organisation."""
    role = _role(actor)
    if role is None:
        return False
    if role[0] == Role.COORDINATOR:
        return True
    return role[0] == Role.PARTNER_ADMIN and (organiser is None or organiser.pk == role[1])


def can_record_attendance(actor: Any, session: TrainingSession, organisation: Organisation) -> bool:
    """The coordinator and the organiser's admin for anyone; staff for their own people."""
    role = _role(actor)
    if role is None:
        return False
    kind, own = role
    if kind == Role.COORDINATOR:
        return True
    if kind == Role.PARTNER_ADMIN and session.organiser_id == own:
        return True
    return kind in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF) and organisation.pk == own


def session_create(
    *,
    actor: Any,
    title: str,
    topic: str,
    held_on: dt.date,
    place: str,
    organiser: Organisation,
    starts_at: dt.time | None = None,
    description: str = "",
    max_seats: int | None = None,
) -> TrainingSession:
    if not can_create_session(actor, organiser):
        raise PermissionDenied(
            _(
                "Only a coordinator, or a partner administrator for its own organisation, can "
                "add a training."
            )
        )
    if topic not in TrainingTopic.values:
        raise ServiceError(Code.NOT_ALLOWED, _("Choose one of the topics."))
    if max_seats is not None and not 1 <= max_seats <= MAX_SEATS:
        raise ServiceError(
            Code.BAD_SEATS,
            _("The number of seats is a whole number from 1 to %(max)s, or empty for no limit.")
            % {"max": MAX_SEATS},
        )
    with transaction.atomic():
        session = TrainingSession.objects.create(
            title=title.strip(),
            topic=topic,
            held_on=held_on,
            starts_at=starts_at,
            place=place.strip(),
            organiser=organiser,
            description=description.strip(),
            max_seats=max_seats,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=session,
            summary=gettext_noop("training %(title)s on %(on)s by %(organiser)s"),
            params={
                "title": session.title,
                "on": held_on.isoformat(),
                "organiser": organiser.short_name,
            },
        )
    return session


def can_edit_session(actor: Any, session: TrainingSession) -> bool:
    """The coordinator, or an admin of the organising partner."""
    role = _role(actor)
    if role is None:
        return False
    return role[0] == Role.COORDINATOR or (
        role[0] == Role.PARTNER_ADMIN and session.organiser_id == role[1]
    )


def session_update(
    *,
    actor: Any,
    session: TrainingSession,
    title: str,
    topic: str,
    held_on: dt.date,
    place: str,
    organiser: Organisation,
    starts_at: dt.time | None = None,
    description: str = "",
    max_seats: int | None = None,
) -> TrainingSession:
    if not can_edit_session(actor, session) or not can_create_session(actor, organiser):
        raise PermissionDenied(
            _("Only a coordinator, or an administrator of the organiser, can change a training.")
        )
    if topic not in TrainingTopic.values:
        raise ServiceError(Code.NOT_ALLOWED, _("Choose one of the topics."))
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        taken = locked.attendances.aggregate(n=Sum("staff_count"))["n"] or 0
        if max_seats is not None and max_seats < taken:
            raise ServiceError(
                Code.BAD_SEATS,
                _("%(taken)s staff are already recorded; the seats cannot be fewer.")
                % {"taken": taken},
            )
        locked.title = title.strip()
        locked.topic = topic
        locked.held_on = held_on
        locked.starts_at = starts_at
        locked.place = place.strip()
        locked.organiser = organiser
        locked.description = description.strip()
        locked.max_seats = max_seats
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("training %(title)s"),
            params={"title": locked.title},
        )
    return locked


def attendance_record(
    *,
    actor: Any,
    session: TrainingSession,
    organisation: Organisation,
    staff_count: int,
    attendees: Iterable[User] = (),
) -> Attendance | None:
    """Set how many of an organisation's staff attended; 0 takes the organisation off.

    The session's row is locked while the seats are counted, so two organisations recording
    at the same moment cannot both take the last seats.
    """
    if not can_record_attendance(actor, session, organisation):
        raise PermissionDenied(
            _("You can record attendance for your own organisation's staff only.")
        )
    named = list(dict.fromkeys(attendees))
    if staff_count < 0:
        raise ServiceError(Code.BAD_ATTENDEES, _("The number of staff cannot be negative."))
    if len(named) > staff_count:
        raise ServiceError(
            Code.BAD_ATTENDEES,
            _("More people are named (%(named)s) than the number of staff attending (%(count)s).")
            % {"named": len(named), "count": staff_count},
        )
    strangers = [
        user
        for user in named
        if access.membership_of(user) is None or user.membership.organisation_id != organisation.pk
    ]
    if strangers:
        raise ServiceError(
            Code.BAD_ATTENDEES,
            _("Only users of %(organisation)s can be named as its attendees.")
            % {"organisation": organisation.name},
        )
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        others = (
            locked.attendances.exclude(organisation=organisation).aggregate(n=Sum("staff_count"))[
                "n"
            ]
            or 0
        )
        if locked.max_seats is not None and others + staff_count > locked.max_seats:
            raise ServiceError(
                Code.FULL,
                _("Only %(free)s of the %(seats)s seats are free for %(organisation)s.")
                % {
                    "free": max(locked.max_seats - others, 0),
                    "seats": locked.max_seats,
                    "organisation": organisation.name,
                },
            )
        attendance = Attendance.objects.filter(session=locked, organisation=organisation).first()
        if staff_count == 0:
            if attendance is not None:
                attendance.delete()
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                obj=locked,
                summary=gettext_noop("attendance of %(organisation)s removed"),
                params={"organisation": organisation.short_name},
            )
            return None
        if attendance is None:
            attendance = Attendance(session=locked, organisation=organisation)
        attendance.staff_count = staff_count
        attendance.recorded_by = actor
        attendance.save()
        attendance.attendees.set(named)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop(
                "attendance of %(organisation)s: staff %(staff)s, of them named %(named)s"
            ),
            params={
                "organisation": organisation.short_name,
                "staff": staff_count,
                "named": len(named),
            },
        )
    return attendance


# -- volunteers ----------------------------------------------------------------------------


def _require_volunteer_keeper(actor: Any, organisation: Organisation | None = None) -> int:
    """Staff and admins keep their own organisation's volunteers (the city's coordinator too)."""
    role = _role(actor)
    if role is None or role[0] not in PEOPLE_ROLES or (organisation and organisation.pk != role[1]):
        raise PermissionDenied(_("You can keep only your own organisation's volunteers."))
    return role[1]


def _clean_alias(alias: str) -> str:
    alias = " ".join(alias.split())
    if not alias:
        raise ServiceError(Code.BAD_ALIAS, _("Enter a first name or an alias."))
    if len(alias.split()) > 2:
        raise ServiceError(
            Code.BAD_ALIAS,
            _("Keep only a first name or an alias, not a full name."),
        )
    return alias


def volunteer_create(*, actor: Any, alias: str, helps_with: str) -> Volunteer:
    organisation_id = _require_volunteer_keeper(actor)
    with transaction.atomic():
        volunteer = Volunteer.objects.create(
            organisation_id=organisation_id,
            alias=_clean_alias(alias),
            helps_with=helps_with.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=volunteer,
            summary=gettext_noop("volunteer added"),
        )
    return volunteer


def volunteer_update(
    *, actor: Any, volunteer: Volunteer, alias: str, helps_with: str, active: bool
) -> Volunteer:
    _require_volunteer_keeper(actor, volunteer.organisation)
    with transaction.atomic():
        volunteer.alias = _clean_alias(alias)
        volunteer.helps_with = helps_with.strip()
        volunteer.active = active
        volunteer.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=volunteer,
            summary=gettext_noop("volunteer changed"),
        )
    return volunteer


def volunteer_hours_record(
    *, actor: Any, volunteer: Volunteer, month: dt.date, hours: Decimal
) -> VolunteerHours:
    """Set a volunteer's hours in a month (replacing what was there)."""
    _require_volunteer_keeper(actor, volunteer.organisation)
    first = month.replace(day=1)
    if first > timezone.localdate().replace(day=1):
        raise ServiceError(
            Code.BAD_MONTH, _("Hours can be recorded only for past months and this one.")
        )
    if not Decimal(0) <= hours <= MAX_HOURS_PER_MONTH:
        raise ServiceError(
            Code.BAD_HOURS,
            _("Enter the hours as a number from 0 to %(max)s.") % {"max": MAX_HOURS_PER_MONTH},
        )
    with transaction.atomic():
        row, _created = VolunteerHours.objects.select_for_update().update_or_create(
            volunteer=volunteer,
            month=first,
            defaults={
                "hours": hours,
                "organisation_id": volunteer.organisation_id,
                "recorded_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=volunteer,
            summary=gettext_noop("volunteer hours %(month)s: %(hours)s"),
            params={"month": f"{first:%Y-%m}", "hours": hours},
        )
    return row
