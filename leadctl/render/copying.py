"""A database copied (`copy --to`): what went where, table by table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.i18n import _, _n, _p
from leadctl.render.common import cell_width, console, sentence, text
from leadctl.store.copying import HOLDS

if TYPE_CHECKING:
    from leadctl.settings import Clock


def copied(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    leads = next((t["rows"] for t in doc["tables"] if t["table"] == "lead"), 0)
    words = _n(
        "Copied {leads} lead, {rows} rows in all; every table's count matches.",
        "Copied {leads} leads, {rows} rows in all; every table's count matches.",
        leads,
    )
    out.print(sentence(words.format(leads=f"{leads:,}", rows=f"{doc['rows']:,}")))
    # a path or URL on a line of its own, never broken: it is copied into a setting
    ends = ((_p("copy", "from"), doc["from"]), (_p("copy", "to"), doc["to"]))
    wide = max(4, *(cell_width(word) for word, _where in ends))
    for word, where in ends:
        line = text(f"  {word}{' ' * (wide - cell_width(word))} ")
        line.append(text(where, "bold"))
        out.print(line, soft_wrap=True)
    table = Table(show_edge=False, pad_edge=False, box=None, show_header=False)
    table.add_column("What")
    table.add_column("Rows", justify="right")
    for each in doc["tables"]:
        holds = HOLDS.get(each["table"])  # marked with N_ where it is written
        table.add_row(text(_(holds) if holds else each["table"]), f"{each['rows']:,}")
    out.print(table)
    hint = _("Now point everyone's LEADCTL_DB (or db in leadctl.toml) at the new database.")
    out.print(sentence(hint, "dim"))
