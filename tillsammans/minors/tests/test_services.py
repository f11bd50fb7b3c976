"""Services of the catalogue for children: homework help, work training, psychologist support
and summer internships. The case worker or home gives a place with the guardian's agreement;
the service's organisation sees the child's name and age and records sessions; a
psychologist's notes stay with the psychologist's organisation; a workplace's places are
never over-filled."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tillsammans.addedvalues.models import Delivery, Eligibility, ServiceCategory
from tillsammans.addedvalues.services import service_create
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import member
from tillsammans.core.models import AuditAction, AuditEvent
from tillsammans.minors import access
from tillsammans.minors.error_codes import MinorsErrorCode as Code
from tillsammans.minors.models import ServiceEnrolment
from tillsammans.minors.services import (
    child_register,
    service_enrol,
    service_enrolment_end,
    session_record,
    summer_place_record,
)
from tillsammans.partnership.models import Role

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _b_admin(cast):
    from tillsammans.core.models import User

    found = User.objects.filter(email="b-admin@example.org").first()
    return found or member(cast.org_b, Role.PARTNER_ADMIN, "b-admin@example.org")


def _service(cast, name, category=ServiceCategory.CHILDREN, **extra):
    return service_create(
        actor=_b_admin(cast), name_sv=name, category=category, eligibility=Eligibility.ANYONE,
        **extra,
    )  # fmt: skip


def _enrol(cast, case, service, actor=None, **overrides):
    data = {"starts_on": TODAY - 7 * DAY, "guardian_agreed_on": TODAY - 8 * DAY}
    data.update(overrides)
    return service_enrol(actor=actor or cast.case_worker, case=case, service=service, **data)


def test_a_service_sees_the_children_given_a_place_in_it_and_records_their_sessions(cast, case):
    # given partner B's homework help, and a child who lives in partner A's home
    homework = _service(cast, "Läxhjälp")
    assert not access.service_enrolments(cast.b_staff).exists()
    # when the child's home gives the child a place in it
    enrolment = _enrol(cast, case, homework, actor=cast.a_staff)
    # then partner B's staff see the child, and record a session as a delivery
    assert list(access.service_enrolments(cast.b_staff)) == [enrolment]
    delivery = session_record(actor=cast.b_staff, enrolment=enrolment, on=TODAY, note="Matte")
    assert (delivery.organisation, delivery.person) == (cast.org_b, case.person)
    # and a session outside the place's days is refused
    with pytest.raises(ServiceError) as refused:
        session_record(actor=cast.b_staff, enrolment=enrolment, on=TODAY - 30 * DAY)
    assert refused.value.code == Code.BAD_DATES
    # when the place ends, partner B no longer sees the child
    service_enrolment_end(actor=cast.b_staff, enrolment=enrolment, ends_on=TODAY - DAY)
    assert not access.service_enrolments(cast.b_staff).exists()


def test_only_the_childs_case_worker_or_home_gives_a_place(cast, case):
    # given
    homework = _service(cast, "Läxhjälp")
    # when partner B (the service's own organisation) or the coordinator tries, it is refused
    for outsider in (cast.b_staff, cast.coordinator):
        with pytest.raises(PermissionDenied):
            _enrol(cast, case, homework, actor=outsider)
    assert not ServiceEnrolment.objects.exists()
    # and a service children do not take part in (food) is refused
    food = _service(cast, "Matkasse", category=ServiceCategory.FOOD)
    with pytest.raises(ServiceError) as refused:
        _enrol(cast, case, food)
    assert refused.value.code == Code.WRONG_SERVICE
    # and a second place in the same service at the same time is refused
    _enrol(cast, case, homework)
    with pytest.raises(ServiceError) as refused:
        _enrol(cast, case, homework, starts_on=TODAY)
    assert refused.value.code == Code.DUPLICATE


def test_a_psychologists_notes_are_read_only_by_the_psychologists_organisation(cast, case, client):
    # given partner B's psychologist support, whose notes stay with partner B, and homework help
    psychologist = _service(cast, "Psykologstöd", category=ServiceCategory.HEALTH)
    psychologist.notes_confidential = True
    psychologist.save(update_fields=["notes_confidential"])
    homework = _service(cast, "Läxhjälp")
    for service, note in ((psychologist, "Sover dåligt, mardrömmar"), (homework, "Bråk i matte")):
        enrolment = _enrol(cast, case, service)
        session_record(actor=cast.b_staff, enrolment=enrolment, on=TODAY, note=note)
    # when the case worker and the home open the child's page
    for reader in (cast.case_worker, cast.a_staff):
        client.force_login(reader)
        page = client.get(reverse("case_detail", args=[case.public_id])).content.decode()
        # then both sessions are listed, the homework note is shown, the psychologist's is not
        assert "Psykologstöd" in page and "Läxhjälp" in page
        assert "Bråk i matte" in page
        assert "mardrömmar" not in page
    # and the psychologist's organisation keeps the note
    assert Delivery.objects.filter(organisation=cast.org_b, note__contains="mardrömmar").exists()


def test_a_workplaces_summer_places_are_never_over_filled(cast, case):
    # given partner B's summer internships with one place at a workplace, for 15 and older
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    place = summer_place_record(
        actor=cast.b_staff, service=internships, employer="Stadsbiblioteket",
        starts_on=TODAY + 20 * DAY, ends_on=TODAY + 40 * DAY, places=1, min_age=15,
    )  # fmt: skip
    # when the child (15) takes it
    enrolment = _enrol(cast, case, internships, summer_place=place)
    # then the place's dates are the workplace's
    assert (enrolment.starts_on, enrolment.ends_on) == (place.starts_on, place.ends_on)
    # and a second young person is refused: the workplace has no place left
    other = child_register(
        actor=cast.case_worker, first_name="Yonas", last_name="Tesfay",
        birth_date=TODAY - dt.timedelta(days=16 * 365), basis="assessed", sex="male",
        allocated_on=TODAY - 3 * DAY,
    )  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        _enrol(cast, other, internships, summer_place=place)
    assert refused.value.code == Code.FULL
    assert place.enrolments.count() == 1


def test_a_summer_place_refuses_a_young_person_under_its_age(cast):
    # given a workplace for 16 and older and a 14-year-old
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    place = summer_place_record(
        actor=cast.b_staff, service=internships, employer="Hamnen", starts_on=TODAY + 10 * DAY,
        ends_on=TODAY + 30 * DAY, places=3, min_age=16,
    )  # fmt: skip
    young = child_register(
        actor=cast.case_worker, first_name="Sahra", last_name="Warsame",
        birth_date=TODAY - dt.timedelta(days=14 * 365 + 30), basis="stated", sex="female",
        allocated_on=TODAY - 3 * DAY,
    )  # fmt: skip
    # when / then
    with pytest.raises(ServiceError) as refused:
        _enrol(cast, young, internships, summer_place=place)
    assert refused.value.code == Code.TOO_YOUNG
    assert not place.enrolments.exists()


def test_summer_places_are_kept_under_a_work_service_by_its_organisation(cast):
    # given
    homework = _service(cast, "Läxhjälp")
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    data = {"employer": "Hamnen", "starts_on": TODAY, "ends_on": TODAY + 10 * DAY}
    # when another organisation adds a place, or one is added under homework help, or ends
    # before it starts
    with pytest.raises(PermissionDenied):
        summer_place_record(actor=cast.a_staff, service=internships, **data)
    with pytest.raises(ServiceError) as refused:
        summer_place_record(actor=cast.b_staff, service=homework, **data)
    assert refused.value.code == Code.WRONG_SERVICE
    with pytest.raises(ServiceError) as refused:
        summer_place_record(
            actor=cast.b_staff, service=internships, **data | {"ends_on": TODAY - DAY}
        )
    assert refused.value.code == Code.BAD_DATES


def test_the_summer_list_names_the_young_people_to_the_workplaces_organisation_only(
    cast, case, client
):
    # given a place taken by the child
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    place = summer_place_record(
        actor=cast.b_staff, service=internships, employer="Stadsbiblioteket",
        starts_on=TODAY, ends_on=TODAY + 20 * DAY, places=2, min_age=13,
    )  # fmt: skip
    _enrol(cast, case, internships, summer_place=place)
    url = reverse("summer_places") + f"?year={TODAY.year}"
    # when partner A (which houses the child, but not the workplace) opens the list
    client.force_login(cast.a_staff)
    page = client.get(url).content.decode()
    # then it sees the place and that one of two is taken, not who took it
    assert "Stadsbiblioteket" in page and "1 / 2" in page and "Ali Ahmadi" not in page
    # when partner B downloads it
    client.force_login(cast.b_staff)
    response = client.get(url + "&format=xlsx")
    # then the workbook names the young person, and the download is audited
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Stadsbiblioteket" and rows[1][-1] == "Ali Ahmadi"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=cast.b_staff, summary__contains="summer"
    ).exists()


def test_the_place_form_lets_the_home_choose_a_summer_place_and_explains_a_missing_choice(
    cast, case, client
):
    # given
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    place = summer_place_record(
        actor=cast.b_staff, service=internships, employer="Hamnen", starts_on=TODAY,
        ends_on=TODAY + 20 * DAY, places=2,
    )  # fmt: skip
    client.force_login(cast.a_staff)
    url = reverse("enrolment_add", args=[case.public_id])
    # when the home sends the form with neither a service nor a place
    empty = client.post(url, {"guardian_agreed_on": TODAY.isoformat()})
    # then it says what is missing and writes nothing
    assert empty.status_code == 200 and 'role="alert"' in empty.content.decode()
    assert not ServiceEnrolment.objects.exists()
    # when it chooses the workplace
    done = client.post(
        url, {"summer_place": str(place.public_id), "guardian_agreed_on": TODAY.isoformat()}
    )
    # then the child has the place
    assert done.status_code == 302
    assert ServiceEnrolment.objects.get().summer_place == place


def test_closing_the_case_ends_its_places_and_the_service_no_longer_sees_the_child(cast, case):
    # given the child in partner B's homework help and a summer place that begins later
    from tillsammans.minors.services import case_close, child_leave

    enrolment = _enrol(cast, case, _service(cast, "Läxhjälp"))
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    place = summer_place_record(
        actor=cast.b_staff, service=internships, employer="Hamnen", starts_on=TODAY + 30 * DAY,
        ends_on=TODAY + 50 * DAY, places=1,
    )  # fmt: skip
    _enrol(cast, case, internships, summer_place=place)
    # when the young person moves out and the case is closed
    child_leave(actor=cast.case_worker, case=case, on=TODAY - DAY, reason="own_housing")
    case_close(actor=cast.case_worker, case=case, closed_on=TODAY)
    # then the homework place ended that day, the coming summer place is given back, and
    # partner B sees no child
    enrolment.refresh_from_db()
    assert enrolment.ends_on == TODAY
    assert not place.enrolments.exists()
    assert not access.service_enrolments(cast.b_staff).exists()
    # and the closed case takes no new place until it is reopened
    with pytest.raises(ServiceError) as refused:
        _enrol(cast, case, _service(cast, "Psykologstöd", category=ServiceCategory.HEALTH))
    assert refused.value.code == Code.ENDED


def test_a_young_person_takes_one_place_at_a_workplace(cast, case):
    # given a workplace with three places, one taken by the child
    internships = _service(cast, "Sommarpraktik", category=ServiceCategory.WORK)
    place = summer_place_record(
        actor=cast.b_staff, service=internships, employer="Hamnen", starts_on=TODAY,
        ends_on=TODAY + 20 * DAY, places=3,
    )  # fmt: skip
    _enrol(cast, case, internships, summer_place=place)
    # when the form is sent twice / then the second is refused
    with pytest.raises(ServiceError) as refused:
        _enrol(cast, case, internships, summer_place=place)
    assert refused.value.code == Code.DUPLICATE
    assert place.enrolments.count() == 1


def test_the_case_page_shows_only_the_sessions_of_the_childs_places(cast, case, client):
    # given a session of the child's homework place, and a lunch partner B gave the child
    # outside any place the case gave
    from tillsammans.addedvalues.services import delivery_record

    enrolment = _enrol(cast, case, _service(cast, "Läxhjälp"))
    session_record(actor=cast.b_staff, enrolment=enrolment, on=TODAY, note="Geografi")
    lunch = _service(cast, "Lunchservering", category=ServiceCategory.FOOD)
    delivery_record(
        actor=cast.b_staff, service=lunch, household=case.person.household, person=case.person,
        on=TODAY, note="Glutenfri kost",
    )  # fmt: skip
    # when the case worker opens the case
    client.force_login(cast.case_worker)
    page = client.get(reverse("case_detail", args=[case.public_id])).content.decode()
    # then the session is there, the lunch is partner B's to know
    assert "Geografi" in page
    assert "Lunchservering" not in page and "Glutenfri" not in page
