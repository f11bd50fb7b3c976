"""Reads of the addedvalues app, and who may do what with services and deliveries.

A delivery belongs to the organisation that provides the service: only that organisation's
members (coordinator, administrators, staff) see it, whoever the household lives with. The city
is one organisation among others here: the coordinator sees the city's own deliveries and the
figures of all, not the partners' deliveries.
"""

import re
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from tillsammans.core import access
from tillsammans.core.lib.dates import month_bounds
from tillsammans.partnership.models import Membership, Organisation, Role
from tillsammans.people.models import Household, Person
from tillsammans.people.search import fold_words
from tillsammans.people.selectors import Hit, rank_matches
from tillsammans.reception.models import Stay

from .models import Delivery, Service, ServiceCategory

RECORDING_ROLES = (Role.COORDINATOR, Role.PARTNER_ADMIN, Role.PARTNER_STAFF)
CATALOGUE_ROLES = (Role.COORDINATOR, Role.PARTNER_ADMIN)


def catalogue_membership(user: Any) -> Membership | None:
    """The membership through which the user manages its organisation's catalogue, if any."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in CATALOGUE_ROLES:
        return None
    return membership


def can_manage_service(user: Any, service: Service) -> bool:
    membership = catalogue_membership(user)
    return membership is not None and membership.organisation_id == service.organisation_id


def recording_membership(user: Any) -> Membership | None:
    membership = access.membership_of(user)
    if membership is None or membership.role not in RECORDING_ROLES:
        return None
    return membership


def can_record(user: Any, service: Service) -> bool:
    membership = recording_membership(user)
    return membership is not None and membership.organisation_id == service.organisation_id


# --- the catalogue -------------------------------------------------------------------------


def public_services() -> QuerySet[Service]:
    return (
        Service.objects.filter(is_published=True)
        .select_related("organisation", "site")
        .order_by("category", "organisation__name", "name_sv")
    )


def visible_services(user: Any) -> QuerySet[Service]:
    """Every member sees the whole catalogue, published or not: it names no one."""
    if access.membership_of(user) is None:
        return Service.objects.none()
    return Service.objects.select_related("organisation", "site")


def own_services(user: Any) -> QuerySet[Service]:
    membership = recording_membership(user)
    if membership is None:
        return Service.objects.none()
    return Service.objects.filter(organisation_id=membership.organisation_id).select_related(
        "organisation", "site"
    )


def get_service_for_user(user: Any, public_id: Any) -> Service:
    return access._get(visible_services(user), public_id)


def get_own_service_for_user(user: Any, public_id: Any) -> Service:
    """A service the user's organisation provides; anything else is the same 404."""
    return access._get(own_services(user), public_id)


def grouped_by_category(services: QuerySet[Service]) -> list[tuple[str, list[Service]]]:
    groups: dict[str, list[Service]] = defaultdict(list)
    for service in services:
        groups[service.category].append(service)
    return [
        (str(label), groups[value]) for value, label in ServiceCategory.choices if value in groups
    ]


# --- deliveries ----------------------------------------------------------------------------


def visible_deliveries(user: Any) -> QuerySet[Delivery]:
    membership = recording_membership(user)
    if membership is None:
        return Delivery.objects.none()
    return Delivery.objects.filter(organisation_id=membership.organisation_id)


def get_delivery_for_user(user: Any, public_id: Any) -> Delivery:
    return access._get(
        visible_deliveries(user).select_related("service", "household", "person"), public_id
    )


def _residents(organisation_id: int) -> QuerySet[Person]:
    """The persons any recording partner may find. An unaccompanied child is found only by
    the partner whose home houses the child (ADR 27): the case is the social services' and
    the home's, and a child's name is not for every partner's staff to search."""
    open_stays = Stay.objects.filter(ended_on__isnull=True, household_id=OuterRef("household_id"))
    return Person.objects.filter(Exists(open_stays)).filter(
        Q(household__unaccompanied=False) | _lives_with(organisation_id)
    )


