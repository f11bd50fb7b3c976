"""The work list of young people turning 18, and the move to supported housing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import LicenceFactory, UnitFactory
from tillsammans.core.lib.dates import birthday_in_year
from tillsammans.minors import access
from tillsammans.minors.selectors import turning_18
from tillsammans.minors.services import (
    after_18_record,
    birth_date_record,
    child_move,
    child_place,
    child_register,
    decision_record,
)

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _born_turning_18_in(days: int) -> dt.date:
    day = TODAY + dt.timedelta(days=days)
    return birthday_in_year(day, day.year - 18)


def _register(cast, birth_date, name="Ali"):
    return child_register(
        actor=cast.case_worker, first_name=name, last_name="Ahmadi", birth_date=birth_date,
        basis="assessed", sex="male", allocated_on=TODAY - 30 * DAY,
    )  # fmt: skip


def _listed(cast, user=None):
    cases = access.visible_cases(user or cast.case_worker)
    return [row.case.person.first_name for row in turning_18(cases, TODAY)]


def test_it_lists_those_turning_18_within_90_days_soonest_first(cast):
    # given three young people turning 18 in 10, 89 and 100 days
    _register(cast, _born_turning_18_in(89), "Later")
    _register(cast, _born_turning_18_in(10), "Soon")
    _register(cast, _born_turning_18_in(100), "Not yet")
    # when / then
    assert _listed(cast) == ["Soon", "Later"]


def test_it_moves_a_young_person_onto_the_list_at_once_when_a_revised_date_makes_them_18(cast):
    # given a child stated to be 16, not on the list
    case = _register(cast, _born_turning_18_in(700))
    assert _listed(cast) == []
    # when the Migration Agency revises the date of birth: 18 already
    birth_date_record(
        actor=cast.case_worker, case=case, birth_date=_born_turning_18_in(-20), basis="revised",
        decided_on=TODAY,
    )  # fmt: skip
    # then the young person is on the list, as already 18
    rows = turning_18(access.visible_cases(cast.case_worker), TODAY)
    assert [row.case.pk for row in rows] == [case.pk]
    assert rows[0].days_left == -20
    # and a revision back to 16 takes them off again
    birth_date_record(
        actor=cast.case_worker, case=case, birth_date=_born_turning_18_in(700), basis="revised",
        decided_on=TODAY,
    )  # fmt: skip
    assert _listed(cast) == []


def test_it_takes_a_young_person_off_the_list_when_the_decision_for_18_is_recorded(cast):
    # given
    case = _register(cast, _born_turning_18_in(30))
    # when
    after_18_record(actor=cast.case_worker, case=case, after_18="supported", decided_on=TODAY)
    # then
    assert _listed(cast) == []


def test_it_shows_the_list_to_the_home_for_the_young_people_it_houses_only(cast, client):
    # given a young person turning 18 in 30 days living in partner A's home
    licence = LicenceFactory.create(site__organisation=cast.org_a, valid_from=TODAY - 400 * DAY)
    unit = UnitFactory.create(site=licence.site, beds=2)
    case = _register(cast, _born_turning_18_in(30), "Housed")
    decision_record(
        actor=cast.case_worker, case=case, site=licence.site, decided_on=TODAY - 5 * DAY,
        valid_from=TODAY - 5 * DAY,
    )  # fmt: skip
    child_place(actor=cast.case_worker, case=case, unit=unit, on=TODAY - 5 * DAY)
    _register(cast, _born_turning_18_in(20), "Elsewhere")
    # when partner A's staff open the list
    client.force_login(cast.a_staff)
    page = client.get(reverse("turning_18")).content.decode()
    # then they see the young person they house, and not the other
    assert "Housed" in page
    assert "Elsewhere" not in page
    assert _listed(cast, cast.b_staff) == []


def test_it_moves_a_young_adult_to_supported_housing_on_a_continued_decision(cast):
    # given a 17-year-old in an HVB home, turning 18 in 10 days
    hvb = LicenceFactory.create(site__organisation=cast.org_a, valid_from=TODAY - 400 * DAY)
    hvb_unit = UnitFactory.create(site=hvb.site, beds=2)
    supported = LicenceFactory.create(
        site__organisation=cast.org_b, site__kind="supported", min_age=16,
        valid_from=TODAY - 400 * DAY,
    )  # fmt: skip
    supported_unit = UnitFactory.create(site=supported.site, beds=1)
    case = _register(cast, _born_turning_18_in(10))
    start = TODAY - 20 * DAY
    decision_record(
        actor=cast.case_worker, case=case, site=hvb.site, decided_on=start, valid_from=start
    )
    child_place(actor=cast.case_worker, case=case, unit=hvb_unit, on=start)
    moving_day = TODAY + 15 * DAY  # after the 18th birthday
    # when the move is tried on a decision that does not continue after 18, it is refused
    decision_record(
        actor=cast.case_worker, case=case, site=supported.site, decided_on=TODAY,
        valid_from=moving_day,
    )  # fmt: skip
    with pytest.raises(ServiceError):
        child_move(actor=cast.case_worker, case=case, unit=supported_unit, on=moving_day)
    # then with a decision that continues the placement after 18, the young adult moves
    decision_record(
        actor=cast.case_worker, case=case, site=supported.site, decided_on=TODAY,
        valid_from=moving_day, continued_after_18=True,
    )  # fmt: skip
    stay = child_move(actor=cast.case_worker, case=case, unit=supported_unit, on=moving_day)
    assert stay.unit.site == supported.site


def test_the_case_workers_home_page_asks_for_a_decision_first_when_one_is_already_18(cast, client):
    # given: one young person turning 18 in ten days, one who is 18 already
    _register(cast, _born_turning_18_in(10), "Soon")
    _register(cast, _born_turning_18_in(-3), "Already")
    client.force_login(cast.case_worker)
    # when
    home = client.get(reverse("dashboard")).content.decode()
    # then: one item for both, marked as late, linking to the list
    assert (
        f'<li class="urgent"><a href="{reverse("turning_18")}">2 ungdomar är 18 eller fyller 18'
        in home
    )
    # and a partner who houses neither is not asked
    client.force_login(cast.b_staff)
    assert "fyller 18" not in client.get(reverse("dashboard")).content.decode()
