"""Fill the Chinese catalog's untranslated messages from leadctl/locale/parts/*.json.

Each part maps an English message to its translation: the key is the msgid (the singular, for
a message that counts), or "context\\x04msgid" for a `_p(context, msgid)` one. A message the
.po already translates is kept. Run tools/catalog.sh before (to extract) and after (to compile).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "leadctl/locale/zh_CN/LC_MESSAGES/leadctl.po"


def main() -> int:
    parts: dict[str, str] = {}
    for path in sorted((ROOT / "leadctl/locale/parts").glob("*.json")):
        for key, value in json.loads(path.read_text("utf-8")).items():
            parts.setdefault(key, value)
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    filled = missing = 0
    for message in catalog:
        if not message.id:
            continue
        singular = message.id if isinstance(message.id, str) else message.id[0]
        key = f"{message.context}\x04{singular}" if message.context else singular
        done = message.string if isinstance(message.string, str) else "".join(message.string)
        if done:
            continue
        if key in parts:
            message.string = parts[key] if isinstance(message.id, str) else (parts[key],)
            filled += 1
        else:
            missing += 1
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, no_location=True)
    print(f"filled {filled}, still untranslated {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
