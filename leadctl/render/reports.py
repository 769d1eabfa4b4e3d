"""The weekly review and what a `wake` run did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.render.common import (
    GRADE_STYLE,
    console,
    is_long,
    local_time,
    plain_table,
    prose,
    text,
)

if TYPE_CHECKING:
    from leadctl.settings import Clock


LOSS_WORDS = {
    "budget": "budget (预算不足)", "price": "price (价格)", "competitor": "a competitor (选择竞品)",
    "need-changed": "a changed need (需求变更)", "timing": "timing (时机)",
    "no-response": "no response (无回应)", "out-of-scope": "out of scope (超出业务范围)",
    "other": "other reasons (其他)",
}  # fmt: skip


OFF_LIST = (
    "* not on the team's list of sources (config [sources]): add it there, or correct the "
    "leads with `leadctl edit LEAD --source …`."
)


def _table(*columns: str) -> Any:
    """A section's table; its title is printed on a line of its own (`_titled`): a table's own
    title wraps to the table's width, and a narrow table would break it over two lines."""
    from rich.table import Table

    table = Table(show_edge=False)
    for name in columns:
        table.add_column(name, justify="right" if name[:1].isdigit() or name in NUMERIC else "left")
    return table


def _titled(out: Any, title: str, table: Any) -> None:
    out.print(text(title, "bold"))
    out.print(table)


NUMERIC = {"Leads", "Opps", "Won", "Lost", "Win rate", "Follow-ups", "Touched", "Overdue",
           "Late logs", "Proposals missed", "Count", "Share"}  # fmt: skip


