import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import member
from tillsammans.core.models import AuditEvent
from tillsammans.partnership.models import Role
from tillsammans.people.models import Household, Person, PersonNameKey, Sex
from tillsammans.people.selectors import person_search
from tillsammans.reception.import_services import ImportRejected, allocations_import
from tillsammans.reception.imports import (
    COLUMNS,
    FILE_LINE,
    ImportPreview,
    header_key,
    parse_allocation_file,
    parse_date,
)
from tillsammans.reception.models import Allocation, AllocationStatus, ImportBatch, PendingImport

HEADER = [
    "anvisningsnummer", "anvisningsdatum", "beräknat ankomstdatum", "hushåll", "efternamn",
    "förnamn", "efternamn latin", "förnamn latin", "födelsedatum", "kön", "språk",
    "ärendenummer", "kortnummer", "tillstånd från", "tillstånd till", "personnummer",
    "tillgänglighet", "husdjur", "medicinsk prioritet",
]  # fmt: skip
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "anvisningar-exempel.csv"


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are checked in their English source; the default language is Swedish.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def person_row(**values: str) -> dict[str, str]:
    row = {
        "anvisningsnummer": "T-1", "anvisningsdatum": "2022-07-01",
        "beräknat ankomstdatum": "2022-07-04", "hushåll": "TH-1", "efternamn": "Прикладенко",
        "förnamn": "Олена", "efternamn latin": "Prykladenko", "förnamn latin": "Olena",
        "födelsedatum": "1984-02-11", "kön": "K", "språk": "uk, ru",
        "ärendenummer": "T-MV-1", "kortnummer": "T-UT-1", "tillstånd från": "2022-06-20",
        "tillstånd till": "2023-03-04", "personnummer": "", "tillgänglighet": "nej",
        "husdjur": "nej", "medicinsk prioritet": "nej",
    }  # fmt: skip
    row.update(values)
    return row


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    separator: str = ";",
    header: list[str] = HEADER,
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(header)
    writer.writerows([row.get(name, "") for name in header] for row in rows)
    text = out.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def family(household: str = "TH-1", allocation: str = "T-1") -> list[dict[str, str]]:
    return [
        person_row(**{"hushåll": household, "anvisningsnummer": allocation}),
        person_row(**{"hushåll": household, "anvisningsnummer": allocation,
                      "förnamn": "Максим", "förnamn latin": "Maksym",
                      "födelsedatum": "2010-09-30", "kön": "M"}),
    ]  # fmt: skip


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def lines_and_messages(preview: ImportPreview) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in preview.errors]


# Reading files --------------------------------------------------------------------------


def test_it_reads_a_semicolon_separated_csv(cast):
    # given
    data = csv_bytes(family())
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert preview.ok, preview.errors
    assert preview.rows == 2
    [household] = preview.households
    assert household.reference == "TH-1"
    assert household.allocation_reference == "T-1"
    assert household.allocated_on == dt.date(2022, 7, 1)
    assert household.expected_arrival == dt.date(2022, 7, 4)
    assert [p.first_name for p in household.persons] == ["Олена", "Максим"]
    assert household.persons[0].languages == ["uk", "ru"]
    assert household.persons[1].sex == Sex.MALE


def test_it_reads_a_comma_separated_csv_with_a_byte_order_mark(cast):
    # given: languages hold a comma too, so the cell is quoted
    rows = [person_row(**{"språk": "uk, ru"})]
    data = csv_bytes(rows, separator=",", bom=True)
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert preview.ok, preview.errors
    assert preview.households[0].persons[0].languages == ["uk", "ru"]


def test_it_reads_a_comma_separated_csv_without_a_byte_order_mark(cast):
    # given
    data = csv_bytes(family(), separator=",")
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert preview.ok, preview.errors
    assert preview.persons == 2


def test_it_reads_a_semicolon_separated_csv_with_a_byte_order_mark(cast):
    # given
    data = csv_bytes(family(), bom=True)
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert preview.ok, preview.errors
    assert preview.households[0].allocation_reference == "T-1"


