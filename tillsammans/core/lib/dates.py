import datetime as dt
import re
from dataclasses import dataclass

from django.utils.formats import date_format

ADULT_AGE = 18


@dataclass(frozen=True)
class DateRange:
    """The dates a field accepts: from ``earliest`` to 31 December ``years_ahead`` years after
    the current year, or up to today when ``years_ahead`` is None."""

    earliest: dt.date
    years_ahead: int | None

    def bounds(self, today: dt.date) -> tuple[dt.date, dt.date]:
        if self.years_ahead is None:
            return self.earliest, today
        return self.earliest, dt.date(today.year + self.years_ahead, 12, 31)

    def holds(self, day: dt.date, today: dt.date) -> bool:
        earliest, latest = self.bounds(today)
        return earliest <= day <= latest


# What the partnership records and plans (moves, proposals, deliveries, reports, agreements,
# permits, months): nothing it holds happened before 2000, nothing is planned further ahead
# than ten years. A year 1 or 9999 is a typo, and would overflow the services' arithmetic.
OPERATIONAL = DateRange(dt.date(2000, 1, 1), years_ahead=10)
# A date of birth: not before 1900, not in the future.
BIRTH = DateRange(dt.date(1900, 1, 1), years_ahead=None)

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_month(text: str) -> dt.date | None:
    """The first day of a month written YYYY-MM in ASCII digits, or None."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not int(match[1]) >= 1 or not 1 <= int(match[2]) <= 12:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def parse_date(text: str) -> dt.date | None:
    """A date written YYYY-MM-DD in ASCII digits that exists (no 30 February), or None."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held at the first or last date there is instead of
    overflowing."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on ``day``; someone born on 29 February ages on 1 March."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def birthday_in_year(birth_date: dt.date, year: int) -> dt.date:
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and the following Monday (exclusive) of the ISO week holding ``day``."""
    monday = add_days(day, -day.weekday())
    return monday, add_days(monday, 7)


def add_months(first: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first day of the month and the first day of the next (exclusive).

    December 9999 has no next month; its end is held at the last date there is.
    """
    first = dt.date(year, month, 1)
    if (year, month) == (dt.MAXYEAR, 12):
        return first, dt.date.max
    return first, dt.date(year + month // 12, month % 12 + 1, 1)


def long_date(day: dt.date) -> str:
    """A date as a sentence says it: "1 augusti 2022", "1 серпня 2022"."""
    return date_format(day, "j E Y")
