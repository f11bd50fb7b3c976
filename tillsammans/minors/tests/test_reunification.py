"""Family reunification: the child's case worker or home opens it with the organisation that
helps; relatives sought and dated steps in their order; the helper sees the child's name and
age and the reunification, never the case; closed, it takes no more steps."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditEvent
from tillsammans.minors import access
from tillsammans.minors.error_codes import MinorsErrorCode as Code
from tillsammans.minors.models import ReunificationEvent, ReunificationStep
from tillsammans.minors.services import relative_add, reunification_open, reunification_step

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def reunification(cast, case):
    """The child's reunification, opened by the case worker a month ago, helped by partner B."""
    return reunification_open(
        actor=cast.case_worker, case=case, helped_by=cast.org_b, opened_on=TODAY - 30 * DAY
    )


def _step(cast, reunification, step, days_ago, actor=None, **extra):
    return reunification_step(
        actor=actor or cast.b_staff, reunification=reunification, step=step,
        on=TODAY - days_ago * DAY, **extra,
    )  # fmt: skip


def test_the_helper_traces_and_applies_and_the_steps_come_in_their_order(cast, reunification):
    # given a mother sought, added by the helping organisation
    mother = relative_add(
        actor=cast.b_staff, reunification=reunification, name="Amina Ahmadi", relation="mother",
        last_known_place="Kabul",
    )  # fmt: skip
    # when the helper records the tracing request and the mother found
    _step(cast, reunification, ReunificationStep.TRACING_REQUESTED, 25, reference="RK-1234")
    _step(cast, reunification, ReunificationStep.RELATIVE_FOUND, 10, relative=mother)
    # then a decision before any application is refused
    with pytest.raises(ServiceError) as refused:
        _step(cast, reunification, ReunificationStep.GRANTED, 5)
    assert refused.value.code == Code.BAD_DATES
    # and once applied, the grant and the family's arrival are recorded
    _step(cast, reunification, ReunificationStep.APPLICATION_SUBMITTED, 8, reference="MIG-77")
    _step(cast, reunification, ReunificationStep.GRANTED, 3)
    _step(cast, reunification, ReunificationStep.FAMILY_ARRIVED, 1)
    steps = list(reunification.events.values_list("step", flat=True))
    assert steps == [
        "tracing_requested", "relative_found", "application_submitted", "granted",
        "family_arrived",
    ]  # fmt: skip


def test_a_step_before_the_opening_or_in_the_future_is_refused(cast, reunification):
    for days_ago in (31, -1):
        with pytest.raises(ServiceError) as refused:
            _step(cast, reunification, ReunificationStep.TRACING_REQUESTED, days_ago)
        assert refused.value.code == Code.BAD_DATES
    assert not ReunificationEvent.objects.exists()


def test_a_closed_reunification_takes_no_more_steps_and_a_new_one_can_be_opened(
    cast, case, reunification
):
    # given the reunification closed
    _step(cast, reunification, ReunificationStep.CLOSED, 2, note="Familjen hittades inte")
    reunification.refresh_from_db()
    assert reunification.closed_on == TODAY - 2 * DAY
    # when / then
    with pytest.raises(ServiceError) as refused:
        _step(cast, reunification, ReunificationStep.TRACING_REQUESTED, 1)
    assert refused.value.code == Code.ENDED
    # and a new one may be opened, while two open at once are refused
    reunification_open(actor=cast.case_worker, case=case, helped_by=cast.org_b, opened_on=TODAY)
    with pytest.raises(ServiceError) as refused:
        reunification_open(actor=cast.case_worker, case=case, helped_by=cast.org_b, opened_on=TODAY)
    assert refused.value.code == Code.DUPLICATE


def test_the_helper_sees_the_reunification_but_not_the_case_and_others_see_neither(
    cast, case, reunification
):
    # the helper (partner B) sees the reunification, not the child's case
    assert access.visible_reunifications(cast.b_staff).filter(pk=reunification.pk).exists()
    assert not access.visible_cases(cast.b_staff).filter(pk=case.pk).exists()
    # the home (partner A) and the case worker see it; the coordinator and a viewer do not
    assert access.visible_reunifications(cast.a_staff).filter(pk=reunification.pk).exists()
    assert access.visible_reunifications(cast.case_worker).filter(pk=reunification.pk).exists()
    for outsider in (cast.coordinator, cast.a_viewer):
        assert not access.visible_reunifications(outsider).exists()
    # and only the child's case worker or home opens one: not the helper
    with pytest.raises(PermissionDenied):
        reunification_open(actor=cast.b_staff, case=case, helped_by=cast.org_b, opened_on=TODAY)


def test_the_page_records_a_relative_and_a_step_and_audits_the_read(cast, reunification, client):
    # given the helper's staff on the reunification's page
    client.force_login(cast.b_staff)
    url = reverse("reunification_detail", args=[reunification.public_id])
    # when they add a relative with no name, then with one, then a step
    empty = client.post(url, {"form": "relative", "name": "", "relation": "father"})
    assert empty.status_code == 200 and 'role="alert"' in empty.content.decode()
    client.post(url, {"form": "relative", "name": "Reza Ahmadi", "relation": "father"})
    client.post(
        url,
        {"form": "step", "step": "tracing_requested", "on": TODAY.isoformat(), "reference": "RK-9"},
    )
    # then the page shows both, and names no link to the child's case
    page = client.get(url).content.decode()
    assert "Reza Ahmadi" in page and "RK-9" in page
    assert reverse("case_detail", args=[reunification.case.public_id]) not in page
    assert AuditEvent.objects.filter(
        actor=cast.b_staff, object_id=str(reunification.case.person.public_id)
    ).exists()


def test_steps_keep_their_order_and_one_outcome_stands_until_an_appeal(cast, reunification):
    # given an application refused five days ago
    _step(cast, reunification, ReunificationStep.APPLICATION_SUBMITTED, 20)
    _step(cast, reunification, ReunificationStep.REFUSED, 5)
    # then a step dated before the latest is refused
    with pytest.raises(ServiceError) as refused:
        _step(cast, reunification, ReunificationStep.TRACING_REQUESTED, 10)
    assert refused.value.code == Code.BAD_DATES
    # and a second outcome is refused until the refusal is appealed
    with pytest.raises(ServiceError) as refused:
        _step(cast, reunification, ReunificationStep.GRANTED, 3)
    assert refused.value.code == Code.DUPLICATE
    _step(cast, reunification, ReunificationStep.APPEALED, 3)
    _step(cast, reunification, ReunificationStep.GRANTED, 1)
    assert reunification.events.count() == 4
