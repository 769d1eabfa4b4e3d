"""The export's workbook writer (leadctl.io.sheet): the workbook openpyxl wrote, cell for cell,
and what it reads back as; what XML cannot hold is dropped, never a file nobody can open."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from leadctl.io.form import EXPORT_COLUMNS, FormColumn, restore
from leadctl.io.reading import read_xlsx
from leadctl.io.sheet import column_letter, write_xlsx
from leadctl.io.writing import exported_text

# ---------------------------------------------------------------- the first release's writer


def openpyxl_xlsx(
    handle: IO[bytes], columns: Sequence[FormColumn], rows: Iterable[Sequence[Any]], *, title: str
) -> int:
    """The export's workbook as the first release wrote it (openpyxl write-only): the reference
    the direct writer must match."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    sheet.append(header)

    def cell_of(value: Any) -> Any:
        if value is None or isinstance(value, (date, int, float)):
            return value
        text, formula = exported_text(str(value), xlsx=True)
        if not formula:
            return text
        cell = WriteOnlyCell(sheet, value="'" + text if text.startswith("'") else text)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    count = 0
    for row in rows:
        sheet.append([cell_of(v) for v in row])
        count += 1
    workbook.save(handle)
    return count


def workbook_of(writer: Any, columns: Sequence[FormColumn], rows: list[list[Any]]) -> Any:
    out = io.BytesIO()
    assert writer(out, columns, rows, title="线索") == len(rows)
    out.seek(0)
    return load_workbook(out)


def cells_of(workbook: Any) -> dict[str, tuple[Any, ...]]:
    """Every cell with a value as a spreadsheet sees it, by its place: value, type, quote
    prefix, date format, and (the header's) bold and fill."""
    return {
        c.coordinate: seen(c)
        for row in workbook.active.iter_rows()
        for c in row
        if c.value is not None
    }


def seen(c: Any) -> tuple[Any, ...]:
    fill = c.fill.fgColor.rgb if c.fill.fill_type else None
    return (
        c.value,
        c.data_type,
        c.quotePrefix,
        c.is_date,
        c.number_format if c.is_date else "",
        c.font.b,
        fill,
    )


def layout_of(workbook: Any) -> tuple[Any, ...]:
    sheet = workbook.active
    widths = {k: d.width for k, d in sheet.column_dimensions.items() if d.customWidth}
    return workbook.sheetnames, sheet.title, sheet.freeze_panes, widths


# ---------------------------------------------------------------- what both writers take

# text as leads hold it: CJK, formula starts, quotes, XML's own characters, edge spaces, tabs
# and newlines (not CR: openpyxl wrote it raw and it came back as a newline; tested below)
CHARS = st.sampled_from(
    list("客户公司杭州云栖科技有限联系人王芳 ") + list("=+-@'\"&<>;/\t\n.,()0123456789aZ")
)
TEXT = st.text(CHARS, max_size=30) | st.text(max_size=12).filter(
    lambda t: "\r" not in t and exported_text(t, xlsx=True)[0] == t
)
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=-(10**12), max_value=10**12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(VALUES, min_size=len(EXPORT_COLUMNS), max_size=len(EXPORT_COLUMNS)),
                max_size=6))  # fmt: skip
def test_the_workbook_reads_back_as_openpyxl_s_did(rows: list[list[Any]]) -> None:
    fast = workbook_of(write_xlsx, EXPORT_COLUMNS, rows)
    reference = workbook_of(openpyxl_xlsx, EXPORT_COLUMNS, rows)
    assert cells_of(fast) == cells_of(reference)
    assert layout_of(fast) == layout_of(reference)


def test_the_first_rows_of_a_real_export_are_openpyxl_s_cells() -> None:
    row = ["L0001", '=HYPERLINK("http://evil.example","点我")', "企业", "-2+3", "138 0013 8000",
           None, "@wx", "官网注册", "+采购", date(2024, 10, 5), "王芳", "A", "'预算30万'",
           "展会上交换过名片\n下周再联系", "跟进中", date(2024, 10, 8)]  # fmt: skip
    fast = workbook_of(write_xlsx, EXPORT_COLUMNS, [row, row])
    assert cells_of(fast) == cells_of(workbook_of(openpyxl_xlsx, EXPORT_COLUMNS, [row, row]))
    cells = cells_of(fast)
    assert cells["A1"] == ("线索编号", "s", False, False, "", True, "00DDEBF7")
    assert cells["B2"][:3] == ('=HYPERLINK("http://evil.example","点我")', "s", True)
    assert cells["M2"][:3] == ("''预算30万'", "s", True)  # import drops the first `'`
    assert cells["J2"][:5] == (datetime(2024, 10, 5), "d", False, True, "yyyy-mm-dd")
    assert "F2" not in cells and cells["N3"][0] == "展会上交换过名片\n下周再联系"


# ---------------------------------------------------------------- exact round trips

SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff"]
HOSTILE = [
    "杭州云栖科技有限公司", "=1+1", "+86 138 0013 8000", "-", "@", "'", "''", "'引号'",
    "\t制表符开头", "a & b < c > d \"引号\"", "  前后空格  ", " ", "第一行\n第二行", "回车\r换行\r\n",
    "x" * 32_767, "混合 CJK and ASCII；全角，标点。", "=HYPERLINK(\"http://x.cn\",\"点我\")",
    "\x85=1+1", "\x7f@SUM(A1)", "末尾换行\n",
]  # fmt: skip


def read_back(path: Path) -> list[list[Any]]:
    """The rows as `import` reads them: leadctl's reader, one leading `'` dropped (and a row
    padded to the header's width, as import pads it)."""
    form = read_xlsx(path)
    width = len(form.headers)
    return [
        [restore(v) if isinstance(v, str) else v for v in [*cells, *[None] * width][:width]]
        for _, cells in form.rows
    ]


