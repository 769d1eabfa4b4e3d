"""The stored schedule recomputed in SQL when the settings change (services.schedule).

A lead row keeps its due day, deadline and proposal deadline twice: counted in calendar days
(`plain_…`) and moved by the work calendar; and the base days its interval items count from
(domain.cadence.BaseDays). A change of interval or calendar recomputes the plain days from the
base days and moves them through a small table of the days the calendar moves (`Rewrite`): an
UPDATE per range of open leads; the date arithmetic is the only part that differs between
SQLite and PostgreSQL, and it is here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    case,
    cast,
    func,
    literal,
    or_,
    update,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session

from leadctl.domain.cadence import CadenceRules, PoolRules
from leadctl.domain.choices import OPEN_STATUSES, Grade
from leadctl.store.tables import LEAD_TABLE as LEAD

_OPEN = [s.value for s in OPEN_STATUSES]
_NEVER = date(9999, 12, 31)  # stands for "no such item" where SQLite's min() needs a value


class _Days:
    """Date arithmetic of one dialect: a day plus a number of days, the earliest of days."""

    def __init__(self, session: Session) -> None:
        self.sqlite = session.get_bind().dialect.name == "sqlite"

    def plus(self, day: Any, days: int) -> Any:
        if self.sqlite:  # dates are ISO text: date(day, '+3 days')
            return func.date(day, literal(f"{days:+d} days"))
        return day + cast(literal(days), Integer)

    def earliest(self, *days: Any) -> Any:
        """The earliest of the days that are not NULL (NULL if none is)."""
        if not self.sqlite:
            return func.least(*days)  # PostgreSQL's least() skips NULLs
        never = literal(_NEVER.isoformat())
        # SQLite's min() of several values is NULL if any is: stand in a day that never comes
        return func.nullif(func.min(*(func.coalesce(d, never) for d in days)), never)


# the days a lead's items count from, and its plain days: the days a calendar may have to
# move lie between the earliest of them and the latest plus the longest interval
_ITEM_DAYS = (
    LEAD.c.ungraded_since, LEAD.c.touch_on, LEAD.c.grade_set_on, LEAD.c.proposal_from,
    LEAD.c.case_from, LEAD.c.next_action_on, LEAD.c.recycle_from, LEAD.c.plain_due_on,
    LEAD.c.plain_deadline_on, LEAD.c.plain_proposal_due_on,
)  # fmt: skip
_PLAIN = (LEAD.c.plain_due_on, LEAD.c.plain_deadline_on, LEAD.c.plain_proposal_due_on)
_STORED = (LEAD.c.due_on, LEAD.c.deadline_on, LEAD.c.proposal_due_on)
# the rules each plain day counts with (domain.cadence.due_items)
_DUE_RULES = {"a_days", "b_days", "c_days", "d_days", "proposal_days", "case_days",
              "recycle_days", "notify_days"}  # fmt: skip
_DEADLINE_RULES = {"a_days", "b_days", "b_deadline_days", "c_days", "d_days", "proposal_days",
                   "case_days", "recycle_days"}  # fmt: skip
_CACHE_KIB = 256 * 1024  # SQLite's page cache for the pass (2 MiB by default): index pages stay


def _counting(rule: str) -> Any:
    """The leads with an item that counts `rule` (a field of CadenceRules or PoolRules)."""
    grade = LEAD.c.grade
    by_grade = {"a_days": "A", "b_days": "B", "b_deadline_days": "B", "c_days": "C",
                "d_days": "D", "proposal_days": "A", "case_days": "B"}  # fmt: skip
    if rule in by_grade:
        return grade == by_grade[rule]
    return LEAD.c.recycle_from.is_not(None)  # recycle_days, notify_days


class Rewrite:
    """A settings change rewritten over the owned open leads, one range of ids at a time (so
    the command can show progress), in the caller's transaction:

    - `changed` rules (interval names): the plain due day, deadline and proposal deadline of
      the leads with an item counting one of them are recomputed from their base days with
      `rules` and `pool`, exactly as domain.cadence.due_items counts them;
    - the stored days become the plain ones moved by the work calendar: of every lead when the
      calendar changed, else of those just recomputed. `roll` (a day → the working day it moves
      to) is asked once for each day the plain days may take; the days that move go into a
      temporary table the UPDATE reads. Moving never reorders two days, so the moved earliest
      day is the earliest moved day.

    The calendar writes only rows whose stored days change: an untouched row costs no page or
    index write."""

    def __init__(
        self,
        session: Session,
        roll: Callable[[date], date],
        rules: CadenceRules,
        pool: PoolRules,
        *,
        changed: set[str],
        calendar_changed: bool,
    ) -> None:
        self.session, self.rules, self.pool = session, rules, pool
        self.days = _Days(session)
        self.counting = or_(*(_counting(rule) for rule in sorted(changed))) if changed else None
        # the plain days a change of these rules can move (the others are left as they are)
        counted_with = (_DUE_RULES, _DEADLINE_RULES, {"proposal_days"})
        self.shifting = [
            plain
            for plain, rules_of in zip(_PLAIN, counted_with, strict=True)
            if rules_of & changed
        ]
        self.calendar_changed = calendar_changed
        self.moved = Table(
            "leadctl_moved_days",
            MetaData(),
            Column("plain", Date, primary_key=True),
            Column("moved", Date, nullable=False),
            prefixes=["TEMPORARY"],
        )
        connection = session.connection()
        self.moved.create(connection)
        self.cache_kib: int | None = None
        if self.days.sqlite:
            self.cache_kib = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size = -{_CACHE_KIB}")
        self._add_moved_days(roll)

    def close(self) -> None:
        connection = self.session.connection()
        self.moved.drop(connection)
        if self.cache_kib is not None:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(self.cache_kib)}")

    def next_bound(self, after: int, size: int) -> int | None:
        """The id of the `size`-th open lead after `after` (None: fewer are left)."""
        statement = (
            sa_select(LEAD.c.id)
            .where(LEAD.c.id > after, LEAD.c.status.in_(_OPEN))
            .order_by(LEAD.c.id)
            .offset(size - 1)
            .limit(1)
        )
        return self.session.connection().execute(statement).scalar()

    def _longest(self) -> int:
        rules, pool = self.rules, self.pool
        intervals = [rules.proposal_days, rules.case_days, pool.recycle_days]
        intervals += [days for g in Grade for days in rules.touch_interval(g)]
        return max(intervals)

    def _add_moved_days(self, roll: Callable[[date], date]) -> None:
        bounds = [func.min(day) for day in _ITEM_DAYS] + [func.max(day) for day in _ITEM_DAYS]
        connection = self.session.connection()
        found = connection.execute(
            sa_select(*bounds).where(LEAD.c.status.in_(_OPEN), LEAD.c.owner.is_not(None))
        ).one()
        days = [day for day in found if day is not None]
        if not days:
            return
        first, last = min(days), max(days) + timedelta(days=self._longest())
        moved = []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            if (to := roll(day)) != day:
                moved.append({"plain": day, "moved": to})
        if moved:
            connection.execute(self.moved.insert(), moved)

    def rewrite(self, after: int, upto: int | None) -> int:
        """Rewrite the owned open leads with ids in (after, upto]; returns the rows changed."""
        in_range = [LEAD.c.id > after, LEAD.c.status.in_(_OPEN), LEAD.c.owner.is_not(None)]
        if upto is not None:
            in_range.append(LEAD.c.id <= upto)
        changed = 0
        if self.counting is not None:
            changed += self._shift([*in_range, self.counting])
        if self.calendar_changed:
            changed = max(changed, self._move(in_range))
        elif self.counting is not None:
            self._move([*in_range, self.counting], self.shifting)
        return changed

    def _shift(self, where: list[Any]) -> int:
        rules, pool, days = self.rules, self.pool, self.days
        grade, touch = LEAD.c.grade, LEAD.c.touch_on

        def cadence(deadline: bool) -> Any:
            return case(
                *(
                    (grade == g.value, days.plus(touch, rules.touch_interval(g)[int(deadline)]))
                    for g in Grade
                ),
                else_=None,
            )

        def items(deadline: bool) -> list[Any]:
            found = [
                case((grade.is_(None), LEAD.c.ungraded_since), else_=None),
                cadence(deadline),
                days.plus(LEAD.c.proposal_from, rules.proposal_days),
                days.plus(LEAD.c.case_from, rules.case_days),
                LEAD.c.next_action_on,
            ]
            if pool.recycle_days:  # recycle_from is kept only where the lead can be recycled
                notice = max(pool.recycle_days - pool.notify_days, 0)
                found.append(
                    days.plus(LEAD.c.recycle_from, pool.recycle_days if deadline else notice)
                )
            return found

        formulas = {
            LEAD.c.plain_due_on: lambda: days.earliest(*items(deadline=False)),
            LEAD.c.plain_deadline_on: lambda: days.earliest(*items(deadline=True)),
            LEAD.c.plain_proposal_due_on: lambda: days.plus(
                LEAD.c.grade_set_on, rules.proposal_days
            ),
        }
        new = {plain: formulas[plain]() for plain in self.shifting}
        # no test of which rows change: the plain days are in no index, so writing a row whose
        # days stay costs less than computing every day twice (SQLite's date() is not cheap)
        result = self.session.connection().execute(
            update(LEAD).where(*where).values({column.name: value for column, value in new.items()})
        )
        return int(result.rowcount or 0)

    def _move(self, where: list[Any], plains: Sequence[Any] = _PLAIN) -> int:
        """The stored days of `plains` (all three by default) become their moved plain days."""
        table = self.moved

        def moved(plain: Any) -> Any:
            return func.coalesce(
                sa_select(table.c.moved).where(table.c.plain == plain).scalar_subquery(), plain
            )

        new = {
            stored: moved(plain)
            for stored, plain in zip(_STORED, _PLAIN, strict=True)
            if any(plain is p for p in plains)
        }
        result = self.session.connection().execute(
            update(LEAD)
            .where(*where, or_(*(column.is_distinct_from(value) for column, value in new.items())))
            .values({column.name: value for column, value in new.items()})
        )
        return int(result.rowcount or 0)
