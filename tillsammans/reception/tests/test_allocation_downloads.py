"""The allocations list downloads as XLSX and CSV (issue 16): the same rows as the page under
the same filter, every page of them, each household named beside its reference, and the
reading of its persons audited as a download."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tillsammans.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _page_references(page: str) -> list[str]:
    """The allocations' references in the page's table, in its order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a></td>', body)


def test_the_download_holds_the_pages_rows_under_the_same_filter(cast, client):
    client.force_login(cast.coordinator)
    # when the coordinator filters on pending allocations and downloads the list
    page = client.get(reverse("allocation_list"), {"status": "pending"}).text
    response = client.get(reverse("allocation_list"), {"status": "pending", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    # then the workbook holds the page's allocations, in its order, the household named
    assert rows[0] == (
        "Referens", "Hushåll", "Namn", "Anvisad", "Förväntad ankomst", "Status",
    )  # fmt: skip
    assert [row[0] for row in rows[1:]] == _page_references(page) == ["A-PENDING"]
    assert rows[1][1:3] == ("H-PENDING", "Oleh Bondar")
    assert "Oleh Bondar" in page
    # and the reading of the household's persons is audited as a download
    assert (
        AuditEvent.objects.filter(
            actor=cast.coordinator, summary="allocation list download"
        ).count()
        == cast.allocation_pending.household.persons.count()
    )


def test_the_whole_list_downloads_as_csv_with_every_status(cast, client):
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("allocation_list")).text
    response = client.get(reverse("allocation_list"), {"format": "csv"})
    # then
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == _page_references(page)
    assert sorted(row[0] for row in rows[1:]) == ["A-PENDING", "A-PLACED"]
    # and the page's links carry the filter it shows
    filtered = client.get(reverse("allocation_list"), {"status": "pending"}).text
    assert "?status=pending&amp;format=csv" in filtered


def test_a_partner_cannot_download_the_allocations(cast, client):
    # when
    client.force_login(cast.a_admin)
    response = client.get(reverse("allocation_list"), {"format": "xlsx"})
    # then
    assert response.status_code == 404
