"""Parsing of Migrationsverket's allocation lists (anvisningar): file bytes in, a preview out.

The file is read by ``core.lib.tables`` (CSV or XLSX, its encodings, separators and date
forms). The header is the first row among the first ten that names at least three known
columns (a title row above it is skipped).

Nothing here writes to the database; it reads it only to find references that exist.
"""

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tillsammans.core.lib.bidi import bidi_controls_in
from tillsammans.core.lib.dates import OPERATIONAL, DateRange
from tillsammans.core.lib.identity import normalise_swedish_id
from tillsammans.core.lib.tables import (
    FILE_LINE,
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    FileProblem,
    Invalid,
    RowError,
    RowErrors,
    Value,
    header_key,
    parse_date,
    read_table,
)
from tillsammans.people.models import Household, Person, Sex
from tillsammans.people.search import passport_spelling
from tillsammans.people.selectors import number_taken_message

from .models import Allocation

OLDEST_BIRTH_YEAR = 1900


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

_LANGUAGE_SEPARATORS = re.compile(r"[\s,;/]+")


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

    @property
    def size(self) -> int:
        return len(self.persons)


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

    @property
    def household_count(self) -> int:
        return len(self.households)


@dataclass
class ShownHousehold:
    """A household as its preview's table shows it."""

    reference: str
    allocation_reference: str
    allocated_on: dt.date
    expected_arrival: dt.date | None
    size: int
    needs_accessible: bool
    has_pets: bool
    medical_priority: bool


@dataclass
class PreviewSummary:
    """What a checked file's preview page shows, kept (encrypted) for a file checked by the
    worker: the counts, the unknown columns and the first households."""

    rows: int
    household_count: int
    persons: int
    ignored_columns: list[str]
    households: list[ShownHousehold]
    errors: tuple[()] = ()
    ok: bool = True

    @classmethod
    def of(cls, preview: ImportPreview, shown: int) -> "PreviewSummary":
        return cls(
            rows=preview.rows, household_count=len(preview.households),
            persons=preview.persons, ignored_columns=list(preview.ignored_columns),
            households=[
                ShownHousehold(
                    h.reference, h.allocation_reference, h.allocated_on, h.expected_arrival,
                    h.size, h.needs_accessible, h.has_pets, h.medical_priority,
                )
                for h in preview.households[:shown]
            ],
        )  # fmt: skip

    def to_json(self) -> bytes:
        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        households = [
            [h.reference, h.allocation_reference, day(h.allocated_on), day(h.expected_arrival),
             h.size, h.needs_accessible, h.has_pets, h.medical_priority]
            for h in self.households
        ]  # fmt: skip
        found = {
            "rows": self.rows, "household_count": self.household_count,
            "persons": self.persons, "ignored_columns": self.ignored_columns,
            "households": households,
        }  # fmt: skip
        return json.dumps(found).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "PreviewSummary":
        found = json.loads(data)
        return cls(
            rows=found["rows"], household_count=found["household_count"],
            persons=found["persons"], ignored_columns=found["ignored_columns"],
            households=[
                ShownHousehold(
                    ref, allocation, dt.date.fromisoformat(on),
                    dt.date.fromisoformat(arrival) if arrival else None,
                    size, accessible, pets, medical,
                )
                for ref, allocation, on, arrival, size, accessible, pets, medical
                in found["households"]
            ],
        )  # fmt: skip


_FIELD_OF_HEADER = {header_key(name): column.field for column in COLUMNS for name in column.names}
_COLUMN_OF_FIELD = {column.field: column for column in COLUMNS}


# Reading the values of a row --------------------------------------------------------------


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
        except Invalid as exc:
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


def refuse_shared_numbers(households: list[ParsedHousehold], errors: RowErrors) -> set[str]:
    """One person per Swedish identity number: a number on two rows of the file, or held by a
    person already stored, is an error of its row. The households concerned, by reference."""
    first_line: dict[str, int] = {}
    refused: set[str] = set()
    persons = [(h, p) for h in households for p in h.persons if p.swedish_id_number]
    stored = _existing(Person, "swedish_id_number", (p.swedish_id_number for _h, p in persons))
    for household, person in persons:
        number = person.swedish_id_number
        if number in stored:
            errors.add(person.line, number_taken_message())
        elif number in first_line:
            errors.add(
                person.line,
                _("This row's Swedish identity number is also on line %(line)s; one number is "
                  "one person's.") % {"line": first_line[number]},
            )  # fmt: skip
        else:
            first_line[number] = person.line
            continue
        refused.add(household.reference)
    return refused


def parse_allocation_file(file_name: str, data: bytes) -> ImportPreview:
    """Read and check an allocation list; never raises on any bytes at all."""
    try:
        table = read_table(file_name, data)
    except FileProblem as problem:
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

    errors = RowErrors()
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
    refused = refuse_shared_numbers(parsed, errors)
    valid = [
        h
        for h in parsed
        if h.reference not in taken_households
        and h.allocation_reference not in taken_allocations
        and h.reference not in refused
    ]
    return ImportPreview(
        households=valid, errors=errors.sorted(), rows=len(body), ignored_columns=header.ignored
    )
