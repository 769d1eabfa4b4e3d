"""The lead's lifecycle (SPEC §2), pure: transitions over plain facts, no database."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.domain import lifecycle
from leadctl.domain.cadence import CadenceRules, stored_schedule
from leadctl.domain.capture import capture, draft_lead
from leadctl.domain.choices import Grade, Status
from leadctl.domain.lifecycle import (
    Criteria,
    FollowRecord,
    LeadState,
    WakeRules,
    action_in_force,
    follow_summary,
    rest_is_over,
    should_sleep,
)
from leadctl.domain.team import Actor, Role
from leadctl.errors import RuleError

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2024, 10, 7)
NOW = datetime(2024, 10, 7, 9, 0, tzinfo=TZ).astimezone(UTC)
RULES = WakeRules()
WANG = Actor("王芳")  # single-user mode: every right
BOSS = Actor("boss")
SUPERVISOR_LI = Actor("李强", Role.SUPERVISOR)
REP_WANG = Actor("王芳", Role.REP)
REP_LI = Actor("李强", Role.REP)


def lead(**values: object) -> LeadState:
    base: dict[str, object] = {"number": "L0001", "owner": "王芳", "status": Status.ACTIVE}
    base.update(values)
    return LeadState(**base)  # type: ignore[arg-type]


def attempt(day: int, responded: bool, kind: str = "contact") -> FollowRecord:
    return FollowRecord(at=NOW + timedelta(days=day), kind=kind, responded=responded)


# ---------------------------------------------------------------- grading


def test_grading_a_new_lead_makes_it_active_and_unconfirmed():
    change = lifecycle.grade(lead(status=Status.NEW), Grade.A, "预算明确", NOW, WANG)
    assert change.fields["status"] == "active"
    assert change.fields["grade_set_at"] == NOW
    assert change.fields["grade_confirmed_at"] is None
    assert change.fields["ungraded_since"] is None
    assert [(e.event, e.details) for e in change.entries] == [
        ("graded", {"grade": "A", "previous": None, "reason": "预算明确"})
    ]


def test_regrading_the_same_grade_keeps_the_day_it_became_that_grade():
    change = lifecycle.grade(lead(grade=Grade.A), Grade.A, "still A", NOW, WANG)
    assert "grade_set_at" not in change.fields
    assert "status" not in change.fields


@pytest.mark.parametrize("status", [Status.WON, Status.LOST, Status.DORMANT])
def test_only_open_leads_are_graded(status):
    with pytest.raises(RuleError, match=f"L0001 is {status}; only new, active, opportunity"):
        lifecycle.grade(lead(status=status), Grade.B, "x", NOW, WANG)


def test_confirming_needs_a_grade_not_yet_confirmed():
    with pytest.raises(RuleError, match="has no grade to confirm"):
        lifecycle.confirm_grade(lead(), NOW, BOSS)
    done = lead(grade=Grade.B, grade_confirmed_at=NOW, grade_confirmed_by="boss")
    with pytest.raises(RuleError, match="already confirmed by boss"):
        lifecycle.confirm_grade(done, NOW, BOSS)
    change = lifecycle.confirm_grade(lead(grade=Grade.B, graded_by="王芳"), NOW, BOSS)
    assert change.fields == {"grade_confirmed_at": NOW, "grade_confirmed_by": "boss"}
    assert change.entries[0].details == {"grade": "B", "graded_by": "王芳"}


# ---------------------------------------------------------------- follow-ups


@given(st.lists(st.booleans(), max_size=12))
def test_the_streak_counts_the_unanswered_attempts_since_the_last_answer(answers):
    records = [attempt(i, responded) for i, responded in enumerate(answers)]
    expected = 0
    for responded in answers:
        expected = 0 if responded else expected + 1
    assert follow_summary(records, TZ)["unanswered_streak"] == expected


def test_a_third_unanswered_attempt_puts_a_d_lead_to_sleep_from_the_contact_day():
    previous = [attempt(-2, False), attempt(-1, False)]
    change = lifecycle.follow(
        lead(grade=Grade.D), previous, attempt(0, False), tz=TZ, dormant_after=3, details={}
    )
    assert change.fields["status"] == "dormant"
    assert change.fields["rested_on"] == MONDAY
    assert [e.event for e in change.entries] == ["followed", "dormant"]


def test_an_answer_reopens_a_dormant_lead_ungraded():
    state = lead(status=Status.DORMANT, grade=Grade.D, unanswered_streak=3, rested_on=MONDAY)
    change = lifecycle.follow(state, [], attempt(0, True), tz=TZ, dormant_after=3, details={})
    assert change.fields["status"] == "active"
    assert change.fields["grade"] is None
    assert change.fields["ungraded_since"] == MONDAY
    assert change.entries[-1].details == {"previous": "dormant", "grade": "D"}


def test_an_unanswered_wake_attempt_rests_the_lead_again_from_that_day():
    state = lead(status=Status.LOST, woken_on=MONDAY, rested_on=date(2024, 1, 1))
    later = MONDAY + timedelta(days=2)
    change = lifecycle.follow(state, [], attempt(2, False), tz=TZ, dormant_after=3, details={})
    assert change.fields["woken_on"] is None
    assert change.fields["rested_on"] == later
    assert "status" not in change.fields


def test_won_and_resting_lost_leads_take_no_follow_up():
    with pytest.raises(RuleError, match="a won lead takes no more follow-ups"):
        lifecycle.require_followable(lead(status=Status.WON))
    with pytest.raises(RuleError, match="only once `leadctl wake` wakes it"):
        lifecycle.require_followable(lead(status=Status.LOST))
    lifecycle.require_followable(lead(status=Status.LOST, woken_on=MONDAY))


# ---------------------------------------------------------------- the next action in force


def local(text: str) -> datetime:
    """A contact time in the user's zone (Asia/Shanghai), as the database gives it (UTC)."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


