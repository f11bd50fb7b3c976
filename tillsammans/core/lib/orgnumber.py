"""Swedish organisation numbers (organisationsnummer), as Bolagsverket and Skatteverket give
them: ten digits written ``NNNNNN-NNNN``, the last a Luhn check digit over the nine before it,
the third digit 2 or more for a legal person (a municipality is 21xxxx, a non-profit
association 80xxxx or 88xxxx). Typed with or without the hyphen, with spaces, or with the
century prefix ``16`` that some registers add."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-‐‑–]")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise(text: str) -> str:
    """The number as ``NNNNNN-NNNN``, or ValidationError with what is wrong, in words."""
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        raise ValidationError(
            _("Write the organisation number as ten digits, for example 212000-1355."),
            code="orgnumber_format",
        )
    if int(digits[2]) < 2:
        raise ValidationError(
            _("This is a personal identity number, not an organisation's number."),
            code="orgnumber_person",
        )
    if not luhn_ok(digits):
        raise ValidationError(
            _("This organisation number's check digit is wrong: check it for a typing error."),
            code="orgnumber_check",
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate(text: str) -> None:
    normalise(text)