def test_it_reads_a_windows_1252_csv_from_swedish_excel(cast):
    # given: headers with å, ä and ö in cp1252 bytes, which are not UTF-8
    rows = [person_row(**{"efternamn": "Åström", "förnamn": "Märta", "efternamn latin": "",
                          "förnamn latin": ""})]  # fmt: skip
    data = csv_bytes(rows, encoding="cp1252")
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert preview.ok, preview.errors
    person = preview.households[0].persons[0]
    assert (person.first_name, person.last_name) == ("Märta", "Åström")
    assert (person.first_name_latin, person.last_name_latin) == ("Märta", "Åström")


def test_it_refuses_a_utf8_file_with_a_stray_byte_instead_of_garbling_names(cast):
    # given: line 3 was pasted in from a Windows-1252 file
    rows = [person_row(), person_row(**{"förnamn": "Максим", "förnamn latin": "Maksym"})]
    data = csv_bytes(rows).replace(b"Maksym", b"Maksym \xe9")
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == 3
    assert "not UTF-8" in message


def test_it_reads_a_utf16_tab_separated_export(cast):
    # given: Excel's "Unicode text" format
    text = "\t".join(HEADER) + "\r\n" + "\t".join(person_row().values()) + "\r\n"
    data = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    # when
    preview = parse_allocation_file("anvisningar.txt", data)
    # then
    assert preview.ok, preview.errors
    assert preview.households[0].persons[0].first_name == "Олена"


def test_it_reads_an_xlsx_workbook_with_date_cells_and_text_dates(cast):
    # given
    first = list(person_row().values())
    second = list(person_row(**{"förnamn": "Максим", "förnamn latin": "Maksym"}).values())
    first[1] = dt.datetime(2022, 7, 1)  # a cell formatted as a date
    second[1] = "01.07.2022"  # a date typed as text
    first[8] = dt.date(1984, 2, 11)
    # when
    preview = parse_allocation_file("anvisningar.xlsx", xlsx_bytes([HEADER, first, second]))
    # then
    assert preview.ok, preview.errors
    [household] = preview.households
    assert household.allocated_on == dt.date(2022, 7, 1)
    assert household.persons[0].birth_date == dt.date(1984, 2, 11)
    assert len(household.persons) == 2


def test_it_reports_xlsx_lines_as_the_sheet_numbers_them(cast):
    # given: a title row, a blank row, then the header on row 3
    bad = list(person_row(**{"födelsedatum": "not a date"}).values())
    rows = [["Anvisningar juli 2022"], [], HEADER, list(person_row().values()), bad]
    # when
    preview = parse_allocation_file("anvisningar.xlsx", xlsx_bytes(rows))
    # then
    assert [error.line for error in preview.errors] == [5]


def test_it_finds_the_header_below_a_title_row_in_a_csv(cast):
    # given
    data = b"Anvisningar juli 2022\r\n" + csv_bytes(family())
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert preview.ok, preview.errors
    assert [p.line for p in preview.households[0].persons] == [3, 4]


@pytest.mark.parametrize(
    "text", ["2022-07-01", "20220701", "1/7/2022", "01/07/2022", "01.07.2022", "1.7.2022",
             "01-07-2022", "2022/07/01", "2022-07-01 00:00:00"],
)  # fmt: skip
def test_it_reads_swedish_and_iso_dates_day_first(text):
    # when
    parsed = parse_date(text)
    # then
    assert parsed == dt.date(2022, 7, 1)


def test_it_reads_swedish_dates_in_a_whole_file(cast):
    # given
    rows = [person_row(**{"anvisningsdatum": "1/7/2022", "beräknat ankomstdatum": "04.07.2022",
                          "födelsedatum": "19840211", "tillstånd från": "20.6.2022",
                          "tillstånd till": "2023-03-04"})]  # fmt: skip
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    assert preview.ok, preview.errors
    household = preview.households[0]
    assert household.allocated_on == dt.date(2022, 7, 1)
    assert household.expected_arrival == dt.date(2022, 7, 4)
    assert household.persons[0].birth_date == dt.date(1984, 2, 11)
    assert household.persons[0].permit_valid_from == dt.date(2022, 6, 20)


