"""Jobbstart in a real browser: enrol a job seeker, create an opening, propose, record
employed, and see the figure move."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tillsammans.core.factories import PersonFactory
from tillsammans.jobs.models import Programme
from tillsammans.jobs.occupations import ensure_loaded

from .test_reception_flow import log_in, server_errors

pytestmark = [pytest.mark.e2e]


def test_it_enrols_proposes_and_records_employed_and_the_figure_moves(page, cast):
    # given: partner A runs Jobbstart; Iryna lives at partner A's site
    errors = server_errors(page)
    ensure_loaded()  # a browser test's database is flushed after each test, this table too
    Programme.objects.create(organisation=cast.org_a, name="Jobbstart Ukraina")
    iryna = PersonFactory(
        household=cast.household_a, first_name="Ірина", last_name="Коваль",
        first_name_latin="Iryna", last_name_latin="Koval", birth_date=dt.date(1985, 5, 5),
    )  # fmt: skip
    today = timezone.localdate().isoformat()
    log_in(page, cast.a_staff)
    page.goto("/jobs/figures/")
    expect(page.get_by_test_id("year-got-work")).to_have_text("0")

    # when: the coach enrols her, with consent
    page.goto("/jobs/")
    page.get_by_test_id("enrol").click()
    page.locator("select[name=person]").select_option(str(iryna.public_id))
    page.locator("select[name=consent_explained_in]").select_option("uk")
    page.locator("input[name=consent]").check()
    page.locator("select[name=wanted_occupation]").select_option("5321")
    page.locator("select[name=education]").select_option("vocational")
    page.locator("select[name=swedish]").select_option("2")
    page.locator("select[name=ukrainian]").select_option("3")
    page.locator("input[name=hours_per_week]").fill("40")
    page.locator("select[name=home_district]").select_option("Lundby")
    page.locator("input[name=max_travel_km]").fill("15")
    page.get_by_test_id("save-enrolment").click()
    page.wait_for_url(re.compile(r"/jobs/seekers/[0-9a-f-]{36}/$"))
    seeker_url = page.url
    # then
    expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", "enrolled")

    # when: an employer with an opening for an assistant nurse
    page.goto("/jobs/employers/")
    page.locator("input[name=name]").fill("Exempelvården Omsorg AB")
    page.locator("select[name=district]").select_option("Centrum")
    page.get_by_test_id("save-employer").click()
    page.wait_for_url(re.compile(r"/jobs/employers/[0-9a-f-]{36}/$"))
    page.get_by_test_id("new-opening").click()
    page.locator("input[name=title]").fill("Undersköterska, äldreboende")
    page.locator("select[name=occupation]").select_option("5321")
    page.locator("select[name=district]").select_option("Centrum")
    page.locator("input[name=hours_per_week]").fill("30")
    page.locator("input[name=starts_on]").fill(today)
    page.locator("select[name=swedish]").select_option("1")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jobs/openings/[0-9a-f-]{36}/$"))
    # then: she is ranked, with the reasons
    row = page.get_by_test_id("ranked-seekers").locator("tbody tr").first
    expect(row).to_contain_text("Ірина Коваль")
    # when: the coach proposes her
    row.get_by_test_id("propose").click()
    expect(page.get_by_test_id("proposals")).to_contain_text("Ірина Коваль")

    # when: interview, offer, employed
    page.goto(seeker_url)
    expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", "proposed")
    for step in ("interview", "offer"):
        page.locator("select[name=to]").select_option(step)
        page.get_by_test_id("save-stage").click()
        expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", step)
    page.locator("select[name=to]").select_option("employed")
    page.locator("select[name=employer]").select_option(label="Exempelvården Omsorg AB")
    page.locator("select[name=employment_type]").select_option("fixed_term")
    page.locator("input[name=hours_per_week]").fill("30")
    page.locator("input[name=starts_on]").fill(today)
    page.get_by_test_id("save-stage").click()
    # then
    expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", "employed")
    expect(page.get_by_test_id("employments")).to_contain_text("Exempelvården Omsorg AB")

    # then: the figure moved
    page.goto("/jobs/figures/")
    expect(page.get_by_test_id("year-got-work")).to_have_text("1")
    page.goto("/jobs/")
    expect(page.get_by_test_id("column-employed")).to_contain_text("Ірина Коваль")
    assert errors == []
