"""Writes for placement: proposals, accepting them one household at a time, pins and forbids.

A proposal is made from what the database holds now, without locks: it is advice. Accepting
an item goes through the same locked reception services as a manual placement
(``allocation_place``, ``stay_move``), each household in its own transaction, so an item
whose unit filled up meanwhile fails alone, with the reason, and the others still go in.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction
from tillsammans.housing.models import Site, Unit
from tillsammans.reception import eligibility
from tillsammans.reception.services import allocation_place, stay_move

from .error_codes import PlacementErrorCode as Code
from .fit import FitTable
from .models import (
    MAX_WEIGHT,
    FitWeights,
    ItemStatus,
    PlacementProposal,
    ProposalItem,
    ProposalKind,
    UnplacedReason,
)
from .selectors import (
    HouseholdIn,
    UnitIn,
    available_units,
    fairness_of,
    pending_households,
    residents_of_site,
)
from .solver import Household as SolverHousehold
from .solver import Problem, ProblemError, Result, Unplaced
from .solver import Unit as SolverUnit

# A city's proposal takes well under a second; the limit only bounds a pathological one.
SOLVE_SECONDS = 20.0

Pair = tuple[str, str]  # (household public id, unit public id)


Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, step: str) -> None:
    """Where progress goes when nobody follows it (a proposal made in the request)."""


def _require_coordinator(actor: Any, message: str) -> None:
    if not access.is_coordinator(actor):
        raise PermissionDenied(message)


# -- the weights ---------------------------------------------------------------------------


def fit_weights_update(
    *, actor: Any, distance: int, language: int, food: int, fairness: int
) -> FitWeights:
    _require_coordinator(actor, _("Only a coordinator can change the weights of the fit."))
    values = {"distance": distance, "language": language, "food": food, "fairness": fairness}
    if any(not 0 <= value <= MAX_WEIGHT for value in values.values()):
        raise ServiceError(
            Code.BAD_WEIGHTS,
            _("Each weight is a whole number from 0 to %(max)s.") % {"max": MAX_WEIGHT},
        )
    with transaction.atomic():
        weights = FitWeights.objects.select_for_update().filter(pk=FitWeights.SINGLETON_ID).first()
        weights = weights or FitWeights(pk=FitWeights.SINGLETON_ID)
        before = weights.weights().as_dict()
        for name, value in values.items():
            setattr(weights, name, value)
        weights.updated_by = actor
        weights.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=weights,
            summary=gettext_noop(
                "fit weights: distance %(old_distance)s → %(distance)s, language "
                "%(old_language)s → %(language)s, food %(old_food)s → %(food)s, fairness "
                "%(old_fairness)s → %(fairness)s"
            ),
            params={**values, **{f"old_{name}": before[name] for name in values}},
        )
    return weights


# -- proposing -----------------------------------------------------------------------------


@dataclass
class _Pins:
    kept: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    # Unaccompanied young people placed in the home their decision names, before the solver
    # (``_place_decided``); passed to it as pins, not shown as the user's.
    decided: dict[str, str] = field(default_factory=dict)
    # Those with a decided home that the rule takes them into alone, but whose licensed
    # places went to others before them.
    crowded_out: set[str] = field(default_factory=set)

    def fixed(self) -> dict[str, str]:
        return {**self.decided, **self.kept}


@dataclass
class _Taken:
    """Beds, household slots and a home's licensed places taken by the pairs fixed so far."""

    beds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    slots: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    places: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def fits(self, household: HouseholdIn, unit: UnitIn | None) -> bool:
        if unit is None or eligibility.refusal(household.applicant, unit.room) is not None:
            return False
        if self.beds[unit.id] + household.size > unit.free:
            return False
        if unit.slots is not None and self.slots[unit.id] + 1 > unit.slots:
            return False
        home = unit.room.children_home
        if home is not None:
            # The rule took the household alone; the home's units share the licence's places.
            licence = home.licence_on(household.on)
            used = home.occupants + self.places[home.site_id] + household.size
            return licence is not None and used <= licence.places
        return True

    def take(self, household: HouseholdIn, unit: UnitIn) -> None:
        self.beds[unit.id] += household.size
        self.slots[unit.id] += 1
        if unit.room.children_home is not None:
            self.places[unit.room.children_home.site_id] += household.size


