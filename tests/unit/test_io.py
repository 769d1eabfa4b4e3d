"""The capture form as files, without a database: headers, encodings, rows, neutralisation,
the template, and the private writers."""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.errors import LeadctlError
from leadctl.io.form import (
    CAPTURE_COLUMNS,
    EXPORT_COLUMNS,
    header_key,
    match_headers,
    neutralise,
    restore,
)
from leadctl.io.reading import decode, file_format, read_csv, read_form, read_xlsx
from leadctl.io.sheet import write_xlsx
from leadctl.io.template import GUIDE_SHEET, write_template
from leadctl.io.writing import private_file, write_csv

CHINESE = [c.header for c in CAPTURE_COLUMNS]
ENGLISH = [c.key for c in CAPTURE_COLUMNS]


# ---------------------------------------------------------------- headers


def test_headers_chinese_and_english_in_any_order() -> None:
    chinese = match_headers(list(reversed(CHINESE)), "f")
    assert chinese.index["customer"] == len(CHINESE) - 1
    assert chinese.chinese
    english = match_headers(["Phone", "Customer", "SOURCE", "need", "grade_reason"], "f")
    assert english.index == {"phone": 0, "customer": 1, "source": 2, "need": 3, "grade_reason": 4}
    assert english.written["phone"] == "Phone"  # reported as the file writes it
    assert not english.chinese


def test_header_marks_width_and_aliases_are_tolerated() -> None:
    found = match_headers(
        ["客户名称*", "联系电话（必填）", "线索来源", "需求", " Customer Type "], "f"
    )
    assert found.index == {"customer": 0, "phone": 1, "source": 2, "need": 3, "customer_type": 4}
    assert header_key("ＣＵＳＴＯＭＥＲ_type") == header_key("customer-type") == "customertype"


def test_export_only_and_unknown_columns() -> None:
    found = match_headers(["线索编号", *CHINESE, "状态", "下次跟进", "上次联系"], "f")
    assert "number" not in found.index and "status" not in found.index
    assert found.ignored == ["上次联系"]


def test_a_missing_required_column_is_named() -> None:
    with pytest.raises(LeadctlError) as caught:
        match_headers(["客户名称", "联系电话", "线索来源"], "'x.csv'")
    assert caught.value.message.startswith("'x.csv' has no 初步需求 (need) column")


def test_a_column_given_twice_is_refused() -> None:
    with pytest.raises(LeadctlError, match=r"two 联系电话 \(phone\) columns, '电话' and 'phone'"):
        match_headers(["客户名称", "电话", "phone", "线索来源", "初步需求"], "f")


def test_column_name_for_a_column_the_file_lacks_follows_its_language() -> None:
    assert match_headers(CHINESE[:8], "f").column_name("grade_reason") == "分级依据"
    assert match_headers(ENGLISH[:8], "f").column_name("grade_reason") == "grade_reason"


# ---------------------------------------------------------------- neutralisation


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","点我")', "+86 138", "-1", "@SUM(A1)", "\tx", "\rx", "'x"]
)
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


def test_plain_text_is_left_alone() -> None:
    assert neutralise("杭州云栖") == "杭州云栖"
    assert neutralise("138 0013 8000") == "138 0013 8000"


@given(st.text())
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


# ---------------------------------------------------------------- reading


def test_decode_utf8_bom_gbk_and_utf16() -> None:
    text = "客户名称,联系电话\n杭州云栖,13800138000\n"
    assert decode(text.encode("utf-8"), "f") == text
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8"), "f") == text
    assert decode(text.encode("gbk"), "f") == text
    assert decode(text.encode("gb18030"), "f") == text
    assert decode(text.encode("utf-16"), "f") == text


def test_csv_rows_are_numbered_like_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('客户名称,初步需求\nA,"two\nlines"\n\nB,x\n', encoding="utf-8")
    form = read_csv(path)
    assert form.headers == ["客户名称", "初步需求"]
    assert list(form.rows) == [(2, ["A", "two\nlines"]), (3, []), (4, ["B", "x"])]


def test_gbk_csv_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("客户名称\t联系电话\n杭州云栖\t13800138000\n".encode("gbk"))
    form = read_csv(path)
    assert form.headers == ["客户名称", "联系电话"]
    assert list(form.rows) == [(2, ["杭州云栖", "13800138000"])]


def test_empty_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(codecs.BOM_UTF8)
    with pytest.raises(LeadctlError, match="is empty or its first row has no headers"):
        read_csv(path)


def test_xlsx_cells_keep_their_types_and_row_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["客户名称", "联系电话", "获取时间"])
    sheet.append(["杭州云栖", 13800138000, datetime(2024, 10, 5)])
    sheet.append([])
    sheet.append(["上海恒达", "021-62345678", "10月5日"])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    form = read_xlsx(path)
    assert form.headers == ["客户名称", "联系电话", "获取时间"]
    rows = [(n, list(cells)) for n, cells in form.rows]
    assert rows[0] == (2, ["杭州云栖", 13800138000, datetime(2024, 10, 5)])
    assert rows[-1] == (4, ["上海恒达", "021-62345678", "10月5日"])


@pytest.mark.parametrize("name", ["leads.xls", "leads.txt", "leads"])
def test_only_csv_and_xlsx(name: str) -> None:
    with pytest.raises(LeadctlError, match=f"Cannot import '{name}'"):
        file_format(Path(name), "import")


def test_a_broken_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    path.write_text("not a zip")
    with pytest.raises(LeadctlError, match=r"Cannot read 'f\.xlsx' as an Excel workbook"):
        read_form(path)


# ---------------------------------------------------------------- the template


