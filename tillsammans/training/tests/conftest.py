import datetime as dt
from typing import Any

import pytest

from tests.conftest import client_as  # noqa: F401 -- the cross-cutting suites' fixture
from tillsammans.training.models import TrainingSession
from tillsammans.training.services import session_create

HELD_ON = dt.date(2022, 10, 12)


@pytest.fixture
def session(cast: Any) -> TrainingSession:
    return session_create(
        actor=cast.coordinator,
        title="Trafficking och exploatering",
        topic="trafficking",
        held_on=HELD_ON,
        place="Integrationscentrum",
        organiser=cast.city,
        max_seats=10,
    )
