"""Who may be placed where: one rule, asked three ways.

A household may move into a unit on a day when

1. the unit's site is open that day;
2. the unit has every feature the household needs that day (accessible, pets allowed, and
   children welcome when someone is under 18 that day);
3. the unit may take one more household (``Unit.max_households``);
4. the unit is not a host home of a programme (Hjärterum), or it is one that is vetted,
   offered by its host that day, and the household is the guest of a signed sublet
   agreement covering the day; a host-home unit of a programme's organisation with no
   registered host takes no one;
5. the unit has a free, unblocked bed for every person that day;
6. a home for children (an HVB home, supported housing, a family home) takes only an
   unaccompanied child or young person, on a placement decision by the social services
   covering the day, under a licence valid that day that covers each one's age and sex and
   has a place for each (persons holding a bed in the home count against the places); a
   young person of 18 or more only when the decision continues the placement. Conversely an
   unaccompanied child under 18 (or a household with no adult) lives only in such a home.

The rule is written once, in Python, over what is known of a unit (``Room``) and of a
household (``Applicant``): ``refusal`` answers the first condition a pair breaks, with the
reason in the user's language. It is asked three ways:

- ``check``: the locked check in ``reception.services`` (manual placements, moves, accepted
  proposals), on facts read after the unit's row lock;
- ``eligible_pairs``: the engine's candidates, every household × every unit at once (the
  unit conditions once per unit and day, features and beds in numpy, host homes from their
  guests), so a proposal holds only places that accepting it will take;
- ``units_for``: the unit lists (a pending allocation's manual placement, the move form), the
  same conditions as a queryset filter with the capacity annotations.

The host-home part is read from rows the programme writes through ``reception.services``
(``HostHomeProgramme``, ``HostHome``, ``HostHomeGuest``), never from the hosting app, which
sits above reception. ``reception/tests/test_eligibility.py`` checks on random households and
units that the three ways agree.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.housing.models import (
    CHILDREN_KINDS,
    FEATURES,
    Licence,
    LicenceSex,
    Site,
    SiteKind,
    Unit,
)
from tillsammans.housing.selectors import (
    UnitCapacity,
    not_closed_by,
    occupied_beds_filter,
    units_with_capacity,
)
from tillsammans.people.models import Household

from .error_codes import ReceptionErrorCode as Code
from .models import HostHome, HostHomeGuest, HostHomeProgramme, Occupancy, PlacementDecision

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _covers(valid_from: dt.date, valid_to: dt.date | None, day: dt.date) -> bool:
    """A period whose first and last days (None: until further notice) are both included."""
    return valid_from <= day and (valid_to is None or day <= valid_to)


@dataclass(frozen=True)
class Decision:
    """The social services' decision to place a household in a home for children, from
    ``valid_from`` to ``valid_to`` (both included)."""

    site_id: int
    valid_from: dt.date
    valid_to: dt.date | None
    continued_after_18: bool = False

    def covers(self, day: dt.date) -> bool:
        return _covers(self.valid_from, self.valid_to, day)


@dataclass(frozen=True)
class Applicant:
    """A household as the rule sees it on a day: how many persons, the features it needs,
    each person's age and sex, whether it is an unaccompanied child or young person, and the
    placement decisions made for it."""

    household_id: int
    size: int
    needs: frozenset[str]
    on: dt.date
    ages: tuple[int, ...] = ()
    sexes: tuple[str, ...] = ()
    unaccompanied: bool = False
    decisions: tuple[Decision, ...] = ()

    @property
    def needs_licensed_home(self) -> bool:
        """An unaccompanied child under 18 lives only in a licensed home for children."""
        return self.unaccompanied and any(age < ADULT_AGE for age in self.ages)


@dataclass(frozen=True)
class LicenceTerms:
    """What a home's licence allows: ages (both included), sex, places, and its period
    (both days included)."""

    min_age: int
    max_age: int
    sex: str
    places: int
    valid_from: dt.date
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return _covers(self.valid_from, self.valid_to, day)


@dataclass(frozen=True)
class ChildrenHome:
    """A home for children as the rule sees it: its licences and how many persons hold one
    of its beds on the day the places are counted."""

    site_id: int
    licences: tuple[LicenceTerms, ...] = ()
    occupants: int = 0

    def licence_on(self, day: dt.date) -> LicenceTerms | None:
        return next((licence for licence in self.licences if licence.valid_on(day)), None)


@dataclass(frozen=True)
class Guest:
    """A household a host home takes: a signed agreement from ``starts_on`` until
    ``ends_on`` (exclusive)."""

    household_id: int
    starts_on: dt.date
    ends_on: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day < self.ends_on


@dataclass(frozen=True)
class Home:
    """A registered host home: vetted or not, the host's period, its guests."""

    vetted: bool
    available_from: dt.date
    available_until: dt.date | None
    guests: tuple[Guest, ...] = ()

    def offered_on(self, day: dt.date) -> bool:
        return self.available_from <= day and (
            self.available_until is None or day < self.available_until
        )


