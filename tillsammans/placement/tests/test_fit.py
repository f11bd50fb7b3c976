"""The parts of the fit, computed from plain data (no database)."""

import pytest

from tillsammans.core.lib.geo import DISTRICTS, distance_km
from tillsammans.placement.fit import (
    Anchor,
    Fairness,
    FitTable,
    HouseholdProfile,
    Part,
    UnitProfile,
    Weights,
    combine,
    distance_score,
    fairness_scores,
    fit_parts,
)

CENTRUM = DISTRICTS["Centrum"]
ANGERED = DISTRICTS["Angered"]
NO_FAIRNESS: dict[int, Fairness] = {}


DEFAULT_WEIGHTS = Weights()


def _parts(household, unit, weights=DEFAULT_WEIGHTS, fairness=NO_FAIRNESS):
    return {part.name: part for part in fit_parts(household, unit, weights, fairness)}


@pytest.mark.parametrize(("km", "score"), [(0, 1.0), (5, 0.75), (10, 0.5), (20, 0.0), (35, 0.0)])
def test_it_scores_distance_from_one_at_the_anchor_to_zero_at_twenty_km(km, score):
    assert distance_score(km) == pytest.approx(score)


def test_it_scores_the_distance_to_the_anchor_with_what_it_rests_on():
    # given: a child's school in Angered, a unit in the centre
    household = HouseholdProfile(anchor=Anchor("school", "Angered", ANGERED))
    unit = UnitProfile(partner=1, location=CENTRUM)
    # when
    part = _parts(household, unit)["distance"]
    # then
    km = distance_km(ANGERED, CENTRUM)
    assert part.score == pytest.approx(1 - km / 20)
    assert part.detail == {"km": round(km, 1), "anchor": "school", "district": "Angered"}
    assert part.weight == Weights().distance


def test_it_leaves_distance_out_without_an_anchor_or_a_location():
    # given
    anchored = HouseholdProfile(anchor=Anchor("work", "Centrum", CENTRUM))
    # when / then
    assert "distance" not in _parts(HouseholdProfile(), UnitProfile(partner=1, location=CENTRUM))
    assert "distance" not in _parts(anchored, UnitProfile(partner=1, location=None))


def test_it_scores_a_shared_language_only_in_a_host_home():
    # given
    household = HouseholdProfile(languages=frozenset({"uk", "ru"}))
    speaks_russian = UnitProfile(partner=1, host_languages=frozenset({"sv", "ru"}))
    swedish_only = UnitProfile(partner=1, host_languages=frozenset({"sv"}))
    collective = UnitProfile(partner=1)
    # when
    shared = _parts(household, speaks_russian)["language"]
    unshared = _parts(household, swedish_only)["language"]
    # then
    assert (shared.score, shared.detail) == (1.0, {"shared": ["ru"]})
    assert (unshared.score, unshared.detail) == (0.0, {"shared": []})
    assert "language" not in _parts(household, collective)


def test_it_scores_food_service_only_for_a_household_with_someone_elderly():
    # given
    elderly = HouseholdProfile(elderly=True)
    with_food = UnitProfile(partner=1, food_service=True)
    self_catering = UnitProfile(partner=1, food_service=False)
    # when / then
    assert _parts(elderly, with_food)["food"].score == 1.0
    assert _parts(elderly, self_catering)["food"].score == 0.0
    assert "food" not in _parts(HouseholdProfile(), with_food)


def test_it_gives_every_partner_the_middle_score_when_nobody_was_placed_lately():
    # when
    scores = fairness_scores({1: 30, 2: 10}, {})
    # then
    assert scores[1] == Fairness(0.5, 0.75, 0.75)
    assert scores[2] == Fairness(0.5, 0.25, 0.25)


def test_it_puts_first_the_partner_that_got_less_than_its_share_of_the_free_beds():
    # given: equal free beds, but partner 1 received every recent placement
    free = {1: 20, 2: 20}
    recent = {1: 12}
    # when
    scores = fairness_scores(free, recent)
    # then: partner 1 got twice its share (0 points), partner 2 none of it (1 point)
    assert scores[1].score == 0.0
    assert scores[2].score == 1.0
    assert (scores[1].free_share, scores[1].recent_share) == (0.5, 1.0)


def test_it_gives_a_partner_that_got_exactly_its_share_the_middle_score():
    # when
    scores = fairness_scores({1: 30, 2: 10}, {1: 3, 2: 1})
    # then
    assert scores[1].score == pytest.approx(0.5)
    assert scores[2].score == pytest.approx(0.5)


def test_it_adds_the_partner_fairness_to_every_pair():
    # given
    fairness = fairness_scores({7: 10, 8: 10}, {7: 4})
    # when
    part = _parts(HouseholdProfile(), UnitProfile(partner=8), fairness=fairness)["fairness"]
    # then
    assert part.score == 1.0
    assert part.detail == {"free_share": 0.5, "recent_share": 0.0}


def test_it_makes_the_fit_the_weighted_mean_of_the_parts_times_a_thousand():
    # given
    parts = [Part("distance", 0.8, 4), Part("food", 1.0, 2), Part("fairness", 0.5, 2)]
    # when
    fit = combine(parts)
    # then: (4 × 0.8 + 2 × 1 + 2 × 0.5) / 8 = 0.775
    assert fit == 775


def test_it_leaves_out_parts_weighted_zero_and_gives_zero_when_nothing_counts():
    # when / then
    assert combine([Part("distance", 0.2, 0), Part("food", 1.0, 3)]) == 1000
    assert combine([Part("distance", 0.2, 0)]) == 0
    assert combine([]) == 0


def test_it_computes_each_pair_of_profiles_once():
    # given
    table = FitTable(Weights(distance=1, language=0, food=0, fairness=0), NO_FAIRNESS)
    household = HouseholdProfile(anchor=Anchor("relatives", "Centrum", CENTRUM))
    unit = UnitProfile(partner=1, location=CENTRUM)
    # when
    first = table.fit(household, unit)
    second = table.fit(HouseholdProfile(anchor=Anchor("relatives", "Centrum", CENTRUM)), unit)
    # then
    assert first == second == 1000
    assert len(table._fits) == 1
