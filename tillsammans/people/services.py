"""Writes for households and persons: check, change and audit in one transaction."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.identity import is_coordination_number, normalise_swedish_id
from tillsammans.core.models import AuditAction
from tillsammans.core.versions import refuse_stale

from .error_codes import PeopleErrorCode as Code
from .models import (
    NUMBER_CONSTRAINT,
    PERMIT_KINDS,
    Household,
    PathEvent,
    PathEventKind,
    Person,
    PersonNameKey,
)
from .path import Path, path_of
from .search import name_keys, search_text
from .selectors import number_holder, number_taken_message, numbers_taken

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "first_name_latin",
    "last_name_latin",
    "name_swedish",
    "birth_date",
    "sex",
    "languages",
    "migration_case_number",
    "permit_card_number",
    "permit_valid_from",
    "permit_valid_until",
    "swedish_id_number",
)
HOUSEHOLD_FIELDS = ("needs_accessible", "has_pets", "medical_priority", "anchor_kind",
                    "anchor_district", "unaccompanied")  # fmt: skip


def person_names(person: Person) -> list[str]:
    return [
        person.first_name,
        person.last_name,
        person.first_name_latin,
        person.last_name_latin,
        person.name_swedish,
    ]


def person_index(persons: list[Person]) -> None:
    """Rebuild the search keys of these persons (their rows must exist)."""
    PersonNameKey.objects.filter(person__in=persons).delete()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=person, key=key)
        for person in persons
        for key in sorted(name_keys(person_names(person)))
    )


def _own(data: dict[str, Any]) -> dict[str, Any]:
    """A person's own fields among a form's data (which also carries its version)."""
    return {name: value for name, value in data.items() if name in PERSON_FIELDS}


def prepare_person(person: Person) -> Person:
    person.search_text = search_text(person_names(person))
    return person


def _refuse_taken_numbers(persons: list[Person]) -> None:
    """One person per Swedish identity number (the constraint ``person_swedish_id_unique``):
    refused as an error of the number's field, among the given persons and against the rest."""
    numbers = [person.swedish_id_number for person in persons if person.swedish_id_number]
    if len(set(numbers)) < len(numbers):
        raise ValidationError(
            {"swedish_id_number": _("Two persons cannot have the same Swedish identity number.")}
        )
    if numbers_taken(numbers, besides=[person.pk for person in persons if person.pk]):
        raise ValidationError({"swedish_id_number": number_taken_message()})


