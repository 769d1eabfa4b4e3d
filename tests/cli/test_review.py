"""The supervisor's Monday, end to end on SQLite and PostgreSQL: `review` (issue 4).

Weeks run Monday–Sunday in the user's zone (Asia/Shanghai). The default clock is Monday
2024-10-07 09:00, so "this week" is 2024-10-07 – 2024-10-13 and last week 2024-09-30 – 10-06.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Any

import pytest

BOSS = "主管"
SUNDAY_NIGHT = "2024-10-13T23:59"  # the end of this week: the supervisor looks back over it
CRITERIA = (
    "--need-match", "--budget", "20-50万", "--budget-ok", "--decision-maker", "张总",
    "--no-objection",
)  # fmt: skip
ZERO = {
    "new_leads": 0, "graded": 0, "follow_ups": 0, "upgraded": 0, "won": 0, "won_amount": "0.00",
    "lost": 0, "dormant": 0, "woken": 0,
}  # fmt: skip


def add(cli: Any, customer: str, phone: str, *extra: str, source: str = "官网注册",
        grade: str | None = None, **who_when: str) -> str:  # fmt: skip
    """Add a lead (and grade it) as `user` at `now`; returns its number."""
    number = cli.json(
        "add", customer, "--phone", phone, "--source", source, "--need", "采购CRM系统", *extra,
        **who_when,
    )["number"]  # fmt: skip
    if grade:
        cli.ok("grade", number, grade, "--reason", f"{grade} 级依据", **who_when)
    return str(number)


def won(cli: Any, number: str, amount: str, *extra: str, **who_when: str) -> None:
    cli.ok("close", number, "won", "--amount", amount, "--contract", f"HT-{number}",
           "--product", "CRM 标准版", *extra, **who_when)  # fmt: skip


def lost(cli: Any, number: str, reason: str, *extra: str, **who_when: str) -> None:
    cli.ok("close", number, "lost", "--reason", reason, "--note", "见备注", *extra, **who_when)


def review(cli: Any, *args: str, now: str = SUNDAY_NIGHT) -> dict[str, Any]:
    return cli.json("review", *args, user=BOSS, now=now)  # type: ignore[no-any-return]


def rep(owner: str, follow_ups: int = 0, leads_touched: int = 0, overdue: int = 0,
        late_logs: int = 0, proposals_missed: int = 0, recycled: int = 0) -> dict[str, Any]:  # fmt: skip
    return {
        "owner": owner, "follow_ups": follow_ups, "leads_touched": leads_touched,
        "overdue": overdue, "late_logs": late_logs, "proposals_missed": proposals_missed,
        "recycled": recycled,
    }  # fmt: skip


# ---------------------------------------------------------------- weeks


def test_sunday_23_59_and_monday_00_00_fall_in_different_weeks(cli):
    sunday = add(cli, "周日客户", "13800138000", now="2024-10-04T10:00")  # acquired Friday
    cli.ok("grade", sunday, "C", "--reason", "初次咨询", now="2024-10-06T23:59")
    cli.ok("follow", sunday, "--note", "周日晚回电", "--at", "2024-10-06 23:59",
           now="2024-10-07T00:30")  # logged within the hour  # fmt: skip
    monday = add(cli, "周一客户", "13800138001", now="2024-10-07T00:00")
    cli.ok("grade", monday, "C", "--reason", "初次咨询", now="2024-10-07T00:00")
    cli.ok("follow", monday, "--note", "零点回电", "--at", "2024-10-07 00:00")  # logged at 09:00

    this_week = review(cli, "--week", now="2024-10-07T09:00")
    assert (this_week["from"], this_week["to"]) == ("2024-10-07", "2024-10-13")
    assert this_week["summary"] == {**ZERO, "new_leads": 1, "graded": 1, "follow_ups": 1}
    assert this_week["reps"] == [rep("王芳", 1, 1, late_logs=1)]
    assert review(cli, now="2024-10-07T09:00") == this_week
    assert review(cli, "--week-of", "10月7日", now="2024-10-07T09:00") == this_week
    assert review(cli, "--week-of", "2024-10-13", now="2024-10-07T09:00") == this_week

    last_week = review(cli, "--last-week", now="2024-10-07T09:00")
    assert (last_week["from"], last_week["to"]) == ("2024-09-30", "2024-10-06")
    assert last_week["summary"] == {**ZERO, "new_leads": 1, "graded": 1, "follow_ups": 1}
    assert last_week["reps"] == [rep("王芳", 1, 1)]
    assert review(cli, "--week-of", "2024-10-06", now="2024-10-07T09:00") == last_week
    assert review(cli, "--week-of", "2024-09-30", now="2024-10-07T09:00") == last_week

    # on Sunday night, "this week" is still the week that began on Monday
    assert review(cli, "--week")["summary"] == this_week["summary"]
    assert review(cli, "--last-week")["summary"] == last_week["summary"]


def test_week_options(cli):
    for args in (("--week", "--last-week"), ("--last-week", "--week-of", "2024-10-01"),
                 ("--week", "--week-of", "2024-10-01")):  # fmt: skip
        result = cli("review", *args)
        assert (result.code, result.out) == (2, "")
        assert result.err == "Error: Use one of --week, --last-week or --week-of DATE.\n"
    result = cli("review", "--week-of", "someday")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "Error: Cannot read week 'someday': use 2024-10-05, today, tomorrow, +3d, a weekday "
        "(fri), 10月5日, 今天, 明天, 后天 or 下周一.\n"
    )
    doc = review(cli, "--week-of", "2024-02-29", now="2024-10-07T09:00")
    assert (doc["from"], doc["to"]) == ("2024-02-26", "2024-03-03")


def test_an_empty_week(cli):
    doc = review(cli)
    assert doc["summary"] == ZERO
    assert (doc["grades_to_confirm"], doc["reps"], doc["sources"], doc["loss_reasons"]) == (
        [], [], [], []
    )  # fmt: skip
    out = cli.ok("review", user=BOSS).out
    assert out.startswith("Weekly review 2024-10-07 – 2024-10-13\n")
    for text in (
        "Every grade is confirmed.",
        "No follow-ups logged and nothing overdue.",
        "No leads acquired up to 2024-10-07.",  # the week is not over: today, not Sunday
        "No deals lost this week.",
    ):
        assert text in out, text


# ---------------------------------------------------------------- summary


def test_summary_counts_what_happened_in_the_week(cli):
    # last week: acquired, graded, lost, a follow-up — none of it counts this week
    old = add(cli, "老客户", "13800138000", grade="B", now="2024-10-02T10:00")
    gone = add(cli, "上周丢单", "13800138001", grade="C", now="2024-10-02T10:00")
    lost(cli, gone, "budget", now="2024-10-04T10:00")
    cli.ok("follow", old, "--note", "上周沟通", now="2024-10-03T10:00")
    late_close = add(cli, "补录成交", "13800138002", grade="A", now="2024-09-30T10:00")
    won(cli, late_close, "50万", "--date", "2024-10-05", now="2024-10-08T10:00")  # closed last week
    # three months ago: a D lead went to sleep; wake brings it back this Monday night
    sleeper = add(cli, "沉睡客户", "13800138003", grade="D", now="2024-07-01T10:00")
    for attempt in range(3):
        cli.ok("follow", sleeper, "--note", f"未接 {attempt}", "--no-response",
               now=f"2024-07-01T1{attempt + 1}:00")  # fmt: skip
    assert cli.json("wake", now="2024-10-07T02:00", user="cron")["woken"] == [sleeper]

    # this week
    a = add(cli, "一号客户", "13800138004", grade="A")
    cli.ok("upgrade", a, *CRITERIA, now="2024-10-08T10:00")
    won(cli, a, "0.10", now="2024-10-08T11:00")
    b = add(cli, "二号客户", "13800138005", grade="A", now="2024-10-08T10:00")
    won(cli, b, "0.20", now="2024-10-09T10:00")
    c = add(cli, "三号客户", "13800138006", grade="C", now="2024-10-09T10:00")
    lost(cli, c, "价格", now="2024-10-10T10:00")
    d = add(cli, "四号客户", "13800138007", grade="D", now="2024-10-11T10:00")
    for attempt in range(3):
        cli.ok("follow", d, "--note", f"未接 {attempt}", "--no-response",
               now=f"2024-10-11T1{attempt + 1}:00")  # fmt: skip
    cli.ok("grade", old, "A", "--reason", "预算已批", now="2024-10-12T10:00")
    cli.ok("follow", old, "--note", "确认预算", now="2024-10-12T11:00")

    doc = review(cli)
    assert doc["summary"] == {
        "new_leads": 4,  # a, b, c, d
        "graded": 5,  # a, b, c, d and old's regrade
        "follow_ups": 4,  # d ×3, old ×1
        "upgraded": 1,
        "won": 2,
        "won_amount": "0.30",  # 0.10 + 0.20, exactly
        "lost": 1,
        "dormant": 1,
        "woken": 1,
    }
    assert review(cli, "--last-week")["summary"] == {
        **ZERO, "new_leads": 3, "graded": 3, "follow_ups": 1, "won": 1, "won_amount": "500000.00",
        "lost": 1,
    }  # fmt: skip


def test_money_is_summed_exactly(cli):
    for i, amount in enumerate(["999999999999999.99", "0.01", "0.10", "0.20", "1.5万", "30w"]):
        number = add(cli, f"客户{i}", f"1380013800{i}", grade="A")
        won(cli, number, amount)
    doc = review(cli)
    assert doc["summary"]["won"] == 6
    assert doc["summary"]["won_amount"] == "1000000000315000.30"
    out = cli.ok("review", user=BOSS, now=SUNDAY_NIGHT).out
    assert "Won 6 (¥1,000,000,000,315,000.30) · lost 0" in out


# ---------------------------------------------------------------- grades to confirm


def test_grades_to_confirm_until_the_supervisor_confirms(cli):
    a = add(cli, "一号客户", "13800138000", grade="A")
    b = add(cli, "二号客户", "13800138001", grade="B", now="2024-10-08T10:00")
    c = add(cli, "三号客户", "13800138002", "--owner", "李雷")
    cli.ok("grade", c, "C", "--reason", "需求模糊", user=BOSS, now="2024-10-08T11:00")
    add(cli, "未分级客户", "13800138003")
    doc = review(cli)
    assert doc["grades_to_confirm"] == [
        {"number": c, "customer": "三号客户", "owner": "李雷", "grade": "C", "reason": "需求模糊",
         "graded_at": "2024-10-08T11:00:00+08:00", "by": BOSS},
        {"number": a, "customer": "一号客户", "owner": "王芳", "grade": "A", "reason": "A 级依据",
         "graded_at": "2024-10-07T09:00:00+08:00", "by": "王芳"},
        {"number": b, "customer": "二号客户", "owner": "王芳", "grade": "B", "reason": "B 级依据",
         "graded_at": "2024-10-08T10:00:00+08:00", "by": "王芳"},
    ]  # fmt: skip

    confirmed = cli.json("grade", a, "--confirm", user=BOSS, now="2024-10-09T10:00")
    assert confirmed["grade_confirmed"] is True
    last = confirmed["history"][-1]
    assert (last["event"], last["by"], last["grade"]) == ("grade_confirmed", BOSS, "A")
    assert [g["number"] for g in review(cli)["grades_to_confirm"]] == [c, b]

    # a regrade needs confirming again; a closed lead's unconfirmed grade is still listed
    cli.ok("grade", a, "B", "--reason", "决策推迟", now="2024-10-10T10:00")
    won(cli, b, "30万", now="2024-10-10T11:00")
    assert [g["number"] for g in review(cli)["grades_to_confirm"]] == [c, b, a]
    for number in (a, b, c):
        cli.ok("grade", number, "--confirm", user=BOSS, now="2024-10-11T10:00")
    assert review(cli)["grades_to_confirm"] == []
    assert "Every grade is confirmed." in cli.ok("review", user=BOSS).out


# ---------------------------------------------------------------- reps


def test_reps_follow_ups_touched_late_logs_overdue_and_missed_proposals(cli):
    # Monday: four A leads (proposal due Thursday 10-10), and one of 张伟's, untouched since 09-23
    l1 = add(cli, "一号客户", "13800138000", grade="A")
    l2 = add(cli, "二号客户", "13800138001", grade="A")
    l3 = add(cli, "三号客户", "13800138002", grade="A", user="李雷")
    l4 = add(cli, "四号客户", "13800138003", grade="A", user="李雷")
    add(cli, "五号客户", "13800138004", grade="C", user="张伟", now="2024-09-23T10:00")

    cli.ok("follow", l1, "--note", "电话沟通", "--at", "2024-10-08 08:00",
           now="2024-10-08T10:00")  # logged two hours late  # fmt: skip
    cli.ok("follow", l2, "--kind", "方案", "--note", "发送报价方案", now="2024-10-09T09:00")
    cli.ok("follow", l2, "--note", "代同事回访", "--force", user="李雷", now="2024-10-09T15:00")
    won(cli, l4, "30万", user="李雷", now="2024-10-09T16:00")  # won before its deadline

    # Thursday evening: the deadline is today, not yet passed
    thursday = review(cli, now="2024-10-10T18:00")
    assert thursday["reps"] == [
        rep("王芳", 2, 2, overdue=1, late_logs=1),  # l1: touched Tuesday, due Wednesday
        rep("李雷", 1, 1, overdue=1),  # l3: graded Monday, untouched, due Tuesday
        rep("张伟", overdue=1),
    ]
    cli.ok("follow", l3, "--kind", "proposal", "--note", "方案晚了一天", user="李雷",
           now="2024-10-11T10:30")  # fmt: skip

    friday = review(cli, now="2024-10-11T18:00")
    assert friday["reps"] == [
        rep("李雷", 2, 2, proposals_missed=1),  # l3's proposal came a day late; l4 was won in time
        rep("王芳", 2, 2, overdue=2, late_logs=1, proposals_missed=1),  # l1 never got one
        rep("张伟", overdue=1),
    ]
    assert review(cli, "--owner", "李雷", now="2024-10-11T18:00")["reps"] == [
        rep("李雷", 2, 2, proposals_missed=1)
    ]
    # the proposals were due this week: last week's review has none missed
    assert review(cli, "--last-week", now="2024-10-11T18:00")["reps"] == [
        rep("张伟", overdue=1), rep("王芳", overdue=2)
    ]  # fmt: skip
    out = cli.ok("review", user=BOSS, now="2024-10-11T18:00").out
    assert "Reps" in out
    assert "Proposals missed" in out


# ---------------------------------------------------------------- sources


def test_conversion_by_source_to_date(cli):
    w = add(cli, "官网一", "13800138000", grade="A", now="2024-09-02T10:00")
    cli.ok("upgrade", w, *CRITERIA, now="2024-09-03T10:00")
    won(cli, w, "30万", now="2024-09-10T10:00")
    x = add(cli, "官网二", "13800138001", grade="B", now="2024-09-16T10:00")
    lost(cli, x, "price", now="2024-09-20T10:00")
    add(cli, "官网三", "13800138002", grade="C", now="2024-10-01T10:00")
    y = add(cli, "展会一", "13800138003", source="行业展会", grade="A", now="2024-10-02T10:00")
    cli.ok("upgrade", y, *CRITERIA, now="2024-10-03T10:00")
    z = add(cli, "展会二", "13800138004", source="行业展会", grade="A", now="2024-10-02T10:00")
    won(cli, z, "12万", now="2024-10-08T10:00")  # won without an upgrade
    add(cli, "转介绍一", "13800138005", source="老客户转介绍", now="2024-10-08T10:00")

    doc = review(cli)
    assert doc["sources"] == [
        {"source": "官网注册", "leads": 3, "opportunities": 1, "won": 1, "lost": 1,
         "win_rate": pytest.approx(1 / 3, abs=1e-4), "listed": None},
        {"source": "行业展会", "leads": 2, "opportunities": 1, "won": 1, "lost": 0,
         "win_rate": 0.5, "listed": None},
        {"source": "老客户转介绍", "leads": 1, "opportunities": 0, "won": 0, "lost": 0,
         "win_rate": 0.0, "listed": None},
    ]  # fmt: skip
    # leads acquired up to the end of the period: last week has no 老客户转介绍 yet
    assert [s["source"] for s in review(cli, "--last-week")["sources"]] == ["官网注册", "行业展会"]
    assert review(cli, "--week-of", "2024-09-02")["sources"] == [
        {"source": "官网注册", "leads": 1, "opportunities": 1, "won": 1, "lost": 0,
         "win_rate": 1.0, "listed": None},
    ]  # fmt: skip
    out = cli.ok("review", user=BOSS, now=SUNDAY_NIGHT).out
    assert "Conversion by source" in out
    assert "33%" in out


# ---------------------------------------------------------------- loss reasons


def test_loss_reasons_of_the_week_with_their_share(cli):
    numbers = [add(cli, f"客户{i}", f"1380013800{i}", grade="B") for i in range(5)]
    lost(cli, numbers[0], "price", now="2024-10-08T10:00")
    lost(cli, numbers[1], "价格", now="2024-10-09T10:00")
    lost(cli, numbers[2], "预算不足", now="2024-10-10T10:00")
    lost(cli, numbers[3], "competitor", "--date", "2024-10-06", now="2024-10-08T10:00")  # last week
    won(cli, numbers[4], "10万", now="2024-10-08T10:00")
    reasons = review(cli)["loss_reasons"]
    assert reasons == [
        {"reason": "price", "count": 2, "share": pytest.approx(2 / 3)},
        {"reason": "budget", "count": 1, "share": pytest.approx(1 / 3)},
    ]
    assert sum(r["share"] for r in reasons) == pytest.approx(1.0, abs=1e-9)
    assert review(cli, "--last-week")["loss_reasons"] == [
        {"reason": "competitor", "count": 1, "share": 1.0}
    ]
    out = cli.ok("review", user=BOSS, now=SUNDAY_NIGHT).out
    assert "2 of 3 lost deals cite price (价格)." in out
    assert "Loss reasons" in out
    assert "█" * 13 in out  # 2/3 of a 20-wide bar
    last_week = cli.ok("review", "--last-week", user=BOSS, now=SUNDAY_NIGHT).out
    assert "1 of 1 lost deal cites a competitor (选择竞品)." in last_week


def test_shares_add_up_to_one(cli):
    reasons = ["budget", "price", "timing", "need-changed", "other", "no-response", "competitor"]
    for i, reason in enumerate(reasons):
        lost(cli, add(cli, f"客户{i}", f"1380013800{i}", grade="C"), reason)
    doc = review(cli)
    shares = [r["share"] for r in doc["loss_reasons"]]
    assert len(shares) == 7
    assert all(s == pytest.approx(1 / 7) for s in shares)
    assert all(0 <= s <= 1 for s in shares)
    assert sum(shares) == pytest.approx(1.0, abs=1e-9)
    assert doc["summary"]["lost"] == 7
    out = cli.ok("review", user=BOSS, now=SUNDAY_NIGHT).out
    assert "1 of 7 lost deals cites budget (预算不足)." in out


# ---------------------------------------------------------------- --owner


def test_owner_narrows_every_section(cli):
    mine = add(cli, "王芳的客户", "13800138000", grade="A")
    cli.ok("follow", mine, "--note", "沟通")
    won(cli, mine, "10万", now="2024-10-08T10:00")
    his = add(cli, "李雷的客户", "13800138001", grade="B", user="李雷")
    cli.ok("follow", his, "--note", "沟通", user="李雷")
    cli.ok("follow", his, "--note", "代同事沟通", "--force")  # 王芳 on 李雷's lead
    cli.ok("upgrade", his, *CRITERIA, user="李雷", now="2024-10-08T10:00")
    his2 = add(cli, "李雷的客户二", "13800138002", source="行业展会", grade="C", user="李雷")
    lost(cli, his2, "timing", user="李雷", now="2024-10-09T10:00")

    doc = review(cli, "--owner", "李雷")
    assert doc["owner"] == "李雷"
    # follow-ups: those 李雷 logged, as his reps row counts them (王芳's on his lead is hers)
    assert doc["summary"] == {
        **ZERO, "new_leads": 2, "graded": 2, "follow_ups": 1, "upgraded": 1, "lost": 1,
    }  # fmt: skip
    assert [g["number"] for g in doc["grades_to_confirm"]] == [his, his2]
    assert doc["reps"] == [rep("李雷", 1, 1, overdue=1)]  # his B lead was due by Thursday
    assert [(s["source"], s["leads"], s["opportunities"], s["lost"]) for s in doc["sources"]] == [
        ("官网注册", 1, 1, 0),
        ("行业展会", 1, 0, 1),
    ]
    assert doc["loss_reasons"] == [{"reason": "timing", "count": 1, "share": 1.0}]

    everyone = review(cli)
    assert everyone["owner"] is None
    assert everyone["summary"] == {
        **ZERO, "new_leads": 3, "graded": 3, "follow_ups": 3, "upgraded": 1, "won": 1,
        "won_amount": "100000.00", "lost": 1,
    }  # fmt: skip
    assert everyone["reps"] == [rep("王芳", 2, 2), rep("李雷", 1, 1, overdue=1)]
    mine_only = review(cli, "--owner", "王芳")
    assert mine_only["summary"] == {
        **ZERO, "new_leads": 1, "graded": 1, "follow_ups": 2, "won": 1, "won_amount": "100000.00",
    }  # fmt: skip
    assert mine_only["reps"] == [rep("王芳", 2, 2)]
    assert review(cli, "--owner", "nobody")["summary"] == ZERO
    assert cli.ok("review", "--owner", "李雷", user=BOSS).out.startswith(
        "Weekly review 2024-10-07 – 2024-10-13 · 李雷"
    )


# ---------------------------------------------------------------- human output


def test_human_output_shows_every_section(cli):
    a = add(cli, "杭州云栖科技有限公司", "13800138000", grade="A")
    cli.ok("follow", a, "--note", "沟通", "--at", "2024-10-07 07:00")  # late
    b = add(cli, "苏州某某公司", "13800138001", source="行业展会", grade="B")
    lost(cli, b, "价格")
    cli.ok("wake", user="cron")
    result = cli.ok("review", "--week", user=BOSS)
    out = result.out
    assert result.err == ""
    for text in (
        "Weekly review 2024-10-07 – 2024-10-13",
        "New leads 2 · graded 2 · follow-ups 1 · upgraded 0\n",
        "Won 0 (¥0.00) · lost 1 · went dormant 0 · woken 0\n",
        "Grades to confirm (2) — leadctl grade LEAD --confirm",
        "杭州云栖科技有限公司",
        "Reps",
        "Conversion by source",
        "行业展会",
        "1 of 1 lost deal cites price (价格).",
        "Loss reasons",
        "█" * 20,
        "wake ran 1 time: woke 0, 0 went dormant (last 2024-10-07 09:00 by cron).",
    ):
        assert text in out, text
    assert out.index("Grades to confirm") < out.index("Reps") < out.index("Conversion by source")
    assert out.index("Conversion by source") < out.index("Loss reasons")
    doc = review(cli)
    assert doc["wake_runs"] == [
        {"at": "2024-10-07T09:00:00+08:00", "by": "cron", "woken": 0, "dormant": 0}
    ]


# ---------------------------------------------------------------- query plans (SQLite)


@contextmanager
def captured_queries() -> Any:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", capture)


@pytest.mark.parametrize("backend", ["sqlite"])  # EXPLAIN QUERY PLAN is SQLite's
@pytest.mark.parametrize("owner", [(), ("--owner", "王芳")], ids=["everyone", "owner"])
def test_the_weeks_rows_are_found_by_their_time_index(cli, backend, owner):
    """SQLite 3.40 without statistics: a week's follow-ups joined to their lead were probed lead
    by lead through (lead_id, at); the report must start from the index on follow_up.at."""
    for i in range(3):
        number = add(cli, f"客户{i}", f"1380013800{i}", grade="A")
        cli.ok("follow", number, "--note", "沟通")
    lost(cli, number, "price")
    with captured_queries() as seen:
        review(cli, *owner)
    plans: dict[str, list[str]] = {}
    db = sqlite3.connect(cli.db)
    try:
        for statement, parameters in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            rows = db.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            plans[statement] = [row[3] for row in rows]
    finally:
        db.close()

    def main_table(statement: str) -> str:
        return statement.split("FROM", 1)[1].split()[0]

    counted = {s: p for s, p in plans.items() if main_table(s) == "follow_up"}
    assert len(counted) == 2  # the summary's count and the reps' activity
    for statement, plan in counted.items():
        assert plan[0].startswith("SEARCH follow_up USING"), (statement, plan)
        assert "INDEX ix_follow_up_at (at>? AND at<?)" in plan[0], (statement, plan)
        assert not any("ix_follow_up_lead_at" in step for step in plan), (statement, plan)
        assert not any(step.startswith(("SCAN lead", "SEARCH lead USING COVERING INDEX"))
                       for step in plan), (statement, plan)  # fmt: skip
    # the other rows of the period start from their own indexes too
    for table, index in (("event", "ix_event_kind_at"), ("outcome", "ix_outcome_closed_on")):
        period = {s: p for s, p in plans.items() if main_table(s) == table}
        assert period, table
        for statement, plan in period.items():
            assert plan[0].startswith(f"SEARCH {table} USING"), (statement, plan)
            assert index in plan[0], (statement, plan)
