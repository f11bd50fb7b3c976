"""Unaccompanied children: the case worker who holds a case sees it and writes it; the staff
of the home that houses the child now (partner A's HVB home here) see it; everyone else,
coordinators included, gets the same 404 (ADR 27)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.access import REDIRECT, Row, closed

HOLDER = {"case_worker": 200}
HOUSED_BY_A = {"case_worker": 200, "a_admin": 200, "a_staff": 200}
LISTS = {"case_worker": 200, "a_admin": 200, "a_staff": 200, "b_staff": 200}
TODAY = timezone.localdate()
BORN = TODAY - dt.timedelta(days=15 * 365 + 30)  # about 15 years and a month


def _child(cast: Any, first_name: str) -> Any:
    from tillsammans.minors.models import ChildCase
    from tillsammans.minors.services import child_register

    existing = ChildCase.objects.filter(person__first_name=first_name).first()
    if existing is not None:
        return existing
    return child_register(
        actor=cast.case_worker, first_name=first_name, last_name="احمدی",
        first_name_latin="Ali", last_name_latin="Ahmadi", birth_date=BORN,
        basis="assessed", sex="male", languages=["prs"], allocated_on=TODAY - dt.timedelta(days=20),
    )  # fmt: skip


def _housed(cast: Any) -> Any:
    """A 15-year-old held by the case worker, living in partner A's HVB home on a decision."""
    from tillsammans.core.factories import LicenceFactory, UnitFactory
    from tillsammans.housing.models import Site
    from tillsammans.minors.models import ChildCase
    from tillsammans.minors.services import child_place, decision_record

    case = ChildCase.objects.filter(person__first_name="علی").first()
    if case is not None:
        return case
    case = _child(cast, "علی")
    home = Site.objects.filter(name="HVB Minors A").first() or LicenceFactory.create(
        site__organisation=cast.org_a, site__name="HVB Minors A",
        valid_from=dt.date(2020, 1, 1), valid_to=None,
    ).site  # fmt: skip
    unit = home.units.first() or UnitFactory.create(site=home, name="Rum 1", beds=2)
    on = TODAY - dt.timedelta(days=10)
    decision_record(actor=cast.case_worker, case=case, site=home, decided_on=on, valid_from=on)
    child_place(actor=cast.case_worker, case=case, unit=unit, on=on)
    return case


def housed_case(cast: Any) -> dict[str, Any]:
    return {"public_id": _housed(cast).public_id}


def waiting_case(cast: Any) -> dict[str, Any]:
    """A child held by the case worker, not yet placed."""
    return {"public_id": _child(cast, "حسن").public_id}


def unheld_case(cast: Any) -> dict[str, Any]:
    case = _child(cast, "رضا")
    case.case_worker = None
    case.save(update_fields=["case_worker"])
    return {"public_id": case.public_id}


def guardian(cast: Any) -> dict[str, Any]:
    from tillsammans.minors.services import guardian_appoint

    case = _housed(cast)
    appointment = case.guardians.first() or guardian_appoint(
        actor=cast.case_worker, case=case, kind="god_man", name="Karin Andersson",
        appointed_on=TODAY - dt.timedelta(days=5),
    )  # fmt: skip
    return {"public_id": appointment.public_id}


def decision(cast: Any) -> dict[str, Any]:
    """The decision that the housed child lives in partner A's home."""
    from tillsammans.reception.models import PlacementDecision

    case = _housed(cast)
    found = PlacementDecision.objects.filter(household_id=case.person.household_id).first()
    assert found is not None
    return {"public_id": found.public_id}


