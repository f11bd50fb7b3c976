"""The monthly report's PDF, the document a partner signs: every column within the page."""

import pytest
from django.urls import reverse

from tests.pdf import (
    boxes_beyond_pages,
    capture_pdf_html,
    column_headers,
    pdf_text,
    tagged_language,
    text_outside_pages,
)
from tillsammans.core.factories import SiteFactory, UnitFactory
from tillsammans.finance import services

from .conftest import D, place
from .test_reports import _client, _submitted

LONG_NAME = "Räddningsmissionens kollektivboende Kvarnbyhemmet, Mölndal (hus C och D)"


@pytest.fixture
def pdf_html(monkeypatch):
    return capture_pdf_html(monkeypatch)


@pytest.fixture
def two_sites_at_b(cast, september_at_b):
    """Partner B's September with a second site, both with names as long as real ones."""
    cast.site_b.name = LONG_NAME
    cast.site_b.save()
    second = SiteFactory(organisation=cast.org_b, name="Stiftelsen Skyddsvärnets lägenheter")
    place(cast, UnitFactory(site=second, name="C2", beds=6), D(2022, 9, 5), D(1975, 5, 5))


def _read_back(response, html):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    headers = [header for table in column_headers(html) for header in table if header.strip()]
    missing = [header for header in headers if "".join(header.split()) not in text]
    return headers, missing


def test_it_prints_every_column_of_the_partners_report_within_the_page(
    cast, two_sites_at_b, partner_rates, pdf_html
):
    # given partner B's submitted September, with two sites
    report = _submitted(cast)
    # when its staff downloads the report as PDF
    response = _client(cast.b_staff).get(reverse("report_pdf", args=[report.public_id]))
    # then every column header of every table reads back from the PDF
    headers, missing = _read_back(response, pdf_html[0])
    assert "Utflyttade personer" in headers  # the last column of the widest table
    assert "Platsdygn" in headers
    assert missing == []
    # and nothing is laid out or drawn beyond the page's edges
    assert boxes_beyond_pages(pdf_html[0]) == []
    assert text_outside_pages(response.content) == []
    assert "Kvarnbyhemmet" in pdf_text(response.content)
    # and it is tagged, in Swedish, for a screen reader
    assert tagged_language(response.content) == "sv"


def test_it_prints_every_column_of_the_month_over_all_partners_within_the_page(
    cast, two_sites_at_b, partner_rates, pdf_html
):
    # given partner B's approved September
    report = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=report)
    # when the coordinator downloads the month as PDF
    response = _client(cast.coordinator).get(reverse("month_pdf", args=[2022, 9]))
    # then every column header reads back, and nothing lies beyond the page's edges
    headers, missing = _read_back(response, pdf_html[0])
    assert "Granskning" in headers
    assert missing == []
    assert tagged_language(response.content) == "sv"
    assert boxes_beyond_pages(pdf_html[0]) == []
    assert text_outside_pages(response.content) == []
