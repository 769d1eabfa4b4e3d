"""`sources`: the sources written on leads, for the supervisor who writes the team's list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.i18n import _, _n
from leadctl.render.common import console, sentence, text

if TYPE_CHECKING:
    from leadctl.settings import Clock


def source_table(rows: list[dict[str, Any]], clock: Clock, *, listed: bool, config: str) -> None:
    from rich.table import Table

    out = console()
    if not rows:
        out.print(text(_("No leads yet, so no sources in use.")))
    else:
        table = Table(show_edge=False, pad_edge=False)
        table.add_column(_("Source"))
        for name in (_("Leads"), _("Open")):
            table.add_column(name, justify="right")
        table.add_column(_("Last acquired"), no_wrap=True)
        if listed:
            table.add_column(_("On the list"))
        for row in rows:
            last = row["last_acquired_on"]
            cells = [
                text(row["source"]),
                text(row["leads"]),
                text(row["open"]),
                text(last.isoformat() if last else "—"),
            ]
            if listed:
                cells.append(_on_the_list(row))
            table.add_row(*cells)
        out.print(table)
    if not listed:
        out.print(
            sentence(
                _(
                    "No list of sources yet: write the team's channels as [sources] in the "
                    'config file, each with its aliases (e.g. "行业展会" = ["展会"]); add, edit '
                    "and import then take only those (or --new-source)."
                ),
                "dim",
            )
        )
    else:
        off_list = sum(1 for row in rows if row["listed_as"] is None)
        if not off_list:
            return
        words = _n(
            "{count} spelling is not on the list: add them to [sources] in the config file as "
            "names or aliases, or correct the leads with `leadctl edit LEAD --source …`.",
            "{count} spellings are not on the list: add them to [sources] in the config file as "
            "names or aliases, or correct the leads with `leadctl edit LEAD --source …`.",
            off_list,
        )
        out.print(sentence(words.format(count=off_list), "dim"))
    # a path is never folded
    out.print(text(_("Config file: {path}").format(path=config), "dim"), soft_wrap=True)


def _on_the_list(row: dict[str, Any]) -> Any:
    name = row["listed_as"]
    if name is None:
        return text(_("no"), "yellow")
    if name == row["source"]:
        return text(_("yes"))
    return text(_("alias of {name}").format(name=name))
