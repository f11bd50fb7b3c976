"""Backups and restores of the database (issue 15, ADR 37).

Everything the product keeps is in PostgreSQL, the uploaded files too (ADR 23), so a backup is
one ``pg_dump`` in its custom format, with a manifest beside it: each table's row count, a
digest of the audit log, the last migration of each app and the fingerprints (never the
values) of the encryption keys the data needs. The keys are written separately, to another
place, on request. A restore loads a dump into an empty database and checks it against its
manifest: the same counts and the same audit log, or it says what differs.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from .keys import fingerprint


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


def _postgres(alias: str = "default") -> dict[str, Any]:
    database = settings.DATABASES[alias]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups are made of PostgreSQL, the production database; this database is "
            f"{database['ENGINE'].rsplit('.', 1)[-1]}."
        )
    return dict(database)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install postgresql-client of the server's version."
        )
    return found


def _client_env(database: dict[str, Any]) -> dict[str, str]:
    """The libpq variables for pg_dump and pg_restore: no password on a command line."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    # The connection's own options (TLS above all) apply to the dump as to the service.
    options = database.get("OPTIONS") or {}
    for option, variable in LIBPQ_OPTIONS.items():
        if options.get(option) not in (None, ""):
            values[variable] = str(options[option])
    env.update({key: value for key, value in values.items() if value})
    return env


# The connection options in DATABASES["default"]["OPTIONS"] that libpq also reads from the
# environment, so that pg_dump and pg_restore connect as the service does.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "application_name": "PGAPPNAME",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def manifest(alias: str = "default") -> dict[str, Any]:
    """What a restore must find again: row counts, the audit log's digest, migrations."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (the database's own table names)
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        migrations = dict(cursor.fetchall())
    digest = hashlib.sha256()
    # The audit log grows by millions of rows a year: read it through a server-side cursor,
    # in a transaction (a named cursor needs one; inside the backup's, it is that snapshot).
    with transaction.atomic(using=alias), connection.chunked_cursor() as rows:
        rows.execute(
            "SELECT id, at, actor_email, organisation_name, action, object_type, object_id, "
            "summary, summary_template, summary_params::text FROM core_auditevent ORDER BY id"
        )
        while batch := rows.fetchmany(10_000):
            for row in batch:
                digest.update(json.dumps([str(value) for value in row]).encode())
                digest.update(b"\n")
    return {
        "made_at": timezone.now().isoformat(),
        "tables": counts,
        "audit_events": counts.get("core_auditevent", 0),
        "audit_digest": digest.hexdigest(),
        "migrations": migrations,
        "key_fingerprints": [fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS],
    }


@dataclass(frozen=True)
class Backup:
    dump: Path
    manifest: Path
    keys: Path | None


def backup(directory: Path, *, keys_to: Path | None = None) -> Backup:
    """Dump the database into ``directory`` with its manifest; the keys, if asked, into
    ``keys_to``, which must be another directory."""
    database = _postgres()
    directory.mkdir(parents=True, exist_ok=True)
    if keys_to is not None and (
        keys_to.resolve() == directory.resolve()
        or keys_to.resolve().is_relative_to(directory.resolve())
    ):
        raise BackupError(
            "The keys must not be kept beside the dumps: give --keys-to another place."
        )
    os.umask(0o077)  # the dump holds personal data: readable by this user only
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    dump = directory / f"tillsammans-{stamp}.dump"
    # The manifest and the dump read the same snapshot of the database: the counts are those
    # of the dump to the row, however busy the service is meanwhile.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = manifest()
        done = subprocess.run(  # noqa: S603 (pg_dump with the project's own arguments)
            [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={dump}"],
            env=_client_env(database), capture_output=True, text=True, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        dump.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    facts["dump_sha256"] = _sha256(dump)
    written = directory / f"tillsammans-{stamp}.manifest.json"
    written.write_text(json.dumps(facts, indent=1, sort_keys=True))
    key_file = None
    if keys_to is not None:
        keys_to.mkdir(parents=True, exist_ok=True)
        key_file = keys_to / f"tillsammans-{stamp}.keys"
        key_file.touch(mode=0o600)
        key_file.write_text("\n".join(settings.FIELD_ENCRYPTION_KEYS) + "\n")
    return Backup(dump, written, key_file)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore(dump: Path) -> list[str]:
    """Load ``dump`` into the configured database, which must be empty, and compare it with
    the dump's manifest; return the differences (none when the restore is whole)."""
    database = _postgres()
    facts_file = dump.with_name(dump.name.removesuffix(".dump") + ".manifest.json")
    if not facts_file.exists():
        raise BackupError(f"The manifest {facts_file.name} is not beside the dump.")
    facts = json.loads(facts_file.read_text())
    if _sha256(dump) != facts.get("dump_sha256"):
        raise BackupError("The dump does not match its manifest: it is damaged or not the same.")
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError(
                f"The database {database['NAME']} is not empty: restore into a new, empty one."
            )
    done = subprocess.run(  # noqa: S603 (pg_restore with the project's own arguments)
        [_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={database['NAME']}", str(dump)],
        env=_client_env(database), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    connection.close()
    found = manifest()
    differences = [
        f"{table}: {count} rows in the backup, {found['tables'].get(table)} restored"
        for table, count in facts["tables"].items()
        if found["tables"].get(table) != count
    ]
    if found["audit_digest"] != facts["audit_digest"]:
        differences.append("the audit log differs from the backup's")
    if found["migrations"] != facts["migrations"]:
        differences.append("the migrations differ from the backup's")
    from .keys import usage

    _counts, unreadable = usage()
    if unreadable:
        differences.append(
            f"{unreadable} encrypted values open with none of the configured keys: configure "
            "the keys of the backup's day (its .keys file)"
        )
    missing = set(facts["key_fingerprints"]) - set(found["key_fingerprints"])
    if missing:
        differences.append(
            "the backup was made with encryption keys that are not configured here: "
            + ", ".join(sorted(missing))
        )
    return differences
