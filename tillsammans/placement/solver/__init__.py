"""The placement engine: pure Python on numpy, SciPy and HiGHS, with no Django import.

See README.md in this folder for the problem, the file format and the method.

The names below are loaded on first use: the engine pulls in SciPy and HiGHS (most of a
second), which the application's models, reading only ``MAX_FIT``, must not pay for at
start-up.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .constants import MAX_FIT, PERSON_VALUE, UNBOUNDED

if TYPE_CHECKING:
    from .engine import solve
    from .model import (
        Assignment,
        Household,
        Problem,
        ProblemError,
        Result,
        Unit,
        Unplaced,
        allowed_pairs,
        parse_problem,
    )

_WHERE = {
    "solve": ".engine",
    "Assignment": ".model",
    "Household": ".model",
    "Problem": ".model",
    "ProblemError": ".model",
    "Result": ".model",
    "Unit": ".model",
    "Unplaced": ".model",
    "allowed_pairs": ".model",
    "parse_problem": ".model",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name], __name__), name)


__all__ = [
    "MAX_FIT",
    "PERSON_VALUE",
    "UNBOUNDED",
    "Assignment",
    "Household",
    "Problem",
    "ProblemError",
    "Result",
    "Unit",
    "Unplaced",
    "allowed_pairs",
    "parse_problem",
    "solve",
]
