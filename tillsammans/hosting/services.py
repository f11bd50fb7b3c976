"""Writes of the hosting app: every change goes through a function here.

Each checks who may do it, changes and audits in one transaction. Hosts and guests are
people: every write names them only by public id in the audit log.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import add_months, long_date
from tillsammans.core.models import AuditAction
from tillsammans.core.versions import refuse_stale
from tillsammans.housing.models import SiteKind
from tillsammans.housing.services import (
    first_unsettled_day,
    site_create,
    unit_create,
    unit_update,
)
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household
from tillsammans.reception.lock_objects import lock_units
from tillsammans.reception.models import ExitReason, Stay
from tillsammans.reception.services import (
    host_home_guest_record,
    host_home_programme_record,
    host_home_record,
    stay_end,
)

from .error_codes import HostingErrorCode as Code
from .models import (
    VETTING_STEPS,
    Answer,
    EndReason,
    FollowUp,
    Host,
    HostAnswer,
    HostingAgreement,
    HostPreference,
    HostRent,
    Programme,
    RentMonth,
    RentPayment,
    WithWhom,
)
from .rules import pays_rent, works_with
from .selectors import latest_answers, month_bounds, rent_lines

HOST_FIELDS = ("name", "phone", "email", "address", "district", "rooms", "available_from",
               "available_until", "languages", "pets_in_home", "guest_pets_welcome", "smoking",
               "children_welcome", "accessible", "prefers", "preference_notes", "rent_basis",
               "monthly_rent")  # fmt: skip
MAX_BEDS = 12
# How the end of a hosting is recorded on the stay, when the guests leave the reception.
EXIT_REASONS = {
    EndReason.OWN_HOUSING: ExitReason.OWN_HOUSING,
    EndReason.OTHER_MUNICIPALITY: ExitReason.OTHER_MUNICIPALITY,
    EndReason.RETURNED: ExitReason.RETURNED,
    EndReason.HOST: ExitReason.OTHER,
    EndReason.CONFLICT: ExitReason.OTHER,
    EndReason.OTHER: ExitReason.OTHER,
}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _not_in_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ServiceError(Code.BAD_DATES, _("The date cannot be in the future."))


def programme_create(*, actor: Any, organisation: Organisation, name: str) -> Programme:
    """Name the organisation that runs host homes (the coordinator's decision)."""
    _require(access.is_coordinator(actor), _("Only a coordinator can set up a programme."))
    with transaction.atomic():
        if Programme.objects.filter(organisation=organisation).exists():
            raise ServiceError(
                Code.NO_PROGRAMME, _("This organisation already runs a host-home programme.")
            )
        programme = Programme.objects.create(organisation=organisation, name=name)
        host_home_programme_record(organisation=organisation)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=programme,
            summary=gettext_noop("host-home programme %(name)s run by %(organisation)s"),
            params={"name": name, "organisation": organisation},
        )
    return programme


def host_register(*, actor: Any, programme: Programme, beds: int, **data: Any) -> Host:
    """Register a host household and its home: a host-home site with one unit and its beds,
    through the housing services, with the host's offer as the unit's features."""
    _require(works_with(actor, programme), _("You cannot register hosts for this programme."))
    fields = {key: data[key] for key in HOST_FIELDS if key in data}
    available_from, until = fields["available_from"], fields.get("available_until")
    if until is not None and until <= available_from:
        raise ServiceError(
            Code.BAD_DATES, _("The home must be offered until a date after it is first offered.")
        )
    if not 1 <= beds <= MAX_BEDS:
        raise ServiceError(
            Code.BAD_DATES, _("A home offers from 1 to %(max)s beds.") % {"max": MAX_BEDS}
        )
    with transaction.atomic():
        number = Host.objects.filter(programme=programme).count() + 1
        # The site's name is neutral: every member sees site names on the dashboard, and the
        # host is a private person.
        # The programme's rule (works_with) decides who registers homes, not the sites' rule.
        site = site_create(
            actor=actor,
            skip_permission_checks=True,
            organisation=programme.organisation,
            name=f"{programme.name} {number:03d}",
            kind=SiteKind.HOST_HOME,
            district=fields["district"],
            opens_on=available_from,
        )
        unit = unit_create(
            actor=actor,
            skip_permission_checks=True,
            site=site,
            beds=beds,
            # From the first day offered, or the first day after the months already
            # reported or paid (a home registered late does not change them).
            beds_from=first_unsettled_day(site, available_from),
            name="Värdhem",
            **_features(fields),
        )
        host = Host.objects.create(programme=programme, unit=unit, **fields)
        HostRent.objects.create(
            host=host, valid_from=available_from, rent_basis=host.rent_basis,
            monthly_rent=host.monthly_rent,
        )  # fmt: skip
        tell_placement_rule(host)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=host,
            summary=gettext_noop("host registered in %(district)s, beds: %(beds)s"),
            params={"district": fields["district"], "beds": beds},
        )
    return host


