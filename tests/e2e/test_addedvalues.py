"""Added values in a real browser: thirty people at the language café recorded in one go after
a preview of the pasted names, and the public page that residents read without logging in."""

import datetime as dt
import time

import pytest
from playwright.sync_api import expect

from tillsammans.addedvalues.models import Delivery
from tillsammans.addedvalues.services import service_create
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.people.search import passport_spelling
from tillsammans.reception.services import allocation_place
from tillsammans.reporting.demo import SURNAMES

from .test_reception_flow import log_in, server_errors

pytestmark = [pytest.mark.e2e]


def _language_cafe(cast):
    return service_create(
        actor=cast.a_admin,
        name_sv="Språkcafé",
        name_uk="Мовне кафе",
        category="language",
        eligibility="anyone",
        weekdays=[2],
        starts_at=dt.time(17, 0),
        ends_at=dt.time(19, 0),
    )


def _thirty_residents(cast):
    hall = UnitFactory(site=cast.site_b, name="B-hall", beds=30)
    persons = []
    for number, surname in enumerate(SURNAMES[10:40]):
        household = HouseholdFactory(reference=f"Q-{number:02d}")
        persons.append(
            PersonFactory(
                household=household,
                first_name="Ольга",
                last_name=surname,
                first_name_latin="Olha",
                last_name_latin=passport_spelling(surname),
            )
        )
        allocation_place(
            actor=cast.coordinator,
            allocation=AllocationFactory(household=household),
            unit=hall,
            on=dt.date(2022, 8, 1),
        )
    return persons


def test_it_records_thirty_people_at_the_language_cafe_in_under_a_minute(page, cast):
    # given: thirty residents of partner B come to partner A's language café, with a
    # Shevchenko (two live with partner A) and someone who is not registered
    errors = server_errors(page)
    cafe = _language_cafe(cast)
    persons = _thirty_residents(cast)
    sheet = [person.last_name_latin for person in persons] + ["Shevchenko", "Zinaida Neznaioma"]
    log_in(page, cast.a_staff)
    started = time.monotonic()
    # when: the staff paste the names from the sign-up sheet and look at the preview
    page.goto(f"/services/{cafe.public_id}/")
    page.get_by_test_id("record-deliveries").click()
    page.get_by_label("Namn").fill("\n".join(sheet))
    page.get_by_test_id("preview").click()
    # then: every line is matched, to choose or not found, and nothing is recorded yet
    expect(page.locator("[data-outcome=matched]")).to_have_count(30)
    expect(page.locator("[data-outcome=choose]")).to_have_count(1)
    not_found = page.locator("[data-outcome=not_found]")
    expect(not_found).to_contain_text("Zinaida Neznaioma")
    expect(not_found).to_contain_text("Hittades inte")
    assert not Delivery.objects.exists()
    # when: they pick Olena on the Shevchenko line and record
    page.locator("[data-line='31']").get_by_label("Олена Шевченко").check()
    page.get_by_test_id("record").click()
    # then
    expect(page.locator(".messages li.success")).to_have_text("31 insatser registrerade.")
    assert time.monotonic() - started < 60
    assert Delivery.objects.filter(service=cafe).count() == 31
    assert errors == []


def test_it_shows_the_preview_without_sideways_scrolling_on_a_phone(page, cast):
    # given
    cafe = _language_cafe(cast)
    _thirty_residents(cast)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, cast.a_staff)
    # when
    page.goto(f"/services/{cafe.public_id}/deliver/")
    page.get_by_label("Namn").fill("Shevchenko\nOlha Lysenko\nZinaida Neznaioma")
    page.get_by_test_id("preview").click()
    # then
    expect(page.get_by_test_id("lines")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_shows_residents_the_services_in_ukrainian_and_swedish(page, cast):
    # given
    _language_cafe(cast)
    # when: someone without a login opens the public page
    page.goto("/services/public/")
    # then: Ukrainian first, Swedish one click away
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_test_id("service")).to_contain_text("Мовне кафе")
    expect(page.get_by_test_id("service")).to_contain_text("середа")
    page.get_by_role("link", name="svenska").click()
    expect(page.get_by_test_id("service")).to_contain_text("Språkcafé")
    expect(page.get_by_test_id("service")).to_contain_text("onsdag")
