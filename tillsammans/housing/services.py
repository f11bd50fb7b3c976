"""Writes for sites, units and beds: check, change and audit in one transaction."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import add_months, long_date
from tillsammans.core.models import AuditAction
from tillsammans.partnership.models import Organisation, OrganisationKind
from tillsammans.reception.lock_objects import lock_units
from tillsammans.reception.models import Occupancy

from . import settled
from .error_codes import HousingErrorCode as Code
from .models import (
    CHILDREN_KINDS,
    Bed,
    BedCount,
    HomeUse,
    Licence,
    LicenceSex,
    Site,
    SiteKind,
    SiteUse,
    Unit,
)
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
        settled.lock_owners(agreement_ids=[site.agreement_id], organisation_ids=[organisation.pk])
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
    with transaction.atomic():
        # The agreements' rows (the one the site is under and the one it moves to) before
        # the site's, in the order a month's freeze takes them (``housing.settled``); the
        # days and agreement it had are read from the locked row.
        before = Site.objects.values_list("agreement_id", flat=True).get(pk=site.pk)
        after = data.get("agreement", site.agreement)
        settled.lock_owners(agreement_ids=[before, after.pk if after is not None else None])
        locked = Site.objects.select_for_update().get(pk=site.pk)
        if locked.agreement_id != before:
            raise ServiceError(
                Code.CHANGED,
                _("Someone else changed this site meanwhile. Open it again and make the change."),
            )
        was = (locked.opens_on, locked.closes_on)
        for key in SITE_FIELDS:
            if key in data:
                setattr(site, key, data[key])
        _check_dates(site.opens_on, site.closes_on)
        _check_coordinates(site)
        _check_agreement(site)
        _refuse_settled_dates(site, was)
        site.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=site,
            summary=gettext_noop("site %(name)s"),
            params={"name": site.name},
        )
    return site


def _refuse_settled_dates(site: Site, was: tuple[dt.date, dt.date | None]) -> None:
    """A new opening or closing day changes the place-days of the months between the old day
    and the new one: none of them may be reported or paid already."""
    spans: list[tuple[dt.date, dt.date | None]] = []
    if site.opens_on != was[0]:
        spans.append((min(site.opens_on, was[0]), max(site.opens_on, was[0])))
    if site.closes_on != was[1]:
        days = [day for day in (site.closes_on, was[1]) if day is not None]
        spans.append((min(days), max(days) if len(days) == 2 else None))
    for since, until in spans:
        settled_month = settled.last_settled(site, since, until)
        if settled_month is not None:
            raise ServiceError(
                Code.SETTLED_MONTH,
                _("%(month)s is already reported or paid; a new opening or closing day would "
                  "change its places.") % {"month": capfirst(date_format(settled_month, "F Y"))},
            )  # fmt: skip


def first_unsettled_day(site: Site, day: dt.date) -> dt.date:
    """``day``, or the first day after the site's months from ``day`` on that are already
    reported or paid, if any."""
    settled_month = settled.last_settled(site, day, site.closes_on)
    return day if settled_month is None else max(day, add_months(settled_month, 1))


def default_beds_from(site: Site) -> dt.date:
    """The day a new unit's beds count from unless the user says otherwise: the site's first
    unsettled day from its opening while it has no unit yet (a site being entered with its
    units), and today, or the opening if later, for a unit added to a site that has some."""
    if not site.units.exists():
        return first_unsettled_day(site, site.opens_on)
    return max(site.opens_on, timezone.localdate())


def _refuse_settled(site: Site, since: dt.date, until: dt.date | None) -> None:
    """Refuse a change of beds that would reach a month already reported or paid."""
    settled_month = settled.last_settled(site, since, until)
    if settled_month is not None:
        raise ServiceError(
            Code.SETTLED_MONTH,
            _("%(month)s is already reported or paid, and its beds stay as they were; a change "
              "of beds can take effect from %(day)s at the earliest.") % {
                "month": capfirst(date_format(settled_month, "F Y")),
                "day": long_date(add_months(settled_month, 1)),
            },
        )  # fmt: skip


def _set_beds(
    actor: Any, unit: Unit, beds: int, blocked: int, on: dt.date | None = None, *,
    new: bool = False,
) -> None:  # fmt: skip
    """Make the unit have ``beds`` beds of which ``blocked`` are blocked; the unit is locked.
    The count is kept in the unit's history from ``on`` (today when not given), unless it is
    the count the unit already has."""
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
    _record_bed_count(actor, unit, beds, beds - blocked, on or timezone.localdate(), new=new)


def _record_bed_count(
    actor: Any, unit: Unit, beds: int, usable: int, on: dt.date, *, new: bool
) -> None:
    """Keep the unit's count in its history from ``on``. A new unit's first count; a first
    count moved to an earlier day (the unit was there before it was entered); a count from a
    day still to come (a site that opens later) changed in place; otherwise a change from
    ``on``, today at the latest and not before the last change. None may reach a month
    already reported or paid."""
    rows = list(unit.bed_counts.order_by("valid_from"))
    current = rows[-1] if rows else None
    until = unit.site.closes_on
    if current is None or new:
        _refuse_settled(unit.site, on, until)
        row = BedCount(unit=unit, valid_from=on)
    elif current.valid_from > timezone.localdate():
        if (current.beds, current.usable) == (beds, usable):
            return
        _refuse_settled(unit.site, current.valid_from, until)
        row = current
    elif len(rows) == 1 and on < current.valid_from:
        same = (current.beds, current.usable) == (beds, usable)
        _refuse_settled(unit.site, on, current.valid_from if same else until)
        row = current
        row.valid_from = on
    else:
        if (current.beds, current.usable) == (beds, usable):
            return  # nothing changed: no date to check, no row
        if on > timezone.localdate():
            raise ServiceError(
                Code.BAD_DATES, _("A change of beds takes effect today at the latest.")
            )
        if on < current.valid_from:
            raise ServiceError(
                Code.BAD_DATES,
                _("The unit's beds last changed on %(day)s; a new change can take effect from "
                  "that day on.") % {"day": long_date(current.valid_from)},
            )  # fmt: skip
        _refuse_settled(unit.site, on, until)
        row = current if current.valid_from == on else BedCount(unit=unit, valid_from=on)
    row.beds, row.usable = beds, usable
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=unit,
        summary=gettext_noop("beds of %(unit)s: %(beds)s, %(usable)s usable, from %(day)s"),
        params={"unit": unit, "beds": beds, "usable": usable, "day": f"{row.valid_from:%Y-%m-%d}"},
    )


def unit_create(
    *,
    actor: Any,
    site: Site,
    beds: int,
    blocked_beds: int = 0,
    beds_from: dt.date | None = None,
    skip_permission_checks: bool = False,
    **data: Any,
) -> Unit:
    """A new unit with its beds, counted for the money from ``beds_from`` (by default
    ``default_beds_from``); ``skip_permission_checks`` as for ``site_create``."""
    if not skip_permission_checks and not access.can_manage_site(actor, site):
        raise PermissionDenied(_("You cannot change this site."))
    fields = {k: data[k] for k in UNIT_FIELDS if k in data}
    if site.kind == SiteKind.HOST_HOME:
        fields["max_households"] = 1
    with transaction.atomic():
        settled.lock_sites(Site.objects.filter(pk=site.pk))
        counted_from = beds_from or default_beds_from(site)
        unit = Unit.objects.create(site=site, **fields)
        _set_beds(actor, unit, beds, blocked_beds, counted_from, new=True)
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
    beds_from: dt.date | None = None,
    skip_permission_checks: bool = False,
    **data: Any,
) -> Unit:
    """A unit's features and beds, a new bed count from ``beds_from`` (today when not
    given); ``skip_permission_checks`` as for ``site_create``."""
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
            blocked = current_blocked if blocked_beds is None else blocked_beds
            _set_beds(actor, unit, beds, blocked, beds_from)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=unit,
            summary=gettext_noop("unit %(unit)s"),
            params={"unit": unit},
        )
    return unit


# -- licences of homes for children ---------------------------------------------------------

LICENCE_FIELDS = ("number", "holder", "min_age", "max_age", "sex", "places", "valid_from",
                  "valid_to")  # fmt: skip


def licence_holders(site: Site) -> "QuerySet[Organisation]":
    """Who may hold a home's licence: the organisation that runs it, or the city, which
    holds it when the partner runs the home as its contractor (seed 003)."""
    return Organisation.objects.filter(
        Q(pk=site.organisation_id) | Q(kind=OrganisationKind.MUNICIPALITY)
    ).order_by("kind", "name")


def _check_licence(licence: Licence) -> None:
    site = licence.site
    if site.kind not in CHILDREN_KINDS:
        raise ServiceError(
            Code.NOT_A_HOME_FOR_CHILDREN,
            _("Only an HVB home, supported housing or a family home has a licence."),
        )
    if not licence_holders(site).filter(pk=licence.holder_id).exists():
        raise ServiceError(
            Code.BAD_HOLDER,
            _("The licence is held by the organisation that runs the home, or by the city."),
        )
    if not 0 <= licence.min_age <= licence.max_age <= 20:
        raise ServiceError(
            Code.BAD_NUMBER,
            _("The ages are from 0 to 20, the youngest no older than the oldest."),
        )
    if licence.places < 1:
        raise ServiceError(Code.BAD_NUMBER, _("A licence has at least one place."))
    if licence.valid_to is not None and licence.valid_to < licence.valid_from:
        raise ServiceError(Code.BAD_DATES, _("A licence cannot end before it starts."))
    # One licence holds on any day: the placement rule reads the one valid that day.
    others = site.licences.exclude(pk=licence.pk).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=licence.valid_from)
    )
    if licence.valid_to is not None:
        others = others.filter(valid_from__lte=licence.valid_to)
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise ServiceError(
            Code.LICENCES_OVERLAP,
            _(
                "Licence %(number)s is valid in the same period (from %(from)s). End it the "
                "day before the new one starts, or correct its dates."
            )
            % {"number": clash.number, "from": clash.valid_from.isoformat()},
        )


def licence_save(*, actor: Any, site: Site, licence: Licence | None = None, **data: Any) -> Licence:
    """Record a home's licence, or correct one (``licence``). The site's row is locked first,
    as a placement locks it (``lock_units``), so that no placement counts the places of a
    licence that is being changed."""
    if not access.can_manage_site(actor, site):
        raise PermissionDenied(_("You cannot change this site."))
    with transaction.atomic():
        Site.objects.select_for_update().filter(pk=site.pk).values("id").first()
        if licence is None:
            licence = Licence(site=site)
            action = AuditAction.CREATE
        else:
            licence = Licence.objects.select_for_update().get(pk=licence.pk, site=site)
            action = AuditAction.UPDATE
        for key in LICENCE_FIELDS:
            if key in data:
                setattr(licence, key, data[key])
        licence.site = site
        _check_licence(licence)
        licence.save()
        audit_record(
            actor=actor,
            action=action,
            obj=licence,
            summary=(
                gettext_noop(
                    "licence %(number)s of %(site)s: ages %(youngest)s–%(oldest)s, %(sex)s, "
                    "%(places)s places, %(from)s to %(to)s"
                )
                if licence.valid_to
                else gettext_noop(
                    "licence %(number)s of %(site)s: ages %(youngest)s–%(oldest)s, %(sex)s, "
                    "%(places)s places, from %(from)s"
                )
            ),
            params={
                "number": licence.number,
                "site": site.name,
                "youngest": licence.min_age,
                "oldest": licence.max_age,
                "sex": LicenceSex(licence.sex),
                "places": licence.places,
                "from": licence.valid_from.isoformat(),
                "to": licence.valid_to.isoformat() if licence.valid_to else "",
            },
        )
    return licence


def site_use_record(*, actor: Any, site: Site, use: str, valid_from: dt.date) -> SiteUse:
    """From ``valid_from`` the home for children takes asylum seekers or young people with a
    residence permit ("Flera boenden är avsedda att bli PUT-boenden men inleds som asyl",
    seed 003). A second use from the same day corrects the first."""
    if site.kind not in CHILDREN_KINDS or not access.can_manage_site(actor, site):
        raise PermissionDenied(_("You cannot change this site."))
    if use not in HomeUse.values:
        raise ServiceError(Code.NOT_A_HOME_FOR_CHILDREN, _("Choose what the home is used for."))
    if valid_from < site.opens_on:
        raise ServiceError(Code.BAD_DATES, _("The use cannot start before the home opens."))
    with transaction.atomic():
        record, created = SiteUse.objects.update_or_create(
            site=site, valid_from=valid_from, defaults={"use": use}
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=site,
            summary=gettext_noop("%(site)s: %(use)s from %(from)s"),
            params={"site": site.name, "use": HomeUse(use), "from": valid_from.isoformat()},
        )
    return record
