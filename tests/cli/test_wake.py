"""Reactivation under cron, end to end on SQLite and PostgreSQL: `wake` (issue 5).

Leads go to rest on Monday 2024-10-07 (the default clock); `wake` then runs at 02:00 on the day
asked for, as cron would, under the user `cron`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

REST_DAY = date(2024, 10, 7)
WAKE_REASONS = ("budget", "price", "timing", "need-changed")
NEVER_REASONS = ("competitor", "no-response", "out-of-scope", "other")


def day(n: int, since: date = REST_DAY) -> date:
    return since + timedelta(days=n)


def at(n: int, since: date = REST_DAY, clock: str = "02:00") -> str:
    """The moment `clock` on day `n` after `since`."""
    return f"{day(n, since).isoformat()}T{clock}"


def wake(cli: Any, n: int, *args: str, since: date = REST_DAY, user: str = "cron") -> Any:
    return cli.json("wake", *args, now=at(n, since), user=user)


def dormant_lead(cli: Any, customer: str, phone: str, *, user: str = "王芳",
                 on: date = REST_DAY) -> str:  # fmt: skip
    """A D lead whose three attempts on `on` went unanswered: dormant from that day."""
    now = f"{on.isoformat()}T09:00"
    number = cli.add(customer, phone, user=user, now=now)["number"]
    cli.ok("grade", number, "D", "--reason", "暂无需求", user=user, now=now)
    for attempt in range(3):
        lead = cli.json("follow", number, "--note", f"未接 {attempt + 1}", "--no-response",
                        user=user, now=f"{on.isoformat()}T1{attempt}:00")  # fmt: skip
    assert (lead["status"], lead["due_on"]) == ("dormant", None)
    return str(number)


def lost_lead(cli: Any, customer: str, phone: str, reason: str, *, user: str = "王芳",
              on: date = REST_DAY) -> str:  # fmt: skip
    now = f"{on.isoformat()}T09:00"
    number = cli.add(customer, phone, user=user, now=now)["number"]
    cli.ok("grade", number, "B", "--reason", "多部门审批", user=user, now=now)
    lead = cli.json("close", number, "lost", "--reason", reason, "--note", "见备注",
                    user=user, now=f"{on.isoformat()}T10:00")  # fmt: skip
    assert lead["status"] == "lost"
    return str(number)


def events(cli: Any, event: str) -> dict[int, int]:
    """How many `event` lines each lead's history holds."""
    rows = cli.rows(
        "SELECT lead_id, count(*) FROM event WHERE event = :event GROUP BY lead_id", event=event
    )
    return {int(lead_id): int(count) for lead_id, count in rows}


def lead_id(number: str) -> int:
    return int(number.lstrip("L"))


# ---------------------------------------------------------------- dormant leads


def test_a_dormant_lead_wakes_on_day_90_not_89(cli):
    mine = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    his = dormant_lead(cli, "苏州某某公司", "13800138001", user="李雷")

    doc = wake(cli, 89)
    assert doc == {"date": "2025-01-04", "dry_run": False, "woken": [], "dormant": [],
                   "woken_leads": [], "dormant_leads": [], "recycled": [], "recycled_leads": []}  # fmt: skip
    lead = cli.json("show", mine, now=at(89))
    assert (lead["status"], lead["woken_on"], lead["due_on"]) == ("dormant", None, None)
    assert cli.json("today", now=at(89, clock="09:00"))["items"] == []

    doc = wake(cli, 90)
    assert (doc["date"], doc["dry_run"], doc["woken"], doc["dormant"]) == (
        "2025-01-05", False, [mine, his], []
    )  # fmt: skip
    lead = cli.json("show", mine, now=at(90, clock="09:00"))
    assert (lead["status"], lead["grade"], lead["woken_on"], lead["due_on"]) == (
        "dormant", "D", "2025-01-05", "2025-01-05"
    )  # fmt: skip
    assert lead["reasons"] == ["wake"]
    woken = lead["history"][-1]
    assert (woken["event"], woken["by"], woken["at"]) == (
        "woken",
        "cron",
        "2025-01-05T02:00:00+08:00",
    )
    assert (woken["status"], woken["rested_on"]) == ("dormant", "2024-10-07")

    # a `wake` item, due that day, in its owner's queue (and only there)
    queue = cli.json("today", now=at(90, clock="09:00"))
    assert [(i["number"], i["reasons"], i["due_on"], i["overdue"], i["status"]) for i in
            queue["items"]] == [(mine, ["wake"], "2025-01-05", False, "dormant")]  # fmt: skip
    theirs = cli.json("today", user="李雷", now=at(90, clock="09:00"))
    assert [i["number"] for i in theirs["items"]] == [his]
    # not tried that day: overdue the next
    assert cli.json("today", now=at(91, clock="09:00"))["items"][0]["overdue"] is True
    assert events(cli, "woken") == {lead_id(mine): 1, lead_id(his): 1}


