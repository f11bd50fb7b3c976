import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tillsammans.core.errors import ServiceError
from tillsammans.core.models import AuditEvent
from tillsammans.jobs.models import REQUIRED_LEVELS
from tillsammans.jobs.services import employer_create, programme_start

from .conftest import enrol, opening


def test_it_hides_a_job_seeker_from_another_programme_with_the_same_404_as_none(
    cast, programme, client_as
):
    # given: partner B runs a job programme of its own
    programme_start(actor=cast.coordinator, organisation=cast.org_b, name="B jobb")
    seeker = enrol(cast)
    # when
    theirs = client_as("b_staff").get(reverse("job_seeker_detail", args=[seeker.public_id]))
    missing = client_as("b_staff").get(
        reverse("job_seeker_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    # then
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_it_audits_every_read_of_a_job_seeker(cast, programme, client_as):
    # given
    seeker = enrol(cast)
    # when
    client_as("coordinator").get(reverse("job_seeker_detail", args=[seeker.public_id]))
    client_as("a_staff").get(reverse("job_seeker_cv", args=[seeker.public_id]))
    # then
    events = AuditEvent.objects.filter(object_id=str(seeker.public_id))
    assert events.filter(action="view", actor=cast.coordinator).exists()
    assert events.filter(action="export", actor=cast.a_staff).exists()


def test_it_renders_the_cv_in_swedish_as_pdf(cast, programme, client_as):
    # given
    seeker = enrol(cast, experience="Undersköterska i Charkiv i tio år.", driving_licence=True)
    # when
    response = client_as("a_staff").get(reverse("job_seeker_cv", args=[seeker.public_id]))
    # then
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Önskat yrke" in text
    assert "Undersköterskor, hemtjänst" in text
    assert "Undersköterska i Charkiv" in text
    assert "B-körkort" in text
    assert "Gymnasium" in text


def test_it_ranks_seekers_on_the_opening_page_with_reasons(cast, programme, client_as):
    # given
    seeker = enrol(cast)
    job = opening(cast)
    # when
    response = client_as("a_staff").get(reverse("opening_detail", args=[job.public_id]))
    # then
    assert response.status_code == 200
    assert f'data-testid="seeker-{seeker.public_id}"' in response.content.decode()
    assert "km" in response.content.decode()


def test_it_shows_figures_without_persons_to_a_viewer(cast, programme, client_as):
    # given: a job seeker enrolled this year
    seeker = enrol(cast, available_from=timezone.localdate())
    seeker.enrolled_on = timezone.localdate()
    seeker.save()
    # when
    response = client_as("a_viewer").get(reverse("jobs_figures"))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="year-enrolled">1<' in page
    assert seeker.person.first_name not in page


def test_it_refuses_the_coordinator_a_write_with_a_message(cast, programme, client_as):
    # given
    employer_create(actor=cast.a_staff, name="Exempel AB")
    # when
    response = client_as("coordinator").post(reverse("employer_list"), {"name": "Stadens AB"})
    # then
    assert response.status_code == 200
    assert "Stadens AB" not in [e.name for e in response.context["employers"]]


def test_it_names_only_the_languages_a_job_seeker_speaks_and_a_native_one_as_such(
    cast, programme, client_as
):
    # given: Ukrainian is her native language; she speaks no Russian
    seeker = enrol(cast, swedish=1, english=0, ukrainian=4, russian=0)
    # when
    with translation.override("sv"):
        page = client_as("a_staff").get(reverse("job_seeker_detail", args=[seeker.public_id]))
    # then
    text = page.content.decode()
    assert "Ukrainska: modersmål" in text
    assert "Svenska: grundläggande" in text
    assert ": ingen" not in text.lower()
    assert "Ryska" not in text


def test_it_lets_no_opening_ask_for_native_speakers(cast, programme):
    # given: an opening that tries to require Swedish as a native language
    # when
    with pytest.raises(ServiceError):
        opening(cast, swedish=4)
    # then: the requirement levels stop at fluent
    assert [value for value, _label in REQUIRED_LEVELS] == [0, 1, 2, 3]


def test_a_cv_opened_again_the_same_day_is_one_disclosure_and_every_read_is_audited(
    cast, programme, client_as
):
    from tillsammans.core.models import Disclosure

    seeker = enrol(cast)
    staff = client_as("a_staff")
    for _time in range(3):
        assert staff.get(reverse("job_seeker_cv", args=[seeker.public_id])).status_code == 200
    assert Disclosure.objects.filter(what="CV as PDF").count() == 1
    exports = AuditEvent.objects.filter(object_id=str(seeker.public_id), action="export")
    assert exports.count() == 3
