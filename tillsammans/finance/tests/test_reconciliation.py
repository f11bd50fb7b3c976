"""What the state paid for a month against the ledger (issue 14, ADR 31): a file of payments
is imported whole or not at all, the differences are exactly those a person would find by
hand, each is decided with a note, and a frozen month stays as it was decided."""

import pytest

from tillsammans.core.errors import ServiceError
from tillsammans.core.models import AuditEvent
from tillsammans.finance.models import (
    Decision,
    DifferenceNature,
    PaymentDifference,
    PaymentFile,
    RateKind,
    StatePayment,
)
from tillsammans.finance.reconciliation import reconcile
from tillsammans.finance.services import (
    difference_decide,
    month_freeze,
    month_reopen,
    payment_file_remove,
    payments_import,
)
from tillsammans.people.models import PathEventKind, Person
from tillsammans.people.services import path_event_record

from .conftest import D, place
from .test_ledger import _permit, _state_rates

HEADER = "månad;ärendenummer;ersättningsslag;antal;belopp\n"


def set_up_march(cast, agreement):
    """March 2026 as the ledger counts it: four persons all month, at 300/150 a night to the
    14th and 320/160 from the 15th — each adult 14 × 300 + 17 × 320 = 9 640 kr, each child
    14 × 150 + 17 × 160 = 4 820 kr (28 920 kr in all).

    The cast's household at site A (case numbers A-1, A-2) and a mother and child at site B
    who moved in on 10 January (B-1, B-2)."""
    _state_rates(agreement)
    stay = place(cast, cast.unit_b, D(2026, 1, 10), D(1985, 4, 1), D(2015, 6, 1))
    mother, child = stay.household.persons.order_by("birth_date")
    for person in (mother, child):
        _permit(cast, person)
    adult_a, child_a = cast.household_a.persons.order_by("birth_date")
    for person, number in ((adult_a, "A-1"), (child_a, "A-2"), (mother, "B-1"), (child, "B-2")):
        Person.objects.filter(pk=person.pk).update(migration_case_number=number)
    return {"A-1": adult_a, "A-2": child_a, "B-1": mother, "B-2": child}


@pytest.fixture
def march(cast, agreement):
    return set_up_march(cast, agreement)


def _import(cast, agreement, text, name="utbetalning-2026-03.csv", month=3):
    return payments_import(
        actor=cast.coordinator, agreement=agreement, year=2026, month=month, file_name=name,
        data=text.encode("utf-8"),
    )  # fmt: skip


TWICE_AND_MISSING = (
    HEADER
    + "2026-03;A-1;vuxen;31;9 640,00 kr\n"
    + "2026-03;A-2;barn;31;4 820,00\n"
    + "2026-03;B-1;vuxen;31;9 640,00\n"
    + "2026-03;B-1;vuxen;31;9 640,00\n"  # the mother paid twice; her child (B-2) missing
)


def test_a_file_with_one_person_paid_twice_and_one_missing_gives_exactly_those_differences(
    cast, agreement, march
):
    # when March's payments are imported
    result = _import(cast, agreement, TWICE_AND_MISSING)
    # then the file and its four rows are written, the amounts read the Swedish way
    assert result.errors == [] and result.file.rows == 4
    assert result.file.total == 9640 * 3 + 4820
    # and the differences are exactly the mother paid twice and her child not paid
    state = reconcile(agreement, 2026, 3)
    assert state.counted == 28920 and state.paid == 33740
    found = [
        (d.person_id, d.kind, d.nature, d.counted, d.paid, d.payments) for d in state.differences
    ]
    assert found == [
        (march["B-1"].pk, RateKind.ADULT_NIGHT, DifferenceNature.AMOUNT, 9640, 19280, 2),
        (march["B-2"].pk, RateKind.CHILD_NIGHT, DifferenceNature.COUNTED_NOT_PAID, 4820, 0, 0),
    ]  # fmt: skip
    # and the import is in the log
    assert AuditEvent.objects.filter(summary="state payments imported").count() == 1


