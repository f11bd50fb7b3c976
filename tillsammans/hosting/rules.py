"""Who sees hosts, and the rule that an unvetted home receives no one.

The rule is checked where every placement passes (``reception.services``: manual
placements, moves and accepted engine proposals alike) and narrows the units that the
engine and the "fitting units" list offer (``housing.selectors``, ``placement.selectors``).
This module imports no services, so those modules can import it without a cycle.
"""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tillsammans.core import access
from tillsammans.core.errors import ServiceError
from tillsammans.housing.models import SiteKind, Unit
from tillsammans.partnership.models import Role
from tillsammans.people.models import Household

from .error_codes import HostingErrorCode as Code
from .models import Host, HostingAgreement, Programme

# -- access --------------------------------------------------------------------------------


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


# -- the vetting rule ----------------------------------------------------------------------


def _not_ready(on: dt.date) -> Q:
    return (
        Q(home_visit_on__isnull=True)
        | Q(identity_on__isnull=True)
        | Q(reference_on__isnull=True)
        | Q(available_from__gt=on)
        | Q(available_until__lte=on)
    )


def receiving_units(on: dt.date) -> Q:
    """A filter on ``Unit`` keeping the units that may receive guests on ``on``: not a host
    home that is unvetted or outside its host's period, and not a host-home unit of a
    programme's organisation that has no registered host."""
    unready = Host.objects.filter(_not_ready(on), unit=OuterRef("pk"))
    registered = Host.objects.filter(unit=OuterRef("pk"))
    programme_site = Programme.objects.filter(organisation=OuterRef("site__organisation"))
    unregistered = (
        Q(site__kind=SiteKind.HOST_HOME) & Q(Exists(programme_site)) & ~Q(Exists(registered))
    )
    return ~Q(Exists(unready)) & ~unregistered


def check_home_receives(*, unit: Unit, household: Household, on: dt.date) -> None:
    """Refuse a move-in to a host home that is not vetted, not available that day, or
    without a sublet agreement signed by host, organisation and this household."""
    host = Host.objects.filter(unit_id=unit.pk).first()
    if host is None:
        site = unit.site
        if (
            site.kind == SiteKind.HOST_HOME
            and Programme.objects.filter(organisation_id=site.organisation_id).exists()
        ):
            raise ServiceError(
                Code.NOT_REGISTERED,
                _("This host home has no registered host. Register and vet the host first."),
            )
        return
    if not host.vetted:
        raise ServiceError(
            Code.NOT_VETTED,
            _(
                "This host home is not vetted: the home visit, the host's identity and a "
                "reference must be checked before the first guest moves in."
            ),
        )
    if not host.available_on(on):
        raise ServiceError(Code.NOT_AVAILABLE, _("The host does not offer the home on that date."))
    agreed = HostingAgreement.objects.filter(
        host=host, household=household, ended_on__isnull=True, starts_on__lte=on, ends_on__gt=on
    ).exists()
    if not agreed:
        raise ServiceError(
            Code.NO_AGREEMENT,
            _(
                "No sublet agreement signed by the host, the organisation and this household "
                "covers that date. Record the host's answer and the signed agreement first."
            ),
        )
