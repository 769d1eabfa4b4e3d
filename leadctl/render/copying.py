"""A database copied (`copy --to`): what went where, table by table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.render.common import console, text
from leadctl.store.copying import HOLDS

if TYPE_CHECKING:
    from leadctl.settings import Clock


def copied(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    leads = next((t["rows"] for t in doc["tables"] if t["table"] == "lead"), 0)
    out.print(
        text(
            f"Copied {leads:,} lead{'s' if leads != 1 else ''}, {doc['rows']:,} rows in all; "
            "every table's count matches."
        )
    )
    # a path or URL on a line of its own, never broken: it is copied into a setting
    for word, where in (("from", doc["from"]), ("to", doc["to"])):
        line = text(f"  {word:<4} ")
        line.append(text(where, "bold"))
        out.print(line, soft_wrap=True)
    table = Table(show_edge=False, pad_edge=False, box=None, show_header=False)
    table.add_column("What")
    table.add_column("Rows", justify="right")
    for each in doc["tables"]:
        table.add_row(HOLDS.get(each["table"], each["table"]), f"{each['rows']:,}")
    out.print(table)
    hint = "Now point everyone's LEADCTL_DB (or db in leadctl.toml) at the new database."
    out.print(text(hint, "dim"))
