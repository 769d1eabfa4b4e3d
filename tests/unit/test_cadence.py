"""The cadence engine (SPEC §2 跟进计划), pure: no database, a fixed Monday, Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadctl.domain.cadence import (
    CadenceRules,
    DueItem,
    LeadFacts,
    due_items,
    reasons_due,
    schedule,
)
from leadctl.domain.choices import Grade, Status

TZ = ZoneInfo("Asia/Shanghai")
RULES = CadenceRules()
MONDAY = date(2024, 10, 7)


def at(day: date, hh: int = 9, mm: int = 0) -> datetime:
    """A local moment of the rep's day, stored as UTC like the database gives it back."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ).astimezone(UTC)


def day(n: int) -> date:
    """MONDAY + n days."""
    return MONDAY + timedelta(days=n)


def graded(grade: Grade, when: datetime | None = None, **more: object) -> LeadFacts:
    """A lead given `grade` at `when` (default Monday 09:00), from no grade."""
    when = when or at(MONDAY)
    values: dict[str, object] = {
        "status": Status.ACTIVE,
        "grade": grade,
        "graded_at": when,
        "grade_set_at": when,
    }
    values.update(more)
    return LeadFacts(**values)  # type: ignore[arg-type]


def by_name(items: list[DueItem]) -> dict[str, tuple[date, date]]:
    return {i.name: (i.due_on, i.deadline_on) for i in items}


def overdue(items: list[DueItem], today: date) -> bool:
    return any(i.overdue(today) for i in items)


# ---------------------------------------------------------------- the table of SPEC §2


def test_grade_item_on_the_acquired_day():
    facts = LeadFacts(status=Status.NEW, ungraded_since=day(-2))
    items = due_items(facts, RULES, TZ)
    assert by_name(items) == {"grade": (day(-2), day(-2))}
    assert schedule(items) == (day(-2), day(-2))
    assert overdue(items, day(-2)) is False
    assert overdue(items, day(-1)) is True


def test_grade_item_of_a_reactivated_lead_is_due_the_day_it_came_back():
    facts = LeadFacts(status=Status.ACTIVE, ungraded_since=day(3), last_contact_at=at(day(3), 10))
    assert by_name(due_items(facts, RULES, TZ)) == {"grade": (day(3), day(3))}


@pytest.mark.parametrize(
    ("grade", "due", "deadline"),
    [(Grade.A, 1, 1), (Grade.B, 2, 3), (Grade.C, 7, 7), (Grade.D, 30, 30)],
)
def test_cadence_from_the_grading(grade, due, deadline):
    items = due_items(graded(grade), RULES, TZ)
    assert by_name(items)["cadence"] == (day(due), day(deadline))
    cadence = next(i for i in items if i.name == "cadence")
    assert cadence.detail == {"grade": grade.value, "last_touch": MONDAY, "every_days": due}


@pytest.mark.parametrize(
    ("grade", "due", "deadline"),
    [(Grade.A, 1, 1), (Grade.B, 2, 3), (Grade.C, 7, 7), (Grade.D, 30, 30)],
)
def test_cadence_counts_from_the_latest_follow_up_when_it_is_later(grade, due, deadline):
    facts = graded(grade, last_contact_at=at(day(4), 16, 30))
    assert by_name(due_items(facts, RULES, TZ))["cadence"] == (day(4 + due), day(4 + deadline))


def test_cadence_counts_from_a_regrading_later_than_the_last_follow_up():
    facts = graded(
        Grade.C,
        graded_at=at(day(5)),  # graded again (still C) after the follow-up
        grade_set_at=at(MONDAY),
        last_contact_at=at(day(2)),
    )
    assert by_name(due_items(facts, RULES, TZ))["cadence"] == (day(12), day(12))


def test_b_example_of_the_spec():
    """A B lead graded on Monday is due Wednesday, not overdue Thursday, overdue Friday."""
    items = due_items(graded(Grade.B), RULES, TZ)
    due_on, _ = schedule(items)
    assert due_on == date(2024, 10, 9) and due_on.strftime("%a") == "Wed"
    assert not overdue(items, date(2024, 10, 10))  # Thursday
    assert overdue(items, date(2024, 10, 11))  # Friday
    assert reasons_due(items, day(1)) == []  # Tuesday: nothing due yet
    assert reasons_due(items, day(2)) == ["cadence"]


