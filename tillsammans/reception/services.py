"""Writes for allocations and stays: check, change and audit in one transaction."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import long_date
from tillsammans.core.models import AuditAction
from tillsammans.housing.models import Bed, Unit
from tillsammans.housing.selectors import forget_capacity, free_beds_of_unit
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household, PathEvent, PathEventKind
from tillsammans.people.selectors import household_name
from tillsammans.people.services import household_create, path_event_correct, path_event_record

from . import eligibility
from .eligibility import no_room_error
from .error_codes import ReceptionErrorCode as Code
from .lock_objects import lock_household, lock_units
from .models import (
    Allocation,
    AllocationStatus,
    ExitReason,
    HostHome,
    HostHomeGuest,
    HostHomeProgramme,
    MoveOutCorrection,
    Occupancy,
    Stay,
)


def _start(
    *, household: Household, unit_id: int, on: dt.date, allocation: Allocation | None
) -> Stay:
    """Move a household into a unit; the caller holds the unit's lock."""
    unit = Unit.objects.select_related("site").get(pk=unit_id)
    persons = list(household.persons.all())
    if not persons:
        raise ServiceError(Code.EMPTY_HOUSEHOLD, _("The household has no persons."))
    if Stay.objects.filter(household=household, ended_on__isnull=True).exists():
        raise ServiceError(
            Code.ALREADY_HOUSED, _("The household already lives somewhere; move it instead.")
        )
    # The one rule of who may live where (eligibility.py), on what the locks now hold still.
    eligibility.check(household=household, unit=unit, on=on)
    beds = free_beds_of_unit(unit, on)
    if len(beds) < len(persons):
        raise no_room_error()
    stay = Stay.objects.create(household=household, unit=unit, started_on=on, allocation=allocation)
    try:
        # The savepoint keeps the outer transaction usable when the bed constraint fires.
        with transaction.atomic():
            Occupancy.objects.bulk_create(
                Occupancy(stay=stay, person=person, bed=bed, started_on=on)
                for person, bed in zip(persons, beds, strict=False)
            )
    except IntegrityError as exc:
        raise no_room_error() from exc
    forget_capacity(unit.site_id)
    return stay


def _end(stay: Stay, on: dt.date, reason: str) -> None:
    if stay.ended_on is not None:
        raise ServiceError(Code.STAY_ENDED, _("This stay has already ended."))
    if on < stay.started_on:
        raise ServiceError(
            Code.BAD_DATES, _("The move-out date cannot be before the move-in date.")
        )
    stay.ended_on = on
    stay.exit_reason = reason
    stay.ended_recorded_at = timezone.now()
    stay.save(update_fields=["ended_on", "exit_reason", "ended_recorded_at", "updated_at"])
    stay.occupancies.filter(ended_on__isnull=True).update(ended_on=on)
    forget_capacity(stay.unit.site_id)


def allocation_place(
    *, actor: Any, allocation: Allocation, unit: Unit, on: dt.date,
    skip_permission_checks: bool = False,
) -> Stay:  # fmt: skip
    """Place a pending allocation's household in a unit (the coordinator's decision).
    ``skip_permission_checks`` is for a service that has checked the actor itself (the case
    worker who holds an unaccompanied child's case places the child: the minors app)."""
    if not skip_permission_checks and not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can place an allocation."))
    try:
        with transaction.atomic():
            lock_units([unit.pk])
            allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
            lock_household(allocation.household_id)
            if allocation.status != AllocationStatus.PENDING:
                raise ServiceError(Code.NOT_PENDING, _("This allocation is no longer pending."))
            if on < allocation.allocated_on:
                raise ServiceError(
                    Code.BAD_DATES, _("The move-in date cannot be before the allocation date.")
                )
            stay = _start(
                household=allocation.household, unit_id=unit.pk, on=on, allocation=allocation
            )
            allocation.status = AllocationStatus.PLACED
            allocation.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=stay,
                summary=gettext_noop("placed %(allocation)s in %(unit)s from %(on)s"),
                params={"allocation": allocation.reference, "unit": unit, "on": on.isoformat()},
            )
    except IntegrityError as exc:
        # The database's last word on a race the locks did not cover (e.g. on SQLite).
        raise no_room_error() from exc
    return stay


