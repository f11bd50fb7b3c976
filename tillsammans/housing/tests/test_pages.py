import datetime as dt

from django.urls import reverse


def test_it_says_a_site_without_an_end_is_open_from_its_first_day(cast, client):
    # given: site A open since 15 March 2022 without an end, site B closing at the year's end
    type(cast.site_b).objects.filter(pk=cast.site_b.pk).update(closes_on=dt.date(2022, 12, 31))
    client.force_login(cast.coordinator)
    # when
    detail = client.get(reverse("site_detail", args=[cast.site_a.public_id])).content.decode()
    listed = client.get(reverse("site_list")).content.decode()
    # then: an open end reads "from", a closed period as its two days
    assert "från 2022-03-15" in detail
    assert "från 2022-03-15" in listed
    assert "2022-03-15 – 2022-12-31" in listed


def test_it_names_the_households_living_at_a_site_beside_their_reference(cast, client):
    # given: the Shevchenko household lives at site A
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("site_detail", args=[cast.site_a.public_id]))
    # then
    assert 'Shevchenko</bdi></a> <span class="muted nowrap">H-A</span>' in page.text
