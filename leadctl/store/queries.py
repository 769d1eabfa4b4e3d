"""The named queries of the services: a lead's record, duplicates, the queue, list and export.

Every statement the services run is built here, portable across SQLite and PostgreSQL; the
services call these by name and never build SQL themselves. Query plans are pinned by tests
(tests/cli/test_today.py, test_review.py).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    case,
    false,
    func,
    null,
    update,
)
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from leadctl.domain.choices import NOT_CLOSED_STATUSES, OPEN_STATUSES
from leadctl.domain.search import digits_reversed
from leadctl.store.tables import EVENT_TABLE as EVENT
from leadctl.store.tables import LEAD_TABLE as LEAD
from leadctl.store.tables import MEMBER_TABLE as MEMBER
from leadctl.store.tables import PHONE_TABLE as PHONE
from leadctl.store.tables import SETTING_TABLE as SETTING
from leadctl.store.tables import Event, FollowUp, Lead, Opportunity, Outcome, Phone

_NOT_CLOSED = [s.value for s in NOT_CLOSED_STATUSES]
_OPEN = [s.value for s in OPEN_STATUSES]
KEYS_PER_QUERY = 500  # values in one IN (…): well under every driver's parameter limit


# ---------------------------------------------------------------- one lead's record


def lead_by_id(session: Session, lead_id: int, *, for_update: bool = False) -> Lead | None:
    statement = select(Lead).where(Lead.id == lead_id)
    if for_update:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def lead_phones(session: Session, lead_id: int) -> list[str]:
    return list(
        session.exec(
            select(Phone.e164).where(Phone.lead_id == lead_id).order_by(col(Phone.position))
        ).all()
    )


def replace_phones(session: Session, lead_id: int, phones: Sequence[str]) -> None:
    session.execute(PHONE.delete().where(PHONE.c.lead_id == lead_id))
    for position, e164 in enumerate(phones):
        session.add(
            Phone(
                lead_id=lead_id, e164=e164, position=position, digits_reversed=digits_reversed(e164)
            )
        )


def follow_ups_of(session: Session, lead_id: int) -> list[FollowUp]:
    """The lead's follow-ups in contact-time order (one indexed range of its own rows)."""
    session.flush()
    return list(
        session.exec(
            select(FollowUp)
            .where(FollowUp.lead_id == lead_id)
            .order_by(col(FollowUp.at), col(FollowUp.id))
        ).all()
    )


def history_of(session: Session, lead_id: int) -> list[Event]:
    return list(
        session.exec(select(Event).where(Event.lead_id == lead_id).order_by(col(Event.id))).all()
    )


def latest_outcome(session: Session, lead_id: int) -> Outcome | None:
    return session.exec(
        select(Outcome).where(Outcome.lead_id == lead_id).order_by(col(Outcome.id).desc())
    ).first()


def opportunity_of(session: Session, lead_id: int) -> Opportunity | None:
    return session.get(Opportunity, lead_id)


# ---------------------------------------------------------------- duplicates (SPEC §2)


def duplicate_customer(
    session: Session, key: str, *, exclude: int | None = None
) -> tuple[int, str | None, str] | None:
    """(id, owner, customer) of a not-closed lead with this customer key, if any."""
    statement = select(Lead.id, Lead.owner, Lead.customer).where(
        Lead.customer_key == key, col(Lead.status).in_(_NOT_CLOSED)
    )
    if exclude is not None:
        statement = statement.where(Lead.id != exclude)
    hit = session.exec(statement.limit(1)).first()
    return None if hit is None else (int(hit[0] or 0), hit[1], hit[2])


def duplicate_phone(
    session: Session, phones: Sequence[str], *, exclude: int | None = None
) -> tuple[int, str | None, str] | None:
    """(id, owner, phone) of a not-closed lead holding one of `phones`, if any."""
    if not phones:
        return None
    statement = (
        select(Lead.id, Lead.owner, Phone.e164)
        .join(Phone, col(Phone.lead_id) == Lead.id)
        .where(col(Phone.e164).in_(list(phones)), col(Lead.status).in_(_NOT_CLOSED))
    )
    if exclude is not None:
        statement = statement.where(Lead.id != exclude)
    hit = session.exec(statement.limit(1)).first()
    return None if hit is None else (int(hit[0] or 0), hit[1], hit[2])


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), KEYS_PER_QUERY):
        yield values[start : start + KEYS_PER_QUERY]


# rows in batches, not a whole result at once: reading every open lead's keys for a large import
# buffered 100k rows in the driver (an import into 100k leads peaked past 300 MB on PostgreSQL)
STREAM = {"yield_per": 5_000}


