"""Every page of the access matrix, as every role that may open it, in Chromium on a phone.

For each role of the fixed cast, each GET row of `tests/test_access_matrix.py` that answers
that role 200 with a page (not a file, not JSON) is opened at 375 px, and:

- the page is no wider than the phone (a table scrolls inside its own box; the rest wraps);
- axe-core finds no serious or critical violation (WCAG 2.1 A and AA, and its best practices);
- the browser reports no error (a blocked script or style, a missing file).

Chromium asks for each page and file through a route that answers with Django's test client
in this thread, so each row runs in a savepoint that is rolled back after it: every row finds
the cast as the matrix does (a row that moves a household out, or adds a second agreement,
does not change the next one's page).
"""

import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import ANONYMOUS, ROLES
from tests.test_access_matrix import MATRIX

from .conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e]

PHONE = 375
ORIGIN = "http://localhost"  # a trustworthy origin: the browser applies every header
SERIOUS = {"serious", "critical"}
AXE = Axe()


def pages_of(role: str) -> list[Any]:
    """The matrix's GET rows that open to ``role``."""
    return [row for row in MATRIX if row.method == "get" and row.expect.get(role) == 200]


def _static(path: str) -> tuple[bytes, str] | None:
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    if not found:
        return None
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    return Path(found).read_bytes(), content_type


def _answer(client: Client, connection: Any, route: Any) -> None:
    """Answer Chromium's request with the test client (or a static file from disk).

    Playwright calls this in a greenlet of the test's thread with its own context, where
    Django would open a second connection; it is given the test's, inside its transaction.
    """
    connections[DEFAULT_DB_ALIAS] = connection
    request = route.request
    parts = urlsplit(request.url)
    if parts.path.startswith(settings.STATIC_URL):
        found = _static(parts.path)
        if found is None:
            route.fulfill(status=404, body=b"")
        else:
            route.fulfill(status=200, body=found[0], headers={"content-type": found[1]})
        return
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    extra = {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in request.headers.items()
        if name.lower() in {"hx-request", "hx-target", "hx-current-url", "accept-language"}
    }
    response = client.generic(
        request.method, path, data=request.post_data_buffer or b"",
        content_type=request.headers.get("content-type", ""), **extra,
    )  # fmt: skip
    body = b"".join(response.streaming_content) if response.streaming else response.content
    route.fulfill(status=response.status_code, headers=dict(response.headers), body=body)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="sv-SE", viewport={"width": PHONE, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _axe_problems(page: Any, label: str) -> list[str]:
    return [
        f"{label}: axe {violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in AXE.run(page).response["violations"]
        if violation["impact"] in SERIOUS
    ]


def problems_on(page: Any, row: Any, cast: Any, errors: list[str]) -> list[str]:
    """What a reader of ``row``'s page would trip on, with what the row made rolled back."""
    with transaction.atomic():
        problems = _read(page, row, cast, errors)
        transaction.set_rollback(True)
    return problems


def _read(page: Any, row: Any, cast: Any, errors: list[str]) -> list[str]:
    url = reverse(row.name, kwargs=row.kwargs(cast)) + (f"?{row.query}" if row.query else "")
    label = f"{row.id} {url}"
    errors.clear()
    try:
        response = page.goto(ORIGIN + url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return []  # a file to save, not a page to read
        raise
    if response is None or response.status != 200:
        return [f"{label}: answered {response.status if response else 'nothing'}"]
    if "text/html" not in response.headers.get("content-type", ""):
        return []  # a file or a document for a program, not a page to read
    if "<html" not in response.text()[:500]:
        return []  # a part of a page that htmx fetches: it is read inside its page
    # goto has waited for the load event: the page, its style, script and images. Nothing
    # of a page is fetched later but a job page's progress, which htmx asks every second;
    # waiting for the network to be idle would cost half a second a page.
    problems = [f"{label}: {text}" for text in errors]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE:
        problems.append(f"{label}: {width} px wide at {PHONE} px")
    return problems + _axe_problems(page, label)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_passes_axe(role, phone, cast):
    # given: the role, logged in (a visitor is not), on a phone
    client = Client()
    if role != ANONYMOUS:
        client.force_login(getattr(cast, role))
    connection = connections[DEFAULT_DB_ALIAS]
    phone.route(f"{ORIGIN}/**", lambda route: _answer(client, connection, route))
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    rows = pages_of(role)
    # when: every page the matrix opens to the role is read
    problems = [problem for row in rows for problem in problems_on(phone, row, cast, errors)]
    # then
    assert len(rows) >= (5 if role == ANONYMOUS else 40)
    assert problems == [], "\n".join(problems)
