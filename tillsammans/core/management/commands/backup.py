"""Back up the database with its manifest, and the encryption keys to another place
(ADR 37, docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillsammans.core import backups


class Command(BaseCommand):
    help = "Dump the database (pg_dump) with a manifest; optionally the keys, elsewhere."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, required=True, help="Directory of the dumps.")
        parser.add_argument(
            "--keys-to", type=Path, help="Another directory, for the encryption keys (0600)."
        )

    def handle(self, *args: Any, to: Path, keys_to: Path | None, **options: Any) -> None:
        try:
            made = backups.backup(to, keys_to=keys_to)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backup written: {made.dump} and {made.manifest.name}")
        if made.keys is not None:
            self.stdout.write(f"Keys written: {made.keys} (keep them apart from the dumps)")
