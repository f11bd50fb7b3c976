"""The added values of the demo "Göteborg 2022": each partner's services as the annual report
(seed 000) and the press release (seed 001) list them, and a year of deliveries to the
demo's synthetic residents.

Deliveries go through the real services (``delivery_record_many``, ``headcount_record``), so
the residents-only rule and the limits hold for the demo too. Staff logins are neutral roles.
"""

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password

from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.core.models import User
from tillsammans.partnership.models import Agreement, Membership, Organisation, Role
from tillsammans.people.models import Person
from tillsammans.reception.models import Stay

from .models import Eligibility, LimitEnforcement, Service, ServiceCategory
from .services import delivery_record_many, headcount_record, service_create

EMAIL_DOMAIN = "demo.tillsammans.example"
PASSWORD = "tillsammans-demo-2022"  # noqa: S105 -- the demo's published login, as in reporting
LAST_DAY = dt.date(2022, 12, 31)
MON, TUE, WED, THU, FRI = range(5)

# slug, then the fields of each service: Swedish as the partners write it, English, Ukrainian.
SERVICES: list[tuple[str, dict[str, Any]]] = [
    ("stadsmissionen", {
        "key": "meeting_place",
        "name_sv": "Mötesplats Ukraina",
        "name_en": "Meeting place Ukraine",
        "name_uk": "Місце зустрічі «Україна»",
        "description_sv": "Öppen för alla ukrainska flyktingar: samhällsvägledning, gemenskap "
                          "och hjälp vidare till myndigheter, vård och skola.",
        "description_en": "Open to all refugees from Ukraine: civic guidance, company and help "
                          "on to the authorities, health care and school.",
        "description_uk": "Відкрито для всіх біженців з України: консультації щодо життя у "
                          "Швеції, спілкування та допомога у зверненнях до установ, лікарів "
                          "і школи.",
        "category": ServiceCategory.GUIDANCE, "is_meeting_place": True,
        "address": "Göteborgs Stadsmission, centrala Göteborg",
        "weekdays": [MON, TUE, WED, THU, FRI], "starts": (10, 0), "ends": (15, 0),
        "languages": ["uk", "ru", "sv", "en"], "eligibility": Eligibility.ANYONE,
    }),
    ("stadsmissionen", {
        "key": "lunch",
        "name_sv": "Gratis lunch på Mötesplats Ukraina",
        "name_en": "Free lunch at Meeting place Ukraine",
        "name_uk": "Безкоштовний обід у місці зустрічі «Україна»",
        "description_sv": "Lunch för alla som kommer, utan anmälan.",
        "description_en": "Lunch for everyone who comes, no registration.",
        "description_uk": "Обід для всіх, хто прийде, без реєстрації.",
        "category": ServiceCategory.FOOD, "is_meeting_place": True,
        "address": "Göteborgs Stadsmission, centrala Göteborg",
        "weekdays": [MON, TUE, WED, THU, FRI], "starts": (12, 0), "ends": (13, 30),
        "languages": ["uk", "ru", "sv"], "eligibility": Eligibility.ANYONE,
    }),
    ("stadsmissionen", {
        "key": "language_training",
        "name_sv": "Språkträning",
        "name_en": "Swedish language training",
        "name_uk": "Заняття зі шведської мови",
        "description_sv": "Svenska för vardag och arbete i små grupper på Mötesplats Ukraina.",
        "description_en": "Swedish for everyday life and work in small groups at Meeting place "
                          "Ukraine.",
        "description_uk": "Шведська для щоденного життя та роботи в малих групах у місці "
                          "зустрічі «Україна».",
        "category": ServiceCategory.LANGUAGE,
        "address": "Göteborgs Stadsmission, centrala Göteborg",
        "weekdays": [TUE, THU], "starts": (13, 30), "ends": (15, 0),
        "languages": ["sv", "uk"], "eligibility": Eligibility.ANYONE, "capacity": 15,
    }),
    ("stadsmissionen", {
        "key": "cv_coaching",
        "name_sv": "CV- och jobbcoachning",
        "name_en": "CV and job coaching",
        "name_uk": "Допомога з резюме та пошуком роботи",
        "description_sv": "Hjälp med CV, personligt brev och att söka jobb, del av ett "
                          "ESF-projekt för att komma närmare arbetsmarknaden.",
        "description_en": "Help with a CV, a cover letter and applying for jobs, part of an "
                          "ESF project to come closer to the labour market.",
        "description_uk": "Допомога з резюме, супровідним листом і пошуком роботи; частина "
                          "проєкту ЄСФ для наближення до ринку праці.",
        "category": ServiceCategory.WORK,
        "address": "Göteborgs Stadsmission, centrala Göteborg",
        "weekdays": [WED], "starts": (10, 0), "ends": (12, 0),
        "languages": ["sv", "en", "uk"], "eligibility": Eligibility.ANYONE, "capacity": 6,
    }),
    ("raddningsmissionen", {
        "key": "social_supermarket",
        "name_sv": "Maträttsbutiker",
        "name_en": "Social supermarkets (Maträttsbutiker)",
        "name_uk": "Соціальні супермаркети «Maträttsbutiker»",
        "description_sv": "Sociala livsmedelsbutiker där personer med låg inkomst handlar mat "
                          "till subventionerat pris.",
        "description_en": "Social supermarkets where people on a low income buy food at a "
                          "subsidised price.",
        "description_uk": "Соціальні продуктові магазини, де люди з низьким доходом купують "
                          "їжу за зниженими цінами.",
        "category": ServiceCategory.FOOD,
        "address": "Räddningsmissionens Maträttsbutiker i Göteborg",
        "weekdays": [MON, TUE, WED, THU, FRI], "starts": (10, 0), "ends": (18, 0),
        "languages": ["sv", "en"], "eligibility": Eligibility.ANYONE,
        "limit_count": 1, "limit_days": 7, "limit_enforcement": LimitEnforcement.WARN,
    }),
    ("raddningsmissionen", {
        "key": "food_coupons",
        "name_sv": "Matkuponger till Maträttsbutiker",
        "name_en": "Food coupons for the social supermarkets",
        "name_uk": "Продуктові купони для соціальних супермаркетів",
        "description_sv": "Matkuponger när pengarna inte räcker till mat.",
        "description_en": "Food coupons when the money is not enough for food.",
        "description_uk": "Продуктові купони, коли грошей на їжу не вистачає.",
        "category": ServiceCategory.FOOD,
        "schedule_sv": "Fråga personalen på ditt boende",
        "schedule_en": "Ask the staff where you live",
        "schedule_uk": "Запитайте персонал за місцем проживання",
        "languages": ["sv", "en"], "eligibility": Eligibility.RESIDENTS,
    }),
    ("bracke-diakoni", {
        "key": "health_team",
        "name_sv": "Mobilt hälsoteam",
        "name_en": "Mobile health team",
        "name_uk": "Мобільна медична команда",
        "description_sv": "Hälsokontroller för boende inom samverkan, på boendet.",
        "description_en": "Health checks for residents of the partnership, where they live.",
        "description_uk": "Медичні огляди для мешканців житла партнерства, за місцем "
                          "проживання.",
        "category": ServiceCategory.HEALTH,
        "schedule_sv": "Teamet besöker boendena enligt schema",
        "schedule_en": "The team visits the sites on a schedule",
        "schedule_uk": "Команда відвідує житло за графіком",
        "languages": ["sv", "uk", "ru"], "eligibility": Eligibility.RESIDENTS,
        "limit_count": 1, "limit_days": 180, "limit_enforcement": LimitEnforcement.WARN,
    }),
    ("reningsborg", {
        "key": "internship",
        "name_sv": "Praktik i secondhandbutik med Västtrafikkort",
        "name_en": "Internship in a second-hand shop, with a transit card",
        "name_uk": "Практика в секонд-хенд магазині з проїзним Västtrafik",
        "description_sv": "Praktik som volontär i Reningsborgs secondhandbutiker: språkträning "
                          "och en känsla av att bidra. I utbyte ges ett Västtrafikkort.",
        "description_en": "Volunteer internship in Reningsborg's second-hand shops: language "
                          "practice and a sense of contributing. A transit card in return.",
        "description_uk": "Волонтерська практика в секонд-хенд магазинах Reningsborg: мовна "
                          "практика і відчуття власного внеску. Натомість — проїзний "
                          "Västtrafik.",
        "category": ServiceCategory.WORK,
        "address": "Reningsborgs secondhandbutiker i Göteborg",
        "languages": ["sv", "en"], "eligibility": Eligibility.RESIDENTS, "capacity": 20,
        "limit_count": 1, "limit_days": 28, "limit_enforcement": LimitEnforcement.REFUSE,
    }),
    ("reningsborg", {
        "key": "language_cafe",
        "name_sv": "Språkcafé",
        "name_en": "Language café",
        "name_uk": "Мовне кафе",
        "description_sv": "Svenskundervisning och samtal i mindre skala med volontärer.",
        "description_en": "Swedish lessons and conversation with volunteers, in small groups.",
        "description_uk": "Уроки шведської та розмови з волонтерами в малих групах.",
        "category": ServiceCategory.LANGUAGE,
        "weekdays": [WED], "starts": (17, 0), "ends": (19, 0),
        "languages": ["sv", "uk"], "eligibility": Eligibility.ANYONE, "capacity": 30,
    }),
    ("reningsborg", {
        "key": "clothing",
        "name_sv": "Klädinsamling",
        "name_en": "Clothing collection",
        "name_uk": "Збір одягу",
        "description_sv": "Kläder inför vintern, hygien- och städprodukter till boende.",
        "description_en": "Clothes for the winter, hygiene and cleaning products for residents.",
        "description_uk": "Одяг на зиму, засоби гігієни та для прибирання для мешканців.",
        "category": ServiceCategory.CLOTHING,
        "languages": ["sv"], "eligibility": Eligibility.RESIDENTS,
        "schedule_sv": "Inför vintern", "schedule_en": "Before the winter",
        "schedule_uk": "Перед зимою",
        "limit_count": 1, "limit_days": 30, "limit_enforcement": LimitEnforcement.REFUSE,
    }),
    ("skyddsvarnet", {
        "key": "jobbstart",
        "name_sv": "Jobbstart Ukraina",
        "name_en": "Job start Ukraine (Jobbstart Ukraina)",
        "name_uk": "«Старт роботи Україна» (Jobbstart Ukraina)",
        "description_sv": "En jobbcoach följer dig hela vägen: underlag, CV, personligt brev, "
                          "direkt matchning med arbetsgivare och stöd vid intervjuer.",
        "description_en": "A job coach follows you all the way: documents, CV, cover letter, "
                          "direct matching with employers and support at interviews.",
        "description_uk": "Кар'єрний коуч супроводжує вас на всьому шляху: документи, резюме, "
                          "супровідний лист, прямий підбір роботодавців і підтримка на "
                          "співбесідах.",
        "category": ServiceCategory.WORK,
        "address": "Skyddsvärnet i Göteborg, Haga kyrkogata 6, 411 23 Göteborg",
        "weekdays": [MON, TUE, WED, THU, FRI], "starts": (9, 0), "ends": (16, 0),
        "languages": ["sv", "en", "uk", "ru"], "eligibility": Eligibility.ANYONE,
    }),
    ("goteborgs-stad", {
        "key": "civic_orientation",
        "name_sv": "Samhällsvägledning",
        "name_en": "Civic guidance",
        "name_uk": "Консультації щодо життя у Швеції",
        "description_sv": "Vägledning om samhället, myndigheter och rättigheter via "
                          "Integrationscentrum.",
        "description_en": "Guidance on Swedish society, the authorities and your rights, "
                          "through the Integration centre.",
        "description_uk": "Консультації про шведське суспільство, установи та ваші права через "
                          "Інтеграційний центр.",
        "category": ServiceCategory.GUIDANCE,
        "address": "Integrationscentrum, Göteborg",
        "weekdays": [TUE], "starts": (14, 0), "ends": (16, 0),
        "languages": ["sv", "uk", "ru"], "eligibility": Eligibility.ANYONE, "capacity": 25,
    }),
    ("goteborgs-stad", {
        "key": "joint_training",
        "name_sv": "Gemensamma utbildningar för personal",
        "name_en": "Joint trainings for staff",
        "name_uk": "Спільні навчання для персоналу",
        "description_sv": "För personal hos alla parter: kulturkunskap om Ukraina, trafficking, "
                          "arbetsplatsexploatering och samhällsvägledning.",
        "description_en": "For staff of all partners: Ukrainian culture, trafficking, labour "
                          "exploitation and civic guidance.",
        "description_uk": "Для персоналу всіх партнерів: українська культура, торгівля людьми, "
                          "трудова експлуатація та консультації щодо життя у Швеції.",
        "category": ServiceCategory.STAFF_TRAINING,
        "schedule_sv": "Enligt kalender", "schedule_en": "As announced",
        "schedule_uk": "За оголошеним графіком",
        "languages": ["sv"], "eligibility": Eligibility.ANYONE, "is_published": False,
    }),
]  # fmt: skip


