"""Reactivation under cron (SPEC §2, playbook step 6): wake leads whose rest is over, once.

Exactly once: the whole run is one write transaction (BEGIN IMMEDIATE on SQLite, an advisory
lock on PostgreSQL), and the update is conditional on `woken_on IS NULL`, so two runs — in a row
or at the same moment — wake each lead once. Every run that writes leaves a row in `wake_run`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, update
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


def _due_to_wake(ctx: Ctx) -> Any:
    """Dormant leads rested ≥ 90 days; lost leads (budget/price/timing/need-changed) ≥ 180."""
    rules = ctx.settings.wake
    today = ctx.today
    latest = _latest_outcome()
    return (
        select(Lead.id, Lead.customer, Lead.owner, Lead.status, Lead.rested_on, Outcome.reason)
        .outerjoin(latest, latest.c.lead_id == Lead.id)
        .outerjoin(Outcome, col(Outcome.id) == latest.c.outcome_id)
        .where(
            col(Lead.woken_on).is_(None),
            or_(
                and_(
                    Lead.status == Status.DORMANT.value,
                    col(Lead.rested_on) <= today - timedelta(days=rules.dormant_days),
                ),
                and_(
                    Lead.status == Status.LOST.value,
                    col(Lead.rested_on) <= today - timedelta(days=rules.lost_days),
                    col(Outcome.reason).in_(rules.lost_reasons),
                ),
            ),
        )
        .order_by(Lead.id)  # type: ignore[arg-type]
    )


def _due_to_sleep(ctx: Ctx) -> Any:
    """D leads whose last attempts in a row went unanswered (e.g. history brought in by import)."""
    return (
        select(Lead.id, Lead.customer, Lead.owner, Lead.unanswered_streak)
        .where(
            col(Lead.status).in_([s.value for s in OPEN_STATUSES]),
            Lead.grade == Grade.D.value,
            col(Lead.unanswered_streak) >= ctx.settings.wake.dormant_after,
        )
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
        woken_docs = [
            {
                "number": ctx.number(r.id),
                "customer": r.customer,
                "owner": r.owner,
                "status": r.status,
                "rested_on": r.rested_on,
                "reason": r.reason if r.status == Status.LOST else None,
            }
            for r in waking
        ]
        dormant_docs = [
            {"number": ctx.number(r.id), "customer": r.customer, "owner": r.owner} for r in sleepy
        ]
        doc = {
            "date": today,
            "dry_run": dry_run,
            "woken": [d["number"] for d in woken_docs],
            "dormant": [d["number"] for d in dormant_docs],
            "woken_leads": woken_docs,
            "dormant_leads": dormant_docs,
        }
        if dry_run:
            session.rollback()
            return doc
        _apply(ctx, session, [r.id for r in sleepy], [r for r in waking])
        session.add(
            WakeRun(at=ctx.now, by=ctx.user, woken=len(woken_docs), dormant=len(dormant_docs))
        )
        return doc


def _chunks(ids: list[int], size: int = 1000) -> list[list[int]]:
    """IN lists stay well under every driver's parameter limit."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _apply(ctx: Ctx, session: Session, sleepy_ids: list[int], waking: list[Any]) -> None:
    today, now = ctx.today, ctx.now
    for ids in _chunks(sleepy_ids):
        session.execute(
            update(Lead)
            .where(col(Lead.id).in_(ids), col(Lead.status).in_([s.value for s in OPEN_STATUSES]))
            .values(status=Status.DORMANT.value, rested_on=today, due_on=None, deadline_on=None,
                    updated_at=now)
        )  # fmt: skip
    if sleepy_ids:
        session.execute(
            insert(Event),
            _events(
                ctx, [{"lead_id": i, "details": {"swept": True}} for i in sleepy_ids], "dormant"
            ),
        )
    for ids in _chunks([r.id for r in waking]):
        session.execute(
            update(Lead)
            .where(col(Lead.id).in_(ids), col(Lead.woken_on).is_(None))
            .values(woken_on=today, due_on=today, deadline_on=today, updated_at=now)
        )
    if waking:
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
                ],
                "woken",
            ),
        )