def _check_pins(
    pins: Iterable[Pair], households: dict[str, HouseholdIn], units: dict[str, UnitIn]
) -> tuple[_Pins, _Taken]:
    """Keep the pins that still hold, together, by the placement rule; drop the rest.

    The engine refuses a problem whose pins break a rule, and acceptance refuses a place the
    rule does not allow, so a pin to a unit that filled up since it was set (or a host home
    whose agreement ended) is dropped here and shown on the item instead.
    """
    taken = _Taken()
    result = _Pins()
    ordered = sorted(
        (pair for pair in pins if pair[0] in households),
        key=lambda pair: households[pair[0]].household.reference,
    )
    for h_id, u_id in ordered:
        household, unit = households[h_id], units.get(u_id)
        if h_id in result.kept or h_id in result.dropped:
            continue
        if unit is None or not taken.fits(household, unit):
            result.dropped[h_id] = u_id
            continue
        result.kept[h_id] = u_id
        taken.take(household, unit)
    return result, taken


def _place_decided(
    households: Sequence[HouseholdIn], units: Sequence[UnitIn], pins: _Pins, taken: _Taken
) -> None:
    """Place each unaccompanied young person with a decision in a unit of the decided home,
    by reference, while the home's licence has places.

    The social services chose the home; the engine only finds a bed in it. Doing it here,
    and keeping homes for children out of the solver, keeps the licence's places (shared by
    the home's units, a constraint the solver does not have) within bounds."""
    homes = [u for u in units if u.room.children_home is not None]
    for household in sorted(households, key=lambda h: h.household.reference):
        if household.id in pins.kept or not household.applicant.decisions:
            continue
        unit = next((u for u in homes if taken.fits(household, u)), None)
        if unit is not None:
            pins.decided[household.id] = unit.id
            taken.take(household, unit)
        elif any(eligibility.refusal(household.applicant, u.room) is None for u in homes):
            pins.crowded_out.add(household.id)


def _candidates(
    households: Sequence[HouseholdIn],
    units: Sequence[UnitIn],
    table: FitTable,
    forbidden: set[Pair],
    h_key: dict[str, str],
    u_key: dict[str, str],
) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Every pair the placement rule allows (``reception.eligibility``, the rule acceptance
    checks again under lock) and that is not forbidden, with its fit, computed once per pair
    of profiles; and how many units the rule allows each household, forbidden or not."""
    pair_h, pair_u = eligibility.eligible_pairs(
        [h.applicant for h in households], [u.room for u in units]
    )
    allowed = np.bincount(pair_h, minlength=len(households)).tolist()
    pairs: list[tuple[str, str, int]] = []
    for h, u in zip(pair_h.tolist(), pair_u.tolist(), strict=True):
        household, unit = households[h], units[u]
        if (household.id, unit.id) not in forbidden:
            fit = table.fit(household.profile, unit.profile)
            pairs.append((h_key[household.id], u_key[unit.id], fit))
    return pairs, {household.id: allowed[n] for n, household in enumerate(households)}


@dataclass
class _Run:
    """One proposal in the making: the households the engine is asked about, the units,
    the short ids of both, the pins and forbids that hold, and the fits."""

    households: list[HouseholdIn]
    units: list[UnitIn]
    table: FitTable
    pins: _Pins
    forbids: set[Pair]

    def __post_init__(self) -> None:
        self.by_household = {h.id: h for h in self.households}
        self.by_unit = {u.id: u for u in self.units}
        self.h_key = {h.id: f"h{n}" for n, h in enumerate(self.households, start=1)}
        self.u_key = {u.id: f"u{n}" for n, u in enumerate(self.units, start=1)}
        self.pairs, self.allowed = _candidates(
            self.households, self.units, self.table, self.forbids, self.h_key, self.u_key
        )
        fixed = self.pins.fixed()
        # A home for children takes only the households fixed to it (``_place_decided``).
        homes = {self.u_key[u.id] for u in self.units if u.room.children_home is not None}
        fixed_pairs = {(self.h_key[h], self.u_key[u]) for h, u in fixed.items()}
        self.pairs = [p for p in self.pairs if p[1] not in homes or p[:2] in fixed_pairs]
        pinned = {self.h_key[h] for h in fixed}
        given = {(h, u) for h, u, _fit in self.pairs if h in pinned}
        for h_id, u_id in fixed.items():
            # A pin may name a forbidden unit: the pin wins, at the fit the unit has.
            if (self.h_key[h_id], self.u_key[u_id]) not in given:
                fit = self.table.fit(self.by_household[h_id].profile, self.by_unit[u_id].profile)
                self.pairs.append((self.h_key[h_id], self.u_key[u_id], fit))

    def problem_json(self) -> dict[str, Any]:
        """The engine's documented file format, with short ids only."""
        return {
            "households": [
                {"id": self.h_key[h.id], "size": h.size, "needs": sorted(h.needs)}
                for h in self.households
            ],
            "units": [
                {
                    "id": self.u_key[u.id],
                    "capacity": u.free,
                    **({} if u.slots is None else {"max_households": u.slots}),
                    "features": sorted(u.features),
                }
                for u in self.units
            ],
            "candidates": [list(pair) for pair in self.pairs],
            "pinned": [[self.h_key[h], self.u_key[u]] for h, u in self.pins.fixed().items()],
        }

    def ids(self) -> dict[str, dict[str, str]]:
        return {
            "households": {key: h_id for h_id, key in self.h_key.items()},
            "units": {key: u_id for u_id, key in self.u_key.items()},
        }

    def solve(self) -> Result:
        try:
            problem = Problem.build(
                households=[
                    SolverHousehold(self.h_key[h.id], h.size, h.needs) for h in self.households
                ],
                units=[
                    SolverUnit(self.u_key[u.id], u.free, u.slots, u.features) for u in self.units
                ],
                candidates=self.pairs,
                pinned=[(self.h_key[h], self.u_key[u]) for h, u in self.pins.fixed().items()],
            )
            # The engine (SciPy) is imported when a proposal is made, not by every process
            # that loads the URLs: 0.7 s of each server process's first request.
            from .solver import solve

            return solve(problem, time_limit=SOLVE_SECONDS)
        except ProblemError as exc:
            raise ServiceError(
                Code.PROBLEM_REFUSED,
                _("The placement engine refused the problem: %(error)s") % {"error": exc},
            ) from exc


