"""The lead's lifecycle (SPEC §2): every transition of the playbook as a function of plain facts.

A transition takes the lead's state (`LeadState`, the rule-relevant columns of its row) and the
command's facts, refuses what the playbook forbids (`RuleError`, whole sentences), and returns a
`Change`: the fields to set and the history entries to record. A service loads the lead, calls
one transition, applies the change, and commits; the cadence (cadence.py) then derives the
stored due days from the new state. Nothing here touches a database or a clock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from leadctl.domain.cadence import LeadFacts
from leadctl.domain.choices import OPEN_STATUSES, Grade, LossReason, Status, shown
from leadctl.domain.halfwidth import half_width
from leadctl.domain.team import Actor, Role
from leadctl.errors import LeadctlError, RuleError
from leadctl.i18n import N_, _, _p

# which statuses each command takes (SPEC §2 "Which leads take what")
GRADABLE = OPEN_STATUSES
UPGRADABLE = (Status.ACTIVE,)
CLOSABLE = (Status.NEW, Status.ACTIVE, Status.OPPORTUNITY, Status.DORMANT)
CLOSED = (Status.WON, Status.LOST)
# how `close` names its two results, also in Chinese
RESULTS = {
    "won": Status.WON,
    "成交": Status.WON,
    "赢单": Status.WON,
    "lost": Status.LOST,
    "未转化": Status.LOST,
    "丢单": Status.LOST,
}


@dataclass(frozen=True)
class Entry:
    """One line of a lead's history: the event's name and its details."""

    event: str
    details: dict[str, Any] = field(default_factory=dict)

    def encoded(self) -> str:
        return encode_details(self.details)


def encode_details(details: dict[str, Any]) -> str:
    """How every history entry's details are stored: JSON text, dates as ISO strings."""
    return json.dumps(details, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Change:
    """What a transition does to a lead: columns to set, history to record."""

    fields: dict[str, Any] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def then(self, other: Change) -> Change:
        return Change({**self.fields, **other.fields}, [*self.entries, *other.entries])


@dataclass(frozen=True)
class LeadState:
    """The columns of a lead row that the playbook's rules read (all of them are on `lead`)."""

    number: str
    owner: str | None  # None: in the pool
    status: Status
    grade: Grade | None = None
    grade_reason: str | None = None
    graded_at: datetime | None = None
    graded_by: str | None = None
    grade_set_at: datetime | None = None  # when the current grade was given (from another/none)
    grade_confirmed_at: datetime | None = None
    grade_confirmed_by: str | None = None
    ungraded_since: date | None = None
    last_contact_at: datetime | None = None
    last_mood: str | None = None
    last_proposal_at: datetime | None = None
    last_case_at: datetime | None = None
    next_action: str | None = None
    next_action_on: date | None = None
    unanswered_streak: int = 0
    upgraded_on: date | None = None
    woken_on: date | None = None
    rested_on: date | None = None
    proposal_done_on: date | None = None
    previous_owner: str | None = None
    released_on: date | None = None
    recycle_from: date | None = None

    @classmethod
    def of(cls, row: Any, number: str) -> LeadState:
        """The state of a lead row (any object with the lead's columns as attributes)."""
        values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name != "number"}
        values["status"] = Status(values["status"])
        values["grade"] = Grade(values["grade"]) if values["grade"] else None
        return cls(number=number, **values)

    def after(self, change: Change) -> LeadState:
        """The state once `change` is applied (fields that are not state are ignored)."""
        names = {f.name for f in fields(self)}
        values = {k: v for k, v in change.fields.items() if k in names}
        if isinstance(values.get("status"), str):
            values["status"] = Status(values["status"])
        if isinstance(values.get("grade"), str):
            values["grade"] = Grade(values["grade"])
        return replace(self, **values)

    def cadence_facts(self) -> LeadFacts:
        """What the cadence reads (every LeadFacts field is a LeadState field)."""
        shared = {f.name for f in fields(LeadFacts)} - {"pooled"}
        return LeadFacts(
            pooled=self.owner is None, **{name: getattr(self, name) for name in shared}
        )

    @property
    def woken(self) -> bool:
        return self.woken_on is not None


