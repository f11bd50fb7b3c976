"""A partner's monthly report: filled from the month's data, submitted, reviewed, locked."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.page_text import shown_text
from tillsammans.core.errors import ServiceError
from tillsammans.core.models import AuditEvent
from tillsammans.finance import services
from tillsammans.finance.models import MonthlyReport, RateKind, ReportStatus, Scheme
from tillsammans.finance.selectors import compensation, diff_rows, month_overview

from .conftest import SEPTEMBER_AT_B, D, rate

COSTS = {"staff": Decimal(60000), "premises": Decimal(40000), "food": Decimal(20000)}


def _submitted(cast, costs=COSTS, actor=None):
    actor = actor or cast.b_staff
    report = services.report_start(actor=actor, year=2022, month=9)
    services.report_update(
        actor=actor,
        report=report,
        costs=costs,
        volunteer_hours=Decimal(12),
        donated_goods=Decimal(0),
        own_funds=Decimal(5000),
        comment="Två nya lägenheter",
    )
    return services.report_submit(actor=actor, report=report)


def test_it_fills_the_report_with_the_months_figures_and_compensation_as_worked_out_by_hand(
    cast, september_at_b, partner_rates
):
    # given partner B's September (see the fixture)
    # when its staff submits the month's report
    report = _submitted(cast)
    # then the frozen figures and compensation are the hand-computed ones
    totals = report.figures["totals"]
    assert totals["place_days"] == 4 * 30
    assert totals["places"] == 4.0
    assert totals["place_nights"] == 30 + 30 + 29 + 1
    assert totals["nights"] == {"child": 30 + 14, "adult": 30 + 15 + 1, "senior": 0}
    assert totals["moved_in"] == 3
    assert totals["moved_out"] == 1
    assert [row["name"] for row in report.figures["sites"]] == ["Site B"]
    assert report.compensation_total == SEPTEMBER_AT_B
    assert report.status == ReportStatus.SUBMITTED
    assert set(report.rates_used.all()) == set(partner_rates) - {partner_rates[3]}


def test_it_keeps_a_submitted_report_as_it_was_when_rates_change_later(
    cast, agreement, september_at_b, partner_rates
):
    # given a submitted report
    report = _submitted(cast)
    # when the adult rate doubles from 1 September, after the submission
    rate(agreement, RateKind.ADULT_NIGHT, 600, valid_from=D(2022, 9, 1), organisation=cast.org_b)
    # then the report still says what was submitted
    report.refresh_from_db()
    assert report.compensation_total == SEPTEMBER_AT_B
    response = _client(cast.coordinator).get(reverse("report_detail", args=[report.public_id]))
    assert response.context["compensation"] == SEPTEMBER_AT_B


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_it_flags_a_report_whose_compensation_exceeds_its_costs(
    cast, agreement, september_at_b, partner_rates
):
    # when partner B reports costs below its compensation
    report = _submitted(cast, costs={"staff": Decimal(1000)})
    # then it is flagged, in the month overview too
    assert report.flagged
    row = next(row for row in month_overview(agreement, 2022, 9) if row.organisation == cast.org_b)
    assert row.flagged and not row.estimated
    response = _client(cast.coordinator).get(reverse("finance_month", args=[2022, 9]))
    assert b'data-testid="flag"' in response.content


def test_it_does_not_flag_a_report_whose_costs_cover_the_compensation(
    cast, september_at_b, partner_rates
):
    # when
    report = _submitted(cast, costs={"staff": SEPTEMBER_AT_B})
    # then
    assert not report.flagged


def test_it_locks_an_approved_report_against_every_change(cast, september_at_b, partner_rates):
    # given an approved report
    report = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=report)
    # when partner B tries to change it, resubmit it, or the coordinator decides again
    attempts = [
        lambda: services.report_update(
            actor=cast.b_staff,
            report=report,
            costs={"staff": Decimal(1)},
            volunteer_hours=Decimal(0),
            donated_goods=Decimal(0),
            own_funds=Decimal(0),
        ),
        lambda: services.report_submit(actor=cast.b_staff, report=report),
        lambda: services.report_return(actor=cast.coordinator, report=report, comment="Nej"),
        lambda: services.report_approve(actor=cast.coordinator, report=report),
    ]
    codes = []
    for attempt in attempts:
        with pytest.raises(ServiceError) as refused:
            attempt()
        codes.append(refused.value.code)
    # then each is refused with a clear message and nothing changed
    assert codes == ["report_locked", "report_locked", "already_decided", "already_decided"]
    stored = MonthlyReport.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.APPROVED
    assert stored.costs_total == sum(COSTS.values())


def test_it_refuses_the_edit_page_of_an_approved_report_with_a_message(
    cast, september_at_b, partner_rates
):
    # given
    report = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=report)
    client = _client(cast.b_staff)
    # when partner B posts new costs
    with translation.override("en"):
        response = client.post(
            reverse("report_edit", args=[report.public_id]),
            {"cost_staff": "1", "cost_premises": "0", "cost_food": "0", "cost_transport": "0",
             "cost_material": "0", "cost_other": "0", "volunteer_hours": "0",
             "donated_goods": "0", "own_funds": "0"},
            follow=True,
        )  # fmt: skip
    # then it is sent to the report and told why; the costs are unchanged
    assert response.redirect_chain[-1][0] == reverse("report_detail", args=[report.public_id])
    text = response.content.decode()
    assert "approved and locked" in text or "godkänd och låst" in text
    assert MonthlyReport.objects.get(pk=report.pk).cost_staff == COSTS["staff"]


def test_it_never_shows_a_partner_another_partners_report(cast, september_at_b, partner_rates):
    # given partner B's report
    report = _submitted(cast)
    unknown = "00000000-0000-4000-8000-000000000000"
    # when partner A's staff and viewer ask for it, and for a report that does not exist
    for user in (cast.a_staff, cast.a_admin, cast.a_viewer):
        client = _client(user)
        theirs = client.get(reverse("report_detail", args=[report.public_id]))
        missing = client.get(reverse("report_detail", args=[unknown]))
        # then both answers are the same 404
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
    # and partner A's own list does not show it
    listing = _client(cast.a_admin).get(reverse("finance_home"))
    assert str(report.public_id) not in listing.content.decode()


def test_it_sends_a_report_back_only_with_a_comment_and_lets_the_partner_change_it(
    cast, september_at_b, partner_rates
):
    # given a submitted report
    report = _submitted(cast)
    # when the coordinator sends it back without saying why
    with pytest.raises(ServiceError) as refused:
        services.report_return(actor=cast.coordinator, report=report, comment="  ")
    # then
    assert refused.value.code == "comment_required"
    # when with a comment
    services.report_return(actor=cast.coordinator, report=report, comment="Lokalkostnad?")
    changed = services.report_update(
        actor=cast.b_staff,
        report=report,
        costs={"staff": Decimal(60000), "premises": Decimal(30000)},
        volunteer_hours=Decimal(12),
        donated_goods=Decimal(0),
        own_funds=Decimal(0),
    )
    # then the partner could change it and sees the comment
    assert changed.status == ReportStatus.RETURNED
    assert changed.costs_total == Decimal(90000)
    page = _client(cast.b_staff).get(reverse("report_detail", args=[report.public_id]))
    assert "Lokalkostnad?" in page.content.decode()


def test_it_makes_a_correction_a_new_version_that_shows_the_change_and_supersedes_on_approval(
    cast, september_at_b, partner_rates
):
    # given an approved report
    first = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=first)
    # when partner B corrects its staff costs and the coordinator approves the correction
    second = services.report_correct(actor=cast.b_staff, report=first)
    services.report_update(
        actor=cast.b_staff,
        report=second,
        costs={**COSTS, "staff": Decimal(65000)},
        volunteer_hours=Decimal(12),
        donated_goods=Decimal(0),
        own_funds=Decimal(5000),
        comment="Två nya lägenheter",
    )
    second = services.report_submit(actor=cast.b_staff, report=second)
    changed = {
        row["label"]: (row["before"], row["after"]) for row in diff_rows(second) if row["changed"]
    }
    services.report_approve(actor=cast.coordinator, report=second)
    # then the diff names exactly the changed lines, and the new version replaces the old
    with translation.override("en"):
        changed = {
            str(row["label"]): (row["before"], row["after"])
            for row in diff_rows(second)
            if row["changed"]
        }
    assert changed == {
        "Costs: Staff": (Decimal(60000), Decimal(65000)),
        "Costs in total": (Decimal(120000), Decimal(125000)),
    }
    assert second.version == 2
    assert MonthlyReport.objects.get(pk=first.pk).status == ReportStatus.SUPERSEDED
    assert MonthlyReport.objects.get(pk=second.pk).status == ReportStatus.APPROVED


def test_it_locks_a_rate_that_an_approved_report_was_paid_at(cast, september_at_b, partner_rates):
    # given an approved report paid at the adult rate
    report = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=report)
    adult = partner_rates[0]
    # when the coordinator tries to change or delete it
    with pytest.raises(ServiceError) as changed:
        services.rate_update(
            actor=cast.coordinator, rate=adult, agreement=adult.agreement, scheme=Scheme.PARTNER,
            kind=RateKind.ADULT_NIGHT, amount=Decimal(350), valid_from=adult.valid_from,
        )  # fmt: skip
    with pytest.raises(ServiceError) as deleted:
        services.rate_delete(actor=cast.coordinator, rate=adult)
    # then both are refused; a new rate from a date is the way
    assert changed.value.code == deleted.value.code == "rate_locked"
    new = services.rate_create(
        actor=cast.coordinator, agreement=adult.agreement, scheme=Scheme.PARTNER,
        kind=RateKind.ADULT_NIGHT, amount=Decimal(350), valid_from=D(2022, 10, 1),
    )  # fmt: skip
    # and the unused place-day rate of every partner can still be changed
    services.rate_delete(actor=cast.coordinator, rate=partner_rates[3])
    assert new.pk is not None


def test_it_refuses_a_state_rate_for_one_partner_and_a_second_rate_on_the_same_day(cast, agreement):
    # given
    kwargs = {"actor": cast.coordinator, "agreement": agreement, "amount": Decimal(300)}
    services.rate_create(
        **kwargs, scheme=Scheme.STATE, kind=RateKind.ADULT_NIGHT, valid_from=D(2022, 1, 1)
    )
    # when
    with pytest.raises(ServiceError) as partner:
        services.rate_create(
            **kwargs, scheme=Scheme.STATE, kind=RateKind.CHILD_NIGHT,
            valid_from=D(2022, 1, 1), organisation=cast.org_a,
        )  # fmt: skip
    with pytest.raises(ServiceError) as twice:
        services.rate_create(
            **kwargs, scheme=Scheme.STATE, kind=RateKind.ADULT_NIGHT, valid_from=D(2022, 1, 1)
        )
    # then
    assert partner.value.code == "bad_rate"
    assert twice.value.code == "rate_duplicate"


def test_it_lets_only_the_coordinator_review_and_only_the_partner_submit(
    cast, september_at_b, partner_rates
):
    # given
    report = services.report_start(actor=cast.b_staff, year=2022, month=9)
    # when others try
    with pytest.raises(ServiceError):
        services.report_submit(actor=cast.a_admin, report=report)
    with pytest.raises(ServiceError):
        services.report_submit(actor=cast.coordinator, report=report)
    services.report_submit(actor=cast.b_staff, report=report)
    with pytest.raises(ServiceError):
        services.report_approve(actor=cast.b_staff, report=report)
    # then only the partner's submission went through
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_it_refuses_a_second_report_for_the_same_month_and_a_month_not_over(cast, agreement):
    # given
    services.report_start(actor=cast.a_staff, year=2022, month=9)
    today = timezone.localdate()
    this_month = services.report_start(actor=cast.a_staff, year=today.year, month=today.month)
    # when
    with pytest.raises(ServiceError) as again:
        services.report_start(actor=cast.a_admin, year=2022, month=9)
    with pytest.raises(ServiceError) as early:
        services.report_submit(actor=cast.a_staff, report=this_month)
    # then
    assert again.value.code == "report_exists"
    assert early.value.code == "month_not_over"


def test_it_prefills_the_volunteer_hours_and_shows_the_services_delivered(cast, agreement):
    # given partner A's volunteers worked 12.5 hours in September, and it served a household
    from tillsammans.addedvalues.models import Service, ServiceCategory
    from tillsammans.addedvalues.services import delivery_record
    from tillsammans.training.services import volunteer_create, volunteer_hours_record

    volunteer = volunteer_create(actor=cast.a_staff, alias="Karin", helps_with="Språkcafé")
    volunteer_hours_record(
        actor=cast.a_staff, volunteer=volunteer, month=D(2022, 9, 1), hours=Decimal("12.5")
    )
    service = Service.objects.create(
        organisation=cast.org_a, name_sv="Språkcafé", name_en="Language café",
        category=ServiceCategory.LANGUAGE,
    )  # fmt: skip
    delivery_record(
        actor=cast.a_staff, service=service, household=cast.household_a, on=D(2022, 9, 7),
        quantity=2,
    )  # fmt: skip
    # when partner A starts its September report and submits it
    report = services.report_start(actor=cast.a_staff, year=2022, month=9)
    report = services.report_submit(actor=cast.a_staff, report=report)
    # then
    assert report.volunteer_hours == Decimal("12.5")
    assert report.figures["services"]["delivered"] == {"language": 2}
    assert report.figures["services"]["households_reached"] == 1


def test_it_shows_the_state_compensation_to_claim_in_the_month_overview(cast, agreement):
    # given the state's 2022 rates
    rate(agreement, RateKind.ADULT_NIGHT, 300, scheme=Scheme.STATE)
    rate(agreement, RateKind.CHILD_NIGHT, 150, scheme=Scheme.STATE)
    rate(agreement, RateKind.ADULT_NIGHT, 250)
    # when the coordinator opens September 2022 (partner A: one adult, one child, 30 nights)
    response = _client(cast.coordinator).get(reverse("finance_month", args=[2022, 9]))
    # then
    assert response.status_code == 200
    assert response.context["state"].total == Decimal(30 * 300 + 30 * 150)
    assert [row.organisation for row in response.context["rows"]] == [cast.org_a, cast.org_b]
    # and the estimates, counted in one pass for all partners, are each partner's own
    for row in response.context["rows"]:
        alone = compensation(
            scheme=Scheme.PARTNER,
            year=2022,
            month=9,
            agreement=agreement,
            organisation=row.organisation,
        )
        assert row.compensation == alone.total
    assert [row.compensation for row in response.context["rows"]] == [Decimal(30 * 250), 0]


def test_it_names_no_person_in_a_report(cast, september_at_b, partner_rates):
    # given
    report = _submitted(cast, actor=cast.b_staff)
    # when
    page = _client(cast.coordinator).get(reverse("report_detail", args=[report.public_id]))
    # then figures only: no name, no household reference
    text = shown_text(page)
    for person in cast.household_a.persons.all():
        assert person.last_name not in text
    assert "H-A" not in text
    assert AuditEvent.objects.filter(object_id=str(report.public_id), action="view").exists()


def test_it_exports_the_report_and_the_month_without_formulas_and_the_payments_to_make(
    cast, september_at_b, partner_rates
):
    # given a partner whose name a spreadsheet would run as a formula, with an approved month
    import csv
    import io

    from openpyxl import load_workbook

    cast.org_b.name = '=HYPERLINK("http://evil")'
    cast.org_b.save()
    report = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=report)
    client = _client(cast.coordinator)
    # when the coordinator downloads the report, the month and the payments
    one = client.get(reverse("report_export", args=[report.public_id]))
    month = client.get(reverse("month_export", args=[2022, 9]))
    payments = client.get(reverse("payments_export", args=[2022, 9]))
    # then no cell is a formula, and the payment is the approved sum
    for response in (one, month):
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell for cell in cells if cell.data_type == "f"]
        assert '\'=HYPERLINK("http://evil")' in [cell.value for cell in cells]
    rows = list(csv.reader(io.StringIO(payments.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0].startswith("'=")
    assert rows[1][1] == "IOP"
    assert rows[1][4] == f"{SEPTEMBER_AT_B:.2f}".replace(".", ",")
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_it_prints_the_month_over_all_partners_as_a_pdf(cast, september_at_b, partner_rates):
    # given partner B's approved September
    import io

    from pypdf import PdfReader

    report = _submitted(cast)
    services.report_approve(actor=cast.coordinator, report=report)
    # when the coordinator downloads the month as PDF
    response = _client(cast.coordinator).get(reverse("month_pdf", args=[2022, 9]))
    # then it reads back with the partner and its approved compensation, and is audited
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Partner B" in text
    # (Swedish: a decimal comma and spaces between thousands)
    digits = text.replace("\u00a0", "").replace(" ", "")
    assert f"{SEPTEMBER_AT_B:.2f}".replace(".", ",") in digits
    assert AuditEvent.objects.filter(
        action="export", object_id=f"{report.agreement.public_id}/2022-09"
    ).exists()


def test_it_shows_a_partner_admin_only_the_rates_that_apply_to_it_read_only(cast, agreement):
    # given a general rate, one for partner A and one for partner B, and a state rate
    general = rate(agreement, RateKind.ADULT_NIGHT, 300)
    own = rate(agreement, RateKind.CHILD_NIGHT, 160, organisation=cast.org_a)
    other = rate(agreement, RateKind.CHILD_NIGHT, 170, organisation=cast.org_b)
    state = rate(agreement, RateKind.MOVE_IN, 15000, scheme=Scheme.STATE)
    # when partner A's admin opens the rates
    response = _client(cast.a_admin).get(reverse("rate_list"))
    # then it sees its own and the general rate, without a way to change them
    shown = {r.pk for r in response.context["partner_rates"] + response.context["state_rates"]}
    assert shown == {general.pk, own.pk}
    assert other.pk not in shown and state.pk not in shown
    assert not response.context["can_edit"]
    assert reverse("rate_edit", args=[own.pk]) not in response.content.decode()


def test_it_lets_the_coordinator_add_a_rate_from_the_form(cast, agreement):
    # given
    client = _client(cast.coordinator)
    # when
    response = client.post(
        reverse("rate_create"),
        {"agreement": agreement.pk, "scheme": "partner", "kind": "place_day", "amount": "210",
         "valid_from": "2022-10-01", "organisation": "", "site_kind": "collective_self"},
    )  # fmt: skip
    # then
    assert response.status_code == 302
    added = agreement.rates.get()
    assert (added.amount, added.site_kind, added.organisation) == (
        Decimal(210),
        "collective_self",
        None,
    )
    assert AuditEvent.objects.filter(object_type="finance.compensationrate").exists()


def test_it_answers_a_bad_amount_with_a_message_not_an_error(cast, agreement):
    # when
    response = _client(cast.coordinator).post(
        reverse("rate_create"),
        {"agreement": agreement.pk, "scheme": "state", "kind": "move_in", "amount": "-5",
         "valid_from": "2022-10-01", "organisation": cast.org_a.slug, "site_kind": ""},
    )  # fmt: skip
    # then the form is shown again with the errors, and nothing is saved
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not agreement.rates.exists()


@pytest.fixture
def second(cast):
    """A second agreement from June 2022 with the city and partner B only."""
    from tillsammans.partnership.models import Agreement

    other = Agreement.objects.create(name="IOP 2", starts_on=D(2022, 6, 1))
    other.parties.add(cast.city, cast.org_b, through_defaults={"joined_on": D(2022, 6, 1)})
    return other


def test_it_reports_a_partner_in_two_agreements_once_under_each(cast, agreement, second):
    # when partner B starts September without saying under which agreement
    with pytest.raises(ServiceError) as unsaid:
        services.report_start(actor=cast.b_staff, year=2022, month=9)
    # then it is asked to choose; it reports the month once under each
    assert unsaid.value.code == "no_agreement"
    assert "deltog i flera avtal under 2022-09: välj ett" in str(unsaid.value.message)
    first = services.report_start(actor=cast.b_staff, year=2022, month=9, agreement=agreement)
    other = services.report_start(actor=cast.b_staff, year=2022, month=9, agreement=second)
    assert (first.agreement, other.agreement) == (agreement, second)
    with pytest.raises(ServiceError) as again:
        services.report_start(actor=cast.b_staff, year=2022, month=9, agreement=second)
    assert again.value.code == "report_exists"
    # and partner A, not a party to the second, cannot report under it
    with pytest.raises(ServiceError) as not_party:
        services.report_start(actor=cast.a_staff, year=2022, month=9, agreement=second)
    assert "deltog inte i IOP 2" in str(not_party.value.message)
    # and each agreement's month lists its own partners and reports
    assert [row.organisation for row in month_overview(second, 2022, 9)] == [cast.org_b]
    assert [row.current for row in month_overview(second, 2022, 9)] == [other]
    assert [row.organisation for row in month_overview(agreement, 2022, 9)] == [
        cast.org_a,
        cast.org_b,
    ]


def test_it_asks_for_a_report_only_from_the_month_a_partner_joined(cast, agreement, second):
    # given partner B joined the second agreement in June
    # when it starts May under it, and June
    with pytest.raises(ServiceError) as before:
        services.report_start(actor=cast.b_staff, year=2022, month=5, agreement=second)
    june = services.report_start(actor=cast.b_staff, year=2022, month=6, agreement=second)
    # then May is refused with the reason, June is a report; nor is B asked in May
    assert "deltog inte i IOP 2 under 2022-05" in str(before.value.message)
    assert june.agreement == second
    assert [row.organisation for row in month_overview(second, 2022, 5)] == []


def test_it_shows_the_coordinator_one_agreements_month_at_a_time(cast, agreement, second):
    # given B's report under the second agreement
    report = services.report_start(actor=cast.b_staff, year=2022, month=9, agreement=second)
    client = _client(cast.coordinator)
    # when the coordinator opens September, then the second agreement's September
    default = client.get(reverse("finance_month", args=[2022, 9]))
    chosen = client.get(
        reverse("finance_month", args=[2022, 9]), {"agreement": str(second.public_id)}
    )
    unknown = client.get(
        reverse("finance_month", args=[2022, 9]),
        {"agreement": "00000000-0000-0000-0000-000000000000"},
    )
    # then the latest agreement in force is shown first, both can be chosen, and the second
    # lists only partner B with its report
    assert default.context["agreement"] == second
    assert set(default.context["choices"]) == {agreement, second}
    assert [row.organisation for row in chosen.context["rows"]] == [cast.org_b]
    assert chosen.context["rows"][0].current == report
    assert f"?agreement={second.public_id}" in chosen.content.decode()
    assert unknown.status_code == 404


def test_it_refuses_a_partner_rate_for_an_organisation_outside_the_agreement(cast, second):
    # when the coordinator gives partner A, not a party to the second agreement, a rate in it
    with pytest.raises(ServiceError) as refused:
        services.rate_create(
            actor=cast.coordinator, agreement=second, scheme=Scheme.PARTNER,
            kind=RateKind.FRAME, amount=Decimal(5000), valid_from=D(2022, 6, 1),
            organisation=cast.org_a,
        )  # fmt: skip
    # then
    assert refused.value.code == "bad_rate"
    assert "är inte part i IOP 2" in str(refused.value.message)
    assert not second.rates.exists()


def test_it_tells_a_coordinator_without_an_agreement_where_to_start(cast):
    # when the coordinator of a new installation opens the monthly reports
    response = _client(cast.coordinator).get(reverse("finance_month", args=[2022, 9]))
    # then the page says what is missing and links to entering the agreement
    assert response.status_code == 200
    assert b'data-testid="no-agreement"' in response.content
    assert reverse("agreement_create").encode() in response.content


def test_it_asks_before_deleting_a_rate_and_lists_rates_by_agreement(cast, agreement, second):
    # given a rate in each agreement
    first = rate(agreement, RateKind.ADULT_NIGHT, 300)
    rate(second, RateKind.ADULT_NIGHT, 280, valid_from=D(2022, 6, 1))
    client = _client(cast.coordinator)
    # when the coordinator opens the rates and follows "Delete" of the first
    listed = client.get(reverse("rate_list"))
    asked = client.get(reverse("rate_delete", args=[first.pk]))
    # then the rates are in one section per agreement, the newest first, and the delete
    # asks first, saying which rate of which agreement, and deletes nothing yet
    assert [section[0] for section in listed.context["sections"]] == [second, agreement]
    assert asked.status_code == 200
    assert "IOP" in asked.content.decode() and "300,00" in asked.content.decode()
    assert agreement.rates.filter(pk=first.pk).exists()
    # and the confirmed POST deletes it
    client.post(reverse("rate_delete", args=[first.pk]))
    assert not agreement.rates.filter(pk=first.pk).exists()


def test_it_shows_no_partner_in_a_month_the_agreement_does_not_run(cast, agreement):
    # given an agreement that ended in August
    agreement.ends_on = D(2022, 8, 31)
    agreement.save()
    # when the coordinator opens its September
    response = _client(cast.coordinator).get(
        reverse("finance_month", args=[2022, 9]), {"agreement": str(agreement.public_id)}
    )
    # then no partner is listed as "not started" with an estimate, and the page says why
    assert response.context["rows"] == []
    assert response.context["state"].agreement is None


def test_it_locks_a_state_rate_once_a_month_it_held_in_is_approved(
    cast, agreement, september_at_b, partner_rates
):
    # given a state rate from March, and one from December
    march = rate(agreement, RateKind.ADULT_NIGHT, 300, scheme=Scheme.STATE)
    december = rate(
        agreement, RateKind.ADULT_NIGHT, 310, scheme=Scheme.STATE, valid_from=D(2022, 12, 1)
    )
    # when September is approved
    services.report_approve(actor=cast.coordinator, report=_submitted(cast))
    # then the March rate, which September was claimed at, can no longer be deleted; the
    # December one still can
    with pytest.raises(ServiceError) as locked:
        services.rate_delete(actor=cast.coordinator, rate=march)
    assert locked.value.code == "rate_locked"
    services.rate_delete(actor=cast.coordinator, rate=december)
    listed = _client(cast.coordinator).get(reverse("rate_list")).content.decode()
    assert "Dess månader är godkända" in listed


def test_it_totals_the_costs_of_the_month(cast, agreement, september_at_b, partner_rates):
    # given partner B's submitted September with costs of 120 000
    _submitted(cast)
    # when
    response = _client(cast.coordinator).get(reverse("finance_month", args=[2022, 9]))
    # then the foot of the table sums the costs too
    assert response.context["costs_total"] == sum(COSTS.values())
    assert "120\u00a0000,00" in response.content.decode()
