"""The minors' cast: a 15-year-old placed in partner A's HVB home by the cast's case worker."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tillsammans.core.factories import LicenceFactory, UnitFactory
from tillsammans.minors.models import ChildCase
from tillsammans.minors.services import child_place, child_register, decision_record


@pytest.fixture
def case(cast: Any) -> ChildCase:
    """A 15-year-old living in partner A's HVB home, held by the cast's case worker."""
    today, day = timezone.localdate(), dt.timedelta(days=1)
    licence = LicenceFactory.create(site__organisation=cast.org_a, valid_from=today - 400 * day)
    unit = UnitFactory.create(site=licence.site, beds=2)
    case = child_register(
        actor=cast.case_worker, first_name="Ali", last_name="Ahmadi",
        birth_date=today - dt.timedelta(days=15 * 365 + 40), basis="assessed", sex="male",
        allocated_on=today - 30 * day,
    )  # fmt: skip
    on = today - 20 * day
    decision_record(
        actor=cast.case_worker, case=case, site=licence.site, decided_on=on, valid_from=on
    )
    child_place(actor=cast.case_worker, case=case, unit=unit, on=on)
    return case