def touch_at(
    at: datetime, next_action: str | None = None, on: date | None = None, *, done: bool = False
) -> FollowRecord:
    return FollowRecord(at, "contact", True, next_action, on, done=done)


def touch(
    when: str, next_action: str | None = None, on: date | None = None, *, done: bool = False
) -> FollowRecord:
    """A follow-up at `when` (local time), with its next action or --done."""
    return touch_at(local(when), next_action, on, done=done)


WEDNESDAY = date(2024, 10, 9)


def test_an_action_stays_in_force_through_follow_ups_before_its_date():
    records = [touch("2024-10-07 09:00", "上门拜访", WEDNESDAY), touch("2024-10-08 23:59")]
    assert action_in_force(records, TZ) == ("上门拜访", WEDNESDAY)


def test_a_follow_up_on_or_after_the_date_completes_it_by_the_local_day():
    meeting = touch("2024-10-07 09:00", "上门拜访", WEDNESDAY)
    # 00:30 on Wednesday in Shanghai is still Tuesday in UTC: the local day counts
    assert action_in_force([meeting, touch("2024-10-09 00:30")], TZ) == (None, None)
    assert action_in_force([meeting, touch("2024-10-11 10:00")], TZ) == (None, None)


def test_done_ends_it_and_done_with_a_new_action_replaces_it():
    meeting = touch("2024-10-07 09:00", "上门拜访", WEDNESDAY)
    assert action_in_force([meeting, touch("2024-10-08 10:00", done=True)], TZ) == (None, None)
    quote = touch("2024-10-08 10:00", "发报价", date(2024, 10, 10), done=True)
    assert action_in_force([meeting, quote], TZ) == ("发报价", date(2024, 10, 10))


def test_an_action_without_a_date_stays_until_replaced_or_done():
    call = touch("2024-10-07 09:00", "下周再联系")
    later = [touch(f"2024-10-{d:02d} 10:00") for d in range(8, 28)]
    assert action_in_force([call, *later], TZ) == ("下周再联系", None)
    assert action_in_force([call, *later, touch("2024-10-28 10:00", done=True)], TZ) == (
        None,
        None,
    )


def follow_at(previous: list[FollowRecord], new: FollowRecord, **values: object) -> Any:
    return lifecycle.follow(lead(**values), previous, new, tz=TZ, dormant_after=3, details={})


def test_a_back_filled_action_does_not_override_a_later_ones():
    later = touch("2024-10-07 09:00", "发报价", date(2024, 10, 10))
    change = follow_at([later], touch("2024-10-05 10:00", "寄样品", date(2024, 10, 8)))
    assert (change.fields["next_action"], change.fields["next_action_on"]) == (
        "发报价",
        date(2024, 10, 10),
    )
    assert change.fields["last_contact_at"] == later.at


def test_a_back_filled_action_counts_where_it_falls():
    # logged late, before a later follow-up without --next: in force from its contact on …
    plain = touch("2024-10-07 09:00")
    change = follow_at([plain], touch("2024-10-05 10:00", "寄样品", WEDNESDAY))
    assert (change.fields["next_action"], change.fields["next_action_on"]) == ("寄样品", WEDNESDAY)
    # … unless a later follow-up's day already reached its date
    change = follow_at([plain], touch("2024-10-05 10:00", "寄样品", date(2024, 10, 7)))
    assert (change.fields["next_action"], change.fields["next_action_on"]) == (None, None)


def test_done_is_recorded_with_the_action_it_ends():
    meeting = touch("2024-10-07 09:00", "上门拜访", WEDNESDAY)
    change = follow_at([meeting], touch("2024-10-08 10:00", done=True))
    assert change.entries[0].details == {"done": True, "done_action": "上门拜访"}
    assert (change.fields["next_action"], change.fields["next_action_on"]) == (None, None)