@dataclass(frozen=True, eq=False)
class Room:
    """A unit as the rule sees it, with its free beds counted for one day."""

    unit: Unit
    opens_on: dt.date
    closes_on: dt.date | None
    features: frozenset[str]
    free: int
    # Households it may still take; None when it has no limit.
    slots: int | None
    # A host-home site of an organisation that runs a host-home programme.
    programme_site: bool = False
    home: Home | None = None
    # A home for children (CHILDREN_KINDS), with its licences.
    children_home: ChildrenHome | None = None


# -- the rule ------------------------------------------------------------------------------


def no_room_error() -> ServiceError:
    return ServiceError(
        Code.NO_ROOM,
        _("There is no longer room for this household in that unit. Choose another unit."),
    )


def _site_open(room: Room, day: dt.date) -> bool:
    return room.opens_on <= day and (room.closes_on is None or day < room.closes_on)


def _has_slot(room: Room) -> bool:
    return room.slots is None or room.slots >= 1


def _takes_someone(room: Room, day: dt.date) -> bool:
    """The conditions of the unit alone: open that day, a household slot free, and not a
    host home that takes no one that day."""
    return _site_open(room, day) and _has_slot(room) and _home_closed(room, day) is None


def _home_closed(room: Room, day: dt.date) -> str | None:
    """Why a host home takes no one on ``day`` whoever asks, or None."""
    if room.home is None:
        return Code.HOST_NOT_REGISTERED if room.programme_site else None
    if not room.home.vetted:
        return Code.HOST_NOT_VETTED
    if not room.home.offered_on(day):
        return Code.HOST_NOT_AVAILABLE
    return None


def _takes_guest(room: Room, household_id: int, day: dt.date) -> bool:
    if room.home is None:
        return True
    return any(g.household_id == household_id and g.covers(day) for g in room.home.guests)


def _home_message(code: str) -> str:
    if code == Code.HOST_NOT_REGISTERED:
        return _("This host home has no registered host. Register and vet the host first.")
    if code == Code.HOST_NOT_VETTED:
        return _(
            "This host home is not vetted: the home visit, the host's identity and a "
            "reference must be checked before the first guest moves in."
        )
    return _("The host does not offer the home on that date.")


def _no_agreement_error() -> ServiceError:
    return ServiceError(
        Code.NO_AGREEMENT,
        _(
            "No sublet agreement signed by the host, the organisation and this household "
            "covers that date. Record the host's answer and the signed agreement first."
        ),
    )


def _sex_message(sex: str) -> str:
    if sex == LicenceSex.FEMALE:
        return _("The home's licence covers girls only.")
    return _("The home's licence covers boys only.")


