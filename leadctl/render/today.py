"""The day's queue: what each rep does today, most urgent first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.domain.choices import Mood, shown
from leadctl.domain.phones import display_phone, display_phones
from leadctl.i18n import _, weekday
from leadctl.render.common import (
    GRADE_STYLE,
    ago,
    console,
    is_long,
    item_words,
    joined,
    message,
    plain_columns,
    prose,
    sentence,
    text,
)

if TYPE_CHECKING:
    from datetime import date

    from rich.text import Text

    from leadctl.settings import Clock


def queue_table(doc: dict[str, Any], clock: Clock) -> None:
    """The queue as a Rich table, or a long one (`doc["items"]` has its length before it is
    read) as plain lines."""
    if is_long(doc["items"]):
        _long_queue(doc, clock)
        return
    from rich.table import Table

    out = console()
    today: date = doc["date"]
    items = list(doc["items"].leads())
    overdue = sum(1 for i in items if i.overdue)
    to_grade = sum(1 for i in items if "grade" in i.reasons)
    out.print(_header(doc, overdue, len(items), to_grade))
    if not items:
        out.print(
            sentence(
                _("Nothing due today. Good time to find new leads or wake an old one."), "green"
            )
        )
        return
    table = Table(show_edge=False, pad_edge=False, expand=False)
    # names, reasons and next actions wrap (prose), never cut off with "…"
    for index, head in enumerate(_columns(doc["owner"] is None)):
        table.add_column(head, no_wrap=index in NO_WRAP)
    for item in items:
        why = "\n".join(item_words(i, today) for i in item.due_items)
        last = ""
        if item.last_contact_at:
            days = (today - clock.local(item.last_contact_at).date()).days
            mood = shown(Mood, item.last_mood)
            last = ago(days) + (f"\n{mood}" if mood else "")
        # an extension on a line of its own: the number itself is never broken
        phone = display_phone(item.phone).replace(" ext. ", "\next. ") if item.phone else ""
        row: list[Any] = [
            text(item.number, "bold red" if item.overdue else "bold"),
            prose(item.customer),
            text(item.grade or "–", GRADE_STYLE.get(item.grade or "", "")),
            prose(why, "red" if item.overdue else ""),
            prose(last or _("never")),
            text(phone),
        ]
        if doc["owner"] is None:
            row.append(prose(item.owner))
        table.add_row(*row)
    out.print(table)


NO_WRAP = (0, 2, 5)  # the lead, its grade, its phone
WORDED = 10_000  # lists of due items kept with their words (a queue of graded leads shares few)


def _columns(everyone: bool) -> tuple[str, ...]:
    names = (
        _("Lead"),
        _("Customer"),
        # TRANSLATORS: a narrow column's head: the lead's grade (A–D)
        _("Gr"),
        _("Why due"),
        _("Last contact"),
        _("Phone"),
    )
    return (*names, _("Owner")) if everyone else names


def _header(doc: dict[str, Any], overdue: int, due: int, to_grade: int) -> Text:
    today: date = doc["date"]
    return message(
        _("{day} {weekday} — {who}: {overdue} overdue · {due} due · {to_grade} to grade"),
        {"day": "bold", "weekday": "bold", "who": "bold", "overdue": "bold red" if overdue else ""},
        day=today.isoformat(), weekday=weekday(today), who=doc["owner"] or _("everyone"),
        overdue=overdue, due=due, to_grade=to_grade,
    )  # fmt: skip


def _long_queue(doc: dict[str, Any], clock: Clock) -> None:
    """A queue of thousands (an imported sheet of ungraded leads) as `list` prints a long list:
    one plain line per lead, laid out directly (plain_columns), no colours but the header's.
    The rows are read once, as they come, into the table's columns; what most rows share (the
    words for why a lead is due, for its last contact) is worded once."""
    out = console()
    today: date = doc["date"]
    everyone = doc["owner"] is None
    numbers: list[str] = []
    customers: list[str] = []
    grades: list[str | None] = []
    whys: list[str] = []
    lasts: list[str] = []
    phones: list[str | None] = []
    owners: list[str] = []
    names: dict[str, str] = {}  # each owner's name once, not once a row
    # the words for a lead's due items, by the list of them (leads with the same facts share
    # one list: queue._queue_items); the list is kept with its words, so its id is not reused
    worded: dict[int, tuple[list[dict[str, Any]], str, bool]] = {}
    contacted: dict[tuple[int, str | None], str] = {}  # (days ago, mood) → words
    moods = {m.value: shown(Mood, m) for m in Mood}
    never = _("never")
    overdue = to_grade = 0
    for item in doc["items"].leads():
        due_items = item.due_items
        known = worded.get(id(due_items))
        if known is None:
            if len(worded) >= WORDED:
                worded.clear()
            why = joined(item_words(i, today) for i in due_items)
            known = worded[id(due_items)] = (due_items, why, "grade" in item.reasons)
        last = never
        if item.last_contact_at is not None:
            days = (today - clock.local(item.last_contact_at).date()).days
            mood = item.last_mood
            last = contacted.get((days, mood)) or contacted.setdefault(
                (days, mood), joined([ago(days), moods[mood]]) if mood in moods else ago(days)
            )
        overdue += item.overdue
        to_grade += known[2]
        numbers.append(item.number)
        customers.append(item.customer)
        grades.append(item.grade)
        whys.append(known[1])
        lasts.append(last)
        phones.append(item.phone)
        if everyone:
            owner = item.owner or ""
            owners.append(names.setdefault(owner, owner))
    out.print(_header(doc, overdue, len(numbers), to_grade))
    columns = [
        numbers,
        customers,
        [grade or "–" for grade in grades],
        whys,
        lasts,
        display_phones(phones),
        *([owners] if everyone else []),
    ]
    plain_columns(out, _columns(everyone), columns)
