"""A lead's history in words (issue 16.1): every event a sentence, never a Python structure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leadctl.render.history import history_words
from leadctl.settings import Clock

CLOCK = Clock(datetime(2024, 10, 7, 1, 0, tzinfo=UTC), ZoneInfo("Asia/Shanghai"))


def entry(event: str, **details: Any) -> dict[str, Any]:
    return {"at": CLOCK.now, "by": "王芳", "event": event, **details}


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (entry("created", owner=None, source="展会"), "added into the pool (公海), source 展会"),
        (
            entry("created", owner="王芳", source="展会", note="下周三以后再联系"),
            "added for 王芳, source 展会; note: 下周三以后再联系",
        ),
        (
            entry("followed", channel="wechat", kind="proposal", responded=True, late=True),
            "followed by wechat (proposal), answered, logged late",
        ),
        (
            entry(
                "followed",
                channel="phone",
                kind="contact",
                responded=True,
                late=False,
                done=True,
                done_action="发送报价",
            ),
            "followed by phone, answered; done: 发送报价",
        ),
        (
            entry(
                "followed",
                channel="phone",
                kind="contact",
                responded=False,
                late=False,
                forced=True,
                owner="李强",
            ),
            "followed by phone, no answer (forced; owner 李强)",
        ),
        (entry("dormant", unanswered=3), "went dormant after 3 unanswered attempts in a row"),
        (
            entry("dormant", swept=True),
            "went dormant (the nightly wake found its unanswered attempts)",
        ),
        (
            entry("woken", status="dormant", rested_on="2024-07-01", reason=None),
            "woken: dormant since 2024-07-01",
        ),
        (
            entry("woken", status="lost", rested_on="2024-04-01", reason="price"),
            "woken: lost for price, resting since 2024-04-01",
        ),
        (
            entry("reopened", previous="dormant", grade="D"),
            "reopened: dormant → active, to grade anew, grade D kept in history",
        ),
        (
            entry("lost", closed_on="2024-10-07", reason="competitor", competitor="销售易"),
            "lost on 2024-10-07: competitor, to 销售易",
        ),
        (
            entry("released", previous="王芳", reason="客户已转他人"),
            "released to the pool (公海) from 王芳: 客户已转他人",
        ),
        (entry("claimed", previous="李强"), "claimed from the pool (公海), last owned by 李强"),
        (
            entry("recycled", previous="李强", days=30),
            "back to the pool (公海) after 30 days without a follow-up, from 李强",
        ),
        (
            entry("assigned", previous="李强", owner="王芳", reason="handover"),
            "assigned 李强 → 王芳 (handed over: 李强 left the team)",
        ),
        (
            entry(
                "edited",
                changes=[
                    {"field": "email", "old": None, "new": "liu@yunqi.com"},
                    {"field": "acquired_on", "old": "2024-10-01", "new": "2024-10-02"},
                ],
            ),
            "edited email: (none) → liu@yunqi.com; acquired: 2024-10-01 → 2024-10-02",
        ),
        (
            entry(
                "undone", undid="followed", change_at="2024-10-07 00:30:00+00:00", change_by="王芳"
            ),
            "undid the follow-up of 2024-10-07 08:30 by 王芳",
        ),
        # an event these words do not know yet is still words
        (
            entry("merged", into_lead="L0002", kept_phones=["a", "b"]),
            "merged: into lead L0002, kept phones a, b",
        ),
    ],
)
def test_every_event_reads_as_words(event: dict[str, Any], words: str) -> None:
    assert history_words(event, CLOCK) == words