def _a_volunteer(cast: Any) -> Any:
    """Partner A's mentor with a recent record check (made on first use)."""
    from tillsammans.minors.models import ChildVolunteer
    from tillsammans.minors.services import child_volunteer_record
    from tillsammans.training.services import volunteer_create

    existing = ChildVolunteer.objects.filter(volunteer__organisation=cast.org_a).first()
    if existing is not None:
        return existing
    volunteer = volunteer_create(actor=cast.a_staff, alias="Erik", helps_with="Fadder")
    return child_volunteer_record(
        actor=cast.a_staff, volunteer=volunteer, kind="mentor",
        record_issued_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip


def a_volunteer(cast: Any) -> dict[str, Any]:
    return {"public_id": _a_volunteer(cast).volunteer.public_id}


def a_link(cast: Any) -> dict[str, Any]:
    from tillsammans.minors.services import volunteer_link

    case = _housed(cast)
    link = case.links.first() or volunteer_link(
        actor=cast.case_worker, case=case, volunteer=_a_volunteer(cast), starts_on=TODAY,
        child_agreed_on=TODAY, guardian_agreed_on=TODAY,
    )  # fmt: skip
    return {"public_id": link.public_id}


def _b_service(cast: Any, name: str, category: str) -> Any:
    """Partner B's service for children (made on first use, without an actor: a row's data)."""
    from tillsammans.addedvalues.models import Service

    return Service.objects.get_or_create(
        organisation=cast.org_b, name_sv=name, defaults={"category": category}
    )[0]


def b_internships(cast: Any) -> dict[str, Any]:
    """Partner B keeps summer internship places under its work service."""
    _b_service(cast, "Sommarpraktik", "work")
    return {}


def b_enrolment(cast: Any) -> dict[str, Any]:
    """The housed child's place in partner B's homework help."""
    from tillsammans.minors.models import ServiceEnrolment

    case = _housed(cast)
    enrolment = ServiceEnrolment.objects.filter(case=case).first() or (
        ServiceEnrolment.objects.create(
            case=case, service=_b_service(cast, "Läxhjälp", "children"), starts_on=TODAY,
            guardian_agreed_on=TODAY,
        )
    )  # fmt: skip
    return {"public_id": enrolment.public_id}


def b_reunification(cast: Any) -> dict[str, Any]:
    """The housed child's family reunification, helped by partner B."""
    from tillsammans.minors.services import reunification_open

    case = _housed(cast)
    found = case.reunifications.first() or reunification_open(
        actor=cast.case_worker, case=case, helped_by=cast.org_b, opened_on=TODAY
    )
    return {"public_id": found.public_id}


def plan_goal(cast: Any) -> dict[str, Any]:
    from tillsammans.minors.services import plan_goal_add

    case = _housed(cast)
    goal = case.plan.first() or plan_goal_add(
        actor=cast.case_worker, case=case, area="school", goal="Förberedelseklass",
        follow_up_on=TODAY,
    )  # fmt: skip
    return {"public_id": goal.public_id}


def new_child(cast: Any) -> dict[str, Any]:
    return {
        "first_name": "Yonas", "last_name": "ዮናስ", "birth_date": "2011-02-03",
        "basis": "stated", "sex": "male", "languages": "ti", "allocated_on": str(TODAY),
    }  # fmt: skip


def new_guardian(cast: Any) -> dict[str, Any]:
    return {"kind": "god_man", "name": "Per Berg", "appointed_on": str(TODAY)}


ROWS = [
    Row("case_list", closed(**LISTS)),
    Row("child_register", closed(**HOLDER)),
    Row("child_register", closed(case_worker=REDIRECT), method="post", data=new_child),
    Row("case_detail", closed(**HOUSED_BY_A), kwargs=housed_case),
    Row("case_detail", closed(**HOLDER), kwargs=waiting_case, case="not placed"),
    Row("birth_date_add", closed(**HOLDER), kwargs=housed_case),
    Row("status_add", closed(**HOLDER), kwargs=housed_case),
    Row("guardian_add", closed(**HOLDER), kwargs=waiting_case),
    Row(
        "guardian_add",
        closed(case_worker=REDIRECT),
        kwargs=waiting_case,
        method="post",
        data=new_guardian,
    ),
    Row("guardian_end", closed(**HOLDER), kwargs=guardian),
    Row("decision_add", closed(**HOLDER), kwargs=housed_case),
    Row("decision_end", closed(**HOLDER), kwargs=decision),
    Row("decision_withdraw", closed(**HOLDER), kwargs=decision),
    Row("child_place", closed(**HOLDER), kwargs=waiting_case),
    Row("child_place", closed(**HOLDER), kwargs=housed_case, case="placed: a move"),
    Row("turning_18", closed(**LISTS)),
    Row("after_18_add", closed(**HOLDER), kwargs=housed_case),
    Row("minors_volunteers", closed(a_admin=200, a_staff=200, b_staff=200)),
    Row("child_volunteer_edit", closed(a_admin=200, a_staff=200), kwargs=a_volunteer),
    Row("volunteer_link_add", closed(**HOUSED_BY_A), kwargs=housed_case),
    Row("meeting_add", closed(a_admin=200, a_staff=200), kwargs=a_link),
    Row("plan_goal_add", closed(**HOUSED_BY_A), kwargs=housed_case),
    Row("volunteer_link_end", closed(**HOUSED_BY_A), kwargs=a_link),
    Row("plan_goal_follow_up", closed(**HOUSED_BY_A), kwargs=plan_goal),
    Row("enrolment_add", closed(**HOUSED_BY_A), kwargs=housed_case),
    Row("service_children", closed(a_admin=200, a_staff=200, b_staff=200)),
    Row("session_add", closed(b_staff=200), kwargs=b_enrolment),
    Row("enrolment_end", closed(**HOUSED_BY_A, b_staff=200), kwargs=b_enrolment),
    Row("summer_places", closed(**LISTS)),
    Row("case_close", closed(**HOLDER), kwargs=housed_case),
    Row("child_leave", closed(**HOLDER), kwargs=housed_case),
    Row("case_reopen", closed(case_worker=405), kwargs=housed_case),
    Row("reunification_list", closed(**LISTS)),
    Row("reunification_open", closed(**HOUSED_BY_A), kwargs=housed_case),
    Row("reunification_detail", closed(**LISTS), kwargs=b_reunification),
    Row(
        "reunification_detail",
        closed(**{role: REDIRECT for role in LISTS}),
        kwargs=b_reunification,
        method="post",
        data=lambda cast: {"form": "relative", "name": "Amina", "relation": "mother"},
        case="a relative added",
    ),
    Row("summer_place_add", closed(b_staff=200), kwargs=b_internships),
    Row("case_take_over", closed(case_worker=405), kwargs=unheld_case),
    Row(
        "case_take_over",
        closed(case_worker=REDIRECT),
        kwargs=unheld_case,
        method="post",
        case="no one holds it",
    ),
]

# The cases are the social services': a coordinator, partner B and the viewer get the same
# 404 as for a case that does not exist.
NOT_YOURS = [
    ("case_detail", "get", housed_case, "coordinator"),
    ("case_detail", "get", housed_case, "b_staff"),
    ("case_detail", "get", waiting_case, "a_staff"),
    ("birth_date_add", "get", housed_case, "a_admin"),
    ("guardian_end", "get", guardian, "a_staff"),
    ("decision_end", "get", decision, "a_staff"),
    ("decision_withdraw", "get", decision, "coordinator"),
    ("child_volunteer_edit", "get", a_volunteer, "b_staff"),
    ("meeting_add", "get", a_link, "b_staff"),
    ("volunteer_link_add", "get", housed_case, "b_staff"),
    ("plan_goal_add", "get", housed_case, "coordinator"),
    ("plan_goal_follow_up", "get", plan_goal, "b_staff"),
    ("volunteer_link_end", "get", a_link, "b_staff"),
    ("session_add", "get", b_enrolment, "a_staff"),
    ("enrolment_end", "get", b_enrolment, "a_viewer"),
    ("enrolment_add", "get", housed_case, "b_staff"),
    ("reunification_open", "get", housed_case, "b_staff"),
    ("reunification_detail", "get", b_reunification, "a_viewer"),
]
