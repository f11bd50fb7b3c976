"""Seeded generator of realistic placement problems, for the benchmark and the tests.

A city of 30 × 20 km with districts; households arrive with sizes mostly 1–4, some needing an
accessible place or bringing pets; collective sites of 20–200 beds and host homes of 1–6 beds
(one household each) hold about 10 % more beds than there are persons; each household has an
anchor (a school, a job, relatives, a preferred district) and its candidates are the nearest
suitable units (about 20), with a fit that falls with the distance to the anchor.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .model import UNBOUNDED, Problem

FEATURES = ("accessible", "pets_allowed", "children_ok")
_SIZES = np.array([1, 2, 3, 4, 5, 6, 7])
_SIZE_P = np.array([0.30, 0.25, 0.21, 0.15, 0.055, 0.025, 0.01])


def generate(households: int, seed: int = 1, candidates: int = 20, spare: float = 0.10) -> Problem:
    rng = np.random.default_rng(seed)
    n = households
    size = rng.choice(_SIZES, size=n, p=_SIZE_P).astype(np.int64)
    persons = int(size.sum())
    beds_wanted = round(persons * (1 + spare))

    districts = rng.uniform([0, 0], [30, 20], size=(max(8, n // 2000), 2))

    def spread(count: int, scatter: float) -> np.ndarray:
        centre = districts[rng.integers(0, len(districts), size=count)]
        return np.clip(centre + rng.normal(0, scatter, size=(count, 2)), [0, 0], [30, 20])

    # Collective sites hold about 60 % of the beds, host homes the rest.
    site_caps: list[int] = []
    while sum(site_caps) < 0.6 * beds_wanted:
        site_caps.append(int(rng.integers(20, 201)))
    home_caps: list[int] = []
    home_total = beds_wanted - sum(site_caps)
    while sum(home_caps) < home_total:
        home_caps.append(int(rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6])))
    n_sites, n_homes = len(site_caps), len(home_caps)
    capacity = np.array(site_caps + home_caps, dtype=np.int64)
    max_households = np.array([UNBOUNDED] * n_sites + [1] * n_homes, dtype=np.int64)
    unit_xy = np.vstack([spread(n_sites, 2.0), spread(n_homes, 3.0)])

    accessible = np.concatenate([rng.random(n_sites) < 0.45, rng.random(n_homes) < 0.12])
    pets = np.concatenate([rng.random(n_sites) < 0.25, rng.random(n_homes) < 0.35])
    children = np.concatenate([rng.random(n_sites) < 0.97, rng.random(n_homes) < 0.65])
    features = [
        frozenset(
            name
            for name, has in zip(FEATURES, (accessible[u], pets[u], children[u]), strict=True)
            if has
        )
        for u in range(n_sites + n_homes)
    ]

    has_children = (size >= 3) & (rng.random(n) < 0.8)
    needs_access = rng.random(n) < 0.05
    has_pets = rng.random(n) < 0.08
    needs = [
        frozenset(
            name
            for name, has in zip(
                FEATURES, (needs_access[h], has_pets[h], has_children[h]), strict=True
            )
            if has
        )
        for h in range(n)
    ]
    anchor = spread(n, 2.5)

    # The nearest suitable units, by distance to the anchor.
    tree = cKDTree(unit_xy)
    k = min(len(capacity), candidates * 8)
    dist, near = tree.query(anchor, k=k)
    dist = np.asarray(dist).reshape(n, k)
    near = np.asarray(near).reshape(n, k)
    unit_bits = (
        accessible.astype(np.int64) | pets.astype(np.int64) << 1 | children.astype(np.int64) << 2
    )
    need_bits = (
        needs_access.astype(np.int64)
        | has_pets.astype(np.int64) << 1
        | has_children.astype(np.int64) << 2
    )
    ok = ((need_bits[:, None] & ~unit_bits[near]) == 0) & (size[:, None] <= capacity[near])
    rank = np.cumsum(ok, axis=1)
    take = ok & (rank <= candidates)
    rows, cols = np.nonzero(take)
    cand_h = rows.astype(np.int64)
    cand_u = near[rows, cols].astype(np.int64)
    d = dist[rows, cols]
    noise = rng.integers(-60, 61, size=len(d))
    cand_fit = np.clip(np.round(1000 * np.exp(-d / 6.0)) + noise, 0, 1000).astype(np.int64)

    width = len(str(max(n, len(capacity))))
    return Problem.from_arrays(
        household_ids=[f"h{h:0{width}d}" for h in range(n)],
        size=size,
        needs=needs,
        unit_ids=[f"s{u:0{width}d}" for u in range(n_sites)]
        + [f"u{u:0{width}d}" for u in range(n_sites, n_sites + n_homes)],
        capacity=capacity,
        max_households=max_households,
        features=features,
        cand_h=cand_h,
        cand_u=cand_u,
        cand_fit=cand_fit,
    )
