"""Alembic migrations, run in-process when a database is blank or older than this program."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from leadctl.store.engine import LOCK_LEADS, translate_errors

if TYPE_CHECKING:
    from leadctl.store.engine import Store

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(store: Store, progress: Callable[[str, int, int], None] | None = None) -> None:
    """Bring the schema to head inside one write transaction (concurrent first runs wait);
    a migration that fills rows (0004) reports its progress."""
    engine = store.engine.execution_options(leadctl_write=True)
    with translate_errors(store.label), engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_LEADS})
        upgrade_in(conn, progress)


def upgrade_in(conn: Connection, progress: Callable[[str, int, int], None] | None = None) -> None:
    """Bring the schema to head inside the caller's transaction on `conn`."""
    config = alembic_config()
    config.attributes["connection"] = conn
    config.attributes["progress"] = progress
    command.upgrade(config, "head")
