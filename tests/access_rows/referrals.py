"""Access-matrix rows of the referrals app.

A referral is seen by the partner that sent it and the partner it is addressed to, and by
nobody else (the city's coordinator included, unless the city is one of the two). Consent
pages follow the household: the coordinator and the partner where it lives.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.access import (
    PARTNER_A_PEOPLE,
    PEOPLE,
    REDIRECT,
    Expected,
    Row,
    closed,
    household_a,
)

GIVEN_ON = "2022-08-01"
A_PEOPLE_POSTING: dict[str, Expected] = {
    "coordinator": 200,
    "a_admin": REDIRECT,
    "a_staff": REDIRECT,
}


def _consent(cast: Any) -> Any:
    from tillsammans.referrals.services import consent_record

    return consent_record(
        actor=cast.a_staff,
        household=cast.household_a,
        scopes=["name_contact", "reason"],
        partners=[cast.org_b],
        given_on=dt.date.fromisoformat(GIVEN_ON),
        explained_in="uk",
    )


def _service(organisation: Any, name: str) -> Any:
    from tillsammans.addedvalues.models import Service

    return Service.objects.create(organisation=organisation, name_sv=name, category="work")


def _referral(cast: Any, to: Any = None) -> Any:
    from tillsammans.referrals.services import referral_send

    consent = _consent(cast)
    if to is not None:
        consent.partners.add(to)
    service = _service(to or cast.org_b, "Jobbstart")
    person = cast.household_a.persons.order_by("id").first()
    return referral_send(actor=cast.a_staff, person=person, service=service, reason="Jobb")


def consent(cast: Any) -> dict[str, Any]:
    return {"public_id": _consent(cast).public_id}


def referral_to_b(cast: Any) -> dict[str, Any]:
    return {"public_id": _referral(cast).public_id}


def referral_to_c(cast: Any) -> dict[str, Any]:
    from tillsammans.core.factories import OrganisationFactory

    return {"public_id": _referral(cast, OrganisationFactory(short_name="C")).public_id}


def consent_data(cast: Any) -> dict[str, Any]:
    return {
        "scopes": ["name_contact", "languages"],
        "partners": [cast.org_b.slug],
        "given_on": GIVEN_ON,
        "explained_in": "uk",
    }


def referral_data(cast: Any) -> dict[str, Any]:
    _consent(cast)
    service = _service(cast.org_b, "Jobbstart")
    person = cast.household_a.persons.order_by("id").first()
    return {"person": str(person.public_id), "service": str(service.public_id), "reason": "Jobb"}


POST_ONLY = closed(**{role: 405 for role in PEOPLE})
BOTH_SIDES = {"a_admin": REDIRECT, "a_staff": REDIRECT, "b_staff": REDIRECT}

ROWS = [
    Row("referral_home", closed(**PEOPLE)),
    Row("referral_home", closed(**PEOPLE), query="box=sent&q=Olena", case="sent, search"),
    Row("referral_household", closed(**PARTNER_A_PEOPLE), kwargs=household_a),
    Row("consent_create", closed(**PARTNER_A_PEOPLE), kwargs=household_a),
    # The coordinator sees the household, but only its host partner records the consent:
    # the form comes back with the refusal.
    Row(
        "consent_create",
        closed(**A_PEOPLE_POSTING),
        kwargs=household_a,
        method="post",
        data=consent_data,
    ),
    Row("consent_withdraw", closed(**PARTNER_A_PEOPLE), kwargs=consent),
    Row(
        "consent_withdraw",
        closed(**A_PEOPLE_POSTING),
        kwargs=consent,
        method="post",
        data=lambda cast: {"on": timezone.localdate().isoformat()},
    ),
    Row("referral_create", closed(**PARTNER_A_PEOPLE), kwargs=household_a),
    Row(
        "referral_create",
        closed(**A_PEOPLE_POSTING),
        kwargs=household_a,
        method="post",
        data=referral_data,
    ),
    Row(
        "referral_detail",
        closed(a_admin=200, a_staff=200, b_staff=200),
        kwargs=referral_to_b,
        case="to partner B",
    ),
    Row(
        "referral_detail",
        closed(a_admin=200, a_staff=200),
        kwargs=referral_to_c,
        case="to another partner",
    ),
    Row("referral_accept", POST_ONLY, kwargs=referral_to_b),
    # The sender's attempt is refused with a message on the referral's page.
    Row("referral_accept", closed(**BOTH_SIDES), kwargs=referral_to_b, method="post"),
    Row(
        "referral_accept",
        closed(a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=referral_to_c,
        method="post",
        case="to another partner",
    ),
    Row("referral_decline", POST_ONLY, kwargs=referral_to_b),
    Row(
        "referral_decline",
        closed(**BOTH_SIDES),
        kwargs=referral_to_b,
        method="post",
        data=lambda cast: {"reason": "Fullt"},
    ),
    Row("referral_done", POST_ONLY, kwargs=referral_to_b),
    Row(
        "referral_done",
        closed(**BOTH_SIDES),
        kwargs=referral_to_b,
        method="post",
        data=lambda cast: {"on": timezone.localdate().isoformat()},
    ),
    Row("referral_cancel", POST_ONLY, kwargs=referral_to_b),
    Row("referral_cancel", closed(**BOTH_SIDES), kwargs=referral_to_b, method="post"),
]
