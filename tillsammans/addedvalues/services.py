"""Writes of the addedvalues app: every change goes through a function here.

A service's limit (at most N per household within D days) is checked with the households'
rows locked, in id order, for the length of the transaction: two members of staff recording
the same food bag for the same household at the same moment are serialised, and the second
sees the first's delivery.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record, audit_records
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import add_days
from tillsammans.core.models import AuditAction
from tillsammans.housing.models import Site
from tillsammans.people.models import Household, Person
from tillsammans.reception.models import Stay

from . import selectors
from .error_codes import AddedValuesErrorCode as Code
from .models import (
    MAX_LIMIT_DAYS,
    Delivery,
    DeliveryBatch,
    Eligibility,
    LimitEnforcement,
    Service,
)

# A bulk submission is a session's attendance list, not an import.
MAX_BULK = 200
MAX_HEAD_COUNT = 10_000
SERVICE_FIELDS = (
    "name_sv",
    "name_en",
    "name_uk",
    "name_ar",
    "description_sv",
    "description_en",
    "description_uk",
    "description_ar",
    "category",
    "agreement",
    "is_meeting_place",
    "site",
    "address",
    "weekdays",
    "starts_at",
    "ends_at",
    "schedule_sv",
    "schedule_en",
    "schedule_uk",
    "schedule_ar",
    "languages",
    "eligibility",
    "capacity",
    "limit_count",
    "limit_days",
    "limit_enforcement",
    "is_published",
    "notes_confidential",
)


# --- the catalogue -------------------------------------------------------------------------


def _check_service_fields(organisation_id: int, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown service fields: {sorted(unknown)}")
    if not str(fields.get("name_sv", "")).strip():
        raise ServiceError(Code.BAD_SERVICE, _("A service needs a name in Swedish."))
    site: Site | None = fields.get("site")
    if site is not None and site.organisation_id != organisation_id:
        raise ServiceError(Code.BAD_SERVICE, _("The site must be one of your organisation's."))
    agreement = fields.get("agreement")
    if (
        agreement is not None
        and not agreement.party_set.filter(organisation_id=organisation_id).exists()
    ):
        raise ServiceError(Code.BAD_SERVICE, _("Your organisation is not party to that agreement."))
    weekdays = fields.get("weekdays") or []
    if not all(isinstance(day, int) and 0 <= day <= 6 for day in weekdays):
        raise ServiceError(Code.BAD_SERVICE, _("Weekdays must be Monday to Sunday."))
    fields["weekdays"] = sorted(set(weekdays))
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ServiceError(Code.BAD_SERVICE, _("The service must end after it starts."))
    limit_days = fields.get("limit_days") or 1
    if not 1 <= limit_days <= MAX_LIMIT_DAYS:
        raise ServiceError(
            Code.BAD_SERVICE,
            _("The interval of the limit must be between 1 and %(max)d days.")
            % {"max": MAX_LIMIT_DAYS},
        )
    fields["limit_days"] = limit_days
    if fields.get("limit_count") is not None and fields["limit_count"] < 1:
        raise ServiceError(Code.BAD_SERVICE, _("A limit must allow at least one delivery."))


def service_create(*, actor: Any, **fields: Any) -> Service:
    """A new service in the catalogue of the actor's own organisation."""
    membership = selectors.catalogue_membership(actor)
    if membership is None:
        raise PermissionDenied(_("Only an administrator of the organisation may publish services."))
    _check_service_fields(membership.organisation_id, fields)
    with transaction.atomic():
        service = Service.objects.create(organisation_id=membership.organisation_id, **fields)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=service,
            summary=gettext_noop("service %(name)s"),
            params={"name": service.name_sv},
        )
    return service


def service_update(*, actor: Any, service: Service, **fields: Any) -> Service:
    if not selectors.can_manage_service(actor, service):
        raise PermissionDenied(_("Only an administrator of the organisation may change it."))
    merged = {name: getattr(service, name) for name in SERVICE_FIELDS} | fields
    _check_service_fields(service.organisation_id, merged)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        for name, value in merged.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("service %(name)s"),
            params={"name": locked.name_sv},
        )
    return locked


# --- deliveries ----------------------------------------------------------------------------


def _require_recorder(actor: Any, service: Service) -> None:
    if not selectors.can_record(actor, service):
        raise PermissionDenied(_("Only the organisation that provides a service records it."))


def _check_date(on: dt.date) -> None:
    if on > timezone.localdate():
        raise ServiceError(Code.FUTURE_DATE, _("A delivery cannot be recorded in the future."))


