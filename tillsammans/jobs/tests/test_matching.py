import datetime as dt
import re

from django.utils import translation

from tillsammans.jobs.matching import openings_for_seeker, seekers_for_opening
from tillsammans.jobs.models import Occupation

from .conftest import enrol, opening, resident


def test_it_ranks_the_seeker_with_the_right_occupation_and_languages_first(cast, programme):
    # given: an opening for an assistant nurse; one seeker wants exactly that and speaks
    # Swedish well, the other wants to cook and speaks no Swedish
    nurse = enrol(cast, resident(cast, "Olha"), swedish=2, english=2)
    cook = enrol(
        cast, resident(cast, "Petro"), swedish=0, english=0,
        wanted_occupation=Occupation.objects.get(code="5120"),
    )  # fmt: skip
    job = opening(cast, title="Undersköterska", occupation=Occupation.objects.get(code="5321"))
    # when
    with translation.override("en"):
        ranked = seekers_for_opening(job)
    # then
    assert [match.id for match in ranked] == [nurse.pk, cook.pk]
    assert ranked[0].score > ranked[1].score
    assert "Wants this occupation" in ranked[0].reasons


def test_it_counts_the_same_group_partly(cast, programme):
    # given: one seeker wants 5321, another 5330 (same 2-digit group 53), a third 9111
    exact = enrol(cast, resident(cast, "Olha"))
    group = enrol(
        cast, resident(cast, "Petro"), wanted_occupation=Occupation.objects.get(code="5330")
    )
    other = enrol(
        cast, resident(cast, "Anna"), wanted_occupation=Occupation.objects.get(code="9111")
    )
    job = opening(cast, occupation=Occupation.objects.get(code="5321"))
    # when
    ranked = {match.id: match for match in seekers_for_opening(job)}
    # then
    assert ranked[exact.pk].score > ranked[group.pk].score > ranked[other.pk].score


def test_it_leaves_out_seekers_who_miss_a_hard_requirement(cast, programme):
    # given: the opening needs good Swedish and a driving licence
    fits = enrol(cast, resident(cast, "Olha"), swedish=2, driving_licence=True)
    enrol(cast, resident(cast, "Petro"), swedish=1, driving_licence=True)
    enrol(cast, resident(cast, "Anna"), swedish=3, driving_licence=False)
    job = opening(cast, swedish=2, driving_licence=True)
    # when
    ranked = seekers_for_opening(job)
    # then
    assert [match.id for match in ranked] == [fits.pk]


def test_it_leaves_out_openings_too_far_away(cast, programme):
    # given: the seeker lives in Angered and travels at most 3 km
    seeker = enrol(cast, home_district="Angered", max_travel_km=3)
    near = opening(cast, title="Nära", district="Angered")
    opening(cast, title="Långt bort", district="Västra Göteborg")
    # when
    with translation.override("en"):
        ranked = openings_for_seeker(seeker)
    # then
    assert [match.id for match in ranked] == [near.pk]
    assert "0.0 km from home" in ranked[0].reasons


def test_it_writes_the_distance_with_a_decimal_comma_in_swedish(cast, programme):
    # given: a seeker in Lundby and an opening in Majorna-Linné, a few kilometres away
    seeker = enrol(cast, home_district="Lundby", max_travel_km=25)
    opening(cast, title="Restaurangbiträde", district="Majorna-Linné")
    # when
    with translation.override("sv"):
        ranked = openings_for_seeker(seeker)
    # then: "3,1 km hemifrån", never "3.1"
    distance = next(reason for reason in ranked[0].reasons if "km" in reason)
    assert re.fullmatch(r"\d+,\d km hemifrån", distance), distance


def test_it_prefers_an_opening_the_seeker_is_available_for(cast, programme):
    # given: the seeker is available from August
    seeker = enrol(cast, available_from=dt.date(2022, 8, 1))
    late = opening(cast, title="Från augusti", starts_on=dt.date(2022, 8, 15))
    early = opening(cast, title="Från juni", starts_on=dt.date(2022, 6, 1))
    # when
    ranked = openings_for_seeker(seeker)
    # then
    assert [match.id for match in ranked] == [late.pk, early.pk]


def test_it_shows_no_other_organisations_openings(cast, programme):
    # given: partner B runs a programme of its own with an opening
    from tillsammans.jobs.services import employer_create, programme_start

    programme_start(actor=cast.coordinator, organisation=cast.org_b, name="B jobb")
    b_employer = employer_create(actor=cast.b_staff, name="B AB", district="Centrum")
    from tillsammans.jobs.services import opening_create

    opening_create(
        actor=cast.b_staff, employer=b_employer, title="B",
        occupation=Occupation.objects.get(code="5321"), district="Lundby", hours_per_week=20,
        starts_on=dt.date(2022, 7, 1),
    )  # fmt: skip
    seeker = enrol(cast)
    # when
    ranked = openings_for_seeker(seeker)
    # then
    assert ranked == []


def test_it_scores_in_the_database_exactly_as_the_reference_in_python(cast, programme):
    # given: a dozen seekers and openings with random profiles (fewer than the widening
    # threshold, so the database ranks everyone, as the naive baseline does)
    import random

    from tillsammans.core.lib.geo import DISTRICTS
    from tillsammans.jobs.matching import (
        openings_for_seeker_naive,
        seekers_for_opening_naive,
    )

    rng = random.Random(7)
    codes = ["5321", "5322", "5330", "5120", "9111", "2221", None]
    districts = list(DISTRICTS)
    seekers = [
        enrol(
            cast, resident(cast, f"S{index}"),
            wanted_occupation=Occupation.objects.get(code=rng.choice(codes[:-1])),
            previous_occupation=(lambda c: Occupation.objects.get(code=c) if c else None)(
                rng.choice(codes)
            ),
            swedish=rng.randint(0, 3), english=rng.randint(0, 3), russian=rng.randint(0, 3),
            available_from=dt.date(2022, 6, 1) + dt.timedelta(days=rng.randint(0, 60)),
            home_district=rng.choice(districts), max_travel_km=rng.choice([5, 10, 20]),
            hours_per_week=rng.choice([20, 40]), driving_licence=rng.random() < 0.5,
        )
        for index in range(12)
    ]  # fmt: skip
    openings = [
        opening(
            cast, title=f"O{index}",
            occupation=Occupation.objects.get(code=rng.choice(codes[:-1])),
            district=rng.choice(districts), swedish=rng.randint(0, 2), english=rng.randint(0, 1),
            starts_on=dt.date(2022, 6, 1) + dt.timedelta(days=rng.randint(0, 60)),
            hours_per_week=rng.choice([20, 30]), driving_licence=rng.random() < 0.2,
        )
        for index in range(12)
    ]  # fmt: skip
    # when / then
    for job in openings:
        fast = [(m.id, m.score, m.reasons) for m in seekers_for_opening(job)]
        naive = [(m.id, m.score, m.reasons) for m in seekers_for_opening_naive(job)]
        assert fast == naive
    for seeker in seekers:
        fast = [(m.id, m.score) for m in openings_for_seeker(seeker)]
        naive = [(m.id, m.score) for m in openings_for_seeker_naive(seeker)]
        assert fast == naive
