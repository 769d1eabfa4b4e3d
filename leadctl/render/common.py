"""What every human view is made of: the console, user text made safe, grade colours, the words
for why a lead is due, and long tables laid out without Rich's per-cell measuring."""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence, Sized
from datetime import date, datetime
from functools import cache
from itertools import repeat
from operator import add, floordiv, mul, sub
from typing import TYPE_CHECKING, Any

from leadctl.i18n import N_, _, _n, lang

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions
    from rich.measure import Measurement
    from rich.segment import Segment
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

        def render(self, renderable: Any, options: Any = None) -> Iterator[Segment]:
            # the last guard before the terminal: text that reached Rich without text() (a
            # Text.append of user data, a caption) is escaped here; colours and links are in
            # segments' styles, and cursor moves in control segments, neither of them touched
            for segment in super().render(renderable, options):
                if segment.control is None and _CONTROL.search(segment.text):
                    segment = type(segment)(escaped(segment.text), segment.style)
                yield segment

    return PipedConsole


# C0 and C1 control characters but tab and newline: terminal escapes in user text (an imported
# customer name can hold ESC) are shown escaped, never sent to the terminal
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# on a line of its own (an `Error:` line, a warning) tab, newline and the Unicode line and
# paragraph separators are shown escaped as well
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escaped(value: str, *, one_line: bool = False) -> str:
    """The one escaping function: every control character a terminal could obey (ESC of an OSC
    or CSI, the 8-bit CSI U+009B, a bell, a carriage return) written as Python writes it
    (`\\x1b`), so user text is shown, never obeyed. Everything printed goes through it: Rich
    text by `text()` and the console itself, the lines on stderr by `warn()` and `entry._error`."""
    pattern = _CONTROL_OR_BREAK if one_line else _CONTROL
    return pattern.sub(lambda m: repr(m.group())[1:-1], value)


def warn(line: str) -> None:
    """A warning or note on stderr, its user text (a path, a name) escaped."""
    import sys

    print(escaped(line), file=sys.stderr)


def text(value: Any, style: str = "") -> Text:
    """User text as Rich text: never read as markup, terminal escapes shown escaped."""
    from rich.text import Text

    return Text(escaped("" if value is None else str(value)), style=style)


def message(words: str, styles: dict[str, str] | None = None, **values: Any) -> Text:
    """A translated message with its placeholders filled, as Rich text: each value is user
    text (`text()`: never markup, escapes shown escaped), styled by `styles[name]` when given,
    so a word may stand out (a file name in bold) wherever the translation puts it."""
    from string import Formatter

    from rich.text import Text

    styles = styles or {}
    out = Text()
    for literal, name, spec, conversion in Formatter().parse(words):
        out.append(literal)
        if name is None:
            continue
        value = values[name]
        if conversion == "r":
            value = repr(value)
        elif conversion == "s":
            value = str(value)
        out.append_text(text(format(value, spec or ""), styles.get(name, "")))
    return out


def joined(items: Any) -> str:
    """Items of a list, as the language separates them ('; ' in English)."""
    # TRANSLATORS: between the items of a list: "to grade; proposal due by 10-03"
    return _("; ").join(items)


def prose(value: Any, style: str = "") -> Prose:
    """User text a person must read whole (notes, reasons, next actions, names): it wraps to
    its column, never cut; see Prose."""
    from rich.text import Text

    return Prose(value if isinstance(value, Text) else text(value, style))


def sentence(value: Any, style: str = "") -> Text | Prose:
    """A sentence of ours printed on its own lines: in English wrapped by Rich at spaces, as
    it always was; in Chinese, which has no spaces to wrap at, wrapped as Prose wraps it
    (anywhere between two characters), not broken at the one space before a date."""
    return prose(value, style) if lang() == "zh" else text(value, style)


# a line may not start with closing punctuation, nor end with opening punctuation (避头尾)
_CLOSING = set("，。、；：？！）》」』】〕〉”’…·,.;:?!)]}%")
_OPENING = set("（《「『【〔〈“‘([{¥￥")


