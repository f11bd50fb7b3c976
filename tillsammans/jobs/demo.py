"""Demo: Skyddsvärnet's Jobbstart Ukraina in 2022 — about 150 enrolled, over 40 in work.

The job seekers are the main demo's synthetic residents; the employers are invented and
clearly fictional ("Exempel…"). The year is written as history, straight into the tables
with the dates it happened on: the services check the rules of today (who lives where now,
nothing dated in the future), which a replay of 2022 cannot meet. Every step still leaves a
stage change, so the figures are computed exactly as for live data.
"""

import datetime as dt
import random

from django.db.models import Min

from tillsammans.core.lib.dates import age_on
from tillsammans.core.lib.geo import district_name
from tillsammans.core.models import User
from tillsammans.partnership.models import Membership, Organisation, Role
from tillsammans.people.models import Person
from tillsammans.reception.models import Stay

from .models import (
    Education,
    Employer,
    EmployerContact,
    Employment,
    EmploymentType,
    EndReason,
    FollowUp,
    JobSeeker,
    Occupation,
    Opening,
    Programme,
    Proposal,
    Stage,
    StageChange,
)

ORGANISATION = "skyddsvarnet"
ENROLLED = 150
FIRST_ENROLMENT = dt.date(2022, 4, 4)
LAST_ENROLMENT = dt.date(2022, 11, 25)
LAST_DAY = dt.date(2022, 12, 31)

# Occupations the seeds' job seekers came from and went to: care, cleaning, kitchens,
# warehouses, shops, building, transport, schools and offices.
OCCUPATIONS = [
    "5321", "5330", "5343", "9111", "9412", "5120", "4321", "5223", "7112", "8332",
    "8321", "5311", "2341", "4111", "2512", "2221", "7411", "9310", "5131", "3512",
]  # fmt: skip

# name, district, openings as (title, occupation, hours, Swedish at least, licence)
EMPLOYERS = [
    ("Exempelvården Omsorg AB", "Centrum",
     [("Undersköterska, äldreboende", "5321", 40, 1, False), ("Vårdbiträde", "5330", 30, 1, False),
      ("Personlig assistent", "5343", 25, 1, False)]),
    ("Exempelstädet Service AB", "Lundby",
     [("Städare, kontor", "9111", 30, 0, False), ("Städare, hotell", "9111", 40, 0, False)]),
    ("Exempelköket Restaurang AB", "Majorna-Linné",
     [("Kock", "5120", 40, 1, False), ("Restaurangbiträde", "9412", 30, 0, False),
      ("Servitör", "5131", 30, 2, False)]),
    ("Exempellagret Logistik AB", "Hisingen",
     [("Lagerarbetare", "4321", 40, 0, False), ("Truckförare", "8344", 40, 1, True)]),
    ("Exempelbutiken Handel AB", "Östra Göteborg",
     [("Butiksbiträde", "5223", 30, 2, False)]),
    ("Exempelbygg AB", "Angered",
     [("Träarbetare", "7112", 40, 0, True), ("Byggarbetare", "9310", 40, 0, False)]),
    ("Exempelskolan Förskola AB", "Örgryte-Härlanda",
     [("Barnskötare", "5311", 35, 2, False), ("Modersmålslärare ukrainska", "2341", 20, 1, False)]),
    ("Exempeltransport AB", "Västra Hisingen",
     [("Budbilsförare", "8321", 40, 1, True)]),
]  # fmt: skip

FOLLOW_UP_NOTES = [
    "Coachningssamtal.",
    "Genomgång av CV.",
    "Intervjuträning.",
    "Uppföljning med arbetsgivaren.",
    "Studiebesök på arbetsplats.",
]

EXPERIENCE = {
    "5321": "Arbetade inom äldreomsorgen i Charkiv.",
    "9111": "Städning på hotell och kontor.",
    "5120": "Kock på restaurang i Kyiv.",
    "2341": "Lärare i grundskolan i Dnipro.",
    "2512": "Programmerare, webbutveckling.",
    "2221": "Sjuksköterska på sjukhus i Lviv.",
}


