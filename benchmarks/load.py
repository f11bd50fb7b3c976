"""Load test (issue 15): 50 simulated users of every role for 60 s against one and against two
web processes on PostgreSQL and Redis, on the loopback only.

The demo is loaded once into a template database; each run gets a fresh copy of it, then
starts gunicorn (one sync worker per web process, the production configuration otherwise),
a background worker, and locust (``benchmarks/locustfile.py``) headless. Coordinators place
the same ten pending allocations into the same few units at once, so that a double booking
would show. After each run it reports, from locust's figures and the database:

- per page: requests, failures, p95 (ms), for one and for two processes;
- errors (target 0): any failed request (a 5xx, a refused connection, a timeout); a
  placement refused with its reason (400, because another coordinator placed the allocation a
  moment before, or the unit is full) is an answer, not an error;
- double bookings (target 0): a bed held twice on a night, an allocation placed twice, a
  person in two open stays;
- throughput (requests/s) of two processes against one, in the same run;
- the peak memory (VmHWM) of each web process and of the worker.

    .venv/bin/python benchmarks/load.py                 # 50 users, 60 s, 1 and 2 processes
    .venv/bin/python benchmarks/load.py --users 20 --seconds 20

It needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379. Every
person is synthetic (the demo)."""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = Path(sys.executable)
GUNICORN = PY.with_name("gunicorn")
LOCUST = PY.with_name("locust")
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test"
TEMPLATE = "tillsammans_bench_load_template"
RUN_DB = "tillsammans_bench_load"
REDIS_DB = 9
HOST = "tillsammans.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillsammans.settings")
    os.environ.setdefault("ALLOW_DEV_SECRET", "true")
    import django

    django.setup()
    from tillsammans.core.tests.test_production_settings import _documented_environment

    tmp = Path(tempfile.mkdtemp(prefix="tillsammans-load-"))
    env = _documented_environment(tmp) | {
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "MFA_REQUIRED_FOR_COORDINATORS": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "ERROR",
        "WEB_LOG_LEVEL": "warning",
    }
    started = time.monotonic()
    _say("loading the demo into a template database (about 90 s)")
    _template(env, tmp)
    plan = _plan(env, tmp)
    results = []
    for processes in args.processes:
        results.append(_run(env, tmp, plan, processes, args.users, args.seconds))
    _report(results, args, time.monotonic() - started)


def _say(text: str) -> None:
    print(f"[load] {text}", flush=True)


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql)


def _with_db(env: dict[str, str], tmp: Path, name: str) -> dict[str, str]:
    url = tmp / f"{name}.url"
    url.write_text(f"postgres://postgres@127.0.0.1:5432/{name}\n")
    return env | {"DATABASE_URL_FILE": str(url)}


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(PY), "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tillsammans.settings", **env},
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _template(env: dict[str, str], tmp: Path) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{TEMPLATE}"')
    with_db = _with_db(env, tmp, TEMPLATE)
    for command in (("migrate", "--no-input"), ("load_demo",), ("collectstatic", "--no-input")):
        _manage(with_db, *command)


def _connect(name: str) -> Any:
    import psycopg

    return psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{name}", autocommit=True)


def _plan(env: dict[str, str], tmp: Path) -> dict[str, Any]:
    """The logins, the records the users open, and the placements they all try at once."""
    from tillsammans.reporting.demo import LOGINS, PASSWORD

    emails = {login.email.split("@")[0]: login.email for login in LOGINS}
    rng = random.Random(7)
    today = dt.date.today().isoformat()
    with _connect(TEMPLATE) as db:
        households = [str(r[0]) for r in db.execute("SELECT public_id FROM people_household")]
        names = [r[0] for r in db.execute(
            "SELECT last_name_latin FROM people_person WHERE last_name_latin <> '' LIMIT 200"
        )]  # fmt: skip
        partner = [str(r[0]) for r in db.execute(
            "SELECT DISTINCT h.public_id FROM people_household h "
            "JOIN reception_stay s ON s.household_id = h.id AND s.ended_on IS NULL "
            "JOIN housing_unit u ON u.id = s.unit_id JOIN housing_site t ON t.id = u.site_id "
            "JOIN partnership_organisation o ON o.id = t.organisation_id "
            "WHERE o.slug = 'skyddsvarnet'"
        )]  # fmt: skip
        pending = [str(r[0]) for r in db.execute(
            "SELECT public_id FROM reception_allocation WHERE status = 'pending' "
            "ORDER BY id LIMIT 10"
        )]  # fmt: skip
        # Units of open sites with the fewest free beds, so that placements compete for them.
        units = [str(r[0]) for r in db.execute(
            "SELECT u.public_id FROM housing_unit u JOIN housing_site t ON t.id = u.site_id "
            "WHERE t.closes_on IS NULL OR t.closes_on > CURRENT_DATE "
            "ORDER BY (SELECT count(*) FROM housing_bed b WHERE b.unit_id = u.id) - "
            "(SELECT count(*) FROM reception_occupancy o JOIN housing_bed b ON b.id = o.bed_id "
            " WHERE b.unit_id = u.id AND o.ended_on IS NULL) DESC, u.id LIMIT 4"
        )]  # fmt: skip
    rng.shuffle(households)
    return {
        "hosts": [],
        "host_header": HOST,
        "password": PASSWORD,
        "logins": {
            "coordinator": emails["samordnare"],
            "partner_staff": emails["personal.skyddsvarnet"],
            "partner_admin": emails["admin.skyddsvarnet"],
            "viewer": emails["styrgrupp"],
            "case_worker": emails["socialsekreterare"],
        },
        "households": households[:300],
        "partner_households": partner or households[:10],
        "names": names or ["Shevchenko"],
        "placements": [
            {"allocation": allocation, "unit": unit, "on": today}
            for allocation in pending
            for unit in units
        ],
    }


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tillsammans.settings", **env},
    )  # fmt: skip


