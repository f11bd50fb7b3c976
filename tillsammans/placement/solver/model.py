"""The placement problem and its result, as plain data (no Django).

A problem is kept as numpy arrays, so that a problem of 100 000 households and two million
candidate pairs is built, checked and solved without a Python object per pair. ``Problem.build``
checks the input and applies the hard rules; ``parse_problem`` reads the documented JSON form.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .constants import MAX_FIT, PERSON_VALUE, UNBOUNDED


class ProblemError(ValueError):
    """The problem cannot be solved as given: the message names what is wrong, in one line."""


@dataclass(frozen=True)
class Household:
    id: str
    size: int
    needs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Unit:
    id: str
    capacity: int
    max_households: int | None = None
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Assignment:
    household: str
    unit: str
    fit: int


@dataclass(frozen=True)
class Unplaced:
    """A household left without a place, with a reason a coordinator can act on.

    ``code`` is ``no_unit`` (no unit has the needs and the beds at all), ``no_candidate``
    (units have them, but none was given as a candidate pair) or ``outbid`` (every candidate
    unit houses more persons, or fits them better, with other households); ``needs`` and
    ``size`` say what was looked for, ``suitable`` how many units have them and
    ``candidates`` how many of those were candidate pairs.
    """

    household: str
    code: str
    needs: tuple[str, ...]
    size: int
    suitable: int
    candidates: int = 0

    @property
    def reason(self) -> str:
        beds = f"{self.size} free bed" if self.size == 1 else f"{self.size} free beds"
        wanted = " and ".join([*self.needs, beds])
        if self.code == "no_unit":
            return f"no unit with {wanted}"
        if self.code == "no_candidate":
            return f"no candidate unit was given (units with {wanted}: {self.suitable})"
        units = "unit is" if self.candidates == 1 else "units are"
        return (
            f"its {self.candidates} candidate {units} better used by other households "
            "(more persons housed, or a better fit)"
        )


@dataclass(frozen=True)
class Result:
    assignments: tuple[Assignment, ...]
    objective: int
    upper_bound: int
    persons_placed: int
    households_placed: int
    unplaced: tuple[Unplaced, ...]
    seconds: float
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        if self.upper_bound <= 0:
            return 0.0
        return (self.upper_bound - self.objective) / self.upper_bound

    @property
    def optimal(self) -> bool:
        return self.objective >= self.upper_bound

    def to_json(self) -> dict[str, Any]:
        return {
            "assignments": [
                {"household": a.household, "unit": a.unit, "fit": a.fit} for a in self.assignments
            ],
            "objective": self.objective,
            "upper_bound": self.upper_bound,
            "gap": round(self.gap, 9),
            "persons_placed": self.persons_placed,
            "households_placed": self.households_placed,
            "unplaced": [{"household": u.household, "reason": u.reason} for u in self.unplaced],
            "seconds": round(self.seconds, 3),
        }


@dataclass
class Problem:
    """Households, units and the allowed pairs, already checked against the hard rules.

    Arrays (all ``int64``): ``size[h]``; ``capacity[u]``; ``max_households[u]`` (``UNBOUNDED``
    when there is no limit); and one entry per allowed pair ``j``: ``cand_h[j]``, ``cand_u[j]``,
    ``cand_fit[j]``. Pairs are sorted by household, then unit, and there is at most one per
    household and unit. ``pinned`` holds household indexes whose only pair is the one they must
    take (a coordinator's pin).
    """

    household_ids: list[str]
    size: np.ndarray
    needs: list[frozenset[str]]
    unit_ids: list[str]
    capacity: np.ndarray
    max_households: np.ndarray
    features: list[frozenset[str]]
    cand_h: np.ndarray
    cand_u: np.ndarray
    cand_fit: np.ndarray
    pinned: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    dropped_candidates: int = 0

    @property
    def n_households(self) -> int:
        return len(self.household_ids)

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @property
    def weight(self) -> np.ndarray:
        """Value of each pair: a person housed is worth a perfect fit."""
        return PERSON_VALUE * self.size[self.cand_h] + self.cand_fit

    def suitable_counts(self, households: np.ndarray) -> np.ndarray:
        """How many units each of ``households`` could go to, by the rules alone."""
        found = _fitting(
            self.size,
            self.needs,
            self.capacity,
            self.max_households,
            self.features,
            households.tolist(),
        )
        return np.array([len(units) for _h, units in found], dtype=np.int64)

    @classmethod
    def build(
        cls,
        households: Sequence[Household],
        units: Sequence[Unit],
        candidates: Iterable[tuple[str, str, int]] | None = None,
        pinned: Iterable[tuple[str, str]] = (),
    ) -> Problem:
        """Check households, units and pairs; drop pairs that break a hard rule.

        Without ``candidates``, every unit that has the needs and the beds is a pair with fit 0.
        A pin replaces the household's pairs by the one pinned pair, which must keep the rules.
        """
        household_ids = [h.id for h in households]
        unit_ids = [u.id for u in units]
        h_index = _index(household_ids, "household")
        u_index = _index(unit_ids, "unit")
        for h in households:
            if isinstance(h.size, bool) or not isinstance(h.size, int) or h.size < 1:
                raise ProblemError(f"household {h.id!r}: size must be a whole number of at least 1")
        for u in units:
            if isinstance(u.capacity, bool) or not isinstance(u.capacity, int) or u.capacity < 0:
                raise ProblemError(f"unit {u.id!r}: capacity must be a whole number of at least 0")
            limit = u.max_households
            if limit is not None and (
                isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
            ):
                raise ProblemError(
                    f"unit {u.id!r}: max_households must be a whole number of at least 0"
                )
        size = np.array([h.size for h in households], dtype=np.int64)
        capacity = np.array([u.capacity for u in units], dtype=np.int64)
        max_households = np.array(
            [UNBOUNDED if u.max_households is None else u.max_households for u in units],
            dtype=np.int64,
        )
        needs = [frozenset(h.needs) for h in households]
        features = [frozenset(u.features) for u in units]

        if candidates is None:
            cand_h, cand_u = allowed_pairs(size, needs, capacity, max_households, features)
            cand_fit = np.zeros(len(cand_h), dtype=np.int64)
        else:
            hs: list[int] = []
            us: list[int] = []
            fits: list[int] = []
            for n, pair in enumerate(candidates, start=1):
                if len(pair) != 3:
                    raise ProblemError(f"candidate {n}: expected [household, unit, fit]")
                h_id, u_id, fit = pair
                if h_id not in h_index:
                    raise ProblemError(f"candidate {n}: unknown household {h_id!r}")
                if u_id not in u_index:
                    raise ProblemError(f"candidate {n}: unknown unit {u_id!r}")
                if isinstance(fit, bool) or not isinstance(fit, int) or not 0 <= fit <= MAX_FIT:
                    raise ProblemError(
                        f"candidate {n} ({h_id}, {u_id}): fit must be a whole number "
                        f"from 0 to {MAX_FIT}"
                    )
                hs.append(h_index[h_id])
                us.append(u_index[u_id])
                fits.append(fit)
            cand_h = np.array(hs, dtype=np.int64)
            cand_u = np.array(us, dtype=np.int64)
            cand_fit = np.array(fits, dtype=np.int64)

        pins: dict[int, int] = {}
        for h_id, u_id in pinned:
            if h_id not in h_index:
                raise ProblemError(f"pinned: unknown household {h_id!r}")
            if u_id not in u_index:
                raise ProblemError(f"pinned: unknown unit {u_id!r}")
            if h_index[h_id] in pins:
                raise ProblemError(f"pinned: household {h_id!r} is pinned twice")
            pins[h_index[h_id]] = u_index[u_id]

        return cls.from_arrays(
            household_ids,
            size,
            needs,
            unit_ids,
            capacity,
            max_households,
            features,
            cand_h,
            cand_u,
            cand_fit,
            pins=pins,
        )

    @classmethod
    def from_arrays(
        cls,
        household_ids: list[str],
        size: np.ndarray,
        needs: list[frozenset[str]],
        unit_ids: list[str],
        capacity: np.ndarray,
        max_households: np.ndarray,
        features: list[frozenset[str]],
        cand_h: np.ndarray,
        cand_u: np.ndarray,
        cand_fit: np.ndarray,
        pins: Mapping[int, int] | None = None,
    ) -> Problem:
        """Apply the hard rules to pairs given as arrays (the fast path of the benchmark)."""
        cand_h = np.asarray(cand_h, dtype=np.int64)
        cand_u = np.asarray(cand_u, dtype=np.int64)
        cand_fit = np.asarray(cand_fit, dtype=np.int64)
        given = len(cand_h)
        keep = (size[cand_h] <= capacity[cand_u]) & (max_households[cand_u] > 0)
        need_bits, feature_bits, ok = _feature_bits(needs, features)
        if ok:
            keep &= (need_bits[cand_h] & ~feature_bits[cand_u]) == 0
        else:
            keep &= np.array(
                [needs[h] <= features[u] for h, u in zip(cand_h, cand_u, strict=True)],
                dtype=bool,
            )
        pinned_rows: list[int] = []
        if pins:
            is_pinned = np.zeros(len(household_ids), dtype=bool)
            is_pinned[list(pins)] = True
            keep &= ~is_pinned[cand_h]
            extra_h, extra_u, extra_fit = [], [], []
            for h, u in sorted(pins.items()):
                if size[h] > capacity[u] or max_households[u] < 1 or not needs[h] <= features[u]:
                    raise ProblemError(
                        f"pinned: household {household_ids[h]!r} does not fit unit "
                        f"{unit_ids[u]!r} (needs, beds or households)"
                    )
                given_fit = cand_fit[(cand_h == h) & (cand_u == u)]
                extra_h.append(h)
                extra_u.append(u)
                extra_fit.append(int(given_fit.max()) if len(given_fit) else 0)
                pinned_rows.append(h)
            cand_h = np.concatenate([cand_h[keep], np.array(extra_h, dtype=np.int64)])
            cand_u = np.concatenate([cand_u[keep], np.array(extra_u, dtype=np.int64)])
            cand_fit = np.concatenate([cand_fit[keep], np.array(extra_fit, dtype=np.int64)])
        else:
            cand_h, cand_u, cand_fit = cand_h[keep], cand_u[keep], cand_fit[keep]
        # One pair per household and unit (the best fit given), sorted by household then unit.
        order = np.lexsort((-cand_fit, cand_u, cand_h))
        cand_h, cand_u, cand_fit = cand_h[order], cand_u[order], cand_fit[order]
        if len(cand_h):
            first = np.ones(len(cand_h), dtype=bool)
            first[1:] = (cand_h[1:] != cand_h[:-1]) | (cand_u[1:] != cand_u[:-1])
            cand_h, cand_u, cand_fit = cand_h[first], cand_u[first], cand_fit[first]
        return cls(
            household_ids=household_ids,
            size=np.asarray(size, dtype=np.int64),
            needs=needs,
            unit_ids=unit_ids,
            capacity=np.asarray(capacity, dtype=np.int64),
            max_households=np.asarray(max_households, dtype=np.int64),
            features=features,
            cand_h=cand_h,
            cand_u=cand_u,
            cand_fit=cand_fit,
            pinned=np.array(sorted(pinned_rows), dtype=np.int64),
            dropped_candidates=given - int(keep.sum()),
        )


def _index(ids: list[str], kind: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for n, value in enumerate(ids):
        if not isinstance(value, str) or not value:
            raise ProblemError(f"{kind} {n + 1}: id must be a non-empty string")
        if value in index:
            raise ProblemError(f"duplicate {kind} id {value!r}")
        index[value] = n
    return index


def _feature_bits(
    needs: list[frozenset[str]], features: list[frozenset[str]]
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Needs and features as bit masks, when there are at most 62 distinct names."""
    names = sorted(set().union(*needs, *features))
    if len(names) > 62:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), False
    bit = {name: 1 << i for i, name in enumerate(names)}
    need_bits = np.array([sum(bit[n] for n in s) for s in needs], dtype=np.int64)
    feature_bits = np.array([sum(bit[n] for n in s) for s in features], dtype=np.int64)
    return need_bits, feature_bits, True


