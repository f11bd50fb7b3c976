"""The file name of a download, made safe in one place.

A name is often built from what people typed (a programme, an organisation), so it may hold
line breaks (which would end the header: a server error or a forged header), quotes, slashes
(a path), control or bidi characters (``gnp.exe`` shown as ``exe.png``) or be very long.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import chain, islice, zip_longest
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tillsammans.core.lib.spreadsheet import safe_cell

MAX_LENGTH = 120
FALLBACK = "download"

# Characters no file name keeps: path separators, quotes, and what Windows refuses.
_UNSAFE = re.compile(r'[\\/:*?"<>|;]+')
_SPACES = re.compile(r"\s+")
_NOT_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
_REPEATS = re.compile(r"([._-])[._-]+")


def safe_file_name(name: str, *, max_length: int = MAX_LENGTH) -> str:
    """``name`` fit for a file on any system, letters of any language kept: spaces and line
    breaks, separators and quotes made hyphens, other control and format characters (NUL,
    bidi overrides) dropped, no leading dot, at most ``max_length`` characters with the
    extension kept."""
    spaced = _SPACES.sub("-", unicodedata.normalize("NFC", name))
    kept = "".join(c for c in spaced if unicodedata.category(c)[0] != "C")
    kept = _UNSAFE.sub("-", kept)
    kept = _REPEATS.sub(r"\1", kept).strip("-._ ")
    if not kept:
        return FALLBACK
    stem, dot, extension = kept.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        stem, extension = kept, ""
    suffix = f".{extension}" if extension else ""
    return stem[: max(1, max_length - len(suffix))].rstrip("-._") + suffix


def ascii_file_name(name: str) -> str:
    """The safe name in ASCII, for clients that do not read ``filename*``: accents dropped
    (``Hjärterum`` → ``Hjarterum``), other letters made hyphens."""
    safe = safe_file_name(name)
    decomposed = unicodedata.normalize("NFKD", safe)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _REPEATS.sub(r"\1", _NOT_ASCII.sub("-", plain)).strip("-._")
    return safe_file_name(plain) if plain else FALLBACK


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The ``Content-Disposition`` header of a download named ``name``: the safe ASCII name in
    ``filename``, and the name with its Swedish or Ukrainian letters in ``filename*``
    (RFC 6266, RFC 5987) when they differ. Every download view uses it."""
    kind = "inline" if inline else "attachment"
    safe = safe_file_name(name)
    plain = ascii_file_name(safe)
    header = f'{kind}; filename="{plain}"'
    if plain != safe:
        header += f"; filename*=UTF-8''{quote(safe, safe='')}"
    return header


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _csv_value(value: object) -> object:
    """A value as a Swedish spreadsheet reads it from a CSV: a date as 2022-11-03, a decimal
    with a comma, a text made safe from formulas."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if value is None:
        return ""
    return safe_cell(value)


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV for a Swedish spreadsheet: UTF-8 with a byte order mark, fields apart by ";",
    every text cell made safe from formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_csv_value(value) for value in header])
    writer.writerows([_csv_value(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()


# How many rows decide a column's width.
WIDTH_SAMPLE = 200


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return "2022-01-01"
    return "" if value is None else str(value)


def xlsx_bytes(title: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet (``title``, at most 31 characters) with a header row and
    ``rows``; every text cell is made safe from formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    # Each column as wide as its header and its first rows need (a name is read whole), set
    # before the first row as a write-only sheet requires.
    remaining = iter(rows)
    first = [list(row) for row in islice(remaining, WIDTH_SAMPLE)]
    for index, column in enumerate(zip_longest(header, *first, fillvalue=""), 1):
        longest = max((len(_shown(value)) for value in column), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
    sheet.append([safe_cell(value) for value in header])
    for row in chain(first, remaining):
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(
    name: str, title: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """``xlsx_bytes`` as a download named ``name``."""
    response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(name)
    return response