def test_a_second_run_the_same_day_wakes_nothing_more(cli):
    first = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    second = lost_lead(cli, "苏州某某公司", "13800138001", "budget")
    assert wake(cli, 180)["woken"] == [first, second]
    assert wake(cli, 180)["woken"] == []
    later = cli.json("wake", now=at(180, clock="23:30"), user="王芳")
    assert (later["woken"], later["dormant"]) == ([], [])
    assert wake(cli, 181)["woken"] == []  # woken once per rest, not once per night
    assert events(cli, "woken") == {lead_id(first): 1, lead_id(second): 1}
    ledger = cli.rows('SELECT "by", woken, dormant FROM wake_run ORDER BY id')
    assert [tuple(r) for r in ledger] == [
        ("cron", 2, 0), ("cron", 0, 0), ("王芳", 0, 0), ("cron", 0, 0)
    ]  # fmt: skip


@pytest.mark.slow
def test_concurrent_runs_wake_each_lead_exactly_once(cli):
    """Three `leadctl wake` processes started at the same moment, as two crontabs might."""
    sleepers = [dormant_lead(cli, f"沉睡客户{i}", f"1380013800{i}") for i in range(4)]
    lost = [lost_lead(cli, f"丢单客户{i}", f"1390013900{i}", reason)
            for i, reason in enumerate(("价格", "timing", "competitor"))]  # fmt: skip
    regraded = cli.add("改判客户", "13700137000")["number"]
    cli.ok("grade", regraded, "C", "--reason", "需求模糊")
    for attempt in range(3):
        cli.ok("follow", regraded, "--note", f"未接 {attempt + 1}", "--no-response")
    cli.ok("grade", regraded, "D", "--reason", "三次未接")
    before = cli.counts()

    for round_ in range(2):  # the second round finds nothing left to do
        env = {**os.environ, **cli.env, "LEADCTL_NOW": at(180)}
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "leadctl", "wake", "--json"],
                env={**env, "LEADCTL_USER": f"cron{i}"},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(3)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        for run, (out, err) in zip(runs, outputs, strict=True):
            assert (run.returncode, err) == (0, ""), (out, err)
        docs = [json.loads(out) for out, _ in outputs]
        woken = sorted(n for d in docs for n in d["woken"])
        swept = sorted(n for d in docs for n in d["dormant"])
        if round_ == 0:
            assert woken == sorted([*sleepers, *lost[:2]])  # each in exactly one run's list
            assert swept == [regraded]
        else:
            assert (woken, swept) == ([], [])

    expected = {lead_id(n): 1 for n in [*sleepers, *lost[:2]]}
    assert events(cli, "woken") == expected
    assert events(cli, "dormant") == {
        **{lead_id(n): 1 for n in sleepers}, lead_id(regraded): 1
    }  # fmt: skip
    runs_logged = cli.rows("SELECT woken, dormant FROM wake_run ORDER BY id")
    assert len(runs_logged) == 6
    assert sum(r[0] for r in runs_logged) == 6
    assert sum(r[1] for r in runs_logged) == 1
    after = cli.counts()
    assert after["event"] == before["event"] + 7
    assert after["wake_run"] == before["wake_run"] + 6
    assert cli.scalar("SELECT count(*) FROM lead WHERE woken_on = :d", d=day(180)) == 6


# ---------------------------------------------------------------- lost leads


