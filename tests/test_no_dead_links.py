"""No page links to what its reader may not open.

As each role of the fixed cast, every page of the access matrix that the role may open is
read, every internal link (``<a href>``) and GET form action in it is collected, and each is
requested once as the same role. A link that answers an error (a 404 for "not yours", a 403,
a 405 for a POST-only action, a 500) is a dead end for the user who followed it.
"""

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access import Row
from tests.conftest import ANONYMOUS, ROLES
from tests.test_access_matrix import MATRIX, _call

# The same outcome on every database: the PostgreSQL pass leaves it to the SQLite one.
pytestmark = pytest.mark.portable

# The main menu's pages (templates/base.html); Jobbstart's figures stand in for its caseload.
MENU_PAGES = (
    "dashboard", "site_list", "household_list", "path_lists", "referral_home", "coupon_list",
    "hosting_home", "case_list", "finance_home", "reconciliation_latest", "allocation_list",
    "placement_home", "audit_list", "service_list", "training_list", "jobs_home", "partnership",
    "annual_index",
)  # fmt: skip
# Links that leave the application's pages or only serve files.
SKIPPED_PREFIXES = (settings.STATIC_URL, "/accounts/logout/")


class _MenuLinks(HTMLParser):
    """The links of the main menu: the first ``<nav>`` of the page's header."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self._in_header = self._in_nav = self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self._in_header = True
        elif tag == "nav" and self._in_header and not self._done:
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_nav:
            self._in_nav, self._done = False, True
        elif tag == "header":
            self._in_header = False


def _menu(response: Any) -> list[str]:
    parser = _MenuLinks()
    parser.feed(response.content.decode())
    return parser.hrefs


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.targets.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            self.targets.append(values.get("action") or "")


def _internal(page_url: str, target: str) -> str | None:
    """The path and query that ``target`` on ``page_url`` leads to, if it is ours."""
    if target.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{page_url}", target))
    if parts.netloc != "testserver" or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _pages(role: str) -> list[Row]:
    return [row for row in MATRIX if row.method == "get" and row.expect[role] == 200]


def _links_of(response: Any, page_url: str) -> set[str]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return set()
    parser = _Links()
    parser.feed(response.content.decode())
    return {url for target in parser.targets if (url := _internal(page_url, target))}


def _dead_links(client: Client, row: Row, cast: Any, followed: set[str]) -> list[str]:
    """Open the row's page and follow each of its links not followed yet. The row's objects
    are made for this page alone, as in the matrix, and rolled back after it."""
    dead = []
    with transaction.atomic():
        response = _call(client, row, cast)
        assert response.status_code == 200, f"{row.id}: {response.status_code}"
        page_url = response.wsgi_request.get_full_path()
        for url in sorted(_links_of(response, page_url) - followed):
            followed.add(url)
            answer = client.get(url)
            if answer.status_code >= 400:
                dead.append(f"{url} ({answer.status_code}) on {page_url}")
        transaction.set_rollback(True)
    # Figures cached inside the rolled-back savepoint must not outlive it.
    cache.clear()
    return dead


@pytest.mark.parametrize("role", [role for role in ROLES if _pages(role)])
def test_it_links_each_role_only_to_pages_it_may_open(role, cast, client_as, monkeypatch):
    # given every page of the access matrix that the role may open; whether a link opens is
    # the question here, the documents' contents are tested with their apps
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda html, *args, **kwargs: b"%PDF-")
    client: Client = client_as(role)
    followed: set[str] = set()
    # when every link on them is followed once
    dead = [line for row in _pages(role) for line in _dead_links(client, row, cast, followed)]
    # then
    assert followed
    assert not dead, f"{role} is offered links it cannot open:\n" + "\n".join(dead)


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_it_offers_in_the_menu_exactly_the_main_pages_the_role_may_open(role, cast, client_as):
    # given
    client: Client = client_as(role)
    opens = {reverse(name) for name in MENU_PAGES if client.get(reverse(name)).status_code < 400}
    if reverse("jobs_home") not in opens:
        opens.add(reverse("jobs_figures"))
    # when
    menu = _menu(client.get(reverse("partnership")))
    # then
    assert set(menu) == opens


def test_it_shows_no_menu_to_a_user_who_works_for_no_organisation(db):
    # given a login without a membership (an administrator's own account, say), for whom
    # every page of the menu is the page-missing 404
    from tillsammans.core.models import User

    client = Client()
    client.force_login(User.objects.create(email="ingen@example.org"))
    # when
    response = client.get(reverse("mfa_index"))
    # then
    assert response.status_code == 200
    assert _menu(response) == []
    assert client.get(reverse("dashboard")).status_code == 404
