"""Retention (issue 15): case records are anonymised five years after their last entry; a
legal hold and a child's placement records keep theirs; a dry run lists each decision and
its reason and changes nothing; the real run is audited, reports its counts, and a second
run finds nothing left to do."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.page_text import shown_text
from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.people import retention
from tillsammans.people.models import Household, Person


def _age(household: Household, years: float) -> None:
    """Make every row about ``household`` look written ``years`` ago."""
    at = timezone.now() - dt.timedelta(days=365.25 * years)
    persons = Person.objects.filter(household=household)
    Household.objects.filter(pk=household.pk).update(updated_at=at, created_at=at)
    persons.update(updated_at=at, created_at=at)
    for target, rows in (
        (Household, [household.pk]),
        (Person, list(persons.values_list("pk", flat=True))),
    ):
        for rel in target._meta.related_objects:
            stamp = retention._stamp(rel.related_model)
            if stamp is not None and rel.related_model is not Person:
                rel.related_model._default_manager.filter(**{f"{rel.field.name}__in": rows}).update(
                    **{stamp: at}
                )


def _household(reference: str, years: float, *, size: int = 2, **fields: object) -> Household:
    household = HouseholdFactory(reference=reference, **fields)
    for n in range(size):
        PersonFactory(
            household=household, first_name=f"Олена{n}", last_name="Коваленко",
            first_name_latin=f"Olena{n}", last_name_latin="Kovalenko",
            birth_date=dt.date(1980 + n, 7, 14), migration_case_number=f"22-10{n}",
            permit_card_number=f"UA{n}",
        )  # fmt: skip
    _age(household, years)
    return household


@pytest.fixture
def records(db):
    return {
        "old": _household("H-OLD", 6, size=2, medical_priority=True, anchor_kind="school",
                          anchor_district="Majorna-Linné"),
        "held": _household("H-HELD", 6, legal_hold=True, legal_hold_reason="Överklagat beslut"),
        "child": _household("H-CHILD", 7, size=1, unaccompanied=True),
        "recent": _household("H-RECENT", 4),
    }  # fmt: skip


def test_the_dry_run_lists_each_decision_with_its_reason_and_changes_nothing(records, capsys):
    # when
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    # then exactly the three old households are listed, each with its reason
    decisions = [(d.household.reference, d.anonymise, d.reason) for d in retention.plan()]
    assert decisions == [
        ("H-CHILD", False, "placement records of a child are kept"),
        ("H-HELD", False, "legal hold: Överklagat beslut"),
        ("H-OLD", True, "no entry for 5 years"),
    ]
    assert (
        "Dry run: 1 households would be anonymised, 2 kept; 0 hosts would be anonymised, 0 kept."
        " Nothing was changed."
    ) in out
    assert "H-OLD\t" in out and "H-RECENT" not in out
    assert Person.objects.filter(first_name=retention.ANONYMISED_NAME).count() == 0
    assert not AuditEvent.objects.filter(object_type="people.retention").exists()


def test_the_run_anonymises_exactly_the_old_household_and_audits_it(records, capsys):
    old = records["old"]
    # when
    call_command("retention")
    out = capsys.readouterr().out
    # then the old household's persons keep only their birth year and household
    old.refresh_from_db()
    persons = list(Person.objects.filter(household=old).order_by("birth_date"))
    assert [(p.first_name, p.last_name, p.first_name_latin, p.birth_date) for p in persons] == [
        ("Anonymiserad", "Anonymiserad", "", dt.date(1980, 1, 1)),
        ("Anonymiserad", "Anonymiserad", "", dt.date(1981, 1, 1)),
    ]
    assert all(p.migration_case_number == p.permit_card_number == "" for p in persons)
    assert not any(p.name_keys.exists() for p in persons)
    assert old.reference.startswith("ANON-") and old.anonymised_at is not None
    assert (old.medical_priority, old.anchor_kind, old.anchor_district) == (False, "", "")
    # and every other household is as it was
    for key in ("held", "child", "recent"):
        kept = Person.objects.filter(household=records[key])
        assert all(p.first_name.startswith("Олена") for p in kept)
    # and the run is audited: the household, and the run with its counts
    assert AuditEvent.objects.filter(object_id=str(old.public_id), actor=None).count() == 1
    run = AuditEvent.objects.get(object_type="people.retention")
    assert "1 households and 2 persons anonymised, 2 kept" in run.summary
    assert "1 households and 2 persons anonymised, 2 kept." in out
    # and a second run has nothing left to do
    again = retention.run(dry_run=False)
    assert (again.households, [d.household.reference for d in again.kept]) == (
        0, ["H-CHILD", "H-HELD"]
    )  # fmt: skip


def test_a_hold_set_after_the_plan_stops_the_anonymisation(records):
    # given the plan, then a coordinator's hold on the old household
    decisions = retention.plan()
    Household.objects.filter(pk=records["old"].pk).update(legal_hold=True)
    # when the anonymisation reaches it
    report = retention.Report(decisions=decisions)
    done = retention._anonymise(next(d for d in decisions if d.anonymise), report)
    # then nothing was changed
    assert done is False
    assert Person.objects.filter(household=records["old"], first_name="Anonymiserad").count() == 0


def test_every_record_about_a_household_or_person_has_a_time_it_was_written():
    # (otherwise a new record would not count as an entry, and an active case could go)
    assert retention.undated_references() == []


def test_a_coordinator_puts_a_record_on_hold_with_a_reason_and_retention_keeps_it(
    records, cast, client
):
    old = records["old"]
    client.force_login(cast.coordinator)
    url = reverse("household_hold", args=[old.public_id])
    # when the coordinator asks for a hold without a reason
    refused = client.post(url, {"legal_hold": "on", "reason": " "}, follow=True)
    # then it is refused, saying why
    assert "Säg varför uppgifterna behålls" in shown_text(refused)
    assert Household.objects.get(pk=old.pk).legal_hold is False
    # when they give one
    client.post(url, {"legal_hold": "on", "reason": "Överklagat beslut"})
    # then, six years on, retention keeps the record; the hold is audited with its reason
    _age(old, 6)
    assert [d.reason for d in retention.plan() if d.household.pk == old.pk] == [
        "legal hold: Överklagat beslut"
    ]
    assert AuditEvent.objects.filter(
        object_id=str(old.public_id), summary_template="legal hold set: %(reason)s"
    ).exists()


def test_a_household_still_living_at_a_site_is_kept_however_old_its_last_entry(records, cast):
    from tillsammans.reception.models import Stay

    # given the old household living in a unit since six years, never edited since
    Stay.objects.create(household=records["old"], unit=cast.unit_a, started_on=dt.date(2020, 1, 1))
    _age(records["old"], 6)
    # then retention keeps it, saying why
    assert [d.reason for d in retention.plan() if d.household.pk == records["old"].pk] == [
        "the household still lives at a site"
    ]


def test_the_run_clears_what_each_record_lists_and_keeps_the_rules_of_its_model(records, cast):
    from tillsammans.people.models import PathEvent, PathEventKind

    # given a registration on the old household's legal path, with its number and a note
    person = records["old"].persons.first()
    event = PathEvent.objects.create(
        person=person, kind=PathEventKind.REGISTERED, on=dt.date(2020, 5, 1),
        identity_number="198007149876", reference="MIG-1", note="Olena ringde", source="fil.xlsx",
        recorded_by=cast.coordinator,
    )  # fmt: skip
    _age(records["old"], 6)
    # when retention runs
    report = retention.run(dry_run=False)
    # then the number, the reference and the words are gone, and the registration still has
    # something in its number (its model requires one)
    event.refresh_from_db()
    assert (event.identity_number, event.reference, event.note, event.source) == (
        "ANONYMISERAD", "", "", ""
    )  # fmt: skip
    assert report.rows["people.PathEvent.identity_number"] == 1


def test_every_text_of_a_record_about_a_person_is_cleared_or_kept_on_purpose():
    """A new field of words about a household or a person (one or two records away) must be
    listed in its model's ``retention_cleared`` or, with a reason, ``retention_kept``:
    otherwise it would outlive the anonymisation unnoticed."""
    from django.db import models

    undecided = []
    for model, _lookup, _target in retention.records_about():
        if model is retention.PersonNameKey:
            continue  # deleted whole
        decided = {*getattr(model, "retention_cleared", {}), *getattr(model, "retention_kept", ())}
        for field in model._meta.concrete_fields:
            words = isinstance(field, models.CharField | models.TextField | models.JSONField)
            if words and not field.choices and field.name not in decided:
                undecided.append(f"{model._meta.label}.{field.name}")
    assert sorted(set(undecided)) == []


def test_a_record_two_steps_away_is_cleared_and_counts_as_an_entry(records, cast):
    from tillsammans.reception.models import MoveOutCorrection

    # given a move-out taken back on the old household's stay, with the reason in words
    stay = _stay(records["old"], cast)
    correction = MoveOutCorrection.objects.create(
        stay=stay, moved_out_on=dt.date(2020, 5, 1), exit_reason="moved",
        corrected_by=cast.coordinator, note="Olena flyttade inte, hon var på sjukhus",
    )  # fmt: skip
    _age(records["old"], 6)
    # when the correction was written lately, the household is not yet due
    MoveOutCorrection.objects.filter(pk=correction.pk).update(updated_at=timezone.now())
    assert records["old"].pk not in {d.household.pk for d in retention.plan() if d.anonymise}
    # when it too is old, retention anonymises the household and clears the words
    MoveOutCorrection.objects.filter(pk=correction.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=6 * 366)
    )
    report = retention.run(dry_run=False)
    correction.refresh_from_db()
    assert correction.note == "Anonymiserad"
    assert report.rows["reception.MoveOutCorrection.note"] == 1


def _stay(household: Household, cast) -> object:
    from tillsammans.reception.models import Stay

    return Stay.objects.create(
        household=household, unit=cast.unit_b, started_on=dt.date(2019, 1, 1),
        ended_on=dt.date(2020, 5, 1), exit_reason="own_housing",
    )  # fmt: skip


def test_the_audit_log_never_keeps_the_reference_an_anonymised_household_had(records, cast):
    from django.utils import translation

    from tillsammans.people.services import household_create
    from tillsammans.reception.models import Stay
    from tillsammans.reception.services import stay_end

    # given a household registered by the coordinator (its creation is audited) and the old
    # household moved out, both long ago
    registered = household_create(
        actor=cast.coordinator, reference="H-REGISTERED",
        persons=[{"first_name": "Іван", "last_name": "Мороз", "first_name_latin": "Ivan",
                  "last_name_latin": "Moroz", "birth_date": "1970-03-02"}],
    )  # fmt: skip

    # given the old household moved out by a coordinator, which the log records
    stay = Stay.objects.create(
        household=records["old"], unit=cast.unit_a, started_on=dt.date(2020, 1, 1)
    )
    stay_end(actor=cast.coordinator, stay=stay, on=dt.date(2020, 5, 1), reason="own_housing")
    moved = AuditEvent.objects.filter(summary_template__startswith="moved out").get()
    with translation.override("sv"):
        assert moved.described() == "flyttade ut H-OLD den 2020-05-01 (Eget boende)"
    _age(records["old"], 6)
    _age(registered, 6)
    # when retention anonymises them
    retention.run(dry_run=False)
    # then no event keeps "H-OLD" or "H-REGISTERED", and the move-out now reads with the
    # anonymous reference
    for event in AuditEvent.objects.all():
        kept = f"{event.summary} {event.summary_params} {event.object_id}"
        assert "H-OLD" not in kept and "H-REGISTERED" not in kept
    records["old"].refresh_from_db()
    with translation.override("sv"):
        assert AuditEvent.objects.get(pk=moved.pk).described() == (
            f"flyttade ut {records['old'].reference} den 2020-05-01 (Eget boende)"
        )
    assert records["old"].reference.startswith("ANON-")