def _rent_changed(host: Host, on: dt.date) -> None:
    """Keep the host's rent (its ``rent_basis`` and ``monthly_rent``, just set) in its
    history from ``on``: never in a month already paid, never before the last change, and
    today at the latest (the host's own fields are the rent in force today). A first rent
    from a day still to come (a home offered from later) is changed in place."""
    latest = host.rents.order_by("-valid_from").first()
    if latest is not None and latest.valid_from > timezone.localdate():
        on = latest.valid_from
    paid = (
        RentMonth.objects.filter(programme_id=host.programme_id, year__gte=on.year)
        .values_list("year", "month")
    )  # fmt: skip
    last_paid = max(
        (first for year, month in paid if (first := dt.date(year, month, 1)) >= on.replace(day=1)),
        default=None,
    )
    if last_paid is not None:
        raise ServiceError(
            Code.MONTH_PAID,
            _("The rent of %(month)s is already paid; a new rent can take effect from %(day)s "
              "at the earliest.") % {
                "month": date_format(last_paid, "F Y"),
                "day": long_date(add_months(last_paid, 1)),
            },
        )  # fmt: skip
    if latest is not None and on == latest.valid_from:
        latest.rent_basis, latest.monthly_rent = host.rent_basis, host.monthly_rent
        latest.save()
        return
    if on > timezone.localdate():
        raise ServiceError(Code.BAD_DATES, _("A new rent takes effect today at the latest."))
    last = latest.valid_from if latest is not None else None
    if last is not None and on < last:
        raise ServiceError(
            Code.BAD_DATES,
            _("The host's rent last changed on %(day)s; a new rent can take effect from that "
              "day on.") % {"day": long_date(last)},
        )  # fmt: skip
    HostRent.objects.create(
        host=host, valid_from=on, rent_basis=host.rent_basis, monthly_rent=host.monthly_rent
    )


def host_update(
    *, actor: Any, host: Host, beds: int, changes_from: dt.date | None = None,
    version: str | None = None, **data: Any,
) -> Host:  # fmt: skip
    """Change a host's contact, offer, preferences or rent; the unit's beds and features
    follow. A new rent or number of beds holds from ``changes_from`` (today when not given),
    never in a month already paid or reported."""
    _require(works_with(actor, host.programme), _("You cannot change this host."))
    fields = {key: data[key] for key in HOST_FIELDS if key in data}
    available_from = fields.get("available_from", host.available_from)
    until = fields.get("available_until", host.available_until)
    if until is not None and until <= available_from:
        raise ServiceError(
            Code.BAD_DATES, _("The home must be offered until a date after it is first offered.")
        )
    if not 1 <= beds <= MAX_BEDS:
        raise ServiceError(
            Code.BAD_DATES, _("A home offers from 1 to %(max)s beds.") % {"max": MAX_BEDS}
        )
    with transaction.atomic():
        # The programme's row first, as marking a month paid takes it (its payments then
        # reference the host's row): a rent changed meanwhile is either in the month's
        # payments or refused as reaching a paid month, and the two never deadlock.
        Programme.objects.select_for_update().get(pk=host.programme_id)
        host = Host.objects.select_for_update().get(pk=host.pk)
        refuse_stale(host, version)  # a save of an older form (core.versions)
        rent_before = (host.rent_basis, host.monthly_rent)
        for key, value in fields.items():
            setattr(host, key, value)
        host.save()
        if (host.rent_basis, host.monthly_rent) != rent_before:
            _rent_changed(host, changes_from or timezone.localdate())
        merged = {key: getattr(host, key) for key in HOST_FIELDS}
        unit_update(
            actor=actor,
            skip_permission_checks=True,
            unit=host.unit,
            beds=beds,
            beds_from=changes_from,
            **_features(merged),
        )
        tell_placement_rule(host)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=host, summary=gettext_noop("host changed")
        )
    return host