def _fitting(
    size: np.ndarray,
    needs: list[frozenset[str]],
    capacity: np.ndarray,
    max_households: np.ndarray,
    features: list[frozenset[str]],
    households: Iterable[int],
) -> Iterator[tuple[int, np.ndarray]]:
    """Each of ``households`` with the units the rules alone allow it (needs, beds, a slot)."""
    need_bits, feature_bits, ok = _feature_bits(needs, features)
    open_units = max_households > 0
    for h in households:
        fits = open_units & (capacity >= size[h])
        if ok:
            fits &= (need_bits[h] & ~feature_bits) == 0
        else:
            fits &= np.array([needs[h] <= f for f in features], dtype=bool)
        yield h, np.flatnonzero(fits)


def allowed_pairs(
    size: np.ndarray,
    needs: list[frozenset[str]],
    capacity: np.ndarray,
    max_households: np.ndarray,
    features: list[frozenset[str]],
) -> tuple[np.ndarray, np.ndarray]:
    """Every (household, unit) index pair that keeps the hard rules, by household."""
    hs: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    us: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for h, units in _fitting(size, needs, capacity, max_households, features, range(len(size))):
        hs.append(np.full(len(units), h, dtype=np.int64))
        us.append(units.astype(np.int64))
    return np.concatenate(hs), np.concatenate(us)


