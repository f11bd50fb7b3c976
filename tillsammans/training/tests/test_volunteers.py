"""Volunteers: minimal data, their own partner's only, hours per month that sum easily."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tillsammans.core.errors import ServiceError
from tillsammans.training.models import VolunteerHours
from tillsammans.training.selectors import (
    monthly_figures,
    visible_volunteers,
    volunteer_hours_by_organisation,
)
from tillsammans.training.services import (
    volunteer_create,
    volunteer_hours_record,
    volunteer_update,
)

OCTOBER = dt.date(2022, 10, 1)


def _refused(expected, call, **kwargs):
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        call(**kwargs)
    assert refused.value.code == expected, refused.value.message
    return refused.value


@pytest.fixture
def karin(cast):
    return volunteer_create(actor=cast.a_staff, alias="Karin", helps_with="Språkcafé")


def test_it_keeps_a_volunteer_for_the_creators_organisation(cast, karin):
    assert karin.organisation == cast.org_a
    assert list(visible_volunteers(cast.a_admin)) == [karin]


def test_it_never_shows_partner_b_partner_as_volunteers(cast, karin, client_as):
    # given
    url = reverse("volunteer_detail", args=[karin.public_id])
    missing = reverse("volunteer_detail", args=[uuid.uuid4()])
    # when
    listed = client_as("b_staff").get(reverse("volunteer_list"))
    theirs = client_as("b_staff").get(url)
    none = client_as("b_staff").get(missing)
    posted = client_as("b_staff").post(url, {"month": "2022-10", "hours": "5"})
    # then
    assert "Karin" not in listed.text
    assert list(visible_volunteers(cast.b_staff)) == []
    assert list(visible_volunteers(cast.a_viewer)) == []
    assert theirs.status_code == none.status_code == posted.status_code == 404
    assert theirs.content == none.content
    assert not VolunteerHours.objects.exists()


def test_it_refuses_a_full_name(cast):
    _refused(
        "bad_alias",
        volunteer_create,
        actor=cast.a_staff,
        alias="Karin Maria Svensson",
        helps_with="Läxhjälp",
    )


def test_it_refuses_partner_b_changing_partner_as_volunteer(cast, karin):
    _refused(
        "permission_denied",
        volunteer_update,
        actor=cast.b_staff,
        volunteer=karin,
        alias="X",
        helps_with="Y",
        active=False,
    )
    _refused(
        "permission_denied",
        volunteer_hours_record,
        actor=cast.b_staff,
        volunteer=karin,
        month=OCTOBER,
        hours=Decimal(3),
    )


def test_it_keeps_one_figure_per_month_and_sums_it_per_partner(cast, karin):
    # given
    sven = volunteer_create(actor=cast.a_admin, alias="Sven", helps_with="Läxhjälp")
    # when: Karin's October is entered twice (the second replaces the first)
    volunteer_hours_record(actor=cast.a_staff, volunteer=karin, month=OCTOBER, hours=Decimal(4))
    volunteer_hours_record(
        actor=cast.a_staff, volunteer=karin, month=dt.date(2022, 10, 17), hours=Decimal("12.5")
    )
    volunteer_hours_record(actor=cast.a_staff, volunteer=sven, month=OCTOBER, hours=Decimal(6))
    # then
    assert VolunteerHours.objects.filter(volunteer=karin).count() == 1
    assert volunteer_hours_by_organisation(2022, 10) == {cast.org_a.pk: Decimal("18.5")}
    assert monthly_figures(2022, 10)[cast.org_a.pk]["volunteer_hours"] == 18
    assert volunteer_hours_by_organisation(2022, 9) == {}


@pytest.mark.parametrize(
    ("month", "hours", "expected"),
    [
        (OCTOBER, Decimal(-1), "bad_hours"),
        (OCTOBER, Decimal(745), "bad_hours"),
        (timezone.localdate() + dt.timedelta(days=62), Decimal(3), "bad_month"),
    ],
)
def test_it_refuses_impossible_hours_or_a_future_month(cast, karin, month, hours, expected):
    _refused(
        expected,
        volunteer_hours_record,
        actor=cast.a_staff,
        volunteer=karin,
        month=month,
        hours=hours,
    )


def test_it_records_hours_from_the_volunteer_page_and_reports_a_bad_month(cast, karin, client):
    # given
    client.force_login(cast.a_staff)
    url = reverse("volunteer_detail", args=[karin.public_id])
    # when
    saved = client.post(url, {"month": "2022-10", "hours": "7,5"})
    bad = client.post(url, {"month": "oktober", "hours": "3"})
    # then
    assert saved.status_code == 302
    assert VolunteerHours.objects.get().hours == Decimal("7.5")
    assert bad.status_code == 200
    assert VolunteerHours.objects.count() == 1