def test_it_accepts_english_headers_in_any_case(cast):
    # given
    header = ["Allocation Reference", "ALLOCATION DATE", "Household", "Last name", "First name",
              "Date of birth", "Sex", "Needs accessible"]  # fmt: skip
    row = ["T-9", "2022-07-01", "TH-9", "Іваненко", "Ігор", "1970-01-02", "male", "yes"]
    data = ("\n".join([",".join(header), ",".join(row)]) + "\n").encode()
    # when
    preview = parse_allocation_file("list.csv", data)
    # then
    assert preview.ok, preview.errors
    household = preview.households[0]
    assert household.needs_accessible is True
    assert household.persons[0].sex == Sex.MALE
    assert household.persons[0].last_name_latin == "Ivanenko"


def test_it_transliterates_a_missing_passport_spelling_capitalised(cast):
    # given
    rows = [person_row(**{"efternamn": "Шевчук-Яковенко", "förnamn": "Юлія",
                          "efternamn latin": "", "förnamn latin": ""})]  # fmt: skip
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    person = preview.households[0].persons[0]
    assert person.first_name_latin == "Yuliia"
    assert person.last_name_latin == "Shevchuk-Yakovenko"


def test_it_groups_the_rows_of_a_household_and_keeps_households_apart(cast):
    # given
    rows = [*family("TH-1", "T-1"), *family("TH-2", "T-2"), person_row(**{"hushåll": "TH-1"})]
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    assert preview.ok, preview.errors
    assert [(h.reference, len(h.persons)) for h in preview.households] == [("TH-1", 3), ("TH-2", 2)]


def test_it_lists_columns_it_does_not_know(cast):
    # given
    header = [*HEADER, "anteckning"]
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(family(), header=header))
    # then
    assert preview.ok
    assert preview.ignored_columns == ["anteckning"]


def test_it_accepts_the_sample_file(cast):
    # given
    data = SAMPLE.read_bytes()
    # when
    preview = parse_allocation_file(SAMPLE.name, data)
    # then
    assert preview.ok, preview.errors
    assert len(preview.households) == 10
    assert all(2 <= len(h.persons) <= 5 for h in preview.households)


def test_it_keeps_the_column_names_of_different_fields_apart():
    # given
    keys = [(header_key(name), column.field) for column in COLUMNS for name in column.names]
    # when
    fields_per_key: dict[str, set[str]] = {}
    for key, field in keys:
        fields_per_key.setdefault(key, set()).add(field)
    # then
    assert all(len(fields) == 1 for fields in fields_per_key.values())


# Bad rows -------------------------------------------------------------------------------


BAD_ROWS = [
    ({"förnamn": ""}, "“förnamn” is empty"),
    ({"anvisningsnummer": ""}, "“anvisningsnummer” is empty"),
    ({"födelsedatum": "2022-02-30"}, "not a real date"),
    ({"anvisningsdatum": "July 1st"}, "is not a date"),
    ({"beräknat ankomstdatum": "2022-06-30"}, "before the allocation date"),
    ({"tillstånd till": "2022-06-01"}, "permit ends (2022-06-01) before it starts"),
    ({"födelsedatum": "2999-01-01"}, "is in the future"),
    ({"anvisningsdatum": "0001-01-01"}, "is not between 2000-01-01 and"),
    ({"tillstånd till": "9999-12-31"}, "is not between 2000-01-01 and"),
    ({"personnummer": "19850312-12"}, "not a valid Swedish number"),
    ({"personnummer": "19850312-1235"}, "check digit does not match"),
    ({"kön": "kanske"}, "is not a sex"),
    ({"tillgänglighet": "kanske"}, "is not a yes or no"),
    ({"anvisningsnummer": "A-PENDING", "hushåll": "TH-NEW"}, "already in the system"),
    ({"hushåll": "H-A"}, "Household H-A is already in the system"),
    ({"anvisningsnummer": "T" * 41}, "longer than 40 characters"),
    (
        {"förnamn": "Ол\u202eена"},
        "“förnamn” contains an invisible character that changes the direction",
    ),
    ({"efternamn latin": "Pryklad\u2067enko"}, "(U+2067)"),
]


