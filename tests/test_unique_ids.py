"""Every page of the access matrix, as every role that may open it, has unique ids.

A page that shows several forms repeats Django's default ids (``id_on``) when two forms share
a field name; the second label then points at the first form's input, and assistive
technology reads the wrong label or none. Views give such forms their own ids with
``core.viewlib.page_forms``; this suite finds any page where that was forgotten.
"""

from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import ANONYMOUS, ROLES
from tests.test_access_matrix import MATRIX


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"] or ""] += 1
        if tag == "label" and values.get("for"):
            self.label_targets.append(values["for"] or "")


def id_problems(html: str) -> list[str]:
    """Ids used more than once, and labels that point at no element."""
    parser = _Ids()
    parser.feed(html)
    repeated = [f"id {name!r} × {count}" for name, count in parser.ids.items() if count > 1]
    dangling = [f"label for {name!r}" for name in parser.label_targets if name not in parser.ids]
    return repeated + dangling


PAGES = [
    pytest.param(row, id=row.id)
    for row in MATRIX
    if row.method == "get" and any(row.expect.get(role) == 200 for role in ROLES)
]


@pytest.mark.parametrize("row", PAGES)
def test_it_gives_every_element_of_a_page_its_own_id(row, cast, client_as):
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
        found = id_problems(response.content.decode())
        if found:
            problems[role] = found
    # then
    assert problems == {}
