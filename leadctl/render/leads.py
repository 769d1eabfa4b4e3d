"""One lead or many: the line after a change, the card of `show`, the table of `list`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from leadctl.domain.phones import display_phone
from leadctl.render.common import (
    GRADE_STYLE,
    console,
    is_long,
    item_words,
    local_time,
    plain_table,
    prose,
    text,
)

if TYPE_CHECKING:
    from leadctl.settings import Clock


def lead_saved(doc: dict[str, Any], clock: Clock, *, action: str) -> None:
    _saved_line(doc, action)
    _next_due_line(doc, clock)


def _saved_line(doc: dict[str, Any], action: str) -> None:
    line = text(f"{action} ")
    line.append(doc["number"], style="bold")
    line.append(" ")
    line.append(doc["customer"])
    line.append(f"  [{doc['status']}", style="dim")
    if doc.get("grade"):
        line.append(f", grade {doc['grade']}", style="dim")
    owner = f"owner {doc['owner']}" if doc["owner"] is not None else "in the pool (公海)"
    line.append(f", {owner}]", style="dim")
    console().print(line)


def _next_due_line(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    due = [i for i in doc.get("due_items", []) if i["due_on"] <= clock.today]
    if doc.get("due_on"):
        when = "today" if doc["due_on"] <= clock.today else doc["due_on"].isoformat()
        reasons = "; ".join(item_words(i, clock.today) for i in due or doc["due_items"][:1])
        out.print(text(f"Next due {when}: {reasons}", "red" if doc.get("overdue") else ""))
    elif doc["status"] in ("won", "lost", "dormant"):
        out.print(text(f"No more follow-ups due ({doc['status']}).", "dim"))


def follow_saved(
    doc: dict[str, Any], clock: Clock, *, logged: dict[str, Any], late_after: int
) -> None:
    """The confirmation of `follow`: the lead, a late log said at once, what is due next."""
    _saved_line(doc, "Followed up")
    late = late_log_words(logged, clock, late_after)
    if late:
        console().print(text(late, "yellow"), soft_wrap=True)
    _next_due_line(doc, clock)


def late_log_note(logged: dict[str, Any], clock: Clock, late_after: int) -> None:
    """With --json the late log is said on stderr (stdout holds the JSON document only)."""
    late = late_log_words(logged, clock, late_after)
    if late:
        print(late, file=sys.stderr)


def late_log_words(logged: dict[str, Any], clock: Clock, late_after: int) -> str | None:
    """'Logged late: contact at 10-05 10:00, logged 10-07 09:00 (1 day 23 h later); …' for a
    follow-up logged more than `late_after` minutes after the contact (SPEC §1), else None."""
    if not logged.get("late"):
        return None
    contact, logged_at = clock.local(logged["at"]), clock.local(logged["logged_at"])
    form = "%m-%d %H:%M" if contact.year == logged_at.year else "%Y-%m-%d %H:%M"
    minutes = int((logged_at - contact).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{mins} min"] if mins and not days else []
    hours_allowed, odd = divmod(late_after, 60)
    allowed = (
        f"{late_after} minutes"
        if odd or not hours_allowed
        else f"{hours_allowed} hour{'s' if hours_allowed != 1 else ''}"
    )
    return (
        f"Logged late: contact at {contact:{form}}, logged {logged_at:{form}} "
        f"({' '.join(parts) or 'under a minute'} later); the playbook asks for a record within {allowed}."
    )


def lead_card(doc: dict[str, Any], clock: Clock) -> None:
    """The card of `show`: the lead's facts in a panel, then its follow-ups and its history as
    tables. Whatever a person must read (notes, reasons, next actions, history) wraps to the
    terminal's width, never cut."""
    from rich.panel import Panel

    out = console()
    out.print(
        Panel(
            _facts(doc, clock),
            title=text(f"{doc['number']}  {doc['customer']}"),
            expand=False,
        )
    )
    if doc.get("follow_ups"):
        out.print(text("Follow-ups", "bold"))
        out.print(_follow_up_table(doc["follow_ups"], clock))
    out.print(text("History", "bold"))
    out.print(_history_table(doc.get("history", []), clock))