def known_duplicates(
    session: Session, keys: Sequence[str], phones: Sequence[str], file_rows: int
) -> tuple[dict[str, tuple[int, str, str]], dict[str, tuple[int, str]]]:
    """For import: the not-closed leads holding any of these customer keys or phones, as
    ({key: (id, owner, customer)}, {phone: (id, owner)}), the lowest id first.

    Set-based: when the database holds fewer not-closed leads than the file has rows, one
    query reads all their keys (and one their phones); otherwise the file's values are looked
    up a few hundred per query (both columns are indexed). Never one query per row.
    """
    not_closed = LEAD.c.status.in_(_NOT_CLOSED)
    open_leads = session.execute(
        sa_select(func.count()).select_from(LEAD).where(not_closed)
    ).scalar()
    customers: dict[str, tuple[int, str, str]] = {}
    numbers: dict[str, tuple[int, str]] = {}
    if not open_leads:
        return customers, numbers
    whole = open_leads <= file_rows  # cheaper to read them all than to look each up
    by_customer = sa_select(LEAD.c.customer_key, LEAD.c.id, LEAD.c.owner, LEAD.c.customer)
    by_phone = sa_select(PHONE.c.e164, LEAD.c.id, LEAD.c.owner).join(
        LEAD, LEAD.c.id == PHONE.c.lead_id
    )
    for chunk in [keys] if whole else _chunks(keys):
        wanted = not_closed if whole else and_(not_closed, LEAD.c.customer_key.in_(chunk))
        for key, lead_id, owner, customer in session.execute(
            by_customer.where(wanted).order_by(LEAD.c.id), execution_options=STREAM
        ):
            customers.setdefault(key, (lead_id, owner, customer))
    for chunk in [phones] if whole else _chunks(phones):
        wanted = not_closed if whole else and_(not_closed, PHONE.c.e164.in_(chunk))
        for e164, lead_id, owner in session.execute(
            by_phone.where(wanted).order_by(LEAD.c.id), execution_options=STREAM
        ):
            numbers.setdefault(e164, (lead_id, owner))
    return customers, numbers


# ---------------------------------------------------------------- list, export, the queue

LIST_COLUMNS = ("id", "customer", "status", "grade", "owner", "source", "due_on")


def list_filter(
    *,
    status: str | None = None,
    grade: str | None = None,
    owner: str | None = None,
    sources: Sequence[str] | None = None,
    pooled: bool = False,
) -> Any:
    """The WHERE clause shared by `list`, `export` and `pool` (values already checked);
    `sources`: the spellings of one source (its name and aliases)."""
    terms: list[Any] = []
    if pooled:
        terms.append(LEAD.c.owner.is_(None))
    if status:
        terms.append(LEAD.c.status == status)
    if grade:
        terms.append(LEAD.c.grade == grade)
    if owner:
        terms.append(LEAD.c.owner == owner)
    if sources:
        terms.append(
            LEAD.c.source == sources[0] if len(sources) == 1 else LEAD.c.source.in_(sources)
        )
    return and_(*terms) if terms else None


def list_rows(session: Session, where: Any) -> list[Any]:
    """Rows of LIST_COLUMNS by lead id, as the driver's tuples: a pool at 1M leads lists tens
    of thousands, and making a Row of each cost as much as fetching them (0.17 s for 47,750).
    Only the day (due_on, last) has a type to convert, by the type's own result processor
    (text to a date on SQLite; none on PostgreSQL), and only when some lead has one."""
    statement = sa_select(*(LEAD.c[name] for name in LIST_COLUMNS))
    if where is not None:
        statement = statement.where(where)
    result = session.execute(statement.order_by(LEAD.c.id))
    rows: list[Any] = result.cursor.fetchall()  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect
    to_day = LEAD.c.due_on.type.dialect_impl(dialect).result_processor(dialect, None)
    if to_day is None or not rows:
        return rows
    *others, days = zip(*rows, strict=True)
    if not any(days):
        return rows
    return list(zip(*others, map(to_day, days), strict=True))


def sources_in_use(session: Session | Connection) -> list[str]:
    """Each source as it is written on leads, once (the (source, …) index)."""
    return list(session.execute(sa_select(LEAD.c.source).distinct()).scalars())


def source_counts(session: Session | Connection) -> list[Any]:
    """(source, leads, open, last acquired day) for each source written on a lead, as it is
    written: one GROUP BY over the (source, status, acquired_on, …) covering index."""
    is_open = case((LEAD.c.status.in_(_OPEN), 1), else_=0)
    return list(
        session.execute(
            sa_select(
                LEAD.c.source,
                func.count(),
                func.coalesce(func.sum(is_open), 0),
                func.max(LEAD.c.acquired_on),
            ).group_by(LEAD.c.source)
        ).all()
    )


