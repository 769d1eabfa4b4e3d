"""The capture form end to end: template, import, export — on SQLite and PostgreSQL.

Files are the kind real users produce: a GBK CSV saved by Chinese Excel, the template filled in
(here by openpyxl), English or Chinese headers, several phones in a cell, hostile cells.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from leadctl.io.form import CAPTURE_COLUMNS
from tests.conftest import TABLES

CHINESE = [c.header for c in CAPTURE_COLUMNS]
ENGLISH = [c.key for c in CAPTURE_COLUMNS]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "leads.csv"
CAPTURED = ("customer", "customer_type", "contact", "phones", "email", "wechat", "source",
            "need", "acquired_on", "owner", "grade", "grade_reason")  # fmt: skip


def row(customer: str, phone: str, **fields: str) -> dict[str, str]:
    """One row of the form by English key; unnamed columns stay empty."""
    return {"customer": customer, "phone": phone, "source": "行业展会", "need": "采购CRM系统",
            **fields}  # fmt: skip


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    headers: list[str] = CHINESE,
    encoding: str = "utf-8-sig",
) -> Path:
    keys = [ENGLISH[CHINESE.index(h)] if h in CHINESE else h.lower() for h in headers]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(k, "") for k in keys])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def captured(cli: Any) -> list[dict[str, Any]]:
    """Every lead's capture-form fields, as `show` gives them."""
    return [
        {k: lead[k] for k in ("number", *CAPTURED)}
        for lead in (cli.json("show", r["number"]) for r in cli.json("list"))
    ]


