"""Files in and out: a backup made, the capture form (the template written, an import checked
or done, an export)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.render.common import console, prose, text

if TYPE_CHECKING:
    from leadctl.settings import Clock


def backup_done(doc: dict[str, Any], clock: Clock) -> None:
    console().print(text(f"Backed up {doc['database']} to {doc['file']}"), soft_wrap=True)


def template_written(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    line = text("Wrote the capture form ")
    line.append(doc["file"], style="bold")
    line.append(f" ({len(doc['columns'])} columns; its sheet 填写说明 explains each one).")
    out.print(line, soft_wrap=True)
    if doc.get("sources"):
        count = len(doc["sources"])
        them = f"{count} source{'s' if count != 1 else ''}"
        out.print(text(f"Its 线索来源 column offers the team's {them} (config [sources])."))
    hint = f"Fill it in, then check it with: leadctl import {doc['file']} --dry-run"
    out.print(text(hint, "dim"), soft_wrap=True)


def export_done(doc: dict[str, Any], clock: Clock) -> None:
    count = doc["exported"]
    line = text(f"Exported {count} lead{'s' if count != 1 else ''} to ")
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
        table.add_row(text(error["row"]), text(error["column"]), prose(error["reason"]))
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
        line = text(f"Checked {rows} row{'s' if rows != 1 else ''} of {name}: ")
        line.append(f"{valid} can be imported", style="green")
        if skipped:
            line.append(f", {skipped} cannot", style="red")
        line.append(". Nothing was written (--dry-run).")
        out.print(line, soft_wrap=True)
    else:
        count = doc["imported"]
        line = text(f"Imported {count} lead{'s' if count != 1 else ''}")
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
            out.print(text(more, "dim"))
    if doc.get("ignored_columns"):
        ignored = ", ".join(doc["ignored_columns"])
        note = f"Ignored columns that are not part of the capture form: {ignored}."
        out.print(text(note, "dim"), soft_wrap=True)


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