def test_done_needs_an_action_in_force_at_that_contact_time():
    with pytest.raises(RuleError, match=r"^L0001 has no next action to mark done; log the"):
        follow_at([touch("2024-10-07 08:00")], touch("2024-10-07 09:00", done=True))
    # back-filled before the action was set: nothing was in force then
    meeting = touch("2024-10-07 09:00", "上门拜访", WEDNESDAY)
    with pytest.raises(
        RuleError,
        match=r"^L0001 had no next action in force at 2024-10-05 10:00 to mark done; ",
    ):
        follow_at([meeting], touch("2024-10-05 10:00", done=True))


@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from("nd-"), st.integers(0, 5))))
def test_the_action_in_force_is_the_latest_set_and_not_ended_since(steps):
    """Against a second statement of the rule: the latest follow-up that set or ended the
    action decides, unless a later one's day reached its date."""
    records = []
    for offset, what, ahead in sorted(steps, key=lambda s: s[0]):
        at = NOW + timedelta(hours=6 * offset)
        day = at.astimezone(TZ).date()
        if what == "n":
            records.append(touch_at(at, f"a{len(records)}", day + timedelta(days=ahead)))
        else:
            records.append(touch_at(at, done=what == "d"))
    setters = [i for i, r in enumerate(records) if r.done or r.next_action is not None]
    expected: tuple[str | None, date | None] = (None, None)
    if setters:
        last = records[setters[-1]]
        reached = any(
            r.at.astimezone(TZ).date() >= last.next_action_on
            for r in records[setters[-1] + 1 :]
            if last.next_action_on is not None
        )
        expected = (None, None) if reached else (last.next_action, last.next_action_on)
    assert action_in_force(records, TZ) == expected


# ---------------------------------------------------------------- upgrade, close, ownership


def test_an_upgrade_names_every_unmet_criterion():
    with pytest.raises(RuleError) as refused:
        lifecycle.upgrade(lead(), Criteria(budget="30万"), MONDAY, WANG, False)
    assert str(refused.value) == (
        "L0001 cannot become an opportunity yet; not met: need matches the product "
        "(--need-match); budget clear and acceptable (--budget-ok); key decision maker "
        "confirmed with no major objection (--decision-maker NAME, --no-objection)."
    )


def test_an_upgrade_keeps_the_first_upgrade_day():
    met = Criteria(True, "30万", True, "张总", True)
    change, forced = lifecycle.upgrade(lead(), met, MONDAY, WANG, False)
    assert (change.fields["upgraded_on"], forced) == (MONDAY, False)
    again, _ = lifecycle.upgrade(lead(upgraded_on=date(2024, 1, 2)), met, MONDAY, WANG, False)
    assert again.fields["upgraded_on"] == date(2024, 1, 2)


def test_another_reps_lead_needs_force_and_force_is_recorded():
    with pytest.raises(RuleError, match="belongs to 王芳; only the owner can close it"):
        lifecycle.close(lead(), Status.WON, MONDAY, {}, SUPERVISOR_LI, False)
    change, forced = lifecycle.close(lead(), Status.LOST, MONDAY, {}, SUPERVISOR_LI, True)
    assert forced
    assert change.entries[0].details == {"closed_on": MONDAY, "forced": True, "owner": "王芳"}
    assert change.fields["rested_on"] == MONDAY


@pytest.mark.parametrize("status", [Status.WON, Status.LOST])
def test_a_closed_lead_is_never_closed_again(status):
    with pytest.raises(RuleError, match="a closed lead is never closed again"):
        lifecycle.close(lead(status=status), Status.WON, MONDAY, {}, WANG, False)


# ---------------------------------------------------------------- dormancy and reactivation


@given(
    st.sampled_from(list(Status)),
    st.sampled_from([None, *Grade]),
    st.integers(min_value=0, max_value=6),
)
def test_only_open_d_leads_with_enough_silence_sleep(status, grade, streak):
    expected = status in (Status.NEW, Status.ACTIVE, Status.OPPORTUNITY) and grade is Grade.D
    assert should_sleep(status, grade, streak, 3) == (expected and streak >= 3)


def test_rest_counts_calendar_days_from_the_rest_day():
    rested = MONDAY - timedelta(days=90)
    assert rest_is_over(Status.DORMANT, rested, None, None, MONDAY, RULES)
    assert not rest_is_over(Status.DORMANT, rested + timedelta(days=1), None, None, MONDAY, RULES)
    assert not rest_is_over(Status.DORMANT, rested, MONDAY, None, MONDAY, RULES)  # woken
    lost = MONDAY - timedelta(days=180)
    assert rest_is_over(Status.LOST, lost, None, "price", MONDAY, RULES)
    assert not rest_is_over(Status.LOST, lost, None, "competitor", MONDAY, RULES)


