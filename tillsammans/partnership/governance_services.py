"""Writes for an agreement's governance: its groups and their members, meetings with agenda
and minutes, decisions with an owner and a due date followed up until done; and its goals
with their indicators and yearly outcomes. The coordinator writes; the organisation that owns
a decision follows it up."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction

from .models import (
    Agreement,
    Decision,
    Goal,
    GovernanceGroup,
    GroupKind,
    GroupMember,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Measure,
    Meeting,
    Organisation,
)


def _check(actor: Any, agreement: Agreement) -> None:
    if not access.can_manage_agreement(actor, agreement):
        raise PermissionDenied(_("Only the coordinator changes the agreement's governance."))


def _check_party(agreement: Agreement, organisation: Organisation) -> None:
    if not agreement.party_set.filter(organisation=organisation).exists():
        raise ServiceError(
            "not_party",
            _("%(organisation)s is not party to the agreement.")
            % {"organisation": organisation.name},
        )


def group_create(
    *, actor: Any, agreement: Agreement, kind: str, name: str = "", purpose: str = ""
) -> GovernanceGroup:
    _check(actor, agreement)
    if kind not in GroupKind.values:
        raise ServiceError("kind", _("Choose the kind of group."))
    name = name.strip()
    if kind == GroupKind.OTHER and not name:
        raise ServiceError("name", _("Give the group a name."))
    try:
        with transaction.atomic():
            group = GovernanceGroup.objects.create(
                agreement=agreement, kind=kind, name=name, purpose=purpose.strip()
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=agreement,
                summary=gettext_noop("group %(group)s of %(agreement)s"),
                params={"group": name or GroupKind(kind), "agreement": agreement.name},
            )
    except IntegrityError as error:
        raise ServiceError(
            "group_exists", _("The agreement already has that group; add members to it.")
        ) from error
    return group


def member_add(
    *, actor: Any, group: GovernanceGroup, organisation: Organisation, name: str, title: str = ""
) -> GroupMember:
    agreement = group.agreement
    _check(actor, agreement)
    _check_party(agreement, organisation)
    name = name.strip()
    if not name:
        raise ServiceError("name", _("Give the member's name."))
    with transaction.atomic():
        member = GroupMember.objects.create(
            group=group, organisation=organisation, name=name, title=title.strip()
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("%(name)s (%(organisation)s) joins the group %(group)s"),
            params={"name": name, "organisation": organisation.name, "group": str(group)},
        )
    return member


def member_remove(*, actor: Any, member: GroupMember) -> None:
    group = member.group
    _check(actor, group.agreement)
    with transaction.atomic():
        member.delete()
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=group.agreement,
            summary=gettext_noop("%(name)s leaves the group %(group)s"),
            params={"name": member.name, "group": str(group)},
        )


def meeting_save(
    *, actor: Any, group: GovernanceGroup, held_on: dt.date, agenda: str, minutes: str,
    meeting: Meeting | None = None,
) -> Meeting:  # fmt: skip
    """A new meeting of the group, or the agenda and minutes of one written afterwards."""
    agreement = group.agreement
    _check(actor, agreement)
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting(group=group)
            action = AuditAction.CREATE
        else:
            action = AuditAction.UPDATE
        meeting.held_on, meeting.agenda, meeting.minutes = held_on, agenda.strip(), minutes.strip()
        meeting.save()
        audit_record(
            actor=actor,
            action=action,
            obj=agreement,
            summary=gettext_noop("meeting of %(group)s on %(day)s"),
            params={"group": str(group), "day": held_on},
        )
    return meeting


def decision_add(
    *, actor: Any, meeting: Meeting, text: str, owner: Organisation, owner_name: str = "",
    due_on: dt.date | None = None,
) -> Decision:  # fmt: skip
    agreement = meeting.group.agreement
    _check(actor, agreement)
    _check_party(agreement, owner)
    text = text.strip()
    if not text:
        raise ServiceError("text", _("Write what was decided."))
    if due_on is not None and due_on < meeting.held_on:
        raise ServiceError("due_before_meeting", _("The due date cannot be before the meeting."))
    with transaction.atomic():
        decision = Decision.objects.create(
            meeting=meeting, text=text, owner=owner, owner_name=owner_name.strip(), due_on=due_on
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("decision of %(group)s on %(day)s, owned by %(owner)s"),
            params={"group": str(meeting.group), "day": meeting.held_on, "owner": owner.name},
        )
    return decision


def can_follow_up(actor: Any, decision: Decision) -> bool:
    """The decision's owner follows it up (its admin), or the agreement's coordinator."""
    return decision.owner_id in access.writable_parties(actor, decision.meeting.group.agreement)


def decision_follow_up(
    *, actor: Any, decision: Decision, follow_up: str, done_on: dt.date | None
) -> Decision:
    """How a decision is going, and the day it was done (empty again if it was not)."""
    if not can_follow_up(actor, decision):
        raise PermissionDenied(_("The coordinator or the responsible organisation follows up."))
    meeting = decision.meeting
    if done_on is not None and done_on < meeting.held_on:
        raise ServiceError("done_before_meeting", _("It cannot be done before it was decided."))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        changed = []
        if locked.follow_up != follow_up.strip():
            changed.append("follow_up")
        if locked.done_on != done_on:
            changed.append("done_on")
        locked.follow_up, locked.done_on = follow_up.strip(), done_on
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=meeting.group.agreement,
            summary=gettext_noop("decision of %(group)s on %(day)s followed up: %(fields)s"),
            params={
                "group": str(meeting.group),
                "day": meeting.held_on,
                "fields": field_names(Decision, changed),
            },
        )
    return locked


# -- goals ---------------------------------------------------------------------------------


def goal_save(
    *, actor: Any, agreement: Agreement, title: str, description: str = "",
    title_en: str = "", description_en: str = "", goal: Goal | None = None,
) -> Goal:  # fmt: skip
    _check(actor, agreement)
    title = title.strip()
    if not title:
        raise ServiceError("title", _("Write the goal."))
    with transaction.atomic():
        if goal is None:
            position = agreement.goals.count() + 1
            goal = Goal(agreement=agreement, position=position)
            action = AuditAction.CREATE
        else:
            action = AuditAction.UPDATE
        goal.title, goal.description = title, description.strip()
        goal.title_en, goal.description_en = title_en.strip(), description_en.strip()
        goal.save()
        audit_record(
            actor=actor,
            action=action,
            obj=agreement,
            summary=gettext_noop("goal of %(agreement)s: %(goal)s"),
            params={"agreement": agreement.name, "goal": title[:200]},
        )
    return goal


def indicator_save(
    *, actor: Any, goal: Goal, name: str, measure: str, unit: str,
    baseline: Decimal | None, baseline_year: int | None, target: Decimal | None,
    name_en: str = "", indicator: Indicator | None = None,
) -> Indicator:  # fmt: skip
    """An indicator of a goal: computed from the data (``measure``) or entered each year."""
    agreement = goal.agreement
    _check(actor, agreement)
    name = name.strip()
    if not name:
        raise ServiceError("name", _("Name the indicator."))
    if measure and measure not in Measure.values:
        raise ServiceError("measure", _("Choose what the indicator is computed from."))
    if unit not in IndicatorUnit.values:
        raise ServiceError("unit", _("Choose the indicator's unit."))
    if unit == IndicatorUnit.PERCENT:
        for value in (baseline, target):
            if value is not None and not 0 <= value <= 100:
                raise ServiceError("percent", _("A share is between 0 and 100 per cent."))
    with transaction.atomic():
        if indicator is None:
            indicator = Indicator(goal=goal)
            action = AuditAction.CREATE
        else:
            action = AuditAction.UPDATE
        indicator.name, indicator.measure, indicator.unit = name, measure, unit
        indicator.name_en = name_en.strip()
        indicator.baseline, indicator.baseline_year = baseline, baseline_year
        indicator.target = target
        indicator.save()
        audit_record(
            actor=actor,
            action=action,
            obj=agreement,
            summary=gettext_noop("indicator of %(agreement)s: %(indicator)s"),
            params={"agreement": agreement.name, "indicator": name[:200]},
        )
    return indicator


def indicator_value_set(
    *, actor: Any, indicator: Indicator, year: int, value: Decimal, note: str = ""
) -> IndicatorValue:
    """A year's outcome of an indicator entered by hand; a second for the same year
    corrects the first."""
    agreement = indicator.goal.agreement
    _check(actor, agreement)
    if indicator.computed:
        raise ServiceError("computed", _("This indicator is computed from the data."))
    first = agreement.starts_on.year
    last = agreement.ends_on.year if agreement.ends_on else timezone.localdate().year
    if not first <= year <= last:
        raise ServiceError(
            "year_outside",
            _("Give a year of the agreement's period, %(first)s to %(last)s.")
            % {"first": first, "last": last},
        )
    if indicator.unit == IndicatorUnit.PERCENT and not 0 <= value <= 100:
        raise ServiceError("percent", _("A share is between 0 and 100 per cent."))
    with transaction.atomic():
        row, created = IndicatorValue.objects.update_or_create(
            indicator=indicator, year=year, defaults={"value": value, "note": note.strip()}
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=agreement,
            summary=gettext_noop("outcome %(year)s of %(indicator)s: %(value)s"),
            params={"year": year, "indicator": indicator.name[:200], "value": str(value)},
        )
    return row
