"""Load the demo "Göteborg 2022" (see tillsammans/reporting/demo.py)."""

import textwrap
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from tillsammans.reception.models import ExitReason
from tillsammans.reporting import demo


def _children() -> int:
    from tillsammans.minors.models import ChildCase

    return ChildCase.objects.count()


def _pending_now() -> int:
    from tillsammans.reception.models import Allocation, AllocationStatus

    return Allocation.objects.filter(status=AllocationStatus.PENDING).count()


class Command(BaseCommand):
    help = "Load the demo 'Göteborg 2022' (synthetic people) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database; otherwise say the demo is there and stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo.database_is_empty():
            if not options["if_empty"]:
                raise CommandError(
                    "The database already has organisations; the demo loads only into an "
                    "empty database. Use --if-empty to skip quietly."
                )
            if not demo.demo_is_loaded():
                # Real data: demo logins would not work here, so printing them would mislead.
                self.stdout.write("The database has data that is not the demo; nothing loaded.")
                return
            self.stdout.write("The demo 'Göteborg 2022' is already loaded.")
            self._print_logins()
            return
        started = time.monotonic()
        summary = demo.load_demo()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo 'Göteborg 2022' in {elapsed:.1f} s:")
        )
        with translation.override(None):  # the console is English, the reasons in words
            reasons = ", ".join(
                f"{n} {str(ExitReason(reason).label).lower()}"
                for reason, n in sorted(summary.exit_reasons.items())
            )
        lines = [
            f"{summary.organisations} organisations, {summary.sites} sites, {summary.beds} beds",
            f"{summary.persons_received} persons in {summary.households} households received "
            "in 2022 (every person synthetic)",
            f"{summary.moves} households moved between units, {summary.move_outs} moved out "
            f"({summary.persons_moved_out} persons: {reasons})",
            f"{summary.pending_households} allocated in late December ({summary.pending_persons} "
            "persons, not counted as received): they came in January 2023, but for two that "
            "never did",
            f"{_pending_now()} allocations wait for a place today",
            "the audit log dates these events today, not in 2022",
            f"and 'Göteborg 2015–2016': {_children()} unaccompanied young people received in "
            "homes for children (every one synthetic), three of them today",
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"  Demo logins (password for all: {demo.PASSWORD})")
        for login in demo.LOGINS:
            role = login.role.replace("_", " ")
            self.stdout.write(f"    {login.email:<52} {role}, {login.organisation_slug}")
            for line in textwrap.wrap(login.can, width=90, break_on_hyphens=False):
                self.stdout.write(f"        {line}")
