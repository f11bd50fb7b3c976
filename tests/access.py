"""The vocabulary of the access matrix: expected answers, the roles' groups, and a row.

`tests/test_access_matrix.py` holds the rows of the first apps; each later app keeps its rows
in `tests/access_rows/<app>.py` as a list named ``ROWS``, which the matrix collects.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.conftest import ANONYMOUS, ROLES


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named ``to``; with no name, anywhere but the login page."""

    to: str | None = None


LOGIN = "login"  # 302 to the login page, with ?next= to come back
REDIRECT = Redirect()  # the action was carried out and the user sent on
Expected = int | str | Redirect


def closed(**overrides: Expected) -> dict[str, Expected]:
    """A page nobody may see unless a role is named: login for anonymous, 404 for members."""
    answers: dict[str, Expected] = {role: 404 for role in ROLES}
    answers[ANONYMOUS] = LOGIN
    answers.update(overrides)
    return answers


def api_closed(**overrides: Expected) -> dict[str, Expected]:
    # The API has no login page to send anyone to; it answers 401.
    return closed(**{ANONYMOUS: 401, **overrides})


MEMBERS = {
    "coordinator": 200, "a_admin": 200, "a_staff": 200, "a_viewer": 200, "b_staff": 200,
    "case_worker": 200,
}  # fmt: skip
PEOPLE = {"coordinator": 200, "a_admin": 200, "a_staff": 200, "b_staff": 200}
PARTNER_A_PEOPLE = {"coordinator": 200, "a_admin": 200, "a_staff": 200}
PARTNER_A_MANAGERS = {"coordinator": 200, "a_admin": 200}
EVERYONE = {role: 200 for role in ROLES}


def no_kwargs(cast: Any) -> dict[str, Any]:
    return {}


def no_data(cast: Any) -> dict[str, Any]:
    return {}


def household_a(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.household_a.public_id}


def person_a(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.household_a.persons.order_by("id").first().public_id}


def path_event_a(cast: Any) -> dict[str, Any]:
    """A permit on the legal path of partner A's resident."""
    import datetime as dt

    from tillsammans.people.models import PathEvent
    from tillsammans.people.services import path_event_record

    person = cast.household_a.persons.order_by("id").first()
    event = PathEvent.objects.filter(person=person, kind="permit_granted").first()
    if event is None:
        today = timezone.localdate()
        event = path_event_record(
            actor=cast.coordinator, person=person, kind="permit_granted",
            on=today - dt.timedelta(days=100), valid_until=today + dt.timedelta(days=200),
        )  # fmt: skip
    return {"public_id": event.public_id}


def site_a(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.site_a.public_id}


def site_b(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.site_b.public_id}


def unit_a(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.unit_a.public_id}


def _home_a(cast: Any) -> Any:
    """Partner A's HVB home with one licence, ended in February 2016 (made on first use)."""
    from tillsammans.core.factories import LicenceFactory
    from tillsammans.housing.models import Site

    home = Site.objects.filter(organisation=cast.org_a, name="HVB A").first()
    if home is None:
        home = LicenceFactory.create(
            site__organisation=cast.org_a, site__name="HVB A", valid_to=dt.date(2016, 2, 29)
        ).site
    return home


def home_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _home_a(cast).public_id}


def licence_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _home_a(cast).licences.get().public_id}


def new_licence(cast: Any) -> dict[str, Any]:
    return {
        "number": "IVO 8.5-2/2016", "holder": cast.org_a.pk, "min_age": 13, "max_age": 20,
        "sex": "any", "places": 8, "valid_from": "2016-03-01", "valid_to": "",
    }  # fmt: skip


def stay_a(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.stay_a.public_id}


def moved_out_stay_a(cast: Any) -> dict[str, Any]:
    """Household A moved out of unit A by partner A's staff, just now."""
    from tillsammans.reception.services import stay_end

    stay_end(
        actor=cast.a_staff,
        stay=cast.stay_a,
        on=dt.date.fromisoformat(MOVE_DAY),
        reason="own_housing",
    )
    return {"public_id": cast.stay_a.public_id}


def pending_allocation(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.allocation_pending.public_id}


def never_arrived_allocation(cast: Any) -> dict[str, Any]:
    from tillsammans.reception.models import AllocationStatus
    from tillsammans.reception.services import allocation_set_status

    allocation_set_status(
        actor=cast.coordinator, allocation=cast.allocation_pending,
        status=AllocationStatus.NEVER_ARRIVED, reason="Kom aldrig",
    )  # fmt: skip
    return {"public_id": cast.allocation_pending.public_id}


def placed_allocation(cast: Any) -> dict[str, Any]:
    return {"public_id": cast.stay_a.allocation.public_id}


def api_household_a(cast: Any) -> dict[str, Any]:
    return {"household_id": cast.household_a.public_id}


def partner_a_staff_member(cast: Any) -> dict[str, Any]:
    return {"slug": cast.org_a.slug, "user_id": cast.a_staff.public_id}


MOVE_DAY = "2022-08-01"


def _proposal(cast: Any) -> Any:
    from tillsammans.placement.services import proposal_create

    return proposal_create(actor=cast.coordinator, on=dt.date.fromisoformat(MOVE_DAY))


def proposal(cast: Any) -> dict[str, Any]:
    return {"public_id": _proposal(cast).public_id}


def proposal_item(cast: Any) -> dict[str, Any]:
    return {"public_id": _proposal(cast).items.get().public_id}


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict[str, Expected]
    kwargs: Callable[[Any], dict[str, Any]] = no_kwargs
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = no_data
    query: str = ""
    case: str = ""

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}" + (f" ({self.case})" if self.case else "")
