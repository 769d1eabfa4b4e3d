"""The capture form out: the empty form (`template`) and `export` of leads.

Export streams rows (the csv writer; for xlsx the sheet's XML written directly, io/sheet.py) so
100k leads stay within bounded memory; no cell can start a formula, phones are text, and every
file is created 0600.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from leadctl.domain.choices import (
    CustomerType,
    Status,
    chinese_name,
)
from leadctl.domain.phones import display_phone
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _
from leadctl.io.form import (
    CAPTURE_COLUMNS,
    EXPORT_COLUMNS,
)
from leadctl.io.reading import file_format
from leadctl.io.writing import private_file, write_csv
from leadctl.services.common import Ctx
from leadctl.services.leads import list_filter, sources_in_use
from leadctl.store.queries import export_streams

# ---------------------------------------------------------------- template


def write_template(ctx: Ctx, path: Path, *, replace: bool = False) -> dict[str, Any]:
    """Write the empty capture form (an .xlsx workbook, mode 0600)."""
    from leadctl.io.template import write_template as write_form

    if path.suffix.lower() != ".xlsx":
        raise LeadctlError(
            _(
                "The capture form is an Excel workbook: give a file name ending in .xlsx "
                "(not {name!r}), e.g. 线索登记表.xlsx."
            ).format(name=path.name)
        )
    sources = ctx.settings.sources.names
    with private_file(path, replace=replace) as handle:
        write_form(handle, sources)
    return {
        "file": str(path),
        "columns": [c.header for c in CAPTURE_COLUMNS],
        "sources": list(sources),  # the 线索来源 drop-down (none without a list)
    }


# ---------------------------------------------------------------- export


def export_leads(
    ctx: Ctx,
    path: Path,
    *,
    status: str | None = None,
    grade: str | None = None,
    owner: str | None = None,
    source: str | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Write the leads `list` would show (same filters) as a capture form with number, status
    and due day; streaming, so memory stays flat however many leads there are."""
    fmt = file_format(path, N_("export to"))
    filters: dict[str, Any] = {"status": status, "grade": grade, "owner": owner, "source": source}
    sources = ctx.settings.sources
    list_filter(**filters, sources=sources)  # choices checked before anything is written
    store = ctx.store
    with private_file(path, replace=replace) as handle, store.read() as session:
        in_use = sources_in_use(session, sources, source)
        where = list_filter(**filters, sources=sources, in_use=in_use)
        rows = export_rows(ctx, session.connection(), where)
        if fmt == ".csv":
            count = write_csv(handle, EXPORT_COLUMNS, rows)
        else:
            from leadctl.io.sheet import write_xlsx

            count = write_xlsx(handle, EXPORT_COLUMNS, rows, title="线索")
    return {"file": str(path), "format": fmt[1:], "exported": count}


def export_rows(ctx: Ctx, connection: Connection, where: Any) -> Iterable[list[Any]]:
    """The export's rows in EXPORT_COLUMNS order, merging three streams ordered by lead id."""
    lead_rows, phones, noted = export_streams(connection, where)
    phone_rows, note_rows = iter(phones), iter(noted)
    types = {t.value: chinese_name(t) or t.value for t in CustomerType}
    statuses = {s.value: chinese_name(s) or s.value for s in Status}
    region = ctx.settings.phone_region
    pending = next(phone_rows, None)
    pending_note = next(note_rows, None)
    for (lead_id, customer, customer_type, contact, email, wechat, source, need, acquired_on,
         owner, grade, grade_reason, status, due_on) in lead_rows:  # fmt: skip
        numbers: list[str] = []
        while pending is not None and pending[0] < lead_id:
            pending = next(phone_rows, None)
        while pending is not None and pending[0] == lead_id:
            numbers.append(display_phone(pending[1], region))
            pending = next(phone_rows, None)
        note = None
        while pending_note is not None and pending_note[0] <= lead_id:
            if pending_note[0] == lead_id:
                note = json.loads(pending_note[1]).get("note")
            pending_note = next(note_rows, None)
        yield [
            ctx.number(lead_id), customer, types.get(customer_type, customer_type), contact,
            ";".join(numbers), email, wechat, source, need, acquired_on, owner, grade,
            grade_reason, note, statuses.get(status, status), due_on,
        ]  # fmt: skip
