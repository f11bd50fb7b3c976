"""The engine: LP relaxation by column generation, rounding, local search, then proof.

1. A greedy placement (largest households first) starts the column generation.
2. The LP relaxation (``lp.relax``) gives prices and a split placement; its Lagrangian bound
   is the ``upper_bound`` of the result.
3. Households the LP placed whole stay; the rest are placed by ``round_relaxation`` and the
   whole is improved by local search.
4. When a gap is left and the problem is small enough, pairs that cannot be part of any better
   placement are removed (reduced-cost fixing with the same prices) and HiGHS solves the rest
   as a MILP, with a node limit rather than a clock, so that the same input always gives the
   same output. The MILP either finds a better placement or proves there is none.
"""

from __future__ import annotations

import math
import time

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from . import heuristics, lns
from .arrays import Arrays
from .lp import Relaxation, lagrangian, relax
from .mip import solve_mip
from .model import Assignment, Problem, ProblemError, Result, Unplaced

DEFAULT_TIME_LIMIT = 60.0
LNS_MAX_MILPS = 100
RESTRICTED_SLACK = 10.0
RESTRICTED_MAX_NODES = 200
RESTRICTED_MAX_GROUP = 1_200
RESTRICTED_GROUP_SECONDS = 5.0  # a safety net: node limits keep it deterministic
PROOF_MAX_PAIRS = 20_000
PROOF_MAX_NODES = 500
PROOF_SECONDS = 1.0
RESIDUAL_MAX_PAIRS = 200_000
RESIDUAL_MAX_NODES = 200
# Column generation stops when the LP is within this share of its bound. Exact (1e-9) up to
# half a million pairs; above, the last rounds cost seconds each for a bound a few
# thousandths of a percent tighter, so the LP stops at 1e-4 instead: a rule on values, not on
# the clock, so the same input still gives the same output.
LP_TOLERANCE = 1e-9
LP_TOLERANCE_LARGE = 1e-4
LARGE_PAIRS = 500_000
LP_SHARE = 0.85


def solve(problem: Problem, time_limit: float | None = None) -> Result:
    started = time.perf_counter()
    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    deadline = started + limit
    # The LP leaves room for rounding and local search when the clock stops it.
    lp_deadline = started + LP_SHARE * limit
    stats: dict[str, object] = {}

    # Pinned households take their one pair first; the rest is solved around them.
    capacity = problem.capacity.copy()
    slots = problem.max_households.copy()
    pinned = np.zeros(problem.n_households, dtype=bool)
    pinned[problem.pinned] = True
    pinned_pairs = np.flatnonzero(pinned[problem.cand_h])
    np.subtract.at(
        capacity, problem.cand_u[pinned_pairs], problem.size[problem.cand_h[pinned_pairs]]
    )
    np.subtract.at(slots, problem.cand_u[pinned_pairs], 1)
    if (capacity < 0).any() or (slots < 0).any():
        raise ProblemError("pinned households need more beds or slots than a unit has")
    free_pairs = np.flatnonzero(~pinned[problem.cand_h])
    a = Arrays(
        problem.size,
        capacity,
        slots,
        problem.cand_h[free_pairs],
        problem.cand_u[free_pairs],
        problem.cand_fit[free_pairs],
    )

    by_size = np.argsort(-a.size, kind="stable")
    chosen = heuristics.greedy(a, by_size)
    best_value = heuristics.value(a, chosen)
    stats["greedy"] = best_value
    bound = 0.0
    if a.n_pairs:
        tolerance = LP_TOLERANCE_LARGE if a.n_pairs > LARGE_PAIRS else LP_TOLERANCE
        relaxation = relax(a, chosen[chosen >= 0], lp_deadline, tolerance)
        bound = relaxation.bound
        stats.update(lp=round(relaxation.value, 1), lp_rounds=relaxation.rounds)
        stats["lp_seconds"] = round(time.perf_counter() - started, 3)
        rounded = _round(a, relaxation, deadline)
        stats["rounded"] = heuristics.value(a, rounded)
        rounded = heuristics.improve(a, rounded)
        stats["improved"] = heuristics.value(a, rounded)
        rounded = _restricted(a, relaxation, rounded, RESTRICTED_SLACK, deadline)
        stats["restricted"] = heuristics.value(a, rounded)
        stats["restricted_seconds"] = round(time.perf_counter() - started, 3)
        rounded, stats["lns_milps"] = lns.search(
            a, rounded, _seeds(a, rounded, relaxation), deadline, max_milps=LNS_MAX_MILPS
        )
        found = stats["lns"] = heuristics.value(a, rounded)
        stats["lns_seconds"] = round(time.perf_counter() - started, 3)
        if found > best_value:
            chosen, best_value = rounded, found
        if best_value < math.floor(bound + 1e-6) and time.perf_counter() < deadline:
            better, proof_bound = _prove(a, best_value, relaxation, deadline)
            if better is not None:  # _prove returns only placements worth more
                chosen, best_value = better, heuristics.value(a, better)
            bound = min(bound, max(proof_bound, best_value))
        stats["seconds_before_result"] = round(time.perf_counter() - started, 3)

    violations = heuristics.check(a, chosen)
    if violations:
        raise AssertionError(f"the engine broke {violations} rules")
    pinned_value = int(problem.weight[pinned_pairs].sum())
    objective = best_value + pinned_value
    upper_bound = max(objective, math.floor(bound + 1e-6) + pinned_value)
    stats["seconds_before_result"] = round(time.perf_counter() - started, 3)
    return _result(problem, a, chosen, pinned_pairs, objective, upper_bound, started, stats)


