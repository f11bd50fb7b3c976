"""Background work (ADR 35): a long piece of work a user starts runs in the worker, not in the
web request, and the user follows it on a page with a progress bar.

- ``start`` records a ``BackgroundJob`` and enqueues the task that runs it, in one
  transaction: the database-backed task queue (django-tasks-db) keeps both or neither.
- ``run_job`` (the task) claims the job, runs the handler registered for its kind in the
  language of the user who started it, and records the result or the error to show.
- A handler saves its result and calls ``finish`` in the same transaction, so a job run twice
  (a retry, a worker that died after saving) finds itself done and does nothing more.
- A job whose worker stopped sending heartbeats is put back in the queue by the scheduler
  (``requeue_stalled``); a failed one can be retried by its user (``retry``).
"""

import datetime as dt
import json
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import TaskContext, task
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import PermissionDenied, ServiceError
from .fields import fernet
from .lib.tables import RowError
from .models import BackgroundJob, BackgroundJobStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker that has not said it is alive for this long is taken for dead.
HEARTBEAT_SECONDS = 10
WORKER_STALE = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class MadeFile:
    """A file a job made for its user; kept encrypted with the job."""

    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Outcome:
    """Where the user finds what a job made: a page, or a file kept for them."""

    url: str = ""
    file: MadeFile | None = None


class RowsRefused(ServiceError):
    """An import refused for errors in its rows: the job shows ``message`` and, under it,
    each row's error, and offers to upload a corrected file (``back``) rather than to try
    the same file again."""

    def __init__(self, code: str, message: str | Promise, errors: list[RowError]) -> None:
        super().__init__(code, message)
        self.errors = errors


class Progress:
    """What a handler calls to move the bar: ``progress(2, 4, _("Solving"))``. Each call is
    its own write, seen at once by the page that polls."""

    def __init__(self, job: BackgroundJob) -> None:
        self.job = job

    def __call__(self, done: int, total: int, step: str | Promise = "") -> None:
        BackgroundJob.objects.filter(pk=self.job.pk).update(
            done=max(0, min(done, total)), total=max(1, total), step=str(step)[:200]
        )


Handler = Callable[[BackgroundJob, Progress], Outcome]
HANDLERS: dict[str, Handler] = {}
# Who may still download a kind's file: its maker, while the rule (a role) still holds.
DownloadRule = Callable[[Any, BackgroundJob], bool]
DOWNLOAD_RULES: dict[str, DownloadRule] = {}


def handler(kind: str, *, may_download: DownloadRule | None = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``; apps import their handlers in
    ``AppConfig.ready`` so that every worker knows them. ``may_download(user, job)`` is asked
    again each
    time the job's maker downloads its file (a coordinator's extract, after they changed
    role, is no longer theirs)."""

    def register(function: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not function:
            raise RuntimeError(f"two handlers for background jobs of kind {kind!r}")
        HANDLERS[kind] = function
        if may_download is not None:
            DOWNLOAD_RULES[kind] = may_download
        return function

    return register


def start(
    *,
    actor: Any,
    kind: str,
    title: str | Promise,
    params: dict[str, Any],
    input_name: str = "",
    input_data: bytes = b"",
) -> BackgroundJob:
    """Record a job for ``actor`` and put it in the queue; ``input_data`` (an uploaded file)
    is kept encrypted with the job until it is done."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for background jobs of kind {kind!r}")
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=kind,
            title=str(title)[:200],
            params=params,
            language=get_language() or settings.LANGUAGE_CODE,
            created_by=actor,
            step=_("Waiting for the worker"),
            input_name=input_name[:200],
            input_data=fernet().encrypt(input_data) if input_data else b"",
        )
        _enqueue(job)
    return job


def job_input(job: BackgroundJob) -> bytes:
    """The file the user gave the job, decrypted (empty once the job is done)."""
    data = bytes(job.input_data)
    return fernet().decrypt(data) if data else b""


def job_output(job: BackgroundJob) -> bytes:
    """The file the job made, decrypted."""
    data = bytes(job.output_data)
    return fernet().decrypt(data) if data else b""


def _enqueue(job: BackgroundJob) -> None:
    result = run_job.enqueue(str(job.public_id))
    job.task_id = str(result.id)
    job.save(update_fields=["task_id", "updated_at"])


class Superseded(Exception):
    """The job was done, or taken up again, by another run meanwhile: this run's result is
    rolled back with the transaction that ``finish`` was called in."""


def finish(job: BackgroundJob, outcome: Outcome) -> None:
    """Mark ``job`` done with its result. Call it inside the transaction that saves the result,
    so that either both are kept or neither. If another run finished the job, or took it over
    (a later attempt), meanwhile, raise ``Superseded`` and so roll this result back."""
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.status == BackgroundJobStatus.DONE or locked.attempts != job.attempts:
        raise Superseded(str(job.public_id))
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJobStatus.DONE,
        done=1,
        total=1,
        step="",
        error="",
        finished_at=timezone.now(),
        result_url=outcome.url,
        input_data=b"",
        output_name=outcome.file.name[:200] if outcome.file else "",
        output_type=outcome.file.content_type[:100] if outcome.file else "",
        output_data=fernet().encrypt(outcome.file.content) if outcome.file else b"",
        row_errors_data=b"",
        updated_at=timezone.now(),
    )
    job.status = BackgroundJobStatus.DONE