def _login(organisation: Organisation, role: str, prefix: str, first_name: str) -> User:
    """An existing login of the organisation in that role, or a neutral demo one."""
    existing = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing.user
    user, _created = User.objects.get_or_create(
        email=f"{prefix}.{organisation.slug}@{EMAIL_DOMAIN}",
        defaults={
            "first_name": first_name,
            "last_name": "Demo",
            "password": make_password(PASSWORD),
        },
    )
    Membership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return user


class _Residents:
    """Who lives in the partnership on a day, from the demo's stays."""

    def __init__(self) -> None:
        self.stays = list(
            Stay.objects.select_related("unit__site")
            .order_by("started_on", "id")
            .values_list("household_id", "started_on", "ended_on", "unit__site__organisation__slug")
        )
        self.persons: dict[int, list[Person]] = defaultdict(list)
        for person in Person.objects.order_by("id"):
            self.persons[person.household_id].append(person)

    def households_on(self, day: dt.date, slug: str | None = None) -> list[int]:
        return sorted(
            {
                household
                for household, start, end, org in self.stays
                if start <= day and (end is None or end > day) and (slug is None or org == slug)
            }
        )

    def adults_on(self, day: dt.date) -> list[Person]:
        return [
            person
            for household in self.households_on(day)
            for person in self.persons[household]
            if age_on(person.birth_date, day) >= ADULT_AGE
        ]

    def arrivals(self) -> list[tuple[int, dt.date]]:
        first: dict[int, dt.date] = {}
        for household, start, _end, _org in self.stays:
            first.setdefault(household, start)
        return sorted(first.items(), key=lambda item: (item[1], item[0]))


