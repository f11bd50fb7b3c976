"""Each agreement's report counts the places offered under it: a partner in two agreements
has each site's beds in the agreement the site belongs to, not in both."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import agreements
from tillsammans.core.errors import ServiceError
from tillsammans.core.factories import SiteFactory, UnitFactory
from tillsammans.housing.services import site_create
from tillsammans.reporting.annual import annual_report


def _places(report):
    return next(i.value for i in report.headline if i.code == "places")


def test_a_site_counts_in_the_agreement_it_belongs_to_only(cast):
    # given partner B in two agreements, with a site of 6 beds under the second
    shared = agreements.shared(cast).agreement
    theirs = agreements.theirs(cast).agreement
    site = SiteFactory(organisation=cast.org_b, name="B:s andra boende", agreement=theirs)
    UnitFactory(site=site, name="B2", beds=6)
    # when
    in_shared, in_theirs = annual_report(shared, 2022), annual_report(theirs, 2022)
    # then the cast's sites, under no agreement, count for their parties; B's new site only
    # in its own agreement
    assert _places(in_shared) == 8  # sites A and B, 4 beds each
    assert _places(in_theirs) == 4 + 6  # site B and the new one


def test_a_partner_adds_a_site_under_an_agreement_it_takes_part_in(cast, client):
    # given partner A's admin, whose organisation is party to one agreement
    shared = agreements.shared(cast).agreement
    client.force_login(cast.a_admin)
    # when the form is opened, the agreement is chosen already
    form = client.get(reverse("site_create")).context["form"]
    assert form["agreement"].value() == shared.pk
    # and a site under an agreement partner A is not party to is refused
    theirs = agreements.theirs(cast).agreement
    with pytest.raises(ServiceError):
        site_create(
            actor=cast.a_admin, organisation=cast.org_a, agreement=theirs, name="Fel",
            kind="apartment", opens_on=dt.date(2022, 5, 1),
        )  # fmt: skip


def test_a_service_counts_in_the_agreement_it_is_offered_under_only(cast):
    # given partner B in two agreements, delivering a language café under the second
    from tillsammans.addedvalues.models import Eligibility, ServiceCategory
    from tillsammans.addedvalues.services import delivery_record, service_create
    from tillsammans.core.factories import member

    shared = agreements.shared(cast).agreement
    theirs = agreements.theirs(cast).agreement
    b_admin = member(cast.org_b, "partner_admin", "b-admin@example.org")
    cafe = service_create(
        actor=b_admin, agreement=theirs, name_sv="Språkcafé", category=ServiceCategory.LANGUAGE,
        eligibility=Eligibility.ANYONE,
    )  # fmt: skip
    delivery_record(
        actor=cast.b_staff, service=cafe, household=cast.household_a, on=dt.date(2022, 9, 1)
    )
    # when
    services = {
        agreement.name: next(
            i.value for i in annual_report(agreement, 2022).headline if i.code == "services"
        )
        for agreement in (shared, theirs)
    }
    # then
    assert services == {shared.name: 0, theirs.name: 1}


def _indicator(report, code):
    return next(i.value for i in [*report.headline, *report.contribution] if i.code == code)


def test_a_partner_joining_mid_year_counts_from_the_day_it_joined(cast):
    # given partner B joined the second agreement on 1 July 2022; its volunteers worked in
    # May and in July, and it held a training in May and one in August
    from tillsammans.training.models import TrainingSession, TrainingTopic
    from tillsammans.training.services import volunteer_create, volunteer_hours_record

    theirs = agreements.theirs(cast).agreement
    theirs.party_set.filter(organisation=cast.org_b).update(joined_on=dt.date(2022, 7, 1))
    volunteer = volunteer_create(actor=cast.b_staff, alias="Karin", helps_with="Läxhjälp")
    for month, hours in ((5, 10), (7, 4)):
        volunteer_hours_record(
            actor=cast.b_staff, volunteer=volunteer, month=dt.date(2022, month, 1), hours=hours
        )
    for day in (dt.date(2022, 5, 10), dt.date(2022, 8, 10)):
        TrainingSession.objects.create(
            title="Trauma", topic=TrainingTopic.values[0], held_on=day, place="Hjalmar",
            organiser=cast.org_b, created_by=cast.b_staff,
        )  # fmt: skip
    # when
    report = annual_report(theirs, 2022)
    section = next(s for s in report.partners if s.organisation == cast.org_b)
    # then only what B did from July is the second agreement's
    assert (section.volunteer_hours, section.trainings) == (4, 1)
    assert _indicator(report, "volunteer_hours") == 4
    # and the first agreement, which B took part in all year, counts all of it
    shared = annual_report(agreements.shared(cast).agreement, 2022)
    assert _indicator(shared, "volunteer_hours") == 14
    # and a goal's indicator computed from the volunteer hours agrees with the report
    from tillsammans.partnership.models import Goal, Indicator, Measure
    from tillsammans.reporting.goals import goals_for_year

    goal = Goal.objects.create(agreement=theirs, position=9, title="Volontärer")
    Indicator.objects.create(
        goal=goal, name="Timmar", measure=Measure.VOLUNTEER_HOURS, unit="number"
    )
    outcome = next(g for g in goals_for_year(theirs, 2022) if g.goal == goal).outcomes[0]
    assert outcome.value == 4


def test_own_funds_count_in_the_agreement_the_report_is_under(cast):
    # given partner B reports September under each of its two agreements
    from decimal import Decimal

    from tillsammans.finance import services

    shared = agreements.shared(cast).agreement
    theirs = agreements.theirs(cast).agreement
    for agreement, own_funds in ((shared, 1000), (theirs, 250)):
        report = services.report_start(actor=cast.b_staff, year=2022, month=9, agreement=agreement)
        services.report_update(
            actor=cast.b_staff, report=report, costs={}, volunteer_hours=Decimal(0),
            donated_goods=Decimal(0), own_funds=Decimal(own_funds),
        )  # fmt: skip
        services.report_submit(actor=cast.b_staff, report=report)
    # then each agreement's annual report has its own
    assert _indicator(annual_report(shared, 2022), "own_funds") == 1000
    assert _indicator(annual_report(theirs, 2022), "own_funds") == 250
