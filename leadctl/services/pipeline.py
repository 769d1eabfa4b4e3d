"""Steps 4 and 5 of the playbook: upgrade to an opportunity on three criteria, close won or lost."""

from __future__ import annotations

from typing import Any

from leadctl.domain import lifecycle
from leadctl.domain.choices import LossReason, Status, parse_choice
from leadctl.domain.dates import parse_day
from leadctl.domain.leads import clean_text
from leadctl.domain.money import money_text, parse_amount, to_fen
from leadctl.domain.phones import normalise_phone
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _
from leadctl.services.common import Ctx, apply, get_lead, state, team_of
from leadctl.services.documents import lead_document
from leadctl.store.queries import opportunity_of
from leadctl.store.tables import Opportunity, Outcome


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
    budget_text = clean_text(budget, N_("budget range"))
    dm_name = clean_text(decision_maker, N_("decision maker"))
    title = clean_text(dm_title, N_("decision maker's title"))
    dm_e164 = normalise_phone(dm_phone, ctx.settings.phone_region) if dm_phone else None
    rival = clean_text(competitor, N_("competitor"))
    edge = clean_text(advantage, N_("advantage"))
    plan = clean_text(strategy, N_("strategy"))
    store = ctx.store
    criteria = lifecycle.Criteria(
        need_match=need_match,
        budget=budget_text,
        budget_ok=budget_ok,
        decision_maker=dm_name,
        no_objection=no_objection,
    )
    with store.write() as session:
        who = team_of(ctx, session, N_("upgrade leads")).actor
        lead = get_lead(ctx, session, ref, for_update=True)
        change, _forced = lifecycle.upgrade(state(ctx, lead), criteria, ctx.today, who, force)
        assert lead.id is not None
        opp = opportunity_of(session, lead.id) or Opportunity(
            lead_id=lead.id, upgraded_at=ctx.now, upgraded_by=ctx.user
        )
        opp.need_match, opp.budget, opp.budget_ok = True, budget_text, True
        opp.decision_maker, opp.dm_title, opp.dm_phone = dm_name, title, dm_e164
        opp.no_objection = True
        opp.competitor, opp.advantage, opp.strategy = rival, edge, plan
        opp.upgraded_at, opp.upgraded_by = ctx.now, ctx.user
        session.add(opp)
        apply(ctx, session, lead, change)
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
    outcome_kind = lifecycle.parse_result(result).value
    today = ctx.today
    closed_on = parse_day(day, today, what=N_("close date"), direction="past") if day else today
    if closed_on > today:
        raise LeadctlError(
            _("The close date {day} is in the future.").format(day=closed_on.isoformat())
        )
    outcome = Outcome(
        lead_id=0, result=outcome_kind, closed_on=closed_on, closed_at=ctx.now, by=ctx.user
    )
    if outcome_kind == "won":
        outcome.contract = clean_text(contract, N_("contract number"))
        outcome.product = clean_text(product, N_("product/service"))
        missing = [
            o for o, v in (("--amount", amount), ("--contract", outcome.contract),
                           ("--product", outcome.product)) if not v
        ]  # fmt: skip
        if missing:
            raise LeadctlError(_("A won deal needs {options}.").format(options=", ".join(missing)))
        assert amount is not None
        outcome.amount_fen = to_fen(parse_amount(amount))
        outcome.factors = clean_text(factors, N_("key success factors"))
        if reason or note:
            raise LeadctlError(
                _("--reason and --note describe a lost deal; a won deal takes --factors.")
            )
    else:
        if reason:
            outcome.reason = parse_choice(LossReason, reason).value
        outcome.note = clean_text(note, N_("note"))
        # every missing option in one message, as upgrade names every criterion
        choices = ", ".join(r.value for r in LossReason)
        if outcome.reason is None and outcome.note is None:
            raise LeadctlError(
                _(
                    "A lost deal needs --reason: one of {choices} (or 预算不足, 价格 …); "
                    '--note "…": what happened, for the weekly review.'
                ).format(choices=choices)
            )
        if outcome.reason is None:
            raise LeadctlError(
                _("A lost deal needs --reason: one of {choices} (or 预算不足, 价格 …).").format(
                    choices=choices
                )
            )
        if outcome.note is None:
            raise LeadctlError(
                _('A lost deal needs --note "…": what happened, for the weekly review.')
            )
        outcome.competitor = clean_text(competitor, N_("competitor"))
        if amount or contract or product:
            raise LeadctlError(_("--amount, --contract and --product describe a won deal."))
    store = ctx.store
    details: dict[str, Any] = {}
    if outcome_kind == "won":
        details.update(amount=money_text(outcome.amount_fen or 0), contract=outcome.contract)
    else:
        details.update(reason=outcome.reason, competitor=outcome.competitor)
    with store.write() as session:
        who = team_of(ctx, session, N_("close leads")).actor
        lead = get_lead(ctx, session, ref, for_update=True)
        change, _forced = lifecycle.close(
            state(ctx, lead), Status(outcome_kind), closed_on, details, who, force
        )
        assert lead.id is not None
        outcome.lead_id = lead.id
        session.add(outcome)
        apply(ctx, session, lead, change)
        return lead_document(ctx, session, lead)
