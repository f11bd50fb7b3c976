"""The finance lists that can be long enough for the worker (``core.exports``): a month's
state ledger and its payment differences, each line a person."""

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.exports import Table, table
from tillsammans.core.lib.dates import OPERATIONAL, month_bounds
from tillsammans.partnership.models import Agreement
from tillsammans.people.models import Person

from . import selectors
from .ledger import state_ledger
from .models import Decision, DifferenceNature, RateKind
from .reconciliation import Difference, reconcile


def month_or_404(year: int, month: int) -> None:
    if not 1 <= month <= 12 or not 1 <= year <= dt.MAXYEAR:
        raise Http404
    if not OPERATIONAL.holds(dt.date(year, month, 1), timezone.localdate()):
        raise Http404


def ledger_persons(ids: list[int]) -> dict[int, Person]:
    """The persons of ``ids``, read a thousand at a time (a national month has tens of
    thousands; SQLite takes at most 32 766 values in one query)."""
    persons: dict[int, Person] = {}
    for index in range(0, len(ids), 1000):
        chunk = Person.objects.filter(pk__in=ids[index : index + 1000]).select_related("household")
        persons.update((person.pk, person) for person in chunk)
    return persons


def _agreement(user: Any, args: dict[str, Any]) -> tuple[Agreement, dt.date]:
    """The month's agreement the list is about, if the user (still) coordinates it."""
    year, month = int(args["year"]), int(args["month"])
    month_or_404(year, month)
    if not access.is_coordinator(user):
        raise Http404
    first, following = month_bounds(year, month)
    agreement, _choices = selectors.month_agreement(user, first, following, args["agreement"])
    if agreement is None:
        raise Http404
    return agreement, first


@table("finance.state_ledger", who=access.is_coordinator)
def state_ledger_table(user: Any, args: dict[str, Any]) -> Table:
    agreement, first = _agreement(user, args)
    ledger = state_ledger(agreement, first.year, first.month)
    persons = ledger_persons(sorted(ledger.by_person()))
    header = [_("Person"), _("Born"), _("Household"), _("Kind"), _("From"), _("To"),
              _("Quantity"), _("Rate"), _("Amount"), _("Why it stops")]  # fmt: skip
    rows: list[Any] = [
        [
            persons[line.person_id].display_name,
            persons[line.person_id].birth_date.year,
            persons[line.person_id].household.reference,
            str(RateKind(line.kind).label),
            line.start,
            line.last,
            line.quantity,
            line.rate.amount,
            line.amount,
            line.ends_by,
        ]
        for line in ledger.lines
    ]
    stem = _("state-ledger")

    def audit(actor: Any) -> None:
        audit_views(
            actor=actor, objs=list(persons.values()),
            summary=gettext_noop("the state's ledger downloaded"),
        )  # fmt: skip

    return Table(
        name=f"{stem}-{slugify(agreement.name)[:40]}-{first:%Y-%m}.xlsx",
        sheet=f"{first:%Y-%m}", header=header, rows=rows, audit=audit,
    )  # fmt: skip


def _difference_row(difference: Difference, person: Person | None) -> list[Any]:
    decision = difference.decision
    return [
        person.display_name if person else _("The month as a whole"),
        person.migration_case_number if person else "",
        str(RateKind(difference.kind).label),
        str(DifferenceNature(difference.nature).label),
        difference.counted,
        difference.paid,
        difference.delta,
        difference.payments,
        str(Decision(decision.decision).label) if decision else _("Not decided"),
        decision.note if decision else "",
    ]


@table("finance.payment_differences", who=access.is_coordinator)
def payment_differences_table(user: Any, args: dict[str, Any]) -> Table:
    agreement, first = _agreement(user, args)
    state = reconcile(agreement, first.year, first.month)
    persons = ledger_persons(sorted({d.person_id for d in state.differences if d.person_id}))
    header = [_("Person"), _("Case number"), _("Kind"), _("Difference"), _("Counted (SEK)"),
              _("Paid (SEK)"), _("Paid − counted (SEK)"), _("Payment rows"), _("Decision"),
              _("Note")]  # fmt: skip
    rows: list[Any] = [
        _difference_row(d, persons.get(d.person_id) if d.person_id else None)
        for d in state.differences
    ]
    stem = _("state-payment-differences")

    def audit(actor: Any) -> None:
        audit_views(
            actor=actor, objs=list(persons.values()),
            summary=gettext_noop("the state's payment differences downloaded"),
        )  # fmt: skip

    return Table(
        name=f"{stem}-{slugify(agreement.name)[:40]}-{state.month:%Y-%m}.xlsx",
        sheet=f"{state.month:%Y-%m}", header=header, rows=rows, audit=audit,
    )  # fmt: skip
