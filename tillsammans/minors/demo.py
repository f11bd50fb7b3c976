"""The demo "Göteborg 2015–2016": the partnership for unaccompanied children (seeds 003, 004).

Run after ``partnership.demo`` (the agreement and its organisations) and
``training.minors_demo`` (the trainings). HVB homes of the parties, 100 places from March 2015
and 200 from March 2016, under licences (two first under the city's licence as its
contractor, then their own) and asylum homes that become residence-permit homes; supported
housing from 2016. Synthetic young people of 13–17 on arrival, mostly boys, from Afghanistan,
Syria, Somalia and Eritrea, are received through the product's own services in the order of
the days: registered by four case workers, given guardians, decided for and placed under the
one rule, their ages revised, followed with plans, volunteers, services, summer internships
and family reunification, decided for at 18 and moved on. The agreement ended with 2016:
its homes closed but Skyddsvärnet's two, which went on; the young people in the closed ones
moved to the city's own homes; every case of those years is closed by today. Three young
people of today live in HVB Bryggan or wait for a place, so that the case worker's login has
work to do, and Stadsmissionen's staff a child in their homework help. Names, dates and
numbers are invented; the organisations are the seeds'.
"""

import datetime as dt
import heapq
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tillsammans.addedvalues.models import Eligibility, Service, ServiceCategory
from tillsammans.addedvalues.services import service_create
from tillsammans.core.lib.dates import age_on
from tillsammans.core.models import User
from tillsammans.finance.models import RateKind, Scheme
from tillsammans.finance.services import rate_create
from tillsammans.housing.models import HomeUse, LicenceSex, SiteKind, Unit
from tillsammans.housing.services import licence_save, site_create, site_use_record, unit_create
from tillsammans.partnership.models import Agreement, Membership, Organisation, Role
from tillsammans.reception.models import ExitReason, PlacementDecision
from tillsammans.training.services import volunteer_create

from . import names, services
from .models import (
    AfterEighteen,
    ChildCase,
    ChildVolunteer,
    PlanArea,
    ReunificationStep,
    VolunteerKind,
)
from .selectors import eighteenth_birthday

EMAIL_DOMAIN = "demo.tillsammans.example"
STARTS = dt.date(2015, 3, 1)
EXTENDED = dt.date(2016, 3, 1)
ENDS = dt.date(2017, 1, 1)  # the first day after the agreement: the homes close
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class HomeSpec:
    org: str
    name: str
    kind: str
    district: str
    opens_on: dt.date
    places: int
    sex: str
    min_age: int
    city_licence_until: dt.date | None = None  # the city held the licence, as contractor
    residence_from: dt.date | None = None  # becomes a residence-permit home
    continues: bool = False  # still open today, after the agreement


HVB, SUPPORTED = SiteKind.HVB, SiteKind.SUPPORTED
MALE, FEMALE, ANY = LicenceSex.MALE, LicenceSex.FEMALE, LicenceSex.ANY
HOMES = [
    HomeSpec("raddningsmissionen", "HVB Ankaret", HVB, "Majorna", STARTS, 20, MALE, 13,
             residence_from=dt.date(2016, 6, 1)),
    HomeSpec("bracke-diakoni", "HVB Linnea", HVB, "Lundby", STARTS, 20, MALE, 13,
             city_licence_until=dt.date(2015, 12, 31)),
    HomeSpec("individuell-manniskohjalp", "HVB Kompassen", HVB, "Angered", STARTS, 20, MALE,
             15),
    HomeSpec("skyddsvarnet", "HVB Bryggan", HVB, "Centrum", STARTS, 20, ANY, 13,
             city_licence_until=dt.date(2015, 12, 31), residence_from=dt.date(2016, 9, 1),
             continues=True),
    HomeSpec("reningsborg", "HVB Solrosen", HVB, "Västra Frölunda", STARTS, 12, FEMALE, 13),
    HomeSpec("reningsborg", "HVB Vinden", HVB, "Västra Frölunda", STARTS, 8, MALE, 15),
    HomeSpec("stadsmissionen", "HVB Fyren", HVB, "Gamlestaden", EXTENDED, 24, MALE, 13,
             residence_from=dt.date(2016, 10, 1)),
    HomeSpec("raddningsmissionen", "HVB Kajen", HVB, "Majorna", EXTENDED, 24, MALE, 15),
    HomeSpec("individuell-manniskohjalp", "HVB Kompassen Flickor", HVB, "Angered", EXTENDED,
             12, FEMALE, 13),
    HomeSpec("bracke-diakoni", "Stödboende Linnea", SUPPORTED, "Lundby", EXTENDED, 20, ANY, 16),
    HomeSpec("skyddsvarnet", "Stödboende Bryggan", SUPPORTED, "Centrum", EXTENDED, 20, ANY, 16,
             continues=True),
]  # fmt: skip

