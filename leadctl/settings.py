"""Settings (config file → environment → option) and the one clock.

Read once at the edge (cli.py) and passed down; nothing below reads the environment or the time.
"""

from __future__ import annotations

import getpass
import math
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from leadctl.domain.cadence import CadenceRules, PoolRules
from leadctl.domain.choices import LossReason
from leadctl.domain.lifecycle import WakeRules
from leadctl.domain.sources import SourceList, source_list
from leadctl.domain.workcal import WorkCalendar, calendar_from_settings, parse_calendar_kind
from leadctl.environment import config_path
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _

APP_NAME = "leadctl"
_R = TypeVar("_R")
# refusals of a config file section or value, shared by every section
NOT_A_TABLE = N_("[{section}] in the config file must be a table.")
UNKNOWN_SETTING = N_("Unknown setting {key!r} in [{section}] of the config file; known: {known}.")
NOT_A_COUNT = N_("{key} in the config file must be a whole number ≥ 0.")
# days and counts of the rules: a larger one would carry dates past the calendar (year 9999)
MAX_COUNT = 36_500
TOO_LARGE = N_("{key} in the config file is at most {limit}, not {value}.")


@dataclass(frozen=True)
class Clock:
    """`now` as an aware instant and the user's zone; `today` is the local calendar day."""

    now: datetime
    tz: tzinfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


@dataclass(frozen=True)
class Settings:
    db: str | None
    user: str
    clock: Clock
    number_prefix: str = "L"
    phone_region: str = "CN"
    lock_timeout: float = 30.0
    late_log_minutes: int = 60
    cadence: CadenceRules = field(default_factory=CadenceRules)
    wake: WakeRules = field(default_factory=WakeRules)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    pool: PoolRules = field(default_factory=PoolRules)
    # the team's sources (config `[sources]`); empty: any source is accepted
    sources: SourceList = field(default_factory=SourceList)
    config_path: Path | None = None
    # which setting named the database (`--db`, `LEADCTL_DB`, `db in …/leadctl.toml`); None: the
    # default database in the user data folder
    db_from: str | None = None
    # the team-wide settings (TEAM_KEYS) this user set in config, environment or option
    own: dict[str, str] = field(default_factory=dict)

    @property
    def schedule_basis(self) -> str:
        """What the stored due days were computed with: the calendar (kind, lists, holiday
        data) and every cadence interval. When it changes, due days are recomputed."""
        counted: list[tuple[object, str]] = [(self.cadence, f.name) for f in fields(self.cadence)]
        counted += [(self.pool, "recycle_days"), (self.pool, "notify_days")]  # the recycle item
        rules = ",".join(f"{name}={getattr(group, name)}" for group, name in counted)
        return f"{self.calendar.fingerprint()}|{rules}"


# the variables leadctl (and getpass, for the default user) reads, besides LEADCTL_*
def default_db_path(env: dict[str, str]) -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)) / "leads.db"


def _load_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LeadctlError(
            _("Cannot read the config file {path}: {reason}.").format(path=path, reason=exc)
        ) from None


