"""Periodic jobs (ADR 35): each app registers the jobs it needs done every so often (deleting
expired uploads, putting back the work of a dead worker, pruning old results), and one
scheduler process (``manage.py scheduler``) puts each in the worker's queue when it is due.

A row per job (``ScheduledRun``), locked while it is checked, keeps two schedulers from
queueing one job twice; the worker runs it and records its result there."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import (
    BackgroundJob,
    BackgroundJobStatus,
    ScheduledRun,
    WorkerHeartbeat,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: dt.timedelta
    run: Callable[[], str]


PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, every: dt.timedelta) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register ``function`` to run every ``every``; it returns a line saying what it did."""

    def register(function: Callable[[], str]) -> Callable[[], str]:
        if name in PERIODIC and PERIODIC[name].run is not function:
            raise RuntimeError(f"two periodic jobs named {name!r}")
        PERIODIC[name] = Periodic(name, every, function)
        return function

    return register


def due(now: dt.datetime | None = None) -> list[str]:
    """Queue every periodic job that is due; return their names."""
    now = now or timezone.now()
    queued = []
    for job in sorted(PERIODIC.values(), key=lambda j: j.name):
        ScheduledRun.objects.get_or_create(name=job.name)
        with transaction.atomic():
            row = ScheduledRun.objects.select_for_update(skip_locked=True).filter(name=job.name)
            run = row.first()
            if run is None or (run.queued_at is not None and run.queued_at + job.every > now):
                continue
            if _still_waiting(job.name):
                continue  # no worker took the last one: queue no second
            run.queued_at = now
            run.save(update_fields=["queued_at"])
            run_periodic.enqueue(job.name)
        queued.append(job.name)
    return queued


def _still_waiting(name: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.ready()
        .filter(task_path=run_periodic.module_path, args_kwargs__args=[name])
        .exists()
    )


def run_now(name: str) -> str:
    """Run one periodic job here and now, recording its result."""
    result = PERIODIC[name].run()
    ScheduledRun.objects.update_or_create(
        name=name, defaults={"finished_at": timezone.now(), "result": result[:300]}
    )
    logger.info("periodic job %s: %s", name, result)
    return result


@task()
def run_periodic(name: str) -> str:
    if name not in PERIODIC:
        return f"no periodic job named {name}"
    return run_now(name)


# -- core's own periodic jobs -----------------------------------------------------------------

# How long a finished job (and its task's row) is kept for its user to look at.
FINISHED_KEPT = dt.timedelta(days=30)
INPUT_KEPT = dt.timedelta(days=1)


@periodic("requeue_stalled_jobs", every=dt.timedelta(minutes=1))
def requeue_stalled_jobs() -> str:
    from .background import requeue_stalled

    return f"{requeue_stalled()} stalled jobs queued again"


@periodic("prune_finished_jobs", every=dt.timedelta(days=1))
def prune_finished_jobs() -> str:
    from django_tasks_db.models import DBTaskResult

    before = timezone.now() - FINISHED_KEPT
    old = BackgroundJob.objects.filter(
        status__in=[BackgroundJobStatus.DONE, BackgroundJobStatus.FAILED], finished_at__lt=before
    )
    # A job's files (the upload it was given, what it made) are kept in it: they go with it.
    jobs = old.delete()[1].get(BackgroundJob._meta.label, 0)
    # The upload of a job that failed waits a day for a retry, then goes: it holds persons.
    BackgroundJob.objects.filter(
        status=BackgroundJobStatus.FAILED, finished_at__lt=timezone.now() - INPUT_KEPT
    ).exclude(input_data=b"").update(input_data=b"")
    tasks, _kinds = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    beats, _kinds = WorkerHeartbeat.objects.filter(seen_at__lt=before).delete()
    return f"{jobs} finished jobs, {tasks} task results and {beats} old heartbeats deleted"


@periodic("clear_sessions", every=dt.timedelta(days=1))
def clear_sessions() -> str:
    from django.contrib.sessions.models import Session

    deleted, _kinds = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"{deleted} expired sessions deleted"
