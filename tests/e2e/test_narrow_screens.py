"""Pages as they are read on a phone (375 px wide) and on a laptop: the page never scrolls
sideways, and the browser reports no error (a blocked inline style, a missing icon).

A table wider than the screen scrolls inside its own box; everything else wraps.
"""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tillsammans.hosting.models import RentBasis
from tillsammans.hosting.services import host_register, programme_create
from tillsammans.hosting.tests.conftest import vet
from tillsammans.jobs.services import programme_start

from .test_reception_flow import log_in

pytestmark = [pytest.mark.e2e]

PHONE = 375
LAPTOP = 1280


def _problems(page: Any, url: str, width: int) -> list[str]:
    """What a reader of ``url`` at ``width`` px would trip on: sideways scrolling, errors."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems = [f"{url}: {text}" for text in errors]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{url}: {scroll_width} px wide at {width} px")
    return problems


def test_it_fits_a_coordinators_pages_on_a_phone(page, live_server, cast):
    # given: a coordinator with a long e-mail address, as every page shows the reader's
    cast.coordinator.email = "samordnare.for.hela.staden@goteborg.demo.tillsammans.example"
    cast.coordinator.save()
    log_in(page, cast.coordinator)
    urls = [
        reverse("dashboard"),
        reverse("household_detail", args=[cast.household_a.public_id]),
        reverse("site_detail", args=[cast.site_a.public_id]),
        reverse("allocation_list"),
        reverse("allocation_detail", args=[cast.allocation_pending.public_id]),
        reverse("audit_list"),
        reverse("member_list", args=[cast.org_a.slug]),
    ]
    # when
    problems = [problem for url in urls for problem in _problems(page, url, PHONE)]
    # then
    assert problems == []


def test_it_fits_jobbstarts_figures_on_a_laptop_and_a_phone(page, live_server, cast):
    # given: a job programme, whose monthly table has a column per step of the pipeline
    programme_start(actor=cast.coordinator, organisation=cast.org_a, name="Jobbstart")
    log_in(page, cast.coordinator)
    url = reverse("jobs_figures")
    # when
    problems = _problems(page, url, LAPTOP) + _problems(page, url, PHONE)
    # then
    assert problems == []


def test_it_fits_a_partners_household_page_on_a_phone(page, live_server, cast):
    # given: the move form offers every free unit, with long names
    log_in(page, cast.a_staff)
    cast.unit_a.name = "Lägenhet med balkong mot innergården, trappuppgång C, våning 4"
    cast.unit_a.save()
    # when
    problems = _problems(
        page, reverse("household_detail", args=[cast.household_a.public_id]), PHONE
    )
    # then
    assert problems == []


def test_it_fits_the_vetting_forms_of_a_host_on_a_laptop(page, live_server, cast):
    # given: a vetted host, each step recorded by an officer with a long e-mail address
    cast.a_staff.email = "vardhemshandlaggare.hjarterum@raddningsmissionen.example"
    cast.a_staff.save()
    programme = programme_create(actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum")
    host = host_register(
        actor=cast.a_admin, programme=programme, name="Anna och Erik Lind", phone="",
        email="", address="Exempelgatan 1", district="Majorna-Linné", rooms=1, beds=3,
        available_from=dt.date(2022, 8, 1), languages=["sv"], rent_basis=RentBasis.HOME,
        monthly_rent=4500,
    )  # fmt: skip
    vet(cast, host)
    log_in(page, cast.a_staff)
    # when: the host's page is read on a laptop and on a phone
    url = reverse("host_detail", args=[host.public_id])
    problems = _problems(page, url, LAPTOP) + _problems(page, url, PHONE)
    # then
    assert problems == []


def test_it_fits_an_agreements_pages_and_its_report_on_a_phone(page, live_server, cast):
    # given: an agreement with a party of a long name, a group, a meeting, a decision, a goal
    from tests import agreements

    cast.org_a.name = "Göteborgs Räddningsmission, Hjärterum och Maträttsbutikerna i samverkan"
    cast.org_a.save()
    objects = agreements.shared(cast)
    log_in(page, cast.coordinator)
    agreement = objects.agreement.public_id
    urls = [
        reverse("agreement_list"),
        reverse("agreement_page", args=[agreement]),
        reverse("governance", args=[agreement]),
        reverse("group_detail", args=[agreement, objects.group.pk]),
        reverse("meeting_detail", args=[agreement, objects.meeting.pk]),
        reverse("goal_list", args=[agreement]),
        reverse("annual_index"),
        reverse("annual_report", args=[agreement, 2022, "sv"]),
        reverse("annual_edit", args=[agreement, 2022]),
    ]
    # when
    problems = [problem for url in urls for problem in _problems(page, url, PHONE)]
    # then
    assert problems == []


def test_it_fits_the_public_services_page_in_arabic_right_to_left_on_a_phone(
    page, live_server, cast
):
    # given a published service (a right-to-left page widens to the side where anything is
    # parked off-screen: the skip link once made it 10 000 px wide)
    from tillsammans.addedvalues.services import service_create

    service_create(
        actor=cast.a_admin, name_sv="Språkcafé", name_ar="مقهى اللغة", category="language",
        eligibility="anyone", is_published=True, weekdays=[1], languages=["ar", "sv"],
    )  # fmt: skip
    # when / then
    assert _problems(page, reverse("public_services") + "?lang=ar", PHONE) == []