# ---------------------------------------------------------------- guards


# require_status's refusal for each action, a whole sentence
_ONLY_STATUSES = {
    "graded": N_("{number} is {status}; only {names} leads can be graded."),
    "upgraded": N_("{number} is {status}; only {names} leads can be upgraded."),
    "upgraded (grade it first)": N_(
        "{number} is {status}; only {names} leads can be upgraded (grade it first)."
    ),
    "closed": N_("{number} is {status}; only {names} leads can be closed."),
    "released to the pool": N_(
        "{number} is {status}; only {names} leads can be released to the pool."
    ),
}


def require_status(state: LeadState, allowed: Sequence[Status], action: str) -> None:
    """`action`: one of _ONLY_STATUSES ("graded"), which names the refusal."""
    if state.status not in allowed:
        names = _p("list", ", ").join(shown(Status, s) for s in allowed)
        raise RuleError(
            _(_ONLY_STATUSES[action]).format(
                number=state.number, status=shown(Status, state.status), names=names
            )
        )


# require_owner's refusals for each action, whole sentences: to a rep, and to a supervisor
# without --force
_OWNERS_ONLY = {
    "follow up on": (
        N_("{number} belongs to {owner}; a rep can follow up on only their own leads."),
        N_(
            "{number} belongs to {owner}; only the owner can follow up on it (pass --force to "
            "do it anyway; it is recorded)."
        ),
    ),
    "upgrade": (
        N_("{number} belongs to {owner}; a rep can upgrade only their own leads."),
        N_(
            "{number} belongs to {owner}; only the owner can upgrade it (pass --force to do it "
            "anyway; it is recorded)."
        ),
    ),
    "close": (
        N_("{number} belongs to {owner}; a rep can close only their own leads."),
        N_(
            "{number} belongs to {owner}; only the owner can close it (pass --force to do it "
            "anyway; it is recorded)."
        ),
    ),
}
# …and for another action, named by the caller's words (marked with N_)
_OWNERS_ONLY_ANY = (
    N_("{number} belongs to {owner}; a rep can {action} only their own leads."),
    N_(
        "{number} belongs to {owner}; only the owner can {action} it (pass --force to do it "
        "anyway; it is recorded)."
    ),
)


def require_owner(state: LeadState, who: Actor, action: str, force: bool) -> bool:
    """Only the owner acts on a lead; anyone else needs --force (recorded), and with a roster
    only a supervisor may use it. Returns whether force was used. `action`: what is done, in
    words ("close"): one of _OWNERS_ONLY, or else marked with N_ by the caller."""
    if force and not who.supervisor:
        raise RuleError(
            _("Only a supervisor can use --force; {name} is a rep.").format(name=who.name)
        )
    if state.owner == who.name:
        return False
    to_rep, to_supervisor = _OWNERS_ONLY.get(action, _OWNERS_ONLY_ANY)
    if not who.supervisor:
        raise RuleError(_(to_rep).format(number=state.number, owner=state.owner, action=_(action)))
    if force:
        return True
    raise RuleError(
        _(to_supervisor).format(number=state.number, owner=state.owner, action=_(action))
    )


def _forced(details: dict[str, Any], forced: bool, owner: str | None) -> dict[str, Any]:
    if forced:
        details.update(forced=True, owner=owner)
    return details


# ---------------------------------------------------------------- capture and grading


def new_lead(
    acquired_on: date, owner: str | None, source: str, added_on: date
) -> tuple[dict[str, Any], Entry]:
    """A captured lead: `new`, ungraded and due for grading from its acquired day (or in the
    pool, without an owner); recycling counts from the day it was added."""
    fields_ = {
        "status": Status.NEW.value,
        "owner": owner,
        "ungraded_since": acquired_on,
        "unanswered_streak": 0,
        "recycle_from": added_on if owner is not None else None,
    }
    return fields_, Entry("created", {"owner": owner, "source": source})


def require_grader(state: LeadState, who: Actor) -> None:
    """A rep grades their own leads; a supervisor (or anyone without a roster) any lead."""
    if not who.supervisor and state.owner != who.name:
        raise RuleError(
            _(
                "{number} belongs to {owner}; a rep grades only their own leads (a supervisor "
                "corrects grades)."
            ).format(number=state.number, owner=state.owner)
        )


