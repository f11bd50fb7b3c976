"""How well a unit fits a household, from the data: four parts, each scored 0..1.

- **distance**: from the unit's site to the household's anchor (a child's school, a job,
  relatives or a preferred district); 1 at the anchor, falling in a straight line to 0 at
  ``DISTANCE_ZERO_KM``;
- **language**: in a host home, 1 when a member of the household speaks a language the hosts
  speak, else 0;
- **food**: for a household with someone aged ``ELDERLY_AGE`` or more, 1 when the unit has
  food service, else 0;
- **fairness**: an even share of new placements across partners relative to their free beds
  (see ``fairness_scores``).

A part applies only where it means something: no anchor or no known location, no host
languages, nobody elderly. The fit is ``round(1000 × weighted mean)`` of the parts that apply
and have a weight; 0 when none does. Pure functions, no Django: they are tested alone and a
proposal keeps each item's parts so that the page can explain them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tillsammans.core.lib.geo import Point, distance_km
from tillsammans.placement.solver import MAX_FIT

DISTANCE_ZERO_KM = 20.0
ELDERLY_AGE = 65
# New placements counted for the fairness part: the last four weeks or so.
FAIRNESS_WINDOW_DAYS = 30
PARTS = ("distance", "language", "food", "fairness")


@dataclass(frozen=True)
class Weights:
    distance: int = 4
    language: int = 2
    food: int = 2
    fairness: int = 2

    def of(self, part: str) -> int:
        return int(getattr(self, part))

    def as_dict(self) -> dict[str, int]:
        return {part: self.of(part) for part in PARTS}


@dataclass(frozen=True)
class Anchor:
    kind: str
    district: str
    point: Point


@dataclass(frozen=True)
class HouseholdProfile:
    """What the fit needs to know about a household; equal profiles have equal fits."""

    anchor: Anchor | None = None
    languages: frozenset[str] = frozenset()
    elderly: bool = False


@dataclass(frozen=True)
class UnitProfile:
    """What the fit needs to know about a unit; equal profiles have equal fits."""

    partner: int
    location: Point | None = None
    host_languages: frozenset[str] = frozenset()
    food_service: bool = False


@dataclass(frozen=True)
class Part:
    name: str
    score: float
    weight: int
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"score": round(self.score, 3), "weight": self.weight, **self.detail}


@dataclass(frozen=True)
class Fairness:
    score: float
    free_share: float
    recent_share: float


def distance_score(km: float) -> float:
    return max(0.0, 1.0 - km / DISTANCE_ZERO_KM)


def fairness_scores(
    free_beds: Mapping[int, int], recent_persons: Mapping[int, int]
) -> dict[int, Fairness]:
    """Per partner: 1 when it got none of the recent placements, 0.5 when it got exactly its
    share (its part of all free beds), 0 when it got twice its share or more.

    A linear objective cannot spread one proposal's households evenly by itself; scoring by
    the share of recent placements makes the partners that fell behind come first, proposal
    after proposal, until the shares even out.
    """
    total_free = sum(max(0, n) for n in free_beds.values())
    total_recent = sum(max(0, recent_persons.get(p, 0)) for p in free_beds)
    scores: dict[int, Fairness] = {}
    for partner, free in free_beds.items():
        free_share = max(0, free) / total_free if total_free else 0.0
        recent_share = (
            max(0, recent_persons.get(partner, 0)) / total_recent if total_recent else free_share
        )
        ratio = recent_share / free_share if free_share > 0 else 2.0
        score = min(1.0, max(0.0, 1.0 - ratio / 2))
        scores[partner] = Fairness(score, free_share, recent_share)
    return scores


def fit_parts(
    household: HouseholdProfile,
    unit: UnitProfile,
    weights: Weights,
    fairness: Mapping[int, Fairness],
) -> list[Part]:
    """The parts that apply to this pair, each with its score, weight and what it rests on."""
    parts: list[Part] = []
    anchor = household.anchor
    if anchor is not None and unit.location is not None:
        km = distance_km(anchor.point, unit.location)
        parts.append(
            Part(
                "distance",
                distance_score(km),
                weights.distance,
                {"km": round(km, 1), "anchor": anchor.kind, "district": anchor.district},
            )
        )
    if unit.host_languages:
        shared = sorted(household.languages & unit.host_languages)
        parts.append(Part("language", 1.0 if shared else 0.0, weights.language, {"shared": shared}))
    if household.elderly:
        parts.append(Part("food", 1.0 if unit.food_service else 0.0, weights.food, {}))
    share = fairness.get(unit.partner)
    if share is not None:
        parts.append(
            Part(
                "fairness",
                share.score,
                weights.fairness,
                {
                    "free_share": round(share.free_share, 3),
                    "recent_share": round(share.recent_share, 3),
                },
            )
        )
    return parts


def combine(parts: Iterable[Part]) -> int:
    """``round(1000 × weighted mean)`` of the parts with a weight; 0 when there is none."""
    total = sum(part.weight for part in parts if part.weight > 0)
    if total <= 0:
        return 0
    mean = sum(part.weight * part.score for part in parts if part.weight > 0) / total
    return max(0, min(MAX_FIT, round(MAX_FIT * mean)))


class FitTable:
    """Fits by household and unit profile, each pair of profiles computed once.

    A city has a few dozen distinct unit profiles (a site's units mostly share one) and
    households repeat too, so a proposal over hundreds of households and units computes a
    few thousand fits, not one per pair.
    """

    def __init__(self, weights: Weights, fairness: Mapping[int, Fairness]) -> None:
        self.weights = weights
        self.fairness = fairness
        self._fits: dict[tuple[HouseholdProfile, UnitProfile], int] = {}

    def parts(self, household: HouseholdProfile, unit: UnitProfile) -> list[Part]:
        return fit_parts(household, unit, self.weights, self.fairness)

    def fit(self, household: HouseholdProfile, unit: UnitProfile) -> int:
        key = (household, unit)
        found = self._fits.get(key)
        if found is None:
            found = self._fits[key] = combine(self.parts(household, unit))
        return found
