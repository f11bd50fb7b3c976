"""The linear-programming relaxation, solved by column generation with HiGHS.

The relaxation lets a household be split: ``0 <= x[j] <= 1`` per pair, at most one household
in total per household row, beds per unit and households per unit. A basic optimum of it
splits few households (at most about as many as there are full collective sites), which is
why rounding it loses almost nothing.

Only a few pairs per household enter the LP at first; the row prices of each solve say which
of the others could improve it (positive reduced cost), and the best few per household are
added until none can. Any prices give an upper bound through the Lagrangian: with ``lam`` per
bed and ``mu`` per household slot, every household takes its best price-reduced value,

    L = sum_u (capacity[u] * lam[u] + max_households[u] * mu[u])
        + sum_h max(0, max_j (w[j] - size[h] * lam[u] - mu[u]))

so the bound does not depend on HiGHS's tolerances: it is recomputed here from the prices,
over every pair, and only its floor is used (objectives are whole numbers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .arrays import Arrays

PAIRS_PER_ROUND = 2
START_PAIRS = 2


@dataclass
class Relaxation:
    columns: np.ndarray  # pair indexes in the LP
    x: np.ndarray  # value of each column
    lam: np.ndarray  # price per bed, per unit
    mu: np.ndarray  # price per household slot, per unit
    value: float  # the LP's objective
    bound: float  # the Lagrangian bound from lam and mu (valid whatever they are)
    rounds: int
    complete: bool  # no pair with positive reduced cost is left out


class MasterLP:
    def __init__(self, a: Arrays) -> None:
        self.a = a
        H, U = a.n_households, a.n_units
        bed_row = a.bed_row
        count_row = a.count_row
        self.bed_index = np.full(U, -1, dtype=np.int64)
        self.bed_index[bed_row] = H + np.arange(int(bed_row.sum()))
        self.count_index = np.full(U, -1, dtype=np.int64)
        first = H + int(bed_row.sum())
        self.count_index[count_row] = first + np.arange(int(count_row.sum()))
        self.n_rows = first + int(count_row.sum())
        upper = np.ones(self.n_rows)
        upper[self.bed_index[bed_row]] = a.capacity[bed_row]
        upper[self.count_index[count_row]] = a.max_households[count_row]
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        self.highs.setOptionValue("random_seed", 0)
        empty_i = np.zeros(0, dtype=np.int32)
        self.highs.addRows(
            self.n_rows,
            np.full(self.n_rows, -highspy.kHighsInf),
            upper,
            0,
            empty_i,
            empty_i,
            np.zeros(0),
        )
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.in_lp = np.zeros(a.n_pairs, dtype=bool)
        self.order: list[np.ndarray] = []

    def add(self, pairs: np.ndarray) -> None:
        pairs = pairs[~self.in_lp[pairs]]
        if not len(pairs):
            return
        a = self.a
        m = len(pairs)
        h, u = a.cand_h[pairs], a.cand_u[pairs]
        bed, count = self.bed_index[u], self.count_index[u]
        has_bed, has_count = bed >= 0, count >= 0
        per_col = 1 + has_bed + has_count
        start = np.zeros(m + 1, dtype=np.int32)
        start[1:] = np.cumsum(per_col)
        index = np.empty(int(start[-1]), dtype=np.int32)
        value = np.empty(int(start[-1]))
        pos = start[:-1].astype(np.int64)
        index[pos], value[pos] = h, 1.0
        pos = pos + 1
        index[pos[has_bed]], value[pos[has_bed]] = bed[has_bed], a.size[h][has_bed]
        pos = pos + has_bed
        index[pos[has_count]], value[pos[has_count]] = count[has_count], 1.0
        self.highs.addCols(
            m,
            a.weight[pairs].astype(float),
            np.zeros(m),
            np.ones(m),
            len(index),
            start[:-1],
            index,
            value,
        )
        self.in_lp[pairs] = True
        self.order.append(pairs)

    def solve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
        self.highs.run()
        solution = self.highs.getSolution()
        x = np.asarray(solution.col_value, dtype=float)
        dual = np.abs(np.asarray(solution.row_dual, dtype=float))
        a = self.a
        lam = np.zeros(a.n_units)
        mu = np.zeros(a.n_units)
        lam[a.bed_row] = dual[self.bed_index[a.bed_row]]
        mu[a.count_row] = dual[self.count_index[a.count_row]]
        columns = np.concatenate(self.order) if self.order else np.zeros(0, dtype=np.int64)
        value = float(self.highs.getInfo().objective_function_value)
        return columns, x, lam, mu, value


@dataclass
class Priced:
    """What prices (lam per bed, mu per slot) say: the bound and every pair's slack."""

    bound: float  # the Lagrangian bound (valid whatever the prices are)
    reduced: np.ndarray  # each pair's price-reduced value
    best: np.ndarray  # each household's best reduced value, or 0 (left out)

    def slack(self, a: Arrays) -> np.ndarray:
        """How much each pair gives up against its household's best: 0 for the best."""
        return self.best[a.cand_h] - self.reduced


def lagrangian(a: Arrays, lam: np.ndarray, mu: np.ndarray) -> Priced:
    reduced = a.weight - a.size[a.cand_h] * lam[a.cand_u] - mu[a.cand_u]
    best = np.maximum(a.best_per_household(reduced), 0.0)
    limit = np.where(a.count_row, a.max_households, 0)
    bound = float(np.sum(best) + np.dot(a.capacity, lam) + np.dot(limit, mu))
    return Priced(bound, reduced, best)


def relax(a: Arrays, start: np.ndarray, deadline: float, tolerance: float = 1e-9) -> Relaxation:
    """Column generation from the pairs ``start`` (an incumbent's, say) and the best few."""
    master = MasterLP(a)
    master.add(np.union1d(start, a.top_pairs(START_PAIRS)))
    best_bound = np.inf
    rounds = 0
    while True:
        rounds += 1
        columns, x, lam, mu, value = master.solve()
        priced = lagrangian(a, lam, mu)
        best_bound = min(best_bound, priced.bound)
        # A household's LP price is the best reduced value among its LP columns (or 0).
        lp_best = np.full(a.n_households, 0.0)
        np.maximum.at(lp_best, a.cand_h[columns], priced.reduced[columns])
        improving = (priced.reduced - lp_best[a.cand_h] > 1e-6) & ~master.in_lp
        complete = not improving.any()
        close = best_bound - value <= tolerance * max(1.0, value)
        if complete or close or time.perf_counter() > deadline:
            return Relaxation(columns, x, lam, mu, value, best_bound, rounds, complete)
        master.add(
            a.top_pairs(PAIRS_PER_ROUND, among=np.flatnonzero(improving), score=priced.reduced)
        )
