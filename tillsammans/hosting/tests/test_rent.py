"""Rent to hosts: the nights actually hosted, prorated, and frozen once paid."""

import datetime as dt

import pytest
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import AllocationFactory
from tillsammans.hosting.error_codes import HostingErrorCode
from tillsammans.hosting.models import RentBasis, RentFrozenError, RentPayment
from tillsammans.hosting.selectors import month_statement, prorated, rent_lines
from tillsammans.hosting.services import rent_month_mark_paid
from tillsammans.reception.models import ExitReason
from tillsammans.reception.services import allocation_place, stay_end

from .conftest import agree, register, vet


def _place(cast, host, household, on):
    agree(cast, host, household, on)
    allocation = AllocationFactory(household=household)
    return allocation_place(actor=cast.coordinator, allocation=allocation, unit=host.unit, on=on)


@pytest.fixture
def october(cast, programme, new_household):
    """Two homes in October 2022 (31 nights): guests from the 10th in one, until the 20th in
    the other."""
    per_home = vet(cast, register(cast, programme, name="Värd Hem", monthly_rent=4500))
    per_bed = vet(
        cast,
        register(cast, programme, name="Värd Bädd", rent_basis=RentBasis.BED, monthly_rent=1500),
    )
    _place(cast, per_home, new_household("H-FROM-10TH", 2), dt.date(2022, 10, 10))
    stay = _place(cast, per_bed, new_household("H-UNTIL-20TH", 3), dt.date(2022, 9, 1))
    stay_end(
        actor=cast.coordinator, stay=stay, on=dt.date(2022, 10, 20), reason=ExitReason.OWN_HOUSING
    )
    return per_home, per_bed


def test_it_pays_the_nights_actually_hosted_as_computed_by_hand(october):
    # given: a home at 4 500 SEK a month from the 10th, and 1 500 SEK a bed for three guests
    # who moved out on the 20th
    per_home, per_bed = october
    # when: October's rent is computed
    lines = {line.host: line for line in rent_lines(per_home.programme, 2022, 10)}
    # then: 10th–31st is 22 nights: 4 500 × 22 / 31 = 3 193.55 → 3 194 SEK
    assert lines[per_home].nights == 22
    assert lines[per_home].amount == 3194
    assert (lines[per_home].period_start, lines[per_home].period_end) == (
        dt.date(2022, 10, 10), dt.date(2022, 10, 31)
    )  # fmt: skip
    # and: 1st–19th is 19 nights × 3 guests = 57 bed-nights: 1 500 × 57 / 31 = 2 758.06 → 2 758
    assert lines[per_bed].nights == 57
    assert lines[per_bed].amount == 2758
    assert lines[per_bed].period_end == dt.date(2022, 10, 19)


def test_it_rounds_half_kronor_up():
    assert prorated(3100, 15, 31) == 1500
    assert prorated(1000, 1, 8) == 125
    assert prorated(100, 1, 8) == 13  # 12.5


def test_it_keeps_a_paid_month_as_it_was_paid(cast, october):
    # given: October marked as paid
    per_home, _per_bed = october
    paid = rent_month_mark_paid(
        actor=cast.a_admin, programme=per_home.programme, year=2022, month=10
    )
    # when: the host's rent is raised afterwards
    per_home.monthly_rent = 9000
    per_home.save()
    # then: the month still shows what was paid
    shown_paid, lines = month_statement(per_home.programme, 2022, 10)
    assert shown_paid == paid
    assert sorted(line.amount for line in lines) == [2758, 3194]
    # and: marking it paid again is refused
    with pytest.raises(ServiceError) as refused:
        rent_month_mark_paid(actor=cast.a_admin, programme=per_home.programme, year=2022, month=10)
    assert refused.value.code == HostingErrorCode.MONTH_PAID
    # and: the stored payments cannot be changed or deleted
    payment = RentPayment.objects.get(host=per_home)
    payment.amount = 1
    with pytest.raises(RentFrozenError):
        payment.save()
    with pytest.raises(RentFrozenError):
        RentPayment.objects.filter(pk=payment.pk).update(amount=1)
    with pytest.raises(RentFrozenError):
        RentPayment.objects.all().delete()
    assert RentPayment.objects.get(host=per_home).amount == 3194


def test_it_refuses_to_mark_a_month_paid_before_it_is_over(cast, programme):
    today = timezone.localdate()
    with pytest.raises(ServiceError) as refused:
        rent_month_mark_paid(
            actor=cast.a_admin, programme=programme, year=today.year, month=today.month
        )
    assert refused.value.code == HostingErrorCode.MONTH_NOT_OVER


