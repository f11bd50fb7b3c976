"""A part of the problem as a MILP for HiGHS: given pairs, beds and slots, place optimally.

Used twice by the engine: to place the households the LP split or left out, in the room the
others leave; and to search for a better placement than the best found, or prove there is
none, over the pairs that reduced-cost fixing keeps. Limits are a node count (deterministic)
and a clock (a safety net only).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np

from .arrays import Arrays


@dataclass
class MipOutcome:
    chosen: np.ndarray | None  # pair per household (-1 when left out), or None if none found
    value: int  # value of ``chosen`` (0 without)
    bound: float  # proven bound on this MILP's optimum (-inf when proven infeasible)
    optimal: bool


def solve_mip(
    a: Arrays,
    pairs: np.ndarray,
    capacity: np.ndarray,
    slots: np.ndarray,
    *,
    max_nodes: int,
    deadline: float,
    must_place: np.ndarray | None = None,
) -> MipOutcome:
    """Best placement using only ``pairs``, within ``capacity`` beds and ``slots`` per unit.

    ``must_place`` lists households that must be placed. (No first solution is given to
    HiGHS: its 1.12 series prints a debug line on standard output when one is.)
    """
    pairs = np.asarray(pairs, dtype=np.int64)
    h_of, u_of = a.cand_h[pairs], a.cand_u[pairs]
    households, h_row = np.unique(h_of, return_inverse=True)
    units, u_row = np.unique(u_of, return_inverse=True)
    n_h, n_u, m = len(households), len(units), len(pairs)
    rows = n_h + 2 * n_u
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("mip_max_nodes", max_nodes)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 0.999)
    highs.setOptionValue("time_limit", max(0.05, deadline - time.perf_counter()))
    lower = np.full(rows, -highspy.kHighsInf)
    if must_place is not None and len(must_place):
        required = np.isin(households, must_place)
        lower[:n_h][required] = 1.0
    upper = np.concatenate(
        [
            np.ones(n_h),
            capacity[units].astype(float),
            np.minimum(slots[units], n_h).astype(float),
        ]
    )
    empty = np.zeros(0, dtype=np.int32)
    highs.addRows(rows, lower, upper, 0, empty, empty, np.zeros(0))
    start_at = (np.arange(m + 1) * 3).astype(np.int32)
    index = np.empty(3 * m, dtype=np.int32)
    index[0::3] = h_row
    index[1::3] = n_h + u_row
    index[2::3] = n_h + n_u + u_row
    value = np.empty(3 * m)
    value[0::3] = 1.0
    value[1::3] = a.pair_size[pairs]
    value[2::3] = 1.0
    weight = a.weight[pairs].astype(float)
    highs.addCols(m, weight, np.zeros(m), np.ones(m), 3 * m, start_at[:-1], index, value)
    highs.changeColsIntegrality(m, np.arange(m, dtype=np.int32), np.ones(m, dtype=np.uint8))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return MipOutcome(None, 0, -math.inf, True)
    info = highs.getInfo()
    chosen = None
    found = 0
    if info.primal_solution_status == 2:
        x = np.asarray(highs.getSolution().col_value)
        picked = pairs[x > 0.5]
        chosen = np.full(a.n_households, -1, dtype=np.int64)
        chosen[a.cand_h[picked]] = picked
        found = int(a.weight[picked].sum())
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = float(info.mip_dual_bound)
    if optimal:
        bound = min(bound, found + 0.999) if chosen is not None else bound
    if not math.isfinite(bound):
        bound = math.inf
    return MipOutcome(chosen, found, bound, optimal)