def grade(state: LeadState, new_grade: Grade, reason: str, now: datetime, who: Actor) -> Change:
    """Grade (or regrade) a lead: it needs confirming again; a `new` lead becomes `active`.
    A supervisor's grade (with a roster) is confirmed at once."""
    require_status(state, GRADABLE, "graded")
    previous = state.grade.value if state.grade else None
    changed: dict[str, Any] = {
        "grade": new_grade.value,
        "grade_reason": reason,
        "graded_at": now,
        "graded_by": who.name,
        "grade_confirmed_at": None,
        "grade_confirmed_by": None,
        "ungraded_since": None,
    }
    if state.grade is not new_grade:
        changed.update(grade_set_at=now, proposal_done_on=None)
    if state.status is Status.NEW:
        changed["status"] = Status.ACTIVE.value
    entry = Entry("graded", {"grade": new_grade.value, "previous": previous, "reason": reason})
    graded = Change(changed, [entry])
    if who.role is Role.SUPERVISOR:
        return graded.then(confirm_grade(state.after(graded), now, who))
    return graded


def confirm_grade(state: LeadState, now: datetime, who: Actor) -> Change:
    """The weekly check: only a supervisor confirms (with a roster), never a rep, not even
    their own grade."""
    if not who.supervisor:
        raise RuleError(
            _("Only a supervisor confirms grades (the weekly check); {name} is a rep.").format(
                name=who.name
            )
        )
    if state.grade is None:
        raise RuleError(
            _("{number} has no grade to confirm; grade it first.").format(number=state.number)
        )
    if state.grade_confirmed_at is not None:
        raise RuleError(
            _("{number}'s grade {grade} was already confirmed by {name}.").format(
                number=state.number, grade=state.grade.value, name=state.grade_confirmed_by
            )
        )
    return Change(
        {"grade_confirmed_at": now, "grade_confirmed_by": who.name},
        [Entry("grade_confirmed", {"grade": state.grade.value, "graded_by": state.graded_by})],
    )


def assign(
    state: LeadState, new_owner: str, who: Actor, today: date, reason: str | None = None
) -> Change:
    """Move a lead to another owner (recorded); a rep moves only their own leads."""
    if state.owner == new_owner:
        raise RuleError(
            _("{number} already belongs to {owner}.").format(number=state.number, owner=new_owner)
        )
    if not who.supervisor and state.owner != who.name:
        raise RuleError(
            _("{number} belongs to {owner}; only a supervisor assigns another rep's lead.").format(
                number=state.number, owner=state.owner
            )
        )
    details: dict[str, Any] = {"previous": state.owner, "owner": new_owner}
    if reason is not None:
        details["reason"] = reason
    return Change({"owner": new_owner, "recycle_from": today}, [Entry("assigned", details)])


# ---------------------------------------------------------------- follow-ups


