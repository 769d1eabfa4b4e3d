"""`leadctl backup`: a consistent copy of a SQLite database while others write.

The copy is written under a temporary name beside the target (mode 0600 from the start) and
appears under its own name only once complete: a backup interrupted by a crash or a full disk
never leaves a truncated file that looks like a backup, and an existing file is never replaced.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
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
    if os.path.lexists(target):
        raise LeadctlError(f"{target} already exists; choose a new file name for the backup.")
    folder = target.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except FileNotFoundError:
        raise LeadctlError(f"The folder {folder} does not exist.") from None
    except ValueError:  # a NUL in the name: no file system takes it
        raise LeadctlError(f"{str(target)!r} is not a usable file name.") from None
    except OSError as exc:
        raise LeadctlError(f"Cannot write to the folder {folder}: {exc.strerror}.") from None
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o600)  # mkstemp's mode already; said once more, whatever the platform
        os.close(fd)
        _copy(store, temp)
        _publish(temp, target)
    finally:  # the temporary copy and any journal SQLite left beside it on a failure
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
    return target


def _copy(store: Store, temp: Path) -> None:
    source_path = store.engine.url.database
    assert source_path is not None
    try:
        source = sqlite3.connect(source_path, timeout=30)
        dest = sqlite3.connect(temp)
        try:
            # the online backup API copies a consistent snapshot even while others write; in
            # one step (one read transaction: in WAL it blocks no writer), so a busy writer
            # cannot make it restart again and again
            source.backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dest.close()
            source.close()
    except sqlite3.Error as exc:
        hint = "free some disk space" if "full" in str(exc) else "check the target folder"
        raise DatabaseUnavailable(
            f"Backup of {store.label} failed ({exc}); nothing was written: {hint} and try again."
        ) from None


def _publish(temp: Path, target: Path) -> None:
    """Give the finished copy its name, never replacing a file that appeared meanwhile."""
    try:
        os.link(temp, target)  # fails if target exists: no overwrite, whatever the timing
        return
    except FileExistsError:
        raise LeadctlError(
            f"{target} already exists; choose a new file name for the backup."
        ) from None
    except OSError:
        pass  # a file system without hard links: claim the name, then move the copy onto it
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise LeadctlError(
            f"{target} already exists; choose a new file name for the backup."
        ) from None
    except OSError as exc:
        raise LeadctlError(f"Cannot create {target}: {exc.strerror}.") from None
    os.replace(temp, target)
