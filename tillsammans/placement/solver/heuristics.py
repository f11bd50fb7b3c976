"""Primal heuristics: building a placement and improving it, never breaking a hard rule.

A placement is ``chosen[h]``, the pair index household ``h`` takes, or -1. Every function
here only places a household in a unit that has the beds and the household slot left, so
whatever they return keeps every rule; ``check`` verifies that independently.
"""

from __future__ import annotations

import numpy as np

from .arrays import Arrays


class Placement:
    """Free beds and slots per unit while households are placed and moved."""

    def __init__(self, a: Arrays, chosen: np.ndarray | None = None) -> None:
        self.a = a
        self.free = a.capacity.astype(np.int64).tolist()
        self.slots = a.max_households.astype(np.int64).tolist()
        self.size = a.size.tolist()
        self.unit = a.cand_u.tolist()
        self.weight = a.weight.tolist()
        self.chosen = [-1] * a.n_households
        self.occupants: list[set[int]] = [set() for _ in range(a.n_units)]
        if chosen is not None:
            for h, j in enumerate(chosen.tolist()):
                if j >= 0:
                    if not self.fits(h, j):
                        raise AssertionError("placement breaks a rule")
                    self.place(h, j)

    def fits(self, h: int, j: int) -> bool:
        u = self.unit[j]
        return self.free[u] >= self.size[h] and self.slots[u] >= 1

    def place(self, h: int, j: int) -> None:
        u = self.unit[j]
        self.free[u] -= self.size[h]
        self.slots[u] -= 1
        self.chosen[h] = j
        self.occupants[u].add(h)

    def remove(self, h: int) -> int:
        j = self.chosen[h]
        u = self.unit[j]
        self.free[u] += self.size[h]
        self.slots[u] += 1
        self.chosen[h] = -1
        self.occupants[u].discard(h)
        return j

    def result(self) -> np.ndarray:
        return np.array(self.chosen, dtype=np.int64)


def value(a: Arrays, chosen: np.ndarray) -> int:
    return int(a.weight[chosen[chosen >= 0]].sum())


def check(a: Arrays, chosen: np.ndarray) -> int:
    """How many hard rules the placement breaks (0 for a valid one)."""
    placed = np.flatnonzero(chosen >= 0)
    pairs = chosen[placed]
    wrong_household = int(np.sum(a.cand_h[pairs] != placed))
    units = a.cand_u[pairs]
    beds = np.bincount(units, weights=a.size[placed], minlength=a.n_units)
    count = np.bincount(units, minlength=a.n_units)
    return wrong_household + int(np.sum(beds > a.capacity)) + int(np.sum(count > a.max_households))


def pairs_of(a: Arrays, h: int) -> range:
    return range(int(a.starts[h]), int(a.starts[h + 1]))


def greedy(a: Arrays, order: np.ndarray, score: np.ndarray | None = None) -> np.ndarray:
    """Each household in ``order`` takes its best-scoring pair that still has room."""
    state = Placement(a)
    score = a.weight if score is None else score
    starts = a.starts.tolist()
    for h in order.tolist():
        lo, hi = starts[h], starts[h + 1]
        if lo == hi:
            continue
        ranked = sorted(range(lo, hi), key=lambda j: (-score[j], j))
        for j in ranked:
            if state.fits(h, j):
                state.place(h, j)
                break
    return state.result()


def improve(a: Arrays, chosen: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Local search: place the unplaced, if need be by moving one household elsewhere.

    Moves, each kept only when it raises the objective: put an unplaced household where there
    is room; move one occupant of a unit to another of its units with room to make way; let an
    unplaced household take the place of a smaller-valued occupant; and move a placed household
    to a unit where it fits better. Deterministic: households and pairs in index order.
    """
    state = Placement(a, chosen)
    starts = a.starts.tolist()
    weight = state.weight
    unit = state.unit
    size = state.size
    free, slots, occupants = state.free, state.slots, state.occupants

    def best_room(h: int, exclude: int) -> tuple[int, int]:
        """The best pair of ``h`` with room, other than in unit ``exclude``."""
        best_j, best_w = -1, -1
        for j in range(starts[h], starts[h + 1]):
            u = unit[j]
            if u != exclude and free[u] >= size[h] and slots[u] >= 1 and weight[j] > best_w:
                best_j, best_w = j, weight[j]
        return best_j, best_w

    for _ in range(rounds):
        changed = False
        unplaced = [
            h
            for h in np.argsort(-a.size, kind="stable").tolist()
            if state.chosen[h] < 0 and starts[h] < starts[h + 1]
        ]
        for h in unplaced:
            j, _w = best_room(h, -1)
            if j >= 0:
                state.place(h, j)
                changed = True
                continue
            best_gain, best_move = 0, None
            for j in range(starts[h], starts[h + 1]):
                u = unit[j]
                for o in occupants[u]:
                    # Make way: move o out of u (to its best other unit with room, or out).
                    freed_beds = free[u] + size[o]
                    freed_slots = slots[u] + 1
                    if freed_beds < size[h] or freed_slots < 1:
                        continue
                    jo = state.chosen[o]
                    j2, w2 = best_room(o, u)
                    gain = weight[j] - weight[jo] + (w2 if j2 >= 0 else 0)
                    if gain > best_gain:
                        best_gain, best_move = gain, (j, o, j2)
            if best_move is not None:
                j, o, j2 = best_move
                state.remove(o)
                state.place(h, j)
                if j2 >= 0 and state.fits(o, j2):
                    state.place(o, j2)
                changed = True
        # Better fits for placed households, where there is room.
        for h in range(a.n_households):
            jo = state.chosen[h]
            if jo < 0:
                continue
            j, w = best_room(h, unit[jo])
            if j >= 0 and w > weight[jo]:
                state.remove(h)
                state.place(h, j)
                changed = True
        if not changed:
            break
    return state.result()


def round_relaxation(a: Arrays, columns: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Keep what the LP placed whole; give the rest their best pair with room.

    Households split by the LP, or left out, are placed afterwards, the largest first, each
    preferring the pairs the LP gave most of it, then the heaviest.
    """
    whole = x > 1 - 1e-6
    chosen = np.full(a.n_households, -1, dtype=np.int64)
    chosen[a.cand_h[columns[whole]]] = columns[whole]
    state = Placement(a, chosen)
    share = np.zeros(a.n_pairs)
    share[columns] = x
    rest = [h for h in np.argsort(-a.size, kind="stable").tolist() if chosen[h] < 0]
    starts = a.starts.tolist()
    weight = state.weight
    for h in rest:
        ranked = sorted(range(starts[h], starts[h + 1]), key=lambda j: (-share[j], -weight[j], j))
        for j in ranked:
            if state.fits(h, j):
                state.place(h, j)
                break
    return state.result()