# Arrivals per month (seed 004: the autumn of 2015), within the places the homes have.
ARRIVALS = {
    (2015, 3): 10, (2015, 4): 8, (2015, 5): 6, (2015, 6): 6, (2015, 7): 6, (2015, 8): 8,
    (2015, 9): 14, (2015, 10): 18, (2015, 11): 18, (2015, 12): 10, (2016, 1): 6, (2016, 2): 6,
    (2016, 3): 22, (2016, 4): 16, (2016, 5): 12, (2016, 6): 10, (2016, 7): 8, (2016, 8): 8,
    (2016, 9): 10, (2016, 10): 8, (2016, 11): 4,
}  # fmt: skip
COUNTRIES = [  # country, share, script, languages
    ("Afghanistan", 58, "arabic", ["prs"]), ("Afghanistan", 8, "arabic", ["ps"]),
    ("Syria", 14, "arabic", ["ar"]), ("Somalia", 11, "somali", ["so"]),
    ("Eritrea", 9, "geez", ["ti"]),
]  # fmt: skip
AGES = {13: 4, 14: 9, 15: 22, 16: 36, 17: 29}
FEMALE_NAMES = {"فاطمه", "زینب", "ሰላም", "Hodan", "Faadumo"}
CASE_WORKERS = [
    ("socialsekreterare", "Socialsekreterare", "Demo"),
    ("socialsekreterare.2", "Maria", "Lindqvist"),
    ("socialsekreterare.3", "Johan", "Berg"),
    ("socialsekreterare.4", "Sara", "Nyström"),
]
GUARDIANS = [
    "Karin Andersson", "Lars Johansson", "Birgitta Karlsson", "Per Nilsson", "Eva Eriksson",
    "Anders Larsson", "Kerstin Olsson", "Mats Persson", "Ingrid Svensson", "Göran Gustafsson",
    "Anna Pettersson", "Bengt Jonsson", "Margareta Hansson", "Leif Bengtsson", "Ulla Lindberg",
]  # fmt: skip
# The catalogue's services for the children: organisation, name, category, confidential.
SERVICES = [
    ("roda-korset", "Läxhjälp för ensamkommande", ServiceCategory.CHILDREN, False),
    ("roda-korset", "Efterforskning och familjeåterförening",
     ServiceCategory.FAMILY_REUNIFICATION, False),
    ("radda-barnen", "Psykologstöd för barn och unga", ServiceCategory.HEALTH, True),
    ("radda-barnen", "Fritidsvolontärer", ServiceCategory.LEISURE, False),
    ("individuell-manniskohjalp", "Kontaktfamiljer", ServiceCategory.CHILDREN, False),
    ("stadsmissionen", "Faddrar", ServiceCategory.CHILDREN, False),
    ("karriarkraft", "Arbetsträning", ServiceCategory.WORK, False),
    ("karriarkraft", "Sommarpraktik", ServiceCategory.WORK, False),
]  # fmt: skip
# Volunteers who work with children: organisation, kind, service of their meetings, count.
VOLUNTEERS = [
    ("individuell-manniskohjalp", VolunteerKind.CONTACT_FAMILY, "Kontaktfamiljer", 8),
    ("radda-barnen", VolunteerKind.LEISURE, "Fritidsvolontärer", 8),
    ("stadsmissionen", VolunteerKind.MENTOR, "Faddrar", 10),
]
VOLUNTEER_ALIASES = ["Anna", "Erik", "Lena", "Olle", "Sofia", "Jonas", "Maja", "Nils", "Elin",
                     "Oskar", "Ida", "Hugo"]  # fmt: skip
SUMMER_PLACES = [  # workplace, tasks, district, weeks from 20 June, weeks, places, from age
    ("Stadsbiblioteket", "Bokhantering och läsfrämjande", "Centrum", 0, 4, 3, 15),
    ("Park- och naturförvaltningen", "Skötsel av parker", "Hisingen", 0, 6, 4, 16),
    ("Göteborgs Hamn", "Kontorsstöd", "Arendal", 2, 4, 2, 17),
    ("Ica Nära Majorna", "Butiksarbete", "Majorna", 1, 4, 2, 16),
    ("Universeum", "Värdskap för besökare", "Centrum", 0, 3, 3, 15),
    ("Västtrafik", "Kundtjänst", "Centrum", 2, 3, 1, 17),
    ("Bräcke diakoni, äldreboende", "Aktiviteter med äldre", "Lundby", 0, 4, 3, 16),
    ("Reningsborg", "Second hand-butik", "Västra Frölunda", 0, 6, 4, 15),
    ("Göteborgs Stad, fritidsgårdar", "Sommarlovsaktiviteter", "Angered", 1, 5, 4, 15),
    ("Bygg & Fastighet Väst", "Bygg och underhåll", "Gamlestaden", 2, 4, 2, 17),
    ("Restaurang Kajskjul", "Kök och disk", "Centrum", 0, 4, 2, 16),
    ("Slottsskogen", "Djurskötsel", "Linnéstaden", 0, 6, 2, 15),
]  # fmt: skip
# Invented money: the partners' price per occupied night (HVB, supported housing), and the
# state's compensation for unaccompanied minors per night (under 18, 18–20).
PARTNER_NIGHT = {SiteKind.HVB: 1750, SiteKind.SUPPORTED: 950}
STATE_NIGHT = {RateKind.UNACCOMPANIED_CHILD: 1900, RateKind.UNACCOMPANIED_YOUNG: 750}


