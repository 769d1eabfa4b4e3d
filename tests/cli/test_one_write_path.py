"""One definition of each rule and one way to write a lead (issue 11), on both engines.

- `add` and `import` write the same form row identically: every column, phone and history line.
- The wake sweep's SQL (store/sweeps.py) and the lifecycle's functions (domain/lifecycle.py)
  pick the same leads on generated data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

NOW = "2024-10-07T09:00"
SKIP = {"id", "lead_id"}


def _row(cli: Any, table: str, lead_id: int) -> dict[str, Any]:
    key = "id" if table == "lead" else "lead_id"
    rows = cli.rows(f"SELECT * FROM {table} WHERE {key} = :id ORDER BY id", id=lead_id)
    return [{k: v for k, v in r._mapping.items() if k not in SKIP} for r in rows]


@pytest.mark.parametrize("graded", [False, True], ids=["ungraded", "graded-A"])
def test_add_and_import_write_the_same_row(cli, tmp_path: Path, graded: bool):
    form = tmp_path / "one.csv"
    grade = "A,预算明确" if graded else ","
    form.write_text(
        "客户名称,客户类型,联系人,联系电话,邮箱,微信,线索来源,初步需求,获取时间,负责人,线索等级,分级依据\n"
        f"杭州云栖科技有限公司,企业,刘经理,13800138000,liu@example.com,liu_wx,官网注册,"
        f"采购CRM系统,2024-10-05,王芳,{grade}\n",
        encoding="utf-8",
    )
    cli.ok("import", str(form), now=NOW, user="王芳")
    cli.ok(
        "add", "杭州云栖科技有限公司", "--type", "企业", "--contact", "刘经理",
        "--phone", "13800138000", "--email", "liu@example.com", "--wechat", "liu_wx",
        "--source", "官网注册", "--need", "采购CRM系统", "--acquired", "2024-10-05",
        "--owner", "王芳", "--allow-duplicate", now=NOW, user="王芳",
    )  # fmt: skip
    if graded:
        cli.ok("grade", "L2", "A", "--reason", "预算明确", now=NOW, user="王芳")
    for table in ("lead", "phone", "event"):
        imported, added = _row(cli, table, 1), _row(cli, table, 2)
        assert imported, table
        assert imported == added, table


def test_add_and_import_differ_when_a_rule_differs(cli, tmp_path: Path):
    """The comparison above can fail: a different acquired day shows in the due columns."""
    form = tmp_path / "one.csv"
    form.write_text(
        "客户名称,联系电话,线索来源,初步需求,获取时间\n杭州云栖科技,13800138000,官网注册,CRM,2024-10-05\n",
        encoding="utf-8",
    )
    cli.ok("import", str(form), now=NOW, user="王芳")
    cli.ok(
        "add", "杭州云栖科技", "--phone", "13800138000", "--source", "官网注册", "--need", "CRM",
        "--acquired", "2024-10-06", "--allow-duplicate", now=NOW, user="王芳",
    )  # fmt: skip
    imported, added = _row(cli, "lead", 1)[0], _row(cli, "lead", 2)[0]
    assert {k for k in imported if imported[k] != added[k]} == {
        "acquired_on",
        "ungraded_since",
        "due_on",
        "deadline_on",
        "plain_due_on",
        "plain_deadline_on",
    }


def test_the_wake_sweep_and_the_lifecycle_agree(cli):
    """Generated leads in every status, grade, streak, rest day and loss reason (kept after a
    loss too): the SQL of the nightly sweep picks exactly the leads the domain's rules pick,
    on several days."""
    from sqlmodel import Session

    from leadctl.domain.choices import Grade, Status
    from leadctl.domain.lifecycle import WakeRules, rest_is_over, should_sleep
    from leadctl.store import sweeps

    rng = random.Random(11)
    statuses = list(Status)
    reasons = ["budget", "price", "timing", "need-changed", "competitor", "other", None]
    for n in range(60):
        cli.add(f"客户{n}", f"1380013{n:04d}", now=NOW, user="王芳")
    facts: dict[int, tuple[Any, ...]] = {}
    with cli.engine().begin() as conn:
        from sqlalchemy import text

        for lead_id in range(1, 61):
            status = rng.choice(statuses)
            grade = rng.choice([None, "A", "B", "C", "D", "D"])
            streak = rng.randint(0, 5)
            rested = date(2024, 1, 1) + timedelta(days=rng.randint(0, 400))
            woken = rng.choice([None, None, date(2024, 6, 1)])
            # a lead lost, woken and back at work keeps its loss reason, also when dormant
            reason = rng.choice(reasons if status is Status.LOST else [None, None, "price"])
            conn.execute(
                text(
                    "UPDATE lead SET status = :s, grade = :g, unanswered_streak = :k, "
                    "rested_on = :r, woken_on = :w, lost_reason = :reason WHERE id = :id"
                ),
                {
                    "reason": reason,
                    "s": status.value,
                    "g": grade,
                    "k": streak,
                    "r": rested,
                    "w": woken,
                    "id": lead_id,
                },
            )
            if reason is not None:
                conn.execute(
                    text(
                        'INSERT INTO outcome (lead_id, result, closed_on, closed_at, "by", reason, '
                        "note) VALUES (:id, 'lost', :r, :at, 'x', :reason, 'n')"
                    ),
                    {"id": lead_id, "r": rested, "at": "2024-01-01 00:00:00", "reason": reason},
                )
            facts[lead_id] = (
                status,
                Grade(grade) if grade else None,
                streak,
                rested,
                woken,
                reason,
            )
    rules = WakeRules()
    sleepers = {i for i, f in facts.items() if should_sleep(f[0], f[1], f[2], rules.dormant_after)}
    assert sleepers  # the generated data exercises the rule both ways
    assert len(sleepers) < len(facts)
    with Session(cli.engine()) as session:
        assert {r.id for r in sweeps.due_to_sleep(session, rules)} == sleepers
        for today in (date(2024, 3, 1), date(2024, 7, 1), date(2024, 12, 1), date(2025, 6, 1)):
            expected = {
                i for i, f in facts.items() if rest_is_over(f[0], f[3], f[4], f[5], today, rules)
            }
            picked = {r.id for r in sweeps.due_to_wake(session, rules, today)}
            assert picked == expected, today
