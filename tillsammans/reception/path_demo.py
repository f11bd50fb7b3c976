"""The demo's legal paths (issue 14, ADR 30): what became of the people of 2022 who still
lived in the reception's places when 2022 ended.

Their permits of 2022 ran to 4 March 2023 (some to 2024); the EU extended temporary
protection year by year, to 4 March 2027, and each person applied for each extension before
the permit ran out and was granted it. From 1 November 2024 they could be registered in the
population register: most households registered over the following months, member by member,
and moved on to housing of their own some weeks later. Of those still here today, some
registered only lately (the list of registered persons still in reception housing), some have
not yet registered (past the four weeks), and a few forgot the 2026 extension (the permit ran
out). Host-home guests stay where they are; their paths are drawn the same way.

The households allocated in the last days of 2022 came in January 2023, but for two that never
did (the coordinator has marked them so); their paths are drawn as the others'. (This
year's allocations are ``reporting.allocations_demo``.)

The events are written in bulk, as the coordinator's records (seeding a demo of four years
through the one-at-a-time service would take minutes); the moves in and out, the allocations
and the "never arrived" go through the reception's own services.
"""

import datetime as dt
import random
from itertools import pairwise
from typing import Any

from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.identity import luhn_ok
from tillsammans.housing.models import SiteKind, Unit
from tillsammans.partnership.models import Membership, Role
from tillsammans.people.models import PathEvent, PathEventKind, Person, Sex
from tillsammans.people.path import REGISTRATION_POSSIBLE_FROM
from tillsammans.people.services import LISTED_PERMIT, refresh_path_summaries

from .models import Allocation, AllocationStatus, ExitReason, Stay
from .services import allocation_place, allocation_set_status, stay_end

# The last day of each year's permit under temporary protection (the EU's decisions).
PERMIT_ENDS = [dt.date(y, 3, 4) for y in range(2023, 2028)]
DAY = dt.timedelta(days=1)
# What became of a household still here at the end of 2022: (fate, weight).
FATES = [("moved_on", 76), ("registered_here", 7), ("overdue", 9), ("lapsed", 8)]
# A host home's guests stay on with their hosts (Hjärterum's agreements run on).
HOST_FATES = [("registered_here", 20), ("overdue", 60), ("lapsed", 20)]
# Why two of the households allocated in December 2022 never came.
NEVER_CAME = [
    "Familjen reste vidare till släktingar i Norge.",
    "Familjen återvände till Ukraina innan den kom hit.",
]


def personal_number(rng: random.Random, born: dt.date, sex: str, taken: set[str]) -> str:
    """A valid personnummer (Luhn), unique in the demo."""
    while True:
        serial = rng.randrange(10, 100) * 10 + rng.choice(
            (1, 3, 5, 7, 9) if sex == Sex.MALE else (0, 2, 4, 6, 8)
        )
        body = f"{born:%Y%m%d}{serial:03d}"
        number = next(body + str(d) for d in range(10) if luhn_ok(body[2:] + str(d)))
        if number not in taken:
            taken.add(number)
            return number


def collective_units(rng: random.Random) -> list[Unit]:
    """The units of the collective sites, in an order of the demo's chance."""
    units = list(
        Unit.objects.filter(site__kind__in=(SiteKind.COLLECTIVE_SELF, SiteKind.COLLECTIVE_FOOD))
        .select_related("site")
        .order_by("site__name", "id")
    )
    rng.shuffle(units)
    return units


def place_where_room(actor: Any, allocation: Allocation, day: dt.date, units: list[Unit]) -> None:
    """Place the allocation's household on ``day`` in the first of ``units`` with room; a
    demo that finds none is broken, and says so."""
    for unit in units:
        if unit.site.opens_on > day or (unit.site.closes_on and unit.site.closes_on <= day):
            continue
        try:
            allocation_place(actor=actor, allocation=allocation, unit=unit, on=day)
        except ServiceError:
            continue  # no room there that day: the next unit
        return
    raise RuntimeError(f"The demo has no unit with room for {allocation} on {day}.")