def _save_numbered(save: Any) -> None:
    """Run a write that stores a Swedish identity number; a number taken meanwhile by a
    concurrent request (the unique constraint's refusal) becomes the same message as above.
    The database's error is not chained: its detail holds the number, which must not reach a
    log."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as error:
        if not _number_clash(error):
            raise
        raise ValidationError({"swedish_id_number": number_taken_message()}) from None


def _number_clash(error: IntegrityError) -> bool:
    """Whether ``error`` is the refusal of ``person_swedish_id_unique``: PostgreSQL names the
    constraint, SQLite the column of its unique index."""
    diagnostics = getattr(error.__cause__, "diag", None)
    if diagnostics is not None:
        return bool(diagnostics.constraint_name == NUMBER_CONSTRAINT)
    return "people_person.swedish_id_number" in str(error)


def audit_number_refused(actor: Any, holder: Person | None) -> None:
    """A number refused as another person's tells the user that person exists: a read of the
    holder, audited as one (without the number), so that trying numbers shows in the log."""
    if holder is not None:
        audit_record(
            actor=actor, action=AuditAction.VIEW, obj=holder,
            summary=gettext_noop("identity number typed for another person, refused"),
        )  # fmt: skip


class NumberTaken(ServiceError):
    """A Swedish identity number another person holds; ``holder`` is audited as read."""

    def __init__(self, holder: Person) -> None:
        super().__init__(Code.NUMBER_TAKEN, number_taken_message())
        self.holder = holder


def _require_people_writer(actor: Any) -> None:
    if not access.sees_people(actor):
        raise PermissionDenied(_("You cannot change personal data."))


def household_create(
    *, actor: Any, reference: str, persons: list[dict[str, Any]],
    skip_permission_checks: bool = False, **needs: Any,
) -> Household:  # fmt: skip
    """Create a household with its persons (the coordinator registers arrivals; a service
    that has checked the actor itself passes ``skip_permission_checks``)."""
    if not skip_permission_checks and not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can register a household."))
    with transaction.atomic():
        household = Household.objects.create(
            reference=reference, **{k: v for k, v in needs.items() if k in HOUSEHOLD_FIELDS}
        )
        members = [prepare_person(Person(household=household, **_own(data))) for data in persons]
        _refuse_taken_numbers(members)
        created: list[Person] = []
        _save_numbered(lambda: created.extend(Person.objects.bulk_create(members)))
        person_index(created)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=household,
            summary=gettext_noop("household %(reference)s, number of persons: %(persons)s"),
            params={"reference": household, "persons": len(created)},  # read by its reference
        )
    return household


def household_update(
    *, actor: Any, household: Household, version: str | None = None, **changes: Any
) -> Household:
    """Change a household's needs; ``version`` is the one the form was filled from (a save of
    an older one is refused: ``core.versions``)."""
    _require_people_writer(actor)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        refuse_stale(household, version)
        changed = []
        for field in HOUSEHOLD_FIELDS:
            if field in changes and getattr(household, field) != changes[field]:
                setattr(household, field, changes[field])
                changed.append(field)
        if changed:
            household.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=household,
                summary=gettext_noop("changed %(fields)s"),
                params={"fields": field_names(Household, changed)},
            )
    return household


def person_update(
    *, actor: Any, person: Person, version: str | None = None, **changes: Any
) -> Person:
    """Change a person's own data; ``version`` as for ``household_update``."""
    _require_people_writer(actor)
    with transaction.atomic():
        person = _lock_person(person)
        refuse_stale(person, version)
        changed = []
        for field in PERSON_FIELDS:
            if field in changes and getattr(person, field) != changes[field]:
                setattr(person, field, changes[field])
                changed.append(field)
        if changed:
            prepare_person(person)
            _refuse_taken_numbers([person])
            # The number was checked just above with its own message; the constraint's own
            # check would only repeat it, less clearly, should a writer come in between.
            person.full_clean(exclude=["household"], validate_constraints=False)
            # Only what changed: the path's fields are the path services' (a path event
            # recorded meanwhile must not be overwritten by this request's old copy).
            _save_numbered(
                lambda: person.save(update_fields=[*changed, "search_text", "updated_at"])
            )
            person_index([person])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=person,
                # Field names only: the audit log must not become a copy of the data.
                summary=gettext_noop("changed %(fields)s"),
                params={"fields": field_names(Person, changed)},
            )
    return person


def person_add(*, actor: Any, household: Household, data: dict[str, Any]) -> Person:
    _require_people_writer(actor)
    with transaction.atomic():
        person = prepare_person(Person(household=household, **_own(data)))
        _refuse_taken_numbers([person])
        person.full_clean(exclude=["household"], validate_constraints=False)
        _save_numbered(person.save)
        person_index([person])
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=person, summary=gettext_noop("added person")
        )
    return person


# -- the legal path (ADR 30) -------------------------------------------------------------------

LISTED_PERMIT = "allocation list"  # the source of a permit taken over from the allocation list


def path_for(person: Person, events: list[PathEvent] | None = None) -> Path:
    """The person's path from their standing events (read here unless given). The
    allocation list's permit counts only for a person of whom nothing has been recorded: from
    the first event on, it is an event itself (``_listed_permit_as_event``)."""
    if events is None:
        events = list(person.path_events.standing())
    if person.path_events.exists():
        return path_of(events)
    return path_of(events, listed_permit=(person.permit_valid_from, person.permit_valid_until))


