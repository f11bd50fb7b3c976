"""Double booking under real concurrency: many connections race for the same beds.

Each attempt runs in its own thread with its own database connection, and a barrier
releases them together, so the row locks in ``reception/lock_objects.py`` (and the partial
unique index on open occupancies behind them) are what decides who gets a bed.
"""

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
)
from tillsammans.core.models import User
from tillsammans.housing.models import Unit
from tillsammans.reception.models import Allocation, AllocationStatus, Occupancy, Stay
from tillsammans.reception.services import allocation_place, stay_move

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "needs PostgreSQL: SQLite serialises every writer, so there is no race to test; "
            "run `make test-concurrency`"
        ),
    ),
]

PLACED_ON = dt.date(2022, 8, 1)
MOVED_ON = dt.date(2022, 9, 1)
# Long enough for PostgreSQL's deadlock detector (1 s) to fire several times over.
JOIN_TIMEOUT = 120
NO_ROOM_TEXTS = ("no longer room", "inte längre plats")


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(
    count: int, prepare: Callable[[int], tuple[Any, ...]], act: Callable[..., Any]
) -> list[Outcome]:
    """Run ``act(*prepare(i))`` in ``count`` threads, released at once by a barrier.

    ``prepare`` runs before the barrier so every thread has opened its connection and
    loaded its objects; the race is then only the service call.
    """
    barrier = threading.Barrier(count, timeout=60)
    outcomes = [Outcome() for _ in range(count)]

    def worker(index: int) -> None:
        try:
            with translation.override("en"):
                args = prepare(index)
                barrier.wait()
                outcomes[index].value = act(*args)
        except BaseException as exc:
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} threads never finished: a lock is held or waited on forever"
    return outcomes


def unexpected(outcomes: list[Outcome]) -> list[str]:
    """Every error that is not the service's own "no room" answer, for the failure message."""
    return [
        repr(o.error)
        for o in outcomes
        if o.error is not None
        and not (isinstance(o.error, ServiceError) and o.error.code == "no_room")
    ]


def pending_allocations(count: int) -> list[int]:
    ids = []
    for _ in range(count):
        household = HouseholdFactory()
        PersonFactory(household=household)
        ids.append(AllocationFactory(household=household).pk)
    return ids


def household_in(unit: Any, coordinator: Any) -> Stay:
    household = HouseholdFactory()
    PersonFactory(household=household)
    allocation = AllocationFactory(household=household)
    return allocation_place(actor=coordinator, allocation=allocation, unit=unit, on=PLACED_ON)


def open_occupancies(unit: Any) -> Any:
    return Occupancy.objects.filter(bed__unit=unit, ended_on__isnull=True)


def assert_no_bed_twice(unit: Any) -> None:
    beds = list(open_occupancies(unit).values_list("bed_id", flat=True))
    assert len(beds) == len(set(beds)), f"a bed holds two people: {sorted(beds)}"


def coordinator_in_thread(cast: Any) -> Any:
    return User.objects.select_related("membership__organisation").get(pk=cast.coordinator.pk)


def test_it_fills_ten_free_beds_from_fifty_simultaneous_placements(cast):
    # given: ten free beds and fifty one-person households waiting for them
    unit = UnitFactory(site=cast.site_b, name="Race", beds=10)
    allocation_ids = pending_allocations(50)

    def prepare(index: int) -> tuple[Any, ...]:
        actor = coordinator_in_thread(cast)
        allocation = Allocation.objects.select_related("household").get(pk=allocation_ids[index])
        return actor, allocation, Unit.objects.select_related("site").get(pk=unit.pk)

    def place(actor: Any, allocation: Any, target: Any) -> Any:
        return allocation_place(actor=actor, allocation=allocation, unit=target, on=PLACED_ON)

    # when
    outcomes = run_together(50, prepare, place)
    # then
    assert unexpected(outcomes) == []
    placed = [o for o in outcomes if o.error is None]
    refused = [o for o in outcomes if o.error is not None]
    assert len(placed) == 10
    assert len(refused) == 40
    for outcome in refused:
        assert "no longer room" in str(outcome.error.message)
    assert open_occupancies(unit).count() == 10
    assert_no_bed_twice(unit)
    assert Stay.objects.filter(unit=unit, ended_on__isnull=True).count() == 10
    statuses = list(
        Allocation.objects.filter(pk__in=allocation_ids).values_list("status", flat=True)
    )
    assert statuses.count(AllocationStatus.PLACED) == 10
    assert statuses.count(AllocationStatus.PENDING) == 40