def parse_problem(data: Any) -> Problem:
    """Read the documented JSON form (already decoded) into a checked ``Problem``."""
    if not isinstance(data, Mapping):
        raise ProblemError("the file must hold a JSON object with households and units")
    unknown = set(data) - {"households", "units", "candidates", "pinned"}
    if unknown:
        raise ProblemError(f"unknown top-level key {sorted(unknown)[0]!r}")
    households = [_household(n, item) for n, item in enumerate(_list(data, "households"), start=1)]
    units = [_unit(n, item) for n, item in enumerate(_list(data, "units"), start=1)]
    candidates: list[tuple[str, str, int]] | None = None
    if "candidates" in data and data["candidates"] is not None:
        candidates = []
        for n, pair in enumerate(_list(data, "candidates"), start=1):
            if not isinstance(pair, list) or len(pair) != 3:
                raise ProblemError(f"candidate {n}: expected [household, unit, fit]")
            candidates.append((pair[0], pair[1], pair[2]))
    pinned: list[tuple[str, str]] = []
    for n, pair in enumerate(_list(data, "pinned") if "pinned" in data else [], start=1):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ProblemError(f"pinned {n}: expected [household, unit]")
        pinned.append((pair[0], pair[1]))
    return Problem.build(households, units, candidates, pinned)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    if key not in data:
        raise ProblemError(f"missing {key!r}")
    value = data[key]
    if not isinstance(value, list):
        raise ProblemError(f"{key!r} must be a list")
    return value


