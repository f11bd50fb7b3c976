"""A long allocation list is imported by the worker (issue 15, ADR 35): after the preview,
the coordinator's Import starts a job, followed on its page, that stores the households once
even if it runs twice, or says why it stored nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.background import job_of, run_worker
from tillsammans.core.background import run_job
from tillsammans.core.lib.tables import rows_about
from tillsammans.reception.import_services import allocations_import
from tillsammans.reception.imports import parse_allocation_file
from tillsammans.reception.models import Allocation, ImportBatch, PendingImport

from .test_import import SAMPLE, xlsx_bytes


def _preview(client):
    """Upload the sample; a long file is checked by the worker, whose job leads to the
    preview."""
    with SAMPLE.open("rb") as upload:
        response = client.post(reverse("allocation_import"), {"file": upload})
    if response.status_code == 302:
        job = job_of(response)
        run_worker()
        job.refresh_from_db()
        assert job.status == "done", job.error
        response = client.get(job.result_url)
    assert response.status_code == 200 and 'data-testid="import-commit"' in response.text
    return PendingImport.objects.get()


@override_settings(ROWS_IN_BACKGROUND_FROM=5)
def test_a_long_list_is_checked_and_imported_by_the_worker_once(cast, client):
    client.force_login(cast.coordinator)
    # when the coordinator uploads a long list, the worker checks it
    with SAMPLE.open("rb") as upload:
        job = job_of(client.post(reverse("allocation_import"), {"file": upload}))
    assert (
        "Kontroll av anvisningslistan anvisningar-exempel.csv"
        in client.get(reverse("job_detail", args=[job.public_id])).text
    )
    run_worker()
    job.refresh_from_db()
    # then its job leads to the preview, with the counts, the households and the button
    preview = client.get(job.result_url)
    assert preview.status_code == 200
    assert "Importera 10 hushåll" in preview.text and "EX-" in preview.text
    pending = PendingImport.objects.get()
    assert bytes(pending.summary) and b"EX-" not in bytes(pending.summary)
    # when the coordinator presses Import
    job = job_of(client.post(reverse("allocation_import_commit", args=[pending.public_id])))
    page = client.get(reverse("job_detail", args=[job.public_id])).text
    # then the work waits for the worker under the file's name, and nothing is stored yet
    assert "Import av anvisningslistan anvisningar-exempel.csv" in page
    assert not Allocation.objects.filter(reference__startswith="EX-").exists()
    run_worker()
    job.refresh_from_db()
    # and the worker stores the ten households, and the page links to the allocations
    assert job.status == "done" and job.result_url == reverse("allocation_list")
    assert Allocation.objects.filter(reference__startswith="EX-").count() == 10
    # and a second run of the same job (a worker that died after storing) stores nothing more
    run_job.enqueue(str(job.public_id))
    run_worker()
    assert Allocation.objects.filter(reference__startswith="EX-").count() == 10
    assert ImportBatch.objects.count() == 1


@override_settings(ROWS_IN_BACKGROUND_FROM=5)
def test_a_list_whose_households_were_taken_meanwhile_stores_nothing_and_says_so(cast, client):
    client.force_login(cast.coordinator)
    pending = _preview(client)
    job = job_of(client.post(reverse("allocation_import_commit", args=[pending.public_id])))
    # given another coordinator imported the same list while the job waited
    data = SAMPLE.read_bytes()
    allocations_import(
        actor=cast.coordinator, preview=parse_allocation_file("annan.csv", data),
        file_name="annan.csv",
    )  # fmt: skip
    run_worker()
    job.refresh_from_db()
    # then the job stopped with the reason in Swedish, and stored no second copy
    assert job.status == "failed"
    page = client.get(reverse("job_detail", args=[job.public_id])).text
    assert "Filen innehåller fel och ingenting har importerats" in page
    # with each row whose identity number is now held, and a way to a corrected file
    assert 'data-testid="job-row-errors"' in page and 'data-testid="job-back"' in page
    assert ImportBatch.objects.count() == 1


@override_settings(ROWS_IN_BACKGROUND_FROM=1_000)
def test_a_short_list_is_imported_in_the_request(cast, client):
    client.force_login(cast.coordinator)
    pending = _preview(client)
    response = client.post(reverse("allocation_import_commit", args=[pending.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("allocation_list")
    assert Allocation.objects.filter(reference__startswith="EX-").count() == 10


def test_the_rows_of_a_file_are_counted_cheaply():
    assert rows_about(b"a;b\n1;2\n3;4\n") == 4
    assert rows_about(xlsx_bytes([["a", "b"], [1, 2], [3, 4]])) == 3
    assert rows_about(b"PK\x03\x04 not a workbook") == 0


@override_settings(ROWS_IN_BACKGROUND_FROM=3)
def test_a_long_list_with_errors_is_refused_by_the_worker_with_each_row(cast, client):
    from .test_import import csv_bytes, family, person_row

    client.force_login(cast.coordinator)
    rows = [*family(), person_row(**{"hushåll": "TH-2", "födelsedatum": "2022-13-01"})]
    upload = SimpleUploadedFile("fel.csv", csv_bytes(rows))
    job = job_of(client.post(reverse("allocation_import"), {"file": upload}))
    run_worker()
    page = client.get(reverse("job_detail", args=[job.public_id])).text
    # then the job lists the row with its problem, and offers a corrected file
    assert 'data-testid="job-row-errors"' in page and ">4<" in page
    assert 'data-testid="job-back"' in page
    # and the upload is not kept: there is no preview of it to import
    assert not PendingImport.objects.exists()
    assert not Allocation.objects.filter(reference="T-1").exists()