def test_a_file_for_the_month_as_a_whole_is_compared_kind_by_kind(cast, agreement, march):
    # given a payment statement with no persons: the adults right, the children short
    text = HEADER + "2026-03;;vuxen;62;19 280\n2026-03;;barn;;9 000,50\n"
    # when imported
    _import(cast, agreement, text)
    # then one difference, for the month's children's nights
    [difference] = reconcile(agreement, 2026, 3).differences
    assert (difference.person_id, difference.kind, difference.nature) == (
        None, RateKind.CHILD_NIGHT, DifferenceNature.AMOUNT,
    )  # fmt: skip
    assert (difference.counted, difference.paid, difference.delta) == (9640, 9000.5, -639.5)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-03;X-9;vuxen;31;100", "Ingen person i produkten har X-9 i ”ärendenummer”."),
        ("2026-04;A-1;vuxen;31;100", "Raden gäller 2026-04; den här sidan importerar"),
        ("mars;A-1;vuxen;31;100", "”mars” i ”månad” är inte en månad. Skriv den som 2026-03."),
        ("2026-03;A-1;hyra;31;100", "”hyra” i ”ersättningsslag” är inte ett ersättningsslag"),
        ("2026-03;A-1;vuxen;31;1,234", "”1,234” i ”belopp”:"),
        ("2026-03;A-1;vuxen;tre;100", "”tre” i ”antal” är inte ett helt antal"),
    ],
)
def test_a_file_with_a_bad_row_is_refused_whole_with_the_rows_line(
    cast, agreement, march, row, message
):
    # when a file with one good row and one bad row is imported
    result = _import(cast, agreement, HEADER + "2026-03;A-2;barn;31;4 820\n" + row + "\n")
    # then the bad row's line and what is wrong with it are told, and nothing is written
    assert [(error.line, message in error.message) for error in result.errors] == [(3, True)]
    assert result.file is None
    assert not PaymentFile.objects.exists() and not StatePayment.objects.exists()


def test_the_same_file_twice_is_refused_and_writes_nothing(cast, agreement, march):
    _import(cast, agreement, TWICE_AND_MISSING)
    # when the very same file is imported again, under another name
    with pytest.raises(ServiceError, match="redan importerad"):
        _import(cast, agreement, TWICE_AND_MISSING, name="kopia.csv")
    # then the month still has one file of four rows
    assert StatePayment.objects.count() == 4


def test_the_same_file_under_another_agreement_is_refused_naming_the_first(cast, agreement, march):
    from tillsammans.partnership.models import Agreement

    # given March's statement imported under the agreement, and a second agreement that runs
    _import(cast, agreement, TWICE_AND_MISSING)
    other = Agreement.objects.create(name="IOP ensamkommande", starts_on=D(2026, 1, 1))
    other.parties.add(cast.city, through_defaults={"joined_on": other.starts_on})
    # when the same statement is imported under the second agreement
    with pytest.raises(ServiceError) as refused:
        _import(cast, other, TWICE_AND_MISSING, name="mars.csv")
    # then it is refused, naming the agreement it was imported under, and writes nothing
    assert "2026-03 under IOP" in str(refused.value)
    assert PaymentFile.objects.count() == 1 and StatePayment.objects.count() == 4


def test_a_kind_paid_both_per_person_and_for_the_month_is_refused(cast, agreement, march):
    result = _import(cast, agreement, HEADER + "2026-03;A-1;vuxen;;9 640\n2026-03;;vuxen;;100\n")
    assert [error.line for error in result.errors] == [3]
    assert not PaymentFile.objects.exists()
    # and so is a person on an amount per place, and a file paying a kind the other way from
    # the month's files already imported
    result = _import(cast, agreement, HEADER + "2026-03;A-1;ny plats;;10 000\n")
    assert "inte för en person" in result.errors[0].message
    _import(cast, agreement, HEADER + "2026-03;A-1;vuxen;;9 640\n")
    result = _import(cast, agreement, HEADER + "2026-03;;vuxen;;100\n", name="b.csv")
    assert [error.line for error in result.errors] == [2]
    assert PaymentFile.objects.count() == 1


def test_it_tells_what_is_wrong_with_an_amount_or_a_quantity(cast, agreement, march):
    result = _import(
        cast, agreement, HEADER + "2026-03;A-1;vuxen;²;100\n2026-03;A-2;barn;;1234,567\n"
    )
    assert [error.line for error in result.errors] == [2, 3]
    assert "högst 2 decimaler" in result.errors[1].message


