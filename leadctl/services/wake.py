"""Reactivation under cron (SPEC §2, playbook step 6): wake leads whose rest is over, once.

Exactly once: the whole run is one write transaction (BEGIN IMMEDIATE on SQLite, an advisory
lock on PostgreSQL), and each update is conditional on the lead still qualifying (`woken_on IS
NULL`, its rest over), so two runs — in a row or at the same moment — wake each lead once, and a
rep's follow-up committed meanwhile is never overwritten. Every real run (not --dry-run) leaves
one row in the `wake_run` ledger: when, by whom, how many woken and sent to sleep.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from leadctl.domain.choices import OPEN_STATUSES, Grade, Status
from leadctl.services.common import Ctx
from leadctl.store.engine import LOCK_WAKE
from leadctl.store.tables import Event, Lead, Outcome, WakeRun


def _latest_outcome() -> Any:
    return (
        select(Outcome.lead_id, func.max(Outcome.id).label("outcome_id"))
        .group_by(Outcome.lead_id)  # type: ignore[arg-type]
        .subquery()
    )


def _rest_is_over(ctx: Ctx) -> Any:
    """Dormant ≥ dormant_days, or lost ≥ lost_days (the reason is checked on the outcome)."""
    rules, today = ctx.settings.wake, ctx.today
    return or_(
        and_(
            col(Lead.status) == Status.DORMANT.value,
            col(Lead.rested_on) <= today - timedelta(days=rules.dormant_days),
        ),
        and_(
            col(Lead.status) == Status.LOST.value,
            col(Lead.rested_on) <= today - timedelta(days=rules.lost_days),
        ),
    )


def _due_to_wake(ctx: Ctx) -> Any:
    """Dormant leads rested ≥ 90 days; lost leads (budget/price/timing/need-changed) ≥ 180."""
    latest = _latest_outcome()
    return (
        sa_select(
            col(Lead.id),
            col(Lead.customer),
            col(Lead.owner),
            col(Lead.status),
            col(Lead.rested_on),
            col(Outcome.reason),
            col(Outcome.closed_on),
        )
        .outerjoin(latest, latest.c.lead_id == Lead.id)
        .outerjoin(Outcome, col(Outcome.id) == latest.c.outcome_id)
        .where(
            col(Lead.woken_on).is_(None),
            _rest_is_over(ctx),
            or_(
                col(Lead.status) == Status.DORMANT.value,
                col(Outcome.reason).in_(ctx.settings.wake.lost_reasons),
            ),
        )
        .order_by(col(Lead.id))
    )


def _sleeps(ctx: Ctx) -> Any:
    """A D lead whose last attempts in a row went unanswered."""
    return and_(
        col(Lead.status).in_([s.value for s in OPEN_STATUSES]),
        col(Lead.grade) == Grade.D.value,
        col(Lead.unanswered_streak) >= ctx.settings.wake.dormant_after,
    )


def _due_to_sleep(ctx: Ctx) -> Any:
    """D leads that qualify for dormancy but are not dormant (e.g. history brought in by import,
    or a lead regraded D after its unanswered attempts)."""
    return (
        select(Lead.id, Lead.customer, Lead.owner, Lead.unanswered_streak)
        .where(_sleeps(ctx))
        .order_by(Lead.id)  # type: ignore[arg-type]
    )


def _events(ctx: Ctx, rows: list[dict[str, Any]], event: str) -> list[dict[str, Any]]:
    return [
        {
            "lead_id": r["lead_id"],
            "at": ctx.now,
            "by": ctx.user,
            "event": event,
            "details": json.dumps(r["details"], ensure_ascii=False, default=str),
        }
        for r in rows
    ]


def wake_leads(ctx: Ctx, *, dry_run: bool = False) -> dict[str, Any]:
    today = ctx.today
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_WAKE)
        sleepy = session.exec(_due_to_sleep(ctx)).all()
        waking = session.exec(_due_to_wake(ctx)).all()
        if not dry_run:
            slept, woke = _apply(ctx, session, [r.id for r in sleepy], list(waking))
            sleepy = [r for r in sleepy if r.id in slept]
            waking = [r for r in waking if r.id in woke]
            session.add(WakeRun(at=ctx.now, by=ctx.user, woken=len(waking), dormant=len(sleepy)))
        woken_docs = [
            {
                "number": ctx.number(r.id),
                "customer": r.customer,
                "owner": r.owner,
                "status": r.status,
                "rested_on": r.rested_on,
                "reason": r.reason if r.status == Status.LOST else None,
                "closed_on": r.closed_on if r.status == Status.LOST else None,
            }
            for r in waking
        ]
        dormant_docs = [
            {"number": ctx.number(r.id), "customer": r.customer, "owner": r.owner} for r in sleepy
        ]
        if dry_run:
            session.rollback()
        return {
            "date": today,
            "dry_run": dry_run,
            "woken": [d["number"] for d in woken_docs],
            "dormant": [d["number"] for d in dormant_docs],
            "woken_leads": woken_docs,
            "dormant_leads": dormant_docs,
        }


def _chunks(ids: list[int], size: int = 1000) -> list[list[int]]:
    """IN lists stay well under every driver's parameter limit."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _update_each(session: Session, ids: list[int], still: Any, **values: Any) -> set[int]:
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


def _apply(
    ctx: Ctx, session: Session, sleepy_ids: list[int], waking: list[Any]
) -> tuple[set[int], set[int]]:
    """Send to sleep and wake, each update conditional on the lead still qualifying (a rep's
    follow-up may have committed since the select, on PostgreSQL); returns the ids changed."""
    today, now = ctx.today, ctx.now
    slept = _update_each(
        session, sleepy_ids, _sleeps(ctx),
        status=Status.DORMANT.value, rested_on=today, due_on=None, deadline_on=None,
        updated_at=now,
    )  # fmt: skip
    if slept:
        session.execute(
            insert(Event),
            _events(
                ctx,
                [{"lead_id": i, "details": {"swept": True}} for i in sorted(slept)],
                "dormant",
            ),
        )
    woke = _update_each(
        session, [r.id for r in waking], and_(col(Lead.woken_on).is_(None), _rest_is_over(ctx)),
        woken_on=today, due_on=today, deadline_on=today, updated_at=now,
    )  # fmt: skip
    if woke:
        session.execute(
            insert(Event),
            _events(
                ctx,
                [
                    {
                        "lead_id": r.id,
                        "details": {
                            "status": r.status,
                            "rested_on": r.rested_on,
                            "reason": r.reason if r.status == Status.LOST else None,
                        },
                    }
                    for r in waking
                    if r.id in woke
                ],
                "woken",
            ),
        )
    return slept, woke
