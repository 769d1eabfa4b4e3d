"""A lead's way to a close, and the team's routines: upgrade, close, review, wake."""

from __future__ import annotations

from typing import Annotated

import typer

from leadctl.commands.common import ForceOpt, JsonOpt, LeadArg, OwnerOpt, context, emit
from leadctl.commands.completion import complete_reason, complete_result
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _, _p

commands = typer.Typer()


@commands.command(
    help=N_(
        "Upgrade a lead to an opportunity — only when all three criteria hold.\n\n"
        "1) need matches the product; 2) budget clear and acceptable; 3) key decision maker "
        "confirmed with no major objection. Otherwise every unmet criterion is named.\n\n"
        "\b\n"
        "Example: leadctl upgrade L0001 --need-match --budget 20-50万 --budget-ok \\\n"
        "    --decision-maker 张总 --no-objection"
    )
)
def upgrade(
    lead: LeadArg,
    need_match: Annotated[
        bool, typer.Option("--need-match", help=N_("Criterion 1: the need matches our product."))
    ] = False,
    budget: Annotated[
        str | None, typer.Option(help=N_("Criterion 2: budget range, e.g. 20-50万."))
    ] = None,
    budget_ok: Annotated[
        bool, typer.Option("--budget-ok", help=N_("Criterion 2: the budget is acceptable to us."))
    ] = False,
    decision_maker: Annotated[
        str | None,
        typer.Option("--decision-maker", help=N_("Criterion 3: key decision maker's name.")),
    ] = None,
    dm_title: Annotated[
        str | None, typer.Option("--dm-title", help=N_("Decision maker's title."))
    ] = None,
    dm_phone: Annotated[
        str | None, typer.Option("--dm-phone", help=N_("Decision maker's phone."))
    ] = None,
    no_objection: Annotated[
        bool,
        typer.Option("--no-objection", help=N_("Criterion 3: no major objection to our proposal.")),
    ] = False,
    competitor: Annotated[
        str | None, typer.Option(help=N_("Main competitor (omit: none)."))
    ] = None,
    advantage: Annotated[
        str | None, typer.Option(help=N_("Our advantage over the competition."))
    ] = None,
    strategy: Annotated[str | None, typer.Option(help=N_("Conversion strategy notes."))] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.pipeline import upgrade_lead

    doc = upgrade_lead(
        context(),
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
    emit(doc, as_json, lead_saved, action=_p("saved", "Upgraded"))


@commands.command(
    help=N_(
        "Close a lead as won or lost.\n\n"
        "\b\n"
        "Example: leadctl close L0001 won --amount 30万 --contract HT-2024-017 \\\n"
        '    --product "CRM 标准版"\n'
        'Example: leadctl close L0002 lost --reason 价格 --note "选择了更便宜的方案"'
    )
)
def close(
    lead: LeadArg,
    result: Annotated[
        str,
        typer.Argument(
            help=N_("won or lost (成交 / 未转化)."),
            show_default=False,
            autocompletion=complete_result,
        ),
    ],
    amount: Annotated[
        str | None, typer.Option(help=N_("Won: amount in CNY: 300000, 30万, 30w, 1.5万."))
    ] = None,
    contract: Annotated[str | None, typer.Option(help=N_("Won: contract number."))] = None,
    product: Annotated[str | None, typer.Option(help=N_("Won: product/service sold."))] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help=N_("Won: close date (default today)."))
    ] = None,
    factors: Annotated[str | None, typer.Option(help=N_("Won: key success factors."))] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "Lost: budget, price, competitor, need-changed, timing, no-response, "
                "out-of-scope, other (预算不足 价格 选择竞品 需求变更 时机 无回应 超出业务范围 其他)."
            ),
            autocompletion=complete_reason,
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help=N_("Lost: what happened (required)."))] = None,
    competitor: Annotated[str | None, typer.Option(help=N_("Lost: the competitor chosen."))] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.pipeline import close_lead

    doc = close_lead(
        context(),
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
    emit(doc, as_json, lead_saved, action=_p("saved", "Closed"))


@commands.command(
    help=N_(
        "The weekly review: grades to confirm, each rep's follow-ups, conversion by source, "
        "losses.\n\n"
        "\b\n"
        "Example: leadctl --user 主管 review --last-week\n"
        "Example: leadctl --user 主管 review --last-week --html 周报.html"
    )
)
def review(
    week: Annotated[
        bool, typer.Option("--week", help=N_("This week, Monday–Sunday (default)."))
    ] = False,
    last_week: Annotated[bool, typer.Option("--last-week", help=N_("Last week."))] = False,
    week_of: Annotated[
        str | None, typer.Option("--week-of", help=N_("The week containing this day."))
    ] = None,
    owner: OwnerOpt = None,
    html: Annotated[
        str | None,
        typer.Option(
            "--html",
            metavar="FILE",
            help=N_(
                "Write the review as one web page with charts, to open, print or forward "
                "(self-contained: it loads nothing, works offline; mode 0600)."
            ),
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=N_("With --html: replace FILE if it already exists."))
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    if sum([week, last_week, week_of is not None]) > 1:
        raise LeadctlError(_("Use one of --week, --last-week or --week-of DATE."))
    if html is None:
        if force:
            raise LeadctlError(_("--force replaces the page of --html FILE: give --html FILE too."))
        from leadctl.render.reports import review_report
        from leadctl.reports import review as weekly_review

        doc = weekly_review(context(), last_week=last_week, week_of=week_of, owner=owner)
        emit(doc, as_json, review_report)
        return
    from pathlib import Path

    from leadctl.render.page import page_written
    from leadctl.services.review_page import write_review_page

    doc = write_review_page(
        context(), Path(html), replace=force, last_week=last_week, week_of=week_of, owner=owner
    )
    emit(doc, as_json, page_written, file=html)


@commands.command(
    help=N_(
        "Wake dormant and lost leads whose rest is over (run nightly from cron).\n\n"
        "Dormant leads after 90 days; lost leads (budget, price, timing, need-changed) after "
        "180. Each is woken once, even if wake runs twice or at the same moment. With [pool] "
        "recycle_days set, owned new and active leads left that long go back to the pool "
        "(公海).\n\n"
        "Example: leadctl wake --quiet"
    )
)
def wake(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Show what would be woken; write nothing."))
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=N_("Print nothing when nothing changed (for cron).")),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.reports import wake_report
    from leadctl.services.wake import wake_leads

    doc = wake_leads(context(), dry_run=dry_run)
    if quiet and not as_json and not (doc["woken"] or doc["dormant"] or doc["recycled"]):
        return
    emit(doc, as_json, wake_report)
