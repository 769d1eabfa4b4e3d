"""The public pool (SPEC §6.3 公海, issue 14), end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

WANG, LI, BOSS = "王芳", "李强", "张伟"


def error(result: Any) -> str:
    assert result.code == 2, result
    lines = [line for line in result.err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.err
    return lines[0]


def config(cli: Any, text: str) -> None:
    Path(cli.env["LEADCTL_CONFIG"]).write_text(text, encoding="utf-8")


def released(cli: Any, owner: str = WANG, n: int = 0, now: str = "2024-10-07T09:00") -> str:
    number = str(cli.add(f"客户{n}", f"1370013{n:04d}", user=owner, now=now)["number"])
    cli.ok("release", number, "--reason", "暂无需求", user=owner, now=now)
    return number


def test_a_released_lead_is_in_the_pool_and_in_no_queue(cli):
    number = released(cli)
    doc = cli.json("show", number)
    assert (doc["owner"], doc["previous_owner"], doc["due_on"], doc["overdue"]) == (
        None, WANG, None, False,
    )  # fmt: skip
    assert doc["history"][-1] | {"at": None} == {
        "at": None, "by": WANG, "event": "released", "previous": WANG, "reason": "暂无需求",
    }  # fmt: skip
    assert [r["number"] for r in cli.json("pool")] == [number]
    assert cli.json("pool", "--grade", "A") == []
    assert cli.json("today", "--all", now="2024-10-20T09:00")["items"] == []
    review = cli.json("review", now="2024-10-20T09:00")
    assert all(r["overdue"] == 0 for r in review["reps"])


def test_release_needs_a_reason_an_owned_lead_and_the_owner(cli):
    number = str(cli.add("客户", "13700137000", user=WANG)["number"])
    assert "Say why the lead goes back" in error(cli("release", number, user=WANG))
    cli.ok("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    cli.ok("team", "add", WANG, user=BOSS)
    cli.ok("team", "add", LI, user=BOSS)
    assert error(cli("release", number, "--reason", "x", user=LI)) == (
        f"Error: {number} belongs to {WANG}; only its owner or a supervisor releases it."
    )
    cli.ok("release", number, "--reason", "主管回收", user=BOSS)
    assert error(cli("release", number, "--reason", "x", user=BOSS)) == (
        f"Error: {number} is already in the pool."
    )


def test_claim_rules(cli):
    number = released(cli)
    owned = str(cli.add("别人的客户", "13600136000", user=LI)["number"])
    assert error(cli("claim", owned, user=WANG)) == (
        f"Error: {owned} belongs to {LI}; only a lead in the pool can be claimed."
    )
    # the previous owner waits 7 days (day 7 after the release: allowed)
    assert error(cli("claim", number, user=WANG, now="2024-10-13T09:00")) == (
        f"Error: {number} left {WANG} on 2024-10-07; its previous owner may claim it again "
        "from 2024-10-14."
    )
    claimed = cli.json("claim", number, user=WANG, now="2024-10-14T09:00")
    assert [(d["number"], d["owner"]) for d in claimed] == [(number, WANG)]
    assert claimed[0]["history"][-1]["event"] == "claimed"


def test_claims_are_all_or_nothing_and_limited(cli):
    config(cli, "[pool]\nmax_open = 3\ndaily_claims = 2\n")
    pooled = [released(cli, LI, n) for n in range(4)]
    before = cli.counts()
    assert error(cli("claim", *pooled[:3], user=WANG)) == (
        f"Error: {WANG} has claimed 0 leads today; 3 more would pass the daily limit of 2 "
        "(pool.daily_claims)."
    )
    assert cli.counts() == before
    cli.ok("claim", *pooled[:2], user=WANG)
    assert "daily limit" in error(cli("claim", pooled[2], user=WANG))
    cli.add("自己的客户", "13500135000", user=WANG, now="2024-10-08T09:00")
    assert error(cli("claim", pooled[2], pooled[3], user=WANG, now="2024-10-08T10:00")) == (
        f"Error: {WANG} has 3 open leads; claiming 2 more would pass the team's limit of 3 "
        "(pool.max_open)."
    )


def test_ten_reps_claiming_one_lead_give_it_one_owner(cli):
    number = released(cli, BOSS)
    env = {**os.environ, **cli.env}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "leadctl", "claim", number, "--json"],
            env={**env, "LEADCTL_USER": f"rep{i}"}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        for i in range(10)
    ]  # fmt: skip
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    winners = [json.loads(out)[0]["owner"] for code, out, _ in results if code == 0]
    assert len(winners) == 1, results
    for code, _, err in results:
        if code != 0:
            assert code == 2 and err.startswith(f"Error: {number} belongs to {winners[0]};"), err
    assert cli.json("show", number)["owner"] == winners[0]
    assert cli.rows("SELECT count(*) FROM event WHERE event = 'claimed'")[0][0] == 1


def test_recycling_warns_then_returns_the_lead_once(cli):
    config(cli, "[pool]\nrecycle_days = 30\nnotify_days = 3\n")
    number = str(cli.add("客户", "13700137000", user=WANG, now="2024-10-07T09:00")["number"])
    cli.ok("grade", number, "C", "--reason", "初次询价", user=WANG, now="2024-10-07T09:00")
    cli.ok("follow", number, "--note", "x", user=WANG, now="2024-10-10T09:00")
    assert cli.json("show", number, now="2024-10-10T10:00")["recycle_on"] == "2024-11-09"
    quiet = cli.json("today", user=WANG, now="2024-11-05T09:00")
    assert all("recycle" not in i["reasons"] for i in quiet["items"])
    due = cli.json("today", user=WANG, now="2024-11-06T09:00")["items"]
    assert [(i["number"], "recycle" in i["reasons"], i["recycle_on"]) for i in due] == [
        (number, True, "2024-11-09")
    ]
    assert cli.json("wake", now="2024-11-08T02:00")["recycled"] == []
    dry = cli.ok("wake", "--dry-run", "--quiet", now="2024-11-09T02:00").out
    assert dry.splitlines() == [  # cron mails it
        "2024-11-09: Would wake 0 leads; 0 would go dormant; 1 would go back to the pool "
        "(dry run: nothing written).",
        f"{number} 客户 ({WANG}): back to the pool (公海)",
    ]
    env = {**os.environ, **cli.env, "LEADCTL_NOW": "2024-11-09T02:00"}
    runs = [
        subprocess.Popen([sys.executable, "-m", "leadctl", "wake", "--json"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    recycled = [json.loads(run.communicate(timeout=120)[0])["recycled"] for run in runs]
    assert sorted(recycled) == [[], [number]]
    doc = cli.json("show", number, now="2024-11-09T09:00")
    assert (doc["owner"], doc["previous_owner"], doc["recycle_on"]) == (None, WANG, None)
    assert [h["event"] for h in doc["history"]].count("recycled") == 1
    review = cli.json("review", now="2024-11-09T09:00")
    assert review["recycled"] == [
        {"number": number, "customer": "客户", "owner": WANG, "on": "2024-11-09"}
    ]
    assert [r["recycled"] for r in review["reps"] if r["owner"] == WANG] == [1]


def test_recycling_is_off_unless_set(cli):
    number = str(cli.add("客户", "13700137000", user=WANG)["number"])
    assert cli.json("show", number)["recycle_on"] is None
    assert cli.json("wake", now="2025-10-07T02:00")["recycled"] == []


def test_import_to_the_pool(cli, tmp_path: Path):
    form = tmp_path / "form.csv"
    form.write_text(
        "客户名称,联系电话,线索来源,初步需求,负责人\n甲公司,13700137000,展会,CRM,\n乙公司,13700137001,展会,CRM,李强\n",
        encoding="utf-8",
    )
    cli.ok("import", str(form), "--to-pool", user=WANG)
    owners = {r["customer"]: r["owner"] for r in cli.json("list")}
    assert owners == {"甲公司": None, "乙公司": LI}
    assert [r["customer"] for r in cli.json("pool")] == ["甲公司"]


def test_with_a_roster_only_members_claim(cli):
    number = released(cli)
    cli.ok("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    assert "is not on the team's roster, so cannot claim leads" in error(
        cli("claim", number, user="陌生人", now="2024-10-20T09:00")
    )
    cli.ok("claim", number, user=BOSS, now="2024-10-20T09:00")


def test_only_the_owners_follow_up_restarts_the_recycling_clock(cli):
    """SPEC §6.3: recycling counts from its owner's latest follow-up; a supervisor's forced
    follow-up on the lead is recorded but does not keep it from the pool."""
    cli.ok("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    cli.ok("team", "add", WANG, "--role", "rep", user=BOSS)
    cli.ok("team", "set", "pool.recycle_days", "30", user=BOSS)
    number = str(cli.add("客户", "13700137000", user=WANG, now="2024-10-07T09:00")["number"])
    assert cli.json("show", number, now="2024-10-07T10:00")["recycle_on"] == "2024-11-06"
    cli.ok("follow", number, "--note", "主管代为回访", "--force", user=BOSS, now="2024-10-20T09:00")
    assert cli.json("show", number, now="2024-10-20T10:00")["recycle_on"] == "2024-11-06"
    cli.ok("follow", number, "--note", "回访", user=WANG, now="2024-10-21T09:00")
    assert cli.json("show", number, now="2024-10-21T10:00")["recycle_on"] == "2024-11-20"
