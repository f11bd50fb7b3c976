"""Joint trainings and volunteers in the demo "Göteborg 2022".

The topics are the four the 2022 annual report gives (seed 000): Ukrainian culture,
trafficking, labour exploitation and civic orientation through Integrationscentrum. The
minors' partnership's trainings (trauma and asylum law, seed 004) belong to 2016 and to Röda
Korset and Rädda Barnen: ``training.minors_demo``. Dates, places and head counts are
invented; volunteers are synthetic first names.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from tillsammans.core.models import User
from tillsammans.partnership.models import Membership, Organisation, Role

from .models import TrainingTopic
from .services import attendance_record, session_create, volunteer_create, volunteer_hours_record

EMAIL_DOMAIN = "demo.tillsammans.example"
PASSWORD = "tillsammans-demo-2022"  # noqa: S105 -- the demo's published login, as in reporting

# title, topic, day, place, organiser slug, seats
SESSIONS = [
    ("Kulturkunskap om Ukraina", TrainingTopic.UKRAINIAN_CULTURE, dt.date(2022, 5, 18),
     "Integrationscentrum", "goteborgs-stad", 60),
    ("Trafficking och människohandel: tecken och vart man vänder sig",
     TrainingTopic.TRAFFICKING, dt.date(2022, 6, 15), "Integrationscentrum", "goteborgs-stad", 60),
    ("Exploatering på arbetsmarknaden", TrainingTopic.LABOUR_EXPLOITATION, dt.date(2022, 9, 21),
     "Räddningsmissionen", "raddningsmissionen", 40),
    ("Samhällsvägledning för personal på boendena", TrainingTopic.CIVIC_ORIENTATION,
     dt.date(2022, 10, 12), "Integrationscentrum", "goteborgs-stad", 50),
]  # fmt: skip

# What volunteers help with, per partner, in the words of the annual report (seed 000).
HELPS_WITH = {
    "skyddsvarnet": ["Klädinsamling", "Städ- och hygienartiklar", "Stöd i jobbsökandet"],
    "stadsmissionen": ["Lunch på Mötesplats Ukraina", "Språkträning", "Matkassar"],
    "raddningsmissionen": ["Maträttsbutiken", "Stöd till värdar i Hjärterum"],
    "reningsborg": ["Språkcafé", "Klädinsamling", "Secondhandbutik"],
    "bracke-diakoni": ["Volontärsamordning", "Kulturevenemang", "Friskvårdsaktiviteter"],
}
FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Ingrid", "Birgitta", "Elin",
    "Johanna", "Sofia", "Marie", "Linnea", "Erik", "Lars", "Karl", "Anders", "Johan", "Per",
    "Nils", "Mikael", "Olof", "Jonas", "Gustav", "Henrik", "Oskar", "Ali", "Yusuf", "Fatima",
    "Leila", "Nadia",
]  # fmt: skip
HOURS_FROM = dt.date(2022, 4, 1)


def _login(organisation: Organisation, role: str, prefix: str) -> User:
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
            "first_name": "Personal",
            "last_name": "Demo",
            "password": make_password(PASSWORD),
        },
    )
    Membership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return user


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def load(rng: random.Random) -> None:
    organisations = {org.slug: org for org in Organisation.objects.all()}
    if not all(slug in organisations for slug in HELPS_WITH):
        return  # not the Göteborg demo
    city = next(org for org in organisations.values() if org.is_municipality)
    coordinator = _login(city, Role.COORDINATOR, "samordnare")
    for title, topic, day, place, organiser, seats in SESSIONS:
        session = session_create(
            actor=coordinator,
            title=title,
            topic=topic,
            held_on=day,
            starts_at=dt.time(9, 0),
            place=place,
            organiser=organisations[organiser],
            max_seats=seats,
        )
        free = seats
        for organisation in sorted(organisations.values(), key=lambda org: org.name):
            count = min(rng.randint(2, 10), free)
            if count:
                attendance_record(
                    actor=coordinator, session=session, organisation=organisation, staff_count=count
                )
                free -= count
    months = _months(HOURS_FROM, dt.date(2022, 12, 1))
    for slug, tasks in HELPS_WITH.items():
        staff = _login(organisations[slug], Role.PARTNER_STAFF, "personal")
        for alias in rng.sample(FIRST_NAMES, rng.randint(3, 6)):
            volunteer = volunteer_create(actor=staff, alias=alias, helps_with=rng.choice(tasks))
            for month in months[rng.randint(0, 4) :]:
                hours = Decimal(rng.randint(4, 40)) / 2
                volunteer_hours_record(actor=staff, volunteer=volunteer, month=month, hours=hours)
