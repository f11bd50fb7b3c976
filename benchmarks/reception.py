"""Reception at national scale: how fast the pages staff use all day answer, and imports run.

Generates a dataset the size of Sweden's reception under the Temporary Protection Directive
(100 000 persons, 2 000 sites, stays from March 2022 to today) into a fresh database, then
measures with Django's test client, logged in as a city coordinator and as partner staff:

- the dashboard ``/``;
- the household list ``/households/``;
- person search ``/households/?q=...`` (Cyrillic, passport Latin, Swedish spelling, one typo);
- the import of a 10 000-row allocation file (parse + commit);

on SQLite (a temporary file) and on PostgreSQL (its own database ``tillsammans_bench``,
created and dropped here). Each figure is printed with its ratio to the target and to two
baselines measured in the same run (a bare ``SELECT 1`` and the trivial ``/healthz`` page),
so that figures from a busy shared machine can still be compared.

    .venv/bin/python benchmarks/reception.py                 # full size, both databases
    .venv/bin/python benchmarks/reception.py --quick         # 10 000 persons, 200 sites
    .venv/bin/python benchmarks/reception.py --skip-postgres

Every person is synthetic. Each database is measured in its own process, because Django reads
its database settings once, at setup.
"""

import argparse
import csv
import datetime as dt
import heapq
import io
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "tillsammans_bench"
TARGETS = {"dashboard_p95_ms": 150.0, "search_p95_ms": 100.0, "import_rows_per_s": 2000.0}
SEED = 20220304
CHUNK = 5_000
IMPORT_ROWS = 10_000


# -- the parent: one child process per database, then the table ------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=50, help="requests per measurement")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 000 persons and 200 sites")
    parser.add_argument(
        "--minors", type=int, default=35_369,
        help="unaccompanied young people with Arabic-script, Ge'ez and Somali names (2015)",
    )  # fmt: skip
    parser.add_argument("--explain", action="store_true", help="print query plans of slow queries")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a database URL: run one backend
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.persons, args.sites, args.minors = 10_000, 200, 3_537
    if args.child:
        result = run_backend(args)
        Path(args.result_file).write_text(json.dumps(result), encoding="utf-8")
        return
    started = time.monotonic()
    extra = ["--minors", str(args.minors)] + (["--explain"] if args.explain else [])
    results = run_each_database(args, __file__, PG_DATABASE, extra)
    print_report(args, results, time.monotonic() - started)


def run_each_database(
    args: argparse.Namespace, script: str, pg_database: str, extra: list[str] | None = None
) -> list[dict[str, Any]]:
    """Run ``script`` once on a temporary SQLite file and once on PostgreSQL's
    ``pg_database`` (unless --skip-postgres), each in a child process because Django reads its
    database settings once; returns the results of the runs that finished."""
    results = []
    with tempfile.TemporaryDirectory(prefix="tillsammans-bench-") as directory:
        results.append(
            _child(args, script, f"sqlite:///{directory}/bench.sqlite3", directory, extra)
        )
        if args.skip_postgres:
            print("postgresql: skipped (--skip-postgres)")
        else:
            problem = _pg_create(pg_database)
            if problem:
                print(f"postgresql: skipped, the server at {PG_SERVER} is unreachable: {problem}")
            else:
                try:
                    results.append(
                        _child(args, script, f"{PG_SERVER}/{pg_database}", directory, extra)
                    )
                finally:
                    _pg_drop(pg_database)
    return [result for result in results if result]


def _child(
    args: argparse.Namespace, script: str, url: str, directory: str, extra: list[str] | None
) -> dict[str, Any] | None:
    result_file = Path(directory) / "result.json"
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable, script, "--child", url, "--result-file", str(result_file),
        "--persons", str(args.persons), "--sites", str(args.sites), "--runs", str(args.runs),
        *(extra or []),
    ]  # fmt: skip
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0 or not result_file.exists():
        print(f"{url.split(':')[0]}: the run failed (exit code {completed.returncode})")
        return None
    return json.loads(result_file.read_text(encoding="utf-8"))


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def _pg_create(name: str | None = None) -> str:
    name = name or PG_DATABASE
    try:
        with _pg_admin() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
    except Exception as exc:  # any failure means: no PostgreSQL to measure here
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ""


def _pg_drop(name: str | None = None) -> None:
    with _pg_admin() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name or PG_DATABASE} WITH (FORCE)")


# -- the child: set up Django on its own database ---------------------------------------------


def _setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tillsammans.settings"
    os.environ["ALLOW_DEV_SECRET"] = "true"  # noqa: S105 -- a switch, not a secret
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    # The pages are measured as a coordinator would use them once logged in with TOTP.
    os.environ["MFA_REQUIRED_FOR_COORDINATORS"] = "false"
    # Persistent connections, as in production: a new connection per request would be
    # measured otherwise, which says more about the network than about the application.
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    _setup_django(args.child)
    from django.core.management import call_command
    from django.db import connection

    vendor = connection.vendor
    say = _sayer(vendor)
    say(f"migrating {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    world = generate(args.persons, args.sites, say, minors=args.minors)
    generation = time.monotonic() - started
    say(f"generated in {generation:.0f} s; analysing tables")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result: dict[str, Any] = {
        "backend": vendor,
        "version": _db_version(),
        "counts": world.counts(),
        "generation_s": round(generation, 1),
    }
    result.update(measure(world, args.runs, args.explain, say))
    return result


def _sayer(vendor: str) -> Callable[[str], None]:
    started = time.monotonic()

    def say(message: str) -> None:
        print(f"[{vendor} {time.monotonic() - started:6.1f}s] {message}", flush=True)

    return say


def _db_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0].split()[0]