def tell_placement_rule(host: Host) -> None:
    """What the placement rule (``reception.eligibility``) reads of a host's home: vetted or
    not, and the period the host offers it. Called wherever these change, in the same
    transaction."""
    host_home_record(
        unit=host.unit,
        vetted=host.vetted,
        available_from=host.available_from,
        available_until=host.available_until,
    )


def tell_placement_rule_of(agreement: HostingAgreement) -> None:
    """The household a home takes, and when: a signed agreement, until it ends."""
    host_home_guest_record(
        agreement=agreement.public_id,
        unit=agreement.host.unit,
        household=agreement.household,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        ended_on=agreement.ended_on,
    )


def _features(fields: dict[str, Any]) -> dict[str, Any]:
    """The host's offer and preferences as the unit's features for the placement engine."""
    return {
        "accessible": bool(fields.get("accessible")),
        "pets_allowed": bool(fields.get("guest_pets_welcome")),
        "children_ok": bool(fields.get("children_welcome", True))
        and fields.get("prefers") not in (HostPreference.ADULTS, HostPreference.ELDERLY),
        "food_service": False,
        "host_languages": list(fields.get("languages") or []),
    }


def vetting_record(*, actor: Any, host: Host, step: str, on: dt.date, notes: str = "") -> Host:
    """Record one step of the vetting: the home visit, the identity seen, the reference."""
    _require(works_with(actor, host.programme), _("You cannot vet this host."))
    if step not in VETTING_STEPS:
        raise ServiceError(Code.BAD_STEP, _("Choose a step of the vetting."))
    _not_in_future(on)
    with transaction.atomic():
        host = Host.objects.select_for_update().get(pk=host.pk)
        setattr(host, f"{step}_on", on)
        setattr(host, f"{step}_by", actor)
        setattr(host, f"{step}_notes", notes)
        host.save()
        tell_placement_rule(host)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=host,
            summary=gettext_noop("vetting: %(step)s %(on)s"),
            params={"step": field_names(Host, [f"{step}_on"]), "on": on.isoformat()},
        )
    return host


def answer_record(
    *,
    actor: Any,
    host: Host,
    household: Household,
    answer: str,
    answered_on: dt.date,
    note: str = "",
) -> HostAnswer:
    """A request to the host about a household (``asked``), or the host's yes or no. The
    home is offered to the household only once the host said yes and the agreement is
    signed (``agreement_sign``)."""
    _require(works_with(actor, host.programme), _("You cannot record answers for this host."))
    if answer not in Answer.values:
        raise ServiceError(Code.NOT_YES, _("Choose the host's answer."))
    _not_in_future(answered_on)
    with transaction.atomic():
        recorded = HostAnswer.objects.create(
            host=host,
            household=household,
            answer=answer,
            answered_on=answered_on,
            recorded_by=actor,
            note=note,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=host,
            summary=gettext_noop("host answered %(answer)s for household %(household)s"),
            params={"answer": Answer(answer), "household": household},
        )
    return recorded


