"""What every command shares: the global options as given, this run's context, the options and
arguments several commands take, and printing a document as JSON or for people."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from leadctl.commands.completion import (
    complete_grade,
    complete_lead,
    complete_rep,
    complete_source,
    complete_status,
)

if TYPE_CHECKING:
    from leadctl.services.common import Ctx
    from leadctl.store.engine import IfMissing

PROGRESS_FROM = 10_000  # leads: a smaller pass is quick enough to go by in silence
# what each long pass goes over, and why it runs now
PASSES = {
    "Recomputing due days": "open leads (the calendar or cadence settings changed)",
    "Building the find index": "leads (once, for this version of leadctl)",
    "Copying all": "rows into the new database",
}


# A database named by --db, LEADCTL_DB or the config's db that does not exist is never created
# by a command that only reads: it answers as on an empty database and warns (SPEC §6.4). The
# commands that capture leads or start a team create it; every other command needs what is in a
# database and is refused, so no command leaves an empty file behind a typo.
READS = frozenset(
    {
        "today",
        "show",
        "list",
        "find",
        "review",
        "export",
        "pool",
        "sources",
        "team list",
        "team settings",
    }
)
READS_WITH_DRY_RUN = frozenset({"import", "wake"})
CREATES = frozenset({"add", "import", "team add"})


def if_missing(command: str, *, dry_run: bool = False) -> IfMissing:
    """What `command` (`team add` for a team command) does with a named database that does
    not exist: read an empty one, create it, or refuse."""
    if command in READS or (dry_run and command in READS_WITH_DRY_RUN):
        return "read"
    return "create" if command in CREATES else "refuse"


class _State:
    """This run: the global options (set by the app's callback) and, once asked for, the context."""

    db: str | None = None
    user: str | None = None
    tz: str | None = None
    calendar: str | None = None
    lang: str | None = None  # read before parsing (leadctl.i18n.choose); kept for completeness
    quiet: bool = False  # a command for cron (wake --quiet) says nothing it need not
    if_missing: IfMissing = "refuse"  # set for each command by the console script (entry.py)
    ctx: Ctx | None = None


STATE = _State()


def context() -> Ctx:
    """Settings are read once per run; the database is opened by the first service that needs it."""
    if STATE.ctx is None:
        from leadctl.services.common import Ctx
        from leadctl.settings import load_settings

        settings = load_settings(db=STATE.db, user=STATE.user, tz=STATE.tz, calendar=STATE.calendar)
        STATE.ctx = Ctx(
            settings,
            progress=_progress,
            note=None if STATE.quiet else _note,
            if_missing=STATE.if_missing,
        )
    return STATE.ctx


def _note(line: str) -> None:
    print(line, file=sys.stderr)


def _progress(stage: str, done: int, total: int) -> None:
    """Long passes over the database (recomputing due days, a migration that fills rows) say so
    on stderr: a bar on a terminal, one line otherwise, so cron mail and pipes learn why a
    command took long."""
    if total < PROGRESS_FROM:
        return
    if done == 0:
        print(f"{stage} of {total:,} {PASSES.get(stage, 'leads')}…", file=sys.stderr)
    elif sys.stderr.isatty():
        print(f"\r{stage}: {done:,} / {total:,}", end="" if done < total else "\n",
              file=sys.stderr, flush=True)  # fmt: skip


def emit(doc: Any, as_json: bool, view: Callable[..., None], **kwargs: Any) -> None:
    """Print the command's document: JSON for scripts, else `view(doc, clock, **kwargs)`."""
    from leadctl import render

    ctx = context()
    if as_json:
        render.print_json(doc, ctx.settings.clock.tz)
    else:
        view(doc, ctx.settings.clock, **kwargs)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (for scripts).")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Act on another rep's lead (recorded in its history).")
]
ReplaceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")]
LeadArg = Annotated[
    str,
    typer.Argument(
        help="Lead number: L0001, L1 or 1.", show_default=False, autocompletion=complete_lead
    ),
]
# the filters `list` and `export` share
StatusOpt = Annotated[
    str | None,
    typer.Option(
        help="new, active, opportunity, won, lost or dormant.", autocompletion=complete_status
    ),
]
GradeOpt = Annotated[str | None, typer.Option(help="A, B, C or D.", autocompletion=complete_grade)]
OwnerOpt = Annotated[
    str | None, typer.Option(help="Only this rep's leads.", autocompletion=complete_rep)
]
SourceOpt = Annotated[
    str | None, typer.Option(help="Only leads from this source.", autocompletion=complete_source)
]
NewSourceOpt = Annotated[
    bool,
    typer.Option(
        "--new-source", help="Accept a source that is not on the team's list (config [sources])."
    ),
]
