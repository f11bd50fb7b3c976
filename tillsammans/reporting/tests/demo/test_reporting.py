import datetime as dt
import html
import io
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.background import made_by_worker
from tillsammans.core.lib.identity import is_coordination_number, normalise_swedish_id
from tillsammans.core.models import User
from tillsammans.hosting.models import Host
from tillsammans.housing.models import Bed, Site, SiteKind
from tillsammans.jobs.models import JobSeeker
from tillsammans.partnership.models import Agreement, Decision, Organisation, Role
from tillsammans.people.models import Person
from tillsammans.reception.models import Allocation, AllocationStatus, Occupancy
from tillsammans.reception.path_lists import PathList, never_arrived, work_lists
from tillsammans.reporting import demo


def test_it_loads_the_six_organisations_of_the_2022_partnership(loaded, db):
    # given the demo
    # when
    agreement = Agreement.objects.get(starts_on__year=2022)
    names = set(agreement.parties.values_list("name", flat=True))
    # then
    assert names == {
        "Göteborgs Stad",
        "Skyddsvärnet Göteborg",
        "Göteborgs Stadsmission",
        "Räddningsmissionen",
        "Reningsborg",
        "Bräcke diakoni",
    }


def test_it_loads_the_minors_partnership_of_2015_as_seeds_003_and_004_tell_it(loaded, db):
    # given the demo
    # when
    agreement = Agreement.objects.get(starts_on__year=2015)
    parties = {p.organisation.name: p for p in agreement.party_set.select_related("organisation")}
    nonprofits = {n for n, p in parties.items() if p.organisation.kind == "nonprofit"}
    # then seven non-profits from the start, nine after two joined, and the city
    first = {n for n in nonprofits if parties[n].joined_on == agreement.starts_on}
    assert len(first) == 7
    assert nonprofits - first == {"Göteborgs Stadsmission", "Karriärkraft"}
    assert "Göteborgs Stad" in parties
    later = parties["Karriärkraft"].joined_on
    assert agreement.target_places_on(agreement.starts_on) == 100
    assert agreement.target_places_on(later) == 200
    # and its seven goals as the seed words them, with its values and legal basis
    assert list(agreement.goals.values_list("title", flat=True)) == [
        "Trygga uppväxtmiljöer",
        "Höjd livskvalitet och bättre hälsa",
        "Delaktighet genom ett rättighetsbaserat förhållningssätt",
        "Mindre polarisering och segregation",
        "Förutsättningar för att barnen uppnår sin fulla potential",
        "Minskad oro, otrygghet och kriminalitet",
        "Ökad framtidstro och känsla av tillhörighet",
    ]
    assert "barnkonventionen" in agreement.shared_values
    assert "stadsjurist" in agreement.legal_basis
    assert agreement.groups.count() == 4


def test_it_gives_the_2022_agreement_the_seeds_common_goal_and_followed_indicators(loaded, db):
    # given the demo
    # when
    agreement = Agreement.objects.get(starts_on__year=2022)
    goal = agreement.goals.get()
    # then
    assert "ett bra mottagande, goda boendemiljöer och en bra integration" in goal.description
    assert agreement.common_goal == goal.description
    assert goal.indicators.filter(measure="").exists()  # a survey entered by hand
    assert goal.indicators.exclude(measure="").count() == 3
    assert goal.title_en and all(i.name_en for i in goal.indicators.all())


def test_its_cooperation_group_met_and_follows_up_its_decisions(loaded, db):
    # given the demo's coordinator
    agreement = Agreement.objects.get(starts_on__year=2022)
    client = Client()
    client.force_login(User.objects.get(email="samordnare@demo.tillsammans.example"))
    # when the governance page is opened
    page = client.get(reverse("governance", args=[agreement.public_id])).content.decode()
    # then the cooperation group's meetings and decisions are there, one still open
    decisions = Decision.objects.filter(meeting__group__agreement=agreement)
    assert decisions.count() == 3
    assert decisions.filter(done_on__isnull=True).count() == 1
    assert "Ta fram en gemensam rutin för remisser mellan parterna." in page


