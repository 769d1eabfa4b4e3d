"""The capture form in: `import` a CSV/XLSX of leads (the template and export: services/exporting).

Import checks every row with the same rules as `add` (domain.capture.draft_lead) before anything
is written, looks for duplicates set-based (a few chunked queries for the whole file, within the
file in memory), then writes every good row in one transaction with bulk executemany — each row
built by domain.capture.capture, as `add` builds its one row, by the importing user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlmodel import Session

from leadctl.domain.capture import CaptureCache, FieldError, LeadDraft, capture, draft_lead
from leadctl.domain.phones import display_phone
from leadctl.domain.team import Actor
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _, _n, lang, use
from leadctl.io.form import (
    HeaderMap,
    match_headers,
    restore,
)
from leadctl.io.reading import FormFile, read_form
from leadctl.services.common import Ctx, Team, team_of
from leadctl.services.leads import customer_taken, phone_taken
from leadctl.store import queries
from leadctl.store.bulk import after_explicit_ids, next_id, write_leads
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import LEAD_TABLE

# progress(stage, done, total): the CLI draws a bar on a terminal; services never print
Progress = Callable[[str, int, int], None]
TICK = 2_000  # rows between progress reports
CHUNK = 2_500  # rows per executemany (at 10,000 a 100k-row import peaked 40 MB higher)


class Reason(str):
    """What is wrong with a row: the English text, as `--json` gives it (JSON never changes
    with the language), that reads in the interface's language wherever it is shown as text
    (`str()`, as the table of bad rows prints it)."""

    shown: str

    def __new__(cls, english: str, shown: str | None = None) -> Reason:
        reason = super().__new__(cls, english)
        reason.shown = english if shown is None else shown
        return reason

    def __str__(self) -> str:
        return self.shown


@contextmanager
def _in_english() -> Iterator[None]:
    """Speak English for a moment (a row's reason as JSON gives it)."""
    spoken = lang()
    use("en")
    try:
        yield
    finally:
        use(spoken)


def _reason(say: Callable[..., str], *args: Any) -> Reason:
    """The reason `say(*args)` gives, in English and in the interface's language."""
    shown = say(*args)
    if lang() == "en":
        return Reason(shown)
    with _in_english():
        return Reason(say(*args), shown)


def _refused(exc: LeadctlError, check: Callable[[], object]) -> Reason:
    """The reason `check` was refused with (`exc`), and in English: the check run again."""
    if lang() == "en":
        return Reason(exc.message)
    with _in_english():
        try:
            check()
        except LeadctlError as again:
            return Reason(again.message, exc.message)
    raise AssertionError("a check refused once passed when run again")


def _no_phone() -> str:
    return _("At least one phone number is required (an email alone is not enough).")


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
    errors: dict[int, tuple[str, Reason]]  # row → (field, reason); one reason per row
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
            _("{name!r} has no leads below its header row: fill in at least one row.").format(
                name=path.name
            )
        )
    store = ctx.store
    if dry_run:
        with store.read() as session:
            check_owners(team_of(ctx, session, IMPORT), checked)
            if not allow_duplicate:
                find_known(ctx, session, checked)
        _refuse_bad_rows(ctx, checked, path, skip_invalid=skip_invalid, dry_run=True)
        return _report(ctx, checked, path, dry_run=True)
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        team = team_of(ctx, session, IMPORT)
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
    problem = _n(
        "{bad} of {rows} row in {name!r} cannot be imported, so nothing was imported.",
        "{bad} of {rows} rows in {name!r} cannot be imported, so nothing was imported.",
        rows,
    ).format(bad=bad, rows=rows, name=path.name)
    if bad > 1:
        advice = _n(
            "Fix them and import again, or pass --skip-invalid to import the {good} good row.",
            "Fix them and import again, or pass --skip-invalid to import the {good} good rows.",
            good,
        )
    else:
        advice = _n(
            "Fix it and import again, or pass --skip-invalid to import the {good} good row.",
            "Fix it and import again, or pass --skip-invalid to import the {good} good rows.",
            good,
        )
    raise ImportRejected(
        # TRANSLATORS: two sentences: what is wrong with the file, and what to do about it
        _("{problem} {advice}").format(problem=problem, advice=advice.format(good=good)),
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
IMPORT = N_("import leads")  # what the user does, as a refusal names it
# the stages of an import, as its progress bar names them
CHECKING = N_("Checking rows")
WRITING = N_("Writing leads")


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
    errors: dict[int, tuple[str, Reason]] = {}
    seen_customers: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    rows = 0
    total = form.approx_rows
    checking = _(CHECKING)
    for number, values in form_values(form, headers):
        if rows % TICK == 0:
            tick(checking, rows, total)
        rows += 1
        (customer, customer_type, contact, phone, email, wechat, source, need, acquired,
         owner, grade, reason, note) = values  # fmt: skip
        row: dict[str, Any] = dict(
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
        try:
            draft = draft_lead(**row)
        except FieldError as exc:
            if exc.field == "phone" and not (phone and phone.strip()):
                errors[number] = (exc.field, _reason(_no_phone))
            else:
                errors[number] = (exc.field, _refused(exc, partial(draft_lead, **row)))
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
    tick(checking, rows, rows)
    return Checked(headers, good, errors, rows)


def _clash_in_file(
    draft: LeadDraft, key: str, customers: dict[str, int], phones: dict[str, int], region: str
) -> tuple[str, Reason] | None:
    other = customers.get(key)
    if other is not None:
        return "customer", _reason(_customer_in_file, draft.customer, other)
    for e164 in draft.phones:
        other = phones.get(e164)
        if other is not None:
            return "phone", _reason(_phone_in_file, display_phone(e164, region), other)
    return None


def _customer_in_file(customer: str, row: int) -> str:
    return _(
        "Duplicate: customer {customer!r} is also on row {row}; keep one of the two rows, or "
        "pass --allow-duplicate to import both."
    ).format(customer=customer, row=row)


def _phone_in_file(phone: str, row: int) -> str:
    return _(
        "Duplicate: phone {phone} is also on row {row}; keep one of the two rows, or pass "
        "--allow-duplicate to import both."
    ).format(phone=phone, row=row)


def check_owners(team: Team, checked: Checked) -> None:
    """Move the good rows whose owner (负责人) is not an active member to the errors."""
    if not team.roster:
        return
    verdicts: dict[str, Reason | None] = {}
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
                verdicts[draft.owner] = _refused(exc, partial(team.owner, draft.owner))
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
    still_good: list[GoodRow] = []
    for number, draft, key in checked.good:
        hit = known_customers.get(key)
        if hit is not None:
            reason = _reason(_known, customer_taken, hit[2], ctx.number(hit[0]), hit[1])
            checked.errors[number] = ("customer", reason)
            continue
        clash = next((p for p in draft.phones if p in known_phones), None)
        if clash is not None:
            lead_id, owner = known_phones[clash]
            phone = display_phone(clash, ctx.settings.phone_region)
            reason = _reason(_known, phone_taken, phone, ctx.number(lead_id), owner)
            checked.errors[number] = ("phone", reason)
            continue
        still_good.append((number, draft, key))
    checked.good = still_good


def _known(taken: Callable[[str, str, str | None], str], *found: Any) -> str:
    """A row that is already a lead not closed: `taken(*found)` says which."""
    return _(
        "Duplicate: {found}. Follow up that lead, or pass --allow-duplicate to import it anyway."
    ).format(found=taken(*found))


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
    total, writing = len(good), _(WRITING)
    write_leads(
        connection, leads, first_id, at=now, by=user, chunk=CHUNK,
        tick=lambda done: tick(writing, done, total),
    )  # fmt: skip
    if total:
        after_explicit_ids(connection, LEAD_TABLE, first_id + total - 1)
    return first_id
