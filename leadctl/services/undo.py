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

from leadctl.domain.lifecycle import Entry
from leadctl.domain.search import spelling_keys
from leadctl.errors import RuleError
from leadctl.services.common import Ctx, get_lead, team_of
from leadctl.services.documents import lead_document
from leadctl.store import changes, finding, queries
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import Event

WINDOW = timedelta(hours=24)  # a rep undoes her own change within a day


def undo_change(ctx: Ctx, ref: str) -> dict[str, Any]:
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        who = team_of(ctx, session, "undo changes").actor
        lead = get_lead(ctx, session, ref, for_update=True)
        assert lead.id is not None
        number = ctx.number(lead.id)
        change = changes.latest_change(session, lead.id)
        latest = changes.latest_event(session, lead.id)
        if change is None or latest is None:
            raise RuleError(f"{number} has no change to undo (adding a lead is not undone).")
        entries = changes.events_of(session, change)
        what = entries[0].event if entries else "change"
        when = change.at.astimezone(ctx.settings.clock.tz)
        if change.undone_at is not None or latest.event == "undone":
            raise RuleError(
                f"{number}'s latest change ({what} by {change.by} at {when:%Y-%m-%d %H:%M}) was "
                "already undone; an undo is not itself undone."
            )
        if latest.id is not None and latest.id > change.last_event_id:
            later = latest.at.astimezone(ctx.settings.clock.tz)
            raise RuleError(
                f"{number}'s latest change ({latest.event} by {latest.by} at "
                f"{later:%Y-%m-%d %H:%M}) was made by the nightly wake and cannot be undone."
            )
        if not who.supervisor:
            if change.by != ctx.user:
                raise RuleError(
                    f"{number}'s latest change ({what} at {when:%Y-%m-%d %H:%M}) was made by "
                    f"{change.by}; a rep undoes only her own changes (a supervisor can undo it)."
                )
            if ctx.now - change.at >= WINDOW:
                raise RuleError(
                    f"{number}'s latest change ({what} at {when:%Y-%m-%d %H:%M}) is more than "
                    "24 hours old; a rep undoes her own changes within 24 hours (a supervisor "
                    "can undo it)."
                )
        customer, contact = lead.customer, lead.contact
        changes.take_back(session, lead, change, ctx.now)
        for entry in entries:  # what the lead's columns do not hold: its phones and find keys
            if entry.event == "edited":
                for diff in json.loads(entry.details or "{}").get("changes", []):
                    if diff.get("field") == "phones":
                        queries.replace_phones(session, lead.id, diff["old"])
        if (lead.customer, lead.contact) != (customer, contact):
            finding.replace_keys(session, lead.id, spelling_keys(lead.customer, lead.contact))
        session.add(
            Event(lead_id=lead.id, at=ctx.now, by=ctx.user, event="undone",
                  details=Entry("undone", {"undid": what, "change_at": change.at,
                                           "change_by": change.by}).encoded())
        )  # fmt: skip
        return lead_document(ctx, session, lead)
