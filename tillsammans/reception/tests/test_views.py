import datetime as dt

from django.urls import reverse

from tillsammans.reception.models import AllocationStatus


def test_it_offers_only_units_that_fit_and_places_the_household(cast, client):
    # given
    client.force_login(cast.coordinator)
    url = reverse("allocation_detail", args=[cast.allocation_pending.public_id])
    # when
    page = client.get(url)
    # then both units have room for one person
    choices = [value for value, _label in page.context["place_form"].fields["unit"].widget.choices]
    assert str(cast.unit_b.public_id) in choices
    # when
    response = client.post(url, {"unit": str(cast.unit_b.public_id), "on": "2022-08-01"})
    # then
    assert response.status_code == 302
    cast.allocation_pending.refresh_from_db()
    assert cast.allocation_pending.status == AllocationStatus.PLACED


def test_it_tells_the_coordinator_when_there_is_no_longer_room(cast, client):
    # given unit A has 2 free beds; block them both
    from tillsammans.housing.services import unit_update

    unit_update(actor=cast.coordinator, unit=cast.unit_a, beds=4, blocked_beds=2)
    client.force_login(cast.coordinator)
    url = reverse("allocation_detail", args=[cast.allocation_pending.public_id])
    # when
    response = client.post(url, {"unit": str(cast.unit_a.public_id), "on": "2022-08-01"})
    # then
    assert response.status_code == 400
    assert "inte längre plats" in response.text or "no longer room" in response.text


def test_it_refuses_a_move_out_date_before_the_move_in(cast, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    # when
    response = client.post(url, {"on": "2022-01-01", "reason": "own_housing"}, follow=True)
    # then
    assert response.status_code == 200
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on is None
    assert len(list(response.context["messages"])) == 1


def test_it_lets_partner_staff_move_a_resident_out(cast, client):
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    response = client.post(url, {"on": "2022-12-01", "reason": "own_housing"})
    assert response.status_code == 302
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == dt.date(2022, 12, 1)