def test_lost_leads_wake_after_180_days_only_for_some_reasons(cli):
    chinese = {"budget": "预算不足", "timing": "时机", "competitor": "选择竞品", "other": "其他"}
    numbers = {}
    for i, reason in enumerate(WAKE_REASONS + NEVER_REASONS):
        numbers[reason] = lost_lead(cli, f"客户{i}", f"1380013800{i}", chinese.get(reason, reason))
    assert wake(cli, 179)["woken"] == []
    doc = wake(cli, 180)
    assert doc["woken"] == [numbers[r] for r in WAKE_REASONS]
    assert [
        (w["number"], w["status"], w["reason"], w["rested_on"]) for w in doc["woken_leads"]
    ] == [(numbers[r], "lost", r, "2024-10-07") for r in WAKE_REASONS]
    for reason in WAKE_REASONS:
        lead = cli.json("show", numbers[reason], now=at(180, clock="09:00"))
        assert (lead["status"], lead["woken_on"], lead["reasons"]) == (
            "lost",
            "2025-04-05",
            ["wake"],
        )
        assert lead["history"][-1]["reason"] == reason
    for reason in NEVER_REASONS:
        assert cli.json("show", numbers[reason])["woken_on"] is None
    assert wake(cli, 5 * 365)["woken"] == []  # the others never wake
    assert set(events(cli, "woken")) == {lead_id(numbers[r]) for r in WAKE_REASONS}
    queue = cli.json("today", now=at(180, clock="09:00"))
    assert [i["number"] for i in queue["items"]] == [numbers[r] for r in WAKE_REASONS]


def test_the_rest_of_a_lost_lead_counts_from_its_close_date(cli):
    number = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    cli.ok("close", number, "lost", "--reason", "price", "--note", "太贵", "--date", "2024-10-01")
    assert wake(cli, 179, since=date(2024, 10, 1))["woken"] == []
    assert wake(cli, 180, since=date(2024, 10, 1))["woken"] == [number]


# ---------------------------------------------------------------- --dry-run, --quiet, ledger


def test_dry_run_reports_and_writes_nothing(cli):
    sleeper = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    regraded = cli.add("苏州某某公司", "13800138001")["number"]
    cli.ok("grade", regraded, "C", "--reason", "需求模糊")
    for attempt in range(3):
        cli.ok("follow", regraded, "--note", f"未接 {attempt + 1}", "--no-response")
    cli.ok("grade", regraded, "D", "--reason", "三次未接")
    before = cli.counts()
    lead_rows = cli.rows("SELECT * FROM lead ORDER BY id")

    doc = wake(cli, 90, "--dry-run")
    assert (doc["date"], doc["dry_run"], doc["woken"], doc["dormant"]) == (
        "2025-01-05", True, [sleeper], [regraded]
    )  # fmt: skip
    result = cli.ok("wake", "--dry-run", now=at(90), user="cron")
    assert result.out.startswith(
        "2025-01-05: Would wake 1 lead; 1 would go dormant (dry run: nothing written).\n"
    )
    assert "dormant since 2024-10-07" in result.out
    assert cli.counts() == before
    assert cli.rows("SELECT * FROM lead ORDER BY id") == lead_rows

    doc = wake(cli, 90)  # the real run still finds them
    assert (doc["dry_run"], doc["woken"], doc["dormant"]) == (False, [sleeper], [regraded])