def _coaches(organisation: Organisation) -> list:
    memberships = Membership.objects.filter(
        organisation=organisation, role__in=[Role.PARTNER_STAFF, Role.PARTNER_ADMIN]
    ).select_related("user")
    return [membership.user for membership in memberships.order_by("role", "id")]


def _candidates() -> list[tuple[Person, dt.date, str]]:
    """Adults of working age who lived in the city in 2022, with their arrival and district."""
    arrived = dict(
        Stay.objects.filter(started_on__lte=LAST_ENROLMENT)
        .values("household_id")
        .annotate(first=Min("started_on"))
        .values_list("household_id", "first")
    )
    districts = dict(
        Stay.objects.filter(household_id__in=arrived)
        .order_by("household_id", "started_on")
        .values_list("household_id", "unit__site__district")
    )
    chosen = []
    for person in Person.objects.filter(household_id__in=arrived).order_by("id"):
        if 20 <= age_on(person.birth_date, dt.date(2022, 6, 1)) <= 62:
            district = district_name(districts.get(person.household_id) or "") or "Centrum"
            chosen.append((person, arrived[person.household_id], district))
    return chosen


def _step(
    seeker: JobSeeker, stage: str, on: dt.date, coach: User, steps: list[StageChange]
) -> None:
    steps.append(
        StageChange(seeker=seeker, from_stage=seeker.stage, to_stage=stage, on=on, by=coach)
    )
    seeker.stage = stage
    seeker.stage_changed_on = on