def test_the_city_lists_both_of_its_partnerships(loaded, db):
    # given the city's coordinator, party to both agreements
    minors = Agreement.objects.get(starts_on__year=2015)
    client = Client()
    client.force_login(User.objects.get(email="samordnare@demo.tillsammans.example"))
    # when
    listed = client.get(reverse("agreement_list"))
    # then
    page = listed.content.decode()
    assert minors.name in page
    assert Agreement.objects.get(starts_on__year=2022).name in page


def test_it_has_exactly_one_thousand_beds(loaded, db):
    # given the demo
    # when
    beds = Bed.objects.filter(unit__site__agreement__starts_on__year=2022).count()
    # then
    assert beds == 1000
    assert "1000 beds" in loaded


def test_it_received_682_persons_in_2022(loaded, db):
    # given the demo
    # when
    received = Person.objects.filter(household__stays__started_on__year=2022).distinct().count()
    # then
    assert received == 682
    # and the households allocated in its last days came in January 2023, but for two that
    # never did (the unaccompanied children of the minors' partnership are another demo part)
    allocated = Allocation.objects.filter(household__unaccompanied=False, allocated_on__year=2022)
    late = allocated.exclude(household__stays__started_on__year=2022)
    assert set(late.values_list("status", flat=True)) == {
        AllocationStatus.PLACED,
        AllocationStatus.NEVER_ARRIVED,
    }
    assert late.filter(status=AllocationStatus.NEVER_ARRIVED).count() == 2
    assert not late.filter(status=AllocationStatus.PLACED, household__stays__isnull=True).exists()
    assert Person.objects.filter(household__allocations__in=allocated).count() == 682 + sum(
        allocation.household.persons.count() for allocation in late
    )


def test_its_pending_allocations_are_this_years_and_one_has_not_come(loaded, db):
    # given the demo, four years on
    today = timezone.localdate()
    pending = Allocation.objects.filter(
        status=AllocationStatus.PENDING, household__unaccompanied=False
    )
    # then only this year's allocations wait, most of them expected in the coming two weeks
    assert pending.count() == 10
    assert all(a.allocated_on > today - dt.timedelta(days=40) for a in pending)
    # and the list of allocations whose people never arrived holds the one expected three
    # weeks ago, not the December of 2022
    assert [row.allocation.expected_arrival for row in never_arrived(today)] == [
        today - dt.timedelta(days=21)
    ]
    # and the three households that came a year ago can be registered next month
    lists = work_lists(Person.objects.all(), today)
    assert len({row.person.household_id for row in lists[PathList.ELIGIBLE]}) == 3
    # and of those housed today, only the 2026 extension was forgotten: every household that
    # came from the 2022 allocations, in January or February too, applied for the earlier ones
    lapsed = [row for row in lists[PathList.EXPIRING] if row.lapsed]
    assert lapsed and min(row.day for row in lapsed) >= dt.date(2026, 3, 4)


def test_it_makes_skyddsvarnets_site_the_largest_with_food_service(loaded, db):
    # given the demo
    # when
    largest = Site.objects.annotate(n=Count("units__beds")).order_by("-n").first()
    # then
    assert largest.organisation.name == "Skyddsvärnet Göteborg"
    assert largest.n == 200
    assert largest.kind == SiteKind.COLLECTIVE_FOOD
    assert not largest.units.filter(food_service=False).exists()


def test_it_gives_each_host_home_to_one_household(loaded, db):
    # given the demo
    # when
    host_homes = Site.objects.filter(kind=SiteKind.HOST_HOME)
    # then
    assert set(host_homes.values_list("organisation__name", flat=True)) == {"Räddningsmissionen"}
    assert not host_homes.exclude(units__max_households=1).exists()


