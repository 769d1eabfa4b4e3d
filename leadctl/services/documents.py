"""The lead as `show` gives it (SPEC §4): one document, reused by every command that changes it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, overload

from sqlmodel import Session

from leadctl.domain.cadence import reasons_due, recycle_day
from leadctl.domain.leads import lead_number
from leadctl.domain.money import from_fen
from leadctl.i18n import _
from leadctl.services.common import Ctx, lead_items
from leadctl.store import queries
from leadctl.store.tables import Event, FollowUp, Lead, Opportunity, Outcome


def opportunity_document(opp: Opportunity | None) -> dict[str, Any] | None:
    if opp is None:
        return None
    return {
        "budget": opp.budget,
        "budget_ok": opp.budget_ok,
        "decision_maker": {
            "name": opp.decision_maker,
            "title": opp.dm_title,
            "phone": opp.dm_phone,
        },
        "competitor": opp.competitor,
        "advantage": opp.advantage,
        "strategy": opp.strategy,
        "upgraded_at": opp.upgraded_at,
        "upgraded_by": opp.upgraded_by,
    }


def outcome_document(outcome: Outcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    doc: dict[str, Any] = {"result": outcome.result, "closed_on": outcome.closed_on}
    if outcome.result == "won":
        doc.update(
            amount=from_fen(outcome.amount_fen or 0),
            contract=outcome.contract,
            product=outcome.product,
            factors=outcome.factors,
        )
    else:
        doc.update(reason=outcome.reason, note=outcome.note, competitor=outcome.competitor)
    doc["by"] = outcome.by
    return doc


def follow_up_document(row: FollowUp) -> dict[str, Any]:
    return {
        "at": row.at,
        "channel": row.channel,
        "kind": row.kind,
        "note": row.note,
        "next_action": row.next_action,
        "next_action_on": row.next_action_on,
        "mood": row.mood,
        "responded": row.responded,
        "logged_at": row.logged_at,
        "late": row.late,
        "by": row.by,
    }


def history_document(row: Event) -> dict[str, Any]:
    details = json.loads(row.details or "{}")
    return {"at": row.at, "by": row.by, "event": row.event, **details}


def lead_document(ctx: Ctx, session: Session, lead: Lead) -> dict[str, Any]:
    assert lead.id is not None
    session.flush()
    items = lead_items(ctx, lead)
    today = ctx.today
    outcome = None
    if lead.status in ("won", "lost"):
        outcome = queries.latest_outcome(session, lead.id)
    follow_ups = queries.follow_ups_of(session, lead.id)
    history = queries.history_of(session, lead.id)
    return {
        "number": ctx.number(lead.id),
        "customer": lead.customer,
        "customer_type": lead.customer_type,
        "contact": lead.contact,
        "phones": queries.lead_phones(session, lead.id),
        "email": lead.email,
        "wechat": lead.wechat,
        "source": lead.source,
        "need": lead.need,
        # the capture form's 备注, kept where the lead's history starts
        "note": first_note(history),
        "acquired_on": lead.acquired_on,
        "owner": lead.owner,
        "status": lead.status,
        "grade": lead.grade,
        "grade_reason": lead.grade_reason,
        "graded_at": lead.graded_at,
        "graded_by": lead.graded_by,
        "grade_confirmed": lead.grade is not None and lead.grade_confirmed_at is not None,
        "due_on": lead.due_on,
        "overdue": lead.deadline_on is not None and today > lead.deadline_on,
        "due_items": [
            {
                "item": i.name,
                "due_on": i.due_on,
                "deadline_on": i.deadline_on,
                "overdue": i.overdue(today),
                **i.detail,
            }
            for i in items
        ],
        "reasons": reasons_due(items, today),
        "next_action": lead.next_action,
        "next_action_on": lead.next_action_on,
        "woken_on": lead.woken_on,
        "previous_owner": lead.previous_owner,
        "recycle_on": recycle_day(items),
        "opportunity": opportunity_document(queries.opportunity_of(session, lead.id)),
        "outcome": outcome_document(outcome),
        "follow_ups": [follow_up_document(r) for r in follow_ups],
        "history": [history_document(r) for r in history],
    }


def first_note(history: list[Event]) -> str | None:
    """The note the lead was captured with (the form's 备注), from its `created` entry."""
    if not history or history[0].event != "created":
        return None
    note = json.loads(history[0].details or "{}").get("note")
    return str(note) if note is not None else None


def owned(owner: str | None) -> str:
    """How a lead's owner is named in a message: `owner 王芳`, or `in the pool`."""
    # TRANSLATORS: said of a lead in parentheses after its number: "L0007 (owner 王芳)"
    return _("owner {owner}").format(owner=owner) if owner is not None else _("in the pool")


class LeadItems(Sequence[dict[str, Any]]):
    """`list`'s items (SPEC §4) from rows of queries.LIST_COLUMNS: also `find`'s and `pool`'s.

    Each item is made when it is read (JSON reads them all); the human listing reads the
    rows a column at a time (`columns`) and makes none: a pool at 1M leads lists tens of
    thousands, and a dict of each cost as much as laying the table out."""

    def __init__(self, rows: Iterable[Any], prefix: str) -> None:
        self.rows = rows if isinstance(rows, list) else list(rows)
        self.prefix = prefix

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return list(self._items(self.rows[index]))
        return next(self._items([self.rows[index]]))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._items(self.rows)

    def _items(self, rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
        prefix = self.prefix
        return (
            {
                "number": lead_number(lead_id, prefix),
                "customer": customer,
                "status": status,
                "grade": grade,
                "owner": owner,
                "source": source,
                "due_on": due_on,
            }
            for lead_id, customer, status, grade, owner, source, due_on in rows
        )

    def columns(self) -> list[Sequence[Any]]:
        """The items' values a key at a time, in the items' key order (number first)."""
        by_column: list[Sequence[Any]] = list(zip(*self.rows, strict=True))
        if not by_column:
            return [() for _ in queries.LIST_COLUMNS]
        by_column[0] = list(map(lead_number, by_column[0], repeat(self.prefix)))
        return by_column


def list_items(ctx: Ctx, rows: Iterable[Any]) -> LeadItems:
    """`list`'s items (SPEC §4) from rows of queries.LIST_COLUMNS: also `find`'s and `pool`'s."""
    return LeadItems(rows, ctx.settings.number_prefix)