def _check_event(
    person: Person, standing: list[PathEvent], event: PathEvent, listed: bool = True
) -> None:
    """Refuse an event that cannot be true of the person's path as it stands (``standing``
    without the event it corrects); normalises a registration's number in place."""
    today = timezone.localdate()
    kind = event.kind
    if event.on > today:
        raise ServiceError(Code.FUTURE, _("The date cannot be in the future."))
    if event.on < person.birth_date:
        raise ServiceError(Code.BAD_DATES, _("The date is before the person was born."))
    if kind in PERMIT_KINDS:
        if event.valid_until is None:
            raise ServiceError(Code.BAD_DATES, _("Give the day the permit is valid until."))
        if event.valid_until < event.on:
            raise ServiceError(
                Code.BAD_DATES, _("The permit cannot be valid until a day before the decision.")
            )
    elif event.valid_until is not None:
        raise ServiceError(Code.BAD_DATES, _("Only a permit or an extension has a last day."))
    if kind != PathEventKind.REGISTERED and event.identity_number:
        raise ServiceError(
            Code.BAD_NUMBER, _("Only a registration gives a personal identity number.")
        )
    if kind == PathEventKind.NEVER_ARRIVED and person.household.stays.exists():
        raise ServiceError(
            Code.BAD_DATES, _("The household has lived in the reception's places; it did arrive.")
        )
    if any(e.kind == kind and e.on == event.on for e in standing):
        raise ServiceError(Code.DUPLICATE, _("This event is recorded for that day already."))
    path = path_for(person, standing) if listed else path_of(standing)
    if kind == PathEventKind.EXTENSION_APPLIED and not any(
        start <= event.on for start, _end in path.permits
    ):
        raise ServiceError(
            Code.NO_PERMIT, _("An extension can be applied for only after a permit was granted.")
        )
    if kind == PathEventKind.EXTENSION_GRANTED and not _applied_before(path, event):
        raise ServiceError(
            Code.NOT_APPLIED,
            _(
                "An extension cannot be granted before it was applied for: record the "
                "application first."
            ),
        )
    if kind == PathEventKind.REGISTERED:
        _check_registration(person, path, event, today)


def _applied_before(path: Path, event: PathEvent) -> bool:
    """An application for this extension: on or before its decision, and after the decision
    on the permit it extends (last year's application was for last year's permit)."""
    assert event.valid_until is not None
    earlier = [end for end in path.decided if end < event.valid_until]
    since = path.decided[max(earlier)] if earlier else dt.date.min
    return any(since <= applied <= event.on for applied in path.applications)


def _check_standing(person: Person, events: list[PathEvent]) -> None:
    """Each event still true of the path before it, once one is corrected or withdrawn."""
    ordered = sorted(events, key=lambda e: (e.on, e.pk or 0))
    try:
        for index, event in enumerate(ordered):
            _check_event(person, ordered[:index], event, listed=False)
    except ServiceError as error:
        raise ServiceError(
            Code.DEPENDS,
            _("Other events rest on this one (%(problem)s): correct or withdraw them first.")
            % {"problem": error.message},
        ) from error


