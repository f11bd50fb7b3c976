"""Query and form parameters that a view reads by hand (``request.GET``, ``request.POST``).

One way to read each kind, so that whatever a link or a person sends, a bad value reads as
the default (or None) and never becomes a server error:

- numbers are ASCII digits only: ``int()`` reads "٣" as 3 and " 1_0 " as 10, and
  ``"²".isdigit()`` is True although ``int("²")`` fails;
- a number is held to a range, so that twenty digits never reach the database, whose
  integers have 64 bits;
- text loses control characters (NUL, line breaks) and is cut to a length.

A form field that a page renders is read by its form instead (``core.forms``); months and
dates there use the same parsers (``core.lib.dates``).
"""

import re
import unicodedata
import uuid
from collections.abc import Collection, Mapping
from typing import Any

# The largest primary key a database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1
# Pages beyond this are not pages of any list the product shows.
MAX_PAGE = 100_000

_INTEGER = re.compile(r"-?[0-9]{1,20}")


def integer(value: Any, *, minimum: int, maximum: int) -> int | None:
    """``value`` as an integer written in ASCII digits within [minimum, maximum], or None."""
    if not isinstance(value, str) or not _INTEGER.fullmatch(value.strip()):
        return None
    number = int(value.strip())
    return number if minimum <= number <= maximum else None


def get_int(
    params: Mapping[str, Any], name: str, default: int, *, minimum: int, maximum: int
) -> int:
    """The parameter as an integer in range, or ``default``."""
    number = integer(params.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def get_id(params: Mapping[str, Any], name: str) -> int | None:
    """A database id (a positive 64-bit integer), or None."""
    return integer(params.get(name), minimum=1, maximum=MAX_ID)


def get_page(params: Mapping[str, Any], name: str = "page") -> int:
    """The page of a list asked for: 1 unless a page number in range is given."""
    return get_int(params, name, 1, minimum=1, maximum=MAX_PAGE)


def get_uuid(params: Mapping[str, Any], name: str) -> uuid.UUID | None:
    """A public id (a UUID in its usual hexadecimal spellings), or None."""
    value = params.get(name)
    if not isinstance(value, str) or not value.isascii() or len(value) > 40:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def get_choice(params: Mapping[str, Any], name: str, choices: Collection[str], default: str) -> str:
    """The parameter if it is one of ``choices``, else ``default``."""
    value = params.get(name)
    return value if isinstance(value, str) and value in choices else default


def get_text(params: Mapping[str, Any], name: str, *, max_length: int = 200) -> str:
    """The parameter as one line of text: control characters (NUL, line breaks, tabs) become
    spaces, the ends are stripped and it is cut to ``max_length``."""
    value = params.get(name)
    if not isinstance(value, str):
        return ""
    line = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value[: max_length * 2])
    return line.strip()[:max_length]