def test_days_are_local_calendar_days():
    # 01:30 on Tuesday in Shanghai is still Monday in UTC: the touch counts as Tuesday
    facts = graded(Grade.A, last_contact_at=at(day(1), 1, 30))
    assert facts.last_contact_at is not None and facts.last_contact_at.date() == MONDAY
    assert by_name(due_items(facts, RULES, TZ))["cadence"] == (day(2), day(2))
    # 23:30 on Monday is Monday
    late_evening = graded(Grade.A, last_contact_at=at(MONDAY, 23, 30))
    assert by_name(due_items(late_evening, RULES, TZ))["cadence"] == (day(1), day(1))


def test_next_action_item_on_its_date():
    facts = graded(
        Grade.C, last_contact_at=at(MONDAY), next_action="提供成功案例", next_action_on=day(2)
    )
    items = due_items(facts, RULES, TZ)
    assert by_name(items)["next_action"] == (day(2), day(2))
    assert next(i for i in items if i.name == "next_action").detail == {"text": "提供成功案例"}
    assert schedule(items) == (day(2), day(2))  # brings the C lead forward from day 7


def test_next_action_on_an_ungraded_lead():
    facts = LeadFacts(
        status=Status.NEW, ungraded_since=MONDAY, next_action="回电", next_action_on=day(1)
    )
    assert by_name(due_items(facts, RULES, TZ)) == {
        "grade": (MONDAY, MONDAY),
        "next_action": (day(1), day(1)),
    }


def test_proposal_within_three_days_of_becoming_a():
    items = due_items(graded(Grade.A), RULES, TZ)
    assert by_name(items)["proposal"] == (day(3), day(3))


def test_proposal_counts_from_becoming_a_not_from_a_regrading():
    facts = graded(Grade.A, graded_at=at(day(2)), grade_set_at=at(MONDAY))
    assert by_name(due_items(facts, RULES, TZ))["proposal"] == (day(3), day(3))


def test_a_proposal_since_becoming_a_clears_the_item():
    done = graded(Grade.A, last_contact_at=at(day(1)), last_proposal_at=at(day(1)))
    assert "proposal" not in by_name(due_items(done, RULES, TZ))


def test_a_proposal_before_becoming_a_does_not_count():
    facts = graded(Grade.A, grade_set_at=at(day(2)), last_proposal_at=at(day(1)))
    assert by_name(due_items(facts, RULES, TZ))["proposal"] == (day(5), day(5))


def test_a_proposal_logged_in_the_minute_of_the_grading_counts():
    # contact times have minute precision; the grading has seconds: 09:00 is "since" 09:00:40
    graded_at = at(MONDAY) + timedelta(seconds=40)
    facts = graded(Grade.A, graded_at, last_proposal_at=at(MONDAY), last_contact_at=at(MONDAY))
    assert "proposal" not in by_name(due_items(facts, RULES, TZ))


def test_only_a_leads_have_a_proposal_item():
    for grade in (Grade.B, Grade.C, Grade.D):
        assert "proposal" not in by_name(due_items(graded(grade), RULES, TZ))


def test_case_a_week_after_becoming_b():
    assert by_name(due_items(graded(Grade.B), RULES, TZ))["case"] == (day(7), day(7))


def test_case_a_week_after_the_last_case_follow_up():
    facts = graded(Grade.B, last_contact_at=at(day(3)), last_case_at=at(day(3)))
    assert by_name(due_items(facts, RULES, TZ))["case"] == (day(10), day(10))


def test_a_case_before_becoming_b_does_not_count():
    facts = graded(Grade.B, grade_set_at=at(day(2)), last_case_at=at(MONDAY))
    assert by_name(due_items(facts, RULES, TZ))["case"] == (day(9), day(9))


