"""The roster and its roles (SPEC §6.2 团队与角色): who may write, own, and act on a lead.

While the roster is empty leadctl is single-user: the actor has every right. Once it has
members, the actor is the current user's membership: a rep acts on their own leads, a
supervisor on any (following, upgrading or closing another rep's lead with --force, recorded),
and only a supervisor changes the roster, confirms grades and moves leads they do not own.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from leadctl.domain.halfwidth import half_width
from leadctl.domain.said import joined, said, word
from leadctl.errors import LeadctlError, RuleError
from leadctl.i18n import N_, _, _p


class Role(StrEnum):
    REP = "rep"
    SUPERVISOR = "supervisor"


ROLE_NAMES = {
    "rep": Role.REP,
    "销售": Role.REP,
    "supervisor": Role.SUPERVISOR,
    "主管": Role.SUPERVISOR,
}


def parse_role(text: str) -> Role:
    role = ROLE_NAMES.get(half_width(text).strip().lower())
    if role is None:
        raise LeadctlError(
            _("Unknown role {text!r}: use rep or supervisor (销售 / 主管).").format(text=text)
        )
    return role


@dataclass(frozen=True)
class Member:
    name: str
    role: Role
    active: bool = True


@dataclass(frozen=True)
class Actor:
    """Who runs this command: a member, or anyone while the roster is empty (role None)."""

    name: str
    role: Role | None = None

    @property
    def single_user(self) -> bool:
        return self.role is None

    @property
    def supervisor(self) -> bool:
        """A supervisor, or anyone in single-user mode (who has every right)."""
        return self.role is not Role.REP


def actor(user: str, roster: Sequence[Member], command: str) -> Actor:
    """The current user as the roster knows them; a write needs an active member. `command`
    says what the user is doing in words ("grade leads"), marked with N_ by the caller."""
    if not roster:
        return Actor(user)
    member = next((m for m in roster if m.name == user), None)
    if member is None:
        raise RuleError(
            _(
                "{user} is not on the team's roster, so cannot {command}; a supervisor adds them "
                "with `leadctl team add {user}`."
            ).format(user=user, command=_(command))
        )
    if not member.active:
        raise RuleError(
            _(
                "{user} was removed from the team and can no longer {command}; a supervisor can "
                "add them back with `leadctl team add {user}`."
            ).format(user=user, command=_(command))
        )
    return Actor(member.name, member.role)


def require_supervisor(who: Actor, what: str) -> None:
    """`what`: what only a supervisor does, in words ("add members"), marked with N_."""
    if not who.supervisor:
        raise RuleError(
            _("Only a supervisor can {what}; {name} is a rep.").format(what=_(what), name=who.name)
        )


def check_owner(name: str, roster: Sequence[Member], *, what: str = N_("owner")) -> str:
    """An owner must be an active member (with a roster); an unknown name is refused naming the
    closest members. `what` names the role in words, marked with N_ by the caller; the refusal
    is a `Said` (import lists it in JSON too)."""
    if not roster:
        return name
    member = next((m for m in roster if m.name == name), None)
    if member is not None and member.active:
        return name
    if member is not None:
        raise RuleError(
            said(
                N_("{name} was removed from the team; choose an active member as {what}."),
                name=name,
                what=word(what),
            )
        )
    active = [m.name for m in roster if m.active]
    near = closest(name, active)
    if not near:
        raise RuleError(
            said(
                N_(
                    "{name} is not on the team's roster, so cannot be the {what}. "
                    "(`leadctl team list` shows the team.)"
                ),
                name=name,
                what=word(what),
            )
        )
    raise RuleError(
        said(
            N_(
                "{name} is not on the team's roster, so cannot be the {what}. Did you mean "
                "{names}? (`leadctl team list` shows the team.)"
            ),
            name=name,
            what=word(what),
            names=joined(_p("alternatives", " or "), " or ", near),
        )
    )


# ---------------------------------------------------------------- did you mean


def _fold(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _readings(name: str) -> set[str]:
    """Every pinyin reading of a name, without tones (`曾` reads zeng and ceng), read one
    character at a time as find reads them (domain.search.readings)."""
    from itertools import product

    from leadctl.domain.search import readings

    syllables = [readings(ch) or (ch,) for ch in name]
    if len(syllables) > 8:  # a long name: the first reading is enough
        return {"".join(s[0] for s in syllables)}
    return {"".join(parts) for parts in product(*syllables)}


def closest(name: str, names: Iterable[str]) -> list[str]:
    """Members one character edit away or with the same pinyin (`李墙` → 李强), else the three
    most similar."""
    candidates = sorted(set(names))
    if not candidates:
        return []
    folded = _fold(name)
    near = [c for c in candidates if _one_edit_apart(folded, _fold(c))]
    if not any(ord(ch) > 0x2E80 for ch in name + "".join(candidates)):
        readings_match: list[str] = []
    else:
        mine = _readings(folded)
        readings_match = [c for c in candidates if mine & _readings(_fold(c))]
    found = [c for c in candidates if c in near or c in readings_match]
    if found:
        return found
    ranked = sorted(
        candidates,
        key=lambda c: (-difflib.SequenceMatcher(None, folded, _fold(c)).ratio(), c),
    )
    return ranked[:3]
