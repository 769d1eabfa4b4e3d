"""Many writers at once (issue 8, item 1), on SQLite and PostgreSQL, with real processes.

Reps and cron write to one database at the same moment: every command must finish (exit 0, or
exit 2 for a real duplicate), every write must be there exactly once, and no "database is
locked" may ever reach a user while the lock timeout has not passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import REP, Result

pytestmark = pytest.mark.slow

PAST = "2024-06-03T09:00"  # leads that went dormant long before the fixed Monday


@dataclass(repr=False)
class Done(Result):
    """A finished process: its result, and the arguments it ran with."""

    args: tuple[str, ...] = ()


def at_once(cli: Any, commands: list[tuple[str, ...]], **env: str) -> list[Done]:
    """Start every command as its own `python -m leadctl` process, then wait for them all."""
    base = {**os.environ, **cli.env, **env}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "leadctl", *args],
            env=base,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    done = []
    for args, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=180)
        done.append(Done(proc.returncode, out, err, args))
    return done


def dormant_since_june(cli: Any, customer: str, phone: str) -> str:
    """A D lead whose three attempts in June went unanswered: `wake` wakes it on the Monday."""
    number = cli.add(customer, phone, now=PAST)["number"]
    cli.ok("grade", number, "D", "--reason", "暂无需求", now=PAST)
    for attempt in range(3):
        lead = cli.json("follow", number, "--note", f"未接 {attempt}", "--no-response", now=PAST)
    assert lead["status"] == "dormant"
    return str(number)


def adding(customer: str, phone: str, *extra: str) -> tuple[str, ...]:
    return ("add", customer, "--phone", phone, "--source", "行业展会", "--need", "采购CRM", *extra)


def test_25_processes_follow_add_and_wake_at_once_and_lose_nothing(cli):
    shared = [cli.add(f"共享客户{i}", f"1380013800{i}")["number"] for i in range(3)]
    sleepers = [dormant_since_june(cli, f"沉睡客户{i}", f"1390013900{i}") for i in range(2)]
    before = cli.counts()

    follows = [("follow", shared[i % 3], "--note", f"并发跟进 {i}", "--json") for i in range(11)]
    adds = [adding(f"并发新客户{i:02d}", f"1370013{i:04d}", "--json") for i in range(11)]
    wakes = [("wake", "--json")] * 3
    # interleaved, so the three kinds really start together
    commands = [c for trio in zip(follows, adds, wakes + [()] * 8, strict=True) for c in trio if c]
    assert len(commands) == 25
    done = at_once(cli, commands)

    for result in done:
        assert (result.code, result.err) == (0, ""), result
    # every follow-up is there exactly once, on its lead, with its history line
    notes = Counter(
        row[0] for row in cli.rows("SELECT note FROM follow_up WHERE note LIKE '并发跟进%'")
    )
    assert notes == Counter(f"并发跟进 {i}" for i in range(11))
    for i, number in enumerate(shared):
        lead_id = int(number[1:])
        logged = cli.scalar("SELECT count(*) FROM follow_up WHERE lead_id = :i", i=lead_id)
        followed = cli.scalar(
            "SELECT count(*) FROM event WHERE lead_id = :i AND event = 'followed'", i=lead_id
        )
        assert logged == followed == len(range(i, 11, 3))
    # every new lead is there once, with a number of its own
    numbers = [r.json["number"] for r in done if r.args[0] == "add"]
    assert len(set(numbers)) == 11
    stored = {
        row[0]: row[1]
        for row in cli.rows("SELECT customer, id FROM lead WHERE customer LIKE '并发新客户%'")
    }
    assert sorted(stored) == [f"并发新客户{i:02d}" for i in range(11)]
    for result in done:
        if result.args[0] == "add":
            assert f"L{stored[result.args[1]]:04d}" == result.json["number"]
    # the two sleepers were woken once, by exactly one of the three runs
    woken = sorted(n for r in done if r.args[0] == "wake" for n in r.json["woken"])
    assert woken == sleepers
    assert cli.scalar("SELECT count(*) FROM event WHERE event = 'woken'") == 2
    after = cli.counts()
    assert after["follow_up"] == before["follow_up"] + 11
    assert after["lead"] == before["lead"] + 11
    assert after["wake_run"] == before["wake_run"] + 3


@pytest.mark.parametrize("clash", ["phone", "customer"])
def test_ten_adds_of_one_customer_at_once_add_it_once(cli, clash):
    """Read-then-write: the duplicate check and the insert must not interleave."""
    if clash == "phone":  # ten customers, one phone number written the same way
        commands = [adding(f"同号客户{i}", "138-0013-8000", "--json") for i in range(10)]
    else:  # one customer written ten ways (spaces and case do not count), ten phones
        names = [f"Yun Qi {' ' * i}Tech" if i % 2 else f"yunqi{' ' * i}TECH" for i in range(10)]
        commands = [adding(name, f"1390013{i:04d}", "--json") for i, name in enumerate(names)]
    done = at_once(cli, commands)

    winners = [r for r in done if r.code == 0]
    assert len(winners) == 1, done
    number = winners[0].json["number"]
    assert cli.scalar("SELECT count(*) FROM lead") == 1
    what = (
        "phone 138 0013 8000 is already on lead"
        if clash == "phone"
        else f"customer {winners[0].json['customer']!r} is already lead"
    )
    for result in done:
        if result.code == 0:
            continue
        assert result.code == 2, result
        assert result.out == ""
        assert result.err == (
            f"Error: Duplicate: {what} {number} (owner {REP}). Follow up that lead, or pass "
            "--allow-duplicate to add it anyway.\n"
        ), result


def test_unanswered_attempts_at_once_send_the_lead_to_sleep_once(cli):
    """Read-then-write on one lead: each follow-up counts the unanswered streak it ends."""
    number = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    cli.ok("grade", number, "D", "--reason", "暂无需求")
    done = at_once(
        cli, [("follow", number, "--note", f"未接 {i}", "--no-response") for i in range(6)]
    )
    for result in done:
        assert (result.code, result.err) == (0, ""), result
    lead = cli.json("show", number)
    assert lead["status"] == "dormant"
    assert len(lead["follow_ups"]) == 6
    assert [h["event"] for h in lead["history"]].count("dormant") == 1
    assert cli.scalar("SELECT unanswered_streak FROM lead") == 6
