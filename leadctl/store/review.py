"""The review's queries (`review`): every figure of a week by set-based, portable SQL.

The queries take the period's bounds (computed by reports.py in the user's zone) as parameters,
use GROUP BY and conditional counts, and start from the indexes on the period's own rows
(follow_up.at, event(event, at), outcome.closed_on) — see docs/design.md.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, case, cast, distinct, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from leadctl.domain.money import from_fen
from leadctl.store.tables import Event, FollowUp, Lead, Outcome, WakeRun

EVENTS = ("graded", "upgraded", "dormant", "woken")


def _count(expr: Any) -> Any:
    return func.coalesce(func.sum(cast(expr, Integer)), 0)


def _owned(statement: Any, owner: str | None, lead_id: Any = None) -> Any:
    """Keep the rows of one owner's leads (`lead_id`: the period's rows' lead column).

    The owner is looked up per row (a correlated lookup by primary key), not joined: with a join,
    SQLite 3.40's planner drives from the (owner, due_on) index and probes the period's rows lead
    by lead — 20× slower than starting from the index on the period's own time column.
    """
    if owner is None:
        return statement
    if lead_id is None:
        return statement.where(Lead.owner == owner)
    owner_of = select(Lead.owner).where(Lead.id == lead_id).correlate_except(Lead)
    return statement.where(owner_of.scalar_subquery() == owner)


def summary(
    session: Session, first: date, last: date, start: datetime, end: datetime, owner: str | None
) -> dict[str, Any]:
    new_leads = session.exec(
        _owned(
            select(func.count())
            .select_from(Lead)
            .where(col(Lead.acquired_on) >= first, col(Lead.acquired_on) <= last),
            owner,
        )
    ).one()
    events = dict(
        session.exec(
            _owned(
                select(Event.event, func.count())
                .where(
                    col(Event.event).in_(EVENTS),
                    col(Event.at) >= start,
                    col(Event.at) < end,
                    col(Event.undone).is_(False),  # an undone change no longer counts
                )
                .group_by(col(Event.event)),
                owner,
                Event.lead_id,
            )
        ).all()
    )
    won, won_fen, lost = closes(session, first, last, owner)
    return {
        "new_leads": int(new_leads),
        "graded": int(events.get("graded", 0)),
        "follow_ups": follow_ups(session, start, end, owner),
        "upgraded": int(events.get("upgraded", 0)),
        "won": won,
        "won_amount": from_fen(won_fen),
        "lost": lost,
        "dormant": int(events.get("dormant", 0)),
        "woken": int(events.get("woken", 0)),
    }


def follow_ups(session: Session, start: datetime, end: datetime, owner: str | None) -> int:
    """Follow-ups made (by contact time) in [start, end): a count over the range of the
    follow_up.at index. With `owner`, those the rep logged (on any lead), as her row of `reps`
    counts them: the header and the reps table agree (on her leads, a supervisor's forced
    follow-up is not hers)."""
    logged = select(func.count()).select_from(FollowUp)
    logged = logged.where(col(FollowUp.at) >= start, col(FollowUp.at) < end)
    if owner is not None:
        logged = logged.where(col(FollowUp.by) == owner)
    return int(session.exec(logged).one())


def closes(session: Session, first: date, last: date, owner: str | None) -> tuple[int, int, int]:
    """(won, won amount in fen, lost) of the deals closed from `first` to `last`."""
    won, won_fen, lost = session.exec(
        _owned(
            select(
                _count(Outcome.result == "won"),
                func.coalesce(
                    func.sum(
                        case((col(Outcome.result) == "won", col(Outcome.amount_fen)), else_=0)
                    ),
                    0,
                ),
                _count(Outcome.result == "lost"),
            ).where(col(Outcome.closed_on) >= first, col(Outcome.closed_on) <= last),
            owner,
            Outcome.lead_id,
        )
    ).one()
    return int(won), int(won_fen), int(lost)


def grades_to_confirm(session: Session, owner: str | None) -> list[Any]:
    """Rows (id, customer, owner, grade, reason, graded_at, by) of unconfirmed grades, by owner
    and grading time."""
    # sorted here, not by ORDER BY owner: that made SQLite walk the (owner, due_on) index with a
    # row lookup for every lead, slower than one pass over the table (the list itself is short)
    rows = session.exec(
        _owned(
            sa_select(
                col(Lead.id), col(Lead.customer), col(Lead.owner), col(Lead.grade),
                col(Lead.grade_reason), col(Lead.graded_at), col(Lead.graded_by),
            )
            .where(col(Lead.grade).is_not(None), col(Lead.grade_confirmed_at).is_(None)),
            owner,
        )
    ).all()  # fmt: skip
    return sorted(rows, key=lambda r: (r[2], r[5] or datetime.min.replace(tzinfo=UTC), r[0]))


def reps(
    session: Session,
    first: date,
    last: date,
    start: datetime,
    end: datetime,
    today: date,
    owner: str | None,
) -> list[dict[str, Any]]:
    activity = select(
        col(FollowUp.by),
        func.count(),
        func.count(distinct(col(FollowUp.lead_id))),
        _count(col(FollowUp.late)),
    ).where(col(FollowUp.at) >= start, col(FollowUp.at) < end)
    if owner is not None:
        activity = activity.where(col(FollowUp.by) == owner)
    overdue = select(Lead.owner, func.count()).where(col(Lead.deadline_on) < today)
    # an A lead misses its proposal when the deadline passed in the period with none by then and
    # the lead still open: a deal closed by its deadline needed no proposal any more.
    # (proposal_due_on is set only while the grade is A; no `grade = 'A'` term, or SQLite would
    # scan every A lead by the grade index instead of the week's range of deadlines.)
    closed_in_time = (
        select(Outcome.id)
        .where(
            Outcome.lead_id == Lead.id,
            col(Outcome.closed_on) <= Lead.proposal_due_on,
            col(Outcome.closed_at) >= Lead.grade_set_at,
        )
        .correlate(Lead)
        .exists()
    )
    missed = select(Lead.owner, func.count()).where(
        col(Lead.proposal_due_on) >= first,
        col(Lead.proposal_due_on) <= last,
        col(Lead.proposal_due_on) < today,
        (col(Lead.proposal_done_on).is_(None))
        | (col(Lead.proposal_done_on) > Lead.proposal_due_on),
        ~closed_in_time,
    )
    if owner is not None:
        overdue = overdue.where(Lead.owner == owner)
        missed = missed.where(Lead.owner == owner)
    reps: dict[str, dict[str, Any]] = {}

    def row(name: str) -> dict[str, Any]:
        return reps.setdefault(
            name,
            {"owner": name, "follow_ups": 0, "leads_touched": 0, "overdue": 0,
             "late_logs": 0, "proposals_missed": 0},
        )  # fmt: skip

    for by, count, touched, late in session.exec(activity.group_by(col(FollowUp.by))).all():
        row(by).update(follow_ups=int(count), leads_touched=int(touched), late_logs=int(late))
    for name, count in session.exec(overdue.group_by(col(Lead.owner))).all():
        if name is not None:
            row(name)["overdue"] = int(count)
    for name, count in session.exec(missed.group_by(col(Lead.owner))).all():
        if name is not None:
            row(name)["proposals_missed"] = int(count)
    return sorted(reps.values(), key=lambda r: (-r["follow_ups"], r["owner"]))


def sources(session: Session, last: date, owner: str | None) -> list[dict[str, Any]]:
    # one pass over the (source, status, acquired_on, upgraded_on) covering index: no join
    statement: Any = (
        sa_select(
            col(Lead.source),
            func.count(),
            func.count(col(Lead.upgraded_on)),
            _count(col(Lead.status) == "won"),
            _count(col(Lead.status) == "lost"),
        )
        .where(col(Lead.acquired_on) <= last)
        .group_by(col(Lead.source))
    )
    if owner is not None:
        statement = statement.where(col(Lead.owner) == owner)
    rows = session.exec(statement).all()
    sources = [
        {
            "source": source,
            "leads": int(leads),
            "opportunities": int(opps),
            "won": int(won),
            "lost": int(lost),
            "win_rate": round(int(won) / int(leads), 4),
        }
        for source, leads, opps, won, lost in rows
        if leads
    ]
    return sorted(sources, key=lambda s: (-s["leads"], s["source"]))


def graded_leads(session: Session, last: date, owner: str | None) -> int:
    """Of the leads acquired up to `last` (as `sources` counts them), those ever graded: the
    funnel's second stage. `graded_at` keeps the latest grading when a reopened lead loses
    its grade (an undone first grading clears it again), and a lead with a grade always has it.

    Counted in three parts that each start from a small index range: the leads with a grade
    (covered by the grade index), plus those graded once and without a grade now (reopened:
    few), less the graded ones acquired after `last` (none for this week). Asked in one piece
    (`acquired_on <= last AND graded_at IS NOT NULL`), SQLite reads every lead row through the
    acquired index: 0.5-0.7 s at 100k leads, against 5 ms.
    """
    graded_once = col(Lead.graded_at).is_not(None)
    parts = (
        select(func.count()).select_from(Lead).where(col(Lead.grade).is_not(None)),
        select(func.count()).select_from(Lead).where(col(Lead.grade).is_(None), graded_once),
        select(func.count()).select_from(Lead).where(graded_once, col(Lead.acquired_on) > last),
    )
    with_grade, reopened, acquired_later = (
        int(session.exec(_owned(p, owner)).one()) for p in parts
    )
    return with_grade + reopened - acquired_later


def loss_reasons(
    session: Session, first: date, last: date, owner: str | None
) -> list[dict[str, Any]]:
    rows = session.exec(
        _owned(
            select(Outcome.reason, func.count())
            .where(col(Outcome.result) == "lost", col(Outcome.closed_on) >= first,
                   col(Outcome.closed_on) <= last)
            .group_by(col(Outcome.reason)),
            owner,
            Outcome.lead_id,
        )
    ).all()  # fmt: skip
    total = sum(int(count) for _, count in rows)
    reasons = [
        # unrounded, so the shares add up to 1 (three reasons of 1 each: not 3 × 0.3333)
        {"reason": reason, "count": int(count), "share": int(count) / total}
        for reason, count in rows
    ]
    return sorted(reasons, key=lambda r: (-r["count"], r["reason"]))


def wake_runs(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = session.exec(
        select(WakeRun)
        .where(col(WakeRun.at) >= start, col(WakeRun.at) < end)
        .order_by(col(WakeRun.id))
    ).all()
    return [{"at": r.at, "by": r.by, "woken": r.woken, "dormant": r.dormant} for r in rows]


def recycled(session: Session, start: datetime, end: datetime) -> list[Any]:
    """The period's `recycled` history lines: (lead_id, customer, at, details), by time."""
    rows = session.exec(
        select(Event.lead_id, Lead.customer, Event.at, Event.details)
        .join(Lead, col(Lead.id) == Event.lead_id)
        .where(col(Event.event) == "recycled", col(Event.at) >= start, col(Event.at) < end)
        .order_by(col(Event.at), col(Event.id))
    ).all()
    return list(rows)
