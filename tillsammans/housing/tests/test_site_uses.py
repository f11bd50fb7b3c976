"""A home for children is an asylum home or a home for young people with a residence permit,
and can change from one to the other ("inleds som asyl", seed 003)."""

import datetime as dt

import pytest
from django.urls import reverse

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import HomeForChildrenFactory
from tillsammans.housing.models import SiteUse
from tillsammans.housing.services import site_use_record


@pytest.fixture
def home(cast):
    return HomeForChildrenFactory.create(organisation=cast.org_a, name="HVB Solrosen")


def test_it_records_a_home_that_starts_as_an_asylum_home_and_becomes_a_residence_home(
    cast, home, client
):
    # when
    site_use_record(actor=cast.a_admin, site=home, use="asylum", valid_from=dt.date(2015, 3, 1))
    site_use_record(actor=cast.a_admin, site=home, use="residence", valid_from=dt.date(2016, 1, 1))
    # then both are kept, and the site page shows them
    assert [u.use for u in SiteUse.objects.filter(site=home)] == ["asylum", "residence"]
    client.force_login(cast.a_staff)
    page = client.get(reverse("site_detail", args=[home.public_id])).content.decode()
    assert 'data-testid="site-uses"' in page and "2016-01-01" in page


def test_it_corrects_the_use_from_the_same_day(cast, home):
    site_use_record(actor=cast.a_admin, site=home, use="asylum", valid_from=dt.date(2015, 3, 1))
    site_use_record(actor=cast.a_admin, site=home, use="residence", valid_from=dt.date(2015, 3, 1))
    assert [u.use for u in SiteUse.objects.filter(site=home)] == ["residence"]


def test_it_refuses_a_use_before_the_home_opens_or_by_another_partner(cast, home):
    with pytest.raises(ServiceError):
        site_use_record(actor=cast.a_admin, site=home, use="asylum", valid_from=dt.date(2014, 1, 1))
    with pytest.raises(PermissionDenied):
        site_use_record(actor=cast.b_staff, site=home, use="asylum", valid_from=dt.date(2015, 3, 1))
    with pytest.raises(PermissionDenied):  # an adults' site has no such use
        site_use_record(
            actor=cast.coordinator, site=cast.site_a, use="asylum", valid_from=dt.date(2022, 4, 1)
        )
    assert not SiteUse.objects.exists()
