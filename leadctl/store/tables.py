"""SQLModel tables for the whole data model (SPEC §1).

Instants are aware UTC datetimes (sqlmodel's UTCDateTime), days are DATE, money is integer fen.
A lead row also keeps the facts the cadence needs (latest touch, next action, …) and its stored
`due_on` / `deadline_on`, kept up to date by every write, so `today` is one index range scan.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from leadctl.domain.choices import CLOSED_STATUSES, NOT_CLOSED_STATUSES, Status

# prefix ranges (`key >= 'abc' AND key < 'abd'`) need code point order: PostgreSQL's default
# collation may order by locale, SQLite's BINARY already is code point order
PREFIX_TEXT = Text().with_variant(Text(collation="C"), "postgresql")


def _not_in(statuses: tuple[Status, ...]) -> str:
    return "status NOT IN ({})".format(", ".join(f"'{s.value}'" for s in statuses))


# find (SPEC §6.4) scans the folded text of the leads that are not closed, or with --all of
# every lead: two partial indexes, each lead in exactly one, holding only that text (and the
# status, which makes them covering), are a compact copy to scan. Each WHERE is a NOT IN, which
# no other index can serve, and a query repeats it word for word, so SQLite's planner takes
# them. SQLite only: PostgreSQL refuses index entries past ~2.7 kB, and a name may be longer.
FIND_OPEN_WHERE = _not_in(CLOSED_STATUSES)
FIND_CLOSED_WHERE = _not_in(NOT_CLOSED_STATUSES)


class Lead(SQLModel, table=True):
    __tablename__ = "lead"
    __table_args__ = (
        Index("ix_lead_owner_due", "owner", "due_on"),
        Index("ix_lead_due", "due_on"),
        Index("ix_lead_customer_key", "customer_key"),
        Index("ix_lead_acquired", "acquired_on"),
        # grade filters, and the nightly sweep's open D leads with unanswered attempts in a row
        # (dormant ones keep their streak: the status is read in the index, not the row)
        Index("ix_lead_grade_streak", "grade", "unanswered_streak", "status"),
        # the nightly sweep's resting leads not woken yet, a lost one by its loss reason: a lead
        # lost for a reason that never wakes is not read again night after night
        Index(
            "ix_lead_resting",
            "status",
            "lost_reason",
            "rested_on",
            sqlite_where=text("woken_on IS NULL"),
            postgresql_where=text("woken_on IS NULL"),
        ),
        # covering indexes for the review's "overdue now" per rep and conversion by source
        Index("ix_lead_owner_deadline", "owner", "deadline_on"),
        Index("ix_lead_source", "source", "status", "acquired_on", "upgraded_on"),
        Index("ix_lead_proposal_due", "proposal_due_on"),
        # recycling: only owned new and active leads keep a recycle_from (the stored schedule
        # clears it otherwise), by the day their clock started
        Index(
            "ix_lead_recycle",
            "recycle_from",
            sqlite_where=text("recycle_from IS NOT NULL"),
            postgresql_where=text("recycle_from IS NOT NULL"),
        ),
        # the pool (公海): only the few leads nobody owns, in number order
        Index(
            "ix_lead_pool",
            "id",
            sqlite_where=text("owner IS NULL"),
            postgresql_where=text("owner IS NULL"),
        ),
        # `pool` lists from this index alone on SQLite (its columns are queries.LIST_COLUMNS,
        # owner first so the planner takes it for `owner IS NULL`); not on PostgreSQL, which
        # refuses index entries past ~2.7 kB, and a customer's name may be longer
        Index(
            "ix_lead_pool_list",
            "owner",
            "id",
            "customer",
            "status",
            "grade",
            "source",
            "due_on",
            sqlite_where=text("owner IS NULL"),
        ).ddl_if(dialect="sqlite"),
        # grades to confirm: only the few unconfirmed rows are in it
        Index(
            "ix_lead_unconfirmed",
            "owner",
            sqlite_where=text("grade IS NOT NULL AND grade_confirmed_at IS NULL"),
            postgresql_where=text("grade IS NOT NULL AND grade_confirmed_at IS NULL"),
        ),
        Index(
            "ix_lead_find_open", "search_text", "status", sqlite_where=text(FIND_OPEN_WHERE)
        ).ddl_if(dialect="sqlite"),
        Index(
            "ix_lead_find_closed", "search_text", "status", sqlite_where=text(FIND_CLOSED_WHERE)
        ).ddl_if(dialect="sqlite"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer: str = Field(sa_type=Text)
    # the name without spaces, case, brackets and company suffixes (domain.leads.customer_key):
    # the duplicate check compares it
    customer_key: str = Field(sa_type=Text)
    customer_type: str = Field(default="company", max_length=16)
    contact: str | None = Field(default=None, sa_type=Text)
    email: str | None = Field(default=None, sa_type=Text)
    wechat: str | None = Field(default=None, sa_type=Text)
    source: str = Field(sa_type=Text)
    need: str = Field(sa_type=Text)
    acquired_on: date
    owner: str | None = Field(default=None, sa_type=Text)  # None: in the pool (公海)
    status: str = Field(default="new", max_length=16)
    grade: str | None = Field(default=None, max_length=1)
    grade_reason: str | None = Field(default=None, sa_type=Text)
    graded_at: datetime | None = None
    graded_by: str | None = Field(default=None, sa_type=Text)
    grade_set_at: datetime | None = None
    grade_confirmed_at: datetime | None = None
    grade_confirmed_by: str | None = Field(default=None, sa_type=Text)
    ungraded_since: date | None = None
    last_contact_at: datetime | None = None
    last_mood: str | None = Field(default=None, max_length=16)
    last_proposal_at: datetime | None = None
    last_case_at: datetime | None = None
    # an A lead's proposal deadline and the day its first proposal since becoming A was made:
    # kept after the proposal so the weekly review can count missed deadlines set-based
    proposal_due_on: date | None = None
    proposal_done_on: date | None = None
    next_action: str | None = Field(default=None, sa_type=Text)
    next_action_on: date | None = None
    unanswered_streak: int = 0
    # the day it first became an opportunity (details in Opportunity): conversion by source
    # counts it from the lead's own covering index instead of probing one table per lead
    upgraded_on: date | None = None
    woken_on: date | None = None
    rested_on: date | None = None
    # a lost lead's loss reason (its latest outcome's): the nightly sweep wakes by it
    lost_reason: str | None = Field(default=None, max_length=16)
    due_on: date | None = None
    deadline_on: date | None = None
    # the pool: who owned it last, the day it went to the pool, the day recycling counts from
    previous_owner: str | None = Field(default=None, sa_type=Text)
    released_on: date | None = None
    recycle_from: date | None = None
    # the schedule counted in calendar days, before the work calendar moved it (see
    # domain.cadence.stored_schedule): a calendar change is then one UPDATE
    plain_due_on: date | None = None
    plain_deadline_on: date | None = None
    plain_proposal_due_on: date | None = None
    # the days its interval items count from (domain.cadence.BaseDays): a change of interval
    # is then one UPDATE too
    touch_on: date | None = None
    grade_set_on: date | None = None
    proposal_from: date | None = None
    case_from: date | None = None
    # customer, contact, WeChat id and email as find compares them (domain.search.search_text)
    search_text: str | None = Field(default=None, sa_type=Text)
    created_at: datetime
    updated_at: datetime


class Phone(SQLModel, table=True):
    __tablename__ = "phone"
    __table_args__ = (
        Index("ix_phone_e164", "e164"),
        Index("ix_phone_lead", "lead_id"),
        Index("ix_phone_digits_reversed", "digits_reversed"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("lead.id", ondelete="CASCADE"), nullable=False)
    )
    e164: str = Field(max_length=32)
    position: int = 0
    # its digits last first (domain.search.digits_reversed): "ends with 8000" is a prefix range
    digits_reversed: str | None = Field(default=None, sa_column=Column(PREFIX_TEXT))


class LeadKey(SQLModel, table=True):
    """A key `find` looks a lead up by: a reading of its customer's or contact's first letters,
    in full pinyin or initials (domain.search.spelling_keys). Clustered by key on SQLite."""

    __tablename__ = "lead_key"
    __table_args__ = (Index("ix_lead_key_lead", "lead_id"), {"sqlite_with_rowid": False})

    key: str = Field(sa_column=Column(PREFIX_TEXT, primary_key=True))
    lead_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("lead.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_lead_at", "lead_id", "at"),
        Index("ix_follow_up_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("lead.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime
    channel: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    note: str = Field(sa_type=Text)
    next_action: str | None = Field(default=None, sa_type=Text)
    next_action_on: date | None = None
    mood: str | None = Field(default=None, max_length=16)
    responded: bool = True
    logged_at: datetime
    late: bool = False
    by: str = Field(sa_type=Text)
    forced: bool = False
    # it said --done: the next action in force then ended (SPEC §6.4)
    done: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Event(SQLModel, table=True):
    """One line of a lead's history: who, when, what, and the details as JSON text."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_lead", "lead_id", "id"),
        Index("ix_event_kind_at", "event", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("lead.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime
    by: str = Field(sa_type=Text)
    event: str = Field(max_length=32)
    details: str = Field(default="{}", sa_type=Text)
    # taken back by `undo` (the entry stays in the history; the review no longer counts it)
    # (the database's default, not SQLAlchemy's: the bulk writers name their columns)
    undone: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class LeadChange(SQLModel, table=True):
    """What one command changed on a lead, so `undo` can take it back (SPEC §6.4): the lead as
    it was (`before`: every column, and the rows the change added or altered, as JSON) and the
    history entries it wrote (ids first…last)."""

    __tablename__ = "lead_change"
    __table_args__ = (Index("ix_lead_change_lead", "lead_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("lead.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime
    by: str = Field(sa_type=Text)
    first_event_id: int
    last_event_id: int
    before: str = Field(sa_type=Text)
    undone_at: datetime | None = None


class Opportunity(SQLModel, table=True):
    __tablename__ = "opportunity"

    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("lead.id", ondelete="CASCADE"), primary_key=True)
    )
    need_match: bool = True
    budget: str | None = Field(default=None, sa_type=Text)
    budget_ok: bool = True
    decision_maker: str | None = Field(default=None, sa_type=Text)
    dm_title: str | None = Field(default=None, sa_type=Text)
    dm_phone: str | None = Field(default=None, max_length=32)
    no_objection: bool = True
    competitor: str | None = Field(default=None, sa_type=Text)
    advantage: str | None = Field(default=None, sa_type=Text)
    strategy: str | None = Field(default=None, sa_type=Text)
    upgraded_at: datetime
    upgraded_by: str = Field(sa_type=Text)


class Outcome(SQLModel, table=True):
    """A close: won or lost. A lead reopened by `wake` may be closed again: the latest counts."""

    __tablename__ = "outcome"
    __table_args__ = (
        Index("ix_outcome_lead", "lead_id", "id"),
        Index("ix_outcome_closed_on", "closed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("lead.id", ondelete="CASCADE"), nullable=False)
    )
    result: str = Field(max_length=8)
    closed_on: date
    closed_at: datetime
    by: str = Field(sa_type=Text)
    amount_fen: int | None = Field(default=None, sa_type=BigInteger)
    contract: str | None = Field(default=None, sa_type=Text)
    product: str | None = Field(default=None, sa_type=Text)
    factors: str | None = Field(default=None, sa_type=Text)
    reason: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, sa_type=Text)
    competitor: str | None = Field(default=None, sa_type=Text)


class WakeRun(SQLModel, table=True):
    """The run ledger of `wake`: one row per run that wrote."""

    __tablename__ = "wake_run"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    by: str = Field(sa_type=Text)
    woken: int = 0
    dormant: int = 0
    recycled: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Setting(SQLModel, table=True):
    """A setting kept in the database: `schedule_basis` (what the stored due days were
    computed with) and, with a roster, the team's settings."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)


class Member(SQLModel, table=True):
    """The team's roster (SPEC §6.2): empty means single-user mode."""

    __tablename__ = "member"

    name: str = Field(primary_key=True, sa_type=Text)
    role: str = Field(max_length=16)
    active: bool = True
    added_at: datetime
    added_by: str = Field(sa_type=Text)


# the same tables as Core objects, for bulk paths (import, export) that build no ORM objects
LEAD_TABLE: Table = Lead.__table__  # type: ignore[attr-defined]
PHONE_TABLE: Table = Phone.__table__  # type: ignore[attr-defined]
LEAD_KEY_TABLE: Table = LeadKey.__table__  # type: ignore[attr-defined]
EVENT_TABLE: Table = Event.__table__  # type: ignore[attr-defined]
SETTING_TABLE: Table = Setting.__table__  # type: ignore[attr-defined]
MEMBER_TABLE: Table = Member.__table__  # type: ignore[attr-defined]