def test_it_never_puts_two_people_in_one_bed(loaded, db):
    # given the demo
    by_bed: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    by_person: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for bed, person, start, end in Occupancy.objects.values_list(
        "bed", "person", "started_on", "ended_on"
    ):
        by_bed[bed].append((start, end))
        by_person[person].append((start, end))

    # when
    def overlaps(periods: list[tuple[Any, Any]]) -> bool:
        periods.sort()
        return any(
            later_start < (end or later_start.max)
            for (_start, end), (later_start, _end) in pairwise(periods)
        )

    # then
    assert by_bed
    assert not any(overlaps(periods) for periods in by_bed.values())
    assert not any(overlaps(periods) for periods in by_person.values())


def test_it_says_why_households_moved_out_in_words(loaded, db):
    # given the demo's console output
    # then: the reasons read as words, not codes
    assert "own housing" in loaded and "other municipality" in loaded
    assert "own_housing" not in loaded and "other_municipality" not in loaded


def test_it_does_nothing_on_a_second_run_with_if_empty(loaded, db):
    # given the demo
    before = (Organisation.objects.count(), Person.objects.count(), Occupancy.objects.count())
    out = io.StringIO()
    # when
    call_command("load_demo", "--if-empty", stdout=out)
    # then
    after = (Organisation.objects.count(), Person.objects.count(), Occupancy.objects.count())
    assert after == before
    assert "already loaded" in out.getvalue()
    assert demo.LOGINS[0].email in out.getvalue()


def test_it_gives_every_role_a_login_that_works(loaded, db):
    # given the demo
    roles = {login.role for login in demo.LOGINS}
    # when
    logged_in = [
        Client().login(email=login.email, password=login.password) for login in demo.LOGINS
    ]
    # then
    assert roles == set(Role.values)
    assert all(logged_in)
    assert (
        len({login.organisation_slug for login in demo.LOGINS if login.role == "partner_staff"}) > 2
    )


def test_it_prints_and_documents_every_login_of_the_demo(loaded, db):
    # given the demo and the README
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    # when
    emails = {user.email for user in User.objects.all() if user.has_usable_password()}
    # then: no part of the demo made a login that is not printed and in the README (the
    # colleagues of 2015 in the minors' records have no password)
    assert emails == {login.email for login in demo.LOGINS}
    for login in demo.LOGINS:
        assert login.email in loaded and login.email in readme


def _logged_in(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=demo.PASSWORD)
    return client


def test_it_has_a_hjarterum_officer_who_registers_vets_and_follows_up_hosts(loaded, db):
    # given the demo's host-home officer of Räddningsmissionen
    email = f"vardhem.raddningsmissionen@{demo.EMAIL_DOMAIN}"
    client = _logged_in(email)
    host = Host.objects.filter(agreements__isnull=False).first()
    # when / then: the hosts, registering a host and a host's page with its vetting and
    # follow-up forms all open
    assert client.get(reverse("hosting_home")).status_code == 200
    assert client.get(reverse("host_register")).status_code == 200
    page = client.get(reverse("host_detail", args=[host.public_id])).content.decode()
    assert reverse("host_follow_up", args=[host.public_id]) in page
    assert reverse("host_edit", args=[host.public_id]) in page


def test_it_has_a_jobbstart_coach_with_a_caseload(loaded, db):
    # given the demo's job coach of Skyddsvärnet, which runs Jobbstart
    email = f"jobbcoach.skyddsvarnet@{demo.EMAIL_DOMAIN}"
    client = _logged_in(email)
    coach = User.objects.get(email=email)
    seeker = JobSeeker.objects.filter(coach=coach).first()
    # when / then: the caseload, enrolling and one of the coach's job seekers open
    assert seeker is not None
    assert client.get(reverse("jobs_home")).status_code == 200
    assert client.get(reverse("job_seeker_enrol")).status_code == 200
    assert client.get(reverse("job_seeker_detail", args=[seeker.public_id])).status_code == 200