def _check_stay_actor(actor: Any, stay: Stay, *, target: Unit | None = None) -> None:
    if access.is_coordinator(actor):
        return
    membership = access.membership_of(actor)
    own_org = membership.organisation_id if membership and access.is_partner_member(actor) else None
    if own_org is None or stay.unit.site.organisation_id != own_org:
        raise PermissionDenied(_("You can only change stays in your own sites."))
    if target is not None and target.site.organisation_id != own_org:
        raise PermissionDenied(
            _("Only a coordinator can move a household to another organisation's site.")
        )


def stay_move(
    *, actor: Any, stay: Stay, to_unit: Unit, on: dt.date, skip_permission_checks: bool = False
) -> Stay:
    """Move a household from its current unit to another on a date (``skip_permission_checks``:
    as for ``allocation_place``: the case worker moves a child of their case)."""
    if not skip_permission_checks:
        _check_stay_actor(actor, stay, target=to_unit)
    if to_unit.pk == stay.unit_id:
        raise ServiceError(Code.SAME_UNIT, _("The household already lives in that unit."))
    try:
        with transaction.atomic():
            lock_units([stay.unit_id, to_unit.pk])
            lock_household(stay.household_id)
            stay = Stay.objects.select_related("household", "unit__site").get(pk=stay.pk)
            _end(stay, on, ExitReason.MOVED)
            new_stay = _start(
                household=stay.household, unit_id=to_unit.pk, on=on, allocation=stay.allocation
            )
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=new_stay,
                summary=gettext_noop("moved %(household)s from %(unit)s to %(to_unit)s on %(on)s"),
                params={
                    "household": stay.household,
                    "unit": stay.unit,
                    "to_unit": to_unit,
                    "on": on.isoformat(),
                },
            )
    except IntegrityError as exc:
        raise no_room_error() from exc
    return new_stay


def stay_end(
    *, actor: Any, stay: Stay, on: dt.date, reason: str, skip_permission_checks: bool = False
) -> Stay:
    """Move a household out, with the reason it left (``skip_permission_checks``: as for
    ``stay_move``: the case worker moves a young person of their case out)."""
    if not skip_permission_checks:
        _check_stay_actor(actor, stay)
    if reason not in ExitReason.values or reason == ExitReason.MOVED:
        raise ServiceError(Code.BAD_DATES, _("Choose why the household is leaving."))
    with transaction.atomic():
        lock_units([stay.unit_id])
        stay = Stay.objects.select_related("household", "unit__site").get(pk=stay.pk)
        _end(stay, on, reason)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=stay,
            summary=gettext_noop("moved out %(household)s on %(on)s (%(reason)s)"),
            params={
                "household": stay.household,
                "on": on.isoformat(),
                "reason": ExitReason(reason),
            },
        )
    return stay


@dataclass(frozen=True)
class Reopening:
    """What taking back a move-out does: the occupancies it ended open again in their own
    beds (``keep``), and a person whose bed was taken since gets another bed of the same
    unit that has been free since the move-out (``move``), from the same day."""

    moved_out_on: dt.date
    keep: list[Occupancy]
    move: list[tuple[Occupancy, Bed]]


def _taken_bed_reason(bed: Bed, since: dt.date, viewer: Any) -> str:
    if bed.blocked:
        return _("Bed %(number)s is blocked.") % {"number": bed.number}
    taker = (
        Occupancy.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=since), bed=bed)
        .select_related("stay")
        .order_by("started_on", "id")
        .first()
    )
    if taker is None:
        return ""
    values = {"number": bed.number, "date": long_date(taker.started_on)}
    household_id = taker.stay.household_id
    if not access.visible_households(viewer).filter(pk=household_id).exists():
        return _("Bed %(number)s was taken by another household on %(date)s.") % values
    name = household_name(Household.objects.get(pk=household_id).persons.all())
    if name.is_family:
        return _("Bed %(number)s was taken by the %(names)s family on %(date)s.") % {
            **values,
            "names": name.names,
        }
    return _("Bed %(number)s was taken by %(name)s on %(date)s.") % {
        **values,
        "name": name.names,
    }


