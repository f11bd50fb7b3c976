"""Who sees hosts and who works with them.

Who may live in a host home (vetted, offered that day, the household of a signed sublet
agreement) is part of the one placement rule in ``reception.eligibility``; this app tells it
what it needs through ``reception.services`` (see ``services.py``).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tillsammans.core import access
from tillsammans.partnership.models import Role

from .models import Host, HostingAgreement, Programme


def programme_of(user: Any) -> Programme | None:
    """The programme whose hosts a partner's admin or staff work with, if any."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF):
        return None
    return Programme.objects.filter(organisation_id=membership.organisation_id).first()


def sees_hosts(user: Any) -> bool:
    return access.is_coordinator(user) or programme_of(user) is not None


def visible_programmes(user: Any) -> QuerySet[Programme]:
    if access.is_coordinator(user):
        return Programme.objects.all()
    own = programme_of(user)
    return Programme.objects.filter(pk=own.pk) if own else Programme.objects.none()


def visible_hosts(user: Any) -> QuerySet[Host]:
    return Host.objects.filter(programme__in=visible_programmes(user))


def get_host_for_user(user: Any, public_id: Any) -> Host:
    """A host of the user's programme; anything else is the same 404 as a miss."""
    try:
        return (
            visible_hosts(user)
            .select_related("unit__site", "programme")
            .get(public_id=access._parse_uuid(public_id))
        )
    except Host.DoesNotExist as exc:
        raise Http404 from exc


def get_agreement_for_user(user: Any, public_id: Any) -> HostingAgreement:
    agreements = HostingAgreement.objects.filter(host__in=visible_hosts(user))
    try:
        return agreements.select_related("host__unit__site", "household").get(
            public_id=access._parse_uuid(public_id)
        )
    except HostingAgreement.DoesNotExist as exc:
        raise Http404 from exc


def works_with(user: Any, programme: Programme) -> bool:
    """Works in the programme: the coordinator, and the programme organisation's admins and
    staff. They register hosts and change their offer, vet homes, and record the hosts'
    answers, the sublet agreements and the follow-ups (ADR 15)."""
    if access.is_coordinator(user):
        return True
    own = programme_of(user)
    return own is not None and own.pk == programme.pk


def pays_rent(user: Any, programme: Programme) -> bool:
    """Marking a month's rent paid sends the organisation's money to private persons: the
    coordinator and the programme organisation's admins, not every officer."""
    if access.is_coordinator(user):
        return True
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.role == Role.PARTNER_ADMIN
        and membership.organisation_id == programme.organisation_id
    )
