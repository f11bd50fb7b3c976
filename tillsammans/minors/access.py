"""Who sees an unaccompanied child's case (ADR 27).

- the case worker who holds it, wherever the child lives; a case no one holds is open to
  every case worker, so that one of them can take it over;
- the staff of the home for children (HVB home, supported housing, family home) that houses
  the child now;
- no one else: the coordinators run the reception (allocations, places, figures) and see the
  child there as a person of a household, but the case (dates of birth as assessed, asylum
  status, guardians, decisions) is the social services' and the home's.

Everyone else gets the same 404 for a case as for one that does not exist.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tillsammans.core import access
from tillsammans.housing.models import CHILDREN_KINDS, Site
from tillsammans.partnership.models import Membership, Role
from tillsammans.reception.models import PlacementDecision, Stay
from tillsammans.training.models import Volunteer

from .models import ChildCase, GuardianAppointment, PlanGoal, VolunteerLink


def _housed_by(organisation_id: int) -> Q:
    """Cases whose child lives in one of the organisation's homes for children today."""
    today = timezone.localdate()
    stays = Stay.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        household_id=OuterRef("person__household_id"),
        started_on__lte=today,
        unit__site__organisation_id=organisation_id,
        unit__site__kind__in=CHILDREN_KINDS,
    )
    return Q(Exists(stays))


def _unheld() -> Q:
    """Cases no one holds: no case worker, or one who has left (deactivated, or given another
    role); every case worker sees them, so that one takes them over."""
    holding = Membership.objects.filter(
        user_id=OuterRef("case_worker_id"), role=Role.CASE_WORKER, user__is_active=True
    )
    return Q(case_worker__isnull=True) | ~Q(Exists(holding))


def visible_cases(user: Any) -> QuerySet[ChildCase]:
    membership = access.membership_of(user)
    if membership is None:
        return ChildCase.objects.none()
    if membership.role == Role.CASE_WORKER:
        return ChildCase.objects.filter(Q(case_worker=user) | _unheld())
    if membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF):
        return ChildCase.objects.filter(_housed_by(membership.organisation_id))
    return ChildCase.objects.none()


def sees_cases(user: Any) -> bool:
    """May open the list of cases (it may be empty): case workers and partners' staff."""
    membership = access.membership_of(user)
    return membership is not None and membership.role in (
        Role.CASE_WORKER, Role.PARTNER_ADMIN, Role.PARTNER_STAFF,
    )  # fmt: skip


def can_manage_case(user: Any, case: ChildCase) -> bool:
    """The case worker who holds the case records what the social services know and decide."""
    return access.is_case_worker(user) and case.case_worker_id == user.pk


def can_take_over(user: Any, case: ChildCase) -> bool:
    """A case worker takes over a case no one holds; a colleague's case is handed over by
    that colleague's leaving, not taken."""
    return (
        access.is_case_worker(user)
        and case.case_worker_id != user.pk
        and ChildCase.objects.filter(_unheld(), pk=case.pk).exists()
    )


def get_case_for_user(user: Any, public_id: Any) -> ChildCase:
    return access.get_by_public_id(
        visible_cases(user).select_related("person__household", "case_worker"), public_id
    )


def get_managed_case_for_user(user: Any, public_id: Any) -> ChildCase:
    """A case the user holds; any other is the same 404 as a missing one."""
    case = get_case_for_user(user, public_id)
    if not can_manage_case(user, case):
        raise Http404
    return case


def get_guardian_for_user(user: Any, public_id: Any) -> GuardianAppointment:
    """A guardian appointment of a case the user holds."""
    return access.get_by_public_id(
        GuardianAppointment.objects.filter(
            case__in=visible_cases(user).filter(case_worker=user)
        ).select_related("case__person"),
        public_id,
    )


def get_decision_for_user(user: Any, public_id: Any) -> PlacementDecision:
    """A placement decision of a case the user holds."""
    held = visible_cases(user).filter(case_worker=user).values("person__household_id")
    return access.get_by_public_id(
        PlacementDecision.objects.filter(household_id__in=held).select_related("site"),
        public_id,
    )


def homes_for_decisions(user: Any) -> QuerySet[Site]:
    """The homes for children a case worker may name in a placement decision: every one in
    the city (the decision comes before the home knows of the child)."""
    if not access.is_case_worker(user):
        return Site.objects.none()
    return Site.objects.filter(kind__in=CHILDREN_KINDS).select_related("organisation")


def keeps_volunteer(user: Any, volunteer: Volunteer) -> bool:
    """The volunteer's own organisation's admins and staff (and its coordinators) keep it."""
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.role in (Role.COORDINATOR, Role.PARTNER_ADMIN, Role.PARTNER_STAFF)
        and membership.organisation_id == volunteer.organisation_id
    )


def keeps_volunteers(user: Any) -> bool:
    """Partners' admins and staff keep their volunteers who work with children."""
    membership = access.membership_of(user)
    return membership is not None and membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF)


def links_volunteers(user: Any, case: ChildCase) -> bool:
    """The case worker who holds the case, and the home that houses the child now."""
    if can_manage_case(user, case):
        return True
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF)
        and ChildCase.objects.filter(pk=case.pk)
        .filter(_housed_by(membership.organisation_id))
        .exists()
    )


def volunteer_links(user: Any) -> QuerySet[VolunteerLink]:
    """The current links of the user's organisation's volunteers to children: the
    organisation sees each child's name and age only, never the case, and nothing of a link
    that has ended."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF):
        return VolunteerLink.objects.none()
    today = timezone.localdate()
    return VolunteerLink.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        volunteer__volunteer__organisation_id=membership.organisation_id,
    )


def get_volunteer_link_for_user(user: Any, public_id: Any) -> VolunteerLink:
    return access.get_by_public_id(
        volunteer_links(user).select_related("case__person__household", "volunteer__volunteer"),
        public_id,
    )


def get_linkable_case_for_user(user: Any, public_id: Any) -> ChildCase:
    case = get_case_for_user(user, public_id)
    if not links_volunteers(user, case):
        raise Http404
    return case


def writes_plan(user: Any, case: ChildCase) -> bool:
    """The implementation plan is the case worker's and the home's: the same two who link
    volunteers, and no one else reads it either (the case page is theirs)."""
    return links_volunteers(user, case)


def get_plan_goal_for_user(user: Any, public_id: Any) -> PlanGoal:
    goal = access.get_by_public_id(
        PlanGoal.objects.filter(case__in=visible_cases(user)).select_related("case__person"),
        public_id,
    )
    if not writes_plan(user, goal.case):
        raise Http404
    return goal


def get_endable_link_for_user(user: Any, public_id: Any) -> VolunteerLink:
    """A current link the user may end: its volunteer's organisation's, or one of a child
    whose case worker or home the user is."""
    today = timezone.localdate()
    links = VolunteerLink.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    ).select_related("case__person", "volunteer__volunteer")
    membership = access.membership_of(user)
    own = Q(pk__in=volunteer_links(user).values("pk"))
    cases = Q(case__in=visible_cases(user))
    link = access.get_by_public_id(links.filter(own | cases), public_id)
    if membership is None or not (
        keeps_volunteer(user, link.volunteer.volunteer) or links_volunteers(user, link.case)
    ):
        raise Http404
    return link
