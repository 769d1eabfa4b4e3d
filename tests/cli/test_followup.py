"""`leadctl follow` end to end (SPEC §1 Follow-up, §2 Dormancy and Ownership), both backends.

The clock is fixed at Monday 2024-10-07 09:00 in Asia/Shanghai; the user is 王芳.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

BOSS = "李强"


CAPTURE_ANEW = (
    "capture a new lead: leadctl add '杭州云栖科技有限公司' --phone … --source … --need …"
)
WON_REFUSED = (
    "Error: L0001 is won; a won lead takes no more follow-ups. "
    f"For another deal with this customer, {CAPTURE_ANEW}\n"
)


# a back-filled contact is never before the lead's acquired day (issue 20): leads that take one
# are acquired earlier
EARLIER = "2023-12-01"


def add_lead(
    cli: Any,
    customer: str = "杭州云栖科技有限公司",
    phone: str = "13800138000",
    acquired: str | None = None,
) -> str:
    extra = ("--acquired", acquired) if acquired else ()
    return str(cli.add(customer, phone, *extra)["number"])


def graded_lead(cli: Any, grade: str, **kwargs: Any) -> str:
    number = add_lead(cli, **kwargs)
    cli.ok("grade", number, grade, "--reason", "预算待定")
    return number


def lead_row(cli: Any, lead_id: int = 1) -> dict[str, Any]:
    row = cli.rows(
        "SELECT status, grade, due_on, deadline_on, next_action, next_action_on, "
        "unanswered_streak, woken_on, rested_on, last_mood FROM lead WHERE id = :id",
        id=lead_id,
    )[0]
    values = dict(row._mapping)
    for key in ("due_on", "deadline_on", "next_action_on", "woken_on", "rested_on"):
        values[key] = None if values[key] is None else str(values[key])
    return values


def follow_rows(cli: Any) -> list[dict[str, Any]]:
    rows = cli.rows(
        "SELECT channel, kind, note, next_action, next_action_on, mood, responded, late, by, "
        "forced FROM follow_up ORDER BY id"
    )
    out = []
    for row in rows:
        values = dict(row._mapping)
        for key in ("responded", "late", "forced"):
            values[key] = bool(values[key])
        values["next_action_on"] = (
            None if values["next_action_on"] is None else str(values["next_action_on"])
        )
        out.append(values)
    return out


def set_lead(cli: Any, lead_id: int = 1, **columns: Any) -> None:
    """Put a lead into a state no command of this issue makes (won, lost, woken)."""
    from sqlalchemy import text

    sets = ", ".join(f"{name} = :{name}" for name in columns)
    with cli.engine().begin() as conn:
        conn.execute(text(f"UPDATE lead SET {sets} WHERE id = :id"), {**columns, "id": lead_id})


def events(doc: dict[str, Any]) -> list[str]:
    return [h["event"] for h in doc["history"]]


# ---------------------------------------------------------------- a follow-up with every field


def test_follow_with_every_field(cli):
    number = graded_lead(cli, "A")
    doc = cli.json(
        "follow", number,
        "--note", "电话确认预算30万，下周给方案",
        "--channel", "wechat",
        "--kind", "proposal",
        "--mood", "positive",
        "--at", "2024-10-07 08:30",
        "--next", "发送报价单",
        "--next-date", "2024-10-09",
    )  # fmt: skip
    assert doc["follow_ups"] == [
        {
            "at": "2024-10-07T08:30:00+08:00",
            "channel": "wechat",
            "kind": "proposal",
            "note": "电话确认预算30万，下周给方案",
            "next_action": "发送报价单",
            "next_action_on": "2024-10-09",
            "mood": "positive",
            "responded": True,
            "logged_at": "2024-10-07T09:00:00+08:00",
            "late": False,
            "by": "王芳",
        }
    ]
    followed = doc["history"][-1]
    assert followed == {
        "at": "2024-10-07T09:00:00+08:00",
        "by": "王芳",
        "event": "followed",
        "channel": "wechat",
        "kind": "proposal",
        "responded": True,
        "late": False,
    }
    assert doc["next_action"] == "发送报价单"
    assert doc["next_action_on"] == "2024-10-09"
    # graded A at 09:00 Monday: daily touch from the grading (09:00 is later than 08:30)
    assert doc["due_on"] == "2024-10-08"
    assert doc["status"] == "active"
    assert follow_rows(cli) == [
        {
            "channel": "wechat",
            "kind": "proposal",
            "note": "电话确认预算30万，下周给方案",
            "next_action": "发送报价单",
            "next_action_on": "2024-10-09",
            "mood": "positive",
            "responded": True,
            "late": False,
            "by": "王芳",
            "forced": False,
        }
    ]
    row = lead_row(cli)
    assert row["next_action"] == "发送报价单"
    assert row["next_action_on"] == "2024-10-09"
    assert row["last_mood"] == "positive"
    assert row["due_on"] == "2024-10-08"


def test_follow_defaults(cli):
    number = add_lead(cli)
    doc = cli.json("follow", number, "-m", "初次电话沟通")
    (entry,) = doc["follow_ups"]
    assert entry["at"] == "2024-10-07T09:00:00+08:00"
    assert entry["logged_at"] == "2024-10-07T09:00:00+08:00"
    assert (entry["channel"], entry["kind"], entry["mood"]) == ("phone", "contact", None)
    assert (entry["responded"], entry["late"]) == (True, False)
    assert (entry["next_action"], entry["next_action_on"]) == (None, None)
    assert doc["status"] == "new"  # following does not grade it
    assert doc["reasons"] == ["grade"]


@pytest.mark.parametrize(
    ("option", "chinese", "english"),
    [
        ("--channel", "电话", "phone"),
        ("--channel", "微信", "wechat"),
        ("--channel", "面谈", "meeting"),
        ("--channel", "邮件", "email"),
        ("--channel", "其他", "other"),
        ("--kind", "沟通", "contact"),
        ("--kind", "方案", "proposal"),
        ("--kind", "案例", "case"),
        ("--kind", "问候", "greeting"),
        ("--kind", "演示", "demo"),
        ("--kind", "激活", "activation"),
        ("--mood", "积极关注", "positive"),
        ("--mood", "犹豫观望", "hesitant"),
        ("--mood", "明确拒绝", "negative"),
    ],
)
def test_closed_choices_by_chinese_and_english_name(cli, option, chinese, english):
    number = add_lead(cli)
    field = option.removeprefix("--")
    first = cli.json("follow", number, "--note", "中文", option, chinese)
    second = cli.json("follow", number, "--note", "English", option, english.upper())
    assert [f[field] for f in second["follow_ups"]] == [english, english]
    assert first["follow_ups"][0][field] == english
    assert [r[field] for r in follow_rows(cli)] == [english, english]


@pytest.mark.parametrize(
    ("at", "stored", "late"),
    [
        ("2024-10-07 08:30", "2024-10-07T08:30:00+08:00", False),
        ("08:30", "2024-10-07T08:30:00+08:00", False),
        ("08:00", "2024-10-07T08:00:00+08:00", False),  # exactly 1 hour: still in time
        ("07:59", "2024-10-07T07:59:00+08:00", True),
        ("now", "2024-10-07T09:00:00+08:00", False),
        ("现在", "2024-10-07T09:00:00+08:00", False),
        ("2024-10-06 14:30", "2024-10-06T14:30:00+08:00", True),
        ("昨天 15:00", "2024-10-06T15:00:00+08:00", True),
        ("yesterday 14:30", "2024-10-06T14:30:00+08:00", True),
        ("10月5日 10:00", "2024-10-05T10:00:00+08:00", True),
        ("2024-10-07T00:30+00:00", "2024-10-07T08:30:00+08:00", False),
        ("2024-10-07T08:45:59", "2024-10-07T08:45:00+08:00", False),  # minute precision
        ("2024-10-04", "2024-10-04T09:00:00+08:00", True),  # a day alone: at this time of day
    ],
)
def test_contact_time_forms_and_late_logs(cli, at, stored, late):
    number = add_lead(cli, acquired=EARLIER)
    doc = cli.json("follow", number, "--note", "回访", "--at", at)
    (entry,) = doc["follow_ups"]
    assert entry["at"] == stored
    assert entry["logged_at"] == "2024-10-07T09:00:00+08:00"
    assert entry["late"] is late
    assert doc["history"][-1]["late"] is late
    assert follow_rows(cli)[0]["late"] is late


@pytest.mark.parametrize(
    ("at", "late_line"),
    [
        (
            "2024-10-05 10:00",
            "Logged late: contact at 10-05 10:00, logged 10-07 09:00 (1 day 23 h later); "
            "the playbook asks for a record within 1 hour.",
        ),
        (
            "07:59",
            "Logged late: contact at 10-07 07:59, logged 10-07 09:00 (1 h 1 min later); "
            "the playbook asks for a record within 1 hour.",
        ),
        (
            "2023-12-31 18:00",
            "Logged late: contact at 2023-12-31 18:00, logged 2024-10-07 09:00 "
            "(280 days 15 h later); the playbook asks for a record within 1 hour.",
        ),
    ],
)
def test_a_late_log_says_so_in_the_confirmation(cli, at, late_line):
    number = graded_lead(cli, "C", acquired=EARLIER)
    result = cli.ok("follow", number, "--note", "补记电话", "--at", at)
    assert result.out.splitlines() == [
        "Followed up L0001 杭州云栖科技有限公司  [active, grade C, owner 王芳]",
        late_line,
        "Next due 2024-10-14: C: weekly touch",
    ]
    assert result.err == ""
    assert follow_rows(cli)[0]["late"] is True


def test_a_late_log_with_json_says_so_on_stderr(cli):
    number = add_lead(cli, acquired=EARLIER)
    result = cli.ok("follow", number, "--note", "补记电话", "--at", "昨天 15:00", "--json")
    assert result.err == (
        "Logged late: contact at 10-06 15:00, logged 10-07 09:00 (18 h later); "
        "the playbook asks for a record within 1 hour.\n"
    )
    doc = result.json  # stdout holds the JSON document only
    assert doc["follow_ups"][0]["late"] is True
    assert doc["history"][-1]["late"] is True


def test_a_log_in_time_says_nothing_more(cli):
    number = add_lead(cli)
    result = cli.ok("follow", number, "--note", "刚通完电话", "--at", "08:00")
    assert result.out.splitlines() == [
        "Followed up L0001 杭州云栖科技有限公司  [new, owner 王芳]",
        "Next due today: to grade",
    ]
    assert result.err == ""
    result = cli.ok("follow", number, "--note", "刚通完电话", "--at", "08:00", "--json")
    assert result.err == ""
    assert result.json["follow_ups"][-1]["late"] is False


def test_the_late_line_follows_the_configured_limit(cli):
    (cli.home / "leadctl.toml").write_text("late_log_minutes = 90\n", encoding="utf-8")
    number = add_lead(cli)
    assert cli.ok("follow", number, "--note", "x", "--at", "07:31").out.count("Logged late") == 0
    result = cli.ok("follow", number, "--note", "x", "--at", "07:29", "--json")
    assert result.err == (
        "Logged late: contact at 10-07 07:29, logged 10-07 09:00 (1 h 31 min later); "
        "the playbook asks for a record within 90 minutes.\n"
    )


@pytest.mark.parametrize(
    ("next_date", "on"),
    [
        ("2024-10-09", "2024-10-09"),
        ("今天", "2024-10-07"),
        ("明天", "2024-10-08"),
        ("后天", "2024-10-09"),
        ("fri", "2024-10-11"),
        ("+3d", "2024-10-10"),
        ("10月9日", "2024-10-09"),
        ("下周一", "2024-10-14"),
    ],
)
def test_next_action_date_forms(cli, next_date, on):
    number = add_lead(cli)
    doc = cli.json(
        "follow", number, "--note", "约了演示", "--next", "上门演示", "--next-date", next_date
    )
    assert doc["follow_ups"][0]["next_action_on"] == on
    assert (doc["next_action"], doc["next_action_on"]) == ("上门演示", on)
    assert lead_row(cli)["next_action_on"] == on


def test_next_action_on_the_contact_day_of_a_past_contact(cli):
    number = add_lead(cli, acquired=EARLIER)
    doc = cli.json(
        "follow", number, "--note", "补记", "--at", "2024-10-03 16:00",
        "--next", "寄样品", "--next-date", "2024-10-03",
    )  # fmt: skip
    assert doc["next_action_on"] == "2024-10-03"
    assert doc["follow_ups"][0]["late"] is True


def test_next_action_without_a_date(cli):
    number = add_lead(cli)
    doc = cli.json("follow", number, "--note", "客户在出差", "--next", "下周再联系")
    assert (doc["next_action"], doc["next_action_on"]) == ("下周再联系", None)


def test_no_response(cli):
    number = add_lead(cli)
    doc = cli.json("follow", number, "--note", "无人接听", "--no-response")
    assert doc["follow_ups"][0]["responded"] is False
    assert doc["history"][-1]["responded"] is False
    assert follow_rows(cli)[0]["responded"] is False
    assert lead_row(cli)["unanswered_streak"] == 1


def test_the_next_action_is_worked_out_in_contact_time_order(cli):
    number = graded_lead(cli, "C", acquired=EARLIER)
    cli.ok("follow", number, "--note", "今天", "--next", "发案例", "--next-date", "明天")
    # a late log of an older contact does not replace today's next action
    doc = cli.json("follow", number, "--note", "补记上周", "--at", "2024-10-01 10:00")
    assert (doc["next_action"], doc["next_action_on"]) == ("发案例", "2024-10-08")
    assert [f["note"] for f in doc["follow_ups"]] == ["补记上周", "今天"]
    # a follow-up on the action's day completes it
    doc = cli.json("follow", number, "--note", "已发案例", now="2024-10-08T10:00")
    assert (doc["next_action"], doc["next_action_on"]) == (None, None)
    assert doc["due_on"] == "2024-10-15"  # C: a week after the last touch
    assert lead_row(cli)["due_on"] == "2024-10-15"


def test_human_output_of_follow(cli):
    number = graded_lead(cli, "B")
    result = cli.ok(
        "follow", number, "--note", "发了资料", "--next", "提供成功案例", "--next-date", "明天"
    )
    assert result.out.splitlines() == [
        "Followed up L0001 杭州云栖科技有限公司  [active, grade B, owner 王芳]",
        "Next due 2024-10-08: next action: 提供成功案例",
    ]
    assert result.err == ""


# ---------------------------------------------------------------- refusals: exit 2, nothing written

NO_ACTION = "L0001 has no next action to mark done; log the follow-up without --done."

REFUSALS = [
    (["9", "--note", "x"], "No lead L0009: check the number with `leadctl list`."),
    (["L0042", "--note", "x"], "No lead L0042: check the number with `leadctl list`."),
    (
        ["1", "--note", "x", "--channel", "fax"],
        "Unknown channel 'fax': use one of phone, wechat, meeting, email, other, "
        "电话, 微信, 面谈, 邮件, 其他.",
    ),
    (
        ["1", "--note", "x", "--kind", "报价"],
        "Unknown kind '报价': use one of contact, proposal, case, greeting, demo, activation, "
        "沟通, 方案, 案例, 问候, 演示, 激活.",
    ),
    (
        ["1", "--note", "x", "--mood", "happy"],
        "Unknown mood 'happy': use one of positive, hesitant, negative, "
        "积极关注, 犹豫观望, 明确拒绝.",
    ),
    (["1", "--note", ""], 'A follow-up needs its content: add --note "…" (what was said).'),
    (["1", "--note", "   "], 'A follow-up needs its content: add --note "…" (what was said).'),
    (["1"], "Missing option '--note' / '-m' (see `leadctl follow --help`)."),
    (
        ["1", "--note", "x", "--at", "2024-10-07 09:01"],
        "The contact time 2024-10-07 09:01 is in the future; log a follow-up after it happened.",
    ),
    (
        ["1", "--note", "x", "--at", "明天"],
        "The contact time 2024-10-08 09:00 is in the future; log a follow-up after it happened.",
    ),
    (
        ["1", "--note", "x", "--at", "2024-10-07T09:30+08:00"],
        "The contact time 2024-10-07 09:30 is in the future; log a follow-up after it happened.",
    ),
    (
        ["1", "--note", "x", "--at", "sometime"],
        "Cannot read contact time 'sometime': use 2024-10-02 14:30, now, yesterday 14:30, "
        "10月2日 14:30, or a date.",
    ),
    (
        ["1", "--note", "x", "--at", "10月5日 10:00", "--next", "y", "--next-date", "2024-10-04"],
        "The next-action date 2024-10-04 is before the contact day 2024-10-05.",
    ),
    (
        ["1", "--note", "x", "--next", "y", "--next-date", "昨天"],
        "The next-action date 2024-10-06 is before the contact day 2024-10-07.",
    ),
    (
        ["1", "--note", "x", "--next-date", "明天"],
        'A next-action date needs its action: add --next "…".',
    ),
    (
        ["1", "--note", "x", "--next", "y", "--next-date", "someday"],
        "Cannot read next-action date 'someday': use 2024-10-05, today, tomorrow, +3d, a weekday "
        "(fri), 10月5日, 今天, 明天, 后天 or 下周一.",
    ),
    (
        ["1", "--note", "x", "--next", "y", "--next-date", "2024-02-30"],
        "Next-action date '2024-02-30' is not a real day.",
    ),
    (["1", "--note", "x", "--done"], NO_ACTION),
    (["1", "--note", "x", "--done", "--next", "y", "--next-date", "fri"], NO_ACTION),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS)
def test_refusals_write_nothing(cli, args, message):
    add_lead(cli)
    before = cli.counts()
    row = lead_row(cli)
    result = cli("follow", *args)
    assert result.code == 2, result
    assert result.err == f"Error: {message}\n"
    assert result.out == ""
    assert cli.counts() == before
    assert lead_row(cli) == row


def test_a_won_lead_takes_no_follow_up(cli):
    number = graded_lead(cli, "A")
    set_lead(cli, status="won", due_on=None, deadline_on=None)
    before = cli.counts()
    result = cli("follow", number, "--note", "回访")
    assert result.code == 2, result
    assert result.err == WON_REFUSED
    assert cli.counts() == before


def test_a_won_lead_refuses_even_a_forced_follow_up_by_another_rep(cli):
    number = graded_lead(cli, "A")
    set_lead(cli, status="won", due_on=None, deadline_on=None)
    before = cli.counts()
    result = cli("follow", number, "--note", "回访", "--force", user=BOSS)
    assert result.code == 2, result
    assert result.err == WON_REFUSED
    assert cli.counts() == before


def test_a_lost_lead_takes_follow_ups_only_once_woken(cli):
    number = graded_lead(cli, "B")
    set_lead(cli, status="lost", due_on=None, deadline_on=None)
    before = cli.counts()
    result = cli("follow", number, "--note", "再联系一下")
    assert result.code == 2, result
    # a customer who came back is a new lead: the refusal says how to capture it
    assert result.err == (
        "Error: L0001 is lost; it takes follow-ups again only once `leadctl wake` wakes it. "
        f"If the customer came back, {CAPTURE_ANEW}\n"
    )
    assert cli.counts() == before
    assert lead_row(cli)["status"] == "lost"


@pytest.mark.parametrize("status", ["lost", "dormant"])
def test_a_woken_lead_that_answers_is_active_again_ungraded(cli, status):
    number = graded_lead(cli, "B")
    woken = date(2024, 10, 7)
    set_lead(cli, status=status, woken_on=woken, due_on=woken, deadline_on=woken)
    doc = cli.json("follow", number, "--note", "客户预算批下来了", "--kind", "激活")
    assert (doc["status"], doc["grade"], doc["woken_on"]) == ("active", None, None)
    assert events(doc)[-2:] == ["followed", "reopened"]
    assert doc["history"][-1]["previous"] == status
    assert doc["history"][-1]["grade"] == "B"  # history keeps the old grade
    assert doc["reasons"] == ["grade"]
    row = lead_row(cli)
    assert (row["status"], row["grade"], row["due_on"]) == ("active", None, "2024-10-07")


@pytest.mark.parametrize("status", ["lost", "dormant"])
def test_a_woken_lead_that_does_not_answer_rests_again(cli, status):
    number = graded_lead(cli, "B")
    woken = date(2024, 10, 7)
    set_lead(cli, status=status, woken_on=woken, due_on=woken, deadline_on=woken)
    set_lead(cli, rested_on=date(2024, 4, 1))
    doc = cli.json(
        "follow", number, "--note", "电话没人接", "--no-response", now="2024-10-08T10:00"
    )
    assert (doc["status"], doc["woken_on"], doc["due_on"]) == (status, None, None)
    assert events(doc)[-1] == "followed"
    row = lead_row(cli)
    assert (row["status"], row["woken_on"], row["rested_on"]) == (status, None, "2024-10-08")
    assert (row["due_on"], row["deadline_on"]) == (None, None)


# ---------------------------------------------------------------- ownership


def test_another_rep_is_refused_naming_the_owner(cli):
    number = add_lead(cli)
    before = cli.counts()
    result = cli("follow", number, "--note", "我来跟", user=BOSS)
    assert result.code == 2, result
    assert result.err == (
        "Error: L0001 belongs to 王芳; only the owner can follow up on it "
        "(pass --force to do it anyway; it is recorded).\n"
    )
    assert result.out == ""
    assert cli.counts() == before


def test_force_follows_another_reps_lead_and_is_recorded(cli):
    number = graded_lead(cli, "C")
    doc = cli.json("follow", number, "--note", "王芳休假，我代为跟进", "--force", user=BOSS)
    assert doc["owner"] == "王芳"  # forcing does not take the lead over
    assert doc["follow_ups"][-1]["by"] == BOSS
    assert doc["history"][-1] == {
        "at": "2024-10-07T09:00:00+08:00",
        "by": BOSS,
        "event": "followed",
        "channel": "phone",
        "kind": "contact",
        "responded": True,
        "late": False,
        "forced": True,
        "owner": "王芳",
    }
    assert follow_rows(cli)[-1]["forced"] is True
    assert follow_rows(cli)[-1]["by"] == BOSS


def test_the_owner_needs_no_force_and_force_on_own_lead_is_not_recorded(cli):
    number = add_lead(cli)
    doc = cli.json("follow", number, "--note", "自己的线索", "--force")
    assert "forced" not in doc["history"][-1]
    assert follow_rows(cli)[-1]["forced"] is False


def test_a_lead_added_for_another_rep_is_theirs_to_follow(cli):
    cli.add("上海某某贸易有限公司", "13700137000", "--owner", BOSS)
    result = cli("follow", "L1", "--note", "x")
    assert result.code == 2
    assert "belongs to 李强" in result.err
    doc = cli.json("follow", "l1", "--note", "我的线索", user=BOSS)
    assert doc["follow_ups"][-1]["by"] == BOSS


# ---------------------------------------------------------------- dormancy


def test_third_unanswered_attempt_on_a_d_lead_makes_it_dormant(cli):
    number = graded_lead(cli, "D")
    for n, when in enumerate(("2024-10-07T09:00", "2024-10-14T09:00"), start=1):
        doc = cli.json("follow", number, "--note", f"第{n}次未接", "--no-response", now=when)
        assert doc["status"] == "active"
        assert lead_row(cli)["unanswered_streak"] == n
    assert [i["number"] for i in cli.json("today", now="2024-11-14T09:00")["items"]] == [number]

    result = cli.ok(
        "follow", number, "--note", "第3次未接", "--no-response", now="2024-10-21T09:00"
    )
    assert result.out.splitlines() == [
        "Followed up L0001 杭州云栖科技有限公司  [dormant, grade D, owner 王芳]",
        "No more follow-ups due (dormant).",
    ]
    doc = cli.json("show", number)
    assert doc["status"] == "dormant"
    assert doc["grade"] == "D"
    assert events(doc)[-2:] == ["followed", "dormant"]
    assert doc["history"][-1]["by"] == "王芳"
    assert doc["history"][-1]["at"] == "2024-10-21T09:00:00+08:00"
    assert (doc["due_on"], doc["overdue"], doc["due_items"]) == (None, False, [])
    row = lead_row(cli)
    assert (row["status"], row["due_on"], row["deadline_on"]) == ("dormant", None, None)
    assert row["rested_on"] == "2024-10-21"
    # it leaves the queue, whoever looks
    for day in ("2024-10-21T09:00", "2024-11-21T09:00", "2025-01-01T09:00"):
        assert cli.json("today", now=day)["items"] == []
        assert cli.json("today", "--all", now=day)["items"] == []


def test_an_answered_follow_up_resets_the_count(cli):
    number = graded_lead(cli, "D")
    cli.ok("follow", number, "--note", "未接1", "--no-response", "--at", "08:00")
    cli.ok("follow", number, "--note", "未接2", "--no-response", "--at", "08:10")
    cli.ok("follow", number, "--note", "接了，说再看看", "--mood", "犹豫观望", "--at", "08:20")
    assert lead_row(cli)["unanswered_streak"] == 0
    cli.ok("follow", number, "--note", "未接3", "--no-response", "--at", "08:30")
    doc = cli.json("follow", number, "--note", "未接4", "--no-response", "--at", "08:40")
    assert doc["status"] == "active"
    assert "dormant" not in events(doc)
    assert lead_row(cli)["unanswered_streak"] == 2
    doc = cli.json("follow", number, "--note", "未接5", "--no-response", "--at", "08:50")
    assert doc["status"] == "dormant"
    assert events(doc).count("dormant") == 1


def test_unanswered_attempts_on_other_grades_never_make_a_lead_dormant(cli):
    number = graded_lead(cli, "C")
    for n in range(4):
        doc = cli.json("follow", number, "--note", f"未接{n}", "--no-response", "--at", f"08:1{n}")
    assert doc["status"] == "active"
    assert "dormant" not in events(doc)
    assert lead_row(cli)["unanswered_streak"] == 4


def _dormant_lead(cli: Any) -> str:
    number = graded_lead(cli, "D")
    for n in range(3):
        cli.ok("follow", number, "--note", f"未接{n}", "--no-response", "--at", f"08:1{n}")
    assert lead_row(cli)["status"] == "dormant"
    return number


def test_an_answered_follow_up_reactivates_a_dormant_lead(cli):
    number = _dormant_lead(cli)
    result = cli.ok(
        "follow",
        number,
        "--note",
        "客户回电，有新需求",
        "--mood",
        "积极关注",
        now="2024-10-10T15:00",
    )
    assert result.out.splitlines() == [
        "Followed up L0001 杭州云栖科技有限公司  [active, owner 王芳]",
        "Next due today: to grade",
    ]
    doc = cli.json("show", number, now="2024-10-10T15:00")
    assert (doc["status"], doc["grade"], doc["grade_reason"]) == ("active", None, None)
    assert events(doc)[-2:] == ["followed", "reopened"]
    reopened = doc["history"][-1]
    assert (reopened["previous"], reopened["grade"], reopened["by"]) == ("dormant", "D", "王芳")
    assert "graded" in events(doc)  # the old grade stays in history
    assert doc["due_on"] == "2024-10-10"
    assert doc["reasons"] == ["grade"]
    row = lead_row(cli)
    assert (row["status"], row["grade"], row["unanswered_streak"]) == ("active", None, 0)
    assert (row["due_on"], row["deadline_on"]) == ("2024-10-10", "2024-10-10")
    queue = cli.json("today", now="2024-10-10T15:30")
    assert [(i["number"], i["reasons"], i["overdue"]) for i in queue["items"]] == [
        (number, ["grade"], False)
    ]
    # graded anew, it follows its new grade
    doc = cli.json("grade", number, "B", "--reason", "新项目，预算待批", now="2024-10-10T16:00")
    assert doc["due_on"] == "2024-10-12"


def test_an_unanswered_follow_up_leaves_a_dormant_lead_dormant(cli):
    number = _dormant_lead(cli)
    doc = cli.json(
        "follow", number, "--note", "还是没人接", "--no-response", now="2024-10-10T15:00"
    )
    assert doc["status"] == "dormant"
    assert events(doc)[-1] == "followed"
    row = lead_row(cli)
    assert (row["status"], row["due_on"], row["rested_on"]) == ("dormant", None, "2024-10-07")


def test_a_dormant_lead_still_belongs_to_its_owner(cli):
    number = _dormant_lead(cli)
    before = cli.counts()
    result = cli("follow", number, "--note", "我来激活", user=BOSS)
    assert result.code == 2
    assert result.err.startswith("Error: L0001 belongs to 王芳;")
    assert cli.counts() == before


def test_dormancy_counts_from_the_contact_day_of_a_back_filled_attempt(cli):
    """`--at yesterday` logged today: the lead went dormant yesterday, and rests from then."""
    cli.add("杭州云栖科技有限公司", "13800138000", "--acquired", EARLIER)
    cli.ok("grade", "L0001", "D", "--reason", "暂无需求")
    for at in ("2024-10-04 10:00", "2024-10-05 10:00", "2024-10-06 10:00"):
        cli.ok("follow", "L0001", "--note", "未接", "--no-response", "--at", at)
    assert cli.rows("SELECT status, rested_on FROM lead")[0][0] == "dormant"
    assert str(cli.rows("SELECT status, rested_on FROM lead")[0][1]) == "2024-10-06"
    # an answer back-filled to yesterday reactivates it from yesterday: grade item due then
    lead = cli.json("follow", "L0001", "--note", "回电了", "--at", "2024-10-06 18:00")
    assert lead["status"] == "active" and lead["grade"] is None
    assert lead["due_items"][0]["item"] == "grade"
    assert str(lead["due_items"][0]["due_on"]) == "2024-10-06"
