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
from collections.abc import Sequence
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
    document = json.dumps(doc, ensure_ascii=False, indent=2, default=_jsonable(tz))
    sys.stdout.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", document))
    sys.stdout.write("\n")
