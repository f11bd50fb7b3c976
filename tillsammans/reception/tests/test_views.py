import datetime as dt

from django.urls import reverse

from tillsammans.reception.models import Allocation, AllocationStatus


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


def test_it_lets_partner_staff_move_a_resident_out(cast, client):
    client.force_login(cast.a_staff)
    url = reverse("stay_end", args=[cast.stay_a.public_id])
    response = client.post(url, {"on": "2022-12-01", "reason": "own_housing", "confirm": "yes"})
    assert response.status_code == 302
    cast.stay_a.refresh_from_db()
    assert cast.stay_a.ended_on == dt.date(2022, 12, 1)


def _new_allocation_data(**overrides):
    data = {
        "allocation-reference": "A-NEW-1",
        "allocation-allocated_on": "2022-07-05",
        "allocation-expected_arrival": "2022-07-08",
        "allocation-household_reference": "H-NEW-1",
        "allocation-needs_accessible": "on",
        "person-first_name": "Тетяна",
        "person-last_name": "Мельник",
        "person-first_name_latin": "Tetiana",
        "person-last_name_latin": "Melnyk",
        "person-birth_date": "1979-02-03",
        "person-sex": "female",
        "person-languages": "uk, ru",
    }
    data.update(overrides)
    return data


def test_it_registers_one_allocation_by_hand(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.post(reverse("allocation_create"), _new_allocation_data())
    # then
    assert response.status_code == 302
    allocation = Allocation.objects.get(reference="A-NEW-1")
    assert allocation.status == AllocationStatus.PENDING
    assert allocation.household.needs_accessible
    assert allocation.household.persons.get().last_name_latin == "Melnyk"


def test_it_registers_an_unaccompanied_child_whom_only_a_home_for_children_takes(cast, client):
    # given
    client.force_login(cast.coordinator)
    data = _new_allocation_data(
        **{"allocation-unaccompanied": "on", "person-birth_date": "2008-05-06"}
    )
    # when
    client.post(reverse("allocation_create"), data)
    # then the household is unaccompanied, and the allocation page says where it may live
    allocation = Allocation.objects.get(reference="A-NEW-1")
    assert allocation.household.unaccompanied
    page = client.get(reverse("allocation_detail", args=[allocation.public_id]))
    assert 'data-testid="licensed-home-note"' in page.content.decode()


def test_it_refuses_an_arrival_before_the_allocation_and_writes_nothing(cast, client):
    client.force_login(cast.coordinator)
    data = _new_allocation_data(**{"allocation-expected_arrival": "2022-07-01"})
    response = client.post(reverse("allocation_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Allocation.objects.filter(reference="A-NEW-1").exists()


def test_it_refuses_a_duplicate_allocation_reference(cast, client):
    client.force_login(cast.coordinator)
    data = _new_allocation_data(**{"allocation-reference": "A-PENDING"})
    response = client.post(reverse("allocation_create"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