def _days(start: dt.date, weekdays: set[int]) -> list[dt.date]:
    days = []
    day = start
    while day <= LAST_DAY:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _sample(rng: random.Random, people: list[Any], low: int, high: int) -> list[Any]:
    if not people:
        return []
    return rng.sample(people, min(len(people), rng.randint(low, high)))


def load(rng: random.Random) -> None:
    organisations = {org.slug: org for org in Organisation.objects.all()}
    if not all(slug in organisations for slug, _spec in SERVICES):
        return  # not the Göteborg demo
    services: dict[str, Service] = {}
    staff: dict[str, User] = {}
    # Offered under the 2022 agreement, the only one the demo has when this part loads.
    agreement = Agreement.objects.order_by("starts_on").first()
    for slug, spec in SERVICES:
        organisation = organisations[slug]
        admin_role = Role.COORDINATOR if organisation.is_municipality else Role.PARTNER_ADMIN
        admin = _login(organisation, admin_role, "admin", "Partneradmin")
        fields = {key: value for key, value in spec.items() if key not in {"key", "starts", "ends"}}
        if "starts" in spec:
            fields["starts_at"] = dt.time(*spec["starts"])
            fields["ends_at"] = dt.time(*spec["ends"])
        services[spec["key"]] = service_create(actor=admin, agreement=agreement, **fields)
        staff[slug] = _login(organisation, Role.PARTNER_STAFF, "personal", "Personal")
        if organisation.is_municipality:
            staff[slug] = admin
    _deliveries(rng, services, staff, _Residents())


