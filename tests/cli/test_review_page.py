"""The weekly review as a page (issue 18, SPEC §6.6), on SQLite and PostgreSQL: the figures the
page adds to the review document (the funnel, the period against the four weeks before).

The default clock is Monday 2024-10-07 09:00 (Asia/Shanghai); the supervisor looks at the week
2024-10-07 – 10-13 on Sunday night.
"""

from __future__ import annotations

from tests.cli.test_review import CRITERIA, add, lost, review, won

# ---------------------------------------------------------------- the funnel


def test_the_funnel_counts_leads_acquired_up_to_the_end_ever_graded_upgraded_won(cli):
    # before this week: a D lead that slept, was woken and answered (ungraded now, graded once),
    # a lead lost without a grade, one never graded, one whose grading was taken back
    sleeper = add(cli, "沉睡客户", "13800138000", grade="D", now="2024-07-01T10:00")
    for attempt in range(3):
        cli.ok("follow", sleeper, "--note", f"未接 {attempt}", "--no-response",
               now=f"2024-07-01T1{attempt + 1}:00")  # fmt: skip
    assert cli.json("wake", now="2024-10-01T02:00", user="cron")["woken"] == [sleeper]
    reopened = cli.json("follow", sleeper, "--note", "客户回电", now="2024-10-02T10:00")
    assert (reopened["status"], reopened["grade"]) == ("active", None)
    never = add(cli, "未分级客户", "13800138001", now="2024-10-02T10:00")
    lost(cli, add(cli, "直接丢单", "13800138002", now="2024-10-02T10:00"), "budget",
         now="2024-10-03T10:00")  # fmt: skip
    undone = add(cli, "撤销分级", "13800138003", grade="B", now="2024-10-03T10:00")
    cli.ok("undo", undone, now="2024-10-03T10:05")
    # this week: graded, upgraded and won; upgraded and lost; graded only (李雷's)
    a = add(cli, "一号客户", "13800138004", grade="A")
    cli.ok("upgrade", a, *CRITERIA, now="2024-10-08T10:00")
    won(cli, a, "30万", now="2024-10-09T10:00")
    b = add(cli, "二号客户", "13800138005", grade="A", source="行业展会")
    cli.ok("upgrade", b, *CRITERIA, now="2024-10-08T10:00")
    lost(cli, b, "price", now="2024-10-09T10:00")
    add(cli, "三号客户", "13800138006", grade="C", user="李雷")

    doc = review(cli)
    assert doc["funnel"] == {"captured": 7, "graded": 4, "upgraded": 2, "won": 1}
    # the stages are counted as `sources` counts the leads: the same leads, the same totals
    sources = doc["sources"]
    assert doc["funnel"]["captured"] == sum(s["leads"] for s in sources)
    assert doc["funnel"]["upgraded"] == sum(s["opportunities"] for s in sources)
    assert doc["funnel"]["won"] == sum(s["won"] for s in sources)
    # last week's: only the leads acquired by Sunday 10-06, as they are now
    assert review(cli, "--last-week")["funnel"] == {
        "captured": 4, "graded": 1, "upgraded": 0, "won": 0,
    }  # fmt: skip
    assert review(cli, "--owner", "李雷")["funnel"] == {
        "captured": 1, "graded": 1, "upgraded": 0, "won": 0,
    }  # fmt: skip
    assert never and review(cli, "--week-of", "2024-06-30")["funnel"] == dict.fromkeys(
        ("captured", "graded", "upgraded", "won"), 0
    )


# ---------------------------------------------------------------- the weeks


def test_the_period_against_the_four_weeks_before_counts_follow_ups_and_wins(cli):
    lead = add(cli, "老客户", "13800138000", grade="C", now="2024-08-30T10:00")
    # five weeks ago (not shown), then in each of the four weeks before, then this week
    for day, times in (("2024-09-06", 1), ("2024-09-09", 2), ("2024-09-22", 1),
                       ("2024-10-06", 3), ("2024-10-07", 4)):  # fmt: skip
        for hour in range(times):
            cli.ok("follow", lead, "--note", "电话沟通", now=f"{day}T1{hour}:00")
    # Sunday 23:59 is last week's, Monday 00:00 this week's
    cli.ok("follow", lead, "--note", "深夜", "--at", "2024-10-06 23:59", now="2024-10-07T00:30")
    for number, (day, amount) in enumerate((("2024-09-18", "1.5万"), ("2024-09-19", "0.5万"),
                                            ("2024-10-10", "30万"))):  # fmt: skip
        deal = add(cli, f"成交{number}", f"1390013900{number}", grade="A", now=f"{day}T09:00")
        won(cli, deal, amount, now=f"{day}T10:00")
    other = add(cli, "李雷的客户", "13700137000", grade="C", user="李雷", now="2024-09-09T09:00")
    cli.ok("follow", other, "--note", "李雷跟进", user="李雷", now="2024-09-10T10:00")

    doc = review(cli)
    assert doc["weeks"] == [
        {"from": "2024-09-09", "to": "2024-09-15", "follow_ups": 3, "won": 0,
         "won_amount": "0.00"},
        {"from": "2024-09-16", "to": "2024-09-22", "follow_ups": 1, "won": 2,
         "won_amount": "20000.00"},
        {"from": "2024-09-23", "to": "2024-09-29", "follow_ups": 0, "won": 0,
         "won_amount": "0.00"},
        {"from": "2024-09-30", "to": "2024-10-06", "follow_ups": 4, "won": 0,
         "won_amount": "0.00"},
        {"from": "2024-10-07", "to": "2024-10-13", "follow_ups": 4, "won": 1,
         "won_amount": "300000.00"},
    ]  # fmt: skip
    # the period's own column is the summary's figures
    summary = doc["summary"]
    assert [doc["weeks"][-1][k] for k in ("follow_ups", "won", "won_amount")] == [
        summary["follow_ups"], summary["won"], summary["won_amount"]
    ]  # fmt: skip
    # --owner counts that rep's leads, as the summary does
    assert [w["follow_ups"] for w in review(cli, "--owner", "李雷")["weeks"]] == [1, 0, 0, 0, 0]
    assert [w["from"] for w in review(cli, "--last-week")["weeks"]] == [
        "2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23", "2024-09-30",
    ]  # fmt: skip
