"""The production server (ADR 33): gunicorn with deploy/gunicorn.conf.py and the documented
production environment serves the pages, the static files and the health check, and its
access log holds no query string."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from .test_production_settings import _documented_environment, _run

GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
HOST = "tillsammans.example.org"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_pages_static_files_and_health_with_the_production_environment(
    tmp_path,
):
    # given the documented environment with a database of its own, migrated, and the static
    # files collected (as docs/operations.md has the operator do)
    env = _documented_environment(tmp_path)
    (tmp_path / "database_url_file").write_text(f"sqlite:///{tmp_path / 'db.sqlite3'}\n")
    env.pop("CACHE_URL")  # one process's cache: this test needs no Redis
    for command in (("migrate", "--no-input"), ("collectstatic", "--no-input")):
        done = _run(env, "manage.py", *command)
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (the project's own gunicorn and configuration)
        [str(GUNICORN), "-c", str(CONFIG)],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tillsammans.settings",
             **env, "TILLSAMMANS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
        cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = _get(port, "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
                assert server.poll() is None, "gunicorn stopped while starting"
                time.sleep(0.3)
        # when a browser asks for the login page, a stylesheet it names and a search
        login = _get(port, "/accounts/login/")
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', login[2])
        assert stylesheet, login[2][:500]
        css = _get(port, stylesheet.group(1).decode())
        _get(port, "/households/?q=Olena+Shevchenko")
    finally:
        server.send_signal(signal.SIGTERM)
        log, _unused = server.communicate(timeout=40)
    # then each answers as in production: the health check, the page with its security
    # headers, the stylesheet hashed, compressed and cached for a year
    assert health[0] == 200
    assert login[0] == 200 and "max-age=31536000" in login[1].get("Strict-Transport-Security", "")
    assert css[0] == 200 and "immutable" in css[1].get("Cache-Control", "")
    # and the access log has each request's path but never a query string: no name in a log
    assert "GET /accounts/login/" in log and "GET /households/ " in log
    # and each access line ends with the request's id, as the answer gave it
    assert login[1]["X-Request-ID"] in log
    assert "Olena" not in log and "q=" not in log
    assert server.returncode == 0, log
