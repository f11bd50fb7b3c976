"""Redeeming one food coupon from many counters at once, and taking a training's last seats
(PostgreSQL).

Each attempt runs in its own thread with its own connection; the coupon's (or the
session's) row lock decides. Exactly one purchase is recorded and every other counter is
told "already used"; a training never has more staff recorded than seats.
"""

import datetime as dt
from typing import Any

from tillsammans.core.factories import OrganisationFactory, member
from tillsammans.core.models import User
from tillsammans.coupons.models import Coupon, CouponStatus, Shop
from tillsammans.coupons.services import coupon_issue, coupon_redeem
from tillsammans.partnership.models import Role
from tillsammans.training.models import TrainingSession
from tillsammans.training.services import attendance_record, session_create

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark

ISSUED_ON = dt.date(2022, 10, 3)
SHOPPING_DAY = dt.date(2022, 10, 12)
COUNTERS = 20


def test_it_lets_exactly_one_of_twenty_simultaneous_redemptions_through(cast):
    # given: partner B runs the shop; partner A issued a coupon of 300 SEK
    shop = Shop.objects.create(organisation=cast.org_b, name="Maträttsbutiken B")
    coupon = coupon_issue(
        actor=cast.a_staff,
        household=cast.household_a,
        shop=shop,
        value_sek=300,
        valid_until=dt.date(2022, 10, 31),
        on=ISSUED_ON,
    )

    def prepare(index: int) -> tuple[Any, ...]:
        actor = User.objects.select_related("membership__organisation").get(pk=cast.b_staff.pk)
        return actor, f"{100 + index}"

    def redeem(actor: Any, amount: str) -> Any:
        return coupon_redeem(actor=actor, code=coupon.code, amount=amount, on=SHOPPING_DAY)

    # when
    outcomes = run_together(COUNTERS, prepare, redeem)
    # then
    winners = [o.value for o in outcomes if o.error is None]
    codes = sorted(getattr(o.error, "code", repr(o.error)) for o in outcomes if o.error)
    assert len(winners) == 1
    assert codes == ["already_used"] * (COUNTERS - 1)
    assert all(str(o.error) == "This coupon has already been used." for o in outcomes if o.error)
    stored = Coupon.objects.get(pk=coupon.pk)
    assert stored.status == CouponStatus.REDEEMED
    assert stored.redeemed_amount == winners[0].redeemed_amount


def test_it_never_gives_a_trainings_seats_twice_when_organisations_record_at_once(cast):
    # given: a training with 10 seats and eight organisations each wanting 3
    session = session_create(
        actor=cast.coordinator,
        title="Trafficking",
        topic="trafficking",
        held_on=SHOPPING_DAY,
        place="Integrationscentrum",
        organiser=cast.city,
        max_seats=10,
    )
    staff = [
        member(OrganisationFactory(), Role.PARTNER_STAFF, f"staff{n}@example.org") for n in range(8)
    ]

    def prepare(index: int) -> tuple[Any, ...]:
        actor = User.objects.select_related("membership__organisation").get(pk=staff[index].pk)
        return actor, TrainingSession.objects.get(pk=session.pk)

    def record(actor: Any, mine: Any) -> Any:
        return attendance_record(
            actor=actor, session=mine, organisation=actor.membership.organisation, staff_count=3
        )

    # when
    outcomes = run_together(len(staff), prepare, record)
    # then: three organisations fit, the other five are told the training is full
    codes = sorted(getattr(o.error, "code", repr(o.error)) for o in outcomes if o.error)
    assert codes == ["full"] * 5
    assert sum(a.staff_count for a in session.attendances.all()) == 9
