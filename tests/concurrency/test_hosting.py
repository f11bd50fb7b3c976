"""Hjärterum on PostgreSQL: ten officers mark the same month paid at once, five
coordinators place five households in one host home at once, and a placement races the end
of the guests' agreement.

Each attempt runs in its own thread with its own connection. The programme's row lock makes
one payment of the month; the unit's lock and the one-household rule of a host home let one
household in; the unit's lock, taken by the placement and by the end of the agreement
alike, leaves no guest living in a home under an agreement that ended.
"""

import datetime as dt
from typing import Any

from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.core.models import User
from tillsammans.hosting.models import (
    Answer,
    EndReason,
    HostingAgreement,
    Programme,
    RentMonth,
    RentPayment,
)
from tillsammans.hosting.services import (
    agreement_end,
    agreement_sign,
    answer_record,
    host_register,
    programme_create,
    rent_month_mark_paid,
    tell_placement_rule_of,
    vetting_record,
)
from tillsammans.reception.models import Allocation, Stay
from tillsammans.reception.services import allocation_place

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark

ON = dt.date(2022, 10, 10)


def _vetted_host(cast: Any) -> Any:
    programme = programme_create(actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum")
    host = host_register(
        actor=cast.a_admin, programme=programme, beds=4, name="Värd", address="Gatan 1",
        district="Centrum", available_from=dt.date(2022, 8, 1), monthly_rent=4500,
    )  # fmt: skip
    for step in ("home_visit", "identity", "reference"):
        vetting_record(actor=cast.a_staff, host=host, step=step, on=dt.date(2022, 8, 1))
    return host


def test_it_pays_a_month_once_when_ten_officers_mark_it_paid_at_once(cast):
    # given: a host with guests in October
    host = _vetted_host(cast)
    household = HouseholdFactory(reference="H-GUEST")
    PersonFactory(household=household)
    answer_record(actor=cast.a_staff, host=host, household=household, answer=Answer.YES,
                  answered_on=ON)  # fmt: skip
    agreement_sign(
        actor=cast.a_staff, host=host, household=household, signed_on=ON, starts_on=ON,
        ends_on=ON + dt.timedelta(days=90), signed_by_host=True, signed_by_organisation=True,
        signed_by_guest=True,
    )  # fmt: skip
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=host.unit, on=ON)  # fmt: skip

    def prepare(index: int) -> tuple[Any, ...]:
        actor = User.objects.select_related("membership__organisation").get(pk=cast.a_admin.pk)
        return actor, Programme.objects.get(pk=host.programme_id)

    def pay(actor: Any, programme: Any) -> Any:
        return rent_month_mark_paid(actor=actor, programme=programme, year=2022, month=10)

    # when
    outcomes = run_together(10, prepare, pay)
    # then: one payment, nine told that the month is already paid
    codes = sorted(getattr(o.error, "code", repr(o.error)) for o in outcomes if o.error)
    assert len([o for o in outcomes if o.error is None]) == 1
    assert codes == ["month_paid"] * 9
    assert RentMonth.objects.count() == 1 and RentPayment.objects.count() == 1


def test_it_lets_one_of_five_households_into_a_host_home_placed_at_once(cast):
    # given: a vetted home and five households, each with the host's yes and an agreement
    # (as a coordinator might record by mistake)
    host = _vetted_host(cast)
    allocations = []
    for index in range(5):
        household = HouseholdFactory(reference=f"H-RACE-{index}")
        PersonFactory(household=household)
        answer_record(actor=cast.coordinator, host=host, household=household,
                      answer=Answer.YES, answered_on=ON)  # fmt: skip
        _agreement(host, household, cast.coordinator)
        allocations.append(AllocationFactory(household=household))

    def prepare(index: int) -> tuple[Any, ...]:
        actor = User.objects.select_related("membership__organisation").get(pk=cast.coordinator.pk)
        return actor, Allocation.objects.get(pk=allocations[index].pk)

    def place(actor: Any, allocation: Any) -> Any:
        return allocation_place(actor=actor, allocation=allocation, unit=host.unit, on=ON)

    # when
    outcomes = run_together(5, prepare, place)
    # then: one household lives there; the others hear that there is no room
    assert len([o for o in outcomes if o.error is None]) == 1
    assert sorted(getattr(o.error, "code", "") for o in outcomes if o.error) == ["no_room"] * 4
    assert Stay.objects.filter(unit=host.unit).count() == 1


def test_it_leaves_no_guest_in_a_home_whose_agreement_ended_during_the_placement(cast):
    # given: a vetted home, and rounds of a household with a signed agreement
    host = _vetted_host(cast)
    for round_ in range(6):
        household = HouseholdFactory(reference=f"H-END-{round_}")
        PersonFactory(household=household)
        answer_record(actor=cast.a_staff, host=host, household=household, answer=Answer.YES,
                      answered_on=ON)  # fmt: skip
        agreement = agreement_sign(
            actor=cast.a_staff, host=host, household=household, signed_on=ON, starts_on=ON,
            ends_on=ON + dt.timedelta(days=90), signed_by_host=True,
            signed_by_organisation=True, signed_by_guest=True,
        )  # fmt: skip
        # when: the coordinator places the household while the officer ends the agreement
        placing, ending = _place_while_ending(cast, host, agreement)
        # then: the agreement ended, and the household does not live in the home
        assert ending.error is None, ending.error
        assert placing.error is None or getattr(placing.error, "code", "") == "no_agreement"
        assert not Stay.objects.filter(unit=host.unit, ended_on__isnull=True).exists()


def _place_while_ending(cast: Any, host: Any, agreement: Any) -> list[Any]:
    allocation = AllocationFactory(household=agreement.household)

    def prepare(index: int) -> tuple[Any, ...]:
        if index == 0:
            return allocation_place, {
                "actor": User.objects.get(pk=cast.coordinator.pk),
                "allocation": Allocation.objects.get(pk=allocation.pk),
                "unit": host.unit,
                "on": ON,
            }
        return agreement_end, {
            "actor": User.objects.get(pk=cast.a_staff.pk),
            "agreement": HostingAgreement.objects.get(pk=agreement.pk),
            "on": ON,
            "reason": EndReason.HOST,
        }

    return run_together(2, prepare, lambda service, kwargs: service(**kwargs))


def _agreement(host: Any, household: Any, recorded_by: Any) -> Any:
    """An agreement stored directly (and told to the placement rule as the service would):
    the service refuses overlapping agreements, which is what this test bypasses to race the
    placements themselves."""
    agreement = HostingAgreement.objects.create(
        host=host, household=household, signed_on=ON, signed_by_host=True,
        signed_by_organisation=True, signed_by_guest=True, recorded_by=recorded_by,
        starts_on=ON, ends_on=ON + dt.timedelta(days=90),
    )  # fmt: skip
    tell_placement_rule_of(agreement)
    return agreement
