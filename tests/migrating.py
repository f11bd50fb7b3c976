"""Migrating the test database to a given state and back, for tests of a migration's data step
(with ``pytest.mark.django_db(transaction=True)``: migrations cannot run in a rolled-back
transaction)."""

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets``; the apps registry of that state, for its historical models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Back to the schema the other tests expect."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
