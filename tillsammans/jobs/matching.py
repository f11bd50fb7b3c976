"""Ranking job seekers for an opening and openings for a job seeker, with the reasons.

Hard requirements (the opening's minimum language levels and driving licence, the hours the
seeker can work, the distance the seeker can travel) decide who appears at all; they are
filtered in SQL. The candidates are then bounded by occupation: those who want, or held
before, an occupation in the opening's three-digit SSYK group (by the foreign keys' indexes);
only when that gives fewer than ``WIDEN_BELOW`` candidates does the search widen to the
two-digit group, the one-digit group and then everyone (docs/adr/0016). What is left is
scored in numpy, and the few shown get their reasons in words.

Score (at most 100): occupation 45 (same four-digit code 45, same three-digit group 32, same
two-digit group 20, same one-digit group 8; an occupation held before counts three
quarters), languages 20, travel distance 20, availability 15.
"""

import datetime as dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tillsammans.core.lib.geo import DISTRICTS, distance_km

from .models import ACTIVE_STAGES, LANGUAGES, JobSeeker, Level, Opening
from .occupations import codes_starting_with

WIDEN_BELOW = 20
DEFAULT_LIMIT = 25
OCCUPATION_POINTS = {4: 45, 3: 32, 2: 20, 1: 8, 0: 0}
PREVIOUS_SHARE = 0.75
LANGUAGE_NAMES = [name for name, _label in LANGUAGES]

SEEKER_FIELDS = (
    "id",
    "wanted_occupation_id",
    "previous_occupation_id",
    *LANGUAGE_NAMES,
    "available_from",
    "home_district",
    "max_travel_km",
)
OPENING_FIELDS = (
    "id",
    "occupation_id",
    *LANGUAGE_NAMES,
    "starts_on",
    "district",
)


@cache
def district_km(a: str, b: str) -> float:
    if a not in DISTRICTS or b not in DISTRICTS:
        return 999.0
    return distance_km(DISTRICTS[a], DISTRICTS[b])


def _common_prefix(a: str, b: str | None) -> int:
    if not b:
        return 0
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


@dataclass
class Match:
    id: int
    score: int
    reasons: list[str] = field(default_factory=list)
    km: float = 0.0