# ---------------------------------------------------------------- capture: one way to write


def test_a_captured_a_lead_owes_its_proposal_and_is_due_tomorrow():
    draft = draft_lead(
        customer="杭州云栖科技有限公司",
        phones=["13800138000"],
        source="官网注册",
        need="CRM",
        today=MONDAY,
        owner="王芳",
        grade="A",
        grade_reason="预算明确",
    )
    new = capture(draft, now=NOW, who=WANG, rules=CadenceRules(), tz=TZ)
    assert new.fields["status"] == "active"
    assert new.fields["due_on"] == MONDAY + timedelta(days=1)
    assert new.fields["proposal_due_on"] == MONDAY + timedelta(days=3)
    assert [e.event for e in new.entries] == ["created", "graded"]


def test_the_stored_schedule_is_the_cadence_of_the_state():
    state = lead(grade=Grade.B, graded_at=NOW, grade_set_at=NOW)
    stored = stored_schedule(state.cadence_facts(), None, CadenceRules(), TZ)
    assert (stored["due_on"], stored["deadline_on"]) == (date(2024, 10, 9), date(2024, 10, 10))
    assert stored["proposal_due_on"] is None


# ---------------------------------------------------------------- the layering holds


LEADCTL = Path(__file__).resolve().parents[2] / "leadctl"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_imports_no_database_library():
    for path in (LEADCTL / "domain").glob("*.py"):
        heavy = {n for n in _imports(path) if n.split(".")[0] in ("sqlalchemy", "sqlmodel")}
        assert not heavy, f"{path.name} imports {heavy}"
        assert not {n for n in _imports(path) if n.startswith("leadctl.store")}, path.name


def test_services_build_no_sql():
    builders = {"select", "update", "insert", "delete", "func", "case"}
    for path in (LEADCTL / "services").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("sqlalchemy", "sqlmodel"):
                used = {alias.name for alias in node.names} & builders
                assert not used, f"{path.name} imports {used} from {node.module}"


# ---------------------------------------------------------------- roles (SPEC §6.2)


def test_a_rep_acts_only_on_their_own_leads_and_never_forces():
    with pytest.raises(RuleError, match="a rep can close only their own leads"):
        lifecycle.close(lead(), Status.WON, MONDAY, {}, REP_LI, False)
    with pytest.raises(RuleError, match="Only a supervisor can use --force; 李强 is a rep"):
        lifecycle.close(lead(), Status.WON, MONDAY, {}, REP_LI, True)
    with pytest.raises(RuleError, match="Only a supervisor can use --force; 王芳 is a rep"):
        lifecycle.close(lead(), Status.WON, MONDAY, {}, REP_WANG, True)
    _, forced = lifecycle.close(lead(), Status.WON, MONDAY, {}, REP_WANG, False)
    assert not forced


def test_a_supervisor_needs_force_on_another_reps_lead():
    with pytest.raises(RuleError, match="pass --force"):
        lifecycle.require_owner(lead(), SUPERVISOR_LI, "follow up on", False)
    assert lifecycle.require_owner(lead(), SUPERVISOR_LI, "follow up on", True)


def test_a_rep_grades_only_their_own_leads_a_supervisor_any():
    with pytest.raises(RuleError, match="a rep grades only their own leads"):
        lifecycle.require_grader(lead(), REP_LI)
    lifecycle.require_grader(lead(), REP_WANG)
    lifecycle.require_grader(lead(), SUPERVISOR_LI)


def test_a_supervisors_grade_is_confirmed_at_once():
    change = lifecycle.grade(lead(), Grade.B, "两个部门审批", NOW, SUPERVISOR_LI)
    assert [e.event for e in change.entries] == ["graded", "grade_confirmed"]
    assert change.fields["grade_confirmed_by"] == "李强"
    rep = lifecycle.grade(lead(), Grade.B, "两个部门审批", NOW, REP_WANG)
    assert rep.fields["grade_confirmed_at"] is None
    assert [e.event for e in rep.entries] == ["graded"]


def test_only_a_supervisor_confirms_not_even_a_rep_her_own():
    with pytest.raises(RuleError, match="Only a supervisor confirms grades"):
        lifecycle.confirm_grade(lead(grade=Grade.B), NOW, REP_WANG)


def test_a_rep_moves_only_her_own_lead():
    with pytest.raises(RuleError, match="only a supervisor assigns another rep's lead"):
        lifecycle.assign(lead(), "赵敏", REP_LI, MONDAY)
    change = lifecycle.assign(lead(), "赵敏", REP_WANG, MONDAY)
    assert change.entries[0].details == {"previous": "王芳", "owner": "赵敏"}