@pytest.mark.parametrize(("values", "fragment"), BAD_ROWS)
def test_it_lists_a_bad_row_by_line_and_writes_nothing(cast, values, fragment):
    # given: line 1 is the header, line 2 a good row, line 3 the bad one
    good = person_row(**{"hushåll": "TH-0", "anvisningsnummer": "T-0"})
    bad = person_row(**{"hushåll": "TH-1", "anvisningsnummer": "T-1", **values})
    counts = (Household.objects.count(), Person.objects.count(), Allocation.objects.count())
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes([good, bad]))
    # then
    assert not preview.ok
    assert [line for line, _ in lines_and_messages(preview)] == [3]
    assert fragment in preview.errors[0].message
    with pytest.raises(ServiceError):
        allocations_import(actor=cast.coordinator, preview=preview, file_name="anvisningar.csv")
    assert counts == (Household.objects.count(), Person.objects.count(), Allocation.objects.count())
    assert not ImportBatch.objects.exists()


def test_it_refuses_one_allocation_for_two_households(cast):
    # given
    rows = [*family("TH-1", "T-1"), person_row(**{"hushåll": "TH-2", "anvisningsnummer": "T-1"})]
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == 4
    assert "also given to household TH-1 on line 2" in message


@pytest.mark.parametrize(
    ("column", "value"),
    [("anvisningsnummer", "T-OTHER"), ("anvisningsdatum", "2022-07-02"),
     ("beräknat ankomstdatum", ""), ("tillgänglighet", "ja"), ("husdjur", "ja"),
     ("medicinsk prioritet", "ja")],
)  # fmt: skip
def test_it_refuses_rows_of_one_household_that_disagree(cast, column, value):
    # given
    rows = [*family("TH-1", "T-1"), person_row(**{column: value})]
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == 4
    assert "household TH-1 like line 2" in message
    assert f"“{column}” differs" in message


def test_it_lists_every_bad_row_of_a_file_in_line_order(cast):
    # given
    rows = [
        person_row(**{"hushåll": "TH-1", "anvisningsnummer": "T-1"}),
        person_row(**{"hushåll": "TH-2", "anvisningsnummer": "T-2", "födelsedatum": "x",
                      "kön": "?!"}),
        person_row(**{"hushåll": "TH-3", "anvisningsnummer": "T-3"}),
        person_row(**{"hushåll": "TH-4", "anvisningsnummer": "T-4", "efternamn": ""}),
    ]  # fmt: skip
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    assert [line for line, _ in lines_and_messages(preview)] == [3, 3, 5]
    assert preview.rows == 4


def test_it_names_all_missing_columns_in_one_error(cast):
    # given
    header = [name for name in HEADER if name not in ("födelsedatum", "hushåll")]
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(family(), header=header))
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == 1
    assert "hushåll" in message
    assert "födelsedatum" in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"", "The file is empty."), (b"\xef\xbb\xbf\r\n\r\n", "The file is empty."),
     (csv_bytes([]), "header row but no allocations")],
)  # fmt: skip
def test_it_explains_an_empty_file(cast, data, fragment):
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    assert not preview.ok
    assert fragment in preview.errors[0].message


def test_it_refuses_a_file_over_the_size_limit(cast, settings):
    # given
    settings.IMPORT_MAX_BYTES = 1024
    data = csv_bytes([person_row(**{"hushåll": f"TH-{i}"}) for i in range(20)])
    # when
    preview = parse_allocation_file("anvisningar.csv", data)
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == FILE_LINE
    assert "too large" in message


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return out.getvalue()


GARBAGE = [
    ("random.csv", bytes(range(256)) * 8, "not a CSV or XLSX"),
    ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "not a CSV or XLSX"),
    ("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "password protected"),
    ("broken.xlsx", xlsx_bytes([HEADER])[:300], "could not be read"),
    ("archive.xlsx", _zip_without_workbook(), "not a CSV or XLSX"),
    ("report.pdf", b"%PDF-1.7 hello", "not a CSV or XLSX"),
    ("quotes.csv", ";".join(HEADER).encode() + b'\n"T-1;' + b"x" * 140_000, "quotation marks"),
    ("notes.txt", b"just some words\nand more", "lacks required columns"),
]


