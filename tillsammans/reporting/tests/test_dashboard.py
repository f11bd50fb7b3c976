from django.urls import reverse


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


def test_it_reports_person_nights_for_a_period(cast, client):
    client.force_login(cast.a_viewer)
    response = client.get(reverse("occupancy_report"), {"start": "2022-08-01", "end": "2022-09-01"})
    assert response.context["grand_total"] == 2 * 31


def test_it_explains_an_impossible_period(cast, client):
    client.force_login(cast.a_viewer)
    response = client.get(reverse("occupancy_report"), {"start": "2022-09-01", "end": "2022-08-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
