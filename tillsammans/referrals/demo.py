"""Demo referrals between the partners of the Göteborg 2022 demo, in each state.

Residents of Stadsmissionen's sites (synthetic people of the main demo) are referred to
Skyddsvärnet's Jobbstart Ukraina, Bräcke diakoni's mobile health team and Reningsborg's
internships, through the real services, with a consent recorded first. The steps are then
dated in the autumn of 2022, so that the monthly figures show them; the audit events keep the
day the demo was loaded.
"""

import datetime as dt
import random

from django.utils import timezone

from tillsammans.addedvalues.models import Service
from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.core.models import User
from tillsammans.partnership.models import Membership, Organisation, Role
from tillsammans.people.models import Person
from tillsammans.reception.models import Stay

from .models import ConsentScope, ExplainedIn, Referral
from .services import (
    consent_record,
    consent_withdraw,
    referral_accept,
    referral_decline,
    referral_done,
    referral_send,
)

SENDER = "stadsmissionen"
# (receiving organisation, service name, what becomes of it, reason in the staff's words)
PLAN = [
    ("skyddsvarnet", "Jobbstart Ukraina", "done",
     "Vill komma i arbete; har arbetat som undersköterska i Charkiv."),
    ("bracke-diakoni", "Mobilt hälsoteam", "accepted",
     "Behöver hjälp att hitta rätt vårdkontakt för sitt barn."),
    ("skyddsvarnet", "Jobbstart Ukraina", "declined",
     "Söker arbete inom lager och logistik."),
    ("bracke-diakoni", "Mobilt hälsoteam", "sent",
     "Önskar hälsosamtal och vaccinationskontroll."),
    ("reningsborg", "Praktik i secondhandbutik med Västtrafikkort", "done",
     "Vill öva svenska i arbete och komma ut i vardagen."),
    ("skyddsvarnet", "Jobbstart Ukraina", "withdrawn",
     "Vill ha stöd med CV och personligt brev."),
]  # fmt: skip
DECLINE_REASON = "Höstens grupp är full. Hör gärna av er igen i januari."
FIRST_SENT = dt.date(2022, 10, 3)
LAST_DAY = dt.date(2022, 12, 31)


def _staff(organisation: Organisation) -> User | None:
    membership = (
        Membership.objects.filter(
            organisation=organisation, role__in=[Role.PARTNER_STAFF, Role.PARTNER_ADMIN]
        )
        .select_related("user")
        .order_by("role", "id")
        .first()
    )
    return membership.user if membership is not None else None


def _adults_at(organisation: Organisation, on: dt.date) -> list[tuple[Person, dt.date]]:
    """Adults of households living at the organisation's sites now, with their move-in day."""
    stays = (
        Stay.objects.filter(
            ended_on__isnull=True, unit__site__organisation=organisation, started_on__lte=on
        )
        .order_by("household_id")
        .values_list("household_id", "started_on")
    )
    moved_in = dict(stays)
    persons = Person.objects.filter(household_id__in=moved_in).order_by("household_id", "id")
    first_adult: dict[int, Person] = {}
    for person in persons:
        if age_on(person.birth_date, on) >= ADULT_AGE:
            first_adult.setdefault(person.household_id, person)
    return [(person, moved_in[household]) for household, person in first_adult.items()]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load(rng: random.Random) -> None:
    organisations = {org.slug: org for org in Organisation.objects.all()}
    slugs = {SENDER, *(slug for slug, _name, _state, _reason in PLAN)}
    if not slugs <= set(organisations):
        return  # not the Göteborg demo
    sender_staff = _staff(organisations[SENDER])
    services = {
        (service.organisation.slug, service.name_sv): service
        for service in Service.objects.select_related("organisation")
    }
    if sender_staff is None or any((slug, name) not in services for slug, name, *_ in PLAN):
        return  # the catalogue of the added-values demo is not there
    adults = _adults_at(organisations[SENDER], FIRST_SENT)
    chosen = rng.sample(adults, min(len(adults), len(PLAN)))
    for index, ((person, moved_in), (slug, name, state, reason)) in enumerate(
        zip(chosen, PLAN, strict=False)
    ):
        receiver_staff = _staff(organisations[slug])
        if receiver_staff is None:
            continue
        sent_on = FIRST_SENT + dt.timedelta(days=9 * index + rng.randint(0, 4))
        consent = consent_record(
            actor=sender_staff,
            household=person.household,
            person=person if index % 2 else None,
            scopes=[ConsentScope.NAME_CONTACT, ConsentScope.LANGUAGES, ConsentScope.REASON]
            + ([ConsentScope.HEALTH] if slug == "bracke-diakoni" else []),
            any_partner=index % 3 == 0,
            partners=[organisations[slug]],
            given_on=max(moved_in, sent_on - dt.timedelta(days=rng.randint(1, 6))),
            explained_in=rng.choice([ExplainedIn.UKRAINIAN, ExplainedIn.RUSSIAN]),
        )
        referral = referral_send(
            actor=sender_staff,
            person=person,
            service=services[(slug, name)],
            consent=consent,
            reason=reason,
        )
        dates = {"sent_at": _at(sent_on, 10)}
        answered_on = min(sent_on + dt.timedelta(days=rng.randint(1, 3)), LAST_DAY)
        done_on = min(answered_on + dt.timedelta(days=rng.randint(3, 10)), LAST_DAY)
        if state in ("accepted", "done"):
            referral_accept(actor=receiver_staff, referral=referral)
            dates["accepted_at"] = _at(answered_on, 14)
        if state == "done":
            try:
                referral_done(actor=receiver_staff, referral=referral, on=done_on, confirm=True)
            except ServiceError:
                pass  # the service's own rule refused it: the referral stays accepted
            else:
                dates["done_at"] = _at(done_on, 15)
        if state == "declined":
            referral_decline(actor=receiver_staff, referral=referral, reason=DECLINE_REASON)
            dates["declined_at"] = _at(answered_on, 14)
        if state == "withdrawn":
            consent_withdraw(actor=sender_staff, consent=consent, on=answered_on)
            dates["closed_at"] = _at(answered_on, 11)
        Referral.objects.filter(pk=referral.pk).update(**dates)