@dataclass(frozen=True)
class FollowRecord:
    """One follow-up as the rules see it (`done`: it said --done)."""

    at: datetime
    kind: str
    responded: bool
    next_action: str | None = None
    next_action_on: date | None = None
    mood: str | None = None
    done: bool = False

    @classmethod
    def of(cls, row: Any) -> FollowRecord:
        """The record of a follow-up row (any object with these attributes)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def in_contact_order(
    previous: Sequence[FollowRecord], new: FollowRecord
) -> tuple[list[FollowRecord], list[FollowRecord]]:
    """The lead's earlier follow-ups split around a new one, in contact-time order (`previous`
    is already): (those before it, those after it). A back-filled --at goes among them; of two
    in the same minute the one logged first counts first, as the database orders them (contact
    time, then id)."""
    before = [r for r in previous if r.at <= new.at]
    return before, list(previous[len(before) :])


def action_in_force(records: Sequence[FollowRecord], tz: tzinfo) -> tuple[str | None, date | None]:
    """The next action in force after these follow-ups (in contact-time order), with its date
    (SPEC §6.4): a follow-up's --next sets it, --done ends it (a --next with it sets the new
    one), and a follow-up whose contact day (local) is on or after its date completes it; any
    other follow-up leaves it in force. An action without a date stays until replaced or done."""
    action: str | None = None
    action_on: date | None = None
    for record in records:
        if record.done or record.next_action is not None:
            action, action_on = record.next_action, record.next_action_on
        elif action_on is not None and record.at.astimezone(tz).date() >= action_on:
            action, action_on = None, None
    return action, action_on


def follow_summary(records: Sequence[FollowRecord], tz: tzinfo) -> dict[str, Any]:
    """What the lead keeps from its follow-ups (in contact-time order): the latest touch and
    mood, the next action in force, the latest proposal and case, and the unanswered attempts
    in a row."""
    last = records[-1] if records else None
    proposals = [r.at for r in records if r.kind == "proposal"]
    cases = [r.at for r in records if r.kind == "case"]
    streak = 0
    for record in reversed(records):
        if record.responded:
            break
        streak += 1
    next_action, next_action_on = action_in_force(records, tz)
    return {
        "last_contact_at": last.at if last else None,
        "last_mood": last.mood if last else None,
        "next_action": next_action,
        "next_action_on": next_action_on,
        "last_proposal_at": proposals[-1] if proposals else None,
        "last_case_at": cases[-1] if cases else None,
        "unanswered_streak": streak,
    }


def require_followable(state: LeadState, customer: str | None = None) -> None:
    """`follow` takes open and dormant leads, and a lost lead only while it is woken. A
    refusal shows how to capture a closed lead's `customer` who came back: a new lead."""
    command = None
    if customer is not None:
        import shlex

        command = f"leadctl add {shlex.quote(customer)} --phone … --source … --need …"
    if state.status is Status.WON:
        if command is None:
            raise RuleError(
                _("{number} is won; a won lead takes no more follow-ups.").format(
                    number=state.number
                )
            )
        raise RuleError(
            _(
                "{number} is won; a won lead takes no more follow-ups. For another deal with "
                "this customer, capture a new lead: {command}"
            ).format(number=state.number, command=command)
        )
    if state.status is Status.LOST and not state.woken:
        if command is None:
            raise RuleError(
                _(
                    "{number} is lost; it takes follow-ups again only once `leadctl wake` wakes it."
                ).format(number=state.number)
            )
        raise RuleError(
            _(
                "{number} is lost; it takes follow-ups again only once `leadctl wake` wakes it. "
                "If the customer came back, capture a new lead: {command}"
            ).format(number=state.number, command=command)
        )


def require_contact_time(state: LeadState, acquired_on: date, at: datetime, tz: tzinfo) -> None:
    """A contact is never before the lead's acquired day, nor, on a woken lead, before its wake
    day: a back-dated attempt would otherwise date a rest before the lead existed (or before its
    last wake) and have `wake` wake it again the next night (once per rest, SPEC §2)."""
    local = at.astimezone(tz)
    day, moment = local.date(), local.strftime("%Y-%m-%d %H:%M")
    if day < acquired_on:
        raise RuleError(
            _(
                "The contact time {time} is before {number} was acquired ({day}); a follow-up "
                "is never dated before the lead's acquired day."
            ).format(time=moment, number=state.number, day=acquired_on.isoformat())
        )
    if state.woken_on is not None and day < state.woken_on:
        raise RuleError(
            _(
                "The contact time {time} is before {number} was woken ({day}); a follow-up on a "
                "woken lead is never dated before its latest wake."
            ).format(time=moment, number=state.number, day=state.woken_on.isoformat())
        )


def reopens(state: LeadState, responded: bool) -> bool:
    """Whether a follow-up brings a closed lead back among the not-closed ones (an answered
    follow-up on a woken lost lead): the duplicate check of `add` runs again."""
    return state.status in CLOSED and responded


def should_sleep(status: Status, grade_: Grade | None, streak: int, dormant_after: int) -> bool:
    """Dormancy (SPEC §2): a D lead whose last `dormant_after` attempts went unanswered.
    The wake sweep applies the same rule in SQL (store.sweeps.sleeps); a test ties the two."""
    return status in OPEN_STATUSES and grade_ is Grade.D and streak >= dormant_after


