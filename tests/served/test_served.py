"""The product as production runs it (issue 15): two gunicorn processes and a background worker
on PostgreSQL and Redis, with the documented environment and the demo, spoken to over HTTP
on the loopback only. A coordinator logs in; a placement proposal and the annual report's PDF
are made by the worker and followed on their progress pages (each asked of the other web
process, which shares nothing with the first but the database and the cache); a placement
accepted in one process is seen at once in the free beds of the other; an allocation list
uploaded to one is checked and imported by the worker, its households found by the other.
Then the restore drill: a backup of that database restored into an empty one, checked
against its manifest, and served again with the same free beds.

Run by ``make test-served`` (CI); it needs PostgreSQL and Redis, and takes about three
minutes, most of it loading the demo."""

import html
import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from pypdf import PdfReader

from tillsammans.core.tests.test_production_settings import _documented_environment, _run

pytestmark = pytest.mark.served

HOST = "tillsammans.example.org"
ORIGIN = f"https://{HOST}"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_DB = 7
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
COORDINATOR = ("samordnare@demo.tillsammans.example", "tillsammans-demo-2022")
WAIT = 180.0  # seconds a job may take here, the national-scale cases aside


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """Just enough of a browser: cookies, the CSRF token, the proxy's headers; no redirect is
    followed, so that each answer can be looked at."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(
        self,
        port: int,
        path: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None or files is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(data or {})}
            headers |= {"Origin": ORIGIN, "Referer": ORIGIN + path}
            if files is None:
                body = urllib.parse.urlencode(data).encode()
            else:
                body, headers["Content-Type"] = _multipart(data, files)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=body, headers=headers
        )
        try:
            with self.opener.open(request, timeout=60) as answer:
                status, got, content = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, got, content = error.code, error.headers, error.read()
        for line in got.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return status, dict(got), content

    def page(self, port: int, path: str) -> str:
        status, _headers, content = self.request(port, path)
        assert status == 200, (path, status, content[:300])
        return content.decode()


def _multipart(data: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A form with files, as a browser sends it."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    for name, (file_name, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A database of its own with the demo, Redis, two web processes and a worker."""
    tmp = tmp_path_factory.mktemp("served")
    name = f"served_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    env = _documented_environment(tmp)
    (tmp / "database_url_file").write_text(f"postgres://postgres@127.0.0.1:5432/{name}\n")
    env |= {
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "MFA_REQUIRED_FOR_COORDINATORS": "false",  # the demo's coordinator has no second factor
        "SECURE_COOKIES": "false",  # this client speaks plain HTTP to the loopback
        "PLACEMENT_IN_BACKGROUND_FROM": "1",  # every proposal goes to the worker
        "ROWS_IN_BACKGROUND_FROM": "5",  # and every import of more than a few rows
    }
    for command in (("migrate", "--no-input"), ("collectstatic", "--no-input"), ("load_demo",)):
        done = _run(env, "manage.py", *command)
        assert done.returncode == 0, done.stdout + done.stderr
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tillsammans.settings", **env}
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [str(GUNICORN), "-c", str(CONFIG)],
            env=base | {"TILLSAMMANS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for port in ports
    ]
    processes.append(
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-reload",
                "--queue-name",
                "*",
                "--worker-id",
                "served-1",
                "--interval",
                "0.5",
            ],
            env=base,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    )
    try:
        browser = Browser()
        deadline = time.monotonic() + 90
        for port in ports:
            while True:
                try:
                    status, _h, body = browser.request(port, "/readyz")
                    if status == 200 and b'"worker": "ok"' in body:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the service was not ready within 90 s"
                assert all(p.poll() is None for p in processes), "a process stopped"
                time.sleep(0.5)
        yield {"ports": ports, "env": env, "tmp": tmp}
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            out, _unused = process.communicate(timeout=60)
            if "Traceback" in out:
                print(out)  # the failing step's log, for whoever reads CI's output
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(GUNICORN), "-c", str(CONFIG)],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tillsammans.settings",
             **env, "TILLSAMMANS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
        cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _ready(browser: Browser, port: int, process: subprocess.Popen[str]) -> bytes:
    deadline = time.monotonic() + 90
    while True:
        try:
            status, _h, body = browser.request(port, "/readyz")
            if status == 200:
                return body
        except OSError:
            pass
        assert time.monotonic() < deadline, "the service was not ready within 90 s"
        assert process.poll() is None, "the web process stopped"
        time.sleep(0.5)


def _login(browser: Browser, port: int) -> None:
    browser.page(port, "/accounts/login/")
    status, _headers, body = browser.request(
        port, "/accounts/login/", {"login": COORDINATOR[0], "password": COORDINATOR[1]}
    )
    assert status == 302, body[:500]


def _follow_job(browser: Browser, port: int, location: str) -> str:
    """Poll a job's page (as htmx does) until it is done; return the finished page."""
    assert re.fullmatch(r"/background/[0-9a-f-]{36}/", location), location
    first = browser.page(port, location)
    assert "<progress" in first and 'role="status"' in first
    deadline = time.monotonic() + WAIT
    while True:
        page = browser.page(port, location)
        if "Klart." in page:
            return page
        assert "Arbetet stannade." not in page, page
        assert time.monotonic() < deadline, f"the job was not done within {WAIT} s"
        time.sleep(0.5)


def _free_beds(browser: Browser, port: int) -> int:
    page = browser.page(port, "/")
    found = re.search(r'data-testid="beds-free">([^<]+)<', page)
    assert found, "the dashboard shows no free beds"
    return int(re.sub(r"\D", "", html.unescape(found[1])))


