"""The demo's reconciliations (issue 14, ADR 31): what the state paid for the last two months.

The month before last was paid as the ledger counts it but for one person paid twice; the
coordinator explained it and froze the month. Last month's statement has just come in: one
person is missing from it and one was paid less than counted, and nothing is decided yet,
which is the coordinator's work in the demo. The files go through the real import, the
decisions and the freezing through the services.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from tillsammans.core.lib.amounts import format_amount
from tillsammans.partnership.models import Agreement, Membership, Role
from tillsammans.people.models import Person

from . import services
from .ledger import state_ledger
from .models import Decision, RateKind, Scheme
from .reconciliation import reconcile
from .selectors import agreements_in_force

WORDS: dict[str, str] = {
    RateKind.ADULT_NIGHT: "vuxen",
    RateKind.CHILD_NIGHT: "barn",
    RateKind.MOVE_IN: "inflyttning",
    RateKind.NEW_PLACE: "ny plats",
    RateKind.FIGURE_PLACE: "fördelningstal",
    RateKind.PLACE_DAY: "platsdygn",
    RateKind.FRAME: "ram",
}


def _statement(agreement: Agreement, first: dt.date, rng: random.Random, *, latest: bool) -> bytes:
    ledger = state_ledger(agreement, first.year, first.month)
    owed: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in ledger.lines:
        owed[(line.person_id, line.kind)] += line.amount
    numbers = dict(
        Person.objects.filter(pk__in={pk for pk, _kind in owed}).values_list(
            "pk", "migration_case_number"
        )
    )
    month = f"{first:%Y-%m}"
    rows = ["månad;ärendenummer;ersättningsslag;antal;belopp"]
    paid = [(key, amount) for key, amount in sorted(owed.items()) if numbers.get(key[0])]
    odd = rng.sample(range(len(paid)), 2) if len(paid) > 2 else []
    for index, ((person_id, kind), amount) in enumerate(paid):
        times = 1
        if odd and index == odd[0]:
            if latest:
                continue  # not in the statement
            times = 2  # paid twice
        if latest and odd and index == odd[1]:
            amount = (amount * Decimal("0.9")).quantize(Decimal("0.01"))
        word = WORDS.get(kind, kind)
        rows += [f"{month};{numbers[person_id]};{word};;{format_amount(amount, 2)}"] * times
    for place_line in ledger.places.lines if ledger.places else ():
        word = WORDS.get(place_line.kind, place_line.kind)
        rows.append(f"{month};;{word};{place_line.quantity};{format_amount(place_line.amount, 2)}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def load(rng: random.Random) -> None:
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    before = last.replace(day=1) - dt.timedelta(days=1)
    # The 2022 partnership's agreement, which runs on and has the state's rates.
    agreement = (
        agreements_in_force(before.replace(day=1), last + dt.timedelta(days=1))
        .filter(rates__scheme=Scheme.STATE)
        .distinct()
        .order_by("starts_on", "id")
        .first()
    )
    coordinator = (
        Membership.objects.filter(role=Role.COORDINATOR).select_related("user").order_by("id")
    ).first()
    if agreement is None or coordinator is None:
        return
    actor = coordinator.user
    for first, latest in ((before.replace(day=1), False), (last.replace(day=1), True)):
        result = services.payments_import(
            actor=actor, agreement=agreement, year=first.year, month=first.month,
            file_name=f"utbetalning-{first:%Y-%m}.csv",
            data=_statement(agreement, first, rng, latest=latest),
        )  # fmt: skip
        if result.file is None or latest:
            continue
        for difference in reconcile(agreement, first.year, first.month).differences:
            person = Person.objects.get(pk=difference.person_id) if difference.person_id else None
            services.difference_decide(
                actor=actor, agreement=agreement, year=first.year, month=first.month,
                person=person, kind=difference.kind,
                decision=Decision.EXPLAINED if person else Decision.WRITE_OFF,
                note="Utbetald två gånger; staten drar av det i nästa utbetalning."
                if person else "Avrundning i statens beräkning.",
            )  # fmt: skip
        services.month_freeze(actor=actor, agreement=agreement, year=first.year, month=first.month)
