"""The annual added-value report, against figures worked out from the cast's records."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tests.background import made_by_worker
from tests.pdf import tagged_language
from tillsammans.addedvalues.models import Eligibility, ServiceCategory
from tillsammans.addedvalues.services import delivery_record, service_create
from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.core.templatetags.tillsammans import published
from tillsammans.partnership.models import Agreement
from tillsammans.reception.services import allocation_place, stay_end, stay_move
from tillsammans.reporting.annual import annual_report
from tillsammans.reporting.models import AnnualNarrative

D = dt.date


@pytest.fixture
def agreement(cast):
    agreement = Agreement.objects.create(name="IOP Ukraina", starts_on=D(2022, 3, 15))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    return agreement


def _arrive(cast, unit, on, persons):
    household = HouseholdFactory()
    for _ in range(persons):
        PersonFactory(household=household)
    allocation = AllocationFactory(household=household, allocated_on=on)
    return allocation_place(actor=cast.coordinator, allocation=allocation, unit=unit, on=on)


def _value(report, code):
    return next(i.value for i in report.headline if i.code == code)


def test_it_counts_places_people_and_nights_of_the_year(cast, agreement):
    # given the cast (sites A and B with 4 beds each from 15 March 2022; a household of 2
    # arriving at A on 10 July), the cast's household moving from A to B on 1 August (a
    # move, not an arrival), and a household of 3 arriving at A on 1 December
    stay_move(actor=cast.coordinator, stay=cast.stay_a, to_unit=cast.unit_b, on=D(2022, 8, 1))
    _arrive(cast, cast.unit_a, D(2022, 12, 1), 3)
    # when
    report = annual_report(agreement, 2022)
    # then
    assert _value(report, "places") == 8
    assert _value(report, "received") == 5
    by_org = {section.organisation.name: section for section in report.partners}
    assert (by_org["Partner A"].received, by_org["Partner B"].received) == (5, 0)
    # July: 2 persons from the 10th = 22 nights each; August: 2 persons all month at B
    july, august = report.months[6], report.months[7]
    assert july.occupied == pytest.approx(44 / 31)
    assert august.occupied == pytest.approx(2.0)
    assert july.available == pytest.approx(8.0)
    # March: the sites open on the 15th, 17 days of 31
    assert report.months[2].available == pytest.approx(8 * 17 / 31)
    assert by_org["Partner A"].person_nights == 44 + 3 * 31
    assert by_org["Partner B"].person_nights == 2 * 153


def test_a_person_who_arrives_twice_counts_once_in_all_and_once_at_each_partner(cast, agreement):
    # given the cast's household of 2 (arrived at A on 10 July) leaving on 1 September and
    # allocated again, arriving at B on 1 October
    stay_end(actor=cast.coordinator, stay=cast.stay_a, on=D(2022, 9, 1), reason="other")
    again = AllocationFactory(household=cast.stay_a.household, allocated_on=D(2022, 9, 20))
    allocation_place(actor=cast.coordinator, allocation=again, unit=cast.unit_b, on=D(2022, 10, 1))
    # when
    report = annual_report(agreement, 2022)
    # then the two people were received once in the year, and once by each partner
    assert _value(report, "received") == 2
    by_org = {section.organisation.name: section for section in report.partners}
    assert (by_org["Partner A"].received, by_org["Partner B"].received) == (2, 2)


def test_it_publishes_small_figures_as_fewer_than_5_and_names_no_one(cast, agreement, client):
    # given a viewer of partner A
    client.force_login(cast.a_viewer)
    # when the English edition is opened
    response = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "en"},
        )
    )
    # then the 2 people received are "fewer than 5", the 8 places are shown, and no person
    text = response.content.decode()
    assert response.status_code == 200
    assert "fewer than 5" in text
    assert "<dt>8</dt>" in text
    for name in ("Olena", "Shevchenko", "Шевченко", "Mariia"):
        assert name not in text


def test_it_shows_the_partners_own_text_in_the_chosen_edition(cast, agreement, client):
    # given partner A's admin writes its text in Swedish and English
    client.force_login(cast.a_admin)
    url = reverse("annual_text", args=[agreement.public_id, 2022, cast.org_a.slug])
    client.post(
        url,
        {
            "headline_sv": "Ett hem från första natten",
            "headline_en": "A home from the first night",
            "text_sv": "Vi öppnade två boenden.",
            "text_en": "We opened two sites.",
        },
    )
    client.post(
        reverse("annual_quote_add", args=[agreement.public_id, 2022]),
        {
            "organisation": cast.org_a.pk,
            "text_sv": "Här kan barnen sova.",
            "said_by_sv": "en mamma på ett av våra boenden",
            "consent_on": "2022-12-01",
            "consent": "on",
        },
    )
    # when both editions are opened
    sv = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "sv"},
        )
    )
    en = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "en"},
        )
    )
    # then each has its own language, and the quote, agreed to, falls back to Swedish
    assert "Ett hem från första natten" in sv.content.decode()
    assert "A home from the first night" in en.content.decode()
    assert "We opened two sites." in en.content.decode()
    assert "Här kan barnen sova." in en.content.decode()
    narrative = AnnualNarrative.objects.get(organisation=cast.org_a, year=2022)
    assert narrative.updated_by == cast.a_admin


def test_it_refuses_a_partner_admin_writing_for_another_partner(cast, agreement, client):
    # given
    client.force_login(cast.a_admin)
    url = reverse("annual_text", args=[agreement.public_id, 2022, cast.org_b.slug])
    # when
    response = client.post(url, {"text_sv": "Inte vår text"})
    # then
    assert response.status_code == 404
    assert not AnnualNarrative.objects.exists()


def test_it_prints_the_report_as_a_pdf_with_the_partners(cast, agreement, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = made_by_worker(
        client,
        reverse(
            "annual_report_pdf",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "sv"},
        ),
    )
    # then the PDF reads back with the title and every partner's name
    assert response["Content-Type"] == "application/pdf"
    assert tagged_language(response.content) == "sv"  # a screen reader reads it in Swedish
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Vi gör det bäst tillsammans" in text
    for name in ("Göteborgs Stad", "Partner A", "Partner B"):
        assert name in text
    assert "Olena" not in text


def test_it_answers_an_unknown_edition_or_year_with_404(cast, agreement, client):
    # given
    client.force_login(cast.coordinator)
    # when
    edition = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "de"},
        )
    )
    future = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2999, "edition": "sv"},
        )
    )
    # then
    assert edition.status_code == future.status_code == 404


def test_it_draws_the_charts_with_numbers_a_browser_reads_in_swedish(cast, agreement, client):
    # given the Swedish edition, where numbers are written with a decimal comma
    client.force_login(cast.coordinator)
    # when
    html = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "sv"},
        )
    ).content
    # then every bar of the occupancy chart has plain decimal coordinates
    bars = re.findall(rb'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', html)
    assert len(bars) == 24
    assert all(re.fullmatch(rb"-?[0-9]+(\.[0-9]+)?", value) for bar in bars for value in bar)


def _years_offered(client):
    page = client.get(reverse("annual_index")).content.decode()
    return {int(year) for year in re.findall(r'<th scope="row">(\d{4})</th>', page)}


def test_it_offers_only_the_years_with_records_and_the_current_one(cast, agreement, client):
    # given a language café visited once in 2024, the cast's only stay, from July to
    # September 2022, and the agreement still in force
    cafe = service_create(
        actor=cast.a_admin, name_sv="Språkcafé", category=ServiceCategory.LANGUAGE,
        eligibility=Eligibility.ANYONE,
    )  # fmt: skip
    delivery_record(actor=cast.a_staff, service=cafe, household=cast.household_a, on=D(2024, 5, 2))
    stay_end(actor=cast.coordinator, stay=cast.stay_a, on=D(2022, 9, 1), reason="own_housing")
    client.force_login(cast.a_viewer)
    # when
    offered = _years_offered(client)
    # then: 2022 and 2024 have records, and this year is the partnership's current one
    assert offered == {2022, 2024, timezone.localdate().year}


def test_it_offers_no_current_year_once_the_partnership_has_ended(cast, agreement, client):
    # given an agreement that ended, and the cast's stay that ended in 2022
    stay_end(actor=cast.coordinator, stay=cast.stay_a, on=D(2022, 9, 1), reason="own_housing")
    agreement.ends_on = D(2023, 3, 14)
    agreement.save()
    client.force_login(cast.coordinator)
    # when / then
    assert _years_offered(client) == {2022}


def test_it_says_plainly_that_a_year_has_no_records(cast, agreement, client):
    # given an agreement in force since 2019, and a year in which nothing happened
    agreement.starts_on = D(2019, 1, 1)
    agreement.save()
    client.force_login(cast.a_viewer)
    # when the page and the PDF of 2019 are asked for by their addresses
    page = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2019, "edition": "en"},
        )
    )
    pdf = client.post(
        reverse(
            "annual_report_pdf",
            kwargs={"agreement_id": agreement.public_id, "year": 2019, "edition": "sv"},
        )
    )
    # then both say, in the reader's language, that there is nothing to report, not a report
    # of "fewer than 5"
    for response in (page, pdf):
        text = response.content.decode()
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        assert "2019" in text and "fewer than 5" not in text and "färre än 5" not in text
    assert "inga registreringar för 2019" in page.content.decode()


def test_it_shows_a_count_of_zero_as_0_and_1_to_4_as_fewer_than_5(cast, agreement, client):
    # given partner B, which received no one in 2022, and partner A, which received 2
    client.force_login(cast.coordinator)
    # when
    text = client.get(
        reverse(
            "annual_report",
            kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": "en"},
        )
    ).content
    # then
    sections = text.decode().split('<th scope="row">People received</th>')
    received = [section.split("</td>")[0].rsplit(">", 1)[-1] for section in sections[1:]]
    assert "0" in received and "fewer than 5" in received
    with translation.override("en"):
        assert (published(0), published(4), published(5)) == (0, "fewer than 5", 5)


def test_it_asks_one_year_for_records_as_the_list_of_years_answers(cast, agreement):
    # given the cast's stay from July 2022 (still open), and a language café visit in 2024
    from tillsammans.reporting.annual import report_years, year_has_records

    cafe = service_create(
        actor=cast.a_admin, name_sv="Språkcafé", category=ServiceCategory.LANGUAGE,
        eligibility=Eligibility.ANYONE,
    )  # fmt: skip
    delivery_record(actor=cast.a_staff, service=cafe, household=cast.household_a, on=D(2024, 5, 2))
    for today in (D(2023, 6, 1), timezone.localdate()):
        # when / then
        years = report_years(today)
        assert [y for y in range(2015, today.year + 2) if year_has_records(y, today)] == sorted(
            years
        )


def test_it_names_the_service_categories_in_the_editions_language(cast, agreement, client):
    # given a language café delivered in 2022
    cafe = service_create(
        actor=cast.a_admin, name_sv="Språkcafé", category=ServiceCategory.LANGUAGE,
        eligibility=Eligibility.ANYONE,
    )  # fmt: skip
    delivery_record(actor=cast.a_staff, service=cafe, household=cast.household_a, on=D(2022, 9, 1))
    client.force_login(cast.coordinator)
    url = lambda edition: reverse(  # noqa: E731
        "annual_report",
        kwargs={"agreement_id": agreement.public_id, "year": 2022, "edition": edition},
    )
    # when
    english, swedish = client.get(url("en")).text, client.get(url("sv")).text
    # then the chart's legend (after each colour swatch) reads in the edition's language
    with translation.override("en"):
        in_english = "</svg> " + str(ServiceCategory.LANGUAGE.label)
    with translation.override("sv"):
        in_swedish = "</svg> " + str(ServiceCategory.LANGUAGE.label)
    assert in_english in english and in_swedish not in english
    assert in_swedish in swedish


def test_it_prints_the_goals_in_the_editions_language(cast, agreement, client):
    # given a goal and an indicator with English words, and a goal without
    from tillsammans.partnership.models import Goal, Indicator

    goal = Goal.objects.create(
        agreement=agreement, position=1, title="Ett bra mottagande", title_en="A good reception"
    )
    Indicator.objects.create(
        goal=goal, name="Andel trygga", name_en="Share who feel safe", unit="percent"
    )
    Goal.objects.create(agreement=agreement, position=2, title="Bara på svenska")
    client.force_login(cast.a_viewer)

    def edition(language):
        kwargs = {"agreement_id": agreement.public_id, "year": 2022, "edition": language}
        return client.get(reverse("annual_report", kwargs=kwargs)).content.decode()

    # when both editions are opened
    english, swedish = edition("en"), edition("sv")
    # then each has its own words, and the untranslated goal is in Swedish in both
    assert "A good reception" in english and "Share who feel safe" in english
    assert "Ett bra mottagande" not in english
    assert "Ett bra mottagande" in swedish and "Andel trygga" in swedish
    assert "Bara på svenska" in english and "Bara på svenska" in swedish