def _record(staff: User, service: Service, day: dt.date, people: list) -> None:
    if people:
        delivery_record_many(actor=staff, service=service, persons=people, on=day, confirm=True)


def _deliveries(
    rng: random.Random, services: dict[str, Service], staff: dict[str, User], residents: _Residents
) -> None:
    # Free lunch at the meeting place: visitors counted without names, every weekday.
    for day in _days(dt.date(2022, 4, 4), {MON, TUE, WED, THU, FRI}):
        count = rng.randint(25, 70)
        headcount_record(
            actor=staff["stadsmissionen"], service=services["lunch"], on=day, count=count
        )
    for day in _days(dt.date(2022, 9, 6), {TUE, THU}):
        _record(staff["stadsmissionen"], services["language_training"], day,
                _sample(rng, residents.adults_on(day), 6, 15))  # fmt: skip
    for day in _days(dt.date(2022, 9, 7), {WED}):
        _record(staff["stadsmissionen"], services["cv_coaching"], day,
                _sample(rng, residents.adults_on(day), 2, 6))  # fmt: skip
        _record(staff["reningsborg"], services["language_cafe"], day,
                _sample(rng, residents.adults_on(day), 8, 24))  # fmt: skip
    for day in _days(dt.date(2022, 5, 3), {TUE}):
        if day.day <= 7:  # civic guidance once a month
            _record(staff["goteborgs-stad"], services["civic_orientation"], day,
                    _sample(rng, residents.adults_on(day), 10, 25))  # fmt: skip
    # Health checks: most households within a few weeks of moving in.
    by_day: dict[dt.date, list[Person]] = defaultdict(list)
    for household, arrived in residents.arrivals():
        if rng.random() < 0.7:
            day = arrived + dt.timedelta(days=rng.randint(7, 28))
            if day <= LAST_DAY and household in residents.households_on(day):
                by_day[day].append(residents.persons[household][0])
    for day, people in sorted(by_day.items()):
        _record(staff["bracke-diakoni"], services["health_team"], day, people)
    # Hjärterum guests shop at the social supermarkets, at most once a week.
    for day in _days(dt.date(2022, 4, 8), {FRI}):
        households = residents.households_on(day, "raddningsmissionen")
        chosen = _sample(rng, households, len(households) // 4, len(households) // 2)
        _record(staff["raddningsmissionen"], services["social_supermarket"], day,
                [residents.persons[household][0] for household in chosen])  # fmt: skip
    # Jobbstart Ukraina: about 150 job seekers, a coaching meeting every few weeks.
    seekers = _sample(rng, residents.adults_on(dt.date(2022, 9, 1)), 150, 150)
    meetings: dict[dt.date, list[Person]] = defaultdict(list)
    for seeker in seekers:
        day = dt.date(2022, 5, 2) + dt.timedelta(days=rng.randint(0, 120))
        while day <= LAST_DAY:
            if day.weekday() < 5 and seeker.household_id in residents.households_on(day):
                meetings[day].append(seeker)
            day += dt.timedelta(days=rng.randint(14, 35))
    for day, people in sorted(meetings.items()):
        _record(staff["skyddsvarnet"], services["jobbstart"], day, people)
    # Internships paid with a transit card: a month at a time.
    interns = _sample(rng, residents.adults_on(dt.date(2022, 6, 15)), 15, 15)
    for month in range(6, 13):
        day = dt.date(2022, month, 1)
        _record(staff["reningsborg"], services["internship"], day,
                [p for p in interns if p.household_id in residents.households_on(day)])  # fmt: skip
    # Clothing before the winter: one household in three, once.
    for day in (dt.date(2022, 11, 5), dt.date(2022, 12, 10)):
        households = residents.households_on(day)
        chosen = _sample(rng, households, len(households) // 6, len(households) // 6)
        _record(staff["reningsborg"], services["clothing"], day,
                [residents.persons[household][0] for household in chosen])  # fmt: skip
