"""Next actions persist (SPEC §6.4), end to end on both backends.

The action in force is the latest one set, with follow-ups taken in contact-time order; it stays
until a follow-up sets another (--next), says --done, or has its contact day on or after the
action's date. The clock starts at Monday 2024-10-07 09:00 in Asia/Shanghai; the user is 王芳.
"""

from __future__ import annotations

import json
from typing import Any

from tests.cli.test_followup import EARLIER, follow_rows, graded_lead, lead_row

MEETING = ("--next", "周三上门拜访", "--next-date", "2024-10-09")  # set on Monday for Wednesday
TUESDAY = "2024-10-08T10:00"
WEDNESDAY = "2024-10-09T08:00"


def action(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    return doc["next_action"], doc["next_action_on"]


def row_action(cli: Any) -> tuple[str | None, str | None]:
    row = lead_row(cli)
    return row["next_action"], row["next_action_on"]


def followed_details(cli: Any) -> list[dict[str, Any]]:
    """The details of every `followed` history entry, as stored."""
    rows = cli.rows("SELECT details FROM event WHERE event = 'followed' ORDER BY id")
    return [json.loads(r[0]) for r in rows]


def queue(cli: Any, now: str) -> list[tuple[str, list[str], str | None, str | None]]:
    items = cli.json("today", now=now)["items"]
    return [(i["number"], i["reasons"], i["next_action"], i["next_action_on"]) for i in items]


def meeting_lead(cli: Any, acquired: str | None = None) -> str:
    """A C lead whose Monday follow-up set a visit for Wednesday."""
    number = graded_lead(cli, "C", acquired=acquired)
    cli.ok("follow", number, "--note", "约好周三上门", *MEETING)
    return number


# ---------------------------------------------------------------- an action stays in force


def test_a_follow_up_without_next_keeps_the_meeting_and_it_stays_in_today(cli):
    number = meeting_lead(cli)
    result = cli.ok("follow", number, "--note", "电话确认地址", now=TUESDAY)
    assert result.out.splitlines() == [
        "Followed up L0001 杭州云栖科技有限公司  [active, grade C, owner 王芳]",
        "Next due 2024-10-09: next action: 周三上门拜访",
    ]
    doc = cli.json("show", number, now=TUESDAY)
    assert action(doc) == ("周三上门拜访", "2024-10-09")
    assert [(f["next_action"], f["next_action_on"]) for f in doc["follow_ups"]] == [
        ("周三上门拜访", "2024-10-09"),
        (None, None),
    ]
    # C: a week after Tuesday's touch; the meeting comes first
    assert doc["due_on"] == "2024-10-09"
    assert [(i["item"], i["due_on"]) for i in doc["due_items"]] == [
        ("next_action", "2024-10-09"),
        ("cadence", "2024-10-15"),
    ]
    assert row_action(cli) == ("周三上门拜访", "2024-10-09")
    assert lead_row(cli)["due_on"] == "2024-10-09"
    assert queue(cli, TUESDAY) == []
    assert queue(cli, WEDNESDAY) == [(number, ["next_action"], "周三上门拜访", "2024-10-09")]
    # still there, overdue, on Thursday: nobody reported the visit
    thursday = cli.json("today", now="2024-10-10T08:00")["items"]
    assert [(i["reasons"], i["overdue"], i["next_action"]) for i in thursday] == [
        (["next_action"], True, "周三上门拜访")
    ]


def test_done_ends_the_action(cli):
    number = meeting_lead(cli)
    doc = cli.json("follow", number, "--note", "提前拜访了", "--done", now=TUESDAY)
    assert action(doc) == (None, None)
    assert doc["history"][-1] == {
        "at": "2024-10-08T10:00:00+08:00",
        "by": "王芳",
        "event": "followed",
        "channel": "phone",
        "kind": "contact",
        "responded": True,
        "late": False,
        "done": True,
        "done_action": "周三上门拜访",
    }
    assert doc["due_on"] == "2024-10-15"  # C: a week after the last touch
    assert row_action(cli) == (None, None)
    assert lead_row(cli)["due_on"] == "2024-10-15"
    assert followed_details(cli)[-1]["done"] is True
    assert follow_rows(cli)[-1]["next_action"] is None  # the follow_up row is as before
    assert queue(cli, WEDNESDAY) == []
    assert action(cli.json("show", number, now=WEDNESDAY)) == (None, None)


def test_done_with_next_replaces_the_action(cli):
    number = meeting_lead(cli)
    doc = cli.json(
        "follow", number, "--note", "拜访完成，客户要报价", "--done",
        "--next", "发报价", "--next-date", "2024-10-10", now=TUESDAY,
    )  # fmt: skip
    assert action(doc) == ("发报价", "2024-10-10")
    assert (doc["history"][-1]["done"], doc["history"][-1]["done_action"]) == (True, "周三上门拜访")
    assert row_action(cli) == ("发报价", "2024-10-10")
    assert queue(cli, WEDNESDAY) == []
    assert queue(cli, "2024-10-10T08:00") == [(number, ["next_action"], "发报价", "2024-10-10")]


def test_a_new_next_replaces_the_action_without_done(cli):
    number = meeting_lead(cli)
    doc = cli.json(
        "follow", number, "--note", "客户改约", "--next", "周五上门", "--next-date", "fri",
        now=TUESDAY,
    )  # fmt: skip
    assert action(doc) == ("周五上门", "2024-10-11")
    assert "done" not in doc["history"][-1]
    assert queue(cli, WEDNESDAY) == []


def test_a_follow_up_on_or_after_the_date_completes_the_action(cli):
    number = meeting_lead(cli)
    # logged on Thursday, back-filled to Wednesday afternoon: its contact day is the date
    doc = cli.json(
        "follow", number, "--note", "上门拜访完成", "--at", "2024-10-09 15:00",
        now="2024-10-10T09:00",
    )  # fmt: skip
    assert action(doc) == (None, None)
    assert "done" not in doc["history"][-1]
    assert row_action(cli) == (None, None)
    assert lead_row(cli)["due_on"] == "2024-10-16"  # C: a week after Wednesday
    assert queue(cli, "2024-10-10T09:00") == []


def test_the_local_contact_day_counts(cli):
    number = meeting_lead(cli)
    # 00:30 on Wednesday in Shanghai is Tuesday in UTC: it is on the action's day
    doc = cli.json("follow", number, "--note", "深夜回电", now="2024-10-09T00:30")
    assert action(doc) == (None, None)


def test_a_follow_up_the_day_before_does_not_complete_it(cli):
    number = meeting_lead(cli)
    doc = cli.json("follow", number, "--note", "深夜确认", now="2024-10-08T23:59")
    assert action(doc) == ("周三上门拜访", "2024-10-09")


def test_an_action_without_a_date_stays_until_done(cli):
    number = graded_lead(cli, "C")
    cli.ok("follow", number, "--note", "客户出差", "--next", "等客户回来再约")
    for day in ("2024-10-10", "2024-10-20", "2024-11-05"):
        doc = cli.json("follow", number, "--note", "问候", now=f"{day}T10:00")
        assert action(doc) == ("等客户回来再约", None)
        assert [i["item"] for i in doc["due_items"]] == ["cadence"]  # no date: no item
    assert row_action(cli) == ("等客户回来再约", None)
    assert action(cli.json("show", number, now="2024-11-05T10:00")) == ("等客户回来再约", None)
    doc = cli.json("follow", number, "--note", "约好了", "--done", now="2024-11-06T10:00")
    assert action(doc) == (None, None)
    assert doc["history"][-1]["done_action"] == "等客户回来再约"
    assert row_action(cli) == (None, None)


# ---------------------------------------------------------------- back-filled follow-ups


def test_a_back_filled_next_does_not_override_a_later_ones(cli):
    number = meeting_lead(cli, acquired=EARLIER)  # Monday 09:00
    doc = cli.json(
        "follow", number, "--note", "补记周六电话", "--at", "2024-10-05 10:00",
        "--next", "寄样品", "--next-date", "2024-10-08", now=TUESDAY,
    )  # fmt: skip
    assert action(doc) == ("周三上门拜访", "2024-10-09")
    assert [f["note"] for f in doc["follow_ups"]] == ["补记周六电话", "约好周三上门"]
    assert row_action(cli) == ("周三上门拜访", "2024-10-09")
    assert lead_row(cli)["due_on"] == "2024-10-09"
    # its own action, replaced on Monday, never comes due
    assert queue(cli, TUESDAY) == []


def test_a_back_filled_next_counts_where_it_falls(cli):
    number = graded_lead(cli, "C", acquired=EARLIER)
    cli.ok("follow", number, "--note", "周一电话，没约")  # Monday 09:00, no next action
    doc = cli.json(
        "follow", number, "--note", "补记周六：答应寄样品", "--at", "2024-10-05 10:00",
        "--next", "寄样品", "--next-date", "2024-10-09", now=TUESDAY,
    )  # fmt: skip
    # Monday's follow-up came after it and before its date: it is still in force
    assert action(doc) == ("寄样品", "2024-10-09")
    assert row_action(cli) == ("寄样品", "2024-10-09")


def test_done_counts_in_contact_time_order_whatever_the_logging_order(cli):
    number = graded_lead(cli, "C")
    # all logged at Monday 09:00 (one LEADCTL_NOW), contacts in between
    cli.ok("follow", number, "--note", "答应寄样品", "--at", "08:00", "--next", "寄样品")
    cli.ok("follow", number, "--note", "样品已寄", "--at", "08:30", "--done")
    cli.ok("follow", number, "--note", "问候", "--at", "08:40")
    assert row_action(cli) == (None, None)
    # a follow-up back-filled between them works the action out again: --done still counts
    doc = cli.json("follow", number, "--note", "补记", "--at", "08:10")
    assert action(doc) == (None, None)
    assert row_action(cli) == (None, None)
    assert [d.get("done", False) for d in followed_details(cli)] == [False, True, False, False]


def test_a_back_filled_done_ends_the_action_in_force_at_its_contact_time(cli):
    number = graded_lead(cli, "C", acquired=EARLIER)
    cli.ok("follow", number, "--note", "答应寄样品", "--at", "2024-10-04 10:00", "--next", "寄样品")
    cli.ok("follow", number, "--note", "约周三上门", "--at", "2024-10-06 10:00", *MEETING)
    doc = cli.json(
        "follow", number, "--note", "补记：样品已寄", "--at", "2024-10-05 10:00", "--done"
    )
    assert doc["history"][-1]["done_action"] == "寄样品"
    assert action(doc) == ("周三上门拜访", "2024-10-09")  # the later action stays


def test_a_back_filled_done_before_any_action_is_refused(cli):
    number = meeting_lead(cli, acquired=EARLIER)
    before, row = cli.counts(), lead_row(cli)
    result = cli("follow", number, "--note", "补记", "--at", "2024-10-05 10:00", "--done")
    assert result.code == 2, result
    assert result.err == (
        "Error: L0001 had no next action in force at 2024-10-05 10:00 to mark done; "
        "log the follow-up without --done.\n"
    )
    assert result.out == ""
    assert cli.counts() == before
    assert lead_row(cli) == row


def test_done_after_the_action_was_completed_is_refused(cli):
    number = meeting_lead(cli)
    cli.ok("follow", number, "--note", "拜访完成", now="2024-10-09T16:00")
    before, row = cli.counts(), lead_row(cli)
    result = cli("follow", number, "--note", "再记一次", "--done", "--json", now="2024-10-09T17:00")
    assert result.code == 2, result
    assert result.err == (
        "Error: L0001 has no next action to mark done; log the follow-up without --done.\n"
    )
    assert result.out == ""
    assert cli.counts() == before
    assert lead_row(cli) == row
