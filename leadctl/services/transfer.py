"""The capture form in: `import` a CSV/XLSX of leads (the template and export: services/exporting).

Import checks every row with the same rules as `add` (domain.capture.draft_lead) before anything
is written, looks for duplicates set-based (a few chunked queries for the whole file, within the
file in memory), then writes every good row in one transaction with bulk executemany — the rows
and history are those `add` (and `grade`) would write, by the importing user.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session

from leadctl.domain.cadence import LeadFacts, due_items, schedule
from leadctl.domain.capture import FieldError, LeadDraft, draft_lead
from leadctl.domain.choices import (
    NOT_CLOSED_STATUSES,
    Grade,
    Status,
)
from leadctl.errors import LeadctlError
from leadctl.io.form import (
    HeaderMap,
    match_headers,
    restore,
)
from leadctl.io.reading import FormFile, read_form
from leadctl.services.common import Ctx
from leadctl.store.bulk import after_explicit_ids, insert_rows, next_id
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import EVENT_TABLE as EVENT
from leadctl.store.tables import LEAD_TABLE as LEAD
from leadctl.store.tables import PHONE_TABLE as PHONE

# progress(stage, done, total): the CLI draws a bar on a terminal; services never print
Progress = Callable[[str, int, int], None]
TICK = 2_000  # rows between progress reports
CHUNK = 10_000  # rows per executemany
KEYS_PER_QUERY = 500  # values in one IN (…) of the duplicate check


class ImportRejected(LeadctlError):
    """Some rows are bad and --skip-invalid was not given: nothing was written."""

    def __init__(self, message: str, report: dict[str, Any]) -> None:
        super().__init__(message)
        self.report = report


# ---------------------------------------------------------------- import


# a row that passed every check: (spreadsheet row number, the checked lead, its customer key)
GoodRow = tuple[int, LeadDraft, str]


@dataclass
class Checked:
    """The outcome of checking a file's rows: the good drafts and what is wrong with the rest."""

    headers: HeaderMap
    good: list[GoodRow]
    errors: dict[int, tuple[str, str]]  # row → (field, reason); one reason per row
    rows: int


