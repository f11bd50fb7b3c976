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

from tillsammans.addedvalues.models import Service, ServiceCategory
from tillsammans.core import access
from tillsammans.housing.models import CHILDREN_KINDS, Site
from tillsammans.housing.selectors import not_closed_by
from tillsammans.partnership.models import Membership, Organisation, OrganisationKind, Role
from tillsammans.reception.models import PlacementDecision, Stay
from tillsammans.training.models import Volunteer

from .models import (
    ChildCase,
    GuardianAppointment,
    PlanGoal,
    Reunification,
    ServiceEnrolment,
    SummerPlace,
    VolunteerLink,
)

# The catalogue's services a child can take part in (homework help, work training, summer
# internships, psychologist support, leisure, family reunification); food, clothing and the
# staff's trainings are not taken part in.
CHILD_SERVICE_CATEGORIES = (
    ServiceCategory.CHILDREN, ServiceCategory.WORK, ServiceCategory.HEALTH,
    ServiceCategory.LANGUAGE, ServiceCategory.LEISURE, ServiceCategory.GUIDANCE,
    ServiceCategory.FAMILY_REUNIFICATION, ServiceCategory.OTHER,
)  # fmt: skip


def _partner_membership(user: Any) -> Membership | None:
    membership = access.membership_of(user)
    if membership is None or membership.role not in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF):
        return None
    return membership


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
    # A home that has closed takes no one.
    return Site.objects.filter(
        not_closed_by(timezone.localdate()), kind__in=CHILDREN_KINDS
    ).select_related("organisation")


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
    return _partner_membership(user) is not None


def links_volunteers(user: Any, case: ChildCase) -> bool:
    """The case worker who holds the case, and the home that houses the child now."""
    if can_manage_case(user, case):
        return True
    membership = _partner_membership(user)
    return (
        membership is not None
        and ChildCase.objects.filter(pk=case.pk)
        .filter(_housed_by(membership.organisation_id))
        .exists()
    )


def volunteer_links(user: Any) -> QuerySet[VolunteerLink]:
    """The current links of the user's organisation's volunteers to children: the
    organisation sees each child's name and age only, never the case, and nothing of a link
    that has ended."""
    membership = _partner_membership(user)
    if membership is None:
        return VolunteerLink.objects.none()
    today = timezone.localdate()
    return VolunteerLink.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        volunteer__volunteer__organisation_id=membership.organisation_id,
        case__closed_on__isnull=True,
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


# -- services of the catalogue for children -----------------------------------------------------


def provides(user: Any, service: Service) -> bool:
    """The admins and staff of the service's organisation."""
    membership = _partner_membership(user)
    return membership is not None and membership.organisation_id == service.organisation_id


def child_services() -> QuerySet[Service]:
    """The services a child can be given a place in, any organisation's."""
    return Service.objects.filter(category__in=CHILD_SERVICE_CATEGORIES).select_related(
        "organisation"
    )


def current_enrolments() -> QuerySet[ServiceEnrolment]:
    """Places in services that have not ended, of cases still open."""
    today = timezone.localdate()
    return ServiceEnrolment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), case__closed_on__isnull=True
    )


def service_enrolments(user: Any) -> QuerySet[ServiceEnrolment]:
    """The children in the user's organisation's services now: the organisation sees each
    child's name and age only, never the case, and nothing once the place has ended."""
    membership = _partner_membership(user)
    if membership is None:
        return ServiceEnrolment.objects.none()
    return current_enrolments().filter(service__organisation_id=membership.organisation_id)


def get_enrolment_for_provider(user: Any, public_id: Any) -> ServiceEnrolment:
    return access.get_by_public_id(
        service_enrolments(user).select_related("case__person__household", "service"), public_id
    )


def get_endable_enrolment_for_user(user: Any, public_id: Any) -> ServiceEnrolment:
    """A current place the user may end: the service's organisation's, or one of a child whose
    case worker or home the user is."""
    enrolment = access.get_by_public_id(
        current_enrolments().select_related("case__person", "service"), public_id
    )
    if not (links_volunteers(user, enrolment.case) or provides(user, enrolment.service)):
        raise Http404
    return enrolment


def sees_summer_places(user: Any) -> bool:
    """The list of places is the partnership's: case workers and partners' staff, who match
    young people to them."""
    return sees_cases(user)


def summer_places() -> QuerySet[SummerPlace]:
    return SummerPlace.objects.select_related("service__organisation")


def keeps_summer_places(user: Any) -> QuerySet[Service]:
    """The work services of the user's organisation, under which it keeps summer places."""
    membership = _partner_membership(user)
    if membership is None:
        return Service.objects.none()
    return Service.objects.filter(
        organisation_id=membership.organisation_id, category=ServiceCategory.WORK
    )


# -- family reunification -----------------------------------------------------------------------


def visible_reunifications(user: Any) -> QuerySet[Reunification]:
    """The case worker's and the home's children's, and those the user's organisation helps
    with (it sees the child's name and age and the reunification, never the case)."""
    membership = access.membership_of(user)
    if membership is None:
        return Reunification.objects.none()
    if membership.role == Role.CASE_WORKER:
        return Reunification.objects.filter(case__in=visible_cases(user))
    if _partner_membership(user) is None:
        return Reunification.objects.none()
    return Reunification.objects.filter(
        Q(case__in=visible_cases(user)) | Q(helped_by_id=membership.organisation_id)
    )


def helps_with(user: Any, reunification: Reunification) -> bool:
    membership = _partner_membership(user)
    return membership is not None and membership.organisation_id == reunification.helped_by_id


def writes_reunification(user: Any, reunification: Reunification) -> bool:
    """The child's case worker and home, and the organisation that helps."""
    return links_volunteers(user, reunification.case) or helps_with(user, reunification)


def get_reunification_for_user(user: Any, public_id: Any) -> Reunification:
    return access.get_by_public_id(
        visible_reunifications(user).select_related("case__person", "helped_by"), public_id
    )


def helps_with_reunifications(user: Any) -> bool:
    return _partner_membership(user) is not None


def helping_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.NONPROFIT).order_by("name")