def test_it_gives_a_few_people_a_valid_coordination_number(loaded, db):
    from tillsammans.people.models import PathEvent

    # given the demo
    # when
    numbers = list(
        Person.objects.exclude(swedish_id_number="").values_list("swedish_id_number", flat=True)
    )
    registered = set(
        PathEvent.objects.standing()
        .filter(kind="registered")
        .values_list("identity_number", flat=True)
    )
    # then every number is valid; a few people had a coordination number in 2022, and those
    # registered in the population register since carry their personal identity number
    assert all(normalise_swedish_id(number) == number for number in numbers)
    coordination = [number for number in numbers if is_coordination_number(number)]
    assert 0 < len(coordination) < Person.objects.count() / 10
    assert {n for n in numbers if not is_coordination_number(n)} == registered
    assert len(registered) > 100


def test_it_is_the_same_demo_every_time():
    # given two plans from the fixed seed
    first, second = demo.Demo(), demo.Demo()
    # when
    plans = [[(h.arrival, h.persons) for h in d._plan_households()] for d in (first, second)]
    # then
    assert plans[0] == plans[1]
    assert sum(len(persons) for _arrival, persons in plans[0]) == 682


def test_it_spells_names_as_in_a_passport_and_in_swedish():
    # given / when / then
    assert demo.passport_spelling("Юлія") == "Yuliia"
    assert demo.passport_spelling("Згорани") == "Zghorany"
    assert demo.passport_spelling("Житомир") == "Zhytomyr"
    assert demo.swedish_spelling("Житомир") == "Zjytomyr"
    assert demo.swedish_spelling("Шевченко") == "Sjevtjenko"


def test_its_annual_report_for_2022_shows_the_seeds_figures(loaded, db):
    # given the demo
    from tillsammans.jobs.selectors import yearly_figures
    from tillsammans.reporting.annual import annual_report

    # when
    report = annual_report(Agreement.objects.get(starts_on__year=2022), 2022)
    # then: 1 000 places, 682 people received, Jobbstart's about 150 enrolled, over 40 in work
    headline = {indicator.code: indicator.value for indicator in report.headline}
    assert headline["places"] == 1000
    assert headline["received"] == 682
    assert headline["in_work"] > 40
    enrolled = sum(figures["enrolled"] for figures in yearly_figures(2022).values())
    assert 140 <= enrolled <= 160
    assert all(section.narrative is not None for section in report.partners)
    # and the four joint trainings of 2022, the minors' trainings belonging to 2016
    assert headline["trainings"] == 4


def test_it_shows_the_thousand_beds_grouped_the_swedish_way(loaded, db, client):
    # given the demo's coordinator
    client.force_login(User.objects.get(email=demo.LOGINS[0].email))
    # when
    page = client.get(reverse("dashboard")).content.decode()
    # then: the beds of the sites open today (the thousand of 2022 and the minors' two homes
    # that went on after 2016) as "1 040" with a no-break space, never "1040"
    open_beds = Bed.objects.exclude(unit__site__closes_on__lte=timezone.localdate()).count()
    assert open_beds == 1040
    assert 'data-testid="beds-total">1\u00a0040<' in page


# Seed 000, the 2022 annual report: its headline figures, the headings of the partners'
# sections, and its one quote.
SEED_FIGURES = ("1 000", "682")
SEED_HEADINGS = (
    "Det finns ett behov av mat",
    "Viktig mötesplats för ukrainare",
    "Hälsokontroller via mobilt team",
    "Praktik ger språkträning",
    "40 personer i arbete",
    "Ansvar och samordning",
)
SEED_QUOTE = (
    "Det var inget lätt beslut att fatta, men vi var tvungna. Varje gång sirenerna ljud så "
    "skakade min dotters händer"
)


