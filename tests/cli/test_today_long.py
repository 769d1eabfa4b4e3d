"""A long `today` queue (issue 19): a team that imported an old sheet has every lead of it due
at once ("to grade"). Past LONG_TABLE rows the queue is one plain line a lead, laid out as
`list` lays out a long list (CJK-aware widths, no Rich table); `--json` is the same document as
ever, written an item at a time; however the rows are read (queries.today_statement's plans),
the queue is the same. Both backends; Monday 2024-10-07 09:00 Asia/Shanghai; the user is 王芳.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

BOSS = "李强"
MON, FRI = "2024-10-07", "2024-10-11"
LONG_NAME = "内蒙古自治区呼和浩特市某某大型国有能源集团有限责任公司"
HEADS = ["Lead", "Customer", "Gr", "Why due", "Last contact", "Phone"]


@pytest.fixture
def short_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """A queue of more than 2 leads is long: the plain layout, with a handful of leads."""
    import leadctl.render.common

    monkeypatch.setattr(leadctl.render.common, "LONG_TABLE", 2)


def team_queue(cli: Any) -> list[str]:
    """The queue of the Rich layout's test (test_today.py), made by the same commands: an
    ungraded lead whose name is markup, a long CJK name graded A, a B lead with a next action
    and a mood, and one of another rep's; today is Friday."""
    first = cli.add("杭州云栖科技有限公司", "13800130000")["number"]
    cli.ok("grade", first, "B", "--reason", "依据", now=f"{MON}T09:00")
    cli.ok("follow", first, "--note", "跟进", "--next", "提供成功案例", "--next-date", "明天",
           "--mood", "犹豫观望", now=f"{MON}T09:00")  # fmt: skip
    second = cli.add("[bold red]x[/] 贸易", "13800130001")["number"]
    third = cli.add(LONG_NAME, "0571-88886677-8001")["number"]
    cli.ok("grade", third, "A", "--reason", "依据", now=f"{MON}T09:00")
    boss = cli.add("上海某某贸易有限公司", "13800130003", "--owner", BOSS)["number"]
    return [first, second, third, boss]


def columns_of(heads: str, names: list[str]) -> list[tuple[int, int | None]]:
    """[start, end) of each column in cells, from the line of column heads."""
    starts = [cell_len(heads[: heads.index(name)]) for name in names]
    return list(zip(starts, [*starts[1:], None], strict=True))


def cells(line: str, spans: list[tuple[int, int | None]]) -> list[str]:
    """The line cut at the columns' cells (a wide character is 2 cells), each cell stripped."""
    at, cut, offsets = 0, [], []
    for ch in line:
        offsets.append(at)
        at += cell_len(ch)
    offsets.append(at)

    def index(cell: int | None) -> int:
        return len(line) if cell is None else offsets.index(cell)

    for start, end in spans:
        cut.append(line[index(start) : index(end)].strip())
    return cut


@pytest.mark.parametrize("everyone", [False, True])
def test_a_long_queue_is_one_plain_line_a_lead(cli, short_tables, everyone):
    first, second, third, boss = team_queue(cli)
    options = ["--all"] if everyone else []
    result = cli.ok("today", *options, now=f"{FRI}T09:00")
    assert result.err == ""
    lines = result.out.splitlines()
    if everyone:
        assert lines[0] == "2024-10-11 Fri — everyone: 4 overdue · 4 due · 2 to grade"
    else:
        assert lines[0] == "2024-10-11 Fri — 王芳: 3 overdue · 3 due · 1 to grade"
    names = HEADS + (["Owner"] if everyone else [])
    assert [n.strip() for n in re.split(r"\s{2,}", lines[1])] == names
    spans = columns_of(lines[1], names)
    # the rule under the heads: a run of ─ under each column (─ is one cell wide)
    assert set(lines[2]) == {"─", " "}
    assert [m.start() for m in re.finditer("─+", lines[2])] == [start for start, _ in spans]
    body = lines[3:]
    assert not any(ch in result.out for ch in "│┃━…")  # no Rich table, nothing cut short
    assert all(line == line.rstrip() for line in body)
    expected = [
        [second, "[bold red]x[/] 贸易", "–", "to grade, 4 days overdue", "never",
         "138 0013 0001"],
    ]  # fmt: skip
    if everyone:
        boss_row = [boss, "上海某某贸易有限公司", "–", "to grade, 4 days overdue", "never",
                    "138 0013 0003"]  # fmt: skip
        expected.append(boss_row)
    expected += [
        [third, LONG_NAME, "A",
         "A: daily touch, 3 days overdue; proposal due by 10-10, 1 day overdue", "never",
         "0571-8888 6677 ext. 8001"],
        [first, "杭州云栖科技有限公司", "B",
         "next action: 提供成功案例, 3 days overdue; B: touch every 2–3 days, 1 day overdue",
         "4 days ago; hesitant", "138 0013 0000"],
    ]  # fmt: skip
    if everyone:
        for row, owner in zip(expected, ["王芳", BOSS, "王芳", "王芳"], strict=True):
            row.append(owner)
    assert [cells(line, spans) for line in body] == expected, result.out


