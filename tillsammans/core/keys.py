"""Rotating the field-encryption key (issue 15, ADR 36).

``FIELD_ENCRYPTION_KEYS`` lists keys: the first encrypts, all decrypt. To rotate, an operator
puts a new key first and keeps the old ones after it, restarts, and runs
``manage.py rotate_encryption_key``: every encrypted value still under an old key is
decrypted and encrypted again under the first. The run goes table by table in batches, each
batch its own transaction, and keeps its position (``KeyRotation``): one cut short goes on
from there. A value changed by a user meanwhile is left as it is (it was written under the
first key already). ``manage.py encryption_key_usage`` then counts, key by key, the values
each key opens: an old key can be removed when it opens none.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .audit import audit_record
from .fields import fernet
from .models import AuditAction, KeyRotation

BATCH = 500


@dataclass(frozen=True)
class Column:
    """A column of Fernet tokens: text (the encrypted fields) or bytes (an encrypted upload)."""

    model: type[models.Model]
    column: str
    binary: bool

    @property
    def name(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def quoted(self) -> tuple[str, str, str]:
        """The table, its primary key's column and this column, quoted for SQL."""
        pk = self.model._meta.pk
        assert pk is not None and pk.column is not None
        quote = connection.ops.quote_name
        return quote(self.model._meta.db_table), quote(pk.column), quote(self.column)


def encrypted_columns() -> list[Column]:
    """Every column that holds encrypted values: the fields marked ``encrypted`` and the byte
    columns a model names in ``encrypted_bytes``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "encrypted", False):
                found.append(Column(model, str(field.column), binary=False))
        for name in getattr(model, "encrypted_bytes", ()):
            named = model._meta.get_field(name)
            assert isinstance(named, models.Field)
            found.append(Column(model, str(named.column), binary=True))
    return sorted(found, key=lambda column: column.name)


def fingerprint(key: str) -> str:
    """A key's name in logs and the audit: not the key, and not enough to guess it."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _tokens(column: Column, after: Any = None) -> Iterator[list[tuple[Any, bytes]]]:
    """The column's tokens in batches by primary key, after ``after``."""
    table, pk, col = column.quoted()
    while True:
        where = f"{col} IS NOT NULL" + (f" AND {pk} > %s" if after is not None else "")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {col} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608 (names from the models)
                [*([after] if after is not None else []), BATCH],
            )
            found = cursor.fetchall()
        if not found:
            return
        after = found[-1][0]
        rows = [(key, _as_bytes(value)) for key, value in found]
        if rows := [(key, token) for key, token in rows if token]:
            yield rows


def _as_bytes(value: str | bytes | memoryview | None) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode()
    return bytes(value)  # a memoryview or bytes from the driver


def usage() -> tuple[Counter[int], int]:
    """How many values each key opens (by position in ``FIELD_ENCRYPTION_KEYS``, from 1), and
    how many no configured key opens."""
    keys = [Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS]
    counts: Counter[int] = Counter()
    unreadable = 0
    for column in encrypted_columns():
        for rows in _tokens(column):
            for _pk, token in rows:
                position = _opener(keys, token)
                if position is None:
                    unreadable += 1
                else:
                    counts[position] += 1
    return counts, unreadable


def _opener(keys: list[Fernet], token: bytes) -> int | None:
    for position, key in enumerate(keys, start=1):
        try:
            key.decrypt(token)
        except InvalidToken:
            continue
        return position
    return None


@dataclass
class Rotated:
    rotation: KeyRotation
    resumed: bool


class RotationRunning(Exception):
    """Another rotation holds the database's lock: on this machine or another."""


# The PostgreSQL advisory lock that one rotation at a time holds, on every machine.
ROTATION_LOCK = int.from_bytes(
    hashlib.sha256(b"tillsammans key rotation").digest()[:8], "big", signed=True
)


@contextmanager
def one_rotation_at_a_time() -> Iterator[None]:
    """Hold the rotation's lock for the run, or raise ``RotationRunning``. On PostgreSQL a
    session's advisory lock, seen by every machine using the database; SQLite serves one
    machine, whose file lock orders the writes."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ROTATION_LOCK])
        (held,) = cursor.fetchone()
    if not held:
        raise RotationRunning
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ROTATION_LOCK])


def rotate(report: Callable[[str, int, int], None] | None = None) -> Rotated:
    """Re-encrypt under the first key every value still under another; go on from where an
    unfinished run for the same key stopped. ``report(column, rotated, current)`` hears of
    each batch. Only one rotation runs at a time (``one_rotation_at_a_time``)."""
    with one_rotation_at_a_time():
        return _rotate(report)


def _rotate(report: Callable[[str, int, int], None] | None) -> Rotated:
    primary_key = settings.FIELD_ENCRYPTION_KEYS[0]
    primary, every = Fernet(primary_key), fernet()
    mark = fingerprint(primary_key)
    rotation = KeyRotation.objects.filter(key_fingerprint=mark, finished_at=None).first()
    resumed = rotation is not None
    if rotation is None:
        rotation = KeyRotation.objects.create(key_fingerprint=mark)
        audit_record(
            actor=None, action=AuditAction.UPDATE, obj=rotation,
            summary=gettext_noop("field encryption key rotation started under key %(key)s"),
            params={"key": mark},
        )  # fmt: skip
    for column in encrypted_columns():
        position = rotation.position.get(column.name)
        if position == "done":
            continue
        for rows in _tokens(column, after=position):
            rotated = current = unreadable = 0
            with transaction.atomic():
                for pk, token in rows:
                    if _opener([primary], token) is not None:
                        current += 1
                        continue
                    try:
                        new = every.rotate(token)
                    except InvalidToken:
                        # Under a key that is not configured: left as it is, and counted.
                        unreadable += 1
                        continue
                    _replace(column, pk, token, new)
                    rotated += 1
                rotation.position[column.name] = rows[-1][0]
                rotation.rotated += rotated
                rotation.current += current
                rotation.unreadable += unreadable
                rotation.save(update_fields=["position", "rotated", "current", "unreadable"])
            if report is not None:
                report(column.name, rotated, current)
        rotation.position[column.name] = "done"
        rotation.save(update_fields=["position"])
    rotation.finished_at = timezone.now()
    rotation.save(update_fields=["finished_at"])
    audit_record(
        actor=None, action=AuditAction.UPDATE, obj=rotation,
        summary=gettext_noop(
            "field encryption key rotation finished under key %(key)s: %(rotated)s values "
            "re-encrypted, %(current)s already under it, %(unreadable)s opened by no key"
        ),
        params={
            "key": mark, "rotated": rotation.rotated, "current": rotation.current,
            "unreadable": rotation.unreadable,
        },
    )  # fmt: skip
    return Rotated(rotation, resumed)


def _replace(column: Column, pk: Any, old: bytes, new: bytes) -> None:
    """Write the new token unless a user changed the value since it was read (their write
    is under the first key already)."""
    table, pk_column, col = column.quoted()
    value: str | bytes = new if column.binary else new.decode()
    previous: str | bytes = old if column.binary else old.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {col} = %s WHERE {pk_column} = %s AND {col} = %s",  # noqa: S608 (names from the models)
            [value, pk, previous],
        )
