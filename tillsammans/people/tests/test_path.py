"""A person's legal path (ADR 30): events that are never edited, the path computed from them,
and the bad input that must write nothing."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.people.models import PathEvent, PathEventKind
from tillsammans.people.path import path_of
from tillsammans.people.services import path_event_correct, path_event_record

D = dt.date
TODAY = timezone.localdate()


@dataclass
class E:
    kind: str
    on: dt.date
    valid_until: dt.date | None = None


# -- the path, computed -----------------------------------------------------------------------


def test_it_ends_the_reception_the_day_after_a_permit_ran_out_with_no_extension_applied_for():
    # given a permit to 4 March 2026 and no application
    path = path_of([E("permit_granted", D(2025, 3, 5), D(2026, 3, 4))])
    # then the city is responsible up to and including 4 March, not from the 5th
    assert path.lapsed_on == D(2026, 3, 5)
    assert path.reception_ends_on == D(2026, 3, 5)
    assert path.in_reception_on(D(2026, 3, 4)) and not path.in_reception_on(D(2026, 3, 5))


def test_it_keeps_the_reception_while_an_extension_applied_for_in_time_is_decided():
    # given a permit to 4 March, an extension applied for on 4 March and granted in April
    permit = E("permit_granted", D(2025, 3, 5), D(2026, 3, 4))
    applied = E("extension_applied", D(2026, 3, 4))
    granted = E("extension_granted", D(2026, 4, 20), D(2027, 3, 4))
    # then, before the decision and after it, nothing lapses; the permits join up
    assert path_of([permit, applied]).lapsed_on is None
    path = path_of([granted, applied, permit])
    assert path.in_reception_on(D(2026, 4, 1))
    assert path.permits == [(D(2025, 3, 5), D(2027, 3, 4))]
    assert path.permit_on(D(2026, 4, 1)) == (D(2025, 3, 5), D(2027, 3, 4))
    # and the application of 2026 was for the permit of 2026: the new one runs out on
    # 4 March 2027 unless its own extension is applied for after the decision
    assert path.lapsed_on == D(2027, 3, 5)
    assert (
        path_of([granted, applied, permit, E("extension_applied", D(2027, 2, 1))]).lapsed_on is None
    )


def test_it_does_not_count_last_years_application_for_this_years_permit():
    # given extensions applied for and granted in 2024 and 2025, none applied for in 2026
    events = [
        E("permit_granted", D(2023, 3, 5), D(2024, 3, 4)),
        E("extension_applied", D(2024, 2, 1)),
        E("extension_granted", D(2024, 2, 20), D(2025, 3, 4)),
        E("extension_applied", D(2025, 2, 1)),
        E("extension_granted", D(2025, 2, 20), D(2026, 3, 4)),
    ]
    # then the permit ran out on 4 March 2026
    assert path_of(events).lapsed_on == D(2026, 3, 5)


def test_it_lapses_a_permit_whose_extension_was_applied_for_too_late():
    # given the application a day after the permit's end
    path = path_of(
        [E("permit_granted", D(2025, 3, 5), D(2026, 3, 4)), E("extension_applied", D(2026, 3, 5))]
    )
    # then
    assert path.lapsed_on == D(2026, 3, 5)


def test_it_opens_registration_a_year_after_the_first_permit_but_not_before_november_2024():
    # given a permit of March 2022 and one of June 2024
    early = path_of([E("permit_granted", D(2022, 3, 15), D(2027, 3, 4))])
    late = path_of([E("permit_granted", D(2024, 6, 10), D(2027, 3, 4))])
    # then the first could register from 1 November 2024, the second a year after its permit,
    # each to notify the tax agency within four weeks
    assert early.eligible_from == D(2024, 11, 1)
    assert early.registration_due_by == D(2024, 11, 29)
    assert late.eligible_from == D(2025, 6, 10)


def test_it_ends_the_reception_on_the_day_of_registration():
    # given a registration on the 12th
    path = path_of(
        [E("permit_granted", D(2023, 5, 1), D(2027, 3, 4)), E("registered", D(2026, 2, 12))]
    )
    # then the 11th is the last day in the reception, and no registration is due any more
    assert path.reception_ends_on == D(2026, 2, 12)
    assert path.eligible_from is None


def test_it_reads_the_permit_of_the_allocation_list_until_a_decision_is_recorded():
    # given no events, the allocation list's permit
    path = path_of([], listed_permit=(D(2025, 3, 5), D(2026, 3, 4)))
    # then
    assert path.permits == [(D(2025, 3, 5), D(2026, 3, 4))]
    assert path.first_permit_on == D(2025, 3, 5)


# -- recording, with bad input refused ----------------------------------------------------------


@pytest.fixture
def resident(cast):
    person = cast.household_a.persons.order_by("id").first()
    person.permit_valid_from, person.permit_valid_until = TODAY - dt.timedelta(days=400), None
    person.save()
    return person


def _permit(cast, person, days_ago=400, valid_days=300):
    return path_event_record(
        actor=cast.coordinator, person=person, kind=PathEventKind.PERMIT_GRANTED,
        on=TODAY - dt.timedelta(days=days_ago),
        valid_until=TODAY + dt.timedelta(days=valid_days),
    )  # fmt: skip


def test_it_refuses_an_extension_granted_before_it_was_applied_for(cast, resident):
    # given a permit and no application
    _permit(cast, resident)
    # when the extension is recorded as granted
    with pytest.raises(ServiceError) as refused:
        path_event_record(
            actor=cast.a_staff, person=resident, kind=PathEventKind.EXTENSION_GRANTED,
            on=TODAY, valid_until=TODAY + dt.timedelta(days=700),
        )  # fmt: skip
    # then it says why, and writes nothing
    assert refused.value.code == "not_applied"
    assert "innan den har sökts" in str(refused.value.message)
    assert resident.path_events.count() == 1


def test_it_refuses_a_registration_before_the_permit(cast, resident):
    # given a permit granted 10 days ago
    _permit(cast, resident, days_ago=10)
    # when a registration is recorded 20 days ago
    with pytest.raises(ServiceError) as refused:
        path_event_record(
            actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED,
            on=TODAY - dt.timedelta(days=20), identity_number="19850312-1231",
        )  # fmt: skip
    # then
    assert refused.value.code == "no_permit"
    assert not resident.path_events.filter(kind=PathEventKind.REGISTERED).exists()


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("19850312-1234", "bad_number", "Kontrollsiffran"),
        ("850372-1238", "bad_number", "samordningsnummer"),
        ("1985-03-12", "bad_number", "ÅÅÅÅMMDD-NNNN"),
    ],
)
def test_it_refuses_a_personal_identity_number_that_fails_its_check(
    cast, resident, number, code, words
):
    # given a permit a year old
    _permit(cast, resident)
    # when a registration gives a bad number
    with pytest.raises(ServiceError) as refused:
        path_event_record(
            actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED,
            on=TODAY, identity_number=number,
        )  # fmt: skip
    # then
    assert refused.value.code == code
    assert words in str(refused.value.message)
    resident.refresh_from_db()
    assert resident.swedish_id_number == ""


def test_it_refuses_a_number_that_belongs_to_someone_else(cast, resident):
    # given someone else with the number
    PersonFactory.create(swedish_id_number="198503121231")
    _permit(cast, resident)
    # when
    with pytest.raises(ServiceError) as refused:
        path_event_record(
            actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED,
            on=TODAY, identity_number="850312-1231",
        )  # fmt: skip
    # then
    assert refused.value.code == "number_taken"


def test_it_registers_a_person_with_their_new_number_and_audits_it(cast, resident):
    # given a permit
    _permit(cast, resident)
    # when the registration is recorded with the number in its short form
    path_event_record(
        actor=cast.a_staff, person=resident, kind=PathEventKind.REGISTERED,
        on=TODAY, identity_number="850312-1231",
    )  # fmt: skip
    # then the person carries the number and the reception ends today; it is audited
    resident.refresh_from_db()
    assert resident.swedish_id_number == "198503121231"
    event = resident.path_events.get(kind=PathEventKind.REGISTERED)
    assert event.identity_number == "198503121231"
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, action="create", object_id=str(resident.public_id),
        summary__contains="legal path",
    ).exists()  # fmt: skip


def test_it_refuses_future_dates_and_a_second_registration(cast, resident):
    _permit(cast, resident)
    with pytest.raises(ServiceError) as future:
        path_event_record(
            actor=cast.coordinator, person=resident, kind=PathEventKind.EXTENSION_APPLIED,
            on=TODAY + dt.timedelta(days=1),
        )  # fmt: skip
    assert future.value.code == "future"
    path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED, on=TODAY,
        identity_number="198503121231",
    )  # fmt: skip
    with pytest.raises(ServiceError) as twice:
        path_event_record(
            actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED,
            on=TODAY - dt.timedelta(days=3), identity_number="198503121231",
        )  # fmt: skip
    assert twice.value.code == "duplicate"
    assert "redan folkbokförd" in str(twice.value.message)


def test_it_takes_the_allocation_lists_permit_as_the_first_event(cast, resident):
    # given a person whose allocation list gave a permit
    resident.permit_valid_from = TODAY - dt.timedelta(days=300)
    resident.permit_valid_until = TODAY + dt.timedelta(days=30)
    resident.save()
    # when the first event is recorded
    path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.EXTENSION_APPLIED, on=TODAY
    )
    # then the list's permit is on the path, marked as from the list
    first = resident.path_events.order_by("on").first()
    assert (first.kind, first.on, first.source) == (
        "permit_granted",
        TODAY - dt.timedelta(days=300),
        "allocation list",
    )


def test_it_corrects_an_event_by_a_new_one_and_never_edits(cast, resident):
    # given a permit recorded with the wrong end
    wrong = _permit(cast, resident, valid_days=10)
    # when it is corrected
    right = path_event_correct(
        actor=cast.coordinator, event=wrong, on=wrong.on,
        valid_until=TODAY + dt.timedelta(days=300), note="Fel slutdatum",
    )  # fmt: skip
    # then both are kept, the new one stands, and the person's permit follows it
    assert PathEvent.objects.filter(person=resident).count() == 2
    assert list(resident.path_events.standing()) == [right]
    resident.refresh_from_db()
    assert resident.permit_valid_until == TODAY + dt.timedelta(days=300)
    # and the corrected one cannot be corrected again
    with pytest.raises(ServiceError) as again:
        path_event_correct(actor=cast.coordinator, event=wrong, withdraw=True, note="x")
    assert again.value.code == "already_corrected"


def test_it_withdraws_an_event_only_with_a_reason(cast, resident):
    _permit(cast, resident)
    applied = path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.EXTENSION_APPLIED, on=TODAY
    )
    with pytest.raises(ServiceError):
        path_event_correct(actor=cast.coordinator, event=applied, withdraw=True)
    path_event_correct(actor=cast.coordinator, event=applied, withdraw=True, note="Fel person")
    assert not resident.path_events.standing().filter(kind="extension_applied").exists()


def test_it_keeps_on_the_person_the_day_the_path_ends_the_reception_through_every_change(
    cast, resident
):
    from tillsammans.people.services import path_for, refresh_path_summaries

    def kept():
        resident.refresh_from_db()
        return resident.on_path, resident.path_ends_on, resident.path_ends_because

    # given no event: the allocation list's permit alone, nothing kept
    assert kept() == (False, None, "")
    # when a permit is recorded, it runs out the day after its end
    permit = _permit(cast, resident, valid_days=10)
    assert kept() == (True, TODAY + dt.timedelta(days=11), "lapsed")
    # when an extension is applied for in time, nothing ends
    applied = path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.EXTENSION_APPLIED, on=TODAY
    )
    assert kept() == (True, None, "")
    # when the application is withdrawn, the lapse is back; when the person registers, that ends it
    path_event_correct(actor=cast.coordinator, event=applied, withdraw=True, note="Fel person")
    assert kept() == (True, TODAY + dt.timedelta(days=11), "lapsed")
    path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED, on=TODAY,
        identity_number="19850401-1233",
    )  # fmt: skip
    assert kept() == (True, TODAY, "registered") == (
        True, path_for(resident).reception_ends_on, path_for(resident).ends_because,
    )  # fmt: skip
    # and a bulk refresh after events written around the services finds the same
    PathEvent.objects.filter(person=resident, corrects__isnull=False).delete()
    PathEvent.objects.filter(person=resident).exclude(pk=permit.pk).delete()
    assert refresh_path_summaries([resident.pk]) == 1
    assert kept() == (True, TODAY + dt.timedelta(days=11), "lapsed")


# -- the page ---------------------------------------------------------------------------------


def test_it_shows_the_path_to_the_partner_housing_the_person_and_records_an_event(
    cast, client, resident
):
    # given partner A's staff and a permit
    _permit(cast, resident)
    client.force_login(cast.a_staff)
    url = reverse("person_path", args=[resident.public_id])
    # when they record the application for an extension
    response = client.post(url, {"kind": "extension_applied", "on": f"{TODAY:%Y-%m-%d}"})
    # then it is on the path, and the page's read is audited
    assert response.status_code == 302
    page = client.get(url).text
    assert "Förlängning ansökt" in page
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, action="view", object_id=str(resident.public_id)
    ).exists()


def test_it_shows_a_refusal_on_the_form_and_writes_nothing(cast, client, resident):
    # given a permit
    _permit(cast, resident)
    client.force_login(cast.coordinator)
    # when an extension is recorded as granted with no application
    response = client.post(
        reverse("person_path", args=[resident.public_id]),
        {"kind": "extension_granted", "on": f"{TODAY:%Y-%m-%d}",
         "valid_until": f"{TODAY + dt.timedelta(days=400):%Y-%m-%d}"},
    )  # fmt: skip
    # then the form says why, and nothing was written
    assert response.status_code == 200
    assert "registrera ansökan först" in response.text
    assert resident.path_events.count() == 1


def test_it_lets_the_person_form_leave_the_permit_and_number_to_the_path(cast, client, resident):
    # given a permit and a registration on the path
    _permit(cast, resident)
    path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.REGISTERED, on=TODAY,
        identity_number="198503121231",
    )  # fmt: skip
    client.force_login(cast.coordinator)
    resident.refresh_from_db()
    # when the person form is posted with another permit end and another number
    client.post(
        reverse("person_edit", args=[resident.public_id]),
        {"first_name": "Oksana", "last_name": resident.last_name,
         "birth_date": f"{resident.birth_date:%Y-%m-%d}", "sex": resident.sex,
         "permit_valid_until": "2040-01-01", "swedish_id_number": "19850312-1249"},
    )  # fmt: skip
    # then the name changed, the permit and the number did not: they follow the path
    before = (resident.permit_valid_until, resident.swedish_id_number)
    resident.refresh_from_db()
    assert resident.first_name == "Oksana"
    assert (resident.permit_valid_until, resident.swedish_id_number) == before
    assert before[1] == "198503121231"


def test_it_refuses_an_extension_granted_on_last_years_application(cast, resident):
    # given a permit of 2024 extended in 2025 on the application of 2025
    path_event_record(actor=cast.coordinator, person=resident, kind="permit_granted",
                      on=D(2024, 3, 5), valid_until=D(2025, 3, 4))  # fmt: skip
    path_event_record(actor=cast.coordinator, person=resident, kind="extension_applied",
                      on=D(2025, 2, 1))  # fmt: skip
    path_event_record(actor=cast.coordinator, person=resident, kind="extension_granted",
                      on=D(2025, 2, 20), valid_until=D(2026, 3, 4))  # fmt: skip
    # when the 2026 extension is recorded as granted with no application of 2026
    with pytest.raises(ServiceError) as refused:
        path_event_record(actor=cast.coordinator, person=resident, kind="extension_granted",
                          on=D(2026, 2, 20), valid_until=D(2027, 3, 4))  # fmt: skip
    # then
    assert refused.value.code == "not_applied"


def test_it_clears_a_withdrawn_permit_and_refuses_to_pull_one_from_under_an_extension(
    cast, resident
):
    # given a permit, an application and its extension
    permit = _permit(cast, resident, days_ago=400, valid_days=10)
    path_event_record(actor=cast.coordinator, person=resident, kind="extension_applied", on=TODAY)
    # when the permit is withdrawn while the application rests on it
    with pytest.raises(ServiceError) as refused:
        path_event_correct(actor=cast.coordinator, event=permit, withdraw=True, note="Fel")
    # then it is refused, and nothing is written
    assert refused.value.code == "depends"
    assert resident.path_events.count() == 2  # the permit and the application
    # and a permit with nothing on it, withdrawn, leaves the person without a permit
    other = cast.household_a.persons.order_by("id").last()
    lone = _permit(cast, other)
    path_event_correct(actor=cast.coordinator, event=lone, withdraw=True, note="Fel person")
    other.refresh_from_db()
    assert (other.permit_valid_from, other.permit_valid_until) == (None, None)


def test_it_frees_the_number_of_a_registration_withdrawn_from_the_wrong_person(cast, resident):
    # given a registration recorded on the wrong family member
    other = cast.household_a.persons.order_by("id").last()
    _permit(cast, resident)
    _permit(cast, other)
    wrong = path_event_record(actor=cast.coordinator, person=other, kind="registered", on=TODAY,
                              identity_number="19850312-1231")  # fmt: skip
    # when it is withdrawn and recorded on the right one
    path_event_correct(actor=cast.coordinator, event=wrong, withdraw=True, note="Fel person")
    path_event_record(actor=cast.coordinator, person=resident, kind="registered", on=TODAY,
                      identity_number="19850312-1231")  # fmt: skip
    # then the number is the right person's only
    other.refresh_from_db()
    resident.refresh_from_db()
    assert (other.swedish_id_number, resident.swedish_id_number) == ("", "198503121231")


def test_it_refuses_never_arrived_for_a_resident_and_a_number_on_another_event(cast, resident):
    _permit(cast, resident)
    with pytest.raises(ServiceError) as arrived:
        path_event_record(actor=cast.coordinator, person=resident, kind="never_arrived", on=TODAY)
    assert "kom" in str(arrived.value.message)
    with pytest.raises(ServiceError) as number:
        path_event_record(actor=cast.coordinator, person=resident, kind="left", on=TODAY,
                          identity_number="1234567890123")  # fmt: skip
    assert number.value.code == "bad_number"
    assert resident.path_events.count() == 1


def test_it_offers_on_a_correction_only_the_fields_the_event_has(cast, client, resident):
    # given an application for an extension
    _permit(cast, resident)
    applied = path_event_record(
        actor=cast.coordinator, person=resident, kind=PathEventKind.EXTENSION_APPLIED, on=TODAY
    )
    client.force_login(cast.a_staff)
    # when its correction form is opened
    page = client.get(reverse("path_event_correct", args=[applied.public_id])).text
    # then it asks for neither a permit's last day nor a personal identity number
    assert 'name="on"' in page
    assert 'name="valid_until"' not in page and 'name="identity_number"' not in page