def _items(
    run: _Run, households: list[HouseholdIn], result: Result
) -> list[tuple[ProposalItem, list[Unit]]]:
    """One item per household, in the order given, with the units forbidden for it."""
    placed = {a.household: a for a in result.assignments}
    unplaced = {u.household: u for u in result.unplaced}
    unit_of_key = {key: run.by_unit[u_id] for u_id, key in run.u_key.items()}
    named = {
        str(unit.public_id): unit
        for unit in Unit.objects.filter(
            public_id__in={u for _h, u in run.forbids} | set(run.pins.dropped.values())
        )
    }
    forbidden: dict[str, list[Unit]] = defaultdict(list)
    for h_id, u_id in sorted(run.forbids):
        if u_id in named:
            forbidden[h_id].append(named[u_id])
    items = []
    for household in households:
        item = ProposalItem(
            household=household.household,
            allocation=household.allocation,
            from_stay=household.stay,
            on=household.on,
            size=household.size,
            needs=sorted(household.needs),
        )
        items.append((item, forbidden[household.id]))
        if household.skip:
            item.status, item.reason = ItemStatus.UNPLACED, household.skip
            continue
        key = item.key = run.h_key[household.id]
        if key in placed:
            unit = unit_of_key[placed[key].unit]
            item.unit, item.fit = unit.unit, placed[key].fit
            parts = run.table.parts(household.profile, unit.profile)
            item.parts = {part.name: part.as_json() for part in parts}
            item.pinned = household.id in run.pins.kept
        else:
            item.status = ItemStatus.UNPLACED
            item.reason, item.suitable = _why_unplaced(run, household, unplaced.get(key))
        if household.id in run.pins.kept:
            item.next_pin = run.by_unit[run.pins.kept[household.id]].unit
        if household.id in run.pins.dropped:
            item.dropped_pin = named.get(run.pins.dropped[household.id])
    return items