def _facts(doc: dict[str, Any], clock: Clock) -> Any:
    from rich.table import Table

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    grade = doc.get("grade")
    if grade:
        grade_text = text(grade, GRADE_STYLE.get(grade, ""))
        grade_text.append(f"  {doc.get('grade_reason') or ''}", style="")
        if not doc.get("grade_confirmed"):
            grade_text.append("  (unconfirmed)", style="dim")
    else:
        grade_text = text("not graded", "dim")
    rows: list[tuple[str, Any]] = [
        ("Customer", f"{doc['customer']} ({doc['customer_type']})"),
        ("Contact", doc.get("contact")),
        ("Phones", ", ".join(display_phone(p) for p in doc.get("phones") or [])),
        ("Email", doc.get("email")),
        ("WeChat", doc.get("wechat")),
        ("Source", doc.get("source")),
        ("Need", doc.get("need")),
        ("Note", doc.get("note")),
        ("Acquired", doc["acquired_on"].isoformat()),
        ("Owner", doc["owner"] or f"(pool 公海; last {doc.get('previous_owner') or 'nobody'})"),
        ("Status", doc["status"]),
        ("Grade", grade_text),
    ]
    if doc.get("due_on"):
        words = "; ".join(item_words(i, clock.today) for i in doc.get("due_items", []))
        rows.append(("Due", f"{doc['due_on'].isoformat()}  {words}"))
    if doc.get("next_action"):
        on = doc.get("next_action_on")
        rows.append(
            ("Next action", f"{on.isoformat()}  {doc['next_action']}" if on else doc["next_action"])
        )
    opp = doc.get("opportunity")
    if opp:
        dm = opp["decision_maker"]
        rows.append(("Budget", f"{opp.get('budget') or ''}"))
        phone = display_phone(dm["phone"]) if dm.get("phone") else None
        dm_line = " / ".join(str(v) for v in (dm.get("name"), dm.get("title"), phone) if v)
        rows.append(("Decision maker", dm_line))
        if opp.get("competitor") or opp.get("advantage"):
            rows.append(
                ("Competition", f"{opp.get('competitor') or 'none'}; {opp.get('advantage') or ''}")
            )
        if opp.get("strategy"):
            rows.append(("Strategy", opp["strategy"]))
    outcome = doc.get("outcome")
    if outcome:
        if outcome["result"] == "won":
            rows.append(
                (
                    "Won",
                    f"¥{outcome['amount']:,} on {outcome['closed_on']}, {outcome.get('product')}, "
                    f"contract {outcome.get('contract')}",
                )
            )
        else:
            rows.append(
                ("Lost", f"{outcome['reason']} on {outcome['closed_on']}: {outcome.get('note')}")
            )
    for label, value in rows:
        if value is None or value == "":
            continue
        facts.add_row(label, prose(value))
    return facts


def _follow_up_table(follow_ups: list[dict[str, Any]], clock: Clock) -> Any:
    """When, by whom and how in narrow columns (how stacked: channel, kind, answer, mood), so
    the note and the next action it set get the rest of the width."""
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("When", no_wrap=True)
    table.add_column("By")
    table.add_column("How", no_wrap=True)
    table.add_column("Note")
    for f in follow_ups:
        when = local_time(f["at"], clock) + ("\n(late log)" if f.get("late") else "")
        how = [f["channel"], f["kind"]]
        how += [] if f["responded"] else ["✗ no answer"]
        how += [f["mood"]] if f.get("mood") else []
        note = text(f["note"])
        if f.get("next_action") or f.get("next_action_on"):
            on = f" {f['next_action_on']:%Y-%m-%d}" if f.get("next_action_on") else ""
            note.append(f"\nnext{on}: ", style="bold")
            note.append_text(text(f.get("next_action") or "(no text)"))
        table.add_row(text(when), prose(f["by"]), text("\n".join(how)), prose(note))
    return table


def _history_table(history: list[dict[str, Any]], clock: Clock) -> Any:
    from rich.table import Table

    from leadctl.render.history import history_words

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("When", no_wrap=True)
    table.add_column("By")
    table.add_column("What")
    for h in history:
        table.add_row(
            text(local_time(h["at"], clock)), prose(h["by"]), prose(history_words(h, clock))
        )
    return table


def lead_list(rows: list[dict[str, Any]], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    if not rows:
        out.print("No leads match.")
        return
    columns = ("Lead", "Customer", "Status", "Grade", "Owner", "Source", "Due")
    if is_long(rows):
        plain_table(
            out,
            columns,
            [
                [r["number"], r["customer"], r["status"], r["grade"] or "", r["owner"] or "",
                 r["source"], r["due_on"].isoformat() if r["due_on"] else ""]
                for r in rows
            ],
        )  # fmt: skip
        out.print(text(f"{len(rows)} leads", "dim"))
        return
    table = Table(show_edge=False, pad_edge=False)
    for col in columns:
        table.add_column(col, no_wrap=col in ("Lead", "Due"))
    for r in rows:
        due = r["due_on"].isoformat() if r["due_on"] else ""
        table.add_row(
            text(r["number"]),
            prose(r["customer"]),
            text(r["status"]),
            text(r["grade"], GRADE_STYLE.get(r["grade"] or "", "")),
            prose(r["owner"] or "—"),
            prose(r["source"]),
            text(due),
        )
    out.print(table)
    out.print(text(f"{len(rows)} lead{'s' if len(rows) != 1 else ''}", "dim"))