@dataclass
class Home:
    spec: HomeSpec
    units: list[Unit]
    taken: dict[int, dt.date] = field(default_factory=dict)  # unit id -> day it frees

    def open_on(self, day: dt.date) -> bool:
        return self.spec.opens_on <= day and (self.spec.continues or day < ENDS)

    def free_unit(self, day: dt.date) -> Unit | None:
        return next((u for u in self.units if self.taken.get(u.pk, day) <= day), None)


@dataclass
class Child:
    case: ChildCase
    home: Home
    unit: Unit
    decision: PlacementDecision
    birth: dt.date  # the final date of birth (after a revision)
    sex: str
    left: bool = False
    decided_18: bool = False
    guardian: Any = None  # the god man, whose appointment ends at 18


class MinorsDemo:
    def __init__(self, rng: random.Random, agreement: Agreement) -> None:
        self.rng = rng
        self.agreement = agreement
        self.orgs = {o.slug: o for o in Organisation.objects.all()}
        coordinator = Membership.objects.filter(role=Role.COORDINATOR).select_related("user")
        self.coordinator = coordinator.order_by("id").first().user  # type: ignore[union-attr]
        # The colleagues of 2015 are in the records (they registered, decided, recorded),
        # not demo logins: they have no password (the logins are ``reporting.demo.LOGINS``).
        self.password = make_password(None)
        self.case_workers = [self._user(*spec, "goteborgs-stad", Role.CASE_WORKER)
                             for spec in CASE_WORKERS]  # fmt: skip
        self.homes: list[Home] = []
        self.services: dict[str, Service] = {}
        self.volunteers: dict[str, list[ChildVolunteer]] = {}
        self.events: list[tuple[dt.date, int, str, Any]] = []
        self.counter = 0
        self._staff: dict[str, User] = {}

    # -- people of the partnership --------------------------------------------------------

    def _user(self, local: str, first: str, last: str, org: str, role: str) -> User:
        user, created = User.objects.get_or_create(
            email=f"{local}@{EMAIL_DOMAIN}",
            defaults={"first_name": first, "last_name": last, "password": self.password},
        )
        if created or not Membership.objects.filter(user=user).exists():
            Membership.objects.create(user=user, organisation=self.orgs[org], role=role)
        return user

    def staff(self, org: str) -> User:
        if org not in self._staff:
            self._staff[org] = self._find_staff(org)
        return self._staff[org]

    def _find_staff(self, org: str) -> User:
        found = (
            Membership.objects.filter(
                organisation=self.orgs[org], role__in=(Role.PARTNER_STAFF, Role.PARTNER_ADMIN)
            )
            .select_related("user")
            .order_by("-role", "id")
            .first()
        )
        if found is not None:
            return found.user
        return self._user(f"personal.{org}", "Personal", "Demo", org, Role.PARTNER_STAFF)

    def admin(self, org: str) -> User:
        found = Membership.objects.filter(
            organisation=self.orgs[org], role=Role.PARTNER_ADMIN
        ).first()
        if found is not None:
            return found.user
        return self._user(f"admin.{org}", "Partneradmin", "Demo", org, Role.PARTNER_ADMIN)

    # -- the homes, the catalogue and the money -------------------------------------------

    def build(self) -> None:
        for spec in HOMES:
            site = site_create(
                actor=self.coordinator, organisation=self.orgs[spec.org],
                agreement=self.agreement, name=spec.name, kind=spec.kind,
                district=spec.district, opens_on=spec.opens_on,
                closes_on=None if spec.continues else ENDS,
            )  # fmt: skip
            prefix = "Rum" if spec.kind == HVB else "Lgh"
            units = [
                unit_create(
                    actor=self.coordinator,
                    site=site,
                    beds=1,
                    beds_from=site.opens_on,
                    name=f"{prefix} {n}",
                    children_ok=True,
                )
                for n in range(1, spec.places + 1)
            ]
            number = f"IVO 3.5.1-{self.rng.randrange(10000, 99999)}/{spec.opens_on.year}"
            licence: dict[str, Any] = {
                "number": number, "min_age": spec.min_age, "max_age": 20, "sex": spec.sex,
                "places": spec.places, "valid_from": spec.opens_on,
            }  # fmt: skip
            if spec.city_licence_until:
                licence_save(
                    actor=self.coordinator, site=site, **licence,
                    holder=self.orgs["goteborgs-stad"], valid_to=spec.city_licence_until,
                )  # fmt: skip
                licence |= {
                    "number": f"IVO 3.5.1-{self.rng.randrange(10000, 99999)}/2016",
                    "valid_from": spec.city_licence_until + DAY,
                }
            licence_save(actor=self.coordinator, site=site, **licence, holder=site.organisation)
            if spec.kind == HVB:
                site_use_record(
                    actor=self.coordinator, site=site, use=HomeUse.ASYLUM,
                    valid_from=spec.opens_on,
                )  # fmt: skip
                if spec.residence_from:
                    site_use_record(
                        actor=self.coordinator, site=site, use=HomeUse.RESIDENCE,
                        valid_from=spec.residence_from,
                    )  # fmt: skip
            self.homes.append(Home(spec, units))
        for org, name, category, confidential in SERVICES:
            self.services[name] = service_create(
                actor=self.admin(org), name_sv=name, category=category,
                agreement=self.agreement, eligibility=Eligibility.ANYONE, is_published=False,
                notes_confidential=confidential,
            )  # fmt: skip
        for org, kind, _service, count in VOLUNTEERS:
            staff = self.staff(org)
            made = []
            for alias in self.rng.sample(VOLUNTEER_ALIASES, count):
                volunteer = volunteer_create(actor=staff, alias=alias, helps_with=str(kind.label))
                made.append(
                    services.child_volunteer_record(
                        actor=staff,
                        volunteer=volunteer,
                        kind=kind,
                        record_issued_on=STARTS - 30 * DAY,
                    )
                )
            self.volunteers[org] = made
        for site_kind, amount in PARTNER_NIGHT.items():
            rate_create(
                actor=self.coordinator, agreement=self.agreement, scheme=Scheme.PARTNER,
                kind=RateKind.PLACE_NIGHT, amount=Decimal(amount), valid_from=STARTS,
                site_kind=site_kind,
            )  # fmt: skip
        for rate_kind, amount in STATE_NIGHT.items():
            rate_create(
                actor=self.coordinator, agreement=self.agreement, scheme=Scheme.STATE,
                kind=rate_kind, amount=Decimal(amount), valid_from=STARTS,
            )  # fmt: skip

    # -- the days ---------------------------------------------------------------------------

    def at(self, day: dt.date, kind: str, payload: Any) -> None:
        self.counter += 1
        heapq.heappush(self.events, (day, self.counter, kind, payload))

    def run(self) -> int:
        for (year, month), count in ARRIVALS.items():
            for _ in range(count):
                day = dt.date(year, month, self.rng.randint(1, 28))
                self.at(day, "arrive", None)
        self.at(dt.date(2016, 5, 16), "summer", None)
        self.at(ENDS, "end", None)
        self.children: list[Child] = []
        while self.events:
            day, _n, kind, payload = heapq.heappop(self.events)
            getattr(self, f"_{kind}")(day, payload)
        return len(self.children)

    def _person(self) -> tuple[dict[str, Any], str]:
        rng = self.rng
        country, _share, script, languages = rng.choices(COUNTRIES, [c[1] for c in COUNTRIES])[0]
        female = rng.random() < 0.14
        if script == "somali":
            somali = [n for n in names.SOMALI_FIRST if (n in FEMALE_NAMES) == female]
            written = {"first_name": rng.choice(somali), "last_name": rng.choice(names.SOMALI_LAST)}
        else:
            pool_first, pool_last = (
                (names.ARABIC_FIRST, names.ARABIC_LAST)
                if script == "arabic"
                else (names.GEEZ_FIRST, names.GEEZ_LAST)
            )
            firsts = [pair for pair in pool_first if (pair[0] in FEMALE_NAMES) == female]
            (first, first_latin), (last, last_latin) = rng.choice(firsts), rng.choice(pool_last)
            written = {
                "first_name": first, "last_name": last, "first_name_latin": first_latin[0],
                "last_name_latin": last_latin[0],
            }  # fmt: skip
        return {**written, "sex": "female" if female else "male", "languages": languages}, country

    def _arrive(self, day: dt.date, _payload: Any) -> None:
        rng = self.rng
        person, _country = self._person()
        age = rng.choices(list(AGES), list(AGES.values()))[0]
        birth = day - dt.timedelta(days=round(age * 365.25) + rng.randrange(5, 360))
        home = self._home_for(person["sex"], age_on(birth, day), day)
        if home is None:
            return  # every place taken: the city placed the child outside the partnership
        unit = home.free_unit(day)
        assert unit is not None
        worker = rng.choice(self.case_workers)
        case = services.child_register(
            actor=worker, birth_date=birth, basis="stated", allocated_on=day,
            migration_case_number=f"{rng.randrange(10**7, 10**8)}", **person,
        )  # fmt: skip
        services.asylum_status_record(
            actor=worker, case=case, status="asylum_seeker", valid_from=day
        )
        guardian = services.guardian_appoint(
            actor=worker, case=case, kind="god_man", name=rng.choice(GUARDIANS),
            appointed_on=day + rng.randint(2, 21) * DAY,
            phone=f"070-{rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
        )  # fmt: skip
        decision = services.decision_record(
            actor=worker, case=case, site=home.units[0].site, decided_on=day, valid_from=day,
            reference=f"SRF-{day.year}-{rng.randrange(1000, 9999)}",
        )  # fmt: skip
        services.child_place(actor=worker, case=case, unit=unit, on=day)
        home.taken[unit.pk] = dt.date.max
        child = Child(case, home, unit, decision, birth, person["sex"], guardian=guardian)
        self.children.append(child)
        for area, goal in (
            (PlanArea.SCHOOL, "Börja i förberedelseklass"),
            (PlanArea.LANGUAGE, "Svenska varje dag, också på fritiden"),
        ) + (((PlanArea.HEALTH, "Hälsoundersökning och tandvård"),) if rng.random() < 0.5 else ()):
            planned = services.plan_goal_add(
                actor=worker, case=case, area=area, goal=goal, follow_up_on=day + 90 * DAY
            )
            self.at(day + rng.randint(85, 110) * DAY, "follow_up", (child, planned))
        if rng.random() < 0.6:
            self.at(day + rng.randint(200, 520) * DAY, "permit", child)
        if rng.random() < 0.15:
            self.at(day + rng.randint(60, 240) * DAY, "revise", child)
        if rng.random() < 0.4:
            self.at(day + rng.randint(20, 90) * DAY, "link", child)
        if rng.random() < 0.3:
            self.at(day + rng.randint(14, 60) * DAY, "enrol", (child, "Läxhjälp för ensamkommande"))
        if rng.random() < 0.15:
            self.at(
                day + rng.randint(30, 120) * DAY, "enrol", (child, "Psykologstöd för barn och unga")
            )
        if rng.random() < 0.1:
            self.at(day + rng.randint(30, 120) * DAY, "reunite", child)
        self.at(eighteenth_birthday(birth), "eighteen", child)

    def _home_for(self, sex: str, age: int, day: dt.date) -> Home | None:
        fitting = [
            home for home in self.homes
            if home.spec.kind == HVB and home.open_on(day)
            and home.spec.min_age <= age and home.spec.sex in (ANY, sex)
            and home.free_unit(day) is not None
        ]  # fmt: skip
        return self.rng.choice(fitting) if fitting else None

    def _follow_up(self, day: dt.date, payload: Any) -> None:
        child, goal = payload
        if child.left:
            return
        outcome = self.rng.choice(
            ["Går bra, fortsätter", "Delvis uppnått, nytt delmål", "Uppnått", "Behöver mer stöd"]
        )
        services.plan_goal_follow_up(
            actor=child.case.case_worker, goal=goal, followed_up_on=day, outcome=outcome
        )

    def _permit(self, day: dt.date, child: Child) -> None:
        if child.left:
            return  # the case is closed, or follows the young person elsewhere
        worker = child.case.case_worker
        roll = self.rng.random()
        if roll < 0.15:
            services.asylum_status_record(actor=worker, case=child.case, status="refused",
                                          valid_from=day)  # fmt: skip
            return
        permanent = roll > 0.7
        services.asylum_status_record(
            actor=worker, case=child.case,
            status="permanent_permit" if permanent else "temporary_permit", valid_from=day,
            permit_valid_to=None if permanent else day + 396 * DAY,
        )  # fmt: skip

    def _revise(self, day: dt.date, child: Child) -> None:
        if child.left or child.decided_18:
            return
        older = child.birth - 365 * DAY
        # Assessed older when it keeps them a child for another quarter; younger otherwise.
        revised = older if age_on(older, day + 90 * DAY) < 18 else child.birth + 365 * DAY
        services.birth_date_record(
            actor=child.case.case_worker, case=child.case, birth_date=revised,
            basis="revised", decided_on=day,
        )  # fmt: skip
        child.birth = child.case.person.birth_date = revised
        self.at(eighteenth_birthday(revised), "eighteen", child)  # the old day is stale now

    def _link(self, day: dt.date, child: Child) -> None:
        if child.left:
            return
        org, _kind, service_name, _count = self.rng.choice(
            [v for v in VOLUNTEERS if self.orgs[v[0]].slug != "stadsmissionen" or day >= EXTENDED]
        )
        volunteer = self.rng.choice(self.volunteers[org])
        staff = self.staff(org)
        if (day - volunteer.record_issued_on).days > 300:
            volunteer = services.child_volunteer_record(
                actor=staff, volunteer=volunteer.volunteer, kind=volunteer.kind,
                record_issued_on=day - self.rng.randint(5, 40) * DAY,
            )  # fmt: skip
            self.volunteers[org] = [
                volunteer if v.pk == volunteer.pk else v for v in self.volunteers[org]
            ]
        link = services.volunteer_link(
            actor=child.case.case_worker, case=child.case, volunteer=volunteer, starts_on=day,
            child_agreed_on=day - DAY, guardian_agreed_on=day - 2 * DAY,
        )  # fmt: skip
        for week in range(2, 2 + 2 * self.rng.randint(2, 6), 2):
            self.at(day + week * 7 * DAY, "meeting", (child, link, service_name, org))

    def _meeting(self, day: dt.date, payload: Any) -> None:
        child, link, service_name, org = payload
        if child.left or day >= ENDS:
            return
        services.meeting_record(
            actor=self.staff(org), link=link, service=self.services[service_name], on=day
        )

    def _enrol(self, day: dt.date, payload: Any) -> None:
        child, service_name = payload
        if child.left or day >= ENDS:
            return
        service = self.services[service_name]
        enrolment = services.service_enrol(
            actor=child.case.case_worker, case=child.case, service=service, starts_on=day,
            guardian_agreed_on=day - DAY,
        )  # fmt: skip
        notes = (
            ["Samtal om sömn och oro", "Uppföljning, mår bättre", "Samtal om familjen"]
            if service.notes_confidential
            else ["Matematik", "Svenska, läsförståelse", "Engelska", "Läxor i SO"]
        )
        for week in range(1, self.rng.randint(4, 10)):
            self.at(day + week * 7 * DAY, "session", (child, enrolment, self.rng.choice(notes)))

    def _session(self, day: dt.date, payload: Any) -> None:
        child, enrolment, note = payload
        if child.left or day >= ENDS:
            return
        services.session_record(
            actor=self.staff(enrolment.service.organisation.slug), enrolment=enrolment, on=day,
            note=note,
        )  # fmt: skip

    def _summer(self, day: dt.date, _payload: Any) -> None:
        """Karriärkraft's summer coordinator has hunted places since April (seed 004)."""
        coordinator = self.staff("karriarkraft")
        service = self.services["Sommarpraktik"]
        summer = dt.date(2016, 6, 20)
        places = [
            services.summer_place_record(
                actor=coordinator,
                service=service,
                employer=employer,
                tasks=tasks,
                area=area,
                starts_on=summer + 7 * start * DAY,
                ends_on=summer + (7 * (start + weeks) - 3) * DAY,
                places=count,
                min_age=min_age,
                contact=self._contact(),
            )
            for employer, tasks, area, start, weeks, count, min_age in SUMMER_PLACES
        ]
        young = [c for c in self.children if not c.left and age_on(c.birth, summer) >= 15]
        self.rng.shuffle(young)
        for child in young:
            free = [
                p for p in places
                if p.enrolments.count() < p.places and age_on(child.birth, p.starts_on) >= p.min_age
            ]  # fmt: skip
            if not free or self.rng.random() < 0.4:
                continue
            enrolment = services.service_enrol(
                actor=child.case.case_worker, case=child.case, service=service,
                starts_on=summer, guardian_agreed_on=day, summer_place=self.rng.choice(free),
            )  # fmt: skip
            # The internship is recorded as Karriärkraft's delivery on its first day.
            self.at(enrolment.starts_on, "session", (child, enrolment, "Första praktikdagen"))

    def _mothers_name(self, child: str) -> str:
        """A woman's first name written in the child's script."""
        if any("\u1200" <= c <= "\u137f" for c in child):
            return "ሰላም"
        if any("\u0600" <= c <= "\u06ff" for c in child):
            return self.rng.choice(["فاطمه", "زینب"])
        return self.rng.choice(["Hodan", "Faadumo"])

    def _contact(self) -> str:
        return f"{self.rng.choice(GUARDIANS).split()[0]}, 031-{self.rng.randrange(10**5, 10**6)}"

    def _reunite(self, day: dt.date, child: Child) -> None:
        if child.left:
            return
        rng, case = self.rng, child.case
        helper = self.staff("roda-korset")
        reunification = services.reunification_open(
            actor=case.case_worker, case=case, helped_by=self.orgs["roda-korset"], opened_on=day
        )
        mother = services.relative_add(
            actor=helper, reunification=reunification, relation="mother",
            name=f"{self._mothers_name(case.person.first_name)} {case.person.last_name}",
            last_known_place=rng.choice(["Kabul", "Herat", "Aleppo", "Mogadishu", "Asmara",
                                         "Teheran", "Kassala"]),
        )  # fmt: skip

        def step(kind: str, on: dt.date, **extra: Any) -> bool:
            if on > dt.date(2025, 12, 31):
                return False
            services.reunification_step(
                actor=helper, reunification=reunification, step=kind, on=on, **extra
            )
            return True

        on = day + rng.randint(5, 20) * DAY
        step(ReunificationStep.TRACING_REQUESTED, on, reference=f"RK-{rng.randrange(10**5, 10**6)}")
        if rng.random() < 0.5:
            step(ReunificationStep.CLOSED, on + rng.randint(200, 500) * DAY,
                 note="Ingen anhörig hittad")  # fmt: skip
            return
        on += rng.randint(60, 240) * DAY
        step(ReunificationStep.RELATIVE_FOUND, on, relative=mother)
        on += rng.randint(20, 60) * DAY
        step(ReunificationStep.APPLICATION_SUBMITTED, on,
             reference=f"{rng.randrange(10**7, 10**8)}")  # fmt: skip
        on += rng.randint(150, 300) * DAY
        granted = rng.random() < 0.6
        step(ReunificationStep.GRANTED if granted else ReunificationStep.REFUSED, on)
        if granted:
            on += rng.randint(60, 120) * DAY
            step(ReunificationStep.FAMILY_ARRIVED, on)
        step(ReunificationStep.CLOSED, on + 14 * DAY)

    def _eighteen(self, day: dt.date, child: Child) -> None:
        if child.left or day != eighteenth_birthday(child.birth):
            return  # gone, or the date of birth was revised since
        case, worker, rng = child.case, child.case.case_worker, self.rng
        if not child.home.open_on(day):
            return  # left the partnership's homes at its end (``_end``)
        choice = rng.choices(
            [AfterEighteen.CONTINUE, AfterEighteen.SUPPORTED, AfterEighteen.OWN_HOUSING],
            [35, 45, 20],
        )[0]
        supported = [
            h for h in self.homes
            if h.spec.kind == SUPPORTED and h.open_on(day) and h.free_unit(day)
        ]  # fmt: skip
        if choice == AfterEighteen.SUPPORTED and not supported:
            choice = AfterEighteen.CONTINUE
        decided = max(day - rng.randint(20, 80) * DAY, case.opened_on)
        services.after_18_record(actor=worker, case=case, after_18=choice, decided_on=decided)
        child.decided_18 = True
        self._guardian_ends(child, day)
        if choice == AfterEighteen.OWN_HOUSING:
            self._leave(day, child, ExitReason.OWN_HOUSING)
            return
        home = rng.choice(supported) if choice == AfterEighteen.SUPPORTED else child.home
        decision = services.decision_record(
            actor=worker, case=case, site=home.units[0].site, decided_on=decided,
            valid_from=day, continued_after_18=True,
        )  # fmt: skip
        if home is not child.home:
            unit = home.free_unit(day)
            assert unit is not None
            services.child_move(actor=worker, case=case, unit=unit, on=day)
            child.home.taken[child.unit.pk] = day
            services.decision_end(actor=worker, decision=child.decision, valid_to=day - DAY)
            home.taken[unit.pk] = dt.date.max
            child.home, child.unit = home, unit
        else:
            services.decision_end(actor=worker, decision=child.decision, valid_to=day - DAY)
        child.decision = decision
        self.at(day + rng.randint(120, 500) * DAY, "move_on", child)

    def _guardian_ends(self, child: Child, birthday: dt.date) -> None:
        """A god man's appointment ends when the young person turns 18."""
        if child.guardian is not None:
            services.guardian_end(
                actor=child.case.case_worker, appointment=child.guardian,
                ended_on=max(birthday, child.guardian.appointed_on),
            )  # fmt: skip

    def _move_on(self, day: dt.date, child: Child) -> None:
        if not child.left and child.home.open_on(day):
            self._leave(day, child, ExitReason.OWN_HOUSING)

    def _leave(self, day: dt.date, child: Child, reason: str, close: bool = True) -> None:
        worker = child.case.case_worker
        services.child_leave(actor=worker, case=child.case, on=day, reason=reason)
        services.decision_end(actor=worker, decision=child.decision, valid_to=day - DAY)
        child.home.taken[child.unit.pk] = day
        child.left = True
        if close:
            services.case_close(actor=worker, case=child.case, closed_on=day)

    def _end(self, day: dt.date, _payload: Any) -> None:
        """The agreement ends: those still in its homes move to the city's own homes; the
        cases of those under 18 stay open until the decision for 18 and a later close."""
        for child in self.children:
            if child.left or child.home.spec.continues:
                continue  # gone, or in a home that goes on after the agreement
            adult = age_on(child.birth, day) >= 18
            self._leave(day, child, ExitReason.OTHER, close=adult)
            if adult:
                continue
            birthday = eighteenth_birthday(child.birth)
            worker = child.case.case_worker
            services.after_18_record(
                actor=worker, case=child.case, after_18=AfterEighteen.CONTINUE,
                decided_on=max(birthday - 45 * DAY, day),
            )  # fmt: skip
            self._guardian_ends(child, birthday)
            services.case_close(
                actor=worker, case=child.case,
                closed_on=birthday + self.rng.randint(180, 900) * DAY,
            )  # fmt: skip