def _seeds(a: Arrays, chosen: np.ndarray, relaxation: Relaxation) -> np.ndarray:
    """Where to search: units households left out could use, then units the LP split."""
    left_out = chosen < 0
    wanted = np.unique(a.cand_u[left_out[a.cand_h]])
    split = relaxation.columns[(relaxation.x > 1e-6) & (relaxation.x < 1 - 1e-6)]
    contested = np.unique(a.cand_u[split])
    return np.concatenate([wanted, np.setdiff1d(contested, wanted)])


def _round(a: Arrays, relaxation: Relaxation, deadline: float) -> np.ndarray:
    """Keep the households the LP placed whole; place the rest optimally in the room left."""
    whole = relaxation.columns[relaxation.x > 1 - 1e-6]
    chosen = np.full(a.n_households, -1, dtype=np.int64)
    chosen[a.cand_h[whole]] = whole
    free = a.capacity - np.bincount(
        a.cand_u[whole], weights=a.pair_size[whole], minlength=a.n_units
    ).astype(np.int64)
    slots = a.max_households - np.bincount(a.cand_u[whole], minlength=a.n_units)
    rest = np.ones(a.n_households, dtype=bool)
    rest[a.cand_h[whole]] = False
    pairs = np.flatnonzero(
        rest[a.cand_h] & (a.pair_size <= free[a.cand_u]) & (slots[a.cand_u] >= 1)
    )
    start = heuristics.round_relaxation(a, relaxation.columns, relaxation.x)
    if len(pairs) and len(pairs) <= RESIDUAL_MAX_PAIRS:
        outcome = solve_mip(a, pairs, free, slots, max_nodes=RESIDUAL_MAX_NODES, deadline=deadline)
        if outcome.chosen is not None:
            placed = outcome.chosen >= 0
            candidate = chosen.copy()
            candidate[placed] = outcome.chosen[placed]
            if heuristics.value(a, candidate) > heuristics.value(a, start):
                return candidate
    return start


def _restricted(
    a: Arrays, relaxation: Relaxation, incumbent: np.ndarray, slack: float, deadline: float
) -> np.ndarray:
    """Re-place everyone optimally over the pairs the LP prices call nearly the best.

    Pairs within ``slack`` of their household's best price-reduced value, and the pairs of
    ``incumbent``, are kept. Units that cannot be over-filled with these pairs constrain no
    one, so the rest falls apart in independent groups of households; each group is solved
    alone and keeps the incumbent's placement where that is worth more.
    """
    priced = lagrangian(a, relaxation.lam, relaxation.mu)
    keep = priced.slack(a) <= slack + 1e-6
    keep[incumbent[incumbent >= 0]] = True
    pairs = np.flatnonzero(keep)
    chosen = incumbent.copy()
    for members, group_pairs in _groups(a, pairs):
        if len(members) == 1:
            h = members[0]
            own = group_pairs[np.argmax(a.weight[group_pairs])]
            chosen[h] = own
            continue
        if time.perf_counter() > deadline:
            break
        if len(members) > RESTRICTED_MAX_GROUP:
            continue  # too large to solve exactly in time; local search works on it
        outcome = solve_mip(
            a,
            group_pairs,
            a.capacity,
            a.max_households,
            max_nodes=RESTRICTED_MAX_NODES,
            deadline=min(deadline, time.perf_counter() + RESTRICTED_GROUP_SECONDS),
        )
        if outcome.chosen is None:
            continue
        before = incumbent[members]
        now = outcome.chosen[members]
        if a.weight[now[now >= 0]].sum() > a.weight[before[before >= 0]].sum():
            chosen[members] = now
    if heuristics.check(a, chosen):  # pragma: no cover - a defect, never a wrong answer
        return incumbent
    return chosen


