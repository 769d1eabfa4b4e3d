"""The work calendar (SPEC §6.1): kinds, company lists, uncovered years, the fingerprint."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain.workcal import (
    HolidayData,
    WorkCalendar,
    calendar_from_settings,
    chinese_holiday_data,
    parse_calendar_kind,
    parse_day_list,
    uncovered_years_note,
)
from leadctl.errors import LeadctlError

CN = WorkCalendar("cn")
WEEKDAYS = WorkCalendar("weekdays")
EVERY_DAY = WorkCalendar("every-day")


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_national_day_2024_under_cn() -> None:
    for day in range(1, 8):
        assert not CN.is_workday(date(2024, 10, day))
    assert CN.is_workday(d("2024-10-08"))
    assert CN.is_workday(d("2024-09-30"))
    # SPEC's example: an A lead touched Monday 2024-09-30 is due 2024-10-01 → moves to 10-08
    assert CN.roll_forward(d("2024-10-01")) == d("2024-10-08")


def test_makeup_saturday_works_under_cn_only() -> None:
    makeup = d("2024-10-12")  # Saturday, 调休
    assert makeup.weekday() == 5
    assert CN.is_workday(makeup)
    assert CN.roll_forward(makeup) == makeup
    assert not WEEKDAYS.is_workday(makeup)
    assert WEEKDAYS.roll_forward(makeup) == d("2024-10-14")
    assert CN.roll_forward(d("2024-10-13")) == d("2024-10-14")  # an ordinary Sunday


def test_weekdays_ignores_statutory_holidays() -> None:
    assert WEEKDAYS.is_workday(d("2024-10-01"))
    assert WEEKDAYS.roll_forward(d("2024-10-05")) == d("2024-10-07")


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_every_day_never_moves_a_day(day: date) -> None:
    assert EVERY_DAY.is_workday(day)
    assert EVERY_DAY.roll_forward(day) == day


def test_company_lists_override_every_kind() -> None:
    for kind in ("cn", "weekdays", "every-day"):
        calendar = WorkCalendar(
            kind,
            holidays=frozenset({d("2024-10-09")}),  # a Wednesday off
            workdays=frozenset({d("2024-10-05"), d("2024-10-13")}),  # a holiday, a Sunday
        )
        assert not calendar.is_workday(d("2024-10-09"))
        assert calendar.roll_forward(d("2024-10-09")) == d("2024-10-10")
        assert calendar.is_workday(d("2024-10-05"))
        assert calendar.is_workday(d("2024-10-13"))
    cn = WorkCalendar("cn", workdays=frozenset({d("2024-10-05")}))
    assert cn.roll_forward(d("2024-10-01")) == d("2024-10-05")


def test_a_day_in_both_lists_is_refused() -> None:
    with pytest.raises(LeadctlError) as info:
        calendar_from_settings("cn", ["2024-10-09"], ["2024-10-09"])
    assert info.value.message == (
        "2024-10-09 is in both [calendar] holidays and workdays: keep each day in one list."
    )


def test_a_year_of_days_off_is_a_broken_config_not_a_hang() -> None:
    year_off = frozenset(d("2024-01-01") + timedelta(days=n) for n in range(400))
    calendar = WorkCalendar("every-day", holidays=year_off)
    with pytest.raises(LeadctlError) as info:
        calendar.roll_forward(d("2024-01-01"))
    assert info.value.message == (
        "The work calendar has no working day from 2024-01-01 to 2025-01-01: check "
        "[calendar] holidays."
    )
    last_day = WorkCalendar("every-day", holidays=frozenset({date(9999, 12, 31)}))
    with pytest.raises(LeadctlError) as info:
        last_day.roll_forward(date(9999, 12, 31))
    assert info.value.message == "The work calendar has no working day on or after 9999-12-31."
    assert WorkCalendar("every-day").roll_forward(date(9999, 12, 31)) == date(9999, 12, 31)


company_days = st.frozensets(
    st.dates(min_value=date(2024, 9, 1), max_value=date(2027, 12, 31)), max_size=40
)


@given(
    kind=st.sampled_from(["cn", "weekdays", "every-day"]),
    holidays=company_days,
    workdays=company_days,
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)
def test_roll_forward_lands_on_the_first_working_day(
    kind: str, holidays: frozenset[date], workdays: frozenset[date], day: date
) -> None:
    calendar = WorkCalendar(kind, holidays - workdays, workdays)  # type: ignore[arg-type]
    rolled = calendar.roll_forward(day)
    assert rolled >= day
    assert calendar.is_workday(rolled)
    assert all(not calendar.is_workday(day + timedelta(days=n)) for n in range((rolled - day).days))
    if calendar.is_workday(day):
        assert rolled == day
    assert calendar.roll_forward(day) == rolled  # memoised, same answer


# ---------------------------------------------------------------- years the data does not cover


def test_chinese_calendar_data_covers_2004_to_2026() -> None:
    data = chinese_holiday_data()
    assert data.source.startswith("chinese-calendar ")
    assert data.covers(2004) and data.covers(2026)
    assert CN.uncovered_years([2024, 2025, 2026]) == []


def test_an_uncovered_year_counts_monday_to_friday_and_the_lists() -> None:
    data = replace(chinese_holiday_data(), last_year=2026)
    cn = WorkCalendar("cn", data=data)
    assert cn.uncovered_years([2026, 2027, 2027, 2028]) == [2027, 2028]
    national_day_2027 = d("2027-10-01")  # a Friday: no data, so a working day
    assert cn.is_workday(national_day_2027)
    assert not cn.is_workday(d("2027-10-02"))
    assert cn.roll_forward(d("2027-10-02")) == d("2027-10-04")
    # the team typed the year's days off into the config: the year is covered, and they count
    listed = WorkCalendar(
        "cn",
        holidays=frozenset({national_day_2027, d("2027-10-04")}),
        workdays=frozenset({d("2027-09-26")}),
        data=data,
    )
    assert listed.uncovered_years([2027, 2028]) == [2028]
    assert listed.roll_forward(national_day_2027) == d("2027-10-05")
    assert listed.is_workday(d("2027-09-26"))  # a makeup Sunday
    # a lone company workday does not transcribe a year's holidays
    workday_only = WorkCalendar("cn", workdays=frozenset({d("2027-09-26")}), data=data)
    assert workday_only.uncovered_years([2027]) == [2027]


def test_only_cn_has_uncovered_years() -> None:
    assert WEEKDAYS.uncovered_years([2027, 1999]) == []
    assert EVERY_DAY.uncovered_years([2027]) == []
    assert CN.uncovered_years([2003, 2027]) == [2003, 2027]


def test_the_uncovered_years_note_says_how_to_fix_it() -> None:
    assert uncovered_years_note([2027], "chinese-calendar 1.11.0") == (
        "Note: chinese-calendar 1.11.0 has no official holidays for 2027, so those days count "
        "Monday to Friday: list the year's days off and makeup workdays in the config, "
        '[calendar] holidays = ["2027-01-01", …] and workdays = […], or upgrade '
        "chinese-calendar."
    )
    assert "for 2027, 2028," in uncovered_years_note([2027, 2028], "x")


# ---------------------------------------------------------------- fingerprint


def test_fingerprint_names_kind_and_data_and_is_stable() -> None:
    version = chinese_holiday_data().source
    assert CN.fingerprint().startswith(f"cn|{version}|")
    assert WEEKDAYS.fingerprint().startswith("weekdays|-|")
    assert CN.fingerprint() == WorkCalendar("cn").fingerprint()
    assert len(CN.fingerprint()) < 64
    a = calendar_from_settings("cn", ["2024-10-09", "2024-10-10"], ["2024-10-12"])
    b = calendar_from_settings("cn", ["2024-10-10", "2024-10-09"], ["2024-10-12"])
    assert a.fingerprint() == b.fingerprint()


def test_fingerprint_changes_with_kind_lists_and_data_version() -> None:
    october = frozenset({d("2024-10-09")})
    data = chinese_holiday_data()
    newer = HolidayData(
        "chinese-calendar 1.12.0",
        data.days_off,
        data.makeup_workdays,
        data.first_year,
        data.last_year + 1,
    )
    prints = [
        CN.fingerprint(),
        WEEKDAYS.fingerprint(),
        EVERY_DAY.fingerprint(),
        WorkCalendar("cn", holidays=october).fingerprint(),
        WorkCalendar("cn", workdays=october).fingerprint(),
        WorkCalendar("cn", holidays=october | {d("2024-10-10")}).fingerprint(),
        WorkCalendar("cn", data=newer).fingerprint(),
    ]
    assert len(set(prints)) == len(prints)


def test_the_data_is_imported_only_when_a_cn_day_is_asked() -> None:
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from leadctl.domain.workcal import WorkCalendar, calendar_from_settings\n"
        "cn = calendar_from_settings('cn', ['2024-10-09'], [])\n"
        "WorkCalendar('weekdays').roll_forward(date(2024, 10, 5))\n"
        "assert cn.is_workday(date(2024, 10, 9)) is False\n"
        "assert 'chinese_calendar' not in sys.modules\n"
        "assert cn.roll_forward(date(2024, 10, 1)) == date(2024, 10, 8)\n"
        "assert 'chinese_calendar' in sys.modules\n"
        "assert not any(m.split('.')[0] in ('sqlalchemy', 'sqlmodel') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("cn", "cn"),
        (" CN ", "cn"),
        ("china", "cn"),
        ("weekdays", "weekdays"),
        ("weekday", "weekdays"),
        ("every-day", "every-day"),
        ("everyday", "every-day"),
        ("Every_Day", "every-day"),
    ],
)
def test_calendar_kinds(text: str, kind: str) -> None:
    assert parse_calendar_kind(text) == kind


@pytest.mark.parametrize("text", ["", "us", "weekend", "every day"])
def test_unknown_calendar_kind_names_the_choices(text: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_calendar_kind(text)
    assert info.value.message == (
        f"Unknown calendar {text.strip()!r}: choose cn (Chinese holidays and makeup workdays), "
        "weekdays (Monday to Friday) or every-day."
    )


def test_day_lists_from_config_values() -> None:
    expected = frozenset({d("2024-10-09"), d("2025-01-05")})
    assert parse_day_list(["2024-10-09", "2025-1-5"], setting="x") == expected
    assert parse_day_list([date(2024, 10, 9), " 2025-01-05 "], setting="x") == expected  # TOML
    assert parse_day_list("2024-10-09, 2025-01-05", setting="x") == expected  # env / team set
    assert parse_day_list("2024-10-09，2025-01-05", setting="x") == expected
    assert parse_day_list(None, setting="x") == frozenset()
    assert parse_day_list([], setting="x") == frozenset()
    assert parse_day_list("", setting="x") == frozenset()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            ["2024-10-09", "2024-13-01"],
            "[calendar] holidays has '2024-13-01', which is not a day: write days as YYYY-MM-DD, "
            'e.g. "2024-10-09".',
        ),
        (
            ["10月9日"],
            "[calendar] holidays has '10月9日', which is not a day: write days as YYYY-MM-DD, "
            'e.g. "2024-10-09".',
        ),
        (
            [20241009],
            "[calendar] holidays has 20241009, which is not a day: write days as YYYY-MM-DD, "
            'e.g. "2024-10-09".',
        ),
        (
            [datetime(2024, 10, 9, 8, 0)],
            "[calendar] holidays has datetime.datetime(2024, 10, 9, 8, 0), which is not a day: "
            'write days as YYYY-MM-DD, e.g. "2024-10-09".',
        ),
        (
            "2024-02-30",
            "[calendar] holidays has '2024-02-30', which is not a day: write days as YYYY-MM-DD, "
            'e.g. "2024-10-09".',
        ),
        (
            {"day": "2024-10-09"},
            '[calendar] holidays must be a list of days like ["2024-10-09"], not '
            "{'day': '2024-10-09'}.",
        ),
    ],
)
def test_bad_day_lists_name_the_bad_value(value: object, message: str) -> None:
    with pytest.raises(LeadctlError) as info:
        parse_day_list(value, setting="[calendar] holidays")
    assert info.value.message == message


def test_calendar_from_settings_names_the_list() -> None:
    with pytest.raises(LeadctlError, match=r"^\[calendar\] workdays has 'soon'"):
        calendar_from_settings("weekdays", [], ["soon"])
    with pytest.raises(LeadctlError, match=r"^Unknown calendar 'x'"):
        calendar_from_settings("x")
    assert calendar_from_settings("every-day") == EVERY_DAY