# -- the data ---------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


# Extra surnames so that the name index has a national spread, not 60 families.
ROOTS = _words(
    "Коваль Шевч Бондар Ткач Кравч Мельнич Лис Сав Руд Марч Петр Левч Кузьм Павл Харч "
    "Гонч Литвин Клим Роман Кост Гриц Іван Сидор Онищ Зінч Яков Федор Хом Черн Юрч Гнат "
    "Остап Мороз Бойч Дяч Гуман Олій Ярем Тарас Назар Степан Богдан Семен Мирон Давид Лук "
    "Тимош Ничипор Пилип Гордій Охрім Панас Демид Яцен Зозул Кирил Гаврил Приход Дорош "
    "Біл Сорок Ковтун"
)
SUFFIXES = ("енко", "ук", "юк", "ишин", "ак", "ович", "ський", "ець", "ів", "ан")
SIZES = {1: 25, 2: 34, 3: 22, 4: 11, 5: 5, 6: 3}
BED_COUNTS = {1: 6, 2: 22, 3: 24, 4: 30, 5: 10, 6: 8}
YEAR_WEIGHTS = {2022: 45, 2023: 20, 2024: 15, 2025: 12, 2026: 8}
EXITS = {"own_housing": 45, "other_municipality": 25, "returned": 22, "other": 8}
MUNICIPALITIES = _words(
    "Stockholm Göteborg Malmö Uppsala Linköping Örebro Västerås Helsingborg Norrköping "
    "Jönköping Umeå Lund Borås Gävle Eskilstuna Södertälje Karlstad Växjö Halmstad Sundsvall "
    "Luleå Trollhättan Östersund Borlänge Falun Kalmar Kristianstad Skövde Karlskrona Uddevalla"
)
KINDS = {"collective_food": 10, "collective_self": 35, "apartment": 35, "host_home": 20}


@dataclass
class World:
    """What was generated, and what the measurements need from it."""

    coordinator: Any = None
    partner_staff: Any = None
    partner_org_id: int = 0
    persons: int = 0
    households: int = 0
    sites: int = 0
    units: int = 0
    beds: int = 0
    stays: int = 0
    open_stays: int = 0
    occupancies: int = 0
    name_keys: int = 0
    pending: int = 0
    samples: list[dict[str, str]] = field(default_factory=list)
    partner_samples: list[dict[str, str]] = field(default_factory=list)
    minor_samples: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            name: getattr(self, name)
            for name in (
                "persons",
                "households",
                "sites",
                "units",
                "beds",
                "stays",
                "open_stays",
                "occupancies",
                "name_keys",
                "pending",
            )
        }


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _surnames(rng: random.Random) -> tuple[list[str], list[float]]:
    from tillsammans.reporting.demo import SURNAMES

    made = {
        root[:-1] + suffix if root.endswith("ь") and suffix[0] in "аеєиіїоуюя" else root + suffix
        for root in ROOTS
        for suffix in SUFFIXES
    }
    names = sorted(set(SURNAMES) | made)
    rng.shuffle(names)
    # A long tail, as in a population: the commonest surname is under one per cent.
    weights = [1 / (rank + 50) for rank in range(len(names))]
    return names, weights


