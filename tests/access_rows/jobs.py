"""Access-matrix rows of the jobs app (Jobbstart).

Partner A runs the job programme in these rows, so its admin and staff are the coaches. A job
seeker, an employer and an opening are seen by the coaches of the organisation and by the
city's coordinator (who reads but does not write: a coordinator's post comes back with the
refusal); partner A's viewer and partner B get the same 404 as for nothing at all. The
figures page shows no person and answers every member.
"""

import datetime as dt
from typing import Any

from tests.access import MEMBERS, REDIRECT, Row, closed

DAY = "2022-06-01"
COACHES_AND_CITY = {"coordinator": 200, "a_admin": 200, "a_staff": 200}
COACHES = {"a_admin": 200, "a_staff": 200}
POSTED = {"coordinator": REDIRECT, "a_admin": REDIRECT, "a_staff": REDIRECT}
# A form: coaches are sent on, the coordinator's comes back with the refusal.
FORM_POSTED = {"coordinator": 200, "a_admin": REDIRECT, "a_staff": REDIRECT}
POST_ONLY = closed(**{role: 405 for role in COACHES_AND_CITY})


def _programme(cast: Any) -> Any:
    from tillsammans.jobs.models import Programme

    programme, _created = Programme.objects.get_or_create(
        organisation=cast.org_a, defaults={"name": "Jobbstart"}
    )
    return programme


def programme(cast: Any) -> dict[str, Any]:
    _programme(cast)
    return {}


def _resident(cast: Any) -> Any:
    from tillsammans.core.factories import PersonFactory

    return PersonFactory(
        household=cast.household_a, first_name="Iryna", first_name_latin="Iryna",
        birth_date=dt.date(1985, 5, 5),
    )  # fmt: skip


def _profile() -> dict[str, Any]:
    from tillsammans.jobs.models import Occupation

    return {
        "wanted_occupation": Occupation.objects.get(code="5321"),
        "previous_occupation": None, "education": "secondary", "education_note": "",
        "experience": "", "swedish": 1, "english": 1, "ukrainian": 3, "russian": 0,
        "driving_licence": False, "available_from": dt.date.fromisoformat(DAY),
        "hours_per_week": 40, "home_district": "Lundby", "max_travel_km": 15,
    }  # fmt: skip


def _profile_data() -> dict[str, Any]:
    return {
        "wanted_occupation": "5321", "education": "secondary", "swedish": "1", "english": "1",
        "ukrainian": "3", "russian": "0", "available_from": DAY, "hours_per_week": "40",
        "home_district": "Lundby", "max_travel_km": "15",
    }  # fmt: skip


def _seeker(cast: Any) -> Any:
    from tillsammans.jobs.services import job_seeker_enrol

    _programme(cast)
    return job_seeker_enrol(
        actor=cast.a_staff, person=_resident(cast), enrolled_on=dt.date.fromisoformat(DAY),
        consent_given_on=dt.date.fromisoformat(DAY), consent_explained_in="uk", **_profile(),
    )  # fmt: skip


def _employer(cast: Any) -> Any:
    from tillsammans.jobs.services import employer_create

    _programme(cast)
    return employer_create(actor=cast.a_staff, name="Exempelstädet AB", district="Centrum")


def _opening(cast: Any) -> Any:
    from tillsammans.jobs.models import Occupation
    from tillsammans.jobs.services import opening_create

    return opening_create(
        actor=cast.a_staff, employer=_employer(cast), title="Undersköterska",
        occupation=Occupation.objects.get(code="5321"), district="Centrum",
        hours_per_week=30, starts_on=dt.date(2022, 7, 1),
    )  # fmt: skip


def seeker(cast: Any) -> dict[str, Any]:
    return {"public_id": _seeker(cast).public_id}


def employer(cast: Any) -> dict[str, Any]:
    return {"public_id": _employer(cast).public_id}


def opening(cast: Any) -> dict[str, Any]:
    return {"public_id": _opening(cast).public_id}


