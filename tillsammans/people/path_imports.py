"""Importing events of people's legal paths from a spreadsheet (issue 14, ADR 30): the
Migration Agency's decisions or the tax agency's registrations for many people at once.

The file is read by ``core.lib.tables``. Each row is one event of one person, named by the
Migration Agency's case number. The import is all or nothing: every row goes through the
same service as an event recorded by hand (``services.path_event_record``, with all its
checks, a row seeing the rows above it), inside one transaction that is rolled back if any
row is refused; the refusals are told with their rows.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.dates import OPERATIONAL
from tillsammans.core.lib.tables import (
    FILE_LINE,
    HEADER_SEARCH_ROWS,
    FileProblem,
    Invalid,
    RowError,
    RowErrors,
    Value,
    header_key,
    parse_date,
    read_table,
)

from .models import PathEventKind, Person
from .services import path_event_record

# field, required, the header names that mean it (the first is the documented one)
COLUMNS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("case_number", True, ("ärendenummer", "dossiernummer", "ärendenr", "case number")),
    ("kind", True, ("händelse", "beslut", "typ", "event", "kind")),
    ("on", True, ("datum", "beslutsdatum", "date", "on")),
    ("valid_until", False, ("giltigt till", "gäller till", "tillstånd till", "valid until")),
    ("identity_number", False, ("personnummer", "nytt personnummer",
                                "personal identity number")),
    ("reference", False, ("referens", "beslutsnummer", "reference")),
    ("note", False, ("anteckning", "kommentar", "note")),
)  # fmt: skip
_FIELD_OF_HEADER = {header_key(name): f for f, _req, names in COLUMNS for name in names}

KIND_WORDS: dict[str, tuple[str, ...]] = {
    PathEventKind.PERMIT_GRANTED: ("uppehållstillstånd", "tillstånd beviljat",
                                   "uppehållstillstånd beviljat", "permit"),
    PathEventKind.EXTENSION_APPLIED: ("ansökan om förlängning", "förlängning ansökt",
                                      "ansökt om förlängning"),
    PathEventKind.EXTENSION_GRANTED: ("förlängning beviljad", "förlängt", "förlängning"),
    PathEventKind.REGISTERED: ("folkbokförd", "folkbokföring", "registered"),
    PathEventKind.SETTLEMENT: ("kommunanvisning", "bosättning", "anvisning för bosättning"),
    PathEventKind.LEFT: ("lämnat kommunen", "flyttat", "utflyttad", "left"),
    PathEventKind.REVOKED: ("återkallat", "tillstånd återkallat", "revoked"),
}  # fmt: skip
# "Never arrived" is recorded on the allocation, for the whole household (the allocation's
# own status), never for one person from a file.
IMPORTED_KINDS = [kind for kind in PathEventKind if kind != PathEventKind.NEVER_ARRIVED]


def _kind_of_word() -> dict[str, str]:
    words: dict[str, str] = {}
    for kind in IMPORTED_KINDS:
        words[header_key(kind.value)] = kind.value
        for language in ("sv", "en"):
            with translation.override(language):
                words[header_key(str(kind.label))] = kind.value
        for word in KIND_WORDS.get(kind, ()):
            words[header_key(word)] = kind.value
    return words


@dataclass
class PathImport:
    """What an import did: the events written, or the errors that kept all of them out."""

    events: int = 0
    persons: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Refused(Exception):
    pass


def _text(value: Value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value.strip()


def _date(value: Value, column: str) -> dt.date | None:
    if value == "":
        return None
    try:
        day = parse_date(value)
    except Invalid as exc:
        raise ValueError(exc.message % {"value": _text(value), "column": column}) from exc
    today = timezone.localdate()
    if not OPERATIONAL.holds(day, today):
        earliest, latest = OPERATIONAL.bounds(today)
        raise ValueError(
            _(
                "“%(value)s” in “%(column)s” is not between %(earliest)s and %(latest)s; "
                "check the year."
            )
            % {
                "value": day.isoformat(), "column": column,
                "earliest": earliest.isoformat(), "latest": latest.isoformat(),
            }
        )  # fmt: skip
    return day


def path_events_import(*, actor: Any, file_name: str, data: bytes) -> PathImport:
    """Import the file's events, all of them or none (see the module's docstring)."""
    try:
        table = read_table(file_name, data)
    except FileProblem as problem:
        return PathImport(errors=[RowError(problem.line, problem.message)])
    names = {f: names[0] for f, _req, names in COLUMNS}
    header_index = next(
        (
            index
            for index, (_line, values) in enumerate(table[:HEADER_SEARCH_ROWS])
            if sum(header_key(str(value)) in _FIELD_OF_HEADER for value in values) >= 3
        ),
        None,
    )
    if header_index is None:
        required = ", ".join(f"“{names[f]}”" for f, req, _n in COLUMNS if req)
        return PathImport(
            errors=[
                RowError(
                    FILE_LINE,
                    _(
                        "No header row was found. The first row must name the columns, at "
                        "least %(columns)s."
                    )
                    % {"columns": required},
                )
            ]
        )
    header_line, header_values = table[header_index]
    fields: list[str | None] = []
    for value in header_values:
        name = _FIELD_OF_HEADER.get(header_key(str(value)))
        fields.append(name if name not in fields else None)
    missing = [f for f, req, _n in COLUMNS if req and f not in fields]
    if missing:
        return PathImport(
            errors=[
                RowError(
                    header_line, _("The column “%(column)s” is missing.") % {"column": names[f]}
                )
                for f in missing
            ]
        )
    kinds = _kind_of_word()
    body = table[header_index + 1 :]
    numbers = set()
    for _line, values in body:
        index = fields.index("case_number")
        numbers.add(_text(values[index]) if index < len(values) else "")
    persons: dict[str, list[Person]] = {}
    for person in Person.objects.filter(migration_case_number__in=numbers - {""}):
        persons.setdefault(person.migration_case_number, []).append(person)
    errors = RowErrors()
    result = PathImport()
    touched: set[int] = set()
    try:
        with transaction.atomic():
            for line, values in body:
                cells = {
                    name: values[index] if index < len(values) else ""
                    for index, name in enumerate(fields)
                    if name is not None
                }
                try:
                    number = _text(cells.get("case_number", ""))
                    found = persons.get(number, [])
                    if len(found) != 1:
                        raise ValueError(
                            (
                                _("No person in the product has %(value)s in “%(column)s”.")
                                if not found
                                else _(
                                    "%(count)s persons have %(value)s in “%(column)s”: record "
                                    "their events one by one on each person's page."
                                )
                            )
                            % {"value": number or "–", "column": names["case_number"],
                               "count": len(found)}
                        )  # fmt: skip
                    kind = kinds.get(header_key(_text(cells.get("kind", ""))))
                    if kind is None:
                        raise ValueError(
                            _(
                                "“%(value)s” in “%(column)s” is not an event of a legal path: "
                                "write one of %(kinds)s."
                            )
                            % {
                                "value": _text(cells.get("kind", "")),
                                "column": names["kind"],
                                "kinds": ", ".join(str(k.label).lower() for k in IMPORTED_KINDS),
                            }
                        )
                    on = _date(cells.get("on", ""), names["on"])
                    if on is None:
                        raise ValueError(_("“%(column)s” is empty.") % {"column": names["on"]})
                    path_event_record(
                        actor=actor, person=found[0], kind=kind, on=on,
                        valid_until=_date(cells.get("valid_until", ""), names["valid_until"]),
                        identity_number=_text(cells.get("identity_number", "")),
                        reference=_text(cells.get("reference", ""))[:60],
                        note=_text(cells.get("note", ""))[:500],
                        source=file_name[:200],
                    )  # fmt: skip
                    touched.add(found[0].pk)
                    result.events += 1
                except (ValueError, ServiceError) as exc:
                    message = exc.message if isinstance(exc, ServiceError) else str(exc)
                    errors.add(line, str(message))
            if not result.events and not errors.items:
                errors.add(FILE_LINE, _("The file has no events under its header."))
            if errors.items:
                raise _Refused
    except _Refused:
        return PathImport(errors=errors.sorted())
    result.persons = len(touched)
    return result
