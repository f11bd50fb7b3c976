"""The state's ledger (issue 14) against months worked out by hand: each person's nights stop
on the day their legal path ends the reception, and a rate change mid-month splits it."""

from decimal import Decimal

from tillsammans.finance.ledger import state_ledger, state_ledgers
from tillsammans.finance.models import RateKind, Scheme
from tillsammans.people.models import PathEventKind
from tillsammans.people.services import path_event_record

from .conftest import D, place
from .conftest import rate as _rate


def _state_rates(agreement):
    """300 an adult's night and 150 a child's from January 2026, 320 and 160 from 15 March;
    15 000 for each person who moves in."""
    for kind, amount, raised in (
        (RateKind.ADULT_NIGHT, 300, 320),
        (RateKind.CHILD_NIGHT, 150, 160),
    ):
        _rate(agreement, kind, amount, valid_from=D(2026, 1, 1), scheme=Scheme.STATE)
        _rate(agreement, kind, raised, valid_from=D(2026, 3, 15), scheme=Scheme.STATE)
    _rate(agreement, RateKind.MOVE_IN, 15000, valid_from=D(2026, 1, 1), scheme=Scheme.STATE)


def _permit(cast, person, until=None):
    until = until or D(2027, 3, 4)
    path_event_record(
        actor=cast.coordinator, person=person, kind=PathEventKind.PERMIT_GRANTED,
        on=D(2025, 3, 5), valid_until=until,
    )  # fmt: skip


def _register(cast, person, on, number):
    path_event_record(
        actor=cast.coordinator, person=person, kind=PathEventKind.REGISTERED, on=on,
        identity_number=number,
    )  # fmt: skip


def _total(ledger, *persons):
    return sum(line.amount for person in persons for line in ledger.by_person()[person.pk])


def _lines(ledger, person):
    return [
        (line.kind, line.start, line.end, line.quantity, line.rate.amount, line.amount)
        for line in ledger.by_person().get(person.pk, [])
    ]


def test_it_stops_each_persons_nights_on_their_own_registration_across_a_rate_change(
    cast, agreement
):
    # given a mother and a child who moved in on 10 January 2026, both with permits; the
    # mother registered on 12 March, the child on 20 March; the rates rise on 15 March
    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1), D(2015, 6, 1))
    mother, child = stay.household.persons.order_by("birth_date")
    _permit(cast, mother)
    _permit(cast, child)
    _register(cast, mother, D(2026, 3, 12), "19850401-1233")
    _register(cast, child, D(2026, 3, 20), "20150601-1236")
    # when March's ledger is computed
    ledger = state_ledger(agreement, 2026, 3)
    # then the mother's nights are 1–11 March at 300; the child's 1–14 at 150 and 15–19 at 160
    assert _lines(ledger, mother) == [
        (RateKind.ADULT_NIGHT, D(2026, 3, 1), D(2026, 3, 12), 11, Decimal(300), Decimal(3300)),
    ]
    assert _lines(ledger, child) == [
        (RateKind.CHILD_NIGHT, D(2026, 3, 1), D(2026, 3, 15), 14, Decimal(150), Decimal(2100)),
        (RateKind.CHILD_NIGHT, D(2026, 3, 15), D(2026, 3, 20), 5, Decimal(160), Decimal(800)),
    ]
    assert _total(ledger, mother, child) == Decimal(6200)
    # and each last line says why it stops
    assert "2026-03-12" in ledger.by_person()[mother.pk][-1].ends_by
    assert "2026-03-20" in ledger.by_person()[child.pk][-1].ends_by
    # and the month's summed lines are the same money, split at the rate change, with the
    # cast's household at site A (an adult and a child with no permit recorded, all month:
    # 14 nights at 300 and 17 at 320, 14 at 150 and 17 at 160 = 14 460)
    summed = ledger.as_compensation()
    assert summed.total == ledger.total == Decimal(6200 + 14460)
    assert sorted((line.kind, line.start, line.end, line.quantity) for line in summed.lines) == [
        (RateKind.ADULT_NIGHT, D(2026, 3, 1), D(2026, 3, 15), 11 + 14),
        (RateKind.ADULT_NIGHT, D(2026, 3, 15), D(2026, 4, 1), 17),
        (RateKind.CHILD_NIGHT, D(2026, 3, 1), D(2026, 3, 15), 14 + 14),
        (RateKind.CHILD_NIGHT, D(2026, 3, 15), D(2026, 4, 1), 5 + 17),
    ]
    # and the month page's sums without the persons' lines are the very same
    assert state_ledger(agreement, 2026, 3, per_person=False).as_compensation() == summed
    # and the reconciliation's sums per person and kind are the lines' own
    sums = state_ledger(agreement, 2026, 3, per_person=False, person_sums=True).person_sums
    assert (sums[(mother.pk, RateKind.ADULT_NIGHT)], sums[(child.pk, RateKind.CHILD_NIGHT)]) == (
        Decimal(3300), Decimal(2900),
    )  # fmt: skip


