"""The problem as the engine sees it: households and units by index, pairs as arrays."""

from __future__ import annotations

import numpy as np

from .model import PERSON_VALUE, Problem


class Arrays:
    def __init__(
        self,
        size: np.ndarray,
        capacity: np.ndarray,
        max_households: np.ndarray,
        cand_h: np.ndarray,
        cand_u: np.ndarray,
        cand_fit: np.ndarray,
    ) -> None:
        self.size = size
        self.capacity = capacity
        self.max_households = max_households
        self.cand_h = cand_h
        self.cand_u = cand_u
        self.cand_fit = cand_fit
        self.n_households = len(size)
        self.n_units = len(capacity)
        self.n_pairs = len(cand_h)
        self.weight = PERSON_VALUE * size[cand_h] + cand_fit
        self.starts = np.searchsorted(cand_h, np.arange(self.n_households + 1))
        self.pair_size = size[cand_h]
        # A unit needs a bed row when the households that could go there need more beds than
        # it has, unless its household limit already keeps them within its beds; likewise a
        # household-count row only when more households could go there than it may take.
        beds_wanted = np.bincount(cand_u, weights=self.pair_size, minlength=self.n_units)
        largest = np.zeros(self.n_units, dtype=np.int64)
        np.maximum.at(largest, cand_u, self.pair_size)
        smallest = np.full(self.n_units, np.iinfo(np.int64).max)
        np.minimum.at(smallest, cand_u, self.pair_size)
        wanted = np.bincount(cand_u, minlength=self.n_units)
        limit = np.minimum(max_households, wanted).astype(float)
        self.bed_row = (beds_wanted > capacity) & (limit * largest > capacity)
        # Beds (a row, or too few households wanting them) already keep the count within the
        # limit when even the smallest households would fill them before reaching it.
        beds_kept = self.bed_row | (beds_wanted <= capacity)
        self.count_row = (max_households < wanted) & ~(
            beds_kept & (max_households * 1.0 * smallest >= capacity)
        )

    @classmethod
    def of(cls, problem: Problem) -> Arrays:
        return cls(
            problem.size,
            problem.capacity,
            problem.max_households,
            problem.cand_h,
            problem.cand_u,
            problem.cand_fit,
        )

    def best_per_household(self, values: np.ndarray) -> np.ndarray:
        """The largest of ``values`` (one per pair) for each household; -inf without pairs."""
        best = np.full(self.n_households, -np.inf)
        has = self.starts[1:] > self.starts[:-1]
        if self.n_pairs:
            best[has] = np.maximum.reduceat(values, self.starts[:-1][has])
        return best

    def top_pairs(
        self, k: int, among: np.ndarray | None = None, score: np.ndarray | None = None
    ) -> np.ndarray:
        """The ``k`` pairs of each household with the highest score (weight by default)."""
        idx = np.arange(self.n_pairs) if among is None else among
        if score is None:
            score = self.weight
        order = idx[np.lexsort((idx, -score[idx], self.cand_h[idx]))]
        households = self.cand_h[order]
        rank = np.arange(len(order)) - np.searchsorted(households, households)
        return np.sort(order[rank < k])
