"""Bulk writes of captured leads (`add` and `import`): the driver's executemany with values converted once beforehand.

Kept in store/ because it is the one place that speaks to the driver directly: the INSERT is
compiled by SQLAlchemy for the connection's dialect (its own placeholders and quoting), and
PostgreSQL's id sequence is moved past explicitly given ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Table, TableClause, func, select, text
from sqlalchemy.engine import Connection, Dialect

from leadctl.domain.cadence import SCHEDULE_COLUMNS
from leadctl.domain.capture import NewLead
from leadctl.domain.search import digits_reversed
from leadctl.store.tables import EVENT_TABLE, LEAD_KEY_TABLE, LEAD_TABLE, PHONE_TABLE


def insert_rows(
    connection: Connection, table: TableClause, columns: Sequence[str], rows: list[tuple[Any, ...]]
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


# every column a captured lead is written with; the rest keep their defaults (NULL)
LEAD_COLUMNS = (
    "id", "customer", "customer_key", "customer_type", "contact", "email", "wechat", "source",
    "need", "acquired_on", "owner", "status", "grade", "grade_reason", "graded_at", "graded_by",
    "grade_set_at", "grade_confirmed_at", "grade_confirmed_by", "ungraded_since",
    "unanswered_streak", *SCHEDULE_COLUMNS, "search_text", "created_at", "updated_at",
)  # fmt: skip
PHONE_COLUMNS = ("lead_id", "e164", "position", "digits_reversed")
EVENT_COLUMNS = ("lead_id", "at", "by", "event", "details")
KEY_COLUMNS = ("key", "lead_id")


def _converter(column: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column type's own conversion for this driver (e.g. SQLite's date and UTC text),
    computed once per distinct value: captured leads share few distinct days and instants."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    seen: dict[Any, Any] = {None: None}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = done = process(value)
            return done

    return convert


def write_leads(
    connection: Connection,
    leads: Iterable[NewLead],
    first_id: int,
    *,
    at: datetime,
    by: str,
    chunk: int = 10_000,
    tick: Callable[[int], None] | None = None,
) -> None:
    """Insert captured leads with ids from `first_id`: rows, phones, history and find's keys,
    in batches (the caller holds the leads lock and moves the id sequence afterwards)."""
    dialect = connection.dialect
    converters = [
        (i, conv)
        for i, name in enumerate(LEAD_COLUMNS)
        if (conv := _converter(LEAD_TABLE.c[name], dialect)) is not None
    ]
    when = _converter(EVENT_TABLE.c.at, dialect)
    event_at = when(at) if when else at
    encoded: dict[tuple[str, Any], str] = {}  # history details repeat: encode each once
    columns = LEAD_COLUMNS[1:]
    pending = iter(leads)
    start = 0
    while batch := list(islice(pending, chunk)):
        if tick is not None:
            tick(start)
        rows: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        keys: list[tuple[str, int]] = []
        for lead_id, lead in enumerate(batch, first_id + start):
            fields = lead.fields
            values = [lead_id, *[fields.get(name) for name in columns]]
            for i, conv in converters:
                values[i] = conv(values[i])
            rows.append(tuple(values))
            phones.extend(
                (lead_id, e164, position, digits_reversed(e164))
                for position, e164 in enumerate(lead.phones)
            )
            keys.extend((key, lead_id) for key in lead.keys)
            for entry in lead.entries:
                if "note" in entry.details:  # a lead's own note: nothing to share
                    details = entry.encoded()
                else:
                    key = (entry.event, tuple(entry.details.items()))
                    shared = encoded.get(key)
                    if shared is None:
                        shared = encoded[key] = entry.encoded()
                    details = shared
                events.append((lead_id, event_at, by, entry.event, details))
        insert_rows(connection, LEAD_TABLE, LEAD_COLUMNS, rows)
        insert_rows(connection, PHONE_TABLE, PHONE_COLUMNS, phones)
        insert_rows(connection, EVENT_TABLE, EVENT_COLUMNS, events)
        insert_rows(connection, LEAD_KEY_TABLE, KEY_COLUMNS, keys)
        start += len(batch)
    if tick is not None:
        tick(start)
