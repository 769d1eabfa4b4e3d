"""The team (SPEC §6.2): the roster, its roles, and the settings a team shares.

`team add/role/remove/list` keep the roster; `team set/settings` keep the calendar, cadence
and wake settings that, once a roster exists, are the team's rather than each member's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadctl.domain.halfwidth import half_width
from leadctl.domain.leads import clean_text
from leadctl.domain.lifecycle import encode_details
from leadctl.domain.team import Role, parse_role, require_supervisor
from leadctl.errors import LeadctlError, RuleError
from leadctl.i18n import N_, _, _n
from leadctl.services.common import Ctx, Team, team_of
from leadctl.settings import (
    Settings,
    effective_team_values,
    ignored_own_values,
    team_keys,
    with_team_values,
)
from leadctl.store import queries
from leadctl.store import team as team_store
from leadctl.store.engine import LOCK_LEADS, Store
from leadctl.store.tables import Member as MemberRow

TEAM_PREFIX = "team."
# what a supervisor does, as the refusals name it ("Only a supervisor can …")
ROSTER = N_("change the team's roster")
SETTINGS = N_("change the team's settings")
ROLES = {"rep": N_("rep"), "supervisor": N_("supervisor")}  # a member's role, as said


def _member_document(session: Any, name: str) -> dict[str, Any]:
    row = team_store.member_row(session, name)
    assert row is not None
    return {
        "name": row.name,
        "role": row.role,
        "active": bool(row.active),
        "open_leads": team_store.open_leads(session).get(row.name, 0),
    }


def _roster_change(ctx: Ctx, session: Any, what: str) -> Team:
    """Only a supervisor changes the roster (anyone adds the first member)."""
    team = team_of(ctx, session, what)
    require_supervisor(team.actor, what)
    return team


def _name(text: str) -> str:
    name = clean_text(text, N_("member's name"), required=True)
    assert name is not None
    if len(name) > 64:
        raise LeadctlError(_("A member's name is longer than 64 characters."))
    return name


def add_member(ctx: Ctx, name: str, role: str | None) -> dict[str, Any]:
    who = _name(name)
    the_role = parse_role(role) if role else Role.REP
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        members = team_store.roster(session)
        if not members:
            if the_role is not Role.SUPERVISOR:
                raise RuleError(
                    _(
                        "The first member of the team must be a supervisor: "
                        "`leadctl team add {name} --role supervisor`."
                    ).format(name=who)
                )
        else:
            _roster_change(ctx, session, ROSTER)
        row = team_store.member_row(session, who)
        if row is not None and row.active:
            raise RuleError(
                _("{name} is already on the team as {role}.").format(
                    name=who, role=_(ROLES[row.role]) if row.role in ROLES else row.role
                )
            )
        if row is None:
            session.add(
                MemberRow(
                    name=who, role=the_role.value, active=True, added_at=ctx.now, added_by=ctx.user
                )
            )
        else:  # a removed member comes back
            row.active, row.role = True, the_role.value
        session.flush()
        return _member_document(session, who)


def set_role(ctx: Ctx, name: str, role: str) -> dict[str, Any]:
    who, the_role = _name(name), parse_role(role)
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        team = _roster_change(ctx, session, ROSTER)
        row = _active_member(session, team, who)
        if the_role is Role.REP and row.role == Role.SUPERVISOR:
            _keep_a_supervisor(team, who)
        row.role = the_role.value
        session.flush()
        return _member_document(session, who)


def _active_member(session: Any, team: Team, name: str) -> MemberRow:
    """The roster row of an active member; anyone else is refused (with a did-you-mean)."""
    row = team_store.member_row(session, name)
    if row is None or not row.active:
        team.owner(name, what=N_("member"))
        raise RuleError(_("{name} is not an active member of the team.").format(name=name))
    return row


def _keep_a_supervisor(team: Team, leaving: str) -> None:
    others = [
        m for m in team.roster if m.active and m.role is Role.SUPERVISOR and m.name != leaving
    ]
    if not others:
        raise RuleError(
            _(
                "{name} is the team's last supervisor; make another member supervisor first "
                "(`leadctl team role NAME supervisor`)."
            ).format(name=leaving)
        )


def remove_member(ctx: Ctx, name: str, to: str | None) -> dict[str, Any]:
    """Remove a member; every lead they hold that is not closed (and woken lost leads) goes to
    `to` in the same transaction, each recorded as `assigned` with the reason `handover`."""
    who = _name(name)
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        team = _roster_change(ctx, session, ROSTER)
        row = _active_member(session, team, who)
        if row.role == Role.SUPERVISOR:
            _keep_a_supervisor(team, who)
        leads = team_store.count_to_hand_over(session, who)
        if leads and to is None:
            raise RuleError(
                _n(
                    "{name} holds {count} lead that are not closed; "
                    "say who takes them over: `leadctl team remove {name} --to NAME`.",
                    "{name} holds {count} leads that are not closed; "
                    "say who takes them over: `leadctl team remove {name} --to NAME`.",
                    leads,
                ).format(name=who, count=leads)
            )
        if to is not None:
            heir = team.owner(_name(to), what=N_("new owner"))
            if heir == who:
                raise RuleError(
                    _("{name} cannot hand their leads over to themselves.").format(name=who)
                )
            details = encode_details({"previous": who, "owner": heir, "reason": "handover"})
            team_store.hand_over(
                session, who, heir, at=ctx.now, today=ctx.today, by=ctx.user, details=details
            )
        row.active = False
        session.flush()
        return _member_document(session, who)


def list_members(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.store.read() as session:
        counts = team_store.open_leads(session)
        return [
            {"name": m.name, "role": m.role.value, "active": m.active,
             "open_leads": counts.get(m.name, 0)}
            for m in team_store.roster(session)
        ]  # fmt: skip


# ---------------------------------------------------------------- the team's settings


def set_team_setting(ctx: Ctx, key: str, value: str) -> dict[str, Any]:
    name = half_width(key).strip().lower()
    if name not in team_keys():
        raise LeadctlError(
            _("Unknown team setting {key!r}; known: {keys}.").format(
                key=key, keys=", ".join(team_keys())
            )
        )
    text = half_width(value).strip()  # every team setting is a number, a word or days
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        if not queries.has_members(session):
            raise RuleError(
                _(
                    "Team settings need a team: add its first member with "
                    "`leadctl team add NAME --role supervisor`, or set it in your config file."
                )
            )
        require_supervisor(team_of(ctx, session, SETTINGS).actor, SETTINGS)
        stored = queries.settings_under(session, TEAM_PREFIX)
        stored[name] = text
        checked = with_team_values(ctx.settings, stored)  # refuses a bad value
        queries.put_setting(session, TEAM_PREFIX + name, text)
    return {"key": name, "value": effective_team_values(checked)[name]}


def team_settings(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.store.read() as session:
        stored = queries.settings_under(session, TEAM_PREFIX)
        team = queries.has_members(session)
    values = effective_team_values(with_team_values(ctx.settings, stored) if team else ctx.settings)
    return [{"key": key, "value": values[key], "team": key in stored} for key in team_keys()]


def settings_in_force(
    store: Store, settings: Settings, note: Callable[[str], None] | None
) -> Settings:
    """With a roster, the team's calendar, cadence and wake settings replace the member's own
    (said once on stderr when the member's differ)."""
    with store.read() as session:
        if not queries.has_members(session):
            return settings
        stored = queries.settings_under(session, TEAM_PREFIX)
    team = with_team_values(settings, stored)
    ignored = ignored_own_values(settings, team)
    if ignored and note is not None:
        note(
            _n(
                "Note: the team's settings are in force: your own value of {keys} is ignored "
                "(see `leadctl team settings`).",
                "Note: the team's settings are in force: your own values of {keys} are ignored "
                "(see `leadctl team settings`).",
                len(ignored),
            ).format(keys=", ".join(ignored))
        )
    return team
