"""Hostile capture forms (issue 20, classes 1, 5 and 8), on SQLite and PostgreSQL.

An import accounts for every row its file holds (a stale xlsx <dimension>, a CSV quote left
open), refuses a damaged workbook with exit 2 naming the file (never exit 1), and refuses a file
past the documented limits before it can take minutes or hundreds of MB. On every refusal the
database is unchanged.

Workbooks are built here part by part (a zip of XML), so each test controls exactly the part it
breaks; `workbook()` with no arguments is a valid form that imports.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from leadctl.io import reading
from tests.conftest import Cli

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
HEADERS = ["customer", "phone", "source", "need"]


def lead_rows(count: int) -> list[list[str]]:
    return [[f"客户{i}", f"1380013{i:04d}", "官网注册", "采购CRM系统"] for i in range(count)]


def column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def cell_xml(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: list[list[str]], dimension: str | None = None) -> str:
    body = "".join(
        f'<row r="{r}">'
        + "".join(cell_xml(f"{column(c)}{r}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{XML}<worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'


def parts(sheet: str) -> dict[str, str]:
    return {
        "[Content_Types].xml": f'{XML}<Types xmlns="{CT}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/></Types>',
        "_rels/.rels": f'{XML}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{PKG}"><Relationship '
        f'Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }


def write_zip(path: Path, entries: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def workbook(path: Path, rows: int = 3, **change: str) -> Path:
    """A valid form of `rows` leads; `change` replaces whole parts by name."""
    entries: dict[str, str | bytes] = dict(parts(sheet_xml([HEADERS, *lead_rows(rows)])))
    entries.update(change)
    return write_zip(path, entries)


def refused(cli: Cli, path: Path, *needles: str) -> str:
    """Import `path`: exit 2, one `Error:` line naming the file, nothing written."""
    before = cli.counts()
    result = cli("import", path)
    assert result.code == 2, result
    assert result.err.startswith("Error: ") and "Traceback" not in result.err, result
    assert path.name in result.err, result
    for needle in needles:
        assert needle in result.err, result
    assert cli.counts() == before
    return result.err


# ---------------------------------------------------------------- class 1: every row counted


@pytest.mark.parametrize("dimension", ["A1:D3", "A1", "A1:D1", "B2:C2", "A1:D11", "A1:XFD1048576"])
def test_an_xlsx_imports_every_row_whatever_its_dimension_says(cli, tmp_path, dimension):
    rows = [HEADERS, *lead_rows(10)]
    path = workbook(
        tmp_path / "stale.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(rows, dimension)}
    )
    report = cli.json("import", path)
    assert (report["rows"], report["imported"]) == (10, 10)
    assert cli.scalar("SELECT count(*) FROM lead") == 10


def test_an_xlsx_from_openpyxl_with_a_stale_dimension_imports_every_row(cli, tmp_path):
    """The same through openpyxl's own writer, as a real tool leaves it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADERS, *lead_rows(10)]:
        sheet.append(row)
    path = tmp_path / "tool.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        entries: dict[str, str | bytes] = {n: archive.read(n) for n in archive.namelist()}
    xml = entries["xl/worksheets/sheet1.xml"]
    assert isinstance(xml, bytes) and b'<dimension ref="A1:D11"' in xml
    entries["xl/worksheets/sheet1.xml"] = xml.replace(b'ref="A1:D11"', b'ref="A1:D3"')
    write_zip(path, entries)
    assert cli.json("import", path)["imported"] == 10


CSV_HEAD = "customer,phone,source,need\n"


def csv_rows(count: int, delimiter: str = ",") -> list[str]:
    return [delimiter.join(row) + "\n" for row in lead_rows(count)]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
@pytest.mark.parametrize("at_column", [0, 1, 3])
# the row (0-based) whose quote is never closed, and whether a stray quote on the last row
# closes it (one opened and closed on the last row is a row of its own)
@pytest.mark.parametrize(
    ("row", "closed_later"), [(0, False), (2, False), (5, False), (0, True), (2, True)]
)
def test_a_csv_quote_left_open_is_refused_by_its_row(
    cli, tmp_path, delimiter, row, at_column, closed_later
):
    """The quote swallows the rows after it into one cell: refused, naming its row, whether
    the quote runs to the end of the file or a later stray quote closes it."""
    lines = csv_rows(6, delimiter)
    cells = lines[row].rstrip("\n").split(delimiter)
    cells[at_column] = '"' + cells[at_column]
    lines[row] = delimiter.join(cells) + "\n"
    if closed_later:
        last = lines[-1].rstrip("\n").split(delimiter)
        last[-1] = last[-1] + '"'
        lines[-1] = delimiter.join(last) + "\n"
    path = tmp_path / "open-quote.csv"
    path.write_text(CSV_HEAD.replace(",", delimiter) + "".join(lines), encoding="utf-8")
    refused(cli, path, f"Row {row + 2} of", "not closed")