def agreement_sign(
    *,
    actor: Any,
    host: Host,
    household: Household,
    signed_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    signed_by_host: bool,
    signed_by_organisation: bool,
    signed_by_guest: bool,
    next_place: str = "",
) -> HostingAgreement:
    """Record the sublet agreement of host, organisation (tenant) and guests (subtenant)."""
    _require(works_with(actor, host.programme), _("You cannot sign agreements for this host."))
    if not (signed_by_host and signed_by_organisation and signed_by_guest):
        raise ServiceError(
            Code.NOT_SIGNED,
            _("The agreement must be signed by the host, the organisation and the guests."),
        )
    if ends_on <= starts_on:
        raise ServiceError(Code.BAD_DATES, _("The agreement must end after it starts."))
    _not_in_future(signed_on)
    with transaction.atomic():
        host = Host.objects.select_for_update().get(pk=host.pk)
        if not host.vetted:
            raise ServiceError(
                Code.NOT_VETTED, _("Finish the vetting of the home before the agreement.")
            )
        answer = latest_answers(host).get(household.pk)
        if answer is None or answer.answer != Answer.YES:
            raise ServiceError(
                Code.NOT_YES, _("The host has not said yes to hosting this household.")
            )
        overlapping = HostingAgreement.objects.filter(
            host=host, ended_on__isnull=True, starts_on__lt=ends_on, ends_on__gt=starts_on
        ).exclude(household=household)
        if overlapping.exists():
            raise ServiceError(
                Code.BAD_DATES,
                _("The home has another household's agreement for those dates."),
            )
        agreement = HostingAgreement.objects.create(
            host=host,
            household=household,
            signed_on=signed_on,
            signed_by_host=True,
            signed_by_organisation=True,
            signed_by_guest=True,
            recorded_by=actor,
            starts_on=starts_on,
            ends_on=ends_on,
            next_place=next_place,
        )
        tell_placement_rule_of(agreement)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("agreement %(starts)s–%(ends)s for household %(household)s"),
            params={
                "starts": starts_on.isoformat(),
                "ends": ends_on.isoformat(),
                "household": household,
            },
        )
    return agreement


def agreement_update(
    *, actor: Any, agreement: HostingAgreement, ends_on: dt.date, next_place: str
) -> HostingAgreement:
    """Extend or shorten an agreement, or write down where the guests go next."""
    _require(works_with(actor, agreement.host.programme), _("You cannot change this agreement."))
    if agreement.ended_on is not None:
        raise ServiceError(Code.AGREEMENT_ENDED, _("This hosting has already ended."))
    if ends_on <= agreement.starts_on:
        raise ServiceError(Code.BAD_DATES, _("The agreement must end after it starts."))
    with transaction.atomic():
        agreement.ends_on = ends_on
        agreement.next_place = next_place
        agreement.save(update_fields=["ends_on", "next_place", "updated_at"])
        tell_placement_rule_of(agreement)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=agreement,
            summary=gettext_noop("agreement until %(ends)s, next place set")
            if next_place
            else gettext_noop("agreement until %(ends)s, no next place"),
            params={"ends": ends_on.isoformat()},
        )
    return agreement


