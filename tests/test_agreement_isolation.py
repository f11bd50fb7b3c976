"""A party of agreement A gets, for every object of agreement B, the same 404 as for an
object that does not exist; and no object of B is reached through A's address."""

import uuid

import pytest
from django.urls import reverse

from tests import agreements
from tests.page_text import shown_text

ROLES_OF_PARTNER_A = ("a_admin", "a_staff", "a_viewer")
POST_ONLY = {"target_add", "decision_create", "indicator_value"}


@pytest.mark.parametrize("role", ROLES_OF_PARTNER_A)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_for_every_object_of_an_agreement_partner_a_is_not_party_to(
    cast, client_as, role, method
):
    # given the agreement of the city and partner B, and one partner A shares with them
    agreements.shared(cast)
    theirs = agreements.theirs(cast).kwargs()
    client = client_as(role)
    for name, kwargs in theirs.items():
        missing = kwargs | {"agreement_id": uuid.uuid4()}
        # when
        answer = getattr(client, method)(reverse(name, kwargs=kwargs))
        nothing = getattr(client, method)(reverse(name, kwargs=missing))
        # then the same answer as for an agreement that does not exist
        assert (answer.status_code, name) == (404, name)
        assert nothing.status_code == 404
        assert answer.content == nothing.content


def test_no_object_of_one_agreement_is_reached_through_another(cast, client_as):
    # given the coordinator, party to both agreements
    shared = agreements.shared(cast).kwargs()
    theirs = agreements.theirs(cast).kwargs()
    client = client_as("coordinator")
    for name, kwargs in theirs.items():
        if set(kwargs) == {"agreement_id"}:
            continue  # nothing of B's in the address but the agreement itself
        mixed = kwargs | {"agreement_id": shared[name]["agreement_id"]}
        if name == "party_edit":
            continue  # partner B is party to both: its part of A is A's
        # when B's object is asked for under A's address
        method = "post" if name in POST_ONLY else "get"
        answer = getattr(client, method)(reverse(name, kwargs=mixed))
        # then
        assert (answer.status_code, name) == (404, name)


@pytest.mark.parametrize("role", ROLES_OF_PARTNER_A)
def test_the_annual_report_of_another_agreement_is_the_same_404(cast, client_as, role):
    # given the report of "theirs" with a photo, a quote and a published edition
    from tests.access_rows import reporting

    agreements.shared(cast)
    theirs = agreements.theirs(cast).agreement
    base = {"agreement_id": theirs.public_id, "year": 2022}
    photo = reporting._photo(cast, "theirs")
    from tillsammans.reporting.services import edition_publish

    edition = edition_publish(
        actor=cast.coordinator, agreement=theirs, year=2022,
        render=lambda _language: ("<p>B</p>", [photo.file]),
    )  # fmt: skip
    addresses = {
        "annual_report": base | {"edition": "sv"},
        "annual_report_pdf": base | {"edition": "sv"},
        "annual_edit": base,
        "annual_publish": base,
        "annual_text": base | {"slug": cast.org_b.slug},
        "annual_quote_add": base,
        "annual_photo_add": base,
        "annual_photo_delete": base | {"photo_id": photo.public_id},
        "annual_edition": base | {"number": edition.number, "edition": "sv"},
        "annual_edition_pdf": base | {"number": edition.number, "edition": "sv"},
    }
    client = client_as(role)
    for name, kwargs in addresses.items():
        # when
        # (the draft PDF is asked for by a POST, which starts its making)
        ask = client.post if name == "annual_report_pdf" else client.get
        answer = ask(reverse(name, kwargs=kwargs))
        missing = ask(reverse(name, kwargs=kwargs | {"agreement_id": uuid.uuid4()}))
        # then
        assert (answer.status_code, name) == (404, name)
        assert answer.content == missing.content
    assert client.get(reverse("report_image", args=[photo.file.public_id])).status_code == 404


def test_a_partner_sees_no_rate_of_an_agreement_it_is_not_party_to(cast, client_as):
    # given a general partner rate in each agreement
    from decimal import Decimal

    from tillsammans.finance.models import RateKind, Scheme
    from tillsammans.finance.services import rate_create

    shared = agreements.shared(cast).agreement
    theirs = agreements.theirs(cast).agreement
    for agreement, amount in ((shared, 300), (theirs, 777)):
        rate_create(
            actor=cast.coordinator, agreement=agreement, scheme=Scheme.PARTNER,
            kind=RateKind.ADULT_NIGHT, amount=Decimal(amount), valid_from=agreement.starts_on,
        )  # fmt: skip
    # when partner A's admin reads the rates
    listed = client_as("a_admin").get(reverse("rate_list"))
    # then only the shared agreement's rate is there
    assert [section[0] for section in listed.context["sections"]] == [shared]
    assert "777" not in shown_text(listed)
