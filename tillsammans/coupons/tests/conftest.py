"""Coupons' fixtures: partner B runs the social supermarket; partner A issues coupons."""

import datetime as dt
from typing import Any

import pytest

from tests.conftest import client_as  # noqa: F401 -- the cross-cutting suites' fixture
from tillsammans.coupons.models import Coupon, Shop
from tillsammans.coupons.services import coupon_issue

ISSUED_ON = dt.date(2022, 10, 3)
VALID_UNTIL = dt.date(2022, 10, 31)


@pytest.fixture
def shop_b(cast: Any) -> Shop:
    return Shop.objects.create(organisation=cast.org_b, name="Maträttsbutiken B")


@pytest.fixture
def coupon_a(cast: Any, shop_b: Shop) -> Coupon:
    return coupon_issue(
        actor=cast.a_staff,
        household=cast.household_a,
        shop=shop_b,
        value_sek=300,
        valid_until=VALID_UNTIL,
        on=ISSUED_ON,
    )