def test_a_csv_quote_left_open_without_a_final_newline_is_refused(cli, tmp_path):
    path = tmp_path / "open.csv"
    path.write_text(CSV_HEAD + 'A,13800138000,官网注册,"采购\nCRM', encoding="utf-8")
    refused(cli, path, "Row 2 of", "not closed")


def test_cells_on_several_lines_still_import(cli, tmp_path):
    """What a quote is for: a note over several lines, with commas, quotes and a last row."""
    path = tmp_path / "notes.csv"
    path.write_text(
        "customer,phone,source,need,note\n"
        'A,13800138000,官网注册,"采购CRM\n第二行, 有逗号","说了""好的""\n下周再联系"\n'
        'B,13800138001,官网注册,CRM,"最后一行\n还有一行"\n',
        encoding="utf-8",
    )
    report = cli.json("import", path)
    assert (report["rows"], report["imported"]) == (2, 2)
    assert cli.scalar("SELECT need FROM lead WHERE customer = 'A'") == "采购CRM\n第二行, 有逗号"


# ---------------------------------------------------------------- class 5: damaged workbooks


def _replace_cell(xml: str, ref: str, new: str) -> str:
    start = xml.index(f'<c r="{ref}"')
    end = xml.index("</c>", start) + len("</c>")
    return xml[:start] + new + xml[end:]


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


