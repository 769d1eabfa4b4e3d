"""Write rows to a private file, and CSV (UTF-8 with BOM, for Excel) into it, streaming (the
xlsx workbook: leadctl.io.sheet).

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
from leadctl.io.form import FORMULA_START, FormColumn, formula_like


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


# what XML 1.0 cannot hold: control characters but tab, newline and CR (a vertical tab pasted
# from Excel, say), lone surrogates, U+FFFE and U+FFFF. They are dropped from the xlsx (CSV keeps
# them); a parser refuses the whole workbook over one of them
NOT_IN_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"  # a character class's body
_NOT_IN_XML = re.compile(f"[{NOT_IN_XML}]")
# control characters a spreadsheet may pass over on its way to a formula's `=`: tab and CR
# start a formula themselves (FORMULA_START), newline is kept
_PASSED_OVER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# a first character after which the text cannot be formula-like: most cells stop there
MAYBE_FORMULA = frozenset(
    [*FORMULA_START, "'", *(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if c != 0x0A)]
)


def exported_text(value: str, *, xlsx: bool) -> tuple[str, bool]:
    """What a cell of either file holds, and whether it must be marked as text (never read as
    a formula): normalised first — for xlsx, what XML cannot hold dropped — and only then
    checked, as a spreadsheet reads it, past any control character, so `\\x01=HYPERLINK(…)`
    is marked in CSV as in xlsx. Both writers take a cell's text from here and nowhere else."""
    text = _NOT_IN_XML.sub("", value) if xlsx else value
    if text[:1] not in MAYBE_FORMULA:
        return text, False
    return text, formula_like(_PASSED_OVER.sub("", text))
