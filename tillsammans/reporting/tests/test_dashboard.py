import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    OrganisationFactory,
    PersonFactory,
    UnitFactory,
    member,
)
from tillsammans.housing.selectors import CAPACITY_CACHE_PREFIX, Capacity, capacity_by_site
from tillsammans.partnership.models import OrganisationKind, Role
from tillsammans.reception.services import allocation_place

GENERATION = f"{CAPACITY_CACHE_PREFIX}generation"


def test_it_shows_beds_occupied_and_free(cast, client):
    # given 8 beds, 2 occupied
    client.force_login(cast.a_viewer)
    # when
    response = client.get(reverse("dashboard"))
    # then
    board = response.context["board"]
    assert (board.totals.beds, board.totals.occupied, board.totals.free) == (8, 2, 6)
    assert board.pending_allocations == 1
    assert "Шевченко" not in response.text


@pytest.mark.parametrize("organisation", ["99999999999999999999", "²", "٣", "-1", "abc"])
def test_it_shows_every_site_for_an_organisation_that_is_no_id(cast, client, organisation):
    # given
    client.force_login(cast.a_viewer)
    # when
    table = client.get(reverse("dashboard_sites"), {"organisation": organisation, "page": "²"})
    page = client.get(reverse("dashboard"), {"organisation": organisation})
    # then: the whole table, as with no organisation chosen
    assert table.status_code == page.status_code == 200
    assert {row.name for row in table.context["site_rows"]} == {"Site A", "Site B"}


def test_it_reports_person_nights_for_a_period(cast, client):
    client.force_login(cast.a_viewer)
    response = client.get(reverse("occupancy_report"), {"start": "2022-08-01", "end": "2022-09-01"})
    assert response.context["grand_total"] == 2 * 31


def test_it_counts_only_the_nights_that_have_begun(cast, client):
    # given: the two persons of unit A living there since 2022
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=9), today + dt.timedelta(days=30)
    client.force_login(cast.a_viewer)
    # when: a period that began nine days ago and ends in a month is asked for
    response = client.get(reverse("occupancy_report"), {"start": start, "end": end})
    # then: the ten nights that have begun, not the nights to come, and the page says so
    assert response.context["grand_total"] == 2 * 10
    assert "Personnätter under perioden: 20" in response.text
    assert (
        f"Nätterna räknas till och med natten som börjar i dag, {today:%Y-%m-%d}" in response.text
    )


def test_it_explains_an_impossible_period(cast, client):
    client.force_login(cast.a_viewer)
    response = client.get(reverse("occupancy_report"), {"start": "2022-09-01", "end": "2022-08-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_shows_a_placement_at_once_although_figures_are_cached(cast, client):
    # given a dashboard already computed (and cached)
    client.force_login(cast.coordinator)
    before = client.get(reverse("dashboard")).context["board"].totals.free
    # when
    allocation_place(
        actor=cast.coordinator,
        allocation=cast.allocation_pending,
        unit=cast.unit_b,
        on=dt.date(2022, 8, 1),
    )
    # then
    after = client.get(reverse("dashboard")).context["board"].totals.free
    assert after == before - 1


@pytest.mark.django_db(transaction=True)
def test_it_drops_figures_cached_by_another_request_when_a_write_commits():
    # given a unit, and figures another request cached while a placement was under way
    unit = UnitFactory(beds=3)
    household = HouseholdFactory()
    PersonFactory(household=household)
    allocation = AllocationFactory(household=household)
    coordinator = member(OrganisationFactory(kind=OrganisationKind.MUNICIPALITY), Role.COORDINATOR)
    with transaction.atomic():
        allocation_place(
            actor=coordinator, allocation=allocation, unit=unit, on=dt.date(2022, 8, 1)
        )
        stale = {unit.site_id: Capacity(3, 0, 0)}
        cache.set(f"{CAPACITY_CACHE_PREFIX}figures", (cache.get(GENERATION), stale))
    # when the figures are read after the commit
    figures = capacity_by_site()
    # then they are the committed ones
    assert figures[unit.site_id] == Capacity(3, 0, 1)


def test_it_links_a_partner_only_to_the_sites_it_may_open(cast, client):
    # given partner A's staff, who may open site A but not partner B's site B
    client.force_login(cast.a_staff)
    site_a = reverse("site_detail", args=[cast.site_a.public_id])
    site_b = reverse("site_detail", args=[cast.site_b.public_id])
    # when
    response = client.get(reverse("dashboard"))
    # then: both sites are listed, only site A is a link, and that link opens
    text = response.content.decode()
    assert "Site A" in text and "Site B" in text
    assert f'href="{site_a}"' in text
    assert f'href="{site_b}"' not in text
    assert client.get(site_a).status_code == 200


def test_it_links_the_coordinator_to_every_site_and_a_viewer_to_none(cast, client):
    # given
    urls = [reverse("site_detail", args=[site.public_id]) for site in (cast.site_a, cast.site_b)]
    # when
    client.force_login(cast.coordinator)
    coordinator = client.get(reverse("dashboard_sites")).content.decode()
    client.force_login(cast.a_viewer)
    viewer = client.get(reverse("dashboard_sites")).content.decode()
    # then
    assert all(f'href="{url}"' in coordinator for url in urls)
    assert not any(f'href="{url}"' in viewer for url in urls)
