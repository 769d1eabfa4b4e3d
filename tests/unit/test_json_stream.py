"""A document's list read as it is printed (`today`'s items) is written an item at a time,
byte for byte as json.dumps writes the whole document (render.print_json)."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import UTC, date, datetime
from typing import Any

import pytest

from leadctl import render

DOCS: list[dict[str, Any]] = [
    {"date": date(2024, 10, 7), "owner": None, "items": []},
    {"date": date(2024, 10, 7), "owner": "王芳", "items": [{}]},
    {
        "date": date(2024, 10, 7),
        "owner": "王芳",
        "items": [
            {
                "number": "L0001",
                "customer": "杭州\x9b31m云栖",
                "reasons": ["grade"],
                "at": datetime(2024, 10, 7, 1, tzinfo=UTC),
                "due_items": [{"item": "grade"}],
            },
            {"number": "L0002", "customer": "a\nb \u2028", "reasons": [], "due_items": []},
            {"number": "L0003", "nested": {"empty": {}, "list": [[], [1, {"x": None}]]}},
        ],
    },
    {"items": [{"a": 1}], "after": {"k": [1, 2]}, "none": None},
]


def printed(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        render.print_json(doc, UTC)
    return out.getvalue()


@pytest.mark.parametrize("chunk", [1, 2, 1_000])
@pytest.mark.parametrize("doc", DOCS)
def test_a_streamed_list_is_written_as_json_dumps_writes_it(monkeypatch, doc, chunk):
    monkeypatch.setattr(render, "STREAM_CHUNK", chunk)
    streamed = {key: iter(value) if key == "items" else value for key, value in doc.items()}
    assert printed(streamed) == printed(doc)
    assert "\x9b" not in printed(streamed)  # the C1 control is written as \u009b
