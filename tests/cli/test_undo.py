"""`undo` (SPEC §6.4), on SQLite and PostgreSQL: the lead is exactly as before the change it
takes back, the history keeps both entries, the limits of who and when, and the review."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WANG, LI, BOSS = "王芳", "李强", "张伟"
START = datetime(2024, 10, 7, 9, 0)  # a Monday


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat(timespec="minutes")


def error(result: Any) -> str:
    """The one `Error:` line of a refused command (a team's note may come before it)."""
    assert result.code == 2, result
    assert result.out == "", result
    lines = [line for line in result.err.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.err
    return lines[0]


def snapshot(cli: Any, number: str, now: str) -> tuple[Any, ...]:
    """What undo must give back: `show --json` but its history, every column of the lead row,
    and its rows in the other tables (an undone follow-up leaves follow_ups[])."""
    doc = cli.json("show", number, now=now)
    doc.pop("history")
    lead_id = int(number.lstrip("L"))
    row = cli.rows("SELECT * FROM lead WHERE id = :i", i=lead_id)
    others = tuple(
        cli.scalar(f"SELECT count(*) FROM {t} WHERE lead_id = :i", i=lead_id)
        for t in ("follow_up", "opportunity", "outcome", "phone", "lead_key")
    )
    return doc, [tuple(map(str, r)) for r in row], others


STEPS = [
    ("follow", "--note", "电话沟通", "--next", "拜访", "--next-date", "2024-10-20"),
    ("follow", "--note", "未接", "--no-response"),
    ("follow", "--note", "发报价", "--kind", "proposal"),
    ("follow", "--note", "完成拜访", "--done"),
    ("grade", "{n}", "A", "--reason", "预算明确"),
    ("grade", "{n}", "D", "--reason", "暂无需求"),
    ("grade", "{n}", "--confirm"),
    ("assign", "{n}", LI),
    ("upgrade", "{n}", "--need-match", "--budget", "20-50万", "--budget-ok",
     "--decision-maker", "张总", "--no-objection"),
    ("close", "{n}", "lost", "--reason", "budget", "--note", "预算不足"),
    ("close", "{n}", "won", "--amount", "30万", "--contract", "HT-1", "--product", "CRM"),
    ("edit", "{n}", "--contact", "刘建华", "--add-phone", "{p}"),
    ("edit", "{n}", "--customer", "苏州明达科技"),
    ("release", "{n}", "--reason", "暂无需求"),
    ("claim", "{n}"),
]  # fmt: skip


def step_args(step: tuple[str, ...], number: str, phone: str) -> list[str]:
    words = [w.replace("{n}", number).replace("{p}", phone) for w in step]
    if words[0] == "follow":
        return ["follow", number, *words[1:], "--force"]
    if words[0] in ("upgrade", "close", "release"):
        return [*words, "--force"]
    return words


@pytest.mark.parametrize("seed", [0])
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.sampled_from(range(len(STEPS))), min_size=1, max_size=6))
def test_undo_gives_back_the_lead_as_it_was_before_the_last_command(cli, seed, steps):
    """A random run of commands on a new lead (the refused ones change nothing), then `undo`:
    the lead is as it was before the last command that changed it."""
    n = cli.scalar("SELECT count(*) FROM lead")
    number = cli.add(f"客户{n}", f"1370013{n:04d}", user=BOSS, now=at(0))["number"]
    minute, before = 1, None
    for index in steps:
        minute += 7
        state = snapshot(cli, number, at(minute))
        result = cli(*step_args(STEPS[index], number, f"1390013{n:04d}"), user=BOSS,
                     now=at(minute))  # fmt: skip
        # a change: it was accepted and changed the lead (an edit to the same values does not)
        if result.code == 0 and snapshot(cli, number, at(minute)) != state:
            before = state
    if before is None:
        assert "no change to undo" in error(cli("undo", number, user=BOSS, now=at(minute + 1)))
        return
    cli.ok("undo", number, user=BOSS, now=at(minute + 1))
    assert snapshot(cli, number, at(minute + 1)) == before
    history = cli.json("show", number, now=at(minute + 2))["history"]
    assert history[-1]["event"] == "undone"


def a_lead(cli: Any, user: str = WANG, now: str = "2024-10-07T09:00") -> str:
    return str(cli.add("杭州云栖科技有限公司", "13800138000", user=user, now=now)["number"])


