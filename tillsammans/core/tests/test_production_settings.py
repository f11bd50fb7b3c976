"""Settings are read at import, so each case starts Django in its own process with the
environment of a production instance (DEBUG off, no ALLOW_DEV_SECRET)."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.utils import get_random_secret_key

from tillsammans.settings import _DEV_FIELD_KEY

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "production.env.example"
SETUP = "import django; django.setup()"


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        "SECRET_KEY": get_random_secret_key(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587?tls=true",
        "DEFAULT_FROM_EMAIL": "Tillsammans <noreply@example.org>",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value != ""}


# A guard against a command that hangs, not a measure: loading the demo takes over two
# minutes on a busy two-core machine.
COMMAND_TIMEOUT = 600


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (this interpreter, the test's own arguments)
        [sys.executable, *args],
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "tillsammans.settings",
            **env,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def _print_setting(name: str) -> str:
    return f"{SETUP}; from django.conf import settings; print(settings.{name})"


def test_it_starts_with_a_complete_production_environment(tmp_path):
    # when
    started = _run(_production(tmp_path), "-c", SETUP)
    # then
    assert started.returncode == 0, started.stderr


def test_it_refuses_to_start_in_production_without_a_field_encryption_key(tmp_path):
    # given
    env = _production(tmp_path, FIELD_ENCRYPTION_KEYS="")
    # when
    started = _run(env, "-c", SETUP)
    # then
    assert started.returncode != 0
    assert "ImproperlyConfigured: FIELD_ENCRYPTION_KEYS" in started.stderr


def test_it_refuses_the_public_development_key_to_encrypt_in_production(tmp_path):
    # given: the key committed to the repository, copied into the environment
    env = _production(tmp_path, FIELD_ENCRYPTION_KEYS=_DEV_FIELD_KEY)
    # when
    started = _run(env, "-c", SETUP)
    # then
    assert started.returncode != 0
    assert "ImproperlyConfigured: FIELD_ENCRYPTION_KEYS" in started.stderr


def test_it_refuses_a_field_encryption_key_that_is_not_a_fernet_key(tmp_path):
    # given
    env = _production(tmp_path, FIELD_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},secret")
    # when
    started = _run(env, "-c", SETUP)
    # then
    assert started.returncode != 0
    assert "key 2 is not a Fernet key" in started.stderr


def test_it_reads_the_field_encryption_keys_from_a_file_one_a_line(tmp_path):
    # given: a new key first, the old one after it to read what it encrypted
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key_file = tmp_path / "keys"
    key_file.write_text(f"{new}\n{old}\n")
    env = _production(tmp_path, FIELD_ENCRYPTION_KEYS="", FIELD_ENCRYPTION_KEYS_FILE=str(key_file))
    # when
    started = _run(env, "-c", _print_setting("FIELD_ENCRYPTION_KEYS"))
    # then
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == str([new, old])


def test_it_uses_the_development_key_only_with_debug_on(tmp_path):
    # given
    env = _production(tmp_path, FIELD_ENCRYPTION_KEYS="", DEBUG="true")
    # when
    started = _run(env, "-c", _print_setting("FIELD_ENCRYPTION_KEYS"))
    # then
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == str([_DEV_FIELD_KEY])


def test_it_refuses_to_start_with_a_mail_url_it_does_not_understand(tmp_path):
    # given: a typo in the scheme would otherwise leave every reset mail unsent
    env = _production(tmp_path, EMAIL_URL="smpt://smtp.example.org:587")
    # when
    started = _run(env, "-c", SETUP)
    # then
    assert started.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL must start with smtp://" in started.stderr


def test_it_refuses_to_start_in_production_without_mail_while_passwords_can_be_reset(tmp_path):
    # given
    env = _production(tmp_path, EMAIL_URL="")
    # when
    started = _run(env, "-c", SETUP)
    # then
    assert started.returncode != 0
    assert "ImproperlyConfigured: Mail is not configured" in started.stderr


def test_it_takes_the_client_address_from_the_trusted_proxy_count(tmp_path):
    # given
    env = _production(tmp_path, TRUSTED_PROXY_COUNT="1")
    # when
    started = _run(env, "-c", _print_setting("ALLAUTH_TRUSTED_PROXY_COUNT"))
    # then: the setting allauth's throttling reads the client address by
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "1"


def _documented_environment(tmp_path: Path) -> dict[str, str]:
    """docs/production.env.example, with each secret file made up in tmp_path."""
    secrets = {
        "SECRET_KEY_FILE": get_random_secret_key(),
        "FIELD_ENCRYPTION_KEYS_FILE": Fernet.generate_key().decode(),
        "DATABASE_URL_FILE": "postgres://tillsammans:secret@db.example.org:5432/tillsammans",
        "EMAIL_URL_FILE": "smtp://mailer:secret@smtp.example.org:587?tls=true",
    }
    env = {}
    for line in EXAMPLE.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _sep, value = line.partition("=")
        if name.endswith("_FILE"):
            assert name in secrets, f"make up a value for {name} in this test"
            secret_file = tmp_path / name.lower()
            secret_file.write_text(secrets[name] + "\n")
            value = str(secret_file)
        env[name] = value
    return env


def test_it_passes_the_deployment_checks_with_the_documented_production_environment(tmp_path):
    # given
    env = _documented_environment(tmp_path)
    # when
    checked = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    # then
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout
