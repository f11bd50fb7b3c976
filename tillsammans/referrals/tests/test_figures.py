"""Monthly referral figures per organisation: sent for the sender, the answers for the receiver."""

import datetime as dt

from django.utils import timezone

from tillsammans.referrals.models import Referral
from tillsammans.referrals.selectors import monthly_figures
from tillsammans.referrals.services import (
    referral_accept,
    referral_decline,
    referral_done,
    referral_send,
)

from .conftest import make_service


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_it_counts_each_step_in_its_month_for_the_organisation_that_took_it(
    cast, olena, service_b, consent
):
    # given: three referrals from A to B; one done, one declined, one waiting
    today = timezone.localdate()
    done = referral_send(actor=cast.a_staff, person=olena, service=service_b)
    referral_accept(actor=cast.b_staff, referral=done)
    referral_done(actor=cast.b_staff, referral=done, on=today)
    declined = referral_send(
        actor=cast.a_staff, person=olena, service=make_service(cast.org_b, "Språk B")
    )
    referral_decline(actor=cast.b_staff, referral=declined, reason="Fullt")
    referral_send(actor=cast.a_staff, person=olena, service=make_service(cast.org_b, "Café B"))
    # and one sent the month before
    earlier = referral_send(
        actor=cast.a_staff, person=olena, service=make_service(cast.org_b, "Kläder B")
    )
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    Referral.objects.filter(pk=earlier.pk).update(sent_at=_at(last_month))
    # when
    figures = monthly_figures(today.year, today.month)
    before = monthly_figures(last_month.year, last_month.month)
    # then
    assert figures[cast.org_a.pk]["referrals_sent"] == 3
    assert figures[cast.org_a.pk]["referrals_done"] == 0
    assert figures[cast.org_b.pk] == {
        "referrals_sent": 0,
        "referrals_received": 3,
        "referrals_accepted": 1,
        "referrals_declined": 1,
        "referrals_done": 1,
    }
    assert before == {
        cast.org_a.pk: {
            "referrals_sent": 1,
            "referrals_received": 0,
            "referrals_accepted": 0,
            "referrals_declined": 0,
            "referrals_done": 0,
        },
        cast.org_b.pk: {
            "referrals_sent": 0,
            "referrals_received": 1,
            "referrals_accepted": 0,
            "referrals_declined": 0,
            "referrals_done": 0,
        },
    }


def test_it_has_no_figures_for_a_month_without_referrals(cast):
    # then
    assert monthly_figures(2022, 12) == {}
