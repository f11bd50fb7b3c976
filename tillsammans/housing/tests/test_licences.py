"""A home for children's licences (ADR 26): recorded and corrected by those who manage the
home, one valid on any day, held by the partner or the city, audited; the site page shows
them and says when none is valid today."""

import datetime as dt

import pytest
from django.urls import reverse

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import HomeForChildrenFactory
from tillsammans.core.models import AuditEvent
from tillsammans.housing.error_codes import HousingErrorCode as Code
from tillsammans.housing.models import Licence, LicenceSex
from tillsammans.housing.services import licence_save

MARCH = dt.date(2015, 3, 1)


def _home(cast):
    return HomeForChildrenFactory.create(organisation=cast.org_a, name="Lunden", opens_on=MARCH)


def _terms(cast, **changes):
    terms = {
        "number": "IVO 8.5-77/2015", "holder": cast.org_a, "min_age": 13, "max_age": 17,
        "sex": LicenceSex.MALE, "places": 8, "valid_from": MARCH, "valid_to": None,
    }  # fmt: skip
    return terms | changes


def test_it_records_a_licence_held_by_the_city_and_audits_it(cast):
    # given
    home = _home(cast)
    # when: the partner's admin records the city's licence (the home run as its contractor)
    licence = licence_save(actor=cast.a_admin, site=home, **_terms(cast, holder=cast.city))
    # then
    assert (licence.holder, licence.places, licence.sex) == (cast.city, 8, LicenceSex.MALE)
    event = AuditEvent.objects.get(object_id=str(licence.public_id))
    assert event.actor == cast.a_admin
    assert "IVO 8.5-77/2015" in event.summary


def test_it_refuses_a_licence_for_a_site_that_is_not_a_home_for_children(cast):
    with pytest.raises(ServiceError) as refused:
        licence_save(actor=cast.coordinator, site=cast.site_a, **_terms(cast))
    assert refused.value.code == Code.NOT_A_HOME_FOR_CHILDREN
    assert not Licence.objects.exists()


def test_it_refuses_a_holder_other_than_the_partner_or_the_city(cast):
    with pytest.raises(ServiceError) as refused:
        licence_save(actor=cast.coordinator, site=_home(cast), **_terms(cast, holder=cast.org_b))
    assert refused.value.code == Code.BAD_HOLDER


def test_it_refuses_two_licences_valid_on_the_same_day_and_takes_a_renewal(cast):
    # given: a licence from March 2015 until further notice
    home = _home(cast)
    first = licence_save(actor=cast.coordinator, site=home, **_terms(cast))
    # when / then: a second from March 2016 overlaps it
    with pytest.raises(ServiceError) as refused:
        licence_save(
            actor=cast.coordinator, site=home,
            **_terms(cast, number="IVO 2016", valid_from=dt.date(2016, 3, 1), places=12),
        )  # fmt: skip
    assert refused.value.code == Code.LICENCES_OVERLAP
    assert first.number in refused.value.message
    # and: once the first ends the day before, the renewal is taken
    licence_save(
        actor=cast.coordinator, site=home, licence=first,
        **_terms(cast, valid_to=dt.date(2016, 2, 29)),
    )  # fmt: skip
    renewal = licence_save(
        actor=cast.coordinator, site=home,
        **_terms(cast, number="IVO 2016", valid_from=dt.date(2016, 3, 1), places=12),
    )  # fmt: skip
    assert list(home.licences.order_by("valid_from")) == [first, renewal]


def test_it_refuses_ages_in_the_wrong_order(cast):
    with pytest.raises(ServiceError) as refused:
        licence_save(actor=cast.coordinator, site=_home(cast), **_terms(cast, min_age=18))
    assert refused.value.code == Code.BAD_NUMBER


def test_it_lets_only_those_who_manage_the_home_record_a_licence(cast):
    with pytest.raises(PermissionDenied):
        licence_save(actor=cast.a_staff, site=_home(cast), **_terms(cast))
    assert not Licence.objects.exists()


def test_it_shows_the_licences_and_warns_when_none_is_valid_today(cast, client):
    # given: a home whose only licence ended in 2016
    home = _home(cast)
    licence_save(actor=cast.coordinator, site=home, **_terms(cast, valid_to=dt.date(2016, 12, 31)))
    client.force_login(cast.a_admin)
    # when
    page = client.get(reverse("site_detail", args=[home.public_id])).content.decode()
    # then
    assert "IVO 8.5-77/2015" in page
    assert "13–17 år" in page
    assert 'data-testid="no-licence"' in page
    assert reverse("licence_create", args=[home.public_id]) in page


def test_it_answers_a_licence_form_error_in_swedish_without_writing(cast, client):
    # given
    home = _home(cast)
    client.force_login(cast.coordinator)
    # when: the oldest age is below the youngest
    response = client.post(
        reverse("licence_create", args=[home.public_id]),
        {
            "number": "IVO 1",
            "holder": cast.org_a.pk,
            "min_age": 16,
            "max_age": 13,
            "sex": "any",
            "places": 4,
            "valid_from": "2015-03-01",
            "valid_to": "",
        },
    )
    # then
    assert response.status_code == 200
    assert "Den högsta åldern kan inte vara lägre än den lägsta." in response.content.decode()
    assert not Licence.objects.exists()
