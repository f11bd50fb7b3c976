"""audit_records: one event per object of a write that makes many, in one statement."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_records
from tillsammans.core.models import AuditAction, AuditEvent


def test_it_records_one_event_per_object_with_its_own_values_in_one_insert(cast):
    # given
    persons = list(cast.household_a.persons.order_by("first_name_latin"))
    # when
    with CaptureQueriesContext(connection) as queries:
        count = audit_records(
            actor=cast.a_staff,
            action=AuditAction.UPDATE,
            objs=persons,
            summary=gettext_noop("Allocation %(ref)s"),
            params=lambda person: {"ref": person.first_name_latin},
        )
    # then
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert (count, len(inserts)) == (2, 1)
    events = AuditEvent.objects.filter(actor=cast.a_staff, action=AuditAction.UPDATE)
    assert sorted(events.values_list("object_type", "object_id", "summary")) == sorted(
        ("people.person", str(person.public_id), f"Allocation {person.first_name_latin}")
        for person in persons
    )
    assert {event.organisation_name for event in events} == {cast.org_a.name}
    with translation.override("sv"):
        read = sorted(event.described() for event in events)
    assert read == ["Anvisning Mariia", "Anvisning Olena"]


def test_it_gives_every_object_the_same_values_when_they_are_shared(cast):
    # given
    persons = list(cast.household_a.persons.all())
    # when
    audit_records(
        actor=cast.coordinator,
        action=AuditAction.CREATE,
        objs=persons,
        summary=gettext_noop("Allocation %(ref)s"),
        params={"ref": "A-17"},
    )
    # then
    events = AuditEvent.objects.filter(actor=cast.coordinator, action=AuditAction.CREATE)
    summaries = events.filter(object_type="people.person").values_list("summary", flat=True)
    assert list(summaries) == ["Allocation A-17"] * 2


def test_it_records_nothing_for_no_objects(cast):
    # given
    before = AuditEvent.objects.count()
    # when
    with CaptureQueriesContext(connection) as queries:
        count = audit_records(actor=cast.a_staff, action=AuditAction.CREATE, objs=[])
    # then
    assert (count, AuditEvent.objects.count()) == (0, before)
    assert not queries.captured_queries
