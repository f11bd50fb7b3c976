"""Retention (issue 15, ADR 38): a household's case record is anonymised five years
(``RETENTION_YEARS``) after its last entry, unless the law or a hold keeps it.

- **The last entry** is the latest time anything about the household was written: the
  household, its persons, and every row of any app that points at either of them (found from
  the models, so a new app's records count without anyone listing them).
- **Kept**: a household under a legal hold; a household with an unaccompanied child, whose
  placement records the social services must keep.
- **Anonymised**: names, identity and case numbers, permit details and the day of birth
  (the year stays, for the figures) of each person; the household's reference, medical flag
  and anchor; and in every record pointing at them, the fields its model lists in
  ``retention_cleared`` (a referral's shared copy, a delivery's note, a job seeker's own
  words, a registration's number, a decision's reference). Counts, dates and places stay:
  the figures of past years do not change.
- The audit log is kept whole: it is append-only, and must be kept at least five years.

A dry run lists each decision and its reason; the real run is audited household by
household and reports its counts.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.models import AuditAction
from tillsammans.core.schedule import periodic

from .models import Household, Person, PersonNameKey

ANONYMISED_NAME = "Anonymiserad"


@cache
def pointing_at(target: type[models.Model]) -> tuple[tuple[type[models.Model], str], ...]:
    """Every model's foreign key (or one-to-one) to ``target``, hidden relations too
    (``related_name="+"``), as (model, field name). The models are fixed once Django has
    started: found once per process, not once per household anonymised or extract made."""
    return tuple(
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is target
        and (field.many_to_one or field.one_to_one)
    )


@cache
def records_about() -> tuple[tuple[type[models.Model], str, type[models.Model]], ...]:
    """Every model whose rows are about a household or a person, as (model, lookup, target):
    those pointing at either, and those pointing at such a record (a move-out's correction
    points at a stay, a follow-up at a job seeker): ``model.objects.filter(lookup__in=…)``
    finds a household's or its persons' rows."""
    found: list[tuple[type[models.Model], str, type[models.Model]]] = []
    for target in (Household, Person):
        for model, name in pointing_at(target):
            if model in (Household, Person):
                continue
            found.append((model, name, target))
            for further, via in pointing_at(model):
                if further not in (Household, Person):
                    found.append((further, f"{via}__{name}", target))
    return tuple(found)


def cutoff(today: dt.date) -> dt.datetime:
    """The moment before which a last entry is old enough to be anonymised."""
    years = settings.RETENTION_YEARS
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _stamp(model: type[models.Model]) -> str | None:
    """The field (or path) that says when a row was written."""
    if dated_by := getattr(model, "retention_dated_by", None):
        return str(dated_by)
    names = {f.name for f in model._meta.concrete_fields}
    return (
        "updated_at" if "updated_at" in names else ("created_at" if "created_at" in names else None)
    )


def undated_references() -> list[str]:
    """Models that point at a household or a person but have no time of writing: their rows
    cannot count as an entry (a test keeps this list empty)."""
    return sorted(
        f"{model._meta.label}.{lookup}"
        for model, lookup, _target in records_about()
        if _stamp(model) is None and model is not PersonNameKey
    )


def last_entries() -> dict[int, dt.datetime]:
    """Each household's last entry, by household id."""
    last: dict[int, dt.datetime] = dict(Household.objects.values_list("id", "updated_at"))

    def later(household: int | None, at: dt.datetime | None) -> None:
        if household is not None and at is not None and at > last.get(household, at):
            last[household] = at

    for household, at in Person.objects.values_list("household_id", "updated_at"):
        later(household, at)
    person_household = dict(Person.objects.values_list("id", "household_id"))
    for model, lookup, target in records_about():
        stamp = _stamp(model)
        if stamp is None:
            continue
        rows = (
            model._default_manager.values(lookup)
            .annotate(last=Max(stamp))
            .values_list(lookup, "last")
        )
        for pk, at in rows:
            later(pk if target is Household else person_household.get(pk), at)
    return last


@dataclass(frozen=True)
class Decision:
    household: Household
    last_entry: dt.datetime
    anonymise: bool
    reason: str

    @property
    def label(self) -> str:
        return self.household.reference


@dataclass
class Report:
    decisions: list[Decision] = field(default_factory=list)
    households: int = 0
    persons: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def kept(self) -> list[Decision]:
        return [d for d in self.decisions if not d.anonymise]

    noun = "households"

    def counted(self) -> str:
        return (
            f"{self.households} households and {self.persons} persons anonymised, "
            f"{len(self.kept)} kept"
        )


# The retention of records that are not case records (a host's: ``hosting.retention``), each
# a ``run(dry_run=, today=)`` registered by its app at start: the weekly job and the command
# run them after the households'.
MORE_RUNS: list[Callable[..., Any]] = []


def also_run(more: Callable[..., Any]) -> None:
    if more not in MORE_RUNS:
        MORE_RUNS.append(more)


def run_all(*, dry_run: bool, today: dt.date | None = None) -> list[Any]:
    """The households' run, then each registered one: their reports, in that order."""
    return [run(dry_run=dry_run, today=today)] + [
        more(dry_run=dry_run, today=today) for more in MORE_RUNS
    ]


