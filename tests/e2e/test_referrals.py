"""A referral between partners in a real browser: consent, refer, accept, deliver, done."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tillsammans.addedvalues.models import Delivery, Service, ServiceCategory
from tillsammans.referrals.models import Referral, ReferralStatus

from .test_reception_flow import log_in, log_out, server_errors, sv_or_en

pytestmark = [pytest.mark.e2e]


def test_it_refers_a_resident_to_partner_b_who_accepts_delivers_and_marks_it_done(page, cast):
    # given: partner B offers a job coaching service; Olena lives at partner A's site
    errors = server_errors(page)
    service = Service.objects.create(
        organisation=cast.org_b,
        name_sv="Jobbstart Ukraina",
        name_en="Jobbstart Ukraina",
        category=ServiceCategory.WORK,
    )
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    log_in(page, cast.a_staff)

    # when: partner A staff finds her and records her consent
    page.goto("/referrals/")
    page.locator("main input[name=q]").fill("Olena")
    page.locator("main form[role=search] button[type=submit]").click()
    page.get_by_test_id("consent-and-referrals").first.click()
    page.get_by_test_id("refer").click()
    # then: without consent the form says so
    expect(page.get_by_test_id("no-consent")).to_be_visible()
    page.go_back()
    page.get_by_test_id("record-consent").click()
    page.locator("select[name=person]").select_option(str(olena.public_id))
    for scope in ("name_contact", "languages", "reason"):
        page.locator(f"input[name=scopes][value={scope}]").check()
    page.locator(f"input[name=partners][value={cast.org_b.slug}]").check()
    page.locator("select[name=explained_in]").select_option("uk")
    page.get_by_test_id("save-consent").click()
    page.wait_for_url(re.compile(r"/referrals/households/[0-9a-f-]{36}/$"))

    # when: she is referred to partner B's service
    page.get_by_test_id("refer").click()
    page.locator("select[name=person]").select_option(str(olena.public_id))
    page.locator("select[name=service]").select_option(str(service.public_id))
    page.locator("input[name=contact]").fill("070-123 45 67")
    page.locator("textarea[name=reason]").fill("Vill arbeta som undersköterska")
    page.get_by_test_id("send-referral").click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    # then
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", "sent")
    referral = Referral.objects.get()
    log_out(page)

    # when: partner B staff opens its inbox, accepts, records the delivery and marks it done
    log_in(page, cast.b_staff)
    page.goto("/referrals/")
    page.get_by_test_id(f"referral-{referral.public_id}").get_by_role("link").click()
    shared = page.get_by_test_id("shared")
    expect(shared).to_contain_text("Олена Шевченко")
    expect(shared).to_contain_text("Vill arbeta som undersköterska")
    expect(shared).not_to_contain_text("Марія")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", "accepted")
    page.locator("input[name=on]").fill(timezone.localdate().isoformat())
    page.locator("input[name=note]").fill("Första coachingsamtalet")
    page.get_by_test_id("mark-done").click()
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", "done")
    # and partner B still cannot open the household itself
    response = page.goto(f"/households/{cast.household_a.public_id}/")
    assert response is not None and response.status == 404
    log_out(page)

    # then: partner A sees "done"
    log_in(page, cast.a_staff)
    page.goto("/referrals/?box=sent")
    row = page.get_by_test_id(f"referral-{referral.public_id}")
    expect(row.locator(".badge")).to_have_text(sv_or_en(ReferralStatus.DONE.label, exact=True))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    assert referral.delivery == Delivery.objects.get(service=service)
    assert errors == []
