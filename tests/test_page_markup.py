"""Every page of the access matrix, as every role that may open it, is sound markup in the
reader's language.

- Unique ids: a page that shows several forms repeats Django's default ids (``id_on``) when
  two forms share a field name; the second label then points at the first form's input, and
  assistive technology reads the wrong label or none. Views give such forms their own ids
  with ``core.viewlib.page_forms``.
- Swedish throughout: a text that stays in English on a Swedish page (a label Django made
  from a field's name, a string of Django's that its catalogue lacks, a hidden field's label)
  is found by comparing every text of the page with the English source of every
  translation the page could have used.

One rendering of each page serves both checks: the crawl is the expensive part.
"""

from collections import Counter
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from django.forms.utils import pretty_name
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.conftest import ANONYMOUS, ROLES
from tests.test_access_matrix import MATRIX

# The same outcome on every database: the PostgreSQL pass leaves it to the SQLite one.
pytestmark = pytest.mark.portable

# Texts read out to a user as well as shown.
_READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
_NOT_TEXT = {"script", "style"}


class _Page(HTMLParser):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_targets: list[str] = []
        # The column headers of each row of each table, and whether the table groups its
        # columns: two headers that read the same, not told apart by a group above them, leave
        # the reader to guess which column is which.
        self.tables: list[tuple[bool, list[list[str]]]] = []
        self._tables: list[tuple[list[bool], list[list[str]]]] = []
        self._header: str | None = None
        # Boxes to tick, and the labels that come after their box.
        self.boxes: set[str] = set()
        self.labels_after_box: list[str] = []
        self.texts: list[str] = []
        # Each field's name by its id, and each label's text by the id it names.
        self.names: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        # The language of each open element: text in another language (the language menu's
        # own names) is not the page's to translate.
        self._langs = [language]
        self._skip = 0
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"] or ""] += 1
        if tag == "table":
            self._tables.append(([False], []))
        if tag == "tr" and self._tables:
            self._tables[-1][1].append([])
        if tag == "th" and self._tables and self._tables[-1][1]:
            if values.get("scope") == "colgroup":
                self._tables[-1][0][0] = True
            elif values.get("scope") == "col":
                self._header = ""
        if tag == "input" and values.get("type") in ("checkbox", "radio") and values.get("id"):
            self.boxes.add(values["id"] or "")
        if tag == "label" and values.get("for"):
            if values["for"] in self.boxes:
                self.labels_after_box.append(values["for"] or "")
            self.label_targets.append(values["for"] or "")
            self._label = values["for"] or ""
            self.labels[self._label] = ""
        if values.get("id") and values.get("name"):
            self.names[values["id"] or ""] = values["name"] or ""
        if tag in ("input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"):
            if self._langs[-1] == self._langs[0]:
                self.texts += [values[name] or "" for name in _READ_ATTRIBUTES if values.get(name)]
            return
        self._open.append(tag)
        self._langs.append(values.get("lang") or self._langs[-1])
        self._skip += tag in _NOT_TEXT
        if self._langs[-1] == self._langs[0]:
            self.texts += [values[name] or "" for name in _READ_ATTRIBUTES if values.get(name)]

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None
        if tag == "th" and self._header is not None:
            self._tables[-1][1][-1].append(" ".join(self._header.split()))
            self._header = None
        if tag == "table" and self._tables:
            grouped, rows = self._tables.pop()
            self.tables.append((grouped[0], rows))
        if tag in self._open:
            while self._open:
                closed = self._open.pop()
                self._langs.pop()
                self._skip -= closed in _NOT_TEXT
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.labels[self._label] += data
        if self._header is not None:
            self._header += data
        if not self._skip and self._langs[-1] == self._langs[0] and data.strip():
            self.texts.append(data)


def id_problems(page: _Page) -> list[str]:
    """Ids used more than once, and labels that point at no element."""
    repeated = [f"id {name!r} × {count}" for name, count in page.ids.items() if count > 1]
    dangling = [f"label for {name!r}" for name in page.label_targets if name not in page.ids]
    return repeated + dangling


@cache
def own_words(language: str) -> frozenset[str]:
    """Every translation into ``language``: texts that are the page's own language."""
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    return frozenset(value for key, value in catalog.items() if isinstance(key, str) and value)


@cache
def english_sources(language: str) -> frozenset[str]:
    """The English text of every translation into ``language`` that differs from it: the
    product's catalogue, Django's and allauth's (a page can show any of them)."""
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    pairs = [
        (key.split("\x04")[-1], value)
        for key, value in catalog.items()
        if isinstance(key, str) and value
    ]
    # An English text that is also a translation ("Partners" is "Partner" in Swedish) is
    # the page's own language there.
    translations = own_words(language)
    return frozenset(
        english
        for english, value in pairs
        # Texts with placeholders never appear whole; a word of one or two letters could be
        # anyone's initials.
        if value != english
        and english not in translations
        and "%" not in english
        and "{" not in english
        and len(english) > 2
    )