def test_each_difference_is_decided_then_the_month_is_frozen_and_stays_so(cast, agreement, march):
    # given the file with the mother paid twice and her child missing
    _import(cast, agreement, TWICE_AND_MISSING)
    # when the coordinator tries to freeze the month at once
    with pytest.raises(ServiceError, match="2 avvikelser har inget beslut"):
        month_freeze(actor=cast.coordinator, agreement=agreement, year=2026, month=3)
    # and a decision needs a note
    decide = {
        "actor": cast.coordinator, "agreement": agreement, "year": 2026, "month": 3,
    }  # fmt: skip
    with pytest.raises(ServiceError, match="anteckning"):
        difference_decide(
            **decide, person=march["B-1"], kind=RateKind.ADULT_NIGHT,
            decision=Decision.EXPLAINED, note=" ",
        )  # fmt: skip
    # when both are decided
    difference_decide(
        **decide, person=march["B-1"], kind=RateKind.ADULT_NIGHT, decision=Decision.EXPLAINED,
        note="Utbetald två gånger; återbetalas i april.",
    )  # fmt: skip
    difference_decide(
        **decide, person=march["B-2"], kind=RateKind.CHILD_NIGHT, decision=Decision.CLAIM,
        note="Begärs i nästa ansökan.",
    )  # fmt: skip
    record = month_freeze(actor=cast.coordinator, agreement=agreement, year=2026, month=3)
    # then the month is frozen with its totals
    assert record.is_frozen and (record.counted, record.paid) == (28920, 33740)
    # and a late event that would change the ledger does not change the frozen month
    path_event_record(
        actor=cast.coordinator, person=march["A-1"], kind=PathEventKind.LEFT, on=D(2026, 3, 2)
    )
    state = reconcile(agreement, 2026, 3)
    assert state.frozen and state.counted == 28920 and state.open_count == 0
    assert [d.decision.decision for d in state.differences] == [Decision.EXPLAINED, Decision.CLAIM]
    # and payments can neither be added nor removed, nor decisions changed
    with pytest.raises(ServiceError, match="fryst"):
        _import(cast, agreement, HEADER + "2026-03;A-2;barn;;1\n", name="till.csv")
    with pytest.raises(ServiceError, match="fryst"):
        payment_file_remove(actor=cast.coordinator, payment_file=PaymentFile.objects.get())
    # when it is reopened with a reason, the late event shows as a new difference
    with pytest.raises(ServiceError, match="varför"):
        month_reopen(**decide, reason="")
    month_reopen(**decide, reason="Flytten den 2 mars registrerades sent.")
    state = reconcile(agreement, 2026, 3)
    assert not state.frozen and state.open_count == 1
    [new] = [d for d in state.differences if d.is_open]
    assert (new.person_id, new.nature) == (march["A-1"].pk, DifferenceNature.AMOUNT)


def test_a_decision_holds_only_for_the_amounts_it_was_made_on(cast, agreement, march):
    _import(cast, agreement, TWICE_AND_MISSING)
    difference_decide(
        actor=cast.coordinator, agreement=agreement, year=2026, month=3, person=march["B-2"],
        kind=RateKind.CHILD_NIGHT, decision=Decision.WRITE_OFF, note="Avskrivs.",
    )  # fmt: skip
    # when a supplementary file pays the child part of her nights
    _import(cast, agreement, HEADER + "2026-03;B-2;barn;10;1 500\n", name="tillagg.csv")
    # then the earlier decision no longer holds: the difference is open again, and says so
    [child] = [
        d for d in reconcile(agreement, 2026, 3).differences if d.person_id == march["B-2"].pk
    ]
    assert child.is_open and child.earlier.decision == Decision.WRITE_OFF
    assert (child.nature, child.paid) == (DifferenceNature.AMOUNT, 1500)
    assert PaymentDifference.objects.count() == 1


def test_a_file_imported_by_mistake_is_taken_back(cast, agreement, march):
    result = _import(cast, agreement, TWICE_AND_MISSING)
    payment_file_remove(actor=cast.coordinator, payment_file=result.file)
    assert not StatePayment.objects.exists()
    assert reconcile(agreement, 2026, 3).differences == []
    # and the same file can then be imported again
    assert _import(cast, agreement, TWICE_AND_MISSING).file is not None


def test_only_the_coordinator_imports_decides_and_freezes(cast, agreement, march):
    from tillsammans.core.errors import PermissionDenied

    for actor in (cast.a_admin, cast.a_viewer, cast.case_worker):
        with pytest.raises(PermissionDenied):
            payments_import(
                actor=actor, agreement=agreement, year=2026, month=3, file_name="x.csv",
                data=TWICE_AND_MISSING.encode(),
            )  # fmt: skip
        with pytest.raises(PermissionDenied):
            month_freeze(actor=actor, agreement=agreement, year=2026, month=3)


