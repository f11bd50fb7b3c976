"""Fixtures of the jobs tests: partner A runs a job programme; its staff are coaches."""

import datetime as dt
from typing import Any

import pytest

from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.jobs.models import Occupation
from tillsammans.jobs.services import (
    employer_create,
    job_seeker_enrol,
    opening_create,
    programme_start,
)

ENROLLED_ON = dt.date(2022, 6, 1)


@pytest.fixture
def programme(cast: Any) -> Any:
    return programme_start(actor=cast.coordinator, organisation=cast.org_a, name="Jobbstart")


def profile(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "wanted_occupation": Occupation.objects.get(code="5321"),
        "previous_occupation": None,
        "education": "secondary",
        "education_note": "",
        "experience": "",
        "swedish": 1,
        "english": 1,
        "ukrainian": 3,
        "russian": 2,
        "driving_licence": False,
        "available_from": ENROLLED_ON,
        "hours_per_week": 40,
        "home_district": "Lundby",
        "max_travel_km": 15,
    }
    values.update(overrides)
    return values


def resident(cast: Any, first_name: str = "Iryna") -> Any:
    """Another adult living at partner A's site (in household A)."""
    return PersonFactory(
        household=cast.household_a,
        first_name=first_name,
        last_name="Koval",
        first_name_latin=first_name,
        last_name_latin="Koval",
        birth_date=dt.date(1985, 5, 5),
    )


def enrol(cast: Any, person: Any = None, **overrides: Any) -> Any:
    person = person or resident(cast)
    return job_seeker_enrol(
        actor=cast.a_staff,
        person=person,
        enrolled_on=ENROLLED_ON,
        consent_given_on=ENROLLED_ON,
        consent_explained_in="uk",
        **profile(**overrides),
    )


def employer(cast: Any, name: str = "Exempelstädet AB") -> Any:
    return employer_create(actor=cast.a_staff, name=name, district="Centrum")


def opening(cast: Any, employer_: Any = None, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "title": "Städare",
        "occupation": Occupation.objects.get(code="9111"),
        "district": "Centrum",
        "hours_per_week": 30,
        "starts_on": dt.date(2022, 7, 1),
        "driving_licence": False,
        "swedish": 0,
        "english": 0,
        "ukrainian": 0,
        "russian": 0,
        "description": "",
    }
    fields.update(overrides)
    return opening_create(actor=cast.a_staff, employer=employer_ or employer(cast), **fields)


def other_household_person(first_name: str = "Taras") -> Any:
    household = HouseholdFactory()
    return PersonFactory(household=household, first_name=first_name, first_name_latin=first_name)


@pytest.fixture
def client_as(cast: Any) -> Any:
    """A client logged in as the named role of the cast."""
    from django.test import Client

    def make(role: str) -> Client:
        client = Client()
        client.force_login(getattr(cast, role))
        return client

    return make