TODAY_CHILDREN = [  # written, Latin, sex, languages, age in days, arrived days ago, placed
    (("مصطفی", "حیدری"), ("Mustafa", "Heidari"), "male", ["prs"], 15 * 365 + 100, 40, True),
    (("ዮናስ", "ተስፋይ"), ("Yonas", "Tesfay"), "male", ["ti"], 18 * 365 - 60, 220, True),
    (("Hodan", "Warsame"), ("", ""), "female", ["so"], 14 * 365 + 200, 3, False),
]  # fmt: skip


def _today_cases(demo: MinorsDemo) -> None:
    """Three young people of today, held by the demo's case-worker login: one placed in HVB
    Bryggan (the home that went on after the agreement), one turning 18 within 90 days with
    no decision yet (the work list), one just registered and waiting for a guardian, a
    decision and a place."""
    today = timezone.localdate()
    worker = demo.case_workers[0]
    bryggan = next(h for h in demo.homes if h.spec.name == "HVB Bryggan")
    homework: Service | None = None
    placed_cases: list[ChildCase] = []
    for written, latin, sex, languages, age_days, days_ago, placed in TODAY_CHILDREN:
        arrived = today - days_ago * DAY
        case = services.child_register(
            actor=worker, first_name=written[0], last_name=written[1],
            first_name_latin=latin[0], last_name_latin=latin[1], sex=sex, languages=languages,
            birth_date=today - age_days * DAY, basis="stated", allocated_on=arrived,
        )  # fmt: skip
        services.asylum_status_record(
            actor=worker, case=case, status="asylum_seeker", valid_from=arrived
        )
        if not placed:
            continue
        services.guardian_appoint(
            actor=worker, case=case, kind="god_man", name=demo.rng.choice(GUARDIANS),
            appointed_on=arrived + 4 * DAY,
        )  # fmt: skip
        services.decision_record(
            actor=worker, case=case, site=bryggan.units[0].site, decided_on=arrived,
            valid_from=arrived, reference=f"SRF-{today.year}-{demo.rng.randrange(1000, 9999)}",
        )  # fmt: skip
        unit = bryggan.free_unit(today)
        assert unit is not None
        services.child_place(actor=worker, case=case, unit=unit, on=arrived)
        bryggan.taken[unit.pk] = dt.date.max
        services.plan_goal_add(
            actor=worker, case=case, area=PlanArea.SCHOOL, goal="Börja i förberedelseklass",
            follow_up_on=today + 50 * DAY,
        )  # fmt: skip
        if homework is None:
            homework = service_create(
                actor=demo.admin("stadsmissionen"), name_sv="Läxhjälp för unga",
                category=ServiceCategory.CHILDREN, eligibility=Eligibility.ANYONE,
                is_published=False,
            )  # fmt: skip
        # Stadsmissionen's staff (a demo login) see the child in their service and record
        # its sessions: the view of a service's organisation, to try.
        enrolment = services.service_enrol(
            actor=worker, case=case, service=homework, starts_on=arrived + 14 * DAY,
            guardian_agreed_on=arrived + 10 * DAY,
        )  # fmt: skip
        for week in (1, 2):
            services.session_record(
                actor=demo.staff("stadsmissionen"), enrolment=enrolment,
                on=arrived + (14 + 7 * week) * DAY, note="Svenska och matematik",
            )  # fmt: skip
        placed_cases.append(case)
    mustafa, yonas = placed_cases
    _today_mentor(demo, yonas, today)
    _today_reunification(demo, mustafa, today)