def _strings(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProblemError(f"{where} must be a list of names")
    return frozenset(value)


def _household(n: int, item: Any) -> Household:
    if not isinstance(item, Mapping):
        raise ProblemError(f"household {n}: expected an object with id and size")
    unknown = set(item) - {"id", "size", "needs"}
    if unknown:
        raise ProblemError(f"household {n}: unknown key {sorted(unknown)[0]!r}")
    if "id" not in item or "size" not in item:
        raise ProblemError(f"household {n}: id and size are required")
    name = item["id"]
    if not isinstance(name, str) or not name:
        raise ProblemError(f"household {n}: id must be a non-empty string")
    size = item["size"]
    if isinstance(size, float) and math.isfinite(size) and size.is_integer():
        size = int(size)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ProblemError(f"household {name!r}: size must be a whole number of at least 1")
    return Household(name, size, _strings(item.get("needs", []), f"household {name!r}: needs"))


def _unit(n: int, item: Any) -> Unit:
    if not isinstance(item, Mapping):
        raise ProblemError(f"unit {n}: expected an object with id and capacity")
    unknown = set(item) - {"id", "capacity", "max_households", "features"}
    if unknown:
        raise ProblemError(f"unit {n}: unknown key {sorted(unknown)[0]!r}")
    if "id" not in item or "capacity" not in item:
        raise ProblemError(f"unit {n}: id and capacity are required")
    name = item["id"]
    if not isinstance(name, str) or not name:
        raise ProblemError(f"unit {n}: id must be a non-empty string")
    capacity = item["capacity"]
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise ProblemError(f"unit {name!r}: capacity must be a whole number of at least 0")
    limit = item.get("max_households")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ProblemError(f"unit {name!r}: max_households must be a whole number of at least 0")
    return Unit(
        name, capacity, limit, _strings(item.get("features", []), f"unit {name!r}: features")
    )
