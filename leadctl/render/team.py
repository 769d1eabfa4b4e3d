"""The team: a member saved, the roster, the team's settings."""

from __future__ import annotations

from typing import Any

from leadctl.render.common import console, text


def member_saved(doc: dict[str, Any], *, action: str) -> None:
    state = "" if doc["active"] else " (no longer active)"
    line = text(f"{action} {doc['name']}: {doc['role']}{state}, {doc['open_leads']} open leads.")
    console().print(line)


def roster_table(members: list[dict[str, Any]], clock: Any) -> None:
    from rich.table import Table

    if not members:
        console().print(
            text(
                "No team yet: leadctl is single-user. Start one with "
                "`leadctl team add NAME --role supervisor`."
            )
        )
        return
    table = Table(title="Team")
    for header in ("Name", "Role", "Active", "Open leads"):
        table.add_column(header, justify="right" if header == "Open leads" else "left")
    for m in members:
        table.add_row(
            text(m["name"]), m["role"], "yes" if m["active"] else "no", str(m["open_leads"])
        )
    console().print(table)


def setting_saved(doc: dict[str, Any], clock: Any) -> None:
    console().print(text(f"Team setting {doc['key']} = {doc['value'] or '(none)'}."))


def settings_table(rows: list[dict[str, Any]], clock: Any) -> None:
    from rich.table import Table

    table = Table(title="Team settings")
    for header in ("Setting", "Value", "Set by the team"):
        table.add_column(header)
    for row in rows:
        table.add_row(row["key"], text(row["value"] or "—"), "yes" if row["team"] else "")
    console().print(table)
