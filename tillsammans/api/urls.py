"""The HTTP API: session-authenticated, organisation-scoped like the pages."""

import datetime as dt
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI, Schema, Swagger
from ninja.security import django_auth
from pydantic import ConfigDict

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.housing.selectors import attach_capacity
from tillsammans.reporting.selectors import dashboard

api = NinjaAPI(
    title="Tillsammans API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
    # Without deep links an operation's path is text, not a link inside its toggle button
    # (a link in a button cannot be reached by the keyboard: WCAG 4.1.2).
    docs=Swagger(settings={"deepLinking": False}),
)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Strict):
    detail: str


class SiteOut(Strict):
    id: UUID
    name: str
    organisation: str
    kind: str
    district: str
    opens_on: dt.date
    closes_on: dt.date | None
    beds: int
    occupied: int
    free: int


class PartnerFigures(Strict):
    organisation: str
    sites: int
    beds: int
    blocked: int
    occupied: int
    free: int


class DashboardOut(Strict):
    today: dt.date
    partners: list[PartnerFigures]
    pending_allocations: int
    arrivals_households: int
    departures_households: int


class PersonOut(Strict):
    id: UUID
    first_name: str
    last_name: str
    first_name_latin: str
    last_name_latin: str
    birth_date: dt.date


class HouseholdOut(Strict):
    id: UUID
    reference: str
    needs_accessible: bool
    has_pets: bool
    persons: list[PersonOut]


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.get("/dashboard", response={200: DashboardOut, 401: ErrorOut, 404: ErrorOut}, tags=["figures"])
def get_dashboard(request: HttpRequest) -> DashboardOut:
    if access.membership_of(request.user) is None:
        raise Http404
    board = dashboard(timezone.localdate())
    return DashboardOut(
        today=board.today,
        partners=[
            PartnerFigures(
                organisation=row.organisation.name,
                sites=row.sites,
                beds=row.beds,
                blocked=row.blocked,
                occupied=row.occupied,
                free=row.free,
            )
            for row in board.partners
            if row.organisation is not None  # only a totals row has none
        ],
        pending_allocations=board.pending_allocations,
        arrivals_households=board.arrivals_households,
        departures_households=board.departures_households,
    )


@api.get("/sites", response={200: list[SiteOut], 401: ErrorOut}, tags=["housing"])
def list_sites(request: HttpRequest) -> list[SiteOut]:
    sites = attach_capacity(access.visible_sites(request.user).select_related("organisation"))
    return [
        SiteOut(
            id=site.public_id,
            name=site.name,
            organisation=site.organisation.name,
            kind=site.kind,
            district=site.district,
            opens_on=site.opens_on,
            closes_on=site.closes_on,
            beds=site.beds_total,
            occupied=site.beds_occupied,
            free=site.beds_free,
        )
        for site in sites
    ]


@api.get(
    "/households/{household_id}",
    response={200: HouseholdOut, 401: ErrorOut, 404: ErrorOut},
    tags=["people"],
)
def get_household(request: HttpRequest, household_id: str) -> HouseholdOut:
    # A string, not a UUID: a malformed id gets the same 404 as a missing or foreign one.
    household = access.get_household_for_user(request.user, household_id)
    persons = list(household.persons.order_by("birth_date"))
    audit_views(
        actor=request.user,
        objs=[household, *persons],
        summary=gettext_noop("household read through the API"),
    )
    return HouseholdOut(
        id=household.public_id,
        reference=household.reference,
        needs_accessible=household.needs_accessible,
        has_pets=household.has_pets,
        persons=[
            PersonOut(
                id=p.public_id,
                first_name=p.first_name,
                last_name=p.last_name,
                first_name_latin=p.first_name_latin,
                last_name_latin=p.last_name_latin,
                birth_date=p.birth_date,
            )
            for p in persons
        ],
    )
