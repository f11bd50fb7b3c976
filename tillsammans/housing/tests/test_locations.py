"""Where a site is, for the distance part of a placement's fit; what a host speaks."""

import datetime as dt
from decimal import Decimal

import pytest

from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.geo import DISTRICTS
from tillsammans.housing.forms import SiteForm, UnitForm
from tillsammans.housing.models import SiteKind
from tillsammans.housing.services import site_create, site_update, unit_create
from tillsammans.partnership.models import Agreement


def test_it_places_a_site_at_its_coordinates_or_else_its_districts_centre(cast):
    # given: the cast's sites are in Centrum
    cast.site_a.latitude, cast.site_a.longitude = Decimal("57.70887"), Decimal("11.97456")
    # when / then
    assert cast.site_a.location() == (57.70887, 11.97456)
    assert cast.site_b.location() == DISTRICTS["Centrum"]
    cast.site_b.district = "Somewhere else"
    assert cast.site_b.location() is None


def test_it_refuses_a_latitude_without_a_longitude(cast):
    # when / then
    with pytest.raises(ServiceError) as error:
        site_update(actor=cast.a_admin, site=cast.site_a, latitude=Decimal("57.7"))
    assert error.value.code == "bad_number"
    form = SiteForm(
        {"name": "X", "kind": SiteKind.APARTMENT, "city": "Göteborg",
         "opens_on": "2022-04-01", "latitude": "57.7"},
        agreements=Agreement.objects.none(),
    )  # fmt: skip
    assert not form.is_valid()
    assert "longitude" in form.errors


def test_it_refuses_coordinates_off_the_globe(db):
    # when
    form = SiteForm(
        {"name": "X", "kind": SiteKind.APARTMENT, "city": "Göteborg",
         "opens_on": "2022-04-01", "latitude": "91", "longitude": "11.9"},
        agreements=Agreement.objects.none(),
    )  # fmt: skip
    # then
    assert not form.is_valid()
    assert "latitude" in form.errors


def test_it_keeps_the_languages_a_host_speaks(cast):
    # given
    site = site_create(
        actor=cast.a_admin, organisation=cast.org_a, name="Hjärterum", kind=SiteKind.HOST_HOME,
        opens_on=dt.date(2022, 4, 1),
    )  # fmt: skip
    form = UnitForm({"name": "Värdhem 01", "beds": 3, "blocked_beds": 0,
                     "host_languages": "SV, en,uk, en"})  # fmt: skip
    # when
    assert form.is_valid(), form.errors
    unit = unit_create(actor=cast.a_admin, site=site, **form.cleaned_data)
    # then
    assert unit.host_languages == ["sv", "en", "uk"]
    assert 'value="sv, en, uk"' in str(UnitForm(instance=unit)["host_languages"])


def test_it_refuses_a_host_language_that_is_not_a_code(db):
    form = UnitForm({"name": "V", "beds": 1, "blocked_beds": 0, "host_languages": "svenska"})
    assert not form.is_valid()
    assert "host_languages" in form.errors
