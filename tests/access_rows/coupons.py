"""Food coupons: the issuer's pages are partner A's (where household A lives); the counter
is for staff of the organisation running the shop (partner B here); the ledger is figures."""

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.access import MEMBERS, PARTNER_A_PEOPLE, PEOPLE, REDIRECT, Row, closed


def _shop(cast: Any) -> Any:
    from tillsammans.coupons.models import Shop

    return Shop.objects.get_or_create(organisation=cast.org_b, name="Maträttsbutiken B")[0]


def _coupon(cast: Any) -> Any:
    from tillsammans.coupons.services import coupon_issue

    return coupon_issue(
        actor=cast.a_staff,
        household=cast.household_a,
        shop=_shop(cast),
        value_sek=300,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )


def coupon_a(cast: Any) -> dict[str, Any]:
    return {"public_id": _coupon(cast).public_id}


def _issue_data(cast: Any) -> dict[str, Any]:
    return {
        "household": cast.household_a.reference,
        "shop": _shop(cast).pk,
        "value_sek": 200,
        "valid_until": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
    }


def _redeem_data(cast: Any) -> dict[str, Any]:
    return {"code": _coupon(cast).display_code, "amount": "120,50"}


def _shop_data(cast: Any) -> dict[str, Any]:
    return {"organisation": cast.org_a.slug, "name": "Butik A", "address": "Storgatan 1"}


ROWS = [
    Row("coupon_list", closed(**PEOPLE)),
    Row("coupon_list", closed(**PEOPLE), query="q=H-A&state=issued", case="filtered"),
    Row("coupon_issue", closed(**PEOPLE)),
    # Partner B's staff get the form back: household A does not live at their sites.
    Row(
        "coupon_issue",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT, b_staff=200),
        method="post",
        data=_issue_data,
    ),
    Row("coupon_detail", closed(**PARTNER_A_PEOPLE), kwargs=coupon_a),
    Row("coupon_print", closed(**PARTNER_A_PEOPLE), kwargs=coupon_a),
    Row("coupon_cancel", closed(**{role: 405 for role in PEOPLE}), kwargs=coupon_a),
    Row(
        "coupon_cancel",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=coupon_a,
        method="post",
        data=lambda cast: {"reason": "Fel belopp"},
    ),
    Row("coupon_redeem", closed(**PEOPLE)),
    Row(
        "coupon_redeem",
        closed(**PEOPLE),
        query="code=ABCD-EFGH-JKLM",
        case="checking a code",
    ),
    # Only the shop's organisation redeems; everyone else sees that they run no shop.
    Row(
        "coupon_redeem",
        closed(coordinator=200, a_admin=200, a_staff=200, b_staff=REDIRECT),
        method="post",
        data=_redeem_data,
    ),
    Row("coupon_ledger", closed(**MEMBERS)),
    Row("coupon_ledger", closed(**MEMBERS), query="month=2022-10", case="a month"),
    Row("coupon_ledger", closed(**MEMBERS), query="month=oktober", case="a bad month"),
    Row("coupon_ledger_export", closed(**MEMBERS), query="month=2022-10"),
    Row(
        "coupon_ledger_export",
        closed(**{role: REDIRECT for role in MEMBERS}),
        query="month=oktober",
        case="a bad month",
    ),
    Row("shop_list", closed(**MEMBERS)),
    Row(
        "shop_list",
        closed(
            coordinator=REDIRECT,
            a_admin=REDIRECT,
            a_staff=200,
            a_viewer=200,
            b_staff=200,
            case_worker=200,
        ),
        method="post",
        data=_shop_data,
    ),
]
