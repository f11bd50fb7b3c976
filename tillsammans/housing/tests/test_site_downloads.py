"""The sites and their beds download as XLSX and CSV (issue 16): the page's rows, for the
sites the reader sees, with the same figures."""

import csv
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _page_rows(page: str) -> list[tuple[str, ...]]:
    """Each site's name, kind, district, beds, occupied and free beds, as the page shows them."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows.append((cells[0], cells[2], cells[3], *cells[5:8]))
    return rows


def _file_rows(rows: list[Any]) -> list[tuple[str, ...]]:
    return [
        tuple("" if row[i] is None else str(row[i]) for i in (0, 2, 3, 6, 8, 9)) for row in rows
    ]


def test_the_coordinators_download_holds_the_pages_sites_and_beds(cast, client):
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("site_list")).text
    response = client.get(reverse("site_list"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    # then: the page's sites in its order, with the same figures
    assert rows[0][:4] == ("Boende", "Organisation", "Typ", "Stadsdel")
    shown = _file_rows(rows[1:])
    assert shown == _page_rows(page)
    assert [r[0] for r in shown] == ["Site A", "Site B"]
    # and Site A's four beds, two of them taken by the Shevchenkos
    assert shown[0][3:] == ("4", "2", "2")


def test_a_partners_download_holds_its_own_sites_only_as_csv(cast, client):
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("site_list")).text
    response = client.get(reverse("site_list"), {"format": "csv"})
    # then
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert _file_rows(rows[1:]) == _page_rows(page)
    assert [r[0] for r in rows[1:]] == ["Site A"]
    assert "?format=csv" in page
