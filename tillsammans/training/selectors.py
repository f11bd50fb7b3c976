"""Reads of the training app: sessions for every member, volunteers for their own partner,
and the month's figures."""

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tillsammans.core import access
from tillsammans.core.lib.dates import add_days, month_bounds
from tillsammans.partnership.models import PEOPLE_ROLES, Role

from .models import Attendance, TrainingSession, Volunteer, VolunteerHours


def _get(queryset: QuerySet[Any], public_id: Any) -> Any:
    try:
        return queryset.get(public_id=uuid.UUID(str(public_id)))
    except (ValueError, queryset.model.DoesNotExist) as exc:
        raise Http404 from exc


def visible_sessions(user: Any) -> QuerySet[TrainingSession]:
    """Trainings are for the staff of all partners: every member sees every session."""
    if access.membership_of(user) is None:
        return TrainingSession.objects.none()
    return TrainingSession.objects.select_related("organiser")


def get_session_for_user(user: Any, public_id: Any) -> TrainingSession:
    return _get(visible_sessions(user), public_id)


def attendance_of(session: TrainingSession, user: Any) -> list[Attendance]:
    """Counts per organisation for everyone; the named attendees only for the coordinator
    and for the attendees' own organisation (``named`` is empty otherwise)."""
    membership = access.membership_of(user)
    rows = list(session.attendances.select_related("organisation").prefetch_related("attendees"))
    for row in rows:
        sees_names = membership is not None and (
            membership.role == Role.COORDINATOR
            or (
                membership.role != Role.VIEWER and membership.organisation_id == row.organisation_id
            )
        )
        # For the template only; Attendance has no such field.
        row.named = list(row.attendees.all()) if sees_names else []  # type: ignore[attr-defined]
    return rows


def visible_volunteers(user: Any) -> QuerySet[Volunteer]:
    """A partner's volunteers are its own: nobody else sees them, the city included."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(organisation_id=membership.organisation_id)


def get_volunteer_for_user(user: Any, public_id: Any) -> Volunteer:
    return _get(visible_volunteers(user).select_related("organisation"), public_id)


def first_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def volunteer_hours_by_organisation(year: int, month: int) -> dict[int, Decimal]:
    """Volunteer hours per organisation in a month: a partner's own contribution."""
    rows = (
        VolunteerHours.objects.filter(month=first_of_month(year, month))
        .values("organisation_id")
        .annotate(total=Sum("hours"))
    )
    return {row["organisation_id"]: row["total"] for row in rows}


# What each key of ``monthly_figures`` means, for a page that shows them.
FIGURE_LABELS = {
    "trainings_held": _("Joint trainings held"),
    "training_staff_attended": _("Staff at joint trainings"),
    "volunteer_hours": _("Volunteer hours"),
}


def monthly_figures(year: int, month: int) -> dict[int, dict[str, int]]:
    """Per organisation and month: trainings it held, its staff who attended trainings,
    and its volunteers' hours (rounded to whole hours).

    Keys: trainings_held, training_staff_attended, volunteer_hours.
    """
    first, following = month_bounds(year, month)
    last = add_days(following, -1)
    figures: dict[int, dict[str, int]] = defaultdict(
        lambda: {"trainings_held": 0, "training_staff_attended": 0, "volunteer_hours": 0}
    )
    held = (
        TrainingSession.objects.filter(held_on__range=(first, last))
        .values("organiser_id")
        .annotate(n=Count("id"))
    )
    for held_row in held:
        figures[held_row["organiser_id"]]["trainings_held"] = held_row["n"]
    attended = (
        Attendance.objects.filter(session__held_on__range=(first, last))
        .values("organisation_id")
        .annotate(n=Sum("staff_count"))
    )
    for attended_row in attended:
        figures[attended_row["organisation_id"]]["training_staff_attended"] = attended_row["n"] or 0
    for organisation_id, hours in volunteer_hours_by_organisation(year, month).items():
        figures[organisation_id]["volunteer_hours"] = round(hours or 0)
    return dict(figures)
