"""Files in and out: backup, and the capture form (template, import, export)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from leadctl.commands.common import (
    GradeOpt,
    JsonOpt,
    NewSourceOpt,
    OwnerOpt,
    ReplaceOpt,
    SourceOpt,
    StatusOpt,
    context,
    emit,
)
from leadctl.i18n import N_

commands = typer.Typer()


@commands.command(
    help=N_(
        "Make a consistent copy of the SQLite database, even while others write (mode 0600).\n\n"
        "On PostgreSQL use pg_dump instead.\n\n"
        "Example: leadctl backup ~/leads-2024-10-07.db"
    )
)
def backup(
    file: Annotated[str, typer.Argument(help=N_("Where to write the copy (a new file)."))],
    as_json: JsonOpt = False,
) -> None:
    from pathlib import Path

    from leadctl.render.forms import backup_done
    from leadctl.store.backup import backup_sqlite

    ctx = context()
    target = backup_sqlite(ctx.store, Path(file))
    doc = {"database": ctx.store.label, "file": str(target), "bytes": target.stat().st_size}
    emit(doc, as_json, backup_done)


@commands.command(
    help=N_(
        "Write the empty capture form (Excel): Chinese headers, drop-downs, and a sheet that "
        "explains each column and the grading standard. Fill it in, then `leadctl import` it.\n\n"
        "Example: leadctl template 线索登记表.xlsx"
    )
)
def template(
    file: Annotated[str, typer.Argument(help=N_("The .xlsx file to write."), show_default=False)],
    force: ReplaceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from pathlib import Path

    from leadctl.render.forms import template_written
    from leadctl.services.exporting import write_template

    emit(write_template(context(), Path(file), replace=force), as_json, template_written)


@commands.command(
    "import",
    help=N_(
        "Import leads from a filled-in capture form (English or Chinese headers, any order).\n\n"
        "Every row is checked first; if any is bad, nothing is imported and each bad row is "
        "listed with its row number, column and reason. Rows owned by nobody go to you (to "
        "the pool with --to-pool); undated rows are acquired today.\n\n"
        "Example: leadctl import 线索登记表.xlsx --dry-run"
    ),
)
def import_(
    file: Annotated[
        str, typer.Argument(help=N_("A .csv or .xlsx capture form."), show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Check every row; write nothing."))
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help=N_("Import the good rows; report the bad ones."))
    ] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help=N_("Import rows even if they match an open lead.")),
    ] = False,
    to_pool: Annotated[
        bool,
        typer.Option("--to-pool", help=N_("Rows without an owner (负责人) go to the pool (公海).")),
    ] = False,
    new_source: NewSourceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from pathlib import Path

    from leadctl.render import print_json
    from leadctl.render.forms import ProgressBar, import_done, import_problems
    from leadctl.services.importing import ImportRejected, import_leads

    ctx = context()
    try:
        with ProgressBar(sys.stderr.isatty()) as progress:
            doc = import_leads(
                ctx,
                Path(file),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                allow_duplicate=allow_duplicate,
                progress=progress,
                to_pool=to_pool,
                new_source=new_source,
            )
    except ImportRejected as exc:
        if as_json:
            print_json(exc.report, ctx.settings.clock.tz)
        exc.details = import_problems(exc.report)
        raise
    emit(doc, as_json, import_done)


@commands.command(
    help=N_(
        "Export leads (every owner unless --owner) as the capture form plus 线索编号, 状态 and "
        "下次跟进; it re-imports as it is. CSV is UTF-8 with BOM for Excel; the file is mode "
        "0600.\n\n"
        "Example: leadctl export 王芳的A级线索.xlsx --owner 王芳 --grade A"
    )
)
def export(
    file: Annotated[
        str, typer.Argument(help=N_("The .csv or .xlsx file to write."), show_default=False)
    ],
    status: StatusOpt = None,
    grade: GradeOpt = None,
    owner: OwnerOpt = None,
    source: SourceOpt = None,
    force: ReplaceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from pathlib import Path

    from leadctl.render.forms import export_done
    from leadctl.services.exporting import export_leads

    doc = export_leads(
        context(),
        Path(file),
        status=status,
        grade=grade,
        owner=owner,
        source=source,
        replace=force,
    )
    emit(doc, as_json, export_done)
