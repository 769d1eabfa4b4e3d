"""The Typer app: the global options, then the commands of leadctl/commands/, in the order
`leadctl --help` lists them. leadctl/entry.py is the console script that runs it.

Heavy modules (the ORM, phonenumbers, dateutil, openpyxl, alembic, the PostgreSQL driver) are
imported inside the commands that need them, so `leadctl --help` stays instant.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leadctl.commands import copying, files, followup, leads, pipeline, pool, team
from leadctl.commands.common import STATE

APP_SETTINGS: dict[str, Any] = dict(
    name="leadctl",
    help=(
        "Run the team's lead pipeline by its playbook: capture → grade A/B/C/D → follow up on a "
        "cadence → upgrade to an opportunity → close won or lost → weekly review → wake dormant "
        "leads.\n\nStart each morning with `leadctl today`."
    ),
    no_args_is_help=True,
    # Typer's shell completion: --install-completion, --show-completion (leadctl.entry answers)
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    # plain Click help: Rich's help formatting alone would triple `leadctl --help`'s time
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**APP_SETTINGS)


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database: a file path or postgresql+psycopg://… (env LEADCTL_DB)"
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Who you are (default: login name) (env LEADCTL_USER)"),
    ] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", help="Your time zone, e.g. Asia/Shanghai (env LEADCTL_TZ)")
    ] = None,
    calendar: Annotated[
        str | None,
        typer.Option(
            "--calendar",
            help="Work calendar: cn (Chinese holidays and makeup workdays, the default), "
            "weekdays or every-day; due days on a day off move to the next working day "
            "(env LEADCTL_CALENDAR)",
        ),
    ] = None,
) -> None:
    STATE.db, STATE.user, STATE.tz, STATE.calendar = db, user, tz, calendar


for part in (leads, followup, pipeline, pool, files, copying):
    app.add_typer(part.commands)
app.add_typer(team.commands, name="team")
