"""What the state paid for a month against what the ledger counts (issue 14, ADR 31).

The ledger's amounts are summed per person and kind (nights, move-ins) and per kind for the
amounts per place; the payments of the month's files the same way. A kind that the files pay
per person is compared person by person, any other kind for the month as a whole:

- paid but not counted: the state paid for a person (or a kind) the ledger has nothing for;
- counted but not paid: the ledger counts a person's kind the files do not pay;
- amounts differ: both, with other amounts (a person paid twice is this, with two rows).

A decision on a difference holds while its amounts stay those it was decided on. A frozen
month is read from what was stored when it was frozen, never computed again.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from tillsammans.core.lib.dates import add_months, month_bounds
from tillsammans.partnership.models import Agreement

from .ledger import state_ledger, state_ledgers
from .models import (
    DifferenceNature,
    PaymentDifference,
    PaymentFile,
    RateKind,
    Reconciliation,
    StatePayment,
)

Key = tuple[int | None, str]  # (person id or None for the month, kind)


@dataclass(frozen=True)
class Difference:
    person_id: int | None
    kind: str
    nature: str
    counted: Decimal
    paid: Decimal
    payments: int = 0  # the rows that paid it
    decision: PaymentDifference | None = None  # a decision on these very amounts
    earlier: PaymentDifference | None = None  # a decision on other amounts, no longer holding

    @property
    def delta(self) -> Decimal:
        return self.paid - self.counted

    @property
    def is_open(self) -> bool:
        return self.decision is None

    @property
    def kind_label(self) -> str:
        return str(RateKind(self.kind).label)

    @property
    def nature_label(self) -> str:
        return str(DifferenceNature(self.nature).label)


@dataclass
class MonthReconciliation:
    agreement: Agreement
    month: dt.date
    record: Reconciliation | None
    files: list[PaymentFile] = field(default_factory=list)
    counted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    differences: list[Difference] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        return self.record is not None and self.record.is_frozen

    @property
    def open_count(self) -> int:
        return sum(difference.is_open for difference in self.differences)

    @property
    def delta(self) -> Decimal:
        return self.paid - self.counted

    def by_nature(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(DifferenceNature.values, 0)
        for difference in self.differences:
            counts[difference.nature] += 1
        return counts


def _nature(counted: Decimal | None, paid: Decimal | None) -> str | None:
    if paid is None:
        return DifferenceNature.COUNTED_NOT_PAID if counted else None
    if counted is None:
        return DifferenceNature.PAID_NOT_COUNTED
    return DifferenceNature.AMOUNT if counted != paid else None


def reconcile(agreement: Agreement, year: int, month: int) -> MonthReconciliation:
    """The month's reconciliation under ``agreement`` (see the module's docstring)."""
    first, _following = month_bounds(year, month)
    record = Reconciliation.objects.filter(agreement=agreement, month=first).first()
    result = MonthReconciliation(agreement, first, record)
    result.files = list(
        PaymentFile.objects.filter(agreement=agreement, month=first).select_related("imported_by")
    )
    stored = list(record.differences.all()) if record is not None else []
    if record is not None and record.is_frozen:
        result.counted = record.counted or Decimal(0)
        result.paid = record.paid or Decimal(0)
        result.differences = [
            Difference(d.person_id, d.kind, d.nature, d.counted, d.paid, decision=d) for d in stored
        ]
        return result
    ledger = state_ledger(agreement, year, month, per_person=False, person_sums=True)
    counted: dict[Key, Decimal] = defaultdict(Decimal)
    counted.update((key, amount) for key, amount in ledger.person_sums.items())
    if ledger.places is not None:
        for place_line in ledger.places.lines:
            counted[(None, place_line.kind)] += place_line.amount
    result.counted = ledger.total
    paid: dict[Key, Decimal] = {}
    rows: dict[Key, int] = {}
    for payer, kind, amount, n in (
        StatePayment.objects.filter(file__in=[f.pk for f in result.files])
        .values("person_id", "kind")
        .annotate(amount=Sum("amount"), n=Count("id"))
        .values_list("person_id", "kind", "amount", "n")
    ):
        paid[(payer, kind)] = amount
        rows[(payer, kind)] = n
    result.paid = sum(paid.values(), Decimal(0))
    if not result.files:
        return result  # nothing paid yet: no differences to list
    per_person = {kind for who, kind in paid if who is not None}
    compared: dict[Key, Decimal] = defaultdict(Decimal)
    for (who, kind), amount in counted.items():
        key: Key = (who, kind) if kind in per_person else (None, kind)
        compared[key] += amount
    decisions = {(d.person_id, d.kind): d for d in stored}
    differences = []
    # Only the keys whose amounts differ are looked at further (a national month has tens of
    # thousands of equal ones).
    differing = [k for k in compared.keys() | paid.keys() if compared.get(k) != paid.get(k)]
    for key in sorted(differing, key=lambda k: (k[1], k[0] is not None, k[0] or 0)):
        count, pay = compared.get(key), paid.get(key)
        nature = _nature(count, pay)
        if nature is None:
            continue
        decided = decisions.get(key)
        holds = decided is not None and (
            decided.counted == (count or Decimal(0)) and decided.paid == (pay or Decimal(0))
        )
        differences.append(
            Difference(
                key[0], key[1], nature, count or Decimal(0), pay or Decimal(0), rows.get(key, 0),
                decision=decided if holds else None,
                earlier=decided if decided is not None and not holds else None,
            )
        )  # fmt: skip
    result.differences = differences
    return result


@dataclass(frozen=True)
class ForecastMonth:
    month: dt.date
    expected: Decimal  # what the ledger counts (a frozen month: what it counted when frozen)
    paid: Decimal | None  # what the state's files paid; None for a month still to be paid
    frozen: bool = False
    imported: bool = False  # a file of the state's payments was imported for the month

    @property
    def to_come(self) -> bool:
        return self.paid is None


def forecast(
    agreement: Agreement, today: dt.date, *, back: int = 3, ahead: int = 3
) -> list[ForecastMonth]:
    """The ``back`` months before this one as counted and paid, and this month and the next
    ``ahead`` - 1 as the ledger expects them from who lives in the agreement's places today:
    each until their own legal path ends the reception (a permit that runs out with no
    extension applied for, a registration), at the rates valid then."""
    this_month = today.replace(day=1)
    months = [add_months(this_month, offset) for offset in range(-back, ahead)]
    records = {
        r.month: r for r in Reconciliation.objects.filter(agreement=agreement, month__in=months)
    }
    paid = dict(
        PaymentFile.objects.filter(agreement=agreement, month__in=months)
        .values("month")
        .annotate(total=Sum("total"))
        .values_list("month", "total")
    )
    frozen = {first for first, record in records.items() if record.is_frozen}
    # The months still open are priced from one reading of their occupancies.
    ledgers = state_ledgers(agreement, [first for first in months if first not in frozen])
    rows = []
    for first in months:
        record = records.get(first)
        if record is not None and first in frozen:
            rows.append(ForecastMonth(first, record.counted or Decimal(0), record.paid, True, True))
            continue
        expected = ledgers[first].total
        if first < this_month:
            rows.append(
                ForecastMonth(first, expected, paid.get(first, Decimal(0)), False, first in paid)
            )
        else:
            rows.append(ForecastMonth(first, expected, None))
    return rows
