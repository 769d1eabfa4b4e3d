"""Everything leadctl prints: JSON documents here, and what people read in the modules beside
this one — leads.py (a lead saved, its card, a list), today.py (the day's queue), reports.py (the
weekly review, wake), forms.py (the capture form: template, import, export). Nothing else prints.

User text always goes in as `rich.text.Text`, never inside markup, so `[bold]` in a customer
name prints literally. Rich is imported only for human output; `--json` never loads it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any


def _jsonable(tz: tzinfo) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(tz).isoformat(timespec="seconds")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        if isinstance(value, Sequence):  # one made when read (services.documents.LeadItems)
            return list(value)
        raise TypeError(f"cannot encode {type(value).__name__}")

    return convert


# json.dumps escapes C0 controls but writes DEL and the C1 controls (U+009B, a terminal's 8-bit
# CSI) as they are; outside strings a JSON document is ASCII, so each is a string's and its
# \u escape reads back as the same text
_C1 = re.compile(r"[\x7f-\x9f]")


def print_json(doc: Any, tz: tzinfo) -> None:
    """One JSON document on stdout. A list of the document that is read as it is printed (any
    iterable that is not a list, as `today`'s items) is written an item at a time, as json.dumps
    would have written the whole document, so a queue of 100k leads is never one string."""
    default = _jsonable(tz)
    if isinstance(doc, dict) and any(_streamed(value) for value in doc.values()):
        _print_streamed(doc, default)
        return
    _write(json.dumps(doc, ensure_ascii=False, indent=2, default=default))
    sys.stdout.write("\n")


def _write(json_text: str) -> None:
    sys.stdout.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text))


def _streamed(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict, list, tuple))


STREAM_CHUNK = 1_000  # items written at a time


def _print_streamed(doc: dict[str, Any], default: Any) -> None:
    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2, default=default)

    _write("{")
    for index, (key, value) in enumerate(doc.items()):
        _write(("," if index else "") + "\n  " + dumps(key) + ": ")
        if not _streamed(value):
            _write(dumps(value).replace("\n", "\n  "))
            continue
        chunk: list[str] = []
        written = 0
        for item in value:
            chunk.append("\n    " + dumps(item).replace("\n", "\n    "))
            if len(chunk) == STREAM_CHUNK:
                _write(("[" if not written else ",") + ",".join(chunk))
                written += len(chunk)
                chunk = []
        if chunk:
            _write(("[" if not written else ",") + ",".join(chunk))
            written += len(chunk)
        _write("\n  ]" if written else "[]")
    _write("\n}\n" if doc else "}\n")