def generate(n_persons: int, n_sites: int, say: Callable[[str], None], minors: int = 0) -> World:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tillsammans.core.models import User
    from tillsammans.partnership.models import (
        Agreement,
        AgreementTarget,
        Membership,
        Organisation,
        OrganisationKind,
        Role,
    )

    rng = random.Random(SEED)  # the same dataset on every run and every database
    world = World()
    today = timezone.localdate()
    with transaction.atomic():
        n_orgs = max(5, n_sites // 40)
        orgs = Organisation.objects.bulk_create(
            Organisation(
                id=i + 1,
                name=f"Organisation {i + 1:03d}",
                short_name=f"Org {i + 1}",
                slug=f"org-{i + 1}",
                kind=OrganisationKind.MUNICIPALITY if i == 0 else OrganisationKind.NONPROFIT,
            )
            for i in range(n_orgs)
        )
        password = make_password(None)  # unusable: the benchmark logs in with force_login
        world.coordinator = User.objects.create(
            email="coordinator@bench.example", password=password
        )
        world.partner_staff = User.objects.create(email="staff@bench.example", password=password)
        Membership.objects.create(
            user=world.coordinator, organisation=orgs[0], role=Role.COORDINATOR
        )
        Membership.objects.create(
            user=world.partner_staff, organisation=orgs[1], role=Role.PARTNER_STAFF
        )
        world.partner_org_id = orgs[1].id
        agreement = Agreement.objects.create(
            name="Nationellt mottagande", starts_on=dt.date(2022, 3, 4)
        )
        agreement.parties.set(orgs, through_defaults={"joined_on": agreement.starts_on})
        AgreementTarget.objects.create(
            agreement=agreement, valid_from=dt.date(2022, 3, 4), places=n_persons // 2
        )
        units = _generate_sites(rng, world, orgs, n_sites, today)
        say(f"{world.sites} sites, {world.units} units, {world.beds} beds")
        households = _plan_households(rng, n_persons, today)
        _replay(rng, households, units, today)
        say(f"{len(households)} households planned and placed in memory")
        _store_people(rng, world, households, say)
        _store_stays(world, households, units)
        say(f"{world.stays} stays ({world.open_stays} open), {world.occupancies} occupancies")
        _reset_sequences()
        if minors:
            _store_minors(rng, world, minors, say)
    _pick_samples(rng, world)
    return world


@dataclass
class UnitPlan:
    id: int
    site_id: int
    org_id: int
    opens_on: dt.date
    beds: list[int]  # bed ids that can be used (not blocked)


def _generate_sites(
    rng: random.Random, world: World, orgs: list[Any], n_sites: int, today: dt.date
) -> list[UnitPlan]:
    from tillsammans.housing.models import Bed, BedCount, Site, Unit

    sites, units, beds, plans = [], [], [], []
    counts: list[Any] = []
    closing = max(1, n_sites // 100)
    for index in range(n_sites):
        kind = _weighted(rng, KINDS)
        municipality = rng.choice(MUNICIPALITIES)
        # Sites opened in the spring surge of 2022; a few are about to close.
        opens = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(120))
        closes = today + dt.timedelta(days=rng.randrange(5, 60)) if index < closing else None
        sites.append(
            Site(
                id=index + 1,
                organisation=orgs[index % len(orgs)],
                kind=kind,
                name=f"{municipality} boende {index + 1}",
                city=municipality,
                district=f"{municipality} {rng.randrange(1, 9)}",
                opens_on=opens,
                closes_on=closes,
            )
        )
        n_units = 1 if kind == "host_home" and rng.random() < 0.5 else rng.randint(4, 30)
        for _ in range(n_units):
            unit_id = len(units) + 1
            count = _weighted(rng, BED_COUNTS)
            units.append(
                Unit(
                    id=unit_id,
                    site_id=index + 1,
                    name=f"Enhet {unit_id}",
                    max_households=1,
                    accessible=rng.random() < 0.15,
                    pets_allowed=rng.random() < 0.2,
                    food_service=kind == "collective_food",
                )
            )
            usable = []
            blocked_one = rng.random() < 0.01
            for number in range(1, count + 1):
                bed_id = len(beds) + 1
                blocked = blocked_one and number == count and count > 1
                beds.append(Bed(id=bed_id, unit_id=unit_id, number=number, blocked=blocked))
                if not blocked:
                    usable.append(bed_id)
            plans.append(UnitPlan(unit_id, index + 1, orgs[index % len(orgs)].id, opens, usable))
            counts.append(BedCount(unit_id=unit_id, valid_from=opens, beds=count,
                                   usable=len(usable)))  # fmt: skip
    Site.objects.bulk_create(sites, batch_size=CHUNK)
    Unit.objects.bulk_create(units, batch_size=CHUNK)
    Bed.objects.bulk_create(beds, batch_size=CHUNK)
    BedCount.objects.bulk_create(counts, batch_size=CHUNK)  # each unit's beds from its opening
    world.sites, world.units, world.beds = len(sites), len(units), len(beds)
    return plans


@dataclass
class HouseholdPlan:
    id: int
    size: int
    arrival: dt.date
    pending: bool = False
    # (unit index, start, end or None, exit reason)
    stays: list[tuple[int, dt.date, dt.date | None, str]] = field(default_factory=list)


def _arrival(rng: random.Random, today: dt.date) -> dt.date:
    year = _weighted(rng, YEAR_WEIGHTS)
    first = dt.date(2022, 3, 4) if year == 2022 else dt.date(year, 1, 1)
    last = min(today, dt.date(year, 12, 31))
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _plan_households(rng: random.Random, n_persons: int, today: dt.date) -> list[HouseholdPlan]:
    plans = []
    remaining = n_persons
    while remaining > 0:
        size = min(_weighted(rng, SIZES), remaining)
        plans.append(HouseholdPlan(id=0, size=size, arrival=_arrival(rng, today)))
        remaining -= size
    plans.sort(key=lambda plan: plan.arrival)
    for number, plan in enumerate(plans, start=1):
        plan.id = number
    return plans


def _replay(
    rng: random.Random, households: list[HouseholdPlan], units: list[UnitPlan], today: dt.date
) -> None:
    """Place households day by day: one household per unit at a time, so no bed is shared.

    Free units wait in one heap per bed count, keyed by the day they become free; a unit
    whose household is still there today never comes back.
    """
    free: dict[int, list[tuple[dt.date, int]]] = {n: [] for n in range(1, 7)}
    for index, unit in enumerate(units):
        if unit.beds:
            free[len(unit.beds)].append((unit.opens_on, index))
    for heap in free.values():
        heapq.heapify(heap)

    def take(size: int, day: dt.date) -> int | None:
        for count in range(size, 7):
            heap = free[count]
            if heap and heap[0][0] <= day:
                return heapq.heappop(heap)[1]
        return None

    def release(index: int, day: dt.date) -> None:
        heapq.heappush(free[len(units[index].beds)], (day, index))

    events: list[tuple[dt.date, int, int]] = [(h.arrival, 1, h.id) for h in households]
    heapq.heapify(events)
    by_id = {h.id: h for h in households}
    while events:
        day, kind, number = heapq.heappop(events)
        household = by_id[number]
        if kind == 0:  # the current stay ends: a move-out, or a move to another unit
            index, start, _end, _reason = household.stays[-1]
            moving = rng.random() < 0.15
            target = take(household.size, day) if moving else None
            reason = "moved" if target is not None else _weighted(rng, EXITS)
            household.stays[-1] = (index, start, day, reason)
            release(index, day)
            if target is not None:
                _settle(rng, household, target, day, today, events)
            continue
        # Arrivals of the last three weeks are partly still waiting for a place.
        if day > today - dt.timedelta(days=21) and rng.random() < 0.3:
            household.pending = True
            continue
        target = take(household.size, day)
        if target is None:
            if day >= today:
                household.pending = True
            else:
                heapq.heappush(events, (day + dt.timedelta(days=1), 1, number))
            continue
        _settle(rng, household, target, day, today, events)


def _settle(
    rng: random.Random,
    household: HouseholdPlan,
    unit: int,
    day: dt.date,
    today: dt.date,
    events: list[tuple[dt.date, int, int]],
) -> None:
    # About a third stay for good; the others leave after months, some after years.
    end = day + dt.timedelta(days=max(7, int(rng.expovariate(1 / 420))))
    if rng.random() < 0.3 or end > today:
        household.stays.append((unit, day, None, ""))
    else:
        household.stays.append((unit, day, end, ""))
        heapq.heappush(events, (end, 0, household.id))


def _store_people(
    rng: random.Random, world: World, households: list[HouseholdPlan], say: Callable[[str], None]
) -> None:
    from django.db import connection

    from tillsammans.people.models import Household, Person, PersonNameKey
    from tillsammans.people.search import name_keys, passport_spelling
    from tillsammans.people.services import person_names, prepare_person
    from tillsammans.reception.models import Allocation, AllocationStatus
    from tillsammans.reporting.demo import (
        FEMALE_NAMES,
        MALE_NAMES,
        coordination_number,
        feminine,
        swedish_spelling,
    )

    surnames, weights = _surnames(rng)
    table = connection.ops.quote_name(PersonNameKey._meta.db_table)
    # The table name comes from the model, the values are bound parameters.
    insert_key = f"INSERT INTO {table} (person_id, key) VALUES (%s, %s)"  # noqa: S608
    copy_keys = f"COPY {table} (person_id, key) FROM STDIN"
    # Spellings are computed once per name, not once per person.
    latin = {name: passport_spelling(name) for name in [*FEMALE_NAMES, *MALE_NAMES]}
    swedish = {name: swedish_spelling(name) for name in [*FEMALE_NAMES, *MALE_NAMES]}
    person_id = key_count = 0
    numbers: set[str] = set()  # one person per number (person_swedish_id_unique)

    def _new_number(rng: random.Random, born: dt.date, sex: str, taken: set[str]) -> str:
        number = coordination_number(rng, born, sex)
        while number in taken:
            number = coordination_number(rng, born, sex)
        taken.add(number)
        return number

    for batch in _chunks(households, CHUNK // 2):
        rows, persons, allocations = [], [], []
        for plan in batch:
            rows.append(
                Household(
                    id=plan.id,
                    reference=f"B-{plan.id:07d}",
                    has_pets=rng.random() < 0.05,
                    needs_accessible=rng.random() < 0.04,
                )
            )
            allocated = max(dt.date(2022, 3, 4), plan.arrival - dt.timedelta(rng.randrange(21)))
            allocations.append(
                Allocation(
                    id=plan.id,
                    household_id=plan.id,
                    reference=f"MV-{plan.id:07d}",
                    allocated_on=allocated,
                    expected_arrival=plan.arrival,
                    status=AllocationStatus.PENDING if plan.pending else AllocationStatus.PLACED,
                )
            )
            surname = rng.choices(surnames, weights=weights)[0]
            for member in range(plan.size):
                person_id += 1
                female = member == 0 or rng.random() < 0.55
                age = (
                    rng.randint(20, 60)
                    if member == 0
                    else rng.choice((rng.randint(0, 17), rng.randint(0, 17), rng.randint(18, 85)))
                )
                born = plan.arrival - dt.timedelta(days=365 * age + rng.randrange(365))
                first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                last = feminine(surname) if female else surname
                last_latin = passport_spelling(last)
                person = Person(
                    id=person_id,
                    household_id=plan.id,
                    first_name=first,
                    last_name=last,
                    first_name_latin=latin[first],
                    last_name_latin=last_latin,
                    name_swedish=(
                        f"{swedish[first]} {swedish_spelling(last)}" if rng.random() < 0.25 else ""
                    ),
                    birth_date=born,
                    sex="female" if female else "male",
                    languages=["uk", "ru"] if rng.random() < 0.6 else ["uk"],
                    migration_case_number=f"{plan.arrival:%y}-{person_id:06d}",
                    permit_card_number=f"UT{person_id:08d}",
                    permit_valid_from=allocated,
                    permit_valid_until=dt.date(2027, 3, 4),
                    swedish_id_number=(
                        _new_number(rng, born, "female" if female else "male", numbers)
                        if rng.random() < 0.08
                        else ""
                    ),
                )
                prepare_person(person)
                persons.append(person)
        Household.objects.bulk_create(rows)
        Allocation.objects.bulk_create(allocations)
        Person.objects.bulk_create(persons)
        keys = [(p.id, key) for p in persons for key in sorted(name_keys(person_names(p)))]
        # Fifteen-odd keys a person make this the largest table by far; COPY (PostgreSQL)
        # or a plain executemany (SQLite) stores it several times faster than bulk_create,
        # which compiles every row.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(copy_keys) as copy:
                    for row in keys:
                        copy.write_row(row)
            else:
                cursor.executemany(insert_key, keys)
        key_count += len(keys)
        world.households += len(rows)
        world.persons += len(persons)
        world.pending += sum(1 for plan in batch if plan.pending)
        if world.households % (CHUNK * 4) < len(batch):
            say(f"{world.persons} persons, {key_count} name keys")
    world.name_keys = key_count


def _store_stays(world: World, households: list[HouseholdPlan], units: list[UnitPlan]) -> None:
    from tillsammans.people.models import Person
    from tillsammans.reception.models import Occupancy, Stay

    members: dict[int, list[int]] = {}
    for person_id, household_id in Person.objects.values_list("id", "household_id").order_by("id"):
        members.setdefault(household_id, []).append(person_id)

    def rows() -> Iterator[tuple[Stay, list[Occupancy]]]:
        stay_id = 0
        for plan in households:
            for index, start, end, reason in plan.stays:
                stay_id += 1
                unit = units[index]
                stay = Stay(
                    id=stay_id,
                    household_id=plan.id,
                    unit_id=unit.id,
                    allocation_id=plan.id,
                    started_on=start,
                    ended_on=end,
                    exit_reason=reason,
                )
                occupancies = [
                    Occupancy(
                        stay_id=stay_id,
                        person_id=person,
                        bed_id=bed,
                        started_on=start,
                        ended_on=end,
                    )
                    for person, bed in zip(members[plan.id], unit.beds, strict=False)
                ]
                yield stay, occupancies

    for batch in _chunks(rows(), CHUNK):
        Stay.objects.bulk_create([stay for stay, _occ in batch])
        occupancies = [o for _stay, occ in batch for o in occ]
        Occupancy.objects.bulk_create(occupancies, batch_size=CHUNK)
        world.stays += len(batch)
        world.open_stays += sum(1 for stay, _occ in batch if stay.ended_on is None)
        world.occupancies += len(occupancies)


def _reset_sequences() -> None:
    """Rows were stored with explicit ids; the next insert (the import) needs the sequences."""
    from django.core.management.color import no_style
    from django.db import connection

    from tillsammans.housing.models import Bed, Site, Unit
    from tillsammans.partnership.models import Organisation
    from tillsammans.people.models import Household, Person, PersonNameKey
    from tillsammans.reception.models import Allocation, Occupancy, Stay

    models = [
        Organisation,
        Site,
        Unit,
        Bed,
        Household,
        Person,
        PersonNameKey,
        Allocation,
        Stay,
        Occupancy,
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _store_minors(rng: random.Random, world: World, count: int, say: Callable[[str], None]) -> None:
    """Unaccompanied young people, each a household of one: names written in Arabic script
    (Afghanistan, Syria), Ge'ez (Eritrea) or Latin letters (Somalia), most with a Latin
    spelling; and search queries as staff would type them: as written, in another Latin
    spelling than the one stored, with a typo."""
    from tillsammans.minors import names
    from tillsammans.people.models import Household, Person, PersonNameKey
    from tillsammans.people.search import name_keys
    from tillsammans.people.services import person_names, prepare_person

    today = dt.date(2015, 11, 1)
    made = 0
    samples: list[dict[str, str]] = []
    while made < count:
        batch = min(CHUNK, count - made)
        households = Household.objects.bulk_create(
            Household(reference=f"EKB-{made + i + 1:06d}", unaccompanied=True) for i in range(batch)
        )
        persons = []
        for household in households:
            script = rng.choices(("arabic", "geez", "somali"), weights=(70, 15, 15))[0]
            if script == "somali":
                first, last = rng.choice(names.SOMALI_FIRST), rng.choice(names.SOMALI_LAST)
                written, latin = (first, last), ("", "")
                query = {"kind": "somali", "q": f"{first} {last}"}
            else:
                firsts, lasts = (
                    (names.ARABIC_FIRST, names.ARABIC_LAST)
                    if script == "arabic"
                    else (names.GEEZ_FIRST, names.GEEZ_LAST)
                )
                (first, first_spellings), (last, last_spellings) = (
                    rng.choice(firsts), rng.choice(lasts),
                )  # fmt: skip
                with_latin = rng.random() < 0.7
                latin = (first_spellings[0], last_spellings[0]) if with_latin else ("", "")
                written = (first, last)
                kind = rng.choice(("written", "variant", "typo"))
                query = {
                    "written": {"kind": f"{script}, as written", "q": f"{first} {last}"},
                    "variant": {
                        "kind": f"{script}, another spelling",
                        "q": f"{rng.choice(first_spellings)} {rng.choice(last_spellings)}",
                    },
                    "typo": {
                        "kind": f"{script}, a typo",
                        "q": f"{first_spellings[0]} {_typo(last_spellings[0], rng)}",
                    },
                }[kind]
            born = today - dt.timedelta(days=365 * rng.randint(13, 17) + rng.randrange(365))
            person = Person(
                household=household, first_name=written[0], last_name=written[1],
                first_name_latin=latin[0], last_name_latin=latin[1], birth_date=born,
                sex="male" if rng.random() < 0.85 else "female",
            )  # fmt: skip
            prepare_person(person)
            persons.append(person)
            if len(samples) < 200 and rng.random() < 0.02:
                samples.append({**query, "written": f"{written[0]} {written[1]}"})
        Person.objects.bulk_create(persons)
        keys = [
            PersonNameKey(person_id=p.pk, key=key)
            for p in persons
            for key in sorted(name_keys(person_names(p)))
        ]
        PersonNameKey.objects.bulk_create(keys, batch_size=5000)
        made += batch
        world.households += batch
        world.persons += batch
        world.name_keys += len(keys)
    world.minor_samples = samples
    say(f"{made} unaccompanied young people, {len(samples)} queries of their names")


def _typo(word: str, rng: random.Random) -> str:
    """One edit: swap, drop or double a letter inside the word."""
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 2)
    edit = rng.choice(("swap", "drop", "double"))
    if edit == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if edit == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def _pick_samples(rng: random.Random, world: World) -> None:
    """Search queries taken from real rows: what staff type when a resident stands there."""
    from tillsammans.core.access import visible_persons
    from tillsammans.people.models import Person

    def queries(persons: list[Person]) -> list[dict[str, str]]:
        out = []
        for index, person in enumerate(persons):
            kind = ("cyrillic", "latin", "swedish", "typo")[index % 4]
            if kind == "swedish" and not person.name_swedish:
                kind = "latin"
            text = {
                "cyrillic": f"{person.last_name} {person.first_name}",
                "latin": f"{person.first_name_latin} {person.last_name_latin}",
                "swedish": person.name_swedish,
                "typo": _typo(person.last_name_latin, rng),
            }[kind]
            out.append({"kind": kind, "q": text})
        return out

    fields = ("first_name", "last_name", "first_name_latin", "last_name_latin", "name_swedish")
    ids = list(Person.objects.values_list("id", flat=True))
    chosen = rng.sample(ids, min(200, len(ids)))
    world.samples = queries(list(Person.objects.filter(id__in=chosen).only(*fields)))
    visible = list(visible_persons(world.partner_staff).values_list("id", flat=True))
    chosen = rng.sample(visible, min(200, len(visible)))
    world.partner_samples = queries(list(Person.objects.filter(id__in=chosen).only(*fields)))


# -- the measurements -------------------------------------------------------------------------


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank
    return {"median": round(statistics.median(ordered), 4), "p95": round(p95, 4), "n": len(ordered)}


def _time_requests(
    client: Any, urls: list[str], runs: int, before: Callable[[], None] | None = None
) -> list[float]:
    for url in urls[:3]:  # warm-up: templates, translations, the first plan
        client.get(url)
    times = []
    for index in range(runs):
        url = urls[index % len(urls)]
        if before is not None:
            before()  # not timed: it stands for something that happened before the request
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return times


def forget_capacity_cache() -> None:
    """What a placement leaves behind: one site's capacity figures marked as changed."""
    from tillsammans.housing.models import Site
    from tillsammans.housing.selectors import forget_capacity

    forget_capacity(Site.objects.order_by("?").values_list("id", flat=True).first())


def clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def _queries_of(client: Any, url: str) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in captured]


def _explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
    except Exception as exc:  # the logged SQL is not always executable as it stands
        return f"(no plan: {exc})"


def measure(world: World, runs: int, explain: bool, say: Callable[[str], None]) -> dict[str, Any]:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    # The test client needs the test environment (template signals, ALLOWED_HOSTS); the
    # measured work is the same view code that serves real requests.
    setup_test_environment()
    baseline: dict[str, Any] = {}
    select_times = []
    with connection.cursor() as cursor:
        for _ in range(max(runs, 200)):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            select_times.append((time.perf_counter() - started) * 1000)
    baseline["select1"] = _stats(select_times)
    anonymous = Client()
    baseline["healthz"] = _stats(_time_requests(anonymous, ["/healthz"], runs))
    say(
        f"baselines: SELECT 1 {baseline['select1']['median'] * 1000:.0f} µs, "
        f"/healthz {baseline['healthz']['median']} ms"
    )
    endpoints: dict[str, Any] = {}
    slow: dict[str, Any] = {}
    users = {
        "coordinator": (world.coordinator, world.samples),
        "partner staff": (world.partner_staff, world.partner_samples),
    }
    minor_urls = [f"/households/?{urlencode({'q': s['q']})}" for s in world.minor_samples]
    for role, (user, samples) in users.items():
        client = Client()
        client.force_login(user)
        pages = {
            "dashboard": ["/"],
            # Capacity figures are cached per site until a write (ADR 8): "after write" is
            # the first dashboard after a placement (one site recounted), "empty cache" the
            # first after a restart (every site recounted).
            "after write": ["/"],
            "empty cache": ["/"],
            "household list": ["/households/"],
            "person search": [f"/households/?{urlencode({'q': s['q']})}" for s in samples],
        }
        if role == "coordinator" and minor_urls:
            # Arabic script, Ge'ez and Somali names among the Cyrillic ones (issue 13).
            pages["minors search"] = minor_urls
        for name, urls in pages.items():
            before = {"after write": forget_capacity_cache, "empty cache": clear_cache}.get(name)
            figures = _stats(_time_requests(client, urls, runs, before))
            if before is not None:
                before()
            queries = _queries_of(client, urls[len(urls) // 2])
            figures["queries"] = len(queries)
            figures["db_ms"] = round(sum(q["ms"] for q in queries), 2)
            endpoints[f"{name}|{role}"] = figures
            top = sorted(queries, key=lambda q: -q["ms"])[:3]
            slow[f"{name}|{role}"] = [
                {**q, "plan": _explain(q["sql"]) if explain else ""} for q in top
            ]
            say(
                f"{name} as {role}: median {figures['median']} ms, p95 {figures['p95']} ms, "
                f"{figures['queries']} queries ({figures['db_ms']} ms in the database)"
            )
    result = {"baseline": baseline, "endpoints": endpoints, "slow_queries": slow}
    if world.minor_samples:
        result["minors_found"] = _minors_found(world)
        say(f"minors search found the person in {result['minors_found']}")
    result["import"] = measure_import(world, say)
    return result


def _minors_found(world: World) -> str:
    """How many of the minors' queries list the person they were made from among the
    search page's results (a measure of the search, beside its speed)."""
    from tillsammans.people.models import Person
    from tillsammans.people.selectors import person_search

    found = 0
    for sample in world.minor_samples:
        hits = person_search(Person.objects.all(), sample["q"])
        found += any(f"{p.first_name} {p.last_name}" == sample["written"] for p in hits)
    return f"{found} of {len(world.minor_samples)} queries"


def allocation_csv(
    prefix: str, rows: int, rng: random.Random, numbers: set[str] | None = None
) -> bytes:
    """An allocation list of ``rows`` persons; one in twelve has a coordination number, none
    of them among ``numbers`` (which gains them), as one person per number requires."""
    from tillsammans.reporting.demo import (
        FEMALE_NAMES,
        MALE_NAMES,
        SURNAMES,
        coordination_number,
        passport_spelling,
    )

    taken = set() if numbers is None else numbers

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "anvisningsnummer",
            "anvisningsdatum",
            "beräknat ankomstdatum",
            "hushåll",
            "efternamn",
            "förnamn",
            "efternamn latin",
            "förnamn latin",
            "födelsedatum",
            "kön",
            "språk",
            "ärendenummer",
            "personnummer",
        ]
    )
    written = household = 0
    while written < rows:
        household += 1
        size = min(_weighted(rng, SIZES), rows - written)
        surname = rng.choice(SURNAMES)
        for member in range(size):
            female = member == 0 or rng.random() < 0.55
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 72))
            number = ""
            if rng.random() < 1 / 12:
                number = coordination_number(rng, born, "female" if female else "male")
                while number in taken:
                    number = coordination_number(rng, born, "female" if female else "male")
                taken.add(number)
            writer.writerow(
                [
                    f"{prefix}-A{household:06d}",
                    "2026-11-02",
                    "2026-11-16",
                    f"{prefix}-H{household:06d}",
                    surname,
                    first,
                    passport_spelling(surname),
                    passport_spelling(first),
                    born.isoformat(),
                    "K" if female else "M",
                    "uk, ru",
                    f"26-{prefix}{written:06d}",
                    number,
                ]
            )
            written += 1
    return out.getvalue().encode("utf-8")


