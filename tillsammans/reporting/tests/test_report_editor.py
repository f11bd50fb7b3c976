"""The annual report as the partnership writes and publishes it: texts, quotes only with
consent, photos with credit, frozen editions, and a PDF with a cover, contents and page
numbers."""

import io
import re

from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from tests import agreements
from tests.background import job_of, made_by_worker, run_worker
from tillsammans.core.templatetags.tillsammans import grouped, published
from tillsammans.reporting.models import Edition, Quote, ReportPhoto

YEAR = 2022


def _shared(cast):
    return agreements.shared(cast).agreement


def _url(name, agreement, *rest):
    return reverse(name, args=[agreement.public_id, YEAR, *rest])


def test_the_coordinator_writes_the_common_texts_and_they_lead_the_report(cast, client):
    # given
    agreement = _shared(cast)
    client.force_login(cast.coordinator)
    # when
    client.post(
        _url("annual_edit", agreement),
        {
            "tagline_sv": "Vi gör det bäst tillsammans",
            "intro_sv": "Vid kris sluter civilsamhället upp.",
            "background_sv": "Göteborgs Stad fick i mitten av mars 2022 i uppdrag …",
            "common_goal_sv": "Ett bra mottagande.",
            "collaborators_sv": "Svenska kyrkan och Fryshuset.",
            "funding_sv": "ESF-projekt och egna medel.",
        },
    )
    page = client.get(_url("annual_report", agreement, "sv")).text
    # then
    for words in (
        "Vid kris sluter civilsamhället upp.",
        "Göteborgs Stad fick i mitten av mars 2022",
        "Ett bra mottagande.",
        "Svenska kyrkan och Fryshuset.",
        "ESF-projekt och egna medel.",
    ):
        assert words in page
    assert page.index("Inledning") < page.index("Bakgrund") < page.index("Året i siffror")


def test_a_quote_without_the_persons_consent_is_refused(cast, client):
    # given partner A's admin
    agreement = _shared(cast)
    client.force_login(cast.a_admin)
    # when the consent box is left empty
    response = client.post(
        _url("annual_quote_add", agreement),
        {
            "organisation": cast.org_a.pk,
            "text_sv": "Här fick vi ro.",
            "said_by_sv": "Olha",
            "consent_on": "2022-12-01",
        },
    )
    # then
    assert response.status_code == 200
    assert not Quote.objects.exists()
    assert "consent" in response.context["form"].errors


def test_a_partner_admin_cannot_quote_in_another_partners_section(cast, client):
    # given
    agreement = _shared(cast)
    client.force_login(cast.a_admin)
    # when
    response = client.post(
        _url("annual_quote_add", agreement),
        {
            "organisation": cast.org_b.pk,
            "text_sv": "Inte vårt.",
            "said_by_sv": "någon",
            "consent_on": "2022-12-01",
            "consent": "on",
        },
    )
    # then
    assert response.status_code == 200
    assert not Quote.objects.exists()


def test_a_published_edition_stays_as_it_was_when_the_text_changes(cast, client):
    # given partner A's section, published as edition 1
    agreement = _shared(cast)
    client.force_login(cast.coordinator)
    text_url = _url("annual_text", agreement, cast.org_a.slug)
    client.post(text_url, {"headline_sv": "Första rubriken", "text_sv": "Första texten."})
    first = client.get(_publish(client, agreement))
    # when the text changes and a second edition is published
    client.post(text_url, {"headline_sv": "Andra rubriken", "text_sv": "Andra texten."})
    _publish(client, agreement)
    # then edition 1 reads as it did, edition 2 has the new words, the draft follows
    edition_one = client.get(_url("annual_edition", agreement, 1, "sv")).text
    edition_two = client.get(_url("annual_edition", agreement, 2, "sv")).text
    assert "Första texten." in first.text
    assert "Första texten." in edition_one and "Andra texten." not in edition_one
    assert "Andra texten." in edition_two
    assert "Läs den senaste utgåvan (2)" in edition_one
    assert Edition.objects.filter(agreement=agreement, year=YEAR).count() == 2


def _publish(client, agreement) -> str:
    """Publish the next edition (the worker does it); the URL the job leads to."""
    job = job_of(client.post(_url("annual_publish", agreement)))
    run_worker()
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job.result_url