@pytest.mark.parametrize(("file_name", "data", "fragment"), GARBAGE)
def test_it_explains_a_file_that_is_not_a_list(cast, file_name, data, fragment):
    # when
    preview = parse_allocation_file(file_name, data)
    # then
    assert not preview.ok
    assert fragment in preview.errors[0].message


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=2_000), file_name=st.sampled_from(["a.csv", "a.xlsx", "a"]))
def test_it_never_raises_on_arbitrary_bytes(data, file_name):
    # when
    preview = parse_allocation_file(file_name, data)
    # then
    assert preview.errors or preview.households


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(cells=st.lists(st.lists(st.text(max_size=12), max_size=22), max_size=6))
def test_it_never_raises_on_arbitrary_cells_under_a_good_header(cells):
    # given
    lines = [";".join(HEADER)] + [";".join(cell.replace(";", "") for cell in r) for r in cells]
    # when
    preview = parse_allocation_file("a.csv", "\n".join(lines).encode("utf-8", "replace"))
    # then
    assert isinstance(preview, ImportPreview)


# The import service ---------------------------------------------------------------------


def test_it_imports_households_persons_and_pending_allocations(cast):
    # given
    second = {"hushåll": "TH-2", "anvisningsnummer": "T-2", "husdjur": "ja",
              "medicinsk prioritet": "x", "personnummer": "19850372-1238"}  # fmt: skip
    rows = [*family("TH-1", "T-1"), person_row(**second)]
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # when
    batch = allocations_import(actor=cast.coordinator, preview=preview, file_name="a.csv")
    # then
    assert (batch.rows, batch.households, batch.uploaded_by) == (3, 2, cast.coordinator)
    allocations = Allocation.objects.filter(batch=batch).order_by("reference")
    assert [a.reference for a in allocations] == ["T-1", "T-2"]
    assert {a.status for a in allocations} == {AllocationStatus.PENDING}
    second = Household.objects.get(reference="TH-2")
    assert second.has_pets and second.medical_priority and not second.needs_accessible
    assert second.persons.get().swedish_id_number == "198503721238"
    assert Household.objects.get(reference="TH-1").persons.count() == 2
    person = Person.objects.get(household__reference="TH-1", first_name="Максим")
    assert person.search_text
    assert PersonNameKey.objects.filter(person=person).exists()


def test_it_finds_imported_cyrillic_names_by_search(cast):
    # given
    rows = [person_row(**{"efternamn": "Зразкович", "förnamn": "Тетяна", "efternamn latin": "",
                          "förnamn latin": ""})]  # fmt: skip
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    allocations_import(actor=cast.coordinator, preview=preview, file_name="a.csv")
    persons = Person.objects.all()
    # when
    by_cyrillic = person_search(persons, "Зразкович")
    by_latin = person_search(persons, "Tetiana Zrazkovych")
    by_swedish = person_search(persons, "Zrazkovitj")
    # then
    assert [p.last_name for p in by_cyrillic] == ["Зразкович"]
    assert [p.last_name for p in by_latin] == ["Зразкович"]
    assert [p.last_name for p in by_swedish] == ["Зразкович"]


def test_it_records_one_audit_event_for_an_import(cast):
    # given
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(family()))
    # when
    batch = allocations_import(actor=cast.coordinator, preview=preview, file_name="a.csv")
    # then
    [event] = AuditEvent.objects.filter(action="import")
    assert event.object_id == str(batch.pk)
    assert event.actor == cast.coordinator
    assert "Прикладенко" not in event.summary


def test_it_lets_only_a_coordinator_import(cast):
    # given
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(family()))
    # when / then
    with pytest.raises(PermissionDenied):
        allocations_import(actor=cast.a_admin, preview=preview, file_name="a.csv")
    assert not Allocation.objects.filter(reference="T-1").exists()


def test_it_rechecks_references_taken_since_the_preview(cast):
    # given: two previews of overlapping files, the first one imported
    first = parse_allocation_file("a.csv", csv_bytes(family("TH-1", "T-1")))
    second = parse_allocation_file("b.csv", csv_bytes([*family("TH-2", "T-2"), *family()]))
    allocations_import(actor=cast.coordinator, preview=first, file_name="a.csv")
    # when / then
    with pytest.raises(ServiceError) as error:
        allocations_import(actor=cast.coordinator, preview=second, file_name="b.csv")
    assert error.value.code == "import_references_taken"
    assert not Household.objects.filter(reference="TH-2").exists()
    assert ImportBatch.objects.count() == 1


# The pages ------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "anvisningar.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("allocation_import"), {"file": file})


