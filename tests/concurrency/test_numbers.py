"""One person per Swedish identity number when several coordinators write at once (PostgreSQL).

The services check the number first; two requests that both pass the check meet the unique
constraint, whose refusal must reach the user as the same message, never as a 500.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import PersonFactory
from tillsammans.core.models import User
from tillsammans.people.models import PathEvent, PathEventKind, Person
from tillsammans.people.services import path_event_record, person_update

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark

NUMBER = "198112189876"
WRITERS = 8


def _persons() -> list[int]:
    return [
        PersonFactory.create(
            birth_date=dt.date(1981, 12, 18),
            permit_valid_from=dt.date(2022, 6, 1),
            permit_valid_until=dt.date(2027, 3, 4),
        ).pk
        for _ in range(WRITERS)
    ]


def test_it_lets_one_of_eight_simultaneous_registrations_take_a_number(cast):
    # given eight persons, each registered with the same number at the same moment
    ids = _persons()

    def prepare(index: int) -> tuple[Any, ...]:
        return User.objects.get(pk=cast.coordinator.pk), Person.objects.get(pk=ids[index])

    def register(actor: Any, person: Any) -> Any:
        return path_event_record(
            actor=actor, person=person, kind=PathEventKind.REGISTERED,
            on=timezone.localdate(), identity_number=NUMBER,
        )  # fmt: skip

    # when
    outcomes = run_together(WRITERS, prepare, register)
    # then one holds it, the others were told why, and none of theirs was half-written
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == WRITERS - 1, [repr(e) for e in errors]
    assert all(isinstance(e, ServiceError) and e.code == "number_taken" for e in errors), errors
    assert Person.objects.filter(swedish_id_number=NUMBER).count() == 1
    assert PathEvent.objects.filter(kind=PathEventKind.REGISTERED).count() == 1


def test_it_lets_one_of_eight_simultaneous_edits_take_a_number(cast):
    # given
    ids = _persons()

    def prepare(index: int) -> tuple[Any, ...]:
        return User.objects.get(pk=cast.coordinator.pk), Person.objects.get(pk=ids[index])

    def edit(actor: Any, person: Any) -> Any:
        return person_update(actor=actor, person=person, swedish_id_number=NUMBER)

    # when
    outcomes = run_together(WRITERS, prepare, edit)
    # then the refusals are the number field's message, as the form shows it
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == WRITERS - 1, [repr(e) for e in errors]
    assert all(
        isinstance(e, ValidationError) and "swedish_id_number" in e.error_dict for e in errors
    ), errors
    # and no refusal carries the database's error, whose detail would hold the number
    assert all(e.__cause__ is None and e.__suppress_context__ for e in errors)
    assert Person.objects.filter(swedish_id_number=NUMBER).count() == 1