def test_quiet_prints_nothing_when_nothing_changed(cli):
    for args in (("--quiet",), ("-q",), ("--quiet", "--dry-run")):
        result = cli("wake", *args, user="cron")
        assert (result.code, result.out, result.err) == (0, "", "")
    assert cli.scalar("SELECT count(*) FROM wake_run") == 2  # the dry run is not logged

    sleeper = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    result = cli("wake", "--quiet", now=at(90), user="cron")
    assert result.code == 0
    assert result.out.startswith("2025-01-05: Woke 1 lead; 0 went dormant.\n")
    assert sleeper in result.out
    result = cli("wake", "--quiet", now=at(90, clock="03:00"), user="cron")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_every_real_run_leaves_one_row_in_the_ledger(cli):
    dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    lost_lead(cli, "苏州某某公司", "13800138001", "price")
    wake(cli, 10)
    wake(cli, 90, "--dry-run")
    wake(cli, 90)
    cli.ok("wake", "--quiet", now=at(90, clock="04:00"), user="cron")
    wake(cli, 180, user="主管")
    rows = cli.rows('SELECT "by", woken, dormant FROM wake_run ORDER BY id')
    assert [tuple(r) for r in rows] == [
        ("cron", 0, 0), ("cron", 1, 0), ("cron", 0, 0), ("主管", 1, 0)
    ]  # fmt: skip
    runs = cli.json("review", "--week-of", day(90).isoformat(), now=at(200))["wake_runs"]
    assert runs == [
        {"at": "2025-01-05T02:00:00+08:00", "by": "cron", "woken": 1, "dormant": 0},
        {"at": "2025-01-05T04:00:00+08:00", "by": "cron", "woken": 0, "dormant": 0},
    ]
    summary = cli.json("review", "--week-of", day(90).isoformat(), now=at(200))["summary"]
    assert summary["woken"] == 1


# ---------------------------------------------------------------- the next follow-up decides


def test_an_answered_follow_up_reopens_a_woken_dormant_lead(cli):
    number = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    wake(cli, 90)
    lead = cli.json("follow", number, "--note", "客户回电, 重新有需求", "--mood", "积极关注",
                    now=at(90, clock="10:00"))  # fmt: skip
    assert (lead["status"], lead["grade"], lead["grade_reason"], lead["woken_on"]) == (
        "active", None, None, None
    )  # fmt: skip
    assert (lead["due_on"], lead["reasons"]) == ("2025-01-05", ["grade"])
    reopened = lead["history"][-1]
    assert (reopened["event"], reopened["previous"], reopened["grade"], reopened["by"]) == (
        "reopened", "dormant", "D", "王芳"
    )  # fmt: skip
    old = [h for h in lead["history"] if h["event"] == "graded"]
    assert [(h["grade"], h["reason"]) for h in old] == [("D", "暂无需求")]  # history keeps it
    queue = cli.json("today", now=at(90, clock="11:00"))
    assert [(i["number"], i["reasons"], i["grade"]) for i in queue["items"]] == [
        (number, ["grade"], None)
    ]
    # graded anew, it is a lead like any other; it never wakes again while active
    cli.ok("grade", number, "B", "--reason", "需求明确, 预算待批", now=at(90, clock="11:00"))
    assert wake(cli, 400)["woken"] == []
    assert events(cli, "woken") == {lead_id(number): 1}
    assert events(cli, "reopened") == {lead_id(number): 1}


def test_an_answered_follow_up_on_a_dormant_lead_not_woken_also_reopens_it(cli):
    number = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    lead = cli.json("follow", number, "--note", "客户主动来电", now=at(30, clock="10:00"))
    assert (lead["status"], lead["grade"]) == ("active", None)
    assert lead["history"][-1]["event"] == "reopened"
    assert wake(cli, 90)["woken"] == []


def test_a_reopened_lost_lead_can_be_closed_again(cli):
    number = lost_lead(cli, "杭州云栖科技有限公司", "13800138000", "预算不足")
    wake(cli, 180)
    # woken is not reopened: still lost, so not closable yet
    result = cli("close", number, "won", "--amount", "30万", "--contract", "HT-1",
                 "--product", "CRM", now=at(180, clock="09:00"))  # fmt: skip
    assert (result.code, result.err) == (
        2, f"Error: {number} is already lost; a closed lead is never closed again.\n"
    )  # fmt: skip
    lead = cli.json("follow", number, "--note", "新财年预算已批", now=at(180, clock="10:00"))
    assert (lead["status"], lead["grade"], lead["outcome"]) == ("active", None, None)
    assert (lead["history"][-1]["event"], lead["history"][-1]["previous"]) == ("reopened", "lost")
    cli.ok("grade", number, "A", "--reason", "预算30万已批", now=at(180, clock="10:30"))
    lead = cli.json("close", number, "won", "--amount", "30万", "--contract", "HT-2025-001",
                    "--product", "CRM 标准版", now=at(181, clock="10:00"))  # fmt: skip
    assert lead["status"] == "won"
    assert (lead["outcome"]["result"], lead["outcome"]["amount"], lead["outcome"]["closed_on"]) == (
        "won", "300000.00", day(181).isoformat()
    )  # fmt: skip
    assert [h["event"] for h in lead["history"]] == [
        "created", "graded", "lost", "woken", "followed", "reopened", "graded", "won"
    ]  # fmt: skip
    assert [tuple(r) for r in cli.rows("SELECT result, reason FROM outcome ORDER BY id")] == [
        ("lost", "budget"), ("won", None)
    ]  # fmt: skip
    assert wake(cli, 600)["woken"] == []  # won: never woken


