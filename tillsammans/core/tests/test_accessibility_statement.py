"""The accessibility statement (lag 2018:1937): anyone can read it, from every page."""

import pytest
from django.urls import reverse

from tests.page_text import shown_text

pytestmark = pytest.mark.django_db


def test_it_shows_the_statement_to_a_visitor_who_is_not_logged_in(client):
    # when
    response = client.get(reverse("accessibility"))
    # then: in Swedish, with the supervising agency and the known shortcomings
    text = shown_text(response)
    assert response.status_code == 200
    assert "Tillgänglighet för Tillsammans" in text
    assert "Göteborgs Stad" in text
    assert "https://www.digg.se/tdosanmalan" in response.text
    assert "PDF/UA" in text
    assert "axe-core" in text


def test_it_names_the_address_to_report_a_problem_to_when_one_is_set(client, settings):
    # given
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@goteborg.example"
    # when
    response = client.get(reverse("accessibility"))
    # then
    assert 'href="mailto:tillganglighet@goteborg.example"' in response.text


def test_it_sends_a_reader_to_the_coordinator_when_no_address_is_set(client, settings):
    # given
    settings.ACCESSIBILITY_CONTACT = ""
    # when
    response = client.get(reverse("accessibility"))
    # then
    assert "mailto:" not in response.text
    assert "samordnaren" in shown_text(response)


def test_it_links_the_statement_from_the_foot_of_every_page(cast, client):
    # given
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert f'href="{reverse("accessibility")}"' in response.text
