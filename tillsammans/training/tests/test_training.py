"""Joint trainings: who adds them, attendance per organisation, the seats."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import member
from tillsammans.partnership.models import Role
from tillsammans.training.models import Attendance, TrainingSession
from tillsammans.training.selectors import monthly_figures
from tillsammans.training.services import attendance_record, session_create, session_update

from .conftest import HELD_ON


def _refused(expected, call, **kwargs):
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        call(**kwargs)
    assert refused.value.code == expected, refused.value.message
    return refused.value


def test_it_lets_a_partner_admin_add_a_training_of_its_own_organisation_only(cast):
    # given
    fields = {
        "title": "Kulturkunskap om Ukraina",
        "topic": "ukrainian_culture",
        "held_on": HELD_ON,
        "place": "Stadshuset",
    }
    # when
    own = session_create(actor=cast.a_admin, organiser=cast.org_a, **fields)
    # then
    assert own.organiser == cast.org_a
    _refused(
        "permission_denied", session_create, actor=cast.a_admin, organiser=cast.org_b, **fields
    )
    _refused(
        "permission_denied", session_create, actor=cast.a_staff, organiser=cast.org_a, **fields
    )
    assert TrainingSession.objects.count() == 1


def test_it_records_attendance_per_organisation_and_replaces_it_when_recorded_again(cast, session):
    # when
    attendance_record(actor=cast.a_staff, session=session, organisation=cast.org_a, staff_count=3)
    attendance_record(
        actor=cast.a_staff,
        session=session,
        organisation=cast.org_a,
        staff_count=4,
        attendees=[cast.a_staff, cast.a_admin],
    )
    attendance_record(actor=cast.b_staff, session=session, organisation=cast.org_b, staff_count=2)
    # then
    counts = dict(session.attendances.values_list("organisation__slug", "staff_count"))
    assert counts == {"partner-a": 4, "partner-b": 2}
    named = Attendance.objects.get(organisation=cast.org_a).attendees.all()
    assert set(named) == {cast.a_staff, cast.a_admin}


def test_it_refuses_staff_recording_another_organisations_attendance(cast, session):
    _refused(
        "permission_denied",
        attendance_record,
        actor=cast.b_staff,
        session=session,
        organisation=cast.org_a,
        staff_count=2,
    )


def test_it_refuses_naming_another_organisations_user_or_more_names_than_staff(cast, session):
    _refused(
        "bad_attendees",
        attendance_record,
        actor=cast.coordinator,
        session=session,
        organisation=cast.org_a,
        staff_count=2,
        attendees=[cast.b_staff],
    )
    _refused(
        "bad_attendees",
        attendance_record,
        actor=cast.a_staff,
        session=session,
        organisation=cast.org_a,
        staff_count=1,
        attendees=[cast.a_staff, cast.a_admin],
    )


def test_it_refuses_more_staff_than_the_free_seats(cast, session):
    # given: 10 seats, partner B has 8
    attendance_record(actor=cast.b_staff, session=session, organisation=cast.org_b, staff_count=8)
    # when
    refused = _refused(
        "full",
        attendance_record,
        actor=cast.a_staff,
        session=session,
        organisation=cast.org_a,
        staff_count=3,
    )
    # then
    assert "Only 2 of the 10 seats are free" in str(refused.message)
    assert attendance_record(
        actor=cast.a_staff, session=session, organisation=cast.org_a, staff_count=2
    )


def test_it_takes_an_organisation_off_with_zero(cast, session):
    # given
    attendance_record(actor=cast.a_staff, session=session, organisation=cast.org_a, staff_count=3)
    # when
    gone = attendance_record(
        actor=cast.a_staff, session=session, organisation=cast.org_a, staff_count=0
    )
    # then
    assert gone is None
    assert not session.attendances.exists()


def test_it_shows_every_member_the_counts_but_names_only_to_their_own_organisation(
    cast, session, client_as
):
    # given
    colleague = member(cast.org_a, Role.PARTNER_STAFF, "kollega-a@example.org")
    colleague.first_name, colleague.last_name = "Kollega", "Anka"
    colleague.save()
    attendance_record(
        actor=cast.a_staff,
        session=session,
        organisation=cast.org_a,
        staff_count=2,
        attendees=[colleague],
    )
    url = reverse("training_detail", args=[session.public_id])
    # when
    own = client_as("a_staff").get(url)
    other = client_as("b_staff").get(url)
    viewer = client_as("a_viewer").get(url)
    # then
    assert "Kollega Anka" in own.text
    assert "Kollega Anka" not in other.text
    assert "Kollega Anka" not in viewer.text
    for page in (own, other, viewer):
        assert page.status_code == 200
        assert 'data-testid="attendance"' in page.text


def test_it_records_attendance_from_the_training_page(cast, session, client):
    # given
    client.force_login(cast.a_admin)
    # when
    response = client.post(
        reverse("attendance_record", args=[session.public_id]),
        {"organisation": cast.org_a.slug, "staff_count": 5, "attendees": [cast.a_admin.public_id]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert Attendance.objects.get(session=session).staff_count == 5


def test_it_counts_the_months_trainings_held_and_staff_attended(cast, session):
    # given
    attendance_record(actor=cast.a_staff, session=session, organisation=cast.org_a, staff_count=3)
    attendance_record(actor=cast.b_staff, session=session, organisation=cast.org_b, staff_count=2)
    session_create(
        actor=cast.coordinator,
        title="Samhällsvägledning",
        topic="civic_orientation",
        held_on=dt.date(2022, 11, 2),
        place="Integrationscentrum",
        organiser=cast.city,
    )
    # when
    october = monthly_figures(2022, 10)
    # then
    assert october[cast.city.pk]["trainings_held"] == 1
    assert october[cast.org_a.pk]["training_staff_attended"] == 3
    assert october[cast.org_b.pk]["training_staff_attended"] == 2
    assert monthly_figures(2022, 11)[cast.city.pk]["trainings_held"] == 1


def test_it_lets_the_organisers_admin_edit_but_not_below_the_seats_taken(cast):
    # given: partner A's own training with 4 of its staff attending
    own = session_create(
        actor=cast.a_admin,
        title="Språkcafé för personal",
        topic="other",
        held_on=HELD_ON,
        place="Site A",
        organiser=cast.org_a,
    )
    attendance_record(actor=cast.a_staff, session=own, organisation=cast.org_a, staff_count=4)
    fields = {
        "title": "Språkcafé för all personal",
        "topic": "other",
        "held_on": HELD_ON,
        "place": "Site A",
        "organiser": cast.org_a,
    }
    # when
    session_update(actor=cast.a_admin, session=own, max_seats=6, **fields)
    # then
    own.refresh_from_db()
    assert (own.title, own.max_seats) == ("Språkcafé för all personal", 6)
    _refused("bad_seats", session_update, actor=cast.a_admin, session=own, max_seats=3, **fields)
    _refused("permission_denied", session_update, actor=cast.b_staff, session=own, **fields)