EXPORT_LEAD_COLUMNS = (
    "id", "customer", "customer_type", "contact", "email", "wechat", "source", "need",
    "acquired_on", "owner", "grade", "grade_reason", "status", "due_on",
)  # fmt: skip


def export_streams(
    connection: Connection, where: Any
) -> tuple[Iterable[Any], Iterable[Any], Iterable[Any]]:
    """Three streams ordered by lead id: the leads (EXPORT_LEAD_COLUMNS), (lead_id, e164), and
    (lead_id, details) of the `created` entries that hold a note (the form's 备注)."""
    leads = sa_select(*(LEAD.c[name] for name in EXPORT_LEAD_COLUMNS)).order_by(LEAD.c.id)
    phones = (
        sa_select(PHONE.c.lead_id, PHONE.c.e164)
        .join(LEAD, LEAD.c.id == PHONE.c.lead_id)
        .order_by(PHONE.c.lead_id, PHONE.c.position)
    )
    notes = (
        sa_select(EVENT.c.lead_id, EVENT.c.details)
        .join(LEAD, LEAD.c.id == EVENT.c.lead_id)
        .where(EVENT.c.event == "created", EVENT.c.details.contains('"note":', autoescape=True))
        .order_by(EVENT.c.lead_id)
    )
    if where is not None:
        leads, phones, notes = leads.where(where), phones.where(where), notes.where(where)
    streaming = connection.execution_options(stream_results=True, max_row_buffer=2_000)
    return streaming.execute(leads), streaming.execute(phones), streaming.execute(notes)


# what the queue reads of each lead, never the whole row: first the facts its due items are
# derived from (domain.cadence.LeadFacts) with the stored due day, whether the deadline passed
# and whether the lead is in the pool: two leads alike in these QUEUE_KEY columns have the
# same items due and show them alike; then what is the lead's own
QUEUE_FACTS = (
    "grade", "status", "next_action", "next_action_on", "last_contact_at", "ungraded_since",
    "graded_at", "grade_set_at", "last_proposal_at", "last_case_at", "woken_on", "recycle_from",
)  # fmt: skip
QUEUE_KEY = (*QUEUE_FACTS, "due_on", "overdue", "pooled")
QUEUE_COLUMNS = (*QUEUE_KEY, "id", "customer", "owner", "last_mood", "phone")
QueueRow = namedtuple("QueueRow", QUEUE_COLUMNS)  # type: ignore[misc]
QUEUE_BATCH = 1_000  # rows fetched at a time: a queue of 100k leads is never held whole


def _queue_where(today: date, who: str | None) -> Any:
    due = LEAD.c.due_on <= today
    return due if who is None else and_(LEAD.c.owner == who, due)


def today_statement(
    today: date, who: str | None, *, plan: str = "range", recycling: bool = True
) -> Any:
    """The queue's one query (QUEUE_COLUMNS), overdue first, then ungraded, then grade A→D,
    then due day; `recycling` off, `recycle_from` is read as NULL (it counts for nothing then,
    and 100k leads have as many days).

    `plan`: "range" reads a range of `ix_lead_owner_due` (or `ix_lead_due` for --all) and each
    lead's row as the index lists it. For a queue of thousands, rows and phones read in due-day
    order are scattered over the table: "ids" reads only the index's range, for the ids, and
    the rows in id order; "scan" (most leads are due: an imported sheet not graded yet) reads
    the table through, no index serving the condition. At 100k leads all due, "range" took
    1.2 s, "ids" 0.87 s, "scan" 0.79 s."""
    first_phone = (
        sa_select(PHONE.c.e164)
        .where(PHONE.c.lead_id == LEAD.c.id, PHONE.c.position == 0)
        .correlate(LEAD)
        .scalar_subquery()
    )
    computed = {
        "recycle_from": LEAD.c.recycle_from if recycling else null(),
        "overdue": func.coalesce(LEAD.c.deadline_on < today, false()),
        "pooled": LEAD.c.owner.is_(None),
        "phone": first_phone,
    }
    statement = sa_select(
        *(computed[name].label(name) if name in computed else LEAD.c[name]
          for name in QUEUE_COLUMNS)
    )  # fmt: skip
    where = _queue_where(today, who)
    if plan == "ids":
        statement = statement.where(LEAD.c.id.in_(sa_select(LEAD.c.id).where(where)))
    elif plan == "scan":
        # the condition inside an expression: no index serves it (NULL is false as before)
        statement = statement.where(func.coalesce(where, false()))
    else:
        statement = statement.where(where)
    return statement.order_by(
        case((LEAD.c.deadline_on < today, 0), else_=1),
        case((LEAD.c.grade.is_(None), 0), else_=1),
        func.coalesce(LEAD.c.grade, ""),
        LEAD.c.due_on,
        LEAD.c.id,
    )


