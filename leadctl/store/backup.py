"""`leadctl backup`: a consistent copy of a SQLite database while others write."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from leadctl.errors import DatabaseUnavailable, LeadctlError
from leadctl.store.engine import Store


def backup_sqlite(store: Store, target: Path) -> Path:
    if store.dialect != "sqlite":
        raise LeadctlError(
            "backup copies a SQLite database; on PostgreSQL use pg_dump "
            "(e.g. pg_dump -Fc -f leads.dump DBNAME) and pg_restore to restore."
        )
    target = target.expanduser()
    if target.exists():
        raise LeadctlError(f"{target} already exists; choose a new file name for the backup.")
    if not target.parent.is_dir():
        raise LeadctlError(f"The folder {target.parent} does not exist.")
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise LeadctlError(f"Cannot create {target}: {exc.strerror}.") from None
    os.close(fd)
    source_path = store.engine.url.database
    assert source_path is not None
    try:
        source = sqlite3.connect(source_path, timeout=30)
        dest = sqlite3.connect(target)
        try:
            # the online backup API copies a consistent snapshot even while others write
            source.backup(dest, pages=1024)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
            source.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"Backup of {store.label} failed: {exc}.") from None
    os.chmod(target, 0o600)
    return target
