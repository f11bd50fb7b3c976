"""The coupon pages: issue and print, the shop's counter, cancelling, the ledger."""

import datetime as dt
import io
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.page_text import shown_text
from tillsammans.core.models import AuditEvent
from tillsammans.coupons.models import Coupon, CouponStatus
from tillsammans.coupons.services import coupon_issue


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _today_coupon(cast, shop, value=300):
    return coupon_issue(
        actor=cast.a_staff,
        household=cast.household_a,
        shop=shop,
        value_sek=value,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )


def test_it_issues_a_coupon_from_the_form_and_prints_it_with_a_qr_code(cast, client, shop_b):
    # given
    client.force_login(cast.a_staff)
    until = timezone.localdate() + dt.timedelta(days=20)
    # when
    response = client.post(
        reverse("coupon_issue"),
        {"household": "h-a", "shop": shop_b.pk, "value_sek": 250, "valid_until": until},
    )
    coupon = Coupon.objects.get()
    printed = client.get(reverse("coupon_print", args=[coupon.public_id]))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("coupon_detail", args=[coupon.public_id])
    assert coupon.value_sek == 250
    assert printed.status_code == 200
    assert coupon.display_code in printed.text
    assert "<svg" in printed.text
    # the paper names no person: the household's reference and names stay off it
    shown = shown_text(printed).replace(coupon.display_code, "")
    assert cast.household_a.reference not in shown
    assert "Olena" not in shown


def test_it_keeps_the_form_with_a_message_for_a_household_not_living_at_your_sites(
    cast, client, shop_b
):
    # given
    english(client)
    client.force_login(cast.b_staff)
    # when
    response = client.post(
        reverse("coupon_issue"),
        {
            "household": "H-A",
            "shop": shop_b.pk,
            "value_sek": 250,
            "valid_until": timezone.localdate(),
        },
    )
    # then
    assert response.status_code == 200
    assert "No household with this reference lives at one of your sites." in response.text
    assert not Coupon.objects.exists()


def test_it_redeems_at_the_counter_and_refuses_a_second_time_with_already_used(
    cast, client, shop_b
):
    # given
    english(client)
    coupon = _today_coupon(cast, shop_b)
    client.force_login(cast.b_staff)
    url = reverse("coupon_redeem")
    # when: the code is checked, then redeemed, then tried again
    checked = client.get(url, {"code": coupon.display_code})
    first = client.post(url, {"code": coupon.display_code, "amount": "199,90"}, follow=True)
    again = client.post(url, {"code": coupon.display_code, "amount": "5"})
    # then
    assert checked.status_code == 200
    assert checked.context["found"] == coupon
    assert "300" in checked.text
    # the shop sees no person
    assert cast.household_a.reference not in shown_text(checked).replace(coupon.display_code, "")
    assert "was redeemed for 199.90 SEK of its 300 SEK" in first.text
    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.REDEEMED
    assert again.status_code == 200
    assert "This coupon has already been used." in again.text


def test_it_answers_the_counter_in_swedish_by_default(cast, client, shop_b):
    # given
    coupon = _today_coupon(cast, shop_b, value=100)
    client.force_login(cast.b_staff)
    # when
    response = client.post(reverse("coupon_redeem"), {"code": coupon.code, "amount": "150"})
    # then
    assert response.status_code == 200
    assert "överstiger" in response.text


def test_it_shows_an_unknown_code_and_a_typing_error_as_messages(cast, client, shop_b):
    # given
    english(client)
    client.force_login(cast.b_staff)
    # when
    typo = client.get(reverse("coupon_redeem"), {"code": "ABCD-EFGH-JKLM"})
    # then
    assert typo.status_code == 200
    assert "This is not a valid coupon code" in typo.text


def test_it_tells_staff_of_an_organisation_without_a_shop_that_there_is_nothing_to_redeem(
    cast, client, shop_b
):
    # given
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("coupon_redeem"))
    # then
    assert response.status_code == 200
    assert response.context["organisation"] is None


def test_it_cancels_a_coupon_from_its_page(cast, client, shop_b):
    # given
    coupon = _today_coupon(cast, shop_b)
    client.force_login(cast.a_admin)
    # when
    response = client.post(
        reverse("coupon_cancel", args=[coupon.public_id]), {"reason": "Fel hushåll"}
    )
    # then
    assert response.status_code == 302
    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.CANCELLED
    assert coupon.cancel_reason == "Fel hushåll"


def test_it_answers_partner_b_with_the_same_404_for_partner_as_coupon_as_for_none(
    cast, client_as, shop_b
):
    # given
    coupon = _today_coupon(cast, shop_b)
    outsider = client_as("b_staff")
    # when
    for name in ("coupon_detail", "coupon_print"):
        theirs = outsider.get(reverse(name, args=[coupon.public_id]))
        missing = outsider.get(reverse(name, args=[uuid.uuid4()]))
        # then
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
    cancel = outsider.post(reverse("coupon_cancel", args=[coupon.public_id]))
    assert cancel.status_code == 404
    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.ISSUED


def test_it_audits_who_looked_at_a_coupon(cast, client, shop_b):
    # given
    coupon = _today_coupon(cast, shop_b)
    client.force_login(cast.coordinator)
    # when
    client.get(reverse("coupon_detail", args=[coupon.public_id]))
    # then
    assert AuditEvent.objects.filter(
        actor=cast.coordinator, action="view", object_id=str(coupon.public_id)
    ).exists()


def test_it_shows_each_organisation_only_its_own_ledger_line(cast, client_as, shop_b):
    # given
    _today_coupon(cast, shop_b)
    month = timezone.localdate().strftime("%Y-%m")
    # when
    a_page = client_as("a_viewer").get(reverse("coupon_ledger"), {"month": month})
    b_page = client_as("b_staff").get(reverse("coupon_ledger"), {"month": month})
    city_page = client_as("coordinator").get(reverse("coupon_ledger"), {"month": month})
    # then
    (a_line,) = a_page.context["lines"]
    assert (a_line.organisation, a_line.issued, a_line.issued_sek) == (cast.org_a, 1, 300)
    (b_line,) = b_page.context["lines"]
    assert (b_line.organisation, b_line.issued) == (cast.org_b, 0)
    assert {line.organisation for line in city_page.context["lines"]} == {cast.org_a, cast.city}


def test_it_exports_the_ledger_as_a_spreadsheet_without_formulas(cast, client, shop_b):
    # given: an organisation whose name a spreadsheet would run as a formula
    cast.org_a.name = '=HYPERLINK("http://evil.example","A")'
    cast.org_a.save()
    _today_coupon(cast, shop_b, value=300)
    client.force_login(cast.a_admin)
    month = timezone.localdate().strftime("%Y-%m")
    # when
    response = client.get(reverse("coupon_ledger_export"), {"month": month})
    # then
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "'" + cast.org_a.name
    assert rows[1][1:3] == (1, 300)
    assert AuditEvent.objects.filter(action="export", object_type="coupons.ledger").exists()


def test_it_says_on_the_issue_form_when_no_shop_takes_coupons(cast, client):
    # given: no shop at all
    english(client)
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("coupon_issue"))
    # then
    assert response.status_code == 200
    assert "No social supermarket takes coupons yet" in response.text