def test_the_worker_makes_a_proposal_and_a_pdf_and_two_processes_agree_on_free_beds(
    production: dict[str, object],
) -> None:
    web_a, web_b = production["ports"]  # type: ignore[misc]
    browser = Browser()
    # given both processes ready, with the database, the cache and a live worker
    for port in (web_a, web_b):
        status, _headers, body = browser.request(port, "/readyz")
        assert status == 200 and b'"status": "ok"' in body
    _login(browser, web_a)
    free_before = _free_beds(browser, web_b)
    # when the coordinator asks process A for a proposal, and follows it on process B
    status, headers, _body = browser.request(
        web_a, "/placement/propose/", {"on": time.strftime("%Y-%m-%d")}
    )
    assert status == 302
    done = _follow_job(browser, web_b, headers["Location"])
    proposal = re.search(r'href="(/placement/[0-9a-f-]{36}/)"', done)
    assert proposal, done[-2000:]
    # and accepts every proposed place in process A
    browser.page(web_a, proposal[1])
    status, headers, _body = browser.request(web_a, proposal[1] + "accept/", {"selection": "all"})
    assert status == 302
    accepted = browser.page(web_a, headers["Location"])
    persons = re.search(r"godkän\w*: (\d+) personer har fått plats", accepted)
    assert persons, "nothing was accepted"
    # then process B's free beds show the placement at once, as process A's do
    assert _free_beds(browser, web_b) == free_before - int(persons[1]) == _free_beds(browser, web_a)
    # when the coordinator asks process B for the annual report's draft PDF
    index = browser.page(web_b, "/reports/annual/")
    report = re.search(r"/reports/annual/([0-9a-f-]{36})/2022/", index)
    assert report, "the annual reports page lists no 2022 report"
    status, headers, _body = browser.request(web_b, f"/reports/annual/{report[1]}/2022/sv/pdf/", {})
    assert status == 302
    done = _follow_job(browser, web_a, headers["Location"])
    status, headers, pdf = browser.request(web_a, headers["Location"] + "file/")
    # then the worker made the report, which reads back with its year
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2022" in text


def test_the_worker_checks_and_imports_an_allocation_list_uploaded_to_either_process(
    production: dict[str, object],
) -> None:
    web_a, web_b = production["ports"]  # type: ignore[misc]
    browser = Browser()
    _login(browser, web_a)
    sample = Path(settings.BASE_DIR) / "docs" / "samples" / "anvisningar-exempel.csv"
    # when the coordinator uploads the sample list to process A
    browser.page(web_a, "/allocations/import/")
    status, headers, body = browser.request(
        web_a, "/allocations/import/", files={"file": (sample.name, sample.read_bytes())}
    )
    assert status == 302, body[:500]
    # then the worker checks it, and its job, followed on process B, leads to the preview
    done = _follow_job(browser, web_b, headers["Location"])
    preview = re.search(r'href="(/allocations/import/[^"/]+/)"', done)
    assert preview, done[-2000:]
    page = browser.page(web_a, preview[1])
    assert "Importera 10 hushåll" in page
    # when the coordinator presses Import on process B
    status, headers, body = browser.request(web_b, preview[1] + "commit/", {})
    assert status == 302, body[:500]
    # then the worker stores the households, and a search on process B finds their persons
    done = _follow_job(browser, web_a, headers["Location"])
    assert 'href="/allocations/"' in done
    assert "Prykladenko" in browser.page(web_b, "/households/?q=EX-MV-100101")


def test_the_restore_drill_finds_the_same_rows_audit_log_and_free_beds(
    production: dict[str, object],
) -> None:
    env: dict[str, str] = production["env"]  # type: ignore[assignment]
    tmp: Path = production["tmp"]  # type: ignore[assignment]
    web_a, _web_b = production["ports"]  # type: ignore[misc]
    # given a backup of the running service's database, and its keys kept apart
    done = _run(env, "manage.py", "backup", "--to", str(tmp / "dumps"), "--keys-to",
                str(tmp / "keys"))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    [dump] = (tmp / "dumps").glob("*.dump")
    [keys] = (tmp / "keys").glob("*.keys")
    assert oct(keys.stat().st_mode & 0o777) == "0o600"
    # when it is restored into a new, empty database
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url_file = tmp / f"{name}_url"
    url_file.write_text(f"postgres://postgres@127.0.0.1:5432/{name}\n")
    restored = env | {
        "DATABASE_URL_FILE": str(url_file),
        "FIELD_ENCRYPTION_KEYS_FILE": str(keys),
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB + 1}",  # nothing cached from the first
    }
    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB + 1).flushdb()
    process = None
    try:
        done = _run(restored, "manage.py", "restore", str(dump))
        # then every table has its rows and the audit log is the same (the command checks
        # them against the manifest the backup wrote)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Restored and verified" in done.stdout
        # and a second restore into it is refused: it is no longer empty
        again = _run(restored, "manage.py", "restore", str(dump))
        assert again.returncode != 0 and "is not empty" in again.stderr
        # when a web process starts on the restored database
        port = _free_port()
        process = _gunicorn(restored, port)
        browser = Browser()
        _ready(browser, port, process)
        # then the coordinator logs in and finds the same free beds as in the running service
        _login(browser, port)
        original = Browser()
        _login(original, web_a)
        assert _free_beds(browser, port) == _free_beds(original, web_a)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=60)
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