def points(seeker: tuple, opening: tuple) -> tuple[int, float]:
    """The score of one pair given as value tuples in SEEKER_FIELDS and OPENING_FIELDS order,
    and the distance in km; cheap, for every candidate (the reasons are for the top few)."""
    (_id, wanted, previous, sv, en, uk, ru, available, home, _max_km) = seeker
    (_oid, code, min_sv, min_en, min_uk, min_ru, starts_on, district) = opening
    total = max(
        OCCUPATION_POINTS[_common_prefix(code, wanted)],
        int(OCCUPATION_POINTS[_common_prefix(code, previous)] * PREVIOUS_SHARE),
    )
    # Every candidate already meets the language requirements; Swedish counts most at a
    # Swedish workplace, then English, then a level above what is required.
    pairs = ((sv, min_sv), (en, min_en), (uk, min_uk), (ru, min_ru))
    above = sum(max(0, have - need) for have, need in pairs)
    total += min(20, sv * 4 + en * 2 + min(2, above))
    km = district_km(home, district)
    total += _distance_points(km)
    if available <= starts_on:
        total += 15
    else:
        total += max(0, 15 - (available - starts_on).days // 7 * 3)
    return total, km


def reasons(seeker: tuple, opening: tuple) -> list[str]:
    """Why a pair scores what it does, in the user's language."""
    (_id, wanted, previous, sv, en, _uk, _ru, available, home, _max_km) = seeker
    (_oid, code, _sv, _en, _uk, _ru, starts_on, district) = opening
    said: list[str] = []
    wanted_len = _common_prefix(code, wanted)
    previous_len = _common_prefix(code, previous)
    if (
        wanted_len
        and OCCUPATION_POINTS[wanted_len] >= OCCUPATION_POINTS[previous_len] * PREVIOUS_SHARE
    ):
        said.append(
            _("Wants this occupation")
            if wanted_len == 4
            else _("Wants an occupation in the same group (%(code)s)") % {"code": code[:wanted_len]}
        )
    elif previous_len:
        said.append(
            _("Has worked in this occupation")
            if previous_len == 4
            else _("Has worked in the same group (%(code)s)") % {"code": code[:previous_len]}
        )
    else:
        said.append(_("Another occupation"))
    said.append(
        _("Swedish: %(sv)s, English: %(en)s")
        % {"sv": str(Level(sv).label).lower(), "en": str(Level(en).label).lower()}
    )
    # In the reader's way of writing numbers: 3,1 km in Swedish.
    said.append(_("%(km)s km from home") % {"km": number_format(district_km(home, district), 1)})
    if available <= starts_on:
        said.append(_("Available from the start"))
    else:
        said.append(
            _("Available %(days)s days after the start") % {"days": (available - starts_on).days}
        )
    return said


def score(seeker: tuple, opening: tuple) -> Match:
    total, km = points(seeker, opening)
    return Match(id=0, score=total, reasons=reasons(seeker, opening), km=km)


def _reachable(home: str, max_km: int) -> list[str]:
    return [name for name in DISTRICTS if district_km(home, name) <= max_km]


def _distance_points(km: float) -> int:
    return round(20 * max(0.0, 1 - km / 20))


def _fetch(query: QuerySet[Any], fields: tuple[str, ...]) -> list[tuple]:
    """Rows straight from the cursor: the ORM's per-row work would cost more than the scoring."""
    sql, params = query.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _code(value: Any) -> int:
    return int(value) if value else -1


def _occupation(codes: Any, target: Any) -> Any:
    """Points per pair for how much of the SSYK code two four-digit codes share."""
    return np.select(
        [codes == target, codes // 10 == target // 10, codes // 100 == target // 100,
         codes // 1000 == target // 1000],
        [OCCUPATION_POINTS[4], OCCUPATION_POINTS[3], OCCUPATION_POINTS[2], OCCUPATION_POINTS[1]],
        0,
    )  # fmt: skip


def _scores(seeker: dict[str, Any], opening: dict[str, Any], km: Any) -> Any:
    """``points`` for many pairs at once: each value an array (one per row) or a scalar."""
    wanted = _occupation(seeker["wanted"], opening["code"])
    previous = _occupation(seeker["previous"], opening["code"]) * PREVIOUS_SHARE
    previous = np.where(seeker["previous"] < 0, 0, previous.astype(np.int64))
    total = np.maximum(wanted, previous)
    above = sum(np.maximum(0, seeker[name] - opening[name]) for name in LANGUAGE_NAMES)
    total = total + np.minimum(
        20, seeker["swedish"] * 4 + seeker["english"] * 2 + np.minimum(2, above)
    )
    total = total + np.round(20 * np.maximum(0.0, 1 - km / 20)).astype(np.int64)
    late = (seeker["available"] - opening["starts_on"]).astype(np.int64)
    return total + np.where(late <= 0, 15, np.maximum(0, 15 - (late // 7) * 3))


def _columns(rows: list[tuple], fields: tuple[str, ...]) -> dict[str, Any]:
    columns = dict(zip(fields, zip(*rows, strict=True), strict=True)) if rows else {}
    return {name: columns.get(name, ()) for name in fields}


def _seeker_arrays(rows: list[tuple]) -> dict[str, Any]:
    columns = _columns(rows, SEEKER_FIELDS)
    arrays = {
        "wanted": np.fromiter(map(_code, columns["wanted_occupation_id"]), np.int64, len(rows)),
        "previous": np.fromiter(map(_code, columns["previous_occupation_id"]), np.int64, len(rows)),
        "available": np.array(columns["available_from"], dtype="datetime64[D]"),
    }
    for name in LANGUAGE_NAMES:
        arrays[name] = np.array(columns[name], dtype=np.int64)
    return arrays


def _seeker_scalars(seeker: JobSeeker) -> dict[str, Any]:
    values = {name: seeker.level(name) for name in LANGUAGE_NAMES}
    return values | {
        "wanted": _code(seeker.wanted_occupation_id),
        "previous": np.int64(_code(seeker.previous_occupation_id)),
        "available": np.datetime64(seeker.available_from, "D"),
    }


def _opening_arrays(rows: list[tuple]) -> dict[str, Any]:
    columns = _columns(rows, OPENING_FIELDS)
    arrays = {
        "code": np.fromiter(map(_code, columns["occupation_id"]), np.int64, len(rows)),
        "starts_on": np.array(columns["starts_on"], dtype="datetime64[D]"),
    }
    for name in LANGUAGE_NAMES:
        arrays[name] = np.array(columns[name], dtype=np.int64)
    return arrays


def _opening_scalars(opening: Opening) -> dict[str, Any]:
    values = {name: opening.level(name) for name in LANGUAGE_NAMES}
    return values | {
        "code": _code(opening.occupation_id),
        "starts_on": np.datetime64(opening.starts_on, "D"),
    }


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _top(rows: list[tuple], scores: Any, km: Any, limit: int) -> list[int]:
    """Indexes of the best rows: highest score, then nearest, then oldest (lowest id)."""
    if not rows:
        return []
    ids = np.fromiter((row[0] for row in rows), np.int64, len(rows))
    order = np.lexsort((ids, np.round(km * 10), -scores))
    return [int(index) for index in order[:limit]]


def _gather(
    base: QuerySet[Any],
    tiers: list[list[Q]],
    fields: tuple[str, ...],
    keep: Callable[[tuple], bool] | None = None,
) -> list[tuple]:
    """The rows of the first tier with enough of them that ``keep``. A tier is a union of
    indexed filters, each its own query, so that every one of them can use its index."""
    rows: list[tuple] = []
    for tier in tiers:
        seen: dict[int, tuple] = {}
        for condition in tier:
            for row in _fetch(base.filter(condition).order_by(), fields):
                if keep is None or keep(row):
                    seen[row[0]] = row
        rows = list(seen.values())
        if len(rows) >= WIDEN_BELOW:
            break
    return rows


def openings_for_seeker(
    seeker: JobSeeker, *, openings: QuerySet[Opening] | None = None, limit: int = DEFAULT_LIMIT
) -> list[Match]:
    """Open openings of the seeker's coaching organisation the seeker qualifies for, best first."""
    base = (openings if openings is not None else Opening.objects.all()).filter(
        organisation_id=seeker.organisation_id,
        is_open=True,
        hours_per_week__lte=seeker.hours_per_week,
        district__in=_reachable(seeker.home_district, seeker.max_travel_km),
        **{f"{name}__lte": seeker.level(name) for name in LANGUAGE_NAMES},
    )
    if not seeker.driving_licence:
        base = base.filter(driving_licence=False)
    groups = sorted({seeker.wanted_group, seeker.previous_group} - {""})
    majors = sorted({group[0] for group in groups})
    family = [
        *codes_starting_with(seeker.wanted_occupation_id[:3]),
        *(
            codes_starting_with(seeker.previous_occupation_id[:3])
            if seeker.previous_occupation_id
            else []
        ),
    ]
    tiers = [
        [Q(occupation_id__in=family)],
        [Q(group__in=groups)],
        [Q(group__startswith=major) for major in majors],
        [Q()],
    ]
    rows = _gather(base, tiers, OPENING_FIELDS)
    km = np.array([district_km(seeker.home_district, row[7]) for row in rows], dtype=float)
    scores = _scores(_seeker_scalars(seeker), _opening_arrays(rows), km)
    values = tuple(getattr(seeker, name) for name in SEEKER_FIELDS)
    matches = []
    for index in _top(rows, scores, km, limit):
        row = list(rows[index])
        row[6] = _as_date(row[6])
        matches.append(
            Match(id=row[0], score=int(scores[index]), reasons=reasons(values, tuple(row)),
                  km=float(km[index]))
        )  # fmt: skip
    return matches


def _seeker_base(opening: Opening, seekers: QuerySet[JobSeeker] | None) -> QuerySet[JobSeeker]:
    base = (seekers if seekers is not None else JobSeeker.objects.all()).filter(
        organisation_id=opening.organisation_id,
        stage__in=ACTIVE_STAGES,
        hours_per_week__gte=opening.hours_per_week,
        **{f"{name}__gte": opening.level(name) for name in LANGUAGE_NAMES if opening.level(name)},
    )
    if opening.driving_licence:
        base = base.filter(driving_licence=True)
    return base


def seekers_for_opening(
    opening: Opening, *, seekers: QuerySet[JobSeeker] | None = None, limit: int = DEFAULT_LIMIT
) -> list[Match]:
    """Active job seekers of the opening's coaching organisation who qualify, best first."""
    base = _seeker_base(opening, seekers)
    group = opening.group
    family = codes_starting_with(opening.occupation_id[:3])
    tiers = [
        [Q(wanted_occupation_id__in=family), Q(previous_occupation_id__in=family)],
        [Q(wanted_group=group), Q(previous_group=group)],
        [Q(wanted_group__startswith=group[:1]), Q(previous_group__startswith=group[:1])],
        [Q()],
    ]
    # Within reach: the distance from home to the opening's district is at most what the
    # seeker travels. Checked per row here: as SQL it is a condition per district, and
    # compiling that cost more than the check.
    where = opening.district
    rows = _gather(base, tiers, SEEKER_FIELDS, lambda row: district_km(row[8], where) <= row[9])
    km = np.array([district_km(row[8], where) for row in rows], dtype=float)
    scores = _scores(_seeker_arrays(rows), _opening_scalars(opening), km)
    values = tuple(getattr(opening, name) for name in OPENING_FIELDS)
    matches = []
    for index in _top(rows, scores, km, limit):
        row = list(rows[index])
        row[7] = _as_date(row[7])
        matches.append(
            Match(id=row[0], score=int(scores[index]), reasons=reasons(tuple(row), values),
                  km=float(km[index]))
        )  # fmt: skip
    return matches


def _rank(pairs: list[tuple[tuple, tuple]], limit: int, *, seekers: bool) -> list[Match]:
    """The best ``limit`` pairs of (seeker values, opening values) scored in Python, with
    their reasons; each match names the seeker (``seekers``) or the opening."""
    side = 0 if seekers else 1
    scored = []
    for pair in pairs:
        total, km = points(*pair)
        scored.append((-total, round(km * 10), pair[side][0], pair))
    best = heapq.nsmallest(limit, scored, key=lambda item: item[:3])
    return [
        Match(id=row_id, score=-negative, reasons=reasons(*pair), km=km / 10)
        for negative, km, row_id, pair in best
    ]


def seekers_for_opening_naive(opening: Opening, *, limit: int = DEFAULT_LIMIT) -> list[Match]:
    """The baseline the benchmark compares with: every active seeker read and checked here."""
    values = tuple(getattr(opening, name) for name in OPENING_FIELDS)
    pairs = []
    fields = (*SEEKER_FIELDS, "hours_per_week", "driving_licence")
    rows = JobSeeker.objects.filter(
        organisation_id=opening.organisation_id, stage__in=ACTIVE_STAGES
    ).values_list(*fields)
    for row in rows:
        *seeker, hours, licence = row
        levels = seeker[3:7]
        if hours < opening.hours_per_week or (opening.driving_licence and not licence):
            continue
        if any(
            have < opening.level(name) for have, name in zip(levels, LANGUAGE_NAMES, strict=True)
        ):
            continue
        if district_km(seeker[8], opening.district) > seeker[9]:
            continue
        pairs.append((tuple(seeker), values))
    return _rank(pairs, limit, seekers=True)


def openings_for_seeker_naive(seeker: JobSeeker, *, limit: int = DEFAULT_LIMIT) -> list[Match]:
    values = tuple(getattr(seeker, name) for name in SEEKER_FIELDS)
    pairs = []
    rows = Opening.objects.filter(organisation_id=seeker.organisation_id, is_open=True).values_list(
        *OPENING_FIELDS, "hours_per_week", "driving_licence"
    )
    for row in rows:
        *opening, hours, licence = row
        if hours > seeker.hours_per_week or (licence and not seeker.driving_licence):
            continue
        if any(
            seeker.level(name) < need
            for need, name in zip(opening[2:6], LANGUAGE_NAMES, strict=True)
        ):
            continue
        if district_km(seeker.home_district, opening[7]) > seeker.max_travel_km:
            continue
        pairs.append((values, tuple(opening)))
    return _rank(pairs, limit, seekers=False)