def test_a_reopened_lost_lead_lost_again_rests_by_its_new_reason(cli):
    number = lost_lead(cli, "杭州云栖科技有限公司", "13800138000", "price")
    wake(cli, 180)
    cli.ok("follow", number, "--note", "客户回电", now=at(180, clock="10:00"))
    cli.ok("close", number, "lost", "--reason", "选择竞品", "--note", "签了别家",
           now=at(181, clock="10:00"))  # fmt: skip
    assert wake(cli, 181 + 180)["woken"] == []  # competitor: never
    assert events(cli, "woken") == {lead_id(number): 1}


def test_an_unanswered_follow_up_sends_a_woken_dormant_lead_back_to_rest(cli):
    number = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    wake(cli, 90)
    tried = day(91)  # tried the day after it woke, no answer
    lead = cli.json("follow", number, "--note", "仍未接", "--no-response",
                    now=f"{tried.isoformat()}T10:00")  # fmt: skip
    assert (lead["status"], lead["grade"], lead["woken_on"], lead["due_on"]) == (
        "dormant", "D", None, None
    )  # fmt: skip
    assert cli.json("today", now=f"{tried.isoformat()}T11:00")["items"] == []
    assert wake(cli, 89, since=tried)["woken"] == []
    assert wake(cli, 90, since=tried)["woken"] == [number]
    assert events(cli, "woken") == {lead_id(number): 2}
    assert wake(cli, 90, since=tried)["woken"] == []


def test_an_unanswered_follow_up_sends_a_woken_lost_lead_back_to_rest(cli):
    number = lost_lead(cli, "杭州云栖科技有限公司", "13800138000", "timing")
    wake(cli, 180)
    tried = day(180)
    lead = cli.json("follow", number, "--note", "未接", "--no-response",
                    now=f"{tried.isoformat()}T15:00")  # fmt: skip
    assert (lead["status"], lead["woken_on"], lead["due_on"]) == ("lost", None, None)
    assert lead["outcome"]["reason"] == "timing"
    result = cli("follow", number, "--note", "再试", now=f"{tried.isoformat()}T16:00")
    assert (result.code, result.err) == (
        2,
        f"Error: {number} is lost; it takes follow-ups again only once `leadctl wake` wakes it. "
        "If the customer came back, capture a new lead: "
        "leadctl add '杭州云栖科技有限公司' --phone … --source … --need …\n",
    )
    assert wake(cli, 179, since=tried)["woken"] == []
    doc = wake(cli, 180, since=tried)
    assert doc["woken"] == [number]
    out = cli.ok("wake", "--dry-run", now=at(180, since=tried)).out
    assert number not in out  # already woken
    assert events(cli, "woken") == {lead_id(number): 2}


def test_an_unanswered_attempt_on_a_dormant_lead_not_woken_keeps_its_clock(cli):
    number = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    cli.ok("follow", number, "--note", "节日问候, 未接", "--kind", "问候", "--no-response",
           now=at(60, clock="10:00"))  # fmt: skip
    assert wake(cli, 90)["woken"] == [number]  # still 90 days from when it went dormant


# ---------------------------------------------------------------- the sweep


