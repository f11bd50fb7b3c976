"""Amounts and decimals as a Swedish user types and reads them: ``312 000,50 kr``.

The rules (ADR 17) in short: a decimal comma or point; thousands grouped in threes by a
space, a no-break space or a narrow no-break space; ``kr``, ``SEK`` or ``:-`` after an amount
of money; a leading minus (``-`` or ``−``); ASCII digits only. Anything that could be read two
ways is refused with the rule it broke, never guessed.
"""

import re
from decimal import Decimal, InvalidOperation, localcontext

# The separators people type between thousands, and that a copied figure brings along.
SPACES = " \u00a0\u202f"
MINUSES = "-\u2212"
DIGITS = frozenset("0123456789")
# Longer than any amount the product takes (a billion with öre and "SEK" is 17 characters).
MAX_LENGTH = 40

_CURRENCY = re.compile(r"(?:kr|sek|:-)\Z", re.IGNORECASE)
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+\Z")


class AmountError(ValueError):
    """A typed amount that breaks a rule; ``code`` names the rule, the form says it in words."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _only_digits(text: str) -> bool:
    return bool(text) and set(text) <= DIGITS


def parse_amount(
    text: str, *, decimal_places: int, currency: bool = True, thousands: bool = True
) -> Decimal:
    """The exact amount ``text`` says, with at most ``decimal_places`` decimals.

    Refused (``AmountError.code``):
    - ``invalid``: nothing to read, letters or signs other than the ones below, a second
      minus, a mark without digits on both sides (``,5`` or ``12,``), too long;
    - ``digits``: digits other than 0–9 (``²``, ``٣``);
    - ``marks``: more than one decimal mark (``1.234,50``, ``1,234,567``);
    - ``grouping``: spaces that do not group the whole part in threes (``3 12000``);
    - ``ambiguous``: one mark followed by exactly three digits after a whole part of one to
      three digits (``1,234``: a thousand or one and a bit?), unless ``thousands`` is false
      (the field cannot reach a thousand, so a mark can only be decimal);
    - ``decimals``: more decimals than ``decimal_places`` (trailing zeros are no decimals:
      ``7,50`` is 7,5 hours).

    ``currency`` allows ``kr``/``SEK`` (any case, with or without a space) or ``:-`` at the
    end. The sign is read here; whether a negative amount is allowed is the caller's range.
    """
    typed = text.strip()
    if not typed or len(typed) > MAX_LENGTH:
        raise AmountError("invalid")
    if currency:
        typed = _CURRENCY.sub("", typed).rstrip(SPACES)
    negative = typed[:1] in MINUSES if typed else False
    if negative:
        typed = typed[1:]
    allowed = DIGITS | set(SPACES) | {",", "."}
    if not typed or not set(typed) <= allowed:
        if any(char.isdigit() and char not in DIGITS for char in typed):
            raise AmountError("digits")
        raise AmountError("invalid")
    marks = [char for char in typed if char in ",."]
    if len(marks) > 1:
        raise AmountError("marks")
    whole, mark, fraction = typed.partition(marks[0]) if marks else (typed, "", "")
    if mark and not _only_digits(fraction):
        raise AmountError("invalid")
    if _only_digits(whole):
        pass
    elif not whole or whole[0] in SPACES or whole[-1] in SPACES:
        raise AmountError("invalid")
    elif not _GROUPED.match(whole):
        raise AmountError("grouping")
    digits = "".join(char for char in whole if char in DIGITS)
    if thousands and len(fraction) == 3 and len(whole) <= 3 and digits.lstrip("0"):
        raise AmountError("ambiguous", typed=typed, thousands=f"{whole} {fraction}")
    amount = exact_amount(Decimal(f"{digits}.{fraction or '0'}"), decimal_places=decimal_places)
    return amount.copy_negate() if negative and amount else amount


def exact_amount(value: Decimal, *, decimal_places: int) -> Decimal:
    """``value`` with ``decimal_places`` decimals, refused if that would change it."""
    if not value.is_finite():
        raise AmountError("invalid")
    try:
        # Room for every digit that fits in MAX_LENGTH; beyond it a figure is no amount.
        with localcontext(prec=2 * MAX_LENGTH):
            amount = value.quantize(Decimal(1).scaleb(-decimal_places))
    except InvalidOperation as exc:
        raise AmountError("invalid") from exc
    if amount != value:
        raise AmountError("decimals")
    return amount


def format_amount(value: Decimal | int, decimal_places: int, *, space: str = "\u00a0") -> str:
    """``value`` the Swedish way: thousands grouped by ``space``, a decimal comma.

    ``format_amount(Decimal("312000.5"), 2)`` is ``312 000,50`` (with a no-break space, so a
    figure never breaks over two lines); what it prints, ``parse_amount`` reads back exactly.
    """
    amount = Decimal(value).quantize(Decimal(1).scaleb(-decimal_places))
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    sign = "-" if amount < 0 else ""
    return sign + space.join(groups) + (f",{fraction}" if fraction else "")