def test_the_coordinator_imports_decides_and_freezes_on_the_page_and_a_viewer_sees_totals(
    cast, agreement, march, client
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from openpyxl import load_workbook

    query = "?agreement=" + str(agreement.public_id)
    page = reverse("reconciliation_page", args=[2026, 3]) + query
    client.force_login(cast.coordinator)
    # when the coordinator uploads a file with a bad row
    bad = SimpleUploadedFile("fel.csv", (HEADER + "2026-03;X-9;vuxen;;1\n").encode())
    response = client.post(reverse("reconciliation_import", args=[2026, 3]) + query, {"file": bad})
    # then the row's error is on the page and nothing is saved
    assert response.status_code == 400 and "X-9" in response.text
    assert not PaymentFile.objects.exists()
    # when the good file is uploaded
    good = SimpleUploadedFile("mars.csv", TWICE_AND_MISSING.encode())
    client.post(reverse("reconciliation_import", args=[2026, 3]) + query, {"file": good})
    text = client.get(page).text
    # then both differences are listed by name, to decide
    assert march["B-1"].last_name in text and march["B-2"].last_name in text
    assert text.count('data-testid="difference"') == 2
    # and the download lists them too, its reads audited
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reconciliation_export", args=[2026, 3]) + query).content)
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["B-1", "B-2"]
    assert (
        AuditEvent.objects.filter(object_id=str(march["B-2"].public_id), action="view").count() >= 2
    )
    # when a decision is posted on amounts that have changed since the page was read, it is
    # refused; on the amounts shown, it is saved
    decide = reverse("reconciliation_decide", args=[2026, 3]) + query
    stale = {
        "person": str(march["B-1"].public_id), "kind": RateKind.ADULT_NIGHT,
        "decision": "explained", "note": "Stämmer.", "counted": "9640", "paid": "9640",
    }  # fmt: skip
    client.post(decide, stale)
    assert not PaymentDifference.objects.exists()
    for person, kind, counted, paid in (
        (march["B-1"], RateKind.ADULT_NIGHT, "9640.00", "19280.00"),
        (march["B-2"], RateKind.CHILD_NIGHT, "4820.00", "0"),
    ):
        client.post(
            decide,
            {"person": str(person.public_id), "kind": kind, "decision": "explained",
             "note": "Stämmer med beslutet.", "counted": counted, "paid": paid},
        )  # fmt: skip
    assert PaymentDifference.objects.count() == 2
    # and the month frozen
    client.post(reverse("reconciliation_freeze", args=[2026, 3]) + query)
    # then the month is frozen
    assert "fryst" in client.get(page).text
    # and the city's viewer (the steering group) sees the totals, never a person
    from tillsammans.core.factories import member
    from tillsammans.partnership.models import Role

    client.force_login(member(cast.city, Role.VIEWER, "styrgrupp@example.org"))
    seen = client.get(page)
    assert seen.status_code == 200 and "28\xa0920,00" in seen.text
    assert march["B-1"].last_name not in seen.text
    # and a partner's admin and a partner's viewer get the same 404 as a missing page
    for outsider in (cast.a_admin, cast.a_viewer):
        client.force_login(outsider)
        assert client.get(page).status_code == 404


def test_it_forecasts_the_next_months_from_who_lives_here_and_their_paths(cast, agreement, march):
    from tillsammans.finance.reconciliation import forecast

    # given March's payments imported, and the mother registered on 10 May
    _import(cast, agreement, TWICE_AND_MISSING)
    path_event_record(
        actor=cast.coordinator, person=march["B-1"], kind=PathEventKind.REGISTERED,
        on=D(2026, 5, 10), identity_number="19850401-1233",
    )  # fmt: skip
    # when the forecast is read on 10 April
    rows = forecast(agreement, D(2026, 4, 10))
    # then January to March are as counted and paid, April to June as expected
    assert [(row.month, row.to_come) for row in rows] == [
        (D(2026, 1, 1), False), (D(2026, 2, 1), False), (D(2026, 3, 1), False),
        (D(2026, 4, 1), True), (D(2026, 5, 1), True), (D(2026, 6, 1), True),
    ]  # fmt: skip
    march_row, april, may = rows[2], rows[3], rows[4]
    assert (march_row.expected, march_row.paid) == (28920, 33740)
    # April: two adults 30 × 320 and two children 30 × 160
    assert april.expected == 2 * 30 * 320 + 2 * 30 * 160
    # May: the mother until her registration (1–9 May), the others all month
    assert may.expected == 9 * 320 + 31 * 320 + 2 * 31 * 160
