"""How a person's name is put together for display, shared by the model and the pages."""

import re


def name_with_spelling(written: str, latin: str) -> str:
    """A name as written with its passport spelling, the parentheses only around a spelling
    that is there and says something the written name does not: "Оксана Мельник (Oksana
    Melnyk)", "Oksana Melnyk", never "Оксана Мельник ()"."""
    if latin and latin != written:
        return f"{written} ({latin})"
    return written


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders numbers inside names by value, as a reader expects: "Rum 2"
    before "Rum 10", "Lgh 9" before "Lgh 10"; letters compared without case."""

    return tuple(
        # isdecimal, not isdigit: "²" is a digit that int() refuses (core.lib.params).
        (0, int(part)) if part.isdecimal() else (1, part.casefold())
        for part in re.split(r"(\d+)", name)
        if part
    )