def test_a_case_logged_in_the_minute_of_the_grading_counts():
    facts = graded(Grade.B, at(MONDAY) + timedelta(seconds=40), last_case_at=at(MONDAY))
    assert by_name(due_items(facts, RULES, TZ))["case"] == (day(7), day(7))


def test_only_b_leads_have_a_case_item():
    for grade in (Grade.A, Grade.C, Grade.D):
        assert "case" not in by_name(due_items(graded(grade), RULES, TZ))


def test_a_items_in_order():
    items = due_items(graded(Grade.A), RULES, TZ)
    assert [i.name for i in items] == ["cadence", "proposal"]
    assert reasons_due(items, day(3)) == ["cadence", "proposal"]


@pytest.mark.parametrize("status", [Status.DORMANT, Status.LOST])
def test_a_woken_lead_has_only_its_wake_item(status):
    facts = graded(Grade.D, status=status, woken_on=day(90), next_action_on=day(1))
    items = due_items(facts, RULES, TZ)
    assert by_name(items) == {"wake": (day(90), day(90))}
    assert schedule(items) == (day(90), day(90))


@pytest.mark.parametrize("status", [Status.DORMANT, Status.LOST, Status.WON])
def test_resting_and_closed_leads_have_no_items(status):
    facts = graded(Grade.A, status=status, next_action="签约", next_action_on=day(1))
    assert due_items(facts, RULES, TZ) == []
    assert schedule([]) == (None, None)


def test_an_opportunity_keeps_its_cadence():
    facts = graded(Grade.A, status=Status.OPPORTUNITY)
    assert "cadence" in by_name(due_items(facts, RULES, TZ))


# ---------------------------------------------------------------- config overrides


def test_intervals_come_from_the_rules():
    rules = CadenceRules(
        a_days=2, b_days=3, b_deadline_days=5, c_days=10, d_days=60, proposal_days=5, case_days=14
    )
    assert by_name(due_items(graded(Grade.A), rules, TZ)) == {
        "cadence": (day(2), day(2)),
        "proposal": (day(5), day(5)),
    }
    assert by_name(due_items(graded(Grade.B), rules, TZ)) == {
        "cadence": (day(3), day(5)),
        "case": (day(14), day(14)),
    }
    assert by_name(due_items(graded(Grade.C), rules, TZ))["cadence"] == (day(10), day(10))
    assert by_name(due_items(graded(Grade.D), rules, TZ))["cadence"] == (day(60), day(60))


def test_a_b_deadline_shorter_than_its_due_day_is_the_due_day():
    rules = CadenceRules(b_days=4, b_deadline_days=2)
    assert by_name(due_items(graded(Grade.B), rules, TZ))["cadence"] == (day(4), day(4))


# ---------------------------------------------------------------- properties

# timing is not the property: no deadline flakes when the whole suite loads the machine
relaxed = settings(deadline=None)

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2025, 12, 31), timezones=st.just(TZ)
).map(lambda m: m.replace(second=0, microsecond=0).astimezone(UTC))
grades = st.sampled_from(list(Grade))
open_statuses = st.sampled_from([Status.NEW, Status.ACTIVE, Status.OPPORTUNITY])
rules_st = st.builds(
    CadenceRules,
    a_days=st.integers(0, 60),
    b_days=st.integers(0, 60),
    b_deadline_days=st.integers(0, 60),
    c_days=st.integers(0, 60),
    d_days=st.integers(0, 60),
    proposal_days=st.integers(0, 60),
    case_days=st.integers(0, 60),
)