def move_out_reopening(stay: Stay, *, viewer: Any, today: dt.date) -> Reopening:
    """How a move-out recorded by mistake can be taken back, or a ServiceError saying why not.

    The stay opens again from the day it was closed, as if the household had never left, so
    nothing may have used its place since: not the household itself (another stay), not the
    beds (an occupancy from that day on, or a blocked bed), not the unit's room for
    households. The correction page asks this to show the reason before anyone presses; the
    service asks it again under the unit's and the household's locks. ``viewer`` decides only
    whether the household that took a bed is named.
    """
    moved_out_on = stay.ended_on
    if moved_out_on is None:
        raise ServiceError(Code.NOT_MOVED_OUT, _("This stay is open: nothing to correct."))
    if stay.exit_reason == ExitReason.MOVED:
        raise ServiceError(
            Code.NOT_MOVED_OUT,
            _("This stay ended with a move to another unit; a move is not corrected here."),
        )
    unit = stay.unit
    site = unit.site
    since = (
        Stay.objects.filter(household_id=stay.household_id)
        .exclude(pk=stay.pk)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=moved_out_on))
    )
    if since.exists():
        raise ServiceError(
            Code.LIVED_ELSEWHERE,
            _(
                "The household has lived elsewhere since the move-out, so the stay cannot be "
                "re-opened. Place or move the household instead."
            ),
        )
    if site.closes_on is not None and site.closes_on <= max(today, moved_out_on):
        raise ServiceError(
            Code.SITE_CLOSED,
            _("%(site)s closed on %(date)s, so the stay cannot be re-opened.")
            % {"site": site.name, "date": long_date(site.closes_on)},
        )
    if unit.max_households is not None:
        others = (
            Stay.objects.filter(unit=unit)
            .exclude(pk=stay.pk)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=moved_out_on))
            .count()
        )
        if others >= unit.max_households:
            raise ServiceError(
                Code.NO_ROOM,
                ngettext(
                    "%(site)s, unit %(unit)s takes %(count)s household, and another has "
                    "lived there since the move-out.",
                    "%(site)s, unit %(unit)s takes %(count)s households, and others have "
                    "lived there since the move-out.",
                    unit.max_households,
                )
                % {"site": site.name, "unit": unit.name, "count": unit.max_households},
            )
    # A host home receives only the household of a signed agreement covering the day.
    eligibility.check_host_home(household=stay.household, unit=unit, on=moved_out_on)
    ended = list(stay.occupancies.filter(ended_on=moved_out_on).select_related("bed"))
    free = free_beds_of_unit(unit, moved_out_on)
    free_ids = {bed.pk for bed in free}
    keep = [occupancy for occupancy in ended if occupancy.bed_id in free_ids]
    spare = [bed for bed in free if bed.pk not in {o.bed_id for o in ended}]
    bedless = [occupancy for occupancy in ended if occupancy.bed_id not in free_ids]
    if len(spare) < len(bedless):
        reasons = [
            ngettext(
                "%(site)s, unit %(unit)s has had %(free)s free bed since the move-out, and "
                "the household needs %(needed)s.",
                "%(site)s, unit %(unit)s has had %(free)s free beds since the move-out, and "
                "the household needs %(needed)s.",
                len(free),
            )
            % {"site": site.name, "unit": unit.name, "free": len(free), "needed": len(ended)}
        ]
        reasons += [_taken_bed_reason(occupancy.bed, moved_out_on, viewer) for occupancy in bedless]
        raise ServiceError(Code.NO_ROOM, " ".join(reason for reason in reasons if reason))
    return Reopening(
        moved_out_on=moved_out_on, keep=keep, move=list(zip(bedless, spare, strict=False))
    )


def stay_reopen_check(*, actor: Any, stay: Stay) -> str | None:
    """Why the move-out of ``stay`` cannot be taken back now, or None when it can; the page
    shows it before anyone presses (the service checks again under the locks)."""
    try:
        move_out_reopening(stay, viewer=actor, today=timezone.localdate())
    except ServiceError as exc:
        return str(exc.message)
    return None


