"""Reading a file of what the state paid for a month: file bytes in, payments or row errors
out (nothing is written here). The layout is documented in ``docs/state-payments.md``.

One row is one amount of one kind, either for one person (named by the Migration Agency's
case number or the personal identity number) or for the month as a whole where the payment
statement gives no persons. Within a file a kind is paid one way or the other, never both.
The file is read by ``core.lib.tables`` (CSV or XLSX, encodings, separators, dates).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tillsammans.core.forms import AmountField, NumberField
from tillsammans.core.lib.identity import normalise_swedish_id
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
from tillsammans.people.models import Person

from .models import RateKind

# An amount above this is a typing error (the services' limit for one month).
MAX_AMOUNT = Decimal("1000000000")
MAX_QUANTITY = 1_000_000

# field, required, the header names that mean it (the first is the documented one)
COLUMNS: Columns = (
    ("month", True, ("månad", "avser månad", "period", "utbetalningsmånad", "month")),
    ("case_number", False, ("ärendenummer", "dossiernummer", "ärendenr",
                            "migrationsverkets ärendenummer", "case number")),
    ("id_number", False, ("personnummer", "personal identity number")),
    ("kind", True, ("ersättningsslag", "ersättning", "ersättningstyp", "typ", "kind")),
    ("quantity", False, ("antal", "nätter", "dygn", "quantity", "nights")),
    ("amount", True, ("belopp", "summa", "belopp kr", "belopp sek", "amount")),
)  # fmt: skip

# The words a payment statement uses for each kind, besides the kinds' own names and codes.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    RateKind.ADULT_NIGHT: ("vuxen", "vuxna", "vuxen natt", "dygnsersättning vuxen", "adult"),
    RateKind.CHILD_NIGHT: ("barn", "barn natt", "dygnsersättning barn", "child"),
    RateKind.UNACCOMPANIED_CHILD: ("ensamkommande barn", "unaccompanied child"),
    RateKind.UNACCOMPANIED_YOUNG: ("ensamkommande 18 20", "ensamkommande ung",
                                   "unaccompanied young"),
    RateKind.MOVE_IN: ("inflyttning", "schablon", "engångsbelopp", "move in"),
    RateKind.NEW_PLACE: ("ny plats", "nya platser", "new place"),
    RateKind.FIGURE_PLACE: ("fördelningstal", "plats enligt fördelningstal", "per plats",
                            "distribution figure"),
    RateKind.PLACE_DAY: ("platsdygn", "tillgänglig plats", "place day"),
    RateKind.PLACE_NIGHT: ("belagd plats", "place night"),
    RateKind.FRAME: ("ram", "fast ram", "frame"),
}  # fmt: skip
# The amounts per place: the ledger counts them for the month, never for a person.
PLACE_KINDS = {
    RateKind.NEW_PLACE, RateKind.FIGURE_PLACE, RateKind.PLACE_DAY, RateKind.PLACE_NIGHT,
    RateKind.FRAME,
}  # fmt: skip
_MONTH = re.compile(r"^(\d{4})[-/.]?(\d{2})$")


@dataclass(frozen=True)
class ParsedPayment:
    line: int
    kind: str
    amount: Decimal
    quantity: int | None
    person_id: int | None
    person_ref: str  # the case or personal identity number as given


@dataclass
class PaymentPreview:
    payments: list[ParsedPayment] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.payments)

    @property
    def total(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal(0))


@dataclass
class _Row:
    line: int
    kind: str
    amount: Decimal
    quantity: int | None
    case_number: str
    id_number: str
    person_id: int | None = None


def _month_of(value: Value) -> tuple[int, int] | None:
    if isinstance(value, dt.date):
        return value.year, value.month
    if match := _MONTH.match(value.strip()):
        year, month = int(match[1]), int(match[2])
        return (year, month) if 1 <= month <= 12 else None
    try:
        day = parse_date(value)
    except Invalid:
        return None
    return day.year, day.month


# The fields of the product's forms read the amounts and the quantities, with their messages.
_AMOUNT = AmountField(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT)
_QUANTITY = NumberField(decimal_places=0, min_value=0, max_value=MAX_QUANTITY, required=False)


def parse_payment_file(file_name: str, data: bytes, year: int, month: int) -> PaymentPreview:
    """The payments of ``file_name`` for the month ``year``-``month``, or its errors."""
    preview = PaymentPreview()
    try:
        table = read_table(file_name, data)
    except FileProblem as problem:
        preview.errors = [RowError(problem.line, problem.message)]
        return preview
    header = find_header(table, COLUMNS)
    if isinstance(header, list):
        preview.errors = header
        return preview
    names = header.names
    errors = RowErrors()
    kinds = words_for(RateKind, KIND_WORDS)
    known_kinds = ", ".join(sorted({str(kind.label) for kind in RateKind}))
    rows: list[_Row] = []
    wanted = (year, month)
    for line, values in table[header.index + 1 :]:
        cells = cells_of(header, values)
        row_month = _month_of(cells.get("month", ""))
        problems: list[str] = []
        if row_month is None:
            problems.append(
                _("“%(value)s” in “%(column)s” is not a month. Write it as %(example)s.")
                % {
                    "value": cell_text(cells, "month"),
                    "column": names["month"],
                    "example": f"{year:04d}-{month:02d}",
                }
            )
        elif row_month != wanted:
            problems.append(
                _(
                    "The row is for %(row)s; this page imports the payments for %(month)s. "
                    "Import that month's payments on its own page."
                )
                % {
                    "row": f"{row_month[0]:04d}-{row_month[1]:02d}",
                    "month": f"{year:04d}-{month:02d}",
                }
            )
        kind = kinds.get(header_key(cell_text(cells, "kind")))
        if kind is None:
            problems.append(
                _(
                    "“%(value)s” in “%(column)s” is not a kind of compensation: write one "
                    "of %(kinds)s."
                )
                % {"value": cell_text(cells, "kind"), "column": names["kind"], "kinds": known_kinds}
            )
        amount = Decimal(0)
        try:
            amount = _AMOUNT.clean(cell_text(cells, "amount"))
        except ValidationError as error:
            problems.append(
                _("“%(value)s” in “%(column)s”: %(problem)s")
                % {
                    "value": cell_text(cells, "amount"),
                    "column": names["amount"],
                    "problem": " ".join(error.messages),
                }
            )
        quantity = None
        try:
            quantity = _QUANTITY.clean(cell_text(cells, "quantity"))
        except ValidationError:
            problems.append(
                _("“%(value)s” in “%(column)s” is not a whole number of nights or persons.")
                % {"value": cell_text(cells, "quantity"), "column": names["quantity"]}
            )
        for message in problems:
            errors.add(line, message)
        if not problems and kind is not None:
            rows.append(
                _Row(
                    line,
                    kind,
                    amount,
                    quantity,
                    cell_text(cells, "case_number"),
                    cell_text(cells, "id_number"),
                )
            )
    _resolve_persons(rows, errors, names)
    if not rows and not errors.items:
        errors.add(FILE_LINE, _("The file has no payments under its header."))
    _check_one_way(rows, errors)
    preview.errors = errors.sorted()
    if not preview.errors:
        preview.payments = [
            ParsedPayment(
                row.line, row.kind, row.amount, row.quantity,
                row.person_id, row.id_number or row.case_number,
            )
            for row in rows
        ]  # fmt: skip
    return preview


def _resolve_persons(rows: list[_Row], errors: RowErrors, names: dict[str, str]) -> None:
    """Find each row's person by personal identity number, else by case number (read in
    chunks, not row by row); an unknown or ambiguous person is the row's error."""
    numbers: dict[int, str] = {}
    for row in rows:
        if row.id_number:
            try:
                numbers[row.line] = normalise_swedish_id(row.id_number)
            except ValidationError as exc:
                errors.add(
                    row.line,
                    _("“%(value)s” in “%(column)s”: %(problem)s")
                    % {
                        "value": row.id_number,
                        "column": names["id_number"],
                        "problem": " ".join(str(m) for m in exc.messages),
                    },
                )
    by_number = _lookup("swedish_id_number", set(numbers.values()))
    by_case = _lookup("case_number", {row.case_number for row in rows if row.case_number})
    for row in rows:
        if row.id_number:
            if row.line not in numbers:
                continue
            found = by_number.get(numbers[row.line], [])
            ref, column = row.id_number, names["id_number"]
        elif row.case_number:
            found = by_case.get(row.case_number, [])
            ref, column = row.case_number, names["case_number"]
        else:
            continue  # a payment for the month as a whole
        if len(found) == 1:
            row.person_id = found[0]
        elif not found:
            errors.add(
                row.line,
                _("No person in the product has %(value)s in “%(column)s”.")
                % {"value": ref, "column": column},
            )
        else:
            errors.add(
                row.line,
                _(
                    "%(count)s persons have %(value)s in “%(column)s”: give the personal "
                    "identity number instead."
                )
                % {"count": len(found), "value": ref, "column": column},
            )