def test_its_2022_report_as_pdf_reads_back_as_seed_000(loaded, db, client):
    # given the demo's coordinator
    from pypdf import PdfReader

    agreement = Agreement.objects.get(starts_on__year=2022)
    client.force_login(User.objects.get(email=demo.LOGINS[0].email))
    # when the Swedish PDF of 2022 is read back
    pdf = made_by_worker(
        client, reverse("annual_report_pdf", args=[agreement.public_id, 2022, "sv"])
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.replace("\xa0", " ").split())
    # then the seed's figures, every partner's heading, the introduction and the quote
    for figure in SEED_FIGURES:
        assert figure in flat
    for heading in SEED_HEADINGS:
        assert heading in flat
    assert "Inom 48 timmar hade ett första möte tagit plats" in flat
    assert SEED_QUOTE in flat
    # and no quote the seed does not contain, in the report the PDF is made from
    page = client.get(reverse("annual_report", args=[agreement.public_id, 2022, "sv"])).text
    quotes = [
        html.unescape(re.sub(r"<[^>]+>", "", quote))
        for quote in re.findall(r"<blockquote><p>”(.*?)”</p>", page, re.S)
    ]
    assert quotes == [SEED_QUOTE]
    # and the four training themes of 2022 in the city's section, none of the minors'
    assert "kulturkunskap om Ukraina, trafficking, arbetsplatsexploatering" in flat
    assert "Traumakunskap" not in flat and "Asylrätt" not in flat


def test_its_yearly_coupons_and_referrals_add_up_the_months(loaded, db):
    # given the demo's 2022 report
    from tillsammans.coupons.selectors import monthly_figures as coupons_of
    from tillsammans.referrals.selectors import monthly_figures as referrals_of
    from tillsammans.reporting.annual import annual_report

    report = annual_report(Agreement.objects.get(starts_on__year=2022), 2022)
    figures = {indicator.code: indicator.value for indicator in report.contribution}
    # when the months are added up
    months = range(1, 13)
    coupons = sum(f.get("coupons_issued", 0) for m in months for f in coupons_of(2022, m).values())
    sek = sum(f.get("coupon_sek_issued", 0) for m in months for f in coupons_of(2022, m).values())
    sent = sum(f["referrals_sent"] for m in months for f in referrals_of(2022, m).values())
    # then
    assert (figures["coupons"], figures["coupon_sek"], figures["referrals"]) == (coupons, sek, sent)
    assert coupons > 0 and sent > 0


# -- the 2015–2016 partnership's children (tillsammans/minors/demo.py) ------------------------


def test_it_receives_the_children_of_2015_and_2016_in_a_realistic_mix(loaded, db):
    from tillsammans.minors.models import ChildCase

    # given the demo
    cases = ChildCase.objects.select_related("person")
    # then a couple of hundred young people of 13–17 on arrival, mostly boys, speaking the
    # languages of Afghanistan, Syria, Somalia and Eritrea
    assert 150 <= cases.count() <= 270
    boys = sum(case.person.sex == "male" for case in cases)
    assert boys / cases.count() > 0.75
    languages = {code for case in cases for code in case.person.languages}
    assert {"prs", "ar", "so", "ti"} <= languages
    first_dates = {
        case.pk: record.birth_date
        for case in cases
        for record in case.birth_dates.order_by("decided_on", "id")[:1]
    }
    assert all(13 <= _age(first_dates[case.pk], case.opened_on) <= 17 for case in cases)
    # and every case of those years is closed by today, no one lives in the closed homes;
    # three young people of today are the case worker's open cases
    assert not cases.filter(closed_on__isnull=True, opened_on__year__lt=2017).exists()
    assert cases.filter(closed_on__isnull=True).count() == 3
    assert (
        not Occupancy.objects.filter(
            bed__unit__site__kind__in=("hvb", "supported"), ended_on__isnull=True
        )
        .exclude(bed__unit__site__name="HVB Bryggan")
        .exists()
    )