@st.composite
def open_leads(draw: st.DrawFn) -> LeadFacts:
    grade = draw(st.none() | grades)
    status = draw(open_statuses)
    if grade is None:
        status = draw(st.sampled_from([Status.NEW, Status.ACTIVE]))
        return LeadFacts(
            status=status,
            ungraded_since=draw(moments).astimezone(TZ).date(),
            last_contact_at=draw(st.none() | moments),
            next_action_on=draw(st.none() | moments.map(lambda m: m.astimezone(TZ).date())),
            next_action=draw(st.none() | st.just("回电")),
        )
    if status is Status.NEW:
        status = Status.ACTIVE
    set_at = draw(moments)
    return LeadFacts(
        status=status,
        grade=grade,
        grade_set_at=set_at,
        graded_at=max(set_at, draw(moments)),
        last_contact_at=draw(st.none() | moments),
        last_proposal_at=draw(st.none() | moments),
        last_case_at=draw(st.none() | moments),
        next_action_on=draw(st.none() | moments.map(lambda m: m.astimezone(TZ).date())),
        next_action=draw(st.none() | st.just("回电")),
    )


@relaxed
@given(open_leads(), rules_st)
def test_due_on_is_never_later_than_the_next_action(facts, rules):
    due_on, deadline_on = schedule(due_items(facts, rules, TZ))
    if facts.next_action_on is not None:
        assert due_on is not None and due_on <= facts.next_action_on
        assert deadline_on is not None and deadline_on <= facts.next_action_on


@relaxed
@given(open_leads(), rules_st)
def test_every_open_lead_has_something_due_and_items_are_sorted(facts, rules):
    items = due_items(facts, rules, TZ)
    assert items, "an open lead always has a next step"
    assert [i.due_on for i in items] == sorted(i.due_on for i in items)
    for item in items:
        assert item.deadline_on >= item.due_on
    due_on, deadline_on = schedule(items)
    assert due_on == items[0].due_on
    assert due_on is not None and deadline_on is not None and due_on <= deadline_on


@relaxed
@given(grades, moments, rules_st)
def test_with_no_activity_overdue_exactly_the_day_after_the_deadline(grade, graded_at, rules):
    facts = graded(grade, graded_at)
    items = due_items(facts, rules, TZ)
    _, deadline_on = schedule(items)
    assert deadline_on is not None
    assert not overdue(items, deadline_on)
    assert overdue(items, deadline_on + timedelta(days=1))
    # and that deadline is the cadence's, unless a proposal or a case comes first
    touch_day = graded_at.astimezone(TZ).date()
    _, deadline_after = rules.touch_interval(grade)
    expected = [touch_day + timedelta(days=deadline_after)]
    if grade is Grade.A:
        expected.append(touch_day + timedelta(days=rules.proposal_days))
    if grade is Grade.B:
        expected.append(touch_day + timedelta(days=rules.case_days))
    assert deadline_on == min(expected)


@relaxed
@given(moments, st.none() | moments)
def test_the_interval_grows_from_a_to_d(graded_at, contact_at):
    def cadence_of(grade: Grade) -> tuple[date, date]:
        facts = graded(grade, graded_at, last_contact_at=contact_at)
        return by_name(due_items(facts, RULES, TZ))["cadence"]

    cadences = [cadence_of(g) for g in (Grade.A, Grade.B, Grade.C, Grade.D)]
    assert [c[0] for c in cadences] == sorted(c[0] for c in cadences)
    assert [c[1] for c in cadences] == sorted(c[1] for c in cadences)


@relaxed
@given(grades, moments, moments, moments)
def test_a_later_touch_never_makes_the_cadence_earlier(grade, graded_at, first, second):
    earlier, later = sorted((first, second))
    before = by_name(due_items(graded(grade, graded_at, last_contact_at=earlier), RULES, TZ))
    after = by_name(due_items(graded(grade, graded_at, last_contact_at=later), RULES, TZ))
    assert after["cadence"] >= before["cadence"]


@relaxed
@given(
    open_leads(),
    st.sampled_from([Status.WON, Status.LOST, Status.DORMANT]),
    st.none() | moments.map(lambda m: m.astimezone(TZ).date()),
)
def test_closed_and_dormant_leads_have_no_items_unless_woken(facts, status, woken_on):
    resting = LeadFacts(**{**facts.__dict__, "status": status, "woken_on": woken_on})
    items = due_items(resting, RULES, TZ)
    if woken_on is None or status is Status.WON:
        assert items == []
    else:
        assert [(i.name, i.due_on, i.deadline_on) for i in items] == [("wake", woken_on, woken_on)]