def _check_registration(person: Person, path: Path, event: PathEvent, today: dt.date) -> None:
    if path.registered_on is not None:
        raise ServiceError(
            Code.DUPLICATE,
            _("The person is registered already, since %(date)s.")
            % {"date": f"{path.registered_on:%Y-%m-%d}"},
        )
    if not path.permits or event.on < path.permits[0][0]:
        raise ServiceError(
            Code.NO_PERMIT, _("A person can be registered only after their permit was granted.")
        )
    try:
        number = normalise_swedish_id(event.identity_number, today)
    except ValidationError as error:
        raise ServiceError(Code.BAD_NUMBER, error.messages[0]) from error
    if is_coordination_number(number):
        raise ServiceError(
            Code.BAD_NUMBER,
            _("That is a coordination number; registration gives a personal identity number."),
        )
    holder = number_holder(number, besides=person.pk)
    if holder is not None:
        raise NumberTaken(holder)
    event.identity_number = number


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _listed_permit_as_event(actor: Any, person: Person, standing: list[PathEvent]) -> None:
    """The first time a path is recorded, the permit of the allocation list becomes its
    first event, so that the path reads from events alone from then on."""
    if person.path_events.exists() or not (person.permit_valid_from and person.permit_valid_until):
        return
    standing.append(
        PathEvent.objects.create(
            person=person,
            kind=PathEventKind.PERMIT_GRANTED,
            on=person.permit_valid_from,
            valid_until=person.permit_valid_until,
            recorded_by=actor,
            source=LISTED_PERMIT,
        )
    )


def _follow(person: Person, standing: list[PathEvent]) -> None:
    """Keep the person's own fields as the path says: the permit in force and, once
    registered, the personal identity number."""
    path = path_of(standing)
    changed = []
    first, last = (path.first_permit_on, path.permits[-1][1]) if path.permits else (None, None)
    if (person.permit_valid_from, person.permit_valid_until) != (first, last):
        person.permit_valid_from, person.permit_valid_until = first, last
        changed += ["permit_valid_from", "permit_valid_until"]
    registration = next((e for e in standing if e.kind == PathEventKind.REGISTERED), None)
    if registration is not None and person.swedish_id_number != registration.identity_number:
        person.swedish_id_number = registration.identity_number
        changed.append("swedish_id_number")
    elif (
        registration is None
        and person.path_events.filter(
            kind=PathEventKind.REGISTERED, identity_number=person.swedish_id_number
        )
        .exclude(identity_number="")
        .exists()
    ):
        person.swedish_id_number = ""  # the registration that gave it was withdrawn
        changed.append("swedish_id_number")
    summary = _path_summary(path, True)  # an event was just written: the path is the events'

    if (person.on_path, person.path_ends_on, person.path_ends_because) != summary:
        person.on_path, person.path_ends_on, person.path_ends_because = summary
        changed += ["on_path", "path_ends_on", "path_ends_because"]
    if changed:
        try:
            _save_numbered(lambda: person.save(update_fields=[*changed, "updated_at"]))
        except ValidationError:
            raise ServiceError(Code.NUMBER_TAKEN, number_taken_message()) from None


def _path_summary(path: Any, on_path: bool) -> tuple[bool, dt.date | None, str]:
    if not on_path:
        return False, None, ""
    return True, path.reception_ends_on, path.ends_because


def refresh_path_summaries(person_ids: Iterable[int]) -> int:
    """Work out again what the path says of the reception for these persons, after events
    were written in bulk (the demo, a benchmark); returns how many changed."""
    ids = sorted(set(person_ids))
    changed: list[Person] = []
    for index in range(0, len(ids), 2000):
        chunk = ids[index : index + 2000]
        events: dict[int, list[PathEvent]] = {pk: [] for pk in chunk}
        recorded = set(
            PathEvent.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
        )
        for event in PathEvent.objects.standing().filter(person_id__in=chunk):
            events[event.person_id].append(event)
        for person in Person.objects.filter(pk__in=chunk).only(
            "on_path", "path_ends_on", "path_ends_because"
        ):
            summary = _path_summary(path_of(events[person.pk]), person.pk in recorded)
            if (person.on_path, person.path_ends_on, person.path_ends_because) != summary:
                person.on_path, person.path_ends_on, person.path_ends_because = summary
                changed.append(person)
    Person.objects.bulk_update(
        changed, ["on_path", "path_ends_on", "path_ends_because"], batch_size=2000
    )
    return len(changed)


