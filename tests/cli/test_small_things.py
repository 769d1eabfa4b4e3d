"""The small things a new user trips on (issue 16, point 5), end to end on SQLite and PostgreSQL.

The clock is fixed at Monday 2024-10-07 09:00 Asia/Shanghai; the current user is 王芳.
"""

from __future__ import annotations

import importlib.metadata
import os
import shlex
import stat
import subprocess
import sys
from typing import Any

import pytest
import typer
from rich.cells import cell_len

BOSS = "主管"


def refused(cli: Any, *args: str, **kwargs: Any) -> str:
    """Run a command that must be rejected; prove it wrote nothing; return its stderr."""
    before = cli.counts()
    result = cli(*args, **kwargs)
    assert result.code == 2, result
    assert result.out == "", result
    assert cli.counts() == before
    return result.err


def active_lead(cli: Any, customer: str, phone: str, **kwargs: Any) -> str:
    number = cli.add(customer, phone, **kwargs)["number"]
    cli.ok("grade", number, "B", "--reason", "需求明确，预算待批", **kwargs)
    return str(number)


# ---------------------------------------------------------------- close names every missing option


def test_close_lost_names_every_missing_option_at_once(cli):
    active_lead(cli, "杭州云栖科技有限公司", "13800138000")
    reason = (
        "--reason: one of budget, price, competitor, need-changed, timing, no-response, "
        "out-of-scope, other (or 预算不足, 价格 …)"
    )
    note = '--note "…": what happened, for the weekly review'
    assert refused(cli, "close", "1", "lost") == f"Error: A lost deal needs {reason}; {note}.\n"
    assert refused(cli, "close", "1", "lost", "--note", " ") == (
        f"Error: A lost deal needs {reason}; {note}.\n"
    )
    assert (
        refused(cli, "close", "1", "lost", "--note", "x") == f"Error: A lost deal needs {reason}.\n"
    )
    assert refused(cli, "close", "1", "lost", "--reason", "价格") == (
        f"Error: A lost deal needs {note}.\n"
    )
    assert refused(cli, "close", "1", "won") == (
        "Error: A won deal needs --amount, --contract, --product.\n"
    )
    assert cli.json("show", "1")["status"] == "active"
    doc = cli.json("close", "1", "lost", "--reason", "价格", "--note", "选了低价方案")
    assert (doc["outcome"]["reason"], doc["outcome"]["note"]) == ("price", "选了低价方案")


# ---------------------------------------------------------------- review: header and reps agree


def _logged_by_two_reps(cli: Any) -> None:
    """王芳 follows her lead and, forced (with no roster anyone may), 李强's; 李强 follows his
    lead twice. By the leads' owner that is 1 and 3 follow-ups; by who logged them, 2 and 2."""
    mine = active_lead(cli, "杭州云栖科技有限公司", "13800138000")
    his = active_lead(cli, "上海恒达贸易有限公司", "13800138001", user="李强")
    cli.ok("follow", mine, "--note", "确认预算")
    cli.ok("follow", his, "--note", "代同事回电", "--force")
    cli.ok("follow", his, "--note", "约演示", user="李强")
    cli.ok("follow", his, "--note", "发资料", user="李强")


@pytest.mark.parametrize("owner", [None, "王芳", "李强"])
def test_review_header_counts_the_follow_ups_its_reps_table_counts(cli, owner):
    _logged_by_two_reps(cli)
    narrow = ["--owner", owner] if owner else []
    doc = cli.json("review", *narrow, user=BOSS)
    logged = {"王芳": 2, "李强": 2}
    assert {r["owner"]: r["follow_ups"] for r in doc["reps"]} == (
        {owner: logged[owner]} if owner else logged
    )
    assert doc["summary"]["follow_ups"] == sum(r["follow_ups"] for r in doc["reps"])

    out = cli.ok("review", *narrow, user=BOSS, COLUMNS="80").out
    header = next(line for line in out.splitlines() if line.startswith("New leads"))
    in_header = int(header.split("follow-ups ")[1].split(" ")[0])
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if "Follow-ups" in line)  # the reps table
    column = [c.strip() for c in lines[top].split("┃")].index("Follow-ups")
    rows = lines[top + 2 : lines.index("", top)]
    assert len(rows) == (1 if owner else 2)
    in_table = sum(int(row.split("│")[column]) for row in rows)
    assert in_header == in_table == (logged[owner] if owner else 4)