def test_it_answers_the_losers_of_a_placement_race_on_the_page_without_a_500(cast):
    # given: three free beds, eight coordinators' browsers on eight allocation pages
    unit = UnitFactory(site=cast.site_b, name="Race", beds=3)
    allocation_ids = pending_allocations(8)
    allocations = list(Allocation.objects.filter(pk__in=allocation_ids))
    clients = []
    for _ in allocations:
        client = Client()
        client.force_login(cast.coordinator)
        clients.append(client)
    form = {"unit": str(unit.public_id), "on": PLACED_ON.isoformat()}

    def prepare(index: int) -> tuple[Any, ...]:
        # A first request opens this thread's connection before the race starts.
        clients[index].get(reverse("healthz"))
        return clients[index], reverse("allocation_detail", args=[allocations[index].public_id])

    def post(client: Client, url: str) -> Any:
        return client.post(url, form)

    # when
    outcomes = run_together(len(clients), prepare, post)
    # then
    assert [repr(o.error) for o in outcomes if o.error is not None] == []
    answers = [o.value for o in outcomes]
    assert [r.status_code for r in answers if r.status_code >= 500] == []
    placed = [r for r in answers if r.status_code == 302]
    refused = [r for r in answers if r.status_code != 302]
    assert len(placed) == 3
    assert len(refused) == 5
    for response in refused:
        assert response.status_code == 400
        page = response.content.decode()
        assert any(text in page for text in NO_ROOM_TEXTS), page
    assert open_occupancies(unit).count() == 3
    assert_no_bed_twice(unit)


def test_it_moves_households_from_many_sites_into_one_unit_without_deadlock(cast):
    # given: source sites created before and after the target's, so that the locks of
    # half the moves are taken source-first and of the other half target-first
    early_sites = [SiteFactory(organisation=cast.org_a) for _ in range(3)]
    target = UnitFactory(site=SiteFactory(organisation=cast.org_b), name="Target", beds=5)
    late_sites = [SiteFactory(organisation=cast.org_b) for _ in range(3)]
    sources = [
        UnitFactory(site=site, beds=1) for site in early_sites + late_sites for _ in range(2)
    ]
    stays = [household_in(unit, cast.coordinator) for unit in sources]

    def prepare(index: int) -> tuple[Any, ...]:
        actor = coordinator_in_thread(cast)
        stay = Stay.objects.select_related("unit__site", "household").get(pk=stays[index].pk)
        return actor, stay, Unit.objects.select_related("site").get(pk=target.pk)

    def move(actor: Any, stay: Any, to_unit: Any) -> Any:
        return stay_move(actor=actor, stay=stay, to_unit=to_unit, on=MOVED_ON)

    # when
    outcomes = run_together(len(stays), prepare, move)
    # then
    assert unexpected(outcomes) == []
    moved = [o for o in outcomes if o.error is None]
    assert len(moved) == 5
    assert open_occupancies(target).count() == 5
    assert_no_bed_twice(target)
    # A refused move leaves the household where it was: the old stay is still open.
    for stay, outcome in zip(stays, outcomes, strict=True):
        stay.refresh_from_db()
        if outcome.error is None:
            assert stay.ended_on == MOVED_ON
        else:
            assert stay.ended_on is None
            assert open_occupancies(stay.unit).count() == 1