def _age(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_its_homes_hold_100_then_200_places_and_are_never_over_filled(loaded, db):

    from tillsammans.housing.models import Licence

    # given the 2015 agreement's homes and their licences
    agreement = Agreement.objects.get(starts_on__year=2015)
    licences = list(Licence.objects.filter(site__agreement=agreement).select_related("site"))

    def valid_on(day):
        return [
            lic for lic in licences
            if lic.valid_from <= day and (lic.valid_to is None or lic.valid_to >= day)
        ]  # fmt: skip

    # then the places follow the agreement's targets
    assert sum(lic.places for lic in valid_on(dt.date(2015, 6, 1))) == 100
    assert sum(lic.places for lic in valid_on(dt.date(2016, 6, 1))) == 200
    # and on the first of every month, no home houses more than its licence's places, and
    # every young person in a home lives there on a decision that covers the day
    from tillsammans.reception.models import PlacementDecision

    decisions = defaultdict(list)
    for d in PlacementDecision.objects.filter(withdrawn_on__isnull=True):
        decisions[(d.household_id, d.site_id)].append(d)
    day = dt.date(2015, 3, 1)
    while day < dt.date(2017, 1, 1):
        living = Occupancy.objects.filter(
            bed__unit__site__agreement=agreement, started_on__lte=day
        ).exclude(ended_on__lte=day)
        per_home = defaultdict(int)
        for site_id, household_id in living.values_list("bed__unit__site_id", "stay__household_id"):
            per_home[site_id] += 1
            assert any(
                d.valid_from <= day and (d.valid_to is None or d.valid_to >= day)
                for d in decisions[(household_id, site_id)]
            ), (day, household_id)
        for lic in valid_on(day):
            assert per_home[lic.site_id] <= lic.places
        day = (day + dt.timedelta(days=32)).replace(day=1)


def test_its_children_have_guardians_plans_volunteers_services_and_reunifications(loaded, db):
    from tillsammans.minors.models import (
        ChildCase,
        Reunification,
        ServiceEnrolment,
        SummerPlace,
        VolunteerLink,
    )
    from tillsammans.partnership.models import Measure
    from tillsammans.reporting.goals import goals_for_year

    # given the demo's children of 2015–2016
    cases = ChildCase.objects.filter(opened_on__year__lt=2017)
    # then every child had a guardian and a plan; many had volunteers and services
    assert not cases.filter(guardians__isnull=True).exists()
    assert not cases.filter(plan__isnull=True).exists()
    assert VolunteerLink.objects.count() > cases.count() / 5
    assert ServiceEnrolment.objects.filter(summer_place__isnull=True).count() > 40
    assert Reunification.objects.count() >= 10
    # and the summer coordinator's places were never over-filled
    for place in SummerPlace.objects.annotate(n=Count("enrolments")):
        assert place.n <= place.places
    assert SummerPlace.objects.count() >= 10
    # and each of the agreement's seven goals has an indicator with a value for 2016
    agreement = Agreement.objects.get(starts_on__year=2015)
    goals = goals_for_year(agreement, 2016)
    assert len(goals) == 7
    values = {o.indicator.measure: o.value for g in goals for o in g.outcomes}
    assert set(values) >= {Measure.GUARDIAN_IN_TIME, Measure.AFTER_18_IN_TIME}
    assert all(value is not None for value in values.values())


def test_the_colleagues_of_2015_are_in_the_records_not_logins(loaded, db):
    from tillsammans.minors.models import ChildCase

    # given the four case workers who held the cases
    holders = User.objects.filter(child_cases__isnull=False).distinct()
    # then one is the demo's case-worker login, the others cannot log in
    assert holders.count() == 4
    logins = {login.email for login in demo.LOGINS}
    assert [u.email in logins for u in holders].count(True) == 1
    assert all(u.has_usable_password() == (u.email in logins) for u in holders)
    assert ChildCase.objects.filter(case_worker__email__in=logins).exists()


def test_its_logins_can_try_the_minors_pages_of_today(loaded, db):
    from tillsammans.minors import access as minors_access
    from tillsammans.minors.selectors import turning_18

    # given the demo's case worker, Skyddsvärnet's staff, Stadsmissionen's staff and
    # Räddningsmissionen's staff
    worker = User.objects.get(email="socialsekreterare@demo.tillsammans.example")
    home = User.objects.get(email="personal.skyddsvarnet@demo.tillsammans.example")
    service = User.objects.get(email="personal.stadsmissionen@demo.tillsammans.example")
    helper = User.objects.get(email="vardhem.raddningsmissionen@demo.tillsammans.example")
    # then the case worker holds three open cases, one of them on the turning-18 list, one
    # waiting for a place; the home houses two; Stadsmissionen's homework help has two
    open_cases = minors_access.visible_cases(worker).filter(closed_on__isnull=True)
    assert open_cases.count() == 3
    turning = turning_18(open_cases, timezone.localdate())
    assert len(turning) == 1
    assert minors_access.visible_cases(home).count() == 2
    assert minors_access.service_enrolments(service).count() == 2
    # and Stadsmissionen's mentor meets the one turning 18 now; Räddningsmissionen helps the
    # other placed one with his family reunification; neither organisation sees a case
    linked = [link.case for link in minors_access.volunteer_links(service)]
    assert linked == [turning[0].case]
    helped = minors_access.visible_reunifications(helper).filter(closed_on__isnull=True)
    assert helped.count() == 1
    assert helped.get().case in minors_access.visible_cases(home).exclude(pk=linked[0].pk)
    assert not minors_access.visible_cases(service).exists()
    assert not minors_access.visible_cases(helper).exists()


def test_a_god_mans_appointment_ends_when_the_young_person_turns_18(loaded, db):
    from tillsammans.minors.models import GuardianAppointment
    from tillsammans.minors.selectors import eighteenth_birthday

    # given the guardians of the children of 2015–2016
    appointments = GuardianAppointment.objects.filter(
        case__opened_on__year__lt=2017
    ).select_related("case__person")
    # then none is still open, and each ended on the 18th birthday (or on the day of an
    # appointment made just after it, for a child who arrived days before turning 18)
    assert appointments.exists()
    assert not appointments.filter(ended_on__isnull=True).exists()
    assert all(
        a.ended_on == max(eighteenth_birthday(a.case.person.birth_date), a.appointed_on)
        for a in appointments
    )


def test_the_minors_annual_report_shows_what_its_partners_did_not_a_column_of_zeros(
    client, loaded, db
):

    # given the demo's coordinator and the annual reports of both partnerships
    client.force_login(User.objects.get(email=demo.LOGINS[0].email))
    minors = Agreement.objects.get(starts_on__year=2015)
    reception = Agreement.objects.get(starts_on__year=2022)
    # when each is opened
    page_2016 = client.get(reverse("annual_report", args=[minors.public_id, 2016, "sv"])).text
    page_2022 = client.get(reverse("annual_report", args=[reception.public_id, 2022, "sv"])).text
    # then 2022 lists the food coupons and host homes the partners gave; the minors'
    # partnership, which had neither, has no such heading or rows
    assert "Vad partnerna bidrog med" in page_2022
    assert "Utdelade matkuponger" in page_2022
    assert "Vad partnerna bidrog med" not in page_2016
    assert "Utdelade matkuponger" not in page_2016
    assert "Karriärkraft" in page_2016
    # and no "people in work": Jobbstart, Skyddsvärnet's job programme, began in 2022
    assert "personer i arbete" in page_2022.lower()
    assert "personer i arbete" not in page_2016.lower()


def test_a_demo_persons_register_extract_reads_back_with_who_read_their_data(loaded, db):
    # given a demo household that partner staff opened, and the demo's coordinator
    from tillsammans.people.models import Household

    staff = User.objects.get(email=f"personal.skyddsvarnet@{demo.EMAIL_DOMAIN}")
    household = Household.objects.filter(
        stays__ended_on__isnull=True, stays__unit__site__organisation__slug="skyddsvarnet"
    ).first()
    person = household.persons.order_by("birth_date").first()
    reader = Client()
    reader.force_login(staff)
    assert reader.get(reverse("household_detail", args=[household.public_id])).status_code == 200
    client = Client()
    client.force_login(User.objects.get(email=demo.LOGINS[0].email))
    # when the coordinator makes the person's extract in Swedish, by the worker
    pdf = made_by_worker(
        client, reverse("extract_start", args=[person.public_id]),
        {"language": "sv", "asked_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    from tests.pdf import pdf_text

    text = "".join(pdf_text(pdf.content).split())
    # then it holds the person, their household's stays and who read their data, and when
    assert "Registerutdrag" in text and person.first_name in text
    assert household.reference in text and "Boendeperioder" in text
    assert staff.email in text and "visadhushålletssida" in text