def measure_import(world: World, say: Callable[[str], None]) -> dict[str, Any]:
    try:
        from tillsammans.reception.import_services import allocations_import
        from tillsammans.reception.imports import parse_allocation_file
    except Exception as exc:  # missing, or half-written while someone works on it
        say(f"import: not available yet ({type(exc).__name__}: {exc})")
        return {"available": False}
    from tillsammans.people.models import Person

    rng = random.Random(SEED + 1)
    numbers = set(Person.objects.exclude(swedish_id_number="").values_list(
        "swedish_id_number", flat=True
    ))  # fmt: skip
    figures = []
    for attempt in range(3):
        data = allocation_csv(f"IMP{attempt}", IMPORT_ROWS, rng, numbers)
        started = time.perf_counter()
        preview = parse_allocation_file("anvisningar.csv", data)
        parsed = time.perf_counter()
        if not preview.ok:
            say(f"import: the generated file has errors: {preview.errors[:3]}")
            return {"available": True, "error": str(preview.errors[:3])}
        allocations_import(actor=world.coordinator, preview=preview, file_name="anvisningar.csv")
        done = time.perf_counter()
        figures.append(
            {
                "parse_s": parsed - started,
                "store_s": done - parsed,
                "rows_per_s": IMPORT_ROWS / (done - started),
            }
        )
        say(
            f"import of {IMPORT_ROWS} rows: parse {parsed - started:.2f} s, "
            f"store {done - parsed:.2f} s, {IMPORT_ROWS / (done - started):.0f} rows/s"
        )
    middle = sorted(figures, key=lambda f: f["rows_per_s"])[1]
    return {
        "available": True,
        "rows": IMPORT_ROWS,
        "runs": len(figures),
        **{k: round(v, 2) for k, v in middle.items()},
    }


