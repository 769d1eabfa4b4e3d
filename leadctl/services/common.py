"""What every service shares: the context, finding a lead, history, ownership, the schedule."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from leadctl.domain.cadence import DueItem, LeadFacts, due_items, schedule
from leadctl.domain.choices import Grade, Status
from leadctl.domain.leads import lead_number, parse_lead_ref
from leadctl.errors import NotFound, RuleError
from leadctl.store.tables import Event, FollowUp, Lead

if TYPE_CHECKING:
    from leadctl.settings import Settings
    from leadctl.store.engine import Store


@dataclass
class Ctx:
    """The settings of this run and its database, opened on first use."""

    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            from leadctl.store.engine import open_store

            self._store = open_store(self.settings)
        return self._store

    @property
    def user(self) -> str:
        return self.settings.user

    @property
    def now(self) -> datetime:
        return self.settings.clock.now

    @property
    def today(self) -> date:
        return self.settings.clock.today

    def number(self, lead_id: int | None) -> str:
        assert lead_id is not None
        return lead_number(lead_id, self.settings.number_prefix)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def get_lead(ctx: Ctx, session: Session, ref: str, *, for_update: bool = False) -> Lead:
    lead_id = parse_lead_ref(ref, ctx.settings.number_prefix)
    statement = select(Lead).where(Lead.id == lead_id)
    if for_update:
        statement = statement.with_for_update()
    lead = session.exec(statement).first()
    if lead is None:
        raise NotFound(f"No lead {ctx.number(lead_id)}: check the number with `leadctl list`.")
    return lead


def record(ctx: Ctx, session: Session, lead: Lead, event: str, **details: Any) -> None:
    """Append one line to the lead's history (who, when, what)."""
    assert lead.id is not None
    session.add(
        Event(
            lead_id=lead.id,
            at=ctx.now,
            by=ctx.user,
            event=event,
            details=json.dumps(details, ensure_ascii=False, default=str),
        )
    )


def require_owner(ctx: Ctx, lead: Lead, action: str, force: bool) -> bool:
    """Only the owner may act on a lead unless --force; returns whether force was used."""
    if lead.owner == ctx.user:
        return False
    if force:
        return True
    raise RuleError(
        f"{ctx.number(lead.id)} belongs to {lead.owner}; only the owner can {action} it "
        "(pass --force to do it anyway; it is recorded)."
    )


def require_status(ctx: Ctx, lead: Lead, allowed: tuple[Status, ...], action: str) -> None:
    if lead.status not in allowed:
        names = ", ".join(s.value for s in allowed)
        raise RuleError(
            f"{ctx.number(lead.id)} is {lead.status}; only {names} leads can be {action}."
        )


def lead_facts(lead: Lead) -> LeadFacts:
    return LeadFacts(
        status=Status(lead.status),
        grade=Grade(lead.grade) if lead.grade else None,
        ungraded_since=lead.ungraded_since,
        graded_at=lead.graded_at,
        grade_set_at=lead.grade_set_at,
        last_contact_at=lead.last_contact_at,
        last_proposal_at=lead.last_proposal_at,
        last_case_at=lead.last_case_at,
        next_action=lead.next_action,
        next_action_on=lead.next_action_on,
        woken_on=lead.woken_on,
    )


def lead_items(ctx: Ctx, lead: Lead) -> list[DueItem]:
    return due_items(lead_facts(lead), ctx.settings.cadence, ctx.settings.clock.tz)


def refresh_schedule(ctx: Ctx, lead: Lead) -> None:
    """Store the lead's due and deadline days; called by every write that can change them."""
    lead.due_on, lead.deadline_on = schedule(lead_items(ctx, lead))
    tz = ctx.settings.clock.tz
    since = lead.grade_set_at
    if lead.grade == Grade.A and since is not None:
        lead.proposal_due_on = since.astimezone(tz).date() + timedelta(
            days=ctx.settings.cadence.proposal_days
        )
        # contact times are kept to the minute: a proposal in the grading's minute counts
        if lead.last_proposal_at is not None and lead.last_proposal_at >= since.replace(
            second=0, microsecond=0
        ):
            done = lead.last_proposal_at.astimezone(tz).date()
            if lead.proposal_done_on is None or done < lead.proposal_done_on:
                lead.proposal_done_on = done
    else:
        lead.proposal_due_on = lead.proposal_done_on = None
    lead.updated_at = ctx.now


def refresh_follow_facts(session: Session, lead: Lead) -> None:
    """Recompute what the lead keeps from its follow-ups (one indexed query of its own rows)."""
    session.flush()
    rows = session.exec(
        select(FollowUp).where(FollowUp.lead_id == lead.id).order_by(FollowUp.at, FollowUp.id)  # type: ignore[arg-type]
    ).all()
    lead.last_contact_at = rows[-1].at if rows else None
    lead.last_mood = rows[-1].mood if rows else None
    lead.next_action = rows[-1].next_action if rows else None
    lead.next_action_on = rows[-1].next_action_on if rows else None
    proposals = [r.at for r in rows if r.kind == "proposal"]
    cases = [r.at for r in rows if r.kind == "case"]
    lead.last_proposal_at = proposals[-1] if proposals else None
    lead.last_case_at = cases[-1] if cases else None
    streak = 0
    for row in reversed(rows):
        if row.responded:
            break
        streak += 1
    lead.unanswered_streak = streak