def agreement_end(
    *, actor: Any, agreement: HostingAgreement, on: dt.date, reason: str, notes: str = ""
) -> HostingAgreement:
    """End a hosting with its reason; guests who leave the reception move out of the home
    too (a move to another place is made on the placement pages first)."""
    host = agreement.host
    _require(works_with(actor, host.programme), _("You cannot change this agreement."))
    if reason not in EndReason.values:
        raise ServiceError(Code.BAD_STEP, _("Choose why the hosting ends."))
    with transaction.atomic():
        agreement = HostingAgreement.objects.select_for_update().get(pk=agreement.pk)
        # The home's unit before looking for the guests' stay: a placement into the home
        # either is done and found here, or waits and then finds the agreement ended.
        lock_units([host.unit_id])
        if agreement.ended_on is not None:
            raise ServiceError(Code.AGREEMENT_ENDED, _("This hosting has already ended."))
        if on < agreement.starts_on:
            raise ServiceError(
                Code.BAD_DATES, _("A hosting cannot end before its agreement starts.")
            )
        stay = Stay.objects.filter(
            household_id=agreement.household_id, unit_id=host.unit_id, ended_on__isnull=True
        ).first()
        if stay is not None:
            if reason == EndReason.MOVED:
                raise ServiceError(
                    Code.STILL_LIVING_THERE,
                    _("The guests still live in the home: move them to their new place first."),
                )
            stay_end(actor=actor, stay=stay, on=on, reason=EXIT_REASONS[EndReason(reason)])
        agreement.ended_on = on
        agreement.end_reason = reason
        agreement.end_notes = notes
        agreement.save(update_fields=["ended_on", "end_reason", "end_notes", "updated_at"])
        tell_placement_rule_of(agreement)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=agreement,
            summary=gettext_noop("agreement ended %(on)s: %(reason)s"),
            params={"on": on.isoformat(), "reason": EndReason(reason)},
        )
    return agreement


def follow_up_record(
    *, actor: Any, host: Host, on: dt.date, with_whom: str, concerns: str
) -> FollowUp:
    _require(works_with(actor, host.programme), _("You cannot record follow-ups for this host."))
    if with_whom not in WithWhom.values:
        raise ServiceError(Code.BAD_STEP, _("Choose with whom the contact was."))
    _not_in_future(on)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            host=host, on=on, with_whom=with_whom, concerns=concerns, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=host,
            summary=gettext_noop("follow-up %(on)s with %(with_whom)s"),
            params={"on": on.isoformat(), "with_whom": WithWhom(with_whom)},
        )
    return follow_up


def rent_month_mark_paid(
    *,
    actor: Any,
    programme: Programme,
    year: int,
    month: int,
    paid_at: dt.datetime | None = None,
) -> RentMonth:
    """Freeze the month's rent as paid: the amounts are stored and never change afterwards,
    whatever later happens to the stays or the hosts' rents. ``paid_at`` records a payment
    made before it was entered here (the demo's history); it defaults to now."""
    _require(pays_rent(actor, programme), _("You cannot mark rent as paid for this programme."))
    _start, end = month_bounds(year, month)
    if end > timezone.localdate():
        raise ServiceError(Code.MONTH_NOT_OVER, _("A month can be marked as paid once it is over."))
    try:
        return _mark_paid(actor, programme, year, month, paid_at)
    except IntegrityError as exc:
        # The unique month is the database's last word should the lock not have covered a race.
        raise _already_paid() from exc


def _already_paid() -> ServiceError:
    return ServiceError(
        Code.MONTH_PAID,
        _("This month is already marked as paid; what was paid cannot be changed."),
    )


def _mark_paid(
    actor: Any, programme: Programme, year: int, month: int, paid_at: dt.datetime | None
) -> RentMonth:
    with transaction.atomic():
        # The programme's row serialises two officers marking the same month at once.
        Programme.objects.select_for_update().get(pk=programme.pk)
        if RentMonth.objects.filter(programme=programme, year=year, month=month).exists():
            raise _already_paid()
        paid = RentMonth.objects.create(
            programme=programme,
            year=year,
            month=month,
            paid_at=paid_at or timezone.now(),
            paid_by=actor,
        )
        lines = rent_lines(programme, year, month)
        RentPayment.objects.bulk_create(
            RentPayment(
                rent_month=paid,
                host=line.host,
                period_start=line.period_start,
                period_end=line.period_end,
                nights=line.nights,
                rent_basis=line.rent_basis,
                monthly_rent=line.monthly_rent,
                amount=line.amount,
            )
            for line in lines
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=paid,
            summary=gettext_noop("rent %(month)s paid: hosts %(hosts)s, %(amount)s SEK"),
            params={
                "month": f"{year:04d}-{month:02d}",
                "hosts": len({line.host.pk for line in lines}),
                "amount": sum(line.amount for line in lines),
            },
        )
    return paid
