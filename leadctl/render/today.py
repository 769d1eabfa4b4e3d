"""The day's queue: what each rep does today, most urgent first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.domain.choices import Mood, shown
from leadctl.domain.phones import display_phone
from leadctl.i18n import _, weekday
from leadctl.render.common import (
    GRADE_STYLE,
    ago,
    console,
    item_words,
    message,
    prose,
    sentence,
    text,
)

if TYPE_CHECKING:
    from datetime import date

    from leadctl.settings import Clock


def queue_table(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    today: date = doc["date"]
    items = doc["items"]
    who = doc["owner"] or _("everyone")
    overdue = sum(1 for i in items if i["overdue"])
    to_grade = sum(1 for i in items if "grade" in i["reasons"])
    header = message(
        _("{day} {weekday} — {who}: {overdue} overdue · {due} due · {to_grade} to grade"),
        {"day": "bold", "weekday": "bold", "who": "bold", "overdue": "bold red" if overdue else ""},
        day=today.isoformat(), weekday=weekday(today), who=who, overdue=overdue,
        due=len(items), to_grade=to_grade,
    )  # fmt: skip
    out.print(header)
    if not items:
        out.print(
            sentence(
                _("Nothing due today. Good time to find new leads or wake an old one."), "green"
            )
        )
        return
    table = Table(show_edge=False, pad_edge=False, expand=False)
    # names, reasons and next actions wrap (prose), never cut off with "…"
    table.add_column(_("Lead"), no_wrap=True)
    table.add_column(_("Customer"))
    # TRANSLATORS: a narrow column's head: the lead's grade (A–D)
    table.add_column(_("Gr"), no_wrap=True)
    table.add_column(_("Why due"))
    table.add_column(_("Last contact"))
    table.add_column(_("Phone"), no_wrap=True)
    if doc["owner"] is None:
        table.add_column(_("Owner"))
    for item in items:
        why = "\n".join(item_words(i, today) for i in item["due_items"])
        last = ""
        if item.get("last_contact_at"):
            days = (today - clock.local(item["last_contact_at"]).date()).days
            mood = shown(Mood, item.get("last_mood"))
            last = ago(days) + (f"\n{mood}" if mood else "")
        # an extension on a line of its own: the number itself is never broken
        phone = (
            display_phone(item["phone"]).replace(" ext. ", "\next. ") if item.get("phone") else ""
        )
        row: list[Any] = [
            text(item["number"], "bold red" if item["overdue"] else "bold"),
            prose(item["customer"]),
            text(item["grade"] or "–", GRADE_STYLE.get(item["grade"] or "", "")),
            prose(why, "red" if item["overdue"] else ""),
            prose(last or _("never")),
            text(phone),
        ]
        if doc["owner"] is None:
            row.append(prose(item.get("owner")))
        table.add_row(*row)
    out.print(table)
