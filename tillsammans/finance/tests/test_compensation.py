"""A month's compensation against figures worked out by hand."""

from decimal import Decimal

from tillsammans.finance.models import RateKind, Scheme
from tillsammans.finance.selectors import compensation, quantities
from tillsammans.housing.models import SiteKind

from .conftest import D, stayed_before_the_rule
from .conftest import rate as _rate

SEPTEMBER = (D(2022, 9, 1), D(2022, 10, 1))


def test_it_counts_a_months_nights_days_and_arrivals_as_worked_out_by_hand(
    cast, agreement, september_at_b
):
    # when
    counted = quantities(*SEPTEMBER, agreement.id, organisation_id=cast.org_b.id)
    # then
    kind = SiteKind.COLLECTIVE_SELF
    assert counted == {
        (RateKind.PLACE_DAY, kind): 4 * 30,
        (RateKind.PLACE_NIGHT, kind): 30 + 30 + 29 + 1,
        (RateKind.ADULT_NIGHT, kind): 30 + 15 + 1,
        (RateKind.CHILD_NIGHT, kind): 30 + 14,
        (RateKind.MOVE_IN, kind): 2 + 1,
    }


def test_it_pays_each_day_at_the_rate_valid_that_day(cast, agreement, september_at_b):
    # given general rates, a partner B rate per place-day that rises on 16 September, and a
    # general place-day rate that partner B's own rate overrides
    _rate(agreement, RateKind.ADULT_NIGHT, 300)
    _rate(agreement, RateKind.CHILD_NIGHT, 150)
    _rate(agreement, RateKind.MOVE_IN, 15000)
    _rate(agreement, RateKind.PLACE_DAY, 50)
    _rate(agreement, RateKind.PLACE_DAY, 100, organisation=cast.org_b)
    _rate(agreement, RateKind.PLACE_DAY, 120, valid_from=D(2022, 9, 16), organisation=cast.org_b)
    _rate(agreement, RateKind.FRAME, 5000)
    # when
    result = compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=agreement, organisation=cast.org_b
    )
    # then
    by_kind = {}
    for line in result.lines:
        by_kind[line.kind] = by_kind.get(line.kind, Decimal(0)) + line.amount
    assert by_kind == {
        RateKind.ADULT_NIGHT: Decimal(46 * 300),
        RateKind.CHILD_NIGHT: Decimal(44 * 150),
        RateKind.MOVE_IN: Decimal(3 * 15000),
        RateKind.PLACE_DAY: Decimal(4 * 15 * 100 + 4 * 15 * 120),
        RateKind.FRAME: Decimal(5000),
    }
    assert result.total == Decimal(13800 + 6600 + 45000 + 13200 + 5000)
    assert not result.uncovered


def test_it_keeps_partners_apart(cast, agreement, september_at_b):
    # given one general rate per adult night
    _rate(agreement, RateKind.ADULT_NIGHT, 300)
    # when partner A's month is computed (the cast's household: one adult, one child)
    result = compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=agreement, organisation=cast.org_a
    )
    # then only partner A's adult is paid, 30 nights
    assert [(line.kind, line.quantity) for line in result.lines] == [(RateKind.ADULT_NIGHT, 30)]
    assert result.total == Decimal(9000)


def test_it_computes_the_states_compensation_for_the_whole_reception(cast, agreement):
    # given the state's 2022 rates, and a partner rate that must not count for the state
    _rate(agreement, RateKind.ADULT_NIGHT, 300, scheme=Scheme.STATE)
    _rate(agreement, RateKind.CHILD_NIGHT, 150, scheme=Scheme.STATE)
    _rate(agreement, RateKind.MOVE_IN, 15000, scheme=Scheme.STATE)
    _rate(agreement, RateKind.NEW_PLACE, 10000, scheme=Scheme.STATE)
    _rate(agreement, RateKind.NEW_PLACE, 99, organisation=cast.org_a)
    # when: March 2022, when sites A and B (4 beds each) opened on the 15th, nobody yet lived
    result = compensation(scheme=Scheme.STATE, year=2022, month=3, agreement=agreement)
    # then the state pays 10 000 SEK per place made available
    assert [(line.kind, line.quantity) for line in result.lines] == [(RateKind.NEW_PLACE, 8)]
    assert result.total == Decimal(80000)


def test_it_shows_what_no_rate_pays_for(cast, agreement, september_at_b):
    # given a place-day rate for host homes only
    _rate(agreement, RateKind.PLACE_DAY, 100, site_kind=SiteKind.HOST_HOME)
    # when
    result = compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=agreement, organisation=cast.org_b
    )
    # then the collective site's place-days are shown as not covered, and nothing is paid
    assert result.total == 0
    assert result.uncovered == ((RateKind.PLACE_DAY, SiteKind.COLLECTIVE_SELF, 120),)


def test_it_pays_nothing_in_a_month_the_agreement_does_not_run(cast, agreement, september_at_b):
    # given an agreement that ended in August, with a rate
    _rate(agreement, RateKind.ADULT_NIGHT, 300)
    agreement.ends_on = D(2022, 8, 31)
    agreement.save()
    # when
    result = compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=agreement, organisation=cast.org_b
    )
    # then
    assert result.agreement is None
    assert result.lines == ()