def _lives_with(organisation_id: int) -> Exists:
    """Whether a person's household lives at one of the organisation's sites: the yes/no that
    ADR 11 lets a provider see, and what puts its own residents first among namesakes."""
    return Exists(
        Stay.objects.filter(
            household_id=OuterRef("household_id"),
            ended_on__isnull=True,
            unit__site__organisation_id=organisation_id,
        )
    )


@dataclass(frozen=True)
class ResidentRow:
    """What a provider sees of a resident it serves: enough to recognise the person, no more.

    Where the household lives is left out when it is another partner's site (only whether it
    lives with the provider is shown), and so is everything that partner wrote about it.
    """

    public_id: str
    name: str
    latin_name: str
    birth_year: int
    household_public_id: str
    household_size: int
    lives_with_us: bool


def _resident_rows(persons: QuerySet[Person], organisation_id: int) -> dict[int, ResidentRow]:
    """The rows of these persons, by id, in one query."""
    household_size = (
        Person.objects.filter(household_id=OuterRef("household_id"))
        .order_by()
        .values("household_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    persons = persons.select_related("household").annotate(
        household_size=Subquery(household_size), lives_with_us=_lives_with(organisation_id)
    )
    return {
        person.pk: ResidentRow(
            public_id=str(person.public_id),
            name=person.written_name,
            latin_name=person.latin_name,
            birth_year=person.birth_date.year,
            household_public_id=str(person.household.public_id),
            household_size=person.household_size or 1,
            lives_with_us=person.lives_with_us,
        )
        for person in persons
    }


# --- a pasted list of names ----------------------------------------------------------------

MAX_PASTED_LINES = 40
# Candidates shown for one line; the partner's own residents come first, and the rest are
# counted so that the page can say how many more there are.
LINE_CANDIDATES = 10
_SEPARATORS = re.compile(r"[\n;]")
# A birth year written after a name tells namesakes apart: "Olena Shevchenko 1985".
_BIRTH_YEAR = re.compile(r"(?<![\w-])((?:19|20)\d\d)(?![\w-])")


class LineOutcome(StrEnum):
    MATCHED = "matched"  # exactly one resident has every word of the line
    CHOOSE = "choose"  # namesakes or similar names: the user picks one, or nobody
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class PastedLine:
    """One line of a pasted list, as the preview shows it."""

    number: int
    text: str
    outcome: LineOutcome
    candidates: tuple[ResidentRow, ...] = ()
    # Matches beyond the candidates shown.
    more: int = 0
    # The earlier line with the same name (in any spelling) or, for a matched line, with the
    # same person: a person is recorded once, however often the list names them.
    same_as: int | None = None

    @property
    def asks(self) -> bool:
        """Whether the line has a choice of its own to confirm. A line keeps it when its
        candidates have moved out since the preview, so that a choice of one is refused."""
        if self.outcome == LineOutcome.MATCHED:
            return self.same_as is None
        return self.outcome == LineOutcome.CHOOSE


@dataclass(frozen=True)
class PastedList:
    lines: tuple[PastedLine, ...]
    empty: int  # empty lines left out

    def to_data(self) -> dict[str, Any]:
        """The preview as plain data, for its signed token: what the confirmation confirms."""
        return {
            "empty": self.empty,
            "lines": [
                [
                    line.number,
                    line.text,
                    str(line.outcome),
                    line.more,
                    line.same_as,
                    [row.public_id for row in line.candidates],
                ]
                for line in self.lines
            ],
        }


def pasted_names(text: str) -> tuple[list[str], int]:
    """The names of a pasted list, one per line (or separated by ;), and how many empty lines
    there were between them."""
    pieces = [piece.strip() for piece in _SEPARATORS.split((text or "").strip())]
    names = [piece for piece in pieces if piece]
    return names, len(pieces) - len(names)


def _line_key(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # The same name in another spelling or word order, or the same number, is the same line.
    return tuple(sorted(fold_words(text))), tuple(re.findall(r"\d+", text))


def _line_hits(text: str, residents: QuerySet[Person], own: Exists) -> list[Hit]:
    match = _BIRTH_YEAR.search(text)
    name = _BIRTH_YEAR.sub(" ", text).strip() if match else text
    if match and name:
        residents = residents.filter(birth_date__year=int(match.group(1)))
    else:
        name = text
    return rank_matches(residents, name, prefer=own)


def _outcome(hits: list[Hit]) -> tuple[LineOutcome, list[Hit], int]:
    exact = [hit for hit in hits if hit.exact]
    if len(exact) == 1:
        return LineOutcome.MATCHED, exact, 0
    # A namesake is a better guess than a similar name; a similar name alone is still only
    # a guess, which the user confirms.
    pool = exact or hits
    if not pool:
        return LineOutcome.NOT_FOUND, [], 0
    return LineOutcome.CHOOSE, pool[:LINE_CANDIDATES], max(len(pool) - LINE_CANDIDATES, 0)


def pasted_lines(user: Any, text: str) -> PastedList:
    """Each line of a pasted list of names, looked up among the residents of every partner:
    matched to one resident, several to choose from, or not found.

    Any organisation that records deliveries may find any resident here (a resident of one
    partner uses another partner's services), which is why the caller audits every person
    shown and the rows carry so little. One query per distinct line, and one for the rows.
    """
    membership = recording_membership(user)
    names, empty = pasted_names(text)
    if membership is None:
        return PastedList((), empty)
    own = _lives_with(membership.organisation_id)
    residents = _residents(membership.organisation_id)
    first_line: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    resolved: dict[int, tuple[LineOutcome, list[Hit], int]] = {}
    for number, name in enumerate(names[:MAX_PASTED_LINES], start=1):
        first = first_line.setdefault(_line_key(name), number)
        resolved[number] = (
            resolved[first] if first != number else _outcome(_line_hits(name, residents, own))
        )
    rows = _resident_rows(
        Person.objects.filter(
            id__in={hit.person_id for _outcome_, hits, _more in resolved.values() for hit in hits}
        ),
        membership.organisation_id,
    )
    lines = []
    matched_on: dict[int, int] = {}
    for number, name in enumerate(names[:MAX_PASTED_LINES], start=1):
        outcome, hits, more = resolved[number]
        earlier = first_line[_line_key(name)]
        if outcome == LineOutcome.MATCHED:
            # The same person written twice (Олена Шевченко, Olena Shevchenko) is one line.
            earlier = matched_on.setdefault(hits[0].person_id, number)
        lines.append(
            PastedLine(
                number=number,
                text=name,
                outcome=outcome,
                candidates=tuple(rows[hit.person_id] for hit in hits if hit.person_id in rows),
                more=more,
                same_as=earlier if earlier != number else None,
            )
        )
    return PastedList(tuple(lines), empty)


def residents_by_public_id(user: Any, public_ids: list[str]) -> list[Person]:
    """The chosen residents of a bulk form; ids that are not residents are left out."""
    membership = recording_membership(user)
    if membership is None:
        return []
    valid = []
    for value in public_ids:
        with suppress(Http404):  # a bad id is simply not a resident
            valid.append(access._parse_uuid(value))
    return list(
        _residents(membership.organisation_id)
        .filter(public_id__in=valid)
        .select_related("household")
    )


def get_resident_household(user: Any, public_id: Any) -> Household:
    """A household with an open stay, for the resident page of any recording organisation."""
    membership = recording_membership(user)
    if membership is None:
        raise Http404
    open_stays = Stay.objects.filter(ended_on__isnull=True, household_id=OuterRef("pk"))
    own = Stay.objects.filter(
        ended_on__isnull=True,
        household_id=OuterRef("pk"),
        unit__site__organisation_id=membership.organisation_id,
    )
    households = Household.objects.filter(Exists(open_stays)).filter(
        Q(unaccompanied=False) | Exists(own)
    )
    return access._get(households, public_id)


@dataclass(frozen=True)
class ResidentPage:
    household: Household
    persons: list[Person]
    lives_with_us: bool
    deliveries: list[Delivery]
    services: list[Service]


def resident_page(user: Any, household: Household) -> ResidentPage:
    """The household as the user's organisation sees it for its services: the persons' names
    and birth years, its own deliveries to them and its own services on offer."""
    membership = recording_membership(user)
    assert membership is not None
    persons = list(household.persons.order_by("birth_date"))
    lives_with_us = Stay.objects.filter(
        household=household,
        ended_on__isnull=True,
        unit__site__organisation_id=membership.organisation_id,
    ).exists()
    deliveries = list(
        visible_deliveries(user)
        .filter(household=household)
        .select_related("service", "person")
        .order_by("-delivered_on", "-id")[:100]
    )
    services = list(own_services(user).order_by("category", "name_sv"))
    return ResidentPage(household, persons, lives_with_us, deliveries, services)


# --- figures -------------------------------------------------------------------------------


def monthly_figures(
    year: int, month: int, agreement_id: int | None = None
) -> dict[int, dict[str, int]]:
    """Deliveries of the month per providing organisation: how many by category, the persons
    and households reached by name, and the visitors counted without names. With
    ``agreement_id``, only the services offered under that agreement (or under none)."""
    first, following = month_bounds(year, month)
    month_deliveries = Delivery.objects.filter(delivered_on__gte=first, delivered_on__lt=following)
    if agreement_id is not None:
        month_deliveries = month_deliveries.filter(
            Q(service__agreement_id=agreement_id) | Q(service__agreement__isnull=True)
        )
    figures: dict[int, dict[str, int]] = defaultdict(dict)
    by_category = (
        month_deliveries.order_by()
        .values("organisation_id", "service__category")
        .annotate(n=Sum("quantity"))
    )
    for row in by_category:
        figures[row["organisation_id"]][f"delivered_{row['service__category']}"] = row["n"]
    reached = (
        month_deliveries.order_by()
        .values("organisation_id")
        .annotate(
            deliveries=Sum("quantity"),
            persons=Count("person", distinct=True),
            households=Count("household", distinct=True),
            visitors=Sum("quantity", filter=Q(household__isnull=True)),
        )
    )
    for totals in reached:
        org = figures[totals["organisation_id"]]
        org["deliveries"] = totals["deliveries"] or 0
        org["persons_reached"] = totals["persons"]
        org["households_reached"] = totals["households"]
        org["visitors_counted"] = totals["visitors"] or 0
    return dict(figures)


def figure_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def previewed_lines(user: Any, data: dict[str, Any]) -> PastedList:
    """The lines of a preview shown before (``PastedList.to_data``, read from its signed
    token), with the candidates' rows read again in one query: a candidate who no longer lives
    at a site of the partnership is left out, and can no longer be chosen."""
    membership = recording_membership(user)
    if membership is None:
        return PastedList((), 0)
    shown = {public_id for *_line, candidates in data["lines"] for public_id in candidates}
    valid = []
    for value in shown:
        with suppress(Http404):
            valid.append(access._parse_uuid(value))
    rows = {
        row.public_id: row
        for row in _resident_rows(
            _residents(membership.organisation_id).filter(public_id__in=valid),
            membership.organisation_id,
        ).values()
    }
    lines = tuple(
        PastedLine(
            number=number,
            text=text,
            outcome=LineOutcome(outcome),
            candidates=tuple(rows[public_id] for public_id in candidates if public_id in rows),
            more=more,
            same_as=same_as,
        )
        for number, text, outcome, more, same_as, candidates in data["lines"]
    )
    return PastedList(lines, data["empty"])
