"""Steps 4 and 5 of the playbook: upgrade to an opportunity on three criteria, close won or lost."""

from __future__ import annotations

from typing import Any

from leadctl.domain.choices import LossReason, Status, parse_choice
from leadctl.domain.dates import parse_day
from leadctl.domain.leads import clean_text
from leadctl.domain.money import money_text, parse_amount, to_fen
from leadctl.domain.phones import normalise_phone
from leadctl.errors import LeadctlError, RuleError
from leadctl.services.common import (
    Ctx,
    get_lead,
    record,
    refresh_schedule,
    require_owner,
    require_status,
)
from leadctl.services.documents import lead_document
from leadctl.store.tables import Opportunity, Outcome

CLOSABLE = (Status.NEW, Status.ACTIVE, Status.OPPORTUNITY, Status.DORMANT)
RESULTS = {
    "won": "won",
    "成交": "won",
    "赢单": "won",
    "lost": "lost",
    "未转化": "lost",
    "丢单": "lost",
}


def unmet_criteria(
    *,
    need_match: bool,
    budget: str | None,
    budget_ok: bool,
    decision_maker: str | None,
    no_objection: bool,
) -> list[str]:
    """Each of the three criteria that does not hold, with the options that would show it."""
    unmet = []
    if not need_match:
        unmet.append("need matches the product (--need-match)")
    budget_missing = [
        o for o, v in (("--budget RANGE", budget), ("--budget-ok", budget_ok)) if not v
    ]
    if budget_missing:
        unmet.append(f"budget clear and acceptable ({', '.join(budget_missing)})")
    dm_missing = [
        o for o, v in (("--decision-maker NAME", decision_maker), ("--no-objection", no_objection))
        if not v
    ]  # fmt: skip
    if dm_missing:
        unmet.append(
            f"key decision maker confirmed with no major objection ({', '.join(dm_missing)})"
        )
    return unmet


def upgrade_lead(
    ctx: Ctx,
    ref: str,
    *,
    need_match: bool = False,
    budget: str | None = None,
    budget_ok: bool = False,
    decision_maker: str | None = None,
    dm_title: str | None = None,
    dm_phone: str | None = None,
    no_objection: bool = False,
    competitor: str | None = None,
    advantage: str | None = None,
    strategy: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    budget_text = clean_text(budget, "budget range")
    dm_name = clean_text(decision_maker, "decision maker")
    title = clean_text(dm_title, "decision maker's title")
    dm_e164 = normalise_phone(dm_phone, ctx.settings.phone_region) if dm_phone else None
    rival = clean_text(competitor, "competitor")
    edge = clean_text(advantage, "advantage")
    plan = clean_text(strategy, "strategy")
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        number = ctx.number(lead.id)
        if lead.status == Status.OPPORTUNITY:
            raise RuleError(f"{number} is already an opportunity.")
        hint = " (grade it first)" if lead.status == Status.NEW else ""
        require_status(ctx, lead, (Status.ACTIVE,), f"upgraded{hint}")
        forced = require_owner(ctx, lead, "upgrade", force)
        unmet = unmet_criteria(
            need_match=need_match,
            budget=budget_text,
            budget_ok=budget_ok,
            decision_maker=dm_name,
            no_objection=no_objection,
        )
        if unmet:
            raise RuleError(
                f"{number} cannot become an opportunity yet; not met: " + "; ".join(unmet) + "."
            )
        assert lead.id is not None
        opp = session.get(Opportunity, lead.id) or Opportunity(
            lead_id=lead.id, upgraded_at=ctx.now, upgraded_by=ctx.user
        )
        opp.need_match, opp.budget, opp.budget_ok = True, budget_text, True
        opp.decision_maker, opp.dm_title, opp.dm_phone = dm_name, title, dm_e164
        opp.no_objection = True
        opp.competitor, opp.advantage, opp.strategy = rival, edge, plan
        opp.upgraded_at, opp.upgraded_by = ctx.now, ctx.user
        session.add(opp)
        lead.status = Status.OPPORTUNITY.value
        lead.upgraded_on = lead.upgraded_on or ctx.today
        details: dict[str, Any] = {"budget": budget_text, "decision_maker": dm_name}
        if forced:
            details.update(forced=True, owner=lead.owner)
        record(ctx, session, lead, "upgraded", **details)
        refresh_schedule(ctx, lead)
        return lead_document(ctx, session, lead)


def close_lead(
    ctx: Ctx,
    ref: str,
    result: str,
    *,
    amount: str | None = None,
    contract: str | None = None,
    product: str | None = None,
    factors: str | None = None,
    reason: str | None = None,
    note: str | None = None,
    competitor: str | None = None,
    day: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    outcome_kind = RESULTS.get(result.strip().lower())
    if outcome_kind is None:
        raise LeadctlError(f"Close as won or lost (成交 / 未转化), not {result!r}.")
    today = ctx.today
    closed_on = parse_day(day, today, what="close date") if day else today
    if closed_on > today:
        raise LeadctlError(f"The close date {closed_on.isoformat()} is in the future.")
    outcome = Outcome(
        lead_id=0, result=outcome_kind, closed_on=closed_on, closed_at=ctx.now, by=ctx.user
    )
    if outcome_kind == "won":
        outcome.contract = clean_text(contract, "contract number")
        outcome.product = clean_text(product, "product/service")
        missing = [
            o for o, v in (("--amount", amount), ("--contract", outcome.contract),
                           ("--product", outcome.product)) if not v
        ]  # fmt: skip
        if missing:
            raise LeadctlError(f"A won deal needs {', '.join(missing)}.")
        assert amount is not None
        outcome.amount_fen = to_fen(parse_amount(amount))
        outcome.factors = clean_text(factors, "key success factors")
        if reason or note:
            raise LeadctlError(
                "--reason and --note describe a lost deal; a won deal takes --factors."
            )
    else:
        if not reason:
            choices = ", ".join(r.value for r in LossReason)
            raise LeadctlError(
                f"A lost deal needs --reason: one of {choices} (or 预算不足, 价格 …)."
            )
        outcome.reason = parse_choice(LossReason, reason).value
        outcome.note = clean_text(note, "note")
        if outcome.note is None:
            raise LeadctlError(
                'A lost deal needs --note "…": what happened, for the weekly review.'
            )
        outcome.competitor = clean_text(competitor, "competitor")
        if amount or contract or product:
            raise LeadctlError("--amount, --contract and --product describe a won deal.")
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        number = ctx.number(lead.id)
        if lead.status in (Status.WON, Status.LOST):
            raise RuleError(
                f"{number} is already {lead.status}; a closed lead is never closed again."
            )
        require_status(ctx, lead, CLOSABLE, "closed")
        forced = require_owner(ctx, lead, "close", force)
        assert lead.id is not None
        outcome.lead_id = lead.id
        session.add(outcome)
        lead.status = outcome_kind
        lead.woken_on = None
        lead.rested_on = closed_on if outcome_kind == "lost" else None
        details: dict[str, Any] = {"closed_on": closed_on}
        if outcome_kind == "won":
            details.update(amount=money_text(outcome.amount_fen or 0), contract=outcome.contract)
        else:
            details.update(reason=outcome.reason, competitor=outcome.competitor)
        if forced:
            details.update(forced=True, owner=lead.owner)
        record(ctx, session, lead, outcome_kind, **details)
        refresh_schedule(ctx, lead)
        return lead_document(ctx, session, lead)
