"""The nightly sweep's statements (`wake`): the playbook's dormancy and reactivation rules
applied in bulk, set-based.

Each rule here is the SQL form of one function in domain/lifecycle.py (`should_sleep`,
`rest_is_over`); tests/cli/test_one_write_path.py runs both on generated leads and requires
the same answer. Every update is conditional on the lead still qualifying, so a rep's
follow-up committed since the select is never overwritten and two runs change a lead once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, union_all, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from leadctl.domain.cadence import SCHEDULE_COLUMNS
from leadctl.domain.choices import OPEN_STATUSES, Grade, Status
from leadctl.domain.lifecycle import WakeRules
from leadctl.store.tables import EVENT_TABLE, Lead, Outcome, WakeRun


def rest_is_over(rules: WakeRules, today: date) -> Any:
    """Dormant ≥ dormant_days, or lost ≥ lost_days for a reason that wakes, not woken yet:
    lifecycle.rest_is_over in SQL, a range of `ix_lead_resting` per status and reason."""
    return and_(
        col(Lead.woken_on).is_(None),
        or_(
            and_(
                col(Lead.status) == Status.DORMANT.value,
                col(Lead.rested_on) <= today - timedelta(days=rules.dormant_days),
            ),
            and_(
                col(Lead.status) == Status.LOST.value,
                col(Lead.lost_reason).in_(rules.lost_reasons),
                col(Lead.rested_on) <= today - timedelta(days=rules.lost_days),
            ),
        ),
    )


def due_to_wake(session: Session, rules: WakeRules, today: date) -> list[Any]:
    """Rows (id, customer, owner, status, rested_on, reason, closed_on) whose rest is over:
    rest_is_over as ranges of `ix_lead_resting` (the dormant leads, the lost ones by
    reason), so only the leads that wake are read (as one OR, SQLite's planner scanned the
    table in id order); each one's close day is one probe of the outcome index."""
    closed_on = (
        sa_select(col(Outcome.closed_on))
        .where(col(Outcome.lead_id) == col(Lead.id))
        .order_by(col(Outcome.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    columns: tuple[Any, ...] = (
        col(Lead.id),
        col(Lead.customer),
        col(Lead.owner),
        col(Lead.status),
        col(Lead.rested_on),
        col(Lead.lost_reason).label("reason"),
        closed_on.label("closed_on"),
    )
    not_woken = col(Lead.woken_on).is_(None)
    dormant_over = [
        not_woken,
        col(Lead.status) == Status.DORMANT.value,
        col(Lead.rested_on) <= today - timedelta(days=rules.dormant_days),
    ]
    # a dormant lead has no loss reason unless it was lost, woken and went dormant since: as
    # two ranges, the rest day is a range of the index in the first (as one, every dormant
    # lead's entry was read to compare its rest day: 45,000 at 1M leads)
    dormant = sa_select(*columns).where(*dormant_over, col(Lead.lost_reason).is_(None))
    dormant_once_lost = sa_select(*columns).where(*dormant_over, col(Lead.lost_reason).is_not(None))
    lost = sa_select(*columns).where(
        not_woken,
        col(Lead.status) == Status.LOST.value,
        col(Lead.lost_reason).in_(rules.lost_reasons),
        col(Lead.rested_on) <= today - timedelta(days=rules.lost_days),
    )
    rows = session.execute(union_all(dormant, dormant_once_lost, lost)).all()
    return sorted(rows, key=lambda row: row[0])


def sleeps(rules: WakeRules) -> Any:
    """A D lead whose last attempts in a row went unanswered: lifecycle.should_sleep in SQL."""
    return and_(
        col(Lead.status).in_([s.value for s in OPEN_STATUSES]),
        col(Lead.grade) == Grade.D.value,
        col(Lead.unanswered_streak) >= rules.dormant_after,
    )


def due_to_sleep(session: Session, rules: WakeRules) -> list[Any]:
    """D leads that qualify for dormancy but are not dormant (e.g. history brought in by import,
    or a lead regraded D after its unanswered attempts): rows (id, customer, owner, streak),
    by id. From the (grade, streak, status) index, sorted here: with an ORDER BY id, SQLite's
    planner, told by ANALYZE that a fifth of the leads are D, scanned the whole table in id
    order instead (0.66 s at 1M leads, for none found)."""
    statement = select(Lead.id, Lead.customer, Lead.owner, Lead.unanswered_streak).where(
        sleeps(rules)
    )
    return sorted(session.exec(statement).all(), key=lambda row: row[0])


def _chunks(ids: Sequence[int], size: int = 1000) -> list[Sequence[int]]:
    """IN lists stay well under every driver's parameter limit."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def update_still(session: Session, ids: Sequence[int], still: Any, **values: Any) -> set[int]:
    """Update the leads among `ids` that still satisfy `still`; returns the ids changed."""
    changed: set[int] = set()
    for chunk in _chunks(ids):
        rows = session.execute(
            update(Lead)
            .where(col(Lead.id).in_(chunk), still)
            .values(**values)
            .returning(col(Lead.id))
            .execution_options(synchronize_session=False)
        )
        changed.update(row[0] for row in rows)
    return changed


def add_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """History rows {lead_id, at, by, event, details (encoded)} in one executemany, into the
    table itself: the ORM's bulk insert took twice as long (~0.15 s for a night's 5,000)."""
    if rows:
        session.execute(insert(EVENT_TABLE), rows)


def add_wake_run(
    session: Session, at: datetime, by: str, woken: int, dormant: int, recycled: int
) -> None:
    session.add(WakeRun(at=at, by=by, woken=woken, dormant=dormant, recycled=recycled))


def recycles(today: date, recycle_days: int) -> Any:
    """An owned new or active lead whose recycling day has come (domain.cadence.recycle_on)."""
    # recycle_from is kept only on owned new and active leads (domain.cadence.stored_schedule)
    return and_(
        col(Lead.recycle_from) <= today - timedelta(days=recycle_days),
        col(Lead.owner).is_not(None),
    )


def due_to_recycle(session: Session, today: date, recycle_days: int) -> list[Any]:
    """Rows (id, customer, owner) to return to the pool tonight (from the recycle_from index)."""
    statement = (
        select(Lead.id, Lead.customer, Lead.owner)
        .where(recycles(today, recycle_days))
        .order_by(col(Lead.id))
    )
    return list(session.exec(statement).all())


def send_to_pool(
    session: Session, ids: Sequence[int], today: date, recycle_days: int, at: datetime
) -> set[int]:
    """Recycle the leads among `ids` that still qualify: no owner (the previous one kept), no
    schedule until a claim; returns the ids changed."""
    if not recycle_days:
        return set()
    return update_still(
        session, ids, recycles(today, recycle_days),
        owner=None, previous_owner=Lead.owner, released_on=today, updated_at=at,
        **dict.fromkeys(SCHEDULE_COLUMNS),  # a pooled lead has no schedule (stored_schedule)
    )  # fmt: skip
