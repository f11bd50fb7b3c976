"""The person's rights (issue 15): the register extract, read back from its PDF with the
person's data and their audit trail, in Swedish and Ukrainian; requests for correction
recorded and handled; each in the disclosure journal or the audit log."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from tests.background import made_by_worker
from tests.page_text import shown_text
from tests.pdf import pdf_text, tagged_language, text_outside_pages
from tillsammans.core.models import AuditAction, AuditEvent, Disclosure
from tillsammans.privacy.models import CorrectionRequest, CorrectionStatus


def _extract(client, person, language: str) -> str:
    url = reverse("extract_start", args=[person.public_id])
    pdf = made_by_worker(client, url, {"language": language, "asked_on": "2022-11-03"})
    assert pdf["Content-Type"] == "application/pdf"
    assert tagged_language(pdf.content) == language  # read by a screen reader in its language
    # (the PDF's text reads back without the spaces between words: compared squeezed)
    return "".join(pdf_text(pdf.content).split())


def test_the_extract_holds_the_persons_data_and_who_read_it(cast, client):
    person = cast.household_a.persons.first()
    type(person).objects.filter(pk=person.pk).update(languages=["uk", "ru"])
    # given partner A's staff member who opened the household's page
    staff = Client()
    staff.force_login(cast.a_staff)
    page = staff.get(reverse("household_detail", args=[cast.household_a.public_id]))
    assert page.status_code == 200
    # when the coordinator makes the person's extract in Swedish
    client.force_login(cast.coordinator)
    text = _extract(client, person, "sv")
    # then it names the person, their records, and who read them and when
    assert "Registerutdrag" in text and person.first_name in text
    assert "Boendeperioder" in text and "SiteA—A1" in text  # the household's stays
    assert "ukrainska,ryska" in text and '["uk"' not in text  # languages by name
    assert cast.a_staff.email in text and "hushålletssida" in text
    # and no other member of the household by name
    for other in cast.household_a.persons.exclude(pk=person.pk):
        assert other.first_name not in text
    # and the extract is audited as an export and journaled as a disclosure to the person
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_id=str(person.public_id), actor=cast.coordinator
    ).exists()
    disclosure = Disclosure.objects.get()
    assert disclosure.persons == [str(person.public_id)]
    assert (disclosure.basis, disclosure.recipient_shown) == ("access", "personen själv")


def test_the_extract_in_ukrainian(cast, client):
    person = cast.household_a.persons.first()
    client.force_login(cast.coordinator)
    text = _extract(client, person, "uk")
    assert "Витягізреєстру" in text and person.first_name in text
    # and the job is named in the coordinator's language by the household, not the person
    from tillsammans.core.models import BackgroundJob

    assert BackgroundJob.objects.get().title == "Registerutdrag på ukrainska, för en person i H-A"


def test_a_request_for_correction_is_recorded_handled_and_audited(cast, client):
    person = cast.household_a.persons.first()
    client.force_login(cast.coordinator)
    # when the coordinator records a request, then its outcome
    client.post(
        reverse("correction_add", args=[person.public_id]),
        {"received_on": "2022-11-03", "request": "Mitt efternamn stavas Kovalenko."},
    )
    correction = CorrectionRequest.objects.get()
    early = client.post(
        reverse("correction_handle", args=[correction.public_id]),
        {"status": "corrected", "handled_on": "2022-11-01", "outcome": "Rättat."},
        follow=True,
    )
    client.post(
        reverse("correction_handle", args=[correction.public_id]),
        {"status": "corrected", "handled_on": "2022-11-07", "outcome": "Namnet rättat."},
    )
    # then a handling dated before the request was refused, the second kept
    assert "kan inte hanteras innan den togs emot" in shown_text(early)
    correction.refresh_from_db()
    assert (correction.status, correction.handled_on) == (
        CorrectionStatus.CORRECTED, dt.date(2022, 11, 7)
    )  # fmt: skip
    page = shown_text(client.get(reverse("person_rights", args=[person.public_id])))
    assert "Mitt efternamn stavas Kovalenko." in page and "Namnet rättat." in page
    assert AuditEvent.objects.filter(
        object_id=str(person.public_id), action=AuditAction.UPDATE
    ).exists()


def test_the_extract_holds_records_two_steps_away_and_who_changed_them(cast, client):
    from tillsammans.core.audit import audit_record
    from tillsammans.reception.models import MoveOutCorrection, Stay

    person = cast.household_a.persons.first()
    # given a move-out of the household taken back, with its reason, and the correction audited
    stay = Stay.objects.filter(household=cast.household_a).first()
    correction = MoveOutCorrection.objects.create(
        stay=stay, moved_out_on=dt.date(2022, 9, 1), exit_reason="own_housing",
        corrected_by=cast.coordinator, note="Flyttade aldrig ut",
    )  # fmt: skip
    audit_record(
        actor=cast.a_staff, action=AuditAction.UPDATE, obj=correction,
        summary="move-out taken back",
    )  # fmt: skip
    client.force_login(cast.coordinator)
    text = _extract(client, person, "sv")
    # then the correction and its reason are in the extract, and so is who made it
    assert "Flyttadealdrigut" in text and "Rättelseravutflyttning" in text.replace("-", "")
    assert text.count(cast.a_staff.email) >= 1


def test_a_record_of_many_fields_is_shown_whole_within_the_page(cast, client):
    from tillsammans.jobs.services import programme_start
    from tillsammans.jobs.tests.conftest import enrol, resident

    # given a job seeker, whose record has more fields than a page has room for as columns
    programme_start(actor=cast.coordinator, organisation=cast.org_a, name="Jobbstart")
    person = resident(cast)
    enrol(cast, person=person, education_note="Lärarutbildning i Charkiv")
    client.force_login(cast.coordinator)
    # when the coordinator makes the person's extract
    url = reverse("extract_start", args=[person.public_id])
    pdf = made_by_worker(client, url, {"language": "sv", "asked_on": "2022-11-03"}).content
    # then the record is shown as a list of its fields, every one of them on the page
    text = "".join(pdf_text(pdf).split())
    assert "Post1av1" in text and "LärarutbildningiCharkiv" in text
    assert "Önskatyrke" in text and "Wanted" not in text
    assert text_outside_pages(pdf) == []


def test_a_refused_extract_says_which_field_is_missing(cast, client):
    from tests.page_text import shown_text

    person = cast.household_a.persons.first()
    client.force_login(cast.coordinator)
    # when the coordinator asks for an extract without the day it was asked for
    response = client.post(
        reverse("extract_start", args=[person.public_id]), {"language": "sv"}, follow=True
    )
    # then the message, shown away from the form, names the field it is about
    assert "Personen begärde det den: Detta fält måste fyllas i" in shown_text(response)
