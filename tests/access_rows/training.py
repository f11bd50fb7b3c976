"""Joint trainings are for every member; volunteers are their own organisation's only."""

import datetime as dt
from typing import Any

from tests.access import MEMBERS, PEOPLE, REDIRECT, Row, closed


def _session(cast: Any) -> Any:
    from tillsammans.training.services import session_create

    return session_create(
        actor=cast.coordinator,
        title="Trafficking och exploatering",
        topic="trafficking",
        held_on=dt.date(2022, 10, 12),
        place="Integrationscentrum",
        organiser=cast.city,
        max_seats=40,
    )


def session(cast: Any) -> dict[str, Any]:
    return {"public_id": _session(cast).public_id}


def _volunteer(cast: Any) -> Any:
    from tillsammans.training.services import volunteer_create

    return volunteer_create(actor=cast.a_staff, alias="Karin", helps_with="Språkcafé")


def volunteer_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _volunteer(cast).public_id}


def _session_data(cast: Any) -> dict[str, Any]:
    return {
        "title": "Kulturkunskap om Ukraina",
        "topic": "ukrainian_culture",
        "held_on": "2022-11-02",
        "place": "Stadshuset",
        "organiser": cast.org_a.slug,
    }


ROWS = [
    Row("training_list", closed(**MEMBERS)),
    Row("training_list", closed(**MEMBERS), query="topic=trafficking", case="one topic"),
    Row("training_create", closed(coordinator=200, a_admin=200)),
    # Partner A's admin adds a training of its own organisation.
    Row(
        "training_create",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        method="post",
        data=_session_data,
    ),
    Row("training_detail", closed(**MEMBERS), kwargs=session),
    # The city organised it: the coordinator edits it, a partner admin may not.
    Row("training_edit", closed(coordinator=200), kwargs=session),
    Row(
        "training_edit",
        closed(coordinator=REDIRECT),
        kwargs=session,
        method="post",
        data=lambda cast: {**_session_data(cast), "organiser": cast.city.slug},
    ),
    Row("attendance_record", closed(**{role: 405 for role in MEMBERS}), kwargs=session),
    # Everyone is sent back to the session; those who may not record get a message there.
    Row(
        "attendance_record",
        closed(**{role: REDIRECT for role in MEMBERS}),
        kwargs=session,
        method="post",
        data=lambda cast: {"organisation": cast.org_a.slug, "staff_count": 3},
    ),
    Row("volunteer_list", closed(**PEOPLE)),
    Row("volunteer_list", closed(**PEOPLE), query="q=Karin", case="search"),
    Row(
        "volunteer_list",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT, b_staff=REDIRECT),
        method="post",
        data=lambda cast: {"alias": "Sven", "helps_with": "Läxhjälp"},
    ),
    # A volunteer is seen by its own organisation only, the city included.
    Row("volunteer_detail", closed(a_admin=200, a_staff=200), kwargs=volunteer_a),
    Row(
        "volunteer_detail",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=volunteer_a,
        method="post",
        data=lambda cast: {"month": "2022-10", "hours": "12.5"},
    ),
    Row("volunteer_edit", closed(a_admin=200, a_staff=200), kwargs=volunteer_a),
    Row(
        "volunteer_edit",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=volunteer_a,
        method="post",
        data=lambda cast: {"alias": "Karin", "helps_with": "Språkcafé", "active": ""},
    ),
]