def team(cli: Any) -> None:
    cli.ok("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    cli.ok("team", "add", WANG, user=BOSS)
    cli.ok("team", "add", LI, user=BOSS)


def test_a_rep_undoes_her_own_change_within_a_day_a_supervisor_any(cli):
    team(cli)
    number = a_lead(cli)
    cli.ok("grade", number, "B", "--reason", "需求明确", user=WANG, now="2024-10-07T10:00")
    assert error(cli("undo", number, user=LI, now="2024-10-07T11:00")) == (
        f"Error: {number}'s latest change (graded at 2024-10-07 10:00) was made by {WANG}; a rep "
        "undoes only her own changes (a supervisor can undo it)."
    )
    assert error(cli("undo", number, user=WANG, now="2024-10-08T10:00")) == (
        f"Error: {number}'s latest change (graded at 2024-10-07 10:00) is more than 24 hours "
        "old; a rep undoes her own changes within 24 hours (a supervisor can undo it)."
    )
    doc = cli.json("undo", number, user=BOSS, now="2024-10-09T10:00")
    assert (doc["grade"], doc["status"]) == (None, "new")
    events = [(h["event"], h["by"]) for h in doc["history"]]
    assert events[-2:] == [("graded", WANG), ("undone", BOSS)]
    assert doc["history"][-1]["undid"] == "graded"
    cli.ok("grade", number, "A", "--reason", "预算明确", user=WANG, now="2024-10-09T11:00")
    assert cli.json("undo", number, user=WANG, now="2024-10-09T12:00")["grade"] is None


def test_a_second_undo_waits_for_the_next_change(cli):
    number = a_lead(cli)
    cli.ok("grade", number, "C", "--reason", "初次询价", now="2024-10-07T10:00")
    cli.ok("grade", number, "B", "--reason", "需求明确", now="2024-10-07T10:30")
    assert cli.json("undo", number, now="2024-10-07T11:00")["grade"] == "C"
    before = cli.counts()
    assert error(cli("undo", number, now="2024-10-07T11:05")) == (
        f"Error: {number}'s latest change (graded by {WANG} at 2024-10-07 10:30) was already "
        "undone; an undo is not itself undone."
    )
    assert cli.counts() == before
    cli.ok("follow", number, "--note", "电话沟通", now="2024-10-07T12:00")
    assert cli.json("undo", number, now="2024-10-07T12:05")["follow_ups"] == []


def test_nothing_to_undo_on_a_new_lead_or_after_the_nightly_wake(cli):
    number = a_lead(cli)
    assert error(cli("undo", number)) == (
        f"Error: {number} has no change to undo (adding a lead is not undone)."
    )
    cli.ok("grade", number, "D", "--reason", "暂无需求", now="2024-10-07T10:00")
    # the third unanswered attempt puts it to sleep: undone together
    for attempt, day in enumerate(["2024-10-08", "2024-10-09", "2024-10-10"]):
        cli.ok("follow", number, "--note", f"未接 {attempt}", "--no-response",
               now=f"{day}T10:00")  # fmt: skip
    assert cli.json("show", number, now="2024-10-10T11:00")["status"] == "dormant"
    doc = cli.json("undo", number, now="2024-10-10T11:00")
    assert (doc["status"], len(doc["follow_ups"])) == ("active", 2)
    cli.ok("follow", number, "--note", "未接 2", "--no-response", now="2024-10-10T12:00")
    cli.json("wake", now="2025-01-09T02:00", user="cron")  # woken after 90 days of rest
    assert error(cli("undo", number, now="2025-01-09T09:00")) == (
        f"Error: {number}'s latest change (woken by cron at 2025-01-09 02:00) was made by the "
        "nightly wake and cannot be undone."
    )


def test_an_undone_change_leaves_the_review(cli):
    number = a_lead(cli)
    cli.ok("grade", number, "A", "--reason", "预算明确", now="2024-10-07T10:00")
    cli.ok("follow", number, "--note", "电话沟通", now="2024-10-07T11:00")

    def summary() -> tuple[int, int]:
        doc = cli.json("review", now="2024-10-11T18:00")["summary"]
        return doc["graded"], doc["follow_ups"]

    assert summary() == (1, 1)
    cli.ok("undo", number, now="2024-10-07T11:30")
    assert summary() == (1, 0)
    cli.ok("grade", number, "B", "--reason", "需求明确", now="2024-10-07T12:00")
    assert summary() == (2, 0)
    cli.ok("undo", number, now="2024-10-07T12:30")
    assert summary() == (1, 0)  # the history keeps both entries; the review counts one


def test_undo_of_an_edit_gives_back_phones_and_what_find_finds(cli):
    number = a_lead(cli)
    cli.ok("edit", number, "--customer", "苏州明达科技", "--phone", "13900139000",
           now="2024-10-07T10:00")  # fmt: skip
    assert cli.json("find", "hzyq") == []
    doc = cli.json("undo", number, now="2024-10-07T10:30")
    assert (doc["customer"], doc["phones"]) == ("杭州云栖科技有限公司", ["+8613800138000"])
    assert [i["number"] for i in cli.json("find", "hzyq")] == [number]
    assert [i["number"] for i in cli.json("find", "8000")] == [number]


@pytest.mark.parametrize(
    "last",
    [
        ("upgrade", "--need-match", "--budget", "20-50万", "--budget-ok", "--decision-maker",
         "张总", "--no-objection"),
        ("close", "won", "--amount", "30万", "--contract", "HT-1", "--product", "CRM"),
        ("close", "lost", "--reason", "budget", "--note", "预算不足"),
    ],
)  # fmt: skip
def test_undo_of_an_upgrade_or_a_close(cli, last):
    number = a_lead(cli)
    cli.ok("grade", number, "A", "--reason", "预算明确", now="2024-10-07T10:00")
    cli.ok("follow", number, "--note", "电话沟通", now="2024-10-07T11:00")
    if last[0] == "close" and last[1] == "won":
        cli.ok("upgrade", number, *STEPS[8][2:], now="2024-10-07T11:30")
    before = snapshot(cli, number, "2024-10-07T12:30")
    cli.ok(last[0], number, *last[1:], now="2024-10-07T12:00")
    cli.ok("undo", number, now="2024-10-07T12:30")
    assert snapshot(cli, number, "2024-10-07T12:30") == before