class PathDemo:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = timezone.localdate()
        membership = Membership.objects.filter(role=Role.COORDINATOR).select_related("user")
        self.coordinator = membership.order_by("id").first().user  # type: ignore[union-attr]
        self.events: list[PathEvent] = []
        self.changed: list[Person] = []
        self.taken = set(
            Person.objects.exclude(swedish_id_number="").values_list("swedish_id_number", flat=True)
        )

    def event(self, person: Person, kind: str, on: dt.date, **more: Any) -> None:
        if on <= self.today:
            self.events.append(
                PathEvent(person=person, kind=kind, on=on, recorded_by=self.coordinator, **more)
            )

    def permits(self, person: Person, lapse: bool) -> dt.date:
        """The person's permit and its extensions; the last day of the permit in force."""
        assert person.permit_valid_from and person.permit_valid_until
        until = person.permit_valid_until
        self.event(person, PathEventKind.PERMIT_GRANTED, person.permit_valid_from,
                   valid_until=until, source=LISTED_PERMIT)  # fmt: skip
        for end, following in pairwise(PERMIT_ENDS):
            if end < until or end > self.today:
                continue
            if lapse and end == dt.date(2026, 3, 4):
                break  # forgot to apply: the permit ran out
            self.event(
                person, PathEventKind.EXTENSION_APPLIED, end - self.rng.randint(10, 60) * DAY
            )
            granted = end - self.rng.randint(0, 9) * DAY
            self.event(person, PathEventKind.EXTENSION_GRANTED, granted, valid_until=following)
            until = following
        return until

    def register(self, person: Person, on: dt.date) -> None:
        number = personal_number(self.rng, person.birth_date, person.sex, self.taken)
        self.event(person, PathEventKind.REGISTERED, on, identity_number=number)
        person.swedish_id_number = number

    def household(self, stay: Stay) -> None:
        rng = self.rng
        weights = FATES if stay.unit.site.kind != SiteKind.HOST_HOME else HOST_FATES
        fate = rng.choices([f for f, _w in weights], [w for _f, w in weights])[0]
        persons = list(stay.household.persons.all())
        first = REGISTRATION_POSSIBLE_FROM + rng.randint(5, 200) * DAY
        recent = self.today - rng.randint(5, 40) * DAY
        last_registered = None
        for person in persons:
            if not (person.permit_valid_from and person.permit_valid_until):
                continue
            person.permit_valid_until = self.permits(person, lapse=fate == "lapsed")
            if fate in ("moved_on", "registered_here"):
                on = (first if fate == "moved_on" else recent) + rng.randint(0, 20) * DAY
                on = min(on, self.today)
                self.register(person, on)
                last_registered = max(last_registered or on, on)
            self.changed.append(person)
        if fate == "moved_on" and last_registered is not None:
            out = last_registered + rng.randint(20, 90) * DAY
            if out <= self.today:
                stay_end(actor=self.coordinator, stay=stay, on=out, reason=ExitReason.OWN_HOUSING)

    def december_allocations(self) -> None:
        """The allocations of late December 2022: placed when expected in January, in the
        first unit with room, but for the two whose households never came."""
        pending = list(
            Allocation.objects.filter(
                status=AllocationStatus.PENDING, allocated_on__year=2022,
                household__unaccompanied=False,
            ).select_related("household").order_by("reference")
        )  # fmt: skip
        for allocation, reason in zip(pending, NEVER_CAME, strict=False):
            allocation_set_status(
                actor=self.coordinator, allocation=allocation,
                status=AllocationStatus.NEVER_ARRIVED, reason=reason,
            )  # fmt: skip
        units = collective_units(self.rng)
        for allocation in pending[len(NEVER_CAME) :]:
            day = allocation.expected_arrival or allocation.allocated_on
            place_where_room(self.coordinator, allocation, day, units)

    def run(self) -> None:
        self.december_allocations()
        stays = (
            Stay.objects.filter(ended_on__isnull=True, household__unaccompanied=False)
            .filter(started_on__lt=dt.date(2023, 3, 1))  # the 2022 allocations came by February
            .select_related("unit__site", "household")
            .prefetch_related("household__persons")
            .order_by("id")
        )
        for stay in stays:
            self.household(stay)
        PathEvent.objects.bulk_create(self.events, batch_size=2000)
        Person.objects.bulk_update(
            self.changed, ["permit_valid_until", "swedish_id_number"], batch_size=2000
        )
        refresh_path_summaries(event.person_id for event in self.events)


def load(rng: random.Random) -> None:
    if not Membership.objects.filter(role=Role.COORDINATOR).exists():
        return
    PathDemo(rng).run()
