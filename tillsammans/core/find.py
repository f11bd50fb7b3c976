"""The search box on every page: a household, a person, a site or a service by name,
reference or number.

Each app registers a finder with ``@finder``: a function of the reader and the query that
returns what it found among what the reader may see (its own ``visible_*`` rules), as one
group of links, and audits what it shows (a person found is a read of that person). The
search page (``core.views.search``) asks every finder in turn and shows the groups that
found something.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FOUND_PER_KIND = 10
SHORTEST_QUERY = 2


@dataclass(frozen=True)
class Found:
    text: str  # what the reader recognises: a name, and a reference or code beside it
    url: str
    detail: str = ""  # where it is, whose it is


@dataclass(frozen=True)
class FoundGroup:
    title: str  # "Persons", in the reader's language
    items: list[Found] = field(default_factory=list)
    more_url: str = ""  # where every match is listed, when there may be more than shown


Finder = Callable[[Any, str], FoundGroup | None]
_FINDERS: list[Finder] = []


def finder(function: Finder) -> Finder:
    """Register ``function(user, query)`` as one of the search box's finders."""
    _FINDERS.append(function)
    return function


def find(user: Any, query: str) -> list[FoundGroup]:
    """What every finder found for ``query``, the groups that found nothing left out."""
    groups = (function(user, query) for function in _FINDERS)
    return [group for group in groups if group is not None and group.items]
