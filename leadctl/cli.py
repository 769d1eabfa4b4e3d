"""The command line: parse options, call one service, render. Errors are translated once, here.

Heavy modules (the ORM, phonenumbers, dateutil, openpyxl, alembic, the PostgreSQL driver) are
imported inside the commands that need them, so `leadctl --help` stays instant.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from leadctl.errors import LeadctlError

if TYPE_CHECKING:
    from leadctl.services.common import Ctx

APP_SETTINGS: dict[str, Any] = dict(
    name="leadctl",
    help=(
        "Run the team's lead pipeline by its playbook: capture → grade A/B/C/D → follow up on a "
        "cadence → upgrade to an opportunity → close won or lost → weekly review → wake dormant "
        "leads.\n\nStart each morning with `leadctl today`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    # plain Click help: Rich's help formatting alone would triple `leadctl --help`'s time
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**APP_SETTINGS)


class _State:
    fast_exit = False  # set by the console script: see run()
    db: str | None = None
    user: str | None = None
    tz: str | None = None
    ctx: Ctx | None = None


STATE = _State()


def _context() -> Ctx:
    """Settings are read once per run; the database is opened by the first service that needs it."""
    if STATE.ctx is None:
        from leadctl.services.common import Ctx
        from leadctl.settings import load_settings

        STATE.ctx = Ctx(load_settings(db=STATE.db, user=STATE.user, tz=STATE.tz))
        if STATE.fast_exit:
            import gc

            # start-up is over: keep what was imported out of every later collection, and
            # collect normally for the command's own work (imports and exports are large)
            gc.freeze()
            gc.enable()
    return STATE.ctx


def _emit(doc: Any, as_json: bool, human: str, **kwargs: Any) -> None:
    from leadctl import render

    ctx = _context()
    if as_json:
        render.print_json(doc, ctx.settings.clock.tz)
    else:
        getattr(render, human)(doc, ctx.settings.clock, **kwargs)


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
) -> None:
    STATE.db, STATE.user, STATE.tz = db, user, tz


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (for scripts).")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Act on another rep's lead (recorded in its history).")
]
LeadArg = Annotated[str, typer.Argument(help="Lead number: L0001, L1 or 1.", show_default=False)]


# ---------------------------------------------------------------- capture


@app.command()
def add(
    customer: Annotated[str, typer.Argument(help="Company full name or the person's real name.")],
    source: Annotated[str, typer.Option("--source", "-s", help="Source channel, e.g. 官网注册.")],
    need: Annotated[
        str, typer.Option("--need", "-n", help="Initial need in the customer's words.")
    ],
    phone: Annotated[
        list[str] | None,
        typer.Option(
            "--phone", "-p", metavar="PHONE", help="Phone (repeat for more; at least one valid)."
        ),
    ] = None,
    contact: Annotated[str | None, typer.Option(help="Contact person.")] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="company|person (企业|个人). Default company.")
    ] = None,
    email: Annotated[str | None, typer.Option(help="Email (optional; never alone).")] = None,
    wechat: Annotated[str | None, typer.Option(help="WeChat id.")] = None,
    acquired: Annotated[
        str | None, typer.Option(help="Day acquired: 2024-10-05, today, 10月5日 … (default today).")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Owning rep (default: you).")] = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add even if an open lead matches.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Capture a new lead.

    Example: leadctl add 杭州云栖科技有限公司 --phone 13800138000 --source 官网注册 --need "采购CRM系统"
    """
    from leadctl.services.capture import add_lead

    doc = add_lead(
        _context(),
        customer=customer,
        phones=phone or [],
        source=source,
        need=need,
        customer_type=type_,
        contact=contact,
        email=email,
        wechat=wechat,
        acquired=acquired,
        owner=owner,
        allow_duplicate=allow_duplicate,
    )
    _emit(doc, as_json, "lead_saved", action="Added")


