"""Reads of the referrals app: who may see which consent and which referral, and the figures.

A referral is seen by the organisation that sent it and the one it is addressed to, and by
nobody else, the city included: it is a disclosure to one partner, made with the resident's
consent. The receiving partner reaches the resident only through the referral; it gains no
access to the household (``core.access.visible_households`` is unchanged).
"""

import datetime as dt
from collections import defaultdict
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tillsammans.core import access
from tillsammans.core.lib.dates import month_bounds
from tillsammans.partnership.models import Role
from tillsammans.people.models import Household, Person
from tillsammans.reception.models import Stay

from .models import Consent, Referral

ACTING_ROLES = (Role.COORDINATOR, Role.PARTNER_ADMIN, Role.PARTNER_STAFF)


def acting_organisation_id(user: Any) -> int | None:
    """The organisation a user refers for and answers referrals for; None for viewers."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in ACTING_ROLES:
        return None
    return membership.organisation_id


def host_organisation_id(household: Household) -> int | None:
    """The organisation whose site the household lives at now, if it lives anywhere."""
    stay = (
        Stay.objects.filter(household=household, ended_on__isnull=True)
        .select_related("unit__site")
        .first()
    )
    return stay.unit.site.organisation_id if stay is not None else None


def can_act_for(user: Any, household: Household) -> bool:
    """Staff of the organisation where the household lives record its consent and refer it."""
    organisation_id = acting_organisation_id(user)
    return organisation_id is not None and organisation_id == host_organisation_id(household)


def _parse_uuid(value: Any) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def visible_consents(user: Any) -> QuerySet[Consent]:
    return Consent.objects.filter(household__in=access.visible_households(user))


def get_consent_for_user(user: Any, public_id: Any) -> Consent:
    try:
        return (
            visible_consents(user)
            .select_related("household", "person")
            .get(public_id=_parse_uuid(public_id))
        )
    except Consent.DoesNotExist as exc:
        raise Http404 from exc


def visible_referrals(user: Any) -> QuerySet[Referral]:
    organisation_id = acting_organisation_id(user)
    if organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id)
    )


def get_referral_for_user(user: Any, public_id: Any) -> Referral:
    referrals = visible_referrals(user).select_related(
        "service__organisation", "from_organisation", "to_organisation", "person", "household"
    )
    try:
        return referrals.get(public_id=_parse_uuid(public_id))
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def _listed(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related(
        "service", "from_organisation", "to_organisation", "person"
    ).order_by("-sent_at", "-id")


def inbox(user: Any) -> QuerySet[Referral]:
    organisation_id = acting_organisation_id(user)
    return _listed(visible_referrals(user).filter(to_organisation_id=organisation_id))


def outbox(user: Any) -> QuerySet[Referral]:
    organisation_id = acting_organisation_id(user)
    return _listed(visible_referrals(user).filter(from_organisation_id=organisation_id))


def sees_content(user: Any, referral: Referral) -> bool:
    """The receiver sees the shared copy until the consent is withdrawn; the sender sees it
    while the resident still lives at one of its sites (it could read the household anyway)."""
    if referral.is_erased:
        return False
    organisation_id = acting_organisation_id(user)
    if organisation_id == referral.to_organisation_id:
        return True
    if organisation_id == referral.from_organisation_id:
        return access.visible_households(user).filter(pk=referral.household_id).exists()
    return False


def consent_covers_organisation(consent: Consent, organisation_id: int) -> bool:
    return consent.any_partner or consent.partners.filter(pk=organisation_id).exists()


def usable_consents(person: Person, on: dt.date | None = None) -> QuerySet[Consent]:
    """Consents that are in force for the person on the day: given, not withdrawn."""
    on = on or timezone.localdate()
    return (
        Consent.objects.filter(household_id=person.household_id, given_on__lte=on)
        .filter(Q(person__isnull=True) | Q(person=person))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .prefetch_related("partners")
        .order_by("-given_on", "-id")
    )


def consent_for(person: Person, organisation_id: int) -> Consent | None:
    """The newest consent in force that lets the person be referred to the organisation."""
    for consent in usable_consents(person):
        if consent.any_partner or any(p.pk == organisation_id for p in consent.partners.all()):
            return consent
    return None


# --- figures -------------------------------------------------------------------------------


def _month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    first, following = month_bounds(year, month)
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=zone),
        dt.datetime.combine(following, dt.time(), tzinfo=zone),
    )


FIGURE_KEYS = (
    # key, organisation field, time field
    ("referrals_sent", "from_organisation_id", "sent_at"),
    ("referrals_received", "to_organisation_id", "sent_at"),
    ("referrals_accepted", "to_organisation_id", "accepted_at"),
    ("referrals_declined", "to_organisation_id", "declined_at"),
    ("referrals_done", "to_organisation_id", "done_at"),
)


def sent_by_organisation(start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """Referrals sent in [start, end) per sending partner."""
    rows = (
        Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .order_by()
        .values("from_organisation_id")
        .annotate(count=Count("id"))
    )
    return {row["from_organisation_id"]: row["count"] for row in rows}


def monthly_figures(year: int, month: int) -> dict[int, dict[str, int]]:
    """Referrals per organisation in a month, keyed by organisation id.

    ``referrals_sent`` counts for the sending partner; ``referrals_received``,
    ``referrals_accepted``, ``referrals_declined`` and ``referrals_done`` count for the
    receiving partner, each in the month the step happened. Counts only, never a person.
    """
    start, end = _month_bounds(year, month)
    figures: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_KEYS, 0))
    for key, organisation_field, time_field in FIGURE_KEYS:
        rows = (
            Referral.objects.filter(**{f"{time_field}__gte": start, f"{time_field}__lt": end})
            .order_by()
            .values(organisation_field)
            .annotate(count=Count("id"))
        )
        for row in rows:
            figures[row[organisation_field]][key] = row["count"]
    return dict(figures)


_KEYS = [key for key, _field, _time in FIGURE_KEYS]
