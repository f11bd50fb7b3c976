"""Fixtures of the referrals tests: a service at each partner and a consent for household A."""

import datetime as dt
from typing import Any

import pytest

from tillsammans.addedvalues.models import Service, ServiceCategory
from tillsammans.referrals.models import ConsentScope, ExplainedIn
from tillsammans.referrals.services import consent_record

GIVEN_ON = dt.date(2022, 8, 1)


def make_service(organisation: Any, name: str, category: str = ServiceCategory.WORK) -> Service:
    return Service.objects.create(
        organisation=organisation, name_sv=name, name_en=name, category=category
    )


@pytest.fixture
def service_b(cast: Any) -> Service:
    return make_service(cast.org_b, "Jobbstart B")


@pytest.fixture
def service_a(cast: Any) -> Service:
    return make_service(cast.org_a, "Språkcafé A", ServiceCategory.LANGUAGE)


@pytest.fixture
def olena(cast: Any) -> Any:
    return cast.household_a.persons.get(first_name_latin="Olena")


def record_consent(cast: Any, *, scopes: list[str] | None = None, **kwargs: Any) -> Any:
    defaults: dict[str, Any] = {
        "actor": cast.a_staff,
        "household": cast.household_a,
        "scopes": scopes if scopes is not None else [ConsentScope.NAME_CONTACT],
        "partners": [cast.org_b],
        "given_on": GIVEN_ON,
        "explained_in": ExplainedIn.UKRAINIAN,
    }
    return consent_record(**(defaults | kwargs))


@pytest.fixture
def consent(cast: Any) -> Any:
    return record_consent(
        cast, scopes=[ConsentScope.NAME_CONTACT, ConsentScope.LANGUAGES, ConsentScope.REASON]
    )
