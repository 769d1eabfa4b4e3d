"""The small things a new user trips on (issue 16, point 5), end to end on SQLite and PostgreSQL.

The clock is fixed at Monday 2024-10-07 09:00 Asia/Shanghai; the current user is 王芳.
"""

from __future__ import annotations

from typing import Any

BOSS = "主管"


def refused(cli: Any, *args: str, **kwargs: Any) -> str:
    """Run a command that must be rejected; prove it wrote nothing; return its stderr."""
    before = cli.counts()
    result = cli(*args, **kwargs)
    assert result.code == 2, result
    assert result.out == "", result
    assert cli.counts() == before
    return result.err


def active_lead(cli: Any, customer: str, phone: str, **kwargs: Any) -> str:
    number = cli.add(customer, phone, **kwargs)["number"]
    cli.ok("grade", number, "B", "--reason", "需求明确，预算待批", **kwargs)
    return str(number)


# ---------------------------------------------------------------- close names every missing option


def test_close_lost_names_every_missing_option_at_once(cli):
    active_lead(cli, "杭州云栖科技有限公司", "13800138000")
    reason = (
        "--reason: one of budget, price, competitor, need-changed, timing, no-response, "
        "out-of-scope, other (or 预算不足, 价格 …)"
    )
    note = '--note "…": what happened, for the weekly review'
    assert refused(cli, "close", "1", "lost") == f"Error: A lost deal needs {reason}; {note}.\n"
    assert refused(cli, "close", "1", "lost", "--note", " ") == (
        f"Error: A lost deal needs {reason}; {note}.\n"
    )
    assert (
        refused(cli, "close", "1", "lost", "--note", "x") == f"Error: A lost deal needs {reason}.\n"
    )
    assert refused(cli, "close", "1", "lost", "--reason", "价格") == (
        f"Error: A lost deal needs {note}.\n"
    )
    assert refused(cli, "close", "1", "won") == (
        "Error: A won deal needs --amount, --contract, --product.\n"
    )
    assert cli.json("show", "1")["status"] == "active"
    doc = cli.json("close", "1", "lost", "--reason", "价格", "--note", "选了低价方案")
    assert (doc["outcome"]["reason"], doc["outcome"]["note"]) == ("price", "选了低价方案")
