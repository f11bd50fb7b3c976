"""Background work (issue 15): a large placement proposal and the annual report's PDF are made
by the worker; the user follows a progress bar, finds the result, reads a failure in their
language and retries it; a job run twice makes one result; a dead worker's job is taken up
again; periodic jobs are queued once when due."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.background import job_of, made_by_worker, run_worker
from tests.page_text import shown_text
from tests.pdf import pdf_text
from tillsammans.core import background, schedule
from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.core.models import (
    AuditAction,
    AuditEvent,
    BackgroundJob,
    BackgroundJobStatus,
    ScheduledRun,
    WorkerHeartbeat,
)
from tillsammans.placement.models import PlacementProposal
from tillsammans.reception.models import Allocation, AllocationStatus

DAY = dt.date(2022, 8, 1)
EVERY_PROPOSAL_IN_BACKGROUND = override_settings(PLACEMENT_IN_BACKGROUND_FROM=0)


def _pending(size: int = 2) -> None:
    household = HouseholdFactory()
    for _ in range(size):
        PersonFactory(household=household)
    AllocationFactory(household=household)


@EVERY_PROPOSAL_IN_BACKGROUND
def test_a_large_proposal_is_made_by_the_worker_and_followed_on_a_progress_page(cast, client):
    # given a coordinator with pending allocations
    client.force_login(cast.coordinator)
    _pending()
    # when they ask for a proposal
    job = job_of(client.post(reverse("proposal_create"), {"on": DAY.isoformat()}))
    waiting = client.get(reverse("job_detail", args=[job.public_id]))
    # then nothing is proposed yet: the page says it waits, with a bar at 0 that polls
    assert not PlacementProposal.objects.exists()
    assert "Väntar på att arbetet ska börja." in shown_text(waiting)
    assert 'value="0"' in waiting.text and 'hx-trigger="every 2s"' in waiting.text
    # when the worker runs
    run_worker()
    # then the proposal exists and the page, asked again by htmx, stops polling and links to it
    proposal = PlacementProposal.objects.get()
    done = client.get(reverse("job_detail", args=[job.public_id]), HTTP_HX_REQUEST="true")
    assert "Klart." in done.text and 'value="100"' in done.text
    assert "Avslutat" in done.text  # when it finished, without reloading the page
    assert "hx-trigger" not in done.text
    assert reverse("proposal_detail", args=[proposal.public_id]) in done.text
    assert proposal.created_by == cast.coordinator


@EVERY_PROPOSAL_IN_BACKGROUND
def test_a_failed_job_says_why_in_the_users_language_and_can_be_retried(cast, client):
    # given a coordinator who asks for a proposal when nothing is pending (the cast's one
    # allocation was refused, for now)
    client.force_login(cast.coordinator)
    Allocation.objects.update(status=AllocationStatus.REFUSED)
    job = job_of(client.post(reverse("proposal_create"), {"on": DAY.isoformat()}))
    # when the worker runs it
    run_worker()
    # then the job failed with the service's own message, in Swedish, and offers a retry
    page = client.get(reverse("job_detail", args=[job.public_id]))
    assert "Det finns inga väntande anvisningar att placera." in shown_text(page)
    assert "Försök igen" in shown_text(page)
    # when the allocation is pending again and they retry
    Allocation.objects.update(status=AllocationStatus.PENDING)
    retried = client.post(reverse("job_retry", args=[job.public_id]))
    run_worker()
    # then the same job is done, on its second attempt
    job.refresh_from_db()
    assert retried.status_code == 302
    assert (job.status, job.attempts) == (BackgroundJobStatus.DONE, 2)
    assert PlacementProposal.objects.count() == 1


@EVERY_PROPOSAL_IN_BACKGROUND
def test_a_job_run_again_after_it_was_done_makes_no_second_result(cast, client):
    # given a proposal made by the worker
    client.force_login(cast.coordinator)
    _pending()
    job = job_of(client.post(reverse("proposal_create"), {"on": DAY.isoformat()}))
    run_worker()
    # when its task is queued again (a retry from a stale page, a worker restarted mid-run)
    background.run_job.enqueue(str(job.public_id))
    run_worker()
    # then there is still one proposal, and the job ran once
    job.refresh_from_db()
    assert PlacementProposal.objects.count() == 1
    assert job.attempts == 1
    # and a done job cannot be retried
    refused = client.post(reverse("job_retry", args=[job.public_id]), follow=True)
    assert "kan bara försökas igen när det har misslyckats" in shown_text(refused)


@EVERY_PROPOSAL_IN_BACKGROUND
def test_the_job_of_a_worker_that_died_is_queued_again_and_finished(cast, client):
    # given a job a worker took, and that worker's last heartbeat three minutes ago
    client.force_login(cast.coordinator)
    _pending()
    job = job_of(client.post(reverse("proposal_create"), {"on": DAY.isoformat()}))
    long_ago = timezone.now() - dt.timedelta(minutes=3)
    WorkerHeartbeat.objects.create(
        worker_id="dead", host="h", pid=1, started_at=long_ago, seen_at=long_ago
    )
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJobStatus.RUNNING, worker_id="dead", attempts=1
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(status="RUNNING")
    # then its page says the worker stopped and offers to start it again
    page = client.get(reverse("job_detail", args=[job.public_id]))
    assert "Arbetaren som utförde arbetet stannade innan det var klart." in shown_text(page)
    # when the scheduler's job for stalled work runs
    call_command("scheduler", "--run", "requeue_stalled_jobs", verbosity=0)
    run_worker()
    # then the job is done by a live worker
    job.refresh_from_db()
    assert (job.status, job.attempts) == (BackgroundJobStatus.DONE, 2)
    assert PlacementProposal.objects.count() == 1


@EVERY_PROPOSAL_IN_BACKGROUND
def test_only_the_user_who_started_a_job_sees_it(cast, client_as):
    # given a job of partner A's staff member... started by the coordinator
    _pending()
    job = job_of(client_as("coordinator").post(reverse("proposal_create"), {"on": DAY.isoformat()}))
    # when another user opens it, or a job that does not exist
    other = client_as("a_admin")
    theirs = other.get(reverse("job_detail", args=[job.public_id]))
    missing = other.get(reverse("job_detail", args=["0d6f4b1e-0000-4000-8000-000000000000"]))
    retry = other.post(reverse("job_retry", args=[job.public_id]))
    # then it is the same 404
    assert theirs.status_code == missing.status_code == retry.status_code == 404
    assert theirs.content == missing.content


def test_the_annual_pdf_is_made_by_the_worker_audited_and_downloaded(cast, client):
    # given the coordinator of the shared agreement
    from tests import agreements

    agreement = agreements.shared(cast).agreement
    client.force_login(cast.coordinator)
    url = reverse("annual_report_pdf", args=[agreement.public_id, 2022, "sv"])
    # when they ask for the draft as PDF and the worker makes it
    pdf = made_by_worker(client, url)
    # then the file is the report, named for the year, and its making is audited as an export
    assert pdf["Content-Type"] == "application/pdf"
    assert "arsredovisning-2022-sv-utkast.pdf" in pdf["Content-Disposition"]
    assert "2022" in pdf_text(pdf.content)
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=cast.coordinator, object_id=str(agreement.public_id)
    ).exists()


def test_an_unexpected_error_is_logged_and_shown_with_a_reference_not_a_traceback(
    cast, client, caplog, monkeypatch
):
    # given a kind of job whose work breaks
    def breaks(job: BackgroundJob, progress: background.Progress) -> background.Outcome:
        progress(1, 2, "halfway")
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setitem(background.HANDLERS, "test.breaks", breaks)
    client.force_login(cast.coordinator)
    job = background.start(actor=cast.coordinator, kind="test.breaks", title="Test", params={})
    # when the worker runs it
    run_worker()
    # then the user reads a reference to give the operator; the log has the error
    page = shown_text(client.get(reverse("job_detail", args=[job.public_id])))
    assert str(job.public_id)[:8] in page and "secret detail" not in page
    assert "secret detail of the failure" in caplog.text


def test_the_scheduler_queues_each_periodic_job_once_while_it_is_not_due_again(db):
    # when the scheduler checks twice within a minute
    first = schedule.due()
    second = schedule.due()
    # then every periodic job was queued once
    assert set(first) == set(schedule.PERIODIC) and second == []
    # when the worker runs them, each records its result
    run_worker()
    results = dict(ScheduledRun.objects.values_list("name", "result"))
    assert results["prune_finished_jobs"].endswith("old heartbeats deleted")
    assert results["requeue_stalled_jobs"] == "0 stalled jobs queued again"


def test_the_scheduler_names_the_jobs_when_asked_for_one_that_does_not_exist(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="requeue_stalled_jobs"):
        call_command("scheduler", "--run", "no_such_job")


def test_an_expired_upload_is_deleted_by_the_hourly_job_and_a_fresh_one_kept(cast):
    from tillsammans.reception.models import PendingImport

    # given an upload that expired a minute ago and one that expires in an hour
    now = timezone.now()
    for expires in (now - dt.timedelta(minutes=1), now + dt.timedelta(hours=1)):
        PendingImport.objects.create(
            uploaded_by=cast.coordinator, file_name="a.csv", data=b"x", expires_at=expires
        )
    # when the scheduler's job runs
    call_command("scheduler", "--run", "delete_expired_uploads", verbosity=0)
    # then only the fresh one is left, and the run says what it did
    assert list(PendingImport.objects.values_list("expires_at", flat=True)) == [
        now + dt.timedelta(hours=1)
    ]
    assert ScheduledRun.objects.get(name="delete_expired_uploads").result == (
        "1 expired uploads deleted"
    )


@EVERY_PROPOSAL_IN_BACKGROUND
def test_a_run_that_was_overtaken_keeps_nothing(cast, client):
    # given a job taken over by a second attempt while the first was still solving
    client.force_login(cast.coordinator)
    _pending()
    job_of(client.post(reverse("proposal_create"), {"on": DAY.isoformat()}))
    real = background.HANDLERS["placement.propose"]

    def overtaken(job_now, progress):
        BackgroundJob.objects.filter(pk=job_now.pk).update(attempts=job_now.attempts + 1)
        return real(job_now, progress)

    with mock.patch.dict(background.HANDLERS, {"placement.propose": overtaken}):
        run_worker()
    # then the first run's proposal was rolled back with its transaction
    assert PlacementProposal.objects.count() == 0
