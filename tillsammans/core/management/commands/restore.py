"""Restore a dump into an empty database and check it against its manifest (ADR 37)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillsammans.core import backups


class Command(BaseCommand):
    help = "Load a dump made by `backup` into the (empty) database and verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path, help="The .dump file; its manifest beside it.")

    def handle(self, *args: Any, dump: Path, **options: Any) -> None:
        try:
            differences = backups.restore(dump)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        if differences:
            raise CommandError(
                "The restored database differs from the backup:\n- " + "\n- ".join(differences)
            )
        self.stdout.write(
            "Restored and verified: every table has the backup's rows and the audit log is "
            "the same."
        )
