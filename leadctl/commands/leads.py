"""Capture and keep lead records: add, edit, grade, assign, show, list."""

from __future__ import annotations

from typing import Annotated

import typer

from leadctl.commands.common import (
    GradeOpt,
    JsonOpt,
    LeadArg,
    NewSourceOpt,
    OwnerOpt,
    SourceOpt,
    StatusOpt,
    context,
    emit,
)
from leadctl.commands.completion import (
    complete_customer_type,
    complete_grade_words,
    complete_lead,
    complete_rep,
    complete_source,
)
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _, _p

commands = typer.Typer()


@commands.command(
    help=N_(
        "Capture a new lead.\n\n"
        "\b\n"
        "Example: leadctl add 杭州云栖科技有限公司 --phone 13800138000 \\\n"
        '    --source 官网注册 --need "采购CRM系统"'
    )
)
def add(
    customer: Annotated[
        str, typer.Argument(help=N_("Company full name or the person's real name."))
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            help=N_("Source channel, e.g. 官网注册 (with a list: one of its names)."),
            autocompletion=complete_source,
        ),
    ],
    need: Annotated[
        str, typer.Option("--need", "-n", help=N_("Initial need in the customer's words."))
    ],
    phone: Annotated[
        list[str] | None,
        typer.Option(
            "--phone",
            "-p",
            metavar="PHONE",
            help=N_("Phone (repeat for more; at least one valid)."),
        ),
    ] = None,
    contact: Annotated[str | None, typer.Option(help=N_("Contact person."))] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            help=N_("company|person (企业|个人). Default company."),
            autocompletion=complete_customer_type,
        ),
    ] = None,
    email: Annotated[str | None, typer.Option(help=N_("Email (optional; never alone)."))] = None,
    wechat: Annotated[str | None, typer.Option(help=N_("WeChat id."))] = None,
    acquired: Annotated[
        str | None,
        typer.Option(help=N_("Day acquired: 2024-10-05, today, 10月5日 … (default today).")),
    ] = None,
    owner: Annotated[
        str | None, typer.Option(help=N_("Owning rep (default: you)."), autocompletion=complete_rep)
    ] = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help=N_("Add even if an open lead matches."))
    ] = False,
    new_source: NewSourceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.leads import add_lead

    doc = add_lead(
        context(),
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
        new_source=new_source,
    )
    # TRANSLATORS: the start of the line after a change, followed by the lead and its state:
    # "Added L0001 杭州云栖科技有限公司  [new, owner 王芳]"; so are the other "saved" messages
    emit(doc, as_json, lead_saved, action=_p("saved", "Added"))


@commands.command(
    help=N_(
        "Fix what was captured (same checks as add; every change kept in history).\n\n"
        "Example: leadctl edit L0003 --contact 李总 --add-phone 021-62345678"
    )
)
def edit(
    lead: LeadArg,
    customer: Annotated[str | None, typer.Option(help=N_("Customer name."))] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type", help=N_("company|person (企业|个人)."), autocompletion=complete_customer_type
        ),
    ] = None,
    contact: Annotated[str | None, typer.Option(help=N_("Contact person."))] = None,
    phone: Annotated[
        list[str] | None,
        typer.Option("--phone", metavar="PHONE", help=N_("Replace all phones (repeat for more).")),
    ] = None,
    add_phone: Annotated[
        list[str] | None, typer.Option("--add-phone", metavar="PHONE", help=N_("Add a phone."))
    ] = None,
    remove_phone: Annotated[
        list[str] | None,
        typer.Option("--remove-phone", metavar="PHONE", help=N_("Remove a phone.")),
    ] = None,
    email: Annotated[str | None, typer.Option(help=N_("Email."))] = None,
    wechat: Annotated[str | None, typer.Option(help=N_("WeChat id."))] = None,
    source: Annotated[
        str | None, typer.Option(help=N_("Source channel."), autocompletion=complete_source)
    ] = None,
    need: Annotated[str | None, typer.Option(help=N_("Initial need."))] = None,
    acquired: Annotated[str | None, typer.Option(help=N_("Day acquired."))] = None,
    new_source: NewSourceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.leads import edit_lead

    doc = edit_lead(
        context(),
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
        new_source=new_source,
    )
    emit(doc, as_json, lead_saved, action=_p("saved", "Edited"))