def queue_size(session: Session, today: date, who: str | None) -> tuple[int, int]:
    """(how many leads are due, the highest lead id): a count of the queue's index range and
    the end of the primary key, before any row is read."""
    due = sa_select(func.count()).select_from(LEAD).where(_queue_where(today, who))
    count = int(session.execute(due).scalar() or 0)
    last = int(session.execute(sa_select(func.max(LEAD.c.id))).scalar() or 0)
    return count, last


def queue_rows(
    session: Session, today: date, who: str | None, *, plan: str, recycling: bool
) -> Iterator[list[tuple[Any, ...]]]:
    """The queue's rows (QUEUE_COLUMNS) in batches of QUEUE_BATCH, as the driver's tuples: its
    values as the database gives them (a day is text on SQLite), no Row made and no value
    converted (at 100k rows, as long as the fetch itself). Two rows alike in QUEUE_KEY have
    the same key values; `queue_reader` converts the values of a row."""
    result = session.execute(today_statement(today, who, plan=plan, recycling=recycling))
    cursor = result.cursor  # type: ignore[attr-defined]
    try:
        while rows := cursor.fetchmany(QUEUE_BATCH):
            yield rows
    finally:
        result.close()


def queue_reader(session: Session) -> Callable[[Sequence[Any]], Any]:
    """A row of queue_rows as a QueueRow of the values its columns' types give (days, aware
    UTC instants, booleans), each by its type's own result processor."""
    dialect = session.get_bind().dialect
    processors = [
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in today_statement(date.min, None).selected_columns
    ]
    converted = [(index, convert) for index, convert in enumerate(processors) if convert]

    def read(raw: Sequence[Any]) -> Any:
        values = list(raw)
        for index, convert in converted:
            values[index] = convert(values[index])
        return QueueRow._make(values)

    return read


# ---------------------------------------------------------------- settings and recomputing


def setting(session: Session, key: str) -> str | None:
    return session.execute(
        sa_select(SETTING.c.value).where(SETTING.c.key == key)
    ).scalar_one_or_none()


def put_setting(session: Session, key: str, value: str) -> None:
    """Insert or replace one setting (the caller holds the leads lock)."""
    session.execute(SETTING.delete().where(SETTING.c.key == key))
    session.execute(SETTING.insert().values(key=key, value=value))


def count_open(session: Session) -> int:
    return int(
        session.execute(
            sa_select(func.count()).select_from(LEAD).where(LEAD.c.status.in_(_OPEN))
        ).scalar()
        or 0
    )


def open_leads_after(
    session: Session, after_id: int, columns: Sequence[str], size: int
) -> list[Any]:
    """The next `size` open leads after `after_id` (keyset pagination on the primary key)."""
    statement = (
        sa_select(LEAD.c.id, *(LEAD.c[name] for name in columns))
        .where(LEAD.c.id > after_id, LEAD.c.status.in_(_OPEN))
        .order_by(LEAD.c.id)
        .limit(size)
    )
    return list(session.execute(statement).all())


def update_schedules(session: Session, columns: Sequence[str], rows: list[dict[str, Any]]) -> None:
    """Set the stored schedule of many leads in one executemany: rows of {b_id, b_<column>}."""
    if not rows:
        return
    statement = (
        update(LEAD)
        .where(LEAD.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )
    session.execute(statement.execution_options(synchronize_session=False), rows)


def settings_under(session: Session, prefix: str) -> dict[str, str]:
    """Every setting whose key starts with `prefix`, without it (`team.` → the team's)."""
    rows = session.execute(
        sa_select(SETTING.c.key, SETTING.c.value).where(SETTING.c.key.startswith(prefix))
    ).all()
    return {key[len(prefix) :]: value for key, value in rows}


def has_members(session: Session) -> bool:
    return session.execute(sa_select(MEMBER.c.name).limit(1)).first() is not None


# ---------------------------------------------------------------- the pool


def open_leads_of(session: Session, owner: str) -> int:
    return int(
        session.execute(
            sa_select(func.count())
            .select_from(LEAD)
            .where(LEAD.c.owner == owner, LEAD.c.status.in_(_OPEN))
        ).scalar()
        or 0
    )


def events_by(session: Session, event: str, by: str, start: datetime, end: datetime) -> int:
    """How many `event` lines `by` recorded in [start, end) (from the (event, at) index)."""
    return int(
        session.execute(
            sa_select(func.count())
            .select_from(EVENT)
            .where(
                EVENT.c.event == event,
                EVENT.c.at >= start,
                EVENT.c.at < end,
                EVENT.c.by == by,
                EVENT.c.undone.is_(False),
            )
        ).scalar()
        or 0
    )
