"""A long allocation list is imported by the worker (issue 15, ADR 35): after the preview,
the coordinator's Import starts a job, followed on its page, that stores the households once
even if it runs twice, or says why it stored nothing."""

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
    upload = SAMPLE.open("rb")
    response = client.post(reverse("allocation_import"), {"file": upload})
    assert response.status_code == 200
    return PendingImport.objects.get()


@override_settings(ROWS_IN_BACKGROUND_FROM=5)
def test_a_long_list_is_imported_by_the_worker_once(cast, client):
    client.force_login(cast.coordinator)
    pending = _preview(client)
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
