"""The team: its roster and roles (`team add/role/remove/list`) and its shared settings
(`team set/settings`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leadctl.commands.common import JsonOpt, context, emit
from leadctl.commands.completion import complete_rep, complete_role
from leadctl.i18n import N_, _p

commands = typer.Typer(
    name="team",
    help=N_(
        "The team's roster, roles and shared settings. While the roster is empty leadctl is "
        "single-user and everyone has every right.\n\nExample: leadctl team add 张伟 --role 主管"
    ),
    no_args_is_help=True,
)

NameArg = Annotated[str, typer.Argument(help=N_("The member's name, as they log in."))]
MemberArg = Annotated[
    str, typer.Argument(help=N_("The member's name, as they log in."), autocompletion=complete_rep)
]


def _member_saved(doc: dict[str, Any], clock: Any, *, action: str) -> None:
    from leadctl.render.team import member_saved

    member_saved(doc, action=action)


@commands.command(
    "add",
    help=N_(
        "Add a member (a supervisor adds; the first member must be a supervisor). Adding a "
        "removed member brings them back.\n\n"
        "Example: leadctl team add 王芳"
    ),
)
def add(
    name: NameArg,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            help=N_("rep or supervisor (销售 / 主管). Default rep."),
            autocompletion=complete_role,
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.services.team import add_member

    # TRANSLATORS: followed by the member: "Added 王芳: rep, 0 open leads."
    emit(add_member(context(), name, role), as_json, _member_saved, action=_p("saved", "Added"))


@commands.command(
    "role",
    help=N_(
        "Make a member a rep or a supervisor (the last supervisor stays one).\n\n"
        "Example: leadctl team role 王芳 supervisor"
    ),
)
def role(
    name: MemberArg,
    new_role: Annotated[
        str,
        typer.Argument(
            metavar="ROLE",
            help=N_("rep or supervisor (销售 / 主管)."),
            autocompletion=complete_role,
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    from leadctl.services.team import set_role

    emit(
        set_role(context(), name, new_role),
        as_json,
        _member_saved,
        action=_p("saved", "Changed the role of"),
    )


@commands.command(
    "remove",
    help=N_(
        "Remove a member: their leads that are not closed (and woken lost leads) go to --to "
        "in one step, each recorded as assigned (handover). History keeps their name.\n\n"
        "Example: leadctl team remove 李强 --to 王芳"
    ),
)
def remove(
    name: MemberArg,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help=N_(
                "Who takes over their leads that are not closed (required when they hold any)."
            ),
            autocompletion=complete_rep,
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.services.team import remove_member

    emit(remove_member(context(), name, to), as_json, _member_saved, action=_p("saved", "Removed"))


@commands.command(
    "list",
    help=N_(
        "The roster: each member's role, whether active, and their open leads.\n\n"
        "Example: leadctl team list"
    ),
)
def list_(as_json: JsonOpt = False) -> None:
    from leadctl.render.team import roster_table
    from leadctl.services.team import list_members

    emit(list_members(context()), as_json, roster_table)


@commands.command(
    "set",
    help=N_(
        "Set a team-wide setting (a supervisor): the calendar, [cadence] and [wake] settings "
        "are the team's once it has a roster; members' own values for them are ignored.\n\n"
        "Example: leadctl team set calendar.holidays 2027-01-01,2027-02-05"
    ),
)
def set_(
    key: Annotated[
        str, typer.Argument(help=N_("e.g. calendar.kind, cadence.a_days, wake.lost_days."))
    ],
    value: Annotated[
        str, typer.Argument(help=N_("The value; days and reasons as a comma-separated list."))
    ],
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.team import setting_saved
    from leadctl.services.team import set_team_setting

    emit(set_team_setting(context(), key, value), as_json, setting_saved)


@commands.command(
    "settings",
    help=N_(
        "The team-wide settings in force, and which the team set.\n\nExample: leadctl team settings"
    ),
)
def settings(as_json: JsonOpt = False) -> None:
    from leadctl.render.team import settings_table
    from leadctl.services.team import team_settings

    emit(team_settings(context()), as_json, settings_table)
