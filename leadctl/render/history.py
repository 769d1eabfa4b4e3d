"""A lead's history in words, as `show` prints it: `edited contact: 刘经理 → 刘建华经理`,
`followed by phone, answered`. JSON keeps each entry's details as they are (SPEC §4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from leadctl.domain.choices import Channel, CustomerType, Kind, LossReason, Status, shown
from leadctl.domain.phones import display_phone
from leadctl.i18n import N_, _, _p
from leadctl.render.common import joined, local_time

if TYPE_CHECKING:
    from leadctl.settings import Clock

# how `undone` names the change it took back (the change's first event)
CHANGE_NOUNS = {
    "followed": N_("follow-up"), "graded": N_("grading"),
    "grade_confirmed": N_("grade confirmation"), "assigned": N_("assignment"),
    "upgraded": N_("upgrade"), "won": N_("close (won)"), "lost": N_("close (lost)"),
    "claimed": N_("claim"), "released": N_("release"), "edited": N_("edit"),
}  # fmt: skip


def field_words() -> dict[str, str]:
    """How `edited` names a field (its JSON name otherwise)."""
    return {
        "customer": _p("field", "customer"),
        "customer_type": _p("field", "type"),
        "contact": _p("field", "contact"),
        "phones": _p("field", "phones"),
        "email": _p("field", "email"),
        "wechat": _p("field", "WeChat"),
        "source": _p("field", "source"),
        "need": _p("field", "need"),
        "acquired_on": _p("field", "acquired"),
    }


def history_words(entry: dict[str, Any], clock: Clock) -> str:
    """One history entry as a sentence; an event this module does not know is still written in
    words (`event key value, …`), never as a Python structure. The entry is stored in English
    values (channels, reasons): they are shown in the interface's language here."""
    event = entry["event"]
    words = _WORDS.get(event)
    line = words(entry, clock) if words else _generic(entry)
    if entry.get("forced"):
        # TRANSLATORS: a supervisor acted on another rep's lead (--force)
        line = _("{line} (forced; owner {owner})").format(
            line=line, owner=_value(entry.get("owner"))
        )
    return line


def _value(value: Any) -> str:
    if value is None or value == "":
        return _("(none)")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or _("(none)")
    return str(value)


def _choice(enum: Any, value: Any) -> str:
    """A closed choice stored in an entry, as people read it; "(none)" when missing."""
    return _value(value) if value is None or value == "" else shown(enum, str(value))


def _phones(value: Any) -> str:
    if not isinstance(value, list):
        return _value(value)
    return ", ".join(display_phone(str(p)) for p in value) or _("(none)")


def _created(e: dict[str, Any], clock: Clock) -> str:
    if e.get("owner"):
        line = _("added for {owner}").format(owner=e["owner"])
    else:
        line = _("added into the pool (公海)")
    if e.get("source"):
        line = _("{line}, source {source}").format(line=line, source=e["source"])
    if e.get("note"):  # the capture form's 备注
        line = _("{line}; note: {note}").format(line=line, note=e["note"])
    return line


def _graded(e: dict[str, Any], clock: Clock) -> str:
    line = _("graded {grade}").format(grade=e.get("grade"))
    if e.get("previous") and e["previous"] != e["grade"]:
        line = _("{line} (was {previous})").format(line=line, previous=e["previous"])
    if e.get("reason"):
        line = _("{line}: {reason}").format(line=line, reason=e["reason"])
    return line


def _confirmed(e: dict[str, Any], clock: Clock) -> str:
    line = _("grade {grade} confirmed").format(grade=e.get("grade"))
    if e.get("graded_by"):
        line = _("{line} (given by {name})").format(line=line, name=e["graded_by"])
    return line


def _assigned(e: dict[str, Any], clock: Clock) -> str:
    previous = _value(e.get("previous"))
    line = _("assigned {previous} → {owner}").format(
        previous=previous, owner=_value(e.get("owner"))
    )
    if e.get("reason") == "handover":
        return _("{line} (handed over: {previous} left the team)").format(
            line=line, previous=previous
        )
    return _("{line} ({reason})").format(line=line, reason=e["reason"]) if e.get("reason") else line


def _followed(e: dict[str, Any], clock: Clock) -> str:
    how = shown(Channel, str(e.get("channel") or "phone"))
    if e.get("kind") and e["kind"] != "contact":
        how = _("{channel} ({kind})").format(channel=how, kind=shown(Kind, str(e["kind"])))
    if e.get("responded", True):
        line = _("followed by {how}, answered").format(how=how)
    else:
        line = _("followed by {how}, no answer").format(how=how)
    if e.get("late"):
        line = _("{line}, logged late").format(line=line)
    if e.get("done"):
        line = _("{line}; done: {action}").format(line=line, action=_value(e.get("done_action")))
    return line