def test_wake_sweeps_d_leads_that_qualify_for_dormancy(cli):
    regraded = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    cli.ok("grade", regraded, "C", "--reason", "需求模糊")
    for attempt in range(3):
        cli.ok("follow", regraded, "--note", f"未接 {attempt + 1}", "--no-response")
    lead = cli.json("grade", regraded, "D", "--reason", "三次未接")
    assert lead["status"] == "active"  # not yet: it was C at the third attempt
    two = cli.add("苏州某某公司", "13800138001")["number"]
    cli.ok("grade", two, "D", "--reason", "暂无需求")
    for attempt in range(2):
        cli.ok("follow", two, "--note", f"未接 {attempt + 1}", "--no-response")
    answered = cli.add("南京某某公司", "13800138002")["number"]
    cli.ok("grade", answered, "C", "--reason", "需求模糊")
    for attempt in range(3):
        cli.ok("follow", answered, "--note", f"未接 {attempt + 1}", "--no-response")
    cli.ok("follow", answered, "--note", "接通了")
    cli.ok("grade", answered, "D", "--reason", "明确拒绝")

    doc = wake(cli, 1)
    assert (doc["woken"], doc["dormant"]) == ([], [regraded])
    assert doc["dormant_leads"] == [
        {"number": regraded, "customer": "杭州云栖科技有限公司", "owner": "王芳"}
    ]
    lead = cli.json("show", regraded, now=at(1))
    assert (lead["status"], lead["due_on"]) == ("dormant", None)
    assert_schedule_is_the_cadence_of(cli, 1)
    last = lead["history"][-1]
    assert (last["event"], last["by"], last["swept"]) == ("dormant", "cron", True)
    for number in (two, answered):
        assert cli.json("show", number)["status"] == "active"
    out = cli.ok("wake", now=at(1, clock="03:00"), user="cron").out
    assert out == "2024-10-08: Woke 0 leads; 0 went dormant.\n"
    # it rests from the day it was swept
    assert wake(cli, 90)["woken"] == []
    assert wake(cli, 91)["woken"] == [regraded]
    assert_schedule_is_the_cadence_of(cli, 1)


def assert_schedule_is_the_cadence_of(cli: Any, lead_id: int) -> None:
    """The schedule the sweep stored is the one every other write would store for the lead's
    state (domain.cadence.stored_schedule), its plain and base days included."""
    from zoneinfo import ZoneInfo

    from sqlmodel import Session

    from leadctl.domain.cadence import SCHEDULE_COLUMNS, CadenceRules, stored_schedule
    from leadctl.domain.lifecycle import LeadState
    from leadctl.store.tables import Lead

    with Session(cli.engine()) as session:
        lead = session.get(Lead, lead_id)
        facts = LeadState.of(lead, "")
        expected = stored_schedule(
            facts.cadence_facts(), facts.proposal_done_on, CadenceRules(),
            ZoneInfo(cli.env["LEADCTL_TZ"]),
        )  # fmt: skip
        assert {c: getattr(lead, c) for c in SCHEDULE_COLUMNS} == expected


# ---------------------------------------------------------------- the config file


def test_intervals_and_reasons_come_from_the_config_file(cli):
    Path(cli.env["LEADCTL_CONFIG"]).write_text(
        '[wake]\ndormant_days = 30\nlost_days = 60\nlost_reasons = ["competitor", "other"]\n',
        encoding="utf-8",
    )
    sleeper = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    rival = lost_lead(cli, "苏州某某公司", "13800138001", "选择竞品")
    pricey = lost_lead(cli, "南京某某公司", "13800138002", "price")
    assert wake(cli, 29)["woken"] == []
    assert wake(cli, 30)["woken"] == [sleeper]
    assert wake(cli, 59)["woken"] == []
    assert wake(cli, 60)["woken"] == [rival]
    assert wake(cli, 400)["woken"] == []
    assert cli.json("show", pricey)["woken_on"] is None