def follow(
    state: LeadState,
    previous: Sequence[FollowRecord],
    new: FollowRecord,
    *,
    tz: tzinfo,
    dormant_after: int,
    details: dict[str, Any],
    by_owner: bool = True,
) -> Change:
    """A follow-up was logged: `new`, after the lead's `previous` ones (in contact-time order).

    Clocks count from the contact's day (a back-filled --at yesterday rests from yesterday), and
    the next action in force is worked out in contact-time order, so a back-filled follow-up
    changes it only where it falls. `--done` needs an action in force at that contact time.
    A responded follow-up brings a dormant or woken lost lead back `active`, ungraded (history
    keeps the old grade); an unanswered wake attempt rests it again; a D lead's third unanswered
    attempt in a row puts it to sleep.
    """
    require_followable(state)
    earlier, later = in_contact_order(previous, new)
    records = [*earlier, new, *later]
    day = new.at.astimezone(tz).date()
    responded = new.responded
    if new.done:
        done_action, _day = action_in_force(earlier, tz)
        if done_action is None:
            if later:  # back-filled before a later contact: the action of that moment
                raise RuleError(
                    _(
                        "{number} had no next action in force at {moment} to mark done; log the "
                        "follow-up without --done."
                    ).format(
                        number=state.number,
                        moment=new.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                    )
                )
            raise RuleError(
                _(
                    "{number} has no next action to mark done; log the follow-up without --done."
                ).format(number=state.number)
            )
        details = {**details, "done": True, "done_action": done_action}
    summary = follow_summary(records, tz)
    if (
        by_owner
        and state.owner is not None
        and (state.recycle_from is None or day > state.recycle_from)
    ):
        summary["recycle_from"] = day  # the owner's follow-up restarts the recycling clock
    change = Change(summary, [Entry("followed", details)])
    after = state.after(change)
    # a rest counts from the latest attempt, not from one back-filled among earlier ones
    rest_day = max(day, records[-1].at.astimezone(tz).date())
    if state.status in (Status.DORMANT, Status.LOST):
        if responded:
            previous_grade = state.grade.value if state.grade else None
            return change.then(
                Change(
                    {
                        "status": Status.ACTIVE.value,
                        "grade": None,
                        "grade_reason": None,
                        "grade_set_at": None,
                        "grade_confirmed_at": None,
                        "grade_confirmed_by": None,
                        "ungraded_since": day,
                        "woken_on": None,
                        "rested_on": None,
                        "unanswered_streak": 0,
                    },
                    [
                        Entry(
                            "reopened",
                            {"previous": state.status.value, "grade": previous_grade},
                        )
                    ],
                )
            )
        if state.woken:
            return change.then(Change({"woken_on": None, "rested_on": rest_day}))
        return change
    if should_sleep(after.status, after.grade, after.unanswered_streak, dormant_after):
        return change.then(
            Change(
                {"status": Status.DORMANT.value, "rested_on": rest_day},
                [Entry("dormant", {"unanswered": after.unanswered_streak})],
            )
        )
    return change


# ---------------------------------------------------------------- upgrade and close


@dataclass(frozen=True)
class Criteria:
    """The three criteria of an opportunity (SPEC §2 Upgrade), as the rep states them."""

    need_match: bool = False
    budget: str | None = None
    budget_ok: bool = False
    decision_maker: str | None = None
    no_objection: bool = False


def unmet_criteria(criteria: Criteria) -> list[str]:
    """Each of the three criteria that does not hold, with the options that would show it (in
    the interface's language: the words of upgrade's refusal)."""
    unmet = []
    if not criteria.need_match:
        unmet.append(_("need matches the product (--need-match)"))
    budget_missing = [
        o
        for o, v in (("--budget RANGE", criteria.budget), ("--budget-ok", criteria.budget_ok))
        if not v
    ]
    if budget_missing:
        unmet.append(
            _("budget clear and acceptable ({options})").format(options=", ".join(budget_missing))
        )
    dm_missing = [
        o
        for o, v in (
            ("--decision-maker NAME", criteria.decision_maker),
            ("--no-objection", criteria.no_objection),
        )
        if not v
    ]
    if dm_missing:
        unmet.append(
            _("key decision maker confirmed with no major objection ({options})").format(
                options=", ".join(dm_missing)
            )
        )
    return unmet