def test_months_priced_together_are_each_months_own_ledger(cast, agreement):
    # given the months of January to April 2026: a household that moved in on 10 January
    # (the mother registered on 12 March, across the rate change of 15 March), another that
    # moved in on 20 February and a child who turns 18 on 5 April
    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1), D(2008, 4, 5))
    mother, _teen = stay.household.persons.order_by("birth_date")
    _permit(cast, mother)
    _register(cast, mother, D(2026, 3, 12), "19850401-1233")
    place(cast, cast.unit_a, D(2026, 2, 20), D(1990, 1, 1))
    months = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)]
    # when they are priced from one reading of the occupancies (what the forecast does)
    together = state_ledgers(agreement, months, per_person=True, person_sums=True)
    # then each month is, line by line and in sum, the ledger of that month alone
    for first in months:
        alone = state_ledger(agreement, first.year, first.month, person_sums=True)
        assert together[first].lines == alone.lines
        assert together[first].as_compensation() == alone.as_compensation()
        assert together[first].person_sums == alone.person_sums
    # and the arrivals are paid in their own month only
    moved_in = {
        first: sum(line.quantity for line in together[first].lines if line.kind == "move_in")
        for first in months
    }
    assert moved_in == {months[0]: 2, months[1]: 1, months[2]: 0, months[3]: 0}


def test_it_pays_the_move_in_once_for_each_person_who_arrived(cast, agreement):
    # given the household's January, when it moved in on the 10th
    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1), D(2015, 6, 1))
    mother, child = stay.household.persons.order_by("birth_date")
    # when
    ledger = state_ledger(agreement, 2026, 1)
    # then each has one move-in and 22 nights (10–31 January)
    for person, night in ((mother, RateKind.ADULT_NIGHT), (child, RateKind.CHILD_NIGHT)):
        lines = ledger.by_person()[person.pk]
        assert [(line.kind, line.quantity) for line in lines] == [
            (RateKind.MOVE_IN, 1), (night, 22)
        ]  # fmt: skip
    assert _total(ledger, mother, child) == 2 * 15000 + 22 * 300 + 22 * 150


def test_it_stops_the_nights_the_day_after_a_permit_ran_out_with_no_extension(cast, agreement):
    # given a man whose permit ended on 9 March 2026, who never applied for the extension
    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1))
    [man] = stay.household.persons.all()
    _permit(cast, man, until=D(2026, 3, 9))
    # when
    ledger = state_ledger(agreement, 2026, 3)
    # then the state pays 1–9 March, and the line says why it stops
    [line] = ledger.by_person()[man.pk]
    assert (line.start, line.end, line.quantity) == (D(2026, 3, 1), D(2026, 3, 10), 9)
    assert "2026-03-10" in line.ends_by
    # and in April nothing
    assert state_ledger(agreement, 2026, 4).by_person().get(man.pk) is None


def test_it_keeps_paying_while_an_extension_applied_for_in_time_is_decided(cast, agreement):
    # given the same man, who applied on 1 March
    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1))
    [man] = stay.household.persons.all()
    _permit(cast, man, until=D(2026, 3, 9))
    path_event_record(
        actor=cast.coordinator, person=man, kind=PathEventKind.EXTENSION_APPLIED, on=D(2026, 3, 1)
    )
    # then all of March is paid: 14 nights at 300 and 17 at 320
    ledger = state_ledger(agreement, 2026, 3)
    assert [(line.quantity, line.rate.amount) for line in ledger.by_person()[man.pk]] == [
        (14, Decimal(300)), (17, Decimal(320))
    ]  # fmt: skip


def test_it_shows_the_coordinator_the_ledger_person_by_person_and_downloads_it(
    cast, agreement, client
):
    # given the mother registered on 12 March
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from tillsammans.core.models import AuditEvent

    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1))
    [mother] = stay.household.persons.all()
    _permit(cast, mother)
    _register(cast, mother, D(2026, 3, 12), "19850401-1233")
    client.force_login(cast.coordinator)
    query = {"agreement": str(agreement.public_id)}
    # when the coordinator opens March's ledger and downloads it
    page = client.get(reverse("state_ledger", args=[2026, 3]), query).text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("state_ledger_export", args=[2026, 3]), query).content)
    ).active
    # then her line shows 11 nights, 3 300 kr and why it stops, on the page and in the sheet
    assert "folkbokförd den 2026-03-12" in page and "3\xa0300,00" in page
    rows = [row for row in sheet.iter_rows(values_only=True) if row[2] == stay.household.reference]
    assert [(row[6], row[8], row[9]) for row in rows] == [(11, 3300, "folkbokförd den 2026-03-12")]
    # and both reads of her are audited
    assert (
        AuditEvent.objects.filter(
            actor=cast.coordinator, action="view", object_id=str(mother.public_id)
        ).count()
        >= 2
    )


def test_it_prices_the_places_as_the_months_compensation_does(cast, agreement):
    # given the state's rates per new place and per place-day, one of which rises mid-month,
    # in March 2022, when sites A and B opened
    from tillsammans.finance.selectors import compensation

    _rate(agreement, RateKind.NEW_PLACE, 10000, scheme=Scheme.STATE)
    _rate(agreement, RateKind.PLACE_DAY, 20, scheme=Scheme.STATE)
    _rate(agreement, RateKind.PLACE_DAY, 25, valid_from=D(2022, 3, 20), scheme=Scheme.STATE)
    # when the ledger's amounts per place are set beside the month's compensation
    ledger = state_ledger(agreement, 2022, 3)
    month = compensation(scheme=Scheme.STATE, year=2022, month=3, agreement=agreement)
    # then they are the same lines, and some of them
    per_place = [
        line for line in month.lines if line.kind in (RateKind.NEW_PLACE, RateKind.PLACE_DAY)
    ]
    assert per_place and list(ledger.places.lines) == per_place
