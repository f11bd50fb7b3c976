"""Writes of the minors app: the social services' case of an unaccompanied child.

Each checks who may do it (the case worker who holds the case, ``access.can_manage_case``),
changes and audits in one transaction. The child is named in the audit log only by public id.
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.addedvalues.models import Delivery, Service, ServiceCategory
from tillsammans.addedvalues.services import delivery_record
from tillsammans.core import access as core_access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.core.models import AuditAction
from tillsammans.housing.models import CHILDREN_KINDS, Site, Unit
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Person
from tillsammans.reception.lock_objects import lock_household
from tillsammans.reception.models import (
    Allocation,
    AllocationStatus,
    ExitReason,
    PlacementDecision,
    Stay,
)
from tillsammans.reception.services import (
    allocation_create,
    allocation_place,
    stay_end,
    stay_move,
)
from tillsammans.training.models import Volunteer

from . import access
from .error_codes import MinorsErrorCode as Code
from .models import (
    AfterEighteen,
    AsylumStatus,
    AsylumStatusKind,
    BirthDateBasis,
    BirthDateRecord,
    ChildCase,
    ChildVolunteer,
    GuardianAppointment,
    GuardianKind,
    PlanArea,
    PlanGoal,
    Relation,
    Reunification,
    ReunificationEvent,
    ReunificationRelative,
    ReunificationStep,
    ServiceEnrolment,
    SummerPlace,
    VolunteerKind,
    VolunteerLink,
)

PERMITS = (AsylumStatusKind.TEMPORARY_PERMIT, AsylumStatusKind.PERMANENT_PERMIT)
# An extract from the criminal records for work with children is valid for a year from its
# issue (the organisation asks for a new one after that).
RECORD_VALID_DAYS = 365


def _require_holder(actor: Any, case: ChildCase) -> None:
    if not access.can_manage_case(actor, case):
        raise PermissionDenied(_("Only the case worker who holds the case can change it."))


def _not_in_future(day: dt.date, message: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(Code.BAD_DATES, message)


def _lock_case(case: ChildCase, *, open_only: bool = True) -> ChildCase:
    """The case's row, locked; refused if another case worker took it over since ``case``
    was read (the permission was checked on what was read), and, unless ``open_only`` is
    False, if the case is closed: a closed case takes nothing new until it is reopened."""
    locked = ChildCase.objects.select_for_update().get(pk=case.pk)
    if locked.case_worker_id != case.case_worker_id:
        raise ServiceError(
            Code.CHANGED, _("Another case worker has just taken over the case. Open it again.")
        )
    if open_only:
        _require_open(locked)
    return locked


def _require_open(case: ChildCase) -> None:
    if case.closed_on is not None:
        raise ServiceError(Code.ENDED, _("The case is closed. Reopen it first."))


def child_register(
    *, actor: Any, first_name: str, last_name: str, first_name_latin: str = "",
    last_name_latin: str = "", birth_date: dt.date, basis: str, sex: str,
    languages: list[str] | None = None, migration_case_number: str = "",
    allocated_on: dt.date,
) -> ChildCase:  # fmt: skip
    """A child allocated to the city as unaccompanied: a household of one marked
    unaccompanied, its allocation (pending until the child is placed) and the case, held by
    the case worker who registers it."""
    if not core_access.is_case_worker(actor):
        raise PermissionDenied(_("Only a social services case worker can register a child."))
    _not_in_future(birth_date, _("The date of birth cannot be in the future."))
    _not_in_future(allocated_on, _("The allocation date cannot be in the future."))
    if birth_date > allocated_on:
        raise ServiceError(
            Code.BAD_DATES, _("The date of birth cannot be after the allocation date.")
        )
    if basis not in (BirthDateBasis.STATED, BirthDateBasis.ASSESSED):
        raise ServiceError(Code.BAD_DATES, _("Say whether the date was stated or assessed."))
    if age_on(birth_date, allocated_on) >= ADULT_AGE:
        raise ServiceError(
            Code.NOT_UNACCOMPANIED,
            _("An unaccompanied child is under 18 on the day of the allocation."),
        )
    # "EKB" (ensamkommande barn), the year and a random part: unique without a counter that
    # two case workers registering at once would both read.
    reference = f"EKB-{allocated_on.year}-{uuid.uuid4().hex[:8].upper()}"
    with transaction.atomic():
        allocation = allocation_create(
            actor=actor,
            reference=reference,
            allocated_on=allocated_on,
            expected_arrival=None,
            household_reference=reference,
            persons=[{
                "first_name": first_name, "last_name": last_name,
                "first_name_latin": first_name_latin, "last_name_latin": last_name_latin,
                "birth_date": birth_date, "sex": sex, "languages": languages or [],
                "migration_case_number": migration_case_number,
            }],
            needs={"unaccompanied": True},
            skip_permission_checks=True,
        )  # fmt: skip
        person = allocation.household.persons.get()
        case = ChildCase.objects.create(person=person, case_worker=actor, opened_on=allocated_on)
        BirthDateRecord.objects.create(
            case=case, birth_date=birth_date, basis=basis, decided_on=allocated_on,
            recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=case,
            summary=gettext_noop("case of %(person)s opened"),
            params={"person": person},
        )
    return case


def case_take_over(*, actor: Any, case: ChildCase) -> ChildCase:
    """A case worker takes over a case (a colleague's, or one no one holds)."""
    if not access.can_take_over(actor, case):
        raise PermissionDenied(_("Only another case worker can take over this case."))
    with transaction.atomic():
        case = _lock_case(case, open_only=False)
        before = case.case_worker
        case.case_worker = actor
        case.save(update_fields=["case_worker", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            summary=gettext_noop("case taken over from %(before)s"),
            params={"before": before.email if before else "-"},
        )
    return case


def case_close(*, actor: Any, case: ChildCase, closed_on: dt.date) -> ChildCase:
    """The social services close the case (the young person has moved to housing of their
    own, turned 21, or left the municipality): refused while they live in a home for
    children after that day. A case closed by mistake is reopened (``case_reopen``)."""
    _require_holder(actor, case)
    _not_in_future(closed_on, _("A case cannot be closed in the future."))
    if closed_on < case.opened_on:
        raise ServiceError(Code.BAD_DATES, _("A case cannot be closed before it was opened."))
    with transaction.atomic():
        case = _lock_case(case, open_only=False)
        if case.closed_on is not None:
            raise ServiceError(Code.ENDED, _("The case is closed already."))
        lock_household(case.person.household_id)  # as a placement does: one at a time
        still = Stay.objects.filter(
            household_id=case.person.household_id, unit__site__kind__in=CHILDREN_KINDS
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=closed_on))
        if still.exists():
            raise ServiceError(
                Code.STILL_LIVES_THERE,
                _("The young person lives in a home for children after that day: end the stay "
                  "first."),
            )  # fmt: skip
        case.closed_on = closed_on
        case.save(update_fields=["closed_on", "updated_at"])
        _end_places_of(actor, case, closed_on)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            summary=gettext_noop("case of %(person)s closed on %(on)s"),
            params={"person": case.person, "on": closed_on.isoformat()},
        )
    return case


