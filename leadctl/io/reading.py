"""Read a capture form file (.csv or .xlsx) into its header row and numbered rows of cells.

Rows are numbered as a spreadsheet numbers them (the header is row 1), so a problem can be
found in Excel by its row number. CSV comes in as UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode text") or GB18030/GBK (what Chinese Excel saves by default).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _

FORMATS = (".csv", ".xlsx")
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


def read_csv(path: Path) -> FormFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _("Cannot read {path!r}: {reason}.").format(path=str(path), reason=exc.strerror)
        ) from None
    text = decode(data, path.name)
    del data
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line), strict=False)
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

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):
                yield number, cells
        except csv.Error as exc:
            raise LeadctlError(
                # TRANSLATORS: {reason} is Python's csv module's own message, in English
                _(
                    "Cannot read row {row} of {name!r}: {reason}. Fix that row and import again."
                ).format(row=number + 1, name=path.name, reason=exc)
            ) from None

    return FormFile(headers, rows(), max(text.count("\n") - 1, 0))


def read_xlsx(path: Path) -> FormFile:
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is openpyxl's own message, in English
            _(
                "Cannot read {name!r} as an Excel workbook (.xlsx): {reason}. Save it from the "
                "spreadsheet as Excel Workbook (.xlsx) or CSV."
            ).format(name=path.name, reason=exc)
        ) from None
    names = workbook.sheetnames
    sheet = workbook[FORM_SHEET] if FORM_SHEET in names else workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    first = next(cells, None)
    if first is None or not any(_header_text(v) for v in first):
        workbook.close()
        raise LeadctlError(
            _(
                "The sheet {sheet!r} of {name!r} is empty or its first row has no "
                "headers: the first row must name the columns (客户名称, 联系电话, …)."
            ).format(sheet=sheet.title, name=path.name)
        )
    headers = [_header_text(v) for v in first]

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(cells, start=2)
        finally:
            workbook.close()

    return FormFile(headers, rows(), max((sheet.max_row or 1) - 1, 0))


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()