class Prose:
    """Rich text that wraps the way Chinese is written: anywhere between two CJK characters
    (they have no spaces for Rich to wrap at, so Rich would move a whole sentence to its own
    line and fold it there), at spaces between other words, a word longer than the line folded.
    Closing punctuation stays with the character before it, opening with the one after."""

    def __init__(self, value: Text) -> None:
        self.text = value

    @staticmethod
    def _tokens(line: str) -> list[list[int]]:
        """[start, end) of each piece a line is not broken inside: a CJK character or a word of
        other letters, with the spaces after it; punctuation stays with its word, and a word
        written against CJK characters (`预算30万`, `有ERP打通`) with them."""
        from rich.cells import cell_len

        def wide(ch: str) -> bool:
            return cell_len(ch) > 1

        atoms: list[list[int]] = []
        i, n = 0, len(line)
        while i < n:
            start = i
            if wide(line[i]):
                i += 1
            else:
                while i < n and not line[i].isspace() and not wide(line[i]):
                    i += 1
            while i < n and line[i].isspace():
                i += 1
            atoms.append([start, max(i, start + 1)])
        tokens: list[list[int]] = []
        for start, end in atoms:
            if tokens:
                last = line[tokens[-1][1] - 1]
                first = line[start]
                if (
                    first in _CLOSING
                    or last in _OPENING
                    or (not last.isspace() and wide(last) != wide(first))
                ):
                    tokens[-1][1] = end
                    continue
            tokens.append([start, end])
        return tokens

    def _breaks(self, line: str, width: int) -> list[int]:
        from rich.cells import cell_len, chop_cells

        breaks: list[int] = []
        used = 0
        for start, end in self._tokens(line):
            piece = line[start:end]
            length = cell_len(piece.rstrip())
            if used and used + length > width:
                breaks.append(start)
                used = 0
            if length > width:  # longer than a line: fold it
                for chunk in chop_cells(piece, width)[:-1]:
                    start += len(chunk)
                    breaks.append(start)
                used = cell_len(line[start:end])
            else:
                used += cell_len(piece)
        return breaks

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.cells import cell_len
        from rich.measure import Measurement

        lines = self.text.plain.split("\n")
        widest = max(cell_len(line) for line in lines)
        pieces = [cell_len(ln[a:b].rstrip()) for ln in lines for a, b in self._tokens(ln)]
        return Measurement(max(pieces, default=0), widest).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        width = max(1, options.max_width)
        for part in self.text.split("\n", allow_blank=True):
            for line in part.divide(self._breaks(part.plain, width)):
                line.rstrip()
                yield from line.render(console)
                yield Segment.line()


GRADE_STYLE = {"A": "bold red", "B": "yellow", "C": "cyan", "D": "dim"}
ITEM_WORDS = {
    "grade": N_("to grade"),
    "cadence": N_("touch"),
    "next_action": N_("next action"),
    "proposal": N_("proposal due"),
    "case": N_("case due"),
    "wake": N_("woken: try again"),
}


def touch_words(grade: str, every_days: int | None, grace_days: int = 0) -> str:
    """'A: daily touch', 'B: touch every 2–3 days' — from the configured interval."""
    if grace_days and every_days:
        return _("{grade}: touch every {low}–{high} days").format(
            grade=grade, low=every_days, high=every_days + grace_days
        )
    if every_days == 1:
        return _("{grade}: daily touch").format(grade=grade)
    if every_days == 7:
        return _("{grade}: weekly touch").format(grade=grade)
    if every_days == 30:
        return _("{grade}: monthly try").format(grade=grade)
    if every_days:
        return _("{grade}: touch every {days} days").format(grade=grade, days=every_days)
    return _("{grade}: touch").format(grade=grade)


def ago(days: int) -> str:
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return _("{days} days ago").format(days=days)


def local_time(moment: datetime | None, clock: Clock) -> str:
    return "" if moment is None else clock.local(moment).strftime("%Y-%m-%d %H:%M")


def item_words(item: dict[str, Any], today: date) -> str:
    """Why a lead is due, in words: 'A: daily touch, 2 days overdue', 'proposal due by 10-03'."""
    name = item["item"]
    deadline: date = item["deadline_on"]
    late = (today - deadline).days
    day = f"{deadline:%m-%d}"
    if name == "cadence":
        grace = (item["deadline_on"] - item["due_on"]).days
        words = touch_words(str(item.get("grade", "")), item.get("every_days"), grace)
    elif name == "next_action":
        words = _("next action: {text}").format(text=item.get("text") or _("(no text)"))
    elif name == "proposal":
        words = _("proposal due by {day}").format(day=day)
    elif name == "case":
        words = _("case due by {day}").format(day=day)
    elif name == "recycle":
        return _("back to the pool on {day} unless followed up").format(day=day)
    else:
        words = _(ITEM_WORDS[name]) if name in ITEM_WORDS else name
    if late > 0:
        # TRANSLATORS: {words} says why a lead is due: "A: daily touch, 2 days overdue"
        words = _n("{words}, {days} day overdue", "{words}, {days} days overdue", late).format(
            words=words, days=late
        )
    return words


# past this many rows a table is laid out directly (CJK-aware widths, no wrapping): Rich's
# per-cell measuring takes seconds for ten thousand rows, and nobody reads them on screen
LONG_TABLE = 500


