"""The public pool (SPEC §6.3 公海): release, claim and recycle, as transitions of facts.

A lead with no owner is in the pool and has no due items until it is claimed. Recycling counts
calendar days from `recycle_from`: the day the lead was added, its owner's latest follow-up, its
assignment or its claim, whichever is latest.
"""

from __future__ import annotations

from datetime import date, timedelta

from leadctl.domain.cadence import PoolRules
from leadctl.domain.choices import NOT_CLOSED_STATUSES
from leadctl.domain.lifecycle import Change, Entry, LeadState, require_status
from leadctl.domain.team import Actor
from leadctl.errors import RuleError
from leadctl.i18n import _


def release(state: LeadState, who: Actor, reason: str, today: date) -> Change:
    """The owner (or a supervisor) returns a lead that is not closed to the pool."""
    if state.owner is None:
        raise RuleError(_("{number} is already in the pool.").format(number=state.number))
    require_status(state, NOT_CLOSED_STATUSES, "released to the pool")
    if not who.supervisor and state.owner != who.name:
        raise RuleError(
            _("{number} belongs to {owner}; only its owner or a supervisor releases it.").format(
                number=state.number, owner=state.owner
            )
        )
    return Change(
        {"owner": None, "previous_owner": state.owner, "released_on": today, "recycle_from": None},
        [Entry("released", {"previous": state.owner, "reason": reason})],
    )


def claim(state: LeadState, who: Actor, today: date, rules: PoolRules) -> Change:
    """Make a pool lead the user's; its previous owner waits `reclaim_days` after it left."""
    if state.owner is not None:
        raise RuleError(
            _("{number} belongs to {owner}; only a lead in the pool can be claimed.").format(
                number=state.number, owner=state.owner
            )
        )
    if state.previous_owner == who.name and state.released_on is not None:
        again = state.released_on + timedelta(days=rules.reclaim_days)
        if today < again:
            raise RuleError(
                _(
                    "{number} left {name} on {day}; its previous owner may claim it again from "
                    "{again}."
                ).format(
                    number=state.number,
                    name=who.name,
                    day=state.released_on.isoformat(),
                    again=again.isoformat(),
                )
            )
    return Change(
        {"owner": who.name, "recycle_from": today},
        [Entry("claimed", {"previous": state.previous_owner})],
    )


def check_claim_limits(
    who: Actor, claiming: int, open_leads: int, claimed_today: int, rules: PoolRules
) -> None:
    """`max_open` open leads (new, active, opportunity) and `daily_claims` claims a day."""
    if open_leads + claiming > rules.max_open:
        raise RuleError(
            _(
                "{name} has {open} open leads; claiming {claiming} more would pass the team's "
                "limit of {limit} (pool.max_open)."
            ).format(name=who.name, open=open_leads, claiming=claiming, limit=rules.max_open)
        )
    if claimed_today + claiming > rules.daily_claims:
        raise RuleError(
            _(
                "{name} has claimed {claimed} leads today; {claiming} more would pass the daily "
                "limit of {limit} (pool.daily_claims)."
            ).format(
                name=who.name, claimed=claimed_today, claiming=claiming, limit=rules.daily_claims
            )
        )


def recycled(owner: str, rules: PoolRules) -> Entry:
    """The history entry of a lead the nightly sweep returned to the pool."""
    return Entry("recycled", {"previous": owner, "days": rules.recycle_days})