def _why_unplaced(run: _Run, household: HouseholdIn, unplaced: Unplaced | None) -> tuple[str, int]:
    """Why the engine left a household out, counted by the placement rule: the solver only
    knows needs and beds, not which units the rule lets this household into."""
    allowed = run.allowed.get(household.id, 0)
    if allowed == 0:
        return UnplacedReason.NO_UNIT, 0
    if household.id in run.pins.crowded_out:
        return UnplacedReason.OUTBID, allowed
    given = unplaced.candidates if unplaced is not None else 0
    return (UnplacedReason.OUTBID if given else UnplacedReason.NO_CANDIDATE), allowed


def _propose(
    *,
    actor: Any,
    kind: str,
    site: Site | None,
    on: dt.date,
    households: list[HouseholdIn],
    units: list[UnitIn],
    pins: Iterable[Pair],
    forbids: Iterable[Pair],
    previous: PlacementProposal | None,
    progress: Progress | None = None,
    then: Callable[[PlacementProposal], None] | None = None,
) -> PlacementProposal:
    report = progress or _no_progress
    report(2, 4, _("Searching for the best placement"))
    weights = FitWeights.current().weights()
    solvable = [household for household in households if not household.skip]
    asked = {household.id: household for household in solvable}
    kept, taken = _check_pins(((str(h), str(u)) for h, u in pins), asked, {u.id: u for u in units})
    _place_decided(solvable, units, kept, taken)
    run = _Run(
        households=solvable,
        units=units,
        table=FitTable(weights, fairness_of(units, on)),
        pins=kept,
        forbids={(str(h), str(u)) for h, u in forbids if str(h) in asked},
    )
    result = run.solve()
    report(3, 4, _("Saving the proposal"))
    items = _items(run, households, result)
    with transaction.atomic():
        proposal = PlacementProposal.objects.create(
            kind=kind,
            site=site,
            on=on,
            created_by=actor,
            previous=previous,
            problem=run.problem_json(),
            ids=run.ids(),
            weights=weights.as_dict(),
            pins=[[h, u] for h, u in sorted(run.pins.kept.items())],
            forbids=[[h, u] for h, u in sorted(run.forbids)],
            result=result.to_json(),
            households_total=len(households),
            persons_total=sum(h.size for h in households),
            households_placed=result.households_placed,
            persons_placed=result.persons_placed,
            objective=result.objective,
            upper_bound=result.upper_bound,
            gap=result.gap,
            seconds=result.seconds,
        )
        for item, _forbidden in items:
            item.proposal = proposal
        ProposalItem.objects.bulk_create([item for item, _forbidden in items])
        through = ProposalItem.next_forbids.through
        through.objects.bulk_create(
            through(proposalitem_id=item.pk, unit_id=unit.pk)
            for item, forbidden in items
            for unit in forbidden
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=proposal,
            summary=gettext_noop(
                "proposal for %(on)s, closing %(site)s: %(placed)s of %(households)s "
                "households, %(persons_placed)s of %(persons)s persons, gap %(gap)s, "
                "pins %(pins)s, forbids %(forbids)s"
            )
            if site
            else gettext_noop(
                "proposal for %(on)s: %(placed)s of %(households)s households, "
                "%(persons_placed)s of %(persons)s persons, gap %(gap)s, pins %(pins)s, "
                "forbids %(forbids)s"
            ),
            params={
                "on": on.isoformat(),
                "site": site or "",
                "placed": result.households_placed,
                "households": len(households),
                "persons_placed": result.persons_placed,
                "persons": proposal.persons_total,
                "gap": f"{result.gap:.4%}",
                "pins": len(run.pins.kept),
                "forbids": len(run.forbids),
            },
        )
        if then is not None:
            then(proposal)
    return proposal


def proposal_create(
    *,
    actor: Any,
    on: dt.date,
    pins: Iterable[Pair] = (),
    forbids: Iterable[Pair] = (),
    previous: PlacementProposal | None = None,
    progress: Progress | None = None,
    then: Callable[[PlacementProposal], None] | None = None,
) -> PlacementProposal:
    """Propose a place for every household with a pending allocation. ``progress`` hears of
    each step; ``then`` is called with the proposal inside the transaction that saves it."""
    _require_coordinator(actor, _("Only a coordinator can propose placements."))
    report = progress or _no_progress
    report(0, 4, _("Reading the pending allocations"))
    households = pending_households(on)
    if not households:
        raise ServiceError(Code.NOTHING_TO_PLACE, _("There are no pending allocations to place."))
    report(1, 4, _("Finding the free places"))
    return _propose(
        actor=actor,
        kind=ProposalKind.ALLOCATIONS,
        site=None,
        on=on,
        households=households,
        units=available_units(on, households),
        pins=pins,
        forbids=forbids,
        previous=previous,
        progress=progress,
        then=then,
    )


