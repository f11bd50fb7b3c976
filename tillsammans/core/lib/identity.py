"""Swedish personal identity and coordination numbers.

Most people under temporary protection have neither at first; a number is optional, can
change, and is never used as a key. Stored as 12 digits (YYYYMMDDNNNC). The check digit is
the Luhn digit of the last 10 digits. A coordination number (samordningsnummer) has the day
of birth plus 60. In the 10-digit form, ``+`` replaces ``-`` from the year a person turns 100.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_coordination_number(number: str) -> bool:
    return int(number[6:8]) > 60


def birth_date_of(number: str) -> dt.date:
    day = int(number[6:8])
    if day > 60:
        day -= 60
    return dt.date(int(number[0:4]), int(number[4:6]), day)


def normalise_swedish_id(raw: str, today: dt.date | None = None) -> str:
    """Return the 12-digit form or raise ValidationError with a message for the user."""
    today = today or timezone.localdate()
    text = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            _("Write the number as YYYYMMDD-NNNN or YYMMDD-NNNN."), code="id_format"
        )
    century, short_date, separator, tail = match.groups()
    if century:
        if separator == "+":
            raise ValidationError(
                _("The + sign is used only with the 10-digit form (YYMMDD+NNNN)."),
                code="id_format",
            )
        number = century + short_date + tail
    else:
        year2 = int(short_date[:2])
        year = (today.year // 100) * 100 + year2
        month_day = short_date[2:]
        if year > today.year or (year == today.year and month_day > today.strftime("%m%d")):
            year -= 100
        if separator == "+":
            year -= 100
        number = f"{year:04d}{short_date[2:]}{tail}"
    try:
        born = birth_date_of(number)
    except ValueError as exc:
        raise ValidationError(_("The date in the number does not exist."), code="id_date") from exc
    if born > today:
        raise ValidationError(_("The date in the number is in the future."), code="id_date")
    if not luhn_ok(number[2:]):
        raise ValidationError(
            _("The check digit does not match; check the number for a typo."), code="id_checksum"
        )
    return number


def mask_swedish_id(number: str) -> str:
    """Show the date part only: 19850312-****."""
    if not number:
        return ""
    return f"{number[:8]}-****"


def ten_digit_form(number: str, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    born = birth_date_of(number)
    turned_100 = (today.year - born.year) >= 100
    return f"{number[2:8]}{'+' if turned_100 else '-'}{number[8:]}"
