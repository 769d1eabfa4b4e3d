"""Bulk writes for import: the driver's executemany with values converted once beforehand.

Kept in store/ because it is the one place that speaks to the driver directly: the INSERT is
compiled by SQLAlchemy for the connection's dialect (its own placeholders and quoting), and
PostgreSQL's id sequence is moved past explicitly given ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT `rows` (tuples in `columns` order, already in the driver's types) in one batch."""
    if not rows:
        return
    compiled = table.insert().compile(dialect=connection.dialect, column_keys=list(columns))
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        batch: list[Any] = rows if order == list(range(len(columns))) else [
            tuple(row[i] for i in order) for row in rows
        ]  # fmt: skip
    else:  # named placeholders (psycopg): one dict a row
        batch = [dict(zip(columns, row, strict=True)) for row in rows]
    connection.exec_driver_sql(str(compiled), batch)


def next_id(connection: Connection, table: Table) -> int:
    """The id after the highest in `table` (the caller holds the table's write lock)."""
    return int(connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def after_explicit_ids(connection: Connection, table: Table, last_id: int) -> None:
    """Ids were given explicitly: move PostgreSQL's sequence past them so `add` never collides."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
            {"table": table.name, "last": last_id},
        )
