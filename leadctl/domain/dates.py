"""Human dates, parsed in one place (SPEC §3).

DATE: 2024-10-05, 2024/10/05, 2024年10月5日, 10月5日 (this year), today, tomorrow, yesterday,
+3d / -2d / +2w, weekday names (`fri`, `friday`: the next one after today),
今天 明天 后天 昨天 前天, 周五 / 星期五 (the next one after today), 下周一 … 下周日 (that day of
next week).
DATETIME: a DATE, optionally followed by a time `14:30`; `2024-10-02 14:30`; ISO 8601 with an
offset; `now`; a bare `14:30` means today.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from leadctl.errors import LeadctlError

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
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*([dw天周])$", re.IGNORECASE)
_CN_WEEKDAY = re.compile(r"^(下)?(?:周|星期|礼拜)([一二三四五六日天])$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
_CN_TIME = re.compile(r"^(\d{1,2})\s*[点時时](?:\s*(\d{1,2})\s*分?|半)?$")

HELP_DATE = (
    "use 2024-10-05, today, tomorrow, +3d, a weekday (fri), 10月5日, 今天, 明天, 后天 or 下周一"
)


def _bad_date(text: str, what: str) -> LeadctlError:
    return LeadctlError(f"Cannot read {what} {text!r}: {HELP_DATE}.")


def _make_day(year: int, month: int, day: int, text: str, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise LeadctlError(f"{what.capitalize()} {text!r} is not a real day.") from None


def parse_day(text: str, today: date, *, what: str = "date") -> date:
    """Read a DATE relative to `today` (the user's local calendar day)."""
    try:
        return _parse_day(text, today, what)
    except OverflowError:  # `+9999w` past year 9999
        raise LeadctlError(f"The {what} {text.strip()!r} is beyond the calendar.") from None


def _parse_day(text: str, today: date, what: str) -> date:
    raw = text.strip()
    low = raw.lower()
    if not raw:
        raise LeadctlError(f"The {what} is empty: {HELP_DATE}.")
    if low in RELATIVE_WORDS:
        return today + timedelta(days=RELATIVE_WORDS[low])
    if m := _ISO_DAY.match(raw):
        return _make_day(int(m[1]), int(m[2]), int(m[3]), text, what)
    if m := _CN_DAY.match(raw):
        year = int(m[1]) if m[1] else today.year
        return _make_day(year, int(m[2]), int(m[3]), text, what)
    if m := _OFFSET.match(raw):
        n = int(m[2]) * (7 if m[3].lower() in ("w", "周") else 1)
        return today + timedelta(days=n if m[1] == "+" else -n)
    if low in WEEKDAYS:
        ahead = (WEEKDAYS[low] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if m := _CN_WEEKDAY.match(raw):
        weekday = CN_WEEKDAYS[m[2]]
        if m[1]:  # 下周X: that day of next week (weeks run Monday–Sunday)
            next_monday = today + timedelta(days=7 - today.weekday())
            return next_monday + timedelta(days=weekday)
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    return _fallback_day(raw, today, what)


def _fallback_day(raw: str, today: date, what: str) -> date:
    # English month names ("5 Oct 2024", "Oct 5"): dateutil, imported only when needed
    if not re.search(r"[A-Za-z]{3}", raw) or len(raw) > 40:
        raise _bad_date(raw, what)
    from dateutil import parser as dateutil_parser

    try:
        parsed = dateutil_parser.parse(raw, default=datetime(today.year, 1, 1))
    except (ValueError, OverflowError):
        raise _bad_date(raw, what) from None
    return parsed.date()


def _parse_time(text: str) -> time | None:
    if m := _TIME.match(text):
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    elif m := _CN_TIME.match(text):
        hour = int(m[1])
        minute = 30 if text.endswith("半") else int(m[2] or 0)
        second = 0
    else:
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def parse_moment(text: str, now: datetime, tz: tzinfo, *, what: str = "time") -> datetime:
    """Read a DATETIME in the user's zone; returns an aware datetime (minute precision)."""
    raw = text.strip()
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
            return parsed.astimezone(tz).replace(second=0, microsecond=0)
        except OverflowError:
            raise LeadctlError(f"The {what} {raw!r} is beyond the calendar.") from None
    local_now = now.astimezone(tz)
    day_part, time_part = raw, None
    parts = raw.rsplit(None, 1)
    if len(parts) == 2 and _parse_time(parts[1]) is not None:
        day_part, time_part = parts[0], _parse_time(parts[1])
    elif _parse_time(raw) is not None:
        day_part, time_part = "today", _parse_time(raw)
    else:  # "10月2日14:30" without a space
        m = re.match(r"^(.*[日号天])\s*(\d{1,2}[:：]\d{2})$", raw)
        if m and _parse_time(m[2]) is not None:
            day_part, time_part = m[1], _parse_time(m[2])
    try:
        day = parse_day(day_part, local_now.date(), what=what)
    except LeadctlError:
        raise LeadctlError(
            f"Cannot read {what} {text!r}: use 2024-10-02 14:30, now, yesterday 14:30, "
            "10月2日 14:30, or a date."
        ) from None
    at_time = time_part or local_now.time().replace(second=0, microsecond=0)
    return datetime.combine(day, at_time, tzinfo=tz)


def parse_now(text: str, tz: tzinfo) -> datetime:
    """LEADCTL_NOW: ISO 8601; without an offset it is read in the user's zone."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise LeadctlError(
            f"LEADCTL_NOW {text!r} is not an ISO 8601 time (e.g. 2024-10-07T09:00+08:00)."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed
