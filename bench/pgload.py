"""The bench's SQLite databases loaded into PostgreSQL, kept as templates between runs.

    python bench/pgload.py bench/cache/leads-100000-<tag>.db     # → leadctl_bench_100k_<tag>

The schema is leadctl's own: the database is opened the way leadctl opens it (`open_store` on a
postgresql+psycopg:// URL runs the migrations), then every table of the SQLite file is copied in
with COPY, table by table, its secondary indexes and foreign-key checks off while the rows go in
(and rebuilt after), the sequences set past the copied ids, and ANALYZE run. The loaded database
is a template: a command that writes runs on a copy (`CREATE DATABASE … TEMPLATE`, a file copy),
so the template itself is only ever read. It is named after the size and the cache tag of the
SQLite file (`leadctl_bench_<size>k_<tag>`): a database of that name is complete (loading goes
into a `…_loading` one, renamed at the end) and is not loaded again.

Set LEADCTL_BENCH_PG to reach another server (default postgresql://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import time
from pathlib import Path

SERVER = os.environ.get("LEADCTL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PREFIX = "leadctl_bench_"
WORK_PREFIX = PREFIX + "work_"  # copies a run writes to, dropped at its end
SKIP = {"alembic_version"}  # the migrations wrote it
BATCH = 50_000


def psycopg_url(name: str) -> str:
    return f"{SERVER}/{name}"


def leadctl_url(name: str) -> str:
    """The URL leadctl is given (LEADCTL_DB or --db)."""
    return psycopg_url(name).replace("postgresql://", "postgresql+psycopg://", 1)


def admin():
    import psycopg

    return psycopg.connect(psycopg_url("postgres"), autocommit=True)


def template_name(sqlite_db: Path) -> str:
    """leads-100000-7b1c942c.db → leadctl_bench_100k_7b1c942c"""
    match = re.fullmatch(r"leads-(\d+)-([0-9a-f]+)\.db", sqlite_db.name)
    if not match:
        raise SystemExit(f"pgload: {sqlite_db.name} is not a bench database (leads-N-tag.db)")
    size, tag = int(match.group(1)), match.group(2)
    return f"{PREFIX}{size // 1000}k_{tag}"


def exists(name: str) -> bool:
    with admin() as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            is not None
        )


def drop(name: str) -> None:
    from psycopg import sql

    with admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def copy_of(template: str, name: str) -> str:
    """A fresh database `name` made from `template` (a file copy: seconds, not a reload)."""
    from psycopg import sql

    drop(name)
    with admin() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return name


def ensure_loaded(sqlite_db: Path, env: dict[str, str]) -> str:
    """The template of `sqlite_db`, loaded first if there is none; its name."""
    name = template_name(sqlite_db)
    if exists(name):
        return name
    # the templates of an older schema or generator (another tag) go: gigabytes at 1M
    size_prefix = name.rsplit("_", 1)[0] + "_"
    with admin() as conn:
        stale = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (size_prefix + "%",)
            )
        ]
    for old in stale:
        drop(old)
    print(f"loading {sqlite_db.name} into PostgreSQL as {name} …", flush=True)
    started = time.perf_counter()
    load(sqlite_db, name, env)
    print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return name


def load(sqlite_db: Path, name: str, env: dict[str, str]) -> None:
    import psycopg
    from psycopg import sql

    from leadctl.settings import load_settings
    from leadctl.store.engine import open_store

    loading = name + "_loading"
    drop(loading)
    with admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(loading)))
    # leadctl's own schema: its migrations, run by opening the store as every command does
    open_store(load_settings(env, db=leadctl_url(loading))).close()

    source = sqlite3.connect(f"file:{sqlite_db}?mode=ro", uri=True)
    tables = [
        row[0]
        for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in SKIP and not row[0].startswith("sqlite_")
    ]
    with psycopg.connect(psycopg_url(loading)) as conn:
        conn.execute("SET TIME ZONE 'UTC'")  # SQLite keeps instants as naive UTC text
        conn.execute("SET session_replication_role = replica")  # no FK trigger per row
        conn.execute("SET maintenance_work_mem = '256MB'")
        # secondary indexes are built once after the rows, not row by row (keys stay)
        indexes = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = "
            "i.indexname)"
        ).fetchall()
        for index, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index)))
        # the rows the migrations wrote (settings) go: the file's own come instead
        conn.execute(
            sql.SQL("TRUNCATE {} CASCADE").format(sql.SQL(", ").join(map(sql.Identifier, tables)))
        )
        for table in tables:
            pg_columns = {
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = %s",
                    (table,),
                )
            }
            columns = [
                row[1]
                for row in source.execute(f'PRAGMA table_info("{table}")')
                if row[1] in pg_columns
            ]
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            types = conn.execute(
                sql.SQL("SELECT {} FROM {} LIMIT 0").format(
                    sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table)
                )
            ).description
            booleans = [i for i, d in enumerate(types or []) if d.type_code == 16]  # bool oid
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute(f'SELECT {quoted} FROM "{table}"')
            count = 0
            with conn.cursor().copy(statement) as copy:
                while batch := rows.fetchmany(BATCH):
                    for row in batch:
                        if booleans:  # SQLite's 0/1
                            row = list(row)
                            for i in booleans:
                                if row[i] is not None:
                                    row[i] = bool(row[i])
                        copy.write_row(row)
                    count += len(batch)
            print(f"  {table}: {count:,} rows", flush=True)
        conn.execute("SET session_replication_role = origin")
        for _, definition in indexes:
            conn.execute(definition)
        # the serial ids go on after the copied ones
        with_id = conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND column_name = 'id'"
        ).fetchall()
        for (table,) in with_id:
            serial = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()
            if serial and serial[0]:
                conn.execute(
                    sql.SQL(
                        "SELECT setval(%s, coalesce((SELECT max(id) FROM {}), 0) + 1, false)"
                    ).format(sql.Identifier(table)),
                    (serial[0],),
                )
        conn.commit()
    source.close()
    with psycopg.connect(psycopg_url(loading), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # stats for the planner, and the visibility map
    with admin() as conn:
        conn.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(loading), sql.Identifier(name)
            )
        )


def drop_work_databases() -> None:
    """Every copy a run made (a run that was killed leaves its copies behind)."""
    with admin() as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (WORK_PREFIX + "%",)
            )
        ]
    for name in names:
        drop(name)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate

    db = Path(sys.argv[1])
    env = {**os.environ, **generate.bench_env(db.with_suffix(".no-config.toml"))}
    print(ensure_loaded(db, env))