def proposal_create_for_site(
    *,
    actor: Any,
    site: Site,
    on: dt.date,
    pins: Iterable[Pair] = (),
    forbids: Iterable[Pair] = (),
    previous: PlacementProposal | None = None,
    progress: Progress | None = None,
    then: Callable[[PlacementProposal], None] | None = None,
) -> PlacementProposal:
    """Propose new places in other open sites for everyone living at a site; nobody else
    moves."""
    _require_coordinator(actor, _("Only a coordinator can propose placements."))
    report = progress or _no_progress
    report(0, 4, _("Reading who lives at the site"))
    households = residents_of_site(site, on)
    if not households:
        raise ServiceError(Code.NOBODY_LIVES_THERE, _("Nobody lives at this site now."))
    report(1, 4, _("Finding the free places"))
    return _propose(
        actor=actor,
        kind=ProposalKind.SITE_CLOSING,
        site=site,
        on=on,
        households=households,
        units=available_units(on, households, exclude_site=site),
        pins=pins,
        forbids=forbids,
        previous=previous,
        progress=progress,
        then=then,
    )


def proposal_repropose(
    *,
    actor: Any,
    proposal: PlacementProposal,
    progress: Progress | None = None,
    then: Callable[[PlacementProposal], None] | None = None,
) -> PlacementProposal:
    """Propose again, as the same kind and for the same date, with the coordinator's pins and
    forbids from this proposal's items. Households accepted meanwhile are no longer asked
    about; new pending allocations are."""
    _require_coordinator(actor, _("Only a coordinator can propose placements."))
    items = (
        proposal.items.exclude(status=ItemStatus.ACCEPTED)
        .select_related("household", "next_pin")
        .prefetch_related("next_forbids")
    )
    pins: list[Pair] = []
    forbids: list[Pair] = []
    for item in items:
        household = str(item.household.public_id)
        if item.next_pin is not None:
            pins.append((household, str(item.next_pin.public_id)))
        forbids.extend((household, str(unit.public_id)) for unit in item.next_forbids.all())
    again: dict[str, Any] = {
        "actor": actor, "on": proposal.on, "pins": pins, "forbids": forbids,
        "previous": proposal, "progress": progress, "then": then,
    }  # fmt: skip
    if proposal.is_site_closing and proposal.site is not None:
        return proposal_create_for_site(site=proposal.site, **again)
    return proposal_create(**again)


# -- accepting -----------------------------------------------------------------------------


@dataclass
class Accepted:
    accepted: list[ProposalItem] = field(default_factory=list)
    failed: list[ProposalItem] = field(default_factory=list)


def _parse_ids(values: Iterable[Any]) -> list[uuid.UUID]:
    ids = []
    for value in values:
        try:
            ids.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except (TypeError, ValueError):
            continue
    return ids


def proposal_accept(
    *, actor: Any, proposal: PlacementProposal, item_ids: Iterable[Any] | None = None
) -> Accepted:
    """Accept the proposed places (all of them, or the items named), one household at a time.

    Each household is placed, or moved, in its own transaction through the reception
    services, which lock the units and check the beds again. A refusal (the unit filled up,
    the allocation was cancelled) marks that item failed, with the reason, and the rest go on.
    """
    _require_coordinator(actor, _("Only a coordinator can accept placements."))
    items = proposal.items.filter(status=ItemStatus.PROPOSED, unit__isnull=False)
    if item_ids is not None:
        items = items.filter(public_id__in=_parse_ids(item_ids))
    chosen = list(
        items.select_related("household", "allocation", "from_stay", "unit__site").order_by("id")
    )
    if not chosen:
        raise ServiceError(
            Code.NOTHING_SELECTED,
            _("Nothing to accept: choose at least one proposed place not yet accepted."),
        )
    outcome = Accepted()
    for item in chosen:
        try:
            done = _accept_one(actor, proposal, item)
        except ServiceError as exc:
            if _fail_one(actor, proposal, item, exc):
                outcome.failed.append(item)
        else:
            if done:
                outcome.accepted.append(item)
    return outcome