def _ready(port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/readyz", headers={"Host": HOST}
            )
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the web process on port {port} was not ready within 90 s")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _run(
    env: dict[str, str], tmp: Path, plan: dict[str, Any], processes: int, users: int, seconds: int
) -> dict[str, Any]:
    _say(f"{processes} web process(es): a fresh copy of the demo, {users} users for {seconds} s")
    _admin(f'DROP DATABASE IF EXISTS "{RUN_DB}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{RUN_DB}" TEMPLATE "{TEMPLATE}"')
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    run_env = _with_db(env, tmp, RUN_DB)
    ports = [18500 + n for n in range(processes)]
    webs = [
        _start([str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
               run_env | {"TILLSAMMANS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"})
        for port in ports
    ]  # fmt: skip
    worker = _start(
        [str(PY), "manage.py", "worker", "--no-reload", "--queue-name", "*", "--interval", "1"],
        run_env,
    )
    try:
        for port in ports:
            _ready(port)
        with _connect(RUN_DB) as db:
            since = db.execute("SELECT now()").fetchone()[0]
        csv_prefix = tmp / f"run{processes}"
        locust_env = {
            "LOAD_PLAN": json.dumps(plan | {"hosts": [f"http://127.0.0.1:{p}" for p in ports]})
        }
        done = subprocess.run(
            [str(LOCUST), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{seconds}s",
             "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "10",
             "--exit-code-on-error", "0"],
            cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120, check=False,
            env={**os.environ, **locust_env},
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"locust failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        memory = {
            f"web {n + 1}": max((_peak_mb(child) for child in _children(web.pid)), default=0.0)
            for n, web in enumerate(webs)
        } | {"worker": _peak_mb(worker.pid)}
    finally:
        for process in [*webs, worker]:
            process.send_signal(signal.SIGTERM)
        for process in [*webs, worker]:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    stats = _stats(Path(f"{csv_prefix}_stats.csv"))
    return {"processes": processes, "stats": stats, "memory": memory, "bookings": _bookings(since)}


def _stats(path: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with path.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            name = row["Name"] if row["Type"] else "all"
            rows[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p95_ms": float(row["95%"] or 0),
                "rps": float(row["Requests/s"]),
            }
    return rows


def _bookings(since: dt.datetime) -> dict[str, int]:
    """Double bookings after the run, straight from the database: none is the target. (A
    household that moved has several stays of one allocation; only the run's count.)"""
    with _connect(RUN_DB) as db:
        beds = db.execute(
            "SELECT count(*) FROM reception_occupancy a JOIN reception_occupancy b "
            "ON a.bed_id = b.bed_id AND a.id < b.id "
            "AND a.started_on < COALESCE(b.ended_on, DATE '9999-12-31') "
            "AND b.started_on < COALESCE(a.ended_on, DATE '9999-12-31')"
        ).fetchone()[0]
        allocations = db.execute(
            "SELECT count(*) FROM (SELECT allocation_id FROM reception_stay "
            "WHERE allocation_id IS NOT NULL AND created_at >= %s "
            "GROUP BY allocation_id HAVING count(*) > 1) x",
            [since],
        ).fetchone()[0]
        persons = db.execute(
            "SELECT count(*) FROM (SELECT person_id FROM reception_occupancy "
            "WHERE ended_on IS NULL GROUP BY person_id HAVING count(*) > 1) x"
        ).fetchone()[0]
        placed = db.execute(
            "SELECT count(*) FROM reception_stay WHERE created_at >= %s", [since]
        ).fetchone()[0]
    return {"beds held twice": beds, "allocations placed twice": allocations,
            "persons in two beds": persons, "placements made in the run": placed}  # fmt: skip


def _report(results: list[dict[str, Any]], args: argparse.Namespace, seconds: float) -> None:
    import django

    print()
    print(
        f"Tillsammans load test, {dt.date.today().isoformat()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, Django "
        f"{django.get_version()}, PostgreSQL and Redis on the loopback; {args.users} users, "
        f"{args.seconds} s per run; {seconds:.0f} s in all"
    )
    names = sorted({name for r in results for name in r["stats"] if name != "all"})
    header = "page".ljust(24) + "".join(
        f"{'requests':>10}{'failed':>8}{'p95 ms':>9}  ({r['processes']} proc)" for r in results
    )
    print(header)
    for name in [*names, "all"]:
        line = name.ljust(24)
        for r in results:
            row = r["stats"].get(name, {"requests": 0, "failures": 0, "p95_ms": 0})
            line += f"{row['requests']:>10}{row['failures']:>8}{row['p95_ms']:>9.0f}          "
        print(line)
    for r in results:
        total = r["stats"]["all"]
        print(
            f"{r['processes']} web process(es): {total['rps']:.1f} requests/s, "
            f"{total['failures']} errors (target 0); double bookings: "
            + ", ".join(f"{k} {v}" for k, v in r["bookings"].items())
            + "; peak memory MB: " + ", ".join(f"{k} {v}" for k, v in r["memory"].items())
        )  # fmt: skip
    if len(results) >= 2:
        one, two = results[0]["stats"]["all"]["rps"], results[1]["stats"]["all"]["rps"]
        print(f"throughput of {results[1]['processes']} processes against "
              f"{results[0]['processes']}: {two / one:.2f}x (same run)")  # fmt: skip


if __name__ == "__main__":
    main()
