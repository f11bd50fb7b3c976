"""A long statement of the state's payments is imported by the worker (issue 15, ADR 35):
the coordinator follows it on a progress page, a file with errors is refused whole with each
row's error on that page, and the file waits for the worker encrypted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.background import job_of, run_worker
from tillsammans.core.background import run_job
from tillsammans.finance.models import PaymentFile, StatePayment

from .test_reconciliation import HEADER, TWICE_AND_MISSING, set_up_march


@pytest.fixture
def march(cast, agreement):
    return set_up_march(cast, agreement)


@override_settings(ROWS_IN_BACKGROUND_FROM=3)
def test_a_long_statement_is_imported_by_the_worker_and_followed_on_its_page(
    cast, agreement, march, client
):
    query = "?agreement=" + str(agreement.public_id)
    url = reverse("reconciliation_import", args=[2026, 3]) + query
    client.force_login(cast.coordinator)
    # when the coordinator uploads a file with a bad row
    bad = HEADER + "2026-03;X-9;vuxen;;1\n2026-03;A-1;vuxen;31;9 640,00\n"
    job = job_of(client.post(url, {"file": SimpleUploadedFile("fel.csv", bad.encode())}))
    # then the file waits for the worker encrypted, under the job's title
    assert b"X-9" not in bytes(job.input_data) and job.input_name == "fel.csv"
    assert (
        "Import av statens utbetalningar 2026-03 från fel.csv"
        in client.get(reverse("job_detail", args=[job.public_id])).text
    )
    run_worker()
    # and the page says nothing was imported, names the row and offers a corrected file
    page = client.get(reverse("job_detail", args=[job.public_id])).text
    assert "Filen innehåller fel och ingenting har importerats" in page
    assert 'data-testid="job-row-errors"' in page and "X-9" in page
    assert 'data-testid="job-back"' in page and "Försök igen" not in page
    assert not PaymentFile.objects.exists()
    # when the good file is uploaded
    good = SimpleUploadedFile("mars.csv", TWICE_AND_MISSING.encode())
    job = job_of(client.post(url, {"file": good}))
    run_worker()
    job.refresh_from_db()
    # then it is imported once, the page links to the month, and the upload is gone
    assert job.status == "done" and job.result_url.startswith(
        reverse("reconciliation_page", args=[2026, 3])
    )
    assert StatePayment.objects.filter(file__file_name="mars.csv").count() == 4
    assert bytes(job.input_data) == b""
    # and run again (a worker that died after saving), it imports nothing more
    run_job.enqueue(str(job.public_id))
    run_worker()
    assert PaymentFile.objects.count() == 1 and StatePayment.objects.count() == 4


@override_settings(ROWS_IN_BACKGROUND_FROM=1_000)
def test_a_short_statement_is_imported_in_the_request(cast, agreement, march, client):
    client.force_login(cast.coordinator)
    query = "?agreement=" + str(agreement.public_id)
    good = SimpleUploadedFile("mars.csv", TWICE_AND_MISSING.encode())
    response = client.post(reverse("reconciliation_import", args=[2026, 3]) + query, {"file": good})
    assert response.status_code == 302 and "background" not in response["Location"]
    assert PaymentFile.objects.count() == 1


def test_a_long_list_of_differences_is_written_by_the_worker_and_kept_encrypted(
    cast, agreement, march, client
):
    import io

    from openpyxl import load_workbook

    from tillsammans.core.fields import decrypt
    from tillsammans.core.models import AuditEvent
    from tillsammans.finance.services import payments_import

    payments_import(
        actor=cast.coordinator, agreement=agreement, year=2026, month=3, file_name="mars.csv",
        data=TWICE_AND_MISSING.encode(),
    )  # fmt: skip
    client.force_login(cast.coordinator)
    query = "?agreement=" + str(agreement.public_id)
    with override_settings(ROWS_IN_BACKGROUND_FROM=2):
        job = job_of(client.get(reverse("reconciliation_export", args=[2026, 3]) + query))
    # when the list is long, nobody's reading is audited until the worker writes it
    assert not AuditEvent.objects.filter(
        object_id=str(march["B-2"].public_id), action="view"
    ).exists()
    run_worker()
    job.refresh_from_db()
    # then the file is kept encrypted for the coordinator, and lists both differences
    assert job.status == "done"
    stored = bytes(job.output_data)
    assert not stored.startswith(b"PK")  # not the workbook itself, a zip file
    assert decrypt(stored.decode()).startswith(b"PK")
    response = client.get(reverse("job_file", args=[job.public_id]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["B-1", "B-2"]
    assert "no-store" in response["Cache-Control"]
    # and reading the persons was audited when it was made
    assert AuditEvent.objects.filter(object_id=str(march["B-2"].public_id), action="view").exists()
    # and another coordinator cannot fetch it
    from tillsammans.core.factories import member
    from tillsammans.partnership.models import Role

    client.force_login(member(cast.city, Role.COORDINATOR, "annan@example.org"))
    assert client.get(reverse("job_file", args=[job.public_id])).status_code == 404


def test_the_worker_does_nothing_for_a_user_who_can_no_longer_sign_in(
    cast, agreement, march, client
):
    client.force_login(cast.coordinator)
    query = "?agreement=" + str(agreement.public_id)
    good = SimpleUploadedFile("mars.csv", TWICE_AND_MISSING.encode())
    with override_settings(ROWS_IN_BACKGROUND_FROM=3):
        job = job_of(
            client.post(reverse("reconciliation_import", args=[2026, 3]) + query, {"file": good})
        )
    # given the coordinator was deactivated while the work waited
    type(cast.coordinator).objects.filter(pk=cast.coordinator.pk).update(is_active=False)
    run_worker()
    job.refresh_from_db()
    # then nothing is imported, and the job says why
    assert job.status == "failed" and "kan inte längre logga in" in job.error
    assert not PaymentFile.objects.exists()


def test_a_list_made_for_a_coordinator_is_not_theirs_once_they_lose_the_role(
    cast, agreement, march, client
):
    from tillsammans.partnership.models import Membership, Role

    client.force_login(cast.coordinator)
    query = "?agreement=" + str(agreement.public_id)
    with override_settings(ROWS_IN_BACKGROUND_FROM=0):
        job = job_of(client.get(reverse("state_ledger_export", args=[2026, 3]) + query))
    run_worker()
    job.refresh_from_db()
    assert job.status == "done"
    assert client.get(reverse("job_file", args=[job.public_id])).status_code == 200
    # when they are no longer a coordinator, the file is not theirs: the same 404 as none
    Membership.objects.filter(user=cast.coordinator).update(role=Role.VIEWER)
    assert client.get(reverse("job_file", args=[job.public_id])).status_code == 404