def stay_reopen(*, actor: Any, stay: Stay, note: str) -> Stay:
    """Take back a move-out recorded by mistake: the stay is open again from the day it was
    closed, the move-out is kept as a correction beside it, and the audit log says
    "corrected", never "deleted" (ADR 19)."""
    if not access.moved_out_stays(actor).filter(pk=stay.pk).exists():
        raise PermissionDenied(_("You cannot correct this move-out."))
    note = note.strip()
    if not note:
        raise ServiceError(Code.NOTE_MISSING, _("Write why the move-out was wrong."))
    try:
        with transaction.atomic():
            # The same locks, in the same order, as a placement into the unit: a correction
            # and a placement racing for the last bed wait for each other, and one wins.
            lock_units([stay.unit_id])
            lock_household(stay.household_id)
            stay = Stay.objects.select_related("household", "unit__site").get(pk=stay.pk)
            plan = move_out_reopening(stay, viewer=actor, today=timezone.localdate())
            moved_out_on, reason = plan.moved_out_on, stay.exit_reason
            correction = MoveOutCorrection.objects.create(
                stay=stay,
                moved_out_on=moved_out_on,
                exit_reason=reason,
                recorded_at=stay.ended_recorded_at,
                corrected_by=actor,
                note=note,
            )
            stay.ended_on = None
            stay.exit_reason = ""
            stay.ended_recorded_at = None
            # The savepoint keeps the outer transaction usable when a constraint fires.
            with transaction.atomic():
                stay.save(
                    update_fields=["ended_on", "exit_reason", "ended_recorded_at", "updated_at"]
                )
                Occupancy.objects.filter(pk__in=[o.pk for o in plan.keep]).update(
                    ended_on=None, updated_at=timezone.now()
                )
                Occupancy.objects.bulk_create(
                    Occupancy(stay=stay, person_id=o.person_id, bed=bed, started_on=moved_out_on)
                    for o, bed in plan.move
                )
            forget_capacity(stay.unit.site_id)
            audit_record(
                actor=actor,
                action=AuditAction.CORRECT,
                obj=stay,
                summary=gettext_noop(
                    "re-opened: move-out of %(household)s from %(unit)s on %(on)s "
                    "(%(reason)s) recorded by mistake (correction %(correction)s)"
                ),
                params={
                    "household": stay.household,
                    "unit": stay.unit,
                    "on": moved_out_on.isoformat(),
                    "reason": ExitReason(reason),
                    "correction": correction.pk,
                },
            )
    except IntegrityError as exc:
        # The database's last word on a race the locks did not cover (e.g. on SQLite).
        raise ServiceError(
            Code.NO_ROOM, _("The beds were taken meanwhile, so the stay cannot be re-opened.")
        ) from exc
    return stay


def allocation_set_status(
    *, actor: Any, allocation: Allocation, status: str, reason: str
) -> Allocation:
    """Refuse or cancel a pending allocation, with the reason given."""
    if not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can change an allocation."))
    if status not in (
        AllocationStatus.REFUSED, AllocationStatus.CANCELLED, AllocationStatus.NEVER_ARRIVED
    ):  # fmt: skip
        raise ServiceError(Code.NOT_PENDING, _("That status cannot be set by hand."))
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if allocation.status != AllocationStatus.PENDING:
            raise ServiceError(Code.NOT_PENDING, _("This allocation is no longer pending."))
        allocation.status = status
        allocation.status_reason = reason
        allocation.save(update_fields=["status", "status_reason", "updated_at"])
        if status == AllocationStatus.NEVER_ARRIVED:
            _never_arrived(actor, allocation, reason)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=allocation,
            summary=gettext_noop("refused: %(reason)s")
            if status == AllocationStatus.REFUSED
            else gettext_noop("never arrived: %(reason)s")
            if status == AllocationStatus.NEVER_ARRIVED
            else gettext_noop("cancelled: %(reason)s"),
            params={"reason": reason},
        )
    return allocation


def _never_arrived(actor: Any, allocation: Allocation, reason: str) -> None:
    """Nobody of the household moved in: each person's path says so from today (ADR 30), so
    that no night and no one-time amount is counted for them."""
    if allocation.household.stays.exists():
        raise ServiceError(
            Code.NOT_PENDING, _("Someone of this household has moved in; it did arrive.")
        )
    for person in allocation.household.persons.all():
        path_event_record(
            actor=actor, person=person, kind=PathEventKind.NEVER_ARRIVED,
            on=timezone.localdate(), reference=allocation.reference, note=reason,
        )  # fmt: skip