def children_refusal(applicant: Applicant, home: ChildrenHome | None) -> ServiceError | None:
    """Condition 6: who may live in a home for children (``home``), and that an
    unaccompanied child lives nowhere else (``home`` None: any other kind of place)."""
    day = applicant.on
    if home is None:
        if applicant.needs_licensed_home:
            return ServiceError(
                Code.NEEDS_LICENSED_HOME,
                _(
                    "An unaccompanied child lives only in a licensed home for children: an "
                    "HVB home, supported housing or a family home."
                ),
            )
        return None
    if not applicant.unaccompanied:
        return ServiceError(
            Code.HOME_FOR_CHILDREN,
            _("This is a home for unaccompanied children and young people only."),
        )
    decision = next(
        (d for d in applicant.decisions if d.site_id == home.site_id and d.covers(day)), None
    )
    if decision is None:
        return ServiceError(
            Code.NO_DECISION,
            _(
                "No placement decision by the social services places this young person in "
                "this home on that date. The case worker records the decision first."
            ),
        )
    licence = home.licence_on(day)
    if licence is None:
        return ServiceError(Code.NO_LICENCE, _("The home has no valid licence on that date."))
    if any(not licence.min_age <= age <= licence.max_age for age in applicant.ages):
        return ServiceError(
            Code.LICENCE_AGE,
            _("The home's licence covers ages %(youngest)s to %(oldest)s.")
            % {"youngest": licence.min_age, "oldest": licence.max_age},
        )
    if any(age >= ADULT_AGE for age in applicant.ages) and not decision.continued_after_18:
        return ServiceError(
            Code.ADULT_IN_CHILDREN_HOME,
            _(
                "A young person of 18 or older stays in a home for children only when the "
                "social services' decision continues the placement."
            ),
        )
    if licence.sex != LicenceSex.ANY and any(sex != licence.sex for sex in applicant.sexes):
        return ServiceError(Code.LICENCE_SEX, _sex_message(licence.sex))
    if home.occupants + applicant.size > licence.places:
        return ServiceError(
            Code.LICENCE_FULL,
            _("All %(places)s places of the home's licence are taken on that date.")
            % {"places": licence.places},
        )
    return None


def refusal(applicant: Applicant, room: Room) -> ServiceError | None:
    """The first condition of the rule that placing ``applicant`` in ``room`` breaks, as
    the error to show; None when the household may move in."""
    day = applicant.on
    if not _site_open(room, day):
        return ServiceError(Code.SITE_CLOSED, _("The site is not open on that date."))
    children = children_refusal(applicant, room.children_home)
    if children is not None:
        return children
    missing = applicant.needs - room.features
    if missing == {"children_ok"}:
        return ServiceError(Code.NEEDS_NOT_MET, _("The unit does not take children."))
    if missing:
        return ServiceError(Code.NEEDS_NOT_MET, _("The unit does not meet the household's needs."))
    if not _has_slot(room):
        return no_room_error()
    closed = _home_closed(room, day)
    if closed is not None:
        return ServiceError(closed, _home_message(closed))
    if not _takes_guest(room, applicant.household_id, day):
        return _no_agreement_error()
    if room.free < applicant.size:
        return no_room_error()
    return None


# -- the facts the rule reads --------------------------------------------------------------


def applicant(
    household: Household,
    persons: Sequence[tuple[dt.date, str]],
    on: dt.date,
    decisions: Iterable[Decision] = (),
) -> Applicant:
    """The household as the rule sees it on ``on``, from its persons' (birth date, sex) and
    its placement decisions. A household with no adult that day is treated as unaccompanied,
    whether or not it was registered as such: children are never placed alone elsewhere."""
    births = [born for born, _sex in persons]
    ages = tuple(age_on(born, on) for born in births)
    return Applicant(
        household.pk,
        len(births),
        frozenset(household.needs(births, on)),
        on,
        ages=ages,
        sexes=tuple(sex for _born, sex in persons),
        unaccompanied=household.unaccompanied or (bool(ages) and max(ages) < ADULT_AGE),
        decisions=tuple(decisions),
    )


def decisions_by_household(households: QuerySet[Household]) -> dict[int, list[Decision]]:
    """The placement decisions of ``households`` (one query, the households as a subquery),
    the latest decided first: where two cover the same home and day, the later one (a
    placement continued after 18, say) is the one that holds."""
    found: dict[int, list[Decision]] = defaultdict(list)
    rows = (
        PlacementDecision.objects.filter(household__in=households, withdrawn_on__isnull=True)
        .order_by("-decided_on", "-id")
        .values_list("household_id", "site_id", "valid_from", "valid_to", "continued_after_18")
    )
    for household_id, site_id, valid_from, valid_to, continued in rows:
        found[household_id].append(Decision(site_id, valid_from, valid_to, continued))
    return found


