"""The error pages speak the reader's language and keep the product around them: a partner who
follows an old link to another partner's household reads why, in Swedish, with a way back to
the start page, and the page says nothing a missing page would not."""

import uuid

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_a_page_not_theirs_and_a_missing_page_read_the_same_in_swedish(cast, client):
    client.force_login(cast.b_staff)
    # when partner B's staff opens partner A's household, and a household that does not exist
    theirs = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    missing = client.get(reverse("household_detail", args=[uuid.uuid4()]))
    # then both are the same 404 page, in Swedish, with a way back
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    page = theirs.content.decode()
    assert "Sidan finns inte här" in page and "Till startsidan" in page
    assert "Not Found" not in page


def test_a_missing_page_reads_in_swedish_to_someone_not_logged_in(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sidan finns inte här" in response.content.decode()


def test_a_failure_of_the_product_says_so_in_swedish_and_english_without_the_database(db):
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel" in page and "Something went wrong" in page
