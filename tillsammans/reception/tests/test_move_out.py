"""Moving a household out: asked before anything is written, and correctable afterwards."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.access import MOVE_OUT_CORRECTION_WINDOW
from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.housing.selectors import capacity_by_site
from tillsammans.housing.services import unit_update
from tillsammans.reception.models import MoveOutCorrection, Occupancy, Stay
from tillsammans.reception.selectors import person_nights
from tillsammans.reception.services import allocation_place, stay_end, stay_reopen

MOVE_OUT = dt.date(2022, 8, 1)


def text(response) -> str:
    """The page as a reader sees it: no tags, single spaces."""
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def moved_out(cast, actor=None) -> Stay:
    return stay_end(
        actor=actor or cast.a_staff, stay=cast.stay_a, on=MOVE_OUT, reason="own_housing"
    )


def open_beds(unit) -> list[int]:
    return sorted(
        Occupancy.objects.filter(bed__unit=unit, ended_on__isnull=True).values_list(
            "bed__number", flat=True
        )
    )


def place_one(cast, unit, on: dt.date, name: str = "Bondar") -> Stay:
    household = HouseholdFactory()
    PersonFactory(household=household, first_name_latin="Oleh", last_name_latin=name)
    allocation = AllocationFactory.create(household=household, allocated_on=dt.date(2022, 7, 1))
    return allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=on)


# -- the confirmation ---------------------------------------------------------------------


def test_it_asks_naming_the_household_the_place_and_the_date_and_writes_nothing(cast, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    # when
    response = client.get(url, {"on": "2022-08-01", "reason": "own_housing"})
    # then
    assert response.status_code == 200
    page = text(response)
    assert (
        "Flytta ut familjen Shevchenko (2 personer) från Site A, enhet A1, den 1 augusti 2022?"
        in page
    )
    assert "Eget boende" in page
    assert re.search(
        r'<button[^>]*name="confirm"[^>]*>Flytta ut familjen <bdi>Shevchenko',
        (response.content.decode()),
    )
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on is None
    assert not AuditEvent.objects.filter(action="update", object_id=str(cast.stay_a.public_id))


def test_it_names_a_lone_person_by_name(cast, client):
    # given
    stay = place_one(cast, cast.unit_a, dt.date(2022, 7, 20))
    client.force_login(cast.coordinator)
    # when
    response = client.get(
        reverse("stay_end", args=[stay.public_id]), {"on": "2022-08-02", "reason": "returned"}
    )
    # then
    assert "Flytta ut Oleh Bondar från Site A, enhet A1, den 2 augusti 2022?" in text(response)


def test_it_only_asks_again_on_a_post_without_the_confirmation(cast, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    # when
    response = client.post(url, {"on": "2022-08-01", "reason": "own_housing"})
    # then
    assert response.status_code == 200
    assert "Flytta ut familjen Shevchenko (2 personer)" in text(response)
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on is None


def test_it_moves_out_when_confirmed_and_says_who_moved_out(cast, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    # when
    response = client.post(
        url, {"on": "2022-08-01", "reason": "own_housing", "confirm": "yes"}, follow=True
    )
    # then: the partner no longer sees the household, and lands where it can correct it
    assert response.redirect_chain[-1][0] == reverse("moved_out_list")
    assert "Familjen Shevchenko flyttade ut den 1 augusti 2022." in text(response)
    assert "Rätta utflyttningen" in text(response)
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == MOVE_OUT
    assert cast.stay_a.ended_recorded_at is not None


def test_it_answers_a_second_press_of_the_button_without_a_missing_page(cast, client):
    # given: the first press moved the household out of partner A's view
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    data = {"on": "2022-08-01", "reason": "own_housing", "confirm": "yes"}
    client.post(url, data)
    # when
    second = client.post(url, data)
    # then
    assert second.status_code == 302
    assert second.headers["Location"] == reverse("moved_out_list")
    assert Stay.objects.get(pk=cast.stay_a.pk).ended_on == MOVE_OUT


def test_it_refuses_a_move_out_date_before_the_move_in_before_asking(cast, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    data = {"on": "2022-01-01", "reason": "own_housing"}
    # when
    asked = client.get(url, data)
    confirmed = client.post(url, {**data, "confirm": "yes"})
    # then
    assert "Flytta ut familjen" not in text(asked)
    assert "Utflyttningsdatumet kan inte vara före inflyttningsdatumet." in text(asked)
    assert confirmed.status_code == 400
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on is None


# -- the correction -----------------------------------------------------------------------


def test_it_reopens_the_stay_in_its_own_beds_and_counts_the_nights_again(cast):
    # given
    beds_before = open_beds(cast.unit_a)
    nights_before = person_nights(dt.date(2022, 7, 1), dt.date(2022, 9, 1))
    moved_out(cast)
    assert open_beds(cast.unit_a) == []
    # when
    stay = stay_reopen(actor=cast.coordinator, stay=cast.stay_a, note="Fel hushåll valdes")
    # then
    assert stay.ended_on is None and stay.exit_reason == ""
    assert open_beds(cast.unit_a) == beds_before == [1, 2]
    assert capacity_by_site()[cast.site_a.pk].free == 2
    assert person_nights(dt.date(2022, 7, 1), dt.date(2022, 9, 1)) == nights_before
    assert Occupancy.objects.filter(stay=stay).count() == 2


def test_it_gives_a_person_another_free_bed_when_their_own_was_taken(cast):
    # given: after the move-out a newcomer is given the lowest free bed, which was theirs
    moved_out(cast)
    place_one(cast, cast.unit_a, dt.date(2022, 8, 3))
    assert open_beds(cast.unit_a) == [1]
    # when
    stay_reopen(actor=cast.coordinator, stay=cast.stay_a, note="Registrerad på fel hushåll")
    # then: three people in three different beds, the nights of both unbroken
    assert open_beds(cast.unit_a) == [1, 2, 3]
    assert capacity_by_site()[cast.site_a.pk].free == 1
    assert person_nights(dt.date(2022, 7, 10), dt.date(2022, 8, 10)) == {
        ("Partner A", "Site A", "adult"): 31 + 7,
        ("Partner A", "Site A", "child"): 31,
    }


def test_it_refuses_with_the_reason_when_the_beds_were_taken(cast, client):
    # given: one bed left after the move-out, then blocked beds and a newcomer take the rest
    moved_out(cast)
    unit_update(actor=cast.coordinator, unit=cast.unit_a, beds=4, blocked_beds=2)
    place_one(cast, cast.unit_a, dt.date(2022, 8, 5))
    client.force_login(cast.coordinator)
    url = reverse("stay_reopen", args=[cast.stay_a.public_id])
    # when
    page = client.get(url)
    posted = client.post(url, {"note": "Fel hushåll"})
    # then
    reason = "Site A, enhet A1 har haft 1 ledig bädd sedan utflyttningen, och hushållet behöver 2."
    assert reason in text(page)
    assert "Bädd 1 togs av Oleh Bondar den 5 augusti 2022." in text(page)
    assert "Öppna boendeperioden" not in text(page)
    assert posted.status_code == 400
    assert reason in text(posted)
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == MOVE_OUT
    assert not MoveOutCorrection.objects.exists()


def test_it_refuses_when_the_place_was_used_in_between_even_if_free_again(cast):
    # given: a move-out long ago; another household used the beds for a while, then left
    moved_out(cast)
    unit_update(actor=cast.coordinator, unit=cast.unit_a, beds=4, blocked_beds=2)
    later = place_one(cast, cast.unit_a, dt.date(2022, 9, 1))
    stay_end(actor=cast.coordinator, stay=later, on=dt.date(2022, 10, 1), reason="returned")
    # when
    with pytest.raises(ServiceError) as refusal:
        stay_reopen(actor=cast.coordinator, stay=cast.stay_a, note="Fel hushåll")
    # then
    assert refusal.value.code == "no_room"
    assert "1 september 2022" in str(refusal.value.message)
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == MOVE_OUT


def test_it_names_the_household_that_took_a_bed_only_to_whom_may_see_it(cast, client):
    # given: the newcomer took a bed and has moved out again, out of partner A's sight
    moved_out(cast)
    unit_update(actor=cast.coordinator, unit=cast.unit_a, beds=4, blocked_beds=2)
    later = place_one(cast, cast.unit_a, dt.date(2022, 8, 5), name="Kovalenko")
    stay_end(actor=cast.coordinator, stay=later, on=dt.date(2022, 8, 20), reason="returned")
    url = reverse("stay_reopen", args=[cast.stay_a.public_id])
    client.force_login(cast.a_staff)
    # when
    partner = text(client.get(url))
    client.force_login(cast.coordinator)
    coordinator = text(client.get(url))
    # then
    assert "Bädd 1 togs av ett annat hushåll den 5 augusti 2022." in partner
    assert "Kovalenko" not in partner
    assert "Bädd 1 togs av Oleh Kovalenko den 5 augusti 2022." in coordinator


def test_it_refuses_when_the_household_has_lived_elsewhere_since(cast):
    # given: the household was allocated again and placed at partner B's
    moved_out(cast)
    allocation = AllocationFactory(household=cast.household_a, allocated_on=dt.date(2022, 8, 2))
    allocation_place(
        actor=cast.coordinator, allocation=allocation, unit=cast.unit_b, on=dt.date(2022, 8, 3)
    )
    # when
    with pytest.raises(ServiceError) as refusal:
        stay_reopen(actor=cast.coordinator, stay=cast.stay_a, note="Fel hushåll")
    # then
    assert refusal.value.code == "lived_elsewhere"


def test_it_audits_the_correction_as_a_correction_and_keeps_the_move_out_in_the_history(
    cast, client
):
    # given
    moved_out(cast)
    client.force_login(cast.a_staff)
    # when
    response = client.post(
        reverse("stay_reopen", args=[cast.stay_a.public_id]),
        {"note": "Fel hushåll valdes i listan"},
        follow=True,
    )
    # then: the partner sees its resident again, with the move-out and its correction
    assert response.redirect_chain[-1][0] == reverse(
        "household_detail", args=[cast.household_a.public_id]
    )
    page = text(response)
    assert "Utflyttningen är rättad: boendeperioden är öppen igen." in page
    assert (
        "Utflyttning den 2022-08-01 (Eget boende) registrerad av misstag; rättad den "
        f"{timezone.localdate():%Y-%m-%d} av {cast.a_staff.get_full_name()}: "
        "Fel hushåll valdes i listan"
    ) in page
    actions = list(
        AuditEvent.objects.filter(object_id=str(cast.stay_a.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["update", "correct"]
    assert not AuditEvent.objects.filter(action="delete").exists()
    correction = MoveOutCorrection.objects.get()
    assert (correction.moved_out_on, correction.exit_reason) == (MOVE_OUT, "own_housing")
    assert correction.corrected_by == cast.a_staff


def test_it_lets_partner_staff_correct_only_for_a_while_after_recording(cast, client):
    # given: the move-out was recorded longer ago than the partner's window
    moved_out(cast)
    Stay.objects.filter(pk=cast.stay_a.pk).update(
        ended_recorded_at=timezone.now() - MOVE_OUT_CORRECTION_WINDOW - dt.timedelta(hours=1)
    )
    url = reverse("stay_reopen", args=[cast.stay_a.public_id])
    # when
    client.force_login(cast.a_staff)
    partner = client.get(url)
    listed = client.get(reverse("moved_out_list"))
    client.force_login(cast.coordinator)
    coordinator = client.get(url)
    # then
    assert partner.status_code == 404
    assert "Shevchenko" not in text(listed)
    assert coordinator.status_code == 200


def test_it_offers_the_coordinator_the_correction_on_the_household_page(cast, client):
    # given
    moved_out(cast)
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    # then
    assert reverse("stay_reopen", args=[cast.stay_a.public_id]) in page.content.decode()


def test_it_refuses_a_correction_to_another_partner_and_to_a_viewer(cast):
    # given
    moved_out(cast)
    # when / then
    for outsider in (cast.b_staff, cast.a_viewer):
        with pytest.raises(ServiceError) as refusal:
            stay_reopen(actor=outsider, stay=cast.stay_a, note="Fel")
        assert refusal.value.code == "permission_denied"
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == MOVE_OUT


def test_it_audits_every_person_shown_in_the_moved_out_list(cast, client):
    # given
    moved_out(cast)
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("moved_out_list"))
    # then
    assert "Olena Shevchenko, Mariia Shevchenko" in text(page) or (
        "Mariia Shevchenko, Olena Shevchenko" in text(page)
    )
    persons = {str(p.public_id) for p in cast.household_a.persons.all()}
    audited = set(
        AuditEvent.objects.filter(
            actor=cast.a_staff, action="view", summary="moved-out list"
        ).values_list("object_id", flat=True)
    )
    assert audited == persons


def test_it_names_who_corrected_a_move_out_by_name_not_login_address(cast, client):
    # given: the coordinator has a name; a colleague without one has only an address
    cast.coordinator.first_name, cast.coordinator.last_name = "Karin", "Lund"
    cast.coordinator.save(update_fields=["first_name", "last_name"])
    moved_out(cast)
    stay_reopen(actor=cast.coordinator, stay=cast.stay_a, note="Fel hushåll valdes")
    client.force_login(cast.coordinator)
    # when
    page = text(client.get(reverse("household_detail", args=[cast.household_a.public_id])))
    # then
    assert "rättad den" in page and "av Karin Lund" in page
    assert cast.coordinator.email not in page.split("Logga ut")[-1]