def test_it_lets_only_managers_mark_a_month_paid(cast, programme):
    for outsider in (cast.a_staff, cast.b_staff, cast.a_viewer):
        with pytest.raises(ServiceError):
            rent_month_mark_paid(actor=outsider, programme=programme, year=2022, month=10)


def _new_rent(cast, host, on=None, **rent):
    from tillsammans.hosting.services import host_update

    return host_update(
        actor=cast.a_admin, host=host, beds=host.unit.beds.count(), changes_from=on, **rent
    )


def test_a_rent_changed_mid_month_pays_each_night_at_the_rent_of_that_night(cast, october):
    # given October's two homes (see the fixture)
    per_home, per_bed = october
    # when the home's rent rises to 6 200 from 20 October and the bed's to 1 800 from the 10th
    _new_rent(cast, per_home, dt.date(2022, 10, 20), monthly_rent=6200)
    _new_rent(cast, per_bed, dt.date(2022, 10, 10), monthly_rent=1800)
    # then each host has a line for each rent:
    lines = sorted(
        (line.host.name, line.period_start.day, line.period_end.day, line.nights,
         line.monthly_rent, line.amount)
        for line in rent_lines(per_home.programme, 2022, 10)
    )  # fmt: skip
    assert lines == [
        # 1–9 October, 3 guests: 27 bed-nights × 1 500 / 31 = 1 306.45 → 1 306
        ("Värd Bädd", 1, 9, 27, 1500, 1306),
        # 10–19 October: 30 bed-nights × 1 800 / 31 = 1 741.94 → 1 742
        ("Värd Bädd", 10, 19, 30, 1800, 1742),
        # 10–19 October: 10 nights × 4 500 / 31 = 1 451.61 → 1 452
        ("Värd Hem", 10, 19, 10, 4500, 1452),
        # 20–31 October: 12 nights × 6 200 / 31 = 2 400
        ("Värd Hem", 20, 31, 12, 6200, 2400),
    ]
    # and marking October paid stores the four lines as they are
    rent_month_mark_paid(actor=cast.a_admin, programme=per_home.programme, year=2022, month=10)
    _paid, stored = month_statement(per_home.programme, 2022, 10)
    assert sorted(line.amount for line in stored) == [1306, 1452, 1742, 2400]


def test_a_new_rent_today_leaves_the_months_before_at_the_rent_they_had(cast, october):
    # given October, not yet paid
    per_home, _per_bed = october
    # when the home's rent is doubled today
    _new_rent(cast, per_home, monthly_rent=9000)
    # then October is still paid at 4 500 (3 194 SEK), and the host's rent is 9 000 now
    line = next(x for x in rent_lines(per_home.programme, 2022, 10) if x.host == per_home)
    assert (line.monthly_rent, line.amount) == (4500, 3194)
    per_home.refresh_from_db()
    assert per_home.monthly_rent == 9000


def test_a_new_rent_never_reaches_a_month_already_paid(cast, october):
    # given October marked as paid
    per_home, _per_bed = october
    rent_month_mark_paid(actor=cast.a_admin, programme=per_home.programme, year=2022, month=10)
    # when a new rent is given from 20 October
    with pytest.raises(ServiceError) as refused:
        _new_rent(cast, per_home, dt.date(2022, 10, 20), monthly_rent=6200)
    # then it is refused, saying from when it can take effect, and the host keeps its rent
    assert str(refused.value) == (
        "Hyran för oktober 2022 är redan betald; en ny hyra kan gälla tidigast från "
        "1 november 2022."
    )
    per_home.refresh_from_db()
    assert per_home.monthly_rent == 4500
    assert list(per_home.rents.values_list("monthly_rent", flat=True)) == [4500]
    # and from 1 November it is taken
    _new_rent(cast, per_home, dt.date(2022, 11, 1), monthly_rent=6200)
    assert list(per_home.rents.values_list("valid_from", "monthly_rent")) == [
        (per_home.available_from, 4500), (dt.date(2022, 11, 1), 6200),
    ]  # fmt: skip


def test_a_home_offered_from_a_day_to_come_has_its_first_rent_corrected_in_place(cast, programme):
    # given a home offered from next month at 4 000 SEK
    later = timezone.localdate() + dt.timedelta(days=40)
    host = register(cast, programme, name="Värd Senare", monthly_rent=4000, available_from=later)
    # when the rent is corrected to 4 400 today
    _new_rent(cast, host, monthly_rent=4400)
    # then its only rent is 4 400 from the first day offered
    assert list(host.rents.values_list("valid_from", "monthly_rent")) == [(later, 4400)]
