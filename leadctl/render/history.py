"""A lead's history in words, as `show` prints it: `edited contact: 刘经理 → 刘建华经理`,
`followed by phone, answered`. JSON keeps each entry's details as they are (SPEC §4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from leadctl.domain.phones import display_phone
from leadctl.render.common import local_time

if TYPE_CHECKING:
    from leadctl.settings import Clock

# how `edited` names a field (its JSON name otherwise)
FIELD_WORDS = {"customer_type": "type", "acquired_on": "acquired", "wechat": "WeChat"}
# how `undone` names the change it took back (the change's first event)
CHANGE_NOUNS = {
    "followed": "follow-up", "graded": "grading", "grade_confirmed": "grade confirmation",
    "assigned": "assignment", "upgraded": "upgrade", "won": "close (won)", "lost": "close (lost)",
    "claimed": "claim", "released": "release", "edited": "edit",
}  # fmt: skip


def history_words(entry: dict[str, Any], clock: Clock) -> str:
    """One history entry as a sentence; an event this module does not know is still written in
    words (`event key value, …`), never as a Python structure."""
    event = entry["event"]
    words = _WORDS.get(event)
    line = words(entry, clock) if words else _generic(entry)
    if entry.get("forced"):
        line += f" (forced; owner {_value(entry.get('owner'))})"
    return line


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "(none)"
    return str(value)


def _phones(value: Any) -> str:
    if not isinstance(value, list):
        return _value(value)
    return ", ".join(display_phone(str(p)) for p in value) or "(none)"


def _created(e: dict[str, Any], clock: Clock) -> str:
    owner = f"for {e['owner']}" if e.get("owner") else "into the pool (公海)"
    source = f", source {e['source']}" if e.get("source") else ""
    note = f"; note: {e['note']}" if e.get("note") else ""  # the capture form's 备注
    return f"added {owner}{source}{note}"


def _graded(e: dict[str, Any], clock: Clock) -> str:
    was = f" (was {e['previous']})" if e.get("previous") and e["previous"] != e["grade"] else ""
    reason = f": {e['reason']}" if e.get("reason") else ""
    return f"graded {e.get('grade')}{was}{reason}"


def _confirmed(e: dict[str, Any], clock: Clock) -> str:
    given = f" (given by {e['graded_by']})" if e.get("graded_by") else ""
    return f"grade {e.get('grade')} confirmed{given}"


def _assigned(e: dict[str, Any], clock: Clock) -> str:
    line = f"assigned {_value(e.get('previous'))} → {_value(e.get('owner'))}"
    if e.get("reason") == "handover":
        return f"{line} (handed over: {_value(e.get('previous'))} left the team)"
    return f"{line} ({e['reason']})" if e.get("reason") else line


def _followed(e: dict[str, Any], clock: Clock) -> str:
    how = str(e.get("channel") or "phone")
    if e.get("kind") and e["kind"] != "contact":
        how += f" ({e['kind']})"
    line = f"followed by {how}, {'answered' if e.get('responded', True) else 'no answer'}"
    if e.get("late"):
        line += ", logged late"
    if e.get("done"):
        line += f"; done: {_value(e.get('done_action'))}"
    return line


def _reopened(e: dict[str, Any], clock: Clock) -> str:
    grade = f", grade {e['grade']} kept in history" if e.get("grade") else ""
    return f"reopened: {_value(e.get('previous'))} → active, to grade anew{grade}"


def _dormant(e: dict[str, Any], clock: Clock) -> str:
    if e.get("swept"):
        return "went dormant (the nightly wake found its unanswered attempts)"
    return f"went dormant after {e.get('unanswered', 'several')} unanswered attempts in a row"


def _upgraded(e: dict[str, Any], clock: Clock) -> str:
    parts = [f"budget {e['budget']}" if e.get("budget") else ""]
    parts.append(f"decision maker {e['decision_maker']}" if e.get("decision_maker") else "")
    said = ", ".join(p for p in parts if p)
    return f"upgraded to an opportunity{': ' + said if said else ''}"


def _won(e: dict[str, Any], clock: Clock) -> str:
    line = f"won on {_value(e.get('closed_on'))}"
    if e.get("amount"):
        try:
            line += f", ¥{Decimal(str(e['amount'])):,}"
        except InvalidOperation:
            line += f", ¥{e['amount']}"
    return line + (f", contract {e['contract']}" if e.get("contract") else "")


def _lost(e: dict[str, Any], clock: Clock) -> str:
    line = f"lost on {_value(e.get('closed_on'))}: {_value(e.get('reason'))}"
    return line + (f", to {e['competitor']}" if e.get("competitor") else "")


def _woken(e: dict[str, Any], clock: Clock) -> str:
    if e.get("status") == "lost":
        return (
            f"woken: lost for {_value(e.get('reason'))}, resting since {_value(e.get('rested_on'))}"
        )
    return f"woken: dormant since {_value(e.get('rested_on'))}"


def _released(e: dict[str, Any], clock: Clock) -> str:
    reason = f": {e['reason']}" if e.get("reason") else ""
    return f"released to the pool (公海) from {_value(e.get('previous'))}{reason}"


def _claimed(e: dict[str, Any], clock: Clock) -> str:
    before = f", last owned by {e['previous']}" if e.get("previous") else ""
    return f"claimed from the pool (公海){before}"


def _recycled(e: dict[str, Any], clock: Clock) -> str:
    days = f" after {e['days']} days without a follow-up" if e.get("days") else ""
    return f"back to the pool (公海){days}, from {_value(e.get('previous'))}"


def _edited(e: dict[str, Any], clock: Clock) -> str:
    changes = []
    for diff in e.get("changes") or []:
        name = str(diff.get("field"))
        show = _phones if name == "phones" else _value
        words = FIELD_WORDS.get(name, name)
        changes.append(f"{words}: {show(diff.get('old'))} → {show(diff.get('new'))}")
    return "edited " + ("; ".join(changes) or "nothing")


def _undone(e: dict[str, Any], clock: Clock) -> str:
    when = ""
    if e.get("change_at"):
        try:
            when = " of " + local_time(datetime.fromisoformat(str(e["change_at"])), clock)
        except ValueError:
            when = f" of {e['change_at']}"
    by = f" by {e['change_by']}" if e.get("change_by") else ""
    undid = CHANGE_NOUNS.get(str(e.get("undid")), _value(e.get("undid")))
    return f"undid the {undid}{when}{by}"


def _generic(e: dict[str, Any]) -> str:
    details = [
        f"{k.replace('_', ' ')} {_value(v)}"
        for k, v in e.items()
        if k not in ("at", "by", "event") and v not in (None, "", [])
    ]
    return str(e["event"]) + (": " + ", ".join(details) if details else "")


_WORDS = {
    "created": _created,
    "graded": _graded,
    "grade_confirmed": _confirmed,
    "assigned": _assigned,
    "followed": _followed,
    "reopened": _reopened,
    "dormant": _dormant,
    "upgraded": _upgraded,
    "won": _won,
    "lost": _lost,
    "woken": _woken,
    "released": _released,
    "claimed": _claimed,
    "recycled": _recycled,
    "edited": _edited,
    "undone": _undone,
}