def path_event_record(
    *, actor: Any, person: Person, kind: str, on: dt.date, valid_until: dt.date | None = None,
    identity_number: str = "", reference: str = "", note: str = "", source: str = "",
) -> PathEvent:  # fmt: skip
    """Record an event of the person's legal path (who may see the person's household may
    record it, as for the person's other data)."""
    _require_people_writer(actor)
    try:
        with transaction.atomic():
            person = _lock_person(person)
            standing = list(person.path_events.standing())
            event = PathEvent(
                person=person, kind=kind, on=on, valid_until=valid_until,
                identity_number=(identity_number or "").strip(), reference=reference.strip(),
                note=note.strip(), recorded_by=actor, source=source,
            )  # fmt: skip
            _check_event(person, standing, event)
            _listed_permit_as_event(actor, person, standing)
            event.save()
            _follow(person, [*standing, event])
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=person,
                summary=gettext_noop("legal path: %(event)s on %(date)s recorded"),
                params={"event": PathEventKind(kind), "date": f"{on:%Y-%m-%d}"},
            )
    except NumberTaken as refused:
        audit_number_refused(actor, refused.holder)
        raise
    return event


def path_event_correct(
    *, actor: Any, event: PathEvent, withdraw: bool = False, on: dt.date | None = None,
    valid_until: dt.date | None = None, identity_number: str = "", reference: str = "",
    note: str = "",
) -> PathEvent:  # fmt: skip
    """Correct an event: a new event replaces it (the old one stays, marked corrected), or
    withdraws it when it was recorded in error. Nothing is edited."""
    _require_people_writer(actor)
    try:
        with transaction.atomic():
            person = _lock_person(event.person)
            event = PathEvent.objects.select_for_update().get(pk=event.pk)
            if PathEvent.objects.filter(corrects=event).exists() or event.withdrawn:
                raise ServiceError(
                    Code.ALREADY_CORRECTED,
                    _("This event was corrected already; correct the latest."),
                )
            standing = [e for e in person.path_events.standing() if e.pk != event.pk]
            correction = PathEvent(
                person=person, kind=event.kind, on=event.on if withdraw or on is None else on,
                valid_until=None if withdraw else valid_until,
                identity_number="" if withdraw else (identity_number or "").strip(),
                reference=reference.strip(), note=note.strip(), corrects=event, withdrawn=withdraw,
                recorded_by=actor,
            )  # fmt: skip
            if not withdraw:
                _check_event(person, standing, correction, listed=False)
            elif not note.strip():
                raise ServiceError(Code.NO_REASON, _("Say why the event was recorded in error."))
            _check_standing(person, standing if withdraw else [*standing, correction])
            correction.save()
            _follow(person, standing if withdraw else [*standing, correction])
            audit_record(
                actor=actor,
                action=AuditAction.CORRECT,
                obj=person,
                summary=gettext_noop("legal path: %(event)s of %(date)s withdrawn")
                if withdraw
                else gettext_noop("legal path: %(event)s of %(date)s corrected"),
                params={"event": PathEventKind(event.kind), "date": f"{event.on:%Y-%m-%d}"},
            )
    except NumberTaken as refused:
        audit_number_refused(actor, refused.holder)
        raise
    return correction


def household_legal_hold(*, actor: Any, household: Household, hold: bool, reason: str) -> Household:
    """Set or lift a legal hold (a coordinator's decision), audited with its reason."""
    if not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can put a record on hold."))
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.anonymised_at is not None:
            raise ServiceError(
                "anonymised", _("This record was anonymised: there is nothing left to hold.")
            )
        locked.legal_hold = hold
        locked.legal_hold_reason = reason.strip() if hold else ""
        locked.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked,
            summary=gettext_noop("legal hold set: %(reason)s")
            if hold
            else gettext_noop("legal hold lifted"),
            params={"reason": locked.legal_hold_reason} if hold else None,
        )  # fmt: skip
    return locked
