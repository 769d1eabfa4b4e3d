"""The team: a member saved, the roster, the team's settings."""

from __future__ import annotations

from typing import Any

from leadctl.i18n import _, _p
from leadctl.render.common import console, sentence, text


def role_words(role: str) -> str:
    """A member's role as people read it ("rep", "supervisor"; 销售, 主管 in Chinese)."""
    words = {"rep": _p("role", "rep"), "supervisor": _p("role", "supervisor")}
    return words.get(role, role)


def member_saved(doc: dict[str, Any], *, action: str) -> None:
    """`action` is the verb the command did ("Added", "Removed"), marked with N_ where it is
    written and translated here."""
    if doc["active"]:
        words = _("{action} {name}: {role}, {count} open leads.")
    else:
        words = _("{action} {name}: {role} (no longer active), {count} open leads.")
    line = words.format(
        action=_(action) if action else action,
        name=doc["name"],
        role=role_words(doc["role"]),
        count=doc["open_leads"],
    )
    console().print(sentence(line))


def roster_table(members: list[dict[str, Any]], clock: Any) -> None:
    from rich.table import Table

    if not members:
        console().print(
            sentence(
                _(
                    "No team yet: leadctl is single-user. Start one with "
                    "`leadctl team add NAME --role supervisor`."
                )
            )
        )
        return
    table = Table(title=_("Team"))
    for header in (_("Name"), _("Role"), _("Active")):
        table.add_column(header)
    table.add_column(_("Open leads"), justify="right")
    for m in members:
        table.add_row(
            text(m["name"]),
            text(role_words(m["role"])),
            text(_("yes") if m["active"] else _("no")),
            str(m["open_leads"]),
        )
    console().print(table)


def setting_saved(doc: dict[str, Any], clock: Any) -> None:
    words = _("Team setting {key} = {value}.").format(
        key=doc["key"], value=doc["value"] or _("(none)")
    )
    console().print(sentence(words))


def settings_table(rows: list[dict[str, Any]], clock: Any) -> None:
    from rich.table import Table

    table = Table(title=_("Team settings"))
    for header in (_("Setting"), _("Value"), _("Set by the team")):
        table.add_column(header)
    for row in rows:
        table.add_row(text(row["key"]), text(row["value"] or "—"), _("yes") if row["team"] else "")
    console().print(table)