def test_it_pays_each_agreement_for_its_own_sites_at_its_own_rates(cast, agreement, september_at_b):
    # given partner B in a second agreement with its own rate and a site of its own (2 beds,
    # open all September), and its first site under the first agreement
    from tillsammans.core.factories import SiteFactory, UnitFactory
    from tillsammans.partnership.models import Agreement

    cast.site_b.agreement = agreement
    cast.site_b.save()
    other = Agreement.objects.create(name="IOP 2", starts_on=D(2022, 6, 1))
    other.parties.add(cast.city, cast.org_b, through_defaults={"joined_on": D(2022, 6, 1)})
    site = SiteFactory(organisation=cast.org_b, agreement=other, opens_on=D(2022, 6, 1))
    UnitFactory(site=site, beds=2)
    _rate(agreement, RateKind.PLACE_DAY, 100)
    _rate(other, RateKind.PLACE_DAY, 7, valid_from=D(2022, 6, 1))
    # when
    first = compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=agreement, organisation=cast.org_b
    )
    second = compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=other, organisation=cast.org_b
    )
    # then each pays its own site's place-days at its own rate, and nothing of the other's
    assert [(line.quantity, line.rate.amount) for line in first.lines] == [(4 * 30, 100)]
    assert [(line.quantity, line.rate.amount) for line in second.lines] == [(2 * 30, 7)]


def test_it_pays_an_unaccompanied_young_persons_nights_at_the_states_rates_for_minors(
    cast, agreement
):
    # given the state's rates per child and adult night, and its own rates for unaccompanied
    # minors (1 900 a night under 18, 750 from 18, 2016 levels), and an unaccompanied
    # 17-year-old in partner B's place from 1 September who turns 18 on the 15th
    _rate(agreement, RateKind.ADULT_NIGHT, 300, scheme=Scheme.STATE)
    _rate(agreement, RateKind.CHILD_NIGHT, 150, scheme=Scheme.STATE)
    _rate(agreement, RateKind.UNACCOMPANIED_CHILD, 1900, scheme=Scheme.STATE)
    _rate(agreement, RateKind.UNACCOMPANIED_YOUNG, 750, scheme=Scheme.STATE)
    stay = stayed_before_the_rule(cast.unit_b, D(2022, 9, 1), D(2004, 9, 15))
    stay.household.unaccompanied = True
    stay.household.save(update_fields=["unaccompanied"])
    # when
    result = compensation(scheme=Scheme.STATE, year=2022, month=9, agreement=agreement)
    # then the young person's nights are paid as an unaccompanied child's before the
    # birthday and a young person's from it, and never also as a child's or adult's (those
    # are the cast's household's alone: an adult and a child, 30 nights each)
    paid = {line.kind: (line.quantity, line.amount) for line in result.lines}
    assert paid == {
        RateKind.UNACCOMPANIED_CHILD: (14, Decimal(14 * 1900)),
        RateKind.UNACCOMPANIED_YOUNG: (16, Decimal(16 * 750)),
        RateKind.ADULT_NIGHT: (30, Decimal(30 * 300)),
        RateKind.CHILD_NIGHT: (30, Decimal(30 * 150)),
    }


def test_a_rate_for_unaccompanied_minors_starts_on_its_day(cast, agreement):
    # given the state's rate for unaccompanied children lowered from 16 September
    _rate(agreement, RateKind.UNACCOMPANIED_CHILD, 1900, scheme=Scheme.STATE)
    _rate(
        agreement, RateKind.UNACCOMPANIED_CHILD, 1350, valid_from=D(2022, 9, 16),
        scheme=Scheme.STATE,
    )  # fmt: skip
    stay = stayed_before_the_rule(cast.unit_b, D(2022, 9, 1), D(2008, 1, 1))
    stay.household.unaccompanied = True
    stay.household.save(update_fields=["unaccompanied"])
    # when
    result = compensation(scheme=Scheme.STATE, year=2022, month=9, agreement=agreement)
    # then 15 nights at the old rate and 15 at the new
    paid = [(line.quantity, line.rate.amount) for line in result.lines]
    assert paid == [(15, Decimal(1900)), (15, Decimal(1350))]


def test_without_rates_for_minors_an_unaccompanied_childs_nights_are_a_childs(cast, agreement):
    # given only the ordinary rates (as in 2022), and an unaccompanied 16-year-old
    _rate(agreement, RateKind.ADULT_NIGHT, 300, scheme=Scheme.STATE)
    _rate(agreement, RateKind.CHILD_NIGHT, 150, scheme=Scheme.STATE)
    stay = stayed_before_the_rule(cast.unit_b, D(2022, 9, 1), D(2006, 1, 1))
    stay.household.unaccompanied = True
    stay.household.save(update_fields=["unaccompanied"])
    # when
    result = compensation(scheme=Scheme.STATE, year=2022, month=9, agreement=agreement)
    # then the child's 30 nights are paid as a child's, beside the cast's household's
    paid = {line.kind: line.quantity for line in result.lines}
    assert paid == {RateKind.ADULT_NIGHT: 30, RateKind.CHILD_NIGHT: 30 + 30}
    assert not result.uncovered


def test_an_unaccompanied_person_of_21_is_paid_as_an_adult(cast, agreement):
    # given the rates for minors, and an unaccompanied young person who turns 21 on the 11th
    _rate(agreement, RateKind.ADULT_NIGHT, 300, scheme=Scheme.STATE)
    _rate(agreement, RateKind.UNACCOMPANIED_YOUNG, 750, scheme=Scheme.STATE)
    stay = stayed_before_the_rule(cast.unit_b, D(2022, 9, 1), D(2001, 9, 11))
    stay.household.unaccompanied = True
    stay.household.save(update_fields=["unaccompanied"])
    # when
    result = compensation(scheme=Scheme.STATE, year=2022, month=9, agreement=agreement)
    # then 10 nights at the rate for 18–20, 20 as an adult's (and the cast's adult's 30)
    paid = {line.kind: line.quantity for line in result.lines}
    assert paid == {RateKind.UNACCOMPANIED_YOUNG: 10, RateKind.ADULT_NIGHT: 20 + 30}
