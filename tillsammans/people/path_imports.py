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
from django.utils import timezone
from django.utils.translation import gettext as _

from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.dates import OPERATIONAL
from tillsammans.core.lib.tables import (
    FILE_LINE,
    Columns,
    FileProblem,
    Invalid,
    RowError,
    RowErrors,
    Value,
    cell_text,
    cells_of,
    find_header,
    header_key,
    parse_date,
    read_table,
    words_for,
)

from .models import PathEventKind, Person
from .services import path_event_record

# field, required, the header names that mean it (the first is the documented one)
COLUMNS: Columns = (
    ("case_number", True, ("ärendenummer", "dossiernummer", "ärendenr", "case number")),
    ("kind", True, ("händelse", "beslut", "typ", "event", "kind")),
    ("on", True, ("datum", "beslutsdatum", "date", "on")),
    ("valid_until", False, ("giltigt till", "gäller till", "tillstånd till", "valid until")),
    ("identity_number", False, ("personnummer", "nytt personnummer",
                                "personal identity number")),
    ("reference", False, ("referens", "beslutsnummer", "reference")),
    ("note", False, ("anteckning", "kommentar", "note")),
)  # fmt: skip

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


@dataclass
class PathImport:
    """What an import did: the events written, or the errors that kept all of them out."""

    events: int = 0
    persons: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Refused(Exception):
    pass


def _date(value: Value, column: str) -> dt.date | None:
    if value == "":
        return None
    try:
        day = parse_date(value)
    except Invalid as exc:
        raise ValueError(exc.message % {"value": value, "column": column}) from exc
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
    header = find_header(table, COLUMNS)
    if isinstance(header, list):
        return PathImport(errors=header)
    names = header.names
    kinds = words_for(IMPORTED_KINDS, KIND_WORDS)
    body = [(line, cells_of(header, values)) for line, values in table[header.index + 1 :]]
    numbers = {cell_text(cells, "case_number") for _line, cells in body}
    persons: dict[str, list[Person]] = {}
    for person in Person.objects.filter(migration_case_number__in=numbers - {""}):
        persons.setdefault(person.migration_case_number, []).append(person)
    errors = RowErrors()
    result = PathImport()
    touched: set[int] = set()
    try:
        with transaction.atomic():
            for line, cells in body:
                try:
                    number = cell_text(cells, "case_number")
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
                    kind = kinds.get(header_key(cell_text(cells, "kind")))
                    if kind is None:
                        raise ValueError(
                            _(
                                "“%(value)s” in “%(column)s” is not an event of a legal path: "
                                "write one of %(kinds)s."
                            )
                            % {
                                "value": cell_text(cells, "kind"),
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
                        identity_number=cell_text(cells, "identity_number"),
                        reference=cell_text(cells, "reference")[:60],
                        note=cell_text(cells, "note")[:500],
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
