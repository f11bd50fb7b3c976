"""Parsing of Migrationsverket's allocation lists (anvisningar): file bytes in, a preview out.

Files are CSV or XLSX, told apart by their content, not their name. A CSV is UTF-8 with or
without a byte-order mark, else Windows-1252 (which Excel on Swedish Windows writes), else
Latin-1; UTF-16 with a byte-order mark (Excel's "Unicode text") is read as well. The separator
is whichever of ``;``, ``,`` or a tab occurs most often in the header row. The header is the
first row among the first ten that names at least three known columns (a title row above it
is skipped); line numbers are the spreadsheet's rows, header included, counting blank rows.

Dates are accepted in exactly these forms, with four-digit years only, because two-digit
years and month-first dates are ambiguous:

- ISO: ``2022-07-01`` (also ``2022/07/01`` and ``2022.07.01``, an optional time is ignored);
- compact: ``20220701``;
- day first: ``1/7/2022``, ``01.07.2022`` or ``01-07-2022`` (the Swedish and European order);
- in an XLSX, any cell formatted as a date.

Nothing here writes to the database; it reads it only to find references that exist.
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
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from tillsammans.core.lib.bidi import bidi_controls_in
from tillsammans.core.lib.dates import OPERATIONAL, DateRange
from tillsammans.core.lib.identity import normalise_swedish_id
from tillsammans.people.models import Household, Sex
from tillsammans.people.search import passport_spelling

from .models import Allocation

logger = logging.getLogger(__name__)

MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_ERRORS = 1_000
HEADER_SEARCH_ROWS = 10
# An XLSX is a ZIP; a small file can unpack to gigabytes, so the unpacked size is capped too.
MAX_UNZIPPED_RATIO = 10
OLDEST_BIRTH_YEAR = 1900
FILE_LINE = 0  # the line of errors about the whole file rather than a row

Value = str | dt.date


@dataclass(frozen=True)
class Column:
    """One column of the list: the field it fills and the header names that mean it.

    The first name is the agency's own (Swedish) header, used when a column is missing.
    Names are compared case-insensitively, without accents and punctuation, so
    ``Beräknat ankomstdatum`` and ``beraknat_ankomstdatum`` both match.
    """

    field: str
    names: tuple[str, ...]
    required: bool = False


COLUMNS = (
    Column("allocation_reference", ("anvisningsnummer", "anvisningsnr", "anvisning",
           "anvisnings id", "allocation reference", "allocation number", "allocation id",
           "allocation"), required=True),
    Column("allocated_on", ("anvisningsdatum", "datum för anvisning", "allocation date",
           "allocated on", "allocated"), required=True),
    Column("expected_arrival", ("beräknat ankomstdatum", "beräknad ankomst", "ankomstdatum",
           "expected arrival", "expected arrival date", "arrival date")),
    Column("household", ("hushåll", "hushållsnummer", "hushålls id", "hushållsreferens",
           "household", "household reference", "household id"), required=True),
    Column("last_name", ("efternamn", "last name", "surname", "family name"), required=True),
    Column("first_name", ("förnamn", "first name", "given name"), required=True),
    Column("last_name_latin", ("efternamn latin", "efternamn (latin)", "efternamn pass",
           "last name latin", "last name (latin)", "last name (passport)", "surname latin")),
    Column("first_name_latin", ("förnamn latin", "förnamn (latin)", "förnamn pass",
           "first name latin", "first name (latin)", "first name (passport)",
           "given name latin")),
    Column("birth_date", ("födelsedatum", "född", "date of birth", "birth date", "born"),
           required=True),
    Column("sex", ("kön", "sex", "gender")),
    Column("languages", ("språk", "languages", "language")),
    Column("migration_case_number", ("ärendenummer", "ärendenr", "dossiernummer",
           "migrationsverkets ärendenummer", "case number", "case no")),
    Column("permit_card_number", ("kortnummer", "ut kort", "ut kortnummer", "card number",
           "permit card number", "permit card")),
    Column("permit_valid_from", ("tillstånd från", "tillstånd fr.o.m.", "tillstånd giltigt från",
           "permit from", "permit valid from")),
    Column("permit_valid_until", ("tillstånd till", "tillstånd t.o.m.", "tillstånd giltigt till",
           "permit until", "permit valid until", "permit to")),
    Column("swedish_id_number", ("personnummer", "samordningsnummer",
           "personnummer/samordningsnummer", "personal identity number", "coordination number",
           "swedish id number")),
    Column("needs_accessible", ("tillgänglighet", "tillgänglighetsbehov", "accessibility",
           "needs accessible", "accessible")),
    Column("has_pets", ("husdjur", "pets", "has pets")),
    Column("medical_priority", ("medicinsk prioritet", "medicinsk prio", "medical priority")),
)  # fmt: skip

# Values of a household that every row of it must repeat identically.
HOUSEHOLD_FIELDS = (
    "allocation_reference",
    "allocated_on",
    "expected_arrival",
    "needs_accessible",
    "has_pets",
    "medical_priority",
)
MAX_LENGTHS = {
    "allocation_reference": 40,
    "household": 40,
    "last_name": 100,
    "first_name": 100,
    "last_name_latin": 100,
    "first_name_latin": 100,
    "migration_case_number": 40,
    "permit_card_number": 40,
}

_TRUE = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
_FALSE = {"nej", "n", "no", "0", "false", "falskt", ""}
_SEXES = {
    **dict.fromkeys(("k", "kv", "kvinna", "f", "female", "woman"), Sex.FEMALE),
    **dict.fromkeys(("m", "man", "male"), Sex.MALE),
    **dict.fromkeys(("annat", "annan", "other", "x"), Sex.OTHER),
    **dict.fromkeys(("", "-", "?", "okänt", "okänd", "unknown"), Sex.UNKNOWN),
}

_ISO_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_LANGUAGE_SEPARATORS = re.compile(r"[\s,;/]+")
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


@dataclass
class ParsedPerson:
    line: int
    first_name: str
    last_name: str
    first_name_latin: str
    last_name_latin: str
    birth_date: dt.date
    sex: str
    languages: list[str]
    migration_case_number: str
    permit_card_number: str
    permit_valid_from: dt.date | None
    permit_valid_until: dt.date | None
    swedish_id_number: str


@dataclass
class ParsedHousehold:
    line: int
    reference: str
    allocation_reference: str
    allocated_on: dt.date
    expected_arrival: dt.date | None
    needs_accessible: bool
    has_pets: bool
    medical_priority: bool
    persons: list[ParsedPerson] = field(default_factory=list)


@dataclass
class ImportPreview:
    households: list[ParsedHousehold] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is something to import and nothing wrong with it."""
        return not self.errors and bool(self.households)

    @property
    def persons(self) -> int:
        return sum(len(household.persons) for household in self.households)


