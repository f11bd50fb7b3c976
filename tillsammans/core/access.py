"""Organisation-scoped access: the only way views reach people and places.

Every ``get_<thing>_for_user`` answers ``Http404`` both when the object does not exist and
when it is not the user's to see, so an outsider cannot even learn that it exists. Lists come
from ``visible_<things>(user)`` querysets.

- coordinator (the city): everything;
- partner admin and partner staff: their organisation's sites, and the households staying
  in them now;
- viewer: aggregated figures only, never a person;
- case worker (the social services): nothing here; the children of their own cases through
  the minors app's access rules (``tillsammans/minors/access.py``).
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tillsammans.housing.models import Licence, Site, Unit
from tillsammans.partnership.models import (
    PEOPLE_ROLES,
    Agreement,
    Membership,
    Organisation,
    Party,
    Role,
)
from tillsammans.people.models import Household, PathEvent, Person
from tillsammans.placement.models import PlacementProposal, ProposalItem
from tillsammans.reception.models import Allocation, ExitReason, PendingImport, Stay

# How long after recording a move-out the partner's own staff may still take it back: long
# enough to notice a mistake over a weekend or a holiday, short enough that former residents
# do not stay in the partner's view (ADR 19). The coordinator has no limit.
MOVE_OUT_CORRECTION_WINDOW = dt.timedelta(days=14)


def membership_of(user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def is_member(user: Any) -> bool:
    """Works for an organisation of the partnership, in any role (viewers included)."""
    return membership_of(user) is not None


def is_data_protection_officer(user: Any) -> bool:
    """The partnership's data protection officer, who reviews the audit log."""
    return bool(getattr(user, "is_authenticated", False) and user.is_data_protection_officer)


