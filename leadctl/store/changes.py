"""What one command changed on a lead, kept so `undo` can take it back (SPEC §6.4).

Every transition goes through services.common.apply; there the lead's columns as they were
(the ORM's own record of each attribute's loaded value) and the rows the command added or
altered in the same unit of work (a follow-up, an opportunity, an outcome) are written into one
`lead_change` row with the span of history entries the change wrote. `undo` reads the latest
one back: the lead's columns are set as they were, the added rows deleted, the altered ones
restored, and the history entries marked `undone`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col

from leadctl.store.tables import Event, FollowUp, Lead, LeadChange, Opportunity, Outcome

# the rows a change can add or alter besides the lead's own
ROWS: dict[str, type[SQLModel]] = {
    "follow_up": FollowUp,
    "opportunity": Opportunity,
    "outcome": Outcome,
}


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _decode(model: type[SQLModel], name: str, value: Any) -> Any:
    if value is None:
        return None
    column_type = model.__table__.c[name].type  # type: ignore[attr-defined]
    try:  # a decorated type (UTC datetimes) names its Python type through its implementation
        kind = getattr(column_type, "impl", column_type).python_type
    except NotImplementedError:
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


def _loaded(obj: Any) -> dict[str, Any]:
    """Every column of `obj` as it was loaded (before this unit of work changed it)."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        value = history.deleted[0] if history.deleted else getattr(obj, attr.key)
        values[attr.key] = _encode(value)
    return values


class Before:
    """The lead and its rows as they were, taken before a transition sets anything."""

    def __init__(self, session: Session, lead: Lead) -> None:
        self.session = session
        self.lead = {k: v for k, v in _loaded(lead).items() if k != "id"}
        kinds = tuple(ROWS.values())

        def its(obj: Any) -> bool:
            return isinstance(obj, kinds) and getattr(obj, "lead_id", None) == lead.id

        self.added = [obj for obj in session.new if its(obj)]
        self.altered = [
            (obj, _loaded(obj)) for obj in session.dirty if its(obj) and session.is_modified(obj)
        ]

    def record(self, lead: Lead, at: datetime, by: str, events: list[Event]) -> None:
        """Write the change (after the transition set the lead and added `events`)."""
        session = self.session
        session.flush()  # the ids of the added rows and of the history entries
        names = {model: name for name, model in ROWS.items()}
        before = {
            "lead": self.lead,
            "added": [[names[type(obj)], _key(obj)] for obj in self.added],
            "altered": [[names[type(obj)], _key(obj), values] for obj, values in self.altered],
        }
        ids = [e.id for e in events if e.id is not None]
        assert lead.id is not None and ids
        session.add(
            LeadChange(lead_id=lead.id, at=at, by=by, first_event_id=min(ids),
                       last_event_id=max(ids), before=json.dumps(before, ensure_ascii=False))
        )  # fmt: skip


def _key(obj: Any) -> list[Any]:
    """The row's primary key (an opportunity's is its lead's id)."""
    identity = inspect(obj).identity
    assert identity is not None
    return list(identity)


def latest_change(session: Session, lead_id: int) -> LeadChange | None:
    statement = (
        sa_select(LeadChange)
        .where(col(LeadChange.lead_id) == lead_id)
        .order_by(col(LeadChange.id).desc())
        .limit(1)
    )
    return session.execute(statement).scalars().first()


def latest_event(session: Session, lead_id: int) -> Event | None:
    statement = (
        sa_select(Event)
        .where(col(Event.lead_id) == lead_id)
        .order_by(col(Event.id).desc())
        .limit(1)
    )
    return session.execute(statement).scalars().first()


def events_of(session: Session, change: LeadChange) -> list[Event]:
    statement = (
        sa_select(Event)
        .where(
            col(Event.lead_id) == change.lead_id,
            col(Event.id) >= change.first_event_id,
            col(Event.id) <= change.last_event_id,
        )
        .order_by(col(Event.id))
    )
    return list(session.execute(statement).scalars())


def take_back(session: Session, lead: Lead, change: LeadChange, at: datetime) -> None:
    """Set the lead and its rows as they were before `change`; mark its entries undone."""
    before = json.loads(change.before)
    for name, value in before["lead"].items():
        setattr(lead, name, _decode(Lead, name, value))
    for table, key in before["added"]:
        row = session.get(ROWS[table], tuple(key))
        if row is not None:
            session.delete(row)
    for table, key, values in before["altered"]:
        model = ROWS[table]
        row = session.get(model, tuple(key))
        if row is not None:
            for name, value in values.items():
                setattr(row, name, _decode(model, name, value))
    session.execute(
        update(Event)
        .where(
            col(Event.lead_id) == change.lead_id,
            col(Event.id) >= change.first_event_id,
            col(Event.id) <= change.last_event_id,
        )
        .values(undone=True)
        .execution_options(synchronize_session=False)
    )
    change.undone_at = at
