"""One lead or many: the line after a change, the card of `show`, the table of `list`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from leadctl.domain.choices import Channel, CustomerType, Kind, LossReason, Mood, Status, shown
from leadctl.domain.phones import display_phone
from leadctl.i18n import N_, _, _n, _p
from leadctl.render.common import (
    GRADE_STYLE,
    console,
    is_long,
    item_words,
    joined,
    local_time,
    plain_columns,
    prose,
    sentence,
    text,
)

if TYPE_CHECKING:
    from leadctl.settings import Clock


def lead_saved(doc: dict[str, Any], clock: Clock, *, action: str) -> None:
    """`action` is the verb the command did ("Added", "Graded"), marked with N_ where it is
    written and translated here."""
    _saved_line(doc, action)
    _next_due_line(doc, clock)


def _saved_line(doc: dict[str, Any], action: str) -> None:
    line = text(f"{_(action) if action else action} ")
    line.append_text(text(doc["number"], "bold"))
    line.append(" ")
    line.append_text(text(doc["customer"]))
    status, grade, owner = shown(Status, doc["status"]), doc.get("grade"), doc["owner"]
    if grade and owner is not None:
        facts = _("[{status}, grade {grade}, owner {owner}]")
    elif grade:
        facts = _("[{status}, grade {grade}, in the pool (公海)]")
    elif owner is not None:
        facts = _("[{status}, owner {owner}]")
    else:
        facts = _("[{status}, in the pool (公海)]")
    line.append_text(text("  " + facts.format(status=status, grade=grade, owner=owner), "dim"))
    console().print(line)


def _next_due_line(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    due = [i for i in doc.get("due_items", []) if i["due_on"] <= clock.today]
    if doc.get("due_on"):
        reasons = joined(item_words(i, clock.today) for i in due or doc["due_items"][:1])
        if doc["due_on"] <= clock.today:
            words = _("Next due today: {reasons}").format(reasons=reasons)
        else:
            words = _("Next due {day}: {reasons}").format(
                day=doc["due_on"].isoformat(), reasons=reasons
            )
        out.print(sentence(words, "red" if doc.get("overdue") else ""))
    elif doc["status"] in ("won", "lost", "dormant"):
        status = shown(Status, doc["status"])
        out.print(sentence(_("No more follow-ups due ({status}).").format(status=status), "dim"))


def follow_saved(
    doc: dict[str, Any], clock: Clock, *, logged: dict[str, Any], late_after: int
) -> None:
    """The confirmation of `follow`: the lead, a late log said at once, what is due next."""
    _saved_line(doc, N_("Followed up"))
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
    if days and hours:
        span = _n("{days} day {hours} h", "{days} days {hours} h", days)
    elif days:
        span = _n("{days} day", "{days} days", days)
    elif hours and mins:
        span = _("{hours} h {minutes} min")
    elif hours:
        span = _("{hours} h")
    elif mins:
        span = _("{minutes} min")
    else:
        span = _("under a minute")
    hours_allowed, odd = divmod(late_after, 60)
    allowed = (
        _("{minutes} minutes").format(minutes=late_after)
        if odd or not hours_allowed
        else _n("{hours} hour", "{hours} hours", hours_allowed).format(hours=hours_allowed)
    )
    return _(
        "Logged late: contact at {contact}, logged {logged} ({span} later); the playbook asks "
        "for a record within {allowed}."
    ).format(
        contact=contact.strftime(form),
        logged=logged_at.strftime(form),
        span=span.format(days=days, hours=hours, minutes=mins),
        allowed=allowed,
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
        out.print(text(_("Follow-ups"), "bold"))
        out.print(_follow_up_table(doc["follow_ups"], clock))
    out.print(text(_("History"), "bold"))
    out.print(_history_table(doc.get("history", []), clock))


def _facts(doc: dict[str, Any], clock: Clock) -> Any:
    from rich.table import Table

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    grade = doc.get("grade")
    if grade:
        grade_text = text(grade, GRADE_STYLE.get(grade, ""))
        grade_text.append_text(text(f"  {doc.get('grade_reason') or ''}"))
        if not doc.get("grade_confirmed"):
            grade_text.append("  " + _("(unconfirmed)"), style="dim")
    else:
        grade_text = text(_("not graded"), "dim")
    if doc["owner"]:
        owner = doc["owner"]
    elif doc.get("previous_owner"):
        owner = _("(pool 公海; last {owner})").format(owner=doc["previous_owner"])
    else:
        owner = _("(pool 公海; last nobody)")
    customer = _("{customer} ({type})").format(
        customer=doc["customer"], type=shown(CustomerType, doc["customer_type"])
    )
    rows: list[tuple[str, Any]] = [
        (_("Customer"), customer),
        (_("Contact"), doc.get("contact")),
        (_("Phones"), ", ".join(display_phone(p) for p in doc.get("phones") or [])),
        (_("Email"), doc.get("email")),
        (_("WeChat"), doc.get("wechat")),
        (_("Source"), doc.get("source")),
        (_("Need"), doc.get("need")),
        (_("Note"), doc.get("note")),
        (_("Acquired"), doc["acquired_on"].isoformat()),
        (_("Owner"), owner),
        (_("Status"), shown(Status, doc["status"])),
        (_("Grade"), grade_text),
    ]
    if doc.get("due_on"):
        words = joined(item_words(i, clock.today) for i in doc.get("due_items", []))
        rows.append((_("Due"), f"{doc['due_on'].isoformat()}  {words}"))
    if doc.get("next_action"):
        on = doc.get("next_action_on")
        action = f"{on.isoformat()}  {doc['next_action']}" if on else doc["next_action"]
        rows.append((_("Next action"), action))
    opp = doc.get("opportunity")
    if opp:
        dm = opp["decision_maker"]
        rows.append((_("Budget"), f"{opp.get('budget') or ''}"))
        phone = display_phone(dm["phone"]) if dm.get("phone") else None
        dm_line = " / ".join(str(v) for v in (dm.get("name"), dm.get("title"), phone) if v)
        rows.append((_("Decision maker"), dm_line))
        if opp.get("competitor") or opp.get("advantage"):
            competition = _("{competitor}; {advantage}").format(
                competitor=opp.get("competitor") or _p("competitor", "none"),
                advantage=opp.get("advantage") or "",
            )
            rows.append((_("Competition"), competition))
        if opp.get("strategy"):
            rows.append((_("Strategy"), opp["strategy"]))
    outcome = doc.get("outcome")
    if outcome:
        if outcome["result"] == "won":
            won = _("¥{amount} on {day}, {product}, contract {contract}").format(
                amount=f"{outcome['amount']:,}",
                day=outcome["closed_on"],
                product=outcome.get("product"),
                contract=outcome.get("contract"),
            )
            rows.append((_("Won"), won))
        else:
            lost = _("{reason} on {day}: {note}").format(
                reason=shown(LossReason, outcome["reason"]),
                day=outcome["closed_on"],
                note=outcome.get("note"),
            )
            rows.append((_("Lost"), lost))
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
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("By"))
    table.add_column(_("How"), no_wrap=True)
    table.add_column(_("Note"))
    for f in follow_ups:
        when = local_time(f["at"], clock) + ("\n" + _("(late log)") if f.get("late") else "")
        how = [shown(Channel, f["channel"]), shown(Kind, f["kind"])]
        how += [] if f["responded"] else [_("✗ no answer")]
        how += [shown(Mood, f["mood"])] if f.get("mood") else []
        note = text(f["note"])
        if f.get("next_action") or f.get("next_action_on"):
            if f.get("next_action_on"):
                # TRANSLATORS: before a follow-up's next action, in bold: "next 2024-10-08: 发方案"
                label = _("next {day}: ").format(day=f"{f['next_action_on']:%Y-%m-%d}")
            else:
                # TRANSLATORS: before a follow-up's next action, in bold: "next: 发方案"
                label = _("next: ")
            note.append("\n" + label, style="bold")
            note.append_text(text(f.get("next_action") or _("(no text)")))
        table.add_row(text(when), prose(f["by"]), text("\n".join(how)), prose(note))
    return table


def _history_table(history: list[dict[str, Any]], clock: Clock) -> Any:
    from rich.table import Table

    from leadctl.render.history import history_words

    table = Table(show_edge=False, pad_edge=False)
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("By"))
    table.add_column(_("What"))
    for h in history:
        table.add_row(
            text(local_time(h["at"], clock)), prose(h["by"]), prose(history_words(h, clock))
        )
    return table


def lead_list(rows: Sequence[dict[str, Any]], clock: Clock) -> None:
    out = console()
    if not rows:
        out.print(text(_("No leads match.")))
        return
    count = _n("{count} lead", "{count} leads", len(rows)).format(count=len(rows))
    statuses = {s.value: shown(Status, s) for s in Status}  # once, not once a row
    columns = (_("Lead"), _("Customer"), _("Status"), _("Grade"), _("Owner"), _("Source"), _("Due"))
    if is_long(rows):  # a column at a time: a pool at 1M leads lists tens of thousands
        keys = ("number", "customer", "status", "grade", "owner", "source", "due_on")
        by_key = dict(zip(keys, _columns(rows, keys), strict=True))

        def shown_as(names: dict[Any, str], key: str) -> list[Any]:
            values = by_key[key]  # names.get(value, value): a value not in `names` as it is
            return list(map(names.get, values, values))

        plain_columns(out, columns, [
            by_key["number"], by_key["customer"], shown_as(statuses, "status"),
            shown_as({None: ""}, "grade"), shown_as({None: ""}, "owner"), by_key["source"],
            [d.isoformat() if d else "" for d in by_key["due_on"]],
        ])  # fmt: skip
        out.print(text(count, "dim"))
        return
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    for index, col in enumerate(columns):
        table.add_column(col, no_wrap=index in (0, len(columns) - 1))  # the lead, the day due
    for r in rows:
        due = r["due_on"].isoformat() if r["due_on"] else ""
        table.add_row(
            text(r["number"]),
            prose(r["customer"]),
            text(statuses.get(r["status"], r["status"])),
            text(r["grade"], GRADE_STYLE.get(r["grade"] or "", "")),
            prose(r["owner"] or "—"),
            prose(r["source"]),
            text(due),
        )
    out.print(table)
    out.print(text(count, "dim"))


def _columns(rows: Sequence[dict[str, Any]], keys: tuple[str, ...]) -> list[Sequence[Any]]:
    """The rows' values a key at a time: straight from the database's rows when the items
    are made only when read (services.documents.LeadItems has `columns`)."""
    columns = getattr(rows, "columns", None)
    if columns is not None:
        return columns()
    return [list(map(itemgetter(key), rows)) for key in keys]