def upgrade(
    state: LeadState, criteria: Criteria, today: date, who: Actor, force: bool
) -> tuple[Change, bool]:
    """Upgrade to an opportunity only when all three criteria hold; returns (change, forced)."""
    if state.status is Status.OPPORTUNITY:
        raise RuleError(_("{number} is already an opportunity.").format(number=state.number))
    action = "upgraded (grade it first)" if state.status is Status.NEW else "upgraded"
    require_status(state, UPGRADABLE, action)
    forced = require_owner(state, who, "upgrade", force)
    unmet = unmet_criteria(criteria)
    if unmet:
        raise RuleError(
            _("{number} cannot become an opportunity yet; not met: {unmet}.").format(
                number=state.number, unmet=_p("list", "; ").join(unmet)
            )
        )
    details = {"budget": criteria.budget, "decision_maker": criteria.decision_maker}
    change = Change(
        {"status": Status.OPPORTUNITY.value, "upgraded_on": state.upgraded_on or today},
        [Entry("upgraded", _forced(details, forced, state.owner))],
    )
    return change, forced


def parse_result(text: str) -> Status:
    result = RESULTS.get(half_width(text).strip().lower())
    if result is None:
        raise LeadctlError(
            _("Close as won or lost (成交 / 未转化), not {text!r}.").format(text=text)
        )
    return result


def close(
    state: LeadState,
    result: Status,
    closed_on: date,
    details: dict[str, Any],
    who: Actor,
    force: bool,
) -> tuple[Change, bool]:
    """Close won or lost; a closed lead is never closed again (unless wake reopened it)."""
    if state.status in CLOSED:
        raise RuleError(
            _("{number} is already {status}; a closed lead is never closed again.").format(
                number=state.number, status=shown(Status, state.status)
            )
        )
    require_status(state, CLOSABLE, "closed")
    forced = require_owner(state, who, "close", force)
    change = Change(
        {
            "status": result.value,
            "woken_on": None,
            "rested_on": closed_on if result is Status.LOST else None,
            # the nightly sweep wakes a lost lead by it (store.sweeps.rest_is_over)
            "lost_reason": details.get("reason") if result is Status.LOST else None,
        },
        [Entry(result.value, _forced({"closed_on": closed_on, **details}, forced, state.owner))],
    )
    return change, forced


# ---------------------------------------------------------------- reactivation (wake)


@dataclass(frozen=True)
class WakeRules:
    """`[wake]` in the config file (SPEC §2 Dormancy and Reactivation)."""

    dormant_after: int = 3  # unanswered attempts in a row that put a D lead to sleep
    dormant_days: int = 90
    lost_days: int = 180
    lost_reasons: tuple[str, ...] = (
        LossReason.BUDGET.value,
        LossReason.PRICE.value,
        LossReason.TIMING.value,
        LossReason.NEED_CHANGED.value,
    )


def rest_is_over(
    status: Status,
    rested_on: date | None,
    woken_on: date | None,
    loss_reason: str | None,
    today: date,
    rules: WakeRules,
) -> bool:
    """Reactivation (SPEC §2): a dormant lead rested `dormant_days`, or a lost lead whose reason
    may change rested `lost_days`, not woken yet. The wake sweep applies the same rule in SQL
    (store.sweeps.due_to_wake); a test ties the two on generated data."""
    if woken_on is not None or rested_on is None:
        return False
    if status is Status.DORMANT:
        return rested_on <= today - timedelta(days=rules.dormant_days)
    if status is Status.LOST:
        return loss_reason in rules.lost_reasons and rested_on <= today - timedelta(
            days=rules.lost_days
        )
    return False


def woken(status: Status, rested_on: date | None, loss_reason: str | None) -> Entry:
    """The history entry of a lead woken by `wake` (its `wake` item is due that day)."""
    return Entry(
        "woken",
        {
            "status": status.value,
            "rested_on": rested_on,
            "reason": loss_reason if status is Status.LOST else None,
        },
    )
