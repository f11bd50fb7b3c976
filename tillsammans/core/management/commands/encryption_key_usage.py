"""How many encrypted values each key of FIELD_ENCRYPTION_KEYS opens (ADR 36): an old key can
be removed when it opens none. Exits with status 1 while an old key is still in use, or when
a value opens with no configured key, so that a script can stop before removing a key."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tillsammans.core import keys


class Command(BaseCommand):
    help = "Count, key by key, the encrypted values each key opens; status 1 if an old key is used."

    def handle(self, *args: Any, **options: Any) -> None:
        counts, unreadable = keys.usage()
        in_use = False
        for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
            used = counts.get(position, 0)
            role = "encrypts" if position == 1 else "old"
            if position == 1:
                verdict = ""
            elif used:
                verdict = " (still in use: run rotate_encryption_key before removing it)"
                in_use = True
            else:
                verdict = " (unused: it can be removed)"
            self.stdout.write(
                f"key {position} ({keys.fingerprint(key)}, {role}): {used} values{verdict}"
            )
        if unreadable:
            self.stdout.write(
                f"{unreadable} values open with no configured key: a key they need is missing."
            )
        if in_use or unreadable:
            raise SystemExit(1)
