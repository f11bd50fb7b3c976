"""Services of partner A and partner B, and a resident who lives at partner B's site."""

import datetime as dt
from typing import Any

import pytest

from tillsammans.addedvalues.models import Eligibility, LimitEnforcement, ServiceCategory
from tillsammans.addedvalues.services import service_create
from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.reception.services import allocation_place

MOVED_IN = dt.date(2022, 7, 10)


@pytest.fixture
def language_cafe(cast: Any) -> Any:
    return service_create(
        actor=cast.a_admin,
        name_sv="Språkcafé",
        name_en="Language café",
        name_uk="Мовне кафе",
        category=ServiceCategory.LANGUAGE,
        eligibility=Eligibility.ANYONE,
        weekdays=[1, 3],
        starts_at=dt.time(17, 0),
        ends_at=dt.time(19, 0),
        languages=["sv", "uk"],
    )


@pytest.fixture
def food_bag(cast: Any) -> Any:
    """Once a week per household, residents only: the food bag of the issue."""
    return service_create(
        actor=cast.a_admin,
        name_sv="Matkasse",
        name_uk="Продуктовий набір",
        category=ServiceCategory.FOOD,
        eligibility=Eligibility.RESIDENTS,
        limit_count=1,
        limit_days=7,
        limit_enforcement=LimitEnforcement.REFUSE,
    )


@pytest.fixture
def lunch(cast: Any) -> Any:
    return service_create(
        actor=cast.a_admin,
        name_sv="Gratis lunch",
        name_uk="Безкоштовний обід",
        category=ServiceCategory.FOOD,
        is_meeting_place=True,
        eligibility=Eligibility.ANYONE,
        limit_count=1,
        limit_days=1,
        limit_enforcement=LimitEnforcement.WARN,
    )


@pytest.fixture
def household_b(cast: Any) -> Any:
    """A household living at partner B's site."""
    household = HouseholdFactory(reference="H-B")
    PersonFactory(household=household, first_name="Ірина", last_name="Коваленко",
                  first_name_latin="Iryna", last_name_latin="Kovalenko",
                  birth_date=dt.date(1985, 5, 6))  # fmt: skip
    allocation = AllocationFactory.create(household=household, reference="A-B")
    allocation_place(actor=cast.coordinator, allocation=allocation, unit=cast.unit_b, on=MOVED_IN)
    return household