def test_an_edition_is_published_by_the_worker_with_both_pdfs(cast, client):
    # given a coordinator who publishes the report
    agreement = _shared(cast)
    client.force_login(cast.coordinator)
    job = job_of(client.post(_url("annual_publish", agreement)))
    # then the job has its title, and nothing is published before the worker runs
    page = client.get(reverse("job_detail", args=[job.public_id])).text
    assert "Publicering av årsredovisningen 2022" in page
    assert not Edition.objects.exists()
    run_worker()
    job.refresh_from_db()
    # when it has run, the job leads to edition 1, and both its PDFs are already made
    assert job.result_url == _url("annual_edition", agreement, 1, "sv")
    edition = Edition.objects.get()
    assert edition.pdf_sv is not None and edition.pdf_en is not None
    pdf = client.get(_url("annual_edition_pdf", agreement, 1, "en"))
    assert pdf.status_code == 200 and bytes(pdf.content) == bytes(edition.pdf_en.content)
    # and the same job run again publishes no second edition
    from tillsammans.core.background import run_job

    run_job.enqueue(str(job.public_id))
    run_worker()
    assert Edition.objects.count() == 1


def test_publishing_asks_first(cast, client):
    # given
    agreement = _shared(cast)
    client.force_login(cast.coordinator)
    # when
    question = client.get(_url("annual_publish", agreement))
    # then
    assert "Publicera utgåva 1 av årsredovisningen 2022?" in question.text
    assert not Edition.objects.exists()


def test_a_photo_removed_from_the_draft_stays_in_the_edition_that_shows_it(cast, client):
    # given a photo in partner A's section, published
    agreement = _shared(cast)
    client.force_login(cast.a_admin)
    client.post(
        _url("annual_photo_add", agreement),
        {
            "organisation": cast.org_a.pk,
            "file": agreements.logo_png(),
            "caption_sv": "Språkcafé på tisdagar",
            "credit": "Foto: Alva Ek",
            "consent": "on",
        },
    )
    photo = ReportPhoto.objects.get()
    client.force_login(cast.coordinator)
    _publish(client, agreement)
    image_url = reverse("report_image", args=[photo.file.public_id])
    # when the photo is removed from the draft
    client.post(_url("annual_photo_delete", agreement, photo.public_id))
    # then the edition still shows it, and the draft no longer does
    assert not ReportPhoto.objects.exists()
    assert image_url in client.get(_url("annual_edition", agreement, 1, "sv")).text
    assert client.get(image_url).status_code == 200
    assert image_url not in client.get(_url("annual_report", agreement, "sv")).text


def test_a_photo_needs_a_picture_a_credit_and_consent(cast, client):
    # given
    agreement = _shared(cast)
    client.force_login(cast.a_admin)
    # when
    response = client.post(
        _url("annual_photo_add", agreement),
        {"organisation": cast.org_a.pk, "file": agreements.logo_png(), "credit": ""},
    )
    not_a_picture = client.post(
        _url("annual_photo_add", agreement),
        {
            "organisation": cast.org_a.pk,
            "file": io.BytesIO(agreements.PDF),
            "credit": "Ek",
            "consent": "on",
        },
    )
    # then
    assert {"credit", "consent"} <= set(response.context["form"].errors)
    assert "Filen är inte en PNG- eller JPEG-bild." in not_a_picture.text
    assert not ReportPhoto.objects.exists()


def test_the_pdf_has_a_cover_a_contents_list_and_page_numbers(cast, client):
    # given
    agreement = _shared(cast)
    client.force_login(cast.coordinator)
    client.post(_url("annual_edit", agreement), {"intro_sv": "Vid kris sluter civilsamhället upp."})
    # when
    pdf = made_by_worker(client, _url("annual_report_pdf", agreement, "sv")).content
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    # then the cover stands alone, the contents list points to pages, each page is numbered
    assert "Årsredovisning av mervärdesinsatser 2022".upper() in pages[0].upper()
    assert "Innehåll" in pages[1]
    intro_page = next(i for i, text in enumerate(pages) if "Vid kris sluter" in text)
    assert re.search(rf"Inledning\W*{intro_page + 1}\b", pages[1])
    for number, text in enumerate(pages[1:], start=2):
        assert f"{number} / {len(pages)}" in text


def test_counts_are_grouped_and_only_persons_from_1_to_4_are_hidden():
    # given a Swedish reader
    with translation.override("sv"):
        # when / then
        assert grouped(36431) == "36\xa0431"
        assert (published(0), published(3), published(36431)) == (0, "färre än 5", "36\xa0431")
