"""A right-to-left override in what was written about a job seeker cannot turn the CV around."""

import io

from django.urls import reverse
from pypdf import PdfReader

from tests.pdf import tagged_language
from tillsammans.jobs.models import JobSeeker
from tillsammans.jobs.tests.conftest import enrol, resident
from tillsammans.people.models import Person

RLO = "\u202e"


def _cv_text(client, seeker):
    response = client.get(reverse("job_seeker_cv", args=[seeker.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert tagged_language(response.content) == "sv"  # a screen reader reads it in Swedish
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_it_prints_a_name_with_an_override_in_the_order_it_was_typed(cast, programme, client_as):
    # given: a name stored before names were checked
    person = resident(cast)
    Person.objects.filter(pk=person.pk).update(first_name_latin=f"Iryna{RLO}gnp.exe")
    seeker = enrol(cast, person=person)
    # when
    text = _cv_text(client_as("a_staff"), seeker)
    # then
    assert "gnp.exe Koval" in text
    assert "exe.png" not in text
    assert "Curriculum vitae" in text


def test_it_keeps_the_text_after_a_free_text_with_an_override_in_order(cast, programme, client_as):
    # given: the district is followed by ", Göteborg" on the same line
    seeker = enrol(cast, education_note=f"Komvux{RLO} 2019")
    JobSeeker.objects.filter(pk=seeker.pk).update(home_district=f"Lundby{RLO}gnp")
    # when
    text = _cv_text(client_as("a_staff"), seeker)
    # then: the override turns only the text it was written in, never its neighbours
    assert "Lundbypng, Göteborg" in text
    assert "Gymnasium: Komvux9102" in text
