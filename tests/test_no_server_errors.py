"""No input answers 500: every form and every query parameter of every page, as every role.

Each role of the cast opens every URL of the access matrix. Every form on a page that answers
200 is submitted with each hostile value (`tests/fuzz.py`) in one field at a time, the others
as rendered, and in all fields at once; a POST the matrix makes but no page renders a form
for is fuzzed from the matrix's data. Every query parameter a URL takes (from the pages' GET
forms and links, and from the view's source, so that a parameter no page offers is still
tried) gets each hostile value, as each role that may open the URL. Every request is rolled
back, so that each starts from the same data. The test fails on any 5xx or exception and
lists them all.

Identical forms (the same fields sent to the same view) are submitted once, by the first role
that sees them; values that mean the same to a kind of field are sent once (`VALUES_FOR_KIND`).
"""

import copy
import logging
import random
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, path, resolve, reverse

from tests import fuzz
from tests.access import LOGIN, Row
from tests.conftest import ROLES, user_of
from tests.test_access_matrix import MATRIX

RANDOM_BYTES = random.Random(11).randbytes(4096)
CSRF = "csrfmiddlewaretoken"  # not enforced by the test client; its value changes nothing
NO_PAGE = (404, 405, LOGIN)


@dataclass
class Fuzzer:
    cast: Any
    clients: dict[str, Client]
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    forms_seen: set[tuple[Any, ...]] = field(default_factory=set)
    # Per URL name, the query parameters its pages' links and GET forms give, with a value.
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)

    def send(self, role: str, method: str, url: str, data: Any, what: str) -> Any:
        """One request, rolled back; a 5xx or an exception is written down, not raised."""
        client = self.clients[role]
        cookies = copy.deepcopy(client.cookies)
        self.requests += 1
        response = None
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, data)
                transaction.set_rollback(True)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(
                f"{method.upper()} {url[:150]} as {role}, {what}: {type(exc).__name__}: "
                f"{str(exc)[:150]} ({where.filename}:{where.lineno})"
            )
        else:
            if response.status_code >= 500:
                self.failures.append(
                    f"{method.upper()} {url[:150]} as {role}, {what}: {response.status_code}"
                )
        finally:
            # A logout or a change of language must not change the requests that follow,
            # and figures cached by a rolled-back write must not outlive it.
            client.cookies = cookies
            cache.clear()
        return response

    def offer(self, name: str | None, params: dict[str, str]) -> None:
        if name is None:
            return
        known = self.parameters.setdefault(name, {})
        for key, value in params.items():
            if key != CSRF:
                known.setdefault(key, value)


def _resolve(path: str) -> Any:
    try:
        return resolve(path)
    except Resolver404:
        return None


def _url_name(path: str) -> str | None:
    match = _resolve(path)
    return match.view_name if match else None


def _target(form: fuzz.Form, page: str) -> str:
    path = fuzz.query_names(form.action)[0] if form.action else ""
    return path or page


def _signature(form: fuzz.Form, target: str) -> tuple[Any, ...]:
    fields = tuple(sorted(f.signature for f in form.fields))
    return form.method, _url_name(target) or target, fields, tuple(sorted(form.buttons))


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("hostile.csv", content, content_type="text/csv")


