"""Backups (issue 15): what the commands refuse, on the development database. The drill
itself (backup, restore, verify, serve) runs on PostgreSQL in tests/served/."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}


def test_a_backup_of_the_development_database_says_backups_are_of_postgresql(tmp_path):
    # (the command reads which database it is from the settings, before it touches any)
    with (
        override_settings(DATABASES=SQLITE),
        pytest.raises(CommandError, match="Backups are made of PostgreSQL"),
    ):
        call_command("backup", "--to", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgresql
def test_the_keys_are_never_written_beside_the_dumps(db, tmp_path):
    with pytest.raises(CommandError, match="must not be kept beside the dumps"):
        call_command("backup", "--to", str(tmp_path), "--keys-to", str(tmp_path))
    assert list(tmp_path.glob("*.keys")) == []


@pytest.mark.postgresql
def test_a_restore_without_its_manifest_or_with_a_damaged_dump_is_refused(db, tmp_path):
    dump = tmp_path / "tillsammans-20270101-000000.dump"
    dump.write_bytes(b"PGDMP not really")
    with pytest.raises(CommandError, match=r"manifest .* is not beside the dump"):
        call_command("restore", str(dump))
    (tmp_path / "tillsammans-20270101-000000.manifest.json").write_text('{"dump_sha256": "0"}')
    with pytest.raises(CommandError, match="damaged or not the same"):
        call_command("restore", str(dump))


def test_the_dump_connects_with_the_services_tls_options():
    from tillsammans.core.backups import _client_env

    env = _client_env(
        {"NAME": "tillsammans", "HOST": "db.example", "USER": "app", "PASSWORD": "s",
         "OPTIONS": {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/city-ca.pem"}}
    )  # fmt: skip
    assert env["PGSSLMODE"] == "verify-full" and env["PGSSLROOTCERT"] == "/etc/ssl/city-ca.pem"
    assert (env["PGHOST"], env["PGDATABASE"], env["PGPASSWORD"]) == (
        "db.example",
        "tillsammans",
        "s",
    )
