"""Jobbstart matching at scale: openings for one job seeker, job seekers for one opening.

Generates 100 000 job seekers and 10 000 openings (200 employers), all of one coaching
organisation — the worst case, since the organisation is the first filter — into a fresh
database, then measures the two rankings the pages show (``tillsammans.jobs.matching``):

- ``seekers_for_opening``: the ranked job seekers on an opening's page;
- ``openings_for_seeker``: the ranked openings on a job seeker's page;

each against a naive baseline measured in the same run (every active seeker or open opening
read and checked in Python, no prefilter). Occupations are drawn from the 429 SSYK codes with
the skew of the seeds (half of the seekers want one of twenty common jobs); levels, licence,
hours, districts and travel distances at random. Target: p95 ≤ 100 ms.

    .venv/bin/python benchmarks/jobs.py                   # full size, SQLite and PostgreSQL
    .venv/bin/python benchmarks/jobs.py --quick           # 10 000 seekers, 1 000 openings
    .venv/bin/python benchmarks/jobs.py --skip-postgres

Every person is synthetic.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "h_jobs"
TARGET_P95_MS = 100.0
SEED = 20221006
COMMON = [
    "5321", "5330", "5343", "9111", "9412", "5120", "4321", "5223", "7112", "8344",
    "8321", "5311", "2341", "4111", "2512", "2221", "7411", "9310", "5131", "3512",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--openings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100, help="rankings per measurement")
    parser.add_argument("--naive-runs", type=int, default=10)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.seekers, args.openings = 10_000, 1_000
    if args.child:
        result = run_backend(args)
        Path(args.result_file).write_text(json.dumps(result), encoding="utf-8")
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="tillsammans-bench-jobs-") as directory:
        results.append(_child(args, f"sqlite:///{directory}/bench.sqlite3", directory))
        if args.skip_postgres:
            print("postgresql: skipped (--skip-postgres)")
        else:
            problem = _pg("create")
            if problem:
                print(f"postgresql: skipped, the server is unreachable: {problem}")
            else:
                try:
                    results.append(_child(args, f"{PG_SERVER}/{PG_DATABASE}", directory))
                finally:
                    _pg("drop")
    report([result for result in results if result])


def _child(args: argparse.Namespace, url: str, directory: str) -> dict[str, Any] | None:
    result_file = Path(directory) / "result.json"
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable, __file__, "--child", url, "--result-file", str(result_file),
        "--seekers", str(args.seekers), "--openings", str(args.openings),
        "--runs", str(args.runs), "--naive-runs", str(args.naive_runs),
    ]  # fmt: skip
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0 or not result_file.exists():
        print(f"{url.split(':')[0]}: the run failed (exit code {completed.returncode})")
        return None
    return json.loads(result_file.read_text(encoding="utf-8"))


def _pg(action: str) -> str:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as db:
            db.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            if action == "create":
                db.execute(f"CREATE DATABASE {PG_DATABASE}")
    except Exception as exc:  # any failure means: no PostgreSQL to measure here
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ""


def _setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tillsammans.settings"
    os.environ["ALLOW_DEV_SECRET"] = "true"  # noqa: S105 -- a switch, not a secret
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _say(vendor: str, started: float, message: str) -> None:
    print(f"[{vendor} {time.monotonic() - started:6.1f}s] {message}", flush=True)


def generate(seekers: int, openings: int, rng: random.Random) -> None:
    from tillsammans.core.lib.geo import DISTRICTS
    from tillsammans.jobs.models import (
        ACTIVE_STAGES,
        Employer,
        JobSeeker,
        Occupation,
        Opening,
        Programme,
        Stage,
    )
    from tillsammans.partnership.models import Organisation
    from tillsammans.people.models import Household, Person

    organisation = Organisation.objects.create(
        name="Benchmark coaching", short_name="Bench", slug="bench", kind="nonprofit"
    )
    Programme.objects.create(organisation=organisation, name="Jobbstart")
    codes = list(Occupation.objects.values_list("code", flat=True))
    districts = list(DISTRICTS)
    households = Household.objects.bulk_create(
        Household(reference=f"B-{index:05d}") for index in range(seekers // 50 + 1)
    )
    born = dt.date(1985, 1, 1)
    persons = Person.objects.bulk_create(
        (
            Person(household=households[index // 50], first_name=f"P{index}", last_name="B",
                   birth_date=born)
            for index in range(seekers)
        ),
        batch_size=5_000,
    )  # fmt: skip

    def occupation() -> str:
        return rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(codes)

    stages = [*ACTIVE_STAGES, *ACTIVE_STAGES, *ACTIVE_STAGES, Stage.EMPLOYED, Stage.ENDED]
    day = dt.date(2022, 6, 1)
    rows = []
    for person in persons:
        wanted = occupation()
        previous = occupation() if rng.random() < 0.8 else None
        stage = rng.choice(stages)
        rows.append(
            JobSeeker(
                organisation=organisation, person=person, enrolled_on=day, consent_given_on=day,
                consent_explained_in="uk", wanted_occupation_id=wanted, wanted_group=wanted[:2],
                previous_occupation_id=previous, previous_group=previous[:2] if previous else "",
                education="secondary", swedish=rng.choice([0, 0, 1, 1, 2, 3]),
                english=rng.choice([0, 1, 2, 3]), ukrainian=rng.choice([2, 3]),
                russian=rng.choice([0, 1, 2, 3]), driving_licence=rng.random() < 0.4,
                available_from=day + dt.timedelta(days=rng.randint(0, 90)),
                hours_per_week=rng.choice([20, 30, 40, 40]),
                home_district=rng.choice(districts), max_travel_km=rng.choice([5, 10, 15, 25]),
                stage=stage, stage_changed_on=day,
                end_reason="other" if stage == Stage.ENDED else "",
            )
        )  # fmt: skip
    JobSeeker.objects.bulk_create(rows, batch_size=5_000)
    employers = Employer.objects.bulk_create(
        Employer(organisation=organisation, name=f"Exempel {index} AB") for index in range(200)
    )
    rows_o = []
    for index in range(openings):
        code = occupation()
        rows_o.append(
            Opening(
                employer=employers[index % len(employers)], organisation=organisation,
                title=f"Opening {index}", occupation_id=code, group=code[:2],
                district=rng.choice(districts), hours_per_week=rng.choice([20, 30, 40]),
                starts_on=day + dt.timedelta(days=rng.randint(0, 120)),
                driving_licence=rng.random() < 0.15, swedish=rng.choice([0, 0, 1, 1, 2]),
                english=rng.choice([0, 0, 0, 1]), is_open=rng.random() < 0.8,
            )
        )  # fmt: skip
    Opening.objects.bulk_create(rows_o, batch_size=5_000)


def _time(function: Any, items: list[Any]) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for item in items:
        started = time.perf_counter()
        ranked = function(item)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(ranked))
    return times, sizes


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    _setup_django(args.child)
    from django.core.management import call_command
    from django.db import connection

    from tillsammans.jobs import matching
    from tillsammans.jobs.models import ACTIVE_STAGES, JobSeeker, Opening

    vendor = connection.vendor
    started = time.monotonic()
    _say(vendor, started, "migrating")
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    generate(args.seekers, args.openings, rng)
    _say(vendor, started, "generated; analysing")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    openings = list(Opening.objects.filter(is_open=True).order_by("?")[: args.runs])
    seekers = list(JobSeeker.objects.filter(stage__in=ACTIVE_STAGES).order_by("?")[: args.runs])
    # One warm-up each, as a page would have after the first request.
    matching.seekers_for_opening(openings[0])
    matching.openings_for_seeker(seekers[0])
    result: dict[str, Any] = {"backend": vendor, "seekers": args.seekers, "openings": args.openings}
    for name, fast, naive, items in (
        ("seekers_for_opening", matching.seekers_for_opening,
         matching.seekers_for_opening_naive, openings),
        ("openings_for_seeker", matching.openings_for_seeker,
         matching.openings_for_seeker_naive, seekers),
    ):  # fmt: skip
        _say(vendor, started, f"measuring {name}")
        times, sizes = _time(fast, items)
        naive_times, _sizes = _time(naive, items[: args.naive_runs])
        fast_summary, naive_summary = _summary(times), _summary(naive_times)
        result[name] = {
            **fast_summary,
            "naive_p50": naive_summary["p50"],
            "naive_p95": naive_summary["p95"],
            "speed_up_p50": round(naive_summary["p50"] / max(fast_summary["p50"], 0.01), 1),
            "target_ratio": round(fast_summary["p95"] / TARGET_P95_MS, 2),
            "ranked_median": statistics.median(sizes),
        }
    return result


def report(results: list[dict[str, Any]]) -> None:
    print()
    print("| database | ranking | p50 ms | p95 ms | p95 / target | naive p50 ms | naive p95 ms "
          "| naive / ours (p50) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        for name in ("seekers_for_opening", "openings_for_seeker"):
            row = result[name]
            print(
                f"| {result['backend']} | {name} | {row['p50']} | {row['p95']} | "
                f"{row['target_ratio']} | {row['naive_p50']} | {row['naive_p95']} | "
                f"{row['speed_up_p50']}× |"
            )
    if results:
        sizes = f"{results[0]['seekers']:,} seekers, {results[0]['openings']:,} openings"
        print(f"\n{sizes}; target p95 ≤ {TARGET_P95_MS:.0f} ms")


if __name__ == "__main__":
    main()