def plan(today: dt.date | None = None) -> list[Decision]:
    """What retention would do now, household by household, with the reason."""
    before = cutoff(today or timezone.localdate())
    last = last_entries()
    due = [pk for pk, at in last.items() if at < before]
    households = Household.objects.filter(pk__in=due, anonymised_at=None).order_by("reference")
    # A case still open is kept however long since anything was written: a family living in
    # the same unit for five years, an allocation still pending.
    stay, allocation = (
        apps.get_model("reception", "Stay"),
        apps.get_model("reception", "Allocation"),
    )
    living = set(
        stay.objects.filter(household__in=households, ended_on__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    waiting = set(
        allocation.objects.filter(household__in=households, status="pending").values_list(
            "household_id", flat=True
        )
    )
    children = set(
        Person.objects.filter(household__in=households, child_case__isnull=False).values_list(
            "household_id", flat=True
        )
    )
    decisions = []
    for household in households:
        if household.legal_hold:
            reason = f"legal hold: {household.legal_hold_reason}".rstrip(": ")
            decisions.append(Decision(household, last[household.pk], False, reason))
        elif household.pk in living:
            reason = "the household still lives at a site"
            decisions.append(Decision(household, last[household.pk], False, reason))
        elif household.pk in waiting:
            reason = "an allocation of the household is still pending"
            decisions.append(Decision(household, last[household.pk], False, reason))
        elif household.unaccompanied or household.pk in children:
            reason = "placement records of a child are kept"
            decisions.append(Decision(household, last[household.pk], False, reason))
        else:
            reason = f"no entry for {settings.RETENTION_YEARS} years"
            decisions.append(Decision(household, last[household.pk], True, reason))
    return decisions


def run(*, dry_run: bool, today: dt.date | None = None) -> Report:
    """Anonymise what ``plan`` says (or only list it, for a dry run)."""
    report = Report(decisions=plan(today))
    if dry_run:
        return report
    for decision in report.decisions:
        if decision.anonymise and _anonymise(decision, report):
            report.households += 1
    audit_record(
        actor=None, action=AuditAction.UPDATE, object_type="people.retention",
        summary=gettext_noop(
            "retention run: %(households)s households and %(persons)s persons anonymised, "
            "%(kept)s kept"
        ),
        params={"households": report.households, "persons": report.persons,
                "kept": len(report.kept)},
    )  # fmt: skip
    return report


def _anonymise(decision: Decision, report: Report) -> bool:
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=decision.household.pk)
        if household.anonymised_at is not None or household.legal_hold:
            return False  # done meanwhile, or held since the plan was made
        persons = list(Person.objects.select_for_update().filter(household=household))
        for person in persons:
            _anonymise_person(person)
        PersonNameKey.objects.filter(person__in=persons).delete()
        household.reference = f"ANON-{household.public_id.hex[:12]}"
        household.medical_priority = False
        household.anchor_kind, household.anchor_district = "", ""
        household.legal_hold_reason = ""
        household.anonymised_at = timezone.now()
        household.save()
        for label, count in _clear_records(household, persons).items():
            report.rows[label] = report.rows.get(label, 0) + count
        report.persons += len(persons)
        audit_record(
            actor=None, action=AuditAction.UPDATE, obj=household,
            summary=gettext_noop(
                "anonymised by retention: last entry %(on)s, %(persons)s persons"
            ),
            params={"on": decision.last_entry.date().isoformat(), "persons": len(persons)},
        )  # fmt: skip
    return True


def _clear_records(household: Household, persons: list[Person]) -> dict[str, int]:
    """Clear, in every record about the household or its persons (``records_about``), the
    fields its model names in ``retention_cleared`` (a note, a reason, a reference, a shared
    copy): only values that are set, so that a rule such as "a registration has a number"
    still holds."""
    cleared: dict[str, int] = {}
    rows: dict[type[models.Model], list[int]] = {
        Household: [household.pk],
        Person: [p.pk for p in persons],
    }
    for model, lookup, target in records_about():
        fields = getattr(model, "retention_cleared", None)
        if not fields:
            continue
        mine = model._default_manager.filter(**{f"{lookup}__in": rows[target]})
        for column, value in fields.items():
            blank: Any = {} if isinstance(value, dict) else ""
            count = (
                mine.exclude(**{column: blank}).exclude(**{column: value}).update(**{column: value})
            )
            if count:
                label = f"{model._meta.label}.{column}"
                cleared[label] = cleared.get(label, 0) + count
    return cleared


def _anonymise_person(person: Person) -> None:
    person.first_name = person.last_name = ANONYMISED_NAME
    person.first_name_latin = person.last_name_latin = ""
    person.name_swedish = ""
    person.birth_date = dt.date(person.birth_date.year, 1, 1)
    person.migration_case_number = person.permit_card_number = ""
    person.permit_valid_from = person.permit_valid_until = None
    person.swedish_id_number = ""
    person.search_text = ""
    person.save()


@periodic("retention", every=dt.timedelta(days=7))
def weekly_retention() -> str:
    """The real run, weekly: what was due is anonymised, audited, and counted here."""
    return "; ".join(report.counted() for report in run_all(dry_run=False))
