"""The placement engine: pure Python on numpy, SciPy and HiGHS, with no Django import.

See README.md in this folder for the problem, the file format and the method.
"""

from .engine import solve
from .model import (
    MAX_FIT,
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

__all__ = [
    "MAX_FIT",
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
