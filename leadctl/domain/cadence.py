"""The cadence engine (SPEC §2 跟进计划): which items a lead has due, and when.

Pure: it takes a lead's facts (all kept on the lead row) and the rules, and returns due items.
Days are calendar days in the user's time zone; instants are converted to local days here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from leadctl.domain.choices import OPEN_STATUSES, Grade, Status
from leadctl.domain.workcal import WorkCalendar


@dataclass(frozen=True)
class CadenceRules:
    """Intervals in days; the `[cadence]` table of the config file overrides them."""

    a_days: int = 1
    b_days: int = 2
    b_deadline_days: int = 3
    c_days: int = 7
    d_days: int = 30
    proposal_days: int = 3
    case_days: int = 7

    def touch_interval(self, grade: Grade) -> tuple[int, int]:
        """(due after, deadline after) the last touch, in days."""
        return {
            Grade.A: (self.a_days, self.a_days),
            Grade.B: (self.b_days, max(self.b_days, self.b_deadline_days)),
            Grade.C: (self.c_days, self.c_days),
            Grade.D: (self.d_days, self.d_days),
        }[grade]


@dataclass(frozen=True)
class LeadFacts:
    """What the cadence needs to know about one lead; every field is a column of the lead."""

    status: Status
    grade: Grade | None = None
    ungraded_since: date | None = None  # acquired day, or the day a follow-up reactivated it
    graded_at: datetime | None = None  # latest grading
    grade_set_at: datetime | None = None  # when the current grade was given (from another/none)
    last_contact_at: datetime | None = None  # latest follow-up's contact time
    last_proposal_at: datetime | None = None
    last_case_at: datetime | None = None
    next_action: str | None = None
    next_action_on: date | None = None  # set by the latest follow-up
    woken_on: date | None = None
    pooled: bool = False  # in the public pool (no owner): no items until it is claimed
    recycle_from: date | None = None  # the day recycling to the pool counts from

    @classmethod
    def of(cls, row: Any) -> LeadFacts:
        """The facts of a lead row: any object with the lead's columns as attributes (a
        query's row will do; `owner` None: in the pool)."""
        grade = row.grade
        return cls(
            status=Status(row.status),
            grade=Grade(grade) if grade else None,
            ungraded_since=row.ungraded_since,
            graded_at=row.graded_at,
            grade_set_at=row.grade_set_at,
            last_contact_at=row.last_contact_at,
            last_proposal_at=row.last_proposal_at,
            last_case_at=row.last_case_at,
            next_action=row.next_action,
            next_action_on=row.next_action_on,
            woken_on=row.woken_on,
            pooled=row.owner is None,
            recycle_from=row.recycle_from,
        )


@dataclass(frozen=True)
class DueItem:
    name: str  # grade | cadence | next_action | proposal | case | wake
    due_on: date
    deadline_on: date
    detail: dict[str, object] = field(default_factory=dict)

    def overdue(self, today: date) -> bool:
        return today > self.deadline_on


def _day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def _minute(moment: datetime) -> datetime:
    """Contact times have minute precision: a follow-up at 09:00 counts as since 09:00:40."""
    return moment.replace(second=0, microsecond=0)


def due_items(
    facts: LeadFacts,
    rules: CadenceRules,
    tz: tzinfo,
    calendar: WorkCalendar | None = None,
    pool: PoolRules | None = None,
) -> list[DueItem]:
    """Every item the lead has due, earliest first. Closed and resting leads have none but wake.

    Intervals count calendar days; with a work calendar (SPEC §6.1) every due day and deadline
    but a wake item's that falls on a day off moves to the next working day (a next action's
    own date stays as the rep gave it: only its item moves)."""
    if facts.pooled:
        return []
    if facts.woken_on is not None and facts.status in (Status.DORMANT, Status.LOST):
        return [DueItem("wake", facts.woken_on, facts.woken_on)]
    if facts.status not in OPEN_STATUSES:
        return []
    items = _calendar_items(facts, rules, tz)
    back_on = recycle_on(facts, pool)
    if back_on is not None and pool is not None:
        # from `notify_days` before, the owner sees the day the lead goes back to the pool
        notice = max(back_on - timedelta(days=pool.notify_days), facts.recycle_from or back_on)
        items.append(DueItem("recycle", notice, back_on, {"recycle_on": back_on}))
    if calendar is not None:
        roll = calendar.roll_forward
        items = [DueItem(i.name, roll(i.due_on), roll(i.deadline_on), i.detail) for i in items]
    return sorted(items, key=lambda item: (item.due_on, item.deadline_on, item.name))