def _bare(text: str) -> str:
    return " ".join(text.split()).rstrip(":*").strip()


def english_left(page: _Page, language: str) -> list[str]:
    """Texts of the page that are the English source of a translation, and labels Django
    made from a field's name (a form field without a label of its own)."""
    sources = english_sources(language)
    left = {_bare(text) for text in page.texts} & sources
    translations = own_words(language)
    for target, text in page.labels.items():
        name = page.names.get(target, "").rsplit("-", 1)[-1]
        if name and _bare(text) == pretty_name(name) and _bare(text) not in translations:
            left.add(_bare(text))
    return sorted(left)


def same_headers(page: _Page) -> list[str]:
    """Column headers that read the same within one header row of a table that does not
    group its columns ("Enrolled" as a count of the month's enrolments and as a step of the
    pipeline); under groups ("Issued: Number, SEK; Redeemed: Number, …") they may."""
    found = []
    rows = [row for grouped, table in page.tables if not grouped for row in table]
    for row in rows:
        counts = Counter(text for text in row if text)
        found += [
            f"column header × {count}: {text!r}" for text, count in counts.items() if count > 1
        ]
    return found


def colon_after_box(page: _Page) -> list[str]:
    """Labels that follow their box ("☐ Has pets:") but end with a colon, as a label before a
    field does: the box then reads as an answer to the line above it."""
    texts = (" ".join(page.labels.get(target, "").split()) for target in page.labels_after_box)
    return [f"colon after a box: {text!r}" for text in texts if text.endswith(":")]


def page_problems(html: str, language: str = "sv") -> list[str]:
    page = _Page(language)
    page.feed(html)
    return (
        id_problems(page)
        + same_headers(page)
        + colon_after_box(page)
        + [f"English: {text!r}" for text in english_left(page, language)]
    )


PAGES = [
    pytest.param(row, id=row.id)
    for row in MATRIX
    if row.method == "get" and any(row.expect.get(role) == 200 for role in ROLES)
]


@pytest.mark.parametrize("row", PAGES)
def test_it_renders_every_page_with_unique_ids_and_all_in_swedish(row, cast, client_as):
    # given: the page's objects made once, then opened by every role that may see it
    url = reverse(row.name, kwargs=row.kwargs(cast))
    if row.query:
        url = f"{url}?{row.query}"
    readers = [role for role in ROLES if role != ANONYMOUS and row.expect.get(role) == 200]
    problems: dict[str, Any] = {}
    for role in readers:
        # when
        response = client_as(role).get(url)
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        with translation.override("sv"):
            found = page_problems(response.content.decode())
        if found:
            problems[role] = found
    # then
    assert problems == {}


def test_it_finds_a_label_left_in_english_on_a_swedish_page():
    # given: a label Django made from a field's name, and the language menu's own names
    html = (
        '<html lang="sv"><body><label for="a">Medical priority:</label><input id="a">'
        '<select><option lang="en">English</option></select>'
        '<input type="submit" value="Spara" title="Select an option">'
        '<label for="id_stage-expected">Expected:</label>'
        '<input type="hidden" name="stage-expected" id="id_stage-expected"></body></html>'
    )
    # when
    with translation.override("sv"):
        found = page_problems(html)
    # then
    assert found == ["English: 'Expected'", "English: 'Medical priority'"]


def test_it_finds_a_label_after_its_box_that_ends_with_a_colon():
    # given: a box labelled like a field ("Har husdjur:"), and one labelled as a statement
    html = (
        '<html lang="sv"><body><input type="checkbox" id="a"> <label for="a">Har husdjur:</label>'
        '<input type="checkbox" id="b"> <label for="b">Medicinsk förtur</label>'
        '<label for="c">Namn:</label> <input type="text" id="c"></body></html>'
    )
    # when
    with translation.override("sv"):
        found = page_problems(html)
    # then
    assert found == ["colon after a box: 'Har husdjur:'"]


def test_it_finds_two_columns_with_the_same_header():
    # given: a count of the month's enrolments and the step "Enrolled", both "Inskriven"
    html = (
        '<html lang="sv"><body><table><thead><tr><th scope="col">Månad</th>'
        '<th scope="col">Inskriven</th><th scope="col">Inskriven</th></tr></thead>'
        '<tbody><tr><th scope="row">2022-01</th><td>1</td><td>1</td></tr>'
        '<tr><th scope="row">2022-02</th><td>1</td><td>1</td></tr></tbody></table></body></html>'
    )
    # when
    with translation.override("sv"):
        found = page_problems(html)
    # then
    assert found == ["column header × 2: 'Inskriven'"]
