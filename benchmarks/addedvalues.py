"""Added values at national scale: the bulk delivery form and the resident page.

Builds the national-scale dataset of ``benchmarks/reception.py`` (100 000 persons, 2 000
sites, stays from March 2022 to today) into a fresh database, adds a catalogue (five services
per organisation) and about ten deliveries per household, then measures with Django's test
client, logged in as partner staff:

- the bulk form ``/services/<id>/deliver/``: empty, the preview of one resident's name, the
  preview of thirty pasted names (residents' names in Cyrillic, passport and Swedish spelling
  and with a typo; with the number of SQL queries it takes), and recording 30 people by
  confirming a preview;
- the resident page ``/services/residents/<id>/`` of households living with the partner and
  with others;
- the public page (cached and after a change to the catalogue) and the figures page;

on SQLite (a temporary file) and on PostgreSQL (its own database ``tillsammans_bench_av``,
created and dropped here; ``BENCH_PG_DATABASE`` names another), each with its ratio to the
target and to ``/healthz``.

    .venv/bin/python benchmarks/addedvalues.py                 # full size, both databases
    .venv/bin/python benchmarks/addedvalues.py --quick         # 10 000 persons, 200 sites
    .venv/bin/python benchmarks/addedvalues.py --skip-postgres   # or --skip-sqlite

Every person is synthetic.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The dataset of #2, built the same way (the import must follow the path change above).
import reception as national

ROOT = national.ROOT
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "tillsammans_bench_av")
TARGET_P95_MS = 150.0
SERVICES_PER_ORGANISATION = 5
DELIVERIES_PER_HOUSEHOLD = 10
BULK_SIZE = 30
# What the form is posted with to look names up (the preview of the pasted lines).
LOOKUP_ACTION = "preview"
SEED = 20221012


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=50, help="requests per measurement")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 000 persons and 200 sites")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.persons, args.sites = 10_000, 200
    if args.child:
        result = run_backend(args)
        Path(args.result_file).write_text(json.dumps(result), encoding="utf-8")
        return
    started = time.monotonic()
    results = national.run_each_database(args, __file__, PG_DATABASE)
    print_report(results, time.monotonic() - started)


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    national._setup_django(args.child)
    from django.core.management import call_command
    from django.db import connection

    vendor = connection.vendor
    say = national._sayer(vendor)
    say(f"migrating {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    world = national.generate(args.persons, args.sites, say)
    services, deliveries = generate_added_values(world, say)
    generation = time.monotonic() - started
    say(f"generated in {generation:.0f} s; analysing tables")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = world.counts() | {"services": services, "deliveries": deliveries}
    result: dict[str, Any] = {
        "backend": vendor,
        "version": national._db_version(),
        "counts": counts,
        "generation_s": round(generation, 1),
    }
    result.update(measure(world, args.runs, say))
    return result


def generate_added_values(world: Any, say: Callable[[str], None]) -> tuple[int, int]:
    """A catalogue for every organisation and deliveries spread over the households' stays."""
    from django.db import transaction
    from django.utils import timezone

    from tillsammans.addedvalues.models import Delivery, Service, ServiceCategory
    from tillsammans.partnership.models import Organisation
    from tillsammans.people.models import Person
    from tillsammans.reception.models import Stay

    rng = random.Random(SEED)
    today = timezone.localdate()
    categories = list(ServiceCategory.values)
    with transaction.atomic():
        services = Service.objects.bulk_create(
            Service(
                organisation=organisation,
                name_sv=f"Insats {organisation.pk}-{number}",
                name_uk=f"Послуга {organisation.pk}-{number}",
                category=categories[(organisation.pk + number) % len(categories)],
                weekdays=[number % 5],
                is_meeting_place=number == 0,
            )
            for organisation in Organisation.objects.order_by("id")
            for number in range(SERVICES_PER_ORGANISATION)
        )
        first_person: dict[int, int] = dict(
            Person.objects.order_by("household_id", "-id").values_list("household_id", "id")
        )
        stays = list(Stay.objects.values_list("household_id", "started_on", "ended_on"))
        total = 0
        for batch in national._chunks(stays, national.CHUNK // DELIVERIES_PER_HOUSEHOLD):
            rows = []
            for household_id, started_on, ended_on in batch:
                last = min(ended_on or today, today)
                span = max((last - started_on).days, 1)
                for _ in range(rng.randint(0, 2 * DELIVERIES_PER_HOUSEHOLD)):
                    service = rng.choice(services)
                    rows.append(
                        Delivery(
                            service=service,
                            organisation_id=service.organisation_id,
                            household_id=household_id,
                            person_id=first_person.get(household_id),
                            delivered_on=started_on + dt.timedelta(days=rng.randrange(span)),
                            recorded_by=world.partner_staff,
                        )
                    )
            Delivery.objects.bulk_create(rows)
            total += len(rows)
        # The partner's own catalogue: an open service with no limit, for the bulk form.
        Service.objects.filter(organisation_id=world.partner_org_id).update(
            limit_count=None, eligibility="anyone"
        )
    say(f"{len(services)} services, {total} deliveries")
    return len(services), total


def _post_times(client: Any, url: str, payloads: list[dict[str, Any]], expect: int) -> list[float]:
    client.post(url, payloads[0])  # warm-up
    times = []
    for payload in payloads[1:]:
        started = time.perf_counter()
        response = client.post(url, payload)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != expect:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return times


def _pasted_names(rng: random.Random, residents: list[Any]) -> str:
    """Thirty residents' names as a sign-up sheet has them: each in one spelling or another."""
    from tillsammans.people.models import Person

    persons = Person.objects.filter(public_id__in=rng.sample(residents, BULK_SIZE))
    lines = []
    for index, person in enumerate(persons):
        kind = ("cyrillic", "latin", "swedish", "typo")[index % 4]
        if kind == "swedish" and not person.name_swedish:
            kind = "latin"
        lines.append(
            {
                "cyrillic": f"{person.last_name} {person.first_name}",
                "latin": f"{person.first_name_latin} {person.last_name_latin}",
                "swedish": person.name_swedish,
                "typo": f"{person.first_name_latin} {national._typo(person.last_name_latin, rng)}",
            }[kind]
        )
    return "\n".join(lines)


def _confirmation(client: Any, url: str, public_ids: list[Any], today: str) -> dict[str, Any]:
    """What "Record" posts after the preview of these residents' names (not timed): each line
    confirmed with the resident it was written for."""
    from tillsammans.people.models import Person

    persons = sorted(Person.objects.filter(public_id__in=public_ids), key=lambda p: p.pk)
    names = "\n".join(f"{person} {person.birth_date.year}" for person in persons)
    page = client.post(url, {"action": LOOKUP_ACTION, "q": names, "on": today})
    data = {"action": "record", "q": names, "on": today, "preview": page.context["token"]}
    for line, name, _value, _errors in page.context["lines"]:
        wanted = str(persons[line.number - 1].public_id)
        if name and wanted in [row.public_id for row in line.candidates]:
            data[name] = wanted
    return data


def measure(world: Any, runs: int, say: Callable[[str], None]) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from tillsammans.addedvalues.models import Service
    from tillsammans.people.models import Household, Person
    from tillsammans.reception.models import Stay

    setup_test_environment()
    rng = random.Random(SEED + 1)
    anonymous = Client()
    healthz = national._stats(national._time_requests(anonymous, ["/healthz"], runs))
    staff = Client()
    staff.force_login(world.partner_staff)
    service = (
        Service.objects.filter(organisation_id=world.partner_org_id, is_meeting_place=False)
        .order_by("id")
        .first()
    )
    assert service is not None
    deliver = f"/services/{service.public_id}/deliver/"
    open_stays = Stay.objects.filter(ended_on__isnull=True, household_id=OuterRef("household_id"))
    residents = list(
        Person.objects.filter(Exists(open_stays)).order_by("id").values_list("public_id", flat=True)
    )
    today = timezone.localdate().isoformat()
    searches = [{"action": LOOKUP_ACTION, "q": sample["q"]} for sample in world.samples]
    pastes = [
        {"action": LOOKUP_ACTION, "q": _pasted_names(rng, residents), "on": today}
        for _ in range(runs + 1)
    ]
    records = [
        _confirmation(staff, deliver, rng.sample(residents, BULK_SIZE), today)
        for _ in range(runs + 1)
    ]
    ours = Stay.objects.filter(
        ended_on__isnull=True, unit__site__organisation_id=world.partner_org_id
    ).values_list("household__public_id", flat=True)
    others = Stay.objects.filter(ended_on__isnull=True).exclude(
        unit__site__organisation_id=world.partner_org_id
    )
    households = list(ours[:25]) + list(others.values_list("household__public_id", flat=True)[:25])
    rng.shuffle(households)
    figures: dict[str, Any] = {"healthz": healthz}

    def record(name: str, times: list[float]) -> None:
        figures[name] = national._stats(times)
        say(f"{name}: median {figures[name]['median']} ms, p95 {figures[name]['p95']} ms")

    record("bulk form", national._time_requests(staff, [deliver], runs))
    record("bulk search", _post_times(staff, deliver, searches[: runs + 1], 200))
    record(f"bulk paste {BULK_SIZE}", _post_times(staff, deliver, pastes, 200))
    with CaptureQueriesContext(connection) as queries:
        staff.post(deliver, pastes[0])
    figures[f"bulk paste {BULK_SIZE}"]["queries"] = len(queries.captured_queries)
    say(f"bulk paste {BULK_SIZE}: {len(queries.captured_queries)} SQL queries")
    record(f"bulk record {BULK_SIZE}", _post_times(staff, deliver, records, 302))
    record(
        "resident page",
        national._time_requests(staff, [f"/services/residents/{h}/" for h in households], runs),
    )
    record("public page", national._time_requests(anonymous, ["/services/public/"], runs))
    record(
        "public, changed",
        national._time_requests(
            anonymous,
            ["/services/public/"],
            runs,
            before=lambda: Service.objects.filter(pk=service.pk).update(updated_at=timezone.now()),
        ),
    )
    record("figures", national._time_requests(staff, ["/services/figures/"], runs))
    assert Household.objects.exists()
    return {"endpoints": figures}


def print_report(results: list[dict[str, Any]], seconds: float) -> None:
    import django

    print()
    print(
        f"Tillsammans added-values benchmark, {dt.date.today().isoformat()}, "
        f"{national._machine()}, Django {django.get_version()}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}  ({seconds:.0f} s in all)")
    # The machine may be shared: the load says how much of it the benchmark had.
    print(
        "load average at the end (1, 5, 15 min): " + ", ".join(f"{n:.2f}" for n in os.getloadavg())
    )
    for result in results:
        counts = result["counts"]
        print()
        print(
            f"== {result['version']}: {counts['persons']:,} persons in {counts['households']:,} "
            f"households, {counts['sites']:,} sites, {counts['open_stays']:,} open stays, "
            f"{counts['services']:,} services, {counts['deliveries']:,} deliveries; "
            f"generated in {result['generation_s']} s"
        )
        endpoints = result["endpoints"]
        healthz = endpoints["healthz"]["median"]
        print(
            f"   baseline: /healthz median {healthz:.2f} ms, "
            f"p95 {endpoints['healthz']['p95']:.2f} ms"
        )
        print(
            f"   {'measure':<16} {'median ms':>9} {'p95 ms':>8} {'target':>14} {'p95/healthz':>11}"
        )
        for name, figures in endpoints.items():
            if name == "healthz":
                continue
            targeted = name.startswith(("bulk", "resident"))
            verdict = (
                f"p95 <= {TARGET_P95_MS:.0f} {'ok' if figures['p95'] <= TARGET_P95_MS else 'MISS'}"
                if targeted
                else "-"
            )
            queries = f"  ({figures['queries']} SQL queries)" if "queries" in figures else ""
            print(
                f"   {name:<16} {figures['median']:>9.1f} {figures['p95']:>8.1f} {verdict:>14} "
                f"{figures['p95'] / healthz:>10.0f}x{queries}"
            )


if __name__ == "__main__":
    main()
