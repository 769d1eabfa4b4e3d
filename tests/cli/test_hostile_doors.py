"""Issue 20, classes 6 and 7, on SQLite and PostgreSQL: the back doors.

6. Every way a lead comes back among the not-closed ones (an answered follow-up on a woken lost
   lead, undo of a close, undo of an edit that gives back a customer or phones) runs the
   duplicate check of `add`: refused, naming the other lead, nothing written; `follow --force`
   (a supervisor) reopens it anyway, recorded. The invariant checked after every path: no two
   not-closed leads share a customer key or a phone unless a flag allowed it.
7. A contact time is never before the lead's acquired day, nor before the latest wake of a woken
   lead; a rest counts from the latest attempt, so `wake` wakes a lead once per rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

DAY0 = date(2024, 10, 7)  # the default clock's Monday
BOSS, WANG = "赵主管", "王芳"


def on(n: int, clock: str = "09:00") -> str:
    """LEADCTL_NOW on day `n` after DAY0."""
    return f"{(DAY0 + timedelta(days=n)).isoformat()}T{clock}"


def at(n: int, clock: str = "09:00") -> str:
    """A --at value on day `n` after DAY0 (n may be negative)."""
    return f"{(DAY0 + timedelta(days=n)).isoformat()} {clock}"


def error(result: Any) -> str:
    assert result.code == 2, result
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result
    return lines[0]


def state(cli: Any) -> tuple[Any, ...]:
    """Everything a refused command must leave as it was."""
    leads = cli.rows(
        "SELECT id, status, owner, grade, woken_on, rested_on, customer_key, unanswered_streak "
        "FROM lead ORDER BY id"
    )
    phones = cli.rows("SELECT lead_id, e164 FROM phone ORDER BY lead_id, e164")
    return (cli.counts(), [tuple(r) for r in leads], [tuple(r) for r in phones])


def open_duplicates(cli: Any) -> list[Any]:
    """Pairs of not-closed leads that share a phone or a customer key."""
    live = "('new', 'active', 'opportunity', 'dormant')"
    phones = cli.rows(
        "SELECT a.lead_id, b.lead_id FROM phone a JOIN phone b ON a.e164 = b.e164 "
        f"AND a.lead_id < b.lead_id JOIN lead la ON la.id = a.lead_id AND la.status IN {live} "
        f"JOIN lead lb ON lb.id = b.lead_id AND lb.status IN {live}"
    )
    keys = cli.rows(
        f"SELECT a.id, b.id FROM lead a JOIN lead b ON a.customer_key = b.customer_key "
        f"AND a.id < b.id WHERE a.status IN {live} AND b.status IN {live}"
    )
    return [tuple(r) for r in [*phones, *keys]]


def lost(cli: Any, customer: str, phone: str, now: str = on(0)) -> str:
    number = cli.add(customer, phone, now=now)["number"]
    cli.ok("grade", number, "B", "--reason", "多部门审批", now=now)
    cli.ok("close", number, "lost", "--reason", "budget", "--note", "预算冻结", now=now)
    return str(number)


def woken_lost(cli: Any, customer: str, phone: str) -> str:
    """A lead lost on day 0 for budget, woken by the nightly wake on day 180."""
    number = lost(cli, customer, phone)
    assert cli.json("wake", now=on(180, "02:00"), user="cron")["woken"] == [number]
    return number


# ---------------------------------------------------------------- 6. duplicates


def _follow(old: str) -> list[str]:
    return ["follow", old, "--note", "客户回电，预算已批"]


def by_follow_up_same_phone(cli: Any) -> tuple[str, str, list[str]]:
    old = woken_lost(cli, "杭州云栖科技有限公司", "13800138000")
    new = cli.add("杭州云栖（新）", "13800138000", now=on(181))["number"]
    return old, new, _follow(old)


def by_follow_up_same_customer(cli: Any) -> tuple[str, str, list[str]]:
    old = woken_lost(cli, "杭州云栖科技有限公司", "13800138000")
    new = cli.add("杭州云栖科技", "13900139000", now=on(181))["number"]  # same key, no suffix
    return old, new, _follow(old)


def by_follow_up_after_edit(cli: Any) -> tuple[str, str, list[str]]:
    """`edit` on a closed lead gives it the phone an open lead holds (allowed: it is closed)."""
    new = cli.add("苏州某某公司", "13900139000", now=on(0))["number"]
    old = woken_lost(cli, "杭州云栖科技有限公司", "13800138000")
    cli.ok("edit", old, "--add-phone", "13900139000", now=on(181))
    return old, new, _follow(old)


def by_undo_of_a_close(cli: Any) -> tuple[str, str, list[str]]:
    old = lost(cli, "杭州云栖科技有限公司", "13800138000")
    new = cli.add("另一家公司", "13800138000", now=on(0, "10:00"))["number"]
    return old, new, ["undo", old]


def by_undo_of_a_close_same_customer(cli: Any) -> tuple[str, str, list[str]]:
    old = lost(cli, "杭州云栖科技有限公司", "13800138000")
    new = cli.add("杭州云栖科技有限公司", "13900139000", now=on(0, "10:00"))["number"]
    return old, new, ["undo", old]


def by_undo_of_an_edit_of_phones(cli: Any) -> tuple[str, str, list[str]]:
    old = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    cli.ok("edit", old, "--phone", "13700137000")
    new = cli.add("另一家公司", "13800138000", now=on(0, "10:00"))["number"]
    return old, new, ["undo", old]


def by_undo_of_an_edit_of_the_customer(cli: Any) -> tuple[str, str, list[str]]:
    old = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    cli.ok("edit", old, "--customer", "杭州另一家")
    new = cli.add("杭州云栖科技有限公司", "13900139000", now=on(0, "10:00"))["number"]
    return old, new, ["undo", old]


PATHS: dict[str, Callable[[Any], tuple[str, str, list[str]]]] = {
    "follow-up reopens (same phone)": by_follow_up_same_phone,
    "follow-up reopens (same customer)": by_follow_up_same_customer,
    "follow-up reopens (phone given by edit while closed)": by_follow_up_after_edit,
    "undo of a close (same phone)": by_undo_of_a_close,
    "undo of a close (same customer)": by_undo_of_a_close_same_customer,
    "undo of an edit (phones)": by_undo_of_an_edit_of_phones,
    "undo of an edit (customer)": by_undo_of_an_edit_of_the_customer,
}


@pytest.mark.parametrize("path", PATHS)
def test_every_way_back_among_open_leads_runs_the_duplicate_check(cli, path):
    old, new, argv = PATHS[path](cli)
    assert open_duplicates(cli) == []
    before = state(cli)
    message = error(cli(*argv, now=on(181, "10:00")))
    assert message.startswith("Error: Duplicate: "), message
    assert f"lead {new} (" in message and old in message
    assert state(cli) == before  # nothing written
    assert open_duplicates(cli) == []


def test_the_refusals_read_as_sentences(cli):
    old, new, argv = by_follow_up_same_phone(cli)
    assert error(cli(*argv, now=on(181, "10:00"))) == (
        f"Error: Duplicate: phone 138 0013 8000 is already on lead {new} (owner {WANG}). An answered "
        f"follow-up would reopen {old} beside it: follow up that lead, or pass --force to "
        f"reopen {old} anyway (recorded)."
    )
    other = lost(cli, "宁波某某", "13600136000", now=on(181))
    cli.add("宁波某某", "13500135000", now=on(181, "10:00"))
    assert error(cli("undo", other, now=on(181, "11:00"))) == (
        "Error: Duplicate: customer '宁波某某' is already lead L0004 (owner 王芳). Undoing "
        f"{other}'s latest change (lost) would leave two open leads for one customer; nothing "
        "was changed."
    )


def test_an_unanswered_follow_up_does_not_reopen_and_is_not_refused(cli):
    _old, _new, argv = by_follow_up_same_phone(cli)
    lead = cli.json(*argv, "--no-response", now=on(181, "10:00"))
    assert (lead["status"], lead["woken_on"]) == ("lost", None)
    assert open_duplicates(cli) == []


def test_a_supervisor_reopens_it_anyway_with_force_recorded(cli):
    _old, new, argv = by_follow_up_same_phone(cli)
    lead = cli.json(*argv, "--force", now=on(181, "10:00"))
    assert lead["status"] == "active"
    followed = [e for e in lead["history"] if e["event"] == "followed"][-1]
    assert new in followed["duplicate_of"]
    assert len(open_duplicates(cli)) == 1  # the one --force allowed


def test_a_rep_is_told_a_supervisor_can_reopen_it(cli):
    cli.ok("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    cli.ok("team", "add", WANG, user=BOSS)
    old, new, argv = by_follow_up_same_phone(cli)
    before = state(cli)
    assert error(cli(*argv, now=on(181, "10:00"))) == (
        f"Error: Duplicate: phone 138 0013 8000 is already on lead {new} (owner {WANG}). An answered "
        f"follow-up would reopen {old} beside it: follow up that lead (a supervisor can reopen "
        f"{old} anyway with --force)."
    )
    assert "supervisor" in error(cli(*argv, "--force", now=on(181, "10:00")))
    assert state(cli) == before
    assert cli.json(*argv, "--force", user=BOSS, now=on(181, "10:00"))["status"] == "active"


def test_undo_of_a_change_that_reopens_nothing_new_is_not_refused(cli):
    """Leads allowed as duplicates stay undoable: only what the undo brings back is checked."""
    first = cli.add("杭州云栖科技有限公司", "13800138000")["number"]
    second = cli.add("杭州云栖科技有限公司", "13800138000", "--allow-duplicate")["number"]
    cli.ok("grade", second, "C", "--reason", "需求模糊")
    assert cli.json("undo", second)["grade"] is None
    cli.ok("edit", second, "--contact", "张经理")
    assert cli.json("undo", second)["contact"] is None
    cli.ok("close", first, "lost", "--reason", "price", "--note", "太贵")
    cli.ok("close", second, "lost", "--reason", "price", "--note", "太贵")
    assert cli.json("undo", first)["status"] == "new"  # the other one is closed


# ---------------------------------------------------------------- 7. back-dated follow-ups


def rested_on(cli: Any, number: str) -> str:
    return str(cli.scalar("SELECT rested_on FROM lead WHERE id = :id", id=int(number[1:])))


def d_lead(cli: Any, *extra: str) -> str:
    number = cli.add("温州某某", "13800138000", *extra)["number"]
    cli.ok("grade", number, "D", "--reason", "暂无需求")
    return str(number)


def test_three_unanswered_follow_ups_dated_before_the_acquired_day_are_refused(cli):
    number = d_lead(cli)
    before = state(cli)
    for attempt in range(3):
        message = error(
            cli("follow", number, "--note", f"未接 {attempt}", "--no-response",
                "--at", f"2001-01-0{attempt + 1} 10:00")
        )  # fmt: skip
        assert message == (
            f"Error: The contact time 2001-01-0{attempt + 1} 10:00 is before {number} was "
            "acquired (2024-10-07); a follow-up is never dated before the lead's acquired day."
        )
    assert state(cli) == before
    doc = cli.json("wake", now=on(1, "02:00"), user="cron")
    assert (doc["woken"], doc["dormant"]) == ([], [])
    assert cli.json("show", number)["status"] == "active"


def test_the_acquired_day_itself_is_allowed_the_day_before_is_not(cli):
    number = d_lead(cli, "--acquired", "2024-10-01")
    assert "acquired (2024-10-01)" in error(
        cli("follow", number, "--note", "未接", "--no-response", "--at", "2024-09-30 23:59")
    )
    cli.ok("follow", number, "--note", "未接", "--no-response", "--at", "2024-10-01 00:00")


def test_a_woken_lead_takes_no_contact_before_its_wake_and_wakes_once_per_rest(cli):
    number = d_lead(cli)
    for attempt in range(3):
        cli.ok("follow", number, "--note", f"未接 {attempt}", "--no-response",
               now=on(0, f"1{attempt}:00"))  # fmt: skip
    assert cli.json("wake", now=on(90, "02:00"), user="cron")["woken"] == [number]
    before = state(cli)
    for when in (at(89, "23:59"), at(1), "2001-01-01 10:00"):
        message = error(
            cli("follow", number, "--note", "未接", "--no-response", "--at", when,
                now=on(90, "10:00"))
        )  # fmt: skip
        assert message == (
            f"Error: The contact time {when} is before {number} was woken (2025-01-05); a "
            "follow-up on a woken lead is never dated before its latest wake."
        ) or ("acquired" in message and when.startswith("2001")), message
    assert state(cli) == before
    lead = cli.json("follow", number, "--note", "未接", "--no-response", "--at", at(90, "08:00"),
                    now=on(90, "10:00"))  # fmt: skip
    assert (lead["status"], lead["woken_on"]) == ("dormant", None)
    assert rested_on(cli, number) == "2025-01-05"
    for n in (91, 179):  # rests again from its wake day: not woken the next night
        assert cli.json("wake", now=on(n, "02:00"), user="cron")["woken"] == []
    assert cli.json("wake", now=on(180, "02:00"), user="cron")["woken"] == [number]


def test_a_rest_counts_from_the_latest_attempt_not_a_back_filled_one(cli):
    """Two unanswered attempts on days 10 and 11, a third back-filled on day 5: the lead
    sleeps from day 11, and wakes 90 days after that, not after day 5."""
    number = d_lead(cli)
    cli.ok("follow", number, "--note", "未接", "--no-response", now=on(10))
    cli.ok("follow", number, "--note", "未接", "--no-response", now=on(11))
    lead = cli.json("follow", number, "--note", "补记未接", "--no-response", "--at", at(5),
                    now=on(11, "10:00"))  # fmt: skip
    assert lead["status"] == "dormant"
    assert rested_on(cli, number) == "2024-10-18"
    assert cli.json("wake", now=on(100, "02:00"), user="cron")["woken"] == []
    assert cli.json("wake", now=on(101, "02:00"), user="cron")["woken"] == [number]