def _submissions(form: fuzz.Form, target: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The form as rendered (once per named button), then each hostile value in one field at
    a time, then in all fields at once. A GET form's fields are query parameters, which each
    role tries one at a time anyway (`_fuzz_parameters`)."""
    base: dict[str, Any] = form.rendered()
    for f in form.fields:
        if f.kind == "file":
            base[f.name] = _file(b"")
    buttons = form.buttons or [("", "")]
    for button, value in buttons:
        yield (
            "as rendered" + (f" with {button}={value}" if button else ""),
            {
                **base,
                **({button: value} if button else {}),
            },
        )
    if buttons[0][0]:
        base[buttons[0][0]] = buttons[0][1]
    match = _resolve(target)
    server = fuzz.read_by_hand(match.func) if match else fuzz.ReadByHand()
    fields = [f for f in form.fields if f.name != CSRF]
    # A name the view reads by hand but the page does not render is tried as well.
    rendered = {f.name for f in fields}
    names = server.post if form.method == "post" else set()
    fields += [fuzz.Field(name, "hidden") for name in sorted(names - rendered)]
    if form.method == "post":
        for f in fields:
            if f.kind == "file":
                for label, content in (("an empty file", b""), ("random bytes", RANDOM_BYTES)):
                    yield f"{f.name}={label}", {**base, f.name: _file(content)}
                continue
            for label in fuzz.values_for(fuzz.kind_of(f, _server_field(server, f.name))):
                yield f"{f.name}={label}", {**base, f.name: fuzz.HOSTILE[label]}
    for label in fuzz.ALL_AT_ONCE:
        every = {f.name: fuzz.HOSTILE[label] for f in fields if f.kind != "file"}
        yield f"every field={label}", {**base, **every}


def _server_field(server: fuzz.ReadByHand, name: str) -> Any:
    # A form with a prefix names its fields "<prefix>-<name>".
    return server.fields.get(name) or server.fields.get(name.partition("-")[2])


def _fuzz_form(fuzzer: Fuzzer, role: str, form: fuzz.Form, target: str) -> None:
    for what, data in _submissions(form, target):
        fuzzer.send(role, form.method, target, data, what)


@contextmanager
def _quiet() -> Iterator[None]:
    """Thousands of 4xx, and each 500 is in the assertion: no log line for each."""
    logger = logging.getLogger("django.request")
    level, logger.level = logger.level, logging.CRITICAL + 1
    try:
        yield
    finally:
        logger.level = level


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _clients(cast: Any) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        # The view's exception, with its traceback, rather than a bare 500.
        client = Client(raise_request_exception=True)
        user = user_of(cast, role)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


def _url(row: Row, cast: Any) -> str:
    return reverse(row.name, kwargs=row.kwargs(cast))


def _crawl(fuzzer: Fuzzer) -> list[tuple[Row, str]]:
    """Open every GET row as every role and submit each form not submitted before; return
    the (row, role) pairs of the pages that role may open."""
    opened: list[tuple[Row, str]] = []
    submitted: set[str | None] = set()
    for row in MATRIX:
        if row.method != "get":
            continue
        with _rolled_back():
            page = _url(row, fuzzer.cast)
            fuzzer.offer(row.name, fuzz.query_names("?" + row.query)[1])
            for role in ROLES:
                response = fuzzer.send(role, "get", page, fuzz.query_names("?" + row.query)[1], "")
                if row.expect[role] in NO_PAGE or response is None:
                    continue
                opened.append((row, role))
                if response.status_code != 200 or "html" not in response["Content-Type"]:
                    continue
                forms, links = fuzz.parse_page(response.content.decode())
                for link in links:
                    path, params = fuzz.query_names(link)
                    fuzzer.offer(_url_name(path or page), params)
                for form in forms:
                    target = _target(form, page)
                    if form.method == "get":
                        fuzzer.offer(_url_name(target), form.rendered_first())
                    key = _signature(form, target)
                    if key in fuzzer.forms_seen:
                        continue
                    fuzzer.forms_seen.add(key)
                    submitted.add(_url_name(target))
                    _fuzz_form(fuzzer, role, form, target)
    for row in MATRIX:
        if row.method == "post" and row.name not in submitted:
            _fuzz_unrendered(fuzzer, row)
    return opened


def _fuzz_unrendered(fuzzer: Fuzzer, row: Row) -> None:
    """A POST the matrix makes to a URL whose form no page renders: its data is the form."""
    role = next((r for r in ROLES if row.expect[r] not in NO_PAGE), None)
    if role is None:
        return
    with _rolled_back():
        target = _url(row, fuzzer.cast)
        data = row.data(fuzzer.cast)
        fields = [fuzz.Field(k, "hidden", [str(v)]) for k, v in data.items()]
        form = fuzz.Form(action=target, method="post", fields=fields)
        key = _signature(form, target)
        if key not in fuzzer.forms_seen:
            fuzzer.forms_seen.add(key)
            _fuzz_form(fuzzer, role, form, target)


def _fuzz_parameters(fuzzer: Fuzzer, opened: list[tuple[Row, str]]) -> None:
    """Each query parameter of each URL, with each hostile value, as each role that may open
    it; the other parameters keep the values a page gives them."""
    done: set[tuple[str, str]] = set()
    for row, role in opened:
        if (row.name, role) in done:
            continue
        done.add((row.name, role))
        with _rolled_back():
            path = _url(row, fuzzer.cast)
            match = _resolve(path)
            read = fuzz.read_by_hand(match.func)
            params = {name: "" for name in read.get}
            params |= fuzzer.parameters.get(row.name, {})
            base = {k: v for k, v in params.items() if v}
            for name in sorted(params):
                # A parameter read by a shared reader or a form is of a known kind; one read
                # by hand, or only seen in a link, may be anything.
                kind = read.kinds.get(name) or fuzz.kind_of(
                    fuzz.Field(name, "hidden"), read.fields.get(name)
                )
                for label in fuzz.values_for(kind):
                    data = {**base, name: fuzz.HOSTILE[label]}
                    fuzzer.send(role, "get", path, data, f"?{name}={label}")


def test_it_answers_no_input_with_a_server_error(cast):
    # given
    fuzzer = Fuzzer(cast, _clients(cast))
    started = time.monotonic()
    # when
    with _quiet():
        opened = _crawl(fuzzer)
        _fuzz_parameters(fuzzer, opened)
    # then
    seconds = time.monotonic() - started
    print(f"\n{fuzzer.requests} requests, {len(fuzzer.forms_seen)} forms, {seconds:.0f} s")
    assert not fuzzer.failures, f"{len(fuzzer.failures)} server errors:\n" + "\n".join(
        fuzzer.failures
    )


# -- the fuzzer itself ---------------------------------------------------------------------


def test_it_finds_the_parameters_a_view_reads_by_hand_or_through_a_form():
    # when
    sites = fuzz.read_by_hand(resolve(reverse("dashboard_sites")).func)
    rent = fuzz.read_by_hand(resolve(reverse("rent_export")).func)
    figures = fuzz.read_by_hand(resolve(reverse("addedvalues_figures")).func)
    # then
    assert sites.get == {"organisation", "page"}
    assert rent.get == {"programme", "month", "format"}
    assert (
        figures.get == {"month"}
        and fuzz.kind_of(fuzz.Field("month", "hidden"), figures.fields["month"]) == "month"
    )


def test_it_reads_every_field_of_a_form_as_a_browser_would_submit_it():
    # given
    html = """<form method="post" action="/x/" enctype="multipart/form-data">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="on" type="date" value="2022-08-01"><input type="checkbox" name="c" checked>
      <input type="checkbox" name="d"><select name="s"><option value="1">A</option>
      <option value="2" selected>B</option></select><textarea name="t">hej</textarea>
      <input type="file" name="f"><button name="action" value="record">Go</button></form>
      <a href="/y/?page=2&amp;q=x">next</a>"""
    # when
    forms, links = fuzz.parse_page(html)
    # then
    (form,) = forms
    assert (form.action, form.method, form.multipart) == ("/x/", "post", True)
    assert form.rendered() == {
        "csrfmiddlewaretoken": ["t"], "on": ["2022-08-01"], "c": ["on"], "d": [], "s": ["2"],
        "t": ["hej"],
    }  # fmt: skip
    assert form.buttons == [("action", "record")]
    assert fuzz.query_names(links[0]) == ("/y/", {"page": "2", "q": "x"})


def _crash(request: Any) -> Any:
    return int(request.GET["n"])


urlpatterns = [path("crash/", _crash)]


@override_settings(ROOT_URLCONF=__name__)
def test_it_reports_a_server_error_with_its_url_role_and_value(cast):
    # given
    fuzzer = Fuzzer(cast, _clients(cast))
    # when
    with _quiet():
        fuzzer.send("coordinator", "get", "/crash/", {"n": fuzz.HOSTILE["superscript two"]}, "?n=²")
    # then
    (failure,) = fuzzer.failures
    assert failure.startswith("GET /crash/ as coordinator, ?n=²: ValueError")