def _claim(job_id: str, worker: str) -> BackgroundJob | None:
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(public_id=job_id).first()
        if job is None or job.status == BackgroundJobStatus.DONE:
            return None
        job.status = BackgroundJobStatus.RUNNING
        job.attempts += 1
        job.worker_id = worker[:64]
        job.started_at = timezone.now()
        job.finished_at = None
        job.error = ""
        job.row_errors_data = b""
        job.save()
    return job


def _encrypted_rows(rows: list[RowError]) -> bytes:
    if not rows:
        return b""
    return fernet().encrypt(json.dumps([[row.line, str(row.message)] for row in rows]).encode())


def _fail(job: BackgroundJob, message: str, rows: list[RowError] | None = None) -> None:
    """Mark this run of the job failed, unless another run finished it or took it over."""
    refused = {"input_data": b""} if rows else {}  # the same file would fail the same way
    BackgroundJob.objects.filter(pk=job.pk, attempts=job.attempts).exclude(
        status=BackgroundJobStatus.DONE
    ).update(
        status=BackgroundJobStatus.FAILED,
        error=message,
        row_errors_data=_encrypted_rows(rows or []),
        **refused,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


@task(takes_context=True)
def run_job(context: TaskContext, job_id: str) -> str:
    """The task the worker runs: one background job, start to end. Never raises for an error
    of the work itself: the job records it for its user."""
    job = _claim(job_id, (context.task_result.worker_ids or [""])[-1])
    if job is None:
        return "nothing to do"
    with translation.override(job.language):
        if not job.created_by.is_active:
            # The work is done as its maker: a user who can no longer sign in does nothing.
            _fail(
                job, _("The person who started this work can no longer sign in: nothing was done.")
            )
            return "refused"
        try:
            outcome = HANDLERS[job.kind](job, Progress(job))
        except Superseded:
            logger.warning("background job %s: done by another run; this one rolled back", job_id)
            return "superseded"
        except RowsRefused as exc:
            _fail(job, str(exc.message), exc.errors)
            return "refused"
        except ServiceError as exc:
            _fail(job, str(exc.message))
            return "refused"
        except Exception:
            logger.exception("background job %s (%s) failed", job.public_id, job.kind)
            _fail(
                job,
                _(
                    "The work stopped on an unexpected error, which has been logged with the "
                    "reference %(ref)s. Try again; if it stops again, give the reference to "
                    "the operator."
                )
                % {"ref": str(job.public_id)[:8]},
            )
            return "failed"
        if job.status != BackgroundJobStatus.DONE:  # the handler did not finish it itself
            try:
                with transaction.atomic():
                    finish(job, outcome)
            except Superseded:
                return "superseded"
    return "done"


def may_download(user: Any, job: BackgroundJob) -> bool:
    """Whether the job's maker may still fetch its file: an active user, and the kind's rule
    (a role they must still hold) if it has one."""
    if not getattr(user, "is_active", False):
        return False
    rule = DOWNLOAD_RULES.get(job.kind)
    return rule is None or rule(user, job)


def job_for_user(user: Any, public_id: Any) -> BackgroundJob | None:
    """A job its user started; anyone else's is not there (the views answer 404)."""
    try:
        return BackgroundJob.objects.filter(created_by=user, public_id=public_id).first()
    except (ValueError, TypeError):
        return None


def stalled(job: BackgroundJob) -> bool:
    """A job marked running whose worker has not been heard from lately: it died."""
    if job.status != BackgroundJobStatus.RUNNING:
        return False
    return not WorkerHeartbeat.objects.filter(
        worker_id=job.worker_id, seen_at__gte=timezone.now() - WORKER_STALE
    ).exists()


def retry(*, actor: Any, job: BackgroundJob) -> BackgroundJob:
    """Run a failed (or stalled) job again, for the user who started it."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
        if job.created_by_id != actor.pk:
            raise PermissionDenied(_("Only the person who started this work can retry it."))
        if not (job.status == BackgroundJobStatus.FAILED or stalled(job)):
            raise ServiceError(
                "not_retryable",
                _("This work is not stopped: it can be retried only when it has failed."),
            )
        _requeue(job)
    return job


def _requeue(job: BackgroundJob) -> None:
    job.status = BackgroundJobStatus.WAITING
    job.done, job.total, job.error, job.row_errors_data = 0, 1, "", b""
    job.step = _("Waiting for the worker")
    job.save()
    _enqueue(job)


def requeue_stalled() -> int:
    """Put back in the queue every job whose worker died while running it."""
    count = 0
    for job in BackgroundJob.objects.filter(status=BackgroundJobStatus.RUNNING):
        with transaction.atomic():
            locked = BackgroundJob.objects.select_for_update(skip_locked=True).filter(pk=job.pk)
            current = locked.first()
            if current is None or not stalled(current):
                continue
            with translation.override(current.language):
                _requeue(current)
            logger.warning("background job %s: its worker died; queued again", job.public_id)
            count += 1
    return count


# -- workers -------------------------------------------------------------------------------


def beat(worker_id: str, started_at: dt.datetime) -> None:
    """Say that this worker is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def worker_alive() -> bool:
    """Whether some worker said it was alive lately."""
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - WORKER_STALE).exists()