GOOD_SHEET = sheet_xml([HEADERS, *lead_rows(3)])
DAMAGED: dict[str, Callable[[Path], Path]] = {
    "bad XML": lambda p: workbook(
        p, **{"xl/worksheets/sheet1.xml": GOOD_SHEET.replace("</row>", "</rox>", 2)}
    ),
    "sheet cut short": lambda p: workbook(
        p, **{"xl/worksheets/sheet1.xml": GOOD_SHEET[: len(GOOD_SHEET) // 2]}
    ),
    "workbook.xml bad": lambda p: workbook(p, **{"xl/workbook.xml": "<workbook><sheets>"}),
    "file cut short": lambda p: written(p, workbook(p).read_bytes()[:-200]),
    "not a zip": lambda p: written(p, b"PK\x03\x04 not really"),
    "empty file": lambda p: written(p, b""),
    "non-numeric number": lambda p: workbook(
        p,
        **{"xl/worksheets/sheet1.xml": _replace_cell(GOOD_SHEET, "B2", '<c r="B2"><v>abc</v></c>')},
    ),
    "bad boolean": lambda p: workbook(
        p,
        **{
            "xl/worksheets/sheet1.xml": _replace_cell(
                GOOD_SHEET, "B3", '<c r="B3" t="b"><v>yes</v></c>'
            )
        },
    ),
    "bad date cell": lambda p: workbook(
        p,
        **{
            "xl/worksheets/sheet1.xml": _replace_cell(
                GOOD_SHEET, "B2", '<c r="B2" t="d"><v>2024-13-45</v></c>'
            )
        },
    ),
    "no shared string": lambda p: workbook(
        p,
        **{
            "xl/worksheets/sheet1.xml": _replace_cell(
                GOOD_SHEET, "B2", '<c r="B2" t="s"><v>7</v></c>'
            )
        },
    ),
    "bad cell reference": lambda p: workbook(
        p, **{"xl/worksheets/sheet1.xml": GOOD_SHEET.replace('r="B2"', 'r="!!"')}
    ),
    "bad header cell reference": lambda p: workbook(
        p, **{"xl/worksheets/sheet1.xml": GOOD_SHEET.replace('r="A1"', 'r="1A"')}
    ),
    "missing worksheet": lambda p: write_zip(
        p, {k: v for k, v in parts(GOOD_SHEET).items() if "sheet1" not in k}
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_workbook_is_refused_naming_the_file(cli, tmp_path, damage):
    path = DAMAGED[damage](tmp_path / "damaged.xlsx")
    err = refused(cli, path)
    assert "abc" not in err and "2024-13-45" not in err  # a cell's content is not echoed


def _chart_workbook(path: Path, *, with_data: bool) -> Path:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    data = book.active
    data.title = "数据"
    for row in [HEADERS, *lead_rows(2)]:
        data.append(row)
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=3))
    book.create_chartsheet("图表", 0).add_chart(chart)
    if not with_data:
        book.remove(data)
    book.save(path)
    return path


def test_a_chart_sheet_first_imports_the_first_worksheet(cli, tmp_path):
    path = _chart_workbook(tmp_path / "charts.xlsx", with_data=True)
    assert cli.json("import", path)["imported"] == 2


def test_a_workbook_of_charts_only_is_refused(cli, tmp_path):
    path = _chart_workbook(tmp_path / "charts.xlsx", with_data=False)
    refused(cli, path, "no worksheet")


# ---------------------------------------------------------------- class 8: size limits


def test_rows_past_the_limit_are_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    csv_ok = tmp_path / "five.csv"
    csv_ok.write_text(CSV_HEAD + "".join(csv_rows(5)), encoding="utf-8")
    assert cli.json("import", csv_ok, "--dry-run")["rows"] == 5
    xlsx_ok = workbook(tmp_path / "five.xlsx", rows=5)
    assert cli.json("import", xlsx_ok, "--dry-run")["rows"] == 5
    six = tmp_path / "six.csv"
    six.write_text(CSV_HEAD + "".join(csv_rows(6)), encoding="utf-8")
    refused(cli, six, "more than 5 rows")
    refused(cli, workbook(tmp_path / "six.xlsx", rows=6), "more than 5 rows")
    # blank rows count: a stray cell far down the sheet is refused early, not read for minutes
    far = sheet_xml([HEADERS, *lead_rows(2)]).replace(
        "</sheetData>", f'<row r="1048576">{cell_xml("A1048576", "x")}</row></sheetData>'
    )
    refused(cli, workbook(tmp_path / "far.xlsx", **{"xl/worksheets/sheet1.xml": far}), "rows")


def test_the_real_row_limit_refuses_a_sheet_that_runs_to_excels_last_row(cli, tmp_path):
    far = sheet_xml([HEADERS, *lead_rows(2)]).replace(
        "</sheetData>", f'<row r="1048576">{cell_xml("A1048576", "x")}</row></sheetData>'
    )
    path = workbook(tmp_path / "far.xlsx", **{"xl/worksheets/sheet1.xml": far})
    refused(cli, path, "more than 100,000 rows")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_past_the_limit_is_refused(cli, tmp_path, kind):
    """Even in a column import ignores (a field of the form has its own, shorter limit)."""
    at_limit = "注" * reading.MAX_CELL
    for value, ok in ((at_limit, True), (at_limit + "释", False)):
        rows = [[*HEADERS, "附件"], *[[*row, ""] for row in lead_rows(2)]]
        rows[2][4] = value
        if kind == "csv":
            path = tmp_path / "long.csv"
            path.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
        else:
            path = workbook(tmp_path / "long.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(rows)})
        if ok:
            assert cli.json("import", path, "--dry-run")["valid"] == 2
        else:
            refused(cli, path, "Row 3 of", "32,768 characters", "at most 32,767")


def test_shared_strings_past_the_limit_are_refused_from_the_zip_directory(cli, tmp_path):
    """A few MB of zip unpacking to more shared strings than the limit: refused before
    openpyxl reads them (it holds them all in memory)."""
    one = "<si><t>重复的字符串</t></si>"
    strings = (
        f'{XML}<sst xmlns="{MAIN}">'
        + one * (reading.MAX_STRINGS_BYTES // len(one.encode()) + 1)
        + "</sst>"
    )
    path = workbook(tmp_path / "strings.xlsx", **{"xl/sharedStrings.xml": strings})
    assert path.stat().st_size < 1024 * 1024
    refused(cli, path, "too large", "the limit is 32 MB")


def test_parts_past_the_unpacked_limit_are_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_XLSX_BYTES", 64 * 1024)
    padding = "<!--" + "x" * 70_000 + "-->"
    path = workbook(tmp_path / "big.xlsx", **{"docProps/padding.xml": padding})
    refused(cli, path, "too large")


def test_a_csv_past_the_size_limit_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_CSV_BYTES", 1024)
    path = tmp_path / "big.csv"
    path.write_text(CSV_HEAD + "".join(csv_rows(40)), encoding="utf-8")
    refused(cli, path, "too large")
