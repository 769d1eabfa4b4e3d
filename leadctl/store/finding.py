"""The queries of `find` and of `show` by phone (SPEC §6.4), over the keys domain.search defines.

- a phone's last digits: a prefix range of `phone.digits_reversed` (indexed), or the number
  itself (`phone.e164`, indexed);
- contained text: a scan of `lead.search_text`. On SQLite two partial indexes hold that column
  alone, one for the leads not closed and one for the closed, so `find` reads only the leads it
  may show, from a compact copy; PostgreSQL scans the table;
- pinyin and initials: a prefix range of `lead_key.key` (its primary key), and an equality
  lookup of the text's own beginnings for the candidates the service checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, case, or_, text, union
from sqlalchemy import select as sa_select
from sqlmodel import Session

from leadctl.domain.choices import CLOSED_STATUSES, NOT_CLOSED_STATUSES
from leadctl.domain.search import next_prefix
from leadctl.store.queries import KEYS_PER_QUERY, LIST_COLUMNS
from leadctl.store.tables import FIND_CLOSED_WHERE, FIND_OPEN_WHERE
from leadctl.store.tables import LEAD_KEY_TABLE as KEY
from leadctl.store.tables import LEAD_TABLE as LEAD
from leadctl.store.tables import PHONE_TABLE as PHONE

_NOT_CLOSED = [s.value for s in NOT_CLOSED_STATUSES]
_CLOSED = [s.value for s in CLOSED_STATUSES]


def _union(selects: Sequence[Any]) -> Any:
    combine: Any = union  # (mypy 2.4 cannot expand the types of union(*selects))
    return combine(*selects)


def _starts_with(column: Any, prefix: str) -> Any:
    """`column` starts with `prefix`, as a range its index serves (code point order)."""
    after = next_prefix(prefix)
    return column >= prefix if after is None else and_(column >= prefix, column < after)


def _statuses(include_closed: bool) -> Any:
    return None if include_closed else LEAD.c.status.in_(_NOT_CLOSED)


def phone_holders(digits_reversed: str, e164: str | None) -> Any:
    """Ids of the leads with a phone that ends with these digits (given last first) or is
    `e164`."""
    found = _starts_with(PHONE.c.digits_reversed, digits_reversed)
    if e164 is not None:
        found = or_(found, PHONE.c.e164 == e164)
    return sa_select(PHONE.c.lead_id).where(found)


def text_holders(folded: str, *, include_closed: bool) -> list[Any]:
    """Queries of the ids of the leads whose search_text contains `folded` (LIKE with its
    wildcards escaped: the same on both databases). Their status condition is the partial
    indexes' own text, word for word, so SQLite reads those compact indexes; PostgreSQL scans
    the table."""
    wheres = [FIND_OPEN_WHERE, *([FIND_CLOSED_WHERE] if include_closed else [])]
    return [
        sa_select(LEAD.c.id).where(
            text(where), LEAD.c.search_text.contains(folded, autoescape=True)
        )
        for where in wheres
    ]


def key_holders(spelled: str) -> Any:
    """Ids of the leads with a key that starts with `spelled`: their customer's or contact's
    pinyin or initials start with it (a key is a reading of a name's first letters)."""
    return sa_select(KEY.c.lead_id).where(_starts_with(KEY.c.key, spelled))


def key_candidates(
    session: Session, spelled: str, *, include_closed: bool
) -> list[tuple[int, str, str | None]]:
    """(id, customer, contact) of the leads with a key that `spelled` runs past: their names
    may spell it on, in a reading of the characters after the key's."""
    beginnings = [spelled[:n] for n in range(1, len(spelled))]
    if not beginnings:
        return []
    statement = (
        sa_select(LEAD.c.id, LEAD.c.customer, LEAD.c.contact)
        .where(LEAD.c.id.in_(sa_select(KEY.c.lead_id).where(KEY.c.key.in_(beginnings))))
        .order_by(LEAD.c.id)
    )
    wanted = _statuses(include_closed)
    if wanted is not None:
        statement = statement.where(wanted)
    return [(int(i), c, p) for i, c, p in session.execute(statement)]


def _ordered(statement: Any, include_closed: bool) -> Any:
    wanted = _statuses(include_closed)
    if wanted is not None:
        return statement.where(wanted).order_by(LEAD.c.id)
    closed = case((LEAD.c.status.in_(_CLOSED), 1), else_=0)
    return statement.order_by(closed, LEAD.c.id)


def found_rows_statement(holders: Sequence[Any], *, include_closed: bool) -> Any:
    """`list`'s columns of the leads the `holders` queries (each a SELECT of ids) name: those not closed by number,
    then (include_closed) the won and lost by number."""
    ids: Any = holders[0] if len(holders) == 1 else _union(holders)
    statement = sa_select(*(LEAD.c[name] for name in LIST_COLUMNS)).where(LEAD.c.id.in_(ids))
    return _ordered(statement, include_closed)


def found_rows(session: Session, holders: Sequence[Any], *, include_closed: bool) -> list[Any]:
    if not holders:
        return []
    statement = found_rows_statement(holders, include_closed=include_closed)
    return list(session.execute(statement).all())


def rows_of(session: Session, ids: Iterable[int], *, include_closed: bool) -> list[Any]:
    """`list`'s columns of these leads, a few hundred ids per query."""
    wanted = sorted(set(ids))
    rows: list[Any] = []
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = wanted[start : start + KEYS_PER_QUERY]
        statement = sa_select(*(LEAD.c[name] for name in LIST_COLUMNS)).where(LEAD.c.id.in_(chunk))
        rows.extend(session.execute(_ordered(statement, include_closed)).all())
    return rows


def holders_of_phone(session: Session, e164: str) -> list[tuple[int, str | None, str]]:
    """(id, owner, status) of every lead holding this phone, by number."""
    statement = (
        sa_select(LEAD.c.id, LEAD.c.owner, LEAD.c.status)
        .where(LEAD.c.id.in_(sa_select(PHONE.c.lead_id).where(PHONE.c.e164 == e164)))
        .order_by(LEAD.c.id)
    )
    return [(int(i), owner, status) for i, owner, status in session.execute(statement)]


def replace_keys(session: Session, lead_id: int, keys: Iterable[str]) -> None:
    """The lead's find keys are now `keys` (after its customer or contact changed)."""
    session.execute(KEY.delete().where(KEY.c.lead_id == lead_id))
    rows = [{"key": key, "lead_id": lead_id} for key in sorted(set(keys))]
    if rows:
        session.execute(KEY.insert(), rows)
