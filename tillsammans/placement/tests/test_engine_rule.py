"""The engine never proposes a place that accepting refuses: on random worlds of adults,
families, unaccompanied children with decisions, host homes and licensed homes for
children, every proposed place of a proposal is taken when all are accepted."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from tillsammans.core.factories import AllocationFactory, OrganisationFactory, member
from tillsammans.partnership.models import OrganisationKind, Role
from tillsammans.placement.models import ItemStatus
from tillsammans.placement.services import proposal_accept, proposal_create
from tillsammans.reception.tests.test_eligibility import DAYS, _build, day, worlds


@pytest.mark.django_db
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(world=worlds())
def test_it_proposes_only_places_that_accepting_takes(world):
    places, people = world
    with transaction.atomic():
        # given: a random world, every household with a pending allocation on a day of its own
        city = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
        coordinator = member(city, Role.COORDINATOR, "engine@example.org")
        _built, made = _build(places, people)
        for h, household in enumerate(made):
            AllocationFactory(household=household, allocated_on=day(DAYS[h % len(DAYS)]))
        # when: the engine proposes for the first day and everything is accepted
        proposal = proposal_create(actor=coordinator, on=day(DAYS[0]))
        proposed = proposal.items.filter(status=ItemStatus.PROPOSED).count()
        if proposed == 0:
            transaction.set_rollback(True)
            return
        accepted = proposal_accept(actor=coordinator, proposal=proposal)
        # then: no proposed place is refused
        assert [(item.household_id, item.reason) for item in accepted.failed] == []
        assert len(accepted.accepted) == proposed
        transaction.set_rollback(True)