# -- the report -------------------------------------------------------------------------------


def _machine() -> str:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"
    )


def print_report(args: argparse.Namespace, results: list[dict[str, Any]], seconds: float) -> None:
    import django

    print()
    print(
        f"Tillsammans reception benchmark, {dt.date.today().isoformat()}, "
        f"{_machine()}, Django {django.get_version()}"
    )
    python = Path(sys.executable)
    if python.is_relative_to(ROOT):
        python = python.relative_to(ROOT)
    print(f"command: {' '.join([str(python), *sys.argv])}  ({seconds:.0f} s in all)")
    # The machine may be shared: the load says how much of it the benchmark had.
    print(
        "load average at the end (1, 5, 15 min): " + ", ".join(f"{n:.2f}" for n in os.getloadavg())
    )
    for result in results:
        counts = result["counts"]
        print()
        print(
            f"== {result['version']}: {counts['persons']:,} persons in {counts['households']:,} "
            f"households ({counts['pending']:,} pending), {counts['sites']:,} sites, "
            f"{counts['units']:,} units, {counts['beds']:,} beds, {counts['stays']:,} stays "
            f"({counts['open_stays']:,} open), {counts['occupancies']:,} occupancies, "
            f"{counts['name_keys']:,} name keys; generated in {result['generation_s']} s"
        )
        base = result["baseline"]
        healthz = base["healthz"]["median"]
        print(
            f"   baselines: SELECT 1 median {base['select1']['median'] * 1000:.0f} µs; "
            f"/healthz median {healthz:.2f} ms, p95 {base['healthz']['p95']:.2f} ms"
        )
        header = (
            f"   {'measure':<15} {'as':<14} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
            f"{'db ms':>7} {'target':>12} {'target/p95':>10} {'p95/healthz':>11}"
        )
        print(header)
        for key, figures in result["endpoints"].items():
            name, role = key.split("|")
            target = {
                "dashboard": TARGETS["dashboard_p95_ms"],
                "person search": TARGETS["search_p95_ms"],
                "minors search": TARGETS["search_p95_ms"],
            }.get(name)
            verdict = (
                f"{target / figures['p95']:>8.2f} {'ok' if figures['p95'] <= target else 'MISS'}"
                if target
                else f"{'-':>10}"
            )
            print(
                f"   {name:<15} {role:<14} {figures['median']:>9.1f} {figures['p95']:>8.1f} "
                f"{figures['queries']:>7} {figures['db_ms']:>7.1f} "
                f"{f'p95 <= {target:.0f} ms' if target else '-':>12} {verdict} "
                f"{figures['p95'] / healthz:>10.0f}x"
            )
        if "minors_found" in result:
            print(f"   minors search: the person is among the results in {result['minors_found']}")
        imported = result["import"]
        if not imported.get("available"):
            print("   import: not available yet")
        elif "error" in imported:
            print(f"   import: the generated file was refused: {imported['error']}")
        else:
            rate = imported["rows_per_s"]
            target = TARGETS["import_rows_per_s"]
            print(
                f"   import {imported['rows']:,} rows: {rate:,.0f} rows/s (parse "
                f"{imported['parse_s']} s, store {imported['store_s']} s; median of "
                f"{imported['runs']}); target >= {target:,.0f} rows/s: {rate / target:.2f} "
                f"{'ok' if rate >= target else 'MISS'}"
            )
        print("   slowest queries of one request each:")
        for key, queries in result["slow_queries"].items():
            name, role = key.split("|")
            for query in queries[:2]:
                print(f"     {name} as {role}: {query['ms']:.1f} ms  {query['sql'][:160]}")
                if query["plan"]:
                    for line in query["plan"].splitlines()[:25]:
                        print(f"         {line}")


if __name__ == "__main__":
    main()
