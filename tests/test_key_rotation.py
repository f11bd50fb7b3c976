"""Rotating the field-encryption key (issue 15): every encrypted value is re-encrypted under
the new key, a run cut short goes on from where it stopped, each run is audited, and an old
key is shown removable only when nothing uses it; afterwards every value reads back under
the new key alone."""

import datetime as dt
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from tillsammans.core import keys
from tillsammans.core.background import job_input, job_output
from tillsammans.core.factories import HouseholdFactory
from tillsammans.core.fields import fernet
from tillsammans.core.models import AuditEvent, BackgroundJob, KeyRotation
from tillsammans.hosting.models import Host
from tillsammans.hosting.services import programme_create
from tillsammans.hosting.tests.conftest import register, vet
from tillsammans.people.models import Household
from tillsammans.reception.models import PendingImport

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
# The development key, under which the cast's own values were written.
DEV = list(settings.FIELD_ENCRYPTION_KEYS)


def _usage(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        call_command("encryption_key_usage")
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, capsys.readouterr().out


@pytest.fixture
def under_old_key(cast):
    """Encrypted values of every kind, written under the old key."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        programme = programme_create(
            actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum"
        )
        persons = [HouseholdFactory(medical_priority=flag) for flag in (True, False, True)]
        host = vet(cast, register(cast, programme))
        upload = PendingImport.objects.create(
            uploaded_by=cast.coordinator, file_name="a.csv", data=fernet().encrypt(b"rad;1"),
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )  # fmt: skip
        # and a background job's upload and the file it made (ADR 35)
        BackgroundJob.objects.create(
            kind="finance.payments_import", title="Import", language="sv",
            created_by=cast.coordinator, input_name="mars.csv",
            input_data=fernet().encrypt(b"2026-03;A-1"), output_name="utdrag.pdf",
            output_data=fernet().encrypt(b"%PDF-1.7"),
        )  # fmt: skip
    return persons, host, upload


def _read_back(persons, host, upload) -> None:
    """Every value as it was written, read with the keys now configured."""
    assert [Household.objects.get(pk=p.pk).medical_priority for p in persons] == [True, False, True]
    again = Host.objects.get(pk=host.pk)
    assert (again.name, again.phone, again.email, again.address) == (
        "Anna och Erik Lind", "070-000 00 00", "lind@example.org", "Exempelgatan 1"
    )  # fmt: skip
    assert again.home_visit_notes == "ok"
    assert fernet().decrypt(bytes(PendingImport.objects.get(pk=upload.pk).data)) == b"rad;1"
    job = BackgroundJob.objects.get(input_name="mars.csv")
    assert (job_input(job), job_output(job)) == (b"2026-03;A-1", b"%PDF-1.7")


def test_after_the_rotation_every_value_reads_back_under_the_new_key_alone(under_old_key, capsys):
    # given the new key put first, the old one kept after it
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD, *DEV]):
        # then before the rotation the old key is still in use and may not be removed
        status, before = _usage(capsys)
        assert status == 1 and "still in use" in before
        # when the operator rotates
        call_command("rotate_encryption_key")
        out = capsys.readouterr().out
        # then the values were re-encrypted and the old key is unused
        status, after = _usage(capsys)
    rotation = KeyRotation.objects.get()
    assert rotation.rotated >= 3 + 4 + 3 + 1 and rotation.finished_at is not None
    assert f"{rotation.rotated} values re-encrypted" in out
    assert status == 0 and after.count("unused: it can be removed") == 1 + len(DEV)
    # and with the old key removed, every value reads back
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        _read_back(*under_old_key)
    # and the run is in the audit log, with the key's fingerprint, never the key
    events = AuditEvent.objects.filter(object_type="core.keyrotation")
    assert events.count() == 2
    assert all(NEW not in str(event.summary_params) for event in events)
    assert keys.fingerprint(NEW) in events.order_by("at").last().summary


def test_a_rotation_cut_short_goes_on_from_where_it_stopped(under_old_key, capsys):
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD, *DEV]):
        # given a rotation that stops at its third write (the machine restarted)
        real, calls = keys._replace, []

        def failing(*args, **kwargs):
            calls.append(1)
            if len(calls) == 3:
                raise RuntimeError("the machine restarted")
            return real(*args, **kwargs)

        with mock.patch.object(keys, "_replace", failing), pytest.raises(RuntimeError):
            call_command("rotate_encryption_key")
        # when the operator runs it again
        call_command("rotate_encryption_key")
        out = capsys.readouterr().out
    # then it resumed the same run and finished it
    assert "Resumed and finished" in out
    assert KeyRotation.objects.count() == 1
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        _read_back(*under_old_key)


def test_a_value_no_key_opens_is_reported_and_the_rotation_needs_a_second_key(
    under_old_key, capsys
):
    # given only a new key: the old values open with none
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        status, out = _usage(capsys)
        assert status == 1 and "open with no configured key" in out
        with pytest.raises(CommandError, match="put the new key first"):
            call_command("rotate_encryption_key")
    # and a rotation with a key missing leaves those values as they are and says so
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, *DEV]):
        call_command("rotate_encryption_key")
    assert "open with no configured key and were left as they are" in capsys.readouterr().out
    # (the households', the host's and the upload's values, and the job's upload and file)
    assert KeyRotation.objects.get().unreadable == 3 + 4 + 3 + 1 + 2


@pytest.mark.postgresql
def test_a_second_rotation_while_one_runs_elsewhere_is_refused(cast):
    """Two machines: the advisory lock of one rotation, held by another connection."""
    from django.db import connection

    assert connection.vendor == "postgresql", "run with DATABASE_URL set to PostgreSQL"
    import psycopg

    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"], host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None, user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [keys.ROTATION_LOCK])
        with (
            override_settings(FIELD_ENCRYPTION_KEYS=[NEW, *DEV]),
            pytest.raises(CommandError, match="Another rotation is running"),
        ):
            call_command("rotate_encryption_key")
        assert not KeyRotation.objects.exists()
        # The other rotation ends and releases its lock, rather than leaving it to the
        # server's clean-up of a closed connection, which a busy machine may do after the
        # next line has asked for it.
        other.execute("SELECT pg_advisory_unlock(%s)", [keys.ROTATION_LOCK])
    finally:
        other.close()
    # and once the other is done, it runs
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, *DEV]):
        call_command("rotate_encryption_key")
    assert KeyRotation.objects.get().finished_at is not None
