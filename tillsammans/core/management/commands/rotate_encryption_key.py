"""Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS (ADR 36)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tillsammans.core import keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS. "
        "Resumable: a run cut short goes on from where it stopped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if len(settings.FIELD_ENCRYPTION_KEYS) < 2:
            raise CommandError(
                "FIELD_ENCRYPTION_KEYS holds one key: put the new key first and the old ones "
                "after it, restart the service, then run this again."
            )
        mark = keys.fingerprint(settings.FIELD_ENCRYPTION_KEYS[0])

        def report(column: str, rotated: int, current: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {column}: {rotated} re-encrypted, {current} already current")

        try:
            done = keys.rotate(report)
        except keys.RotationRunning:
            raise CommandError(
                "Another rotation is running, on this machine or another: wait for it to "
                "finish, then run this again to check that nothing is left."
            ) from None
        rotation = done.rotation
        self.stdout.write(
            ("Resumed and finished" if done.resumed else "Finished")
            + f" the rotation to key {mark}: {rotation.rotated} values re-encrypted, "
            f"{rotation.current} were already under it."
        )
        if rotation.unreadable:
            self.stdout.write(
                f"{rotation.unreadable} values open with no configured key and were left as "
                "they are: a key they need is missing from FIELD_ENCRYPTION_KEYS."
            )
        self.stdout.write("Run encryption_key_usage to see which old keys can now be removed.")
