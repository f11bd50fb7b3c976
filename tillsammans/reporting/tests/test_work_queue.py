"""The home page's work queue: what waits for each role, each item a link to its rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.access_rows.finance import submitted_a
from tests.access_rows.referrals import referral_to_b
from tests.page_text import shown_text
from tillsammans.core.models import BackgroundJob, BackgroundJobStatus

pytestmark = pytest.mark.django_db


def _work(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_allocations_to_place_for_the_coordinator_only(cast, client):
    # when
    coordinators = _work(client, cast.coordinator)
    partners = _work(client, cast.a_staff)
    # then: a link to the pending allocations, which partners may not open
    url = reverse("allocation_list") + "?status=pending"
    assert f'<a href="{url}">1 anvisat hushåll väntar på en plats</a>' in coordinators
    assert "väntar på en plats" not in partners


def test_it_lists_a_referral_waiting_for_the_partner_it_was_sent_to(cast, client):
    # given: partner A's staff referred a household to partner B
    referral_to_b(cast)
    # when
    receivers = _work(client, cast.b_staff)
    senders = _work(client, cast.a_staff)
    # then
    assert "1 hänvisning till er organisation väntar på svar" in receivers
    assert f'href="{reverse("referral_home")}"' in receivers
    assert "väntar på svar" not in senders


def test_it_lists_a_submitted_report_for_the_coordinators_review(cast, client):
    # given
    submitted_a(cast)
    # when
    coordinators = _work(client, cast.coordinator)
    writers = _work(client, cast.a_admin)
    # then
    assert "1 månadsrapport väntar på din granskning" in coordinators
    assert "granskning" not in writers


def test_it_lists_a_draft_report_for_its_partners_writers_only(cast, client):
    # given: partner A's report for a month, not yet sent
    from tests.access_rows.finance import draft_a

    draft_a(cast)
    # when
    writers = _work(client, cast.a_admin)
    readers = _work(client, cast.a_viewer)
    # then
    assert "1 månadsrapport att göra klar och skicka" in writers
    assert f'href="{reverse("finance_home")}"' in writers
    assert "göra klar" not in readers


def test_it_opens_the_report_that_waited_longest_for_review(cast, client):
    # given
    from tillsammans.finance.models import MonthlyReport

    submitted_a(cast)
    report = MonthlyReport.objects.get(status="submitted")
    # when
    page = _work(client, cast.coordinator)
    # then
    assert f'href="{reverse("report_detail", args=[report.public_id])}"' in page


def test_it_lists_the_readers_own_failed_and_finished_work_only(cast, client):
    # given: a failed job of the coordinator's and a finished one of partner A's staff
    now = timezone.now()
    failed = BackgroundJob.objects.create(
        kind="x", title="Placeringsförslag för 2022-08-01", language="sv",
        created_by=cast.coordinator, status=BackgroundJobStatus.FAILED, finished_at=now,
    )  # fmt: skip
    BackgroundJob.objects.create(
        kind="x", title="Hushållslista", language="sv", created_by=cast.a_staff,
        status=BackgroundJobStatus.DONE, finished_at=now,
    )  # fmt: skip
    BackgroundJob.objects.create(
        kind="x", title="Gammal lista", language="sv", created_by=cast.coordinator,
        status=BackgroundJobStatus.DONE, finished_at=now - dt.timedelta(days=8),
    )  # fmt: skip
    # when
    page = _work(client, cast.coordinator)
    # then: the failed one first, with its page; not another's, not last month's
    url = reverse("job_detail", args=[failed.public_id])
    assert f'<a href="{url}">Misslyckades: Placeringsförslag för 2022-08-01</a>' in page
    assert "Hushållslista" not in page
    assert "Gammal lista" not in page


def test_it_says_so_when_nothing_waits(cast, client):
    # when
    client.force_login(cast.a_viewer)
    text = shown_text(client.get(reverse("dashboard")))
    # then
    assert "Inget väntar på dig just nu." in text


def test_it_links_the_pending_figure_to_the_rows_behind_it(cast, client):
    # when
    page = _work(client, cast.coordinator)
    # then
    url = reverse("allocation_list") + "?status=pending"
    assert f'<a href="{url}" data-testid="pending">1</a>' in page


def test_it_lists_permits_ending_for_the_partner_housing_the_person_and_the_city(cast, client):
    # given: Olena, housed by partner A, has a permit that ends in 30 days
    from tillsammans.people.models import PathEventKind
    from tillsammans.people.services import path_event_record

    today = timezone.localdate()
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    path_event_record(
        actor=cast.coordinator, person=olena, kind=PathEventKind.PERMIT_GRANTED,
        on=today - dt.timedelta(days=300), valid_until=today + dt.timedelta(days=30),
    )  # fmt: skip
    # when
    partners = _work(client, cast.a_staff)
    coordinators = _work(client, cast.coordinator)
    outsiders = _work(client, cast.b_staff)
    # then: both who see her are told, with a link to the list, and partner B is not
    url = reverse("path_list", args=["expiring"])
    for page in (partners, coordinators):
        assert f'href="{url}"' in page
        assert "1 persons uppehållstillstånd upphör inom 60 dagar" in page
    assert "uppehållstillstånd" not in outsiders


def test_it_marks_a_permit_that_already_ran_out_as_urgent(cast, client):
    # given
    from tillsammans.people.models import PathEventKind
    from tillsammans.people.services import path_event_record

    today = timezone.localdate()
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    path_event_record(
        actor=cast.coordinator, person=olena, kind=PathEventKind.PERMIT_GRANTED,
        on=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(days=5),
    )  # fmt: skip
    # when
    page = _work(client, cast.a_staff)
    # then: it says the permit has run out, not that it ends soon, and it comes first
    url = reverse("path_list", args=["expiring"])
    ran_out = "1 persons uppehållstillstånd har gått ut utan att förlängning sökts"
    assert f'<li class="urgent"><a href="{url}">{ran_out}</a></li>' in page
    assert "upphör inom 60 dagar" not in page
