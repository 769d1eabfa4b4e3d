"""The public pool (公海): `pool`, `claim`, `release`."""

from __future__ import annotations

from typing import Annotated

import typer

from leadctl.commands.common import GradeOpt, JsonOpt, LeadArg, SourceOpt, context, emit
from leadctl.commands.completion import complete_pool_lead
from leadctl.i18n import N_, _p

commands = typer.Typer()


@commands.command(
    help=N_(
        "List the leads nobody owns (公海), as `list` does; claim one with `leadctl claim`.\n\n"
        "Example: leadctl pool --grade B"
    )
)
def pool(grade: GradeOpt = None, source: SourceOpt = None, as_json: JsonOpt = False) -> None:
    from leadctl.render.leads import lead_list
    from leadctl.services.pool import pool_leads

    emit(pool_leads(context(), grade=grade, source=source), as_json, lead_list)


@commands.command(
    help=N_(
        "Make pool leads yours, all or none (limits: pool.max_open open leads, "
        "pool.daily_claims a day; a lead's previous owner waits pool.reclaim_days).\n\n"
        "Example: leadctl claim L0007 L0012"
    )
)
def claim(
    leads: Annotated[
        list[str],
        typer.Argument(
            help=N_("Lead numbers from the pool: L0007 L0012 …"),
            show_default=False,
            autocompletion=complete_pool_lead,
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.pool import claim_leads

    docs = claim_leads(context(), leads)
    if as_json:
        emit(docs, True, lead_saved)
        return
    for doc in docs:
        emit(doc, False, lead_saved, action=_p("saved", "Claimed"))


@commands.command(
    help=N_(
        "Return a lead to the pool (its owner, or a supervisor); recorded with the reason.\n\n"
        'Example: leadctl release L0007 --reason "客户半年内无采购计划"'
    )
)
def release(
    lead: LeadArg,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help=N_("Why it goes back."))
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.pool import release_lead

    emit(release_lead(context(), lead, reason), as_json, lead_saved, action=_p("saved", "Released"))
