"""The public pool (SPEC §6.3 公海): list it, claim from it, release to it.

Claims are all or nothing and race-free: the whole claim is one write transaction under the
leads lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL), so of two reps claiming
one lead at once, exactly one wins and the other is told who did.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from leadctl.domain import pool
from leadctl.domain.leads import clean_text
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _
from leadctl.services.common import Ctx, apply, get_lead, state, team_of
from leadctl.services.documents import LeadItems, lead_document
from leadctl.services.leads import list_leads
from leadctl.store import queries
from leadctl.store.engine import LOCK_LEADS


def pool_leads(ctx: Ctx, *, grade: str | None = None, source: str | None = None) -> LeadItems:
    """The leads nobody owns, as `list` gives them."""
    return list_leads(ctx, grade=grade, source=source, pooled=True)


def claim_leads(ctx: Ctx, refs: list[str]) -> list[dict[str, Any]]:
    if not refs:
        raise LeadctlError(_("Name at least one lead to claim, e.g. `leadctl claim L0007`."))
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        who = team_of(ctx, session, N_("claim leads")).actor
        rules = ctx.settings.pool
        leads = []
        for ref in dict.fromkeys(refs):
            lead = get_lead(ctx, session, ref, for_update=True)
            if lead in leads:
                continue
            leads.append(lead)
        tz = ctx.settings.clock.tz
        start = datetime.combine(ctx.today, time(0, 0), tzinfo=tz)
        claimed_today = queries.events_by(
            session, "claimed", ctx.user, start, start + timedelta(days=1)
        )
        for lead in leads:  # every refusal before anything is written
            pool.claim(state(ctx, lead), who, ctx.today, rules)
        pool.check_claim_limits(
            who, len(leads), queries.open_leads_of(session, ctx.user), claimed_today, rules
        )
        for lead in leads:
            apply(ctx, session, lead, pool.claim(state(ctx, lead), who, ctx.today, rules))
        return [lead_document(ctx, session, lead) for lead in leads]


def release_lead(ctx: Ctx, ref: str, reason: str | None) -> dict[str, Any]:
    why = clean_text(reason, N_("reason"))
    if why is None:
        raise LeadctlError(
            _('Say why the lead goes back to the pool: add --reason "…" (e.g. 客户暂无需求).')
        )
    store = ctx.store
    with store.write() as session:
        who = team_of(ctx, session, N_("release leads")).actor
        lead = get_lead(ctx, session, ref, for_update=True)
        apply(ctx, session, lead, pool.release(state(ctx, lead), who, why, ctx.today))
        return lead_document(ctx, session, lead)
