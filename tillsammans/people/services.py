"""Writes for households and persons: check, change and audit in one transaction."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied
from tillsammans.core.models import AuditAction

from .models import Household, Person, PersonNameKey
from .search import name_keys, search_text

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


def prepare_person(person: Person) -> Person:
    person.search_text = search_text(person_names(person))
    return person


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
        created = Person.objects.bulk_create(
            prepare_person(Person(household=household, **data)) for data in persons
        )
        person_index(created)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=household,
            summary=gettext_noop("household %(reference)s, number of persons: %(persons)s"),
            params={"reference": reference, "persons": len(created)},
        )
    return household


def household_update(*, actor: Any, household: Household, **changes: Any) -> Household:
    _require_people_writer(actor)
    with transaction.atomic():
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


def person_update(*, actor: Any, person: Person, **changes: Any) -> Person:
    _require_people_writer(actor)
    with transaction.atomic():
        changed = []
        for field in PERSON_FIELDS:
            if field in changes and getattr(person, field) != changes[field]:
                setattr(person, field, changes[field])
                changed.append(field)
        if changed:
            prepare_person(person)
            person.full_clean(exclude=["household"])
            person.save()
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
        person = prepare_person(Person(household=household, **data))
        person.full_clean(exclude=["household"])
        person.save()
        person_index([person])
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=person, summary=gettext_noop("added person")
        )
    return person
