"""The human date parser (SPEC §3): every form, bad input, and properties over any day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain.dates import parse_day, parse_moment, parse_now
from leadctl.errors import LeadctlError

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2024, 10, 7)
# 2024-10-07 09:00 in Shanghai, held as UTC the way the clock stores it
NOW = datetime(2024, 10, 7, 1, 0, tzinfo=UTC)
EN_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
EN_LONG = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CN_DAYS = ["一", "二", "三", "四", "五", "六", "日"]

# today's calendar stays well inside date's range, so +N never overflows in the properties
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-05", date(2024, 10, 5)),
        ("2024/10/05", date(2024, 10, 5)),
        ("2024-1-5", date(2024, 1, 5)),
        ("  2024-10-05  ", date(2024, 10, 5)),
        ("today", MONDAY),
        ("Today", MONDAY),
        ("tomorrow", date(2024, 10, 8)),
        ("yesterday", date(2024, 10, 6)),
        ("+3d", date(2024, 10, 10)),
        ("+3D", date(2024, 10, 10)),
        ("+0d", MONDAY),
        ("-2d", date(2024, 10, 5)),
        ("+2w", date(2024, 10, 21)),
        ("fri", date(2024, 10, 11)),
        ("Friday", date(2024, 10, 11)),
        ("FRI", date(2024, 10, 11)),
        ("mon", date(2024, 10, 14)),  # today is Monday: the next one, a week on
        ("sun", date(2024, 10, 13)),
        ("10月5日", date(2024, 10, 5)),
        ("12月31日", date(2024, 12, 31)),
        ("10月5号", date(2024, 10, 5)),
        ("2023年10月5日", date(2023, 10, 5)),
        ("今天", MONDAY),
        ("明天", date(2024, 10, 8)),
        ("后天", date(2024, 10, 9)),
        ("昨天", date(2024, 10, 6)),
        ("周五", date(2024, 10, 11)),
        ("星期一", date(2024, 10, 14)),
        ("下周一", date(2024, 10, 14)),
        ("下周三", date(2024, 10, 16)),
        ("下周日", date(2024, 10, 20)),
        ("下周天", date(2024, 10, 20)),
    ],
)
def test_every_date_form(text: str, expected: date) -> None:
    assert parse_day(text, MONDAY) == expected


def test_chinese_month_day_is_this_year() -> None:
    assert parse_day("10月5日", date(2031, 3, 1)) == date(2031, 10, 5)


def test_weekday_from_mid_week() -> None:
    friday = date(2024, 10, 11)
    assert parse_day("fri", friday) == date(2024, 10, 18)  # strictly after today
    assert parse_day("sat", friday) == date(2024, 10, 12)
    assert parse_day("mon", friday) == date(2024, 10, 14)
    # 下周X from a Sunday: next week starts tomorrow
    assert parse_day("下周一", date(2024, 10, 13)) == date(2024, 10, 14)
    assert parse_day("下周日", date(2024, 10, 13)) == date(2024, 10, 20)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "someday",
        "2024-13-01",
        "2024-02-30",
        "2023-02-29",
        "13月1日",
        "2月30日",
        "+3",
        "3d",
        "+d",
        "下周八",
        "next friday",
        "2024-10-05 14:30",
        "x" * 100,
    ],
)
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(LeadctlError):
        parse_day(text, MONDAY)


def test_bad_date_message_says_what_and_how() -> None:
    with pytest.raises(LeadctlError) as info:
        parse_day("someday", MONDAY, what="acquired date")
    assert info.value.message == (
        "Cannot read acquired date 'someday': use 2024-10-05, today, tomorrow, +3d, a weekday "
        "(fri), 10月5日, 今天, 明天, 后天 or 下周一."
    )
    with pytest.raises(LeadctlError) as info:
        parse_day("2024-02-30", MONDAY)
    assert info.value.message == "Date '2024-02-30' is not a real day."


def test_a_day_beyond_the_calendar_is_refused_not_a_crash() -> None:
    with pytest.raises(LeadctlError):
        parse_day("+1d", date(9999, 12, 31))
    with pytest.raises(LeadctlError):
        parse_day("-9999w", date(1, 1, 1))
    with pytest.raises(LeadctlError):
        parse_day("fri", date(9999, 12, 31))
    with pytest.raises(LeadctlError):
        parse_day("下周一", date(9999, 12, 31))


# ---------------------------------------------------------------- properties


@given(day=st.dates(), today=days)
def test_iso_round_trip_for_any_date(day: date, today: date) -> None:
    assert parse_day(day.isoformat(), today) == day


@given(n=st.integers(min_value=0, max_value=9999), today=days)
def test_plus_n_days_is_today_plus_n(n: int, today: date) -> None:
    assert parse_day(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_day(f"-{n}d", today) == today - timedelta(days=n)


@given(n=st.integers(min_value=0, max_value=999), today=days)
def test_plus_n_weeks_is_today_plus_7n(n: int, today: date) -> None:
    assert parse_day(f"+{n}w", today) == today + timedelta(weeks=n)


@given(weekday=st.integers(min_value=0, max_value=6), today=days)
def test_weekday_names_land_in_the_next_seven_days(weekday: int, today: date) -> None:
    for text in (EN_DAYS[weekday], EN_LONG[weekday], f"周{CN_DAYS[weekday]}"):
        day = parse_day(text, today)
        assert today < day <= today + timedelta(days=7)
        assert day.weekday() == weekday


@given(weekday=st.integers(min_value=0, max_value=6), today=days)
def test_next_week_day_lands_in_next_monday_to_sunday(weekday: int, today: date) -> None:
    day = parse_day(f"下周{CN_DAYS[weekday]}", today)
    next_monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    assert next_monday <= day <= next_monday + timedelta(days=6)
    assert day.weekday() == weekday


@given(month=st.integers(1, 12), day=st.integers(1, 28), today=days)
def test_chinese_month_day_is_in_todays_year(month: int, day: int, today: date) -> None:
    assert parse_day(f"{month}月{day}日", today) == date(today.year, month, day)


# ---------------------------------------------------------------- DATETIME


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-02 14:30", datetime(2024, 10, 2, 14, 30, tzinfo=SHANGHAI)),
        ("2024-10-02T14:30", datetime(2024, 10, 2, 14, 30, tzinfo=SHANGHAI)),
        ("2024-10-02T14:30+00:00", datetime(2024, 10, 2, 22, 30, tzinfo=SHANGHAI)),
        ("14:30", datetime(2024, 10, 7, 14, 30, tzinfo=SHANGHAI)),
        ("yesterday 15:00", datetime(2024, 10, 6, 15, 0, tzinfo=SHANGHAI)),
        ("昨天 15:00", datetime(2024, 10, 6, 15, 0, tzinfo=SHANGHAI)),
        ("10月2日 14:30", datetime(2024, 10, 2, 14, 30, tzinfo=SHANGHAI)),
        ("10月2日14:30", datetime(2024, 10, 2, 14, 30, tzinfo=SHANGHAI)),
        ("now", datetime(2024, 10, 7, 9, 0, tzinfo=SHANGHAI)),
        # a bare day: that day at the current time of day
        ("2024-10-02", datetime(2024, 10, 2, 9, 0, tzinfo=SHANGHAI)),
        ("yesterday", datetime(2024, 10, 6, 9, 0, tzinfo=SHANGHAI)),
    ],
)
def test_datetime_forms_in_the_users_zone(text: str, expected: datetime) -> None:
    moment = parse_moment(text, NOW, SHANGHAI)
    assert moment == expected
    assert moment.utcoffset() == timedelta(hours=8)


def test_datetime_has_minute_precision() -> None:
    assert parse_moment("2024-10-02 14:30:45", NOW, SHANGHAI) == datetime(
        2024, 10, 2, 14, 30, tzinfo=SHANGHAI
    )
    busy_now = datetime(2024, 10, 7, 1, 0, 37, 123, tzinfo=UTC)
    assert parse_moment("now", busy_now, SHANGHAI) == datetime(2024, 10, 7, 9, 0, tzinfo=SHANGHAI)
    assert parse_moment("yesterday", busy_now, SHANGHAI).second == 0


def test_datetime_read_in_another_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    moment = parse_moment("2024-10-02 14:30", NOW, berlin)
    assert moment.astimezone(UTC) == datetime(2024, 10, 2, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["bad", "2024-10-02 25:00", "2024-10-02 14:61", "2024-13-02 14:30", "someday 14:30"]
)
def test_bad_datetimes_are_refused(text: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_moment(text, NOW, SHANGHAI, what="contact time")
    assert "contact time" in info.value.message


@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2999, 12, 30)).map(
        lambda d: d.replace(second=0, microsecond=0)
    )
)
def test_local_minute_round_trip(moment: datetime) -> None:
    text = moment.strftime("%Y-%m-%d %H:%M")
    assert parse_moment(text, NOW, SHANGHAI) == moment.replace(tzinfo=SHANGHAI)


# ---------------------------------------------------------------- LEADCTL_NOW


def test_now_without_offset_is_read_in_the_users_zone() -> None:
    now = parse_now("2024-10-07T09:00", SHANGHAI)
    assert now == datetime(2024, 10, 7, 1, 0, tzinfo=UTC)
    assert now.tzinfo is not None


def test_now_with_offset_keeps_it() -> None:
    now = parse_now("2024-10-06T23:30+00:00", SHANGHAI)
    assert now == datetime(2024, 10, 6, 23, 30, tzinfo=UTC)
    assert now.astimezone(SHANGHAI).date() == MONDAY


@pytest.mark.parametrize("text", ["", "yesterday", "2024-10-07 9am", "07/10/2024"])
def test_bad_now_is_refused(text: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_now(text, SHANGHAI)
    assert "LEADCTL_NOW" in info.value.message


def test_a_moment_beyond_the_calendar_is_refused_not_a_crash() -> None:
    with pytest.raises(LeadctlError):
        parse_moment("9999-12-31T23:00+00:00", NOW, SHANGHAI)
