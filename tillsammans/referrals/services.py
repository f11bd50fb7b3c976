"""Writes of the referrals app: consent, and referrals from sending to done.

Locks are taken in one order — the consent, then its referrals by id — so a withdrawal and
a referral sent under the same consent wait for each other: the referral is either sent
before the withdrawal (and closed by it) or refused after it. A status change locks the one
referral, so two members of staff answering at once are served one after the other and the
second sees the first's answer.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.addedvalues.models import Service
from tillsammans.addedvalues.services import delivery_record
from tillsammans.core.audit import audit_record, choice_labels
from tillsammans.core.disclosures import record_disclosure
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.core.models import AuditAction, DisclosureBasis
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household, Person
from tillsammans.reception.models import Stay

from . import selectors
from .error_codes import ReferralErrorCode as Code
from .models import OPEN_STATUSES, Consent, ConsentScope, ExplainedIn, Referral, ReferralStatus

MAX_TEXT = 1000
MAX_REASON = 500


def _require_host(actor: Any, household: Household, message: str) -> int:
    if not selectors.can_act_for(actor, household):
        raise PermissionDenied(message)
    organisation_id = selectors.acting_organisation_id(actor)
    assert organisation_id is not None
    return organisation_id


# --- consent -------------------------------------------------------------------------------


def consent_record(
    *,
    actor: Any,
    household: Household,
    person: Person | None = None,
    scopes: Iterable[str],
    any_partner: bool = False,
    partners: Iterable[Organisation] = (),
    given_on: dt.date,
    explained_in: str,
) -> Consent:
    """Record what a resident (or a whole household) agreed to share, and with whom."""
    organisation_id = _require_host(
        actor,
        household,
        _("Only staff of the organisation where the household lives can record its consent."),
    )
    chosen = [scope for scope in ConsentScope.values if scope in set(scopes)]
    if not chosen:
        raise ServiceError(Code.NO_SCOPE, _("Choose at least one kind of information to share."))
    partner_list = [partner for partner in partners if partner.pk != organisation_id]
    if not any_partner and not partner_list:
        raise ServiceError(
            Code.NO_PARTNER,
            _("Choose the partners it may be shared with, or any partner of the partnership."),
        )
    if person is not None and person.household_id != household.pk:
        raise ServiceError(Code.WRONG_PERSON, _("The person is not in that household."))
    if given_on > timezone.localdate():
        raise ServiceError(Code.BAD_DATE, _("A consent cannot be given in the future."))
    if explained_in not in ExplainedIn.values:
        raise ServiceError(Code.BAD_LANGUAGE, _("Choose the language it was explained in."))
    with transaction.atomic():
        consent = Consent.objects.create(
            household=household,
            person=person,
            organisation_id=organisation_id,
            scopes=chosen,
            any_partner=any_partner,
            given_on=given_on,
            explained_in=explained_in,
            recorded_by=actor,
        )
        if not any_partner:
            consent.partners.set(partner_list)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=consent,
            summary=(
                gettext_noop(
                    "consent of household %(household)s, person %(person)s: %(scopes)s; any partner"
                )
                if person and any_partner
                else gettext_noop(
                    "consent of household %(household)s, person %(person)s: %(scopes)s; "
                    "partners: %(partners)s"
                )
                if person
                else gettext_noop("consent of household %(household)s: %(scopes)s; any partner")
                if any_partner
                else gettext_noop(
                    "consent of household %(household)s: %(scopes)s; partners: %(partners)s"
                )
            ),
            params={
                "household": household,
                "person": person if person else "",
                "scopes": choice_labels(ConsentScope, chosen),
                "partners": len(partner_list),
            },
        )
    return consent


def consent_withdraw(*, actor: Any, consent: Consent, on: dt.date) -> list[Referral]:
    """Record that the consent is withdrawn from a day. Nothing is deleted: the referrals it
    covered still exist, open ones are closed and every one loses the shared copy, so the
    receiving partner sees only that a referral existed. Returns the referrals closed."""
    organisation_id = selectors.acting_organisation_id(actor)
    if organisation_id is None or (
        organisation_id != consent.organisation_id
        and not selectors.can_act_for(actor, consent.household)
    ):
        raise PermissionDenied(
            _(
                "Only staff of the organisation where the household lives, or of the one that "
                "recorded the consent, can record its withdrawal."
            )
        )
    if on > timezone.localdate():
        raise ServiceError(Code.BAD_DATE, _("A withdrawal cannot be recorded in the future."))
    if on < consent.given_on:
        raise ServiceError(
            Code.BAD_DATE, _("A consent cannot be withdrawn before the day it was given.")
        )
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.is_withdrawn:
            raise ServiceError(Code.ALREADY_WITHDRAWN, _("This consent is already withdrawn."))
        locked.withdrawn_on = on
        locked.withdrawn_by = actor
        locked.save(update_fields=["withdrawn_on", "withdrawn_by", "updated_at"])
        now = timezone.now()
        referrals = list(Referral.objects.select_for_update().filter(consent=locked).order_by("id"))
        closed = []
        for referral in referrals:
            fields = ["content", "content_erased_at", "updated_at"]
            if referral.status in OPEN_STATUSES:
                referral.status = ReferralStatus.CLOSED
                referral.closed_at, referral.closed_by = now, actor
                fields += ["status", "closed_at", "closed_by"]
                closed.append(referral)
            if referral.content_erased_at is None:
                referral.content_erased_at = now
            referral.content = {}
            referral.save(update_fields=fields)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=referral,
                summary=gettext_noop(
                    "consent withdrawn: shared information erased, referral closed"
                )
                if referral in closed
                else gettext_noop("consent withdrawn: shared information erased"),
            )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("withdrawn from %(on)s; open referrals closed: %(closed)s"),
            params={"on": on.isoformat(), "closed": len(closed)},
        )
    consent.withdrawn_on, consent.withdrawn_by = locked.withdrawn_on, actor
    return closed


# --- sending -------------------------------------------------------------------------------


def _lives_at(household: Household) -> str:
    stay = (
        Stay.objects.filter(household=household, ended_on__isnull=True)
        .select_related("unit__site__organisation")
        .first()
    )
    if stay is None:
        return ""
    site = stay.unit.site
    where = ", ".join(part for part in (site.name, site.address, site.city) if part)
    return f"{where} ({site.organisation.short_name})"


def _shared_copy(
    consent: Consent, person: Person, contact: str, health_note: str, reason: str
) -> dict[str, Any]:
    """What the consent allows, copied as it is today; nothing else of the person."""
    today = timezone.localdate()
    household = person.household
    copy: dict[str, Any] = {}
    if consent.covers_scope(ConsentScope.NAME_CONTACT):
        copy["name"] = person.written_name
        copy["latin_name"] = person.latin_name
        copy["birth_date"] = person.birth_date.isoformat()
        copy["lives_at"] = _lives_at(household)
        copy["contact"] = contact
    if consent.covers_scope(ConsentScope.HOUSEHOLD):
        ages = sorted(
            (
                age_on(born, today)
                for born in household.persons.values_list("birth_date", flat=True)
            ),
            reverse=True,
        )
        copy["household"] = {
            "adults": sum(1 for age in ages if age >= ADULT_AGE),
            "children_ages": [age for age in ages if age < ADULT_AGE],
        }
    if consent.covers_scope(ConsentScope.LANGUAGES):
        copy["languages"] = list(person.languages or [])
    if consent.covers_scope(ConsentScope.HEALTH):
        copy["health"] = {
            "needs_accessible": household.needs_accessible,
            "medical_priority": bool(household.medical_priority),
            "note": health_note,
        }
    if consent.covers_scope(ConsentScope.REASON):
        copy["reason"] = reason
    return copy


def _check_texts(consent: Consent, contact: str, health_note: str, reason: str) -> None:
    uncovered = [
        label
        for text, scope, label in (
            (contact, ConsentScope.NAME_CONTACT, _("contact details")),
            (health_note, ConsentScope.HEALTH, _("health-related needs")),
            (reason, ConsentScope.REASON, _("the reason")),
        )
        if text.strip() and not consent.covers_scope(scope)
    ]
    if uncovered:
        raise ServiceError(
            Code.CONSENT_NOT_COVERING,
            _(
                "The consent does not cover %(what)s. Leave it empty, or record a new consent "
                "that covers it."
            )
            % {"what": ", ".join(uncovered)},
        )
    if any(len(text) > MAX_TEXT for text in (contact, health_note, reason)):
        raise ServiceError(
            Code.CONSENT_NOT_COVERING,
            _("Each text may be at most %(max)d characters long.") % {"max": MAX_TEXT},
        )


def referral_send(
    *,
    actor: Any,
    person: Person,
    service: Service,
    consent: Consent | None = None,
    contact: str = "",
    health_note: str = "",
    reason: str = "",
) -> Referral:
    """Refer a resident to another partner's service, carrying only what the consent covers.

    Without a consent in force that covers the person and the receiving partner, nothing is
    sent; with none named, the newest such consent is used. The copy of the shared
    information is made now and encrypted.
    """
    household = person.household
    organisation_id = _require_host(
        actor,
        household,
        _("Only staff of the organisation where the resident lives can refer them."),
    )
    if service.organisation_id == organisation_id:
        raise ServiceError(
            Code.OWN_SERVICE, _("Choose a service of another partner: this one is your own.")
        )
    if consent is None:
        consent = selectors.consent_for(person, service.organisation_id)
    if consent is None:
        raise ServiceError(
            Code.NO_CONSENT,
            _(
                "The referral was not sent: there is no consent in force that lets this "
                "resident's information be shared with %(partner)s. Record the consent first: "
                "what may be shared, and with whom."
            )
            % {"partner": service.organisation.short_name},
        )
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        today = timezone.localdate()
        if (
            not locked.covers_person(person)
            or locked.given_on > today
            or (locked.withdrawn_on is not None and locked.withdrawn_on <= today)
        ):
            raise ServiceError(
                Code.NO_CONSENT,
                _(
                    "This consent is not in force for this resident (it was withdrawn, or "
                    "given for someone else). The referral was not sent."
                ),
            )
        if not selectors.consent_covers_organisation(locked, service.organisation_id):
            raise ServiceError(
                Code.CONSENT_NOT_COVERING,
                _(
                    "The consent does not cover sharing with %(partner)s. The referral was not "
                    "sent; record a consent that names this partner."
                )
                % {"partner": service.organisation.short_name},
            )
        _check_texts(locked, contact, health_note, reason)
        if Referral.objects.filter(
            person=person, service=service, status__in=OPEN_STATUSES
        ).exists():
            raise ServiceError(
                Code.ALREADY_REFERRED,
                _("This resident already has an open referral to this service."),
            )
        referral = Referral.objects.create(
            household=household,
            person=person,
            consent=locked,
            service=service,
            from_organisation_id=organisation_id,
            to_organisation_id=service.organisation_id,
            sent_by=actor,
            sent_at=timezone.now(),
            scopes=list(locked.scopes),
            content=_shared_copy(
                locked, person, contact.strip(), health_note.strip(), reason.strip()
            ),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=referral,
            summary=gettext_noop(
                "referral of person %(person)s to %(service)s (%(organisation)s); "
                "shared: %(scopes)s"
            ),
            params={
                "person": person,
                "service": service.name_sv,
                "organisation": service.organisation.short_name,
                "scopes": choice_labels(ConsentScope, locked.scopes),
            },
        )
        record_disclosure(
            actor=actor, persons=[person], recipient=service.organisation.name,
            what=gettext_noop("referral to %(service)s; shared: %(scopes)s"),
            params={"service": service.name_sv,
                    "scopes": choice_labels(ConsentScope, locked.scopes)},
            basis=DisclosureBasis.CONSENT,
        )  # fmt: skip
    return referral


# --- answering -----------------------------------------------------------------------------


def _lock_for_receiver(actor: Any, referral: Referral) -> Referral:
    if selectors.acting_organisation_id(actor) != referral.to_organisation_id:
        raise PermissionDenied(_("Only the partner the referral is addressed to can answer it."))
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _refresh(referral: Referral, locked: Referral) -> Referral:
    for field in (
        "status",
        "accepted_at",
        "accepted_by",
        "declined_at",
        "declined_by",
        "decline_reason",
        "done_at",
        "done_by",
        "delivery",
        "closed_at",
        "closed_by",
    ):
        setattr(referral, field, getattr(locked, field))
    return referral


def referral_accept(*, actor: Any, referral: Referral) -> Referral:
    with transaction.atomic():
        locked = _lock_for_receiver(actor, referral)
        if locked.status != ReferralStatus.SENT:
            raise ServiceError(
                Code.NOT_OPEN,
                _("This referral is no longer waiting for an answer: it is %(status)s.")
                % {"status": locked.get_status_display().lower()},
            )
        locked.status = ReferralStatus.ACCEPTED
        locked.accepted_at, locked.accepted_by = timezone.now(), actor
        locked.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, summary=gettext_noop("accepted")
        )
    return _refresh(referral, locked)


def referral_decline(*, actor: Any, referral: Referral, reason: str) -> Referral:
    reason = reason.strip()
    if not reason:
        raise ServiceError(Code.NO_REASON, _("Say why the referral is declined."))
    if len(reason) > MAX_REASON:
        raise ServiceError(
            Code.NO_REASON,
            _("The reason may be at most %(max)d characters long.") % {"max": MAX_REASON},
        )
    with transaction.atomic():
        locked = _lock_for_receiver(actor, referral)
        if locked.status not in OPEN_STATUSES:
            raise ServiceError(
                Code.NOT_OPEN,
                _("This referral is no longer open: it is %(status)s.")
                % {"status": locked.get_status_display().lower()},
            )
        locked.status = ReferralStatus.DECLINED
        locked.declined_at, locked.declined_by = timezone.now(), actor
        locked.decline_reason = reason
        fields = ["status", "declined_at", "declined_by", "decline_reason", "updated_at"]
        locked.save(update_fields=fields)
        # The reason is the receiver's answer to the sender; the log names the step only.
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, summary=gettext_noop("declined")
        )
    return _refresh(referral, locked)


def referral_done(
    *, actor: Any, referral: Referral, on: dt.date, note: str = "", confirm: bool = False
) -> Referral:
    """Mark an accepted referral done: the service was given. It records the delivery
    through the added-values service, with its rules, and links it to the referral.

    The delivery names the person only when the consent shared the name; otherwise it is the
    household's, known to the receiver by its reference alone.
    """
    with transaction.atomic():
        locked = _lock_for_receiver(actor, referral)
        if locked.status != ReferralStatus.ACCEPTED:
            raise ServiceError(
                Code.NOT_ACCEPTED,
                _("Only an accepted referral can be marked done; this one is %(status)s.")
                % {"status": locked.get_status_display().lower()},
            )
        named = ConsentScope.NAME_CONTACT in (locked.scopes or [])
        delivery = delivery_record(
            actor=actor,
            service=locked.service,
            household=locked.household,
            person=locked.person if named else None,
            on=on,
            note=note,
            confirm=confirm,
        )
        locked.status = ReferralStatus.DONE
        locked.done_at, locked.done_by, locked.delivery = timezone.now(), actor, delivery
        locked.save(update_fields=["status", "done_at", "done_by", "delivery", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("done: %(service)s delivered on %(on)s"),
            params={"service": locked.service.name_sv, "on": on.isoformat()},
        )
    return _refresh(referral, locked)


def referral_cancel(*, actor: Any, referral: Referral) -> Referral:
    """The sender takes back a referral that is still open."""
    with transaction.atomic():
        if selectors.acting_organisation_id(actor) != referral.from_organisation_id:
            raise PermissionDenied(_("Only the partner that sent the referral can cancel it."))
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in OPEN_STATUSES:
            raise ServiceError(
                Code.NOT_OPEN,
                _("This referral is no longer open: it is %(status)s.")
                % {"status": locked.get_status_display().lower()},
            )
        locked.status = ReferralStatus.CANCELLED
        locked.closed_at, locked.closed_by = timezone.now(), actor
        locked.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, summary=gettext_noop("cancelled")
        )
    return _refresh(referral, locked)