# ---------------------------------------------------------------- --version


def test_version_prints_the_installed_version(cli):
    result = cli("--version")
    assert (result.code, result.err) == (0, "")
    assert result.out == f"leadctl {importlib.metadata.version('leadctl')}\n"
    assert cli.counts()["lead"] == 0
    assert refused(cli, "today", "--version") == (
        "Error: --version goes right after leadctl: `leadctl --version`.\n"
    )
    # Typer's completion options are the app's too, never a command's
    assert refused(cli, "today", "--install-completion") == (
        "Error: --install-completion goes right after leadctl: `leadctl --install-completion`.\n"
    )


# ---------------------------------------------------------------- backup and template --json


@pytest.mark.parametrize("backend", ["sqlite"])
def test_backup_takes_json(cli, tmp_path):
    cli.add("杭州云栖科技有限公司", "13800138000")
    target = tmp_path / "copy.db"
    result = cli("backup", str(target), "--json")
    assert (result.code, result.err) == (0, ""), result
    assert result.json == {
        "database": cli.db,
        "file": str(target),
        "bytes": target.stat().st_size,
    }
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    human = cli.ok("backup", str(tmp_path / "copy2.db")).out
    assert human == f"Backed up {cli.db} to {tmp_path / 'copy2.db'}\n"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_backup_json_on_postgresql_is_refused_with_nothing_on_stdout(cli, tmp_path):
    err = refused(cli, "backup", str(tmp_path / "copy.db"), "--json")
    assert err.startswith("Error: backup copies a SQLite database; on PostgreSQL use pg_dump")
    assert not (tmp_path / "copy.db").exists()


def test_template_takes_json(cli, tmp_path):
    from leadctl.io.form import CAPTURE_COLUMNS

    target = tmp_path / "线索登记表.xlsx"
    result = cli("template", str(target), "--json")
    assert (result.code, result.err) == (0, ""), result
    # `sources`: the team's list the 线索来源 drop-down offers (none configured here)
    assert result.json == {
        "file": str(target),
        "columns": [c.header for c in CAPTURE_COLUMNS],
        "sources": [],
    }
    assert target.is_file()
    assert refused(cli, "template", str(target), "--json").startswith(
        f"Error: {str(target)!r} already exists"
    )


# ---------------------------------------------------------------- help at 80 columns


def _commands() -> list[tuple[str, Any]]:
    """Every command leadctl runs, `team`'s own ones too: (words after leadctl, click command)."""
    from leadctl.cli import app

    found = []
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        found.append((name, command))
        for sub_name, sub in getattr(command, "commands", {}).items():
            found.append((f"{name} {sub_name}", sub))
    return found


def _examples(help_text: str) -> list[list[str]]:
    """The examples of a docstring: each `Example:` line with the lines that continue it (\\)."""
    examples: list[list[str]] = []
    going_on = False
    for line in help_text.splitlines():
        line = line.strip()
        if line.startswith("Example:") or going_on:
            if going_on:
                examples[-1].append(line)
            else:
                examples.append([line])
            going_on = line.endswith("\\")
    return examples


