"""Hjärterum pages and services as a user notices them."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tillsammans.core.factories import AllocationFactory
from tillsammans.core.models import AuditAction, AuditEvent
from tillsammans.hosting.models import EndReason, HostPreference
from tillsammans.hosting.services import agreement_end, follow_up_record
from tillsammans.housing.models import SiteKind
from tillsammans.reception.models import ExitReason, Stay
from tillsammans.reception.services import allocation_place

from .conftest import agree, register, vet


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_registers_a_home_as_a_host_home_place_with_its_beds_and_features(cast, programme):
    # when: a host who speaks Swedish and Ukrainian offers three beds to adults only
    host = register(cast, programme, beds=3, languages=["sv", "uk"], prefers=HostPreference.ADULTS,
                    guest_pets_welcome=True)  # fmt: skip
    # then: the home is a host-home site of the programme's organisation with three beds
    unit = host.unit
    assert unit.site.kind == SiteKind.HOST_HOME
    assert unit.site.organisation == cast.org_a
    assert unit.beds.count() == 3 and unit.max_households == 1
    # and: the engine sees the host's languages and preferences as the unit's features
    assert unit.host_languages == ["sv", "uk"]
    assert unit.pets_allowed and not unit.children_ok
    # and: the site's name does not name the host
    assert "Lind" not in unit.site.name


def test_it_stores_the_hosts_contact_encrypted(cast, programme):
    # given
    host = register(cast, programme, name="Anna Lind", address="Exempelgatan 1")
    # when: the row is read without the application
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, address FROM hosting_host WHERE id = %s", [host.pk])
        name, address = cursor.fetchone()
    # then: neither is readable, and the application reads both
    assert "Anna" not in name and "Exempel" not in address
    host.refresh_from_db()
    assert host.name == "Anna Lind"


def test_it_hides_hosts_from_other_organisations_and_audits_each_read(cast, programme):
    # given
    host = register(cast, programme, name="Anna Lind")
    url = reverse("host_detail", args=[host.public_id])
    # when / then: partner B's staff get the page-missing 404
    assert _client(cast.b_staff).get(url).status_code == 404
    # when: partner A's staff open the host's page
    response = _client(cast.a_staff).get(url)
    # then: they see the host, and the read is in the audit log
    assert response.status_code == 200 and "Anna Lind" in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, action=AuditAction.VIEW, object_id=str(host.public_id)
    ).exists()


def test_it_shows_the_hosts_languages_by_name_and_the_rent_in_kronor(cast, programme):
    # given: a host who speaks Swedish and Ukrainian, at 4 500 kronor a month
    host = register(cast, programme, languages=["sv", "uk"], monthly_rent=4500)
    # when
    page = _client(cast.a_staff).get(reverse("host_detail", args=[host.public_id])).text
    # then: names, not codes; the amount the Swedish way, not "4500 SEK"
    assert "<dd>svenska, ukrainska</dd>" in page
    assert "4\u00a0500\u00a0kr" in page and "SEK" not in page
    # and: the unit's page says which languages the host speaks, by name
    site = _client(cast.coordinator).get(reverse("site_detail", args=[host.unit.site.public_id]))
    assert "svenska, ukrainska" in site.text


def test_it_warns_of_an_agreement_ending_within_30_days_with_no_next_place(
    cast, programme, new_household
):
    # given: guests whose agreement ends in three weeks
    today = timezone.localdate()
    host = vet(cast, register(cast, programme, available_from=today - dt.timedelta(days=30)),
               on=today - dt.timedelta(days=20))  # fmt: skip
    household = new_household("H-ENDING")
    started = today - dt.timedelta(days=10)
    agreement = agree(cast, host, household, started, ends_on=today + dt.timedelta(days=21))
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=host.unit, on=started)  # fmt: skip
    client = _client(cast.a_staff)
    # when: the officer opens the overview
    page = client.get(reverse("hosting_home")).content.decode()
    # then: the agreement is in the warnings, and the officer's home page asks for it
    assert "H-ENDING" in page.split('data-testid="warnings"')[1].split("</ul>")[0]
    home = client.get(reverse("dashboard")).content.decode()
    ending = "1 värdskap slutar inom 30 dagar utan planerat nästa boende"
    assert f'<a href="{reverse("hosting_home")}">{ending}</a>' in home
    # when: the next place is written down
    form = {"ends_on": agreement.ends_on.isoformat(), "next_place": "Egen lägenhet"}
    client.post(reverse("agreement_detail", args=[agreement.public_id]), form)
    # then: the warning is gone, from the home page too
    assert 'data-testid="warnings"' not in client.get(reverse("hosting_home")).content.decode()
    assert ending not in client.get(reverse("dashboard")).content.decode()


def test_it_ends_a_hosting_with_its_reason_and_moves_the_guests_out(cast, programme, new_household):
    # given: guests living in a host home
    host = vet(cast, register(cast, programme))
    household = new_household("H-GUEST")
    on = dt.date(2022, 9, 1)
    agreement = agree(cast, host, household, on)
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=host.unit, on=on)  # fmt: skip
    follow_up_record(actor=cast.a_staff, host=host, on=dt.date(2022, 9, 15), with_whom="both",
                     concerns="Trångt i köket")  # fmt: skip
    # when: the hosting ends because the guests got their own flat
    agreement_end(actor=cast.a_staff, agreement=agreement, on=dt.date(2022, 11, 1),
                  reason=EndReason.OWN_HOUSING, notes="")  # fmt: skip
    # then: the stay ended that day with the reason, and the agreement shows it
    stay = Stay.objects.get(household=household)
    assert stay.ended_on == dt.date(2022, 11, 1) and stay.exit_reason == ExitReason.OWN_HOUSING
    agreement.refresh_from_db()
    assert agreement.end_reason == EndReason.OWN_HOUSING
    assert host.follow_ups.get().concerns == "Trångt i köket"


def test_it_shows_the_months_rent_in_kronor_grouped_the_swedish_way(cast, programme, new_household):
    # given: guests in a 4 500 kronor home from 10 October: 22 of 31 nights, 3 194 kronor
    host = vet(cast, register(cast, programme))
    household = new_household("H-GUEST")
    agree(cast, host, household, dt.date(2022, 10, 10))
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=host.unit, on=dt.date(2022, 10, 10))  # fmt: skip
    # when
    page = _client(cast.a_admin).get(reverse("rent_month"), {"month": "2022-10"}).text
    # then
    assert '<td class="num" data-testid="rent-amount">3\u00a0194</td>' in page
    assert '<td class="num" data-testid="rent-total">3\u00a0194</td>' in page
    assert "4\u00a0500\u00a0kr" in page and "SEK " not in page


def test_it_says_that_a_month_not_over_counts_the_nights_to_come(cast, programme, new_household):
    # given: guests living in a host home since last month
    today = timezone.localdate()
    host = vet(cast, register(cast, programme, available_from=today - dt.timedelta(days=60)),
               on=today - dt.timedelta(days=50))  # fmt: skip
    household = new_household("H-GUEST")
    started = today - dt.timedelta(days=40)
    agree(cast, host, household, started)
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=host.unit, on=started)  # fmt: skip
    client = _client(cast.a_admin)
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    # when
    now = client.get(reverse("rent_month"), {"month": today.strftime("%Y-%m")}).text
    before = client.get(reverse("rent_month"), {"month": last_month}).text
    # then: this month's amounts are said to count the nights until its end; last month's not
    assert "Månaden är inte slut" in now
    assert "Månaden är inte slut" not in before


def test_it_exports_the_months_rent_without_formulas(cast, programme, new_household):
    # given: a host whose name a spreadsheet would read as a formula, with guests in October
    host = vet(cast, register(cast, programme, name='=HYPERLINK("http://x")'))
    household = new_household("H-GUEST")
    agree(cast, host, household, dt.date(2022, 10, 10))
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=host.unit, on=dt.date(2022, 10, 10))  # fmt: skip
    client = _client(cast.a_admin)
    url = reverse("rent_export")
    # when: the month is downloaded as CSV and as XLSX
    csv_text = client.get(url, {"month": "2022-10", "format": "csv"}).content.decode("utf-8-sig")
    xlsx = client.get(url, {"month": "2022-10", "format": "xlsx"}).content
    # then: the name starts with an apostrophe and the amount is there
    assert "'=HYPERLINK" in csv_text and ";3194" in csv_text
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(row=2, column=1).value.startswith("'=")
    assert sheet.cell(row=2, column=9).value == 3194
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=cast.a_admin).count() == 2


@pytest.mark.parametrize("wanted", ["²", "٣", "99999999999999999999", "-1", "1\x00"])
def test_it_shows_the_first_programme_for_a_programme_that_is_no_id(cast, programme, wanted):
    # given
    client = _client(cast.a_admin)
    # when
    page = client.get(reverse("rent_month"), {"programme": wanted, "month": "2022-10"})
    export = client.get(reverse("rent_export"), {"programme": wanted, "month": "2022-10"})
    # then
    assert page.status_code == 200
    assert page.context["programme"] == programme
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_downloads_the_rent_of_a_programme_named_across_two_lines(cast, programme, kind):
    # given: a programme whose name was typed with a line break
    programme.name = "Hjärterum\r\nVäst"
    programme.save()
    client = _client(cast.a_admin)
    # when
    export = client.get(reverse("rent_export"), {"month": "2022-10", "format": kind})
    # then: the file, named on one line, with the letters kept where the client can read them
    header = export["Content-Disposition"]
    assert export.status_code == 200
    assert header.startswith(f'attachment; filename="hyra-Hjarterum-Vast-2022-10.{kind}"')
    assert unquote(header.split("filename*=UTF-8''")[1]) == f"hyra-Hjärterum-Väst-2022-10.{kind}"


def test_it_changes_a_hosts_offer_and_the_home_follows(cast, programme):
    # given: a host offering three beds to anyone, speaking Swedish
    host = register(cast, programme, beds=3, languages=["sv"])
    client = _client(cast.a_admin)
    form = {
        "name": host.name, "address": host.address, "district": host.district, "rooms": 2,
        "beds": 4, "available_from": "2022-08-01", "available_until": "2023-06-01",
        "languages": "sv, uk", "prefers": "adults", "rent_basis": "bed", "monthly_rent": 1500,
    }  # fmt: skip
    # when: the admin changes the offer
    response = client.post(reverse("host_edit", args=[host.public_id]), form)
    # then: the host and its home have the new offer
    assert response.status_code == 302
    host.refresh_from_db()
    unit = host.unit
    unit.refresh_from_db()
    assert host.available_until == dt.date(2023, 6, 1) and host.monthly_rent == 1500
    assert unit.beds.count() == 4 and unit.host_languages == ["sv", "uk"]
    assert not unit.children_ok
    # and: partner A's viewer may not change it
    assert (
        _client(cast.a_viewer).get(reverse("host_edit", args=[host.public_id])).status_code == 404
    )
