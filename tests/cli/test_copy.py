"""Moving to the team database (issue 16 point 7): `leadctl copy --to URL` copies a private
SQLite database, every row of it, into an empty PostgreSQL or SQLite database in one
transaction, checks the counts, and refuses a target that holds anything.

The target is the backend's own database (PostgreSQL, or a SQLite file), so the round trip runs
on both engines; the source is a SQLite file filled through the command line.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import REP

BOSS, LI = "张伟", "李强"
NUMBERS = [f"L000{n}" for n in range(1, 7)]
TABLES = ("lead", "phone", "follow_up", "opportunity", "outcome", "event", "lead_change",
          "lead_key", "member", "setting", "wake_run")  # fmt: skip


def a_team_book(cli: Any, db: str) -> None:
    """Every kind of row: a roster and team settings, a won lead with its opportunity, a lost
    one, a dormant one, an edited and undone one, one in the pool, an assigned one, a wake run."""

    def run(*args: str, user: str = REP) -> Any:
        return cli.json(*args, user=user, LEADCTL_DB=db)

    run("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    run("team", "add", REP, user=BOSS)
    run("team", "add", LI, user=BOSS)
    run("team", "set", "pool.recycle_days", "30", user=BOSS)
    need = ("--source", "官网注册", "--need", "采购CRM系统")
    run("add", "杭州云栖科技有限公司", "--phone", "13800138000", *need, "--contact", "陈总")
    run("add", "上海明德贸易有限公司", "--phone", "0571-88886677", "--phone",
        "13900008000", *need)  # fmt: skip
    run("add", "杭州海纳食品", "--phone", "13700138000", *need)
    run("add", "苏州恒通物流", "--phone", "13600138000", *need, "--contact", "刘经理")
    run("add", "北京华信软件", "--phone", "13500138000", *need)
    run("add", "广州启明教育", "--phone", "13400138000", *need, user=LI)
    # L1: graded, confirmed, followed with a next action, upgraded, won
    run("grade", "L1", "A", "--reason", "预算30万, 一个月内决策")
    run("grade", "L1", "--confirm", user=BOSS)
    run("follow", "L1", "--note", "确认预算", "--at", "2024-10-07 08:30", "--mood", "积极关注",
        "--next", "发送报价方案", "--next-date", "明天")  # fmt: skip
    run("upgrade", "L1", "--need-match", "--budget", "20-50万", "--budget-ok", "--decision-maker",
        "陈明", "--dm-title", "采购总监", "--dm-phone", "13911112222", "--no-objection",
        "--competitor", "销售易", "--advantage", "本地服务", "--strategy", "上门演示")  # fmt: skip
    run("close", "L1", "won", "--amount", "30万", "--contract", "HT-2024-017", "--product", "CRM")
    # L2: lost; L3: dormant after three unanswered attempts
    run("close", "L2", "lost", "--reason", "budget", "--note", "预算不足")
    run("grade", "L3", "D", "--reason", "暂无需求")
    for minute in ("10", "20", "30"):
        run("follow", "L3", "--note", "未接", "--no-response", "--at", f"2024-10-07 08:{minute}")
    # L4: edited, graded, the grade undone; L5: released to the pool; L6: assigned
    run("edit", "L4", "--contact", "刘建华经理")
    run("grade", "L4", "C", "--reason", "需求模糊")
    run("undo", "L4")
    run("release", "L5", "--reason", "暂无需求")
    run("assign", "L6", REP, user=LI)
    run("wake")


def shown(cli: Any, db: str) -> dict[str, Any]:
    """What people read of a database: every lead as `show --json` gives it, and the lists."""
    return {
        **{n: cli.json("show", n, LEADCTL_DB=db) for n in NUMBERS},
        "list": cli.json("list", LEADCTL_DB=db),
        "pool": cli.json("pool", LEADCTL_DB=db),
        "today": cli.json("today", "--all", LEADCTL_DB=db),
        "review": cli.json("review", "--week", LEADCTL_DB=db, user=BOSS),
        "team": cli.json("team", "list", LEADCTL_DB=db),
        "settings": cli.json("team", "settings", LEADCTL_DB=db),
    }


def sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def target_counts(cli: Any) -> dict[str, int]:
    return {t: cli.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}


@pytest.fixture
def source(cli: Any, tmp_path: Path) -> Path:
    path = tmp_path / "private" / "leads.db"
    path.parent.mkdir()
    a_team_book(cli, str(path))
    return path


def test_copy_round_trip_every_lead_reads_the_same(cli, source):
    before = shown(cli, str(source))
    assert before["L0001"]["outcome"]["amount"] == "300000.00"  # the book is what it says
    assert [before[n]["status"] for n in NUMBERS[:3]] == ["won", "lost", "dormant"]
    assert before["L0005"]["owner"] is None and before["L0006"]["owner"] == REP

    copied = cli.json("copy", "--to", cli.db, LEADCTL_DB=str(source), user=BOSS)
    counts = sqlite_counts(source)
    assert copied["from"] == str(source)
    assert {t["table"]: t["rows"] for t in copied["tables"]} == counts
    assert copied["rows"] == sum(counts.values())
    assert target_counts(cli) == counts
    assert counts["wake_run"] == 1 and counts["member"] == 3 and counts["lead_change"] > 0

    assert shown(cli, cli.db) == before
    assert shown(cli, str(source)) == before  # the source is only read


def test_after_a_copy_the_team_works_on_in_the_new_database(cli, source):
    cli.ok("copy", "--to", cli.db, LEADCTL_DB=str(source))
    # every id sequence continues past the copied rows (PostgreSQL's are set explicitly)
    added = cli.add("深圳立方数据有限公司", "13300138000")
    assert added["number"] == "L0007"
    followed = cli.json("follow", "L4", "--note", "再次沟通", "--next", "发案例")
    assert [f["note"] for f in followed["follow_ups"]] == ["再次沟通"]
    cli.ok("grade", "L7", "B", "--reason", "两个部门审批")
    cli.ok("wake")
    assert cli.scalar("SELECT count(*) FROM wake_run") == 2
    assert [e["event"] for e in cli.json("show", "L7")["history"]] == ["created", "graded"]


def test_a_copy_of_the_copy_into_a_new_sqlite_file_reads_the_same(cli, source, tmp_path):
    """From the backend's database (PostgreSQL on that half) into a file copy creates 0600."""
    cli.ok("copy", "--to", cli.db, LEADCTL_DB=str(source))
    again = tmp_path / "archive" / "again.db"
    copied = cli.json("copy", "--to", str(again))
    assert copied["to"] == str(again)
    assert stat.S_IMODE(again.stat().st_mode) == 0o600
    assert sqlite_counts(again) == sqlite_counts(source)
    assert shown(cli, str(again)) == shown(cli, str(source))


