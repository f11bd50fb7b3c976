"""Money and accountability at national scale: the month's summary and the annual report.

Builds the national-scale dataset of ``benchmarks/reception.py`` (100 000 persons, 2 000
sites, stays from March 2022 to today) with the added-value deliveries of
``benchmarks/addedvalues.py``, adds an agreement with every organisation as a party and the
state's and the partners' compensation rates, then measures as the city's coordinator:

- the month's summary over all partners ``/finance/months/<year>/<month>/`` (figures, nights
  and compensation of every partner), target at most 2 s;
- the agreement's annual report page ``/reports/annual/<agreement>/<year>/sv/`` (target at
  most 2 s) and its PDF (target at most 10 s), each measured cold (the first request of a new
  process, which imports WeasyPrint and reads the templates) and warm (the median of further
  requests in one process). The report carries the texts of a real one: introduction,
  background, a section per partner.

Each figure is printed with its ratio to the target and to ``/healthz`` measured in the same
run. SQLite (a temporary file) and PostgreSQL (its own database ``tillsammans_bench_rep``).

    .venv/bin/python benchmarks/reports.py                 # full size, both databases
    .venv/bin/python benchmarks/reports.py --quick         # 10 000 persons, 200 sites
    .venv/bin/python benchmarks/reports.py --skip-postgres

Every person is synthetic.
"""

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The datasets of #2 and #4, built the same way (imports follow the path change above).
import addedvalues
import reception as national

ROOT = national.ROOT
PG_DATABASE = "tillsammans_bench_rep"
TARGETS_S = {
    "month summary": 2.0,
    "annual report page": 2.0,
    "annual report page, cold": 2.0,
    "annual report PDF": 10.0,
    "annual report PDF, cold": 10.0,
}
YEAR, MONTH = 2022, 10
AGREEMENT_NAME = "IOP (benchmark)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5, help="requests per measurement")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 000 persons and 200 sites")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    parser.add_argument("--cold", help=argparse.SUPPRESS)  # one request in a new process
    parser.add_argument("--email", help=argparse.SUPPRESS)  # ... as this user
    args = parser.parse_args()
    if args.cold:
        cold_request(args)
        return
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
    services, deliveries = addedvalues.generate_added_values(world, say)
    rates = generate_agreement(say)
    generation = time.monotonic() - started
    say(f"generated in {generation:.0f} s; analysing tables")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = world.counts() | {"services": services, "deliveries": deliveries, "rates": rates}
    result: dict[str, Any] = {
        "backend": vendor,
        "version": national._db_version(),
        "counts": counts,
        "generation_s": round(generation, 1),
    }
    result.update(measure(world, args.runs, say))
    return result


def generate_agreement(say: Callable[[str], None]) -> int:
    """The agreement, every organisation a party, the state's 2022 rates and partner rates."""
    from tillsammans.finance.models import CompensationRate, RateKind, Scheme
    from tillsammans.partnership.models import Agreement, Organisation
    from tillsammans.reporting.models import AnnualNarrative, AnnualReport

    agreement = Agreement.objects.create(name=AGREEMENT_NAME, starts_on=dt.date(2022, 3, 1))
    agreement.parties.set(
        Organisation.objects.all(), through_defaults={"joined_on": agreement.starts_on}
    )
    words = "Vid kris sluter civilsamhället upp. " * 40
    AnnualReport.objects.create(
        agreement=agreement, year=YEAR, intro_sv=words, background_sv=words,
        common_goal_sv="Ett bra mottagande, goda boendemiljöer och en bra integration.",
    )  # fmt: skip
    AnnualNarrative.objects.bulk_create(
        AnnualNarrative(
            agreement=agreement,
            organisation=organisation,
            year=YEAR,
            headline_sv=f"Mervärden hos {organisation.short_name}",
            text_sv=words,
        )
        for organisation in Organisation.objects.all()
    )
    state = {
        RateKind.ADULT_NIGHT: 300,
        RateKind.CHILD_NIGHT: 150,
        RateKind.MOVE_IN: 15000,
        RateKind.NEW_PLACE: 10000,
    }
    partner = {RateKind.PLACE_DAY: 180, RateKind.PLACE_NIGHT: 120, RateKind.MOVE_IN: 2000}
    rows = [
        CompensationRate(
            agreement=agreement,
            scheme=scheme,
            kind=kind,
            amount=Decimal(amount),
            valid_from=dt.date(2022, 3, 1),
        )
        for scheme, table in ((Scheme.STATE, state), (Scheme.PARTNER, partner))
        for kind, amount in table.items()
    ]
    CompensationRate.objects.bulk_create(rows)
    say(f"an agreement with {Organisation.objects.count()} parties and {len(rows)} rates")
    return len(rows)


