"""The human date parser (SPEC §3): every form, bad input, and properties over any day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain.dates import (
    FIRST_DAY,
    LAST_DAY,
    BeyondTheCalendar,
    parse_day,
    parse_moment,
    parse_now,
)
from leadctl.errors import LeadctlError

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2024, 10, 7)
# 2024-10-07 09:00 in Shanghai, held as UTC the way the clock stores it
NOW = datetime(2024, 10, 7, 1, 0, tzinfo=UTC)
EN_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
EN_LONG = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CN_DAYS = ["一", "二", "三", "四", "五", "六", "日"]

# today's calendar stays well inside date's range, so +N never overflows in the properties
# "today"s from which every form (±9999 days, a year back for 2月29日) stays inside the calendar
# leadctl reads, 1900-01-01…9000-12-31; its edges are tested on their own
days = st.dates(min_value=date(1930, 1, 1), max_value=date(2999, 12, 31))


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
    if FIRST_DAY <= day <= LAST_DAY:
        assert parse_day(day.isoformat(), today) == day
    else:  # year 1 or 9999: later arithmetic on it would overflow (issue 20)
        with pytest.raises(BeyondTheCalendar, match="is beyond the calendar: use a day from"):
            parse_day(day.isoformat(), today)


@given(n=st.integers(min_value=0, max_value=9999), today=days)
def test_plus_n_days_is_today_plus_n(n: int, today: date) -> None:
    for sign, day in (("+", today + timedelta(days=n)), ("-", today - timedelta(days=n))):
        if FIRST_DAY <= day <= LAST_DAY:
            assert parse_day(f"{sign}{n}d", today) == day
        else:
            with pytest.raises(BeyondTheCalendar):
                parse_day(f"{sign}{n}d", today)


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


# ---------------------------------------------------------------- SPEC §6.1: more words

SAT_1228 = date(2024, 12, 28)  # Saturday
SUN_1229 = date(2024, 12, 29)  # Sunday
MON_1230 = date(2024, 12, 30)  # Monday
THU_0102 = date(2025, 1, 2)  # Thursday


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("3天后", MON_1230, date(2025, 1, 2)),
        ("3天后", SUN_1229, date(2025, 1, 1)),
        ("1天后", date(2024, 12, 31), date(2025, 1, 1)),
        ("0天后", SUN_1229, SUN_1229),
        ("10天以后", SAT_1228, date(2025, 1, 7)),
        ("3天前", THU_0102, MON_1230),
        ("3天前", SUN_1229, date(2024, 12, 26)),
        ("2天之前", date(2025, 1, 1), date(2024, 12, 30)),
        ("2周后", SUN_1229, date(2025, 1, 12)),
        ("1周前", THU_0102, date(2024, 12, 26)),
        # weeks run Monday–Sunday
        ("上周一", MON_1230, date(2024, 12, 23)),
        ("上周日", MON_1230, SUN_1229),
        ("上周一", SUN_1229, date(2024, 12, 16)),
        ("上周日", SUN_1229, date(2024, 12, 22)),
        ("上周五", THU_0102, date(2024, 12, 27)),
        ("上星期三", THU_0102, date(2024, 12, 25)),
        ("上个礼拜天", THU_0102, SUN_1229),
        ("这周一", THU_0102, MON_1230),  # this week began last year
        ("本周一", THU_0102, MON_1230),
        ("这周日", THU_0102, date(2025, 1, 5)),
        ("这周日", SUN_1229, SUN_1229),  # a Sunday is the last day of its week
        ("这周一", SUN_1229, date(2024, 12, 23)),
        ("本周六", SAT_1228, SAT_1228),
        ("这个星期五", MON_1230, date(2025, 1, 3)),
        ("下周一", SAT_1228, MON_1230),
        ("下周三", SUN_1229, date(2025, 1, 1)),
        ("下周日", MON_1230, date(2025, 1, 12)),
        ("下个星期二", THU_0102, date(2025, 1, 7)),
        # 月底: the last day of this month
        ("月底", SAT_1228, date(2024, 12, 31)),
        ("月底", SUN_1229, date(2024, 12, 31)),
        ("月底", date(2024, 12, 31), date(2024, 12, 31)),
        ("月底", THU_0102, date(2025, 1, 31)),
        ("月底", date(2024, 2, 3), date(2024, 2, 29)),
        ("月底", date(2025, 2, 3), date(2025, 2, 28)),
        ("本月底", date(2024, 4, 30), date(2024, 4, 30)),
        ("月底", date(9000, 12, 1), date(9000, 12, 31)),
    ],
)
def test_more_chinese_words(text: str, today: date, expected: date) -> None:
    assert parse_day(text, today) == expected
    # a year is never in question: both directions read them alike
    assert parse_day(text, today, direction="past") == expected
    assert parse_day(text, today, direction="future") == expected


@pytest.mark.parametrize(
    ("text", "today", "past", "future", "this_year"),
    [
        # the cases: a next action for early January, typed in late December
        ("1月3日", SAT_1228, date(2024, 1, 3), date(2025, 1, 3), date(2024, 1, 3)),
        ("12月30日", THU_0102, date(2024, 12, 30), date(2025, 12, 30), date(2025, 12, 30)),
        ("10/5", SAT_1228, date(2024, 10, 5), date(2025, 10, 5), date(2024, 10, 5)),
        ("10/5", THU_0102, date(2024, 10, 5), date(2025, 10, 5), date(2025, 10, 5)),
        ("1/2", THU_0102, THU_0102, THU_0102, THU_0102),  # today, either way
        ("12/31", SUN_1229, date(2023, 12, 31), date(2024, 12, 31), date(2024, 12, 31)),
        ("12/29", SUN_1229, SUN_1229, SUN_1229, SUN_1229),
        ("1月1日", SUN_1229, date(2024, 1, 1), date(2025, 1, 1), date(2024, 1, 1)),
        ("10月5号", MONDAY, date(2024, 10, 5), date(2025, 10, 5), date(2024, 10, 5)),
        ("Jan 3", SAT_1228, date(2024, 1, 3), date(2025, 1, 3), date(2024, 1, 3)),
        # 2月29日: the nearest leap year in each direction
        ("2月29日", THU_0102, date(2024, 2, 29), date(2028, 2, 29), None),
        ("2月29日", date(2024, 3, 1), date(2024, 2, 29), date(2028, 2, 29), date(2024, 2, 29)),
        ("2月29日", date(2024, 2, 28), date(2020, 2, 29), date(2024, 2, 29), date(2024, 2, 29)),
        ("2/29", date(2024, 2, 29), date(2024, 2, 29), date(2024, 2, 29), date(2024, 2, 29)),
        ("2月29日", date(2100, 1, 1), date(2096, 2, 29), date(2104, 2, 29), None),  # 2100: no
    ],
)
def test_a_day_without_a_year_is_the_nearest_in_its_direction(
    text: str, today: date, past: date, future: date, this_year: date | None
) -> None:
    assert parse_day(text, today, direction="past") == past
    assert parse_day(text, today, direction="future") == future
    if this_year is None:
        with pytest.raises(LeadctlError, match="is not a real day"):
            parse_day(text, today)
    else:
        assert parse_day(text, today) == this_year


def test_a_day_with_a_year_ignores_the_direction() -> None:
    assert parse_day("2025年1月3日", SAT_1228, direction="past") == date(2025, 1, 3)
    assert parse_day("2023-01-03", SAT_1228, direction="future") == date(2023, 1, 3)
    assert parse_day("Jan 3 2020", SAT_1228, direction="future") == date(2020, 1, 3)


@pytest.mark.parametrize(
    "text", ["13/1", "0/5", "2/30", "10/32", "10/5/", "2月30日", "13月1日", "天后", "3天", "上周八"]
)
def test_bad_days_without_a_year_are_refused(text: str) -> None:
    for direction in (None, "past", "future"):
        with pytest.raises(LeadctlError):
            parse_day(text, SAT_1228, direction=direction)


def test_a_day_that_never_comes_is_not_a_real_day() -> None:
    with pytest.raises(LeadctlError) as info:
        parse_day("2月30日", SAT_1228, direction="future", what="next-action date")
    assert info.value.message == "Next-action date '2月30日' is not a real day."
    with pytest.raises(LeadctlError, match="beyond the calendar"):
        parse_day("12月31日", date(1, 6, 1), direction="past")
    with pytest.raises(LeadctlError, match="beyond the calendar"):
        parse_day("1/1", date(9999, 6, 1), direction="future")
    with pytest.raises(LeadctlError, match="beyond the calendar"):
        parse_day("3天后", date(9999, 12, 30))


@given(
    when=st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),
    today=days,
    slash=st.booleans(),
)
def test_a_past_day_without_a_year_is_the_latest_on_or_before_today(
    when: date, today: date, slash: bool
) -> None:
    text = f"{when.month}/{when.day}" if slash else f"{when.month}月{when.day}日"
    day = parse_day(text, today, direction="past")
    assert (day.month, day.day) == (when.month, when.day)
    assert day <= today
    # 2月29日 is the nearest leap year's, up to 8 years back (2100 is not one)
    assert today - day < timedelta(days=366 if (when.month, when.day) != (2, 29) else 8 * 366)


@given(
    when=st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),
    today=days,
    slash=st.booleans(),
)
def test_a_future_day_without_a_year_is_the_first_on_or_after_today(
    when: date, today: date, slash: bool
) -> None:
    text = f"{when.month}/{when.day}" if slash else f"{when.month}月{when.day}日"
    day = parse_day(text, today, direction="future")
    assert (day.month, day.day) == (when.month, when.day)
    assert day >= today
    assert day - today < timedelta(days=366 if (when.month, when.day) != (2, 29) else 8 * 366)


@given(when=st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)), today=days)
def test_the_nearest_day_is_within_a_year_and_no_nearer_one_exists(when: date, today: date) -> None:
    text = f"{when.month}月{when.day}日"
    past = parse_day(text, today, direction="past")
    future = parse_day(text, today, direction="future")
    assert today - past < timedelta(days=366)
    assert future - today < timedelta(days=366)
    # the same day a year on from the past one is after today; a year before the future one is
    # before today (or they are both today)
    assert past == future == today or (
        past.replace(year=past.year + 1) > today and future.replace(year=future.year - 1) < today
    )


@given(n=st.integers(min_value=0, max_value=9999), today=days)
def test_n_days_after_and_before(n: int, today: date) -> None:
    assert parse_day(f"{n}天后", today) == today + timedelta(days=n)
    assert parse_day(f"{n}天前", today) == today - timedelta(days=n)


@given(weekday=st.integers(min_value=0, max_value=6), today=days)
def test_last_this_and_next_week_day(weekday: int, today: date) -> None:
    monday = today - timedelta(days=today.weekday())
    for prefix, week in (("上", -1), ("这", 0), ("本", 0), ("下", 1)):
        day = parse_day(f"{prefix}周{CN_DAYS[weekday]}", today)
        assert day == monday + timedelta(weeks=week, days=weekday)
        assert day.weekday() == weekday


@given(today=days)
def test_end_of_month_is_the_last_day_of_this_month(today: date) -> None:
    end = parse_day("月底", today)
    assert (end.year, end.month) == (today.year, today.month)
    assert (end + timedelta(days=1)).day == 1


# ---------------------------------------------------------------- §6.1 times


def at_shanghai(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下午3点", at_shanghai(2024, 10, 7, 15, 0)),
        ("下午3点半", at_shanghai(2024, 10, 7, 15, 30)),
        ("下午3点15分", at_shanghai(2024, 10, 7, 15, 15)),
        ("下午 3:45", at_shanghai(2024, 10, 7, 15, 45)),
        ("下午12点", at_shanghai(2024, 10, 7, 12, 0)),
        ("下午15点", at_shanghai(2024, 10, 7, 15, 0)),
        ("上午10点半", at_shanghai(2024, 10, 7, 10, 30)),
        ("早上8点", at_shanghai(2024, 10, 7, 8, 0)),
        ("晚上8点", at_shanghai(2024, 10, 7, 20, 0)),
        ("晚上11点半", at_shanghai(2024, 10, 7, 23, 30)),
        ("中午12点", at_shanghai(2024, 10, 7, 12, 0)),
        ("中午1点", at_shanghai(2024, 10, 7, 13, 0)),
        ("3点", at_shanghai(2024, 10, 7, 3, 0)),
        ("昨天下午3点", at_shanghai(2024, 10, 6, 15, 0)),
        ("昨天 下午3点", at_shanghai(2024, 10, 6, 15, 0)),
        ("明天上午10点", at_shanghai(2024, 10, 8, 10, 0)),
        ("前天晚上8点", at_shanghai(2024, 10, 5, 20, 0)),
        ("上周五下午2点", at_shanghai(2024, 10, 4, 14, 0)),
        ("3天前上午9点", at_shanghai(2024, 10, 4, 9, 0)),
        ("10月2日下午3点", at_shanghai(2024, 10, 2, 15, 0)),
        ("10/2 14:30", at_shanghai(2024, 10, 2, 14, 30)),
        ("2024-10-02 下午3点", at_shanghai(2024, 10, 2, 15, 0)),
    ],
)
def test_chinese_times(text: str, expected: datetime) -> None:
    assert parse_moment(text, NOW, SHANGHAI) == expected
    assert parse_moment(text, NOW, SHANGHAI, direction="past") == expected


@pytest.mark.parametrize(
    "text", ["晚上12点", "上午13点", "下午25点", "下午", "下午3点61分", "傍晚6点"]
)
def test_bad_chinese_times_are_refused(text: str) -> None:
    with pytest.raises(LeadctlError, match="Cannot read contact time"):
        parse_moment(text, NOW, SHANGHAI, what="contact time", direction="past")


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # --at across the new year: the latest 12月30日 on or before today
        ("12月30日 15:00", THU_0102, at_shanghai(2024, 12, 30, 15, 0)),
        ("12月30日下午3点", THU_0102, at_shanghai(2024, 12, 30, 15, 0)),
        ("12/31 23:59", THU_0102, at_shanghai(2024, 12, 31, 23, 59)),
        ("1月2日 8:00", THU_0102, at_shanghai(2025, 1, 2, 8, 0)),
        ("昨天下午3点", date(2025, 1, 1), at_shanghai(2024, 12, 31, 15, 0)),
        ("明天上午10点", date(2024, 12, 31), at_shanghai(2025, 1, 1, 10, 0)),
        ("上周日晚上8点", MON_1230, at_shanghai(2024, 12, 29, 20, 0)),
        ("下午3点", SUN_1229, at_shanghai(2024, 12, 29, 15, 0)),
        ("这周一上午10点", SUN_1229, at_shanghai(2024, 12, 23, 10, 0)),
        # later today stays today, in the future: the caller refuses it, as for a time alone
        ("1月2日 23:00", THU_0102, at_shanghai(2025, 1, 2, 23, 0)),
        ("晚上11点", THU_0102, at_shanghai(2025, 1, 2, 23, 0)),
    ],
)
def test_contact_time_without_a_year_is_on_or_before_today(
    text: str, now: date, expected: datetime
) -> None:
    nine_am = datetime.combine(now, datetime.min.time(), tzinfo=SHANGHAI) + timedelta(hours=9)
    assert parse_moment(text, nine_am, SHANGHAI, direction="past") == expected


def test_a_time_without_a_year_defaults_to_this_year() -> None:
    nine_am = at_shanghai(2025, 1, 2, 9, 0)
    assert parse_moment("12月30日 15:00", nine_am, SHANGHAI) == at_shanghai(2025, 12, 30, 15, 0)
    assert parse_moment("12月30日 15:00", nine_am, SHANGHAI, direction="future") == at_shanghai(
        2025, 12, 30, 15, 0
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２４－１０－０５", date(2024, 10, 5)),
        ("２０２４／１０／０５", date(2024, 10, 5)),
        ("＋３ｄ", date(2024, 10, 10)),
        ("１０月５日", date(2024, 10, 5)),
        ("ｆｒｉ", date(2024, 10, 11)),
    ],
)
def test_full_width_days_read_as_half_width(text: str, expected: date) -> None:
    assert parse_day(text, MONDAY) == expected


def test_full_width_times_read_as_half_width() -> None:
    assert parse_moment("２０２４－１０－０２　１４：３０", NOW, SHANGHAI) == datetime(
        2024, 10, 2, 14, 30, tzinfo=SHANGHAI
    )