def import_leads(
    ctx: Ctx,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    allow_duplicate: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Import the capture form in `path`; raises ImportRejected if a row is bad (unless
    skip_invalid). Returns the `import` document (SPEC §4)."""
    tick = progress or _no_progress
    form = read_form(path)
    headers = match_headers(form.headers, repr(path.name))
    checked = check_rows(ctx, form, headers, allow_duplicate=allow_duplicate, tick=tick)
    if checked.rows == 0:
        raise LeadctlError(
            f"{path.name!r} has no leads below its header row: fill in at least one row."
        )
    store = ctx.store
    if dry_run:
        with store.read() as session:
            if not allow_duplicate:
                find_known(ctx, session, checked)
        _refuse_bad_rows(ctx, checked, path, skip_invalid=skip_invalid, dry_run=True)
        return _report(ctx, checked, path, dry_run=True)
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        if not allow_duplicate:
            find_known(ctx, session, checked)
        _refuse_bad_rows(ctx, checked, path, skip_invalid=skip_invalid, dry_run=False)
        first = insert_leads(ctx, session, checked.good, tick)
    return _report(ctx, checked, path, first_id=first)


def _refuse_bad_rows(
    ctx: Ctx, checked: Checked, path: Path, *, skip_invalid: bool, dry_run: bool
) -> None:
    if not checked.errors or skip_invalid:
        return
    bad, good, rows = len(checked.errors), len(checked.good), checked.rows
    them = "them" if bad > 1 else "it"
    raise ImportRejected(
        f"{bad} of {rows} row{'s' if rows != 1 else ''} in {path.name!r} cannot be imported, "
        f"so nothing was imported. Fix {them} and import again, or pass --skip-invalid to "
        f"import the {good} good row{'s' if good != 1 else ''}.",
        _report(ctx, checked, path, dry_run=dry_run),
    )


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _report(
    ctx: Ctx, checked: Checked, path: Path, *, dry_run: bool = False, first_id: int | None = None
) -> dict[str, Any]:
    imported = len(checked.good) if first_id is not None else 0
    return {
        "imported": imported,
        "skipped": len(checked.errors),
        "errors": [
            {"row": row, "column": checked.headers.column_name(field), "reason": reason}
            for row, (field, reason) in sorted(checked.errors.items())
        ],
        "file": str(path),
        "rows": checked.rows,
        "valid": len(checked.good),
        "dry_run": dry_run,
        "first": ctx.number(first_id) if first_id is not None and imported else None,
        "last": ctx.number(first_id + imported - 1) if first_id is not None and imported else None,
        "ignored_columns": checked.headers.ignored,
    }


def _cell_value(value: Any, *, day: bool) -> Any:
    """One non-text xlsx cell as the text a user sees; the acquired column keeps real dates."""
    if isinstance(value, datetime):
        if day:
            return value.date()
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value if day else value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number: 13800138000.0
    return str(value)


FIELDS = ("customer", "customer_type", "contact", "phone", "email", "wechat", "source", "need",
          "acquired_on", "owner", "grade", "grade_reason")  # fmt: skip
ACQUIRED = FIELDS.index("acquired_on")


def form_values(form: FormFile, headers: HeaderMap) -> Iterator[tuple[int, list[Any]]]:
    """Each non-blank row's values in FIELDS order (None where the file has no such column):
    text with export's leading `'` removed, or for xlsx cells, what the sheet shows."""
    width = len(form.headers)
    # a column the file lacks reads the padding cell appended to every row
    pick = itemgetter(*[headers.index.get(key, width) for key in FIELDS])
    for number, cells in form.rows:
        row = (
            list(cells[:width]) if len(cells) >= width else [*cells, *[None] * (width - len(cells))]
        )
        row.append(None)
        values: list[Any] = list(pick(row))
        if all(v is None or type(v) is str for v in values):
            text = "".join(filter(None, values))
            if not text.strip():
                continue  # a blank row: not a lead, not an error
            if "'" in text:
                values = [restore(v) if v else v for v in values]
        else:
            values = [
                v
                if v is None
                else restore(v)
                if type(v) is str
                else _cell_value(v, day=i == ACQUIRED)
                for i, v in enumerate(values)
            ]
            if not any(v.strip() if type(v) is str else v is not None for v in values):
                continue
        yield number, values


def check_rows(
    ctx: Ctx, form: FormFile, headers: HeaderMap, *, allow_duplicate: bool, tick: Progress
) -> Checked:
    """Check every row as `add` would, and duplicates within the file; no database needed."""
    today, user, region = ctx.today, ctx.user, ctx.settings.phone_region
    good: list[GoodRow] = []
    errors: dict[int, tuple[str, str]] = {}
    seen_customers: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    rows = 0
    total = form.approx_rows
    for number, values in form_values(form, headers):
        if rows % TICK == 0:
            tick("Checking rows", rows, total)
        rows += 1
        (customer, customer_type, contact, phone, email, wechat, source, need, acquired,
         owner, grade, reason) = values  # fmt: skip
        try:
            draft = draft_lead(
                customer=customer,
                phones=[phone] if phone else [],
                source=source,
                need=need,
                today=today,
                owner=owner if owner and owner.strip() else user,
                region=region,
                customer_type=customer_type,
                contact=contact,
                email=email,
                wechat=wechat,
                acquired=acquired,
                grade=grade,
                grade_reason=reason,
            )
        except FieldError as exc:
            message = exc.message
            if exc.field == "phone" and not (phone and phone.strip()):
                message = "At least one phone number is required (an email alone is not enough)."
            errors[number] = (exc.field, message)
            continue
        key = draft.customer_key
        if not allow_duplicate:
            clash = _clash_in_file(draft, key, seen_customers, seen_phones)
            if clash is not None:
                errors[number] = clash
                continue
            seen_customers[key] = number
            for e164 in draft.phones:
                seen_phones.setdefault(e164, number)
        good.append((number, draft, key))
    tick("Checking rows", rows, rows)
    return Checked(headers, good, errors, rows)


def _clash_in_file(
    draft: LeadDraft, key: str, customers: dict[str, int], phones: dict[str, int]
) -> tuple[str, str] | None:
    hint = "keep one of the two rows, or pass --allow-duplicate to import both."
    other = customers.get(key)
    if other is not None:
        return "customer", f"Duplicate: customer {draft.customer!r} is also on row {other}; {hint}"
    for e164 in draft.phones:
        other = phones.get(e164)
        if other is not None:
            return "phone", f"Duplicate: phone {e164} is also on row {other}; {hint}"
    return None


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), KEYS_PER_QUERY):
        yield values[start : start + KEYS_PER_QUERY]


def find_known(ctx: Ctx, session: Session, checked: Checked) -> None:
    """Move the good rows that match a not-closed lead (customer or phone) to the errors.

    Set-based: when the database holds fewer not-closed leads than the file has rows, one
    query reads all their customer keys (and one their phones); otherwise the file's keys and
    phones are looked up in chunks of a few hundred per query (both columns are indexed).
    Never one query per row.
    """
    if not checked.good:
        return
    statuses = [s.value for s in NOT_CLOSED_STATUSES]
    not_closed = LEAD.c.status.in_(statuses)
    open_leads = session.execute(select(func.count()).select_from(LEAD).where(not_closed)).scalar()
    if not open_leads:
        return
    keys = sorted({key for _, _, key in checked.good})
    phones = sorted({e164 for _, draft, _ in checked.good for e164 in draft.phones})
    whole = open_leads <= len(checked.good)  # cheaper to read them all than to look each up
    by_customer = select(LEAD.c.customer_key, LEAD.c.id, LEAD.c.owner, LEAD.c.customer)
    by_phone = select(PHONE.c.e164, LEAD.c.id, LEAD.c.owner).join(
        LEAD, LEAD.c.id == PHONE.c.lead_id
    )
    known_customers: dict[str, tuple[int, str, str]] = {}
    for chunk in [keys] if whole else _chunks(keys):
        wanted = not_closed if whole else and_(not_closed, LEAD.c.customer_key.in_(chunk))
        query = by_customer.where(wanted).order_by(LEAD.c.id)
        for key, lead_id, owner, customer in session.execute(query):
            known_customers.setdefault(key, (lead_id, owner, customer))
    known_phones: dict[str, tuple[int, str]] = {}
    for chunk in [phones] if whole else _chunks(phones):
        wanted = not_closed if whole else and_(not_closed, PHONE.c.e164.in_(chunk))
        query = by_phone.where(wanted).order_by(LEAD.c.id)
        for e164, lead_id, owner in session.execute(query):
            known_phones.setdefault(e164, (lead_id, owner))
    hint = "Follow up that lead, or pass --allow-duplicate to import it anyway."
    still_good: list[GoodRow] = []
    for number, draft, key in checked.good:
        hit = known_customers.get(key)
        if hit is not None:
            found = f"customer {hit[2]!r} is already lead {ctx.number(hit[0])} (owner {hit[1]})"
            checked.errors[number] = ("customer", f"Duplicate: {found}. {hint}")
            continue
        clash = next((p for p in draft.phones if p in known_phones), None)
        if clash is not None:
            lead_id, owner = known_phones[clash]
            found = f"phone {clash} is already on lead {ctx.number(lead_id)} (owner {owner})"
            checked.errors[number] = ("phone", f"Duplicate: {found}. {hint}")
            continue
        still_good.append((number, draft, key))
    checked.good = still_good


# the columns an imported lead is written with; the rest keep their defaults (NULL)
LEAD_COLUMNS = (
    "id", "customer", "customer_key", "customer_type", "contact", "email", "wechat", "source",
    "need", "acquired_on", "owner", "status", "grade", "grade_reason", "graded_at", "graded_by",
    "grade_set_at", "ungraded_since", "unanswered_streak", "due_on", "deadline_on", "created_at",
    "updated_at", "proposal_due_on",
)  # fmt: skip
PHONE_COLUMNS = ("lead_id", "e164", "position")
EVENT_COLUMNS = ("lead_id", "at", "by", "event", "details")


def _converter(column: Any, dialect: Dialect) -> Callable[[Any], Any]:
    """The column type's own conversion for this driver (e.g. SQLite's date and UTC text),
    computed once per distinct value: an import has few distinct days."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return lambda value: value
    seen: dict[Any, Any] = {None: None}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = done = process(value)
            return done

    return convert


def _details(**details: Any) -> str:
    """An event's details, encoded exactly as services.common.record encodes them."""
    return json.dumps(details, ensure_ascii=False, default=str)


def insert_leads(ctx: Ctx, session: Session, good: list[GoodRow], tick: Progress) -> int:
    """Write checked leads with their phones and history, as `add` (and `grade`) would;
    returns the first new lead's id. The caller holds the leads lock (serialize)."""
    connection: Connection = session.connection()
    dialect = connection.dialect
    day = _converter(LEAD.c.acquired_on, dialect)
    now = _converter(LEAD.c.created_at, dialect)(ctx.now)
    user = ctx.user
    rules, tz = ctx.settings.cadence, ctx.settings.clock.tz
    plans: dict[tuple[Grade | None, date | None], tuple[Any, Any]] = {}

    def plan(grade: Grade | None, acquired: date) -> tuple[Any, Any]:
        """(due_on, deadline_on) as refresh_schedule stores them, per grade (and day)."""
        key = (grade, None if grade else acquired)
        if key not in plans:
            facts = LeadFacts(
                status=Status.ACTIVE if grade else Status.NEW,
                grade=grade,
                ungraded_since=None if grade else acquired,
                graded_at=ctx.now if grade else None,
                grade_set_at=ctx.now if grade else None,
            )
            due_on, deadline_on = schedule(due_items(facts, rules, tz))
            plans[key] = (day(due_on), day(deadline_on))
        return plans[key]

    first_id = next_id(connection, LEAD)
    # an A lead owes its proposal N days after it became A (refresh_schedule stores the same)
    proposal_due = day(ctx.settings.clock.today + timedelta(days=rules.proposal_days))
    # history details repeat (a few owners, sources, grades): encode each once
    created_details: dict[tuple[str, str], str] = {}
    graded_details: dict[tuple[str, str | None], str] = {}
    total = len(good)
    for start in range(0, total, CHUNK):
        tick("Writing leads", start, total)
        leads: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for lead_id, (_, draft, key) in enumerate(good[start : start + CHUNK], first_id + start):
            grade = draft.grade
            acquired = day(draft.acquired_on)
            due_on, deadline_on = plan(grade, draft.acquired_on)
            # an ungraded lead is `new`, due its acquired day; a graded one as `grade` leaves it
            grade_value = grade.value if grade else None
            status = "active" if grade else "new"
            graded_at, graded_by = (now, user) if grade else (None, None)
            ungraded = None if grade else acquired
            leads.append((
                lead_id, draft.customer, key, draft.customer_type.value, draft.contact,
                draft.email, draft.wechat, draft.source, draft.need, acquired, draft.owner,
                status, grade_value, draft.grade_reason, graded_at, graded_by, graded_at,
                ungraded, 0, due_on, deadline_on, now, now,
                proposal_due if grade is Grade.A else None,
            ))  # fmt: skip
            for position, e164 in enumerate(draft.phones):
                phones.append((lead_id, e164, position))
            created = (draft.owner, draft.source)
            if created not in created_details:
                created_details[created] = _details(owner=draft.owner, source=draft.source)
            events.append((lead_id, now, user, "created", created_details[created]))
            if grade_value is not None:
                graded = (grade_value, draft.grade_reason)
                if graded not in graded_details:
                    graded_details[graded] = _details(
                        grade=grade_value, previous=None, reason=draft.grade_reason
                    )
                events.append((lead_id, now, user, "graded", graded_details[graded]))
        insert_rows(connection, LEAD, LEAD_COLUMNS, leads)
        insert_rows(connection, PHONE, PHONE_COLUMNS, phones)
        insert_rows(connection, EVENT, EVENT_COLUMNS, events)
    if total:
        after_explicit_ids(connection, LEAD, first_id + total - 1)
    tick("Writing leads", total, total)
    return first_id
