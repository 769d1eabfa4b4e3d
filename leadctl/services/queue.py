"""The morning queue (`today`): one indexed range scan on (owner, due_on), urgent first.

A queue is read as it is printed, a batch of rows at a time: a team that imported an old sheet
has every lead of it due at once ("to grade"), 100k rows, which are never held whole. Leads
with the same facts (the imported sheet's: ungraded since the same day) have the same items
due: they are derived from the facts once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from leadctl.domain.cadence import LeadFacts, due_items, recycle_day
from leadctl.domain.leads import lead_number
from leadctl.services.common import Ctx, known_owner
from leadctl.store import queries

if TYPE_CHECKING:
    from leadctl.settings import Settings

# how the queue's rows are read (queries.today_statement): from this many leads due, in id
# order; when most of the leads are due (one in SCAN_SHARE or more), the whole table through
MANY = 2_000
SCAN_SHARE = 4


class QueueItem(NamedTuple):
    """One lead of the queue, as `today --json` gives it (`_asdict()`, SPEC §4's keys)."""

    number: str
    customer: str
    grade: str | None
    status: str
    due_on: date
    overdue: bool
    reasons: list[str]  # the names of the items due today or earlier
    next_action: str | None
    next_action_on: date | None
    phone: str | None
    recycle_on: date | None
    owner: str | None
    last_contact_at: datetime | None
    last_mood: str | None
    due_items: list[dict[str, Any]]  # the items due today or earlier, with their days


class QueueItems:
    """The items of a queue, read one at a time and only once, as the JSON document has them
    (iterating) or as QueueItem (`leads()`); how many are due is known before the first is
    read (the layout of `today` depends on it)."""

    def __init__(self, size: int, items: Iterator[QueueItem]) -> None:
        self.size = size
        self._items = items

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (item._asdict() for item in self._items)

    def leads(self) -> Iterator[QueueItem]:
        return self._items


def today_queue(ctx: Ctx, *, owner: str | None = None, everyone: bool = False) -> dict[str, Any]:
    """`{date, owner, items}`: `items` a QueueItems, read as it is printed."""
    today = ctx.today
    who = None if everyone else (owner or ctx.user)
    with ctx.store.read() as session:
        if owner is not None:
            known_owner(ctx, session, owner)
        size, leads = queries.queue_size(session, today, who)
    plan = "range" if size < MANY else "scan" if size * SCAN_SHARE >= leads else "ids"
    items = _queue_items(ctx, who, plan)
    return {"date": today, "owner": who, "items": QueueItems(size, items)}


# what leads alike in their facts (queries.QUEUE_KEY) show alike: grade, status, due_on,
# overdue, reasons, next_action, next_action_on, recycle_on, last_contact_at, due_items
Derived = tuple[Any, ...]
REMEMBERED = 10_000  # facts whose items are kept: a queue of graded leads has few in common
KEYED = len(queries.QUEUE_KEY)


def _queue_items(ctx: Ctx, who: str | None, plan: str) -> Iterator[QueueItem]:
    settings, today = ctx.settings, ctx.today
    prefix, pool = settings.number_prefix, settings.pool
    derived: dict[tuple[Any, ...], Derived] = {}  # by the facts they are derived from
    with ctx.store.read() as session:
        read = queries.queue_reader(session)
        recycling = bool(pool.recycle_days)
        for rows in queries.queue_rows(session, today, who, plan=plan, recycling=recycling):
            for raw in rows:
                key = raw[:KEYED]
                known = derived.get(key)
                if known is None:
                    if len(derived) >= REMEMBERED:
                        derived.clear()
                    known = derived[key] = _derive(read(raw), today, settings)
                (grade, status, due_on, overdue, reasons, next_action, next_action_on,
                 recycle_on, contact_at, due) = known  # fmt: skip
                lead_id, customer, owner, last_mood, phone = raw[KEYED:]
                yield QueueItem(
                    lead_number(lead_id, prefix), customer, grade, status, due_on, overdue,
                    reasons, next_action, next_action_on, phone, recycle_on, owner, contact_at,
                    last_mood, due,
                )  # fmt: skip


def _derive(row: Any, today: date, settings: Settings) -> Derived:
    """What a lead row (a queries.QueueRow) shows of its facts: its items due today or earlier."""
    clock = settings.clock
    schedule = due_items(
        LeadFacts.of(row), settings.cadence, clock.tz, settings.calendar, settings.pool
    )
    due = [i for i in schedule if i.due_on <= today]
    documents = [
        {
            "item": i.name,
            "due_on": i.due_on,
            "deadline_on": i.deadline_on,
            "overdue": i.overdue(today),
            **i.detail,
        }
        for i in due
    ]
    return (
        row.grade, row.status, row.due_on, row.overdue, [i.name for i in due], row.next_action,
        row.next_action_on, recycle_day(schedule), row.last_contact_at, documents,
    )  # fmt: skip
