"""File names of downloads, made safe in one place."""

from urllib.parse import unquote

import pytest
from django.http import HttpResponse

from tillsammans.core.lib.downloads import content_disposition, safe_file_name


@pytest.mark.parametrize(
    "name",
    [
        "hyra-Hjärterum\r\nSet-Cookie: x=1-2022-10.csv",
        'hyra-"quoted";name.csv',
        "../../etc/passwd",
        "C:\\Windows\\hyra.csv",
        "hyra-\x00\x07\x1b-2022-10.csv",
        "hyra-\u202egnp.exe",
        " .hidden",
        "",
    ],
)
def test_it_makes_a_header_that_a_response_accepts_and_a_file_system_keeps(name):
    # when
    header = content_disposition(name)
    response = HttpResponse()
    response["Content-Disposition"] = header
    # then: one line, one quoted name without separators, control or bidi characters
    assert "\r" not in header and "\n" not in header
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    assert plain and not plain.startswith(".")
    for character in '/\\"\x00\u202e;':
        assert character not in plain
        assert character not in safe_file_name(name)


def test_it_keeps_swedish_and_ukrainian_letters_in_filename_star():
    # when
    header = content_disposition("hyra-Hjärterum-Харків-2022-10.xlsx")
    # then
    assert header.startswith('attachment; filename="hyra-Hjarterum-2022-10.xlsx"')
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "hyra-Hjärterum-Харків-2022-10.xlsx"


def test_it_gives_a_plain_ascii_name_alone():
    assert content_disposition("cv.pdf", inline=True) == 'inline; filename="cv.pdf"'


def test_it_cuts_a_long_name_and_keeps_its_extension():
    # when
    name = safe_file_name("hyra-" + "Å" * 500 + ".csv")
    # then
    assert len(name) <= 120
    assert name.endswith(".csv")


def test_a_workbooks_columns_are_as_wide_as_their_names():
    import io

    from openpyxl import load_workbook

    from tillsammans.core.lib.downloads import xlsx_bytes

    # given a list whose names are longer than a spreadsheet's default column
    data = xlsx_bytes("Lista", ["Namn", "Född"], [["Oleksandra Shevchenko-Kovalenko", 1984]])
    sheet = load_workbook(io.BytesIO(data)).active
    # then the name's column fits the name, and a short column keeps a readable width
    assert sheet.column_dimensions["A"].width >= len("Oleksandra Shevchenko-Kovalenko")
    assert sheet.column_dimensions["B"].width == 10
    assert [row for row in sheet.iter_rows(values_only=True)] == [
        ("Namn", "Född"),
        ("Oleksandra Shevchenko-Kovalenko", 1984),
    ]