def test_text_dates_and_empty_cells_come_back_exactly(tmp_path: Path) -> None:
    columns = [FormColumn(f"c{i}", f"列{i}", 12) for i in range(4)]
    rows = [[text, None, date(2024, 10, 5), ""] for text in HOSTILE]
    rows.append([None, None, None, None])
    rows.append(["最后一行", date(1900, 1, 1), date(1900, 3, 1), date(2099, 12, 31)])
    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        assert write_xlsx(handle, columns, rows, title="线索") == len(rows)
    back = read_back(path)
    assert [r[0] for r in back[: len(HOSTILE)]] == HOSTILE  # a CR included (&#13;)
    assert all(r[1] is None and r[3] is None for r in back[: len(HOSTILE)])  # "" is no cell
    assert {r[2] for r in back[: len(HOSTILE)]} == {datetime(2024, 10, 5)}
    assert back[-1][1:] == [datetime(1900, 1, 1), datetime(1900, 3, 1), datetime(2099, 12, 31)]
    assert len(back) == len(rows) and back[-2] == [None] * 4  # the empty row keeps its place
    assert read_xlsx(path).headers == [c.header for c in columns]


def test_formula_like_text_is_a_quoted_text_cell_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        write_xlsx(handle, EXPORT_COLUMNS[:1], [[t] for t in HOSTILE], title="线索")
    sheet = load_workbook(path).active
    for text, (cell,) in zip(HOSTILE, sheet.iter_rows(min_row=2), strict=True):
        assert cell.data_type == "s"
        assert cell.quotePrefix == exported_text(text, xlsx=True)[1], text
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_characters_xml_cannot_hold_are_dropped_and_the_file_opens(tmp_path: Path) -> None:
    """U+FFFE, U+FFFF, lone surrogates and control characters but tab, newline and CR: the
    first release wrote U+FFFF, and a lone surrogate as `&#55296;`, into a workbook that no
    reader opens (import called it damaged)."""
    illegal = ["\ufffe", "\uffff", "\ud800", "\udfff", "\x00", "\x08", "\x0b", "\x0c", "\x1f"]
    rows = [[f"甲{ch}乙", f"{ch}=1+1", ch] for ch in illegal]
    columns = [FormColumn(f"c{i}", f"列{i}", 12) for i in range(3)]
    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        write_xlsx(handle, columns, rows, title="线索")
    back = read_back(path)
    assert back == [["甲乙", "=1+1", None]] * len(illegal)
    sheet = load_workbook(path).active
    assert all(row[1].quotePrefix for row in sheet.iter_rows(min_row=2))


def test_the_package_is_a_minimal_workbook_with_inline_strings() -> None:
    out = io.BytesIO()
    write_xlsx(out, EXPORT_COLUMNS, [["L0001", "甲"]], title="线索")
    names = zipfile.ZipFile(out).namelist()
    assert names[0] == "[Content_Types].xml"
    assert "xl/sharedStrings.xml" not in names
    assert {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/worksheets/sheet1.xml"} <= set(names)  # fmt: skip
    for name in names:  # every part is well-formed XML
        from xml.etree import ElementTree

        ElementTree.fromstring(zipfile.ZipFile(out).read(name))


def test_a_title_with_xml_characters_and_many_columns() -> None:
    columns = [FormColumn(f"c{i}", f"<{i}>&", 8) for i in range(30)]
    out = io.BytesIO()
    write_xlsx(out, columns, [list(range(30))], title='A&B "x"')
    out.seek(0)
    sheet = load_workbook(out).active
    assert sheet.title == 'A&B "x"'
    assert [c.value for c in sheet[1]] == [f"<{i}>&" for i in range(30)]
    assert [c.value for c in sheet[2]] == list(range(30))
    assert sheet["AD2"].value == 29


@pytest.mark.parametrize(
    ("position", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")]
)
def test_column_letters(position: int, letters: str) -> None:
    from openpyxl.utils import get_column_letter

    assert column_letter(position) == letters == get_column_letter(position)


def test_other_values_as_openpyxl_wrote_them() -> None:
    columns = [FormColumn(f"c{i}", f"列{i}", 8) for i in range(6)]
    rows = [[True, 2.5, -7, datetime(2024, 10, 5, 14, 30, 15), 10**15, 0.1]]
    fast = workbook_of(write_xlsx, columns, rows)
    assert cells_of(fast) == cells_of(workbook_of(openpyxl_xlsx, columns, rows))
    assert [c.value for c in fast.active[2]] == rows[0]


ANY_TEXT = st.text(
    st.characters() | st.sampled_from([*"=+-@'\t\r\n &<>\x01\x0b\x85\xa0\u3000", *SURROGATES])
)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_the_shortcuts_for_plain_text_change_nothing(value: str) -> None:
    """exported_text's first-character test and _text_cell's plain-text shortcut give what the
    full checks give (every character, lone surrogates included)."""
    import re

    from leadctl.io import sheet, writing
    from leadctl.io.form import formula_like

    kept = re.sub(f"[{writing.NOT_IN_XML}]", "", value)
    hidden = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", kept)
    assert exported_text(value, xlsx=True) == (kept, formula_like(hidden))
    assert exported_text(value, xlsx=False)[1] == formula_like(re.sub(
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", value))  # fmt: skip
    text, formula = exported_text(value, xlsx=True)
    full = "" if not text else sheet._string(
        "'" + text if formula and text.startswith("'") else text, 2 if formula else 0
    )  # fmt: skip
    assert sheet._text_cell(value) == full
