"""What a page tells its reader: the words of the whole document (its title, header and main
part) and the attribute values a browser shows or reads aloud, without markup.

A check that a page does not show something reads this, not the HTML: random tokens (the
CSP nonce, CSRF tokens, the public ids in links) sit in attributes no reader sees and may by
chance contain a short string such as "A1" or "777". A field's value is kept (unless the
field is hidden), so is what a title, label, placeholder or alternative text says.
"""

from html.parser import HTMLParser
from typing import Any

SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "label", "value"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.has_main = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        self.has_main = self.has_main or tag == "main"
        named = dict(attrs)
        hidden = tag == "input" and (named.get("type") or "").lower() == "hidden"
        for name, value in attrs:
            if value and name in SHOWN_ATTRIBUTES and not (name == "value" and hidden):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip == 0:
            self.parts.append(data)


def shown_text(response: Any) -> str:
    """The page's words as its reader gets them, joined by single spaces. A page with no
    <main> is not a page of the product: the check would pass for the wrong reason."""
    parser = _Text()
    parser.feed(response.content.decode())
    assert parser.has_main, "not a page of the product: it has no <main>"
    return " ".join(" ".join(parser.parts).split())
