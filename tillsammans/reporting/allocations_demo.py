"""The demo's allocations of the last year: the Migration Agency still allocates.

Three households came about a year ago: their first permits are a year old next month, so
they can be registered in the population register then (the work list of those who can). A
few households were allocated in the last weeks and are expected in the coming two (the
placement page's work); one, expected three weeks ago, has not come (the list of allocations
whose people never arrived). They go through the reception's own services, as the coordinator
registers an allocation by hand and places it.
"""

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from tillsammans.core.lib.dates import add_months
from tillsammans.partnership.models import Membership, Role
from tillsammans.people.models import Person, Sex
from tillsammans.people.search import passport_spelling
from tillsammans.reception.models import Allocation
from tillsammans.reception.path_demo import PERMIT_ENDS, collective_units, place_where_room
from tillsammans.reception.services import allocation_create

from .demo import FEMALE_NAMES, MALE_NAMES, SURNAMES, feminine

DAY = dt.timedelta(days=1)
# The sizes of this year's last allocated households; the last one has not come.
NEW_HOUSEHOLDS = [2, 3, 1, 4, 2, 2, 3, 1, 2, 3]
# The sizes of the households that came a year ago.
YEAR_AGO_HOUSEHOLDS = [3, 2, 2]


def _person(
    rng: random.Random, surname: str, age: int, allocated: dt.date, taken: set[str], *,
    female: bool, permit_from: dt.date | None = None,
) -> dict[str, Any]:  # fmt: skip
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    last = feminine(surname) if female else surname
    case_number = f"{allocated:%y}-{rng.randrange(100000, 1000000)}"
    while case_number in taken:
        case_number = f"{allocated:%y}-{rng.randrange(100000, 1000000)}"
    taken.add(case_number)
    return {
        "first_name": first,
        "last_name": last,
        "first_name_latin": passport_spelling(first),
        "last_name_latin": passport_spelling(last),
        "birth_date": allocated - dt.timedelta(days=365 * age + rng.randrange(365)),
        "sex": Sex.FEMALE if female else Sex.MALE,
        "languages": ["uk"] if age < 6 else ["uk", "ru"],
        "migration_case_number": case_number,
        "permit_valid_from": permit_from or allocated - rng.randint(5, 20) * DAY,
        "permit_valid_until": _permit_end(allocated),
    }


def _permit_end(day: dt.date) -> dt.date:
    """The 4 March a permit of temporary protection granted on ``day`` runs to: the EU's
    last decision, or the one after ``day`` should the demo be run later than that."""
    following = dt.date(day.year + (1 if (day.month, day.day) >= (3, 4) else 0), 3, 4)
    return max(PERMIT_ENDS[-1], following)


def _household(
    rng: random.Random, size: int, allocated: dt.date, taken: set[str],
    permit_from: dt.date | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    surname = rng.choice(SURNAMES)
    return [
        _person(rng, surname, rng.randint(25, 50) if n == 0 else rng.randint(0, 17), allocated,
                taken, female=n == 0 or rng.random() < 0.5, permit_from=permit_from)
        for n in range(size)
    ]  # fmt: skip


def _allocate(
    actor: Any, rng: random.Random, number: str, allocated: dt.date, expected: dt.date,
    persons: list[dict[str, Any]],
) -> Allocation:  # fmt: skip
    return allocation_create(
        actor=actor,
        reference=f"ANV-{number}",
        allocated_on=allocated,
        expected_arrival=expected,
        household_reference=f"H-{number}",
        persons=persons,
        needs={"needs_accessible": False, "has_pets": rng.random() < 0.1,
               "medical_priority": False},
    )  # fmt: skip


def load(rng: random.Random) -> None:
    membership = Membership.objects.filter(role=Role.COORDINATOR).select_related("user")
    first = membership.order_by("id").first()
    if first is None:
        return
    actor, today = first.user, timezone.localdate()
    taken = set(Person.objects.values_list("migration_case_number", flat=True))
    # A year ago: first permits from days of next month, a year back.
    next_month = add_months(today.replace(day=1), 1)
    units = collective_units(rng)
    for index, size in enumerate(YEAR_AGO_HOUSEHOLDS):
        permit_from = add_months(next_month, -12) + rng.randint(0, 20) * DAY
        allocated = permit_from + rng.randint(3, 10) * DAY
        arrival = allocated + rng.randint(3, 7) * DAY
        persons = _household(rng, size, allocated, taken, permit_from)
        allocation = _allocate(
            actor, rng, f"{allocated:%Y}-{index + 901:04d}", allocated, arrival, persons
        )
        place_where_room(actor, allocation, arrival, units)
    # The last weeks: expected in the coming two, and one expected three weeks ago.
    for index, size in enumerate(NEW_HOUSEHOLDS):
        allocated = today - rng.randint(3, 20) * DAY
        expected = today + rng.randint(1, 14) * DAY
        if index == len(NEW_HOUSEHOLDS) - 1:
            allocated, expected = today - 35 * DAY, today - 21 * DAY
        persons = _household(rng, size, allocated, taken)
        _allocate(actor, rng, f"{today:%Y}-{index + 1:04d}", allocated, expected, persons)