@dataclass(frozen=True)
class PoolRules:
    """`[pool]` in the config file (SPEC §6.3 公海); recycling is off while recycle_days is 0."""

    recycle_days: int = 0
    notify_days: int = 3
    reclaim_days: int = 7
    max_open: int = 200
    daily_claims: int = 20


RECYCLABLE = (Status.NEW, Status.ACTIVE)


def recycle_on(facts: LeadFacts, pool: PoolRules | None) -> date | None:
    """The day an owned new or active lead goes back to the pool (calendar days after the
    latest of its adding, its owner's latest follow-up, its assignment, its claim)."""
    if (
        pool is None
        or not pool.recycle_days
        or facts.pooled
        or facts.status not in RECYCLABLE
        or facts.recycle_from is None
    ):
        return None
    return facts.recycle_from + timedelta(days=pool.recycle_days)


@dataclass(frozen=True)
class BaseDays:
    """The calendar days a lead's interval items count from, before any interval is added.

    They depend on the lead's facts and the time zone only, not on the rules: they are kept
    on the lead row, so a change of a cadence interval recomputes every open lead in SQL
    (store.schedules.Rewrite) instead of lead by lead. None: the lead has no such item."""

    touch_on: date | None = None  # a graded lead's last touch: the cadence item
    grade_set_on: date | None = None  # an A lead's grading: its proposal deadline
    proposal_from: date | None = None  # the same while no proposal answers it: the item
    case_from: date | None = None  # a B lead's grading or latest case: the case item


BASE_COLUMNS = tuple(f.name for f in fields(BaseDays))


def base_days(facts: LeadFacts, tz: tzinfo) -> BaseDays:
    if facts.grade is None:
        return BaseDays()
    touches = [t for t in (facts.last_contact_at, facts.graded_at) if t is not None]
    touch_on = _day(max(touches), tz) if touches else None
    since = _minute(facts.grade_set_at) if facts.grade_set_at is not None else None
    if since is None:
        return BaseDays(touch_on)
    if facts.grade is Grade.A:
        set_on = _day(since, tz)
        pending = facts.last_proposal_at is None or facts.last_proposal_at < since
        return BaseDays(touch_on, set_on, set_on if pending else None)
    if facts.grade is Grade.B:
        base = since
        if facts.last_case_at is not None and facts.last_case_at >= since:
            base = facts.last_case_at
        return BaseDays(touch_on, case_from=_day(base, tz))
    return BaseDays(touch_on)


def _calendar_items(facts: LeadFacts, rules: CadenceRules, tz: tzinfo) -> list[DueItem]:
    """The open lead's items counted in calendar days (SPEC §2's table)."""
    items: list[DueItem] = []
    base = base_days(facts, tz)
    if facts.grade is None:
        day = facts.ungraded_since
        if day is not None:
            items.append(DueItem("grade", day, day))
    elif base.touch_on is not None:
        due_after, deadline_after = rules.touch_interval(facts.grade)
        items.append(
            DueItem(
                "cadence",
                base.touch_on + timedelta(days=due_after),
                base.touch_on + timedelta(days=deadline_after),
                {"grade": facts.grade.value, "last_touch": base.touch_on, "every_days": due_after},
            )
        )
    if base.proposal_from is not None:
        day = base.proposal_from + timedelta(days=rules.proposal_days)
        items.append(DueItem("proposal", day, day))
    if base.case_from is not None:
        day = base.case_from + timedelta(days=rules.case_days)
        items.append(DueItem("case", day, day))
    if facts.next_action_on is not None:
        items.append(
            DueItem(
                "next_action",
                facts.next_action_on,
                facts.next_action_on,
                {"text": facts.next_action},
            )
        )
    return items