def test_template_has_the_form_drop_downs_and_a_guide(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "form.xlsx"
    with path.open("wb") as handle:
        write_template(handle)
    workbook = load_workbook(path)
    form, guide = workbook.worksheets
    assert [c.value for c in form[1]] == CHINESE
    assert form.freeze_panes == "A2"
    lists = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in form.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists == {"B2": '"企业,个人"', "K2": '"A,B,C,D"'}
    assert form.column_dimensions["D"].number_format == "@"  # phones stay text
    assert form.column_dimensions["I"].number_format == "yyyy-mm-dd"
    assert form.column_dimensions["A"].width == 30
    assert guide.title == GUIDE_SHEET
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for words in ("线索分级标准", "A 高意向", "D 暂缓", "分级依据", "--skip-invalid", "工作日历"):
        assert words in text
    assert read_xlsx(path).headers == CHINESE  # and it reads back as a form


# ---------------------------------------------------------------- writing


def test_private_file_is_0600_and_appears_only_when_complete(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "out.csv"
        with private_file(path, replace=False) as handle:
            handle.write(b"x")
            assert not path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        refused = pytest.raises(LeadctlError, match="already exists: choose another name, or pass")
        with refused, private_file(path, replace=False):
            pass
        with pytest.raises(RuntimeError), private_file(path, replace=True) as handle:
            handle.write(b"half")
            raise RuntimeError
        assert path.read_bytes() == b"x"  # the old file survives a failed export
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temp left
    finally:
        os.umask(old)


def test_private_file_needs_an_existing_folder(tmp_path: Path) -> None:
    refused = pytest.raises(LeadctlError, match="does not exist: create it first")
    with refused, private_file(tmp_path / "nope" / "x.csv", replace=False):
        pass


ROW = [
    "L0001", '=HYPERLINK("http://evil.example","点我")', "企业", "-2+3", "138 0013 8000",
    None, "@wx", "官网注册", "+采购", date(2024, 10, 5), "王芳", "A", "预算30万", "跟进中",
    date(2024, 10, 8),
]  # fmt: skip


def test_csv_is_utf8_with_bom_and_neutralised() -> None:
    buffer = io.BytesIO()
    assert write_csv(buffer, EXPORT_COLUMNS, [ROW]) == 1
    data = buffer.getvalue()
    assert data.startswith(codecs.BOM_UTF8)
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:3] == ["线索编号", "客户名称", "客户类型"]
    assert row[1] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row[3] == "'-2+3" and row[6] == "'@wx" and row[8] == "'+采购"
    assert row[4] == "138 0013 8000" and row[5] == "" and row[9] == "2024-10-05"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_xlsx_has_no_formula_and_real_dates(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        assert write_xlsx(handle, EXPORT_COLUMNS, [ROW], title="线索") == 1
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = next(iter(sheet.iter_rows(min_row=2)))
    assert all(c.data_type != "f" for c in cells)
    # formula-like text is a text cell with Excel's quote prefix: no apostrophe to see
    assert cells[1].value == '=HYPERLINK("http://evil.example","点我")'
    assert [(c.value, c.data_type, c.quotePrefix) for c in (cells[3], cells[6], cells[8])] == [
        ("-2+3", "s", True), ("@wx", "s", True), ("+采购", "s", True)
    ]  # fmt: skip
    assert cells[1].quotePrefix and not cells[2].quotePrefix and not cells[7].quotePrefix
    assert cells[4].value == "138 0013 8000" and cells[4].data_type == "s"
    assert cells[9].value == datetime(2024, 10, 5) and cells[9].is_date
    assert [c.value for c in sheet[1]] == [c.header for c in EXPORT_COLUMNS]


def test_the_fast_path_for_cn_mobiles_formats_as_phonenumbers_does() -> None:
    """display_phone formats a CN mobile without phonenumbers: the same text it would give."""
    import random

    import phonenumbers

    from leadctl.domain.phones import display_phone, normalise_phone

    rnd = random.Random(6)
    numbers = [f"1{p}{rnd.randrange(10**8):08d}" for p in range(30, 100) for _ in range(20)]
    checked = 0
    for raw in numbers:
        try:
            e164 = normalise_phone(raw)
        except LeadctlError:
            continue
        national = phonenumbers.format_number(
            phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.NATIONAL
        )
        assert display_phone(e164, "CN") == national
        checked += 1
    assert checked > 500
    assert display_phone("+861062345678", "CN") == "010-6234 5678"  # the area code, a dash
    assert display_phone("+12025550100", "CN") == "+1 202-555-0100"


def test_a_list_of_phones_is_shown_as_each_one_is() -> None:
    """display_phones (a long queue's) gives display_phone's text for each, "" for none."""
    from leadctl.domain.phones import display_phone, display_phones

    stored = ["+8613800138000", "+8657188886677;ext=8001", "+861062345678", "+12025550100",
              "+8613800138000;ext=12", None, "", "+85261234567"]  # fmt: skip
    for region in ("CN", "US"):
        assert display_phones(stored, region) == [
            display_phone(phone, region) if phone else "" for phone in stored
        ]
    assert display_phones(stored)[:2] == ["138 0013 8000", "0571-8888 6677 ext. 8001"]


def test_xlsx_drops_characters_xml_cannot_hold(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    row = ["L0001", "甲公司\x0b", None, None, "138 0013 8000", None, None, "展会", "a\x01b\tc\nd"]
    with path.open("wb") as handle:
        write_xlsx(handle, EXPORT_COLUMNS[:9], [row], title="线索")
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["B2"].value == "甲公司" and sheet["I2"].value == "ab\tc\nd"