def _end_places_of(actor: Any, case: ChildCase, closed_on: dt.date) -> None:
    """A closed case's places in services and links to volunteers end with it (those that
    would begin later are removed, freeing a workplace's summer place): their organisations
    no longer see the child."""
    current = Q(ends_on__isnull=True) | Q(ends_on__gt=closed_on)
    on = {"on": closed_on.isoformat()}
    enrolments = ServiceEnrolment.objects.filter(current, case=case)
    for enrolment in enrolments.filter(starts_on__gt=closed_on):
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=enrolment,
            summary=gettext_noop("place in a service removed: the case closed before it began"),
        )  # fmt: skip
        enrolment.delete()
    for enrolment in enrolments.filter(starts_on__lte=closed_on):
        enrolment.ends_on = closed_on
        enrolment.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=enrolment, params=on,
            summary=gettext_noop("place in a service ended on %(on)s with the case"),
        )  # fmt: skip
    links = VolunteerLink.objects.filter(current, case=case)
    for link in links.filter(starts_on__gt=closed_on):
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=link,
            summary=gettext_noop("volunteer's link removed: the case closed before it began"),
        )  # fmt: skip
        link.delete()
    for link in links.filter(starts_on__lte=closed_on):
        link.ends_on = closed_on
        link.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=link, params=on,
            summary=gettext_noop("volunteer's link ended on %(on)s with the case"),
        )  # fmt: skip


