"""The data protection officer's review of the audit log (issue 15): reads flagged by rule
(many persons in a short time, at night, found by search outside the reader's sites), a
monthly sample that is the same each time, and a sign-off that is kept; nobody else sees it."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tests.background import job_of, run_worker
from tests.page_text import shown_text
from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditAction, AuditEvent, User
from tillsammans.partnership.models import Membership, Role
from tillsammans.privacy import review
from tillsammans.privacy.models import LogReview

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOVEMBER = dt.date(2022, 11, 1)


def _read(user, at: dt.datetime, household, summary: str = "household page") -> None:
    """A read of ``household`` by ``user`` at ``at``, as the pages record it: the household
    page reads the household, a list or a search each person on it."""
    objects = (
        [("people.person", p.public_id) for p in household.persons.all()]
        if summary in ("household list", "household search")
        else [("people.household", household.public_id)]
    )
    with mock.patch("django.utils.timezone.now", return_value=at):
        for kind, public_id in objects:
            # as core.audit writes a fixed text: in ``summary``, with no template
            AuditEvent.objects.create(
                actor=user, actor_email=user.email,
                organisation_name=user.membership.organisation.name, action=AuditAction.VIEW,
                object_type=kind, object_id=str(public_id), summary=summary,
            )  # fmt: skip


@pytest.fixture
def dpo(cast) -> Client:
    officer = User.objects.create_user(
        "dataskydd@example.org", "x", is_data_protection_officer=True
    )
    Membership.objects.create(user=officer, organisation=cast.city, role=Role.VIEWER)
    client = Client()
    client.force_login(officer)
    return client


def _households(n: int) -> list:
    homes = [HouseholdFactory() for _ in range(n)]
    for home in homes:
        PersonFactory(household=home)
    return homes


def _computed(dpo, month: str = "2022-11") -> str:
    """The officer has the worker compute the month's review; the page it leads to."""
    job = job_of(dpo.post(reverse("log_review_compute"), {"month": month}))
    run_worker()
    job.refresh_from_db()
    assert job.status == "done", job.error
    return shown_text(dpo.get(job.result_url))


def test_the_rules_flag_a_burst_night_reads_and_searches_outside_the_readers_sites(cast, dpo):
    homes = _households(25)
    day = dt.datetime(2022, 11, 10, 14, 0, tzinfo=STOCKHOLM)
    # given a staff member who opened 25 households within five minutes (a burst), and ten
    # households spread over an afternoon (no burst)
    for n, home in enumerate(homes):
        _read(cast.a_staff, day + dt.timedelta(seconds=12 * n), home)
    for n, home in enumerate(homes[:10]):
        _read(cast.a_admin, day + dt.timedelta(minutes=30 * n), home)
    # and three reads at half past eleven at night
    for home in homes[:3]:
        _read(cast.b_staff, dt.datetime(2022, 11, 12, 23, 30, tzinfo=STOCKHOLM), home)
    # and a search that showed partner A's staff a household not living at its sites, and
    # one that does (a search reads each person it shows: no burst)
    _read(cast.a_staff, day + dt.timedelta(days=2), homes[0], "household search")
    _read(cast.a_staff, day + dt.timedelta(days=2), cast.household_a, "household search")
    # and a list of 21 households none of which lives at partner A's sites: no burst (a list
    # is many at once by design), but each is outside the reader's sites
    for home in homes[:21]:
        _read(cast.a_admin, day + dt.timedelta(days=3), home, "household list")
    # when the officer opens November, it is not computed yet: the page offers to
    first = shown_text(dpo.get(reverse("log_review") + "?month=2022-11"))
    assert "Månadens granskning är inte beräknad ännu" in first
    # when the worker has computed it
    text = _computed(dpo)
    kept = review.kept(NOVEMBER)
    assert kept is not None
    found, findings = kept
    # (25 + 10 + 3 reads, two searches showing 1 + 2 persons, a list of 21)
    assert findings.reads == 62
    # then each rule flags exactly what it should
    assert [(b.email, b.count) for b in found.bursts] == [(cast.a_staff.email, 25)]
    assert [(n.email, n.count) for n in found.nights] == [(cast.b_staff.email, 3)]
    assert sorted((o.email, o.count, o.households) for o in found.outside) == [
        (cast.a_admin.email, 21, 21), (cast.a_staff.email, 1, 1)
    ]  # fmt: skip
    assert cast.a_staff.email in text and "Granskning av granskningsloggen" in text
    assert "Beräknad" in text
    # and the sample is the same each time the month is opened
    assert [e.pk for e in review.sample(NOVEMBER)] == [e.pk for e in found.sample]
    assert len(found.sample) == review.SAMPLE


