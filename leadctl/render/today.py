"""The day's queue: what each rep does today, most urgent first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.domain.phones import display_phone
from leadctl.render.common import GRADE_STYLE, ago, console, item_words, prose, text

if TYPE_CHECKING:
    from datetime import date

    from leadctl.settings import Clock


def queue_table(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    today: date = doc["date"]
    items = doc["items"]
    who = doc["owner"] or "everyone"
    overdue = sum(1 for i in items if i["overdue"])
    to_grade = sum(1 for i in items if "grade" in i["reasons"])
    header = text(f"{today.isoformat()} {today:%a} — {who}: ", "bold")
    header.append(f"{overdue} overdue", style="bold red" if overdue else "")
    header.append(f" · {len(items)} due · {to_grade} to grade")
    out.print(header)
    if not items:
        out.print(
            text("Nothing due today. Good time to find new leads or wake an old one.", "green")
        )
        return
    table = Table(show_edge=False, pad_edge=False, expand=False)
    # names, reasons and next actions wrap (prose), never cut off with "…"
    table.add_column("Lead", no_wrap=True)
    table.add_column("Customer")
    table.add_column("Gr", no_wrap=True)
    table.add_column("Why due")
    table.add_column("Last contact")
    table.add_column("Phone", no_wrap=True)
    if doc["owner"] is None:
        table.add_column("Owner")
    for item in items:
        why = "\n".join(item_words(i, today) for i in item["due_items"])
        last = ""
        if item.get("last_contact_at"):
            days = (today - clock.local(item["last_contact_at"]).date()).days
            last = ago(days) + (f"\n{item['last_mood']}" if item.get("last_mood") else "")
        # an extension on a line of its own: the number itself is never broken
        phone = (
            display_phone(item["phone"]).replace(" ext. ", "\next. ") if item.get("phone") else ""
        )
        row: list[Any] = [
            text(item["number"], "bold red" if item["overdue"] else "bold"),
            prose(item["customer"]),
            text(item["grade"] or "–", GRADE_STYLE.get(item["grade"] or "", "")),
            prose(why, "red" if item["overdue"] else ""),
            prose(last or "never"),
            text(phone),
        ]
        if doc["owner"] is None:
            row.append(prose(item.get("owner")))
        table.add_row(*row)
    out.print(table)