def applicant_of(household: Household, on: dt.date) -> Applicant:
    """The household as the rule sees it on ``on``, its persons and decisions read now."""
    persons = list(household.persons.order_by("id").values_list("birth_date", "sex"))
    decisions = decisions_by_household(Household.objects.filter(pk=household.pk))
    return applicant(household, persons, on, decisions.get(household.pk, ()))


def children_homes(site_ids: Iterable[int], on: dt.date) -> dict[int, ChildrenHome]:
    """The homes for children among ``site_ids`` (a few ids), with their licences and the
    persons holding a bed in each on (and after) ``on``: three queries, none when no id is
    given."""
    homes = list(
        Site.objects.filter(pk__in=list(site_ids), kind__in=CHILDREN_KINDS).values_list(
            "pk", flat=True
        )
    )
    if not homes:
        return {}
    licences: dict[int, list[LicenceTerms]] = defaultdict(list)
    for licence in Licence.objects.filter(site__in=homes).order_by("site_id", "-valid_from", "id"):
        licences[licence.site_id].append(
            LicenceTerms(
                licence.min_age,
                licence.max_age,
                licence.sex,
                licence.places,
                licence.valid_from,
                licence.valid_to,
            )
        )
    occupants = dict(
        Occupancy.objects.filter(occupied_beds_filter(on), bed__unit__site__in=homes)
        .values("bed__unit__site_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("bed__unit__site_id", "n")
    )
    return {
        site_id: ChildrenHome(site_id, tuple(licences[site_id]), occupants.get(site_id, 0))
        for site_id in homes
    }


def _has_room() -> Q:
    return Q(max_households__isnull=True) | Q(households_open__lt=F("max_households"))


def rooms(units: QuerySet[Unit], on: dt.date, *, with_room_only: bool = False) -> list[Room]:
    """The units as the rule sees them, free beds counted on ``on``: three queries whatever
    their number. ``with_room_only`` leaves out units without a free bed or a free slot."""
    programme = HostHomeProgramme.objects.filter(organisation=OuterRef("site__organisation"))
    rows = units_with_capacity(units, on).annotate(
        programme_site=ExpressionWrapper(
            Q(site__kind=SiteKind.HOST_HOME) & Q(Exists(programme)), output_field=BooleanField()
        )
    )
    if with_room_only:
        rows = rows.filter(_has_room(), beds_free__gt=0)
    loaded = list(rows.select_related("site__organisation"))
    # Host homes and guests of ``units`` as a subquery: a list of ids can be too long for
    # SQLite at a country's scale, and host homes are few.
    guests: dict[int, list[Guest]] = defaultdict(list)
    guest_rows = HostHomeGuest.objects.filter(
        home__unit__in=units, ended_on__isnull=True
    ).values_list("home__unit_id", "household_id", "starts_on", "ends_on")
    for unit_id, household_id, starts_on, ends_on in guest_rows:
        guests[unit_id].append(Guest(household_id, starts_on, ends_on))
    homes = {
        home.unit_id: Home(
            home.vetted, home.available_from, home.available_until, tuple(guests[home.unit_id])
        )
        for home in HostHome.objects.filter(unit__in=units)
    }
    # Homes for children are few: their licences and occupants are read for them alone.
    children = children_homes(
        {unit.site_id for unit in loaded if unit.site.kind in CHILDREN_KINDS}, on
    )
    found = []
    for unit in loaded:
        open_households = unit.households_open
        found.append(
            Room(
                unit=unit,
                opens_on=unit.site.opens_on,
                closes_on=unit.site.closes_on,
                features=frozenset(unit.features()),
                free=unit.beds_free,
                slots=None
                if unit.max_households is None
                else unit.max_households - open_households,
                programme_site=bool(unit.programme_site),
                home=homes.get(unit.pk),
                children_home=children.get(unit.site_id),
            )
        )
    return found


# -- 1. the locked check -------------------------------------------------------------------


def check(*, household: Household, unit: Unit, on: dt.date) -> None:
    """Refuse, with the reason, a move-in the rule does not allow. The caller holds the
    locks of the unit and its site, so the beds, households and a home's occupants counted
    here stay as they are until it commits."""
    room = rooms(Unit.objects.filter(pk=unit.pk), on)[0]
    found = refusal(applicant_of(household, on), room)
    if found is not None:
        raise found


def check_host_home(*, household: Household, unit: Unit, on: dt.date) -> None:
    """Refuse, with the reason, a return to a host home that would not take the household on
    ``on``: a move-out taken back re-opens a stay only where the rule's host-home part still
    holds (vetted, offered that day, and the household the guest of an agreement covering it).
    The caller holds the unit's lock."""
    room = rooms(Unit.objects.filter(pk=unit.pk), on)[0]
    closed = _home_closed(room, on)
    if closed is not None:
        raise ServiceError(closed, _home_message(closed))
    if not _takes_guest(room, household.pk, on):
        raise _no_agreement_error()


def refusal_of(*, household: Household, unit: Unit, on: dt.date) -> ServiceError | None:
    """Why the household may not move into the unit on ``on`` now (read without locks, for
    advice such as a pin on a proposal), or None."""
    return refusal(applicant_of(household, on), rooms(Unit.objects.filter(pk=unit.pk), on)[0])


# -- 2. the engine's candidates ------------------------------------------------------------


def rooms_for(applicants: Sequence[Applicant], units: QuerySet[Unit], on: dt.date) -> list[Room]:
    """The engine's units: those among ``units`` with a free bed and slot on ``on`` that
    take someone on one of the applicants' days; a host home only when one of them is its
    guest, a home for children only when one of them has a decision for it. Free beds (and
    a home's occupants) are counted on ``on``, the earliest day any applicant moves in."""
    days = sorted({a.on for a in applicants})
    if not days:
        return []
    households = {a.household_id for a in applicants}
    decided = {d.site_id for a in applicants for d in a.decisions}
    # Sites open on some day between the first and the last; each day is checked below.
    units = units.filter(not_closed_by(days[0], "site__"), site__opens_on__lte=days[-1])
    return [
        room
        for room in rooms(units, on, with_room_only=True)
        if any(_takes_someone(room, day) for day in days)
        and (room.home is None or any(g.household_id in households for g in room.home.guests))
        and (room.children_home is None or room.children_home.site_id in decided)
    ]


def eligible_pairs(
    applicants: Sequence[Applicant], units: Sequence[Room]
) -> tuple[np.ndarray, np.ndarray]:
    """Every (applicant, room) index pair the rule allows, by applicant, then room.

    Free beds are the rooms' own, counted once for all applicants: a proposal counts them on
    its date, and a bed free then is free on every later day an applicant may move in. A
    home for children is a candidate only for the unaccompanied with a decision for it,
    checked pair by pair (they are few); its licence's places are shared by its units, which
    the engine counts when it places the unaccompanied (``placement``).
    """
    empty = np.zeros(0, dtype=np.int64)
    if not applicants or not units:
        return empty, empty
    free = np.array([room.free for room in units], dtype=np.int64)
    bit = {name: 1 << n for n, name in enumerate(FEATURES)}
    # A need no unit can have (not a feature) gets a bit of its own that no room sets.
    unknown = 1 << len(FEATURES)
    features = np.array([sum(bit[f] for f in room.features if f in bit) for room in units])

    def need_bits(needs: frozenset[str]) -> int:
        return sum(bit.get(name, unknown) for name in needs)

    # The unit's own conditions, once per room and day: site open, a household slot free,
    # and a host home that takes anyone at all that day.
    days = sorted({a.on for a in applicants})
    open_on = {
        day: np.array([_takes_someone(room, day) for room in units], dtype=bool) for day in days
    }
    # A host home takes only its guests: the pairs its agreements name, checked per day.
    by_household: dict[int, list[int]] = defaultdict(list)
    for index, applicant in enumerate(applicants):
        by_household[applicant.household_id].append(index)
    guest_of: dict[int, list[int]] = defaultdict(list)
    for u, room in enumerate(units):
        for index in _guests_among(room, by_household, applicants):
            guest_of[index].append(u)
    anyone = np.array(
        [room.home is None and room.children_home is None for room in units], dtype=bool
    )
    homes_of_site: dict[int, list[int]] = defaultdict(list)
    for u, room in enumerate(units):
        if room.children_home is not None:
            homes_of_site[room.children_home.site_id].append(u)

    hs: list[np.ndarray] = [empty]
    us: list[np.ndarray] = [empty]
    # Households with the same day, size and needs have the same units, unless a host home
    # names one of them as its guest.
    shared: dict[tuple[dt.date, int, int], np.ndarray] = {}
    for index, applicant in enumerate(applicants):
        key = (applicant.on, applicant.size, need_bits(applicant.needs))
        allowed = shared.get(key)
        if allowed is None:
            allowed = shared[key] = np.flatnonzero(
                open_on[applicant.on]
                & anyone
                & (free >= applicant.size)
                & ((key[2] & ~features) == 0)
            )
        if applicant.needs_licensed_home:
            allowed = empty
        elif index in guest_of:
            homes = np.array(guest_of[index], dtype=np.int64)
            ok = open_on[applicant.on][homes] & (free[homes] >= applicant.size)
            ok &= (key[2] & ~features[homes]) == 0
            allowed = np.union1d(allowed, homes[ok])
        if applicant.unaccompanied and applicant.decisions:
            decided = {d.site_id for d in applicant.decisions}
            taking = [
                u
                for site_id in sorted(decided)
                for u in homes_of_site.get(site_id, ())
                if refusal(applicant, units[u]) is None
            ]
            allowed = np.union1d(allowed, np.array(taking, dtype=np.int64))
        hs.append(np.full(len(allowed), index, dtype=np.int64))
        us.append(allowed.astype(np.int64))
    return np.concatenate(hs), np.concatenate(us)


def _guests_among(
    room: Room, by_household: dict[int, list[int]], applicants: Sequence[Applicant]
) -> Iterable[int]:
    """The applicants ``room`` (a host home) takes on their own day."""
    if room.home is None:
        return ()
    return {
        index
        for index in {i for g in room.home.guests for i in by_household.get(g.household_id, ())}
        if _takes_guest(room, applicants[index].household_id, applicants[index].on)
    }


# -- 3. the unit lists ---------------------------------------------------------------------


def site_open_on(on: dt.date) -> Q:
    """A filter on ``Unit``: the site is open on ``on``."""
    return Q(site__opens_on__lte=on) & not_closed_by(on, "site__")


def _home_takes(household_id: int, on: dt.date) -> Q:
    """A filter on ``Unit``: not a host home, or one that takes this household on ``on``;
    and not a host-home unit of a programme without a registered host."""
    homes = HostHome.objects.filter(unit=OuterRef("pk"))
    guest = HostHomeGuest.objects.filter(
        home=OuterRef("pk"),
        household_id=household_id,
        ended_on__isnull=True,
        starts_on__lte=on,
        ends_on__gt=on,
    )
    taking = homes.filter(
        Q(available_until__isnull=True) | Q(available_until__gt=on),
        Exists(guest),
        vetted=True,
        available_from__lte=on,
    )
    programme = HostHomeProgramme.objects.filter(organisation=OuterRef("site__organisation"))
    unregistered = Q(site__kind=SiteKind.HOST_HOME) & Q(Exists(programme)) & ~Q(Exists(homes))
    return ~unregistered & (~Q(Exists(homes)) | Q(Exists(taking)))


def units_for(
    units: QuerySet[Unit], household: Household, on: dt.date
) -> "QuerySet[WithAnnotations[Unit, UnitCapacity]]":
    """The units among ``units`` the household may move into on ``on``, with their capacity
    annotations (``beds_free``), the most free beds first."""
    applicant = applicant_of(household, on)
    decided = {d.site_id for d in applicant.decisions if d.covers(on)}
    homes = [
        site_id
        for site_id, home in children_homes(decided, on).items()
        if children_refusal(applicant, home) is None
    ]
    where = Q(site_id__in=homes)
    if not applicant.needs_licensed_home:
        where |= ~Q(site__kind__in=CHILDREN_KINDS)
    units = units.filter(where, site_open_on(on), _home_takes(applicant.household_id, on))
    for feature in sorted(applicant.needs):
        units = units.filter(**{feature: True})
    queryset = units_with_capacity(units, on).filter(_has_room(), beds_free__gte=applicant.size)
    return queryset.select_related("site__organisation").order_by(
        "-beds_free", "site__name", "name"
    )