def test_a_long_queue_is_in_the_order_of_the_json_and_of_the_rich_table(cli, monkeypatch):
    team_queue(cli)
    rich = cli.ok("today", "--all", now=f"{FRI}T09:00").out
    rich_order = [line.split()[0] for line in rich.splitlines() if re.match(r"^L\d{4} ", line)]
    import leadctl.render.common

    monkeypatch.setattr(leadctl.render.common, "LONG_TABLE", 2)
    plain = cli.ok("today", "--all", now=f"{FRI}T09:00").out.splitlines()
    doc = cli.json("today", "--all", now=f"{FRI}T09:00")
    assert [line.split()[0] for line in plain[3:]] == rich_order
    assert [i["number"] for i in doc["items"]] == rich_order
    assert plain[0] == rich.splitlines()[0]  # the same header


def test_a_long_queue_in_chinese(cli, short_tables):
    team_queue(cli)
    lines = cli.ok("today", "--all", now=f"{FRI}T09:00", LEADCTL_LANG="zh").out.splitlines()
    heads = [n.strip() for n in re.split(r"\s{2,}", lines[1])]
    assert all(not re.search(r"[A-Za-z]", head) for head in heads), heads  # Chinese heads
    spans = columns_of(lines[1], heads)
    numbers = [cells(line, spans)[0] for line in lines[3:]]
    assert numbers == ["L0002", "L0004", "L0003", "L0001"]
    customers = [cells(line, spans)[1] for line in lines[3:]]
    assert customers == ["[bold red]x[/] 贸易", "上海某某贸易有限公司", LONG_NAME,
                         "杭州云栖科技有限公司"]  # fmt: skip


def test_terminal_escapes_in_a_long_queue_are_shown_escaped(cli, short_tables):
    for n, name in enumerate(["上海\x1b]0;pwned\x07贸易", "北京\x9b31m科技", "广州贸易"]):
        cli.add(name, f"1380013000{n}")
    out = cli.ok("today").out
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "上海\\x1b]0;pwned\\x07贸易" in out
    assert "北京\\x9b31m科技" in out