def _today_mentor(demo: MinorsDemo, case: ChildCase, today: dt.date) -> None:
    """Stadsmissionen's staff (a demo login) keep a mentor (fadder) linked to a young person
    of today: the view of a volunteer's organisation, name and age only, to try."""
    staff = demo.staff("stadsmissionen")
    mentor = services.child_volunteer_record(
        actor=staff, volunteer=demo.volunteers["stadsmissionen"][0].volunteer,
        kind=VolunteerKind.MENTOR, record_issued_on=today - 200 * DAY,
    )  # fmt: skip
    link = services.volunteer_link(
        actor=case.case_worker, case=case, volunteer=mentor, starts_on=today - 180 * DAY,
        child_agreed_on=today - 182 * DAY, guardian_agreed_on=today - 184 * DAY,
    )  # fmt: skip
    for weeks_ago in (20, 12, 4, 1):
        services.meeting_record(
            actor=staff, link=link, service=demo.services["Faddrar"],
            on=today - 7 * weeks_ago * DAY, note="Fika och promenad",
        )  # fmt: skip


def _today_reunification(demo: MinorsDemo, case: ChildCase, today: dt.date) -> None:
    """Räddningsmissionen (demo logins) helps a young person of today to find his mother:
    the helper's view, which shows the reunification and never the case, to try."""
    helper = demo.staff("raddningsmissionen")
    reunification = services.reunification_open(
        actor=case.case_worker, case=case, helped_by=demo.orgs["raddningsmissionen"],
        opened_on=today - 30 * DAY,
    )  # fmt: skip
    services.relative_add(
        actor=helper, reunification=reunification, relation="mother",
        name=f"Fatemeh {case.person.last_name_latin}", last_known_place="Mashhad",
    )  # fmt: skip
    services.reunification_step(
        actor=helper, reunification=reunification, step=ReunificationStep.TRACING_REQUESTED,
        on=today - 25 * DAY, reference=f"RK-{demo.rng.randrange(10**5, 10**6)}",
    )  # fmt: skip


def load(rng: random.Random) -> None:
    agreement = Agreement.objects.filter(starts_on__year=2015).order_by("starts_on").first()
    if agreement is None or not Organisation.objects.filter(slug="roda-korset").exists():
        return  # not the Göteborg demo
    demo = MinorsDemo(rng, agreement)
    demo.build()
    demo.run()
    _today_cases(demo)
