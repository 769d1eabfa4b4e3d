"""The day's work: log a follow-up (follow) and see what is due (today)."""

from __future__ import annotations

from typing import Annotated

import typer

from leadctl.commands.common import ForceOpt, JsonOpt, LeadArg, context, emit
from leadctl.commands.completion import complete_channel, complete_kind, complete_mood, complete_rep
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _

commands = typer.Typer()


@commands.command(
    help=N_(
        "Log a follow-up (within 1 hour of the contact, as the playbook asks).\n\n"
        "A next action stays in force until a follow-up sets another (--next), says --done, "
        "or has its contact day (--at) on or after the action's date; a follow-up without "
        "--next keeps it. A late log (over 1 hour after the contact) is said at once, on "
        "stderr with --json.\n\n"
        "\b\n"
        'Example: leadctl follow L0001 --note "确认预算30万" --mood 积极关注 \\\n'
        '    --next "发送方案" --next-date 明天'
    )
)
def follow(
    lead: LeadArg,
    note: Annotated[str, typer.Option("--note", "-m", help=N_("What was said (required)."))],
    channel: Annotated[
        str | None,
        typer.Option(
            help=N_("phone (default), wechat, meeting, email, other (电话 微信 面谈 邮件 其他)."),
            autocompletion=complete_channel,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "contact (default), proposal, case, greeting, demo, activation "
                "(沟通 方案 案例 问候 演示 激活)."
            ),
            autocompletion=complete_kind,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help=N_("Contact time, default now: '2024-10-02 14:30', 昨天 15:00.")),
    ] = None,
    next_: Annotated[
        str | None,
        typer.Option("--next", help=N_("Next action; it replaces the one in force.")),
    ] = None,
    next_date: Annotated[
        str | None,
        typer.Option("--next-date", help=N_("Day of the next action: fri, +3d, 10月5日.")),
    ] = None,
    done: Annotated[
        bool,
        typer.Option(
            "--done",
            help=N_(
                "The next action in force is done (refused if there is none); "
                "add --next for the one that follows."
            ),
        ),
    ] = False,
    mood: Annotated[
        str | None,
        typer.Option(
            help=N_("positive, hesitant, negative (积极关注 犹豫观望 明确拒绝)."),
            autocompletion=complete_mood,
        ),
    ] = None,
    no_response: Annotated[
        bool, typer.Option("--no-response", help=N_("The customer did not answer this attempt."))
    ] = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import follow_saved, late_log_note
    from leadctl.services.followup import follow_up

    ctx = context()
    followed = follow_up(
        ctx,
        lead,
        note=note,
        channel=channel,
        kind=kind,
        at=at,
        next_action=next_,
        next_date=next_date,
        mood=mood,
        no_response=no_response,
        done=done,
        force=force,
    )
    late_after = ctx.settings.late_log_minutes
    emit(followed.lead, as_json, follow_saved, logged=followed.logged, late_after=late_after)
    if as_json:
        late_log_note(followed.logged, ctx.settings.clock, late_after)


@commands.command(
    help=N_(
        "What to do today, most urgent first: overdue, ungraded, then A→D.\n\n"
        "Example: leadctl today"
    )
)
def today(
    owner: Annotated[
        str | None, typer.Option(help=N_("Another rep's queue."), autocompletion=complete_rep)
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help=N_("Every rep's queue."))] = False,
    as_json: JsonOpt = False,
) -> None:
    if owner and all_:
        raise LeadctlError(_("Use --owner or --all, not both."))
    from leadctl.render.today import queue_table
    from leadctl.services.queue import today_queue

    emit(today_queue(context(), owner=owner, everyone=all_), as_json, queue_table)
