"""The municipality's distribution figure (issue 14): the state pays its amount per place once
for each place, in the month a figure is set or raised, at the rate valid that day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditEvent
from tillsammans.finance.ledger import state_ledger
from tillsammans.finance.models import DistributionFigure, RateKind, Reconciliation, Scheme
from tillsammans.finance.selectors import compensation
from tillsammans.finance.services import figure_record, figure_remove

from .conftest import D
from .conftest import rate as _rate


def _figure_lines(agreement, month, year=2026):
    ledger = state_ledger(agreement, year, month, per_person=False)
    return [
        (line.start, line.quantity, line.rate.amount, line.amount)
        for line in ledger.places.lines
        if line.kind == RateKind.FIGURE_PLACE
    ]


def test_it_pays_each_place_of_the_figure_once_as_worked_out_by_hand(cast, agreement):
    # given 10 000 SEK per place in the figure from January 2026 and 12 000 from June; a
    # figure of 120 places set on 10 March, raised to 150 on 5 May, lowered to 140 on
    # 2 June and raised to 160 on 7 July
    _rate(agreement, RateKind.FIGURE_PLACE, 10000, valid_from=D(2026, 1, 1), scheme=Scheme.STATE)
    _rate(agreement, RateKind.FIGURE_PLACE, 12000, valid_from=D(2026, 6, 1), scheme=Scheme.STATE)
    for day, places in ((D(2026, 3, 10), 120), (D(2026, 5, 5), 150), (D(2026, 6, 2), 140),
                        (D(2026, 7, 7), 160)):  # fmt: skip
        figure_record(actor=cast.coordinator, agreement=agreement, decided_on=day, places=places)
    # then March pays the 120 places, May the 30 added, June nothing (a lower figure pays
    # nothing back) and July the 10 above the highest figure so far, at June's rate
    assert _figure_lines(agreement, 3) == [(D(2026, 3, 10), 120, 10000, Decimal(1_200_000))]
    assert _figure_lines(agreement, 4) == []
    assert _figure_lines(agreement, 5) == [(D(2026, 5, 5), 30, 10000, Decimal(300_000))]
    assert _figure_lines(agreement, 6) == []
    assert _figure_lines(agreement, 7) == [(D(2026, 7, 7), 10, 12000, Decimal(120_000))]
    # and the month's state compensation counted the older way has the same line
    july = compensation(scheme=Scheme.STATE, year=2026, month=7, agreement=agreement)
    assert [(line.kind, line.amount) for line in july.lines] == [
        (RateKind.FIGURE_PLACE, Decimal(120_000))
    ]


def test_a_new_years_figure_is_paid_afresh_and_one_set_in_advance_counts_for_its_year(
    cast, agreement
):
    # given 10 000 SEK a place from 2025; 2025's figure of 120 places set on 10 March 2025,
    # 2026's figure of 100 set in advance on 15 December 2025, lowered to 90 on 5 May 2026
    # and raised to 130 on 7 July 2026
    _rate(agreement, RateKind.FIGURE_PLACE, 10000, valid_from=D(2025, 1, 1), scheme=Scheme.STATE)
    for day, year, places in ((D(2025, 3, 10), 2025, 120), (D(2025, 12, 15), 2026, 100),
                              (D(2026, 5, 5), 2026, 90), (D(2026, 7, 7), 2026, 130)):  # fmt: skip
        figure_record(
            actor=cast.coordinator, agreement=agreement, decided_on=day, places=places, year=year
        )
    # then March 2025 pays 2025's 120 places, and December 2025 all of 2026's 100: a new
    # year's figure is paid afresh, though lower than the year before's
    assert _figure_lines(agreement, 3, 2025) == [(D(2025, 3, 10), 120, 10000, Decimal(1_200_000))]
    assert _figure_lines(agreement, 12, 2025) == [(D(2025, 12, 15), 100, 10000, Decimal(1_000_000))]
    # and within 2026, the lower figure pays nothing back and the higher one the 30 it adds
    assert _figure_lines(agreement, 5) == []
    assert _figure_lines(agreement, 7) == [(D(2026, 7, 7), 30, 10000, Decimal(300_000))]
    # and a figure is for the year it is set, or the next: never an earlier one
    with pytest.raises(ServiceError) as refused:
        figure_record(
            actor=cast.coordinator, agreement=agreement, decided_on=D(2026, 2, 1), places=5,
            year=2025,
        )  # fmt: skip
    assert str(refused.value) == (
        "Ett fördelningstal fastställt den 1 februari 2026 gäller 2026, eller 2027 när det "
        "fastställs i förväg."
    )


def test_a_figure_with_no_rate_is_shown_as_places_no_rate_pays_for(cast, agreement):
    # given a figure of 50 places and no rate per place in the figure
    figure_record(actor=cast.coordinator, agreement=agreement, decided_on=D(2026, 3, 10), places=50)
    # when March's ledger is computed
    summed = state_ledger(agreement, 2026, 3, per_person=False).as_compensation()
    # then the 50 places are listed as paid by no rate, not silently nothing
    assert (RateKind.FIGURE_PLACE, "", 50) in summed.uncovered


@pytest.mark.parametrize(
    ("day", "places", "message"),
    [
        ("tomorrow", 100, "Ett fördelningstal registreras när det är fastställt, inte före."),
        ("2026-04-10", 100, "Ett fördelningstal fastställt den 10 april 2026 är redan "
                            "registrerat; ta bort det först för att rätta det."),
        ("2026-03-20", 2_000_000, "Fördelningstalet är ett antal platser från 0 till "
                                  "1\u00a0000\u00a0000."),
        ("2021-05-01", 100, "IOP gäller inte den 1 maj 2021."),
        ("2026-04-02", 100, "Statens utbetalningar för 2026-04 är frysta, och detta "
                            "fördelningstal skulle ändra vad de räknar. Öppna månaden först."),
        ("2026-02-02", 100, "Statens utbetalningar för 2026-04 är frysta, och detta "
                            "fördelningstal skulle ändra vad de räknar. Öppna månaden först."),
    ],
)  # fmt: skip
def test_it_refuses_a_figure_it_cannot_take_and_writes_nothing(
    cast, agreement, day, places, message
):
    # given a figure set on 10 April 2026 and April's state payments frozen (a figure from
    # February would change the places April's figure adds)
    figure_record(actor=cast.coordinator, agreement=agreement, decided_on=D(2026, 4, 10), places=80)
    Reconciliation.objects.create(
        agreement=agreement, month=D(2026, 4, 1), frozen_at=timezone.now()
    )
    on = timezone.localdate() + dt.timedelta(days=1) if day == "tomorrow" else D.fromisoformat(day)
    # when another figure is recorded
    with pytest.raises(ServiceError) as refused:
        figure_record(actor=cast.coordinator, agreement=agreement, decided_on=on, places=places)
    # then it is refused with a clear message, and only the first figure is there
    assert str(refused.value) == message
    assert list(DistributionFigure.objects.values_list("places", flat=True)) == [80]


def test_only_the_coordinator_records_or_removes_a_figure(cast, agreement):
    with pytest.raises(PermissionDenied):
        figure_record(actor=cast.a_admin, agreement=agreement, decided_on=D(2026, 3, 1), places=9)
    figure = figure_record(
        actor=cast.coordinator, agreement=agreement, decided_on=D(2026, 3, 1), places=9
    )
    with pytest.raises(PermissionDenied):
        figure_remove(actor=cast.a_admin, figure=figure)
    assert DistributionFigure.objects.count() == 1


def test_the_coordinator_records_a_figure_typed_the_swedish_way_and_removes_it_after_asking(
    client, cast, agreement
):
    _rate(agreement, RateKind.FIGURE_PLACE, 10000, valid_from=D(2026, 1, 1), scheme=Scheme.STATE)
    client.force_login(cast.coordinator)
    # when the coordinator records 1 000 places set on 1 July 2026
    response = client.post(
        reverse("figure_create"),
        {"agreement": agreement.pk, "decided_on": "2026-07-01", "places": "1 000",
         "reference": "MIG 2026-123"},
    )  # fmt: skip
    # then it is on the rates page, with the places it pays for, for 2026
    assert response.status_code == 302
    page = client.get(reverse("rate_list")).content.decode()
    assert "MIG 2026-123" in page and "1\u00a0000" in page
    figure = DistributionFigure.objects.get()
    assert figure.year == 2026
    assert AuditEvent.objects.filter(object_id=str(figure.pk), action="create").exists()
    # and removing it asks first, then removes it
    url = reverse("figure_remove", args=[figure.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and "Ta bort fördelningstalet" in asked.content.decode()
    assert DistributionFigure.objects.exists()
    client.post(url)
    assert not DistributionFigure.objects.exists()


def test_a_partner_gets_the_same_404_as_for_a_figure_that_does_not_exist(client, cast, agreement):
    figure = figure_record(
        actor=cast.coordinator, agreement=agreement, decided_on=D(2026, 3, 1), places=9
    )
    client.force_login(cast.a_admin)
    assert client.get(reverse("figure_create")).status_code == 404
    assert client.get(reverse("figure_remove", args=[figure.pk])).status_code == 404
    assert client.post(reverse("figure_remove", args=[figure.pk])).status_code == 404
    assert client.get(reverse("figure_remove", args=[figure.pk + 99])).status_code == 404
    assert DistributionFigure.objects.exists()


def test_a_figure_whose_month_is_frozen_is_not_removed(cast, agreement):
    # given a figure of March 2026 and March's state payments frozen
    figure = figure_record(
        actor=cast.coordinator, agreement=agreement, decided_on=D(2026, 3, 10), places=80
    )
    Reconciliation.objects.create(
        agreement=agreement, month=D(2026, 3, 1), frozen_at=timezone.now()
    )
    # when the coordinator removes it
    with pytest.raises(ServiceError, match="2026-03 är frysta"):
        figure_remove(actor=cast.coordinator, figure=figure)
    # then it stays
    assert DistributionFigure.objects.filter(pk=figure.pk).exists()


def test_the_coordinator_records_next_years_figure_set_in_advance(client, cast, agreement):
    # given an agreement with no rate yet
    client.force_login(cast.coordinator)
    # when 2026's figure is recorded as set on 15 December 2025, for the following year
    response = client.post(
        reverse("figure_create"),
        {"agreement": agreement.pk, "decided_on": "2025-12-15", "places": "900",
         "for_next_year": "on"},
    )  # fmt: skip
    # then it is 2026's figure, and the rates page shows it though no rate pays for it yet
    assert response.status_code == 302
    assert DistributionFigure.objects.get().year == 2026
    page = client.get(reverse("rate_list")).content.decode()
    assert '<td>2025-12-15</td><td class="num">2026</td>' in page
