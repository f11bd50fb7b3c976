"""The coordinator's pages: propose, read the reasons, accept, pin, forbid, close a site."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.urls import reverse

from tests.page_text import shown_text
from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.placement.models import FitWeights, ItemStatus, PlacementProposal
from tillsammans.placement.services import proposal_create
from tillsammans.reception.models import AllocationStatus
from tillsammans.reception.services import allocation_place

DAY = dt.date(2022, 8, 1)


def english(client) -> None:
    """The language the user picks in the menu; the browser's Accept-Language is ignored."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _pending(size: int, **household: object):
    home = HouseholdFactory(**household)
    for _ in range(size):
        PersonFactory(household=home)
    return AllocationFactory(household=home)


def test_it_shows_the_pending_allocations_and_proposes_for_all_of_them(cast, client):
    # given
    client.force_login(cast.coordinator)
    _pending(2)
    # when
    page = client.get(reverse("placement_home"))
    response = client.post(reverse("proposal_create"), {"on": DAY.isoformat()})
    # then
    assert page.status_code == 200
    assert page.context["pending"] == {"households": 2, "persons": 3}
    proposal = PlacementProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposal_detail", args=[proposal.public_id])
    assert proposal.households_total == 2


def test_it_explains_each_place_and_each_household_left_without_one(cast, client):
    # given: a household of five, for whom no unit has the beds
    english(client)
    client.force_login(cast.coordinator)
    too_big = _pending(5)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when
    response = client.get(reverse("proposal_detail", args=[proposal.public_id]))
    # then
    assert response.status_code == 200
    text = response.text
    assert too_big.household.reference in text
    assert "No unit has 5 free beds now." in text
    assert "Fair share" in text
    assert AuditEvent.objects.filter(
        action="view", object_id=str(proposal.public_id), actor=cast.coordinator
    ).exists()


