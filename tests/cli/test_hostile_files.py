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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def with_strings(entries: dict[str, str]) -> dict[str, str]:
    """`entries` with the shared strings part declared, so that openpyxl reads it."""
    strings = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = entries["[Content_Types].xml"]
    rels = entries["xl/_rels/workbook.xml.rels"]
    return {
        **entries,
        "[Content_Types].xml": types.replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{strings}"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": rels.replace(
            "</Relationships>",
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        ),
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
    entries = with_strings(parts(sheet_xml([HEADERS, *lead_rows(2)])))
    path = write_zip(tmp_path / "strings.xlsx", {**entries, "xl/sharedStrings.xml": strings})
    assert path.stat().st_size < 1024 * 1024
    refused(cli, path, "too large", "the limit is 16 MB")


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


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_text_past_the_limit_in_all_the_cells_is_refused(cli, tmp_path, monkeypatch, kind):
    monkeypatch.setattr(reading, "MAX_TEXT", 200)
    # 25 characters a row, the header's not counted: 8 rows are 200
    for count, ok in ((8, True), (9, False)):
        rows = [HEADERS, *lead_rows(count)]
        if kind == "csv":
            path = tmp_path / "text.csv"
            path.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
        else:
            path = workbook(tmp_path / "text.xlsx", rows=count)
        if ok:
            assert cli.json("import", path, "--dry-run")["valid"] == 8
        else:
            refused(cli, path, "more than 200 characters", "past row 10")


# ---------------------------------------------------------------- class 8: peak memory

RSS_LIMIT_MB = 300
# runs the import in a child of its own and prints the child's peak RSS: a process's
# RUSAGE_CHILDREN is the largest of every child it has waited for, so it needs a fresh parent
MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "leadctl", "import", sys.argv[1]], capture_output=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.stderr.write(done.stderr.decode()[-2000:])
"""


def peak_rss(cli: Cli, path: Path) -> tuple[int, int, str]:
    """(exit code, peak RSS in MB, stderr) of `leadctl import path` in a process of its own."""
    import os
    import subprocess
    import sys

    env = {**os.environ, **cli.env, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], env=env, capture_output=True, text=True
    )
    code, rss = map(int, done.stdout.split())
    return code, rss, done.stderr


def big_forms(tmp_path: Path) -> dict[str, tuple[Path, int]]:
    """Files at and past the limits, each with the exit its import must give."""
    rows = reading.MAX_ROWS
    forms: dict[str, tuple[Path, int]] = {}

    # the row limit reached with typical rows: imported
    def typical(mobile: str) -> list[list[str]]:
        return [
            [f"{mobile}-{i}号客户", f"{mobile}{i:08d}", "官网注册", "采购CRM系统", "企业", "张三",
             "2024-10-01", "首次联系说明"]
            for i in range(rows)
        ]  # fmt: skip

    head = ["customer", "phone", "source", "need", "customer_type", "contact", "acquired_on",
            "note"]  # fmt: skip
    full_csv = tmp_path / "full.csv"
    full_csv.write_text("".join(",".join(r) + "\n" for r in [head, *typical("137")]), "utf-8")
    forms["100,000 rows of CSV"] = (full_csv, 0)
    sheet = sheet_xml([head, *typical("139")])
    full_xlsx = workbook(tmp_path / "full.xlsx", **{"xl/worksheets/sheet1.xml": sheet})
    forms["100,000 rows of xlsx"] = (full_xlsx, 0)
    # short rows just under the CSV size limit: refused at the row limit
    short = tmp_path / "short.csv"
    with short.open("w", encoding="utf-8") as fh:
        fh.write(CSV_HEAD)
        i = 0
        while fh.tell() < reading.MAX_CSV_BYTES - 100:
            fh.write(f"c{i},1{i:010d},x,y\n")
            i += 1
    forms["a CSV of short rows"] = (short, 2)
    # one 300 MB cell, and shared strings that unpack to GBs: refused from the zip directory
    cell = tmp_path / "cell.xlsx"
    with zipfile.ZipFile(cell, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts("").items():
            if "sheet1" not in name:
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'{XML}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode())
            part.write(b'<c r="A1" t="inlineStr"><is><t>')
            for _ in range(300):
                part.write(b"x" * 1024 * 1024)
            part.write(b"</t></is></c></row></sheetData></worksheet>")
    forms["a 300 MB cell"] = (cell, 2)
    strings = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(strings, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in with_strings(parts(sheet_xml([HEADERS, *lead_rows(2)]))).items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'{XML}<sst xmlns="{MAIN}">'.encode())
            for _ in range(64):
                part.write(b"<si><t>s</t></si>" * 60_000)
            part.write(b"</sst>")
    forms["shared strings bomb"] = (strings, 2)
    return forms


@pytest.mark.slow
def test_the_peak_memory_of_an_import_stays_within_300_mb(cli, tmp_path):
    for what, (path, code) in big_forms(tmp_path).items():
        before = cli.counts()
        exit_code, rss, err = peak_rss(cli, path)
        assert exit_code == code, (what, err)
        assert rss <= RSS_LIMIT_MB, (what, rss)
        if code == 2:
            assert cli.counts() == before, what
    assert cli.scalar("SELECT count(*) FROM lead") == 2 * reading.MAX_ROWS


# ---------------------------------------------------------------- the file fuzzer

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI: a failure reproduces
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DIMENSIONS = ["A1", "A1:D2", "A1:XFD1048576", "B3:A1", "A0", "ZZZZ9", "", "A1:D-1", "1:1"]
CELL_TYPES = ["n", "s", "b", "d", "e", "str", "inlineStr", "x"]


@st.composite
def xlsx_mutations(draw: st.DrawFn) -> list[tuple[str, str, int, str]]:
    """A few structural changes: (kind, part, position, text)."""
    names = sorted(parts(GOOD_SHEET))
    kinds = ["drop", "truncate", "duplicate", "cut element", "dimension", "cell type", "value"]
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(kinds),
                st.sampled_from(names),
                st.integers(0, 10_000),
                st.sampled_from([*DIMENSIONS, *CELL_TYPES, "abc", "-1", "1e999", "2024-02-30"]),
            ),
            min_size=1,
            max_size=4,
        )
    )


def mutate_xlsx(path: Path, mutations: list[tuple[str, str, int, str]], tail_cut: int) -> Path:
    entries: list[tuple[str, bytes]] = [(n, d.encode()) for n, d in parts(GOOD_SHEET).items()]
    for kind, name, at, text in mutations:
        found = [i for i, (n, _) in enumerate(entries) if n == name]
        if not found:
            continue
        index = found[0]
        data = entries[index][1]
        if kind == "drop":
            del entries[index]
        elif kind == "truncate":
            entries[index] = (name, data[: at % (len(data) + 1)])
        elif kind == "duplicate":
            entries.append((name, data[: at % (len(data) + 1)]))
        elif kind == "cut element":  # from one `<` to a later one: elements, or half of one
            starts = [i for i, b in enumerate(data) if b == ord("<")]
            if len(starts) > 1:
                first = at % (len(starts) - 1)
                last = first + 1 + at % max(1, min(4, len(starts) - first - 1))
                cut = starts[last] if last < len(starts) else len(data)
                entries[index] = (name, data[: starts[first]] + data[cut:])
        elif kind == "dimension":
            sheet = data.replace(b"<sheetData>", f'<dimension ref="{text}"/><sheetData>'.encode())
            entries[index] = (name, sheet)
        elif kind == "cell type":
            entries[index] = (
                name,
                data.replace(b't="inlineStr"', f't="{text}"'.encode(), 1 + at % 9),
            )
        elif kind == "value":  # a cell's value in place of its inline text
            start = data.find(b"<is>", at % (len(data) + 1))
            end = data.find(b"</is>", start)
            if start >= 0 and end >= 0:
                value = f"<v>{text}</v>".encode()
                entries[index] = (name, data[:start] + value + data[end + len(b"</is>") :])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    if tail_cut:
        path.write_bytes(path.read_bytes()[:-tail_cut])
    return path


def imports_cleanly(cli: Cli, path: Path) -> None:
    """Exit 0, 2 or 3, never a bug; on 2 or 3 nothing written."""
    before = cli.counts()
    result = cli("import", path, "--allow-duplicate")
    assert result.code in (0, 2, 3), result
    assert "Traceback" not in result.err, result
    if result.code:
        assert result.err.startswith("Error: "), result
        assert cli.counts() == before


@given(mutations=xlsx_mutations(), tail_cut=st.sampled_from([0, 0, 0, 1, 22, 100, 400]))
@FUZZ
def test_fuzzed_workbooks_never_exit_1(cli, tmp_path, mutations, tail_cut):
    imports_cleanly(cli, mutate_xlsx(tmp_path / "fuzzed.xlsx", mutations, tail_cut))


GOOD_CSV = "customer,phone,source,need,note\n" + "".join(
    f'{c},{p},{s},{n},"备注, 第{i}行\n第二行"\n' for i, (c, p, s, n) in enumerate(lead_rows(4))
)


@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(GOOD_CSV)),
            st.integers(0, 30),  # characters removed there
            st.sampled_from(['"', "\n", ",", '""', '",', '\n"', "\r", "\t", "\x00", "'=1+2"]),
        ),
        min_size=1,
        max_size=5,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)
@FUZZ
def test_fuzzed_csv_never_exit_1(cli, tmp_path, edits, encoding):
    text = GOOD_CSV
    for at, removed, inserted in edits:
        at = min(at, len(text))
        text = text[:at] + inserted + text[at + removed :]
    path = tmp_path / "fuzzed.csv"
    path.write_bytes(text.encode(encoding))
    imports_cleanly(cli, path)