def is_long(rows: Sized) -> bool:
    return len(rows) > LONG_TABLE


# printable ASCII and the wide CJK most of our text is made of: ideographs, CJK punctuation
# (U+3000–303E but the combining tone marks U+302A–302F) and full-width forms; each is 3 bytes
# in UTF-8 and 2 cells wide, so such a string's width is counted in C, with no loop of ours
_NARROW_OR_WIDE = re.compile(r"[\x20-\x7e\u3000-\u3029\u3030-\u303e\u4e00-\u9fff\uff01-\uff60]*")


def cell_width(value: str) -> int:
    """Terminal cells of printable `value` (control characters are escaped before), as Rich
    counts them (rich.cells.cell_len), in C for the common text; other text is Rich's."""
    if value.isascii():
        return len(value)
    if _NARROW_OR_WIDE.fullmatch(value):
        return len(value) + (len(value.encode()) - len(value)) // 2
    from rich.cells import cell_len

    return cell_len(value)


def plain_table(out: Console, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    """A long table as plain aligned lines (Rich's Table measures every cell several times)."""
    by_column = list(zip(*rows, strict=True)) or [() for _ in columns]
    plain_columns(out, columns, by_column)


PLAIN_CHUNK = 5_000  # lines of a long table padded and written at a time


def plain_columns(out: Console, names: tuple[str, ...], columns: Sequence[Sequence[Any]]) -> None:
    """`plain_table` given its columns rather than its rows, laid out a column at a time with
    no Python step per cell (a pool or an export-sized list is tens of thousands of rows).
    A column of few values (statuses, grades, owners, sources) pads each value once; of many
    (names, numbers), ASCII text is padded by str.ljust, ASCII and the common wide CJK
    (_NARROW_OR_WIDE) is measured by its lengths in characters and in UTF-8 bytes, (chars +
    bytes) // 2 cells, other text once per distinct value (cell_width). The cells are padded
    and written PLAIN_CHUNK lines at a time: the table is never a second time in memory as
    text (`today` of 100k leads peaked at 190 MB padded whole)."""
    heads: list[str] = []
    # each column: its cells, its width, and either each value padded (few values) or each
    # cell's width (None: ASCII, padded by str.ljust)
    measured: list[tuple[Sequence[str], int, dict[str, str] | list[int] | None]] = []
    for name, values in zip(names, columns, strict=True):
        try:
            cells: Sequence[str] = values
            joined = "".join(cells)
        except TypeError:  # not all text: a number, a day
            cells = list(map(str, values))
            joined = "".join(cells)
        if not joined.isprintable():  # terminal escapes shown escaped
            cells = [v if v.isprintable() else escaped(v) for v in cells]
            joined = "".join(cells)
        distinct = set(cells)
        pad: dict[str, str] | list[int] | None = None
        if len(distinct) * 8 <= len(cells):
            known = {v: cell_width(v) for v in distinct}
            wide = max(cell_width(name), max(known.values(), default=0))
            pad = {v: v + " " * (wide - n) for v, n in known.items()}
        elif joined.isascii():
            wide = max(cell_width(name), max(map(len, cells), default=0))
        else:
            if _NARROW_OR_WIDE.fullmatch(joined):  # 1 byte a narrow cell, 3 bytes a wide one
                lengths = map(add, map(len, cells), map(len, map(str.encode, cells)))
                pad = list(map(floordiv, lengths, repeat(2)))
            else:
                widths = {v: cell_width(v) for v in distinct}
                pad = list(map(widths.__getitem__, cells))
            wide = max(cell_width(name), max(pad, default=0))
        heads.append(name + " " * (wide - cell_width(name)))
        measured.append((cells, wide, pad))
    out.print(text("  ".join(heads).rstrip(), "bold"), soft_wrap=True)
    out.print(text("  ".join("─" * cell_width(h) for h in heads)), soft_wrap=True)
    count = len(measured[0][0]) if measured else 0
    last = len(measured) - 1
    for start in range(0, max(count, 1), PLAIN_CHUNK):
        stop = start + PLAIN_CHUNK
        laid_out: list[Sequence[str]] = []
        for index, (cells, wide, pad) in enumerate(measured):
            part = cells[start:stop]
            if index == last:
                laid_out.append(part)
            elif pad is None:
                laid_out.append(list(map(str.ljust, part, repeat(wide))))
            elif isinstance(pad, dict):
                laid_out.append(list(map(pad.__getitem__, part)))
            else:
                pads = map(mul, repeat(" "), map(sub, repeat(wide), pad[start:stop]))
                laid_out.append(list(map(add, part, pads)))
        lines = map(str.rstrip, map("  ".join, zip(*laid_out, strict=True)))
        out.file.write("\n".join(lines) + "\n")
