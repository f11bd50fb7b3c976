"""The implementation plan: goals by area with follow-up dates, written and read by the case
worker and the home that houses the child, and by no one else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.minors.models import PlanGoal
from tillsammans.minors.services import (
    plan_goal_add,
    plan_goal_follow_up,
)

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def test_it_keeps_goals_by_area_and_their_follow_up(cast, case):
    # given the case worker sets a school goal, and the home a language goal
    school = plan_goal_add(
        actor=cast.case_worker, case=case, area="school", goal="Börjar i förberedelseklass",
        follow_up_on=TODAY + 30 * DAY,
    )  # fmt: skip
    plan_goal_add(
        actor=cast.a_staff, case=case, area="language", goal="Svenska varje dag",
        follow_up_on=TODAY + 60 * DAY,
    )  # fmt: skip
    # when the home follows up the school goal
    plan_goal_follow_up(
        actor=cast.a_staff, goal=school, followed_up_on=TODAY, outcome="Går i klass 8B."
    )
    # then
    goals = {goal.area: goal for goal in PlanGoal.objects.filter(case=case)}
    assert goals["school"].outcome == "Går i klass 8B."
    assert goals["language"].followed_up_on is None


@pytest.mark.parametrize("outsider", ["coordinator", "b_staff", "a_viewer"])
def test_it_lets_no_one_else_write_the_plan(cast, case, outsider):
    with pytest.raises(PermissionDenied):
        plan_goal_add(
            actor=getattr(cast, outsider), case=case, area="health", goal="Tandläkare",
            follow_up_on=TODAY,
        )  # fmt: skip
    assert not PlanGoal.objects.exists()


def test_it_refuses_a_goal_without_words_and_writes_nothing(cast, case):
    with pytest.raises(ServiceError):
        plan_goal_add(
            actor=cast.case_worker, case=case, area="health", goal="   ", follow_up_on=TODAY
        )
    assert not PlanGoal.objects.exists()


def test_it_shows_the_plan_to_the_home_and_not_to_the_coordinator(cast, case, client):
    # given a goal
    plan_goal_add(
        actor=cast.case_worker, case=case, area="family", goal="Kontakt med morbror i Malmö",
        follow_up_on=TODAY + 10 * DAY,
    )  # fmt: skip
    url = reverse("case_detail", args=[case.public_id])
    # when / then: the home reads it, the coordinator gets the same 404 as for no case
    client.force_login(cast.a_staff)
    assert "Kontakt med morbror" in client.get(url).content.decode()
    client.force_login(cast.coordinator)
    assert client.get(url).status_code == 404