def test_it_shows_the_upload_form_to_a_coordinator(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.get(reverse("allocation_import"))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-file"' in html
    assert 'name="file"' in html
    assert 'data-testid="import-preview-submit"' in html
    assert 'enctype="multipart/form-data"' in html


def test_it_uploads_previews_and_commits_a_list(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    preview = upload(client, SAMPLE.read_bytes())
    pending = PendingImport.objects.get()
    committed = client.post(reverse("allocation_import_commit", args=[pending.public_id]))
    # then
    assert preview.status_code == 200
    assert 'data-testid="import-commit"' in preview.content.decode()
    assert committed.status_code == 302
    assert committed.url == reverse("allocation_list")
    assert Allocation.objects.filter(reference__startswith="EX-").count() == 10
    assert Person.objects.filter(household__reference__startswith="EX-").count() == 28
    listing = client.get(committed.url)
    assert "10 households with 28 persons were imported" in listing.content.decode()


def test_it_stores_nothing_before_the_commit(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    upload(client, SAMPLE.read_bytes())
    # then
    assert not Allocation.objects.filter(reference__startswith="EX-").exists()
    assert bytes(PendingImport.objects.get().data) != SAMPLE.read_bytes()


def test_it_shows_bad_rows_in_the_preview_without_a_commit_button(cast, client):
    # given
    client.force_login(cast.coordinator)
    rows = [*family(), person_row(**{"hushåll": "TH-2", "födelsedatum": "2022-13-01"})]
    # when
    response = upload(client, csv_bytes(rows))
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'data-testid="import-errors"' in html
    assert '<td class="num">4</td>' in html
    assert "import-commit" not in html
    assert not PendingImport.objects.exists()


def test_it_answers_garbage_with_a_message_not_a_crash(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = upload(client, b"\x00\xff\xfe garbage \x01" * 100, name="list.csv")
    # then
    assert response.status_code == 400
    assert 'data-testid="import-errors"' in response.content.decode()


def test_it_answers_an_empty_upload_with_a_message(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = upload(client, b"")
    # then
    assert response.status_code == 400
    assert 'data-testid="import-errors"' in response.content.decode()


def test_it_answers_a_file_over_the_limit_with_a_message(cast, client, settings):
    # given
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(cast.coordinator)
    # when
    response = upload(client, SAMPLE.read_bytes())
    # then
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_it_hides_the_import_from_partner_staff(cast, client):
    # given
    client.force_login(cast.coordinator)
    upload(client, SAMPLE.read_bytes())
    pending = PendingImport.objects.get()
    client.force_login(cast.a_staff)
    # when
    shown = client.get(reverse("allocation_import"))
    posted = upload(client, SAMPLE.read_bytes())
    committed = client.post(reverse("allocation_import_commit", args=[pending.public_id]))
    # then
    assert (shown.status_code, posted.status_code, committed.status_code) == (404, 404, 404)
    assert not Allocation.objects.filter(reference__startswith="EX-").exists()


def test_it_lets_only_the_uploader_commit(cast, client):
    # given
    client.force_login(cast.coordinator)
    upload(client, SAMPLE.read_bytes())
    pending = PendingImport.objects.get()
    client.force_login(member(cast.city, Role.COORDINATOR, "other-coordinator@example.org"))
    # when
    response = client.post(reverse("allocation_import_commit", args=[pending.public_id]))
    # then
    assert response.status_code == 404
    assert not Allocation.objects.filter(reference__startswith="EX-").exists()


def test_it_answers_404_to_a_malformed_token(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.post(reverse("allocation_import_commit", args=["not-a-token"]))
    # then
    assert response.status_code == 404


def test_it_imports_once_when_committed_twice(cast, client):
    # given
    client.force_login(cast.coordinator)
    upload(client, SAMPLE.read_bytes())
    url = reverse("allocation_import_commit", args=[PendingImport.objects.get().public_id])
    client.post(url)
    # when
    again = client.post(url)
    # then
    assert again.status_code == 302
    assert ImportBatch.objects.count() == 1
    assert Allocation.objects.filter(reference__startswith="EX-").count() == 10
    assert AuditEvent.objects.filter(action="import").count() == 1
    assert "already been imported" in client.get(again.url).content.decode()


def test_it_refuses_a_commit_after_the_upload_expired(cast, client):
    # given
    client.force_login(cast.coordinator)
    upload(client, SAMPLE.read_bytes())
    pending = PendingImport.objects.get()
    PendingImport.objects.filter(pk=pending.pk).update(
        expires_at=pending.expires_at - dt.timedelta(days=1)
    )
    # when
    response = client.post(reverse("allocation_import_commit", args=[pending.public_id]))
    # then
    assert response.url == reverse("allocation_import")
    assert not Allocation.objects.filter(reference__startswith="EX-").exists()


def test_it_shows_the_rows_taken_since_the_preview_at_commit(cast, client):
    # given: the same list uploaded twice, then the first upload committed
    client.force_login(cast.coordinator)
    upload(client, SAMPLE.read_bytes())
    upload(client, SAMPLE.read_bytes())
    first, second = PendingImport.objects.order_by("created_at", "id")
    client.post(reverse("allocation_import_commit", args=[first.public_id]))
    # when
    response = client.post(reverse("allocation_import_commit", args=[second.public_id]))
    # then
    assert response.status_code == 400
    assert "already in the system" in response.content.decode()
    assert ImportBatch.objects.count() == 1


def test_it_records_the_import_in_the_audit_log_from_the_page(cast, client):
    # given
    client.force_login(cast.coordinator)
    upload(client, SAMPLE.read_bytes())
    pending = PendingImport.objects.get()
    # when
    client.post(reverse("allocation_import_commit", args=[pending.public_id]))
    # then
    event = AuditEvent.objects.get(action="import")
    assert event.object_type == "reception.importbatch"
    assert event.actor == cast.coordinator


def test_it_tells_the_real_size_of_a_file_far_over_the_limit(cast, client):
    # given the default limit of 10 MB and a coordinator with a 50 MB file
    client.force_login(cast.coordinator)
    data = b"x" * (50 * 1024 * 1024)
    # when it is uploaded
    response = upload(client, data)
    # then the message says the file's real size and the limit, and nothing is kept
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file is too large (50.0\u00a0MB); the limit is 10.0\u00a0MB." in page
    assert not PendingImport.objects.exists()


# One person per Swedish identity number --------------------------------------------------


def test_it_refuses_a_number_on_two_rows_of_the_file_naming_the_first(cast):
    # given two households whose second members share a number, typed two ways
    rows = [
        person_row(**{"hushåll": "TH-1", "anvisningsnummer": "T-1",
                      "personnummer": "19811218-9876"}),
        person_row(**{"hushåll": "TH-2", "anvisningsnummer": "T-2", "personnummer": "8112189876"}),
        person_row(**{"hushåll": "TH-3", "anvisningsnummer": "T-3"}),
    ]  # fmt: skip
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == 3
    assert "also on line 2" in message
    assert not preview.ok


def test_it_refuses_a_number_a_stored_person_holds_and_imports_nothing(cast):
    # given a person in the product with the number
    person = cast.household_a.persons.first()
    person.swedish_id_number = "198112189876"
    person.save()
    rows = [*family("TH-1", "T-1"),
            person_row(**{"hushåll": "TH-2", "anvisningsnummer": "T-2",
                          "personnummer": "811218-9876"})]  # fmt: skip
    # when
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    # then
    [(line, message)] = lines_and_messages(preview)
    assert line == 4
    assert "already recorded for another person" in message
    with pytest.raises(ServiceError):
        allocations_import(actor=cast.coordinator, preview=preview, file_name="a.csv")
    assert not Household.objects.filter(reference__in=["TH-1", "TH-2"]).exists()


def test_it_rechecks_numbers_stored_since_the_preview(cast):
    # given a preview, then a person given the number meanwhile
    rows = [person_row(**{"personnummer": "19811218-9876"})]
    preview = parse_allocation_file("anvisningar.csv", csv_bytes(rows))
    assert preview.ok, preview.errors
    person = cast.household_a.persons.first()
    person.swedish_id_number = "198112189876"
    person.save()
    # when / then the rows concerned are listed and nothing is written
    with pytest.raises(ImportRejected) as refused:
        allocations_import(actor=cast.coordinator, preview=preview, file_name="a.csv")
    assert [error.line for error in refused.value.preview.errors] == [2]
    assert not Household.objects.filter(reference="TH-1").exists()
    assert not ImportBatch.objects.exists()