class _FileProblem(Exception):
    def __init__(self, message: str | Promise, line: int = FILE_LINE) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.line = line


class _Errors:
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


_FIELD_OF_HEADER = {header_key(name): column.field for column in COLUMNS for name in column.names}
_COLUMN_OF_FIELD = {column.field: column for column in COLUMNS}


# Reading the file into rows ---------------------------------------------------------------


def _cell_value(value: Any) -> Value:
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
        raise _FileProblem(_excel_damaged()) from exc
    if "xl/workbook.xml" not in names:
        raise _FileProblem(WRONG_KIND)
    if unzipped > MAX_UNZIPPED_RATIO * settings.IMPORT_MAX_BYTES:
        raise _FileProblem(_too_large(unzipped))
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
                    values = [_cell_value(cell) for cell in cells]
                    if any(value != "" for value in values):
                        rows.append((line, values))
                        _check_row_count(len(rows))
            finally:
                workbook.close()
    except _FileProblem:
        raise
    except Exception as exc:
        # openpyxl raises whatever its XML and ZIP layers raise on a damaged workbook; every
        # one of them means the same thing to the person uploading.
        logger.info("unreadable workbook: %s", type(exc).__name__)
        raise _FileProblem(_excel_damaged()) from exc
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _FileProblem(WRONG_KIND) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Read as Windows-1252, a UTF-8 file with one stray byte would turn every Cyrillic
        # name into mojibake without a single error; real Windows-1252 text almost never
        # holds a valid UTF-8 sequence.
        if any(ord(char) > 127 for char in data.decode("utf-8", "ignore")):
            line = data.count(b"\n", 0, exc.start) + 1
            raise _FileProblem(
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
        raise _FileProblem(WRONG_KIND)
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
        raise _FileProblem(
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
        raise _FileProblem(
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


def _read_table(file_name: str, data: bytes) -> list[tuple[int, list[Value]]]:
    """The non-blank rows of the file with their line numbers, or a _FileProblem."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _FileProblem(_too_large(len(data)))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _FileProblem(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        rows = list(_read_xlsx(data))
    elif data.startswith(_CFB_MAGIC):
        raise _FileProblem(
            _(
                "The workbook is password protected, or it is in the old Excel format (.xls). "
                "Save it as .xlsx without a password, or as CSV, and upload it again."
            )
        )
    elif PurePath(file_name or "").suffix.lower() not in _TEXT_SUFFIXES:
        raise _FileProblem(WRONG_KIND)
    else:
        rows = list(_read_csv(data))
    if not rows:
        raise _FileProblem(_("The file is empty."))
    return rows


# Reading the values of a row --------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Header:
    """Where each field's columns are, and the header as the file writes it."""

    def __init__(self, cells: list[Value]) -> None:
        self.indexes: dict[str, list[int]] = {}
        self.names: dict[str, str] = {}
        self.ignored: list[str] = []
        for index, cell in enumerate(cells):
            text = str(cell)
            field_name = _FIELD_OF_HEADER.get(header_key(text))
            if field_name is None:
                if text:
                    self.ignored.append(text)
                continue
            self.indexes.setdefault(field_name, []).append(index)
            self.names.setdefault(field_name, text)

    @property
    def known(self) -> int:
        return len(self.indexes)

    def missing(self) -> list[str]:
        return [c.names[0] for c in COLUMNS if c.required and c.field not in self.indexes]

    def name(self, field_name: str) -> str:
        return self.names.get(field_name) or _COLUMN_OF_FIELD[field_name].names[0]


class _Row:
    def __init__(self, header: _Header, values: list[Value], today: dt.date) -> None:
        self.header = header
        self.values = values
        self.today = today
        self.messages: list[str] = []

    def raw(self, field_name: str) -> Value:
        for index in self.header.indexes.get(field_name, ()):
            if index < len(self.values) and self.values[index] != "":
                return self.values[index]
        return ""

    def _fail(self, message: str) -> None:
        self.messages.append(message)

    def text(self, field_name: str, *, required: bool = False) -> str:
        value = self.raw(field_name)
        text = value.isoformat() if isinstance(value, dt.date) else value
        column = self.header.name(field_name)
        if required and not text:
            self._fail(_("“%(column)s” is empty; it must be filled in.") % {"column": column})
        limit = MAX_LENGTHS.get(field_name)
        if limit is not None and len(text) > limit:
            self._fail(
                _("“%(column)s” is longer than %(max)s characters.")
                % {"column": column, "max": limit}
            )
            return text[:limit]
        return text

    def name(self, field_name: str, *, required: bool = False) -> str:
        """A name: text without the invisible characters that reorder the text around it."""
        text = self.text(field_name, required=required)
        found = bidi_controls_in(text)
        if found:
            self._fail(
                _(
                    "“%(column)s” contains an invisible character that changes the direction "
                    "of the text around it (%(code)s). Remove it from the list and upload the "
                    "list again."
                )
                % {
                    "column": self.header.name(field_name),
                    "code": ", ".join(f"U+{ord(char):04X}" for char in found),
                }
            )
        return text

    def date(
        self, field_name: str, *, required: bool = False, within: DateRange | None = OPERATIONAL
    ) -> dt.date | None:
        """The column's date; outside ``within`` (checked by the caller when None), refused."""
        value = self.raw(field_name)
        column = self.header.name(field_name)
        if value == "":
            if required:
                self._fail(_("“%(column)s” is empty; it must be filled in.") % {"column": column})
            return None
        try:
            day = parse_date(value)
        except _Invalid as exc:
            self._fail(exc.message % {"column": column, "value": value})
            return None
        if within is not None and not within.holds(day, self.today):
            earliest, latest = within.bounds(self.today)
            self._fail(
                _(
                    "“%(value)s” in “%(column)s” is not between %(earliest)s and %(latest)s; "
                    "check the year."
                )
                % {
                    "value": day.isoformat(),
                    "column": column,
                    "earliest": earliest.isoformat(),
                    "latest": latest.isoformat(),
                }
            )
            return None
        return day

    def flag(self, field_name: str) -> bool:
        value = str(self.raw(field_name)).lower().rstrip(".")
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self._fail(
                _(
                    "“%(value)s” in “%(column)s” is not a yes or no. Write ja or nej, or leave "
                    "it empty for no."
                )
                % {"value": self.raw(field_name), "column": self.header.name(field_name)}
            )
        return False

    def sex(self) -> str:
        value = str(self.raw("sex"))
        sex = _SEXES.get(value.lower().rstrip("."))
        if sex is None:
            self._fail(
                _("“%(value)s” in “%(column)s” is not a sex the list can hold. Write K, M or "
                  "annat, or leave it empty when it is not known.")
                % {"value": value, "column": self.header.name("sex")}
            )  # fmt: skip
            return Sex.UNKNOWN
        return sex

    def languages(self) -> list[str]:
        words = _LANGUAGE_SEPARATORS.split(str(self.raw("languages")).lower())
        return list(dict.fromkeys(word[:20] for word in words if word))[:20]

    def swedish_id(self) -> str:
        value = str(self.raw("swedish_id_number"))
        if not value:
            return ""
        try:
            return normalise_swedish_id(value, today=self.today)
        except ValidationError as exc:
            self._fail(
                _("“%(value)s” in “%(column)s” is not a valid Swedish number: %(reason)s")
                % {
                    "value": value,
                    "column": self.header.name("swedish_id_number"),
                    "reason": " ".join(str(message) for message in exc.messages),
                }
            )
            return ""


def parse_date(value: Value) -> dt.date:
    """Read a date in one of the forms in the module's docstring, or raise _Invalid.

    The message of _Invalid has ``%(column)s`` and ``%(value)s`` left for the caller.
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
        raise _Invalid(
            _(
                "“%(value)s” in “%(column)s” is not a date. Write it as 2022-07-01, "
                "20220701 or 1/7/2022 (day first)."
            )
        )
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise _Invalid(
            _("“%(value)s” in “%(column)s” is not a real date: that day or month does not exist.")
        ) from exc


def latin_spelling(name: str) -> str:
    """The name as written, in the passport's spelling when it is Cyrillic."""
    return passport_spelling(name)[: MAX_LENGTHS["first_name_latin"]]


def _parse_row(row: _Row) -> tuple[ParsedHousehold, ParsedPerson]:
    """Every value of one row; problems are left in ``row.messages``."""
    allocated_on = row.date("allocated_on", required=True)
    expected_arrival = row.date("expected_arrival")
    # A date of birth has messages of its own below.
    birth_date = row.date("birth_date", required=True, within=None)
    permit_from = row.date("permit_valid_from")
    permit_until = row.date("permit_valid_until")
    if allocated_on and expected_arrival and expected_arrival < allocated_on:
        row._fail(
            _("The expected arrival (%(arrival)s) is before the allocation date (%(allocated)s).")
            % {"arrival": expected_arrival.isoformat(), "allocated": allocated_on.isoformat()}
        )
    if permit_from and permit_until and permit_until < permit_from:
        row._fail(
            _("The permit ends (%(until)s) before it starts (%(start)s).")
            % {"until": permit_until.isoformat(), "start": permit_from.isoformat()}
        )
    if birth_date and birth_date > row.today:
        row._fail(
            _("The date of birth (%(date)s) is in the future.") % {"date": birth_date.isoformat()}
        )
    elif birth_date and birth_date.year < OLDEST_BIRTH_YEAR:
        row._fail(
            _("The date of birth (%(date)s) is before %(year)s; check the year.")
            % {"date": birth_date.isoformat(), "year": OLDEST_BIRTH_YEAR}
        )
    first_name = row.name("first_name", required=True)
    last_name = row.name("last_name", required=True)
    household = ParsedHousehold(
        line=0,
        reference=row.text("household", required=True),
        allocation_reference=row.text("allocation_reference", required=True),
        allocated_on=allocated_on or dt.date.min,
        expected_arrival=expected_arrival,
        needs_accessible=row.flag("needs_accessible"),
        has_pets=row.flag("has_pets"),
        medical_priority=row.flag("medical_priority"),
    )
    person = ParsedPerson(
        line=0,
        first_name=first_name,
        last_name=last_name,
        first_name_latin=row.name("first_name_latin") or latin_spelling(first_name),
        last_name_latin=row.name("last_name_latin") or latin_spelling(last_name),
        birth_date=birth_date or dt.date.min,
        sex=row.sex(),
        languages=row.languages(),
        migration_case_number=row.text("migration_case_number"),
        permit_card_number=row.text("permit_card_number"),
        permit_valid_from=permit_from,
        permit_valid_until=permit_until,
        swedish_id_number=row.swedish_id(),
    )
    return household, person


def _find_header(rows: list[tuple[int, list[Value]]]) -> int:
    """Index of the header among ``rows``: the first naming three known columns."""
    for index, (_line, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _Header(values).known >= 3:
            return index
    return 0


def _existing(model: Any, field_name: str, values: Iterable[str]) -> set[str]:
    found: set[str] = set()
    pending = sorted(set(values))
    # Chunks keep each query under every database's limit on bound parameters.
    for start in range(0, len(pending), 500):
        chunk = pending[start : start + 500]
        found.update(
            model.objects.filter(**{f"{field_name}__in": chunk}).values_list(field_name, flat=True)
        )
    return found


def taken_references(households: list[ParsedHousehold]) -> tuple[set[str], set[str]]:
    """Household and allocation references of ``households`` that are already stored."""
    return (
        _existing(Household, "reference", (h.reference for h in households)),
        _existing(Allocation, "reference", (h.allocation_reference for h in households)),
    )


def parse_allocation_file(file_name: str, data: bytes) -> ImportPreview:
    """Read and check an allocation list; never raises on any bytes at all."""
    try:
        table = _read_table(file_name, data)
    except _FileProblem as problem:
        return ImportPreview(errors=[RowError(problem.line, problem.message)])
    start = _find_header(table)
    header_line, header_values = table[start]
    header = _Header(header_values)
    body = table[start + 1 :]
    missing = header.missing()
    if missing:
        return ImportPreview(
            rows=len(body),
            errors=[
                RowError(
                    header_line,
                    _("The file lacks required columns: %(columns)s. Check the header row.")
                    % {"columns": ", ".join(missing)},
                )
            ],
        )
    if not body:
        return ImportPreview(
            errors=[
                RowError(header_line, _("The file has a header row but no allocations under it."))
            ]
        )
    if len(body) > MAX_ROWS:
        return ImportPreview(
            rows=len(body),
            errors=[
                RowError(
                    FILE_LINE,
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": MAX_ROWS},
                )
            ],
        )

    errors = _Errors()
    today = timezone.localdate()
    households: dict[str, ParsedHousehold] = {}
    by_allocation: dict[str, ParsedHousehold] = {}
    for line, values in body:
        row = _Row(header, values, today)
        household, person = _parse_row(row)
        for message in row.messages:
            errors.add(line, message)
        if row.messages:
            continue
        household.line = person.line = line
        known = households.get(household.reference)
        if known is None:
            other = by_allocation.get(household.allocation_reference)
            if other is not None:
                errors.add(
                    line,
                    _(
                        "Allocation %(reference)s is also given to household %(other)s on line "
                        "%(other_line)s; one allocation is for one household."
                    )
                    % {
                        "reference": household.allocation_reference,
                        "other": other.reference,
                        "other_line": other.line,
                    },
                )
                continue
            households[household.reference] = by_allocation[household.allocation_reference] = (
                household
            )
            known = household
        else:
            differing = next(
                (f for f in HOUSEHOLD_FIELDS if getattr(known, f) != getattr(household, f)), None
            )
            if differing is not None:
                errors.add(
                    line,
                    _(
                        "This row is in household %(household)s like line %(first_line)s, but "
                        "its “%(column)s” differs. All rows of one household must have the same "
                        "allocation, dates and needs."
                    )
                    % {
                        "household": household.reference,
                        "first_line": known.line,
                        "column": header.name(differing),
                    },
                )
                continue
        known.persons.append(person)

    parsed = list(households.values())
    taken_households, taken_allocations = taken_references(parsed)
    for household in parsed:
        if household.reference in taken_households:
            errors.add(
                household.line,
                _("Household %(reference)s is already in the system.")
                % {"reference": household.reference},
            )
        if household.allocation_reference in taken_allocations:
            errors.add(
                household.line,
                _("Allocation %(reference)s is already in the system; it was imported before.")
                % {"reference": household.allocation_reference},
            )
    valid = [
        h
        for h in parsed
        if h.reference not in taken_households and h.allocation_reference not in taken_allocations
    ]
    return ImportPreview(
        households=valid, errors=errors.sorted(), rows=len(body), ignored_columns=header.ignored
    )