def allocation_reopen(*, actor: Any, allocation: Allocation, reason: str) -> Allocation:
    """The household marked "never arrived" turned up after all: the allocation is pending
    again, and each member's "never arrived" event is withdrawn with the reason, so that the
    household can be placed and its nights are paid from the day it moves in (ADR 30)."""
    if not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can change an allocation."))
    if not reason.strip():
        raise ServiceError(Code.NO_REASON, _("Say why the allocation is reopened."))
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if allocation.status != AllocationStatus.NEVER_ARRIVED:
            raise ServiceError(
                Code.NOT_PENDING,
                _("Only an allocation whose household never arrived can be reopened."),
            )
        # Every member's standing "never arrived", whatever a correction made of its text.
        for event in PathEvent.objects.standing().filter(
            person__household_id=allocation.household_id, kind=PathEventKind.NEVER_ARRIVED
        ):
            path_event_correct(actor=actor, event=event, withdraw=True, note=reason)
        allocation.status = AllocationStatus.PENDING
        allocation.status_reason = ""
        allocation.save(update_fields=["status", "status_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=allocation,
            summary=gettext_noop("reopened, the household arrived after all: %(reason)s"),
            params={"reason": reason},
        )
    return allocation


def allocation_create(
    *,
    actor: Any,
    reference: str,
    allocated_on: dt.date,
    expected_arrival: dt.date | None,
    household_reference: str,
    persons: list[dict[str, Any]],
    needs: dict[str, Any],
    skip_permission_checks: bool = False,
) -> Allocation:
    """Register one allocation by hand: the household, its persons and the allocation
    (``skip_permission_checks``: as for ``allocation_place``)."""
    if not skip_permission_checks and not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can register an allocation."))
    if expected_arrival is not None and expected_arrival < allocated_on:
        raise ServiceError(
            Code.BAD_DATES, _("The expected arrival cannot be before the allocation date.")
        )
    with transaction.atomic():
        if Allocation.objects.filter(reference=reference).exists():
            raise ServiceError(
                Code.DUPLICATE, _("An allocation with that reference already exists.")
            )
        if Household.objects.filter(reference=household_reference).exists():
            raise ServiceError(Code.DUPLICATE, _("A household with that reference already exists."))
        household = household_create(
            actor=actor, reference=household_reference, persons=persons,
            skip_permission_checks=skip_permission_checks, **needs,
        )  # fmt: skip
        allocation = Allocation.objects.create(
            household=household,
            reference=reference,
            allocated_on=allocated_on,
            expected_arrival=expected_arrival,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=allocation,
            summary=gettext_noop("allocation %(reference)s"),
            params={"reference": reference},
        )
    return allocation


# -- what a host-home programme tells the placement rule -------------------------------------
#
# The programme (the hosting app) calls these inside its own services' transactions, which
# check who may act and audit the change; here is only what the rule in eligibility.py reads.
# Each takes the unit's lock first, as a placement does, so a placement and a change of what
# the home takes wait for each other: the locked check never reads a half-made change.


def host_home_programme_record(*, organisation: Organisation) -> None:
    """From now on, a host-home unit of this organisation takes no one without a host."""
    HostHomeProgramme.objects.get_or_create(organisation=organisation)


def host_home_record(
    *, unit: Unit, vetted: bool, available_from: dt.date, available_until: dt.date | None
) -> HostHome:
    """A registered host's home: whether it is vetted and the period the host offers it."""
    with transaction.atomic():
        lock_units([unit.pk])
        home, _created = HostHome.objects.update_or_create(
            unit=unit,
            defaults={
                "vetted": vetted,
                "available_from": available_from,
                "available_until": available_until,
            },
        )
    return home


def host_home_guest_record(
    *,
    agreement: Any,
    unit: Unit,
    household: Household,
    starts_on: dt.date,
    ends_on: dt.date,
    ended_on: dt.date | None,
) -> HostHomeGuest:
    """The household a host home takes under a signed agreement (identified by the
    programme's public id of it), and when; an agreement that ended takes no one."""
    with transaction.atomic():
        lock_units([unit.pk])
        guest, _created = HostHomeGuest.objects.update_or_create(
            agreement=agreement,
            defaults={
                "home": HostHome.objects.get(unit=unit),
                "household": household,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "ended_on": ended_on,
            },
        )
    return guest
