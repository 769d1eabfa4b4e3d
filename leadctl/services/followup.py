"""`follow`: log a follow-up; the lifecycle decides dormancy, reactivation and the next action
in force (SPEC §2, §6.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from leadctl.domain import lifecycle
from leadctl.domain.choices import Channel, Kind, Mood, parse_choice
from leadctl.domain.dates import parse_day, parse_moment
from leadctl.domain.leads import clean_text
from leadctl.domain.team import Actor
from leadctl.errors import LeadctlError, RuleError
from leadctl.i18n import N_, _
from leadctl.services.common import Ctx, apply, follow_records, get_lead, state, team_of
from leadctl.services.documents import follow_up_document, lead_document
from leadctl.services.leads import find_duplicate
from leadctl.store import queries
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import FollowUp, Lead


@dataclass(frozen=True)
class Followed:
    """What `follow` did: the lead as `show` gives it, and the follow-up just logged (as in its
    `follow_ups[]`), whose `late` the confirmation tells at once."""

    lead: dict[str, Any]
    logged: dict[str, Any]


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
    done: bool = False,
    force: bool = False,
) -> Followed:
    clock = ctx.settings.clock
    content = clean_text(note, N_("note"))
    if content is None:
        raise LeadctlError(_('A follow-up needs its content: add --note "…" (what was said).'))
    the_channel = parse_choice(Channel, channel) if channel else Channel.PHONE
    the_kind = parse_choice(Kind, kind) if kind else Kind.CONTACT
    the_mood = parse_choice(Mood, mood) if mood else None
    contact_at = (
        parse_moment(at, ctx.now, clock.tz, what=N_("contact time"), direction="past")
        if at
        else clock.local(ctx.now)
    ).replace(second=0, microsecond=0)
    if contact_at > ctx.now:
        raise LeadctlError(
            _(
                "The contact time {time} is in the future; log a follow-up after it happened."
            ).format(time=f"{contact_at:%Y-%m-%d %H:%M}")
        )
    action = clean_text(next_action, N_("next action"))
    action_on = None
    if next_date:
        action_on = parse_day(
            next_date, clock.today, what=N_("next-action date"), direction="future"
        )
        if action_on < contact_at.date():
            raise LeadctlError(
                _("The next-action date {day} is before the contact day {contact_day}.").format(
                    day=action_on.isoformat(), contact_day=contact_at.date().isoformat()
                )
            )
        if action is None:
            raise LeadctlError(_('A next-action date needs its action: add --next "…".'))
    late = ctx.now - contact_at > timedelta(minutes=ctx.settings.late_log_minutes)

    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)  # a reopened lead's duplicate check is race-free
        who = team_of(ctx, session, N_("log follow-ups")).actor
        lead = get_lead(ctx, session, ref, for_update=True)
        facts = state(ctx, lead)
        lifecycle.require_followable(facts, lead.customer)
        forced = lifecycle.require_owner(facts, who, N_("follow up on"), force)
        lifecycle.require_contact_time(facts, lead.acquired_on, contact_at, clock.tz)
        assert lead.id is not None
        duplicate = None
        if lifecycle.reopens(facts, not no_response):
            duplicate = _reopen_duplicate(ctx, session, lead, facts.number, who, force)
        # the lead's follow-ups before this one: the rules place it among them by contact time
        previous = follow_records(session, lead)
        row = FollowUp(
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
            done=done,
        )
        details: dict[str, Any] = {
            "channel": the_channel.value,
            "kind": the_kind.value,
            "responded": not no_response,
            "late": late,
        }
        if forced:
            details.update(forced=True, owner=lead.owner)
        if duplicate is not None:
            details["duplicate_of"] = duplicate  # reopened beside it with --force
        change = lifecycle.follow(
            facts,
            previous,
            lifecycle.FollowRecord.of(row),
            tz=clock.tz,
            dormant_after=ctx.settings.wake.dormant_after,
            details=details,
            by_owner=not forced,  # only the owner's follow-up restarts the recycling clock
        )
        session.add(row)
        apply(ctx, session, lead, change)
        return Followed(lead_document(ctx, session, lead), follow_up_document(row))


def _reopen_duplicate(
    ctx: Ctx, session: Session, lead: Lead, number: str, who: Actor, force: bool
) -> str | None:
    """An answered follow-up reopens a woken lost lead: refused, like `add`, while another
    not-closed lead has its customer or one of its phones, unless a supervisor passes --force
    (recorded). Returns what was allowed with --force, if anything."""
    assert lead.id is not None
    phones = queries.lead_phones(session, lead.id)
    found = find_duplicate(ctx, session, lead.customer_key, phones, exclude=lead.id)
    if found is None:
        return None
    if force and who.supervisor:
        return found
    if who.supervisor:
        raise RuleError(
            _(
                "Duplicate: {found}. An answered follow-up would reopen {number} beside it: "
                "follow up that lead, or pass --force to reopen {number} anyway (recorded)."
            ).format(found=found, number=number)
        )
    raise RuleError(
        _(
            "Duplicate: {found}. An answered follow-up would reopen {number} beside it: follow "
            "up that lead (a supervisor can reopen {number} anyway with --force)."
        ).format(found=found, number=number)
    )
