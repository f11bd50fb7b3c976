"""Access-matrix rows of the added values: the catalogue, the public page, deliveries, figures.

Partner A's services and deliveries are partner A's: partner B staff, the city's coordinator
and partner A's viewer get the same 404 as for a service that does not exist. The resident
page answers any organisation that records deliveries, but shows only its own deliveries
(see tillsammans/addedvalues/tests/test_views.py).
"""

import uuid
from typing import Any

from django.utils import timezone

from tests.access import (
    EVERYONE,
    MEMBERS,
    PARTNER_A_MANAGERS,
    PEOPLE,
    REDIRECT,
    Row,
    closed,
    household_a,
)
from tests.conftest import ANONYMOUS


def _service_a(cast: Any, **extra: Any) -> Any:
    from tillsammans.addedvalues.services import service_create

    fields = {"name_sv": "Språkcafé", "category": "language"} | extra
    return service_create(actor=cast.a_admin, **fields)


def service_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _service_a(cast).public_id}


def meeting_place_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _service_a(cast, is_meeting_place=True).public_id}


def delivery_a(cast: Any) -> dict[str, Any]:
    from tillsammans.addedvalues.services import delivery_record

    delivery = delivery_record(
        actor=cast.a_staff,
        service=_service_a(cast),
        household=cast.household_a,
        on=timezone.localdate(),
    )
    return {"public_id": delivery.public_id}


def pending_household(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.allocation_pending.household.public_id}


def new_service(cast: Any) -> dict[str, Any]:
    return {
        "name_sv": "Matkasse",
        "category": "food",
        "eligibility": "residents",
        "limit_days": "7",
        "limit_enforcement": "refuse",
        "is_published": "on",
    }


def attendance(cast: Any) -> dict[str, Any]:
    """The confirmation of a preview of one name, as partner A's form would post it."""
    from tillsammans.addedvalues.forms import DeliveryForm
    from tillsammans.addedvalues.models import Service
    from tillsammans.addedvalues.selectors import pasted_lines

    service = Service.objects.get()  # the one the row's kwargs made
    pasted = pasted_lines(cast.a_staff, "Olena Shevchenko")
    person = cast.household_a.persons.order_by("id").first()
    return {
        "action": "record",
        "q": "Olena Shevchenko",
        "on": timezone.localdate().isoformat(),
        "preview": DeliveryForm(service=service).preview_token(
            "Olena Shevchenko", pasted, uuid.uuid4()
        ),
        "line-1": str(person.public_id),
    }


def visitors(cast: Any) -> dict[str, Any]:
    return {"on": timezone.localdate().isoformat(), "count": "12"}


A_RECORDERS = {"a_admin": 200, "a_staff": 200}

ROWS = [
    # The catalogue names no one: every member sees it; the public page needs no login.
    Row("service_list", closed(**MEMBERS)),
    Row("public_services", EVERYONE),
    Row("public_services", EVERYONE, query="lang=sv", case="in Swedish"),
    Row("addedvalues_figures", closed(**MEMBERS)),
    Row("addedvalues_figures", closed(**MEMBERS), query="month=2022-13", case="bad month"),
    # Publishing: an organisation's administrator (the coordinator for the city).
    Row("service_create", closed(**PARTNER_A_MANAGERS)),
    Row(
        "service_create",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        method="post",
        data=new_service,
    ),
    Row("service_detail", closed(**MEMBERS), kwargs=service_a),
    Row("service_edit", closed(a_admin=200), kwargs=service_a),
    Row(
        "service_edit",
        closed(a_admin=REDIRECT),
        kwargs=service_a,
        method="post",
        data=new_service,
    ),
    # Deliveries: only the providing organisation.
    Row("delivery_bulk", closed(**A_RECORDERS), kwargs=service_a),
    Row(
        "delivery_bulk",
        closed(**A_RECORDERS),
        kwargs=service_a,
        method="post",
        data=lambda cast: {"action": "preview", "q": "Shevchenko"},
        case="preview",
    ),
    Row(
        "delivery_bulk",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=service_a,
        method="post",
        data=attendance,
        case="record",
    ),
    Row(
        "headcount_record",
        closed(**{role: 405 for role in MEMBERS}),
        kwargs=meeting_place_a,
    ),
    Row(
        "headcount_record",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=meeting_place_a,
        method="post",
        data=visitors,
    ),
    # Any organisation that records deliveries may open a resident's page (its own part).
    Row("resident_page", closed(**PEOPLE), kwargs=household_a),
    Row("resident_page", closed(), kwargs=pending_household, case="not a resident"),
    Row(
        "delivery_delete",
        closed(**{role: 405 for role in MEMBERS}),
        kwargs=delivery_a,
    ),
    Row(
        "delivery_delete",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=delivery_a,
        method="post",
    ),
]

assert all(ANONYMOUS in row.expect for row in ROWS)
