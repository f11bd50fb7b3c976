"""Importing legal path events from a spreadsheet (issue 14): all of them, or none with each
bad row told; every row checked as an event recorded by hand."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.models import AuditEvent
from tillsammans.people.models import PathEvent, Person
from tillsammans.people.path_imports import path_events_import

HEADER = "ärendenummer;händelse;datum;giltigt till;personnummer\n"


def _numbered(cast):
    adult, child = cast.household_a.persons.order_by("birth_date")
    Person.objects.filter(pk=adult.pk).update(migration_case_number="22-000001")
    Person.objects.filter(pk=child.pk).update(migration_case_number="22-000002")
    return adult, child


def _import(cast, text):
    return path_events_import(
        actor=cast.coordinator, file_name="beslut.csv", data=text.encode("utf-8")
    )


def test_it_records_every_event_of_the_file_each_row_seeing_the_rows_above_it(cast):
    # given two persons with case numbers
    adult, child = _numbered(cast)
    # when a file gives both a permit, the adult an extension applied for and then granted
    result = _import(
        cast,
        HEADER
        + "22-000001;uppehållstillstånd;2025-03-05;2026-03-04;\n"
        + "22-000002;Uppehållstillstånd;2025-03-05;2026-03-04;\n"
        + "22-000001;förlängning ansökt;2026-02-01;;\n"
        + "22-000001;förlängning beviljad;2026-03-01;2027-03-04;\n",
    )
    # then all four are recorded, from this file, and the persons follow their paths
    assert (result.errors, result.events, result.persons) == ([], 4, 2)
    assert PathEvent.objects.filter(source="beslut.csv").count() == 4
    adult.refresh_from_db()
    child.refresh_from_db()
    assert adult.permit_valid_until == dt.date(2027, 3, 4)
    assert child.path_ends_on == dt.date(2026, 3, 5)  # no extension applied for
    # and each is audited on its person
    assert AuditEvent.objects.filter(object_id=str(adult.public_id), action="create").count() >= 3


def test_it_records_nothing_when_a_row_is_refused_and_tells_each_row(cast):
    _numbered(cast)
    today = timezone.localdate()
    result = _import(
        cast,
        HEADER
        + "22-000001;uppehållstillstånd;2025-03-05;2026-03-04;\n"
        + "22-000009;uppehållstillstånd;2025-03-05;2026-03-04;\n"  # nobody has this number
        + "22-000002;förlängning beviljad;2026-03-01;2027-03-04;\n"  # granted, never applied
        + f"22-000001;folkbokförd;{today:%Y-%m-%d};;19850401-1234\n"  # fails its check
        + "22-000002;semester;2026-03-01;;\n",  # not an event
    )
    assert [error.line for error in result.errors] == [3, 4, 5, 6]
    messages = " ".join(error.message for error in result.errors)
    assert "22-000009" in messages and "semester" in messages
    assert not PathEvent.objects.exists()


def test_the_coordinator_imports_on_the_page_and_sees_the_errors(cast, client):
    _numbered(cast)
    client.force_login(cast.coordinator)
    page = client.get(reverse("path_lists")).text
    assert reverse("path_import") in page
    bad = SimpleUploadedFile("fel.csv", (HEADER + "22-000009;folkbokförd;2026-01-01;;\n").encode())
    response = client.post(reverse("path_import"), {"file": bad})
    assert response.status_code == 400 and "22-000009" in response.text
    good = SimpleUploadedFile(
        "ok.csv", (HEADER + "22-000001;uppehållstillstånd;2025-03-05;2026-03-04;\n").encode()
    )
    response = client.post(reverse("path_import"), {"file": good})
    assert response.status_code == 302 and PathEvent.objects.filter(source="ok.csv").exists()
    # and partner staff neither see the link nor reach the page
    client.force_login(cast.a_staff)
    assert reverse("path_import") not in client.get(reverse("path_lists")).text
    assert client.get(reverse("path_import")).status_code == 404
