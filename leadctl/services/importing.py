"""The capture form in: `import` a CSV/XLSX of leads (the template and export: services/exporting).

Import checks every row with the same rules as `add` (domain.capture.draft_lead) before anything
is written, looks for duplicates set-based (a few chunked queries for the whole file, within the
file in memory), then writes every good row in one transaction with bulk executemany — each row
built by domain.capture.capture, as `add` builds its one row, by the importing user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlmodel import Session

from leadctl.domain.capture import CaptureCache, FieldError, LeadDraft, capture, draft_lead
from leadctl.domain.phones import display_phone
from leadctl.domain.team import Actor
from leadctl.errors import LeadctlError
from leadctl.io.form import (
    HeaderMap,
    match_headers,
    restore,
)
from leadctl.io.reading import FormFile, read_form
from leadctl.services.common import Ctx, Team, team_of
from leadctl.services.documents import owned
from leadctl.store import queries
from leadctl.store.bulk import after_explicit_ids, next_id, write_leads
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import LEAD_TABLE

# progress(stage, done, total): the CLI draws a bar on a terminal; services never print
Progress = Callable[[str, int, int], None]
TICK = 2_000  # rows between progress reports
CHUNK = 10_000  # rows per executemany


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
    to_pool: bool = False,
    new_source: bool = False,
) -> dict[str, Any]:
    """Import the capture form in `path`; raises ImportRejected if a row is bad (unless
    skip_invalid). Returns the `import` document (SPEC §4)."""
    tick = progress or _no_progress
    form = read_form(path)
    headers = match_headers(form.headers, repr(path.name))
    checked = check_rows(
        ctx, form, headers, allow_duplicate=allow_duplicate, tick=tick, to_pool=to_pool,
        new_source=new_source,
    )  # fmt: skip
    if checked.rows == 0:
        raise LeadctlError(
            f"{path.name!r} has no leads below its header row: fill in at least one row."
        )
    store = ctx.store
    if dry_run:
        with store.read() as session:
            check_owners(team_of(ctx, session, "import leads"), checked)
            if not allow_duplicate:
                find_known(ctx, session, checked)
        _refuse_bad_rows(ctx, checked, path, skip_invalid=skip_invalid, dry_run=True)
        return _report(ctx, checked, path, dry_run=True)
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        team = team_of(ctx, session, "import leads")
        check_owners(team, checked)
        if not allow_duplicate:
            find_known(ctx, session, checked)
        _refuse_bad_rows(ctx, checked, path, skip_invalid=skip_invalid, dry_run=False)
        first = insert_leads(ctx, session, checked.good, tick, team.actor)
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
          "acquired_on", "owner", "grade", "grade_reason", "note")  # fmt: skip
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
    ctx: Ctx,
    form: FormFile,
    headers: HeaderMap,
    *,
    allow_duplicate: bool,
    tick: Progress,
    to_pool: bool = False,
    new_source: bool = False,
) -> Checked:
    """Check every row as `add` would, and duplicates within the file; no database needed."""
    today, user, region = ctx.today, ctx.user, ctx.settings.phone_region
    sources = ctx.settings.sources
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
         owner, grade, reason, note) = values  # fmt: skip
        try:
            draft = draft_lead(
                customer=customer,
                phones=[phone] if phone else [],
                source=source,
                need=need,
                today=today,
                owner=owner if owner and owner.strip() else (None if to_pool else user),
                region=region,
                customer_type=customer_type,
                contact=contact,
                email=email,
                wechat=wechat,
                acquired=acquired,
                grade=grade,
                grade_reason=reason,
                sources=sources,
                new_source=new_source,
                note=note,
            )
        except FieldError as exc:
            message = exc.message
            if exc.field == "phone" and not (phone and phone.strip()):
                message = "At least one phone number is required (an email alone is not enough)."
            errors[number] = (exc.field, message)
            continue
        key = draft.customer_key
        if not allow_duplicate:
            clash = _clash_in_file(draft, key, seen_customers, seen_phones, region)
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
    draft: LeadDraft, key: str, customers: dict[str, int], phones: dict[str, int], region: str
) -> tuple[str, str] | None:
    hint = "keep one of the two rows, or pass --allow-duplicate to import both."
    other = customers.get(key)
    if other is not None:
        return "customer", f"Duplicate: customer {draft.customer!r} is also on row {other}; {hint}"
    for e164 in draft.phones:
        other = phones.get(e164)
        if other is not None:
            phone = display_phone(e164, region)
            return "phone", f"Duplicate: phone {phone} is also on row {other}; {hint}"
    return None


def check_owners(team: Team, checked: Checked) -> None:
    """Move the good rows whose owner (负责人) is not an active member to the errors."""
    if not team.roster:
        return
    verdicts: dict[str, str | None] = {}
    still_good: list[GoodRow] = []
    for number, draft, key in checked.good:
        if draft.owner is None:  # into the pool
            still_good.append((number, draft, key))
            continue
        if draft.owner not in verdicts:
            try:
                team.owner(draft.owner)
                verdicts[draft.owner] = None
            except LeadctlError as exc:
                verdicts[draft.owner] = exc.message
        problem = verdicts[draft.owner]
        if problem is not None:
            checked.errors[number] = ("owner", problem)
        else:
            still_good.append((number, draft, key))
    checked.good = still_good


def find_known(ctx: Ctx, session: Session, checked: Checked) -> None:
    """Move the good rows that match a not-closed lead (customer or phone) to the errors."""
    if not checked.good:
        return
    keys = sorted({key for _, _, key in checked.good})
    phones = sorted({e164 for _, draft, _ in checked.good for e164 in draft.phones})
    known_customers, known_phones = queries.known_duplicates(
        session, keys, phones, len(checked.good)
    )
    if not known_customers and not known_phones:
        return
    hint = "Follow up that lead, or pass --allow-duplicate to import it anyway."
    still_good: list[GoodRow] = []
    for number, draft, key in checked.good:
        hit = known_customers.get(key)
        if hit is not None:
            found = f"customer {hit[2]!r} is already lead {ctx.number(hit[0])} ({owned(hit[1])})"
            checked.errors[number] = ("customer", f"Duplicate: {found}. {hint}")
            continue
        clash = next((p for p in draft.phones if p in known_phones), None)
        if clash is not None:
            lead_id, owner = known_phones[clash]
            phone = display_phone(clash, ctx.settings.phone_region)
            found = f"phone {phone} is already on lead {ctx.number(lead_id)} ({owned(owner)})"
            checked.errors[number] = ("phone", f"Duplicate: {found}. {hint}")
            continue
        still_good.append((number, draft, key))
    checked.good = still_good


def insert_leads(
    ctx: Ctx, session: Session, good: list[GoodRow], tick: Progress, who: Actor
) -> int:
    """Write checked leads with their phones and history, exactly as `add` writes one (and
    `grade` grades it); returns the first new lead's id. The caller holds the leads lock."""
    now, user, rules, tz = ctx.now, ctx.user, ctx.settings.cadence, ctx.settings.clock.tz
    calendar = ctx.settings.calendar
    cache: CaptureCache = {}
    pool = ctx.settings.pool
    # built a chunk at a time as they are written: memory stays flat for large files
    leads = (
        capture(draft, now=now, who=who, rules=rules, tz=tz, calendar=calendar, pool=pool,
                cache=cache)
        for _, draft, _ in good
    )  # fmt: skip
    connection = session.connection()
    first_id = next_id(connection, LEAD_TABLE)
    total = len(good)
    write_leads(
        connection, leads, first_id, at=now, by=user, chunk=CHUNK,
        tick=lambda done: tick("Writing leads", done, total),
    )  # fmt: skip
    if total:
        after_explicit_ids(connection, LEAD_TABLE, first_id + total - 1)
    return first_id