def _residents_on(household_ids: Iterable[int], on: dt.date) -> set[int]:
    stays = Stay.objects.filter(household_id__in=list(household_ids), started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )
    return set(stays.values_list("household_id", flat=True))


def _lock_households(household_ids: Iterable[int]) -> None:
    # A fixed order, so that two bulk submissions sharing households cannot deadlock.
    list(
        Household.objects.select_for_update()
        .filter(pk__in=sorted(set(household_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def limit_problem(
    service: Service, taken: Sequence[tuple[dt.date, int]], on: dt.date, adding: int
) -> str:
    """Why adding ``adding`` on ``on`` breaks the service's limit, or "" if it does not.

    ``taken`` holds (date, quantity) of the household's deliveries of the service near ``on``.
    Every window of ``limit_days`` days that contains ``on`` must stay within the limit, so a
    delivery recorded late cannot break a window that later deliveries already fill.
    """
    if service.limit_count is None:
        return ""
    days = service.limit_days
    for start in (add_days(on, -offset) for offset in range(days)):
        end = add_days(start, days - 1)
        used = sum(quantity for day, quantity in taken if start <= day <= end)
        if used + adding > service.limit_count:
            if days == 1:
                return _("already received %(used)d of at most %(limit)d that day") % {
                    "used": used,
                    "limit": service.limit_count,
                }
            return _("already received %(used)d of at most %(limit)d within %(days)d days") % {
                "used": used,
                "limit": service.limit_count,
                "days": days,
            }
    return ""


def _taken_near(service: Service, household_ids: Iterable[int], on: dt.date) -> dict:
    if service.limit_count is None:
        return {}
    span = service.limit_days - 1
    rows = Delivery.objects.filter(
        service=service,
        household_id__in=list(household_ids),
        delivered_on__gte=add_days(on, -span),
        delivered_on__lte=add_days(on, span),
    ).values_list("household_id", "delivered_on", "quantity")
    taken: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for household_id, day, quantity in rows:
        taken[household_id].append((day, quantity))
    return taken


def _claim_batch(actor: Any, service: Service, batch: uuid.UUID) -> None:
    # First in the transaction: a second submission of the same list waits here on the
    # unique index until the first commits, and is then refused, before it locks anything.
    try:
        with transaction.atomic():
            DeliveryBatch.objects.create(public_id=batch, service=service, recorded_by=actor)
    except IntegrityError:
        raise ServiceError(
            Code.ALREADY_RECORDED,
            _("This list was already recorded; nothing was recorded again."),
        ) from None


def _label(person: Person | None, household: Household) -> str:
    return str(person) if person is not None else household.reference


def delivery_record(
    *,
    actor: Any,
    service: Service,
    household: Household,
    person: Person | None = None,
    on: dt.date,
    quantity: int = 1,
    note: str = "",
    confirm: bool = False,
) -> Delivery:
    """Record that ``service`` was given to ``household`` (or one of its persons) on ``on``.

    Refuses a household that does not live at a site of the partnership that day when the
    service is for residents only, and a delivery beyond the service's limit; when the limit
    only warns, the delivery needs ``confirm`` and keeps the warning.
    """
    entries = [(household, person, quantity)]
    return _record(
        actor=actor, service=service, entries=entries, on=on, note=note, confirm=confirm
    )[0]


def delivery_record_many(
    *,
    actor: Any,
    service: Service,
    persons: Sequence[Person],
    on: dt.date,
    note: str = "",
    confirm: bool = False,
    batch: uuid.UUID | None = None,
) -> list[Delivery]:
    """One delivery per person, all or none: a session's attendance in one submission.

    ``batch`` is the token of the preview the user confirmed: a list recorded once under it
    is not recorded again (the second submission is refused and records nothing).
    """
    if not persons:
        raise ServiceError(Code.NOBODY_SELECTED, _("Choose at least one person."))
    if len(persons) > MAX_BULK:
        raise ServiceError(
            Code.TOO_MANY, _("At most %(max)d people at a time.") % {"max": MAX_BULK}
        )
    unique = list({person.pk: person for person in persons}.values())
    entries: list[tuple[Household, Person | None, int]] = [
        (person.household, person, 1) for person in unique
    ]
    return _record(
        actor=actor,
        service=service,
        entries=entries,
        on=on,
        note=note,
        confirm=confirm,
        batch=batch,
    )


def _record(
    *,
    actor: Any,
    service: Service,
    entries: list[tuple[Household, Person | None, int]],
    on: dt.date,
    note: str,
    confirm: bool,
    batch: uuid.UUID | None = None,
) -> list[Delivery]:
    _require_recorder(actor, service)
    _check_date(on)
    for household, person, quantity in entries:
        if person is not None and person.household_id != household.pk:
            raise ServiceError(Code.WRONG_PERSON, _("The person is not in that household."))
        if quantity < 1 or quantity > MAX_HEAD_COUNT:
            raise ServiceError(Code.BAD_QUANTITY, _("The quantity must be at least 1."))
    household_ids = [household.pk for household, _person, _quantity in entries]
    with transaction.atomic():
        if batch is not None:
            _claim_batch(actor, service, batch)
        _lock_households(household_ids)
        refusals: list[str] = []
        warnings: list[str] = []
        not_residents = 0
        if service.eligibility == Eligibility.RESIDENTS:
            residents = _residents_on(household_ids, on)
            for household, person, _quantity in entries:
                if household.pk not in residents:
                    not_residents += 1
                    refusals.append(
                        _("%(name)s: does not live at a site of the partnership that day")
                        % {"name": _label(person, household)}
                    )
        taken = _taken_near(service, household_ids, on)
        entry_warnings: list[str] = []
        for household, person, quantity in entries:
            problem = limit_problem(service, taken.get(household.pk, []), on, quantity)
            # Later entries of the same submission count against the same household.
            taken.setdefault(household.pk, []).append((on, quantity))
            entry_warnings.append(problem)
            if problem:
                line = _("%(name)s: %(problem)s") % {
                    "name": _label(person, household),
                    "problem": problem,
                }
                if service.limit_enforcement == LimitEnforcement.REFUSE:
                    refusals.append(line)
                else:
                    warnings.append(line)
        if refusals:
            raise ServiceError(
                Code.NOT_A_RESIDENT if not_residents else Code.LIMIT_REACHED,
                _("Nothing was recorded. %(reasons)s") % {"reasons": "; ".join(refusals)},
            )
        if warnings and not confirm:
            raise ServiceError(
                Code.LIMIT_WARNING,
                _("Nothing was recorded yet. %(reasons)s. Confirm to record anyway.")
                % {"reasons": "; ".join(warnings)},
            )
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(
                    service=service,
                    organisation_id=service.organisation_id,
                    household=household,
                    person=person,
                    delivered_on=on,
                    quantity=quantity,
                    note=note,
                    limit_warning=warning[:300],
                    recorded_by=actor,
                )
                for (household, person, quantity), warning in zip(
                    entries, entry_warnings, strict=True
                )
            ]
        )
        # One event per delivery, written in one statement: thirty attendees are one insert.
        audit_records(
            actor=actor,
            action=AuditAction.CREATE,
            objs=deliveries,
            summary=gettext_noop("%(service)s delivered to household %(household)s on %(on)s"),
            params=lambda delivery: {
                "service": service.name_sv,
                "household": delivery.household,
                "on": on.isoformat(),
            },
        )
    return deliveries


def headcount_record(
    *, actor: Any, service: Service, on: dt.date, count: int, note: str = ""
) -> Delivery:
    """Visitors of a meeting place counted without names (lunches served that day)."""
    _require_recorder(actor, service)
    _check_date(on)
    if not service.is_meeting_place:
        raise ServiceError(
            Code.NOT_A_MEETING_PLACE, _("Only a meeting place records visitors without names.")
        )
    if not 1 <= count <= MAX_HEAD_COUNT:
        raise ServiceError(
            Code.BAD_QUANTITY,
            _("The number of visitors must be between 1 and %(max)d.") % {"max": MAX_HEAD_COUNT},
        )
    with transaction.atomic():
        delivery = Delivery.objects.create(
            service=service,
            organisation_id=service.organisation_id,
            delivered_on=on,
            quantity=count,
            note=note,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=delivery,
            summary=gettext_noop("%(service)s on %(on)s: visitors %(count)s"),
            params={"service": service.name_sv, "on": on.isoformat(), "count": count},
        )
    return delivery


def delivery_delete(*, actor: Any, delivery: Delivery) -> None:
    """Take back a delivery recorded by mistake."""
    _require_recorder(actor, delivery.service)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=delivery,
            summary=gettext_noop("%(service)s on %(on)s taken back"),
            params={
                "service": delivery.service.name_sv,
                "on": delivery.delivered_on.isoformat(),
            },
        )
        delivery.delete()
