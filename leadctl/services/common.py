"""What every service shares: the context, finding a lead, and applying a transition.

A service loads the lead (`get_lead`), asks domain/lifecycle.py what a command changes
(`state` gives it the facts), and `apply`s the answer: the fields, the history entries, and the
stored schedule the cadence derives from the new state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from leadctl.domain.cadence import DueItem, due_items, stored_schedule
from leadctl.domain.leads import lead_number, parse_lead_ref
from leadctl.domain.lifecycle import Change, FollowRecord, LeadState
from leadctl.domain.team import Actor, Member, actor, check_owner
from leadctl.errors import NotFound
from leadctl.i18n import N_, _
from leadctl.store import changes, queries
from leadctl.store import team as team_store
from leadctl.store.tables import Event, Lead

if TYPE_CHECKING:
    from leadctl.settings import Settings
    from leadctl.store.engine import IfMissing, Store


@dataclass
class Ctx:
    """The settings of this run and its database, opened on first use."""

    settings: Settings
    # progress(stage, done, total) of long passes, drawn on stderr by the command line
    progress: Callable[[str, int, int], None] | None = field(default=None, repr=False)
    # a one-line note for the user on stderr (None: say nothing, e.g. `wake --quiet`)
    note: Callable[[str], None] | None = field(default=None, repr=False)
    # what to do when the database named by a setting is a file that does not exist (see
    # store.engine.IfMissing; the command line chooses per command)
    if_missing: IfMissing = "create"
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The database, opened on first use: migrated, and its stored due days recomputed
        if the calendar or cadence settings changed since they were computed."""
        if self._store is None:
            from leadctl.services.schedule import ensure_schedule, note_uncovered_years
            from leadctl.services.team import settings_in_force
            from leadctl.store.engine import open_store

            store = open_store(self.settings, self.progress, if_missing=self.if_missing)
            try:
                self.settings = settings_in_force(store, self.settings, self.note)
                note_uncovered_years(self.settings, self.note)
                ensure_schedule(store, self.settings, self.progress)
            except BaseException:
                store.close()
                raise
            self._store = store
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

    def close(self, *, refused: bool = False) -> None:
        """Close the database; after a refused command, a database file this run created
        with nothing written into it is removed again."""
        if self._store is not None:
            if refused:
                from leadctl.store.engine import forget_if_unused

                forget_if_unused(self._store)
            else:
                self._store.close()
            self._store = None


def get_lead(ctx: Ctx, session: Session, ref: str, *, for_update: bool = False) -> Lead:
    lead_id = parse_lead_ref(ref, ctx.settings.number_prefix)
    lead = queries.lead_by_id(session, lead_id, for_update=for_update)
    if lead is None:
        raise NotFound(
            _("No lead {number}: check the number with `leadctl list`.").format(
                number=ctx.number(lead_id)
            )
        )
    return lead


def state(ctx: Ctx, lead: Lead) -> LeadState:
    """The facts the playbook's rules read, from the lead's row."""
    return LeadState.of(lead, ctx.number(lead.id))


def lead_items(ctx: Ctx, lead: Lead) -> list[DueItem]:
    settings = ctx.settings
    return due_items(
        state(ctx, lead).cadence_facts(),
        settings.cadence,
        settings.clock.tz,
        settings.calendar,
        settings.pool,
    )


def apply(ctx: Ctx, session: Session, lead: Lead, change: Change) -> None:
    """Apply a transition: set its fields, record its history (by the current user, now),
    store the schedule of the lead's new state, and keep what it changed for `undo`."""
    assert lead.id is not None
    before = changes.Before(session, lead)  # what `undo` restores
    for name, value in change.fields.items():
        setattr(lead, name, value)
    events = [
        Event(lead_id=lead.id, at=ctx.now, by=ctx.user, event=entry.event,
              details=entry.encoded())
        for entry in change.entries
    ]  # fmt: skip
    session.add_all(events)
    refresh_schedule(ctx, lead)
    if events:
        before.record(lead, ctx.now, ctx.user, events)


def refresh_schedule(ctx: Ctx, lead: Lead) -> None:
    """Store the lead's due and deadline days; called by every write that can change them."""
    facts, settings = state(ctx, lead), ctx.settings
    schedule = stored_schedule(
        facts.cadence_facts(),
        facts.proposal_done_on,
        settings.cadence,
        settings.clock.tz,
        settings.calendar,
        settings.pool,
    )
    for name, value in schedule.items():
        setattr(lead, name, value)
    lead.updated_at = ctx.now


def follow_records(session: Session, lead: Lead) -> list[FollowRecord]:
    """The lead's follow-ups as the rules see them, in contact-time order."""
    assert lead.id is not None
    return [FollowRecord.of(row) for row in queries.follow_ups_of(session, lead.id)]


@dataclass(frozen=True)
class Team:
    """The roster as this command sees it, and the current user's place on it."""

    roster: list[Member]
    actor: Actor

    def owner(self, name: str, *, what: str = N_("owner")) -> str:
        """`name` if it may own leads: an active member (anyone while the roster is empty)."""
        return check_owner(name, self.roster, what=what)


def team_of(ctx: Ctx, session: Session, command: str | None) -> Team:
    """The roster, and the current user as its member; `command` (what the user is doing, in
    words: "grade leads") names a write, which needs an active member once there is a roster."""
    members = team_store.roster(session)
    if command is None:
        return Team(members, Actor(ctx.user))
    return Team(members, actor(ctx.user, members, command))


def known_owner(ctx: Ctx, session: Session, name: str) -> None:
    """`--owner X` names a member (with a roster): an unknown X is refused, naming the closest
    members, instead of showing an empty queue or review."""
    members = team_store.roster(session)
    if members and not any(m.name == name for m in members):
        check_owner(name, members)
