"""The morning queue (`today`): one indexed range scan on (owner, due_on), urgent first.

A queue is read as it is printed, a batch of rows at a time: a team that imported an old sheet
has every lead of it due at once ("to grade"), 100k rows, which are never held whole. Leads
with the same facts (the imported sheet's: ungraded since the same day) have the same items
due: they are derived from the facts once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from leadctl.domain.cadence import LeadFacts, due_items, recycle_day
from leadctl.domain.leads import lead_number
from leadctl.services.common import Ctx, known_owner
from leadctl.store import queries

# how the queue's rows are read (queries.today_statement): from this many leads due, in id
# order; when most of the leads are due (one in SCAN_SHARE or more), the whole table through
MANY = 2_000
SCAN_SHARE = 4


class QueueItems:
    """The items of a queue as the JSON document has them, read one at a time and only once;
    how many are due is known before the first is read (the layout of `today` depends on it)."""

    def __init__(self, size: int, items: Iterator[dict[str, Any]]) -> None:
        self.size = size
        self._items = items

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._items


def today_queue(ctx: Ctx, *, owner: str | None = None, everyone: bool = False) -> dict[str, Any]:
    """`{date, owner, items}`: `items` a QueueItems, read as it is printed."""
    today = ctx.today
    who = None if everyone else (owner or ctx.user)
    with ctx.store.read() as session:
        if owner is not None:
            known_owner(ctx, session, owner)
        size, leads = queries.queue_size(session, today, who)
    plan = "range" if size < MANY else "scan" if size * SCAN_SHARE >= leads else "ids"
    items = _queue_items(ctx, who, plan)
    return {"date": today, "owner": who, "items": QueueItems(size, items)}


def _queue_items(ctx: Ctx, who: str | None, plan: str) -> Iterator[dict[str, Any]]:
    settings, today = ctx.settings, ctx.today
    prefix = settings.number_prefix
    rules, tz, calendar, pool = (
        settings.cadence,
        settings.clock.tz,
        settings.calendar,
        settings.pool,
    )
    recycling, utc = bool(pool.recycle_days), queries.utc
    # the items due, by the facts they are derived from: (reasons, recycle_on, due_items)
    derived: dict[tuple[Any, ...], tuple[list[str], date | None, list[dict[str, Any]]]] = {}
    with ctx.store.read() as session:
        for row in queries.queue_rows(session, today, who, plan=plan):
            (lead_id, customer, grade, status, due_on, deadline_on, owner, next_action,
             next_action_on, last_contact_at, last_mood, *facts, phone) = row  # fmt: skip
            key = (grade, status, owner is None, next_action, next_action_on, last_contact_at,
                   *facts[:-1], facts[-1] if recycling else None)  # fmt: skip
            known = derived.get(key)
            if known is None:
                schedule = due_items(LeadFacts.of(row, queries.utc), rules, tz, calendar, pool)
                due = [i for i in schedule if i.due_on <= today]
                known = derived[key] = (
                    [i.name for i in due],
                    recycle_day(schedule),
                    [
                        {
                            "item": i.name,
                            "due_on": i.due_on,
                            "deadline_on": i.deadline_on,
                            "overdue": i.overdue(today),
                            **i.detail,
                        }
                        for i in due
                    ],
                )
            reasons, recycle_on, items = known
            yield {
                "number": lead_number(lead_id, prefix),
                "customer": customer,
                "grade": grade,
                "status": status,
                "due_on": due_on,
                "overdue": deadline_on is not None and today > deadline_on,
                "reasons": reasons,
                "next_action": next_action,
                "next_action_on": next_action_on,
                "phone": phone,
                "recycle_on": recycle_on,
                "owner": owner,
                "last_contact_at": utc(last_contact_at),
                "last_mood": last_mood,
                "due_items": items,
            }