def is_coordinator(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.COORDINATOR


def is_case_worker(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.CASE_WORKER


def can_make_coordinator(user: Any, organisation: Organisation) -> bool:
    """Coordinators and case workers are made by a coordinator, and only among the
    municipality's users."""
    return is_coordinator(user) and organisation.is_municipality


def visible_agreements(user: Any) -> QuerySet[Agreement]:
    """The agreements the user's organisation is (or was) party to; nothing of the others,
    coordinators included: a municipality running two partnerships sees both because it is
    party to both."""
    membership = membership_of(user)
    if membership is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(party_set__organisation_id=membership.organisation_id)


def offering_agreements(organisation: Organisation, keep: int | None = None) -> QuerySet[Agreement]:
    """The agreements under which ``organisation`` may offer places and services: those it
    takes part in that have not ended (and ``keep``, the site's or service's own, even if it
    has)."""
    today = timezone.localdate()
    taking_part = Q(
        party_set__organisation=organisation,
        party_set__left_on__isnull=True,
    ) | Q(party_set__organisation=organisation, party_set__left_on__gte=today)
    in_force = taking_part & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return Agreement.objects.filter(in_force | Q(pk=keep)).distinct().order_by("-starts_on", "name")


def get_agreement_for_user(user: Any, public_id: Any) -> Agreement:
    return _get(visible_agreements(user).select_related("coordinator"), public_id)


def get_managed_agreement_for_user(user: Any, public_id: Any) -> Agreement:
    """An agreement the user may change; any other is the same 404 as a missing one."""
    agreement = get_agreement_for_user(user, public_id)
    if not can_manage_agreement(user, agreement):
        raise Http404
    return agreement


def can_manage_agreement(user: Any, agreement: Agreement) -> bool:
    """The coordinator of a party writes the agreement, its parties, targets, groups, goals
    and the common parts of its report."""
    return is_coordinator(user) and visible_agreements(user).filter(pk=agreement.pk).exists()


def writable_parties(user: Any, agreement: Agreement) -> set[int]:
    """The organisations of an agreement whose own part (contribution, annex, report section,
    the decisions they own) the user writes: every party's for the agreement's coordinator,
    its own for a partner's admin. Two queries, however many parties a page lists."""
    membership = membership_of(user)
    if membership is None or membership.role not in (Role.COORDINATOR, Role.PARTNER_ADMIN):
        return set()
    if membership.role == Role.COORDINATOR and not can_manage_agreement(user, agreement):
        return set()
    parties = set(agreement.party_set.values_list("organisation_id", flat=True))
    if membership.role == Role.PARTNER_ADMIN:
        return parties & {membership.organisation_id}
    return parties


def can_write_for_party(user: Any, party: Party) -> bool:
    return party.organisation_id in writable_parties(user, party.agreement)


def is_partner_member(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF)


def sees_people(user: Any) -> bool:
    return is_coordinator(user) or is_partner_member(user)


def can_manage_site(user: Any, site: Site) -> bool:
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    return (
        membership.role == Role.PARTNER_ADMIN and site.organisation_id == membership.organisation_id
    )


def can_manage_org_sites(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in (Role.COORDINATOR, Role.PARTNER_ADMIN)


def _parse_uuid(value: Any) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def visible_sites(user: Any) -> QuerySet[Site]:
    membership = membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Site.objects.none()
    if membership.role == Role.COORDINATOR:
        return Site.objects.all()
    return Site.objects.filter(organisation_id=membership.organisation_id)


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(site__in=visible_sites(user))


def _open_stays_of_org(organisation_id: int) -> QuerySet[Stay]:
    return Stay.objects.filter(ended_on__isnull=True, unit__site__organisation_id=organisation_id)


def visible_households(user: Any) -> QuerySet[Household]:
    membership = membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Household.objects.none()
    if membership.role == Role.COORDINATOR:
        return Household.objects.all()
    stays = _open_stays_of_org(membership.organisation_id).filter(household=OuterRef("pk"))
    return Household.objects.filter(Exists(stays))


def visible_persons(user: Any) -> QuerySet[Person]:
    membership = membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Person.objects.none()
    if membership.role == Role.COORDINATOR:
        return Person.objects.all()
    stays = _open_stays_of_org(membership.organisation_id).filter(
        household_id=OuterRef("household_id")
    )
    return Person.objects.filter(Exists(stays))


def visible_stays(user: Any) -> QuerySet[Stay]:
    membership = membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Stay.objects.none()
    if membership.role == Role.COORDINATOR:
        return Stay.objects.all()
    return _open_stays_of_org(membership.organisation_id)


def stay_history_for_user(user: Any, household: Household) -> QuerySet[Stay]:
    """A household's stays as the user may see them: a partner sees only its own sites'
    part of the history; where the household lived with other partners is theirs to know."""
    membership = membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Stay.objects.none()
    stays = Stay.objects.filter(household=household)
    if membership.role == Role.COORDINATOR:
        return stays
    return stays.filter(unit__site__organisation_id=membership.organisation_id)


def moved_out_stays(user: Any) -> QuerySet[Stay]:
    """Stays ended by a move-out (not by a move) whose move-out the user may correct.

    The coordinator: all of them. Partner admins and staff: those in their own sites recorded
    within ``MOVE_OUT_CORRECTION_WINDOW``, as long as the household has not lived anywhere
    since; where it went after that is not theirs to know (ADR 3).
    """
    membership = membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Stay.objects.none()
    stays = Stay.objects.filter(ended_on__isnull=False).exclude(exit_reason=ExitReason.MOVED)
    if membership.role == Role.COORDINATOR:
        return stays
    lived_elsewhere = Stay.objects.filter(household=OuterRef("household")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("ended_on"))
    )
    return stays.filter(
        unit__site__organisation_id=membership.organisation_id,
        ended_recorded_at__gte=timezone.now() - MOVE_OUT_CORRECTION_WINDOW,
    ).exclude(Exists(lived_elsewhere.exclude(pk=OuterRef("pk"))))


def visible_allocations(user: Any) -> QuerySet[Allocation]:
    """Allocations are the city's work list; partners see the households once placed."""
    if is_coordinator(user):
        return Allocation.objects.all()
    return Allocation.objects.none()


def visible_proposals(user: Any) -> QuerySet[PlacementProposal]:
    """Placement proposals are the coordinator's work, like the allocations they place."""
    if is_coordinator(user):
        return PlacementProposal.objects.all()
    return PlacementProposal.objects.none()


def get_by_public_id(queryset: QuerySet[Any], public_id: Any) -> Any:
    """The object of ``queryset`` (what the user may see) with ``public_id``, or the same 404
    for a malformed id, a missing object and one outside the queryset."""
    return _get(queryset, public_id)


def _get(queryset: QuerySet[Any], public_id: Any) -> Any:
    try:
        return queryset.get(public_id=_parse_uuid(public_id))
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def get_site_for_user(user: Any, public_id: Any) -> Site:
    return _get(visible_sites(user).select_related("organisation"), public_id)


def get_unit_for_user(user: Any, public_id: Any) -> Unit:
    return _get(visible_units(user).select_related("site__organisation"), public_id)


def get_licence_for_user(user: Any, public_id: Any) -> Licence:
    """A licence of a home the user sees (the site's accessor decides)."""
    return _get(
        Licence.objects.filter(site__in=visible_sites(user)).select_related("site__organisation"),
        public_id,
    )


def get_household_for_user(user: Any, public_id: Any) -> Household:
    return _get(visible_households(user), public_id)


def get_person_for_user(user: Any, public_id: Any) -> Person:
    return _get(visible_persons(user).select_related("household"), public_id)


def get_path_event_for_user(user: Any, public_id: Any) -> PathEvent:
    """An event of the legal path of a person the user sees (ADR 30)."""
    return _get(
        PathEvent.objects.filter(person__in=visible_persons(user)).select_related(
            "person__household"
        ),
        public_id,
    )


def get_stay_for_user(user: Any, public_id: Any) -> Stay:
    return _get(visible_stays(user).select_related("unit__site", "household"), public_id)


def get_moved_out_stay_for_user(user: Any, public_id: Any) -> Stay:
    return _get(
        moved_out_stays(user).select_related("unit__site__organisation", "household"), public_id
    )


def get_allocation_for_user(user: Any, public_id: Any) -> Allocation:
    return _get(visible_allocations(user).select_related("household"), public_id)


def get_proposal_for_user(user: Any, public_id: Any) -> PlacementProposal:
    return _get(visible_proposals(user).select_related("site", "created_by"), public_id)


def get_proposal_item_for_user(user: Any, public_id: Any) -> ProposalItem:
    items = ProposalItem.objects.filter(proposal__in=visible_proposals(user))
    return _get(
        items.select_related("proposal", "household", "unit__site__organisation"), public_id
    )


def get_pending_import_for_user(user: Any, token: Any) -> PendingImport:
    """A coordinator's own pending upload; anyone else's answers the same 404 as a miss."""
    if not is_coordinator(user):
        raise Http404
    return _get(PendingImport.objects.filter(uploaded_by=user), token)
