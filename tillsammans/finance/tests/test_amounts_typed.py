"""Amounts typed into the monthly report the Swedish way, and shown before submission."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tillsammans.finance import services
from tillsammans.finance.models import MonthlyReport, ReportStatus

SWEDISH = {
    "cost_staff": "312 000,50 kr",
    "cost_premises": "40\u00a0000",
    "cost_food": "12500.25",
    "cost_transport": "1 250:-",
    "cost_material": "0",
    "cost_other": "99,9 SEK",
    "volunteer_hours": "12,5",
    "donated_goods": "2\u202f500",
    "own_funds": "5 000,00 kr",
    "comment": "",
}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _draft(cast):
    return services.report_start(actor=cast.b_staff, year=2022, month=9)


def test_it_stores_exactly_the_amount_typed_the_swedish_way(cast, september_at_b, partner_rates):
    # given partner B's draft for September
    report = _draft(cast)
    # when its staff types the costs as a Swedish user would, on the real edit page
    response = _client(cast.b_staff).post(reverse("report_edit", args=[report.public_id]), SWEDISH)
    # then every amount is stored exactly, not multiplied by a hundred
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.cost_staff == Decimal("312000.50")
    assert report.cost_premises == Decimal("40000.00")
    assert report.cost_food == Decimal("12500.25")
    assert report.cost_transport == Decimal("1250.00")
    assert report.cost_other == Decimal("99.90")
    assert report.volunteer_hours == Decimal("12.5")
    assert report.donated_goods == Decimal("2500.00")
    assert report.own_funds == Decimal("5000.00")


def test_it_shows_the_amounts_as_understood_next_to_the_submit_button(
    cast, september_at_b, partner_rates
):
    # given a draft saved with amounts typed the Swedish way
    report = _draft(cast)
    client = _client(cast.b_staff)
    client.post(reverse("report_edit", args=[report.public_id]), SWEDISH)
    # when the partner opens the report to submit it
    page = client.get(reverse("report_detail", args=[report.public_id])).content.decode()
    # then the box with the submit button lists each amount as it was understood
    check = page[page.index('data-testid="submit-check"') :]
    check = check[: check.index("</section>")]
    assert 'data-testid="submit-report"' in check
    for shown in (
        "312\u00a0000,50\u00a0kr",
        "40\u00a0000,00\u00a0kr",
        "12\u00a0500,25\u00a0kr",
        "1\u00a0250,00\u00a0kr",
        "99,90\u00a0kr",
        "12,5",
        "2\u00a0500,00\u00a0kr",
        "5\u00a0000,00\u00a0kr",
        "365\u00a0850,65\u00a0kr",  # the costs in total
    ):
        assert shown in check, shown


def test_it_refuses_an_ambiguous_amount_and_keeps_everything_else_that_was_typed(
    cast, september_at_b, partner_rates
):
    # given a draft
    report = _draft(cast)
    # when the food costs are typed as "1,234" (a thousand, or one krona and some öre?)
    response = _client(cast.b_staff).post(
        reverse("report_edit", args=[report.public_id]), {**SWEDISH, "cost_food": "1,234"}
    )
    # then the form comes back with a message in Swedish that says what to type instead
    assert response.status_code == 200
    page = response.content.decode()
    assert "kan betyda både tusental och decimaler" in page
    # and every other field still holds what was typed, as it was typed
    assert 'value="312 000,50 kr"' in page
    assert 'value="1,234"' in page
    assert 'value="1 250:-"' in page
    assert 'value="12,5"' in page
    # and nothing was saved
    report.refresh_from_db()
    assert report.cost_staff == 0


def test_it_shows_the_stored_amounts_the_swedish_way_in_the_edit_form(
    cast, september_at_b, partner_rates
):
    # given a saved draft
    report = _draft(cast)
    client = _client(cast.b_staff)
    client.post(reverse("report_edit", args=[report.public_id]), SWEDISH)
    # when the form is opened again
    page = client.get(reverse("report_edit", args=[report.public_id])).content.decode()
    # then the amounts are text boxes with a decimal keyboard, showing what is stored
    assert 'name="cost_staff" value="312 000,50" inputmode="decimal"' in page
    assert 'type="number"' not in page


def test_it_submits_what_the_partner_checked(cast, september_at_b, partner_rates):
    # given a draft saved with Swedish amounts
    report = _draft(cast)
    client = _client(cast.b_staff)
    client.post(reverse("report_edit", args=[report.public_id]), SWEDISH)
    # when it is submitted
    client.post(reverse("report_submit", args=[report.public_id]))
    # then the submitted report holds the same amounts
    submitted = MonthlyReport.objects.get(pk=report.pk)
    assert submitted.status == ReportStatus.SUBMITTED
    assert submitted.costs_total == Decimal("365850.65")


def test_it_takes_a_rate_typed_the_swedish_way(cast, agreement):
    # when the coordinator types a rate with a decimal comma and "kr"
    response = _client(cast.coordinator).post(
        reverse("rate_create"),
        {"agreement": agreement.pk, "scheme": "partner", "kind": "place_day",
         "amount": "1 212,50 kr", "valid_from": "2022-10-01", "organisation": "",
         "site_kind": ""},
    )  # fmt: skip
    # then the rate is the amount typed
    assert response.status_code == 302
    assert agreement.rates.get().amount == Decimal("1212.50")
