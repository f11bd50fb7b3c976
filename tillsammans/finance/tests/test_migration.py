"""Reports written before they had an agreement join the one their partner took part in."""

import datetime as dt

import pytest

from tests.migrating import migrate, migrate_to_latest

BEFORE = [("finance", "0003_report_agreement"), ("partnership", "0007_verified_addresses")]
AFTER = [("finance", "0005_report_agreement_required")]


@pytest.mark.django_db(transaction=True)
def test_a_report_joins_the_agreement_its_partner_took_part_in_that_month():
    # given two agreements in force in September 2022, partner B party only to the older one
    apps = migrate(BEFORE)
    try:
        Organisation = apps.get_model("partnership", "Organisation")
        Agreement = apps.get_model("partnership", "Agreement")
        Party = apps.get_model("partnership", "Party")
        MonthlyReport = apps.get_model("finance", "MonthlyReport")
        partner = Organisation.objects.create(slug="b", name="Partner B", kind="nonprofit")
        older = Agreement.objects.create(name="Äldre", starts_on=dt.date(2022, 3, 1))
        newer = Agreement.objects.create(name="Nyare", starts_on=dt.date(2022, 6, 1))
        Party.objects.create(agreement=older, organisation=partner, joined_on=older.starts_on)
        report = MonthlyReport.objects.create(organisation=partner, month=dt.date(2022, 9, 1))
        # when the migrations run
        apps = migrate(AFTER)
        # then the report is under the agreement B took part in, not the latest one
        stored = apps.get_model("finance", "MonthlyReport").objects.get(pk=report.pk)
        assert stored.agreement_id == older.pk != newer.pk
    finally:  # the schema as the other tests expect it
        migrate_to_latest()
