"""audit_views: one VIEW event per object a page shows, written in one statement."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillsammans.core.audit import audit_views
from tillsammans.core.models import AuditAction, AuditEvent


def test_it_records_one_view_per_object_in_one_insert(cast):
    # given
    persons = list(cast.household_a.persons.all())
    # when
    with CaptureQueriesContext(connection) as queries:
        audit_views(actor=cast.a_staff, objs=[cast.household_a, *persons], summary="a page")
    # then
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    events = AuditEvent.objects.filter(actor=cast.a_staff, action=AuditAction.VIEW)
    assert sorted(events.values_list("object_type", "object_id")) == sorted(
        [("people.household", str(cast.household_a.public_id))]
        + [("people.person", str(person.public_id)) for person in persons]
    )
    assert {event.organisation_name for event in events} == {cast.org_a.name}
    assert {event.summary for event in events} == {"a page"}


def test_it_records_an_object_shown_twice_on_a_page_once(cast):
    # given
    person = cast.household_a.persons.first()
    # when
    audit_views(actor=cast.a_staff, objs=[person, person], summary="a page")
    # then
    assert AuditEvent.objects.filter(object_id=str(person.public_id)).count() == 1


def test_it_records_nothing_for_a_page_that_shows_nobody(cast):
    # given
    before = AuditEvent.objects.count()
    # when
    with CaptureQueriesContext(connection) as queries:
        audit_views(actor=cast.a_staff, objs=[], summary="an empty list")
    # then
    assert AuditEvent.objects.count() == before
    assert not queries.captured_queries
