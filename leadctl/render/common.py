"""What every human view is made of: the console, user text made safe, grade colours, the words
for why a lead is due, and long tables laid out without Rich's per-cell measuring."""

from __future__ import annotations

import errno
import re
from collections.abc import Sized
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from leadctl.settings import Clock


def console() -> Console:
    return _console_class()(highlight=False, soft_wrap=False, emoji=False)


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class PipedConsole(Console):
        def on_broken_pipe(self) -> None:
            # `leadctl list | head`: the reader has all it wanted. Rich would exit 1 here; the
            # error goes up instead, and the console script ends quietly with 0 (entry.py)
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")

    return PipedConsole


# C0 and C1 control characters but tab and newline: terminal escapes in user text (an imported
# customer name can hold ESC) are shown escaped, never sent to the terminal
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escaped(value: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)


def text(value: Any, style: str = "") -> Text:
    """User text as Rich text: never read as markup, terminal escapes shown escaped."""
    from rich.text import Text

    return Text(_escaped("" if value is None else str(value)), style=style)


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


def ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def local_time(moment: datetime | None, clock: Clock) -> str:
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
    elif name == "recycle":
        return f"back to the pool on {deadline:%m-%d} unless followed up"
    else:
        words = ITEM_WORDS.get(name, name)
    if late > 0:
        words += f", {late} day{'s' if late > 1 else ''} overdue"
    return words


# past this many rows a table is laid out directly (CJK-aware widths, no wrapping): Rich's
# per-cell measuring takes seconds for ten thousand rows, and nobody reads them on screen
LONG_TABLE = 500


def is_long(rows: Sized) -> bool:
    return len(rows) > LONG_TABLE


def plain_table(out: Console, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    """A long table as plain aligned lines (Rich's Table measures every cell several times):
    each cell's width is measured once, ASCII without counting cells."""
    from rich.cells import cell_len

    def width(value: str) -> int:
        return len(value) if value.isascii() else cell_len(value)

    def shown(value: object) -> str:
        value = str(value)
        return value if value.isprintable() else _escaped(value)

    cells = [[shown(v) for v in row] for row in rows]
    sizes = [[width(v) for v in row] for row in cells]
    widths = [width(c) for c in columns]
    for row_sizes in sizes:
        widths = [max(w, n) for w, n in zip(widths, row_sizes, strict=True)]

    def line(values: list[str] | tuple[str, ...], lengths: list[int]) -> str:
        padded = (v + " " * (w - n) for v, w, n in zip(values, widths, lengths, strict=True))
        return "  ".join(padded).rstrip()

    out.print(text(line(columns, [width(c) for c in columns]), "bold"), soft_wrap=True)
    out.print(text("  ".join("─" * w for w in widths)), soft_wrap=True)
    out.file.write("\n".join(line(row, n) for row, n in zip(cells, sizes, strict=True)) + "\n")
