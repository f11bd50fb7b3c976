"""Text direction: the invisible characters that reorder text, refused in names, and the
isolation of what people write so that it cannot reorder the text around it.

A right-to-left override (U+202E) before "gnp.exe" in a name makes it read "exe.png" and,
left open, reverses whatever follows it on the same line: the next column, the sentence it
sits in, a file name. Names never need these characters (an Arabic or Hebrew name is
ordered by its letters alone), so they are refused where names are written; text written
before that is shown inside an isolate, with the characters made visible in names.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The explicit embeddings and overrides (U+202A–U+202E), the isolates (U+2066–U+2069) and the
# direction marks: left-to-right, right-to-left and the Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
SHOWN_INSTEAD = "\ufffd"
_RIGHT_TO_LEFT = frozenset({"R", "AL"})


def bidi_controls_in(text: str) -> list[str]:
    """The direction controls in ``text``, each once, in the order they first appear."""
    return list(dict.fromkeys(char for char in text or "" if char in BIDI_CONTROLS))


def refuse_bidi_controls(value: str) -> None:
    """A validator for names: a direction control is refused with the code point named."""
    found = bidi_controls_in(value)
    if found:
        raise ValidationError(
            _(
                "The name contains an invisible character that changes the direction of the "
                "text around it (%(code)s). Type the name again without it."
            ),
            code="bidi_control",
            params={"code": ", ".join(f"U+{ord(char):04X}" for char in found)},
        )


def visible_controls(text: str) -> str:
    """``text`` with each direction control replaced by a visible �: a name that holds one
    (written before names were checked) reads in the order it was typed."""
    if not any(char in BIDI_CONTROLS for char in text):
        return text
    return "".join(SHOWN_INSTEAD if char in BIDI_CONTROLS else char for char in text)


def needs_isolation(text: str) -> bool:
    """Whether ``text`` can reorder what is around it: a control or a right-to-left letter."""
    return any(
        char in BIDI_CONTROLS or unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text
    )


def isolate_text(text: str) -> str:
    """A name for plain text (a title, an option of a list, a message): between a first-strong
    isolate and its pop when it could reorder its neighbours, with its controls made visible
    so that none of them can end the isolate early. Left-to-right text is left as it is."""
    if not needs_isolation(text):
        return text
    return FIRST_STRONG_ISOLATE + visible_controls(text) + POP_DIRECTIONAL_ISOLATE
