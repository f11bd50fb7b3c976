"""Reads of the addedvalues app, and who may do what with services and deliveries.

A delivery belongs to the organisation that provides the service: only that organisation's
members (coordinator, administrators, staff) see it, whoever the household lives with. The city
is one organisation among others here: the coordinator sees the city's own deliveries and the
figures of all, not the partners' deliveries.
"""

from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from tillsammans.core import access
from tillsammans.core.lib.dates import month_bounds
from tillsammans.partnership.models import Membership, Organisation, Role
from tillsammans.people.models import Household, Person
from tillsammans.people.selectors import person_search
from tillsammans.reception.models import Stay

from .models import Delivery, Service, ServiceCategory

RECORDING_ROLES = (Role.COORDINATOR, Role.PARTNER_ADMIN, Role.PARTNER_STAFF)
CATALOGUE_ROLES = (Role.COORDINATOR, Role.PARTNER_ADMIN)
LOOKUP_RESULTS = 25


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


def _residents() -> QuerySet[Person]:
    open_stays = Stay.objects.filter(ended_on__isnull=True, household_id=OuterRef("household_id"))
    return Person.objects.filter(Exists(open_stays))


@dataclass(frozen=True)
class ResidentRow:
    """What a provider sees of a resident it serves: enough to recognise the person, no more.

    Where the household lives is left out when it is another partner's site, and so is
    everything that partner wrote about it.
    """

    public_id: str
    name: str
    latin_name: str
    birth_year: int
    household_public_id: str
    household_size: int


def resident_lookup(user: Any, query: str, limit: int = LOOKUP_RESULTS) -> list[ResidentRow]:
    """Residents anywhere in the partnership whose names match, for recording a delivery.

    Any organisation that records deliveries may find any resident here (a resident of one
    partner uses another partner's services), which is why each lookup is audited by the
    caller and the rows carry so little.
    """
    if recording_membership(user) is None:
        return []
    found = person_search(_residents(), query, limit=limit)
    sizes = dict(
        Person.objects.filter(household_id__in={person.household_id for person in found})
        .order_by()
        .values("household_id")
        .annotate(n=Count("*"))
        .values_list("household_id", "n")
    )
    return [
        ResidentRow(
            public_id=str(person.public_id),
            name=person.written_name,
            latin_name=person.latin_name,
            birth_year=person.birth_date.year,
            household_public_id=str(person.household.public_id),
            household_size=sizes.get(person.household_id, 1),
        )
        for person in found
    ]


def residents_by_public_id(user: Any, public_ids: list[str]) -> list[Person]:
    """The chosen residents of a bulk form; ids that are not residents are left out."""
    if recording_membership(user) is None:
        return []
    valid = []
    for value in public_ids:
        with suppress(Http404):  # a bad id is simply not a resident
            valid.append(access._parse_uuid(value))
    return list(_residents().filter(public_id__in=valid).select_related("household"))


def get_resident_household(user: Any, public_id: Any) -> Household:
    """A household with an open stay, for the resident page of any recording organisation."""
    if recording_membership(user) is None:
        raise Http404
    open_stays = Stay.objects.filter(ended_on__isnull=True, household_id=OuterRef("pk"))
    return access._get(Household.objects.filter(Exists(open_stays)), public_id)


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


def monthly_figures(year: int, month: int) -> dict[int, dict[str, int]]:
    """Deliveries of the month per providing organisation: how many by category, the persons
    and households reached by name, and the visitors counted without names."""
    first, following = month_bounds(year, month)
    month_deliveries = Delivery.objects.filter(delivered_on__gte=first, delivered_on__lt=following)
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