def review_report(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    s = doc["summary"]
    title = f"Weekly review {doc['from'].isoformat()} – {doc['to'].isoformat()}"
    if doc.get("owner"):
        title += f" · {doc['owner']}"
    out.print(text(title, "bold"))
    out.print(
        text(
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
    if is_long(grades):
        out.print(text(grade_title, "bold"), soft_wrap=True)
        plain_table(out, grade_columns, [
            [g["number"], g["customer"], g["owner"], g["grade"], g["reason"] or "",
             local_time(g["graded_at"], clock)[:10], g["by"] or ""]
            for g in grades
        ])  # fmt: skip
    elif grades:
        # the reason is what the supervisor confirms: it wraps, never cut; the day and who
        # graded share a column to leave it the width
        table = _table("Lead", "Customer", "Owner", "Grade", "Reason", "Graded")
        for g in grades:
            graded = local_time(g["graded_at"], clock)[:10] + (f"\n{g['by']}" if g["by"] else "")
            table.add_row(
                text(g["number"]), prose(g["customer"]), prose(g["owner"]),
                text(g["grade"], GRADE_STYLE.get(g["grade"], "")), prose(g["reason"]),
                prose(graded),
            )  # fmt: skip
        _titled(out, grade_title, table)
    else:
        out.print(text("Every grade is confirmed.", "green"))
    out.print()
    rep_columns = ("Rep", "Follow-ups", "Touched", "Late logs", "Overdue", "Proposals missed")
    if is_long(doc["reps"]):  # a large team: lay the table out directly
        out.print(text("Reps", "bold"))
        plain_table(out, rep_columns, [
            [r["owner"], str(r["follow_ups"]), str(r["leads_touched"]), str(r["late_logs"]),
             str(r["overdue"]), str(r["proposals_missed"])]
            for r in doc["reps"]
        ])  # fmt: skip
    elif doc["reps"]:
        table = _table(*rep_columns)
        for r in doc["reps"]:
            table.add_row(
                prose(r["owner"]), text(r["follow_ups"]), text(r["leads_touched"]),
                text(r["late_logs"], "yellow" if r["late_logs"] else ""),
                text(r["overdue"], "red" if r["overdue"] else ""),
                text(r["proposals_missed"], "red" if r["proposals_missed"] else ""),
            )  # fmt: skip
        _titled(out, "Reps", table)
    else:
        out.print(text("No follow-ups logged and nothing overdue.", "dim"))
    out.print()
    # no lead is acquired in the future: a week not over yet counts them up to today
    up_to = min(doc["to"], clock.today).isoformat()
    if doc["sources"]:
        table = _table("Source", "Leads", "Opps", "Won", "Lost", "Win rate")
        for src in doc["sources"]:
            off_list = " *" if src.get("listed") is False else ""
            table.add_row(
                prose(src["source"] + off_list), text(src["leads"]), text(src["opportunities"]),
                text(src["won"]), text(src["lost"]), text(f"{src['win_rate']:.0%}"),
            )  # fmt: skip
        _titled(out, f"Conversion by source (leads acquired up to {up_to})", table)
        if any(src.get("listed") is False for src in doc["sources"]):
            out.print(text(OFF_LIST, "dim"))
    else:
        out.print(text(f"No leads acquired up to {up_to}.", "dim"))
    out.print()
    reasons = doc["loss_reasons"]
    if reasons:
        total = sum(r["count"] for r in reasons)
        top = reasons[0]
        out.print(
            text(f"{top['count']} of {total} lost deal{'s' if total != 1 else ''} "
               f"cite{'s' if top['count'] == 1 else ''} "
               f"{LOSS_WORDS.get(top['reason'], top['reason'])}.", "bold")
        )  # fmt: skip
        table = _table("Reason", "Count", "Share", "")
        for r in reasons:
            bar = "█" * max(1, round(r["share"] * 20))
            table.add_row(
                text(r["reason"]), text(r["count"]), text(f"{r['share']:.0%}"), text(bar, "red")
            )
        _titled(out, "Loss reasons", table)
    else:
        out.print(text("No deals lost this week.", "dim"))
    runs = doc.get("wake_runs") or []
    if runs:
        out.print()
        out.print(
            text(f"wake ran {len(runs)} time{'s' if len(runs) != 1 else ''}: woke "
               f"{sum(r['woken'] for r in runs)}, {sum(r['dormant'] for r in runs)} went dormant "
               f"(last {local_time(runs[-1]['at'], clock)} by {runs[-1]['by']}).", "dim")
        )  # fmt: skip


WAKE_ROWS = 50  # leads listed per part of the nightly report (cron mail); JSON lists them all


def wake_report(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    woken = doc.get("woken_leads", [])
    dormant = doc.get("dormant_leads", [])
    recycled = doc.get("recycled_leads", [])
    leads = f"{len(woken):,} lead{'s' if len(woken) != 1 else ''}"
    pooled = f"; {len(recycled):,} went back to the pool (公海)" if recycled else ""
    if doc["dry_run"]:
        pooled = f"; {len(recycled):,} would go back to the pool" if recycled else ""
        head = (
            f"Would wake {leads}; {len(dormant):,} would go dormant{pooled} "
            "(dry run: nothing written)."
        )
    else:
        head = f"Woke {leads}; {len(dormant):,} went dormant{pooled}."
    out.print(text(f"{doc['date'].isoformat()}: {head}", "bold"), soft_wrap=True)
    if woken:
        table = Table(show_edge=False, pad_edge=False)
        for name in ("Lead", "Customer", "Owner", "Why"):
            table.add_column(name)
        for w in woken[:WAKE_ROWS]:
            if w["status"] == "lost":
                closed_on = w.get("closed_on") or w["rested_on"]
                why = f"lost for {w['reason']} on {closed_on.isoformat()}"
                if w["rested_on"] != closed_on:  # an unanswered wake attempt restarted the rest
                    why += f", resting again since {w['rested_on'].isoformat()}"
            else:
                why = f"dormant since {w['rested_on'].isoformat()}"
            table.add_row(text(w["number"]), prose(w["customer"]), prose(w["owner"]), prose(why))
        out.print(table)
        _more(out, len(woken), "woken: each owner finds hers in `leadctl today`")
    for d in dormant[:WAKE_ROWS]:
        out.print(
            text(f"{d['number']} {d['customer']} ({d['owner']}): dormant after unanswered attempts")
        )
    _more(out, len(dormant), "went dormant: `leadctl list --status dormant` lists them")
    for r in recycled[:WAKE_ROWS]:
        out.print(text(f"{r['number']} {r['customer']} ({r['owner']}): back to the pool (公海)"))
    _more(out, len(recycled), "back to the pool: `leadctl pool` lists it")


def _more(out: Any, count: int, where: str) -> None:
    if count > WAKE_ROWS:
        out.print(text(f"… and {count - WAKE_ROWS:,} more {where}.", "dim"))
