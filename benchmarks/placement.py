"""The placement engine against four baselines, on the same seeded problems, in one process.

Problems come from ``tillsammans.placement.solver.generate`` (household sizes mostly 1–4,
some accessibility needs and pets, sites of 20–200 beds and host homes of 1–6 beds, a city
spread with anchors, about 10 % more beds than persons, about 20 candidate units per
household). For each size it runs:

- the engine (``tillsammans.placement.solver.solve``);
- greedy first-come-first-served: each household in arrival order takes its best free
  candidate;
- size-aware deferred acceptance: households propose in order of preference, units keep the
  largest households (then the best fits) that fit their beds and slots;
- HiGHS as a MILP on the same model, with the engine's time as its budget;
- OR-Tools CP-SAT on the same model (2 workers), with the same budget;

and prints persons placed, objective, gap to the engine's proven bound, seconds, hard-rule
violations (each checked here, independently of the engine), and the engine's ratio to each.

    .venv/bin/python benchmarks/placement.py                  # 1 000, 10 000 and 100 000
    .venv/bin/python benchmarks/placement.py --sizes 1000 10000 --seeds 1 2 3
    .venv/bin/python benchmarks/placement.py --skip cpsat highs   # engine and heuristics only

Targets (2 cores): 1 000 households proven optimal (gap 0) within 1 s; 10 000 within 0.1 %
of the bound in at most 3 s; 100 000 within 0.5 % in at most 60 s; no violation; the same
input gives the same output (the engine runs twice on the first seed to check it).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tillsammans.placement.solver import solve
from tillsammans.placement.solver.arrays import Arrays
from tillsammans.placement.solver.generate import generate
from tillsammans.placement.solver.heuristics import greedy
from tillsammans.placement.solver.mip import solve_mip

NAMES = {
    "greedy": "greedy FCFS",
    "deferred": "deferred acceptance",
    "highs": "HiGHS MILP",
    "cpsat": "CP-SAT",
}
TARGETS = {1_000: (0.0, 1.0), 10_000: (0.001, 3.0), 100_000: (0.005, 60.0)}


@dataclass
class Row:
    method: str
    chosen: np.ndarray | None
    seconds: float
    note: str = ""


def violations(problem, chosen: np.ndarray) -> int:
    """Hard rules broken, checked from the problem's own data (not the engine's arrays)."""
    broken = 0
    beds = np.zeros(problem.n_units, dtype=np.int64)
    count = np.zeros(problem.n_units, dtype=np.int64)
    for h, j in enumerate(chosen.tolist()):
        if j < 0:
            continue
        u = int(problem.cand_u[j])
        if int(problem.cand_h[j]) != h or not problem.needs[h] <= problem.features[u]:
            broken += 1
        beds[u] += problem.size[h]
        count[u] += 1
    broken += int(np.sum(beds > problem.capacity)) + int(np.sum(count > problem.max_households))
    return broken


def engine_choice(problem, result) -> np.ndarray:
    index = {h: n for n, h in enumerate(problem.household_ids)}
    unit_index = {u: n for n, u in enumerate(problem.unit_ids)}
    chosen = np.full(problem.n_households, -1, dtype=np.int64)
    for item in result.assignments:
        h, u = index[item.household], unit_index[item.unit]
        lo, hi = np.searchsorted(problem.cand_h, [h, h + 1])
        j = lo + int(np.flatnonzero(problem.cand_u[lo:hi] == u)[0])
        chosen[h] = j
    return chosen


def deferred_acceptance(a: Arrays) -> np.ndarray:
    """Households propose in order of preference; units keep the largest, then best fits."""
    starts = a.starts.tolist()
    order = [
        sorted(range(starts[h], starts[h + 1]), key=lambda j: (-a.weight[j], j))
        for h in range(a.n_households)
    ]
    size = a.size.tolist()
    unit = a.cand_u.tolist()
    weight = a.weight.tolist()
    capacity = a.capacity.tolist()
    slots = a.max_households.tolist()
    held: list[list[int]] = [[] for _ in range(a.n_units)]
    next_choice = [0] * a.n_households
    free = [h for h in range(a.n_households) if order[h]]
    while free:
        proposals: dict[int, list[int]] = {}
        for h in free:
            if next_choice[h] < len(order[h]):
                j = order[h][next_choice[h]]
                next_choice[h] += 1
                proposals.setdefault(unit[j], []).append(j)
        free = []
        for u, offered in proposals.items():
            pool = held[u] + offered
            pool.sort(key=lambda j: (-size[a.cand_h[j]], -weight[j], j))
            keep: list[int] = []
            beds, count = capacity[u], slots[u]
            for j in pool:
                h = int(a.cand_h[j])
                if size[h] <= beds and count >= 1:
                    keep.append(j)
                    beds -= size[h]
                    count -= 1
                else:
                    free.append(h)
            held[u] = keep
        free = [h for h in free if next_choice[h] < len(order[h])]
    chosen = np.full(a.n_households, -1, dtype=np.int64)
    for kept in held:
        for j in kept:
            chosen[a.cand_h[j]] = j
    return chosen


def highs_milp(a: Arrays, budget: float) -> tuple[np.ndarray | None, str]:
    outcome = solve_mip(
        a,
        np.arange(a.n_pairs),
        a.capacity,
        a.max_households,
        max_nodes=10**9,
        deadline=time.perf_counter() + budget,
    )
    return outcome.chosen, f"own bound {outcome.bound:,.0f}"


def cpsat(a: Arrays, budget: float) -> tuple[np.ndarray | None, str]:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(a.n_pairs)]
    starts = a.starts.tolist()
    for h in range(a.n_households):
        if starts[h + 1] - starts[h] > 1:
            model.add_at_most_one(x[starts[h] : starts[h + 1]])
    by_unit = np.argsort(a.cand_u, kind="stable")
    bounds = np.searchsorted(a.cand_u[by_unit], np.arange(a.n_units + 1))
    size = a.pair_size.tolist()
    for u in range(a.n_units):
        pairs = by_unit[bounds[u] : bounds[u + 1]].tolist()
        if not pairs:
            continue
        model.add(sum(size[j] * x[j] for j in pairs) <= int(a.capacity[u]))
        if a.max_households[u] < len(pairs):
            model.add(sum(x[j] for j in pairs) <= int(a.max_households[u]))
    weight = a.weight.tolist()
    model.maximize(sum(weight[j] * x[j] for j in range(a.n_pairs)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = budget
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status).lower()
    chosen = np.full(a.n_households, -1, dtype=np.int64)
    for j in range(a.n_pairs):
        if solver.boolean_value(x[j]):
            chosen[a.cand_h[j]] = j
    return chosen, f"own bound {solver.best_objective_bound:,.0f}"


def baseline(method: str, a: Arrays, budget: float) -> Row:
    """Run one baseline on the engine's arrays and time it."""
    started = time.perf_counter()
    note = ""
    chosen: np.ndarray | None
    if method == "greedy":
        chosen = greedy(a, np.arange(a.n_households))
    elif method == "deferred":
        chosen = deferred_acceptance(a)
    elif method == "highs":
        chosen, note = highs_milp(a, budget)
    else:
        chosen, note = cpsat(a, budget)
    return Row(NAMES[method], chosen, time.perf_counter() - started, note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["greedy", "deferred", "highs", "cpsat"]
    )
    args = parser.parse_args()
    print(
        f"# placement benchmark · {platform.python_implementation()} "
        f"{platform.python_version()} · {os.cpu_count()} cores · numpy {np.__version__}"
    )
    header = (
        f"{'households':>10} {'seed':>4} {'method':<20} {'persons':>9} {'objective':>13} "
        f"{'gap to bound':>12} {'seconds':>8} {'violations':>10} {'engine ÷ it':>11}  note"
    )
    print(header)
    failures: list[str] = []
    for n in args.sizes:
        for seed in args.seeds:
            problem = generate(n, seed=seed)
            a = Arrays.of(problem)
            result = solve(problem)
            bound = result.upper_bound
            rows = [Row("engine", engine_choice(problem, result), result.seconds)]
            if seed == args.seeds[0]:
                again = solve(problem)
                if again.to_json()["assignments"] != result.to_json()["assignments"]:
                    failures.append(f"{n}: the same input gave a different placement")
            rows += [
                baseline(method, a, result.seconds) for method in NAMES if method not in args.skip
            ]
            engine_value = result.objective
            for row in rows:
                if row.chosen is None:
                    print(
                        f"{n:>10} {seed:>4} {row.method:<20} {'—':>9} {'—':>13} {'—':>12} "
                        f"{row.seconds:>8.2f} {'—':>10} {'—':>11}  no placement: {row.note}"
                    )
                    continue
                placed = row.chosen >= 0
                persons = int(problem.size[placed].sum())
                value = int(problem.weight[row.chosen[placed]].sum())
                broken = violations(problem, row.chosen)
                if broken:
                    failures.append(f"{n}: {row.method} broke {broken} rules")
                gap = (bound - value) / bound if bound else 0.0
                ratio = engine_value / value if value else float("inf")
                print(
                    f"{n:>10} {seed:>4} {row.method:<20} {persons:>9,} {value:>13,} "
                    f"{gap:>11.4%} {row.seconds:>8.2f} {broken:>10} {ratio:>11.4f}  {row.note}"
                )
            target = TARGETS.get(n)
            if target is not None:
                max_gap, max_seconds = target
                verdict = (
                    "met" if result.gap <= max_gap and result.seconds <= max_seconds else "MISSED"
                )
                print(
                    f"{'':>10} {'':>4} target: gap ≤ {max_gap:.1%} in ≤ {max_seconds:g} s → "
                    f"{verdict} (gap {result.gap:.4%}, {result.seconds:.2f} s, "
                    f"bound {bound:,}, persons {int(problem.size.sum()):,})"
                )
                if verdict != "met":
                    failures.append(f"{n}: target missed")
            sys.stdout.flush()
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
