"""Tables that people upload: CSV or XLSX bytes in, rows of cells out, with the errors a
person can act on (the allocation lists, the path events, the state's payments).

Files are CSV or XLSX, told apart by their content, not their name. A CSV is UTF-8 with or
without a byte-order mark, else Windows-1252 (which Excel on Swedish Windows writes), else
Latin-1; UTF-16 with a byte-order mark (Excel's "Unicode text") is read as well. The separator
is whichever of ``;``, ``,`` or a tab occurs most often in the early rows. Line numbers are the
spreadsheet's rows, header included, counting blank rows.

Dates are accepted in exactly these forms, with four-digit years only, because two-digit
years and month-first dates are ambiguous:

- ISO: ``2022-07-01`` (also ``2022/07/01`` and ``2022.07.01``, an optional time is ignored);
- compact: ``20220701``;
- day first: ``1/7/2022``, ``01.07.2022`` or ``01-07-2022`` (the Swedish and European order);
- in an XLSX, any cell formatted as a date.
"""

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

logger = logging.getLogger(__name__)

MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_ERRORS = 1_000
HEADER_SEARCH_ROWS = 10
# An XLSX is a ZIP; a small file can unpack to gigabytes, so the unpacked size is capped too.
MAX_UNZIPPED_RATIO = 10
FILE_LINE = 0  # the line of errors about the whole file rather than a row

Value = str | dt.date

_ISO_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
# C0 control characters other than tab, line feed and carriage return never occur in text.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary: an encrypted (password-protected) workbook or an old .xls.
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_SUFFIXES = {"", ".csv", ".txt", ".tsv"}

WRONG_KIND = gettext_lazy(
    "This is not a CSV or XLSX file. Save the list as CSV (semicolon or comma separated) "
    "or as an Excel workbook (.xlsx) and upload it again."
)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class FileProblem(Exception):
    def __init__(self, message: str | Promise, line: int = FILE_LINE) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.line = line


class RowErrors:
    """Collects row errors up to MAX_ERRORS, so a wholly wrong file stays readable."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.overflow = False

    def add(self, line: int, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(line, message))
        else:
            self.overflow = True

    def sorted(self) -> list[RowError]:
        items = sorted(self.items, key=lambda error: error.line)
        if self.overflow:
            items.append(
                RowError(
                    FILE_LINE,
                    _("There are more errors than can be listed; the first %(count)s are shown.")
                    % {"count": MAX_ERRORS},
                )
            )
        return items


def header_key(name: str) -> str:
    """Fold a header for matching: lower case, no accents, punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z\u0400-\u04ff]+", " ", plain).split())


