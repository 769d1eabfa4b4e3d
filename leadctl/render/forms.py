"""Files in and out: a backup made, the capture form (the template written, an import checked
or done, an export)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadctl.i18n import _, _n
from leadctl.render.common import console, message, prose, sentence, text

if TYPE_CHECKING:
    from leadctl.settings import Clock


def backup_done(doc: dict[str, Any], clock: Clock) -> None:
    words = _("Backed up {database} to {file}").format(database=doc["database"], file=doc["file"])
    console().print(text(words), soft_wrap=True)


def template_written(doc: dict[str, Any], clock: Clock) -> None:
    out = console()
    line = message(
        _("Wrote the capture form {file} ({count} columns; its sheet 填写说明 explains each one)."),
        {"file": "bold"},
        file=doc["file"],
        count=len(doc["columns"]),
    )
    out.print(line, soft_wrap=True)
    if doc.get("sources"):
        count = len(doc["sources"])
        out.print(
            text(
                _n(
                    "Its 线索来源 column offers the team's {count} source (config [sources]).",
                    "Its 线索来源 column offers the team's {count} sources (config [sources]).",
                    count,
                ).format(count=count)
            )
        )
    hint = _("Fill it in, then check it with: leadctl import {file} --dry-run").format(
        file=doc["file"]
    )
    out.print(text(hint, "dim"), soft_wrap=True)


def export_done(doc: dict[str, Any], clock: Clock) -> None:
    count = doc["exported"]
    line = message(
        _n("Exported {count} lead to {file}.", "Exported {count} leads to {file}.", count),
        {"file": "bold"},
        count=count,
        file=doc["file"],
    )
    console().print(line, soft_wrap=True)


IMPORT_TABLE_ROWS = 100  # bad rows shown in a human table; --json lists them all


def _import_problem_table(doc: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column(_("Row"), justify="right", no_wrap=True)
    table.add_column(_("Column"), no_wrap=True)
    table.add_column(_("Reason"))
    for error in doc["errors"][:IMPORT_TABLE_ROWS]:
        table.add_row(text(error["row"]), text(error["column"]), prose(error["reason"]))
    return table


def _more_problems(doc: dict[str, Any]) -> str | None:
    more = len(doc["errors"]) - IMPORT_TABLE_ROWS
    if more <= 0:
        return None
    return _("… and {count} more (--json lists every one).").format(count=more)


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
        if skipped:
            words = _n(
                "Checked {rows} row of {file}: {valid} can be imported, {skipped} cannot. "
                "Nothing was written (--dry-run).",
                "Checked {rows} rows of {file}: {valid} can be imported, {skipped} cannot. "
                "Nothing was written (--dry-run).",
                rows,
            )
        else:
            words = _n(
                "Checked {rows} row of {file}: {valid} can be imported. "
                "Nothing was written (--dry-run).",
                "Checked {rows} rows of {file}: {valid} can be imported. "
                "Nothing was written (--dry-run).",
                rows,
            )
        line = message(
            words, {"valid": "green", "skipped": "red"},
            rows=rows, file=name, valid=valid, skipped=skipped,
        )  # fmt: skip
        out.print(line, soft_wrap=True)
    else:
        count = doc["imported"]
        if doc.get("first"):
            span = doc["first"] if doc["first"] == doc["last"] else f"{doc['first']}–{doc['last']}"
            words = _n(
                "Imported {count} lead ({span}) from {file}.",
                "Imported {count} leads ({span}) from {file}.",
                count,
            )
        else:
            span = ""
            words = _n(
                "Imported {count} lead from {file}.", "Imported {count} leads from {file}.", count
            )
        line = message(words, {"span": "bold"}, count=count, span=span, file=name)
        if skipped:
            # TRANSLATORS: follows "Imported 3 leads from 表.xlsx." on the same line
            bad = _n(" Skipped {count} bad row:", " Skipped {count} bad rows:", skipped)
            line.append(bad.format(count=skipped), style="red")
        out.print(line, soft_wrap=True)
    if skipped:
        out.print(_import_problem_table(doc))
        more = _more_problems(doc)
        if more:
            out.print(sentence(more, "dim"))
    if doc.get("ignored_columns"):
        ignored = ", ".join(doc["ignored_columns"])
        note = _("Ignored columns that are not part of the capture form: {columns}.").format(
            columns=ignored
        )
        out.print(text(note, "dim"), soft_wrap=True)


class ProgressBar:
    """A progress bar on stderr for long imports: call it with (stage, done, total), the stage
    marked with N_ where it is named and translated here. It draws only on a terminal and only
    once the work is large, so small files and scripts never load Rich for it. Use it as a
    context manager so the bar is cleared at the end."""

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
            self._tasks[stage] = self._bar.add_task(_(stage) if stage else stage, total=total)
        self._bar.update(self._tasks[stage], completed=done, total=max(total, done))

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
