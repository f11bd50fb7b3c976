"""The demo's coupons, trainings and volunteers: 2022 as the seeds tell it."""

from django.db.models import Q

from tillsammans.coupons.models import Coupon, CouponStatus, Shop
from tillsammans.coupons.selectors import monthly_figures as coupon_figures
from tillsammans.partnership.models import Organisation
from tillsammans.reception.models import Stay
from tillsammans.training.models import TrainingSession, TrainingTopic, Volunteer
from tillsammans.training.selectors import monthly_figures as training_figures


def test_it_issues_coupons_for_raddningsmissionens_shop_to_residents(loaded, db):
    # given the demo
    # when
    shop = Shop.objects.get()
    coupons = list(Coupon.objects.select_related("issuer"))
    # then
    assert shop.organisation.slug == "raddningsmissionen"
    assert len(coupons) > 50
    assert {c.status for c in coupons} == set(CouponStatus.values)
    assert len({c.issuer.slug for c in coupons}) >= 4
    # each coupon went to a household living at its issuer's site on the day it was issued
    # (many have moved on since, to housing of their own)
    for coupon in coupons[:50]:
        stay = Stay.objects.get(
            Q(ended_on__isnull=True) | Q(ended_on__gt=coupon.issued_on),
            household=coupon.household, started_on__lte=coupon.issued_on,
        )  # fmt: skip
        assert stay.unit.site.organisation == coupon.issuer
    november = coupon_figures(2022, 11)
    assert sum(f.get("coupons_redeemed", 0) for f in november.values()) > 0
    assert november[shop.organisation.pk]["coupons_taken"] > 0


def test_it_holds_the_seeds_trainings_with_attendance_and_volunteers_per_partner(loaded, db):
    # given the demo
    # when
    topics = set(TrainingSession.objects.values_list("topic", flat=True))
    october = training_figures(2022, 10)
    # then
    assert topics == set(TrainingTopic.values) - {TrainingTopic.OTHER}
    assert all(s.attendances.exists() for s in TrainingSession.objects.all())
    # the volunteers are the 2022 partners' (the minors' partnership of 2015 has none here)
    nonprofits = Organisation.objects.filter(
        kind="nonprofit", parties__agreement__starts_on__year=2022
    )
    for organisation in nonprofits:
        assert Volunteer.objects.filter(organisation=organisation).count() >= 3
        assert october[organisation.pk]["volunteer_hours"] > 0