def test_a_target_that_holds_anything_is_refused_and_kept(cli, source):
    from leadctl.store.engine import mask_url

    cli.add("已有客户", "13200138000")
    before = cli.counts()
    result = cli("copy", "--to", cli.db, LEADCTL_DB=str(source))
    assert result.code == 2, result
    assert result.out == ""
    keys = cli.scalar("SELECT count(*) FROM lead_key")
    assert result.err.splitlines()[-1] == (
        f"Error: {mask_url(cli.db) if cli.backend == 'postgresql' else cli.db} is not empty: it "
        f"holds leads (1), phones (1), history entries (1), find keys ({keys}). Copy into a new, "
        "empty database; nothing was copied."
    ), result
    assert cli.counts() == before


def test_a_target_with_tables_of_its_own_is_refused_untouched(cli, source):
    with cli.engine().begin() as conn:
        conn.execute(text("CREATE TABLE customers (name TEXT)"))
    try:
        result = cli("copy", "--to", cli.db, LEADCTL_DB=str(source))
        assert result.code == 2, result
        assert result.err.strip().endswith(
            "is not empty: it already holds tables (customers). Copy into a new, empty "
            "database; nothing was copied."
        ), result
        assert target_counts(cli) == dict.fromkeys(TABLES, 0)
    finally:  # the PostgreSQL database is shared by the session's tests
        with cli.engine().begin() as conn:
            conn.execute(text("DROP TABLE customers"))


def test_copying_a_database_onto_itself_is_refused(cli):
    cli.add("杭州云栖科技有限公司", "13800138000")
    before = cli.counts()
    result = cli("copy", "--to", cli.db)
    assert result.code == 2, result
    assert result.err.strip().endswith(
        "is the database you copy from: give --to a new, empty one."
    ), result
    assert cli.counts() == before


def test_a_copy_that_does_not_count_the_same_writes_nothing(cli, source, monkeypatch, tmp_path):
    """One row lost on the way (a fault injected into the copy of the history): the counts
    disagree, the transaction is rolled back, and a file the copy created is removed again."""
    from leadctl.store import copying

    real = copying._copy_rows

    def lose_the_last_history_entry(reading, out, table, done, total, progress):
        if table.name != "event":
            return real(reading, out, table, done, total, progress)
        rows = list(reading.execute(table.select().order_by(table.c.id)).mappings())
        out.execute(table.insert(), [dict(row) for row in rows[:-1]])
        return done + len(rows)

    monkeypatch.setattr(copying, "_copy_rows", lose_the_last_history_entry)
    for target in (cli.db, str(tmp_path / "new.db")):
        result = cli("copy", "--to", target, LEADCTL_DB=str(source))
        assert result.code == 3, result
        assert result.err.strip().endswith(
            "did not count the same rows as the source (event); nothing was written. Try again."
        ), result
    assert target_counts(cli) == dict.fromkeys(TABLES, 0)
    assert not (tmp_path / "new.db").exists()


def test_copy_reads_well_at_80_columns(cli, source):
    from leadctl.store.engine import mask_url

    result = cli("copy", "--to", cli.db, LEADCTL_DB=str(source), COLUMNS="80")
    assert result.code == 0, result
    lines = result.out.splitlines()
    rows = sum(sqlite_counts(source).values())
    assert lines[0] == f"Copied 6 leads, {rows} rows in all; every table's count matches."
    # the paths are never broken (they go into a setting), whatever their length
    target = mask_url(cli.db) if cli.backend == "postgresql" else cli.db
    assert lines[1:3] == [f"  from {source}", f"  to   {target}"]
    assert max(len(line) for line in lines[3:]) <= 80
    leads = next(line for line in lines if line.startswith("leads "))
    assert leads.split() == ["leads", "6"]
    history = next(line for line in lines if line.startswith("history entries"))
    assert int(history.split()[-1]) == sqlite_counts(source)["event"]
    assert lines[-1] == (
        "Now point everyone's LEADCTL_DB (or db in leadctl.toml) at the new database."
    )


def test_copy_needs_a_target(cli):
    result = cli("copy", "--to", " ")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "Error: --to is empty: give a postgresql+psycopg://… URL or a new file.\n"
    )
    missing = cli("copy")
    assert missing.code == 2
    assert missing.err.startswith("Error: Missing option '--to'"), missing
