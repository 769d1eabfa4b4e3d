"""A rep's day: follow (with dormancy and reactivation) and the morning queue (`today`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func
from sqlmodel import col, select

from leadctl.domain.choices import (
    OPEN_STATUSES,
    Channel,
    Grade,
    Kind,
    Mood,
    Status,
    parse_choice,
)
from leadctl.domain.dates import parse_day, parse_moment
from leadctl.domain.leads import clean_text
from leadctl.errors import LeadctlError, RuleError
from leadctl.services.common import (
    Ctx,
    get_lead,
    lead_items,
    record,
    refresh_follow_facts,
    refresh_schedule,
    require_owner,
)
from leadctl.services.documents import lead_document
from leadctl.store.tables import FollowUp, Lead, Phone


def follow_up(
    ctx: Ctx,
    ref: str,
    *,
    note: str | None,
    channel: str | None = None,
    kind: str | None = None,
    at: str | None = None,
    next_action: str | None = None,
    next_date: str | None = None,
    mood: str | None = None,
    no_response: bool = False,
    force: bool = False,
) -> dict[str, Any]:
    clock = ctx.settings.clock
    content = clean_text(note, "note")
    if content is None:
        raise LeadctlError('A follow-up needs its content: add --note "…" (what was said).')
    the_channel = parse_choice(Channel, channel) if channel else Channel.PHONE
    the_kind = parse_choice(Kind, kind) if kind else Kind.CONTACT
    the_mood = parse_choice(Mood, mood) if mood else None
    contact_at = (
        parse_moment(at, ctx.now, clock.tz, what="contact time") if at else clock.local(ctx.now)
    ).replace(second=0, microsecond=0)
    if contact_at > ctx.now:
        raise LeadctlError(
            f"The contact time {contact_at:%Y-%m-%d %H:%M} is in the future; "
            "log a follow-up after it happened."
        )
    action = clean_text(next_action, "next action")
    action_on = None
    if next_date:
        action_on = parse_day(next_date, clock.today, what="next-action date")
        if action_on < contact_at.date():
            raise LeadctlError(
                f"The next-action date {action_on.isoformat()} is before the contact day "
                f"{contact_at.date().isoformat()}."
            )
        if action is None:
            raise LeadctlError('A next-action date needs its action: add --next "…".')
    late = ctx.now - contact_at > timedelta(minutes=ctx.settings.late_log_minutes)

    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        number = ctx.number(lead.id)
        woken = lead.woken_on is not None
        if lead.status == Status.WON:
            raise RuleError(f"{number} is won; a won lead takes no more follow-ups.")
        if lead.status == Status.LOST and not woken:
            raise RuleError(
                f"{number} is lost; it takes follow-ups again only once `leadctl wake` wakes it."
            )
        forced = require_owner(ctx, lead, "follow up on", force)
        assert lead.id is not None
        session.add(
            FollowUp(
                lead_id=lead.id,
                at=contact_at,
                channel=the_channel.value,
                kind=the_kind.value,
                note=content,
                next_action=action,
                next_action_on=action_on,
                mood=the_mood.value if the_mood else None,
                responded=not no_response,
                logged_at=ctx.now,
                late=late,
                by=ctx.user,
                forced=forced,
            )
        )
        details: dict[str, Any] = {
            "channel": the_channel.value,
            "kind": the_kind.value,
            "responded": not no_response,
            "late": late,
        }
        if forced:
            details.update(forced=True, owner=lead.owner)
        record(ctx, session, lead, "followed", **details)
        refresh_follow_facts(session, lead)
        _after_follow_up(
            ctx, session, lead, responded=not no_response, woken=woken, day=contact_at.date()
        )
        refresh_schedule(ctx, lead)
        return lead_document(ctx, session, lead)


def _after_follow_up(
    ctx: Ctx, session: Any, lead: Lead, *, responded: bool, woken: bool, day: date
) -> None:
    """Status changes a follow-up causes: reactivation, rest again, or dormancy (SPEC §2)."""
    # clocks count from the contact's day (a back-filled --at yesterday rests from yesterday)
    if lead.status in (Status.DORMANT, Status.LOST):
        if responded:  # an answer brings it back, ungraded (history keeps the old grade)
            previous = lead.status
            record(ctx, session, lead, "reopened", previous=previous, grade=lead.grade)
            lead.status = Status.ACTIVE.value
            lead.grade = None
            lead.grade_reason = None
            lead.grade_set_at = None
            lead.grade_confirmed_at = None
            lead.grade_confirmed_by = None
            lead.ungraded_since = day
            lead.woken_on = None
            lead.rested_on = None
            lead.unanswered_streak = 0
        elif woken:  # no answer to the wake attempt: it rests again from that day
            lead.woken_on = None
            lead.rested_on = day
        return
    if (
        lead.status in OPEN_STATUSES
        and lead.grade == Grade.D
        and lead.unanswered_streak >= ctx.settings.wake.dormant_after
    ):
        lead.status = Status.DORMANT.value
        lead.rested_on = day
        record(ctx, session, lead, "dormant", unanswered=lead.unanswered_streak)


def today_statement(today: date, who: str | None) -> Any:
    """The queue's one query: a range scan of `ix_lead_owner_due` (or `ix_lead_due` for --all)."""
    overdue = case((col(Lead.deadline_on) < today, 0), else_=1)
    ungraded = case((col(Lead.grade).is_(None), 0), else_=1)
    first_phone = (
        select(Phone.e164)
        .where(Phone.lead_id == Lead.id, Phone.position == 0)
        .correlate(Lead)
        .scalar_subquery()
    )
    statement = select(Lead, first_phone).where(col(Lead.due_on) <= today)
    if who is not None:
        statement = statement.where(Lead.owner == who)
    return statement.order_by(
        overdue, ungraded, func.coalesce(Lead.grade, ""), col(Lead.due_on), col(Lead.id)
    )


def today_queue(ctx: Ctx, *, owner: str | None = None, everyone: bool = False) -> dict[str, Any]:
    """The morning queue: one indexed range scan on (owner, due_on), urgent first."""
    today = ctx.today
    who = None if everyone else (owner or ctx.user)
    with ctx.store.read() as session:
        rows = session.exec(today_statement(today, who)).all()
    items = []
    for lead, phone in rows:
        due = [i for i in lead_items(ctx, lead) if i.due_on <= today]
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
                "phone": phone,
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
