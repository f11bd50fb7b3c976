"""The scheduler: one process that puts each periodic job (``core.schedule``) in the worker's
queue when it is due. ``--once`` checks once and stops; ``--run NAME`` runs one job here and
now, for an operator who cannot wait."""

import signal
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from tillsammans.core import schedule


class Command(BaseCommand):
    help = "Queue the periodic jobs when they are due (retention, reminders, clean-ups)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, then stop.")
        parser.add_argument("--run", metavar="NAME", help="Run one periodic job now, here.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (30)."
        )

    def handle(
        self, *args: Any, once: bool, run: str | None, interval: float, **options: Any
    ) -> None:
        if run is not None:
            if run not in schedule.PERIODIC:
                names = ", ".join(sorted(schedule.PERIODIC))
                raise CommandError(f"No periodic job is named {run!r}. The jobs: {names}.")
            self.stdout.write(f"{run}: {schedule.run_now(run)}")
            return
        if once:
            self._check()
            return
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(f"Scheduler started: {', '.join(sorted(schedule.PERIODIC))}")
        while True:
            close_old_connections()
            self._check()
            close_old_connections()
            time.sleep(interval)

    def _check(self) -> None:
        for name in schedule.due():
            self.stdout.write(f"queued {name}")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stdout.write("Scheduler stopped.")
        sys.exit(0)
