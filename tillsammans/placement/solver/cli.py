"""``python -m tillsammans.placement solve PROBLEM.json [--time-limit SECONDS]``.

Writes the result as JSON to standard output. A file that cannot be solved as given gets one
line on standard error naming the problem, and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn

from .engine import solve
from .model import ProblemError, parse_problem


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m tillsammans.placement",
        description="Propose the best placement of households in units.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_command = commands.add_parser("solve", help="solve a problem file")
    solve_command.add_argument("problem", help="PROBLEM.json ('-' reads standard input)")
    solve_command.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds (default 60)"
    )
    args = parser.parse_args(argv)
    if not math.isfinite(args.time_limit) or args.time_limit <= 0:
        return _fail("--time-limit must be a positive number of seconds")
    try:
        if args.problem == "-":
            text = sys.stdin.read()
        else:
            with open(args.problem, encoding="utf-8") as file:
                text = file.read()
    except OSError as error:
        return _fail(f"cannot read {args.problem}: {error.strerror or error}")
    except UnicodeDecodeError:
        return _fail(f"{args.problem} is not UTF-8 text")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _fail(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
    except RecursionError:
        return _fail("malformed JSON: nested too deeply")
    try:
        problem = parse_problem(data)
        with _stdout_to_stderr():
            result = solve(problem, time_limit=args.time_limit)
    except ProblemError as error:
        return _fail(str(error))
    json.dump(result.to_json(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Keep standard output for the result: HiGHS 1.12 prints debug lines from C++."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _fail(message: str) -> int:
    sys.stderr.write(f"error: {message}\n")
    return 2
