"""The work calendar (SPEC §6.1): which days a team works, as an immutable value.

Kinds: `cn` (Chinese statutory holidays and their makeup workdays 调休, weekends off),
`weekdays` (Monday–Friday), `every-day`. The company's own `holidays` (days off) and `workdays`
(working days) apply under every kind and win over it.

Holiday data: `chinese-calendar` (official schedules with makeup workdays; 1.11.0 covers
2004–2026). `holidays` (python-holidays) was compared on 2024–2026: on Monday–Friday both give
exactly the same days off, and its China rules hold the same makeup pairs in their source, but it
exposes no makeup-workday category and its years past the official notices are computed from the
rules, not published. So `cn` uses chinese-calendar only; for a year it has no schedule for, `cn`
counts Monday–Friday plus the config's lists (SPEC §6.1), and `uncovered_years` names that year
unless the config's lists *cover* it: at least one company `holidays` entry (day off) falls in
that year. Every official schedule has weekday days off (Spring Festival alone), so a team that
typed the year's schedule into the config has at least one, while a lone company workday or a
year with no entries at all has not been taken care of.

Cost: the data is imported only when a `cn` calendar is first asked about a day that is not in
the company lists (~2 ms once the CLI's own imports are loaded, ~8 ms cold), then read as two
frozensets; `roll_forward` is memoised per day, so recomputing many due days that fall on a few
distinct days costs a dictionary lookup each.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Literal

from leadctl.domain.halfwidth import half_width
from leadctl.errors import LeadctlError
from leadctl.i18n import _, _n

CalendarKind = Literal["cn", "weekdays", "every-day"]
CALENDAR_KINDS: tuple[CalendarKind, ...] = ("cn", "weekdays", "every-day")
_KIND_NAMES: dict[str, CalendarKind] = {
    "cn": "cn", "china": "cn", "中国": "cn",
    "weekdays": "weekdays", "weekday": "weekdays",
    "every-day": "every-day", "everyday": "every-day", "every_day": "every-day",
}  # fmt: skip
# a stretch of non-working days longer than a year is a broken config, not a calendar
MAX_DAYS_OFF_IN_A_ROW = 366
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class HolidayData:
    """An official schedule: weekday days off, weekend makeup workdays, the years it covers."""

    source: str  # package and version, e.g. "chinese-calendar 1.11.0": part of the fingerprint
    days_off: frozenset[date]
    makeup_workdays: frozenset[date]
    first_year: int
    last_year: int

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@cache
def chinese_holiday_data() -> HolidayData:
    """chinese-calendar's tables, imported on first use (SPEC §6.1 `cn`)."""
    import chinese_calendar

    days_off = frozenset(chinese_calendar.holidays)
    years = [day.year for day in days_off]
    return HolidayData(
        source=f"chinese-calendar {chinese_calendar.__version__}",
        days_off=days_off,
        makeup_workdays=frozenset(chinese_calendar.workdays),
        first_year=min(years),
        last_year=max(years),
    )


def parse_calendar_kind(text: str) -> CalendarKind:
    """Read the `calendar` setting; also accepts `china`, `everyday`."""
    kind = _KIND_NAMES.get(half_width(text).strip().lower())
    if kind is None:
        raise LeadctlError(
            _(
                "Unknown calendar {text!r}: choose cn (Chinese holidays and makeup workdays), "
                "weekdays (Monday to Friday) or every-day."
            ).format(text=text.strip())
        )
    return kind


