"""The roster's statements: members, their open leads, and the set-based handover."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, literal, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session

from leadctl.domain.choices import NOT_CLOSED_STATUSES, OPEN_STATUSES, Status
from leadctl.domain.team import Member, Role
from leadctl.store.tables import EVENT_TABLE as EVENT
from leadctl.store.tables import LEAD_TABLE as LEAD
from leadctl.store.tables import MEMBER_TABLE as MEMBER
from leadctl.store.tables import Member as MemberRow


def roster(session: Session) -> list[Member]:
    """Every member, active or not, by name (a team is a few dozen people at most)."""
    rows = session.execute(
        sa_select(MEMBER.c.name, MEMBER.c.role, MEMBER.c.active).order_by(MEMBER.c.name)
    ).all()
    return [Member(name, Role(role), bool(active)) for name, role, active in rows]


def member_row(session: Session, name: str) -> MemberRow | None:
    return session.get(MemberRow, name)


def open_leads(session: Session) -> dict[str, int]:
    """Open leads (new, active, opportunity) per owner."""
    rows = session.execute(
        sa_select(LEAD.c.owner, func.count())
        .where(LEAD.c.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(LEAD.c.owner)
    ).all()
    return {owner: int(count) for owner, count in rows}


def _handed_over(name: str) -> Any:
    """The leads a leaving member hands over: not closed, and lost leads while woken."""
    return and_(
        LEAD.c.owner == name,
        or_(
            LEAD.c.status.in_([s.value for s in NOT_CLOSED_STATUSES]),
            and_(LEAD.c.status == Status.LOST.value, LEAD.c.woken_on.is_not(None)),
        ),
    )


def count_to_hand_over(session: Session, name: str) -> int:
    return int(
        session.execute(
            sa_select(func.count()).select_from(LEAD).where(_handed_over(name))
        ).scalar()
        or 0
    )


def hand_over(
    session: Session, name: str, to: str, *, at: datetime, today: date, by: str, details: str
) -> int:
    """Move every lead `name` must hand over to `to`, each with an `assigned` history line
    (`details`, encoded), in two set-based statements; returns how many moved."""
    moved = _handed_over(name)
    session.execute(
        insert(EVENT).from_select(
            ["lead_id", "at", "by", "event", "details"],
            sa_select(
                LEAD.c.id,
                literal(at, EVENT.c.at.type),
                literal(by, EVENT.c.by.type),
                literal("assigned", EVENT.c.event.type),
                literal(details, EVENT.c.details.type),
            ).where(moved),
        )
    )
    result = session.execute(
        update(LEAD).where(moved).values(owner=to, recycle_from=today, updated_at=at)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
