"""The weekly review and what a `wake` run did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.domain.choices import LossReason, shown
from leadctl.i18n import N_, _, _n
from leadctl.render.common import (
    GRADE_STYLE,
    console,
    is_long,
    local_time,
    plain_table,
    prose,
    sentence,
    text,
)

if TYPE_CHECKING:
    from leadctl.settings import Clock


LOSS_WORDS = {
    "budget": N_("budget (预算不足)"), "price": N_("price (价格)"),
    "competitor": N_("a competitor (选择竞品)"), "need-changed": N_("a changed need (需求变更)"),
    "timing": N_("timing (时机)"), "no-response": N_("no response (无回应)"),
    "out-of-scope": N_("out of scope (超出业务范围)"), "other": N_("other reasons (其他)"),
}  # fmt: skip


OFF_LIST = N_(
    "* not on the team's list of sources (config [sources]): add it there, or correct the "
    "leads with `leadctl edit LEAD --source …`."
)


def _table(*columns: str) -> Any:
    """A section's table, its columns named in English (marked with N_) and shown translated;
    its title is printed on a line of its own (`_titled`): a table's own title wraps to the
    table's width, and a narrow table would break it over two lines."""
    from rich.table import Table

    table = Table(show_edge=False)
    for name in columns:
        table.add_column(
            _(name) if name else "",
            justify="right" if name[:1].isdigit() or name in NUMERIC else "left",
        )
    return table


def _titled(out: Any, title: str, table: Any) -> None:
    out.print(text(title, "bold"))
    out.print(table)


NUMERIC = {"Leads", "Opps", "Won", "Lost", "Win rate", "Follow-ups", "Touched", "Overdue",
           "Late logs", "Proposals missed", "Count", "Share"}  # fmt: skip