def _accept_one(actor: Any, proposal: PlacementProposal, item: ProposalItem) -> bool:
    assert item.unit is not None
    with transaction.atomic():
        # The item first: two coordinators accepting the same item wait for each other, and
        # the second finds it accepted. Sites, units and the household are locked after it,
        # in the reception services' own order.
        locked = ProposalItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != ItemStatus.PROPOSED:
            return False
        if proposal.kind == ProposalKind.SITE_CLOSING:
            assert item.from_stay is not None
            stay = stay_move(actor=actor, stay=item.from_stay, to_unit=item.unit, on=item.on)
        else:
            assert item.allocation is not None
            stay = allocation_place(
                actor=actor, allocation=item.allocation, unit=item.unit, on=item.on
            )
        locked.status = ItemStatus.ACCEPTED
        locked.stay = stay
        locked.accepted_by = actor
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["status", "stay", "accepted_by", "accepted_at", "updated_at"])
        item.status, item.stay = locked.status, stay
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=proposal,
            summary=gettext_noop("accepted %(household)s in %(unit)s from %(on)s"),
            params={"household": item.household, "unit": item.unit, "on": item.on.isoformat()},
        )
    return True


def _fail_one(
    actor: Any, proposal: PlacementProposal, item: ProposalItem, exc: ServiceError
) -> bool:
    with transaction.atomic():
        changed = ProposalItem.objects.filter(pk=item.pk, status=ItemStatus.PROPOSED).update(
            status=ItemStatus.FAILED,
            error_code=exc.code,
            message=str(exc.message)[:300],
            updated_at=timezone.now(),
        )
        if changed:
            item.status, item.error_code, item.message = (
                ItemStatus.FAILED,
                exc.code,
                str(exc.message),
            )
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=proposal,
                summary=gettext_noop("could not accept %(household)s in %(unit)s: %(code)s"),
                params={"household": item.household, "unit": item.unit, "code": exc.code},
            )
    return bool(changed)


# -- pins and forbids for the next proposal -----------------------------------------------


def _check_adjustable(actor: Any, item: ProposalItem) -> None:
    _require_coordinator(actor, _("Only a coordinator can change a proposal."))
    if not item.can_adjust:
        raise ServiceError(
            Code.NOT_ADJUSTABLE, _("This household's place has already been accepted.")
        )


def proposal_item_pin(*, actor: Any, item: ProposalItem, unit: Unit | None) -> ProposalItem:
    """Pin the household to a unit for the next proposal, or take the pin away (``None``)."""
    _check_adjustable(actor, item)
    proposal = item.proposal
    if unit is not None:
        if proposal.is_site_closing and unit.site_id == proposal.site_id:
            raise ServiceError(Code.BAD_PIN, _("Choose a unit in another site: this one closes."))
        refused = eligibility.refusal_of(household=item.household, unit=unit, on=item.on)
        if refused is not None:
            raise ServiceError(Code.BAD_PIN, refused.message)
    with transaction.atomic():
        item.next_pin = unit
        item.save(update_fields=["next_pin", "updated_at"])
        if unit is not None:
            item.next_forbids.remove(unit)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=proposal,
            summary=gettext_noop("pinned %(household)s to %(unit)s")
            if unit
            else gettext_noop("unpinned %(household)s"),
            params={"household": item.household, "unit": unit or ""},
        )
    return item


def proposal_item_forbid(
    *, actor: Any, item: ProposalItem, unit: Unit, forbidden: bool = True
) -> ProposalItem:
    """Forbid a unit for the household in the next proposal, or allow it again."""
    _check_adjustable(actor, item)
    with transaction.atomic():
        if forbidden:
            item.next_forbids.add(unit)
            if item.next_pin_id == unit.pk:
                item.next_pin = None
                item.save(update_fields=["next_pin", "updated_at"])
        else:
            item.next_forbids.remove(unit)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item.proposal,
            summary=gettext_noop("forbade %(unit)s for %(household)s")
            if forbidden
            else gettext_noop("allowed %(unit)s for %(household)s"),
            params={"unit": unit, "household": item.household},
        )
    return item
