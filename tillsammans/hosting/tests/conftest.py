"""Hjärterum in the cast: partner A runs the host-home programme, partner B does not."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tillsammans.core.factories import HouseholdFactory, PersonFactory
from tillsammans.hosting.models import Answer, Host, Programme, RentBasis
from tillsammans.hosting.services import (
    agreement_sign,
    answer_record,
    host_register,
    programme_create,
    vetting_record,
)

VETTED_ON = dt.date(2022, 8, 1)


@pytest.fixture
def programme(cast: Any) -> Programme:
    return programme_create(actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum")


def register(cast: Any, programme: Programme, **overrides: Any) -> Host:
    data: dict[str, Any] = {
        "name": "Anna och Erik Lind",
        "phone": "070-000 00 00",
        "email": "lind@example.org",
        "address": "Exempelgatan 1",
        "district": "Majorna-Linné",
        "rooms": 1,
        "beds": 3,
        "available_from": dt.date(2022, 8, 1),
        "languages": ["sv", "en"],
        "rent_basis": RentBasis.HOME,
        "monthly_rent": 4500,
    }
    data.update(overrides)
    actor = data.pop("actor", cast.a_admin)
    return host_register(actor=actor, programme=programme, **data)


def vet(cast: Any, host: Host, on: dt.date = VETTED_ON) -> Host:
    for step in ("home_visit", "identity", "reference"):
        host = vetting_record(actor=cast.a_staff, host=host, step=step, on=on, notes="ok")
    return host


def agree(
    cast: Any, host: Host, household: Any, starts_on: dt.date, ends_on: dt.date | None = None
) -> Any:
    answer_record(
        actor=cast.a_staff, host=host, household=household, answer=Answer.YES,
        answered_on=starts_on - dt.timedelta(days=2),
    )  # fmt: skip
    return agreement_sign(
        actor=cast.a_staff, host=host, household=household,
        signed_on=starts_on - dt.timedelta(days=1), starts_on=starts_on,
        ends_on=ends_on or starts_on + dt.timedelta(days=180),
        signed_by_host=True, signed_by_organisation=True, signed_by_guest=True,
    )  # fmt: skip


@pytest.fixture
def new_household() -> Callable[..., Any]:
    def make(reference: str, persons: int = 2) -> Any:
        household = HouseholdFactory(reference=reference)
        for _ in range(persons):
            PersonFactory(household=household)
        return household

    return make