@commands.command(
    help=N_(
        "Grade a lead A/B/C/D with a reason, or confirm grades.\n\n"
        "\b\n"
        "A: clear need, budget, decision within a month, decision maker reached.\n"
        "B: clear need, budget unconfirmed or multi-department approval, 1–3 months.\n"
        "C: first inquiry, vague need or budget.\n"
        "D: no need now, refused, or out of scope.\n\n"
        "\b\n"
        'Example: leadctl grade L0001 A --reason "预算30万, 一个月内决策, 已见采购总监"\n'
        "Example: leadctl grade L0001 L0007 L0012 --confirm"
    )
)
def grade(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="LEAD [GRADE] | LEAD... --confirm",
            help=N_(
                "A lead and its grade A, B, C or D (lower case works too); with --confirm, "
                "one or more leads."
            ),
            show_default=False,
            autocompletion=complete_grade_words,
        ),
    ],
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help=N_("Why this grade."))
    ] = None,
    confirm: Annotated[
        bool,
        typer.Option(
            "--confirm",
            help=N_(
                "Confirm the current grade of each lead, all or none (the weekly review; "
                "with a roster, a supervisor's job)."
            ),
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.grading import confirm_grades, grade_lead

    ctx = context()
    if confirm:
        if reason is not None or any(
            word.strip().upper() in ("A", "B", "C", "D") for word in words
        ):
            raise LeadctlError(
                _("--confirm takes no grade or reason: it confirms the current one.")
            )
        docs = confirm_grades(ctx, words)
        if as_json:
            emit(docs if len(words) > 1 else docs[0], True, lead_saved)
            return
        for doc in docs:
            emit(doc, False, lead_saved, action=_p("saved", "Confirmed grade of"))
        return
    if len(words) == 1:
        raise LeadctlError(_("Give a grade (A, B, C or D) and --reason, or --confirm."))
    if len(words) > 2:
        raise LeadctlError(
            _("Grade one lead at a time (LEAD GRADE --reason …); several leads go with --confirm.")
        )
    doc = grade_lead(ctx, words[0], words[1], reason)
    emit(doc, as_json, lead_saved, action=_p("saved", "Graded"))


@commands.command(
    help=N_(
        "Move a lead to another rep (recorded in its history).\n\n"
        "Example: leadctl assign L0007 王芳"
    )
)
def assign(
    lead: LeadArg,
    rep: Annotated[
        str,
        typer.Argument(help=N_("The rep who takes the lead over."), autocompletion=complete_rep),
    ],
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.leads import assign_lead

    emit(assign_lead(context(), lead, rep), as_json, lead_saved, action=_p("saved", "Assigned"))


@commands.command(
    help=N_(
        "Take back the latest change to a lead: a follow-up (with the dormancy or reopening "
        "it caused), a grade, a confirm, an upgrade, a close, an assign, a claim, a release "
        "or an edit.\n\n"
        "The lead is then exactly as before it; its history keeps the change and an `undone` "
        "entry. A rep undoes her own change within 24 hours; a supervisor any user's latest "
        "change. A second undo waits until the lead changes again.\n\n"
        "Example: leadctl undo L0007"
    )
)
def undo(lead: LeadArg, as_json: JsonOpt = False) -> None:
    from leadctl.render.leads import lead_saved
    from leadctl.services.undo import undo_change

    emit(
        undo_change(context(), lead),
        as_json,
        lead_saved,
        action=_p("saved", "Undid the latest change to"),
    )


@commands.command(
    help=N_(
        "Everything about one lead: details, due items, follow-ups and history.\n\n"
        "\b\n"
        "Example: leadctl show L0001\n"
        "Example: leadctl show 138-0013-8000"
    )
)
def show(
    lead: Annotated[
        str,
        typer.Argument(
            metavar="LEAD|PHONE",
            help=N_(
                "Lead number (L0001, L1 or 1), or a phone the lead holds: 7 or more digits, "
                "or written with + or - (13800138000, 0571-88886677). A phone shows the lead not "
                "closed that holds it, else the latest; several not closed are listed instead."
            ),
            show_default=False,
            autocompletion=complete_lead,
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_card
    from leadctl.services.leads import show_lead

    emit(show_lead(context(), lead), as_json, lead_card)


@commands.command(
    help=N_(
        "Find leads by a phone's last digits, a piece of a name, or its pinyin.\n\n"
        "A phone spelling (digits, + - ( ) and spaces) with 4 or more digits finds the leads "
        "with a phone that ends with them or is that number. Any other text finds the leads "
        "whose customer, contact, WeChat id or email contains it (any case, full-width or "
        "not, spaces ignored), or whose customer's or contact's pinyin or initials start with "
        "it, any reading of a character counting (曾 is zeng and ceng). Leads not closed are "
        "listed by number; --all adds the won and lost ones after them.\n\n"
        "\b\n"
        "Example: leadctl find 8000\n"
        "Example: leadctl find hzyq --all"
    )
)
def find(
    text: Annotated[
        str,
        typer.Argument(
            help=N_(
                "Digits of a phone (4 or more: its last digits, 尾号, or the whole number), "
                "or part of a customer, contact, WeChat id or email, or their pinyin or pinyin "
                "initials from the start (hzyq finds 杭州云栖…)."
            ),
            show_default=False,
        ),
    ],
    all_: Annotated[
        bool, typer.Option("--all", help=N_("Also won and lost leads, listed after the others."))
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_list
    from leadctl.services.finding import find_leads

    emit(find_leads(context(), text, include_closed=all_), as_json, lead_list)


@commands.command(
    "list",
    help=N_("List leads of every owner, filtered.\n\nExample: leadctl list --grade A --owner 王芳"),
)
def list_(
    status: StatusOpt = None,
    grade: GradeOpt = None,
    owner: OwnerOpt = None,
    source: SourceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from leadctl.render.leads import lead_list
    from leadctl.services.leads import list_leads

    rows = list_leads(context(), status=status, grade=grade, owner=owner, source=source)
    emit(rows, as_json, lead_list)


@commands.command(
    help=N_(
        "The sources written on leads, with how many leads each has, so a supervisor can "
        "write the team's list (config [sources]) or see what it does not cover yet.\n\n"
        "With a list, each spelling shows the list's name it counts as, and the list's names "
        "no lead uses yet follow with 0 leads.\n\n"
        "Example: leadctl sources"
    )
)
def sources(as_json: JsonOpt = False) -> None:
    from leadctl.render.sources import source_table
    from leadctl.services.sources import sources_in_use

    ctx = context()
    emit(
        sources_in_use(ctx),
        as_json,
        source_table,
        listed=bool(ctx.settings.sources),
        config=str(ctx.settings.config_path),
    )
