"""The stored schedule recomputed in SQL when the settings change (services.schedule).

A lead row keeps its due day, deadline and proposal deadline twice: counted in calendar days
(`plain_…`) and moved by the work calendar; and the base days its interval items count from
(domain.cadence.BaseDays). A change of interval recomputes the plain days from the base days;
a change of calendar (or of interval) moves the plain days through a small table of the days
it moves (`Rewrite`). Both are an UPDATE per range of open leads; the date arithmetic is the
only part that differs between SQLite and PostgreSQL, and it is here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
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
    union,
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


class Rewrite:
    """A settings change rewritten over the open leads, one range of ids at a time (so the
    command can show progress), in the caller's transaction:

    - with `rules` (an interval changed): the plain due day, deadline and proposal deadline
      are recomputed from the base days, exactly as domain.cadence.due_items counts them;
    - then the work calendar moves them: `roll` (a day → the working day it moves to) is asked
      once for each distinct plain day, and the days that move go into a temporary table the
      UPDATE joins. Moving never reorders two days, so the moved earliest day is the earliest
      moved day.

    Only rows whose stored days change are written: an untouched row costs no page or index
    write."""

    def __init__(
        self,
        session: Session,
        roll: Callable[[date], date],
        rules: tuple[CadenceRules, PoolRules] | None,
    ) -> None:
        self.session, self.roll, self.rules = session, roll, rules
        self.days = _Days(session)
        self.seen: set[date] = set()
        self.moved = Table(
            "leadctl_moved_days",
            MetaData(),
            Column("plain", Date, primary_key=True),
            Column("moved", Date, nullable=False),
            prefixes=["TEMPORARY"],
        )
        self.moved.create(session.connection())

    def close(self) -> None:
        self.moved.drop(self.session.connection())

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

    def rewrite(self, after: int, upto: int | None) -> int:
        """Rewrite the open leads with ids in (after, upto]; returns the rows changed."""
        in_range = [LEAD.c.id > after, LEAD.c.status.in_(_OPEN)]
        if upto is not None:
            in_range.append(LEAD.c.id <= upto)
        changed = 0
        if self.rules is not None:
            changed += self._shift(in_range)
        self._add_moved_days(in_range)
        return max(changed, self._move(in_range))

    def _shift(self, in_range: list[Any]) -> int:
        assert self.rules is not None
        rules, pool = self.rules
        days = self.days
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

        new = {
            LEAD.c.plain_due_on: days.earliest(*items(deadline=False)),
            LEAD.c.plain_deadline_on: days.earliest(*items(deadline=True)),
            LEAD.c.plain_proposal_due_on: days.plus(LEAD.c.grade_set_on, rules.proposal_days),
        }
        result = self.session.connection().execute(
            update(LEAD)
            .where(
                *in_range,
                LEAD.c.owner.is_not(None),  # a lead in the pool has no schedule
                or_(*(column.is_distinct_from(value) for column, value in new.items())),
            )
            .values({column.name: value for column, value in new.items()})
        )
        return int(result.rowcount or 0)

    def _add_moved_days(self, in_range: list[Any]) -> None:
        """Ask the calendar about the plain days of the range it has not seen yet."""
        columns = (LEAD.c.plain_due_on, LEAD.c.plain_deadline_on, LEAD.c.plain_proposal_due_on)
        found = union(
            *(
                sa_select(column.label("day")).where(*in_range, column.is_not(None))
                for column in columns
            )
        )
        connection = self.session.connection()
        new = {day for (day,) in connection.execute(found)} - self.seen
        self.seen |= new
        moved = [{"plain": d, "moved": self.roll(d)} for d in sorted(new)]
        moved = [row for row in moved if row["plain"] != row["moved"]]
        if moved:
            connection.execute(self.moved.insert(), moved)

    def _move(self, in_range: list[Any]) -> int:
        days = self.moved

        def moved_or_plain(plain: Any) -> Any:
            return func.coalesce(
                sa_select(days.c.moved).where(days.c.plain == plain).scalar_subquery(), plain
            )

        plain = (LEAD.c.plain_due_on, LEAD.c.plain_deadline_on, LEAD.c.plain_proposal_due_on)
        stored = (LEAD.c.due_on, LEAD.c.deadline_on, LEAD.c.proposal_due_on)
        affected = or_(  # the rows the calendar moves now or moved before
            *(column.in_(sa_select(days.c.plain)) for column in plain),
            *(s.is_distinct_from(p) for s, p in zip(stored, plain, strict=True)),
        )
        result = self.session.connection().execute(
            update(LEAD)
            .where(*in_range, affected)
            .values(
                due_on=moved_or_plain(LEAD.c.plain_due_on),
                deadline_on=moved_or_plain(LEAD.c.plain_deadline_on),
                proposal_due_on=moved_or_plain(LEAD.c.plain_proposal_due_on),
            )
        )
        return int(result.rowcount or 0)