def review_report(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    s = doc["summary"]
    title = _("Weekly review {start} – {end}").format(
        start=doc["from"].isoformat(), end=doc["to"].isoformat()
    )
    if doc.get("owner"):
        title += f" · {doc['owner']}"
    out.print(text(title, "bold"))
    out.print(
        sentence(
            _(
                "New leads {new_leads} · graded {graded} · follow-ups {follow_ups} · "
                "upgraded {upgraded}\n"
                "Won {won} (¥{won_amount}) · lost {lost} · went dormant {dormant} · woken {woken}"
            ).format(**{**s, "won_amount": f"{s['won_amount']:,}"})
        )
    )
    out.print()
    grades = doc["grades_to_confirm"]
    grade_title = _("Grades to confirm ({count}) — leadctl grade LEAD --confirm").format(
        count=len(grades)
    )
    if is_long(grades):
        out.print(text(grade_title, "bold"), soft_wrap=True)
        grade_columns = (_("Lead"), _("Customer"), _("Owner"), _("Grade"), _("Reason"),
                         _("Graded"), _("By"))  # fmt: skip
        plain_table(out, grade_columns, [
            [g["number"], g["customer"], g["owner"], g["grade"], g["reason"] or "",
             local_time(g["graded_at"], clock)[:10], g["by"] or ""]
            for g in grades
        ])  # fmt: skip
    elif grades:
        # the reason is what the supervisor confirms: it wraps, never cut; the day and who
        # graded share a column to leave it the width
        table = _table(N_("Lead"), N_("Customer"), N_("Owner"), N_("Grade"), N_("Reason"),
                       N_("Graded"))  # fmt: skip
        for g in grades:
            graded = local_time(g["graded_at"], clock)[:10] + (f"\n{g['by']}" if g["by"] else "")
            table.add_row(
                text(g["number"]), prose(g["customer"]), prose(g["owner"]),
                text(g["grade"], GRADE_STYLE.get(g["grade"], "")), prose(g["reason"]),
                prose(graded),
            )  # fmt: skip
        _titled(out, grade_title, table)
    else:
        out.print(text(_("Every grade is confirmed."), "green"))
    out.print()
    rep_columns = (N_("Rep"), N_("Follow-ups"), N_("Touched"), N_("Late logs"), N_("Overdue"),
                   N_("Proposals missed"))  # fmt: skip
    if is_long(doc["reps"]):  # a large team: lay the table out directly
        out.print(text(_("Reps"), "bold"))
        plain_table(out, tuple(map(_, rep_columns)), [
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
        _titled(out, _("Reps"), table)
    else:
        out.print(text(_("No follow-ups logged and nothing overdue."), "dim"))
    out.print()
    # no lead is acquired in the future: a week not over yet counts them up to today
    up_to = min(doc["to"], clock.today).isoformat()
    if doc["sources"]:
        table = _table(N_("Source"), N_("Leads"), N_("Opps"), N_("Won"), N_("Lost"),
                       N_("Win rate"))  # fmt: skip
        for src in doc["sources"]:
            off_list = " *" if src.get("listed") is False else ""
            table.add_row(
                prose(src["source"] + off_list), text(src["leads"]), text(src["opportunities"]),
                text(src["won"]), text(src["lost"]), text(f"{src['win_rate']:.0%}"),
            )  # fmt: skip
        title = _("Conversion by source (leads acquired up to {day})").format(day=up_to)
        _titled(out, title, table)
        if any(src.get("listed") is False for src in doc["sources"]):
            out.print(sentence(_(OFF_LIST), "dim"))
    else:
        out.print(sentence(_("No leads acquired up to {day}.").format(day=up_to), "dim"))
    out.print()
    reasons = doc["loss_reasons"]
    if reasons:
        total = sum(r["count"] for r in reasons)
        top = reasons[0]
        if top["count"] == 1 and total != 1:
            words = _("{count} of {total} lost deals cites {reason}.")
        else:
            words = _n(
                "{count} of {total} lost deal cites {reason}.",
                "{count} of {total} lost deals cite {reason}.",
                total,
            )
        reason = _(LOSS_WORDS[top["reason"]]) if top["reason"] in LOSS_WORDS else top["reason"]
        out.print(sentence(words.format(count=top["count"], total=total, reason=reason), "bold"))
        table = _table(N_("Reason"), N_("Count"), N_("Share"), "")
        for r in reasons:
            bar = "█" * max(1, round(r["share"] * 20))
            table.add_row(
                text(shown(LossReason, r["reason"])), text(r["count"]),
                text(f"{r['share']:.0%}"), text(bar, "red"),
            )  # fmt: skip
        _titled(out, _("Loss reasons"), table)
    else:
        out.print(text(_("No deals lost this week."), "dim"))
    runs = doc.get("wake_runs") or []
    if runs:
        out.print()
        words = _n(
            "wake ran {runs} time: woke {woken}, {dormant} went dormant (last {at} by {by}).",
            "wake ran {runs} times: woke {woken}, {dormant} went dormant (last {at} by {by}).",
            len(runs),
        )
        out.print(
            sentence(words.format(
                runs=len(runs), woken=sum(r["woken"] for r in runs),
                dormant=sum(r["dormant"] for r in runs), at=local_time(runs[-1]["at"], clock),
                by=runs[-1]["by"],
            ), "dim")
        )  # fmt: skip


WAKE_ROWS = 50  # leads listed per part of the nightly report (cron mail); JSON lists them all


def wake_report(doc: dict[str, Any], clock: Clock) -> None:
    from rich.table import Table

    out = console()
    woken = doc.get("woken_leads", [])
    dormant = doc.get("dormant_leads", [])
    recycled = doc.get("recycled_leads", [])
    if doc["dry_run"]:
        if recycled:
            head = _n(
                "Would wake {count} lead; {dormant} would go dormant; {recycled} would go back "
                "to the pool (dry run: nothing written).",
                "Would wake {count} leads; {dormant} would go dormant; {recycled} would go back "
                "to the pool (dry run: nothing written).",
                len(woken),
            )
        else:
            head = _n(
                "Would wake {count} lead; {dormant} would go dormant (dry run: nothing written).",
                "Would wake {count} leads; {dormant} would go dormant (dry run: nothing written).",
                len(woken),
            )
    elif recycled:
        head = _n(
            "Woke {count} lead; {dormant} went dormant; {recycled} went back to the pool (公海).",
            "Woke {count} leads; {dormant} went dormant; {recycled} went back to the pool (公海).",
            len(woken),
        )
    else:
        head = _n(
            "Woke {count} lead; {dormant} went dormant.",
            "Woke {count} leads; {dormant} went dormant.",
            len(woken),
        )
    head = head.format(
        count=f"{len(woken):,}", dormant=f"{len(dormant):,}", recycled=f"{len(recycled):,}"
    )
    # TRANSLATORS: the night's date, then what wake did: "2024-10-07: Woke 2 leads; …"
    line = _("{day}: {report}").format(day=doc["date"].isoformat(), report=head)
    out.print(text(line, "bold"), soft_wrap=True)
    if woken:
        table = Table(show_edge=False, pad_edge=False)
        for name in (_("Lead"), _("Customer"), _("Owner"), _("Why")):
            table.add_column(name)
        for w in woken[:WAKE_ROWS]:
            if w["status"] == "lost":
                closed_on = w.get("closed_on") or w["rested_on"]
                why = _("lost for {reason} on {day}").format(
                    reason=shown(LossReason, w["reason"]), day=closed_on.isoformat()
                )
                if w["rested_on"] != closed_on:  # an unanswered wake attempt restarted the rest
                    why = _("{why}, resting again since {day}").format(
                        why=why, day=w["rested_on"].isoformat()
                    )
            else:
                why = _("dormant since {day}").format(day=w["rested_on"].isoformat())
            table.add_row(text(w["number"]), prose(w["customer"]), prose(w["owner"]), prose(why))
        out.print(table)
        _more(
            out,
            len(woken),
            _("… and {count} more woken: each owner finds hers in `leadctl today`."),
        )
    for d in dormant[:WAKE_ROWS]:
        words = _("{number} {customer} ({owner}): dormant after unanswered attempts")
        out.print(
            sentence(words.format(number=d["number"], customer=d["customer"], owner=d["owner"]))
        )
    _more(
        out,
        len(dormant),
        _("… and {count} more went dormant: `leadctl list --status dormant` lists them."),
    )
    for r in recycled[:WAKE_ROWS]:
        words = _("{number} {customer} ({owner}): back to the pool (公海)")
        out.print(
            sentence(words.format(number=r["number"], customer=r["customer"], owner=r["owner"]))
        )
    _more(out, len(recycled), _("… and {count} more back to the pool: `leadctl pool` lists it."))


def _more(out: Any, count: int, words: str) -> None:
    if count > WAKE_ROWS:
        out.print(sentence(words.format(count=f"{count - WAKE_ROWS:,}"), "dim"))
