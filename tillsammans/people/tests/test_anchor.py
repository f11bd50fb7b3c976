"""What a household should live near: a kind and a district, never an address."""

from django.urls import reverse

from tillsammans.people.forms import HouseholdNeedsForm
from tillsammans.people.models import AnchorKind


def test_it_saves_an_anchor_and_shows_it_on_the_household_page(cast, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("household_edit", args=[cast.household_a.public_id])
    # when
    response = client.post(
        url, {"anchor_kind": AnchorKind.SCHOOL, "anchor_district": "Majorna-Linné"}, follow=True
    )
    # then
    cast.household_a.refresh_from_db()
    assert (cast.household_a.anchor_kind, cast.household_a.anchor_district) == (
        AnchorKind.SCHOOL,
        "Majorna-Linné",
    )
    assert cast.household_a.has_anchor
    assert "Majorna-Linné" in response.text


def test_it_wants_both_the_kind_of_anchor_and_its_district(cast):
    # when
    kind_only = HouseholdNeedsForm({"anchor_kind": AnchorKind.WORK})
    district_only = HouseholdNeedsForm({"anchor_district": "Angered"})
    # then
    assert "anchor_district" in kind_only.errors
    assert "anchor_kind" in district_only.errors


def test_it_offers_only_districts_it_can_measure_from(cast):
    # when
    form = HouseholdNeedsForm({"anchor_kind": AnchorKind.RELATIVES, "anchor_district": "Malmö"})
    # then
    assert "anchor_district" in form.errors


def test_it_keeps_an_older_district_that_is_not_in_the_table(cast):
    # given: a preferred district typed freely before the table existed
    cast.household_a.anchor_kind = AnchorKind.DISTRICT
    cast.household_a.anchor_district = "Tuve"
    cast.household_a.save()
    # when
    form = HouseholdNeedsForm(
        {"anchor_kind": AnchorKind.DISTRICT, "anchor_district": "Tuve"},
        instance=cast.household_a,
    )
    # then
    assert form.is_valid(), form.errors