def cell_value(value: Any) -> Value:
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _read_xlsx(data: bytes) -> Iterable[tuple[int, list[Value]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileProblem(_excel_damaged()) from exc
    if "xl/workbook.xml" not in names:
        raise FileProblem(WRONG_KIND)
    if unzipped > MAX_UNZIPPED_RATIO * settings.IMPORT_MAX_BYTES:
        raise FileProblem(_too_large(unzipped))
    rows: list[tuple[int, list[Value]]] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it skips; none of them matter here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                # The stored dimension is often wrong; trusting it would cut rows silently.
                sheet.reset_dimensions()
                for line, cells in enumerate(
                    sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
                ):
                    values = [cell_value(cell) for cell in cells]
                    if any(value != "" for value in values):
                        rows.append((line, values))
                        _check_row_count(len(rows))
            finally:
                workbook.close()
    except FileProblem:
        raise
    except Exception as exc:
        # openpyxl raises whatever its XML and ZIP layers raise on a damaged workbook; every
        # one of them means the same thing to the person uploading.
        logger.info("unreadable workbook: %s", type(exc).__name__)
        raise FileProblem(_excel_damaged()) from exc
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileProblem(WRONG_KIND) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Read as Windows-1252, a UTF-8 file with one stray byte would turn every Cyrillic
        # name into mojibake without a single error; real Windows-1252 text almost never
        # holds a valid UTF-8 sequence.
        if any(ord(char) > 127 for char in data.decode("utf-8", "ignore")):
            line = data.count(b"\n", 0, exc.start) + 1
            raise FileProblem(
                _(
                    "Line %(line)s has characters that are not UTF-8, unlike the rest of the "
                    "file. Save the file as CSV UTF-8 and upload it again."
                )
                % {"line": line},
                line=line,
            ) from exc
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(text: str) -> str:
    """The separator that splits some early line into the most cells.

    The busiest line is the header (a title row above it has few separators), and a
    semicolon file's header has more semicolons than any data row has commas.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()][:HEADER_SEARCH_ROWS]
    best = {sep: max((line.count(sep) for line in lines), default=0) for sep in (";", ",", "\t")}
    return max(best, key=lambda sep: best[sep])


def _read_csv(data: bytes) -> Iterable[tuple[int, list[Value]]]:
    text = _decode(data).rstrip("\x1a")  # a DOS end-of-file mark
    if _BINARY.search(text):
        raise FileProblem(WRONG_KIND)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, list[Value]]] = []
    line = 0
    try:
        for line, record in enumerate(reader, start=1):
            values: list[Value] = [" ".join(cell.split()) for cell in record[:MAX_COLUMNS]]
            if any(values):
                rows.append((line, values))
                _check_row_count(len(rows))
    except csv.Error as exc:
        raise FileProblem(
            _(
                "The file could not be read as CSV from line %(line)s on; check the "
                "quotation marks there."
            )
            % {"line": line + 1},
            line=line + 1,
        ) from exc
    return rows


def _check_row_count(count: int) -> None:
    if count > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise FileProblem(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )


def _excel_damaged() -> str:
    return _(
        "The Excel file could not be read; it may be damaged. Open it in Excel and save it "
        "again as .xlsx, or save it as CSV."
    )


def _too_large(size: int) -> str:
    return _("The file is too large (%(size)s); the limit is %(limit)s. Split the list.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
    }


def read_table(file_name: str, data: bytes) -> list[tuple[int, list[Value]]]:
    """The non-blank rows of the file with their line numbers, or a FileProblem."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise FileProblem(_too_large(len(data)))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FileProblem(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        rows = list(_read_xlsx(data))
    elif data.startswith(_CFB_MAGIC):
        raise FileProblem(
            _(
                "The workbook is password protected, or it is in the old Excel format (.xls). "
                "Save it as .xlsx without a password, or as CSV, and upload it again."
            )
        )
    elif PurePath(file_name or "").suffix.lower() not in _TEXT_SUFFIXES:
        raise FileProblem(WRONG_KIND)
    else:
        rows = list(_read_csv(data))
    if not rows:
        raise FileProblem(_("The file is empty."))
    return rows


def rows_about(data: bytes) -> int:
    """About how many rows a file has, read cheaply (the lines of a CSV, the dimension an XLSX
    records), to decide whether its import is work for the worker; a workbook that records
    no dimension counts as large. Never raises: a damaged file is told apart later."""
    if not data.startswith(_ZIP_MAGIC):
        return data.count(b"\n") + 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = workbook.worksheets[0].max_row
            finally:
                workbook.close()
    except Exception:
        return 0
    return rows if isinstance(rows, int) and rows > 1 else MAX_ROWS


class Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_date(value: Value) -> dt.date:
    """Read a date in one of the forms in the module's docstring, or raise Invalid.

    The message of Invalid has ``%(column)s`` and ``%(value)s`` left for the caller.
    """
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    parts: tuple[str, str, str] | None = None
    if match := _ISO_DATE.match(text) or _COMPACT_DATE.match(text):
        parts = (match[1], match[2], match[3])
    elif match := _DAY_FIRST_DATE.match(text):
        parts = (match[3], match[2], match[1])
    if parts is None:
        raise Invalid(
            _(
                "“%(value)s” in “%(column)s” is not a date. Write it as 2022-07-01, "
                "20220701 or 1/7/2022 (day first)."
            )
        )
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise Invalid(
            _("“%(value)s” in “%(column)s” is not a real date: that day or month does not exist.")
        ) from exc


# A simple table's columns: (field, required, the header names that mean it, the first being
# the documented one).
Columns = tuple[tuple[str, bool, tuple[str, ...]], ...]


@dataclass
class Header:
    """Where a table's header is, and which field each column holds (None: not read)."""

    index: int  # of the header row in the table
    fields: list[str | None]
    names: dict[str, str]  # each field's documented name, for messages


def find_header(table: list[tuple[int, list[Value]]], columns: Columns) -> Header | list[RowError]:
    """The header among the first rows that names at least three columns, with every
    required column, or the errors that say what is missing."""
    field_of = {header_key(name): f for f, _required, names in columns for name in names}
    names = {f: names[0] for f, _required, names in columns}
    index = next(
        (
            i
            for i, (_line, values) in enumerate(table[:HEADER_SEARCH_ROWS])
            if sum(header_key(str(value)) in field_of for value in values) >= 3
        ),
        None,
    )
    if index is None:
        required = ", ".join(f"“{names[f]}”" for f, req, _n in columns if req)
        message = _(
            "No header row was found. The first row must name the columns, at least %(columns)s."
        )
        return [RowError(FILE_LINE, message % {"columns": required})]
    line, values = table[index]
    fields: list[str | None] = []
    for value in values:
        found = field_of.get(header_key(str(value)))
        fields.append(found if found not in fields else None)
    missing = [f for f, req, _n in columns if req and f not in fields]
    if missing:
        return [
            RowError(line, _("The column “%(column)s” is missing.") % {"column": names[f]})
            for f in missing
        ]
    return Header(index, fields, names)


def cells_of(header: Header, values: list[Value]) -> dict[str, Value]:
    """A row's cells by field."""
    return {
        name: values[index] if index < len(values) else ""
        for index, name in enumerate(header.fields)
        if name is not None
    }


def cell_text(cells: dict[str, Value], name: str) -> str:
    """A cell as text (a date as YYYY-MM-DD), "" where the column is missing."""
    value = cells.get(name, "")
    return value.isoformat() if isinstance(value, dt.date) else value.strip()


def words_for(choices: Iterable[Any], extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The words a file may use for each of ``choices`` (a TextChoices' members): its code, its
    name in Swedish and English, and ``extra`` words, each folded as a header is."""
    words: dict[str, str] = {}
    for choice in choices:
        words[header_key(choice.value)] = choice.value
        for language in ("sv", "en"):
            with translation.override(language):
                words[header_key(str(choice.label))] = choice.value
        for word in extra.get(choice, ()):
            words[header_key(word)] = choice.value
    return words