def test_the_officer_signs_a_month_once_and_the_sign_off_is_kept(cast, dpo):
    _read(cast.a_staff, dt.datetime(2022, 11, 10, 23, 0, tzinfo=STOCKHOLM), cast.household_a)
    # a month not yet computed cannot be signed: the officer signs what they saw
    early = dpo.post(reverse("log_review_sign"), {"month": "2022-11", "notes": "x"}, follow=True)
    assert not LogReview.objects.exists() and "innan den signeras" in shown_text(early)
    _computed(dpo)
    # when the officer signs November with notes
    dpo.post(
        reverse("log_review_sign"),
        {"month": "2022-11", "notes": "Nattläsningen gällde en akut flytt."},
    )
    again = dpo.post(reverse("log_review_sign"), {"month": "2022-11", "notes": "igen"}, follow=True)
    # then the sign-off is kept with what was flagged, and a second one is refused
    signed = LogReview.objects.get()
    assert signed.flagged == {"bursts": 0, "night_reads": 1, "outside_searches": 0}
    assert signed.notes == "Nattläsningen gällde en akut flytt."
    assert "redan signerad" in shown_text(again)
    assert "Nattläsningen gällde en akut flytt." in shown_text(
        dpo.get(reverse("log_review") + "?month=2022-11")
    )
    # and the month still running cannot be signed
    today = dt.date.today().strftime("%Y-%m")
    running = dpo.post(reverse("log_review_sign"), {"month": today, "notes": "x"}, follow=True)
    assert LogReview.objects.count() == 1 and "när den är slut" in shown_text(running)


def test_nobody_but_the_officer_opens_the_review(cast, client_as):
    for role in ("coordinator", "a_admin", "a_staff", "a_viewer", "b_staff", "case_worker"):
        assert client_as(role).get(reverse("log_review")).status_code == 404


def test_the_review_lists_the_months_disclosures(cast, dpo):
    from tillsammans.core.disclosures import record_disclosure
    from tillsammans.core.models import Disclosure, DisclosureBasis

    person = cast.household_a.persons.first()
    at = dt.datetime(2022, 11, 20, 10, 0, tzinfo=STOCKHOLM)
    with mock.patch("django.utils.timezone.now", return_value=at):
        record_disclosure(
            actor=cast.a_staff, persons=[person], recipient="Bräcke diakoni",
            what="register extract", basis=DisclosureBasis.SUBJECT_ACCESS,
        )  # fmt: skip
    page = shown_text(dpo.get(reverse("log_review") + "?month=2022-11"))
    assert Disclosure.objects.get().person_count == 1
    assert "Bräcke diakoni" in page and "registerutdrag" in page
    assert "personens rätt till tillgång (GDPR art. 15)" in page


def test_a_review_computed_before_its_month_ended_is_computed_again_before_signing(cast, dpo):
    from tillsammans.privacy.models import ReviewFindings

    _read(cast.a_staff, dt.datetime(2022, 11, 10, 23, 0, tzinfo=STOCKHOLM), cast.household_a)
    _computed(dpo)
    # given findings computed on 20 November, before the month's last reads were written
    ReviewFindings.objects.update(computed_at=dt.datetime(2022, 11, 20, tzinfo=STOCKHOLM))
    page = shown_text(dpo.get(reverse("log_review") + "?month=2022-11"))
    assert "beräknades innan månaden var slut" in page
    # then signing is refused, and computing again makes it signable
    refused = dpo.post(reverse("log_review_sign"), {"month": "2022-11", "notes": "x"}, follow=True)
    assert not LogReview.objects.exists() and "beräknades innan månaden" in shown_text(refused)
    _computed(dpo)
    dpo.post(reverse("log_review_sign"), {"month": "2022-11", "notes": "Granskat."})
    assert LogReview.objects.get().notes == "Granskat."