def empty(cli: Any) -> None:
    """Empty the database (ids start again at 1) to re-import an export into it."""
    with cli.engine().begin() as conn:
        if cli.backend == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        else:
            for table in TABLES:
                conn.execute(text(f"DELETE FROM {table}"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- template


def test_template_then_filled_in_excel_imports(cli: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "线索登记表.xlsx"
    result = cli.ok("template", str(form))
    assert "Wrote the capture form" in result.out
    assert mode(form) == 0o600
    workbook = load_workbook(form)
    sheet = workbook.worksheets[0]
    sheet.append(["杭州云栖科技有限公司", "企业", "陈总", 13800138000, "chen@yunqi.example.com",
                  None, "官网注册", "采购CRM系统", datetime(2024, 10, 5), None, "A",
                  "预算30万, 一个月内决策, 已见采购总监"])  # fmt: skip
    sheet.append(["张明", "个人", None, "139 0013 9000/021-62345678", None, "zm2024",
                  "短视频平台推广", "个人版", "10月6日", "李娜", None, None])  # fmt: skip
    workbook.save(form)
    doc = cli.json("import", str(form))
    assert doc["imported"] == 2 and doc["skipped"] == 0 and doc["errors"] == []
    first, second = captured(cli)
    assert first == {
        "number": "L0001", "customer": "杭州云栖科技有限公司", "customer_type": "company",
        "contact": "陈总", "phones": ["+8613800138000"], "email": "chen@yunqi.example.com",
        "wechat": None, "source": "官网注册", "need": "采购CRM系统", "acquired_on": "2024-10-05",
        "owner": "王芳", "grade": "A", "grade_reason": "预算30万, 一个月内决策, 已见采购总监",
    }  # fmt: skip
    assert second["phones"] == ["+8613900139000", "+862162345678"]
    assert second["customer_type"] == "person" and second["owner"] == "李娜"
    assert second["acquired_on"] == "2024-10-06" and second["grade"] is None


def test_template_never_overwrites_unless_forced(cli: Any, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(b"the team's filled-in form")
    result = cli("template", str(form))
    assert result.code == 2
    assert result.err.startswith(f"Error: '{form}' already exists: choose another name")
    assert form.read_bytes() == b"the team's filled-in form"
    cli.ok("template", str(form), "--force")
    assert form.read_bytes()[:2] == b"PK" and mode(form) == 0o600
    result = cli("template", str(tmp_path / "form.csv"))
    assert result.code == 2 and "give a file name ending in .xlsx" in result.err


# ---------------------------------------------------------------- import: files users produce


def test_gbk_csv_from_chinese_excel(cli: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "gbk.csv",
        [row("上海恒达贸易有限公司", "13800138000", contact="李经理", customer_type="企业")],
        encoding="gbk",
    )
    doc = cli.json("import", str(path))
    assert doc["imported"] == 1
    lead = cli.json("show", "L0001")
    assert (lead["customer"], lead["contact"], lead["source"]) == (
        "上海恒达贸易有限公司", "李经理", "行业展会",
    )  # fmt: skip


def test_english_headers_in_another_order_utf8_without_bom(cli: Any, tmp_path: Path) -> None:
    headers = ["need", "Phone", "Customer", "source", "acquired_on", "grade", "grade_reason"]
    path = write_csv(
        tmp_path / "en.csv",
        [row("Acme Ltd", "+1 202 555 0100", acquired_on="2024-10-01", grade="b", grade_reason="x")],
        headers=headers,
        encoding="utf-8",
    )
    assert cli.json("import", str(path))["imported"] == 1
    lead = cli.json("show", "1")
    assert lead["phones"] == ["+12025550100"] and lead["grade"] == "B"
    assert lead["status"] == "active" and lead["acquired_on"] == "2024-10-01"


def test_two_phones_in_one_cell(cli: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [row("甲公司", "13800138000;010-62345678"), row("乙公司", "13900139000 / 13700137000")],
    )
    cli.json("import", str(path))
    assert cli.json("show", "1")["phones"] == ["+8613800138000", "+861062345678"]
    assert cli.json("show", "2")["phones"] == ["+8613900139000", "+8613700137000"]
    assert cli.scalar("SELECT count(*) FROM phone") == 4


def test_defaults_owner_is_the_importer_and_acquired_is_today(cli: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [row("甲公司", "13800138000")])
    cli.json("import", str(path), user="李娜")
    lead = cli.json("show", "1")
    assert lead["owner"] == "李娜" and lead["acquired_on"] == "2024-10-07"
    assert lead["history"][0]["by"] == "李娜"


def test_import_writes_what_add_and_grade_write(cli: Any, tmp_path: Path) -> None:
    cli.add("甲公司", "13800138000", "--acquired", "2024-10-02", "--contact", "陈总")
    cli.json("grade", "1", "A", "--reason", "预算30万")
    cli.add("乙公司", "13800138001", "--acquired", "2024-10-03")
    path = write_csv(
        tmp_path / "i.csv",
        [row("丙公司", "13800138002", source="官网注册", acquired_on="2024-10-02", contact="陈总",
             grade="A", grade_reason="预算30万"),
         row("丁公司", "13800138003", source="官网注册", acquired_on="2024-10-03")],
    )  # fmt: skip
    cli.json("import", str(path))
    added, imported = cli.json("show", "1"), cli.json("show", "3")
    plain_added, plain_imported = cli.json("show", "2"), cli.json("show", "4")
    different = {"number", "customer", "phones"}
    for a, b in ((added, imported), (plain_added, plain_imported)):
        assert {k: v for k, v in a.items() if k not in different} == {
            k: v for k, v in b.items() if k not in different
        }
    assert [h["event"] for h in imported["history"]] == ["created", "graded"]
    columns = "customer_key, status, grade, graded_by, ungraded_since, due_on, deadline_on"
    rows = cli.rows(f"SELECT {columns} FROM lead ORDER BY id")
    assert rows[0][1:] == rows[2][1:] and rows[1][1:] == rows[3][1:]


def test_hostile_cells_import_as_text(cli: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "h.csv",
        [row('=HYPERLINK("http://evil.example","点我")', "+86 138 0013 8000",
             contact="-2+3", need="@SUM(A1:A9)", wechat="'=1+1")],
    )  # fmt: skip
    cli.json("import", str(path))
    lead = cli.json("show", "1")
    assert lead["customer"] == '=HYPERLINK("http://evil.example","点我")'
    assert lead["contact"] == "-2+3" and lead["need"] == "@SUM(A1:A9)"
    assert lead["wechat"] == "=1+1"  # a leading ' is the spreadsheet's text mark
    assert lead["phones"] == ["+8613800138000"]


# ---------------------------------------------------------------- import: bad rows


BAD_ROWS = [
    row("好公司", "13800138000"),
    row("", "13800138001"),  # row 3
    row("坏电话公司", "1380013800"),  # row 4
    row("无依据公司", "13800138003", grade="A"),  # row 5
    row("未来公司", "13800138004", acquired_on="2099-01-01"),  # row 6
    row("邮箱公司", "13800138005", email="not-an-email"),  # row 7
    row("无电话公司", "", email="only@example.com"),  # row 8
    row("错类型公司", "13800138007", customer_type="政府"),  # row 9
]


def test_bad_rows_are_reported_and_nothing_is_written(cli: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    before = cli.counts()
    result = cli("import", str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0] == (
        "Error: 7 of 8 rows in 'bad.csv' cannot be imported, so nothing was imported. Fix them "
        "and import again, or pass --skip-invalid to import the 1 good row."
    )
    table = "\n".join(lines[1:])
    for words in ("Row", "Column", "Reason", "客户名称", "联系电话", "分级依据", "获取时间", "邮箱",
                  "客户类型", "customer name is required"):  # fmt: skip
        assert words in table
    assert result.out == ""
    assert cli.counts() == before


def test_bad_rows_in_json(cli: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    before = cli.counts()
    result = cli("import", str(path), "--json")
    assert result.code == 2 and result.err.startswith("Error: 7 of 8 rows")
    doc = result.json
    assert doc["imported"] == 0 and doc["skipped"] == 7
    assert [(e["row"], e["column"]) for e in doc["errors"]] == [
        (3, "客户名称"), (4, "联系电话"), (5, "分级依据"), (6, "获取时间"), (7, "邮箱"),
        (8, "联系电话"), (9, "客户类型"),
    ]  # fmt: skip
    reasons = {e["row"]: e["reason"] for e in doc["errors"]}
    assert reasons[4].startswith("Phone '1380013800' is not a valid number")
    assert reasons[5] == "Grade A needs a reason (分级依据): why this grade?"
    assert reasons[6] == "The acquired date 2099-01-01 is in the future; use today or earlier."
    assert reasons[8] == "At least one phone number is required (an email alone is not enough)."
    assert cli.counts() == before


def test_english_file_reports_english_columns(cli: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "en.csv", [row("A Ltd", "12345"), row("B Ltd", "13800138000", grade="C")],
        headers=["customer", "Phone", "source", "need", "grade"],
    )  # fmt: skip
    doc = cli("import", str(path), "--json").json
    assert [(e["row"], e["column"]) for e in doc["errors"]] == [(2, "Phone"), (3, "grade_reason")]


def test_row_numbers_count_blank_rows_like_a_spreadsheet(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text(
        "客户名称,联系电话,线索来源,初步需求\n甲公司,13800138000,展会,CRM\n\n,,,\n乙公司,123,展会,CRM\n",
        encoding="utf-8",
    )
    doc = cli("import", str(path), "--json").json
    assert doc["rows"] == 2 and [e["row"] for e in doc["errors"]] == [5]


def test_missing_required_column(cli: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [row("甲公司", "13800138000")], headers=CHINESE[:7])
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err.startswith("Error: 'm.csv' has no 初步需求 (need) column")
    assert cli.counts()["lead"] == 0


@pytest.mark.parametrize("name", ["leads.xls", "missing.csv"])
def test_unreadable_files(cli: Any, tmp_path: Path, name: str) -> None:
    if name.endswith(".xls"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("import", str(tmp_path / name))
    assert result.code == 2 and result.err.startswith("Error: ")
    assert ".xlsx" in result.err or "No file" in result.err


# ---------------------------------------------------------------- import: duplicates


def test_duplicates_within_the_file(cli: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dup.csv",
        [row("杭州 云栖", "13800138000"), row("杭州云栖", "13900139000"),
         row("别的公司", "138-0013-8000")],
    )  # fmt: skip
    doc = cli("import", str(path), "--json").json
    assert [(e["row"], e["column"]) for e in doc["errors"]] == [(3, "客户名称"), (4, "联系电话")]
    assert "is also on row 2" in doc["errors"][0]["reason"]
    assert doc["errors"][1]["reason"].startswith("Duplicate: phone 138 0013 8000 is also on row 2")
    assert cli.counts()["lead"] == 0
    assert cli.json("import", str(path), "--allow-duplicate")["imported"] == 3


def test_duplicates_against_the_database(cli: Any, tmp_path: Path) -> None:
    cli.add("杭州云栖科技有限公司", "13800138000", user="李娜")
    cli.add("已流失公司", "13700137000")
    with cli.engine().begin() as conn:
        conn.execute(text("UPDATE lead SET status = 'lost' WHERE id = 2"))
    path = write_csv(
        tmp_path / "dup.csv",
        [row("杭州云栖科技有限公司 ", "13900139000"), row("新公司", "+86 138 0013 8000"),
         row("已流失公司", "13700137000")],  # a lost customer may come back
    )  # fmt: skip
    doc = cli("import", str(path), "--json").json
    assert doc["errors"] == [
        {"row": 2, "column": "客户名称", "reason": "Duplicate: customer '杭州云栖科技有限公司' is "
         "already lead L0001 (owner 李娜). Follow up that lead, or pass --allow-duplicate to "
         "import it anyway."},
        {"row": 3, "column": "联系电话", "reason": "Duplicate: phone 138 0013 8000 is already on "
         "lead L0001 (owner 李娜). Follow up that lead, or pass --allow-duplicate to import it "
         "anyway."},
    ]  # fmt: skip
    assert cli.counts()["lead"] == 2
    doc = cli.json("import", str(path), "--skip-invalid")
    assert (doc["imported"], doc["skipped"], doc["first"]) == (1, 2, "L0003")
    assert cli.json("show", "3")["customer"] == "已流失公司"


# ---------------------------------------------------------------- import: options


def test_skip_invalid_imports_the_good_rows(cli: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    result = cli("import", str(path), "--skip-invalid")
    assert result.code == 0, result
    assert "Imported 1 lead (L0001) from" in result.out and "Skipped 7 bad rows" in result.out
    assert cli.counts()["lead"] == 1
    doc = cli.json("import", str(path), "--skip-invalid", "--allow-duplicate")
    assert doc["imported"] == 1 and doc["skipped"] == 7 and len(doc["errors"]) == 7


def test_dry_run_writes_nothing(cli: Any, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [row("甲公司", "13800138000")])
    before = cli.counts()
    result = cli.ok("import", str(good), "--dry-run")
    assert "1 can be imported. Nothing was written (--dry-run)." in result.out
    doc = cli.json("import", str(good), "--dry-run")
    assert doc["imported"] == 0 and doc["valid"] == 1 and doc["dry_run"] is True
    bad = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    assert cli("import", str(bad), "--dry-run").code == 2
    assert cli.json("import", str(bad), "--dry-run", "--skip-invalid")["skipped"] == 7
    assert cli.counts() == before


def test_new_leads_after_an_import_get_the_next_number(cli: Any, tmp_path: Path) -> None:
    cli.add("甲公司", "13800138000")
    path = write_csv(
        tmp_path / "i.csv", [row("乙公司", "13800138001"), row("丙公司", "13800138002")]
    )
    assert cli.json("import", str(path))["last"] == "L0003"
    assert cli.add("丁公司", "13800138003")["number"] == "L0004"


def test_empty_form_is_refused(cli: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [])
    result = cli("import", str(path))
    assert result.code == 2 and "has no leads below its header row" in result.err


# ---------------------------------------------------------------- export


def test_export_csv_is_the_form_with_number_status_and_due(cli: Any, tmp_path: Path) -> None:
    cli.add("甲公司", "13800138000", "--phone", "010-62345678", "--contact", "=1+1")
    out = tmp_path / "leads.csv"
    doc = cli.json("export", str(out))
    assert doc == {"file": str(out), "format": "csv", "exported": 1}
    assert mode(out) == 0o600
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, line = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == ["线索编号", *CHINESE, "状态", "下次跟进"]
    assert line[0] == "L0001" and line[2] == "企业" and line[3] == "'=1+1"
    assert line[4] == "138 0013 8000;010-6234 5678"
    assert line[-2:] == ["新线索", "2024-10-07"]


def test_export_filters_like_list(cli: Any, tmp_path: Path) -> None:
    cli.add("甲公司", "13800138000")
    cli.add("乙公司", "13800138001", user="李娜")
    cli.json("grade", "2", "A", "--reason", "预算30万")
    out = tmp_path / "a.csv"
    assert cli.json("export", str(out), "--grade", "a", "--owner", "李娜")["exported"] == 1
    assert "乙公司" in out.read_text(encoding="utf-8-sig")
    assert cli.json("export", str(out), "--force", "--status", "new")["exported"] == 1
    result = cli("export", str(tmp_path / "x.csv"), "--status", "asleep")
    assert result.code == 2 and result.err.startswith("Error: Unknown status 'asleep'")
    assert not (tmp_path / "x.csv").exists()


def test_export_never_overwrites_unless_forced(cli: Any, tmp_path: Path) -> None:
    cli.add("甲公司", "13800138000")
    out = tmp_path / "leads.xlsx"
    out.write_bytes(b"old")
    result = cli("export", str(out))
    assert result.code == 2 and "already exists" in result.err
    assert out.read_bytes() == b"old"
    os.chmod(out, 0o644)
    cli.ok("export", str(out), "--force")
    assert mode(out) == 0o600 and out.read_bytes()[:2] == b"PK"


def test_export_xlsx_has_text_phones_dates_and_no_formula(cli: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_csv(
        tmp_path / "h.csv",
        [row('=HYPERLINK("http://evil.example","点我")', "13800138000;+1 202 555 0100",
             need="@SUM(A1)", contact="+86 领导", acquired_on="2024-10-01")],
    )  # fmt: skip
    cli.json("import", str(path))
    out = tmp_path / "leads.xlsx"
    cli.ok("export", str(out))
    assert mode(out) == 0o600
    sheet = load_workbook(out).worksheets[0]
    header, cells = [c.value for c in sheet[1]], list(sheet[2])
    assert header == ["线索编号", *CHINESE, "状态", "下次跟进"]
    assert all(c.data_type != "f" for c in cells)
    values = dict(zip(header, (c.value for c in cells), strict=True))
    # text cells with Excel's quote prefix: the text as it is, no apostrophe in sight
    assert values["客户名称"] == '=HYPERLINK("http://evil.example","点我")'
    assert values["初步需求"] == "@SUM(A1)" and values["联系人"] == "+86 领导"
    prefixed = {h for h, c in zip(header, cells, strict=True) if c.quotePrefix}
    assert prefixed == {"客户名称", "初步需求", "联系人"}
    assert values["联系电话"] == "138 0013 8000;+1 202-555-0100"
    assert values["获取时间"] == datetime(2024, 10, 1)


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_without_loss(cli: Any, tmp_path: Path, fmt: str) -> None:
    cli.json("import", str(EXAMPLES))
    hostile = write_csv(
        tmp_path / "h.csv",
        [row('=HYPERLINK("http://evil.example","点我")', "+86 139 0013 9000;+44 20 7946 0958",
             contact="-2+3", need="@SUM(A1)\n第二行", wechat="'quoted", email="a@b.example",
             acquired_on="2024-09-30", grade="d", grade_reason="\t暂无需求")],
    )  # fmt: skip
    cli.json("import", str(hostile))
    before = captured(cli)
    assert len(before) == 41
    out = tmp_path / f"leads.{fmt}"
    assert cli.json("export", str(out))["exported"] == 41
    empty(cli)
    assert cli.counts()["lead"] == 0
    doc = cli.json("import", str(out))
    assert doc["imported"] == 41 and doc["ignored_columns"] == []
    assert captured(cli) == before


def test_an_xlsx_export_keeps_a_cr_and_drops_what_xml_cannot_hold(cli: Any, tmp_path: Path) -> None:
    """A CR inside a cell comes back as a CR (openpyxl wrote it raw: a newline on the way back);
    U+FFFF, which XML cannot hold, is dropped, where openpyxl wrote a workbook no one can open."""
    source = write_csv(
        tmp_path / "h.csv",
        [row("杭州云栖\uffff科技有限公司", "13800138000", need="第一行\r\n第二行\r第三行",
             contact="=1+1\ufffe", grade_reason="")],
    )  # fmt: skip
    cli.json("import", str(source))
    before = captured(cli)
    assert before[0]["need"] == "第一行\r\n第二行\r第三行"
    out = tmp_path / "leads.xlsx"
    assert cli.json("export", str(out))["exported"] == 1
    empty(cli)
    cli.json("import", str(out))
    after = captured(cli)
    assert after == [{**before[0], "customer": "杭州云栖科技有限公司", "contact": "=1+1"}]


def test_example_file_imports_on_todays_date(cli: Any) -> None:
    doc = cli.json("import", str(EXAMPLES), now=datetime.now().isoformat(timespec="seconds"))
    assert doc["imported"] == 40
    owners = {lead["owner"] for lead in cli.json("list")}
    assert "王芳" in owners and len(owners) >= 3


def test_imported_a_lead_owes_its_proposal_like_a_graded_one(cli: Any, tmp_path: Path) -> None:
    """Import stores the proposal deadline as `grade` would, so the review counts a miss."""
    path = write_csv(
        tmp_path / "a.csv",
        [row("杭州云栖科技有限公司", "13800138000", grade="A", grade_reason="预算30万")],
    )
    cli.json("import", str(path))
    cli.add("上海明德贸易有限公司", "13900139000")
    cli.ok("grade", "L0002", "A", "--reason", "预算20万")
    due = cli.rows("SELECT id, proposal_due_on FROM lead ORDER BY id")
    assert [str(d) for _, d in due] == ["2024-10-10", "2024-10-10"]
    review = cli.json("review", "--week-of", "2024-10-10", now="2024-10-11T09:00")
    assert review["reps"] == [
        {"owner": "王芳", "follow_ups": 0, "leads_touched": 0, "overdue": 2,
         "late_logs": 0, "proposals_missed": 2, "recycled": 0},
    ]  # fmt: skip


def test_a_nul_in_a_file_name_is_refused(cli: Any, tmp_path: Path) -> None:
    cli.add("杭州云栖科技有限公司", "13800138000")
    before, files = cli.counts(), sorted(tmp_path.iterdir())
    for args in (
        ["export", str(tmp_path / "a\x00b.csv")],
        ["template", str(tmp_path / "a\x00.xlsx")],
    ):
        result = cli(*args)
        assert result.code == 2, result
        assert result.err == "Error: The file name contains a NUL character; choose another name.\n"
    assert sorted(tmp_path.iterdir()) == files  # no file, not even a partial one
    assert cli.counts() == before