def _seconds(client: Any, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        if url.endswith("/pdf/"):
            _pdf_by_worker(client, url)
        else:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        times.append(time.perf_counter() - started)
    return times


def _pdf_by_worker(client: Any, url: str) -> None:
    """The annual PDF as users get it (ADR 35): the POST starts a job, the worker makes the
    file (here in this process, as ``manage.py worker`` does), the user downloads it."""
    from django.urls import resolve

    from tillsammans.core import background
    from tillsammans.core.models import BackgroundJob

    started = client.post(url)
    if started.status_code != 302:
        raise RuntimeError(f"{url} answered {started.status_code}")
    job_id = resolve(started["Location"]).kwargs["public_id"]
    from django_tasks_db.models import DBTaskResult

    for task in DBTaskResult.objects.ready():
        background.run_job.call(_Context(task), *task.args_kwargs["args"])
        task.set_successful("done")
    job = BackgroundJob.objects.get(public_id=job_id)
    if job.status != "done":
        raise RuntimeError(f"the annual PDF failed: {job.error}")
    response = client.get(f"/background/{job_id}/file/")
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        raise RuntimeError(f"the annual PDF's file answered {response.status_code}")


class _Context:
    """The task context the worker gives ``run_job``: which worker runs it."""

    def __init__(self, task: Any) -> None:
        self.task_result = type("Result", (), {"worker_ids": ["benchmark"]})()


def measure(world: Any, runs: int, say: Callable[[str], None]) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    healthz = national._stats(national._time_requests(Client(), ["/healthz"], 50))
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    figures: dict[str, Any] = {"healthz_ms": healthz["median"]}
    from tillsammans.partnership.models import Agreement

    agreement = Agreement.objects.get(name=AGREEMENT_NAME)
    report = f"/reports/annual/{agreement.public_id}/{YEAR}/sv/"
    pages = {
        "month summary": f"/finance/months/{YEAR}/{MONTH}/?agreement={agreement.public_id}",
        "annual report page": report,
        "annual report PDF": report + "pdf/",
    }
    # Cold first, each in a process of its own, before this process has rendered anything,
    # with the bytecode compiled as on an installed server (PYTHONDONTWRITEBYTECODE, set on
    # some machines, would otherwise make every new process compile Django from source).
    say("compiling bytecode")
    compile_bytecode()
    for name in ("annual report page", "annual report PDF"):
        cold = _cold(pages[name], world.coordinator.email)
        figures[f"{name}, cold"] = {"median": cold, "max": cold}
        say(f"{name}, cold: {cold} s")
    for name, url in pages.items():
        times = _seconds(coordinator, url, runs)
        figures[name] = {
            "median": round(sorted(times)[len(times) // 2], 3),
            "max": round(max(times), 3),
        }
        say(f"{name}: median {figures[name]['median']} s, max {figures[name]['max']} s")
    return {"pages": figures}


def compile_bytecode() -> None:
    """What ``pip``/``uv`` do at install: the project's and the packages' ``.pyc`` files."""
    import compileall
    import sysconfig

    for folder in (sysconfig.get_paths()["purelib"], str(Path(__file__).resolve().parents[1])):
        compileall.compile_dir(folder, quiet=2, workers=0)


def _cold(url: str, email: str) -> float:
    """One request to ``url`` as ``email`` in a new Python process on the same database."""
    import os
    import subprocess
    import tempfile

    from django.db import connection

    with tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        subprocess.run(
            [
                sys.executable, __file__, "--cold", url, "--child", os.environ["DATABASE_URL"],
                "--result-file", result.name, "--email", email,
            ],
            check=True,
            timeout=600,
        )  # fmt: skip
        connection.close()
        found = json.loads(Path(result.name).read_text(encoding="utf-8"))
        print(
            f"    cold process: peak memory {found['peak_mb']} MB "
            f"({found['before_mb']} MB once logged in)"
        )
        return float(found["seconds"])


def _peak_kb() -> int:
    """This process's own peak resident memory in kB (``VmHWM``). Not ``ru_maxrss``: Linux
    carries that over ``exec``, so a process the benchmark starts would report the peak of
    the benchmark's own process, the dataset's generation included."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cold_request(args: argparse.Namespace) -> None:
    """Time the first request of a new process: Django set up, one login, one page."""
    national._setup_django(args.child)
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tillsammans.core.models import User

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(email=args.email))

    before = _peak_kb()
    started = time.perf_counter()
    _seconds(client, args.cold, 1)
    seconds = time.perf_counter() - started
    # The peak memory of this process, which did what a worker does for the PDF.
    peak = _peak_kb()
    Path(args.result_file).write_text(
        json.dumps({"seconds": round(seconds, 3), "peak_mb": round(peak / 1024),
                    "before_mb": round(before / 1024)})
    )  # fmt: skip


def print_report(results: list[dict[str, Any]], seconds: float) -> None:
    import django

    print()
    print(
        f"Tillsammans reports benchmark, {dt.date.today().isoformat()}, "
        f"{national._machine()}, Django {django.get_version()}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}  ({seconds:.0f} s in all)")
    for result in results:
        counts = result["counts"]
        print()
        print(
            f"== {result['version']}: {counts['persons']:,} persons in {counts['households']:,} "
            f"households, {counts['sites']:,} sites, {counts['occupancies']:,} occupancies, "
            f"{counts['deliveries']:,} deliveries; generated in {result['generation_s']} s"
        )
        pages = result["pages"]
        healthz_s = pages["healthz_ms"] / 1000
        print(
            f"   {'measure':<26} {'median s':>9} {'max s':>7} {'target':>16} {'median/healthz':>14}"
        )
        for name, figures in pages.items():
            if name == "healthz_ms":
                continue
            target = TARGETS_S.get(name)
            verdict = (
                f"max <= {target:.0f} s {'ok' if figures['max'] <= target else 'MISS'}"
                if target
                else "-"
            )
            print(
                f"   {name:<26} {figures['median']:>9.3f} {figures['max']:>7.3f} {verdict:>16} "
                f"{figures['median'] / healthz_s:>13.0f}x"
            )


if __name__ == "__main__":
    main()
