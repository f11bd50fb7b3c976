"""Liveness, readiness and request ids (issue 15): an operator's probes and logs."""

import datetime as dt
import io
import json
import logging

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.background import beat
from tillsammans.core.models import WorkerHeartbeat
from tillsammans.core.requests import JsonFormatter, RequestIdFilter

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1 of the loopback
    }
}


def test_it_is_ready_when_its_database_cache_and_a_worker_answer(client, db):
    # given a worker that said it was alive a moment ago
    beat("worker-1", timezone.now())
    answer = client.get(reverse("readyz"))
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "cache": "ok", "worker": "ok"}


def test_without_a_worker_it_still_serves_and_says_background_work_waits(client, db):
    # given a worker last heard from two minutes ago (it died)
    WorkerHeartbeat.objects.create(
        worker_id="worker-1", host="h", pid=1, started_at=timezone.now(),
        seen_at=timezone.now() - dt.timedelta(minutes=2),
    )  # fmt: skip
    answer = client.get(reverse("readyz"))
    # then pages are still served (200) but the probe says the worker is missing
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "worker": "unavailable",
    }


def test_it_is_not_ready_without_its_cache_and_says_which_part_without_why(client, db):
    # given a shared cache that cannot be reached
    with override_settings(CACHES=UNREACHABLE_REDIS):
        # when the orchestrator asks
        answer = client.get(reverse("readyz"))
    # then it is told to send nothing here, and which part is missing, not the error
    assert answer.status_code == 503
    assert answer.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
        "worker": "unavailable",
    }
    assert "127.0.0.1" not in answer.content.decode()
    # while liveness is still fine: the process is alive, only not ready
    assert client.get(reverse("healthz")).status_code == 200


def test_each_answer_carries_a_request_id_the_proxys_when_it_is_a_plain_token(client, db):
    made_up = client.get(reverse("healthz"))["X-Request-ID"]
    given = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="proxy-req.42-abcdef")
    refused = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="bad id\\nwith=injection")
    assert len(made_up) == 32 and int(made_up, 16) >= 0
    assert given["X-Request-ID"] == "proxy-req.42-abcdef"
    assert (
        refused["X-Request-ID"] != "bad id\\nwith=injection" and len(refused["X-Request-ID"]) == 32
    )


def test_a_log_line_is_one_json_object_with_the_requests_id(client, db):
    # given the production log format on the readiness check's logger
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tillsammans.core.views")
    logger.addHandler(handler)
    try:
        # when the cache fails during a request with the proxy's id
        with override_settings(CACHES=UNREACHABLE_REDIS):
            client.get(reverse("readyz"), HTTP_X_REQUEST_ID="trace-0001-abcd")
    finally:
        logger.removeHandler(handler)
    # then the line says what happened, for which request, with the error's traceback
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == "trace-0001-abcd"
    assert line["level"] == "ERROR" and line["message"] == "readiness: the cache does not answer"
    assert "Traceback" in line["exception"]


def test_an_error_report_keeps_the_error_and_path_but_nothing_that_names_anyone():
    from tillsammans.core.requests import scrub_error_report

    event = {
        "request": {
            "method": "GET", "url": "https://t.example/households/?q=Olena+Shevchenko",
            "query_string": "q=Olena+Shevchenko", "cookies": {"sessionid": "s"},
            "headers": {"Cookie": "sessionid=s", "X-Request-ID": "req-1"}, "data": "x",
        },
        "user": {"email": "a@example.org"},
        "breadcrumbs": {"values": [{"message": "SELECT ... 'Olena'"}]},
        "logentry": {"message": "no household %s", "params": ["Olena"]},
        "exception": {"values": [{
            "type": "IntegrityError",
            "value": "DETAIL: Key (swedish_id_number)=(198007149876) already exists.",
            "stacktrace": {"frames": [{"function": "view", "vars": {"name": "Olena"}}]},
        }]},
    }  # fmt: skip
    scrubbed = scrub_error_report(event, {})
    assert scrubbed["request"] == {"method": "GET", "url": "https://t.example/households/"}
    text = json.dumps(scrubbed)
    assert "Olena" not in text and "198007149876" not in text and "user" not in scrubbed
    assert scrubbed["exception"]["values"][0]["type"] == "IntegrityError"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["function"] == "view"
    assert "request_id" in scrubbed["tags"]


def test_error_reporting_is_on_only_with_a_dsn_and_sends_no_personal_data(tmp_path):
    from tillsammans.core.tests.test_production_settings import _production, _run

    code = (
        "import django; django.setup(); import sentry_sdk; o = sentry_sdk.get_client().options;"
        "print(bool(o['dsn']), o['send_default_pii'], o['include_local_variables'],"
        " o['max_request_body_size'], o['max_breadcrumbs'])"
    )
    without = _run(_production(tmp_path), "-c", code)
    dsn = "http://public@127.0.0.1:9/1"  # nothing listens on the loopback's port 9
    with_dsn = _run(_production(tmp_path) | {"ERROR_REPORTING_DSN": dsn}, "-c", code)
    assert without.stdout.split()[0] == "False", without.stderr
    assert with_dsn.stdout.split() == ["True", "False", "False", "never", "0"], with_dsn.stderr
