"""Moving to the team database: copy."""

from __future__ import annotations

from typing import Annotated

import typer

from leadctl.commands.common import JsonOpt, context, emit
from leadctl.i18n import N_

commands = typer.Typer()


@commands.command(
    help=N_(
        "Copy this database (every lead, follow-up, opportunity, outcome, history entry, team "
        "member and setting) into a new, empty one, in one transaction, and check the counts.\n\n"
        "How a private SQLite file becomes the team's PostgreSQL database; a target that "
        "holds anything is refused.\n\n"
        "\b\n"
        "Example: leadctl copy --to postgresql+psycopg://leadctl@db.internal/sales\n"
        "Example: leadctl copy --to ~/leads-for-the-team.db"
    )
)
def copy(
    url: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL|FILE",
            help=N_("The new, empty database: postgresql+psycopg://… or a SQLite file path."),
            show_default=False,
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.copying import copied
    from leadctl.services.copying import copy_database

    emit(copy_database(context(), url), as_json, copied)
