"""Stored due days follow the settings in force (SPEC §6.1): when the work calendar (its kind,
lists or holiday data) or a cadence interval differs from what the stored due days were computed
with, every open lead's schedule is recomputed before the command answers.

The basis is one row of the `setting` table. The pass reads open leads in keyset batches,
computes each schedule with the domain's cadence (memoised per day by the calendar), and writes
only the rows that changed, one executemany a batch, in one transaction under the leads lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from leadctl.domain.cadence import stored_schedule
from leadctl.domain.lifecycle import LeadState
from leadctl.settings import Settings
from leadctl.store import queries
from leadctl.store.engine import LOCK_LEADS, Store

BASIS = "schedule_basis"
BATCH = 20_000
SCHEDULE = (
    "due_on", "deadline_on", "proposal_due_on", "proposal_done_on", "recycle_from",
    "plain_due_on", "plain_deadline_on", "plain_proposal_due_on",
)  # fmt: skip
CALENDAR_BASIS = "schedule_calendar"  # the part a change of calendar alone touches
STATE_COLUMNS = tuple(f.name for f in fields(LeadState) if f.name != "number")
# progress(stage, done, total): the command line draws it on stderr
Progress = Callable[[str, int, int], None]


def ensure_schedule(store: Store, settings: Settings, progress: Progress | None = None) -> int:
    """Recompute stored due days if the settings changed; returns how many leads changed.

    A change of calendar alone (kind, lists, holiday data) moves every open lead's stored
    plain days in one SQL statement; a change of a cadence or pool interval (or a database
    without a basis) recomputes each open lead from its facts."""
    basis, calendar_basis = settings.schedule_basis, settings.calendar.fingerprint()
    with store.read() as session:
        if queries.setting(session, BASIS) == basis:
            return 0
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        stored = queries.setting(session, BASIS)
        if stored == basis:  # another process did it meanwhile
            return 0
        stored_calendar = queries.setting(session, CALENDAR_BASIS)
        if (
            stored is not None
            and stored_calendar is not None
            and _rules_part(stored) == _rules_part(basis)
        ):
            changed = _move(session, settings, progress)
        else:
            changed = _recompute(session, settings, progress)
        queries.put_setting(session, BASIS, basis)
        queries.put_setting(session, CALENDAR_BASIS, calendar_basis)
    return changed


def _rules_part(basis: str) -> str:
    """The cadence and pool part of a basis (it starts with the calendar's fingerprint)."""
    return basis.split("|")[-1]


def _move(session: Any, settings: Settings, progress: Progress | None) -> int:
    """Only the calendar changed: move the stored plain days with the new calendar."""
    total = queries.count_open(session)
    if progress is not None:
        progress("Moving due days to the new calendar", 0, total)
    roll = settings.calendar.roll_forward
    moved = {day: roll(day) for day in queries.plain_days(session)}
    changed = queries.move_schedules(session, {d: m for d, m in moved.items() if d != m})
    if progress is not None and total:
        progress("Moving due days to the new calendar", total, total)
    return changed


def _recompute(session: Any, settings: Settings, progress: Progress | None) -> int:
    """Recompute every open lead's schedule from its facts, in keyset batches."""
    total = queries.count_open(session)
    rules, tz, calendar = settings.cadence, settings.clock.tz, settings.calendar
    columns = tuple(dict.fromkeys((*STATE_COLUMNS, *SCHEDULE)))
    changed, done, after = 0, 0, 0
    while True:
        batch = queries.open_leads_after(session, after, columns, BATCH)
        if not batch:
            break
        if progress is not None:
            progress("Recomputing due days", done, total)
        updates = []
        for row in batch:
            facts = LeadState.of(row, "")
            new = stored_schedule(
                facts.cadence_facts(), row.proposal_done_on, rules, tz, calendar, settings.pool
            )
            if any(new[name] != getattr(row, name) for name in SCHEDULE):
                updates.append({f"b_{name}": new[name] for name in SCHEDULE} | {"b_id": row.id})
        queries.update_schedules(session, SCHEDULE, updates)
        changed += len(updates)
        done += len(batch)
        after = batch[-1].id
    if progress is not None and total:
        progress("Recomputing due days", total, total)
    return changed


def note_uncovered_years(settings: Settings, note: Callable[[str], None] | None) -> None:
    """One line when due days this month or next fall in a year the holiday data does not
    cover (every December, until the data is upgraded or the config lists the year)."""
    if note is None:
        return
    from datetime import timedelta

    from leadctl.domain.workcal import uncovered_years_note

    calendar, today = settings.calendar, settings.clock.today
    years = calendar.uncovered_years({today.year, (today + timedelta(days=31)).year})
    if years:
        note(uncovered_years_note(years, calendar.data_source()))
