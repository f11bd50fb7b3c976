"""Food coupons in a real browser: partner A issues and prints one; the shop redeems it once."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tillsammans.coupons.models import Coupon, CouponStatus, Shop

from .test_reception_flow import log_in, log_out, server_errors

pytestmark = [pytest.mark.e2e]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e-screenshots"


def test_it_issues_prints_and_redeems_a_coupon_once(page, cast):
    # given: partner B runs the social supermarket
    errors = server_errors(page)
    Shop.objects.create(organisation=cast.org_b, name="Maträttsbutiken B", address="Storgatan 1")
    log_in(page, cast.a_staff)
    # when: partner A's staff issue a coupon to household A
    page.goto("/coupons/issue/")
    page.get_by_label("Hushållsreferens").fill("H-A")
    page.get_by_label("Värde (kr)").fill("250")
    until = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Giltig till och med").fill(until.isoformat())
    page.get_by_test_id("issue").click()
    page.wait_for_url(re.compile(r"/coupons/[0-9a-f-]{36}/$"))
    coupon = Coupon.objects.get()
    # then: the coupon page shows its code, and the printable page a QR code without a name
    expect(page.get_by_test_id("coupon-code")).to_have_text(coupon.display_code)
    page.get_by_test_id("print").click()
    expect(page.get_by_test_id("printed-code")).to_have_text(coupon.display_code)
    expect(page.locator("svg.segno")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("H-A")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "coupon-print.png"), full_page=True)
    log_out(page)
    # when: the shop's staff check the code typed in lower case, then redeem 199,50 kr
    log_in(page, cast.b_staff)
    page.goto("/coupons/redeem/")
    page.locator("#check-code").fill(coupon.display_code.lower())
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("found")).to_contain_text("250")
    expect(page.locator("main")).not_to_contain_text("H-A")
    page.get_by_label("Köpbelopp (kr)").fill("199,50")
    page.get_by_test_id("redeem").click()
    # then
    expect(page.locator(".messages li.success")).to_contain_text(coupon.display_code)
    # when: the same code comes back to the counter
    page.locator("#check-code").fill(coupon.display_code)
    page.get_by_test_id("check").click()
    # then: it is refused as already used
    expect(page.get_by_test_id("refusal")).to_have_text("Kupongen är redan använd.")
    page.screenshot(path=str(SCREENSHOTS / "coupon-redeem.png"), full_page=True)
    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.REDEEMED
    assert str(coupon.redeemed_amount) == "199.50"
    assert errors == []