def load_zone(name: str | None) -> tzinfo:
    """LEADCTL_TZ (or --tz), else the system's zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
            raise LeadctlError(
                _("Unknown time zone {name!r}: use an IANA name like Asia/Shanghai.").format(
                    name=name
                )
            ) from None
    tz_env = os.environ.get("TZ", "").lstrip(":")
    if tz_env:
        try:
            return ZoneInfo(tz_env)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    return datetime.now(UTC).astimezone().tzinfo or UTC


def _rules(cls: type[_R], table: Any, section: str) -> _R:
    if table is None:
        return cls()
    if not isinstance(table, dict):
        raise LeadctlError(_(NOT_A_TABLE).format(section=section))
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(table) - known
    if unknown:
        raise LeadctlError(
            _(UNKNOWN_SETTING).format(
                key=sorted(unknown)[0], section=section, known=", ".join(sorted(known))
            )
        )
    values = dict(table)
    defaults = cls()
    for key, value in values.items():
        if isinstance(getattr(defaults, key), tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise LeadctlError(
                    _("{key} in the config file must be a list of names.").format(
                        key=f"{section}.{key}"
                    )
                )
            values[key] = tuple(value)
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise LeadctlError(_(NOT_A_COUNT).format(key=f"{section}.{key}"))
        elif value > MAX_COUNT:
            raise LeadctlError(
                _(TOO_LARGE).format(key=f"{section}.{key}", limit=MAX_COUNT, value=value)
            )
    return cls(**values)


def _calendar(table: Any, kind: str | None) -> WorkCalendar:
    """`[calendar]` of the config file (kind, holidays, workdays); LEADCTL_CALENDAR or
    --calendar choose the kind."""
    if table is None:
        table = {}
    if not isinstance(table, dict):
        raise LeadctlError(_(NOT_A_TABLE).format(section="calendar"))
    unknown = set(table) - {"kind", "holidays", "workdays"}
    if unknown:
        raise LeadctlError(
            _(UNKNOWN_SETTING).format(
                key=sorted(unknown)[0], section="calendar", known="holidays, kind, workdays"
            )
        )
    configured = table.get("kind", "cn")
    if not isinstance(configured, str):
        raise LeadctlError(
            _("calendar.kind in the config file must be text: cn, weekdays or every-day.")
        )
    if kind is not None:
        parse_calendar_kind(configured)  # a bad config value is refused even when overridden
    return calendar_from_settings(kind or configured, table.get("holidays"), table.get("workdays"))


def _config(config: dict[str, Any], key: str, kind: type[_R], default: _R) -> _R:
    """A top-level setting of the config file, refused with its name when of the wrong type."""
    value = config.get(key, default)
    if isinstance(value, kind) and not isinstance(value, bool):
        return value
    if kind is str:
        raise LeadctlError(_("{key} in the config file must be text.").format(key=key))
    raise LeadctlError(_("{key} in the config file must be a whole number.").format(key=key))


def load_settings(
    env: dict[str, str] | None = None,
    *,
    db: str | None = None,
    user: str | None = None,
    tz: str | None = None,
    calendar: str | None = None,
) -> Settings:
    """Each layer overrides the one before: config file, environment, command-line option."""
    env = dict(os.environ) if env is None else env
    path = config_path(env)
    config = _load_config(path)
    # every config value is checked, even one the environment or an option overrides
    config_db = _config(config, "db", str, "")
    config_user = _config(config, "user", str, "")
    config_zone = _config(config, "tz", str, "")
    if config_zone:
        load_zone(config_zone)
    config_lang = _config(config, "lang", str, "")
    if config_lang:  # the language was chosen before parsing (i18n.choose); a bad one is refused
        from leadctl.i18n import BadLanguage, parse_lang

        try:
            parse_lang(config_lang, "lang in the config file")
        except BadLanguage as exc:
            raise LeadctlError(str(exc)) from None
    zone = load_zone(tz or env.get("LEADCTL_TZ") or config_zone)
    now_text = env.get("LEADCTL_NOW")
    if now_text:
        from leadctl.domain.dates import parse_now

        now = parse_now(now_text, zone)
    else:
        now = datetime.now(UTC)
    who = user or env.get("LEADCTL_USER") or config_user
    if not who:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "me"
    who = str(who).strip()
    if not who:
        raise LeadctlError(_("The user name is empty: set --user or LEADCTL_USER."))
    lock_timeout = env.get("LEADCTL_LOCK_TIMEOUT") or config.get("lock_timeout", 30)
    try:  # true is no number of seconds, though float(True) is 1.0
        lock_seconds = math.nan if isinstance(lock_timeout, bool) else float(lock_timeout)
    except (TypeError, ValueError):
        lock_seconds = math.nan
    # 0 would be PostgreSQL's "wait forever" and SQLite's "never wait": refused, as negatives
    if not 0 < lock_seconds < 86_400:  # also refuses nan and inf
        raise LeadctlError(
            _(
                "lock_timeout must be a positive number of seconds below 86400 (e.g. 30), "
                "not {value!r}."
            ).format(value=lock_timeout)
        )
    late_log_minutes = _config(config, "late_log_minutes", int, 60)
    if late_log_minutes < 0:
        raise LeadctlError(_(NOT_A_COUNT).format(key="late_log_minutes"))
    if late_log_minutes > MAX_COUNT:
        raise LeadctlError(
            _(TOO_LARGE).format(key="late_log_minutes", limit=MAX_COUNT, value=late_log_minutes)
        )
    cadence = _rules(CadenceRules, config.get("cadence"), "cadence")
    wake = _rules(WakeRules, config.get("wake"), "wake")
    pool = _rules(PoolRules, config.get("pool"), "pool")
    work_calendar = _calendar(config.get("calendar"), calendar or env.get("LEADCTL_CALENDAR"))
    own = _own_team_values(config, calendar or env.get("LEADCTL_CALENDAR"))
    for reason in wake.lost_reasons:
        if reason not in {r.value for r in LossReason}:
            raise LeadctlError(
                _("wake.lost_reasons in the config file: unknown reason {reason!r}.").format(
                    reason=reason
                )
            )
    named_by = [
        (db, "--db"),
        (env.get("LEADCTL_DB"), "LEADCTL_DB"),
        # TRANSLATORS: the setting that named the database: "(set by db in /home/…/leadctl.toml)"
        (config_db, _("db in {path}").format(path=path)),
    ]
    chosen, db_from = next(((value, by) for value, by in named_by if value), (None, None))
    return Settings(
        db=chosen,
        db_from=db_from,
        user=who,
        clock=Clock(now=now, tz=zone),
        number_prefix=_config(config, "number_prefix", str, "L"),
        phone_region=_config(config, "phone_region", str, "CN").upper(),
        lock_timeout=lock_seconds,
        late_log_minutes=late_log_minutes,
        cadence=cadence,
        wake=wake,
        calendar=work_calendar,
        pool=pool,
        # TRANSLATORS: where the team's sources are: "[sources] in the config file /home/…/x.toml"
        sources=source_list(config.get("sources"), _("the config file {path}").format(path=path)),
        config_path=path,
        own=own,
    )


# ---------------------------------------------------------------- the team's settings (§6.1)

TEAM_SECTIONS: dict[str, Any] = {"cadence": CadenceRules, "wake": WakeRules, "pool": PoolRules}


def team_keys() -> list[str]:
    """Every setting a team decides once a roster exists (`team set KEY VALUE`)."""
    keys = ["calendar.kind", "calendar.holidays", "calendar.workdays"]
    for section, cls in TEAM_SECTIONS.items():
        keys += [f"{section}.{f.name}" for f in fields(cls)]
    return keys


def _text(value: Any) -> str:
    """A setting's value as `team settings` shows it and the database keeps it."""
    if isinstance(value, (list, tuple, frozenset, set)):
        return (
            ",".join(sorted(str(v) for v in value))
            if not isinstance(value, tuple)
            else (",".join(str(v) for v in value))
        )
    return str(value)


