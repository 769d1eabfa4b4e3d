"""Grading (SPEC §2 线索分级): grade a lead with its reason; a supervisor confirms grades."""

from __future__ import annotations

from typing import Any

from leadctl.domain import lifecycle
from leadctl.domain.choices import Grade, parse_choice
from leadctl.domain.leads import clean_text
from leadctl.errors import LeadctlError
from leadctl.services.common import Ctx, apply, get_lead, state
from leadctl.services.documents import lead_document


def grade_lead(ctx: Ctx, ref: str, grade_text: str, reason: str | None) -> dict[str, Any]:
    grade = parse_choice(Grade, grade_text)
    why = clean_text(reason, "grade reason")
    if why is None:
        raise LeadctlError(
            f'Grade {grade.value} needs a reason: add --reason "…" (分级依据), e.g. '
            '--reason "预算30万, 一个月内决策".'
        )
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        apply(ctx, session, lead, lifecycle.grade(state(ctx, lead), grade, why, ctx.now, ctx.user))
        return lead_document(ctx, session, lead)


def confirm_grade(ctx: Ctx, ref: str) -> dict[str, Any]:
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        apply(ctx, session, lead, lifecycle.confirm_grade(state(ctx, lead), ctx.now, ctx.user))
        return lead_document(ctx, session, lead)