def _reopened(e: dict[str, Any], clock: Clock) -> str:
    line = _("reopened: {previous} → active, to grade anew").format(
        previous=_choice(Status, e.get("previous"))
    )
    if e.get("grade"):
        line = _("{line}, grade {grade} kept in history").format(line=line, grade=e["grade"])
    return line


def _dormant(e: dict[str, Any], clock: Clock) -> str:
    if e.get("swept"):
        return _("went dormant (the nightly wake found its unanswered attempts)")
    if "unanswered" not in e:
        return _("went dormant after several unanswered attempts in a row")
    return _("went dormant after {count} unanswered attempts in a row").format(
        count=e["unanswered"]
    )


def _upgraded(e: dict[str, Any], clock: Clock) -> str:
    budget, maker = e.get("budget"), e.get("decision_maker")
    if budget and maker:
        words = _("upgraded to an opportunity: budget {budget}, decision maker {name}")
    elif budget:
        words = _("upgraded to an opportunity: budget {budget}")
    elif maker:
        words = _("upgraded to an opportunity: decision maker {name}")
    else:
        words = _("upgraded to an opportunity")
    return words.format(budget=budget, name=maker)


def _won(e: dict[str, Any], clock: Clock) -> str:
    line = _("won on {day}").format(day=_value(e.get("closed_on")))
    if e.get("amount"):
        try:
            amount = f"{Decimal(str(e['amount'])):,}"
        except InvalidOperation:
            amount = f"{e['amount']}"
        line = _("{line}, ¥{amount}").format(line=line, amount=amount)
    if e.get("contract"):
        line = _("{line}, contract {contract}").format(line=line, contract=e["contract"])
    return line


def _lost(e: dict[str, Any], clock: Clock) -> str:
    line = _("lost on {day}: {reason}").format(
        day=_value(e.get("closed_on")), reason=_choice(LossReason, e.get("reason"))
    )
    if e.get("competitor"):
        line = _("{line}, to {competitor}").format(line=line, competitor=e["competitor"])
    return line


def _woken(e: dict[str, Any], clock: Clock) -> str:
    since = _value(e.get("rested_on"))
    if e.get("status") == "lost":
        return _("woken: lost for {reason}, resting since {day}").format(
            reason=_choice(LossReason, e.get("reason")), day=since
        )
    return _("woken: dormant since {day}").format(day=since)


def _released(e: dict[str, Any], clock: Clock) -> str:
    line = _("released to the pool (公海) from {previous}").format(
        previous=_value(e.get("previous"))
    )
    if e.get("reason"):
        line = _("{line}: {reason}").format(line=line, reason=e["reason"])
    return line


def _claimed(e: dict[str, Any], clock: Clock) -> str:
    line = _("claimed from the pool (公海)")
    if e.get("previous"):
        line = _("{line}, last owned by {previous}").format(line=line, previous=e["previous"])
    return line


def _recycled(e: dict[str, Any], clock: Clock) -> str:
    previous = _value(e.get("previous"))
    if e.get("days"):
        return _(
            "back to the pool (公海) after {days} days without a follow-up, from {previous}"
        ).format(days=e["days"], previous=previous)
    return _("back to the pool (公海), from {previous}").format(previous=previous)


def _edited(e: dict[str, Any], clock: Clock) -> str:
    names = field_words()
    changes = []
    for diff in e.get("changes") or []:
        name = str(diff.get("field"))
        if name == "phones":
            old, new = _phones(diff.get("old")), _phones(diff.get("new"))
        elif name == "customer_type":
            old, new = (
                _choice(CustomerType, diff.get("old")),
                _choice(CustomerType, diff.get("new")),
            )
        else:
            old, new = _value(diff.get("old")), _value(diff.get("new"))
        changes.append(
            _("{field}: {old} → {new}").format(field=names.get(name, name), old=old, new=new)
        )
    if not changes:
        return _("edited nothing")
    return _("edited {changes}").format(changes=joined(changes))


def _undone(e: dict[str, Any], clock: Clock) -> str:
    when = ""
    if e.get("change_at"):
        try:
            when = local_time(datetime.fromisoformat(str(e["change_at"])), clock)
        except ValueError:
            when = f"{e['change_at']}"
    by = e.get("change_by")
    undid = str(e.get("undid"))
    change = _(CHANGE_NOUNS[undid]) if undid in CHANGE_NOUNS else _value(e.get("undid"))
    if when and by:
        words = _("undid the {change} of {when} by {by}")
    elif when:
        words = _("undid the {change} of {when}")
    elif by:
        words = _("undid the {change} by {by}")
    else:
        words = _("undid the {change}")
    return words.format(change=change, when=when, by=by)


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
