"""The demo "Göteborg 2022": the partnership of the 2022 annual report, with synthetic people.

The organisations, the agreement, the 1 000 places and the 682 persons received in 2022 are
the facts of the annual report (seed 000). Every person, every staff name and every contact
is invented. A fixed random seed makes the demo the same on every load.

Arrivals, moves and move-outs are replayed day by day through the real services
(``allocation_place``, ``stay_move``, ``stay_end``), so the double-booking rules and the
audit log hold for the demo as for real work. The audit events carry the date the demo was
loaded, not the 2022 dates of the stays.
"""

import datetime as dt
import heapq
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.core.lib.identity import luhn_ok
from tillsammans.core.models import AuditAction, User
from tillsammans.housing.models import SiteKind, Unit
from tillsammans.housing.services import site_create, unit_create
from tillsammans.partnership.models import (
    Agreement,
    AgreementTarget,
    GovernanceGroup,
    GroupKind,
    GroupMember,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from tillsammans.people.models import AnchorKind, Sex
from tillsammans.people.search import passport_spelling, swedish_spelling
from tillsammans.reception.models import Allocation, ExitReason, Stay
from tillsammans.reception.services import (
    allocation_create,
    allocation_place,
    stay_end,
    stay_move,
)

SEED = 2022
PERSONS_RECEIVED = 682
TOTAL_BEDS = 1000
PASSWORD = "tillsammans-demo-2022"  # noqa: S105 -- printed for everyone on purpose: a demo login
EMAIL_DOMAIN = "demo.tillsammans.example"
FIRST_DAY = dt.date(2022, 3, 16)
LAST_DAY = dt.date(2022, 12, 31)
# The EU Temporary Protection Directive was activated on 4 March 2022; permits issued in
# 2022 ran to 4 March 2023 and were later extended to 4 March 2024.
DIRECTIVE_ACTIVATED = dt.date(2022, 3, 4)
PERMIT_UNTIL = dt.date(2023, 3, 4)
PERMIT_EXTENDED_UNTIL = dt.date(2024, 3, 4)

ORGANISATIONS = [
    # slug, name, short name, kind, website
    ("goteborgs-stad", "Göteborgs Stad", "Staden", OrganisationKind.MUNICIPALITY,
     "https://www.goteborg.se"),
    ("skyddsvarnet", "Skyddsvärnet Göteborg", "Skyddsvärnet", OrganisationKind.NONPROFIT,
     "https://www.skyddsvarnet.org"),
    ("stadsmissionen", "Göteborgs Stadsmission", "Stadsmissionen", OrganisationKind.NONPROFIT,
     "https://www.stadsmissionen.org"),
    ("raddningsmissionen", "Räddningsmissionen", "Räddningsmissionen",
     OrganisationKind.NONPROFIT, "https://www.raddningsmissionen.se"),
    ("reningsborg", "Reningsborg", "Reningsborg", OrganisationKind.NONPROFIT,
     "https://www.reningsborg.se"),
    ("bracke-diakoni", "Bräcke diakoni", "Bräcke diakoni", OrganisationKind.NONPROFIT,
     "https://www.brackediakoni.se"),
]  # fmt: skip

AGREEMENT_NAME = "Boende med mervärden för flyktingar enligt massflyktsdirektivet"
AGREEMENT_STARTS = dt.date(2022, 6, 30)
TARGETS = [(dt.date(2022, 6, 30), 500), (dt.date(2022, 10, 1), 1000)]

GROUPS = [
    (GroupKind.STEERING, "Beslutar om partnerskapets inriktning och följer upp målen."),
    (GroupKind.COOPERATION, "Samordnar mottagandet och mervärdesinsatserna mellan parterna."),
    (GroupKind.SITE_MANAGERS, "Föreståndarna för boendena: platser, flyttar och vardagsfrågor."),
    (GroupKind.REFERENCE, "Boende och volontärer ger synpunkter på boende och insatser."),
]
GROUP_TITLES = {
    GroupKind.STEERING: "Ledamot",
    GroupKind.COOPERATION: "Samordnare",
    GroupKind.SITE_MANAGERS: "Föreståndare",
    GroupKind.REFERENCE: "Representant",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    organisation_slug: str
    email: str
    first_name: str
    last_name: str
    can: str  # what the login is for: printed by load_demo, listed in the README

    @property
    def password(self) -> str:
        return PASSWORD


def _login(role: str, slug: str, local_part: str, first_name: str, can: str) -> DemoLogin:
    return DemoLogin(role, slug, f"{local_part}@{EMAIL_DOMAIN}", first_name, "Demo", can)


# Every login of the demo. They are created first, so that the later parts, which look a
# login up by organisation and role, find these. The first four are named by position below;
# Skyddsvärnet's residence staff come before its job coach, so the parts pick the former.
LOGINS = [
    _login(Role.COORDINATOR, "goteborgs-stad", "samordnare", "Samordnare",
           "the city's coordinator: every person and site, allocations and placement, the "
           "monthly reports' review, host homes and their rent, Jobbstart (to read), the "
           "audit log"),
    _login(Role.PARTNER_ADMIN, "skyddsvarnet", "admin.skyddsvarnet", "Partneradmin",
           "Skyddsvärnet's admin: its sites, units, beds and users, its monthly reports and "
           "its text in the annual report, and Jobbstart as a coach"),
    _login(Role.PARTNER_STAFF, "skyddsvarnet", "personal.skyddsvarnet", "Boendepersonal",
           "residence staff at Skyddsvärnet: the households living in its sites, services, "
           "referrals, food coupons, its monthly reports; Jobbstart as a coach"),
    _login(Role.VIEWER, "goteborgs-stad", "styrgrupp", "Styrgrupp",
           "the steering group: the dashboard, person-nights, Jobbstart's figures, the "
           "partnership and the annual report; figures only, never a person"),
    _login(Role.PARTNER_STAFF, "raddningsmissionen", "vardhem.raddningsmissionen",
           "Värdhemshandläggare",
           "Hjärterum's host-home officer at Räddningsmissionen: registers, vets and follows "
           "up hosts, records their answers and the sublet agreements, the guests living in "
           "host homes; as Räddningsmissionen's staff, also the social supermarket's coupons "
           "and the family reunification it helps a young person with"),
    _login(Role.PARTNER_STAFF, "skyddsvarnet", "jobbcoach.skyddsvarnet", "Jobbcoach",
           "Jobbstart's job coach at Skyddsvärnet: enrols job seekers, employers and "
           "openings, matching, proposals, the pipeline to a job, CVs"),
    _login(Role.PARTNER_ADMIN, "raddningsmissionen", "admin.raddningsmissionen",
           "Partneradmin",
           "Räddningsmissionen's admin: its users and host homes, Hjärterum as an officer, "
           "and marking the hosts' rent paid"),
    _login(Role.PARTNER_ADMIN, "stadsmissionen", "admin.stadsmissionen", "Partneradmin",
           "Stadsmissionen's admin: its site, units, beds and users, its services and monthly "
           "reports"),
    _login(Role.PARTNER_STAFF, "stadsmissionen", "personal.stadsmissionen", "Personal",
           "staff at Stadsmissionen: the households in its site, services and referrals; the "
           "young people in its homework help and the one its mentor meets"),
    _login(Role.PARTNER_ADMIN, "reningsborg", "admin.reningsborg", "Partneradmin",
           "Reningsborg's admin: its site, units, beds and users, its services and monthly "
           "reports"),
    _login(Role.PARTNER_STAFF, "reningsborg", "personal.reningsborg", "Personal",
           "staff at Reningsborg: the households in its site, services and referrals"),
    _login(Role.PARTNER_ADMIN, "bracke-diakoni", "admin.bracke-diakoni", "Partneradmin",
           "Bräcke diakoni's admin: its sites, units, beds and users, its services and monthly "
           "reports"),
    _login(Role.PARTNER_STAFF, "bracke-diakoni", "personal.bracke-diakoni", "Personal",
           "staff at Bräcke diakoni: the households in its sites, services and referrals"),
    _login(Role.PARTNER_STAFF, "goteborgs-stad", "personal.goteborgs-stad", "Personal",
           "staff at the city's own sites: the households living there, the city's "
           "volunteers"),
    _login(Role.CASE_WORKER, "goteborgs-stad", "socialsekreterare", "Socialsekreterare",
           "a social services case worker: registers unaccompanied children, their dates of "
           "birth, asylum status and guardians, decides and makes their placements in homes "
           "for children, and the list of those turning 18; sees only their own cases"),
    _login(Role.VIEWER, "goteborgs-stad", "dataskydd", "Dataskyddsombud",
           "the partnership's data protection officer: the monthly review of the audit log "
           "(reads flagged by rule, a sample, the sign-off), and the figures"),
]  # fmt: skip

# Sites: organisation, name, kind, district, opens on, unit specs.
# A unit spec is (name prefix, list of bed counts, feature probabilities).
FOOD = {"food_service": 1.0, "accessible": 0.1, "pets_allowed": 0.05, "children_ok": 1.0}
SELF = {"food_service": 0.0, "accessible": 0.2, "pets_allowed": 0.15, "children_ok": 0.95}
FLAT = {"food_service": 0.0, "accessible": 0.15, "pets_allowed": 0.3, "children_ok": 1.0}
HOST = {"food_service": 0.0, "accessible": 0.1, "pets_allowed": 0.3, "children_ok": 0.85}


@dataclass
class SiteSpec:
    org: str
    name: str
    kind: str
    district: str
    opens_on: dt.date
    units: list[tuple[str, list[int]]]
    features: dict[str, float]
    one_household_per_unit: bool = False


def _unit_name(prefix: str, number: int) -> str:
    if prefix == "Värdhem":
        return f"{prefix} {number:02d}"
    # Rooms and flats are numbered by floor, twenty to a floor: 101-120, 201-220, ...
    floor, index = divmod(number - 1, 20)
    return f"{prefix} {100 * (floor + 1) + index + 1}"


def _host_homes(rng: random.Random, count: int) -> list[int]:
    return [rng.choice([2, 2, 3, 3, 3, 4, 4, 5]) for _ in range(count)]


def _site_specs(rng: random.Random) -> list[SiteSpec]:
    d = dt.date
    specs = [
        # The first overnight site opened within days of Migrationsverket's request.
        SiteSpec("goteborgs-stad", "Stadens boende Centrum", SiteKind.COLLECTIVE_SELF, "Centrum",
                 d(2022, 3, 16), [("Rum", [4] * 20 + [6] * 5 + [2] * 5)], SELF),
        # The largest site of the partnership: 200 places with food service (seed 000).
        SiteSpec("skyddsvarnet", "Skyddsvärnet Lundby", SiteKind.COLLECTIVE_FOOD, "Lundby",
                 d(2022, 3, 17), [("Rum", [4] * 30 + [2] * 30 + [5] * 4)], FOOD),
        SiteSpec("stadsmissionen", "Stadsmissionens boende Majorna", SiteKind.COLLECTIVE_SELF,
                 "Majorna-Linné", d(2022, 3, 21), [("Rum", [3] * 20 + [4] * 5)], SELF),
        SiteSpec("goteborgs-stad", "Stadens boende Angered", SiteKind.APARTMENT, "Angered",
                 d(2022, 3, 28), [("Lgh", [4, 4, 5, 6, 3, 4, 4, 6, 5, 3, 4, 4, 6, 4])], FLAT,
                 one_household_per_unit=True),
        SiteSpec("raddningsmissionen", "Hjärterum Centrum", SiteKind.HOST_HOME, "Centrum",
                 d(2022, 4, 4), [("Värdhem", _host_homes(rng, 12))], HOST),
        SiteSpec("raddningsmissionen", "Hjärterum Örgryte-Härlanda", SiteKind.HOST_HOME,
                 "Örgryte-Härlanda", d(2022, 4, 11), [("Värdhem", _host_homes(rng, 12))], HOST),
        SiteSpec("bracke-diakoni", "Bräcke diakoni Östra Göteborg", SiteKind.COLLECTIVE_SELF,
                 "Östra Göteborg", d(2022, 4, 20), [("Rum", [4] * 15 + [5] * 2)], SELF),
        SiteSpec("goteborgs-stad", "Stadens boende Askim-Frölunda-Högsbo",
                 SiteKind.COLLECTIVE_SELF, "Askim-Frölunda-Högsbo", d(2022, 4, 25),
                 [("Rum", [4] * 10 + [2] * 8 + [6] * 2)], SELF),
        SiteSpec("skyddsvarnet", "Skyddsvärnet Västra Göteborg", SiteKind.APARTMENT,
                 "Västra Göteborg", d(2022, 5, 2), [("Lgh", [4, 4, 4, 3, 3, 5, 6, 4, 3, 4])],
                 FLAT, one_household_per_unit=True),
        SiteSpec("raddningsmissionen", "Hjärterum Askim-Frölunda-Högsbo", SiteKind.HOST_HOME,
                 "Askim-Frölunda-Högsbo", d(2022, 5, 9), [("Värdhem", _host_homes(rng, 12))],
                 HOST),
        SiteSpec("reningsborg", "Reningsborgs boende Hisingen", SiteKind.COLLECTIVE_SELF,
                 "Hisingen", d(2022, 6, 1), [("Rum", [4] * 10)], SELF),
        SiteSpec("raddningsmissionen", "Hjärterum Norra Hisingen", SiteKind.HOST_HOME,
                 "Norra Hisingen", d(2022, 6, 13), [("Värdhem", _host_homes(rng, 10))], HOST),
        SiteSpec("goteborgs-stad", "Stadens boende Örgryte-Härlanda", SiteKind.COLLECTIVE_SELF,
                 "Örgryte-Härlanda", d(2022, 8, 15), [("Rum", [4] * 8 + [3] * 4)], SELF),
        SiteSpec("bracke-diakoni", "Bräcke diakoni Angered", SiteKind.APARTMENT, "Angered",
                 d(2022, 9, 1), [("Lgh", [5, 4, 6, 4, 5, 3, 4, 5, 6, 4, 4])], FLAT,
                 one_household_per_unit=True),
        SiteSpec("goteborgs-stad", "Stadens boende Norra Hisingen", SiteKind.COLLECTIVE_SELF,
                 "Norra Hisingen", d(2022, 9, 19), [("Rum", [4] * 6 + [2] * 4)], SELF),
    ]  # fmt: skip
    # The city's last site, opened for the target of 1 000 places, makes the sum exact.
    used = sum(sum(beds) for spec in specs for _prefix, beds in spec.units)
    rest = TOTAL_BEDS - used
    if rest <= 0:
        raise ValueError(f"the demo's sites already have {used} beds")
    rooms = [4] * (rest // 4) + ([rest % 4] if rest % 4 else [])
    specs.append(
        SiteSpec("goteborgs-stad", "Stadens boende Östra Göteborg", SiteKind.COLLECTIVE_SELF,
                 "Östra Göteborg", d(2022, 10, 1), [("Rum", rooms)], SELF)
    )  # fmt: skip
    return specs


def _words(text: str) -> list[str]:
    return text.split()


# Names as written (Cyrillic). Surnames ending in -ський/-ов/-ий take a feminine form.
FEMALE_NAMES = _words(
    "Олена Оксана Наталія Тетяна Ірина Світлана Юлія Марія Анна Катерина Ольга Людмила Галина "
    "Валентина Вікторія Аліна Дарина Софія Анастасія Олександра Яна Інна Лариса Надія Віра "
    "Любов Ніна Поліна Мілана Єва Ангеліна Христина Уляна Вероніка Діана Євгенія Злата Ганна "
    "Тамара Лідія Раїса Жанна Майя Кіра"
)
MALE_NAMES = _words(
    "Олександр Андрій Сергій Володимир Микола Іван Василь Дмитро Максим Артем Богдан Євген "
    "Юрій Олег Петро Михайло Тарас Назар Денис Матвій Давид Марко Ярослав Ілля Кирило Степан "
    "Григорій Віктор Анатолій Захар Тимофій Єгор"
)
SURNAMES = _words(
    "Шевченко Бондаренко Ткаченко Кравченко Коваленко Олійник Шевчук Поліщук Бойко Мельник "
    "Лисенко Савченко Руденко Марченко Петренко Левченко Кузьменко Павленко Харченко Мороз "
    "Гончаренко Литвиненко Клименко Романенко Костенко Гриценко Швець Ковальчук Кравчук "
    "Іваненко Сидоренко Онищенко Зінченко Яковенко Приходько Білоус Гуменюк Дячук Остапчук "
    "Ковальський Яворський Вишневський Жуковський Заїка Іванов Петров Соколов Новиков Білий "
    "Чорний Щербак Юрченко Єрмоленко Ющенко Гнатюк Зозуля Федоренко Хоменко Черненко"
)


def feminine(surname: str) -> str:
    if surname.endswith("ський"):
        return surname[:-5] + "ська"
    if surname.endswith("ий"):
        return surname[:-2] + "а"
    if surname.endswith(("ов", "ев", "ін")):
        return surname + "а"
    return surname


def coordination_number(rng: random.Random, born: dt.date, sex: str) -> str:
    """A valid samordningsnummer: the day of birth plus 60, then the Luhn check digit."""
    serial = rng.randrange(10, 100) * 10 + rng.choice(
        (1, 3, 5, 7, 9) if sex == Sex.MALE else (0, 2, 4, 6, 8)
    )
    body = f"{born:%Y%m}{born.day + 60:02d}{serial:03d}"
    return next(body + str(check) for check in range(10) if luhn_ok(body[2:] + str(check)))


# Who came: mostly women, children and older people; men of working age could not leave
# Ukraine except in a few cases (fathers of three or more children, illness, age).
# Each member is (sex, lowest age, highest age); "F"/"M" or "?" for either.
HOUSEHOLD_KINDS: list[tuple[int, list[tuple[str, int, int]]]] = [
    (20, [("F", 24, 46), ("?", 0, 17)]),
    (15, [("F", 26, 46), ("?", 0, 17), ("?", 0, 17)]),
    (5, [("F", 28, 46), ("?", 0, 17), ("?", 0, 17), ("?", 0, 17)]),
    (10, [("F", 24, 46), ("?", 0, 17), ("F", 52, 82)]),
    (4, [("F", 28, 46), ("?", 0, 17), ("?", 0, 17), ("F", 52, 82)]),
    (12, [("F", 18, 64)]),
    (6, [("F", 60, 89)]),
    (3, [("M", 60, 88)]),
    (6, [("F", 58, 85), ("M", 60, 88)]),
    (5, [("F", 40, 64), ("F", 18, 26)]),
    (5, [("F", 22, 46), ("F", 22, 46), ("?", 0, 17), ("?", 0, 17)]),
    (3, [("F", 25, 46), ("F", 22, 46), ("?", 0, 17), ("?", 0, 17), ("?", 0, 17)]),
    (3, [("F", 55, 78), ("?", 3, 17)]),
    (2, [("M", 32, 50), ("F", 30, 46), ("?", 0, 17), ("?", 0, 17), ("?", 0, 17)]),
    (2, [("M", 34, 52), ("F", 32, 48), ("?", 0, 17), ("?", 0, 17), ("?", 0, 17),
         ("?", 0, 17)]),
    (2, [("M", 18, 59)]),
]  # fmt: skip
# Arrivals per month of 2022: a surge in spring, then steady and slowly falling.
MONTH_WEIGHTS = {3: 14, 4: 18, 5: 13, 6: 11, 7: 9, 8: 9, 9: 8, 10: 7, 11: 6, 12: 5}
DISTRICTS = [
    "Centrum", "Majorna-Linné", "Hisingen", "Angered", "Örgryte-Härlanda", "Västra Göteborg",
    "Askim-Frölunda-Högsbo", "Östra Göteborg", "Lundby", "Norra Hisingen",
]  # fmt: skip
EXIT_REASONS = [
    (ExitReason.OWN_HOUSING, 45),
    (ExitReason.OTHER_MUNICIPALITY, 30),
    (ExitReason.RETURNED, 25),
]
# Enough waiting households at the end of the year for a placement proposal to show its work.
PENDING_HOUSEHOLDS = 24
# Hjärterum hosts: Swedes, many speaking English, some who came from Ukraine or Russia earlier.
HOST_LANGUAGES = [["sv"], ["sv", "en"], ["sv", "en"], ["sv", "en", "uk"], ["sv", "ru", "uk"],
                  ["sv", "ru"]]  # fmt: skip


@dataclass
class PlannedHousehold:
    number: int
    arrival: dt.date
    persons: list[dict[str, Any]]
    needs: dict[str, Any]

    @property
    def size(self) -> int:
        return len(self.persons)

    def has_children(self, on: dt.date) -> bool:
        return any(age_on(p["birth_date"], on) < ADULT_AGE for p in self.persons)

    def features_needed(self) -> set[str]:
        wanted = set()
        if self.needs.get("needs_accessible"):
            wanted.add("accessible")
        if self.needs.get("has_pets"):
            wanted.add("pets_allowed")
        return wanted


@dataclass
class UnitState:
    """What the replay needs to pick a unit without asking the database every time."""

    unit: Unit
    org: str
    opens_on: dt.date
    beds: int
    occupied: int = 0
    households: int = 0

    def takes(self, household: PlannedHousehold, on: dt.date) -> bool:
        unit = self.unit
        if self.opens_on > on or self.beds - self.occupied < household.size:
            return False
        if unit.max_households is not None and self.households >= unit.max_households:
            return False
        if not household.features_needed() <= unit.features():
            return False
        return unit.children_ok or not household.has_children(on)


@dataclass
class DemoSummary:
    organisations: int = 0
    sites: int = 0
    beds: int = 0
    households: int = 0
    persons_received: int = 0
    moves: int = 0
    move_outs: int = 0
    persons_moved_out: int = 0
    pending_households: int = 0
    pending_persons: int = 0
    postponed: int = 0
    exit_reasons: dict[str, int] = field(default_factory=dict)


def demo_is_loaded() -> bool:
    return User.objects.filter(email=LOGINS[0].email).exists()


def database_is_empty() -> bool:
    return not Organisation.objects.exists()


class Demo:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 -- synthetic demo data, not a secret
        # A stream of its own, so that the hosts' languages leave the rest of the demo as it was.
        self.host_rng = random.Random(SEED + 1)  # noqa: S311
        self.summary = DemoSummary()
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.units: list[UnitState] = []
        self.case_numbers: set[str] = set()
        self.card_numbers: set[str] = set()
        self.id_numbers: set[str] = set()  # one person per number (person_swedish_id_unique)

    def load(self) -> DemoSummary:
        with transaction.atomic():
            self._organisations()
            self._users()
            self._agreement()
            self._sites()
            self._replay(self._plan_households())
            self._pending()
        return self.summary

    # -- the partnership ------------------------------------------------------------------

    def _organisations(self) -> None:
        for slug, name, short_name, kind, website in ORGANISATIONS:
            self.orgs[slug] = Organisation.objects.create(
                slug=slug, name=name, short_name=short_name, kind=kind, website=website
            )
        self.summary.organisations = len(self.orgs)

    def _users(self) -> None:
        # One hash for every demo login: the production hasher takes about half a second.
        encoded = make_password(PASSWORD)
        for login in LOGINS:
            user = User.objects.create(
                email=login.email,
                first_name=login.first_name,
                last_name=login.last_name,
                password=encoded,
            )
            Membership.objects.create(
                user=user, organisation=self.orgs[login.organisation_slug], role=login.role
            )
            self.users[login.email] = user
        officer = self.users[f"dataskydd@{EMAIL_DOMAIN}"]
        officer.is_data_protection_officer = True
        officer.save(update_fields=["is_data_protection_officer"])
        self.coordinator = self.users[LOGINS[0].email]
        for user in self.users.values():
            audit_record(
                actor=self.coordinator,
                action=AuditAction.CREATE,
                obj=user,
                summary=gettext_noop("demo user %(email)s"),
                params={"email": user.email},
            )

    def _agreement(self) -> None:
        agreement = Agreement.objects.create(
            name=AGREEMENT_NAME,
            starts_on=AGREEMENT_STARTS,
            # The report's subtitle (seed 000).
            description=(
                "Idéburet offentligt partnerskap (IOP) – boende med mervärden för flyktingar "
                "som kommer till Sverige och omfattas av massflyktsdirektivet"
            ),
        )
        agreement.parties.set(
            self.orgs.values(), through_defaults={"joined_on": agreement.starts_on}
        )
        self.agreement = agreement
        for valid_from, places in TARGETS:
            AgreementTarget.objects.create(
                agreement=agreement, valid_from=valid_from, places=places
            )
        linked = {
            (GroupKind.COOPERATION, "goteborgs-stad"): self.coordinator,
            (GroupKind.STEERING, "goteborgs-stad"): self.users[LOGINS[3].email],
            (GroupKind.SITE_MANAGERS, "skyddsvarnet"): self.users[LOGINS[1].email],
        }
        for kind, purpose in GROUPS:
            group = GovernanceGroup.objects.create(agreement=agreement, kind=kind, purpose=purpose)
            for slug, org in self.orgs.items():
                user = linked.get((kind, slug))
                GroupMember.objects.create(
                    group=group,
                    organisation=org,
                    user=user,
                    name=user.get_full_name() if user else f"{GROUP_TITLES[kind]} {org.short_name}",
                    title=GROUP_TITLES[kind],
                )

    def _sites(self) -> None:
        rng = self.rng
        for spec in _site_specs(rng):
            site = site_create(
                actor=self.coordinator,
                organisation=self.orgs[spec.org],
                agreement=self.agreement,
                name=spec.name,
                kind=spec.kind,
                district=spec.district,
                opens_on=spec.opens_on,
            )
            number = 0
            for prefix, beds_list in spec.units:
                for beds in beds_list:
                    number += 1
                    features: dict[str, Any] = {
                        name: rng.random() < chance for name, chance in spec.features.items()
                    }
                    languages = (
                        self.host_rng.choice(HOST_LANGUAGES)
                        if spec.kind == SiteKind.HOST_HOME
                        else []
                    )
                    unit = unit_create(
                        actor=self.coordinator,
                        site=site,
                        beds=beds,
                        beds_from=site.opens_on,
                        name=_unit_name(prefix, number),
                        max_households=1 if spec.one_household_per_unit else None,
                        host_languages=languages,
                        **features,
                    )
                    self.units.append(
                        UnitState(unit=unit, org=spec.org, opens_on=spec.opens_on, beds=beds)
                    )
                    self.summary.beds += beds
            self.summary.sites += 1
        unit_ids = [state.unit.pk for state in self.units]
        units = Unit.objects.select_related("site").in_bulk(unit_ids)
        for state in self.units:
            state.unit = units[state.unit.pk]

    # -- the people -----------------------------------------------------------------------

    def _arrival_day(self) -> dt.date:
        rng = self.rng
        month = rng.choices(list(MONTH_WEIGHTS), weights=list(MONTH_WEIGHTS.values()))[0]
        first = FIRST_DAY if month == FIRST_DAY.month else dt.date(2022, month, 1)
        last = (dt.date(2022, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    def _unique(self, taken: set[str], make: Callable[[], str]) -> str:
        value = make()
        while value in taken:
            value = make()
        taken.add(value)
        return value

    def _person(self, sex_code: str, low: int, high: int, surname: str, on: dt.date) -> dict:
        rng = self.rng
        sex = {"F": Sex.FEMALE, "M": Sex.MALE}.get(sex_code) or rng.choice([Sex.FEMALE, Sex.MALE])
        age = rng.randint(low, high)
        born = on - dt.timedelta(days=365 * age + rng.randrange(365))
        first = rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
        last = feminine(surname) if sex == Sex.FEMALE else surname
        if age < 6:
            languages = ["uk"]
        else:
            languages = rng.choices([["uk", "ru"], ["uk"], ["ru", "uk"]], weights=[55, 30, 15])[0]
            if 14 <= age <= 45 and rng.random() < 0.3:
                languages = [*languages, "en"]
        decided = max(DIRECTIVE_ACTIVATED, on - dt.timedelta(days=rng.randint(3, 25)))
        person = {
            "first_name": first,
            "last_name": last,
            "first_name_latin": passport_spelling(first),
            "last_name_latin": passport_spelling(last),
            "birth_date": born,
            "sex": sex,
            "languages": languages,
            "migration_case_number": self._unique(
                self.case_numbers, lambda: f"22-{rng.randrange(100000, 1000000)}"
            ),
            "permit_card_number": self._unique(
                self.card_numbers, lambda: f"UT{rng.randrange(1000000, 10000000)}"
            ),
            "permit_valid_from": decided,
            "permit_valid_until": PERMIT_EXTENDED_UNTIL if rng.random() < 0.2 else PERMIT_UNTIL,
        }
        if rng.random() < 0.25:
            person["name_swedish"] = f"{swedish_spelling(first)} {swedish_spelling(last)}"
        # A few got a coordination number; most had no Swedish number at all in 2022.
        if rng.random() < 0.05:
            person["swedish_id_number"] = self._unique(
                self.id_numbers, lambda: coordination_number(rng, born, sex)
            )
        return person

    def _plan_households(self) -> list[PlannedHousehold]:
        rng = self.rng
        weights = [weight for weight, _members in HOUSEHOLD_KINDS]
        planned: list[PlannedHousehold] = []
        remaining = PERSONS_RECEIVED
        while remaining > 0:
            members = rng.choices([m for _w, m in HOUSEHOLD_KINDS], weights=weights)[0]
            if len(members) > remaining:
                fitting = [m for _w, m in HOUSEHOLD_KINDS if len(m) == remaining]
                members = rng.choice(fitting)
            planned.append(self._household(len(planned) + 1, members, self._arrival_day()))
            remaining -= len(members)
        planned.sort(key=lambda household: household.arrival)
        for number, household in enumerate(planned, start=1):
            household.number = number
        return planned

    def _household(
        self, number: int, members: list[tuple[str, int, int]], arrival: dt.date
    ) -> PlannedHousehold:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        persons = [self._person(sex, low, high, surname, arrival) for sex, low, high in members]
        oldest = max(age_on(p["birth_date"], arrival) for p in persons)
        needs: dict[str, Any] = {
            "needs_accessible": rng.random() < (0.4 if oldest >= 70 else 0.01),
            "has_pets": rng.random() < 0.07,
            "medical_priority": rng.random() < 0.05,
        }
        district = rng.choice(DISTRICTS) if rng.random() < 0.1 else ""
        if district:
            # A family with a child at school is anchored to the school's district.
            at_school = any(6 <= age_on(p["birth_date"], arrival) <= 17 for p in persons)
            needs["anchor_kind"] = AnchorKind.SCHOOL if at_school else AnchorKind.DISTRICT
            needs["anchor_district"] = district
        return PlannedHousehold(number=number, arrival=arrival, persons=persons, needs=needs)

    # -- the replay -----------------------------------------------------------------------

    def _org_load(self, on: dt.date) -> dict[str, float]:
        beds: dict[str, int] = {}
        occupied: dict[str, int] = {}
        for state in self.units:
            if state.opens_on <= on:
                beds[state.org] = beds.get(state.org, 0) + state.beds
                occupied[state.org] = occupied.get(state.org, 0) + state.occupied
        return {org: occupied[org] / beds[org] for org in beds}

    def _choose(
        self, household: PlannedHousehold, on: dt.date, exclude: UnitState | None = None
    ) -> UnitState | None:
        """The fairest fit: the least loaded partner first, then the unit wasting fewest beds."""
        load = self._org_load(on)
        candidates = [s for s in self.units if s is not exclude and s.takes(household, on)]
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda s: (
                round(load[s.org], 1),
                s.beds - s.occupied - household.size,
                self.rng.random(),
            ),
        )

    def _replay(self, planned: list[PlannedHousehold]) -> None:
        rng = self.rng
        # (day, order, sequence, kind, household number); move-outs before arrivals each day.
        events: list[tuple[dt.date, int, int, str, int]] = []
        sequence = 0
        for household in planned:
            heapq.heappush(events, (household.arrival, 2, sequence, "arrive", household.number))
            sequence += 1
        by_number = {household.number: household for household in planned}
        stays: dict[int, tuple[Stay, UnitState]] = {}
        while events:
            day, _order, _seq, kind, number = heapq.heappop(events)
            household = by_number[number]
            if kind == "arrive":
                state = self._choose(household, day)
                if state is None:
                    # No fitting place today: the household waits a day, as it would.
                    self.summary.postponed += 1
                    if day >= LAST_DAY:
                        raise RuntimeError(f"demo: household {number} could not be placed")
                    nxt = day + dt.timedelta(days=1)
                    heapq.heappush(events, (nxt, 2, sequence, "arrive", number))
                    sequence += 1
                    continue
                stays[number] = (self._arrive(household, day, state), state)
                for later_kind, later_day in self._fate(household, day):
                    heapq.heappush(events, (later_day, 1, sequence, later_kind, number))
                    sequence += 1
            elif kind == "move":
                stay, state = stays[number]
                target = self._choose(household, day, exclude=state)
                if target is None or stay.ended_on is not None:
                    continue
                new_stay = stay_move(actor=self.coordinator, stay=stay, to_unit=target.unit, on=day)
                self._leave(state, household)
                self._enter(target, household)
                stays[number] = (new_stay, target)
                self.summary.moves += 1
            else:
                stay, state = stays[number]
                reason = rng.choices(
                    [r for r, _w in EXIT_REASONS], weights=[w for _r, w in EXIT_REASONS]
                )[0]
                stay_end(actor=self.coordinator, stay=stay, on=day, reason=reason)
                # Recorded on its day, as the replayed year was: the partners' windows for
                # correcting a move-out (ADR 19) closed long ago, not on the day of loading.
                Stay.objects.filter(pk=stay.pk).update(
                    ended_recorded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
                )
                stay.ended_on = day
                self._leave(state, household)
                self.summary.move_outs += 1
                self.summary.persons_moved_out += household.size
                self.summary.exit_reasons[reason] = self.summary.exit_reasons.get(reason, 0) + 1

    def _fate(self, household: PlannedHousehold, arrived: dt.date) -> list[tuple[str, dt.date]]:
        """Later events of a household in 2022: perhaps a move, perhaps a move-out."""
        rng = self.rng
        events = []
        moved = None
        if rng.random() < 0.12:
            moved = arrived + dt.timedelta(days=rng.randint(14, 150))
            if moved < LAST_DAY:
                events.append(("move", moved))
        if rng.random() < 0.3:
            left = (moved or arrived) + dt.timedelta(days=rng.randint(21, 240))
            if left <= LAST_DAY:
                events.append(("leave", left))
        return events

    def _arrive(self, household: PlannedHousehold, day: dt.date, state: UnitState) -> Stay:
        rng = self.rng
        # In the first weeks people moved in the day they were allocated; later it took weeks.
        lag = rng.randint(0, 2) if day < dt.date(2022, 5, 1) else rng.randint(2, 21)
        allocated = max(FIRST_DAY - dt.timedelta(days=2), day - dt.timedelta(days=lag))
        allocation = self._allocation(household, allocated, day)
        stay = allocation_place(
            actor=self.coordinator, allocation=allocation, unit=state.unit, on=day
        )
        self._enter(state, household)
        self.summary.households += 1
        self.summary.persons_received += household.size
        return stay

    def _allocation(
        self, household: PlannedHousehold, allocated: dt.date, expected: dt.date
    ) -> Allocation:
        return allocation_create(
            actor=self.coordinator,
            reference=f"ANV-2022-{household.number:04d}",
            allocated_on=allocated,
            expected_arrival=expected,
            household_reference=f"H-2022-{household.number:04d}",
            persons=household.persons,
            needs=household.needs,
        )

    @staticmethod
    def _enter(state: UnitState, household: PlannedHousehold) -> None:
        state.occupied += household.size
        state.households += 1

    @staticmethod
    def _leave(state: UnitState, household: PlannedHousehold) -> None:
        state.occupied -= household.size
        state.households -= 1

    def _pending(self) -> None:
        """Households allocated in late December and not yet placed: not among the 682."""
        for index in range(PENDING_HOUSEHOLDS):
            number = 9001 + index
            allocated = dt.date(2022, 12, 19) + dt.timedelta(days=index % 12)
            members = self.rng.choice([m for _w, m in HOUSEHOLD_KINDS if len(m) <= 4])
            planned = self._household(number, members, allocated)
            self._allocation(planned, allocated, dt.date(2023, 1, 9) + dt.timedelta(days=index))
            self.summary.pending_households += 1
            self.summary.pending_persons += planned.size


# Later apps add their part of the demo: each module has ``load(rng)``, called in this order
# after the reception data is in place, with a random source seeded from the demo's own.
DEMO_PARTS = (
    "tillsammans.addedvalues.demo",
    "tillsammans.referrals.demo",
    "tillsammans.coupons.demo",
    "tillsammans.training.demo",
    "tillsammans.hosting.demo",
    "tillsammans.jobs.demo",
    "tillsammans.finance.demo",
    "tillsammans.reporting.annual_demo",
    "tillsammans.partnership.demo",
    "tillsammans.training.minors_demo",
    "tillsammans.minors.demo",
    "tillsammans.reception.path_demo",
    "tillsammans.reporting.allocations_demo",  # before the state's payments: it adds nights
    "tillsammans.finance.reconciliation_demo",
)


def load_demo() -> DemoSummary:
    summary = Demo().load()
    for offset, name in enumerate(DEMO_PARTS):
        part = importlib.import_module(name)
        with transaction.atomic():
            part.load(random.Random(SEED + 10 + offset))  # noqa: S311
    # As every user made in the product (partnership.services._new_member): a verified
    # address, without which allauth refuses two-factor set-up.
    known = EmailAddress.objects.values("user_id")
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True)
        for user in User.objects.exclude(pk__in=known)
    )
    return summary