def parse_day_list(value: object, *, setting: str) -> frozenset[date]:
    """Read a config list of days (`["2024-10-09", ...]`, TOML dates, or "2024-10-09, ...").

    `setting` names the list in errors, e.g. "[calendar] holidays"."""
    if value is None:
        return frozenset()
    items: Iterable[object]
    if isinstance(value, str):
        items = [part for part in re.split(r"[\s,;，；]+", value) if part]
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        raise LeadctlError(
            _('{setting} must be a list of days like ["2024-10-09"], not {value!r}.').format(
                setting=setting, value=value
            )
        )
    days = set()
    for item in items:
        # TOML reads an unquoted 2024-10-09 as a date; a datetime is not a day
        if isinstance(item, date) and not isinstance(item, datetime):
            days.add(item)
            continue
        m = _ISO_DAY.match(item.strip()) if isinstance(item, str) else None
        try:
            if m is None:
                raise ValueError
            days.add(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            raise LeadctlError(
                _(
                    "{setting} has {item!r}, which is not a day: write days as YYYY-MM-DD, "
                    'e.g. "2024-10-09".'
                ).format(setting=setting, item=item)
            ) from None
    return frozenset(days)


def calendar_from_settings(
    kind: str = "cn", holidays: object = None, workdays: object = None
) -> WorkCalendar:
    """Build the calendar from config / environment / option values (strings or lists)."""
    return WorkCalendar(
        parse_calendar_kind(kind),
        parse_day_list(holidays, setting="[calendar] holidays"),
        parse_day_list(workdays, setting="[calendar] workdays"),
    )


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked. Equal calendars are equal values; the memo is not compared."""

    kind: CalendarKind = "cn"
    holidays: frozenset[date] = frozenset()  # company days off, under every kind
    workdays: frozenset[date] = frozenset()  # company working days, under every kind
    # cn's data; None = chinese-calendar, loaded on first use (tests pass their own)
    data: HolidayData | None = field(default=None, repr=False)
    _rolled: dict[date, date] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if self.kind not in CALENDAR_KINDS:
            raise LeadctlError(
                _("Unknown calendar {kind!r}: choose cn, weekdays or every-day.").format(
                    kind=self.kind
                )
            )
        both = sorted(self.holidays & self.workdays)
        if both:
            listed = ", ".join(day.isoformat() for day in both[:3])
            raise LeadctlError(
                _n(
                    "{days} is in both [calendar] holidays and workdays: keep each day in one "
                    "list.",
                    "{days} are in both [calendar] holidays and workdays: keep each day in one "
                    "list.",
                    len(both),
                ).format(days=listed)
            )

    def _data(self) -> HolidayData:
        return self.data if self.data is not None else chinese_holiday_data()

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.kind == "every-day":
            return True
        if self.kind == "cn":
            data = self._data()
            if data.covers(day.year):
                if day in data.makeup_workdays:
                    return True
                if day in data.days_off:
                    return False
        return day.weekday() < 5

    def roll_forward(self, day: date) -> date:
        """The day itself if it is worked, else the next working day."""
        rolled = self._rolled.get(day)
        if rolled is None:
            rolled = self._next_workday(day)
            self._rolled[day] = rolled
        return rolled

    def _next_workday(self, day: date) -> date:
        candidate = day
        try:
            for _step in range(MAX_DAYS_OFF_IN_A_ROW + 1):
                if self.is_workday(candidate):
                    return candidate
                candidate += timedelta(days=1)
        except OverflowError:  # past 9999-12-31
            raise LeadctlError(
                _("The work calendar has no working day on or after {day}.").format(
                    day=day.isoformat()
                )
            ) from None
        raise LeadctlError(
            _(
                "The work calendar has no working day from {first} to {last}: check [calendar] "
                "holidays."
            ).format(first=day.isoformat(), last=candidate - timedelta(days=1))
        )

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        """Years counted Monday–Friday for want of holiday data (cn only), to say so on stderr."""
        if self.kind != "cn":
            return []
        data = self._data()
        listed = {day.year for day in self.holidays}
        return sorted({y for y in years if not data.covers(y) and y not in listed})

    def data_source(self) -> str:
        """The holiday data in use, e.g. "chinese-calendar 1.11.0" ("-" when the kind has none)."""
        return self._data().source if self.kind == "cn" else "-"

    def fingerprint(self) -> str:
        """A short stable string that changes with the kind, the lists or the holiday data.

        `cn|chinese-calendar 1.11.0|3f2a…` — kind, data source, and a digest of both lists;
        stored beside the due days so they are recomputed when any of them changes."""
        lists = "h:{};w:{}".format(
            ",".join(sorted(day.isoformat() for day in self.holidays)),
            ",".join(sorted(day.isoformat() for day in self.workdays)),
        )
        digest = hashlib.sha256(lists.encode()).hexdigest()[:16]
        return f"{self.kind}|{self.data_source()}|{digest}"


def uncovered_years_note(years: list[int], source: str) -> str:
    """The one-line stderr note for years (at least one) counted Monday–Friday (SPEC §6.1)."""
    named = ", ".join(str(y) for y in years)
    return _(
        "Note: {source} has no official holidays for {years}, so those days count Monday to "
        "Friday: list the year's days off and makeup workdays in the config, [calendar] "
        'holidays = ["{year}-01-01", …] and workdays = […], or upgrade chinese-calendar.'
    ).format(source=source, years=named, year=years[0])