@app.command()
def edit(
    lead: LeadArg,
    customer: Annotated[str | None, typer.Option(help="Customer name.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="company|person (企业|个人).")] = None,
    contact: Annotated[str | None, typer.Option(help="Contact person.")] = None,
    phone: Annotated[
        list[str] | None,
        typer.Option("--phone", metavar="PHONE", help="Replace all phones (repeat for more)."),
    ] = None,
    add_phone: Annotated[
        list[str] | None, typer.Option("--add-phone", metavar="PHONE", help="Add a phone.")
    ] = None,
    remove_phone: Annotated[
        list[str] | None, typer.Option("--remove-phone", metavar="PHONE", help="Remove a phone.")
    ] = None,
    email: Annotated[str | None, typer.Option(help="Email.")] = None,
    wechat: Annotated[str | None, typer.Option(help="WeChat id.")] = None,
    source: Annotated[str | None, typer.Option(help="Source channel.")] = None,
    need: Annotated[str | None, typer.Option(help="Initial need.")] = None,
    acquired: Annotated[str | None, typer.Option(help="Day acquired.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Fix what was captured (same checks as add; every change kept in history).

    Example: leadctl edit L0003 --contact 李总 --add-phone 021-62345678
    """
    from leadctl.services.capture import edit_lead

    doc = edit_lead(
        _context(),
        lead,
        changes={
            "customer": customer,
            "customer_type": type_,
            "contact": contact,
            "email": email,
            "wechat": wechat,
            "source": source,
            "need": need,
        },
        phones=phone,
        add_phones=add_phone,
        remove_phones=remove_phone,
        acquired=acquired,
    )
    _emit(doc, as_json, "lead_saved", action="Edited")


@app.command()
def grade(
    lead: LeadArg,
    grade: Annotated[
        str | None, typer.Argument(help="A, B, C or D (lower case works too).", show_default=False)
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why this grade.")] = None,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Confirm the current grade (the weekly review).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Grade a lead A/B/C/D with a reason, or confirm its grade.

    \b
    A: clear need, budget, decision within a month, decision maker reached.
    B: clear need, budget unconfirmed or multi-department approval, 1–3 months.
    C: first inquiry, vague need or budget.  D: no need now, refused, or out of scope.

    Example: leadctl grade L0001 A --reason "预算30万, 一个月内决策, 已见采购总监"
    """
    from leadctl.services.capture import confirm_grade, grade_lead

    ctx = _context()
    if confirm:
        if grade is not None or reason is not None:
            raise LeadctlError("--confirm takes no grade or reason: it confirms the current one.")
        doc = confirm_grade(ctx, lead)
        _emit(doc, as_json, "lead_saved", action="Confirmed grade of")
        return
    if grade is None:
        raise LeadctlError("Give a grade (A, B, C or D) and --reason, or --confirm.")
    doc = grade_lead(ctx, lead, grade, reason)
    _emit(doc, as_json, "lead_saved", action="Graded")


@app.command()
def assign(
    lead: LeadArg,
    rep: Annotated[str, typer.Argument(help="The rep who takes the lead over.")],
    as_json: JsonOpt = False,
) -> None:
    """Move a lead to another rep (recorded in its history).

    Example: leadctl assign L0007 王芳
    """
    from leadctl.services.capture import assign_lead

    _emit(assign_lead(_context(), lead, rep), as_json, "lead_saved", action="Assigned")


@app.command()
def show(lead: LeadArg, as_json: JsonOpt = False) -> None:
    """Everything about one lead: details, due items, follow-ups and history.

    Example: leadctl show L0001
    """
    from leadctl.services.capture import show_lead

    _emit(show_lead(_context(), lead), as_json, "lead_card")


@app.command("list")
def list_(
    status: Annotated[
        str | None, typer.Option(help="new, active, opportunity, won, lost or dormant.")
    ] = None,
    grade: Annotated[str | None, typer.Option(help="A, B, C or D.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this rep's leads.")] = None,
    source: Annotated[str | None, typer.Option(help="Only leads from this source.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List leads of every owner, filtered.

    Example: leadctl list --grade A --owner 王芳
    """
    from leadctl.services.capture import list_leads

    rows = list_leads(_context(), status=status, grade=grade, owner=owner, source=source)
    _emit(rows, as_json, "lead_list")


# ---------------------------------------------------------------- the day


@app.command()
def follow(
    lead: LeadArg,
    note: Annotated[str, typer.Option("--note", "-m", help="What was said (required).")],
    channel: Annotated[
        str | None,
        typer.Option(
            help="phone (default), wechat, meeting, email, other (电话 微信 面谈 邮件 其他)."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="contact (default), proposal, case, greeting, demo, activation "
            "(沟通 方案 案例 问候 演示 激活)."
        ),
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="Contact time, default now: '2024-10-02 14:30', 昨天 15:00.")
    ] = None,
    next_: Annotated[str | None, typer.Option("--next", help="Next action.")] = None,
    next_date: Annotated[
        str | None, typer.Option("--next-date", help="Day of the next action: fri, +3d, 10月5日.")
    ] = None,
    mood: Annotated[
        str | None,
        typer.Option(help="positive, hesitant, negative (积极关注 犹豫观望 明确拒绝)."),
    ] = None,
    no_response: Annotated[
        bool, typer.Option("--no-response", help="The customer did not answer this attempt.")
    ] = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Log a follow-up (within 1 hour of the contact, as the playbook asks).

    Example: leadctl follow L0001 --note "确认预算30万" --next "发送方案" --next-date 明天 --mood 积极关注
    """
    from leadctl.services.followup import follow_up

    doc = follow_up(
        _context(),
        lead,
        note=note,
        channel=channel,
        kind=kind,
        at=at,
        next_action=next_,
        next_date=next_date,
        mood=mood,
        no_response=no_response,
        force=force,
    )
    _emit(doc, as_json, "lead_saved", action="Followed up")


@app.command()
def today(
    owner: Annotated[str | None, typer.Option(help="Another rep's queue.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every rep's queue.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """What to do today, most urgent first: overdue, ungraded, then A→D.

    Example: leadctl today
    """
    if owner and all_:
        raise LeadctlError("Use --owner or --all, not both.")
    from leadctl.services.followup import today_queue

    _emit(today_queue(_context(), owner=owner, everyone=all_), as_json, "today_queue")


# ---------------------------------------------------------------- pipeline (upgrade, close, review, wake)


@app.command()
def upgrade(
    lead: LeadArg,
    need_match: Annotated[
        bool, typer.Option("--need-match", help="Criterion 1: the need matches our product.")
    ] = False,
    budget: Annotated[
        str | None, typer.Option(help="Criterion 2: budget range, e.g. 20-50万.")
    ] = None,
    budget_ok: Annotated[
        bool, typer.Option("--budget-ok", help="Criterion 2: the budget is acceptable to us.")
    ] = False,
    decision_maker: Annotated[
        str | None, typer.Option("--decision-maker", help="Criterion 3: key decision maker's name.")
    ] = None,
    dm_title: Annotated[
        str | None, typer.Option("--dm-title", help="Decision maker's title.")
    ] = None,
    dm_phone: Annotated[
        str | None, typer.Option("--dm-phone", help="Decision maker's phone.")
    ] = None,
    no_objection: Annotated[
        bool,
        typer.Option("--no-objection", help="Criterion 3: no major objection to our proposal."),
    ] = False,
    competitor: Annotated[str | None, typer.Option(help="Main competitor (omit: none).")] = None,
    advantage: Annotated[
        str | None, typer.Option(help="Our advantage over the competition.")
    ] = None,
    strategy: Annotated[str | None, typer.Option(help="Conversion strategy notes.")] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Upgrade a lead to an opportunity — only when all three criteria hold.

    1) need matches the product; 2) budget clear and acceptable; 3) key decision maker
    confirmed with no major objection. Otherwise every unmet criterion is named.

    Example: leadctl upgrade L0001 --need-match --budget 20-50万 --budget-ok --decision-maker 张总 --no-objection
    """
    from leadctl.services.pipeline import upgrade_lead

    doc = upgrade_lead(
        _context(),
        lead,
        need_match=need_match,
        budget=budget,
        budget_ok=budget_ok,
        decision_maker=decision_maker,
        dm_title=dm_title,
        dm_phone=dm_phone,
        no_objection=no_objection,
        competitor=competitor,
        advantage=advantage,
        strategy=strategy,
        force=force,
    )
    _emit(doc, as_json, "lead_saved", action="Upgraded")


@app.command()
def close(
    lead: LeadArg,
    result: Annotated[str, typer.Argument(help="won or lost (成交 / 未转化).", show_default=False)],
    amount: Annotated[
        str | None, typer.Option(help="Won: amount in CNY: 300000, 30万, 30w, 1.5万.")
    ] = None,
    contract: Annotated[str | None, typer.Option(help="Won: contract number.")] = None,
    product: Annotated[str | None, typer.Option(help="Won: product/service sold.")] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="Won: close date (default today).")
    ] = None,
    factors: Annotated[str | None, typer.Option(help="Won: key success factors.")] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            help="Lost: budget, price, competitor, need-changed, timing, no-response, "
            "out-of-scope, other (预算不足 价格 选择竞品 需求变更 时机 无回应 超出业务范围 其他)."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Lost: what happened (required).")] = None,
    competitor: Annotated[str | None, typer.Option(help="Lost: the competitor chosen.")] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Close a lead as won or lost.

    Example: leadctl close L0001 won --amount 30万 --contract HT-2024-017 --product "CRM 标准版"
    Example: leadctl close L0002 lost --reason 价格 --note "选择了更便宜的方案"
    """
    from leadctl.services.pipeline import close_lead

    doc = close_lead(
        _context(),
        lead,
        result,
        amount=amount,
        contract=contract,
        product=product,
        factors=factors,
        reason=reason,
        note=note,
        competitor=competitor,
        day=date_,
        force=force,
    )
    _emit(doc, as_json, "lead_saved", action="Closed")


@app.command()
def review(
    week: Annotated[
        bool, typer.Option("--week", help="This week, Monday–Sunday (default).")
    ] = False,
    last_week: Annotated[bool, typer.Option("--last-week", help="Last week.")] = False,
    week_of: Annotated[
        str | None, typer.Option("--week-of", help="The week containing this day.")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this rep's leads.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The weekly review: grades to confirm, each rep's follow-ups, conversion by source, losses.

    Example: leadctl --user 主管 review --last-week
    """
    if sum([week, last_week, week_of is not None]) > 1:
        raise LeadctlError("Use one of --week, --last-week or --week-of DATE.")
    from leadctl.reports import review as weekly_review

    doc = weekly_review(_context(), last_week=last_week, week_of=week_of, owner=owner)
    _emit(doc, as_json, "review_report")


@app.command()
def wake(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be woken; write nothing.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when nothing changed (for cron).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Wake dormant and lost leads whose rest is over (run nightly from cron).

    Dormant leads after 90 days; lost leads (budget, price, timing, need-changed) after 180.
    Each is woken once, even if wake runs twice or at the same moment.

    Example: leadctl wake --quiet
    """
    from leadctl.services.wake import wake_leads

    doc = wake_leads(_context(), dry_run=dry_run)
    if quiet and not as_json and not doc["woken"] and not doc["dormant"]:
        return
    _emit(doc, as_json, "wake_report")


@app.command()
def backup(
    file: Annotated[str, typer.Argument(help="Where to write the copy (a new file).")],
) -> None:
    """Make a consistent copy of the SQLite database, even while others write (mode 0600).

    On PostgreSQL use pg_dump instead. Example: leadctl backup ~/leads-2024-10-07.db
    """
    from pathlib import Path

    from leadctl.store.backup import backup_sqlite

    ctx = _context()
    target = backup_sqlite(ctx.store, Path(file))
    print(f"Backed up {ctx.store.label} to {target}")


# ---------------------------------------------------------------- capture form (template, import, export)


ReplaceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")]


@app.command()
def template(
    file: Annotated[str, typer.Argument(help="The .xlsx file to write.", show_default=False)],
    force: ReplaceOpt = False,
) -> None:
    """Write the empty capture form (Excel): Chinese headers, drop-downs, and a sheet that
    explains each column and the grading standard. Fill it in, then `leadctl import` it.

    Example: leadctl template 线索登记表.xlsx
    """
    from pathlib import Path

    from leadctl.services.exporting import write_template

    _emit(write_template(_context(), Path(file), replace=force), False, "template_written")


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A .csv or .xlsx capture form.", show_default=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows; report the bad ones.")
    ] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="Import rows even if they match an open lead."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import leads from a filled-in capture form (English or Chinese headers, any order).

    Every row is checked first; if any is bad, nothing is imported and each bad row is listed
    with its row number, column and reason. Rows owned by nobody go to you; undated rows are
    acquired today.

    Example: leadctl import 线索登记表.xlsx --dry-run
    """
    from pathlib import Path

    from leadctl import render
    from leadctl.services.transfer import ImportRejected, import_leads

    ctx = _context()
    try:
        with render.ProgressBar(sys.stderr.isatty()) as progress:
            doc = import_leads(
                ctx,
                Path(file),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                allow_duplicate=allow_duplicate,
                progress=progress,
            )
    except ImportRejected as exc:
        if as_json:
            render.print_json(exc.report, ctx.settings.clock.tz)
        exc.details = render.import_problems(exc.report)
        raise
    _emit(doc, as_json, "import_done")


@app.command()
def export(
    file: Annotated[
        str, typer.Argument(help="The .csv or .xlsx file to write.", show_default=False)
    ],
    status: Annotated[
        str | None, typer.Option(help="new, active, opportunity, won, lost or dormant.")
    ] = None,
    grade: Annotated[str | None, typer.Option(help="A, B, C or D.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this rep's leads.")] = None,
    source: Annotated[str | None, typer.Option(help="Only leads from this source.")] = None,
    force: ReplaceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Export leads (every owner unless --owner) as the capture form plus 线索编号, 状态 and
    下次跟进; it re-imports as it is. CSV is UTF-8 with BOM for Excel; the file is mode 0600.

    Example: leadctl export 王芳的A级线索.xlsx --owner 王芳 --grade A
    """
    from pathlib import Path

    from leadctl.services.exporting import export_leads

    doc = export_leads(
        _context(),
        Path(file),
        status=status,
        grade=grade,
        owner=owner,
        source=source,
        replace=force,
    )
    _emit(doc, as_json, "export_done")


# ---------------------------------------------------------------- entry point


GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--user", "--tz")


def _requested_command(args: list[str]) -> str | None:
    """The command word of the arguments, skipping the global options before it."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
        elif arg.split("=", 1)[0] not in GLOBAL_OPTIONS_WITH_VALUE:
            return None  # --help or an unknown option: the whole app answers
    return None


def _command_for(args: list[str]) -> Any:
    """Build the Click command for this run: only the requested command when one is named.

    Building every command's parser costs more than the query `today` runs, so the whole
    app is built only for `leadctl --help`, no command, or an unknown one.
    """
    name = _requested_command(args)
    chosen = [
        info
        for info in app.registered_commands
        if name is not None and (info.name or getattr(info.callback, "__name__", "")) == name
    ]
    if not chosen:
        return typer.main.get_command(app)
    single = typer.Typer(**APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return typer.main.get_command(single)


def run() -> None:
    """The `leadctl` console script: main(), then a fast exit.

    A short-lived CLI need not collect garbage while importing its libraries, nor tear the
    interpreter down module by module at exit: output is flushed and the database closed
    before `os._exit`, so nothing is lost, and each command starts and ends ~70 ms sooner.
    """
    import gc
    import os

    gc.disable()
    STATE.fast_exit = True
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run leadctl; returns the exit code (0 done, 2 input rejected, 3 database, 1 bug)."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
    from typer.exceptions import Abort, Exit

    args = sys.argv[1:] if argv is None else list(argv)
    STATE.ctx = None
    command = _command_for(args)
    try:
        command.main(args=args, prog_name="leadctl", standalone_mode=False)
        return 0
    except NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else exc.format_message())
        return 0
    except LeadctlError as exc:
        _error(exc.message, exc.details)
        return exc.exit_code
    except ClickException as exc:
        _error(_usage_message(exc))
        return 2
    except Exit as exc:
        return exc.exit_code
    except Abort:
        print("Aborted.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:  # a bug: say so, without local variables or SQL parameters
        import traceback

        print("Error: leadctl hit a bug; please report it with the lines below.", file=sys.stderr)
        traceback.print_exc(limit=-8, file=sys.stderr)
        return 1
    finally:
        if STATE.ctx is not None:
            STATE.ctx.close()
            STATE.ctx = None


def _usage_message(exc: Any) -> str:
    message = exc.format_message().rstrip(".")
    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"{message}{hint}."


def _error(message: str, details: list[str] | None = None) -> None:
    # one line, whatever user text the message quotes: a name holding a newline or a terminal
    # escape (an owner, a rep) is shown escaped, never obeyed
    line = "".join(
        repr(ch)[1:-1] if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029" else ch
        for ch in message
    )
    print(f"Error: {line}", file=sys.stderr)
    for line in details or []:
        print(line, file=sys.stderr)
