"""`leadctl copy --to`: every row of a leadctl database into an empty one, in one transaction.

The source is read in one snapshot (a read transaction; REPEATABLE READ on PostgreSQL), so a
rep writing meanwhile cannot make the copy half old, half new. The target is checked empty,
brought to this program's schema by the migrations, and filled table by table in foreign-key
order with Core statements — each dialect's own types on both sides, a batch at a time, ids kept
as they are (lead numbers, history and undo records refer to them). PostgreSQL's sequences are
then moved past the copied ids, and the rows of every table are counted in the target against
the source's before the one commit: a copy that fails, or counts wrong, leaves the target as it
was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy import Table, delete, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from leadctl.errors import DatabaseUnavailable, LeadctlError
from leadctl.i18n import N_, _, _p
from leadctl.store.bulk import after_explicit_ids, next_id
from leadctl.store.engine import KNOWN_REVISIONS, LOCK_LEADS, Store, newer_schema, translate_errors
from leadctl.store.tables import SETTING_TABLE

COPY_BATCH = 5_000  # rows read and inserted at a time
# the progress stage: "Copying all of 230,262 rows into …" (shown with _() where it is drawn)
COPYING = N_("Copying all")
# what each table holds, in people's words, in the order people read them (messages, reports);
# shown with _()
HOLDS = {
    "lead": N_("leads"),
    "phone": N_("phones"),
    "follow_up": N_("follow-ups"),
    "opportunity": N_("opportunities"),
    "outcome": N_("outcomes"),
    "event": N_("history entries"),
    "lead_change": N_("changes undo can take back"),
    "lead_key": N_("find keys"),
    "member": N_("team members"),
    "setting": N_("settings"),
    "wake_run": N_("wake runs"),
}


def copy_tables(
    source: Store,
    target: Store,
    *,
    own_settings: Collection[str],
    progress: Callable[[str, int, int], None] | None = None,
) -> list[tuple[str, int]]:
    """Copy every table of `source` into the empty `target`; returns (table, rows) in HOLDS
    order. `own_settings`: `setting` keys leadctl writes into any database it opens (the due
    days' basis): a target holding only those is still empty, and takes the source's."""
    tables = list(SQLModel.metadata.sorted_tables)  # parents before children
    with (
        translate_errors(source.label),
        source.engine.connect() as reading,
    ):
        if source.dialect == "postgresql":  # one snapshot for every table
            reading.execution_options(isolation_level="REPEATABLE READ")
        with reading.begin():
            counts = {table.name: _count(reading, table) for table in tables}
            total = sum(counts.values())
            writing = target.engine.execution_options(leadctl_write=True)
            with translate_errors(target.label), writing.begin() as out:
                if target.dialect == "postgresql":  # no other leadctl writes meanwhile
                    out.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_LEADS})
                _make_ready(out, target.label, own_settings)
                done = 0
                if progress:
                    progress(COPYING, 0, total)
                for table in tables:
                    done = _copy_rows(reading, out, table, done, total, progress)
                    if "id" in table.c and table.c.id.primary_key and counts[table.name]:
                        after_explicit_ids(out, table, next_id(out, table) - 1)
                copied = {table.name: _count(out, table) for table in tables}
                if copied != counts or done != total:
                    wrong = [name for name in counts if copied[name] != counts[name]]
                    raise DatabaseUnavailable(
                        _(
                            "The copy into {label} did not count the same rows as the source "
                            "({tables}); nothing was written. Try again."
                        ).format(label=target.label, tables=_listed(wrong) or _("rows read"))
                    )
    return [(name, counts[name]) for name in _reading_order(counts)]


def holds(table: str) -> str:
    """What `table` holds, in people's words and the interface's language."""
    return _(HOLDS[table]) if table in HOLDS else table


def _listed(items: list[str]) -> str:
    # TRANSLATORS: what separates the items of a list in a sentence ("leads (3), phones (4)")
    return _p("list", ", ").join(items)


def _reading_order(names: Collection[str]) -> list[str]:
    order = list(HOLDS)
    return sorted(
        names, key=lambda name: (order.index(name) if name in order else len(order), name)
    )


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _copy_rows(
    reading: Connection,
    out: Connection,
    table: Table,
    done: int,
    total: int,
    progress: Callable[[str, int, int], None] | None,
) -> int:
    rows = reading.execute(
        select(table).order_by(*table.primary_key.columns).execution_options(yield_per=COPY_BATCH)
    )
    for batch in rows.mappings().partitions():
        out.execute(table.insert(), [dict(row) for row in batch])
        done += len(batch)
        if progress:
            progress(COPYING, done, total)
    return done


def _make_ready(out: Connection, label: str, own_settings: Collection[str]) -> None:
    """Refuse a target that holds anything; bring an empty one to this program's schema."""
    names = set(inspect(out).get_table_names())
    ours = set(SQLModel.metadata.tables) | {"alembic_version"}
    if names and (names - ours or "alembic_version" not in names):
        foreign = sorted(names - ours) or sorted(names)
        shown = _listed(foreign[:5] + (["…"] if len(foreign) > 5 else []))
        raise LeadctlError(
            _(
                "{label} is not empty: it already holds tables ({tables}). Copy into a new, "
                "empty database; nothing was copied."
            ).format(label=label, tables=shown)
        )
    if names:
        revision = out.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseUnavailable(newer_schema(label, revision))
    from leadctl.store.migrate import upgrade_in

    upgrade_in(out)
    held = []
    for name in _reading_order(SQLModel.metadata.tables):
        table = SQLModel.metadata.tables[name]
        query = select(func.count()).select_from(table)
        if table is SETTING_TABLE:
            query = query.where(SETTING_TABLE.c.key.not_in(list(own_settings)))
        rows = int(out.execute(query).scalar_one())
        if rows:
            what = holds(table.name)
            # TRANSLATORS: one item of "… is not empty: it holds leads (1,204), phones (1,311)"
            held.append(_("{what} ({rows})").format(what=what, rows=f"{rows:,}"))
    if held:
        raise LeadctlError(
            _(
                "{label} is not empty: it holds {held}. Copy into a new, empty "
                "database; nothing was copied."
            ).format(label=label, held=_listed(held))
        )
    out.execute(delete(SETTING_TABLE).where(SETTING_TABLE.c.key.in_(list(own_settings))))


def same_database(one: Store, other: Store) -> bool:
    """Whether two stores reach the same database (the same file, or server and database)."""
    import os

    if one.dialect != other.dialect:
        return False
    a, b = one.engine.url, other.engine.url
    if one.dialect == "sqlite":
        try:
            return os.path.samefile(str(a.database), str(b.database))
        except OSError:
            return False
    return (a.host, a.port or 5432, a.database) == (b.host, b.port or 5432, b.database)
