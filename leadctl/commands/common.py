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
from leadctl.i18n import N_, _

if TYPE_CHECKING:
    from leadctl.services.common import Ctx
    from leadctl.store.engine import IfMissing

PROGRESS_FROM = 10_000  # leads: a smaller pass is quick enough to go by in silence
# each long pass (its stage, as the store and services name it), in one sentence: what it goes
# over and why it runs now
PASSES = {
    N_("Recomputing due days"): N_(
        "Recomputing due days of {total} open leads (the calendar or cadence settings changed)…"
    ),
    N_("Building the find index"): N_(
        "Building the find index of {total} leads (once, for this version of leadctl)…"
    ),
    N_("Copying all"): N_("Copying all of {total} rows into the new database…"),
}
ANY_PASS = N_("{stage} of {total} leads…")  # a pass not named above


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
    from leadctl.render.common import warn

    warn(line)


def _progress(stage: str, done: int, total: int) -> None:
    """Long passes over the database (recomputing due days, a migration that fills rows) say so
    on stderr: a bar on a terminal, one line otherwise, so cron mail and pipes learn why a
    command took long."""
    if total < PROGRESS_FROM:
        return
    if done == 0:
        line = PASSES.get(stage, ANY_PASS)
        print(_(line).format(stage=_(stage), total=f"{total:,}"), file=sys.stderr)
    elif sys.stderr.isatty():
        # TRANSLATORS: a progress bar's line, e.g. "Recomputing due days: 2,000 / 12,000"
        bar = _("{stage}: {done} / {total}").format(
            stage=_(stage), done=f"{done:,}", total=f"{total:,}"
        )
        print(f"\r{bar}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def emit(doc: Any, as_json: bool, view: Callable[..., None], **kwargs: Any) -> None:
    """Print the command's document: JSON for scripts, else `view(doc, clock, **kwargs)`."""
    from leadctl import render

    ctx = context()
    if as_json:
        render.print_json(doc, ctx.settings.clock.tz)
    else:
        view(doc, ctx.settings.clock, **kwargs)


JsonOpt = Annotated[bool, typer.Option("--json", help=N_("Print one JSON document (for scripts)."))]
ForceOpt = Annotated[
    bool, typer.Option("--force", help=N_("Act on another rep's lead (recorded in its history)."))
]
ReplaceOpt = Annotated[bool, typer.Option("--force", help=N_("Replace FILE if it already exists."))]
LeadArg = Annotated[
    str,
    typer.Argument(
        help=N_("Lead number: L0001, L1 or 1."), show_default=False, autocompletion=complete_lead
    ),
]
# the filters `list` and `export` share
StatusOpt = Annotated[
    str | None,
    typer.Option(
        help=N_("new, active, opportunity, won, lost or dormant."), autocompletion=complete_status
    ),
]
GradeOpt = Annotated[
    str | None, typer.Option(help=N_("A, B, C or D."), autocompletion=complete_grade)
]
OwnerOpt = Annotated[
    str | None, typer.Option(help=N_("Only this rep's leads."), autocompletion=complete_rep)
]
SourceOpt = Annotated[
    str | None,
    typer.Option(help=N_("Only leads from this source."), autocompletion=complete_source),
]
NewSourceOpt = Annotated[
    bool,
    typer.Option(
        "--new-source",
        help=N_("Accept a source that is not on the team's list (config [sources])."),
    ),
]
