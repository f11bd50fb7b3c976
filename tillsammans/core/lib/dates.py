import datetime as dt

ADULT_AGE = 18


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
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first day of the month and the first day of the next (exclusive)."""
    return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1)
