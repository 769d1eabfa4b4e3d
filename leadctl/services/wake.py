"""Reactivation under cron (SPEC §2, playbook step 6): wake leads whose rest is over, once.

Exactly once: the whole run is one write transaction (BEGIN IMMEDIATE on SQLite, an advisory
lock on PostgreSQL), and each update is conditional on the lead still qualifying (`woken_on IS
NULL`, its rest over), so two runs — in a row or at the same moment — wake each lead once, and a
rep's follow-up committed meanwhile is never overwritten. Every real run (not --dry-run) leaves
one row in the `wake_run` ledger: when, by whom, how many woken and sent to sleep.
"""

from __future__ import annotations

from typing import Any

from leadctl.domain.cadence import BASE_COLUMNS
from leadctl.domain.choices import Status
from leadctl.domain.lifecycle import Entry, encode_details, woken
from leadctl.domain.pool import recycled
from leadctl.services.common import Ctx
from leadctl.store import sweeps
from leadctl.store.engine import LOCK_WAKE

# the schedule a resting lead keeps (none but an A lead's proposal deadline), and a woken one's
RESTING = ("due_on", "deadline_on", "plain_due_on", "plain_deadline_on", "recycle_from",
           *BASE_COLUMNS)  # fmt: skip
WAKE_ITEM = ("due_on", "deadline_on", "plain_due_on", "plain_deadline_on")


def wake_leads(ctx: Ctx, *, dry_run: bool = False) -> dict[str, Any]:
    store = ctx.store  # first: with a roster, the team's wake settings are in force
    today, rules = ctx.today, ctx.settings.wake
    with store.write() as session:
        store.serialize(session, LOCK_WAKE)
        sleepy = sweeps.due_to_sleep(session, rules)
        waking = sweeps.due_to_wake(session, rules, today)
        pool = ctx.settings.pool
        recycling = (
            sweeps.due_to_recycle(session, today, pool.recycle_days) if (pool.recycle_days) else []
        )
        if not dry_run:
            slept = sweeps.update_still(
                session, [r.id for r in sleepy], sweeps.sleeps(rules),
                status=Status.DORMANT.value, rested_on=today, updated_at=ctx.now,
                **dict.fromkeys(RESTING),  # as domain.cadence.stored_schedule keeps it
            )  # fmt: skip
            woke = sweeps.update_still(
                session, [r.id for r in waking], sweeps.rest_is_over(rules, today),
                woken_on=today, updated_at=ctx.now, **dict.fromkeys(WAKE_ITEM, today),
            )  # fmt: skip
            # to the pool: every column the owner's schedule kept is cleared with the owner
            recycled_ids = sweeps.send_to_pool(
                session, [r.id for r in recycling], today, pool.recycle_days, ctx.now
            )
            sleepy = [r for r in sleepy if r.id in slept]
            waking = [r for r in waking if r.id in woke]
            recycling = [r for r in recycling if r.id in recycled_ids]
            entries = [(r.id, Entry("dormant", {"swept": True})) for r in sleepy]
            entries += [(r.id, woken(Status(r.status), r.rested_on, r.reason)) for r in waking]
            entries += [(r.id, recycled(r.owner, pool)) for r in recycling]
            sweeps.add_events(
                session,
                [
                    {"lead_id": lead_id, "at": ctx.now, "by": ctx.user, "event": e.event,
                     "details": encode_details(e.details)}
                    for lead_id, e in entries
                ],
            )  # fmt: skip
            sweeps.add_wake_run(
                session, ctx.now, ctx.user, len(waking), len(sleepy), len(recycling)
            )
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
            "recycled": [ctx.number(r.id) for r in recycling],
            "woken_leads": woken_docs,
            "dormant_leads": dormant_docs,
            "recycled_leads": [
                {"number": ctx.number(r.id), "customer": r.customer, "owner": r.owner}
                for r in recycling
            ],
        }
