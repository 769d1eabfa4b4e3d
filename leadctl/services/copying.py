"""`leadctl copy --to URL`: the database in use, every row of it, into a new, empty one — how a
rep's private SQLite file becomes the team's PostgreSQL database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from leadctl.errors import LeadctlError
from leadctl.i18n import _
from leadctl.services.common import Ctx
from leadctl.services.schedule import BASIS, CALENDAR_BASIS
from leadctl.store.copying import copy_tables, same_database
from leadctl.store.engine import connect, is_postgres_url, sqlite_file


def copy_database(ctx: Ctx, to: str) -> dict[str, Any]:
    """Copy every table into the database `to` names (a URL or a file path), which must be
    empty; returns the `copy` document: from, to, rows, tables [{table, rows}]."""
    to = to.strip()
    if not to:
        raise LeadctlError(_("--to is empty: give a postgresql+psycopg://… URL or a new file."))
    source = ctx.store  # a named file that does not exist is refused: nothing to copy
    new_file = None if is_postgres_url(to) else sqlite_file(to)
    if new_file is not None and os.path.lexists(new_file):
        new_file = None  # not ours to remove if the copy fails
    target = connect(to, ctx.settings.lock_timeout, named_by="--to")
    try:
        if same_database(source, target):
            raise LeadctlError(
                _("{database} is the database you copy from: give --to a new, empty one.").format(
                    database=target.label
                )
            )
        tables = copy_tables(
            source, target, own_settings=(BASIS, CALENDAR_BASIS), progress=ctx.progress
        )
    except BaseException:
        target.close()
        if new_file is not None:
            _remove(new_file)
        raise
    target.close()
    return {
        "from": source.label,
        "to": target.label,
        "rows": sum(rows for _, rows in tables),
        "tables": [{"table": name, "rows": rows} for name, rows in tables],
    }


def _remove(path: Path) -> None:
    """A file this copy created, and what SQLite left beside it: the target stays as it was."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
