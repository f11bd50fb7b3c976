"""Beds with validity dates (issue 14, ADR 32): a month's available places are the beds it
had, day by day, and a change of beds never reaches a month already reported or paid."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import ServiceError
from tillsammans.finance import services
from tillsammans.finance.models import RateKind, Scheme
from tillsammans.finance.selectors import add_place_quantities, compensation
from tillsammans.housing.models import BedCount, Site
from tillsammans.housing.services import unit_update
from tillsammans.reporting.annual import place_days_by_month, places_by_organisation

from .conftest import D


def _place_days(result):
    return sum(
        (line.amount for line in result.lines if line.kind == RateKind.PLACE_DAY), Decimal(0)
    )


def _september_at_b(agreement, cast):
    return compensation(
        scheme=Scheme.PARTNER, year=2022, month=9, agreement=agreement, organisation=cast.org_b
    )


def test_a_bed_count_changed_mid_month_pays_each_day_the_beds_it_had(
    cast, agreement, september_at_b, partner_rates
):
    # given partner B's site, one unit of 4 beds since it opened, paid 100 a place-day and 120
    # from 16 September
    # when the unit gets 6 beds from 10 September
    unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=6, beds_from=D(2022, 9, 10))
    # then September pays 4 places for 1–9 September, 6 for 10–15 at 100 and 6 for 16–30 at 120
    assert _place_days(_september_at_b(agreement, cast)) == Decimal(
        4 * 9 * 100 + 6 * 6 * 100 + 6 * 15 * 120
    )
    # and August is still 4 places for 31 days
    august = compensation(
        scheme=Scheme.PARTNER, year=2022, month=8, agreement=agreement, organisation=cast.org_b
    )
    assert _place_days(august) == Decimal(4 * 31 * 100)
    # and the month's report counts the same place-days: 4 × 9 + 6 × 21
    report = services.report_start(actor=cast.b_staff, year=2022, month=9)
    report = services.report_submit(actor=cast.b_staff, report=report)
    assert report.figures["totals"]["place_days"] == 4 * 9 + 6 * 21
    # and the year counts 6 places made available at the site, and September's place-days
    assert places_by_organisation(2022)[cast.org_b.pk] == 6
    assert place_days_by_month(2022)[8] == 4 * 30 + 4 * 9 + 6 * 21  # sites A and B


def test_a_change_of_beds_today_leaves_the_months_before_as_they_were(
    cast, agreement, september_at_b, partner_rates
):
    # given September's place-days with 4 beds
    before = _september_at_b(agreement, cast)
    # when the unit gets a fifth bed today, and two of its beds are blocked
    unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=5, blocked_beds=2)
    # then September is paid as before, and the unit has 3 usable beds from today on
    assert _september_at_b(agreement, cast) == before
    assert list(cast.unit_b.bed_counts.values_list("valid_from", "beds", "usable")) == [
        (cast.site_b.opens_on, 4, 4),
        (timezone.localdate(), 5, 3),
    ]
    assert cast.unit_b.beds.filter(blocked=False).count() == 3


def test_a_change_of_beds_never_reaches_a_month_already_reported(
    cast, agreement, september_at_b, partner_rates
):
    # given partner B's September report, submitted
    report = services.report_start(actor=cast.b_staff, year=2022, month=9)
    services.report_submit(actor=cast.b_staff, report=report)
    before = _september_at_b(agreement, cast)
    # when the unit's beds are changed from 20 September
    with pytest.raises(ServiceError) as refused:
        unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=6, beds_from=D(2022, 9, 20))
    # then it is refused, saying from when a change can take effect, and nothing changed
    assert str(refused.value) == (
        "September 2022 är redan rapporterad eller betald, och dess bäddar förblir som de var; "
        "en ändring av bäddarna kan gälla tidigast från 1 oktober 2022."
    )
    assert cast.unit_b.beds.count() == 4
    assert BedCount.objects.filter(unit=cast.unit_b).count() == 1
    assert _september_at_b(agreement, cast) == before
    # and from 1 October it is taken, September staying as reported
    unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=6, beds_from=D(2022, 10, 1))
    assert cast.unit_b.beds.count() == 6
    assert _september_at_b(agreement, cast) == before


@pytest.mark.parametrize(
    ("beds_from", "message"),
    [
        ("2022-09-05", "Enhetens bäddar ändrades senast den 10 september 2022; en ny ändring "
                       "kan gälla från den dagen."),
        ("tomorrow", "En ändring av bäddarna kan gälla senast från i dag."),
    ],
)  # fmt: skip
def test_a_change_of_beds_is_not_dated_before_the_last_one_or_after_today(
    cast, agreement, beds_from, message
):
    # given a unit whose beds last changed on 10 September 2022
    unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=5, beds_from=D(2022, 9, 10))
    day = (
        timezone.localdate() + timezone.timedelta(days=1)
        if beds_from == "tomorrow"
        else D.fromisoformat(beds_from)
    )
    # when another change is dated before it, or tomorrow
    with pytest.raises(ServiceError) as refused:
        unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=6, beds_from=day)
    # then it is refused and the unit keeps its 5 beds
    assert str(refused.value) == message
    assert cast.unit_b.beds.count() == 5


def test_the_unit_form_says_why_a_change_of_beds_is_refused_and_keeps_the_beds(
    client, cast, agreement, september_at_b, partner_rates
):
    # given partner B's September report, submitted
    report = services.report_start(actor=cast.b_staff, year=2022, month=9)
    services.report_submit(actor=cast.b_staff, report=report)
    client.force_login(cast.coordinator)
    url = reverse("unit_edit", args=[cast.unit_b.public_id])
    # when the coordinator gives the unit 6 beds from 15 September
    response = client.post(
        url, {"name": cast.unit_b.name, "beds": "6", "blocked_beds": "0",
              "beds_from": "2022-09-15", "children_ok": "on"},
    )  # fmt: skip
    # then the form is shown again with the reason, and the unit keeps its 4 beds
    assert response.status_code == 200
    assert "September 2022 är redan rapporterad eller betald" in response.content.decode()
    assert cast.unit_b.beds.count() == 4


def test_a_unit_added_to_an_open_site_counts_from_today_and_one_of_a_site_to_come_from_its_opening(
    cast,
):
    from tillsammans.housing.services import site_create, unit_create

    # when a unit is added to partner B's site, open since 2022, without a day
    added = unit_create(actor=cast.coordinator, site=cast.site_b, beds=2, name="B2")
    # then its beds count from today, leaving the months before as they were
    assert list(added.bed_counts.values_list("valid_from", "beds")) == [(timezone.localdate(), 2)]
    # and a unit of a site that opens next month counts from the opening, even when its beds
    # are changed before then
    opens = timezone.localdate() + timezone.timedelta(days=40)
    site = site_create(
        actor=cast.coordinator, organisation=cast.org_b, name="Nytt boende", kind="apartment",
        opens_on=opens,
    )  # fmt: skip
    unit = unit_create(actor=cast.coordinator, site=site, beds=3, name="N1")
    unit_update(actor=cast.coordinator, unit=unit, beds=5)
    assert list(unit.bed_counts.values_list("valid_from", "beds")) == [(opens, 5)]


def test_a_site_entered_with_its_units_counts_them_from_its_opening_and_a_first_count_moves_back(
    cast, agreement, partner_rates
):
    from tillsammans.housing.services import site_create, unit_create

    # given a site of partner B that opened on 1 March 2026, entered today with no unit yet
    site = site_create(
        actor=cast.coordinator, organisation=cast.org_b, name="Nytt boende", kind="apartment",
        opens_on=D(2026, 3, 1),
    )  # fmt: skip
    # when its first unit is added without a day, and a second from 10 March
    first = unit_create(actor=cast.coordinator, site=site, beds=2, name="L1")
    second = unit_create(
        actor=cast.coordinator, site=site, beds=3, name="L2", beds_from=D(2026, 3, 10)
    )
    # then the first counts from the opening; March pays 2 × 31 + 3 × 22 place-days at 100
    # and the 5 places the site made available in its first month
    assert first.bed_counts.get().valid_from == D(2026, 3, 1)
    march = compensation(
        scheme=Scheme.PARTNER, year=2026, month=3, agreement=agreement, organisation=cast.org_b
    )
    place_days = sum(line.quantity for line in march.lines if line.kind == RateKind.PLACE_DAY)
    assert place_days == 2 * 31 + 3 * 22 + 4 * 31  # with unit B's 4 beds
    totals = defaultdict(lambda: defaultdict(int))
    add_place_quantities(Site.objects.filter(pk=site.pk), D(2026, 3, 1), D(2026, 4, 1), totals)
    assert totals[cast.org_b.pk][(RateKind.NEW_PLACE, "apartment")] == 5
    # and when the second unit turns out to have been there from the opening, its first
    # count moves back
    unit_update(actor=cast.coordinator, unit=second, beds=3, beds_from=D(2026, 3, 1))
    assert list(second.bed_counts.values_list("valid_from", "beds")) == [(D(2026, 3, 1), 3)]


def test_a_change_of_beds_never_reaches_a_month_whose_state_payments_are_frozen(cast, agreement):
    from tillsammans.finance.models import Reconciliation

    # given the state's payments of March 2026 frozen under the agreement
    Reconciliation.objects.create(
        agreement=agreement, month=D(2026, 3, 1), frozen_at=timezone.now()
    )
    # when unit B's beds are changed from 20 March 2026
    with pytest.raises(ServiceError) as refused:
        unit_update(actor=cast.coordinator, unit=cast.unit_b, beds=6, beds_from=D(2026, 3, 20))
    # then it is refused with the first day a change can take
    assert "tidigast från 1 april 2026" in str(refused.value)
    assert cast.unit_b.beds.count() == 4


def test_a_sites_opening_day_is_not_moved_into_a_reported_month(
    cast, agreement, september_at_b, partner_rates
):
    from tillsammans.housing.services import site_update

    # given partner B's September 2022 reported
    report = services.report_start(actor=cast.b_staff, year=2022, month=9)
    services.report_submit(actor=cast.b_staff, report=report)
    # when its site is said to close on 20 September 2022
    with pytest.raises(ServiceError) as refused:
        site_update(actor=cast.coordinator, site=cast.site_b, closes_on=D(2022, 9, 20))
    # then it is refused, and the site stays open
    assert str(refused.value).startswith("September 2022 är redan rapporterad eller betald")
    cast.site_b.refresh_from_db()
    assert cast.site_b.closes_on is None
