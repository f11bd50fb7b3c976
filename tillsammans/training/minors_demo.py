"""The trainings of the 2015–2016 partnership for unaccompanied minors: "Rädda barnen och
Röda korset erbjuder personalutbildningar, med traumakunskap och asylrätt" (seed 004). Run
after ``partnership.demo`` has registered the two organisations. Dates and places invented."""

import datetime as dt
import random

from tillsammans.partnership.models import Membership, Organisation, Role

from .models import TrainingTopic
from .services import attendance_record, session_create

# title, topic, day, place, organiser slug, seats
SESSIONS = [
    ("Traumakunskap: att möta barn och unga som flytt", TrainingTopic.TRAUMA,
     dt.date(2016, 4, 13), "Stadshuset", "radda-barnen", 40),
    ("Asylrätt för ensamkommande barn", TrainingTopic.ASYLUM_LAW, dt.date(2016, 5, 11),
     "Stadshuset", "roda-korset", 40),
]  # fmt: skip


def load(rng: random.Random) -> None:
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[s[4] for s in SESSIONS])
    }
    coordinator = Membership.objects.filter(role=Role.COORDINATOR).select_related("user").first()
    if coordinator is None or len(organisations) < len(SESSIONS):
        return  # not the Göteborg demo
    # The staff of the agreement's parties come: the partnership trained its own people.
    parties = list(
        Organisation.objects.filter(parties__agreement__starts_on__year=2015).order_by("name")
    )
    for title, topic, day, place, organiser, seats in SESSIONS:
        session = session_create(
            actor=coordinator.user, title=title, topic=topic, held_on=day,
            starts_at=dt.time(9, 0), place=place, organiser=organisations[organiser],
            max_seats=seats,
        )  # fmt: skip
        free = seats
        for organisation in parties:
            count = min(rng.randint(2, 5), free)
            if count:
                attendance_record(
                    actor=coordinator.user, session=session, organisation=organisation,
                    staff_count=count,
                )  # fmt: skip
                free -= count