def _groups(a: Arrays, pairs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Households linked through units these pairs could over-fill, with their pairs.

    Each group is (its households, ascending; its pairs, in the order of ``pairs``), in the
    order of the components' labels; one sort splits them all.
    """
    units = a.cand_u[pairs]
    beds = np.bincount(units, weights=a.pair_size[pairs], minlength=a.n_units)
    count = np.bincount(units, minlength=a.n_units)
    binding = (beds > a.capacity) | (count > a.max_households)
    linking = pairs[binding[units]]
    n = a.n_households + a.n_units
    graph = coo_matrix(
        (np.ones(len(linking)), (a.cand_h[linking], a.n_households + a.cand_u[linking])),
        shape=(n, n),
    )
    _count, label = connected_components(graph, directed=False)
    households = np.unique(a.cand_h[pairs])
    labels = label[households]
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    members = np.split(households[order], cuts)
    pair_labels = label[a.cand_h[pairs]]
    pair_order = np.argsort(pair_labels, kind="stable")
    pair_cuts = np.flatnonzero(np.diff(pair_labels[pair_order])) + 1
    own_pairs = np.split(pairs[pair_order], pair_cuts)
    return [(group, own) for group, own in zip(members, own_pairs, strict=True) if len(group)]


def _prove(
    a: Arrays, incumbent: int, relaxation: Relaxation, deadline: float
) -> tuple[np.ndarray | None, float]:
    """Search for a placement better than ``incumbent``, or prove there is none.

    With prices (lam, mu) every placement's value is the Lagrangian bound less the slack of
    each household (its best reduced value less that of the pair it took, or all of it when
    it is left out). A better placement has a total slack of at most ``bound - incumbent - 1``,
    so any pair, or leaving out any household, with more slack than that cannot be part of it.
    Returns a better placement (or None) and a proven bound on the whole problem.
    """
    priced = lagrangian(a, relaxation.lam, relaxation.mu)
    bound = priced.bound
    budget = math.floor(bound + 1e-6) - incumbent - 1
    if budget < 0:
        return None, float(incumbent)
    keep = np.flatnonzero(priced.slack(a) <= budget + 1e-6)
    if len(keep) > PROOF_MAX_PAIRS:
        return None, bound
    must_place = np.flatnonzero(priced.best > budget + 1e-6)
    if not np.isin(must_place, a.cand_h[keep]).all():
        return None, float(incumbent)  # a household would have to be placed and cannot be
    outcome = solve_mip(
        a,
        keep,
        a.capacity,
        a.max_households,
        max_nodes=PROOF_MAX_NODES,
        deadline=min(deadline, time.perf_counter() + PROOF_SECONDS),
        must_place=must_place,
    )
    if outcome.optimal:
        if outcome.chosen is not None and outcome.value > incumbent:
            return outcome.chosen, float(outcome.value)
        return None, float(incumbent)
    better = outcome.chosen if outcome.chosen is not None and outcome.value > incumbent else None
    return better, min(bound, max(float(incumbent), outcome.bound))


def _result(
    problem: Problem,
    a: Arrays,
    chosen: np.ndarray,
    pinned_pairs: np.ndarray,
    objective: int,
    upper_bound: int,
    started: float,
    stats: dict[str, object],
) -> Result:
    assignments: list[Assignment] = []
    placed = np.zeros(problem.n_households, dtype=bool)
    for j in pinned_pairs.tolist():
        h = int(problem.cand_h[j])
        placed[h] = True
        assignments.append(
            Assignment(
                problem.household_ids[h],
                problem.unit_ids[int(problem.cand_u[j])],
                int(problem.cand_fit[j]),
            )
        )
    for h in np.flatnonzero(chosen >= 0).tolist():
        j = int(chosen[h])
        placed[h] = True
        assignments.append(
            Assignment(
                problem.household_ids[h], problem.unit_ids[int(a.cand_u[j])], int(a.cand_fit[j])
            )
        )
    assignments.sort(key=lambda item: item.household)
    unplaced_rows = np.flatnonzero(~placed)
    suitable = problem.suitable_counts(unplaced_rows)
    unplaced = tuple(
        Unplaced(
            household=problem.household_ids[h],
            code=(
                "no_unit"
                if count == 0
                else "no_candidate"
                if a.starts[h] == a.starts[h + 1]
                else "outbid"
            ),
            needs=tuple(sorted(problem.needs[h])),
            size=int(problem.size[h]),
            suitable=int(count),
            candidates=int(a.starts[h + 1] - a.starts[h]),
        )
        for h, count in zip(unplaced_rows.tolist(), suitable.tolist(), strict=True)
    )
    return Result(
        assignments=tuple(assignments),
        objective=objective,
        upper_bound=upper_bound,
        persons_placed=int(problem.size[placed].sum()),
        households_placed=int(placed.sum()),
        unplaced=unplaced,
        seconds=time.perf_counter() - started,
        stats=stats,
    )