@relaxed
@given(open_leads(), rules_st, moments.map(lambda m: m.astimezone(TZ).date()))
def test_reasons_are_the_items_due_by_today(facts, rules, today):
    items = due_items(facts, rules, TZ)
    reasons = reasons_due(items, today)
    assert reasons == [i.name for i in items if i.due_on <= today]
    due_on, _ = schedule(items)
    assert (reasons != []) == (due_on is not None and due_on <= today)


@relaxed
@given(
    moments,
    st.integers(0, 59),
    st.integers(0, 5) | st.integers(0, 3 * 24 * 60),  # mostly in the grading's first minutes
    st.sampled_from([Grade.A, Grade.B]),
)
@example(datetime(2024, 10, 7, 1, 0, tzinfo=UTC), 40, 0, Grade.A)
def test_a_proposal_or_case_from_the_grading_minute_on_counts(minute, seconds, later, grade):
    set_at = minute + timedelta(seconds=seconds)  # gradings keep seconds, contacts do not
    done = minute + timedelta(minutes=later)
    facts = graded(grade, set_at, last_contact_at=done, last_proposal_at=done, last_case_at=done)
    items = by_name(due_items(facts, RULES, TZ))
    assert "proposal" not in items
    if grade is Grade.B:
        assert items["case"][0] == done.astimezone(TZ).date() + timedelta(days=RULES.case_days)


# ---------------------------------------------------------------- the work calendar (SPEC §6.1)

from leadctl.domain.workcal import WorkCalendar  # noqa: E402

CALENDARS = st.sampled_from(
    [
        WorkCalendar("cn"),
        WorkCalendar("weekdays"),
        WorkCalendar("weekdays", holidays=frozenset({date(2024, 10, 9)})),
        WorkCalendar("every-day", holidays=frozenset({date(2024, 10, 8)})),
    ]
)


@given(open_leads(), rules_st, CALENDARS)
def test_no_item_but_wake_is_due_on_a_day_off(facts, rules, calendar):
    for item in due_items(facts, rules, TZ, calendar):
        assert calendar.is_workday(item.due_on), item
        assert calendar.is_workday(item.deadline_on), item
        assert item.due_on <= item.deadline_on


@given(open_leads(), rules_st, CALENDARS)
def test_a_calendar_only_ever_moves_a_day_later_to_the_next_working_day(facts, rules, calendar):
    plain = {i.name: i for i in due_items(facts, rules, TZ)}
    for item in due_items(facts, rules, TZ, calendar):
        before = plain[item.name]
        assert item.due_on == calendar.roll_forward(before.due_on)
        assert item.deadline_on == calendar.roll_forward(before.deadline_on)


@given(open_leads(), rules_st)
def test_every_day_gives_the_first_releases_results_exactly(facts, rules):
    assert due_items(facts, rules, TZ, WorkCalendar("every-day")) == due_items(facts, rules, TZ)


def test_an_a_lead_touched_before_national_day_is_due_after_it():
    facts = graded(Grade.A, at(date(2024, 9, 30)))
    cn = by_name(due_items(facts, RULES, TZ, WorkCalendar("cn")))
    assert cn["cadence"] == (date(2024, 10, 8), date(2024, 10, 8))
    plain = by_name(due_items(facts, RULES, TZ, WorkCalendar("every-day")))
    assert plain["cadence"] == (date(2024, 10, 1), date(2024, 10, 1))


def test_a_wake_item_stays_on_its_day_and_a_next_action_keeps_its_date():
    sunday = date(2024, 10, 13)
    woken = LeadFacts(status=Status.DORMANT, woken_on=sunday)
    assert by_name(due_items(woken, RULES, TZ, WorkCalendar("weekdays")))["wake"] == (
        sunday,
        sunday,
    )
    facts = graded(Grade.C, next_action="拜访", next_action_on=sunday)
    items = {i.name: i for i in due_items(facts, RULES, TZ, WorkCalendar("weekdays"))}
    assert items["next_action"].due_on == date(2024, 10, 14)
    assert facts.next_action_on == sunday
