"""Insert many new rows at once, faster than ``bulk_create``; read many without the ORM.

``bulk_create`` compiles one INSERT with a placeholder per value, and at ten thousand rows
that compilation costs more than the database's own work. Here the primary keys are taken
first (a sequence on PostgreSQL; on SQLite the write lock of the IMMEDIATE transaction makes
``MAX(id)`` safe), and the rows go in through COPY on PostgreSQL and ``executemany`` on
SQLite. Values are prepared by each field, as the ORM would. Call it inside a transaction.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection, connections, models


def insert_many[M: models.Model](model: type[M], objects: Sequence[M]) -> Sequence[M]:
    if not objects:
        return objects
    meta = model._meta
    quote = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    table = quote(meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    pk_column = str(meta.pk.column)
    if not connection.in_atomic_block:
        # Outside a transaction another writer could take the same keys on SQLite.
        raise RuntimeError("insert_many must run inside a transaction")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk_column, len(objects)],
            )
            keys = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk_column)}), 0) FROM {table}")  # noqa: S608
            first = cursor.fetchone()[0] + 1
            keys = list(range(first, first + len(objects)))
        for obj, key in zip(objects, keys, strict=True):
            obj.pk = key
        rows = (
            [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            for obj in objects
        )
        if connection.vendor == "postgresql":
            # Names come from the model; values travel as COPY data.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))  # noqa: S608
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def plain_rows(queryset: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset as the database driver returns them, without
    the ORM's per-value converters (which cost more than the query itself at a million rows).

    Only for plain columns: the drivers give dates, booleans and numbers of declared columns
    their Python types themselves (Django registers SQLite's converters by declared type);
    an expression's value would come back as the driver has it.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10_000):
            yield from rows
