"""Contact families, leisure volunteers and mentors: a record check before any link, the
child's and guardian's agreement, meetings as deliveries, and the organisation's narrow view."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.addedvalues.models import Delivery, Eligibility, ServiceCategory
from tillsammans.addedvalues.services import service_create
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.minors import access
from tillsammans.minors.error_codes import MinorsErrorCode as Code
from tillsammans.minors.models import VolunteerLink
from tillsammans.minors.services import (
    child_volunteer_record,
    meeting_record,
    volunteer_link,
)
from tillsammans.training.services import volunteer_create

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def mentor(cast):
    """Partner B's mentor, whose criminal-record extract was issued two months ago."""
    volunteer = volunteer_create(actor=cast.b_staff, alias="Erik", helps_with="Fadder")
    return child_volunteer_record(
        actor=cast.b_staff, volunteer=volunteer, kind="mentor",
        record_issued_on=TODAY - 60 * DAY,
    )  # fmt: skip


def _link(cast, case, mentor, actor=None, **overrides):
    data = {"starts_on": TODAY, "child_agreed_on": TODAY - DAY, "guardian_agreed_on": TODAY}
    data.update(overrides)
    return volunteer_link(actor=actor or cast.case_worker, case=case, volunteer=mentor, **data)


def test_it_links_a_mentor_with_a_recent_record_check_and_the_agreements(cast, case, mentor):
    # when
    link = _link(cast, case, mentor)
    # then
    assert link.volunteer.volunteer.alias == "Erik"
    assert (link.child_agreed_on, link.guardian_agreed_on) == (TODAY - DAY, TODAY)


def test_it_refuses_a_link_when_the_record_extract_is_more_than_a_year_old(cast, case, mentor):
    # given an extract issued 13 months ago
    child_volunteer_record(
        actor=cast.b_staff, volunteer=mentor.volunteer, kind="mentor",
        record_issued_on=TODAY - 400 * DAY,
    )  # fmt: skip
    mentor.refresh_from_db()
    # when / then
    with pytest.raises(ServiceError) as refused:
        _link(cast, case, mentor)
    assert refused.value.code == Code.NO_RECORD_CHECK
    assert not VolunteerLink.objects.exists()


def test_it_refuses_a_link_that_starts_before_the_child_or_guardian_agreed(cast, case, mentor):
    with pytest.raises(ServiceError) as refused:
        _link(cast, case, mentor, starts_on=TODAY - 5 * DAY)
    assert refused.value.code == Code.BAD_DATES
    assert not VolunteerLink.objects.exists()


def test_it_lets_the_home_link_a_volunteer_but_not_the_volunteers_organisation(cast, case, mentor):
    # when partner B (the mentor's organisation, which does not house the child) tries
    with pytest.raises(PermissionDenied):
        _link(cast, case, mentor, actor=cast.b_staff)
    # then partner A, whose home houses the child, can
    assert _link(cast, case, mentor, actor=cast.a_staff).pk


def test_it_shows_the_volunteers_organisation_the_childs_name_and_age_only(
    cast, case, mentor, client
):
    # given the mentor linked to the child
    link = _link(cast, case, mentor)
    client.force_login(cast.b_staff)
    # when partner B opens its volunteers' page and the child's case
    page = client.get(reverse("minors_volunteers"))
    case_page = client.get(reverse("case_detail", args=[case.public_id]))
    # then it sees the child's name and age, and no case
    text = page.content.decode()
    assert "Ali" in text and "Ahmadi" in text
    assert case.person.birth_date.isoformat() not in text
    assert access.volunteer_links(cast.b_staff).get() == link
    assert case_page.status_code == 404
    assert not access.volunteer_links(cast.a_staff).exists()


def test_it_logs_a_meeting_as_a_delivery_of_the_volunteers_organisation(cast, case, mentor):
    # given the mentor linked, and partner B's mentoring service
    link = _link(cast, case, mentor)
    service = service_create(
        actor=_b_admin(cast), name_sv="Fadderträff",
        category=ServiceCategory.CHILDREN, eligibility=Eligibility.ANYONE,
    )  # fmt: skip
    # when partner B's staff record a meeting
    delivery = meeting_record(actor=cast.b_staff, link=link, service=service, on=TODAY)
    # then it is partner B's delivery to the child
    assert Delivery.objects.get() == delivery
    assert (delivery.organisation, delivery.person) == (cast.org_b, case.person)


def _b_admin(cast):
    from tillsammans.core.factories import member
    from tillsammans.partnership.models import Role

    return member(cast.org_b, Role.PARTNER_ADMIN, "b-admin@example.org")


def test_it_keeps_an_unaccompanied_child_out_of_other_partners_resident_lookups(cast, case):
    # given the child lives in partner A's home
    from django.http import Http404

    from tillsammans.addedvalues.selectors import get_resident_household, pasted_lines

    # when partner A and partner B look the child up by name for a delivery
    theirs = pasted_lines(cast.b_staff, "Ali Ahmadi")
    ours = pasted_lines(cast.a_staff, "Ali Ahmadi")
    # then only the home finds the child, and the resident page is partner B's 404
    assert [len(line.candidates) for line in theirs.lines] == [0]
    assert [len(line.candidates) for line in ours.lines] == [1]
    with pytest.raises(Http404):
        get_resident_household(cast.b_staff, case.person.household.public_id)


def test_it_ends_a_link_and_the_organisation_no_longer_sees_the_child(cast, case, mentor):
    # given the mentor linked from yesterday
    from tillsammans.minors.services import volunteer_link_end

    link = _link(cast, case, mentor, starts_on=TODAY - DAY, child_agreed_on=TODAY - 2 * DAY,
                 guardian_agreed_on=TODAY - 2 * DAY)  # fmt: skip
    assert access.volunteer_links(cast.b_staff).exists()
    # when the mentor's organisation ends it yesterday
    volunteer_link_end(actor=cast.b_staff, link=link, ends_on=TODAY - DAY)
    # then the organisation sees the child no more
    assert not access.volunteer_links(cast.b_staff).exists()


def test_it_refuses_a_link_that_starts_before_the_record_extract_was_issued(cast, case, mentor):
    with pytest.raises(ServiceError) as refused:
        _link(cast, case, mentor, starts_on=TODAY - 90 * DAY, child_agreed_on=TODAY - 91 * DAY,
              guardian_agreed_on=TODAY - 91 * DAY)  # fmt: skip
    assert refused.value.code == Code.NO_RECORD_CHECK
