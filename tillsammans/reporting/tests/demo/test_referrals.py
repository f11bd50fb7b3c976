"""The demo's referrals: a handful between the seeds' partners, one in each state."""

from tillsammans.referrals.models import Referral, ReferralStatus
from tillsammans.referrals.selectors import monthly_figures


def test_it_refers_stadsmissionen_residents_to_other_partners_in_every_state(loaded, db):
    # given the demo
    # when
    referrals = list(Referral.objects.select_related("from_organisation", "to_organisation"))
    # then
    assert {r.from_organisation.slug for r in referrals} == {"stadsmissionen"}
    assert {r.to_organisation.slug for r in referrals} == {
        "skyddsvarnet",
        "bracke-diakoni",
        "reningsborg",
    }
    assert {r.status for r in referrals} == {
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.DONE,
        ReferralStatus.CLOSED,
    }
    assert all(r.delivery_id for r in referrals if r.status == ReferralStatus.DONE)
    assert all(r.is_erased for r in referrals if r.status == ReferralStatus.CLOSED)
    assert all(r.sent_at.year == 2022 for r in referrals)


def test_it_shows_the_demo_referrals_in_the_figures_of_autumn_2022(loaded, db):
    # when
    sent = sum(
        figures.get("referrals_sent", 0)
        for month in (10, 11, 12)
        for figures in monthly_figures(2022, month).values()
    )
    # then
    assert sent == Referral.objects.count() > 0
