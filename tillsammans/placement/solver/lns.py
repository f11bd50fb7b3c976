"""Large-neighbourhood search: re-place a small group of households exactly, keep the rest.

A neighbourhood starts from one unit: the households in it and those left out that could go
there, the few best other units of those households, and everyone living in those units.
HiGHS places that group optimally in those units, with every other household where it is;
the current placement is one of its solutions, so a neighbourhood never makes things worse.
Neighbourhoods are visited in a fixed order and limited by node counts, so the search is
deterministic; the clock only stops it early.
"""

from __future__ import annotations

import time

import numpy as np

from . import heuristics
from .arrays import Arrays
from .mip import solve_mip

NEIGHBOUR_UNITS = 4
MAX_GROUP = 150
MAX_NODES = 100


class Neighbourhoods:
    def __init__(self, a: Arrays) -> None:
        self.a = a
        self.by_unit = np.argsort(a.cand_u, kind="stable")
        self.unit_starts = np.searchsorted(a.cand_u[self.by_unit], np.arange(a.n_units + 1))
        # Each household's units, best first.
        order = np.lexsort((a.cand_u, -a.weight, a.cand_h))
        self.best_units = a.cand_u[order]

    def pairs_at(self, u: int) -> np.ndarray:
        return self.by_unit[self.unit_starts[u] : self.unit_starts[u + 1]]

    def units_of(self, h: int, k: int) -> np.ndarray:
        lo = int(self.a.starts[h])
        return self.best_units[lo : min(lo + k, int(self.a.starts[h + 1]))]


def search(
    a: Arrays,
    chosen: np.ndarray,
    seeds: np.ndarray,
    deadline: float,
    max_milps: int = 400,
    passes: int = 2,
) -> tuple[np.ndarray, int]:
    """Improve ``chosen`` around each seed unit in turn; returns it and the MILPs solved."""
    if time.perf_counter() > deadline:
        return chosen, 0  # no time left: not even the index of neighbourhoods (1 s at 100 000)
    hood = Neighbourhoods(a)
    chosen = chosen.copy()
    solved = 0
    for _ in range(passes):
        improved = False
        for seed in seeds.tolist():
            if solved >= max_milps or time.perf_counter() > deadline:
                return chosen, solved
            better = _neighbourhood(a, hood, chosen, seed, deadline)
            solved += 1
            if better is not None:
                chosen = better
                improved = True
        if not improved:
            break
    return chosen, solved


def _neighbourhood(
    a: Arrays, hood: Neighbourhoods, chosen: np.ndarray, seed: int, deadline: float
) -> np.ndarray | None:
    placed_unit = np.where(chosen >= 0, a.cand_u[np.maximum(chosen, 0)], -1)
    at_seed_pairs = hood.pairs_at(seed)
    households = a.cand_h[at_seed_pairs]
    # Who is in the seed unit, and who is left out but could go there.
    linked = households[(placed_unit[households] == seed) | (chosen[households] < 0)]
    units = [seed]
    seen = {seed}
    for h in linked.tolist():
        for u in hood.units_of(h, NEIGHBOUR_UNITS).tolist():
            if u not in seen:
                seen.add(u)
                units.append(u)
    group: set[int] = set()
    kept_units: list[int] = []
    for u in units:
        candidates = a.cand_h[hood.pairs_at(u)]
        joining = candidates[(placed_unit[candidates] == u) | (chosen[candidates] < 0)]
        if kept_units and len(group) + len(joining) > MAX_GROUP:
            continue
        group.update(joining.tolist())
        kept_units.append(u)
    if not group:
        return None
    # The group is everyone living in the kept units and everyone left out who could go
    # there: the kept units are emptied, and the group re-placed in them alone.
    members = np.fromiter(group, dtype=np.int64)
    pair_ids = np.concatenate([hood.pairs_at(u) for u in kept_units])
    pair_ids = pair_ids[np.isin(a.cand_h[pair_ids], members)]
    current = chosen[members]
    before = int(a.weight[current[current >= 0]].sum())
    outcome = solve_mip(
        a, pair_ids, a.capacity, a.max_households, max_nodes=MAX_NODES, deadline=deadline
    )
    if outcome.chosen is None or outcome.value <= before:
        return None
    better = chosen.copy()
    better[members] = outcome.chosen[members]
    if heuristics.check(a, better):
        return None
    return better
