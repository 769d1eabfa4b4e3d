"""Write rows to a private file: CSV (UTF-8 with BOM, for Excel) or XLSX, streaming either way.

Every file is created 0600 (it holds customers' names and phones) under a temporary name in the
target folder and renamed into place only when complete: a failed export never leaves half a
file, nor destroys the file it was to replace.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from leadctl.errors import LeadctlError, OutputFailed
from leadctl.i18n import _
from leadctl.io.form import FormColumn, formula_like


@contextmanager
def private_file(path: Path, *, replace: bool, example: str = "leads.xlsx") -> Iterator[IO[bytes]]:
    """A binary file that appears at `path`, mode 0600, only if the block completes
    (`example`: a file name the refusal of a folder suggests)."""
    if "\x00" in str(path):
        raise LeadctlError(_("The file name contains a NUL character; choose another name."))
    try:
        is_folder, exists = path.is_dir(), path.exists()
    except OSError as exc:  # a name longer than the file system takes
        raise LeadctlError(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _("Cannot write {path!r}: {reason}.").format(path=str(path), reason=exc.strerror)
        ) from None
    if is_folder:
        raise LeadctlError(
            _("{path!r} is a folder: give a file name, e.g. {example}.").format(
                path=str(path), example=path / example
            )
        )
    if exists and not path.is_file():  # /dev/full, a FIFO: --force would replace the device
        raise LeadctlError(
            _("{path!r} is not a regular file: give the name of a file to write.").format(
                path=str(path)
            )
        )
    if exists and not replace:
        raise LeadctlError(
            _(
                "{path!r} already exists: choose another name, or pass --force to replace it."
            ).format(path=str(path))
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise LeadctlError(
            _("The folder {folder!r} does not exist: create it first.").format(folder=str(folder))
        )
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise LeadctlError(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _("Cannot write to {folder!r}: {reason}.").format(
                folder=str(folder), reason=exc.strerror
            )
        ) from None
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o600)  # mkstemp already uses 0600; say so whatever the platform
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:  # a full disk or quota, an I/O error: while writing, never before
        temp.unlink(missing_ok=True)
        raise OutputFailed(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _(
                "Cannot write {path!r} ({reason}); nothing was written: free some disk space or "
                "choose another folder, and try again."
            ).format(path=str(path), reason=exc.strerror or exc)
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text, formula = exported_text(str(value), xlsx=False)
    return "'" + text if formula else text  # CSV has no other way to say "text"


def write_csv(
    handle: IO[bytes], columns: Sequence[FormColumn], rows: Iterable[Sequence[Any]]
) -> int:
    """Excel-friendly CSV: UTF-8 with a BOM, CRLF, Chinese headers; returns the rows written."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow([c.header for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_text(v) for v in row])
        count += 1
    text.flush()
    text.detach()  # leave the binary handle to private_file
    return count


# control characters XML 1.0 cannot hold (a vertical tab pasted from Excel, say): openpyxl
# refuses them, so they are dropped from the xlsx (CSV keeps them)
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# control characters a spreadsheet may pass over on its way to a formula's `=`: tab and CR
# start a formula themselves (FORMULA_START), newline is kept
_PASSED_OVER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def exported_text(value: str, *, xlsx: bool) -> tuple[str, bool]:
    """What a cell of either file holds, and whether it must be marked as text (never read as
    a formula): normalised first — for xlsx, what XML cannot hold dropped — and only then
    checked, as a spreadsheet reads it, past any control character, so `\\x01=HYPERLINK(…)`
    is marked in CSV as in xlsx. Both writers take a cell's text from here and nowhere else."""
    text = _NOT_IN_XML.sub("", value) if xlsx else value
    return text, formula_like(_PASSED_OVER.sub("", text))


def _cell(sheet: Any, value: Any) -> Any:
    if value is None or isinstance(value, (date, int, float)):
        return value
    text, formula = exported_text(str(value), xlsx=True)
    if not formula:
        return text
    # a text cell with Excel's quote prefix: shown and edited as the text it is, never run as a
    # formula, and with no visible apostrophe (CSV's only way). Text that itself starts with
    # `'` keeps one more, since import drops one (CSV's mark, and that of earlier exports).
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value="'" + text if text.startswith("'") else text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def write_xlsx(
    handle: IO[bytes], columns: Sequence[FormColumn], rows: Iterable[Sequence[Any]], *, title: str
) -> int:
    """Streaming XLSX (openpyxl write-only): text cells stay text, dates are real dates."""
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
    count = 0
    for row in rows:
        values = [_cell(sheet, v) for v in row]
        # _cell() leaves no text starting with "=" and makes every such cell text, so openpyxl
        # writes no formula; check anyway, since a formula in an exported sheet is the one
        # thing that must never happen
        if any(
            (isinstance(v, str) and v.startswith("=")) or getattr(v, "data_type", "s") == "f"
            for v in values
        ):
            raise AssertionError("an exported cell would become a formula")
        sheet.append(values)
        count += 1
    workbook.save(handle)
    return count