def load(rng: random.Random) -> None:
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None or JobSeeker.objects.exists():
        return  # not the Göteborg demo, or loaded already
    coaches = _coaches(organisation)
    candidates = _candidates()
    if not coaches or len(candidates) < ENROLLED:
        return
    Programme.objects.get_or_create(
        organisation=organisation, defaults={"name": "Jobbstart Ukraina"}
    )
    occupations = Occupation.objects.in_bulk()
    openings: list[Opening] = []
    for name, district, posts in EMPLOYERS:
        employer = Employer.objects.create(organisation=organisation, name=name, district=district)
        EmployerContact.objects.create(
            employer=employer, name="Rekryterande chef", title="Rekrytering",
            email=f"rekrytering@{name.split()[0].lower()}.example",
        )  # fmt: skip
        for title, code, hours, swedish, licence in posts:
            for round_ in range(3):
                openings.append(
                    Opening.objects.create(
                        employer=employer, organisation=organisation, title=title,
                        occupation=occupations[code], group=code[:2], district=district,
                        hours_per_week=hours, starts_on=dt.date(2022, 5 + round_ * 3, 1),
                        driving_licence=licence, swedish=swedish, is_open=round_ == 2,
                    )
                )  # fmt: skip
    picked = rng.sample(candidates, ENROLLED)
    employed_target = 46
    steps: list[StageChange] = []
    follow_ups: list[FollowUp] = []
    for index, (person, arrived, district) in enumerate(picked):
        coach = coaches[index % len(coaches)]
        span = (LAST_ENROLMENT - FIRST_ENROLMENT).days
        enrolled_on = max(
            FIRST_ENROLMENT + dt.timedelta(days=rng.randint(0, span)),
            arrived + dt.timedelta(days=rng.randint(10, 40)),
        )
        enrolled_on = min(enrolled_on, LAST_ENROLMENT)
        wanted = rng.choice(OCCUPATIONS)
        previous = rng.choice([wanted, *OCCUPATIONS]) if rng.random() < 0.8 else None
        seeker = JobSeeker(
            organisation=organisation, person=person, coach=coach, enrolled_on=enrolled_on,
            consent_given_on=enrolled_on, consent_explained_in=rng.choice(["uk", "uk", "ru", "en"]),
            wanted_occupation=occupations[wanted], wanted_group=wanted[:2],
            previous_occupation=occupations[previous] if previous else None,
            previous_group=previous[:2] if previous else "",
            education=rng.choice(Education.values[1:]),
            experience=EXPERIENCE.get(previous or "", ""),
            swedish=rng.choice([0, 0, 1, 1, 1, 2, 3]), english=rng.choice([0, 1, 1, 2, 2, 3]),
            ukrainian=rng.choice([2, 3, 4, 4]), russian=rng.choice([0, 1, 2, 3, 4]),
            driving_licence=rng.random() < 0.4,
            available_from=enrolled_on + dt.timedelta(days=rng.choice([0, 0, 7, 14, 30])),
            hours_per_week=rng.choice([20, 30, 40, 40]), home_district=district,
            max_travel_km=rng.choice([5, 10, 15, 20, 25]),
            stage=Stage.ENROLLED, stage_changed_on=enrolled_on,
        )  # fmt: skip
        seeker.save()
        steps.append(StageChange(seeker=seeker, to_stage=Stage.ENROLLED, on=enrolled_on, by=coach))
        day = enrolled_on
        for _meeting in range(rng.randint(1, 6)):
            day += dt.timedelta(days=rng.randint(10, 30))
            if day > LAST_DAY:
                break
            note = rng.choice(FOLLOW_UP_NOTES)
            follow_ups.append(FollowUp(seeker=seeker, on=day, by=coach, note=note))
        day = enrolled_on + dt.timedelta(days=rng.randint(7, 21))
        if day > LAST_DAY:
            continue
        _step(seeker, Stage.CV_READY, day, coach, steps)
        fits = [o for o in openings if o.occupation_id[:1] == wanted[:1]] or openings
        remaining = employed_target - sum(1 for s in steps if s.to_stage == Stage.EMPLOYED)
        hopes = 0.95 if remaining > 0 and enrolled_on < dt.date(2022, 10, 1) else 0.35
        if rng.random() < 0.7:
            day += dt.timedelta(days=rng.randint(7, 28))
            if day <= LAST_DAY:
                opening = rng.choice(fits)
                Proposal.objects.create(
                    seeker=seeker, opening=opening, proposed_on=day, proposed_by=coach
                )
                _step(seeker, Stage.PROPOSED, day, coach, steps)
                if rng.random() < hopes:
                    day += dt.timedelta(days=rng.randint(5, 14))
                    if day <= LAST_DAY:
                        _step(seeker, Stage.INTERVIEW, day, coach, steps)
                        day += dt.timedelta(days=rng.randint(3, 10))
                        if day <= LAST_DAY and rng.random() < 0.9:
                            _step(seeker, Stage.OFFER, day, coach, steps)
                            day += dt.timedelta(days=rng.randint(2, 7))
                            if day <= LAST_DAY and remaining > 0:
                                _step(seeker, Stage.EMPLOYED, day, coach, steps)
                                starts = day + dt.timedelta(days=rng.randint(0, 14))
                                ended = None
                                if rng.random() < 0.15:
                                    ended = starts + dt.timedelta(days=rng.randint(30, 80))
                                    ended = ended if ended <= LAST_DAY else None
                                Employment.objects.create(
                                    seeker=seeker, employer=opening.employer, opening=opening,
                                    employment_type=rng.choice(EmploymentType.values),
                                    hours_per_week=opening.hours_per_week, starts_on=starts,
                                    ended_on=ended,
                                )  # fmt: skip
                                if ended is not None:
                                    seeker.end_reason = EndReason.JOB_ENDED
                                    _step(seeker, Stage.ENDED, ended, coach, steps)
        if seeker.stage in (Stage.ENROLLED, Stage.CV_READY) and rng.random() < 0.12:
            end = day + dt.timedelta(days=rng.randint(20, 60))
            if end <= LAST_DAY:
                seeker.end_reason = rng.choice(
                    [EndReason.MOVED, EndReason.RETURNED, EndReason.STUDIES, EndReason.NO_CONTACT]
                )
                _step(seeker, Stage.ENDED, end, coach, steps)
        seeker.save(update_fields=["stage", "stage_changed_on", "end_reason"])
    StageChange.objects.bulk_create(steps)
    FollowUp.objects.bulk_create(follow_ups)