def write_sheet(path: Path, rows: int) -> Path:
    """An old sheet as teams have it: no grades, acquired over the last months."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["customer", "phone", "source", "need", "acquired_on", "owner"])
        for i in range(rows):
            owner = BOSS if i % 3 == 0 else "王芳"
            acquired = f"2024-{7 + i % 3:02d}-{1 + i % 28:02d}"
            writer.writerow([f"杭州客户{i}号有限公司", f"1390013{i:04d}", "官网注册", "采购",
                             acquired, owner])  # fmt: skip
    return path


def test_an_imported_sheet_of_600_leads_is_due_at_once(cli, tmp_path):
    cli.ok("import", str(write_sheet(tmp_path / "old.csv", 600)))
    lines = cli.ok("today", "--all").out.splitlines()
    assert lines[0] == "2024-10-07 Mon — everyone: 600 overdue · 600 due · 600 to grade"
    assert len(lines) == 3 + 600
    names = [*HEADS, "Owner"]
    spans = columns_of(lines[1], names)
    rows = [cells(line, spans) for line in lines[3:]]
    doc = cli.json("today", "--all")
    assert [r[0] for r in rows] == [i["number"] for i in doc["items"]]
    first = doc["items"][0]
    assert first["due_on"] == "2024-07-01" and first["reasons"] == ["grade"]
    assert rows[0][1:] == ["杭州客户0号有限公司", "–", "to grade, 98 days overdue", "never",
                           "139 0013 0000", BOSS]  # fmt: skip
    # oldest first, then by number
    assert [i["due_on"] for i in doc["items"]] == sorted(i["due_on"] for i in doc["items"])
    mine = cli.ok("today").out.splitlines()
    assert mine[0] == "2024-10-07 Mon — 王芳: 400 overdue · 400 due · 400 to grade"
    assert len(mine) == 3 + 400


PLANS = {
    # (MANY, SCAN_SHARE) of services.queue: how the rows are read
    "range": (10**9, 1),
    "ids": (1, 0),
    "scan": (1, 10**9),
}


@pytest.mark.parametrize("plan", ["ids", "scan"])
def test_every_read_plan_gives_the_same_queue(cli, monkeypatch, plan):
    import leadctl.services.queue as queue

    team_queue(cli)
    cli.add("下周才到期", "13800130009", "--acquired", "2024-10-01")
    cli.ok("grade", "L0005", "C", "--reason", "依据", now=f"{FRI}T09:00")

    def views() -> list[Any]:
        return [
            cli.json("today", *options, now=f"{FRI}T09:00") if json else
            cli.ok("today", *options, now=f"{FRI}T09:00").out
            for options in ([], ["--all"], ["--owner", BOSS])
            for json in (True, False)
        ]  # fmt: skip

    monkeypatch.setattr(queue, "MANY", PLANS["range"][0])
    expected = views()
    monkeypatch.setattr(queue, "MANY", PLANS[plan][0])
    monkeypatch.setattr(queue, "SCAN_SHARE", PLANS[plan][1])
    assert views() == expected


def test_a_long_json_queue_is_one_document(cli, monkeypatch, tmp_path):
    import leadctl.render

    monkeypatch.setattr(leadctl.render, "STREAM_CHUNK", 7)  # items written 7 at a time
    cli.ok("import", str(write_sheet(tmp_path / "old.csv", 30)))
    doc = cli.json("today", "--all")
    assert set(doc) == {"date", "owner", "items"}
    assert (doc["date"], doc["owner"], len(doc["items"])) == (MON, None, 30)
    assert {k for i in doc["items"] for k in i} >= {
        "number", "customer", "grade", "status", "due_on", "overdue", "reasons",
        "next_action", "phone",
    }  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_query_plans_of_a_long_queue_on_sqlite(cli):
    from datetime import date

    from sqlalchemy.dialects import sqlite

    from leadctl.store.queries import today_statement

    for n in range(5):
        cli.add(f"客户{n}", f"1380013000{n}", "--owner", BOSS if n % 2 else "王芳")

    def plan(statement: Any) -> list[str]:
        sql = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
        return [row[-1] for row in cli.rows(f"EXPLAIN QUERY PLAN {sql}")]

    # the ids from the index alone, then each row by its id, in id order
    for who, index in ((None, "ix_lead_due (due_on<?)"),
                       ("王芳", "ix_lead_owner_due (owner=? AND due_on<?)")):  # fmt: skip
        steps = plan(today_statement(date(2024, 10, 7), who, plan="ids"))
        assert f"SEARCH lead USING COVERING INDEX {index}" in steps, steps
        assert "SEARCH lead USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps
        assert not any(step.startswith("SCAN") for step in steps), steps
    # most leads due: the table read through, no index for the condition
    for who in (None, "王芳"):
        steps = plan(today_statement(date(2024, 10, 7), who, plan="scan"))
        assert "SCAN lead" in steps, steps
        assert not any("follow_up" in step for step in steps), steps
