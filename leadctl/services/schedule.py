"""Stored due days follow the settings in force (SPEC §6.1): when the work calendar (its kind,
lists or holiday data) or a cadence interval differs from what the stored due days were computed
with, every open lead's schedule is recomputed before the command answers.

The basis is one row of the `setting` table. Every pass runs in one transaction under the
leads lock. With a basis, the pass is SQL (store.schedules): the plain days are recomputed from
the base days each lead keeps, and moved by the calendar. Without one
(a new database of the first release's schema, or one the base days migration upgraded) the
pass reads open leads in keyset batches, computes each schedule with the domain's cadence, and
writes only the rows that changed, one executemany a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from leadctl.domain.cadence import SCHEDULE_COLUMNS as SCHEDULE
from leadctl.domain.cadence import stored_schedule
from leadctl.domain.lifecycle import LeadState
from leadctl.i18n import N_
from leadctl.settings import Settings
from leadctl.store import queries, schedules
from leadctl.store.engine import LOCK_LEADS, Store

BASIS = "schedule_basis"
BATCH = 20_000  # leads read into Python at a time (a pass from facts)
RANGE = 100_000  # open leads rewritten in SQL at a time (between two progress updates)
CALENDAR_BASIS = "schedule_calendar"  # set with the basis by every pass (none: a full one)
# the pass's name for progress (the command line draws it, translated, with what it goes over)
MOVING = N_("Recomputing due days")
STATE_COLUMNS = tuple(f.name for f in fields(LeadState) if f.name != "number")
# progress(stage, done, total): the command line draws it on stderr
Progress = Callable[[str, int, int], None]


def ensure_schedule(store: Store, settings: Settings, progress: Progress | None = None) -> int:
    """Recompute stored due days if the settings changed; returns how many leads changed.

    In SQL when the database has a basis: the plain days recomputed from the base days each
    lead keeps, then moved with the calendar. A database without a basis (made or upgraded by
    a release before the base days) recomputes each open lead from its facts."""
    basis, calendar_basis = settings.schedule_basis, settings.calendar.fingerprint()
    with store.read() as session:
        if queries.setting(session, BASIS) == basis:
            return 0
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        stored = queries.setting(session, BASIS)
        if stored == basis:  # another process did it meanwhile
            return 0
        if stored is None or queries.setting(session, CALENDAR_BASIS) is None:
            changed = _recompute(session, settings, progress)
        else:
            old_rules, new_rules = _rules(stored), _rules(basis)
            changed = _rewrite(
                session, settings, progress,
                changed={name for name, value in new_rules.items() if old_rules.get(name) != value},
                calendar_changed=queries.setting(session, CALENDAR_BASIS) != calendar_basis,
            )  # fmt: skip
        queries.put_setting(session, BASIS, basis)
        queries.put_setting(session, CALENDAR_BASIS, calendar_basis)
    return changed


def _rules(basis: str) -> dict[str, str]:
    """The intervals of a basis (`calendar|a_days=1,b_days=2,…`), by name."""
    pairs = (pair.partition("=") for pair in basis.split("|")[-1].split(","))
    return {name: value for name, _, value in pairs}


def _rewrite(
    session: Any,
    settings: Settings,
    progress: Progress | None,
    *,
    changed: set[str],
    calendar_changed: bool,
) -> int:
    """In SQL, a range of open leads at a time: the plain days of the leads counting a changed
    interval recomputed from their base days, then moved with the calendar (every day off →
    the next working day)."""
    total = queries.count_open(session)
    rewrite = schedules.Rewrite(
        session, settings.calendar.roll_forward, settings.cadence, settings.pool,
        changed=changed, calendar_changed=calendar_changed,
    )  # fmt: skip
    rows, done, after = 0, 0, 0
    try:
        while True:
            if progress is not None:
                progress(MOVING, done, total)
            upto = rewrite.next_bound(after, RANGE)
            rows += rewrite.rewrite(after, upto)
            if upto is None:
                break
            done, after = done + RANGE, upto
    finally:
        rewrite.close()
    if progress is not None and total:
        progress(MOVING, total, total)
    return rows


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
            progress(MOVING, done, total)
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
        progress(MOVING, total, total)
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
