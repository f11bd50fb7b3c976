"""SSYK 2012 as shipped with the app (data/ssyk2012.csv): 429 four-digit unit groups."""

import csv
from functools import cache
from pathlib import Path

CSV = Path(__file__).resolve().parent / "data" / "ssyk2012.csv"


@cache
def rows() -> tuple[tuple[str, str, str], ...]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            (row["code"], row["name_sv"], row["name_en"]) for row in csv.DictReader(handle)
        )


def codes_starting_with(prefix: str) -> list[str]:
    return [code for code, _sv, _en in rows() if code.startswith(prefix)]


def ensure_loaded() -> None:
    """Put the table back where a test database was flushed (the data migration filled it)."""
    from .models import Occupation

    Occupation.objects.bulk_create(
        [Occupation(code=code, name_sv=sv, name_en=en) for code, sv, en in rows()],
        ignore_conflicts=True,
    )
