"""`undo`: take back the latest change a command made to a lead (SPEC §6.4).

The change was kept by services.common.apply (store.changes): the lead's columns and its rows
as they were. An undo restores them, marks the change's history entries `undone` (they stay in
the history; the review no longer counts them) and adds an `undone` entry naming the change.
The current user may undo her own change within 24 hours; a supervisor (and anyone while the
roster is empty) any user's latest change of any age. An undo is not itself undone: a second
one is refused until the lead changes again; so is a change made by the nightly `wake`, which
keeps no record to restore.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from leadctl.domain.choices import NOT_CLOSED_STATUSES as NOT_CLOSED
from leadctl.domain.lifecycle import Entry
from leadctl.domain.search import spelling_keys
from leadctl.errors import RuleError
from leadctl.i18n import N_, _, _p
from leadctl.services.common import Ctx, get_lead, team_of
from leadctl.services.documents import lead_document
from leadctl.services.leads import find_duplicate
from leadctl.store import changes, finding, queries
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import Event

WINDOW = timedelta(hours=24)  # a rep undoes her own change within a day


def undo_change(ctx: Ctx, ref: str) -> dict[str, Any]:
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        who = team_of(ctx, session, N_("undo changes")).actor
        lead = get_lead(ctx, session, ref, for_update=True)
        assert lead.id is not None
        number = ctx.number(lead.id)
        change = changes.latest_change(session, lead.id)
        latest = changes.latest_event(session, lead.id)
        if change is None or latest is None:
            raise RuleError(
                _("{number} has no change to undo (adding a lead is not undone).").format(
                    number=number
                )
            )
        entries = changes.events_of(session, change)
        what = entries[0].event if entries else "change"
        when = f"{change.at.astimezone(ctx.settings.clock.tz):%Y-%m-%d %H:%M}"
        if change.undone_at is not None or latest.event == "undone":
            raise RuleError(
                _(
                    "{number}'s latest change ({change} by {user} at {time}) was "
                    "already undone; an undo is not itself undone."
                ).format(number=number, change=_event(what), user=change.by, time=when)
            )
        if latest.id is not None and latest.id > change.last_event_id:
            later = latest.at.astimezone(ctx.settings.clock.tz)
            raise RuleError(
                _(
                    "{number}'s latest change ({change} by {user} at {time}) was made by the "
                    "nightly wake and cannot be undone."
                ).format(
                    number=number,
                    change=_event(latest.event),
                    user=latest.by,
                    time=f"{later:%Y-%m-%d %H:%M}",
                )
            )
        if not who.supervisor:
            if change.by != ctx.user:
                raise RuleError(
                    _(
                        "{number}'s latest change ({change} at {time}) was made by "
                        "{user}; a rep undoes only her own changes (a supervisor can undo it)."
                    ).format(number=number, change=_event(what), time=when, user=change.by)
                )
            if ctx.now - change.at >= WINDOW:
                raise RuleError(
                    _(
                        "{number}'s latest change ({change} at {time}) is more than "
                        "24 hours old; a rep undoes her own changes within 24 hours (a supervisor "
                        "can undo it)."
                    ).format(number=number, change=_event(what), time=when)
                )
        customer, contact = lead.customer, lead.contact
        was_open, key, phones = lead.status in NOT_CLOSED, lead.customer_key, None
        changes.take_back(session, lead, change, ctx.now)
        for entry in entries:  # what the lead's columns do not hold: its phones and find keys
            if entry.event == "edited":
                for diff in json.loads(entry.details or "{}").get("changes", []):
                    if diff.get("field") == "phones":
                        phones = queries.lead_phones(session, lead.id)
                        queries.replace_phones(session, lead.id, diff["old"])
        if lead.status in NOT_CLOSED:  # reopened, or given back a customer or phones: checked
            now_phones = queries.lead_phones(session, lead.id)
            found = find_duplicate(
                ctx,
                session,
                lead.customer_key if not was_open or lead.customer_key != key else None,
                [p for p in now_phones if not was_open or p not in (phones or now_phones)],
                exclude=lead.id,
            )
            if found:
                raise RuleError(
                    _(
                        "Duplicate: {found}. Undoing {number}'s latest change ({change}) would "
                        "leave two open leads for one customer; nothing was changed."
                    ).format(found=found, number=number, change=_event(what))
                )
        if (lead.customer, lead.contact) != (customer, contact):
            finding.replace_keys(session, lead.id, spelling_keys(lead.customer, lead.contact))
        session.add(
            Event(lead_id=lead.id, at=ctx.now, by=ctx.user, event="undone",
                  details=Entry("undone", {"undid": what, "change_at": change.at,
                                           "change_by": change.by}).encoded())
        )  # fmt: skip
        return lead_document(ctx, session, lead)


def _event(event: str) -> str:
    """A change as a refusal names it: its history event (`graded`), or in Chinese its words."""
    words = {
        "created": _p("event", "created"),
        "followed": _p("event", "followed"),
        "graded": _p("event", "graded"),
        "grade_confirmed": _p("event", "grade_confirmed"),
        "assigned": _p("event", "assigned"),
        "upgraded": _p("event", "upgraded"),
        "won": _p("event", "won"),
        "lost": _p("event", "lost"),
        "claimed": _p("event", "claimed"),
        "released": _p("event", "released"),
        "edited": _p("event", "edited"),
        "reopened": _p("event", "reopened"),
        "dormant": _p("event", "dormant"),
        "woken": _p("event", "woken"),
        "recycled": _p("event", "recycled"),
        "undone": _p("event", "undone"),
        "change": _p("event", "change"),
    }
    return words.get(event, event)
