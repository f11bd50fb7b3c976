"""The coordinator's day in a real browser: import, place, see the figures, and no leaks.

Assertions use the data-testid hooks and status codes, not translated texts, except where
the message itself is the point; there the Swedish and the English text are both accepted.
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.reception.models import AllocationStatus, Stay
from tillsammans.reception.services import allocation_place

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery"
ALLOCATION = "E2E-2022-0001"
# Migrationsverket's column names; names as written in the passport's Cyrillic.
ALLOCATION_CSV = (
    "anvisningsnummer;anvisningsdatum;beräknat ankomstdatum;hushåll;efternamn;förnamn;"
    "födelsedatum;kön\n"
    f"{ALLOCATION};2022-07-01;2022-07-04;E2E-HH-01;Коваль;Ірина;1986-04-12;K\n"
    f"{ALLOCATION};2022-07-01;2022-07-04;E2E-HH-01;Коваль;Богдан;2012-09-30;M\n"
)
HOUSEHOLD_SIZE = 2


def sv_or_en(text: Any, *, exact: bool = False) -> re.Pattern[str]:
    """``text`` (a msgid, or a lazy translation) as shown in Swedish or in English."""
    shown = set()
    for language in ("sv", "en"):
        with translation.override(language):
            shown.add(re.escape(gettext(text) if isinstance(text, str) else str(text)))
    either = "|".join(sorted(shown))
    return re.compile(rf"^\s*(?:{either})\s*$" if exact else either)


def server_errors(page: Any) -> list[str]:
    """Every 5xx the browser receives from now on, collected as "status url"."""
    seen: list[str] = []
    page.on(
        "response",
        lambda response: (
            seen.append(f"{response.status} {response.url}") if response.status >= 500 else None
        ),
    )
    return seen


def log_in(page: Any, user: Any) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page: Any) -> None:
    # The logout form is in the layout's header, which an error page does not have.
    page.goto("/")
    page.locator("details.account summary").click()  # the account menu, folded in the header
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")


def free_beds(page: Any) -> int:
    page.goto("/")
    return int(page.get_by_test_id("beds-free").inner_text().strip())


def test_it_imports_places_and_shows_the_household_only_to_its_partner(page, cast):
    # given
    errors = server_errors(page)
    log_in(page, cast.coordinator)
    free_before = free_beds(page)
    # when: the coordinator imports the list, checking the preview first
    page.goto("/allocations/import/")
    page.get_by_test_id("import-file").set_input_files(
        {"name": "anvisningar.csv", "mimeType": "text/csv", "buffer": ALLOCATION_CSV.encode()}
    )
    page.get_by_test_id("import-preview-submit").click()
    page.get_by_test_id("import-commit").click()
    page.wait_for_url("**/allocations/")
    # and opens the new allocation and places the household in partner A's unit
    page.get_by_role("link", name=ALLOCATION, exact=True).click()
    expect(page.get_by_text("Ірина Коваль")).to_be_visible()
    page.locator("select[name=unit]").select_option(str(cast.unit_a.public_id))
    page.locator("input[name=on]").fill(timezone.localdate().isoformat())
    page.locator("form:has(select[name=unit]) button[type=submit]").click()
    # then
    status = page.get_by_test_id("allocation-status")
    expect(status).to_have_class(re.compile(r"\bplaced\b"))
    expect(status).to_have_text(sv_or_en(AllocationStatus.PLACED.label, exact=True))
    household_url = page.locator("dl.facts a[href*='/households/']").get_attribute("href")
    assert household_url
    assert free_beds(page) == free_before - HOUSEHOLD_SIZE
    # when: partner B staff, who do not house the household, try its page
    log_out(page)
    log_in(page, cast.b_staff)
    outsider = page.goto(household_url)
    # then
    assert outsider is not None
    assert outsider.status == 404
    # when: partner A staff, who now house it, open the same page
    log_out(page)
    log_in(page, cast.a_staff)
    partner = page.goto(household_url)
    # then
    assert partner is not None
    assert partner.status == 200
    expect(page.get_by_text("Богдан Коваль")).to_be_visible()
    assert errors == []


@pytest.mark.parametrize(
    ("number", "message"),
    [
        pytest.param("850317-12", "Write the number as YYYYMMDD-NNNN or YYMMDD-NNNN.", id="format"),
        pytest.param(
            "19121212-1213",
            "The check digit does not match; check the number for a typo.",
            id="check-digit",
        ),
    ],
)
def test_it_explains_a_malformed_swedish_number_on_the_person_form(page, cast, number, message):
    # given
    errors = server_errors(page)
    person = cast.household_a.persons.order_by("id").first()
    log_in(page, cast.a_staff)
    page.goto(f"/households/persons/{person.public_id}/edit/")
    # when
    page.locator("input[name=swedish_id_number]").fill(number)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    # then
    assert posted.value.status < 500
    field = page.locator(".field:has(input[name=swedish_id_number]) [role=alert]")
    expect(field).to_have_text(sv_or_en(message))
    person.refresh_from_db()
    assert person.swedish_id_number == ""
    assert errors == []


def test_it_explains_a_move_into_a_unit_that_filled_up_meanwhile(page, cast):
    # given: the coordinator has chosen partner B's unit on the household page
    errors = server_errors(page)
    log_in(page, cast.coordinator)
    page.goto(f"/households/{cast.household_a.public_id}/")
    move_form = page.locator("form[action*='/move/']")
    move_form.locator("select[name=to_unit]").select_option(str(cast.unit_b.public_id))
    # and meanwhile another household takes every bed of that unit
    crowd = HouseholdFactory(reference="H-CROWD")
    for _ in range(4):
        PersonFactory(household=crowd)
    allocation_place(
        actor=cast.coordinator,
        allocation=AllocationFactory(household=crowd),
        unit=cast.unit_b,
        on=dt.date(2022, 8, 1),
    )
    # when
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        move_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    # then
    assert posted.value.status < 500
    no_room = "There is no longer room for this household in that unit. Choose another unit."
    expect(page.locator(".messages li.error")).to_have_text(sv_or_en(no_room))
    stay = Stay.objects.get(pk=cast.stay_a.pk)
    assert stay.ended_on is None
    assert stay.unit_id == cast.unit_a.pk
    assert errors == []