def _own_team_values(config: dict[str, Any], kind: str | None) -> dict[str, str]:
    own: dict[str, str] = {}
    found = config.get("calendar")
    table: dict[str, Any] = found if isinstance(found, dict) else {}
    for key in ("kind", "holidays", "workdays"):
        if key in table:
            own[f"calendar.{key}"] = _text(table[key])
    if kind:
        own["calendar.kind"] = kind
    for section in TEAM_SECTIONS:
        values = config.get(section)
        if isinstance(values, dict):
            own.update({f"{section}.{k}": _text(v) for k, v in values.items()})
    return own


def effective_team_values(settings: Settings) -> dict[str, str]:
    """The current value of every team key, as text."""
    values = {
        "calendar.kind": settings.calendar.kind,
        "calendar.holidays": _text([d.isoformat() for d in settings.calendar.holidays]),
        "calendar.workdays": _text([d.isoformat() for d in settings.calendar.workdays]),
    }
    for section in TEAM_SECTIONS:
        rules = getattr(settings, section)
        for f in fields(rules):
            values[f"{section}.{f.name}"] = _text(getattr(rules, f.name))
    return values


def with_team_values(settings: Settings, stored: dict[str, str]) -> Settings:
    """The settings with the team's stored values in force (defaults for the rest): a member's
    own values for these keys are ignored."""
    unknown = set(stored) - set(team_keys())
    if unknown:
        raise LeadctlError(
            _("Unknown team setting {key!r}; known: {keys}.").format(
                key=sorted(unknown)[0], keys=", ".join(team_keys())
            )
        )
    calendar = calendar_from_settings(
        stored.get("calendar.kind", "cn"),
        stored.get("calendar.holidays"),
        stored.get("calendar.workdays"),
    )
    sections: dict[str, Any] = {}
    for section, cls in TEAM_SECTIONS.items():
        table: dict[str, Any] = {}
        defaults = cls()
        for key, value in stored.items():
            group, _dot, name = key.partition(".")
            if group != section:
                continue
            if isinstance(getattr(defaults, name), tuple):
                table[name] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                try:
                    table[name] = int(value)
                except ValueError:
                    raise LeadctlError(
                        _("{key} must be a whole number ≥ 0, not {value!r}.").format(
                            key=key, value=value
                        )
                    ) from None
        sections[section] = _rules(cls, table, section)
    for reason in sections["wake"].lost_reasons:
        if reason not in {r.value for r in LossReason}:
            raise LeadctlError(
                _("wake.lost_reasons: unknown reason {reason!r}.").format(reason=reason)
            )
    return replace(settings, calendar=calendar, **sections)


def ignored_own_values(settings: Settings, team: Settings) -> list[str]:
    """The keys this user set to something other than the team's value (to say so)."""
    values = effective_team_values(team)
    mine = effective_team_values(settings)
    return [key for key in settings.own if mine.get(key) != values.get(key)]
