"""Writes for sites, units and beds: check, change and audit in one transaction."""

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction
from tillsammans.partnership.models import Organisation
from tillsammans.reception.lock_objects import lock_units
from tillsammans.reception.models import Occupancy

from .error_codes import HousingErrorCode as Code
from .models import Bed, Site, SiteKind, Unit
from .selectors import forget_capacity

SITE_FIELDS = ("name", "kind", "agreement", "address", "postcode", "city", "district",
               "latitude", "longitude", "opens_on", "closes_on")  # fmt: skip
UNIT_FIELDS = ("name", "max_households", "accessible", "pets_allowed", "children_ok",
               "food_service", "host_languages")  # fmt: skip
MAX_BEDS_PER_UNIT = 500


def _check_dates(opens_on: Any, closes_on: Any) -> None:
    if closes_on is not None and opens_on is not None and closes_on < opens_on:
        raise ServiceError(Code.BAD_DATES, _("A site cannot close before it opens."))


def _check_coordinates(site: Site) -> None:
    if (site.latitude is None) != (site.longitude is None):
        raise ServiceError(
            Code.BAD_NUMBER, _("Give both the latitude and the longitude, or neither.")
        )


def _check_agreement(site: Site) -> None:
    """A site offers places under an agreement its organisation is party to."""
    if (
        site.agreement is not None
        and not site.agreement.party_set.filter(organisation_id=site.organisation_id).exists()
    ):
        raise ServiceError(
            "agreement",
            _("%(organisation)s is not party to %(agreement)s.")
            % {"organisation": site.organisation.name, "agreement": site.agreement.name},
        )


def site_create(
    *, actor: Any, organisation: Organisation, skip_permission_checks: bool = False, **data: Any
) -> Site:
    """A new site. ``skip_permission_checks`` is for a service that has checked the actor
    under its own rule first (a host-home programme's staff register homes, which become
    sites); never for a view."""
    site = Site(organisation=organisation, **{k: data[k] for k in SITE_FIELDS if k in data})
    if not skip_permission_checks and not access.can_manage_site(actor, site):
        raise PermissionDenied(_("You cannot add sites for this organisation."))
    _check_dates(site.opens_on, site.closes_on)
    _check_coordinates(site)
    _check_agreement(site)
    with transaction.atomic():
        site.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=site,
            summary=gettext_noop("site %(name)s"),
            params={"name": site.name},
        )
    return site


def site_update(*, actor: Any, site: Site, **data: Any) -> Site:
    if not access.can_manage_site(actor, site):
        raise PermissionDenied(_("You cannot change this site."))
    for key in SITE_FIELDS:
        if key in data:
            setattr(site, key, data[key])
    _check_dates(site.opens_on, site.closes_on)
    _check_coordinates(site)
    _check_agreement(site)
    with transaction.atomic():
        site.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=site,
            summary=gettext_noop("site %(name)s"),
            params={"name": site.name},
        )
    return site


def _set_beds(unit: Unit, beds: int, blocked: int) -> None:
    """Make the unit have ``beds`` beds of which ``blocked`` are blocked; the unit is locked."""
    if beds < 0 or blocked < 0 or blocked > beds or beds > MAX_BEDS_PER_UNIT:
        raise ServiceError(
            Code.BAD_NUMBER,
            _("Beds must be between 0 and %(max)s and blocked beds no more than beds.")
            % {"max": MAX_BEDS_PER_UNIT},
        )
    occupied = Occupancy.objects.filter(bed=OuterRef("pk"), ended_on__isnull=True)
    existing = list(unit.beds.annotate(taken=Exists(occupied)).order_by("number"))
    taken = sum(1 for bed in existing if bed.taken)
    if beds - blocked < taken:
        raise ServiceError(
            Code.BEDS_OCCUPIED,
            ngettext(
                "%(taken)s bed is in use; the unit must keep at least that many usable beds.",
                "%(taken)s beds are in use; the unit must keep at least that many usable beds.",
                taken,
            )
            % {"taken": taken},
        )
    if len(existing) < beds:
        start = max((bed.number for bed in existing), default=0) + 1
        Bed.objects.bulk_create(
            Bed(unit=unit, number=start + i) for i in range(beds - len(existing))
        )
        existing = list(unit.beds.annotate(taken=Exists(occupied)).order_by("number"))
    elif len(existing) > beds:
        # Remove free beds, highest numbers first; occupied beds always stay.
        removable = [bed for bed in reversed(existing) if not bed.taken][: len(existing) - beds]
        Bed.objects.filter(pk__in=[bed.pk for bed in removable]).delete()
        existing = [bed for bed in existing if bed not in removable]
    free = [bed for bed in existing if not bed.taken]
    to_block = {bed.pk for bed in list(reversed(free))[:blocked]}
    unit.beds.filter(pk__in=to_block).update(blocked=True)
    unit.beds.exclude(pk__in=to_block).update(blocked=False)
    forget_capacity(unit.site_id)


def unit_create(
    *,
    actor: Any,
    site: Site,
    beds: int,
    blocked_beds: int = 0,
    skip_permission_checks: bool = False,
    **data: Any,
) -> Unit:
    """A new unit with its beds; ``skip_permission_checks`` as for ``site_create``."""
    if not skip_permission_checks and not access.can_manage_site(actor, site):
        raise PermissionDenied(_("You cannot change this site."))
    fields = {k: data[k] for k in UNIT_FIELDS if k in data}
    if site.kind == SiteKind.HOST_HOME:
        fields["max_households"] = 1
    with transaction.atomic():
        unit = Unit.objects.create(site=site, **fields)
        _set_beds(unit, beds, blocked_beds)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=unit,
            summary=gettext_noop("unit %(unit)s, beds: %(beds)s"),
            params={"unit": unit, "beds": beds},
        )
    return unit


def unit_update(
    *,
    actor: Any,
    unit: Unit,
    beds: int | None = None,
    blocked_beds: int | None = None,
    skip_permission_checks: bool = False,
    **data: Any,
) -> Unit:
    """A unit's features and beds; ``skip_permission_checks`` as for ``site_create``."""
    if not skip_permission_checks and not access.can_manage_site(actor, unit.site):
        raise PermissionDenied(_("You cannot change this site."))
    with transaction.atomic():
        unit = lock_units([unit.pk])[unit.pk]
        for key in UNIT_FIELDS:
            if key in data:
                setattr(unit, key, data[key])
        if unit.site.kind == SiteKind.HOST_HOME:
            unit.max_households = 1
        unit.save()
        if beds is not None:
            current_blocked = unit.beds.filter(blocked=True).count()
            _set_beds(unit, beds, current_blocked if blocked_beds is None else blocked_beds)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=unit,
            summary=gettext_noop("unit %(unit)s"),
            params={"unit": unit},
        )
    return unit
