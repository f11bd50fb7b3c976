"""Every URL of the project, requested by every role of the cast.

Each row names a URL pattern, the request and the answer each role must get. Pages are
closed by default: anonymous users are sent to the login page and logged-in users who may
not see the object get the same 404 as for an object that does not exist. The meta-test at
the end fails when a URL pattern has no row, so a new page cannot ship untested.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access_rows
from tests.access import (
    EVERYONE,
    LOGIN,
    MEMBERS,
    MOVE_DAY,
    PARTNER_A_MANAGERS,
    PARTNER_A_PEOPLE,
    PEOPLE,
    REDIRECT,
    Expected,
    Redirect,
    Row,
    api_closed,
    api_household_a,
    closed,
    home_a,
    household_a,
    licence_a,
    moved_out_stay_a,
    never_arrived_allocation,
    new_licence,
    partner_a_staff_member,
    path_event_a,
    pending_allocation,
    person_a,
    placed_allocation,
    proposal,
    proposal_item,
    site_a,
    site_b,
    stay_a,
    unit_a,
)
from tests.access_rows import minors as minors_rows
from tests.conftest import ANONYMOUS, ROLES

# The same outcome on every database: the PostgreSQL pass leaves it to the SQLite one.
pytestmark = pytest.mark.portable


def _checked_upload(cast: Any) -> str:
    """A long allocation file of the coordinator's that the worker has checked."""
    import datetime as dt

    from django.utils import timezone

    from tillsammans.core.fields import fernet
    from tillsammans.reception.imports import PreviewSummary, ShownHousehold
    from tillsammans.reception.models import PendingImport

    shown = ShownHousehold("TH-9", "T-9", dt.date(2022, 7, 1), None, 1, False, False, False)
    summary = PreviewSummary(
        rows=2, household_count=1, persons=1, ignored_columns=[], households=[shown]
    )
    pending = PendingImport.objects.create(
        uploaded_by=cast.coordinator, file_name="lång.csv", data=fernet().encrypt(b"x"),
        summary=fernet().encrypt(summary.to_json()),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    return str(pending.public_id)


MATRIX: list[Row] = [
    # Figures: every member, viewers included, and never a person.
    Row("dashboard", closed(**MEMBERS)),
    Row("dashboard_sites", closed(**MEMBERS)),
    Row("occupancy_report", closed(**MEMBERS)),
    Row("partnership", closed(**MEMBERS)),
    # Public plumbing.
    Row("accessibility", EVERYONE),
    # The search box on every page: each member finds among what they may see.
    Row("search", closed(**MEMBERS)),
    Row("search", closed(**MEMBERS), query="q=Olena", case="a name"),
    Row("search", closed(**MEMBERS), query="q=x", case="too short"),
    Row("healthz", EVERYONE),
    Row("readyz", EVERYONE),
    Row(
        "set_language",
        {role: REDIRECT for role in ROLES},
        method="post",
        data=lambda cast: {"language": "en", "next": "/"},
    ),
    # The audit log is the city's.
    Row("audit_list", closed(coordinator=200)),
    # Organisations are registered by the coordinator.
    Row("organisation_create", closed(coordinator=200)),
    Row(
        "organisation_create",
        closed(coordinator=REDIRECT),
        method="post",
        data=lambda cast: {
            "name": "Svenska kyrkan i Göteborg",
            "short_name": "Svenska kyrkan",
            "kind": "nonprofit",
            "organisation_number": "802002-4280",
        },
    ),
    # Organisation users: the coordinator, and a partner admin for their own organisation.
    Row(
        "member_list",
        closed(**PARTNER_A_MANAGERS),
        kwargs=lambda cast: {"slug": cast.org_a.slug},
        case="partner A",
    ),
    Row(
        "member_list",
        closed(coordinator=200),
        kwargs=lambda cast: {"slug": cast.org_b.slug},
        case="partner B",
    ),
    Row(
        "member_toggle",
        closed(**{role: 405 for role in MEMBERS}),
        kwargs=partner_a_staff_member,
    ),
    Row(
        "member_toggle",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=partner_a_staff_member,
        method="post",
    ),
    # Sites and units.
    Row("site_list", closed(**PEOPLE)),
    Row("site_create", closed(coordinator=200, a_admin=200)),
    Row("site_detail", closed(**PARTNER_A_PEOPLE), kwargs=site_a, case="site A"),
    Row("site_detail", closed(coordinator=200, b_staff=200), kwargs=site_b, case="site B"),
    Row("site_edit", closed(**PARTNER_A_MANAGERS), kwargs=site_a),
    Row("site_edit", closed(**PARTNER_A_MANAGERS), kwargs=site_a, method="post"),
    Row("unit_create", closed(**PARTNER_A_MANAGERS), kwargs=site_a),
    Row("unit_edit", closed(**PARTNER_A_MANAGERS), kwargs=unit_a),
    # A home for children's licences: those who manage the home.
    Row("licence_create", closed(**PARTNER_A_MANAGERS), kwargs=home_a),
    Row("site_use_create", closed(**PARTNER_A_MANAGERS), kwargs=home_a),
    Row(
        "licence_create",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=home_a,
        method="post",
        data=new_licence,
    ),
    Row("licence_edit", closed(**PARTNER_A_MANAGERS), kwargs=licence_a),
    # Households and persons: the coordinator, and the partner where they live now.
    Row("household_list", closed(**PEOPLE)),
    Row("household_list", closed(**PEOPLE), query="q=Olena", case="search"),
    Row("household_detail", closed(**PARTNER_A_PEOPLE), kwargs=household_a),
    Row("household_edit", closed(**PARTNER_A_PEOPLE), kwargs=household_a),
    Row(
        "household_edit",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=household_a,
        method="post",
        data=lambda cast: {"anchor_kind": "school", "anchor_district": "Angered"},
    ),
    # A legal hold on a record: the coordinator's decision.
    Row("household_hold", closed(coordinator=405), kwargs=household_a),
    Row(
        "household_hold",
        closed(coordinator=REDIRECT),
        kwargs=household_a,
        method="post",
        data=lambda cast: {"legal_hold": "on", "reason": "Överklagat beslut"},
    ),
    Row("person_add", closed(**PARTNER_A_PEOPLE), kwargs=household_a),
    Row("person_edit", closed(**PARTNER_A_PEOPLE), kwargs=person_a),
    Row("person_edit", closed(**PARTNER_A_PEOPLE), kwargs=person_a, method="post"),
    # A person's legal path follows the household (ADR 30).
    Row("person_path", closed(**PARTNER_A_PEOPLE), kwargs=person_a),
    Row("person_path", closed(**PARTNER_A_PEOPLE), kwargs=person_a, method="post"),
    Row("path_event_correct", closed(**PARTNER_A_PEOPLE), kwargs=path_event_a),
    Row("path_event_correct", closed(**PARTNER_A_PEOPLE), kwargs=path_event_a, method="post"),
    # The legal path's work lists: whoever sees people, each their own residents; the list
    # of allocations nobody arrived for is the coordinator's (a partner is shown the first).
    Row("path_lists", closed(**PEOPLE)),
    # Importing many people's events at once is the coordinator's, as the allocation lists.
    Row("path_import", closed(coordinator=200)),
    Row("path_import", closed(coordinator=400), method="post"),
    Row("path_list", closed(**PEOPLE), kwargs=lambda cast: {"kind": "overdue"}),
    Row(
        "path_list",
        closed(**PEOPLE),
        kwargs=lambda cast: {"kind": "expiring"},
        query="format=xlsx",
        case="download",
    ),
    # Allocations are the city's work list.
    Row("allocation_list", closed(coordinator=200)),
    Row("allocation_create", closed(coordinator=200)),
    Row("allocation_import", closed(coordinator=200)),
    Row(
        "allocation_import_commit",
        closed(coordinator=405),
        kwargs=lambda cast: {"token": "any-token"},
    ),
    Row(
        "allocation_import_commit",
        closed(coordinator=404),
        kwargs=lambda cast: {"token": "any-token"},
        case="a token never issued",
        method="post",
    ),
    Row(
        "allocation_import_preview",
        closed(coordinator=200),
        kwargs=lambda cast: {"token": _checked_upload(cast)},
        case="a long file the worker checked",
    ),
    Row(
        "allocation_import_preview",
        closed(coordinator=404),
        kwargs=lambda cast: {"token": "any-token"},
        case="a token never issued",
    ),
    Row("allocation_detail", closed(coordinator=200), kwargs=pending_allocation, case="pending"),
    Row("allocation_detail", closed(coordinator=200), kwargs=placed_allocation, case="placed"),
    Row("allocation_status", closed(coordinator=405), kwargs=pending_allocation),
    Row(
        "allocation_status",
        closed(coordinator=REDIRECT),
        kwargs=pending_allocation,
        method="post",
        data=lambda cast: {"status": "refused", "reason": "Bor redan i annan kommun"},
    ),
    Row("allocation_reopen", closed(coordinator=405), kwargs=never_arrived_allocation),
    Row(
        "allocation_reopen",
        closed(coordinator=REDIRECT),
        kwargs=never_arrived_allocation,
        method="post",
        data=lambda cast: {"reason": "Kom till mottagningen"},
    ),
    # Stay actions are POST-only; a GET learns nothing, whoever asks.
    Row("stay_move", closed(**{role: 405 for role in PEOPLE}), kwargs=stay_a),
    Row(
        "stay_move",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=stay_a,
        method="post",
    ),
    # A move-out is asked first (a GET, or a POST without "confirm"), then confirmed.
    Row("stay_end", closed(**PARTNER_A_PEOPLE), kwargs=stay_a),
    Row(
        "stay_end",
        closed(**PARTNER_A_PEOPLE),
        kwargs=stay_a,
        query=f"on={MOVE_DAY}&reason=own_housing",
        case="asked",
    ),
    Row(
        "stay_end",
        closed(**PARTNER_A_PEOPLE),
        kwargs=stay_a,
        method="post",
        data=lambda cast: {"on": MOVE_DAY, "reason": "own_housing"},
        case="not confirmed",
    ),
    Row(
        "stay_end",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=stay_a,
        method="post",
        data=lambda cast: {"on": MOVE_DAY, "reason": "own_housing", "confirm": "yes"},
        case="confirmed",
    ),
    # Correcting a move-out: the coordinator, and for a while the partner that housed them.
    Row("moved_out_list", closed(**PEOPLE)),
    Row("stay_reopen", closed(**PARTNER_A_PEOPLE), kwargs=moved_out_stay_a),
    Row(
        "stay_reopen",
        closed(coordinator=REDIRECT, a_admin=REDIRECT, a_staff=REDIRECT),
        kwargs=moved_out_stay_a,
        method="post",
        data=lambda cast: {"note": "Fel hushåll valdes"},
    ),
    # Placement proposals are the city's, like the allocations they place.
    Row("placement_home", closed(coordinator=200)),
    Row("proposal_create", closed(coordinator=405)),
    Row(
        "proposal_create",
        closed(coordinator=REDIRECT),
        method="post",
        data=lambda cast: {"on": MOVE_DAY},
    ),
    Row("fit_weights", closed(coordinator=200)),
    Row(
        "fit_weights",
        closed(coordinator=REDIRECT),
        method="post",
        data=lambda cast: {"distance": 5, "language": 2, "food": 2, "fairness": 1},
    ),
    Row("proposal_create_for_site", closed(coordinator=405), kwargs=site_a),
    Row(
        "proposal_create_for_site",
        closed(coordinator=REDIRECT),
        kwargs=site_a,
        method="post",
        data=lambda cast: {"on": MOVE_DAY},
    ),
    Row("proposal_detail", closed(coordinator=200), kwargs=proposal),
    Row("proposal_download", closed(coordinator=200), kwargs=proposal),
    Row("proposal_accept", closed(coordinator=405), kwargs=proposal),
    Row(
        "proposal_accept",
        closed(coordinator=REDIRECT),
        kwargs=proposal,
        method="post",
        data=lambda cast: {"selection": "all"},
    ),
    Row("proposal_repropose", closed(coordinator=405), kwargs=proposal),
    Row("proposal_repropose", closed(coordinator=REDIRECT), kwargs=proposal, method="post"),
    Row("proposal_item", closed(coordinator=200), kwargs=proposal_item),
    Row(
        "proposal_item",
        closed(coordinator=REDIRECT),
        kwargs=proposal_item,
        method="post",
        data=lambda cast: {"action": "forbid", "unit": cast.unit_b.public_id},
    ),
    # The HTTP API.
    Row("api:openapi-json", EVERYONE),
    Row("api:openapi-view", EVERYONE),
    # django-ninja's root only anchors the reversing of the other routes.
    Row("api:api-root", {role: 404 for role in ROLES}),
    Row("api:get_dashboard", api_closed(**MEMBERS)),
    Row("api:list_sites", api_closed(**MEMBERS)),
    Row("api:get_household", api_closed(**PARTNER_A_PEOPLE), kwargs=api_household_a),
    # The allauth pages the product depends on; the rest are exempt below.
    Row("account_login", {ANONYMOUS: 200, **{role: REDIRECT for role in MEMBERS}}),
    Row("account_logout", {role: Redirect("account_login") for role in ROLES}, method="post"),
    # Anyone may ask for a reset link; it goes only to the account's own address.
    Row("account_reset_password", EVERYONE),
    # Setting up TOTP asks for the password again first (allauth's reauthentication).
    Row(
        "mfa_activate_totp",
        closed(**{role: Redirect("account_reauthenticate") for role in MEMBERS}),
    ),
]
# Each later app keeps its rows in tests/access_rows/<app>.py.
MATRIX += access_rows.collect()

# URL prefixes that are not the project's own pages, each with the reason it has no row.
EXEMPT_PREFIXES = {
    "accounts/": (
        "allauth.account: password, e-mail and sign-up views, tested upstream; sign-up is "
        "closed by NoSignupAccountAdapter, login, logout and TOTP set-up have rows above"
    ),
    "accounts/2fa/": "allauth.mfa: a user's own authenticators, never another user's",
    "accounts/3rdparty/": "allauth.socialaccount: a user's own single sign-on connections",
    "accounts/social/": "allauth.socialaccount: redirects kept for old links",
    "accounts/oidc/": "allauth: the municipal single sign-on round trip, driven by the IdP",
    "admin/": "the Django admin: off unless ADMIN_ENABLED, superusers only, bypasses services",
}


def _call(client: Client, row: Row, cast: Any) -> Any:
    url = reverse(row.name, kwargs=row.kwargs(cast))
    if row.query:
        url = f"{url}?{row.query}"
    return getattr(client, row.method)(url, row.data(cast))


def _check(response: Any, expected: Expected) -> None:
    login_url = reverse("account_login")
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert location.startswith(f"{login_url}?next="), location
    elif isinstance(expected, Redirect):
        assert response.status_code == 302, response.status_code
        if expected.to is None:
            assert not location.startswith(login_url), location
        else:
            assert location.startswith(reverse(expected.to)), location
    else:
        assert response.status_code == expected, response.status_code


CASES = [pytest.param(row, role, id=f"{row.id} as {role}") for row in MATRIX for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_it_answers_each_role_as_the_matrix_says(row, role, cast, client_as):
    # given
    client = client_as(role)
    # when
    response = _call(client, row, cast)
    # then
    _check(response, row.expect[role])


# Objects reached through a URL: "not yours" must be indistinguishable from "no such thing".
NOT_YOURS = [
    ("household_detail", "get", household_a, "b_staff"),
    ("household_edit", "get", household_a, "b_staff"),
    ("household_edit", "post", household_a, "b_staff"),
    ("person_add", "get", household_a, "b_staff"),
    ("person_edit", "get", person_a, "b_staff"),
    ("person_edit", "post", person_a, "b_staff"),
    ("person_path", "get", person_a, "b_staff"),
    ("person_path", "post", person_a, "b_staff"),
    ("path_event_correct", "get", path_event_a, "b_staff"),
    ("path_event_correct", "post", path_event_a, "b_staff"),
    ("site_detail", "get", site_a, "b_staff"),
    ("site_edit", "get", site_a, "b_staff"),
    ("unit_create", "get", site_a, "b_staff"),
    ("unit_edit", "get", unit_a, "b_staff"),
    ("licence_create", "get", home_a, "b_staff"),
    ("licence_edit", "get", licence_a, "b_staff"),
    ("site_use_create", "get", home_a, "b_staff"),
    ("stay_move", "post", stay_a, "b_staff"),
    ("stay_end", "get", stay_a, "b_staff"),
    ("stay_end", "post", stay_a, "b_staff"),
    ("stay_reopen", "get", moved_out_stay_a, "b_staff"),
    ("stay_reopen", "post", moved_out_stay_a, "b_staff"),
    ("stay_reopen", "get", moved_out_stay_a, "a_viewer"),
    ("allocation_detail", "get", pending_allocation, "a_staff"),
    ("allocation_status", "post", pending_allocation, "a_staff"),
    ("api:get_household", "get", api_household_a, "b_staff"),
    ("proposal_detail", "get", proposal, "a_staff"),
    ("proposal_item", "get", proposal_item, "a_admin"),
    ("proposal_accept", "post", proposal, "a_admin"),
    ("proposal_create_for_site", "post", site_a, "a_admin"),
    *minors_rows.NOT_YOURS,
]


def _with_unknown_id(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: uuid.uuid4() for key in kwargs}


@pytest.mark.parametrize(
    ("name", "method", "kwargs", "outsider"),
    [pytest.param(*case, id=f"{case[1].upper()} {case[0]}") for case in NOT_YOURS],
)
def test_it_answers_not_yours_with_the_same_404_as_does_not_exist(
    name, method, kwargs, outsider, cast, client_as
):
    # given
    real = kwargs(cast)
    unknown = _with_unknown_id(real)
    # when
    not_yours = getattr(client_as(outsider), method)(reverse(name, kwargs=real))
    missing_for_outsider = getattr(client_as(outsider), method)(reverse(name, kwargs=unknown))
    missing_for_coordinator = getattr(client_as("coordinator"), method)(
        reverse(name, kwargs=unknown)
    )
    # then
    assert not_yours.status_code == 404
    assert missing_for_outsider.status_code == 404
    assert missing_for_coordinator.status_code == 404
    assert not_yours.content == missing_for_outsider.content == missing_for_coordinator.content


def test_it_answers_another_organisations_users_with_the_same_404_as_none(cast, client_as):
    # given
    client = client_as("a_admin")
    # when
    theirs = client.get(reverse("member_list", kwargs={"slug": cast.org_b.slug}))
    missing = client.get(reverse("member_list", kwargs={"slug": "no-such-organisation"}))
    # then
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_it_answers_a_user_of_another_organisation_with_404_on_toggle(cast, client_as):
    # given: the partner A admin names a partner B user under partner A
    client = client_as("a_admin")
    url = reverse(
        "member_toggle", kwargs={"slug": cast.org_a.slug, "user_id": cast.b_staff.public_id}
    )
    # when
    response = client.post(url)
    # then
    assert response.status_code == 404
    cast.b_staff.refresh_from_db()
    assert cast.b_staff.is_active


def test_it_answers_a_malformed_api_id_without_a_server_error(cast, client_as):
    # given
    client = client_as("coordinator")
    # when
    response = client.get(reverse("api:get_household", kwargs={"household_id": "not-a-uuid"}))
    # then
    assert response.status_code in (404, 422)


def test_it_does_not_serve_the_admin_by_default(cast, client_as):
    # given
    client = client_as("coordinator")
    # when
    response = client.get("/admin/")
    # then
    assert not settings.ADMIN_ENABLED
    assert response.status_code == 404


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str | None, Any]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield route, name, entry.callback


def _exemption(route: str) -> str | None:
    matches = [prefix for prefix in EXEMPT_PREFIXES if route.startswith(prefix)]
    return EXEMPT_PREFIXES[max(matches, key=len)] if matches else None


@dataclass
class Coverage:
    missing: list[str] = field(default_factory=list)
    exempt_project_views: list[str] = field(default_factory=list)


def _coverage() -> Coverage:
    covered = {row.name for row in MATRIX}
    coverage = Coverage()
    for route, name, callback in _patterns(get_resolver()):
        if name in covered:
            continue
        module = getattr(callback, "__module__", "") or ""
        if _exemption(route) is None:
            coverage.missing.append(f"{route} (name={name!r}, view={module})")
        elif module.startswith("tillsammans."):
            # An exemption is for third-party pages; a project view must have its own row.
            coverage.exempt_project_views.append(f"{route} (name={name!r})")
    return coverage


def test_it_has_a_matrix_row_for_every_url_pattern():
    # given
    coverage = _coverage()
    # then
    assert not coverage.missing, "URL patterns without an access-matrix row:\n" + "\n".join(
        coverage.missing
    )
    assert not coverage.exempt_project_views, "Project views hidden by an exemption:\n" + "\n".join(
        coverage.exempt_project_views
    )


def test_it_has_no_row_for_a_url_that_does_not_exist():
    # given
    names = {name for _route, name, _callback in _patterns(get_resolver())}
    # when
    stale = sorted({row.name for row in MATRIX} - names)
    # then
    assert not stale, f"Matrix rows for URL names that are not routed: {stale}"
