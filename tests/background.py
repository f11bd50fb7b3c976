"""Background work in tests: the real worker command, run until the queue is empty."""

import io
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from tillsammans.core.models import BackgroundJob


def run_worker() -> str:
    """Run every queued task with ``manage.py worker`` (in this process), then stop.

    The worker closes its database connection between tasks, as a long-lived process
    should; inside a test's transaction that would close the test's own connection, so here
    (and only here) the worker keeps it."""
    out = io.StringIO()
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
            verbosity=0, stdout=out,
        )  # fmt: skip
    return out.getvalue()


def job_of(response: Any) -> BackgroundJob:
    """The job a POST started, from the job page it was sent to."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.url_name == "job_detail", response["Location"]
    return BackgroundJob.objects.get(public_id=match.kwargs["public_id"])


def made_by_worker(client: Client, url: str, data: dict[str, str] | None = None) -> Any:
    """POST ``url``, which starts a job; let the worker run it; return the file it made."""
    job = job_of(client.post(url, data or {}))
    run_worker()
    job.refresh_from_db()
    assert job.status == "done", job.error
    return client.get(reverse("job_file", args=[job.public_id]))
