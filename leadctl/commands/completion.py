"""Shell completion of option and argument values (Typer's `autocompletion`).

Closed choices complete from the playbook's names, each with its Chinese name as the
description (or, once a Chinese character is typed, the Chinese names themselves); lead
numbers, reps and sources come from the database (services/completion.py), read only.
Typer keeps the values that start with what was typed, so each value is returned in the
spelling the user began (`l00` → `l0001`, `a` → `a`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from leadctl.domain.choices import (
    CHINESE,
    Channel,
    CustomerType,
    Kind,
    LossReason,
    Mood,
    Status,
)
from leadctl.i18n import N_, _

if TYPE_CHECKING:
    from leadctl.settings import Settings

Completer = Callable[[typer.Context, str], list[tuple[str, str]]]
GRADE_WORDS = {
    "A": N_("clear need, budget, decision within a month (高意向)"),
    "B": N_("clear need, budget unconfirmed, 1–3 months (中意向)"),
    "C": N_("first inquiry, vague need or budget (低意向)"),
    "D": N_("no need now, refused, out of scope (暂缓)"),
}
RESULTS = {"won": "成交", "lost": "未转化"}
ROLES = {"rep": "销售", "supervisor": "主管"}


def spelled_like(typed: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The choices that start with `typed` in any case, in the user's own spelling of it."""
    folded = typed.casefold()
    return [
        (typed + value[len(typed) :], help_)
        for value, help_ in choices
        if value.casefold().startswith(folded)
    ]


def _named(names: dict[str, str], typed: str) -> list[tuple[str, str]]:
    """English names with their Chinese ones, or the Chinese ones once Chinese is typed."""
    if typed and not typed.isascii():
        return [(chinese, english) for english, chinese in names.items()]
    return spelled_like(typed, list(names.items()))


def choice(enum: type[StrEnum]) -> Completer:
    chinese = {english: name for name, english in CHINESE.get(enum, {}).items()}
    names = {member.value: chinese.get(member.value, "") for member in enum}

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return _named(names, incomplete)

    return complete


complete_channel = choice(Channel)
complete_kind = choice(Kind)
complete_mood = choice(Mood)
complete_reason = choice(LossReason)
complete_status = choice(Status)
complete_customer_type = choice(CustomerType)


def complete_grade(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return spelled_like(incomplete, [(grade, _(words)) for grade, words in GRADE_WORDS.items()])


def complete_result(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _named(RESULTS, incomplete)


def complete_role(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _named(ROLES, incomplete)


# ---------------------------------------------------------------- from the database


def _settings(ctx: typer.Context) -> Settings | None:
    """The settings as the command line being completed would have them (its global options
    come before the command), or None when they cannot be read."""
    from leadctl.errors import LeadctlError
    from leadctl.settings import load_settings

    given = ctx.find_root().params
    try:
        return load_settings(
            db=given.get("db"), user=given.get("user"), tz=given.get("tz"),
            calendar=given.get("calendar"),
        )  # fmt: skip
    except LeadctlError:
        return None


def lead_numbers(
    incomplete: str, prefix: str, leads: list[tuple[int, str]]
) -> list[tuple[str, str]]:
    """Lead numbers as the user began them: `L00…`, `l00…`, or bare digits (`12` → 12, 120)."""
    from leadctl.domain.leads import lead_number

    if incomplete.isdigit():
        return [(str(i), about) for i, about in leads if str(i).startswith(incomplete)]
    return spelled_like(incomplete, [(lead_number(i, prefix), about) for i, about in leads])


def _leads(which: str) -> Completer:
    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from leadctl.services.completion import lead_choices

        settings = _settings(ctx)
        if settings is None:
            return []
        return lead_numbers(incomplete, settings.number_prefix, lead_choices(settings, which))

    return complete


complete_lead = _leads("mine")
complete_pool_lead = _leads("pool")


def complete_grade_words(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """`grade LEAD GRADE`: a lead, then its grade; with --confirm, leads awaiting it."""
    if ctx.params.get("confirm"):
        return _leads("unconfirmed")(ctx, incomplete)
    typed = ctx.params.get("words") or []
    if not typed:
        return complete_lead(ctx, incomplete)
    return complete_grade(ctx, incomplete) if len(typed) == 1 else []


def complete_rep(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from leadctl.services.completion import rep_choices

    settings = _settings(ctx)
    return [] if settings is None else spelled_like(incomplete, rep_choices(settings))


def complete_source(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from leadctl.services.completion import source_choices

    settings = _settings(ctx)
    return [] if settings is None else spelled_like(incomplete, source_choices(settings))
