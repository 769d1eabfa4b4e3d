"""Human dates, parsed in one place (SPEC §3, §6.1).

DATE: 2024-10-05, 2024/10/05, 2024年10月5日, today, tomorrow, yesterday, +3d / -2d / +2w,
weekday names (`fri`, `friday`: the next one after today), 今天 明天 后天 昨天 前天, 3天后 / 3天前
(also 周), 周五 / 星期五 (the next one after today), 上周X / 这周X / 本周X / 下周X (that day of
last / this / next week; weeks run Monday–Sunday), 月底 (the last day of this month).
Without a year (10月5日, 10/5 = month/day, Oct 5): the current year, or with `direction` the
nearest occurrence allowed: "past" the latest on or before today, "future" the first on or
after today (SPEC §6.1; 2月29日 may then be up to 8 years away).
DATETIME: a DATE, optionally followed by a time (`14:30`, `3点`, `3点半`, `下午3点`, `上午10点半`,
`晚上8点`, `中午12点`), with or without a space between (`昨天下午3点`); `2024-10-02 14:30`;
ISO 8601 with an offset; `now`; a time alone means today.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from leadctl.domain.halfwidth import half_width
from leadctl.domain.said import Said, said, word
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
RELATIVE_WORDS = {
    "today": 0, "tomorrow": 1, "yesterday": -1,
    "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "昨天": -1, "昨日": -1, "前天": -2,
}  # fmt: skip

_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CN_DAY = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})$")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*([dw天周])$", re.IGNORECASE)
_CN_OFFSET = re.compile(r"^(\d{1,4})\s*([天周])\s*(?:(后|之后|以后)|(前|之前|以前))$")
_CN_WEEKDAY = re.compile(r"^(?:(上|这|本|下)个?)?(?:周|星期|礼拜)([一二三四五六日天])$")
_CN_WEEK_OFFSET = {"上": -7, "这": 0, "本": 0, "下": 7}
_END_OF_MONTH = ("月底", "本月底", "这个月底")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
_CN_TIME = re.compile(r"^(\d{1,2})\s*[点時时](?:\s*(\d{1,2})\s*分?|半)?$")
_DAY_PART = re.compile(r"^(上午|早上|早晨|中午|下午|晚上)\s*(.+)$")
# a time at the end of a DATETIME, with or without a space before it: "昨天下午3点", "10月2日14:30"
_TIME_TAIL = re.compile(
    r"(?:上午|早上|早晨|中午|下午|晚上)?\s*\d{1,2}\s*"
    r"(?:[:：]\d{2}(?:[:：]\d{2})?|[点時时](?:\s*\d{1,2}\s*分?|半)?)$"
)

Direction = Literal["past", "future"]

# The days leadctl reads (SPEC §3's DATE, DATETIME and LEADCTL_NOW): wide enough for any lead,
# and far enough from date.min and date.max that every interval added to one (a week, a
# cadence, a rest of 180 days, a time zone's offset) is still a date.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9000, 12, 31)
BEYOND_THE_CALENDAR = N_(
    "The {what} {text!r} is beyond the calendar: use a day from {first} to {last}."
)


class BeyondTheCalendar(LeadctlError):
    """A day outside FIRST_DAY…LAST_DAY (a DATETIME says so with its whole text)."""


def _beyond(text: str, what: str) -> LeadctlError:
    return BeyondTheCalendar(
        said(
            BEYOND_THE_CALENDAR,
            what=word(what),
            text=text.strip(),
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    )


# The refusals of parse_day are `Said` (import lists them in JSON too); `what` names the date in
# words ("acquired date"), which the caller marks with N_ for the catalog.


def _bad_date(text: str, what: str) -> LeadctlError:
    return LeadctlError(
        said(
            N_(
                "Cannot read {what} {text!r}: use 2024-10-05, today, tomorrow, +3d, a weekday "
                "(fri), 10月5日, 今天, 明天, 后天 or 下周一."
            ),
            what=word(what),
            text=text,
        )
    )


def _capitalized(what: str) -> Said:
    shown = _(what)
    return Said(shown.capitalize() if shown.isascii() else shown, what.capitalize())


def _make_day(year: int, month: int, day: int, text: str, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise LeadctlError(
            said(N_("{what} {text!r} is not a real day."), what=_capitalized(what), text=text)
        ) from None


def parse_day(
    text: str, today: date, *, what: str = N_("date"), direction: Direction | None = None
) -> date:
    """Read a DATE relative to `today` (the user's local calendar day).

    `direction` places a date typed without a year: "past" for a date that may not be in the
    future (`--acquired`, `close --date`), "future" for one that may not be in the past
    (`--next-date`); None: the current year. Other forms are read the same either way."""
    try:
        day = _parse_day(text, today, what, direction)
    except OverflowError:  # `+9999w` past year 9999
        raise _beyond(text, what) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _beyond(text, what)
    return day


def _parse_day(text: str, today: date, what: str, direction: Direction | None) -> date:
    raw = half_width(text).strip()  # ２０２４－１０－０５, ＋３ｄ: typed with a Chinese IME
    low = raw.lower()
    if not raw:
        raise LeadctlError(
            said(
                N_(
                    "The {what} is empty: use 2024-10-05, today, tomorrow, +3d, a weekday (fri), "
                    "10月5日, 今天, 明天, 后天 or 下周一."
                ),
                what=word(what),
            )
        )
    if low in RELATIVE_WORDS:
        return today + timedelta(days=RELATIVE_WORDS[low])
    if m := _ISO_DAY.match(raw):
        return _make_day(int(m[1]), int(m[2]), int(m[3]), text, what)
    if m := _CN_DAY.match(raw):
        if m[1]:
            return _make_day(int(m[1]), int(m[2]), int(m[3]), text, what)
        return _month_day(int(m[2]), int(m[3]), today, direction, text, what)
    if m := _MONTH_DAY.match(raw):
        return _month_day(int(m[1]), int(m[2]), today, direction, text, what)
    if m := _OFFSET.match(raw):
        n = int(m[2]) * (7 if m[3].lower() in ("w", "周") else 1)
        return today + timedelta(days=n if m[1] == "+" else -n)
    if m := _CN_OFFSET.match(raw):
        n = int(m[1]) * (7 if m[2] == "周" else 1)
        return today + timedelta(days=n if m[3] else -n)
    if low in WEEKDAYS:
        ahead = (WEEKDAYS[low] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if m := _CN_WEEKDAY.match(raw):
        weekday = CN_WEEKDAYS[m[2]]
        if m[1]:  # 上周X / 这周X / 下周X: that day of last / this / next week (Monday–Sunday)
            monday = today - timedelta(days=today.weekday())
            return monday + timedelta(days=_CN_WEEK_OFFSET[m[1]] + weekday)
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if raw in _END_OF_MONTH:
        if today.month == 12:
            return today.replace(day=31)
        return today.replace(month=today.month + 1, day=1) - timedelta(days=1)
    return _fallback_day(raw, today, what, direction)


def _month_day(
    month: int, day: int, today: date, direction: Direction | None, text: str, what: str
) -> date:
    """A day typed without a year: the current year, or the nearest one in `direction`."""
    if direction is None:
        return _make_day(today.year, month, day, text, what)
    _make_day(2000, month, day, text, what)  # 13月1日, 2月30日: never a real day (2000 is leap)
    step = -1 if direction == "past" else 1
    year = today.year
    for _attempt in range(9):  # 2月29日 comes back within 8 years (1896 → 1904)
        if not 1 <= year <= 9999:
            break
        try:
            candidate = date(year, month, day)
        except ValueError:  # 2月29日 outside a leap year
            candidate = None
        if candidate is not None and (
            candidate <= today if direction == "past" else candidate >= today
        ):
            return candidate
        year += step
    raise OverflowError  # parse_day: "beyond the calendar"


def _fallback_day(raw: str, today: date, what: str, direction: Direction | None) -> date:
    # English month names ("5 Oct 2024", "Oct 5"): dateutil, imported only when needed
    if not re.search(r"[A-Za-z]{3}", raw) or len(raw) > 40:
        raise _bad_date(raw, what)
    from dateutil import parser as dateutil_parser

    try:
        if direction is None:
            return dateutil_parser.parse(raw, default=datetime(today.year, 1, 1)).date()
        # typed without a year when two defaults (both leap years) give two years
        first = dateutil_parser.parse(raw, default=datetime(2000, 1, 1)).date()
        second = dateutil_parser.parse(raw, default=datetime(2004, 1, 1)).date()
    except (ValueError, OverflowError):
        raise _bad_date(raw, what) from None
    if first != second:
        return _month_day(first.month, first.day, today, direction, raw, what)
    return first


def _parse_time(text: str) -> time | None:
    part = None
    if m := _DAY_PART.match(text):
        part, text = m[1], m[2].strip()
    if m := _TIME.match(text):
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    elif m := _CN_TIME.match(text):
        hour = int(m[1])
        minute = 30 if text.endswith("半") else int(m[2] or 0)
        second = 0
    else:
        return None
    if (part in ("上午", "早上", "早晨") and hour > 12) or (part == "晚上" and hour == 12):
        return None  # 上午15点; 晚上12点 is midnight, of which day?
    # 下午3点 15:00, 晚上8点 20:00, 中午1点 13:00; 中午12点, 下午15点 as written
    last_hour_to_shift = {"下午": 11, "晚上": 11, "中午": 10}.get(part or "", 0)
    if 1 <= hour <= last_hour_to_shift:
        hour += 12
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def parse_moment(
    text: str,
    now: datetime,
    tz: tzinfo,
    *,
    what: str = N_("time"),
    direction: Direction | None = None,
) -> datetime:
    """Read a DATETIME in the user's zone; returns an aware datetime (minute precision).

    `direction` places a day typed without a year, as for `parse_day`, against today's date:
    for `--at` ("past") a time later today stays today, in the future, for the caller to refuse
    (the same as a time alone), rather than moving a year back."""
    raw = half_width(text).strip()
    if raw.lower() in ("now", "现在"):
        return now.astimezone(tz).replace(second=0, microsecond=0)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None and ("T" in raw or " " in raw or ":" in raw):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        try:
            moment = parsed.astimezone(tz).replace(second=0, microsecond=0)
        except OverflowError:
            raise _beyond(raw, what) from None
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise _beyond(raw, what)
        return moment
    local_now = now.astimezone(tz)
    day_part, time_part = raw, None
    if (m := _TIME_TAIL.search(raw)) and (at := _parse_time(m[0].strip())) is not None:
        day_part, time_part = raw[: m.start()].strip() or "today", at
    try:
        day = parse_day(day_part, local_now.date(), what=what, direction=direction)
    except BeyondTheCalendar:
        raise _beyond(text, what) from None
    except LeadctlError:
        raise LeadctlError(
            _(
                "Cannot read {what} {text!r}: use 2024-10-02 14:30, now, yesterday 14:30, "
                "10月2日 14:30, or a date."
            ).format(what=_(what), text=text)
        ) from None
    at_time = time_part or local_now.time().replace(second=0, microsecond=0)
    return datetime.combine(day, at_time, tzinfo=tz)


def parse_now(text: str, tz: tzinfo) -> datetime:
    """LEADCTL_NOW: ISO 8601; without an offset it is read in the user's zone."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise LeadctlError(
            _("LEADCTL_NOW {text!r} is not an ISO 8601 time (e.g. 2024-10-07T09:00+08:00).").format(
                text=text
            )
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    try:
        days = {parsed.date(), parsed.astimezone(UTC).date(), parsed.astimezone(tz).date()}
    except OverflowError:  # 9999-12-31T23:30-01:00 is past year 9999 in UTC
        days = {date.max}
    if not all(FIRST_DAY <= day <= LAST_DAY for day in days):
        raise LeadctlError(
            _(
                "LEADCTL_NOW {text!r} is beyond the calendar: use a time from {first} to {last}."
            ).format(text=text, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
        )
    return parsed
