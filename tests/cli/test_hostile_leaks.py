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
    # files named with escapes: the confirmation and refusals name them
    for suffix in (".csv", ".xlsx"):
        run("export", str(tmp_path / (evil("导出") + suffix)))
        run("export", str(tmp_path / (evil("导出") + suffix)), code=2)  # exists: refused, named
    run("template", str(tmp_path / (evil("表") + ".xlsx")))
    run("import", str(tmp_path / (evil("导出") + ".csv")), "--dry-run", "--allow-duplicate")
    run("import", str(tmp_path / (evil("无") + ".csv")), code=2)
    run("backup", str(tmp_path / (evil("备份") + ".db")), code=None)
    run("review", "--html", str(tmp_path / (evil("周报") + ".html")))
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


# ---------------------------------------------------------------- class 4: secrets, personal data

SECRET = "Pa55-s3cret"
# every place a database URL can carry a credential (libpq's parameters in the query too), on
# a server that refuses, one that answers (the test's own), and URLs that cannot be read
CREDENTIAL_URLS = [
    f"postgresql+psycopg://rep:{SECRET}@127.0.0.1:1/leads",
    f"postgresql+psycopg://rep@127.0.0.1:1/leads?password={SECRET}",
    f"postgresql+psycopg://rep@127.0.0.1:1/leads?sslmode=require&sslpassword={SECRET}",
    f"postgresql+psycopg://rep@127.0.0.1:1/leads?passfile=/home/rep/{SECRET}",
    f"postgresql+psycopg://rep@127.0.0.1:1/leads?PASSWORD={SECRET}&password={SECRET}2",
    f"postgresql+psycopg://rep@127.0.0.1:1/leads?sslkey=/k/{SECRET}&sslmode=bogus",
    f"postgresql://rep:{SECRET}@127.0.0.1:1/leads?password={SECRET}",
    f"postgresql+psycopg://rep:{SECRET}@127.0.0.1:1/leads?password={SECRET}&bogus=1",
    f"postgresql+psycopg://nobody@127.0.0.1:5432/leads?password={SECRET}&connect_timeout=x",
    f"postgresql+psycopg://rep:{SECRET}@127.0.0.1:port/leads",
    f"postgresql+psycopg://rep:{SECRET}@[::1/leads",
    f"postgresql+psycopg://rep:{SECRET}@127.0.0.1:99999/leads",
    f"postgresql+asyncpg://rep:{SECRET}@127.0.0.1:1/leads",
    f"postgresql+psycopg://rep:{SECRET.replace('-', '%2D')}@127.0.0.1:1/leads",
]


@pytest.mark.parametrize("url", CREDENTIAL_URLS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_credential_a_url_carries_shows_in_any_message(cli, url, lang):
    for args in (
        ["today"],
        ["add", "客户", "--phone", "13800138000", "--source", "s", "--need", "n"],
    ):
        for where in ({"LEADCTL_DB": url}, {}):
            argv = args if where else ["--db", url, *args]
            result = cli(*argv, LEADCTL_LANG=lang, **where)
            assert result.code != 0, result
            output = result.out + result.err
            assert SECRET not in output and SECRET.replace("-", "%2D") not in output, result
    result = cli("copy", "--to", url, LEADCTL_LANG=lang)  # every URL here is refused
    assert result.code != 0, result
    assert SECRET not in result.out + result.err, result


def test_a_masked_url_keeps_what_helps_and_hides_every_credential():
    from leadctl.store.engine import mask_url

    shown = mask_url(
        f"postgresql+psycopg://rep:{SECRET}@db.example:5433/leads?sslmode=require"
        f"&password={SECRET}&sslpassword={SECRET}&passfile=/p/{SECRET}&application_name=leadctl"
    )
    assert SECRET not in shown
    assert shown.startswith("postgresql+psycopg://rep:***@db.example:5433/leads?")
    assert "sslmode=require" in shown and "application_name=leadctl" in shown
    assert "password=***" in shown and "sslpassword=***" in shown and "passfile=***" in shown


PERSON = "张伟强"
ID_NUMBER = "110101199003074518"


def test_a_bug_while_reading_a_cell_names_the_exception_and_place_never_the_cell(
    cli, tmp_path, monkeypatch
):
    """The exit-1 output of a bug: the exception's type and the frames where it happened, and
    no message, since a message quotes what it was working on (here: a cell's content)."""
    import leadctl.services.importing as importing

    def restore(value: str) -> str:  # what each cell of a row with a `'` goes through
        try:
            raise KeyError(f"{value} {ID_NUMBER}")
        except KeyError as exc:
            raise ValueError(f"cannot read the cell {value!r}") from exc

    monkeypatch.setattr(importing, "restore", restore)
    form = tmp_path / "form.csv"
    form.write_text(
        f"客户名称,联系电话,线索来源,初步需求\n{PERSON},13912345678,展会,'{ID_NUMBER}\n",
        encoding="utf-8",
    )
    for lang in ("en", "zh"):
        result = cli("import", str(form), LEADCTL_LANG=lang)
        assert result.code == 1, result
        assert "Traceback (most recent call last)" in result.err
        assert "ValueError" in result.err and "KeyError" in result.err  # the type, the chain
        assert "in restore" in result.err and "test_hostile_leaks.py" in result.err  # where
        for value in (PERSON, "13912345678", "139 1234 5678", ID_NUMBER):
            assert value not in result.err + result.out, result
        assert cli.counts()["lead"] == 0


def test_a_malformed_numeric_cell_never_prints_its_content(cli, tmp_path):
    """A real file: a cell typed as a number that holds a name and an ID number. Whatever
    the exit code (2 once malformed files are refused as such), the content is not echoed by a
    traceback."""
    import zipfile

    good = tmp_path / "good.xlsx"
    cli.ok("template", str(good))
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = (
                    f'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>'
                    f'<c r="D2" t="n"><v>{ID_NUMBER} {PERSON}</v></c></row>'
                ).encode()
                data = data.replace(b"</sheetData>", row + b"</sheetData>")
                data = data.replace(b"<sheetData/>", b"<sheetData>" + row + b"</sheetData>")
            target.writestr(item, data)
    result = cli("import", str(bad))
    assert result.code != 0, result
    if result.code == 1:
        assert ID_NUMBER not in result.err and PERSON not in result.err, result
