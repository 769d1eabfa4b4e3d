"""Everything leadctl prints: JSON documents and Rich tables/panels. Nothing else prints.

User text always goes in as `rich.text.Text`, never inside markup, so `[bold]` in a customer
name prints literally. Rich is imported only for human output; `--json` never loads it.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from leadctl.settings import Clock


def _jsonable(tz: tzinfo) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(tz).isoformat(timespec="seconds")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        raise TypeError(f"cannot encode {type(value).__name__}")

    return convert


def print_json(doc: Any, tz: tzinfo) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=_jsonable(tz)))
    sys.stdout.write("\n")


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False)


# C0 and C1 control characters but tab and newline: terminal escapes in user text (an imported
# customer name can hold ESC) are shown escaped, never sent to the terminal
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _t(value: Any, style: str = "") -> Text:
    from rich.text import Text

    text = "" if value is None else str(value)
    return Text(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text), style=style)


GRADE_STYLE = {"A": "bold red", "B": "yellow", "C": "cyan", "D": "dim"}
ITEM_WORDS = {
    "grade": "to grade",
    "cadence": "touch",
    "next_action": "next action",
    "proposal": "proposal due",
    "case": "case due",
    "wake": "woken: try again",
}


def touch_words(grade: str, every_days: int | None, grace_days: int = 0) -> str:
    """'A: daily touch', 'B: touch every 2–3 days' — from the configured interval."""
    if grace_days and every_days:
        return f"{grade}: touch every {every_days}–{every_days + grace_days} days"
    if every_days == 1:
        return f"{grade}: daily touch"
    if every_days == 7:
        return f"{grade}: weekly touch"
    if every_days == 30:
        return f"{grade}: monthly try"
    return f"{grade}: touch every {every_days} days" if every_days else f"{grade}: touch"


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def _local(moment: datetime | None, clock: Clock) -> str:
    return "" if moment is None else clock.local(moment).strftime("%Y-%m-%d %H:%M")


def item_words(item: dict[str, Any], today: date) -> str:
    """Why a lead is due, in words: 'A: daily touch, 2 days overdue', 'proposal due by 10-03'."""
    name = item["item"]
    deadline: date = item["deadline_on"]
    late = (today - deadline).days
    if name == "cadence":
        grace = (item["deadline_on"] - item["due_on"]).days
        words = touch_words(str(item.get("grade", "")), item.get("every_days"), grace)
    elif name == "next_action":
        words = f"next action: {item.get('text') or '(no text)'}"
    elif name in ("proposal", "case"):
        words = f"{name} due by {deadline:%m-%d}"
    else:
        words = ITEM_WORDS.get(name, name)
    if late > 0:
        words += f", {late} day{'s' if late > 1 else ''} overdue"
    return words


def lead_saved(doc: dict[str, Any], clock: Clock, *, action: str) -> None:
    out = console()
    line = _t(f"{action} ")
    line.append(doc["number"], style="bold")
    line.append(" ")
    line.append(doc["customer"])
    line.append(f"  [{doc['status']}", style="dim")
    if doc.get("grade"):
        line.append(f", grade {doc['grade']}", style="dim")
    line.append(f", owner {doc['owner']}]", style="dim")
    out.print(line)
    due = [i for i in doc.get("due_items", []) if i["due_on"] <= clock.today]
    if doc.get("due_on"):
        when = "today" if doc["due_on"] <= clock.today else doc["due_on"].isoformat()
        reasons = "; ".join(item_words(i, clock.today) for i in due or doc["due_items"][:1])
        out.print(_t(f"Next due {when}: {reasons}", "red" if doc.get("overdue") else ""))
    elif doc["status"] in ("won", "lost", "dormant"):
        out.print(_t(f"No more follow-ups due ({doc['status']}).", "dim"))


def lead_card(doc: dict[str, Any], clock: Clock) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    out = console()
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    grade = doc.get("grade")
    if grade:
        grade_text = _t(grade, GRADE_STYLE.get(grade, ""))
        grade_text.append(f"  {doc.get('grade_reason') or ''}", style="")
        if not doc.get("grade_confirmed"):
            grade_text.append("  (unconfirmed)", style="dim")
    else:
        grade_text = _t("not graded", "dim")
    rows: list[tuple[str, Any]] = [
        ("Customer", f"{doc['customer']} ({doc['customer_type']})"),
        ("Contact", doc.get("contact")),
        ("Phones", ", ".join(doc.get("phones") or [])),
        ("Email", doc.get("email")),
        ("WeChat", doc.get("wechat")),
        ("Source", doc.get("source")),
        ("Need", doc.get("need")),
        ("Acquired", doc["acquired_on"].isoformat()),
        ("Owner", doc["owner"]),
        ("Status", doc["status"]),
        ("Grade", grade_text),
    ]
    if doc.get("due_on"):
        words = "; ".join(item_words(i, clock.today) for i in doc.get("due_items", []))
        rows.append(("Due", f"{doc['due_on'].isoformat()}  {words}"))
    opp = doc.get("opportunity")
    if opp:
        dm = opp["decision_maker"]
        rows.append(("Budget", f"{opp.get('budget') or ''}"))
        dm_line = " / ".join(
            str(v) for v in (dm.get("name"), dm.get("title"), dm.get("phone")) if v
        )
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
        facts.add_row(label, value if not isinstance(value, str) else _t(value))
    parts: list[Any] = [facts]
    if doc.get("follow_ups"):
        table = Table(title="Follow-ups", title_justify="left", expand=False)
        for col in ("When", "By", "How", "Note", "Next", "Mood"):
            table.add_column(col)
        for f in doc["follow_ups"]:
            how = f"{f['channel']}/{f['kind']}" + ("" if f["responded"] else " ✗ no answer")
            nxt = f.get("next_action") or ""
            if f.get("next_action_on"):
                nxt = f"{f['next_action_on']:%m-%d} {nxt}"
            when = _local(f["at"], clock) + (" (late)" if f.get("late") else "")
            table.add_row(_t(when), _t(f["by"]), _t(how), _t(f["note"]), _t(nxt), _t(f.get("mood")))
        parts.append(table)
    history = Table(title="History", title_justify="left", expand=False)
    for col in ("When", "By", "Event"):
        history.add_column(col)
    for h in doc.get("history", []):
        extra = {k: v for k, v in h.items() if k not in ("at", "by", "event")}
        detail = ", ".join(f"{k}={v}" for k, v in extra.items() if v not in (None, "", []))
        history.add_row(
            _t(_local(h["at"], clock)), _t(h["by"]), _t(f"{h['event']} {detail}".strip())
        )
    parts.append(history)
    out.print(Panel(Group(*parts), title=_t(f"{doc['number']}  {doc['customer']}"), expand=False))


# past this many rows a table is laid out directly (CJK-aware widths, no wrapping): Rich's
# per-cell measuring takes seconds for ten thousand rows, and nobody reads them on screen
LONG_TABLE = 500


def _plain_table(out: Console, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    from rich.cells import cell_len

    cells = [[_CONTROL.sub(lambda m: repr(m.group())[1:-1], str(v)) for v in row] for row in rows]
    widths = [cell_len(c) for c in columns]
    for row in cells:
        widths = [max(w, cell_len(v)) for w, v in zip(widths, row, strict=True)]

    def line(values: list[str] | tuple[str, ...]) -> str:
        padded = (v + " " * (w - cell_len(v)) for v, w in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip()

    out.print(_t(line(columns), "bold"), soft_wrap=True)
    out.print(_t("  ".join("─" * w for w in widths)), soft_wrap=True)
    out.file.write("\n".join(line(row) for row in cells) + "\n")


def lead_list(rows: list[dict[str, Any]], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    if not rows:
        out.print("No leads match.")
        return
    columns = ("Lead", "Customer", "Status", "Grade", "Owner", "Source", "Due")
    if len(rows) > LONG_TABLE:
        _plain_table(
            out,
            columns,
            [
                [r["number"], r["customer"], r["status"], r["grade"] or "", r["owner"],
                 r["source"], r["due_on"].isoformat() if r["due_on"] else ""]
                for r in rows
            ],
        )  # fmt: skip
        out.print(_t(f"{len(rows)} leads", "dim"))
        return
    table = Table(show_edge=False, pad_edge=False)
    for col in columns:
        table.add_column(col, no_wrap=col in ("Lead", "Due"))
    for r in rows:
        due = r["due_on"].isoformat() if r["due_on"] else ""
        table.add_row(
            _t(r["number"]),
            _t(r["customer"]),
            _t(r["status"]),
            _t(r["grade"], GRADE_STYLE.get(r["grade"] or "", "")),
            _t(r["owner"]),
            _t(r["source"]),
            _t(due),
        )
    out.print(table)
    out.print(_t(f"{len(rows)} lead{'s' if len(rows) != 1 else ''}", "dim"))


def today_queue(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    today: date = doc["date"]
    items = doc["items"]
    who = doc["owner"] or "everyone"
    overdue = sum(1 for i in items if i["overdue"])
    to_grade = sum(1 for i in items if "grade" in i["reasons"])
    header = _t(f"{today.isoformat()} {today:%a} — {who}: ", "bold")
    header.append(f"{overdue} overdue", style="bold red" if overdue else "")
    header.append(f" · {len(items)} due · {to_grade} to grade")
    out.print(header)
    if not items:
        out.print(_t("Nothing due today. Good time to find new leads or wake an old one.", "green"))
        return
    table = Table(show_edge=False, pad_edge=False, expand=False)
    # CJK names have no spaces to wrap at: fold them rather than cut them off with "…"
    table.add_column("Lead", no_wrap=True)
    table.add_column("Customer", overflow="fold")
    table.add_column("Gr", no_wrap=True)
    table.add_column("Why due", overflow="fold")
    table.add_column("Last contact", overflow="fold")
    table.add_column("Phone", no_wrap=True)
    if doc["owner"] is None:
        table.add_column("Owner", overflow="fold")
    for item in items:
        why = "\n".join(item_words(i, today) for i in item["due_items"])
        last = ""
        if item.get("last_contact_at"):
            days = (today - clock.local(item["last_contact_at"]).date()).days
            last = _ago(days) + (f"\n{item['last_mood']}" if item.get("last_mood") else "")
        row = [
            _t(item["number"], "bold red" if item["overdue"] else "bold"),
            _t(item["customer"]),
            _t(item["grade"] or "–", GRADE_STYLE.get(item["grade"] or "", "")),
            _t(why, "red" if item["overdue"] else ""),
            _t(last or "never"),
            _t(_phone(item.get("phone"))),
        ]
        if doc["owner"] is None:
            row.append(_t(item.get("owner")))
        table.add_row(*row)
    out.print(table)


def _phone(e164: str | None) -> str:
    if not e164:
        return ""
    if e164.startswith("+86") and len(e164) == 14 and e164[3] == "1":  # mobile: 138 0013 8000
        n = e164[3:]
        return f"{n[:3]} {n[3:7]} {n[7:]}"
    return e164


# ---------------------------------------------------------------- pipeline (review, wake)


LOSS_WORDS = {
    "budget": "budget (预算不足)", "price": "price (价格)", "competitor": "a competitor (选择竞品)",
    "need-changed": "a changed need (需求变更)", "timing": "timing (时机)",
    "no-response": "no response (无回应)", "out-of-scope": "out of scope (超出业务范围)",
    "other": "other reasons (其他)",
}  # fmt: skip


def _table(title: str, *columns: str) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", show_edge=False)
    for name in columns:
        table.add_column(name, justify="right" if name[:1].isdigit() or name in NUMERIC else "left")
    return table


NUMERIC = {"Leads", "Opps", "Won", "Lost", "Win rate", "Follow-ups", "Touched", "Overdue",
           "Late logs", "Proposals missed", "Count", "Share"}  # fmt: skip


def review_report(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    s = doc["summary"]
    title = f"Weekly review {doc['from'].isoformat()} – {doc['to'].isoformat()}"
    if doc.get("owner"):
        title += f" · {doc['owner']}"
    out.print(_t(title, "bold"))
    out.print(
        _t(
            f"New leads {s['new_leads']} · graded {s['graded']} · follow-ups {s['follow_ups']} · "
            f"upgraded {s['upgraded']}\n"
            f"Won {s['won']} (¥{s['won_amount']:,}) · lost {s['lost']} · "
            f"went dormant {s['dormant']} · woken {s['woken']}"
        )
    )
    out.print()
    grades = doc["grades_to_confirm"]
    grade_title = f"Grades to confirm ({len(grades)}) — leadctl grade LEAD --confirm"
    grade_columns = ("Lead", "Customer", "Owner", "Grade", "Reason", "Graded", "By")
    if len(grades) > LONG_TABLE:
        out.print(_t(grade_title, "bold"), soft_wrap=True)
        _plain_table(out, grade_columns, [
            [g["number"], g["customer"], g["owner"], g["grade"], g["reason"] or "",
             _local(g["graded_at"], clock)[:10], g["by"] or ""]
            for g in grades
        ])  # fmt: skip
    elif grades:
        table = _table(grade_title, *grade_columns)
        for g in grades:
            table.add_row(
                _t(g["number"]), _t(g["customer"]), _t(g["owner"]),
                _t(g["grade"], GRADE_STYLE.get(g["grade"], "")), _t(g["reason"]),
                _t(_local(g["graded_at"], clock)[:10]), _t(g["by"]),
            )  # fmt: skip
        out.print(table)
    else:
        out.print(_t("Every grade is confirmed.", "green"))
    out.print()
    rep_columns = ("Rep", "Follow-ups", "Touched", "Late logs", "Overdue", "Proposals missed")
    if len(doc["reps"]) > LONG_TABLE:  # a large team: lay the table out directly
        out.print(_t("Reps", "bold"))
        _plain_table(out, rep_columns, [
            [r["owner"], str(r["follow_ups"]), str(r["leads_touched"]), str(r["late_logs"]),
             str(r["overdue"]), str(r["proposals_missed"])]
            for r in doc["reps"]
        ])  # fmt: skip
    elif doc["reps"]:
        table = _table("Reps", *rep_columns)
        for r in doc["reps"]:
            table.add_row(
                _t(r["owner"]), _t(r["follow_ups"]), _t(r["leads_touched"]),
                _t(r["late_logs"], "yellow" if r["late_logs"] else ""),
                _t(r["overdue"], "red" if r["overdue"] else ""),
                _t(r["proposals_missed"], "red" if r["proposals_missed"] else ""),
            )  # fmt: skip
        out.print(table)
    else:
        out.print(_t("No follow-ups logged and nothing overdue.", "dim"))
    out.print()
    if doc["sources"]:
        table = _table(f"Conversion by source (leads acquired up to {doc['to'].isoformat()})",
                       "Source", "Leads", "Opps", "Won", "Lost", "Win rate")  # fmt: skip
        for src in doc["sources"]:
            table.add_row(
                _t(src["source"]), _t(src["leads"]), _t(src["opportunities"]), _t(src["won"]),
                _t(src["lost"]), _t(f"{src['win_rate']:.0%}"),
            )  # fmt: skip
        out.print(table)
    else:
        out.print(_t(f"No leads acquired up to {doc['to'].isoformat()}.", "dim"))
    out.print()
    reasons = doc["loss_reasons"]
    if reasons:
        total = sum(r["count"] for r in reasons)
        top = reasons[0]
        out.print(
            _t(f"{top['count']} of {total} lost deal{'s' if total != 1 else ''} "
               f"cite{'s' if top['count'] == 1 else ''} "
               f"{LOSS_WORDS.get(top['reason'], top['reason'])}.", "bold")
        )  # fmt: skip
        table = _table("Loss reasons", "Reason", "Count", "Share", "")
        for r in reasons:
            bar = "█" * max(1, round(r["share"] * 20))
            table.add_row(_t(r["reason"]), _t(r["count"]), _t(f"{r['share']:.0%}"), _t(bar, "red"))
        out.print(table)
    else:
        out.print(_t("No deals lost this week.", "dim"))
    runs = doc.get("wake_runs") or []
    if runs:
        out.print()
        out.print(
            _t(f"wake ran {len(runs)} time{'s' if len(runs) != 1 else ''}: woke "
               f"{sum(r['woken'] for r in runs)}, {sum(r['dormant'] for r in runs)} went dormant "
               f"(last {_local(runs[-1]['at'], clock)} by {runs[-1]['by']}).", "dim")
        )  # fmt: skip


def wake_report(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    woken = doc.get("woken_leads", [])
    dormant = doc.get("dormant_leads", [])
    leads = f"{len(woken)} lead{'s' if len(woken) != 1 else ''}"
    if doc["dry_run"]:
        head = f"Would wake {leads}; {len(dormant)} would go dormant (dry run: nothing written)."
    else:
        head = f"Woke {leads}; {len(dormant)} went dormant."
    out.print(_t(f"{doc['date'].isoformat()}: {head}", "bold"))
    if woken:
        table = Table(show_edge=False, pad_edge=False)
        for name in ("Lead", "Customer", "Owner", "Why"):
            table.add_column(name)
        for w in woken:
            if w["status"] == "lost":
                closed_on = w.get("closed_on") or w["rested_on"]
                why = f"lost for {w['reason']} on {closed_on.isoformat()}"
                if w["rested_on"] != closed_on:  # an unanswered wake attempt restarted the rest
                    why += f", resting again since {w['rested_on'].isoformat()}"
            else:
                why = f"dormant since {w['rested_on'].isoformat()}"
            table.add_row(_t(w["number"]), _t(w["customer"]), _t(w["owner"]), _t(why))
        out.print(table)
    for d in dormant:
        out.print(
            _t(f"{d['number']} {d['customer']} ({d['owner']}): dormant after unanswered attempts")
        )


# ---------------------------------------------------------------- capture form (import, export)


def template_written(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    line = _t("Wrote the capture form ")
    line.append(doc["file"], style="bold")
    line.append(f" ({len(doc['columns'])} columns; its sheet 填写说明 explains each one).")
    out.print(line, soft_wrap=True)
    hint = f"Fill it in, then check it with: leadctl import {doc['file']} --dry-run"
    out.print(_t(hint, "dim"), soft_wrap=True)


def export_done(doc: dict[str, Any], clock: Clock) -> None:
    count = doc["exported"]
    line = _t(f"Exported {count} lead{'s' if count != 1 else ''} to ")
    line.append(doc["file"], style="bold")
    line.append(".")
    console().print(line, soft_wrap=True)


IMPORT_TABLE_ROWS = 100  # bad rows shown in a human table; --json lists them all


def _import_problem_table(doc: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("Row", justify="right", no_wrap=True)
    table.add_column("Column", no_wrap=True)
    table.add_column("Reason")
    for error in doc["errors"][:IMPORT_TABLE_ROWS]:
        table.add_row(_t(error["row"]), _t(error["column"]), _t(error["reason"]))
    return table


def _more_problems(doc: dict[str, Any]) -> str | None:
    more = len(doc["errors"]) - IMPORT_TABLE_ROWS
    return f"… and {more} more (--json lists every one)." if more > 0 else None


def import_problems(doc: dict[str, Any]) -> list[str]:
    """The table of bad rows as plain lines, printed after the `Error:` line on stderr."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    width = Console(stderr=True).width
    out = Console(file=buffer, width=max(width, 60), no_color=True, highlight=False, emoji=False)
    out.print(_import_problem_table(doc))
    lines = buffer.getvalue().rstrip("\n").split("\n")
    more = _more_problems(doc)
    return [*lines, more] if more else lines


