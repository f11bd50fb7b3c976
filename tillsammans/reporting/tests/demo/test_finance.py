"""The demo's rates and monthly reports for 2022."""

import datetime as dt
from decimal import Decimal

from tillsammans.finance.models import CompensationRate, MonthlyReport, ReportStatus, Scheme
from tillsammans.finance.selectors import compensation, month_overview
from tillsammans.housing.models import Site
from tillsammans.partnership.models import Agreement


def test_it_enters_the_states_2022_rates(loaded, db):
    # when
    rates = {
        rate.kind: rate.amount
        for rate in CompensationRate.objects.filter(
            scheme=Scheme.STATE, agreement__starts_on__year=2022
        )
    }
    # then
    assert rates == {
        "adult_night": Decimal(300),
        "child_night": Decimal(150),
        "move_in": Decimal(15000),
        "figure_place": Decimal(10000),
    }


def test_it_pays_the_distribution_figures_places_once_in_july_2022(loaded, db):
    from tillsammans.finance.ledger import state_ledger
    from tillsammans.partnership.models import Agreement

    # given the demo's figure of 1 000 places, set on 1 July 2022
    agreement = Agreement.objects.get(starts_on__year=2022)

    # when the state's ledger of July and of August is computed
    def figure_amount(month):
        ledger = state_ledger(agreement, 2022, month, per_person=False)
        return sum(
            (line.amount for line in ledger.places.lines if line.kind == "figure_place"),
            Decimal(0),
        )

    # then July pays 1 000 places at 10 000 SEK, and August none
    assert figure_amount(7) == Decimal(10_000_000)
    assert figure_amount(8) == Decimal(0)


def test_it_has_an_approved_report_for_each_month_of_the_agreement_for_every_partner(loaded, db):
    # given the non-profits that run sites of the 2022 agreement
    partners = set(
        Site.objects.filter(
            organisation__kind="nonprofit", agreement__starts_on__year=2022
        ).values_list("organisation__slug", flat=True)
    )
    # when
    approved = MonthlyReport.objects.filter(status=ReportStatus.APPROVED)
    # then six months each, one corrected month, and every report paid what the rates give
    assert {(r.organisation.slug, r.month.month) for r in approved} == {
        (slug, month) for slug in partners for month in range(7, 13)
    }
    corrected = approved.get(version=2)
    assert corrected.previous.status == ReportStatus.SUPERSEDED
    for report in approved.filter(month=dt.date(2022, 11, 1)):
        expected = compensation(
            scheme=Scheme.PARTNER,
            year=2022,
            month=11,
            agreement=report.agreement,
            organisation=report.organisation,
        ).total
        assert report.compensation_total == expected > 0


def test_it_shows_the_states_compensation_to_claim_for_a_month(loaded, db):
    # when
    agreement = Agreement.objects.get(starts_on__year=2022)
    state = compensation(scheme=Scheme.STATE, year=2022, month=10, agreement=agreement)
    rows = month_overview(agreement, 2022, 10)
    # then
    assert state.total > 0
    assert all(not row.estimated for row in rows)


def test_it_has_last_months_payments_to_reconcile_and_the_month_before_frozen(loaded, db):
    from django.utils import timezone

    from tillsammans.finance.models import DifferenceNature, PaymentFile, Reconciliation
    from tillsammans.finance.reconciliation import reconcile

    # given the demo's two months of the state's payments
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    before = last.replace(day=1) - dt.timedelta(days=1)
    agreement = PaymentFile.objects.get(month=last.replace(day=1)).agreement
    # then the month before last is frozen, its one person paid twice explained
    frozen = Reconciliation.objects.get(month=before.replace(day=1))
    assert frozen.is_frozen and frozen.paid > frozen.counted
    [twice] = frozen.differences.all()
    assert twice.nature == DifferenceNature.AMOUNT and twice.paid == 2 * twice.counted
    # and last month has one person missing and one paid less, both still to decide
    state = reconcile(agreement, last.year, last.month)
    assert not state.frozen and state.open_count == 2
    assert sorted(d.nature for d in state.differences) == [
        DifferenceNature.AMOUNT, DifferenceNature.COUNTED_NOT_PAID,
    ]  # fmt: skip
    assert all(d.person_id for d in state.differences)
