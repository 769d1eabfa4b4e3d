"""Grading (SPEC §2 线索分级): grade a lead with its reason; a supervisor confirms grades."""

from __future__ import annotations

from typing import Any

from leadctl.domain import lifecycle
from leadctl.domain.choices import Grade, parse_choice
from leadctl.domain.leads import clean_text
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _
from leadctl.services.common import Ctx, apply, get_lead, state, team_of
from leadctl.services.documents import lead_document


def grade_lead(ctx: Ctx, ref: str, grade_text: str, reason: str | None) -> dict[str, Any]:
    grade = parse_choice(Grade, grade_text)
    why = clean_text(reason, N_("grade reason"))
    if why is None:
        raise LeadctlError(
            _(
                'Grade {grade} needs a reason: add --reason "…" (分级依据), e.g. '
                '--reason "预算30万, 一个月内决策".'
            ).format(grade=grade.value)
        )
    store = ctx.store
    with store.write() as session:
        who = team_of(ctx, session, N_("grade leads")).actor
        lead = get_lead(ctx, session, ref, for_update=True)
        facts = state(ctx, lead)
        lifecycle.require_grader(facts, who)
        apply(ctx, session, lead, lifecycle.grade(facts, grade, why, ctx.now, who))
        return lead_document(ctx, session, lead)


def confirm_grades(ctx: Ctx, refs: list[str]) -> list[dict[str, Any]]:
    """Confirm the current grade of each lead, all or nothing (one transaction)."""
    store = ctx.store
    with store.write() as session:
        who = team_of(ctx, session, N_("confirm grades")).actor
        leads = []
        seen: set[int | None] = set()
        for ref in refs:
            lead = get_lead(ctx, session, ref, for_update=True)
            if lead.id in seen:
                continue
            seen.add(lead.id)
            apply(ctx, session, lead, lifecycle.confirm_grade(state(ctx, lead), ctx.now, who))
            leads.append(lead)
        return [lead_document(ctx, session, lead) for lead in leads]