def test_it_accepts_the_selected_places_from_the_page(cast, client):
    # given
    client.force_login(cast.coordinator)
    other = _pending(1)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    chosen = proposal.items.get(household=other.household)
    # when
    response = client.post(
        reverse("proposal_accept", args=[proposal.public_id]),
        {"selection": "selected", "items": [str(chosen.public_id)]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    other.refresh_from_db()
    cast.allocation_pending.refresh_from_db()
    assert other.status == AllocationStatus.PLACED
    assert cast.allocation_pending.status == AllocationStatus.PENDING


def test_it_shows_why_a_stale_place_could_not_be_accepted(cast, client):
    # given: the proposal puts the pending person in unit B, which then fills up
    english(client)
    client.force_login(cast.coordinator)
    cast.site_a.closes_on = DAY
    cast.site_a.save()
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    allocation_place(actor=cast.coordinator, allocation=_pending(4), unit=cast.unit_b, on=DAY)
    # when
    response = client.post(
        reverse("proposal_accept", args=[proposal.public_id]),
        {"selection": "all"},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert "could not be accepted" in response.text
    assert "The unit filled up after the proposal was made." in response.text
    assert proposal.items.get().status == ItemStatus.FAILED


def test_it_answers_an_empty_selection_with_a_message(cast, client):
    # given
    english(client)
    client.force_login(cast.coordinator)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when
    response = client.post(
        reverse("proposal_accept", args=[proposal.public_id]),
        {"selection": "selected"},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert "Nothing to accept" in response.text


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("0001-01-01", "Enter a date between Jan. 1, 2000 and Dec. 31, "),
        ("1900-01-01", "Enter a date between Jan. 1, 2000 and Dec. 31, "),
        ("9999-12-31", "Enter a date between Jan. 1, 2000 and Dec. 31, "),
        ("10000-01-01", "Enter a valid date."),
    ],
)
def test_it_refuses_to_propose_for_a_date_no_move_can_have(cast, client, on, message):
    # given
    english(client)
    client.force_login(cast.coordinator)
    site = cast.site_a.public_id
    # when
    response = client.post(reverse("proposal_create"), {"on": on}, follow=True)
    for_site = client.post(
        reverse("proposal_create_for_site", args=[site]), {"on": on}, follow=True
    )
    # then: the page says why, and nothing was proposed
    assert response.status_code == for_site.status_code == 200
    assert message in response.text and message in for_site.text
    assert not PlacementProposal.objects.exists()


def test_it_forbids_a_unit_on_the_item_page_and_proposes_again(cast, client):
    # given
    client.force_login(cast.coordinator)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    item = proposal.items.get()
    url = reverse("proposal_item", args=[item.public_id])
    page = client.get(url)
    # when
    client.post(url, {"action": "forbid", "unit": str(item.unit.public_id)})
    response = client.post(reverse("proposal_repropose", args=[proposal.public_id]))
    # then
    assert page.status_code == 200
    assert page.context["alternatives"][0].unit == item.unit
    new = PlacementProposal.objects.exclude(pk=proposal.pk).get()
    assert response["Location"] == reverse("proposal_detail", args=[new.public_id])
    assert new.items.get().unit not in (None, item.unit)


def test_it_answers_a_bad_item_action_with_a_message_not_an_error(cast, client):
    # given
    client.force_login(cast.coordinator)
    item = proposal_create(actor=cast.coordinator, on=DAY).items.get()
    url = reverse("proposal_item", args=[item.public_id])
    # when
    missing_unit = client.post(url, {"action": "pin"}, follow=True)
    unknown_action = client.post(url, {"action": "explode"}, follow=True)
    # then
    assert missing_unit.status_code == unknown_action.status_code == 200
    assert len(list(missing_unit.context["messages"])) == 1


def test_it_changes_the_weights_on_their_page(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    bad = client.post(
        reverse("fit_weights"), {"distance": 11, "language": 2, "food": 2, "fairness": 2}
    )
    good = client.post(
        reverse("fit_weights"), {"distance": 6, "language": 1, "food": 3, "fairness": 0}
    )
    # then
    assert bad.status_code == 200
    assert good.status_code == 302
    weights = FitWeights.current()
    assert (weights.distance, weights.language, weights.food, weights.fairness) == (6, 1, 3, 0)
    assert weights.updated_by == cast.coordinator


def test_it_offers_a_closing_proposal_on_the_site_page_to_the_coordinator_only(cast, client):
    # given
    url = reverse("site_detail", args=[cast.site_a.public_id])
    action = reverse("proposal_create_for_site", args=[cast.site_a.public_id])
    # when
    client.force_login(cast.a_admin)
    as_partner = client.get(url)
    client.force_login(cast.coordinator)
    as_coordinator = client.get(url)
    response = client.post(action, {"on": DAY.isoformat()})
    # then
    assert action not in as_partner.text
    assert action in as_coordinator.text
    proposal = PlacementProposal.objects.get()
    assert response["Location"] == reverse("proposal_detail", args=[proposal.public_id])
    assert proposal.site == cast.site_a


def test_it_downloads_the_problem_without_naming_anyone(cast, client):
    # given
    client.force_login(cast.coordinator)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when
    response = client.get(reverse("proposal_download", args=[proposal.public_id]))
    # then
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["problem"]["households"] == [{"id": "h1", "size": 1, "needs": []}]
    assert data["result"]["assignments"][0]["household"] == "h1"
    body = response.content.decode()
    assert cast.allocation_pending.household.reference not in body
    assert str(cast.allocation_pending.household.public_id) not in body
    assert AuditEvent.objects.filter(action="export", object_id=str(proposal.public_id)).exists()


def test_it_names_each_household_and_says_how_good_the_proposal_is_in_plain_words(cast, client):
    # given: the pending Bondar household, for whom a unit has room
    client.force_login(cast.coordinator)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    # when
    response = client.get(reverse("proposal_detail", args=[proposal.public_id]))
    listing = client.get(reverse("placement_home"))
    # then: the household by its name, with its reference beside it
    text = shown_text(response)
    assert "Oleh Bondar H-PENDING" in text
    # and how good it is, in words rather than an objective and a bound
    assert proposal.gap == 0
    assert "Det är det bästa möjliga" in text
    assert "bästa möjliga" in shown_text(listing)


def test_it_says_how_much_of_the_best_possible_a_proposal_reaches_at_least(cast, client):
    # given: a proposal the planner could not prove the best, scoring 2 490 of a bound of 2 500
    client.force_login(cast.coordinator)
    proposal = proposal_create(actor=cast.coordinator, on=DAY)
    PlacementProposal.objects.filter(pk=proposal.pk).update(
        objective=2490, upper_bound=2500, gap=0.004
    )
    # when
    detail = shown_text(client.get(reverse("proposal_detail", args=[proposal.public_id])))
    listing = shown_text(client.get(reverse("placement_home")))
    # then: at least 99.6 % of the best, which is at most the bound
    assert "Det når minst 99,60 % av det bästa möjliga." in detail
    assert "Det är det bästa möjliga" not in detail
    assert "minst 99,60 % av det bästa" in listing
    # and the figures behind it, for whoever wants them
    assert "Förslaget får 2 490 poäng" in detail and "mer än 2 500 poäng" in detail
