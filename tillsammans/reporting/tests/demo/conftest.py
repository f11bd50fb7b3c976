"""The demo, loaded once for all of its tests and rolled back after them.

Loading replays hundreds of households through the real services, which takes a minute or
more on a busy machine; each test's own ``db`` transaction nests inside this one as a
savepoint. The root conftest sends all of them to one worker (`TOGETHER`), so that the demo is
loaded once per run, not once per module on each worker.
"""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """What `load_demo` printed."""
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        call_command("load_demo", "--if-empty", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