def enrol_data(cast: Any) -> dict[str, Any]:
    return {
        "person": str(_resident(cast).public_id), "enrolled_on": DAY, "consent_given_on": DAY,
        "consent_explained_in": "uk", "consent": "on", **_profile_data(),
    }  # fmt: skip


def opening_data(cast: Any) -> dict[str, Any]:
    return {
        "title": "Städare", "occupation": "9111", "district": "Centrum",
        "hours_per_week": "30", "starts_on": "2022-07-01", "swedish": "0", "english": "0",
        "ukrainian": "0", "russian": "0",
    }  # fmt: skip


def propose_data(cast: Any) -> dict[str, Any]:
    return {"seeker": str(_seeker(cast).public_id), "opening": str(_opening(cast).public_id)}


ROWS = [
    Row("jobs_home", closed(**COACHES_AND_CITY), kwargs=programme),
    Row("jobs_figures", closed(**MEMBERS), kwargs=programme),
    Row("jobs_figures", closed(**MEMBERS), kwargs=programme, query="year=abc", case="bad year"),
    Row("job_seeker_enrol", closed(**COACHES), kwargs=programme),
    Row(
        "job_seeker_enrol",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=programme,
        method="post",
        data=enrol_data,
    ),
    Row("job_seeker_detail", closed(**COACHES_AND_CITY), kwargs=seeker),
    Row("job_seeker_edit", closed(**COACHES_AND_CITY), kwargs=seeker),
    Row(
        "job_seeker_edit",
        closed(**FORM_POSTED),
        kwargs=seeker,
        method="post",
        data=lambda cast: _profile_data(),
    ),
    Row("job_seeker_cv", closed(**COACHES_AND_CITY), kwargs=seeker),
    Row("job_seeker_stage", POST_ONLY, kwargs=seeker),
    Row(
        "job_seeker_stage",
        closed(**POSTED),
        kwargs=seeker,
        method="post",
        data=lambda cast: {"to": "cv_ready", "expected": "enrolled", "on": DAY},
    ),
    Row("job_seeker_follow_up", POST_ONLY, kwargs=seeker),
    Row(
        "job_seeker_follow_up",
        closed(**POSTED),
        kwargs=seeker,
        method="post",
        data=lambda cast: {"on": DAY, "note": "Första samtalet"},
    ),
    Row("job_seeker_job_ended", POST_ONLY, kwargs=seeker),
    # Nobody is in work here: the coaches hear so on the page, like the coordinator.
    Row(
        "job_seeker_job_ended",
        closed(**POSTED),
        kwargs=seeker,
        method="post",
        data=lambda cast: {"on": DAY},
    ),
    Row("employer_list", closed(**COACHES_AND_CITY), kwargs=programme),
    Row(
        "employer_list",
        closed(**FORM_POSTED),
        kwargs=programme,
        method="post",
        data=lambda cast: {"name": "Exempelbageriet AB", "district": "Lundby"},
    ),
    Row("employer_detail", closed(**COACHES_AND_CITY), kwargs=employer),
    Row("employer_contact_add", POST_ONLY, kwargs=employer),
    Row(
        "employer_contact_add",
        closed(**POSTED),
        kwargs=employer,
        method="post",
        data=lambda cast: {"name": "Kontaktperson", "phone": "031-00 00 00"},
    ),
    Row("opening_create", closed(**COACHES_AND_CITY), kwargs=employer),
    Row(
        "opening_create",
        closed(**FORM_POSTED),
        kwargs=employer,
        method="post",
        data=opening_data,
    ),
    Row("opening_detail", closed(**COACHES_AND_CITY), kwargs=opening),
    Row("opening_close", POST_ONLY, kwargs=opening),
    Row("opening_close", closed(**POSTED), kwargs=opening, method="post"),
    Row("job_proposal_create", POST_ONLY, kwargs=programme),
    Row(
        "job_proposal_create",
        closed(**POSTED),
        kwargs=programme,
        method="post",
        data=propose_data,
    ),
]
