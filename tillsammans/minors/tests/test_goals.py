"""The 2015–2016 agreement's goals (seed 003) followed with indicators computed from the
children's data: guardians in time, plans, volunteers, services, relatives found and
decisions before 18, counted for the children who lived at the agreement's homes."""

import datetime as dt
from decimal import Decimal

import pytest

from tillsammans.core.factories import LicenceFactory, UnitFactory
from tillsammans.housing.models import Site
from tillsammans.minors.services import (
    after_18_record,
    child_place,
    child_register,
    decision_record,
    guardian_appoint,
    plan_goal_add,
)
from tillsammans.partnership.models import Measure
from tillsammans.reporting.goals import computed

D = dt.date
YEAR = 2025


@pytest.fixture
def two_children(cast):
    """Two children placed in partner A's HVB home in 2025: the first (15) with a guardian
    nine days after arrival and a plan; the second (17, turning 18 on 1 May) with no guardian
    and a decision for 18 made a month before the birthday."""
    licence = LicenceFactory.create(site__organisation=cast.org_a, valid_from=D(2024, 1, 1))
    unit = UnitFactory.create(site=licence.site, beds=2)
    children = []
    for name, born, arrived in (
        ("Ali", D(2009, 6, 1), D(YEAR, 3, 1)),
        ("Yonas", D(2007, 5, 1), D(YEAR, 3, 20)),
    ):
        case = child_register(
            actor=cast.case_worker, first_name=name, last_name="X", birth_date=born,
            basis="assessed", sex="male", allocated_on=arrived,
        )  # fmt: skip
        decision_record(
            actor=cast.case_worker, case=case, site=licence.site, decided_on=arrived,
            valid_from=arrived, continued_after_18=True,
        )  # fmt: skip
        child_place(actor=cast.case_worker, case=case, unit=unit, on=arrived)
        children.append(case)
    first, second = children
    guardian_appoint(
        actor=cast.case_worker,
        case=first,
        kind="god_man",
        name="Karin",
        appointed_on=D(YEAR, 3, 10),
    )
    plan_goal_add(
        actor=cast.case_worker, case=first, area="school", goal="Förberedelseklass",
        follow_up_on=D(YEAR, 6, 1),
    )  # fmt: skip
    after_18_record(
        actor=cast.case_worker, case=second, after_18="supported", decided_on=D(YEAR, 4, 1)
    )
    return licence.site, children


def test_the_childrens_indicators_count_the_children_of_the_year(two_children):
    home, _children = two_children
    sites = Site.objects.filter(pk=home.pk)
    # then of two children who arrived, one had a guardian within 14 days; one has a plan;
    # the one who turned 18 had the decision before the birthday
    assert computed(Measure.GUARDIAN_IN_TIME, YEAR, sites) == Decimal("50.0")
    assert computed(Measure.CHILDREN_WITH_PLAN, YEAR, sites) == Decimal("50.0")
    assert computed(Measure.AFTER_18_IN_TIME, YEAR, sites) == Decimal("100.0")
    assert computed(Measure.CHILDREN_WITH_VOLUNTEER, YEAR, sites) == Decimal("0.0")
    assert computed(Measure.CHILDREN_IN_SERVICES, YEAR, sites) == Decimal(0)


def test_the_childrens_indicators_have_no_value_where_no_child_lived(two_children):
    # a year with no child, and a site with no child, give no share (not 0 %)
    assert computed(Measure.GUARDIAN_IN_TIME, YEAR - 1) is None
    assert computed(Measure.CHILDREN_WITH_PLAN, YEAR, Site.objects.none()) is None