def test_the_attempts_before_dormancy_come_from_the_config_file(cli):
    Path(cli.env["LEADCTL_CONFIG"]).write_text("[wake]\ndormant_after = 2\n", encoding="utf-8")
    number = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    cli.ok("grade", number, "D", "--reason", "暂无需求")
    cli.ok("follow", number, "--note", "未接 1", "--no-response")
    assert cli.json("follow", number, "--note", "未接 2", "--no-response")["status"] == "dormant"
    assert wake(cli, 90)["woken"] == [number]


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ('[wake]\nlost_reasons = ["cheap"]\n',
         "Error: wake.lost_reasons in the config file: unknown reason 'cheap'.\n"),
        ("[wake]\ndormant_days = -1\n",
         "Error: wake.dormant_days in the config file must be a whole number ≥ 0.\n"),
        ("[wake]\nsleep_days = 9\n",
         "Error: Unknown setting 'sleep_days' in [wake] of the config file; known: "
         "dormant_after, dormant_days, lost_days, lost_reasons.\n"),
    ],
)  # fmt: skip
def test_a_bad_wake_setting_is_refused(cli, config, error):
    dormant_lead(cli, "杭州云栖科技有限公司", "13800138000")
    Path(cli.env["LEADCTL_CONFIG"]).write_text(config, encoding="utf-8")
    before = cli.counts()
    result = cli("wake", now=at(90))
    assert (result.code, result.out, result.err) == (2, "", error)
    assert cli.counts() == before


# ---------------------------------------------------------------- human output


def test_human_output_says_who_was_woken_for_whom_and_why(cli):
    sleeper = dormant_lead(cli, "杭州云栖科技有限公司", "13800138000", user="李雷")
    pricey = lost_lead(cli, "苏州某某公司", "13800138001", "价格")
    result = cli.ok("wake", now=at(180), user="cron")
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == "2025-04-05: Woke 2 leads; 0 went dormant."
    row = next(line for line in lines if sleeper in line)
    assert "杭州云栖科技有限公司" in row and "李雷" in row and "dormant since 2024-10-07" in row
    row = next(line for line in lines if pricey in line)
    assert "苏州某某公司" in row and "王芳" in row and "lost for price on 2024-10-07" in row


def test_a_lost_lead_resting_again_says_since_when(cli):
    number = lost_lead(cli, "苏州某某公司", "13800138000", "budget")
    wake(cli, 180)
    cli.ok("follow", number, "--note", "未接", "--no-response", now=at(181, clock="10:00"))
    out = cli.ok("wake", now=at(180, since=day(181)), user="cron").out
    assert f"lost for budget on 2024-10-07, resting again since {day(181).isoformat()}" in out


def test_the_nightly_report_lists_a_bounded_number_of_leads(cli, monkeypatch):
    """Cron mail stays readable on a big night: the count in full, the first leads of each
    part, then how many more and where to find them; --json lists every one."""
    import leadctl.render.reports as reports

    numbers = [dormant_lead(cli, f"客户{n}", f"1380013800{n}") for n in range(3)]
    monkeypatch.setattr(reports, "WAKE_ROWS", 2)
    out = cli.ok("wake", "--dry-run", now=at(90), user="cron").out
    assert out.splitlines()[0] == (
        f"{day(90).isoformat()}: Would wake 3 leads; 0 would go dormant (dry run: nothing written)."
    )
    assert [n for n in numbers if n in out] == numbers[:2]
    assert out.splitlines()[-1] == "… and 1 more woken: each owner finds hers in `leadctl today`."
    assert wake(cli, 90)["woken"] == numbers


def test_lost_leads_of_a_database_before_0006_wake_by_their_reason(cli):
    """Migration 0006 gives each lost lead its latest outcome's reason: a database of the release
    before it (0005) wakes its lost leads as it did, a reason that wakes and one that never does."""
    from alembic import command
    from sqlalchemy import text

    from leadctl.store.engine import HEAD_REVISION
    from leadctl.store.migrate import alembic_config

    price = lost_lead(cli, "价格客户", "13800138001", "价格")
    rival = lost_lead(cli, "竞品客户", "13800138002", "competitor")
    engine = cli.engine()
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
        assert "lost_reason" not in list(conn.execute(text("SELECT * FROM lead")).keys())
    engine.dispose()
    assert wake(cli, 179)["woken"] == []  # migrates: the rest is not over yet
    with cli.engine().connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            HEAD_REVISION
        )
        reasons = dict(conn.execute(text("SELECT customer, lost_reason FROM lead")).all())
    assert reasons == {"价格客户": "price", "竞品客户": "competitor"}
    assert wake(cli, 180)["woken"] == [price]
    assert rival not in wake(cli, 400)["woken"]
