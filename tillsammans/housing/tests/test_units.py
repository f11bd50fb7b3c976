import datetime as dt

import pytest

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.housing.models import SiteKind
from tillsammans.housing.selectors import units_with_capacity
from tillsammans.housing.services import site_create, unit_create, unit_update


def test_it_computes_free_beds_from_stays(cast):
    # given unit A: 4 beds, 2 persons living there
    # when
    unit = units_with_capacity(type(cast.unit_a).objects.filter(pk=cast.unit_a.pk)).get()
    # then
    assert (unit.beds_total, unit.beds_occupied, unit.beds_free) == (4, 2, 2)


def test_it_blocks_beds_and_they_are_not_free(cast):
    # when
    unit_update(actor=cast.a_admin, unit=cast.unit_a, beds=4, blocked_beds=1)
    # then
    unit = units_with_capacity(type(cast.unit_a).objects.filter(pk=cast.unit_a.pk)).get()
    assert (unit.beds_blocked, unit.beds_free) == (1, 1)


def test_it_refuses_to_remove_beds_in_use(cast):
    with pytest.raises(ServiceError) as error:
        unit_update(actor=cast.a_admin, unit=cast.unit_a, beds=1, blocked_beds=0)
    assert error.value.code == "beds_occupied"


def test_it_lets_partner_admin_change_only_own_sites(cast):
    with pytest.raises(PermissionDenied):
        unit_update(actor=cast.a_admin, unit=cast.unit_b, beds=8)
    with pytest.raises(PermissionDenied):
        unit_update(actor=cast.a_staff, unit=cast.unit_a, beds=8)


def test_it_makes_a_host_home_take_one_household(cast):
    # given
    site = site_create(
        actor=cast.a_admin, organisation=cast.org_a, name="Hemma hos", kind=SiteKind.HOST_HOME,
        opens_on=dt.date(2022, 4, 1),
    )  # fmt: skip
    # when
    unit = unit_create(actor=cast.a_admin, site=site, name="Rum", beds=3)
    # then
    assert unit.max_households == 1


def test_it_refuses_a_site_closing_before_it_opens(cast):
    with pytest.raises(ServiceError):
        site_create(
            actor=cast.a_admin, organisation=cast.org_a, name="X", kind=SiteKind.APARTMENT,
            opens_on=dt.date(2022, 4, 1), closes_on=dt.date(2022, 3, 1),
        )  # fmt: skip
