"""Read a capture form file (.csv or .xlsx) into its header row and numbered rows of cells.

Rows are numbered as a spreadsheet numbers them (the header is row 1), so a problem can be
found in Excel by its row number. CSV comes in as UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode text") or GB18030/GBK (what Chinese Excel saves by default).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _

FORMATS = (".csv", ".xlsx")
# A form's limits (README, "The capture form"): past them a file is refused before it can take
# minutes or more than ~300 MB. An import keeps every checked row until it writes them all in
# one transaction (~1.5 KB a row besides its text): 100,000 rows peak near 250 MB.
MAX_ROWS = 100_000  # rows below the header, blank ones included
MAX_CELL = 32_767  # characters in one cell: Excel's own limit
MAX_TEXT = 16_000_000  # characters in all the cells together (100,000 typical rows: ~6 million)
MAX_CSV_BYTES = 32 * 1024 * 1024  # the file as saved; it is decoded whole
# an xlsx is a zip: its parts' sizes once unpacked, as its directory declares them (zipfile
# never unpacks more than that: an entry that lies fails its CRC check, which is refused too)
MAX_XLSX_BYTES = 256 * 1024 * 1024  # every part together; a sheet is read as a stream
MAX_STRINGS_BYTES = 16 * 1024 * 1024  # the shared strings, which openpyxl holds all in memory
_MB = 1024 * 1024
FORM_SHEET = "线索登记"  # the template's first sheet; otherwise the workbook's first sheet
# the refusal of a file that is not .csv or .xlsx, by the action asked for (`file_format`) and
# whether the file is another spreadsheet's (which can be saved as one)
NOT_A_FORM = {
    ("import", True): N_(
        "Cannot import {name!r}: save it from the spreadsheet as Excel Workbook (.xlsx) or CSV."
    ),
    ("import", False): N_("Cannot import {name!r}: use a .csv or .xlsx file."),
    ("export to", True): N_(
        "Cannot export to {name!r}: save it from the spreadsheet as Excel Workbook (.xlsx) or CSV."
    ),
    ("export to", False): N_("Cannot export to {name!r}: use a .csv or .xlsx file."),
}


@dataclass
class FormFile:
    headers: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, cells), blank rows too
    approx_rows: int  # for a progress bar only


def file_format(path: Path, action: str) -> str:
    """The file's format (".csv" or ".xlsx"); `action` ("import", "export to") names what the
    refusal of any other file says cannot be done."""
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return suffix
    spreadsheet = suffix in (".xls", ".xlsm", ".et", ".numbers", ".ods")
    raise LeadctlError(_(NOT_A_FORM[action, spreadsheet]).format(name=path.name))


def read_form(path: Path) -> FormFile:
    fmt = file_format(path, "import")
    if not path.is_file():
        raise LeadctlError(_("No file {path!r}: check the path.").format(path=str(path)))
    return read_csv(path) if fmt == ".csv" else read_xlsx(path)


def _too_large(name: str, size: int, limit: int) -> LeadctlError:
    return LeadctlError(
        _(
            "{name!r} is too large to import ({size} MB; the limit is {limit} MB): split it "
            "into smaller files and import each."
        ).format(name=name, size=-(-size // _MB), limit=limit // _MB)
    )


def _too_many_rows(name: str) -> LeadctlError:
    return LeadctlError(
        _(
            "{name!r} has more than {limit} rows below its header: split it into smaller files "
            "and import each."
        ).format(name=name, limit=f"{MAX_ROWS:,}")
    )


class _Cells:
    """Refuse a row with a cell longer than MAX_CELL characters, and a file whose cells hold
    more than MAX_TEXT characters in all."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.text = 0

    def check(self, cells: Sequence[Any], row: int) -> None:
        lengths = [len(cell) for cell in cells if type(cell) is str]
        if not lengths:
            return
        longest = max(lengths)
        if longest > MAX_CELL:
            raise LeadctlError(
                _(
                    "Row {row} of {name!r} has a cell of {length} characters; a cell holds at "
                    "most {limit}. Shorten it and import again."
                ).format(row=row, name=self.name, length=f"{longest:,}", limit=f"{MAX_CELL:,}")
            )
        self.text += sum(lengths)
        if self.text > MAX_TEXT:
            raise LeadctlError(
                _(
                    "{name!r} holds more than {limit} characters of text (past row {row}): "
                    "split it into smaller files and import each."
                ).format(name=self.name, limit=f"{MAX_TEXT:,}", row=row)
            )


def decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LeadctlError(
        _(
            "Cannot read {name!r}: it is neither UTF-8 nor GBK/GB18030 text. Save it from the "
            'spreadsheet as "CSV UTF-8" and import again.'
        ).format(name=name)
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


class _Lines:
    """The lines of `text` for csv.reader, one at a time (no copy of the whole text), and
    where the last one ended: the raw text of a record is text[start:end]."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        start = self.end
        if start >= len(self.text):
            raise StopIteration
        self.end = self.text.find("\n", start) + 1 or len(self.text)
        return self.text[start : self.end]


def _spans_rows(cells: Sequence[str], delimiter: str, columns: int) -> bool:
    """A cell that swallowed rows: a line inside it holds a whole row's worth of delimiters
    (what an unclosed quote does to the rows after it)."""
    for cell in cells:
        if "\n" in cell:
            lines = cell.split("\n")[1:]
            if any(line.count(delimiter) >= columns - 1 for line in lines):
                return True
    return False


def read_csv(path: Path) -> FormFile:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise _too_large(path.name, size, MAX_CSV_BYTES)
        data = path.read_bytes()
    except OSError as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _("Cannot read {path!r}: {reason}.").format(path=str(path), reason=exc.strerror)
        ) from None
    text = decode(data, path.name)
    del data
    newline = text.find("\n")
    delimiter = _delimiter(text[:newline] if newline >= 0 else text)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    try:
        headers = next(reader, [])
    except csv.Error as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is Python's csv module's own message, in English
            _("Cannot read the header row of {name!r}: {reason}.").format(
                name=path.name, reason=exc
            )
        ) from None
    if not any(h.strip() for h in headers):
        raise LeadctlError(
            _(
                "{name!r} is empty or its first row has no headers: the first row must name "
                "the columns (客户名称, 联系电话, …)."
            ).format(name=path.name)
        )
    headers = [h.lstrip("\ufeff") for h in headers]
    columns = max(len(headers), 2)
    checked = _Cells(path.name)

    def unclosed(row: int) -> LeadctlError:
        return LeadctlError(
            _(
                'Row {row} of {name!r} has a quote (") that is not closed, so the rows after '
                "it would be read as part of one cell. Fix that row and import again."
            ).format(row=row, name=path.name)
        )

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        number = 1
        try:
            while True:
                start = lines.end
                cells = next(reader, None)
                if cells is None:
                    return
                number += 1
                if number > MAX_ROWS + 1:
                    raise _too_many_rows(path.name)
                checked.check(cells, number)
                if _spans_rows(cells, delimiter, columns):
                    raise unclosed(number)
                # a cell of the last record runs over a line end to the end of the file: an odd
                # number of quotes in it is a quote never closed (a closed one comes in pairs,
                # "" escapes included)
                end = lines.end
                last = end >= len(text) and any("\n" in cell for cell in cells)
                if last and text.count('"', start, end) % 2:
                    raise unclosed(number)
                yield number, cells
        except csv.Error as exc:
            raise LeadctlError(
                # TRANSLATORS: {reason} is Python's csv module's own message, in English
                _(
                    "Cannot read row {row} of {name!r}: {reason}. Fix that row and import again."
                ).format(row=number + 1, name=path.name, reason=exc)
            ) from None

    return FormFile(headers, rows(), max(text.count("\n") - 1, 0))


def _check_zip(path: Path) -> None:
    """Refuse an xlsx whose parts would unpack past the limits, from the zip's directory,
    before anything is unpacked or parsed."""
    from zipfile import BadZipFile, ZipFile

    try:
        size = path.stat().st_size
        if size > MAX_XLSX_BYTES:
            raise _too_large(path.name, size, MAX_XLSX_BYTES)
        with ZipFile(path) as archive:
            entries = archive.infolist()
    except (BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_a_workbook(path, exc) from None
    total = sum(entry.file_size for entry in entries)
    if total > MAX_XLSX_BYTES:
        raise _too_large(path.name, total, MAX_XLSX_BYTES)
    strings = sum(e.file_size for e in entries if e.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_STRINGS_BYTES:
        raise _too_large(path.name, strings, MAX_STRINGS_BYTES)


def _not_a_workbook(path: Path, exc: BaseException) -> LeadctlError:
    return LeadctlError(
        # TRANSLATORS: {reason} is openpyxl's own message, in English
        _(
            "Cannot read {name!r} as an Excel workbook (.xlsx): {reason}. Save it from the "
            "spreadsheet as Excel Workbook (.xlsx) or CSV."
        ).format(name=path.name, reason=exc)
    )


def _damaged(path: Path, exc: Exception, row: int | None = None) -> LeadctlError:
    """A workbook openpyxl cannot parse: named by the file (and row), and the exception's type
    only: its message may quote a cell's content."""
    # TRANSLATORS: {problem} is the name of Python's exception, in English (ParseError, …)
    if row is None:
        message = _(
            "Cannot read {name!r}: the workbook is damaged ({problem}). Open it in the "
            "spreadsheet and save it again as Excel Workbook (.xlsx) or CSV."
        )
    else:
        message = _(
            "Cannot read row {row} of {name!r}: the workbook is damaged there ({problem}). "
            "Open it in the spreadsheet and save it again as Excel Workbook (.xlsx) or CSV."
        )
    return LeadctlError(message.format(name=path.name, row=row, problem=type(exc).__name__))


def read_xlsx(path: Path) -> FormFile:
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(path)
    # openpyxl raises whatever its parsers raise on a damaged part (ParseError, ValueError,
    # KeyError, IndexError, zlib.error, …): every one of them is a bad file, not a bug here
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, OSError) as exc:
        raise _not_a_workbook(path, exc) from None
    except Exception as exc:
        raise _damaged(path, exc) from None
    sheets = workbook.worksheets  # chart sheets are not among them
    if not sheets:
        workbook.close()
        raise LeadctlError(
            _(
                "{name!r} has no worksheet to import (only charts, or none at all): the form is "
                "the first worksheet, or the one named {form}."
            ).format(name=path.name, form=FORM_SHEET)
        )
    sheet = next((s for s in sheets if s.title == FORM_SHEET), sheets[0])
    declared = sheet.max_row or 1
    # read-only mode trusts the sheet's <dimension>, which may be stale: read every row there is
    sheet.reset_dimensions()
    cells = sheet.iter_rows(values_only=True)
    try:
        first = next(cells, None)
    except Exception as exc:
        workbook.close()
        raise _damaged(path, exc, 1) from None
    if first is None or not any(_header_text(v) for v in first):
        workbook.close()
        raise LeadctlError(
            _(
                "The sheet {sheet!r} of {name!r} is empty or its first row has no "
                "headers: the first row must name the columns (客户名称, 联系电话, …)."
            ).format(sheet=sheet.title, name=path.name)
        )
    headers = [_header_text(v) for v in first]
    checked = _Cells(path.name)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        number = 1
        try:
            while True:
                try:
                    row = next(cells, None)
                except Exception as exc:
                    raise _damaged(path, exc, number + 1) from None
                if row is None:
                    return
                number += 1
                if number > MAX_ROWS + 1:
                    raise _too_many_rows(path.name)
                checked.check(row, number)
                yield number, row
        finally:
            workbook.close()

    return FormFile(headers, rows(), max(declared - 1, 0))


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()
