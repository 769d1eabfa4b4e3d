"""Nothing leaks (issue 20, classes 2–4), on SQLite and PostgreSQL.

- Terminal escapes in user text (an OSC title, a screen clear, a carriage return, an 8-bit CSI)
  given to every text field of every command come out escaped in every output — confirmations,
  cards, tables, refusals, JSON — in English and in Chinese.
- An exported cell that starts with a control character and then a formula is neither a crash
  nor a formula, in CSV and XLSX alike, and imports back as the text it is.
- Credentials a database URL can carry never appear in a message; a bug's output names the
  exception type and the place, never the values it was working on.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest

from tests.conftest import REP, Result

# an OSC that retitles the window, a screen clear, a carriage return that overwrites the line,
# an 8-bit CSI (U+009B) and a bell: each one a terminal would obey
ESCAPES = "\x1b]0;owned\x07\x1b[2J\r\x9b31m\x08"
# what may never come out raw: C0 controls but tab and newline, DEL, C1 controls
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def evil(word: str) -> str:
    return f"{word}{ESCAPES}尾"


class Leaks:
    """Runs commands and checks that no raw control character reached stdout or stderr."""

    def __init__(self, cli: Any, lang: str) -> None:
        self.cli = cli
        self.lang = lang
        self.seen = 0

    def __call__(self, *args: str, code: int | None = 0, **env: str) -> Result:
        result = self.cli(*args, LEADCTL_LANG=self.lang, **env)
        assert "Traceback" not in result.err, result
        if code is not None:
            assert result.code == code, result
        for stream, output in (("stdout", result.out), ("stderr", result.err)):
            raw = RAW.search(output)
            assert raw is None, f"{args[0]}: raw {raw.group()!r} on {stream}: {output!r}"
        self.seen += 1
        return result

    def both(self, *args: str, code: int = 0, **env: str) -> Result:
        """The human output, then the JSON document."""
        self(*args, code=code, **env)
        return self(*args, "--json", code=code, **env)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_terminal_escapes_in_every_field_of_every_command_come_out_escaped(cli, lang, tmp_path):
    run = Leaks(cli, lang)
    text = ["--contact", evil("联系人"), "--source", evil("展会"), "--need", evil("需求")]
    # capture and correct: every text field of add and edit
    run("add", evil("客户甲"), "--phone", "13800138001", *text, "--wechat", evil("wx"))
    run("add", evil("客户乙"), "--phone", "13800138002", *text, "--json")
    run("add", evil("客户丙"), "--phone", "13800138003", *text, "--owner", evil("李雷"))
    run("add", evil("客户丁"), "--phone", "13800138004", *text, "--email", evil("a@b.cn"), code=2)
    run("add", evil("客户丁"), "--phone", evil("138"), *text, code=2)
    run("add", evil("客户甲"), "--phone", "13800138009", *text, code=2)  # a duplicate, named
    run("edit", "L1", "--customer", evil("客户戊"), *text, "--wechat", evil("wx2"))
    run("edit", "L2", "--need", evil("新需求"), "--json")
    run("edit", evil("L1"), "--need", "x", code=2)
    # grade, follow, upgrade, close: each free-text option
    run.both("grade", "L1", "A", "--reason", evil("预算已批"))
    run("grade", "L1", evil("Z"), "--reason", "x", code=2)
    run.both("follow", "L1", "--note", evil("电话"), "--next", evil("发方案"), "--next-date", "+2d")
    run("follow", "L3", "--note", evil("电话"), code=2)  # owned by someone else: named
    run.both("follow", "L3", "--note", evil("电话"), "--force")
    upgrade = ["--need-match", "--budget", evil("30万"), "--budget-ok"]
    upgrade += ["--decision-maker", evil("张总"), "--dm-title", evil("CTO"), "--no-objection"]
    upgrade += ["--competitor", evil("友商"), "--advantage", evil("本地"), "--strategy", evil("打")]
    run("upgrade", "L2", "--need-match", "--budget", evil("30万"), code=2)  # criteria missing
    run("grade", "L2", "B", "--reason", evil("理由"))
    run("follow", "L2", "--note", evil("电话"))
    run("upgrade", "L2", *upgrade)
    won = ["--amount", "30万", "--contract", evil("HT-1"), "--product", evil("CRM")]
    run("close", "L2", "won", *won, "--factors", evil("快"))
    lost = ["--reason", "price", "--note", evil("贵"), "--competitor", evil("友商")]
    run("close", "L1", "lost", *lost)
    run("add", evil("客户己"), "--phone", "13800138005", *text)
    run("assign", "L4", evil("韩梅梅"))
    run("assign", "L3", REP, "--json")
    run("release", "L3", "--reason", evil("没空"))
    run("claim", "L3", user=evil("赵六"))
    run("undo", "L3", user=evil("赵六"))
    # every view of what was stored
    for number in ("L1", "L2", "L3", "L4"):
        run.both("show", number)
    run.both("show", evil("L9"), code=2)
    for view in (["list"], ["today", "--all"], ["review"], ["sources"], ["pool"], ["wake"]):
        run.both(*view)
    run.both("find", "客户")
    run.both("find", evil("客户"))
    run.both("list", "--owner", evil("韩梅梅"))
    run.both("today", "--owner", evil("韩梅梅"))
    run("--user", evil("王芳"), "today")
    run("--tz", evil("Asia/Shanghai"), "today", code=2)
    run("list", LEADCTL_DB=str(tmp_path / evil("库")))  # a note names the missing file
    nowhere = str(tmp_path / evil("库") / "x")  # created, or refused naming it
    run("add", "x", "--phone", "13800138008", *text, LEADCTL_DB=nowhere, code=None)
    # the roster: names of members
    run("team", "add", evil("主管"), "--role", "supervisor", user=evil("主管"))
    run("team", "add", evil("销售"), "--json", user=evil("主管"))
    run("team", "role", evil("销售"), "supervisor", user=evil("主管"))
    run.both("team", "list")
    run("grade", "L4", "B", "--reason", "x", code=2, user=evil("路人"))  # not on the roster
    assert run.seen > 60


# ---------------------------------------------------------------- class 3: export


# control characters a spreadsheet may pass over (C0 that XML cannot hold, DEL, C1), and the
# starts of a formula, each behind each
HIDERS = ["\x01", "\x1b", "\x0b", "\x1f", "\x7f", "\x9b"]
FORMULAS = ['=HYPERLINK("http://x.cn","点我")', "+1+1", "-2+3", "@SUM(A1)", "'引号"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CAPTURED_TEXT = ("customer", "contact", "source", "need", "wechat")


def formula_like(value: str) -> bool:
    return HIDDEN.sub("", value).startswith(FORMULA_START)


def test_a_formula_behind_a_control_character_is_neutralised_in_csv_and_xlsx(cli, tmp_path):
    from openpyxl import load_workbook

    from tests.cli.test_transfer import empty

    values = [hider + formula for hider in HIDERS for formula in FORMULAS]
    for index, value in enumerate(values):
        fields = dict.fromkeys(("--contact", "--source", "--need", "--wechat"), f"{value}{index}")
        options = [part for pair in fields.items() for part in pair]
        cli.ok("add", f"{value}客户{index}", "--phone", f"138{index:08d}", *options)
    before = [cli.json("show", r["number"]) for r in cli.json("list")]
    for name in ("leads.csv", "leads.xlsx"):
        cli.ok("export", str(tmp_path / name))  # never exit 1
    with open(tmp_path / "leads.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if formula_like(c) and not c.startswith("'")] == []
    sheet = load_workbook(tmp_path / "leads.xlsx").active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str) and formula_like(cell.value):
                assert cell.quotePrefix or cell.value.startswith("'"), cell.value
    # each imports back exactly as stored (CSV), or less what XML cannot hold (xlsx)
    for name, kept in (("leads.csv", str), ("leads.xlsx", lambda v: XML_ILLEGAL.sub("", v))):
        empty(cli)
        cli.ok("import", str(tmp_path / name))
        after = [cli.json("show", r["number"]) for r in cli.json("list")]
        for old, new in zip(before, after, strict=True):
            assert {k: new[k] for k in CAPTURED_TEXT} == {
                k: kept(old[k]).strip() for k in CAPTURED_TEXT
            }, name


XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
