"""Both writers take a cell's text from one function: normalised, then neutralised (issue 20,
class 3) — whatever control character stands before a formula, in CSV and xlsx alike."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from leadctl.io.form import FormColumn, restore
from leadctl.io.sheet import write_xlsx
from leadctl.io.writing import write_csv

COLUMNS = [FormColumn("a", "A", 10)]
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"]
VALUES = [c + start + "1+1" for c in CONTROLS for start in ("=", "+", "-", "@", "'")]
XML_ILLEGAL = {chr(c) for c in range(0x20)} - set("\t\n\r")


def test_csv_marks_a_formula_behind_any_control_character_and_reads_back_exactly():
    out = io.BytesIO()
    write_csv(out, COLUMNS, [[v] for v in VALUES])
    cells = [row[0] for row in csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig")))][1:]
    assert all(cell.startswith("'") for cell in cells)
    assert [restore(cell) for cell in cells] == VALUES


def test_xlsx_marks_a_formula_behind_any_control_character_and_reads_back_what_xml_holds():
    out = io.BytesIO()
    write_xlsx(out, COLUMNS, [[v] for v in VALUES], title="t")
    rows = list(load_workbook(out).active.iter_rows(min_row=2))
    assert all(r[0].data_type == "s" and r[0].quotePrefix for r in rows)
    kept = ["".join(ch for ch in v if ch not in XML_ILLEGAL) for v in VALUES]
    assert [restore(r[0].value) for r in rows] == kept