@pytest.mark.parametrize(("words", "command"), _commands(), ids=[w for w, _ in _commands()])
def test_help_fits_80_columns_with_each_example_on_lines_of_its_own(
    words, command, monkeypatch, capsys
):
    from leadctl.entry import main

    monkeypatch.setenv("COLUMNS", "80")
    assert main([*words.split(), "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert too_wide == []
    examples = _examples(command.help or "")
    assert examples, f"`leadctl {words} --help` shows no example"
    stripped = [line.strip() for line in lines]
    for example in examples:
        assert example[0].startswith(f"Example: leadctl {words}") or "leadctl --user" in example[0]
        start = stripped.index(example[0])  # the example starts a line of its own…
        assert stripped[start : start + len(example)] == example  # …and keeps its own lines


# ---------------------------------------------------------------- global options after the command


def test_global_options_also_work_after_the_command(cli, tmp_path):
    active_lead(cli, "杭州云栖科技有限公司", "13800138000", user="李强")
    active_lead(cli, "上海恒达贸易有限公司", "13800138001")
    before = cli.json("--user", "李强", "today", "--tz", "UTC", now="2024-10-09T20:00+00:00")
    after = cli.json("today", "--user", "李强", "--tz", "UTC", now="2024-10-09T20:00+00:00")
    assert after == before
    assert (after["owner"], after["date"]) == ("李强", "2024-10-09")  # Shanghai: already the 10th
    assert [i["number"] for i in after["items"]] == ["L0001"]
    # a write: who I am after the command is who the lead belongs to and who its history names
    added = cli.json("add", "广州金桥物流有限公司", "--phone", "13800138002", "--source", "官网注册",
                     "--need", "车队调度", "--user", "李强")  # fmt: skip
    assert (added["owner"], added["history"][0]["by"]) == ("李强", "李强")
    # given both ways, the later one counts, as a repeated option does
    assert cli.json("--user", "王芳", "today", "--user", "李强")["owner"] == "李强"
    # --db after the command: another database
    other = tmp_path / "other.db"
    cli.ok("add", "深圳新锐电子有限公司", "--phone", "13800138003", "--source", "官网注册",
           "--need", "排程", "--db", str(other))  # fmt: skip
    assert [i["customer"] for i in cli.json("list", "--db", str(other))] == ["深圳新锐电子有限公司"]
    assert cli.scalar("SELECT count(*) FROM lead WHERE customer = '深圳新锐电子有限公司'") == 0
    # --calendar after the command: an A lead graded on Friday is due on Saturday, which
    # `weekdays` moves to Monday
    friday = "2024-10-11T09:00"
    cli.ok("grade", "2", "A", "--reason", "本周决策", now=friday)
    assert cli.json("show", "2", now=friday)["due_on"] == "2024-10-12"
    assert cli.json("show", "2", "--calendar", "weekdays", now=friday)["due_on"] == "2024-10-14"


def test_a_global_option_inside_a_group_says_where_it_goes(cli):
    assert refused(cli, "team", "--user", "张伟", "add", "张伟", "--role", "主管") == (
        "Error: --user is a global option: give it right after leadctl "
        "(`leadctl --user … team …`) or after the command's own words.\n"
    )
    member = cli.json("team", "add", "张伟", "--role", "主管", "--user", "张伟")
    assert member["name"] == "张伟"


# ---------------------------------------------------------------- a closed pipe is not an error


def _leadctl(*args: str) -> list[str]:
    return [sys.executable, "-m", "leadctl", *args]


def test_list_piped_into_head_exits_0_quietly(cli, tmp_path):
    rows = ["customer,phone,source,need"] + [
        f"客户{i:04d}有限公司,1390000{i:04d},官网注册,需要CRM" for i in range(3000)
    ]
    form = tmp_path / "many.csv"
    form.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli.ok("import", str(form))
    env = {**os.environ, **cli.env}
    for args in (["list"], ["list", "--json"], ["today", "--all"]):
        line = f"set -o pipefail; {shlex.join(_leadctl(*args))} | head -1"
        piped = subprocess.run(
            ["bash", "-c", line], env=env, capture_output=True, text=True, timeout=120
        )
        assert (piped.returncode, piped.stderr) == (0, ""), (args, piped)
        assert len(piped.stdout.splitlines()) == 1
        whole = subprocess.run(_leadctl(*args), env=env, capture_output=True, timeout=120)
        assert len(whole.stdout) > 1 << 16, "more than a pipe holds: head closes it midway"


@pytest.mark.parametrize(
    "args", [["list"], ["list", "--json"], ["show", "1"], ["today"], ["review"], ["find", "8000"]]
)
def test_output_into_a_closed_pipe_exits_0_quietly(cli, args):
    cli.add("杭州云栖科技有限公司", "13800138000")
    read, write = os.pipe()
    os.close(read)  # nobody will read: the first write fails
    try:
        done = subprocess.run(
            _leadctl(*args), env={**os.environ, **cli.env}, stdout=write,
            stderr=subprocess.PIPE, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b""), args


# ---------------------------------------------------------------- a lost customer comes back


def test_a_follow_up_on_a_lost_lead_says_how_to_capture_the_customer_anew(cli):
    active_lead(cli, "杭州 云栖科技", "13800138000")
    cli.ok("close", "1", "lost", "--reason", "预算不足", "--note", "今年没预算")
    err = refused(cli, "follow", "1", "--note", "客户又来电了")
    assert err == (
        "Error: L0001 is lost; it takes follow-ups again only once `leadctl wake` wakes it. "
        "If the customer came back, capture a new lead: "
        "leadctl add '杭州 云栖科技' --phone … --source … --need …\n"
    )
    suggested = shlex.split(err.split("capture a new lead: ")[1])
    values = iter(["13800138000", "老客户回访", "新项目"])  # a lost customer's phone is free again
    doc = cli.json(*[next(values) if word == "…" else word for word in suggested[1:]])
    assert (doc["number"], doc["customer"], doc["status"]) == ("L0002", "杭州 云栖科技", "new")
    assert cli.json("show", "1")["status"] == "lost"


# ---------------------------------------------------------------- the template speaks Chinese


def test_the_template_guide_uses_chinese_punctuation(cli, tmp_path):
    import re

    from openpyxl import load_workbook

    form = tmp_path / "线索登记表.xlsx"
    cli.ok("template", str(form))
    workbook = load_workbook(form)
    sheet, guide = workbook["线索登记"], workbook["填写说明"]
    texts = [str(c.value) for row in guide.iter_rows() for c in row if c.value is not None]
    texts += [c.comment.text for c in sheet[1] if c.comment is not None]
    texts += [v.prompt for v in sheet.data_validations.dataValidation if v.prompt]
    assert len(texts) > 40
    # a half-width , ; : ( ) ! ? touching a Chinese character is English punctuation in Chinese
    # text; half-width marks stand alone only in what is typed as it is (`用 ; 或 / 隔开`)
    cjk = "\u3400-\u9fff“”"
    english_marks = re.compile(f"[{cjk}][,;:()!?]|[,;:()!?][{cjk}]")
    assert [t for t in texts if english_marks.search(t)] == []
    assert all(re.search("[，。；：（）、]", t) for t in texts if len(t) > 30)


# ---------------------------------------------------------------- xlsx: formulas stay text, unseen


FORMULA_LIKE = {
    "customer": '=HYPERLINK("http://evil.example","点我")',
    "contact": "-2+3",
    "wechat": "@wx_chen",
    "need": "+采购 CRM",
    "grade_reason": "'预算 30 万'",  # an apostrophe of its own survives too
}


def test_an_xlsx_export_keeps_formula_like_text_as_quoted_text_and_imports_it_exactly(
    cli, tmp_path
):
    from openpyxl import load_workbook

    cli.add(FORMULA_LIKE["customer"], "13800138000", "--contact", FORMULA_LIKE["contact"],
            "--wechat", FORMULA_LIKE["wechat"])  # fmt: skip
    cli.ok("edit", "1", "--need", FORMULA_LIKE["need"])
    cli.ok("grade", "1", "B", "--reason", FORMULA_LIKE["grade_reason"])
    before = cli.json("show", "1")
    out = tmp_path / "leads.xlsx"
    cli.ok("export", str(out))
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {h: c for h, c in zip(header, sheet[2], strict=True)}
    shown = {key: cells[header_of(key)] for key in FORMULA_LIKE}
    assert {k: c.value for k, c in shown.items()} == {
        **FORMULA_LIKE, "grade_reason": "''预算 30 万'"
    }  # fmt: skip
    assert all(c.data_type == "s" and c.quotePrefix for c in shown.values())
    assert not cells["客户类型"].quotePrefix and not cells["线索来源"].quotePrefix
    assert all(c.data_type != "f" for c in sheet[2])
    # and back: an empty database, the export imported, the same lead
    with cli.engine().begin() as conn:
        from sqlalchemy import text

        for table in ("lead_change", "lead_key", "event", "phone", "lead"):
            conn.execute(text(f"DELETE FROM {table}"))
    cli.ok("import", str(out))
    after = cli.json("show", cli.json("list")[0]["number"])
    assert {k: after[k] for k in FORMULA_LIKE} == {k: before[k] for k in FORMULA_LIKE}
    assert after["customer"] == FORMULA_LIKE["customer"]


def header_of(key: str) -> str:
    from leadctl.io.form import BY_KEY

    return BY_KEY[key].header


# ---------------------------------------------------------------- 备注: the lead's first note


NOTED = (
    "客户名称,联系电话,线索来源,初步需求,备注\n"
    "杭州云栖科技有限公司,13800138000,行业展会,采购CRM系统,展会上交换过名片，下周三以后再联系\n"
    "上海恒达贸易有限公司,13800138001,官网注册,批量采购,  \n"
)


def test_the_notes_column_imports_as_the_lead_s_first_note(cli, tmp_path):
    form = tmp_path / "old-sheet.csv"
    form.write_text(NOTED, encoding="utf-8-sig")
    doc = cli.json("import", str(form))
    assert (doc["imported"], doc["ignored_columns"]) == (2, [])
    first, second = cli.json("show", "1"), cli.json("show", "2")
    assert first["note"] == "展会上交换过名片，下周三以后再联系"
    assert first["history"][0] == {
        "at": "2024-10-07T09:00:00+08:00", "by": "王芳", "event": "created", "owner": "王芳",
        "source": "行业展会", "note": "展会上交换过名片，下周三以后再联系",
    }  # fmt: skip
    assert first["follow_ups"] == [] and first["status"] == "new"  # a note, not a contact
    assert second["note"] is None and "note" not in second["history"][0]
    assert cli.json("add", "广州金桥物流有限公司", "--phone", "13800138002", "--source", "展会",
                    "--need", "调度")["note"] is None  # fmt: skip
    card = cli.ok("show", "1", COLUMNS="80").out
    assert "Note" in card and "展会上交换过名片" in card
    # English headers name it too
    english = tmp_path / "english.csv"
    english.write_text(
        "customer,phone,source,need,remarks\n深圳新锐电子有限公司,13800138003,官网,排程,先发资料\n",
        encoding="utf-8",
    )
    assert cli.json("import", str(english))["ignored_columns"] == []
    assert cli.json("show", "4")["note"] == "先发资料"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_carries_the_note_and_imports_it_again(cli, tmp_path, fmt):
    from sqlalchemy import text

    form = tmp_path / "old-sheet.csv"
    form.write_text(NOTED, encoding="utf-8-sig")
    cli.ok("import", str(form))
    out = tmp_path / f"leads.{fmt}"
    cli.ok("export", str(out))
    with cli.engine().begin() as conn:
        for table in ("lead_change", "lead_key", "event", "phone", "lead"):
            conn.execute(text(f"DELETE FROM {table}"))
    doc = cli.json("import", str(out))
    assert (doc["imported"], doc["ignored_columns"]) == (2, [])
    numbers = [lead["number"] for lead in cli.json("list")]
    assert [cli.json("show", n)["note"] for n in numbers] == [
        "展会上交换过名片，下周三以后再联系",
        None,
    ]
