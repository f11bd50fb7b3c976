"""The background worker: django-tasks-db's ``db_worker`` that also says every few seconds
that it is alive (``core.background.beat``), so that readiness and the scheduler know whether
a worker runs and which jobs lost theirs."""

import datetime as dt
import logging
import os
import threading
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from tillsammans.core import background
from tillsammans.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def _beat_until(stop: threading.Event, worker_id: str, started_at: dt.datetime) -> None:
    while not stop.wait(background.HEARTBEAT_SECONDS):
        try:
            background.beat(worker_id, started_at)
        except DatabaseError:
            logger.exception("worker %s: the heartbeat could not be written", worker_id)
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = "Run the background worker (tasks from the database), with a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        # The process's own id: a worker restarted under the same name (systemd's instance)
        # is another process, and the jobs the dead one held show as stalled.
        worker_id = options["worker_id"] = f"{options['worker_id'][:48]}-{os.getpid()}"
        started_at = timezone.now()
        background.beat(worker_id, started_at)
        stop = threading.Event()
        thread = threading.Thread(
            target=_beat_until, args=(stop, worker_id, started_at), daemon=True
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
