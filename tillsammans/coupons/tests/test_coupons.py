"""Issuing, redeeming and cancelling food coupons: the rules a counter and a case worker meet."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.coupons import codes
from tillsammans.coupons.models import Coupon, CouponStatus, Shop
from tillsammans.coupons.selectors import ledger, monthly_figures, visible_coupons
from tillsammans.coupons.services import coupon_cancel, coupon_issue, coupon_redeem
from tillsammans.partnership.models import Organisation

from .conftest import ISSUED_ON, VALID_UNTIL

SHOPPING_DAY = dt.date(2022, 10, 12)


def _refused(expected: str, call, **kwargs) -> ServiceError:
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        call(**kwargs)
    assert refused.value.code == expected, refused.value.message
    return refused.value


def test_it_issues_a_coupon_to_a_household_living_at_the_issuers_site(cast, coupon_a):
    # then
    assert coupon_a.issuer == cast.org_a
    assert coupon_a.status == CouponStatus.ISSUED
    assert codes.is_well_formed(coupon_a.code)
    assert AuditEvent.objects.filter(object_id=str(coupon_a.public_id), action="create").exists()


def test_it_refuses_a_coupon_for_a_household_living_with_another_partner(cast, shop_b):
    # when / then: partner B staff cannot issue to partner A's resident
    _refused(
        "not_a_resident",
        coupon_issue,
        actor=cast.b_staff,
        household=cast.household_a,
        shop=shop_b,
        value_sek=200,
        valid_until=VALID_UNTIL,
        on=ISSUED_ON,
    )
    assert not Coupon.objects.exists()


def test_it_lets_the_coordinator_issue_to_any_household(cast, shop_b):
    # given
    household = HouseholdFactory()
    PersonFactory(household=household)
    # when
    coupon = coupon_issue(
        actor=cast.coordinator,
        household=household,
        shop=shop_b,
        value_sek=150,
        valid_until=VALID_UNTIL,
        on=ISSUED_ON,
    )
    # then
    assert coupon.issuer == cast.city


@pytest.mark.parametrize(
    ("value", "until", "expected"),
    [
        (0, VALID_UNTIL, "bad_value"),
        (100_000, VALID_UNTIL, "bad_value"),
        (200, ISSUED_ON - dt.timedelta(days=1), "bad_dates"),
        (200, ISSUED_ON + dt.timedelta(days=400), "bad_dates"),
    ],
)
def test_it_refuses_a_value_or_validity_out_of_range(cast, shop_b, value, until, expected):
    _refused(
        expected,
        coupon_issue,
        actor=cast.a_staff,
        household=cast.household_a,
        shop=shop_b,
        value_sek=value,
        valid_until=until,
        on=ISSUED_ON,
    )


def test_it_refuses_a_viewer_issuing_a_coupon(cast, shop_b):
    _refused(
        "permission_denied",
        coupon_issue,
        actor=cast.a_viewer,
        household=cast.household_a,
        shop=shop_b,
        value_sek=200,
        valid_until=VALID_UNTIL,
    )


def test_it_redeems_a_coupon_once_for_a_purchase_up_to_its_value(cast, coupon_a):
    # when: the shop's staff type the printed code in lower case
    coupon = coupon_redeem(
        actor=cast.b_staff,
        code=coupon_a.display_code.lower(),
        amount="245,50",
        on=SHOPPING_DAY,
    )
    # then
    assert coupon.status == CouponStatus.REDEEMED
    assert coupon.redeemed_amount == Decimal("245.50")
    assert coupon.redeemed_on == SHOPPING_DAY
    # and a second use is refused with "already used"
    refused = _refused(
        "already_used",
        coupon_redeem,
        actor=cast.b_staff,
        code=coupon_a.code,
        amount="10",
        on=SHOPPING_DAY,
    )
    assert str(refused.message) == "This coupon has already been used."


def test_it_refuses_a_purchase_above_the_value_and_keeps_the_coupon_usable(cast, coupon_a):
    # when
    refused = _refused(
        "amount_exceeds",
        coupon_redeem,
        actor=cast.b_staff,
        code=coupon_a.code,
        amount="300.01",
        on=SHOPPING_DAY,
    )
    # then
    assert "exceeds the coupon's value (300 SEK)" in str(refused.message)
    coupon_a.refresh_from_db()
    assert coupon_a.status == CouponStatus.ISSUED
    assert coupon_redeem(actor=cast.b_staff, code=coupon_a.code, amount="300", on=SHOPPING_DAY)


def test_it_refuses_an_expired_coupon(cast, coupon_a):
    refused = _refused(
        "expired",
        coupon_redeem,
        actor=cast.b_staff,
        code=coupon_a.code,
        amount="50",
        on=VALID_UNTIL + dt.timedelta(days=1),
    )
    assert "expired" in str(refused.message)


def test_it_accepts_a_coupon_on_its_last_valid_day(cast, coupon_a):
    assert coupon_redeem(actor=cast.b_staff, code=coupon_a.code, amount="50", on=VALID_UNTIL)


def test_it_tells_a_typing_error_from_an_unknown_code(cast, coupon_a):
    # given: one character of the real code mistyped, and a well-formed code never issued
    wrong = ("3" if coupon_a.code[0] != "3" else "4") + coupon_a.code[1:]
    body = "23456789ABC"
    never_issued = body + codes.check_character(body)
    # then
    _refused("typing_error", coupon_redeem, actor=cast.b_staff, code=wrong, amount="5")
    _refused("typing_error", coupon_redeem, actor=cast.b_staff, code="0O1I", amount="5")
    refused = _refused(
        "unknown_code", coupon_redeem, actor=cast.b_staff, code=never_issued, amount="5"
    )
    assert "No coupon" in str(refused.message)


@pytest.mark.parametrize("amount", ["", "abc", "-5", "0", "1e3x", "12.345", "NaN", "inf"])
def test_it_refuses_an_amount_that_is_not_a_sum_of_money(cast, coupon_a, amount):
    _refused(
        "bad_amount",
        coupon_redeem,
        actor=cast.b_staff,
        code=coupon_a.code,
        amount=amount,
        on=SHOPPING_DAY,
    )


def test_it_answers_unknown_code_to_a_shop_that_the_coupon_is_not_for(cast, coupon_a):
    # given: partner A also runs a shop of its own
    Shop.objects.create(organisation=cast.org_a, name="Butik A")
    # when: partner A's staff try partner B's shop's coupon
    _refused(
        "unknown_code",
        coupon_redeem,
        actor=cast.a_staff,
        code=coupon_a.code,
        amount="5",
        on=SHOPPING_DAY,
    )


def test_it_lets_only_staff_of_a_shop_organisation_redeem(cast, coupon_a):
    _refused("permission_denied", coupon_redeem, actor=cast.a_staff, code=coupon_a.code, amount="5")
    _refused(
        "permission_denied", coupon_redeem, actor=cast.coordinator, code=coupon_a.code, amount="5"
    )


def test_it_cancels_a_coupon_which_can_then_not_be_used(cast, coupon_a):
    # when
    coupon_cancel(actor=cast.a_admin, coupon=coupon_a, reason="Fel hushåll", on=ISSUED_ON)
    # then
    refused = _refused(
        "cancelled",
        coupon_redeem,
        actor=cast.b_staff,
        code=coupon_a.code,
        amount="5",
        on=SHOPPING_DAY,
    )
    assert "cancelled" in str(refused.message)


def test_it_refuses_to_cancel_a_used_coupon_or_another_issuers_coupon(cast, coupon_a):
    # given
    coupon_redeem(actor=cast.b_staff, code=coupon_a.code, amount="100", on=SHOPPING_DAY)
    # then
    _refused("not_cancellable", coupon_cancel, actor=cast.a_staff, coupon=coupon_a)
    _refused("permission_denied", coupon_cancel, actor=cast.b_staff, coupon=coupon_a)


def test_it_shows_partner_b_none_of_partner_as_coupons(cast, coupon_a):
    # then
    assert list(visible_coupons(cast.b_staff)) == []
    assert list(visible_coupons(cast.a_viewer)) == []
    assert list(visible_coupons(cast.a_staff)) == [coupon_a]
    assert list(visible_coupons(cast.coordinator)) == [coupon_a]


def _issue(cast, shop, value, on, until):
    return coupon_issue(
        actor=cast.a_staff,
        household=cast.household_a,
        shop=shop,
        value_sek=value,
        valid_until=until,
        on=on,
    )


def test_it_keeps_a_monthly_ledger_per_issuing_partner(cast, shop_b):
    # given: October: four coupons issued; one used, one cancelled, one left to expire
    used = _issue(cast, shop_b, 300, dt.date(2022, 10, 3), dt.date(2022, 10, 31))
    cancelled = _issue(cast, shop_b, 200, dt.date(2022, 10, 4), dt.date(2022, 10, 31))
    _expired = _issue(cast, shop_b, 100, dt.date(2022, 10, 5), dt.date(2022, 10, 20))
    _issue(cast, shop_b, 400, dt.date(2022, 10, 6), dt.date(2022, 11, 30))
    coupon_redeem(actor=cast.b_staff, code=used.code, amount="250.40", on=dt.date(2022, 10, 7))
    coupon_cancel(actor=cast.a_staff, coupon=cancelled, on=dt.date(2022, 10, 8))
    # when
    (line,) = ledger(
        2022, 10, Organisation.objects.filter(pk=cast.org_a.pk), today=dt.date(2022, 11, 15)
    )
    figures = monthly_figures(2022, 10)
    # then
    assert (line.issued, line.issued_sek) == (4, 1000)
    assert (line.redeemed, line.redeemed_value_sek) == (1, 300)
    assert line.redeemed_amount_sek == Decimal("250.40")
    assert (line.expired, line.expired_sek) == (1, 100)
    assert (line.cancelled, line.cancelled_sek) == (1, 200)
    assert figures[cast.org_a.pk]["coupons_issued"] == 4
    assert figures[cast.org_a.pk]["coupon_sek_issued"] == 1000
    assert figures[cast.org_a.pk]["coupons_redeemed"] == 1
    assert figures[cast.org_a.pk]["coupon_sek_redeemed"] == 250
    assert figures[cast.org_b.pk] == {"coupons_taken": 1, "coupon_sek_taken": 250}
    assert monthly_figures(2022, 9) == {}
