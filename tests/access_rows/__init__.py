"""Access-matrix rows of the later apps: one module per app, each with a list named ROWS."""

import importlib
import pkgutil

from tests.access import Row


def collect() -> list[Row]:
    rows: list[Row] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        rows += importlib.import_module(f"{__name__}.{module.name}").ROWS
    return rows
