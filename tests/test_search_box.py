"""The search box on every page: a household, person, site or service by name or number,
among what the reader may see, every person found audited as read."""

import pytest
from django.urls import reverse

from tests.page_text import shown_text
from tillsammans.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _search(client, user, query: str):
    client.force_login(user)
    return client.get(reverse("search"), {"q": query})


def test_it_finds_a_person_by_a_spelling_of_the_name_and_links_the_household(cast, client):
    # when: the Swedish spelling of a Ukrainian name
    response = _search(client, cast.a_staff, "Sjevtjenko")
    # then: both of household A's persons, with its reference beside them
    text = shown_text(response)
    assert response.status_code == 200
    assert "Olena Shevchenko" in text
    assert "Mariia Shevchenko" in text
    assert "H-A" in text
    assert reverse("household_detail", args=[cast.household_a.public_id]) in response.text


def test_it_audits_each_person_found_as_read(cast, client):
    # when
    _search(client, cast.a_staff, "Olena")
    # then
    events = AuditEvent.objects.filter(
        actor=cast.a_staff, action=AuditAction.VIEW, summary="search on every page"
    )
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    assert list(events.values_list("object_id", flat=True)) == [str(olena.public_id)]


def test_it_finds_nobody_another_partner_serves(cast, client):
    # when: partner B's staff look for partner A's resident
    response = _search(client, cast.b_staff, "Olena")
    # then: the same answer as for a name nobody has
    assert 'data-testid="found"' not in response.text
    assert "Inget hittades för" in shown_text(response)
    assert not AuditEvent.objects.filter(actor=cast.b_staff, action=AuditAction.VIEW).exists()


def test_it_finds_a_site_by_a_part_of_its_name_for_its_own_partner_only(cast, client):
    # given
    part = cast.site_a.name[:4]
    # when
    own = _search(client, cast.a_staff, part)
    other = _search(client, cast.b_staff, cast.site_a.name)
    # then
    assert reverse("site_detail", args=[cast.site_a.public_id]) in own.text
    assert reverse("site_detail", args=[cast.site_a.public_id]) not in other.text


def test_it_asks_for_two_letters_at_least(cast, client):
    # when
    response = _search(client, cast.a_staff, "O")
    # then
    assert "Skriv minst 2 bokstäver." in shown_text(response)


def test_it_says_what_is_wrong_with_a_query_too_long(cast, client):
    # when
    response = _search(client, cast.a_staff, "x" * 101)
    # then
    assert response.status_code == 200
    assert "har som mest 100 tecken (den har 101)" in shown_text(response)


def test_it_offers_the_box_on_every_page_of_a_member(cast, client):
    # when
    client.force_login(cast.a_viewer)
    page = client.get(reverse("dashboard")).content.decode()
    # then
    assert f'action="{reverse("search")}"' in page
    assert 'role="search"' in page