def _lookup(kind: str, values: set[str]) -> dict[str, list[int]]:
    column = "swedish_id_number" if kind == "swedish_id_number" else "migration_case_number"
    found: dict[str, list[int]] = {}
    ordered = sorted(values)
    for index in range(0, len(ordered), 900):
        chunk = ordered[index : index + 900]
        for pk, value in Person.objects.filter(**{f"{column}__in": chunk}).values_list(
            "pk", column
        ):
            found.setdefault(value, []).append(pk)
    return found


def _check_one_way(rows: list[_Row], errors: RowErrors) -> None:
    """A kind is paid per person or for the month, never both in one file; the amounts per
    place are never a person's."""
    per_person = {row.kind for row in rows if row.case_number or row.id_number}
    for row in rows:
        if row.kind in PLACE_KINDS and (row.case_number or row.id_number):
            errors.add(
                row.line,
                _(
                    "“%(kind)s” is paid for places, not for a person: leave the person out of "
                    "this row."
                )
                % {"kind": RateKind(row.kind).label},
            )
            continue
        if row.kind in per_person and not (row.case_number or row.id_number):
            errors.add(
                row.line,
                _(
                    "Other rows pay “%(kind)s” per person: give this row's person too, or "
                    "give no person on any row of that kind."
                )
                % {"kind": RateKind(row.kind).label},
            )
