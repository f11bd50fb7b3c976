"""The households list and its search download as XLSX and CSV (issue 16): the same rows as
the page under the same search, every page of them, only what the reader may see, and the
reading of each person audited as a download."""

import csv
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent


def _page_column(page: str) -> list[str]:
    """The first column of the page's table: the households' references, or the names."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(r"<tr><td[^>]*>(.*?)</td>", body, flags=re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def _xlsx(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_households_download_holds_the_pages_rows_for_what_the_reader_sees(cast, client):
    client.force_login(cast.a_staff)
    # when partner A's staff opens the list and downloads it
    page = client.get(reverse("household_list")).text
    rows = _xlsx(client.get(reverse("household_list"), {"format": "xlsx"}))
    # then the workbook holds the page's households, in its order, with its columns
    assert rows[0] == ("Hushåll", "Personer", "Bor på", "Sedan")
    assert [row[0] for row in rows[1:]] == _page_column(page) == ["H-A"]
    assert rows[1][1] == 2 and rows[1][2] == "Site A — A1"
    # and the reading of each of the household's persons is audited as a download
    assert (
        AuditEvent.objects.filter(actor=cast.a_staff, summary="household list download").count()
        == cast.household_a.persons.count()
    )


def test_a_searched_list_downloads_as_csv_with_the_search_applied(cast, client):
    # given two households at partner A's site... and one of another name
    other = HouseholdFactory(reference="H-Z")
    PersonFactory(household=other, first_name="Ivan", last_name="Petrenko")
    client.force_login(cast.coordinator)
    # when the coordinator searches for Shevchenko and downloads the result as CSV
    page = client.get(reverse("household_list"), {"q": "Shevchenko"}).text
    response = client.get(reverse("household_list"), {"q": "Shevchenko", "format": "csv"})
    # then the file is a Swedish CSV (";" and a byte order mark) with the page's persons
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Namn", "Stavning i passet", "Född", "Hushåll"]
    assert [row[0] for row in rows[1:]] == _page_column(page)
    assert rows[1:] and all(row[3] == "H-A" for row in rows[1:])
    assert "Petrenko" not in text
    # and the download link on the page carries the search
    assert "?q=Shevchenko&amp;format=csv" in page