def schedule(items: list[DueItem]) -> tuple[date | None, date | None]:
    """(due_on, deadline_on) stored on the lead: its earliest due day and earliest deadline."""
    if not items:
        return None, None
    return min(i.due_on for i in items), min(i.deadline_on for i in items)


def recycle_day(items: list[DueItem]) -> date | None:
    """The day the lead goes back to the pool, from its `recycle` item (None: it will not)."""
    days = [i.detail["recycle_on"] for i in items if i.name == "recycle"]
    return days[0] if days and isinstance(days[0], date) else None


def reasons_due(items: list[DueItem], today: date) -> list[str]:
    """The names of the items due today or earlier (the `reasons` of `today`)."""
    return [i.name for i in items if i.due_on <= today]


def stored_schedule(
    facts: LeadFacts,
    proposal_done_on: date | None,
    rules: CadenceRules,
    tz: tzinfo,
    calendar: WorkCalendar | None = None,
    pool: PoolRules | None = None,
) -> dict[str, date | None]:
    """The schedule columns a lead row keeps, so `today` and the review read indexes only:
    its earliest due day and deadline, and for an A lead its proposal deadline and the day its
    first proposal since becoming A was made (kept after the proposal, for missed deadlines).

    Each day is also kept as counted in calendar days (`plain_…`): moving a day off to the next
    working day never reorders two days, so the earliest moved day is the moved earliest day,
    and a change of calendar alone recomputes every lead in SQL from a small table of moved
    days (store.schedules.Rewrite) instead of lead by lead. The base days its interval
    items count from are kept too (`BaseDays`): a change of interval is SQL as well."""
    raw = due_items(facts, rules, tz, None, pool)
    plain_due, plain_deadline = schedule(raw)
    moves = calendar is not None and not (raw and raw[0].name == "wake")  # wake stays put
    roll = calendar.roll_forward if calendar is not None and moves else _same
    due_on = roll(plain_due) if plain_due is not None else None
    deadline_on = roll(plain_deadline) if plain_deadline is not None else None
    # only an owned new or active lead can be recycled: the others keep no clock (so the
    # nightly sweep reads a small index)
    recycling = facts.recycle_from if facts.status in RECYCLABLE and not facts.pooled else None
    # the base days are kept where a change of interval recomputes: owned open leads
    counted = facts.status in OPEN_STATUSES and not facts.pooled
    base = base_days(facts, tz) if counted else BaseDays()
    kept: dict[str, date | None] = {
        "due_on": due_on,
        "deadline_on": deadline_on,
        "proposal_due_on": None,
        "proposal_done_on": None,
        "recycle_from": recycling,
        "plain_due_on": plain_due,
        "plain_deadline_on": plain_deadline,
        "plain_proposal_due_on": None,
        **{name: getattr(base, name) for name in BASE_COLUMNS},
    }
    since = facts.grade_set_at
    if facts.grade is not Grade.A or since is None or facts.pooled:
        return kept
    done_on = proposal_done_on
    # contact times are kept to the minute: a proposal in the grading's minute counts
    if facts.last_proposal_at is not None and facts.last_proposal_at >= _minute(since):
        done = _day(facts.last_proposal_at, tz)
        if done_on is None or done < done_on:
            done_on = done
    plain_proposal = _day(_minute(since), tz) + timedelta(days=rules.proposal_days)
    return kept | {
        "proposal_due_on": roll(plain_proposal),
        "proposal_done_on": done_on,
        "plain_proposal_due_on": plain_proposal,
    }


# every column stored_schedule keeps on the lead row
SCHEDULE_COLUMNS = (
    "due_on", "deadline_on", "proposal_due_on", "proposal_done_on", "recycle_from",
    "plain_due_on", "plain_deadline_on", "plain_proposal_due_on", *BASE_COLUMNS,
)  # fmt: skip


def _same(day: date) -> date:
    return day