def import_done(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    name = doc["file"]
    rows, valid, skipped = doc["rows"], doc["valid"], doc["skipped"]
    if doc["dry_run"]:
        line = _t(f"Checked {rows} row{'s' if rows != 1 else ''} of {name}: ")
        line.append(f"{valid} can be imported", style="green")
        if skipped:
            line.append(f", {skipped} cannot", style="red")
        line.append(". Nothing was written (--dry-run).")
        out.print(line, soft_wrap=True)
    else:
        count = doc["imported"]
        line = _t(f"Imported {count} lead{'s' if count != 1 else ''}")
        if doc.get("first"):
            span = doc["first"] if doc["first"] == doc["last"] else f"{doc['first']}–{doc['last']}"
            line.append(f" ({span})", style="bold")
        line.append(f" from {name}.")
        if skipped:
            line.append(f" Skipped {skipped} bad row{'s' if skipped != 1 else ''}:", style="red")
        out.print(line, soft_wrap=True)
    if skipped:
        out.print(_import_problem_table(doc))
        more = _more_problems(doc)
        if more:
            out.print(_t(more, "dim"))
    if doc.get("ignored_columns"):
        ignored = ", ".join(doc["ignored_columns"])
        note = f"Ignored columns that are not part of the capture form: {ignored}."
        out.print(_t(note, "dim"), soft_wrap=True)


class ProgressBar:
    """A progress bar on stderr for long imports: call it with (stage, done, total). It draws
    only on a terminal and only once the work is large, so small files and scripts never load
    Rich for it. Use it as a context manager so the bar is cleared at the end."""

    def __init__(self, enabled: bool, *, at_least: int = 5_000) -> None:
        self.enabled, self.at_least = enabled, at_least
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < self.at_least:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.update(self._tasks[stage], completed=done, total=max(total, done))

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
