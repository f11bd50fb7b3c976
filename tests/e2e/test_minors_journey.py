"""An unaccompanied child's journey in a real browser: a 15-year-old arrives and the case
worker registers them, a guardian is appointed, the case worker decides a placement in a
licensed HVB home and places the child, a mentor with a checked record is linked, a revised
date of birth puts the young person on the turning-18 list, and they move to supported
housing on a decision that continues the placement."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tillsammans.core.factories import LicenceFactory, UnitFactory
from tillsammans.minors.models import ChildCase
from tillsammans.minors.services import child_volunteer_record
from tillsammans.reception.models import Stay
from tillsammans.training.services import volunteer_create

from .test_reception_flow import log_in, log_out, server_errors

pytestmark = [pytest.mark.e2e]


def _save(page):
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()


def test_it_follows_a_child_from_arrival_to_supported_housing(page, live_server, cast):
    # given partner A's licensed HVB home, partner B's supported housing (16–20), and
    # partner A's mentor whose criminal-record extract was issued a month ago
    today = timezone.localdate()
    hvb = LicenceFactory.create(
        site__organisation=cast.org_a, site__name="HVB Solrosen",
        valid_from=today - dt.timedelta(days=400),
    ).site  # fmt: skip
    UnitFactory.create(site=hvb, name="Rum 1", beds=2)
    supported = LicenceFactory.create(
        site__organisation=cast.org_b, site__name="Stödboende Kajen", site__kind="supported",
        min_age=16, valid_from=today - dt.timedelta(days=400),
    ).site  # fmt: skip
    UnitFactory.create(site=supported, name="Lgh 1", beds=1)
    mentor = volunteer_create(actor=cast.a_staff, alias="Erik", helps_with="Fadder")
    child_volunteer_record(
        actor=cast.a_staff, volunteer=mentor, kind="mentor",
        record_issued_on=today - dt.timedelta(days=30),
    )  # fmt: skip
    errors = server_errors(page)
    log_in(page, cast.case_worker)

    # when a 15-year-old arrives and the case worker registers them
    page.goto("/minors/")
    page.get_by_test_id("register-child").click()
    page.locator("input[name=first_name]").fill("علی")
    page.locator("input[name=last_name]").fill("احمدی")
    page.locator("input[name=first_name_latin]").fill("Ali")
    page.locator("input[name=last_name_latin]").fill("Ahmadi")
    page.locator("input[name=birth_date]").fill(str(today - dt.timedelta(days=15 * 365 + 40)))
    page.locator("select[name=basis]").select_option("assessed")
    page.locator("select[name=sex]").select_option("male")
    page.locator("input[name=languages]").fill("prs")
    page.locator("input[name=allocated_on]").fill(str(today - dt.timedelta(days=3)))
    _save(page)
    page.wait_for_url(re.compile(r"/minors/[0-9a-f-]{36}/$"))
    case_url = page.url
    expect(page.get_by_test_id("child-name")).to_contain_text("Ali Ahmadi")

    # and a god man is appointed
    page.get_by_test_id("add-guardian").click()
    page.locator("input[name=name]").fill("Karin Andersson")
    page.locator("input[name=appointed_on]").fill(str(today - dt.timedelta(days=2)))
    _save(page)
    expect(page.get_by_test_id("guardians")).to_contain_text("Karin Andersson")

    # and the case worker decides a placement in the HVB home and places the child
    page.get_by_test_id("add-decision").click()
    page.locator("select[name=site]").select_option(str(hvb.public_id))
    page.locator("input[name=decided_on]").fill(str(today - dt.timedelta(days=1)))
    page.locator("input[name=valid_from]").fill(str(today - dt.timedelta(days=1)))
    _save(page)
    page.get_by_test_id("place-child").click()
    _save(page)
    # then the child lives in the home
    expect(page.get_by_test_id("lives-in")).to_contain_text("HVB Solrosen")

    # when the mentor is linked with the child's and the guardian's agreement
    page.get_by_test_id("add-volunteer").click()
    page.locator("select[name=volunteer]").select_option(index=1)
    _save(page)
    # then the case shows the mentor
    expect(page.get_by_test_id("volunteer-links")).to_contain_text("Erik")

    # when the Migration Agency revises the date of birth: 18 twenty days ago
    page.get_by_test_id("add-birth-date").click()
    page.locator("input[name=birth_date]").fill(
        str(today.replace(year=today.year - 18) - dt.timedelta(days=20))
    )
    page.locator("select[name=basis]").select_option("revised")
    page.locator("input[name=decided_on]").fill(str(today))
    _save(page)
    # then the young person is on the turning-18 list at once, as already 18
    page.goto("/minors/turning-18/")
    expect(page.get_by_test_id("turning-18")).to_contain_text("Ali Ahmadi")

    # when the case worker decides supported housing, continued after 18, and moves them
    page.goto(case_url)
    page.get_by_test_id("add-decision").click()
    page.locator("select[name=site]").select_option(str(supported.public_id))
    page.locator("input[name=decided_on]").fill(str(today))
    page.locator("input[name=valid_from]").fill(str(today))
    page.locator("input[name=continued_after_18]").check()
    _save(page)
    page.get_by_test_id("move-child").click()
    _save(page)
    page.get_by_test_id("add-after-18").click()
    page.locator("input[name=after_18][value=supported]").check()
    page.locator("input[name=decided_on]").fill(str(today))
    _save(page)
    # then the young adult lives in supported housing, and is off the list
    expect(page.get_by_test_id("lives-in")).to_contain_text("Stödboende Kajen")
    page.goto("/minors/turning-18/")
    expect(page.get_by_test_id("turning-18")).not_to_contain_text("Ahmadi")
    case = ChildCase.objects.get()
    stay = Stay.objects.get(household=case.person.household, ended_on__isnull=True)
    assert stay.unit.site == supported

    # and partner A, whose home the young person has left, sees through its mentor the name
    # and age only, and no longer the case
    log_out(page)
    log_in(page, cast.a_staff)
    page.goto("/minors/volunteers/")
    expect(page.get_by_test_id("links")).to_contain_text("Ahmadi")
    response = page.goto(case_url)
    assert response is not None and response.status == 404
    assert errors == []
