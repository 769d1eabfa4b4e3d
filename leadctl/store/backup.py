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
from leadctl.i18n import _
from leadctl.store.engine import Store


def backup_sqlite(store: Store, target: Path) -> Path:
    if store.dialect != "sqlite":
        raise LeadctlError(
            _(
                "backup copies a SQLite database; on PostgreSQL use pg_dump "
                "(e.g. pg_dump -Fc -f leads.dump DBNAME) and pg_restore to restore."
            )
        )
    target = target.expanduser()
    if os.path.lexists(target):
        raise LeadctlError(_exists(target))
    folder = target.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except FileNotFoundError:
        raise LeadctlError(_("The folder {folder} does not exist.").format(folder=folder)) from None
    except ValueError:  # a NUL in the name: no file system takes it
        raise LeadctlError(
            _("{name!r} is not a usable file name.").format(name=str(target))
        ) from None
    except OSError as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _("Cannot write to the folder {folder}: {reason}.").format(
                folder=folder, reason=exc.strerror
            )
        ) from None
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
            # the backup API copies pages as they are: a damaged page makes a damaged copy
            problems = [row[0] for row in dest.execute("PRAGMA integrity_check(5)")]
        finally:
            dest.close()
            source.close()
    except sqlite3.Error as exc:
        if "full" in str(exc):
            # TRANSLATORS: {reason} is SQLite's own message, in English
            message = _(
                "Backup of {label} failed ({reason}); nothing was written: free some disk space "
                "and try again."
            )
        else:
            # TRANSLATORS: {reason} is SQLite's own message, in English
            message = _(
                "Backup of {label} failed ({reason}); nothing was written: check the target "
                "folder and try again."
            )
        raise DatabaseUnavailable(message.format(label=store.label, reason=exc)) from None
    if problems != ["ok"]:
        raise DatabaseUnavailable(
            # TRANSLATORS: {reason} is SQLite's own integrity check, in English
            _(
                "The database {label} is damaged ({reason}); no backup was written: restore "
                "it from an earlier backup, or ask an administrator to recover it with "
                "sqlite3's .recover."
            ).format(label=store.label, reason="; ".join(problems))
        )


def _publish(temp: Path, target: Path) -> None:
    """Give the finished copy its name, never replacing a file that appeared meanwhile."""
    try:
        os.link(temp, target)  # fails if target exists: no overwrite, whatever the timing
        return
    except FileExistsError:
        raise LeadctlError(_exists(target)) from None
    except OSError:
        pass  # a file system without hard links: claim the name, then move the copy onto it
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise LeadctlError(_exists(target)) from None
    except OSError as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _("Cannot create {path}: {reason}.").format(path=target, reason=exc.strerror)
        ) from None
    os.replace(temp, target)


def _exists(target: Path) -> str:
    """The refusal of a backup file name already taken."""
    return _("{path} already exists; choose a new file name for the backup.").format(path=target)