def case_reopen(*, actor: Any, case: ChildCase) -> ChildCase:
    """A case closed by mistake is open again (what ended with it stays ended)."""
    _require_holder(actor, case)
    with transaction.atomic():
        case = _lock_case(case, open_only=False)
        if case.closed_on is None:
            raise ServiceError(Code.CHANGED, _("The case is open."))
        before, case.closed_on = case.closed_on, None
        case.save(update_fields=["closed_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            summary=gettext_noop("case of %(person)s reopened (it was closed on %(on)s)"),
            params={"person": case.person, "on": before.isoformat()},
        )
    return case


def birth_date_record(
    *, actor: Any, case: ChildCase, birth_date: dt.date, basis: str, decided_on: dt.date
) -> BirthDateRecord:
    """A date of birth assessed or revised by the Migration Agency on ``decided_on``. The
    latest decision is the child's date of birth from now on: the placement rule, the
    turning-18 list and the compensation follow it at once."""
    _require_holder(actor, case)
    if basis not in BirthDateBasis.values:
        raise ServiceError(Code.BAD_DATES, _("Choose where the date of birth comes from."))
    _not_in_future(birth_date, _("The date of birth cannot be in the future."))
    _not_in_future(decided_on, _("The decision date cannot be in the future."))
    if birth_date > decided_on:
        raise ServiceError(
            Code.BAD_DATES, _("The date of birth cannot be after the day it was decided.")
        )
    with transaction.atomic():
        case = _lock_case(case)
        lock_household(case.person.household_id)
        record = BirthDateRecord.objects.create(
            case=case, birth_date=birth_date, basis=basis, decided_on=decided_on,
            recorded_by=actor,
        )  # fmt: skip
        latest = case.birth_dates.order_by("-decided_on", "-id").first()
        person = Person.objects.get(pk=case.person_id)
        before = person.birth_date
        if latest is not None and latest.birth_date != before:
            person.birth_date = latest.birth_date
            person.save(update_fields=["birth_date", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            summary=gettext_noop(
                "date of birth %(basis)s on %(decided)s: %(birth)s (was %(before)s)"
            ),
            params={
                "basis": BirthDateBasis(basis), "decided": decided_on.isoformat(),
                "birth": birth_date.isoformat(), "before": before.isoformat(),
            },
        )  # fmt: skip
    return record


def asylum_status_record(
    *, actor: Any, case: ChildCase, status: str, valid_from: dt.date,
    permit_valid_to: dt.date | None = None,
) -> AsylumStatus:  # fmt: skip
    _require_holder(actor, case)
    if status not in AsylumStatusKind.values:
        raise ServiceError(Code.BAD_DATES, _("Choose a status."))
    _not_in_future(valid_from, _("The status cannot start in the future."))
    if valid_from < case.person.birth_date:
        raise ServiceError(Code.BAD_DATES, _("The status cannot start before the child was born."))
    if permit_valid_to is not None:
        if status not in PERMITS:
            raise ServiceError(Code.BAD_DATES, _("Only a residence permit has an end date."))
        if permit_valid_to < valid_from:
            raise ServiceError(Code.BAD_DATES, _("The permit cannot end before it starts."))
    with transaction.atomic():
        case = _lock_case(case)
        if case.statuses.filter(valid_from=valid_from).exists():
            raise ServiceError(Code.DUPLICATE, _("A status from that day is already recorded."))
        record = AsylumStatus.objects.create(
            case=case, status=status, valid_from=valid_from, permit_valid_to=permit_valid_to,
            recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=record,
            summary=gettext_noop("asylum status %(status)s from %(from)s for %(person)s"),
            params={
                "status": AsylumStatusKind(status), "from": valid_from.isoformat(),
                "person": case.person,
            },
        )  # fmt: skip
    return record


def guardian_appoint(
    *, actor: Any, case: ChildCase, kind: str, name: str, appointed_on: dt.date,
    phone: str = "", email: str = "", ended_on: dt.date | None = None,
) -> GuardianAppointment:  # fmt: skip
    """A guardian appointed by the chief guardian's office. A child has one guardian at a
    time: an appointment that overlaps another is refused (end the earlier one first)."""
    _require_holder(actor, case)
    if kind not in GuardianKind.values:
        raise ServiceError(Code.BAD_DATES, _("Choose the kind of guardian."))
    if not name.strip():
        raise ServiceError(Code.BAD_DATES, _("Give the guardian's name."))
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ServiceError(Code.BAD_DATES, _("Enter a valid email address.")) from exc
    _not_in_future(appointed_on, _("The appointment date cannot be in the future."))
    if ended_on is not None and ended_on < appointed_on:
        raise ServiceError(Code.BAD_DATES, _("An appointment cannot end before it starts."))
    with transaction.atomic():
        case = _lock_case(case)
        for other in case.guardians.all():
            other_end = other.ended_on or dt.date.max
            end = ended_on or dt.date.max
            if other.appointed_on <= end and appointed_on <= other_end:
                raise ServiceError(
                    Code.DUPLICATE,
                    _(
                        "%(name)s is the guardian from %(from)s%(to)s: end that appointment "
                        "before the new one starts."
                    )
                    % {
                        "name": other.name,
                        "from": other.appointed_on.isoformat(),
                        "to": f" – {other.ended_on.isoformat()}" if other.ended_on else "",
                    },
                )
        appointment = GuardianAppointment.objects.create(
            case=case, kind=kind, name=name.strip(), phone=phone, email=email,
            appointed_on=appointed_on, ended_on=ended_on, recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=appointment,
            summary=gettext_noop("guardian appointed for %(person)s from %(from)s"),
            params={"person": case.person, "from": appointed_on.isoformat()},
        )
    return appointment


def guardian_end(
    *, actor: Any, appointment: GuardianAppointment, ended_on: dt.date
) -> GuardianAppointment:
    _require_holder(actor, appointment.case)
    if ended_on < appointment.appointed_on:
        raise ServiceError(Code.BAD_DATES, _("An appointment cannot end before it starts."))
    with transaction.atomic():
        _lock_case(appointment.case, open_only=False)
        appointment = GuardianAppointment.objects.get(pk=appointment.pk)
        later = appointment.case.guardians.filter(appointed_on__gt=appointment.appointed_on)
        if later.filter(appointed_on__lte=ended_on).exists():
            raise ServiceError(Code.BAD_DATES, _("The next guardian is appointed before that day."))
        appointment.ended_on = ended_on
        appointment.save(update_fields=["ended_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=appointment,
            summary=gettext_noop("guardian's appointment ended on %(on)s"),
            params={"on": ended_on.isoformat()},
        )
    return appointment


def decision_record(
    *, actor: Any, case: ChildCase, site: Site, decided_on: dt.date, valid_from: dt.date,
    valid_to: dt.date | None = None, reference: str = "", continued_after_18: bool = False,
) -> PlacementDecision:  # fmt: skip
    """The case worker's decision that the child lives in a home for children. Whether the
    home's licence covers the child is asked when the child is placed there (the one rule)."""
    _require_holder(actor, case)
    if site.kind not in CHILDREN_KINDS:
        raise ServiceError(
            Code.NOT_A_HOME,
            _("A placement decision names an HVB home, supported housing or a family home."),
        )
    _not_in_future(decided_on, _("The decision date cannot be in the future."))
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(Code.BAD_DATES, _("A decision cannot end before it starts."))
    with transaction.atomic():
        case = _lock_case(case)
        same = _overlapping(
            _decisions(case.person.household_id).filter(
                site=site, continued_after_18=continued_after_18
            ),
            valid_from,
            valid_to,
        ).first()
        if same is not None:
            raise ServiceError(
                Code.DUPLICATE,
                _(
                    "A decision for this home already covers part of that time (from "
                    "%(from)s). End or withdraw that one first."
                )
                % {"from": same.valid_from.isoformat()},
            )
        decision = PlacementDecision.objects.create(
            household_id=case.person.household_id, site=site, reference=reference,
            decided_on=decided_on, valid_from=valid_from, valid_to=valid_to,
            continued_after_18=continued_after_18, decided_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=decision,
            summary=gettext_noop("placement in %(site)s decided for %(person)s from %(from)s"),
            params={
                "site": site.name, "person": case.person,
                "from": valid_from.isoformat(),
            },
        )  # fmt: skip
    return decision


def _decisions(household_id: int) -> QuerySet[PlacementDecision]:
    """The decisions that hold (not withdrawn) for the household."""
    return PlacementDecision.objects.filter(household_id=household_id, withdrawn_on__isnull=True)


def _overlapping(
    decisions: QuerySet[PlacementDecision], start: dt.date, end: dt.date | None
) -> QuerySet[PlacementDecision]:
    decisions = decisions.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    return decisions if end is None else decisions.filter(valid_from__lte=end)


def _uncovered_stay(
    decision: PlacementDecision, start: dt.date, end: dt.date | None
) -> Stay | None:
    """A stay of the child in the decision's home on a day from ``start`` to ``end`` (None:
    with no end) that no other decision for that home covers: the decision cannot be ended
    or withdrawn from under it."""
    others = list(
        _decisions(decision.household_id)
        .filter(site_id=decision.site_id)
        .exclude(pk=decision.pk)
        .values_list("valid_from", "valid_to")
    )
    stays = Stay.objects.filter(
        household_id=decision.household_id, unit__site_id=decision.site_id
    ).exclude(ended_on__lte=start)  # a stay's last night is the day before it ends
    if end is not None:
        stays = stays.filter(started_on__lte=end)
    for stay in stays.order_by("started_on"):
        first = max(stay.started_on, start)
        last = stay.ended_on - dt.timedelta(days=1) if stay.ended_on else None
        if end is not None:
            last = end if last is None else min(last, end)
        if not any(
            since <= first and (until is None or (last is not None and until >= last))
            for since, until in others
        ):
            return stay
    return None


def case_of_decision(decision: PlacementDecision) -> ChildCase:
    return ChildCase.objects.select_related("person").get(
        person__household_id=decision.household_id
    )


def decision_end(
    *, actor: Any, decision: PlacementDecision, valid_to: dt.date
) -> PlacementDecision:
    """The decision's last day, set or changed by the case worker: refused while the child
    lives in the home after that day on no other decision (move the child first)."""
    case = case_of_decision(decision)
    _require_holder(actor, case)
    if valid_to < decision.valid_from:
        raise ServiceError(Code.BAD_DATES, _("A decision cannot end before it starts."))
    with transaction.atomic():
        _lock_case(case, open_only=False)
        lock_household(decision.household_id)  # as a placement does: one at a time
        decision = PlacementDecision.objects.select_related("site").get(pk=decision.pk)
        if decision.withdrawn_on is not None:
            raise ServiceError(Code.ENDED, _("This decision was withdrawn."))
        longer = decision.valid_to is not None and valid_to > decision.valid_to
        if longer:
            same = _overlapping(
                _decisions(decision.household_id)
                .filter(site_id=decision.site_id, continued_after_18=decision.continued_after_18)
                .exclude(pk=decision.pk),
                decision.valid_from,
                valid_to,
            ).first()
            if same is not None:
                raise ServiceError(
                    Code.DUPLICATE,
                    _(
                        "A decision for this home already covers part of that time (from "
                        "%(from)s). End or withdraw that one first."
                    )
                    % {"from": same.valid_from.isoformat()},
                )
        elif _uncovered_stay(decision, valid_to + dt.timedelta(days=1), decision.valid_to):
            raise ServiceError(
                Code.STILL_LIVES_THERE,
                _(
                    "The child lives in this home after that day. Move the child first, or "
                    "choose a later last day."
                ),
            )
        decision.valid_to = valid_to
        decision.save(update_fields=["valid_to", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=decision,
            summary=gettext_noop("placement in %(site)s for %(person)s ends on %(on)s"),
            params={
                "site": decision.site.name, "person": case.person,
                "on": valid_to.isoformat(),
            },
        )  # fmt: skip
    return decision


def decision_withdraw(*, actor: Any, decision: PlacementDecision, reason: str) -> PlacementDecision:
    """A decision recorded in error is withdrawn: kept, shown struck through, ignored by the
    placement rule. Refused once the child has lived in the home on it (end it instead)."""
    case = case_of_decision(decision)
    _require_holder(actor, case)
    reason = reason.strip()
    if not reason:
        raise ServiceError(Code.BAD_DATES, _("Say why the decision is withdrawn."))
    with transaction.atomic():
        _lock_case(case, open_only=False)
        lock_household(decision.household_id)  # as a placement does: one at a time
        decision = PlacementDecision.objects.select_related("site").get(pk=decision.pk)
        if decision.withdrawn_on is not None:
            raise ServiceError(Code.ENDED, _("This decision was withdrawn already."))
        if _uncovered_stay(decision, decision.valid_from, decision.valid_to):
            raise ServiceError(
                Code.STILL_LIVES_THERE,
                _(
                    "The child has lived in this home on this decision, so it cannot be "
                    "withdrawn. End it instead."
                ),
            )
        decision.withdrawn_on, decision.withdrawn_reason = timezone.localdate(), reason[:500]
        decision.save(update_fields=["withdrawn_on", "withdrawn_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=decision,
            summary=gettext_noop("placement decision in %(site)s for %(person)s withdrawn"),
            params={"site": decision.site.name, "person": case.person},
        )
    return decision


def pending_allocation(case: ChildCase) -> Allocation | None:
    return (
        Allocation.objects.filter(
            household_id=case.person.household_id, status=AllocationStatus.PENDING
        )
        .order_by("allocated_on")
        .first()
    )


def child_place(*, actor: Any, case: ChildCase, unit: Unit, on: dt.date) -> Stay:
    """The case worker moves the child into a unit of a home that a decision names; the
    placement rule (licence, ages, sex, places, decision) decides under the unit's lock."""
    _require_holder(actor, case)
    _require_open(case)
    allocation = pending_allocation(case)
    if allocation is None:
        raise ServiceError(Code.NO_DECISION, _("The child has no allocation waiting to be placed."))
    return allocation_place(
        actor=actor, allocation=allocation, unit=unit, on=on, skip_permission_checks=True
    )


def current_stay(case: ChildCase, on: dt.date) -> Stay | None:
    return (
        Stay.objects.filter(household_id=case.person.household_id, started_on__lte=on)
        .exclude(ended_on__lte=on)
        .select_related("unit__site")
        .order_by("-started_on")
        .first()
    )


def child_move(*, actor: Any, case: ChildCase, unit: Unit, on: dt.date) -> Stay:
    """The case worker moves the young person to another home a decision names (supported
    housing at 18, another HVB home); the rule decides under the units' locks."""
    _require_holder(actor, case)
    _require_open(case)
    stay = current_stay(case, on)
    if stay is None:
        raise ServiceError(Code.NO_DECISION, _("The child does not live in a home on that day."))
    return stay_move(actor=actor, stay=stay, to_unit=unit, on=on, skip_permission_checks=True)


# Why a young person leaves a home for children (a move between homes is ``child_move``).
LEAVING_REASONS = (ExitReason.OWN_HOUSING, ExitReason.OTHER_MUNICIPALITY, ExitReason.OTHER)


def child_leave(*, actor: Any, case: ChildCase, on: dt.date, reason: str) -> Stay:
    """The case worker moves the young person out of the home (to housing of their own, to
    another municipality): the stay ends on ``on``."""
    _require_holder(actor, case)
    if reason not in LEAVING_REASONS:
        raise ServiceError(Code.BAD_DATES, _("Choose why the young person leaves."))
    stay = current_stay(case, on)
    if stay is None:
        raise ServiceError(Code.NO_DECISION, _("The child does not live in a home on that day."))
    return stay_end(actor=actor, stay=stay, on=on, reason=reason, skip_permission_checks=True)


def after_18_record(
    *, actor: Any, case: ChildCase, after_18: str, decided_on: dt.date
) -> ChildCase:
    """What the social services decided for the day the young person turns 18: the case
    leaves the work list of those turning 18."""
    _require_holder(actor, case)
    if after_18 not in AfterEighteen.values:
        raise ServiceError(Code.BAD_DATES, _("Choose what happens at 18."))
    _not_in_future(decided_on, _("The decision date cannot be in the future."))
    with transaction.atomic():
        case = _lock_case(case)
        case.after_18, case.after_18_decided_on = after_18, decided_on
        case.save(update_fields=["after_18", "after_18_decided_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            summary=gettext_noop("decided on %(on)s for %(person)s at 18: %(choice)s"),
            params={
                "on": decided_on.isoformat(), "person": case.person,
                "choice": AfterEighteen(after_18),
            },
        )  # fmt: skip
    return case


# -- volunteers working with children ----------------------------------------------------------


def child_volunteer_record(
    *, actor: Any, volunteer: Volunteer, kind: str, record_issued_on: dt.date
) -> ChildVolunteer:
    """The organisation's volunteer works with children (as a contact family, leisure
    volunteer or mentor); the organisation has seen the criminal-record extract issued on
    ``record_issued_on``. A newer extract is recorded the same way."""
    if not access.keeps_volunteer(actor, volunteer):
        raise PermissionDenied(_("You can keep only your own organisation's volunteers."))
    if kind not in VolunteerKind.values:
        raise ServiceError(Code.BAD_DATES, _("Choose how the volunteer works with children."))
    _not_in_future(record_issued_on, _("The extract cannot be issued in the future."))
    with transaction.atomic():
        child_volunteer, created = ChildVolunteer.objects.select_for_update().update_or_create(
            volunteer=volunteer,
            defaults={"kind": kind, "record_issued_on": record_issued_on, "record_seen_by": actor},
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=child_volunteer,
            summary=gettext_noop(
                "%(volunteer)s works with children as %(kind)s; criminal-record extract "
                "issued on %(issued)s seen"
            ),
            params={
                "volunteer": volunteer.alias, "kind": VolunteerKind(kind),
                "issued": record_issued_on.isoformat(),
            },
        )  # fmt: skip
    return child_volunteer


def record_problem(child_volunteer: ChildVolunteer, on: dt.date) -> str:
    """Why the volunteer may not be linked to a child from ``on`` (empty: they may)."""
    if not child_volunteer.volunteer.active:
        return str(_("The volunteer is no longer active."))
    issued = child_volunteer.record_issued_on
    if issued > on:
        return str(
            _("The criminal-record extract was issued after %(on)s: the check comes first.")
            % {"on": on.isoformat()}
        )
    if issued < on - dt.timedelta(days=RECORD_VALID_DAYS):
        return str(
            _(
                "The criminal-record extract was issued on %(issued)s, more than a year before "
                "%(on)s: see a new one first."
            )
            % {"issued": issued.isoformat(), "on": on.isoformat()}
        )
    return ""


def volunteer_link(
    *, actor: Any, case: ChildCase, volunteer: ChildVolunteer, starts_on: dt.date,
    child_agreed_on: dt.date, guardian_agreed_on: dt.date,
) -> VolunteerLink:  # fmt: skip
    """Link a contact family, leisure volunteer or mentor to the child, with the child's and
    the guardian's agreement: by the case worker who holds the case or the home that houses
    the child. Refused without a criminal-record extract seen within a year of the start."""
    if not access.links_volunteers(actor, case):
        raise PermissionDenied(
            _("Only the case worker or the home of the child can link a volunteer.")
        )
    for day in (child_agreed_on, guardian_agreed_on):
        _not_in_future(day, _("An agreement cannot be given in the future."))
    if max(child_agreed_on, guardian_agreed_on) > starts_on:
        raise ServiceError(
            Code.BAD_DATES, _("The child and the guardian agree before the link starts.")
        )
    with transaction.atomic():
        case = _lock_case(case)
        volunteer = (
            ChildVolunteer.objects.select_for_update()
            .select_related("volunteer")
            .get(pk=volunteer.pk)
        )
        problem = record_problem(volunteer, starts_on)
        if problem:
            raise ServiceError(Code.NO_RECORD_CHECK, problem)
        if case.links.filter(volunteer=volunteer, ends_on__isnull=True).exists():
            raise ServiceError(Code.DUPLICATE, _("The volunteer is already linked to this child."))
        link = VolunteerLink.objects.create(
            volunteer=volunteer, case=case, starts_on=starts_on, child_agreed_on=child_agreed_on,
            guardian_agreed_on=guardian_agreed_on, recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=link,
            summary=gettext_noop("%(volunteer)s linked to %(person)s from %(from)s"),
            params={
                "volunteer": volunteer.volunteer.alias, "person": case.person,
                "from": starts_on.isoformat(),
            },
        )  # fmt: skip
    return link


def volunteer_link_end(*, actor: Any, link: VolunteerLink, ends_on: dt.date) -> VolunteerLink:
    """The volunteer stops seeing the child (the child moved, turned 18 or said no, or the
    volunteer stopped): by the case worker, the child's home or the volunteer's organisation.
    From the day after, the organisation no longer sees the child."""
    if not (
        access.links_volunteers(actor, link.case)
        or access.keeps_volunteer(actor, link.volunteer.volunteer)
    ):
        raise PermissionDenied(_("You cannot end this link."))
    if ends_on < link.starts_on:
        raise ServiceError(Code.BAD_DATES, _("A link cannot end before it starts."))
    with transaction.atomic():
        link = VolunteerLink.objects.select_for_update().get(pk=link.pk)
        link.ends_on = ends_on
        link.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=link,
            summary=gettext_noop("volunteer's link to %(person)s ended on %(on)s"),
            params={"person": link.case.person, "on": ends_on.isoformat()},
        )
    return link


def meeting_record(
    *, actor: Any, link: VolunteerLink, service: Service, on: dt.date, note: str = ""
) -> Delivery:
    """A meeting of the volunteer and the child, logged by the volunteer's organisation as a
    delivery of one of its services (the added values count it like any other)."""
    if service.organisation_id != link.volunteer.volunteer.organisation_id:
        raise ServiceError(Code.NOT_A_HOME, _("Choose a service of the volunteer's organisation."))
    if on < link.starts_on or (link.ends_on is not None and on > link.ends_on):
        raise ServiceError(Code.BAD_DATES, _("The volunteer was not linked to the child that day."))
    person = link.case.person
    return delivery_record(
        actor=actor, service=service, household=person.household, person=person, on=on,
        note=note, confirm=True,
    )  # fmt: skip


# -- services of the catalogue for children ----------------------------------------------------

MAX_SUMMER_PLACES = 50


def summer_place_record(
    *, actor: Any, service: Service, employer: str, starts_on: dt.date, ends_on: dt.date,
    places: int = 1, min_age: int = 13, tasks: str = "", area: str = "", contact: str = "",
) -> SummerPlace:  # fmt: skip
    """The summer coordinator adds a workplace's internship places under their
    organisation's work service."""
    if not access.provides(actor, service):
        raise PermissionDenied(_("Only the service's organisation keeps its summer places."))
    if service.category != ServiceCategory.WORK:
        raise ServiceError(
            Code.WRONG_SERVICE, _("Summer internships are places of a work service.")
        )
    employer = employer.strip()
    if not employer:
        raise ServiceError(Code.BAD_DATES, _("Name the workplace."))
    if ends_on < starts_on:
        raise ServiceError(Code.BAD_DATES, _("The internship cannot end before it starts."))
    if not 1 <= places <= MAX_SUMMER_PLACES:
        raise ServiceError(
            Code.BAD_DATES,
            _("A workplace offers from 1 to %(max)d places.") % {"max": MAX_SUMMER_PLACES},
        )
    if not 13 <= min_age <= 20:
        raise ServiceError(Code.BAD_DATES, _("The age is from 13 to 20."))
    with transaction.atomic():
        place = SummerPlace.objects.create(
            service=service, employer=employer, tasks=tasks.strip(), area=area.strip(),
            starts_on=starts_on, ends_on=ends_on, places=places, min_age=min_age,
            contact=contact.strip(), recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=place,
            summary=gettext_noop("summer internship at %(employer)s, %(places)s places"),
            params={"employer": employer, "places": places},
        )
    return place


def service_enrol(
    *, actor: Any, case: ChildCase, service: Service, starts_on: dt.date,
    guardian_agreed_on: dt.date, ends_on: dt.date | None = None,
    summer_place: SummerPlace | None = None,
) -> ServiceEnrolment:  # fmt: skip
    """The case worker or the home gives the child a place in a service of the catalogue,
    with the guardian's agreement; a summer internship takes one of a workplace's places
    (never more than it has) and the workplace's dates."""
    if not access.links_volunteers(actor, case):
        raise PermissionDenied(_("Only the child's case worker and home can do this."))
    if service.category not in access.CHILD_SERVICE_CATEGORIES:
        raise ServiceError(Code.WRONG_SERVICE, _("Choose a service that children take part in."))
    _not_in_future(guardian_agreed_on, _("The guardian's agreement cannot be in the future."))
    if summer_place is not None:
        if summer_place.service_id != service.pk:
            raise ServiceError(Code.WRONG_SERVICE, _("The place belongs to another service."))
        starts_on, ends_on = summer_place.starts_on, summer_place.ends_on
        if age_on(case.person.birth_date, starts_on) < summer_place.min_age:
            raise ServiceError(
                Code.TOO_YOUNG,
                _("The workplace takes young people from the age of %(age)d.")
                % {"age": summer_place.min_age},
            )
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(Code.BAD_DATES, _("The place cannot end before it starts."))
    with transaction.atomic():
        case = _lock_case(case)
        if summer_place is not None:
            summer_place = SummerPlace.objects.select_for_update().get(pk=summer_place.pk)
            if summer_place.enrolments.filter(case=case).exists():
                raise ServiceError(
                    Code.DUPLICATE, _("The young person has a place at this workplace already.")
                )
            if summer_place.enrolments.count() >= summer_place.places:
                raise ServiceError(Code.FULL, _("Every place at this workplace is taken."))
        open_ones = case.enrolments.filter(service=service).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        if ends_on is not None:
            open_ones = open_ones.filter(starts_on__lte=ends_on)
        if summer_place is None and open_ones.exists():
            raise ServiceError(Code.DUPLICATE, _("The child already takes part in this service."))
        enrolment = ServiceEnrolment.objects.create(
            case=case, service=service, summer_place=summer_place, starts_on=starts_on,
            ends_on=ends_on, guardian_agreed_on=guardian_agreed_on, recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=enrolment,
            summary=gettext_noop("%(person)s takes part in %(service)s from %(from)s"),
            params={
                "person": case.person, "service": service.name_sv,
                "from": starts_on.isoformat(),
            },
        )  # fmt: skip
    return enrolment


def service_enrolment_end(
    *, actor: Any, enrolment: ServiceEnrolment, ends_on: dt.date
) -> ServiceEnrolment:
    """The child's place in the service ends (the child's case worker or home, or the
    service's organisation)."""
    if not (
        access.links_volunteers(actor, enrolment.case) or access.provides(actor, enrolment.service)
    ):
        raise PermissionDenied(_("Only the child's case worker, home or service can do this."))
    if ends_on < enrolment.starts_on:
        raise ServiceError(Code.BAD_DATES, _("The place cannot end before it starts."))
    with transaction.atomic():
        enrolment = ServiceEnrolment.objects.select_for_update().get(pk=enrolment.pk)
        enrolment.ends_on = ends_on
        enrolment.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=enrolment,
            summary=gettext_noop("place in a service ends on %(on)s"),
            params={"on": ends_on.isoformat()},
        )
    return enrolment


def session_record(
    *, actor: Any, enrolment: ServiceEnrolment, on: dt.date, note: str = ""
) -> Delivery:
    """A session of the service with the child, logged by the service's organisation as a
    delivery (its note is read only by that organisation when the service says so)."""
    if on < enrolment.starts_on or (enrolment.ends_on is not None and on > enrolment.ends_on):
        raise ServiceError(
            Code.BAD_DATES, _("The child did not take part in the service that day.")
        )
    person = enrolment.case.person
    return delivery_record(
        actor=actor, service=enrolment.service, household=person.household, person=person,
        on=on, note=note, confirm=True,
    )  # fmt: skip


# -- the implementation plan -------------------------------------------------------------------


def plan_goal_add(
    *, actor: Any, case: ChildCase, area: str, goal: str, follow_up_on: dt.date
) -> PlanGoal:
    """A goal of the child's implementation plan, by the case worker or the child's home."""
    if not access.writes_plan(actor, case):
        raise PermissionDenied(_("Only the case worker or the home of the child writes the plan."))
    _require_open(case)
    if area not in PlanArea.values:
        raise ServiceError(Code.BAD_DATES, _("Choose an area of the plan."))
    if not goal.strip():
        raise ServiceError(Code.BAD_DATES, _("Write the goal."))
    if follow_up_on < case.opened_on:
        raise ServiceError(Code.BAD_DATES, _("The follow-up cannot be before the case was opened."))
    with transaction.atomic():
        created = PlanGoal.objects.create(
            case=case, area=area, goal=goal.strip(), follow_up_on=follow_up_on,
            recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=created,
            summary=gettext_noop("plan goal (%(area)s) for %(person)s, followed up %(on)s"),
            params={
                "area": PlanArea(area), "person": case.person,
                "on": follow_up_on.isoformat(),
            },
        )  # fmt: skip
    return created


def plan_goal_follow_up(
    *, actor: Any, goal: PlanGoal, followed_up_on: dt.date, outcome: str
) -> PlanGoal:
    if not access.writes_plan(actor, goal.case):
        raise PermissionDenied(_("Only the case worker or the home of the child writes the plan."))
    _not_in_future(followed_up_on, _("A follow-up cannot be recorded in the future."))
    if followed_up_on < goal.case.opened_on:
        raise ServiceError(Code.BAD_DATES, _("The follow-up cannot be before the case was opened."))
    if not outcome.strip():
        raise ServiceError(Code.BAD_DATES, _("Write how it went."))
    with transaction.atomic():
        goal = PlanGoal.objects.select_for_update().get(pk=goal.pk)
        goal.followed_up_on, goal.outcome = followed_up_on, outcome.strip()
        goal.save(update_fields=["followed_up_on", "outcome", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=goal,
            summary=gettext_noop("plan goal followed up on %(on)s"),
            params={"on": followed_up_on.isoformat()},
        )
    return goal


# -- family reunification ----------------------------------------------------------------------

# What a step needs to have happened before it.
STEP_NEEDS = {
    ReunificationStep.GRANTED: ReunificationStep.APPLICATION_SUBMITTED,
    ReunificationStep.REFUSED: ReunificationStep.APPLICATION_SUBMITTED,
    ReunificationStep.APPEALED: ReunificationStep.REFUSED,
    ReunificationStep.FAMILY_ARRIVED: ReunificationStep.GRANTED,
}


OUTCOMES = (ReunificationStep.GRANTED, ReunificationStep.REFUSED)


def _decided_since_appeal(reunification: Reunification) -> bool:
    """An outcome is recorded, and no appeal after it."""
    steps = list(
        reunification.events.filter(step__in=(*OUTCOMES, ReunificationStep.APPEALED))
        .order_by("on", "id")
        .values_list("step", flat=True)
    )
    return bool(steps) and steps[-1] in OUTCOMES


def reunification_open(
    *, actor: Any, case: ChildCase, helped_by: Organisation, opened_on: dt.date
) -> Reunification:
    """The child's case worker or home opens the help with family reunification, with the
    partner organisation that helps; one open at a time per child."""
    if not access.links_volunteers(actor, case):
        raise PermissionDenied(_("Only the child's case worker and home can do this."))
    _not_in_future(opened_on, _("The date cannot be in the future."))
    with transaction.atomic():
        case = _lock_case(case)
        if case.reunifications.filter(closed_on__isnull=True).exists():
            raise ServiceError(
                Code.DUPLICATE, _("The child's family reunification is open already.")
            )
        reunification = Reunification.objects.create(
            case=case, helped_by=helped_by, opened_on=opened_on, opened_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=reunification,
            summary=gettext_noop("family reunification of %(person)s opened, helped by %(org)s"),
            params={"person": case.person, "org": helped_by.name},
        )
    return reunification


def _require_reunification_writer(actor: Any, reunification: Reunification) -> None:
    if not access.writes_reunification(actor, reunification):
        raise PermissionDenied(_("Only the child's case worker, home or helper can do this."))
    if reunification.closed_on is not None:
        raise ServiceError(Code.ENDED, _("The family reunification is closed."))


def relative_add(
    *, actor: Any, reunification: Reunification, name: str, relation: str,
    last_known_place: str = "",
) -> ReunificationRelative:  # fmt: skip
    _require_reunification_writer(actor, reunification)
    name = name.strip()
    if not name:
        raise ServiceError(Code.BAD_DATES, _("Give the relative's name."))
    if relation not in Relation.values:
        raise ServiceError(Code.BAD_DATES, _("Choose the relation."))
    with transaction.atomic():
        reunification = Reunification.objects.select_for_update().get(pk=reunification.pk)
        if reunification.closed_on is not None:
            raise ServiceError(Code.ENDED, _("The family reunification is closed."))
        relative = ReunificationRelative.objects.create(
            reunification=reunification, name=name, relation=relation,
            last_known_place=last_known_place.strip(),
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=relative,
            summary=gettext_noop("relative sought in the family reunification of %(person)s"),
            params={"person": reunification.case.person},
        )
    return relative


def reunification_step(
    *, actor: Any, reunification: Reunification, step: str, on: dt.date,
    relative: ReunificationRelative | None = None, reference: str = "", note: str = "",
) -> ReunificationEvent:  # fmt: skip
    """A dated step: the tracing request, a relative found, the application and its outcome,
    the family's arrival, or the close. Steps come in their order (an outcome after an
    application, an arrival after a grant); closing ends the reunification."""
    _require_reunification_writer(actor, reunification)
    if step not in ReunificationStep.values:
        raise ServiceError(Code.BAD_DATES, _("Choose the step."))
    _not_in_future(on, _("The date cannot be in the future."))
    if on < reunification.opened_on:
        raise ServiceError(
            Code.BAD_DATES, _("The date is before the family reunification was opened.")
        )
    if step == ReunificationStep.RELATIVE_FOUND and relative is None:
        raise ServiceError(Code.BAD_DATES, _("Choose the relative who was found."))
    if relative is not None and relative.reunification_id != reunification.pk:
        raise ServiceError(Code.BAD_DATES, _("Choose one of the relatives sought."))
    with transaction.atomic():
        reunification = Reunification.objects.select_for_update().get(pk=reunification.pk)
        if reunification.closed_on is not None:
            raise ServiceError(Code.ENDED, _("The family reunification is closed."))
        last = reunification.events.order_by("-on", "-id").first()
        if last is not None and on < last.on:
            raise ServiceError(
                Code.BAD_DATES,
                _("The latest step is from %(on)s: a step cannot be dated before it.")
                % {"on": last.on.isoformat()},
            )
        if step in OUTCOMES and _decided_since_appeal(reunification):
            raise ServiceError(
                Code.DUPLICATE,
                _("The application is decided already; record an appeal before a new outcome."),
            )
        needed = STEP_NEEDS.get(ReunificationStep(step))
        if needed is not None and not reunification.events.filter(step=needed, on__lte=on).exists():
            raise ServiceError(
                Code.BAD_DATES,
                _("Record “%(needed)s” first, on that day or before.") % {"needed": needed.label},
            )
        event = ReunificationEvent.objects.create(
            reunification=reunification, step=step, on=on, relative=relative,
            reference=reference.strip(), note=note.strip(), recorded_by=actor,
        )  # fmt: skip
        if step == ReunificationStep.CLOSED:
            reunification.closed_on = on
            reunification.save(update_fields=["closed_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=event,
            summary=gettext_noop("family reunification of %(person)s: %(step)s on %(on)s"),
            params={
                "person": reunification.case.person,
                "step": ReunificationStep(step), "on": on.isoformat(),
            },
        )  # fmt: skip
    return event
