"""The export's workbook: one sheet's XML written straight into the zip, row by row.

openpyxl's write-only workbook builds a cell object per value and serialises each through
ElementTree, which made `export --xlsx` of 100k leads take ~13 s on a quiet machine. An export
needs one sheet of text, dates and numbers with three styles (the header, the quote prefix, a
date), so this writes exactly that: SpreadsheetML with inline strings (no shared-strings table to
hold in memory), streamed through zlib into the file as the rows come. openpyxl is not imported
on this path; it still reads the workbook back (`import`) and writes the template.

The cells are what openpyxl wrote for the same rows (tests/unit/test_sheet.py reads both back and
compares), with two fixes: characters XML 1.0 cannot hold (U+FFFE, U+FFFF, lone surrogates,
control characters but tab, newline and CR) are dropped, where openpyxl wrote them into a
workbook no reader opens; and a CR is written as `&#13;`, which a parser does not turn into a
newline as it does a raw one.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from leadctl.io.form import FormColumn
from leadctl.io.writing import MAYBE_FORMULA, NOT_IN_XML, exported_text

# zlib level: 1 measured fastest at 100k leads, its file ~20 % larger than 6's (docs/design.md)
COMPRESSLEVEL = 1
# rows serialised before one write into the zip stream (fewer, larger zlib calls)
ROWS_PER_WRITE = 512
# short text cells remembered (their XML, by value): the repeated values of a column (type,
# source, owner, grade, status) are checked and escaped once; at most ~15 MB
KNOWN_CELLS = 20_000
KNOWN_LENGTH = 100

# the styles' cellXfs, by position
HEADER_STYLE, QUOTED_STYLE, DATE_STYLE, DATETIME_STYLE = 1, 2, 3, 4
_EXCEL_EPOCH = datetime(1899, 12, 30)

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# the fonts name no theme (the package has none): Calibri 11, and bold for the header
STYLES = (
    _DECL + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00DDEBF7"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(title: str) -> str:
    return (
        _DECL + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{_escape(title, attribute=True)}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


def _escape(text: str, *, attribute: bool = False) -> str:
    """XML text (or an attribute's value): &, <, > and a CR as references, which a parser gives
    back as they were (a raw CR would come back as a newline)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def column_letter(position: int) -> str:
    """A, B, …, Z, AA, … for the 1-based column `position`."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_XML_SPACE = " \t\n\r"


def _string(text: str, style: int = 0) -> str:
    """A cell's XML after its reference: an inline string; xml:space keeps edge whitespace (as
    XML counts it: space, tab, newline, CR)."""
    space = ' xml:space="preserve"' if text[0] in _XML_SPACE or text[-1] in _XML_SPACE else ""
    styled = f' s="{style}"' if style else ""
    return f'"{styled} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


# a character that must be escaped or dropped (the XML text of a cell without any is the text)
_NOT_PLAIN = re.compile(f"[&<>\r{NOT_IN_XML}]")


def _text_cell(value: str) -> str:
    """A text value's cell after its reference ('' for none): formula-like text is a text cell
    with Excel's quote prefix (never run as a formula), and text starting with `'` keeps one more
    since import drops one — as the CSV writer marks it, from the same `exported_text`."""
    if not value:
        return ""
    if (
        value[0] > " "  # no edge whitespace, no control character first
        and value[-1] > " "
        and value[0] not in MAYBE_FORMULA
        and _NOT_PLAIN.search(value) is None
    ):  # what exported_text gives back as it is, and needs no escape: most unique cells
        return '" t="inlineStr"><is><t>' + value + "</t></is></c>"
    text, formula = exported_text(value, xlsx=True)
    if not text:
        return ""
    if not formula:
        return _string(text)
    return _string("'" + text if text.startswith("'") else text, QUOTED_STYLE)


def _serial(moment: date) -> str:
    """Excel's serial day number (1900 date system, with its phantom 1900-02-29, as openpyxl)."""
    if isinstance(moment, datetime):
        delta = moment - _EXCEL_EPOCH
        days = delta.days
        fraction = (delta.seconds + delta.microseconds / 1_000_000) / 86_400
    else:
        days, fraction = (moment - _EXCEL_EPOCH.date()).days, 0.0
    if 0 < days <= 60:
        days -= 1
    return repr(days + fraction) if fraction else str(days)


def _other_cell(value: Any) -> str:
    """A cell that is not text, after its reference ('' for none)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # as openpyxl: a spreadsheet has no time zones
            raise TypeError("an exported datetime must be naive")
        return f'" s="{DATETIME_STYLE}" t="n"><v>{_serial(value)}</v></c>'
    if isinstance(value, date):
        return f'" s="{DATE_STYLE}" t="n"><v>{_serial(value)}</v></c>'
    if isinstance(value, bool):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'" t="n"><v>{value!r}</v></c>'
    return _text_cell(str(value))


def _head(columns: Sequence[FormColumn]) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
        for i, c in enumerate(columns, start=1)
    )
    header = "".join(
        f'<c r="{column_letter(i)}1{_string(c.header, HEADER_STYLE)}'
        for i, c in enumerate(columns, start=1)
        if c.header
    )
    return (
        _DECL + f'<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols>"
        f'<sheetData><row r="1">{header}</row>'
    )


_TAIL = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
    'footer="0.5"/></worksheet>'
)


def write_xlsx(
    handle: IO[bytes], columns: Sequence[FormColumn], rows: Iterable[Sequence[Any]], *, title: str
) -> int:
    """Stream `rows` (text, dates, numbers, None for an empty cell) into an .xlsx of one sheet
    named `title`: the columns' headers in bold on a frozen first row, their widths; returns
    the rows written."""
    refs = [f'<c r="{column_letter(i)}' for i in range(1, len(columns) + 1)]
    known: dict[str, str] = {}
    known_days: dict[date, str] = {}  # a few thousand at most: days of the last few years
    count = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", PACKAGE_RELS)
        zf.writestr("xl/workbook.xml", _workbook(title))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(_head(columns).encode())
            out: list[str] = []
            for row in rows:
                count += 1
                number = str(count + 1)
                out.append(f'<row r="{number}">')
                for ref, value in zip(refs, row, strict=False):
                    if value is None:
                        continue
                    if type(value) is str:
                        cell = known.get(value)
                        if cell is None:
                            cell = _text_cell(value)
                            if len(value) <= KNOWN_LENGTH:
                                if len(known) >= KNOWN_CELLS:
                                    known.clear()
                                known[value] = cell
                    elif type(value) is date:
                        cell = known_days.get(value)
                        if cell is None:
                            cell = known_days[value] = _other_cell(value)
                    else:
                        cell = _other_cell(value)
                    if cell:
                        out += (ref, number, cell)
                out.append("</row>")
                if count % ROWS_PER_WRITE == 0:
                    part.write("".join(out).encode())
                    out.clear()
            out.append(_TAIL)
            part.write("".join(out).encode())
    return count
