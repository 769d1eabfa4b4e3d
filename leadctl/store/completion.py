"""What shell completion reads: the database opened only if it is there, and never written.

A completion runs on every TAB: it must not create a database (a typo in --db would leave a
file behind), migrate one, recompute due days or wait for a lock. So it opens an existing file
or server with the engine's own helpers, reads only when the schema is this program's, and
its queries are small index reads (the owner's leads, the pool, unconfirmed grades).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection

from leadctl.domain.choices import NOT_CLOSED_STATUSES
from leadctl.store.engine import (
    HEAD_REVISION,
    Store,
    _current_revision,
    _postgres_engine,
    _sqlite_engine,
    _sqlite_path,
    is_postgres_url,
    mask_url,
)
from leadctl.store.tables import LEAD_TABLE as LEAD
from leadctl.store.tables import MEMBER_TABLE as MEMBER

if TYPE_CHECKING:
    from leadctl.settings import Settings

WAIT_SECONDS = 1.0  # a TAB never waits long for a lock
_NOT_CLOSED = [s.value for s in NOT_CLOSED_STATUSES]


def open_existing(settings: Settings) -> Store | None:
    """The database at this program's schema, or None: a SQLite file that does not exist is
    not created, and a database still to be migrated is left to the next command."""
    from leadctl.settings import default_db_path

    settings = replace(settings, lock_timeout=WAIT_SECONDS)
    db = settings.db
    if is_postgres_url(db):
        assert db is not None
        store = Store(_postgres_engine(db, settings.lock_timeout), mask_url(db), "postgresql")
    elif db and "://" in db and not db.startswith("sqlite:///"):
        return None
    else:
        path = _sqlite_path(db, default_db_path({}))
        if not path.is_file():
            return None
        store = Store(
            _sqlite_engine(f"sqlite:///{path}", settings.lock_timeout), str(path), "sqlite"
        )
    try:
        revision, _ = _current_revision(store)
    except BaseException:
        store.close()
        raise
    if revision != HEAD_REVISION:
        store.close()
        return None
    return store


def leads_of(connection: Connection, owner: str) -> list[Any]:
    """(id, customer) of the owner's leads that are not closed, by number (ix_lead_owner_due)."""
    return list(
        connection.execute(
            sa_select(LEAD.c.id, LEAD.c.customer)
            .where(LEAD.c.owner == owner, LEAD.c.status.in_(_NOT_CLOSED))
            .order_by(LEAD.c.id)
        ).all()
    )


def pool_leads(connection: Connection, limit: int) -> list[Any]:
    """(id, customer) of the leads nobody owns, by number (the partial ix_lead_pool)."""
    return list(
        connection.execute(
            sa_select(LEAD.c.id, LEAD.c.customer)
            .where(LEAD.c.owner.is_(None))
            .order_by(LEAD.c.id)
            .limit(limit)
        ).all()
    )


def unconfirmed_leads(connection: Connection, limit: int) -> list[Any]:
    """(id, customer, grade, owner) of the leads whose grade awaits confirming (the partial
    ix_lead_unconfirmed)."""
    return list(
        connection.execute(
            sa_select(LEAD.c.id, LEAD.c.customer, LEAD.c.grade, LEAD.c.owner)
            .where(LEAD.c.grade.is_not(None), LEAD.c.grade_confirmed_at.is_(None))
            .order_by(LEAD.c.id)
            .limit(limit)
        ).all()
    )


def members(connection: Connection) -> list[Any]:
    """(name, role) of the roster's active members, by name."""
    return list(
        connection.execute(
            sa_select(MEMBER.c.name, MEMBER.c.role)
            .where(MEMBER.c.active.is_(True))
            .order_by(MEMBER.c.name)
        ).all()
    )


def owners(connection: Connection) -> list[Any]:
    """(owner, leads) of everyone who owns a lead (one pass over ix_lead_owner_due)."""
    return list(
        connection.execute(
            sa_select(LEAD.c.owner, func.count())
            .where(LEAD.c.owner.is_not(None))
            .group_by(LEAD.c.owner)
            .order_by(LEAD.c.owner)
        ).all()
    )