def test_it_swaps_households_between_units_in_both_directions_at_once(cast):
    # given: pairs of units with one household and one free bed each; in every pair one
    # household moves A->B while the other moves B->A, the textbook deadlock if the two
    # transactions locked their own unit first
    pairs = []
    for index in range(6):
        first = UnitFactory(site=SiteFactory(organisation=cast.org_a), name=f"P{index}", beds=2)
        second = UnitFactory(site=SiteFactory(organisation=cast.org_b), name=f"Q{index}", beds=2)
        pairs.append((first, second))
    moves = []
    for first, second in pairs:
        moves.append((household_in(first, cast.coordinator), second))
        moves.append((household_in(second, cast.coordinator), first))

    def prepare(index: int) -> tuple[Any, ...]:
        stay, to_unit = moves[index]
        return (
            coordinator_in_thread(cast),
            Stay.objects.select_related("unit__site", "household").get(pk=stay.pk),
            Unit.objects.select_related("site").get(pk=to_unit.pk),
        )

    def move(actor: Any, stay: Any, to_unit: Any) -> Any:
        return stay_move(actor=actor, stay=stay, to_unit=to_unit, on=MOVED_ON)

    # when
    outcomes = run_together(len(moves), prepare, move)
    # then
    assert [repr(o.error) for o in outcomes if o.error is not None] == []
    for (stay, to_unit), outcome in zip(moves, outcomes, strict=True):
        assert outcome.value.unit_id == to_unit.pk
        assert Stay.objects.get(pk=stay.pk).ended_on == MOVED_ON
    for first, second in pairs:
        assert open_occupancies(first).count() == 1
        assert open_occupancies(second).count() == 1


def test_it_shares_the_last_beds_between_placements_and_moves_racing_for_them(cast):
    # given: six free beds wanted by ten placements and ten moves at the same moment
    target = UnitFactory(site=cast.site_b, name="Target", beds=6)
    allocation_ids = pending_allocations(10)
    sources = [UnitFactory(site=SiteFactory(organisation=cast.org_a), beds=1) for _ in range(10)]
    stays = [household_in(unit, cast.coordinator) for unit in sources]

    def prepare(index: int) -> tuple[Any, ...]:
        actor = coordinator_in_thread(cast)
        to_unit = Unit.objects.select_related("site").get(pk=target.pk)
        if index < 10:
            return actor, Allocation.objects.get(pk=allocation_ids[index]), to_unit
        stay = Stay.objects.select_related("unit__site", "household").get(pk=stays[index - 10].pk)
        return actor, stay, to_unit

    def act(actor: Any, thing: Any, to_unit: Any) -> Any:
        if isinstance(thing, Allocation):
            return allocation_place(actor=actor, allocation=thing, unit=to_unit, on=MOVED_ON)
        return stay_move(actor=actor, stay=thing, to_unit=to_unit, on=MOVED_ON)

    # when
    outcomes = run_together(20, prepare, act)
    # then
    assert unexpected(outcomes) == []
    assert len([o for o in outcomes if o.error is None]) == 6
    assert open_occupancies(target).count() == 6
    assert_no_bed_twice(target)
    assert Occupancy.objects.filter(ended_on__isnull=True).count() == (
        # the cast's household of two, the six in the target, and the moves that failed
        2 + 6 + sum(1 for o in outcomes[10:] if o.error is not None)
    )


def test_it_answers_already_housed_when_one_household_is_placed_twice_at_once(cast):
    # given: one household allocated twice, placed into two units with room at once
    household = HouseholdFactory()
    PersonFactory(household=household)
    allocations = [AllocationFactory(household=household) for _ in range(2)]
    units = [UnitFactory(site=SiteFactory(organisation=cast.org_b), beds=2) for _ in range(2)]

    def prepare(index: int) -> tuple[Any, ...]:
        return (
            coordinator_in_thread(cast),
            Allocation.objects.get(pk=allocations[index].pk),
            Unit.objects.get(pk=units[index].pk),
        )

    def place(actor: Any, allocation: Any, unit: Any) -> Stay:
        return allocation_place(actor=actor, allocation=allocation, unit=unit, on=PLACED_ON)

    # when
    outcomes = run_together(2, prepare, place)
    # then: one wins; the other is told the real reason, not "no room"
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], ServiceError)
    assert errors[0].code == "already_housed"
    assert Stay.objects.filter(household=household, ended_on__isnull=True).count() == 1
