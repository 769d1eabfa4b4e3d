"""The morning queue (`today`): one indexed range scan on (owner, due_on), urgent first."""

from __future__ import annotations

from typing import Any

from leadctl.domain.cadence import recycle_day
from leadctl.services.common import Ctx, known_owner, lead_items
from leadctl.store import queries


def today_queue(ctx: Ctx, *, owner: str | None = None, everyone: bool = False) -> dict[str, Any]:
    today = ctx.today
    who = None if everyone else (owner or ctx.user)
    with ctx.store.read() as session:
        if owner is not None:
            known_owner(ctx, session, owner)
        rows = queries.queue_rows(session, today, who)
    items = []
    for lead, phone in rows:
        schedule = lead_items(ctx, lead)
        due = [i for i in schedule if i.due_on <= today]
        items.append(
            {
                "number": ctx.number(lead.id),
                "customer": lead.customer,
                "grade": lead.grade,
                "status": lead.status,
                "due_on": lead.due_on,
                "overdue": lead.deadline_on is not None and today > lead.deadline_on,
                "reasons": [i.name for i in due],
                "next_action": lead.next_action,
                "next_action_on": lead.next_action_on,
                "phone": phone,
                "recycle_on": recycle_day(schedule),
                "owner": lead.owner,
                "last_contact_at": lead.last_contact_at,
                "last_mood": lead.last_mood,
                "due_items": [
                    {
                        "item": i.name,
                        "due_on": i.due_on,
                        "deadline_on": i.deadline_on,
                        "overdue": i.overdue(today),
                        **i.detail,
                    }
                    for i in due
                ],
            }
        )
    return {"date": today, "owner": who, "items": items}
