"""Capture and the lead's record through the CLI (issue 2): add, edit, grade, show, list, assign.

Every test runs on SQLite and PostgreSQL (the `cli` fixture). A rejected command exits 2 with one
`Error:` line and writes nothing (`cli.counts()` before and after).
"""

from __future__ import annotations

from typing import Any

import pytest

SHOW_KEYS = {
    "number", "customer", "customer_type", "contact", "phones", "email", "wechat", "source",
    "need", "acquired_on", "owner", "status", "grade", "grade_reason", "due_on", "overdue",
    "opportunity", "outcome", "follow_ups", "history",
}  # fmt: skip
LIST_KEYS = {"number", "customer", "status", "grade", "owner", "source", "due_on"}
AT = "2024-10-07T09:00:00+08:00"  # the fixed clock, as JSON prints it
CUSTOMER = "杭州云栖科技有限公司"
PHONE = "13800138000"


def rejected(cli: Any, *args: str, user: str | None = None) -> str:
    """Run a command that must be refused: exit 2, one `Error:` line, nothing written."""
    before = cli.counts()
    snapshot = cli.rows("SELECT * FROM lead ORDER BY id")
    result = cli(*args, user=user)
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("Error: "), result
    assert "Traceback" not in result.err
    assert result.out == ""
    assert cli.counts() == before
    assert cli.rows("SELECT * FROM lead ORDER BY id") == snapshot
    return lines[0]


def history(doc: dict[str, Any]) -> list[str]:
    return [h["event"] for h in doc["history"]]


def set_status(cli: Any, status: str) -> None:
    """Put every lead in a status no capture command reaches (dormant, opportunity, ...)."""
    from sqlalchemy import text

    with cli.engine().begin() as conn:
        conn.execute(text("UPDATE lead SET status = :status"), {"status": status})


# ---------------------------------------------------------------- add


def test_add_with_every_field(cli):
    doc = cli.json(
        "add", CUSTOMER, "--phone", "138 0013 8000", "--phone", "010-62345678",
        "--source", "行业展会", "--need", "采购CRM系统, 50个账号", "--contact", "张经理",
        "--type", "企业", "--email", "zhang@yunqi.cn", "--wechat", "zhang_yq",
        "--acquired", "10月5日", "--owner", "李雷",
    )  # fmt: skip
    assert set(doc) >= SHOW_KEYS
    assert doc["number"] == "L0001"
    assert doc["customer"] == CUSTOMER
    assert doc["customer_type"] == "company"
    assert doc["contact"] == "张经理"
    assert doc["phones"] == ["+8613800138000", "+861062345678"]
    assert doc["email"] == "zhang@yunqi.cn"
    assert doc["wechat"] == "zhang_yq"
    assert doc["source"] == "行业展会"
    assert doc["need"] == "采购CRM系统, 50个账号"
    assert doc["acquired_on"] == "2024-10-05"
    assert doc["owner"] == "李雷"
    assert doc["status"] == "new"
    assert doc["grade"] is None
    assert doc["grade_reason"] is None
    # ungraded since its acquired day (Saturday): due then, overdue by Monday
    assert doc["due_on"] == "2024-10-05"
    assert doc["overdue"] is True
    assert doc["opportunity"] is None
    assert doc["outcome"] is None
    assert doc["follow_ups"] == []
    assert doc["history"] == [
        {"at": AT, "by": "王芳", "event": "created", "owner": "李雷", "source": "行业展会"}
    ]
    # the database holds the same
    row = cli.rows("SELECT customer, customer_type, owner, status, acquired_on FROM lead")[0]
    assert tuple(str(v) for v in row) == (CUSTOMER, "company", "李雷", "new", "2024-10-05")
    phones = cli.rows("SELECT e164 FROM phone ORDER BY position")
    assert [p[0] for p in phones] == ["+8613800138000", "+861062345678"]
    assert cli.scalar("SELECT count(*) FROM event WHERE event = 'created'") == 1


def test_add_defaults(cli):
    doc = cli.add(CUSTOMER, PHONE)
    assert doc["customer_type"] == "company"
    assert doc["acquired_on"] == "2024-10-07"
    assert doc["owner"] == "王芳"
    assert doc["contact"] is None and doc["email"] is None and doc["wechat"] is None
    assert doc["due_on"] == "2024-10-07"
    assert doc["overdue"] is False
    assert history(doc) == ["created"]
    assert cli.json("show", "L0001") == doc


def test_add_person_in_chinese_and_acquired_forms(cli):
    assert cli.add("李明", PHONE, "--type", "个人")["customer_type"] == "person"
    assert (
        cli.add("王强", "13900139000", "--type", "person", "--acquired", "昨天")["acquired_on"]
        == "2024-10-06"
    )
    assert cli.add("赵敏", "13700137000", "--acquired", "2024-09-30")["acquired_on"] == "2024-09-30"
    assert cli.add("钱一", "13600136000", "--acquired", "-3d")["acquired_on"] == "2024-10-04"
    assert cli.add("孙二", "13500135000", "--acquired", "today")["acquired_on"] == "2024-10-07"


def test_acquired_today_is_the_users_day_not_utcs(cli):
    # 01:00 on Monday in Shanghai is still Sunday in UTC: Monday is today, not the future
    early = "2024-10-06T17:00+00:00"
    doc = cli.add(CUSTOMER, PHONE, "--acquired", "2024-10-07", now=early)
    assert doc["acquired_on"] == "2024-10-07"
    assert cli("add", "宁波海曙贸易有限公司", "--phone", "13900139000", "--source", "s",
               "--need", "n", "--acquired", "2024-10-08", now=early).code == 2  # fmt: skip


def test_numbers_count_up(cli):
    assert cli.add("甲公司", "13800138000")["number"] == "L0001"
    assert cli.add("乙公司", "13800138001")["number"] == "L0002"
    assert cli.json("show", "2")["customer"] == "乙公司"


def test_add_human_output(cli):
    result = cli.ok(
        "add", CUSTOMER, "--phone", PHONE, "--source", "官网注册", "--need", "采购CRM系统"
    )  # fmt: skip
    assert "Added L0001 杭州云栖科技有限公司" in result.out
    assert "owner 王芳" in result.out
    assert result.err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--phone", "12345"],
            "Error: Phone '12345' is not a valid number: check the digits (mobiles have 11, "
            "landlines need their area code).",
        ),
        (
            ["--phone", "abc"],
            "Error: Phone 'abc' is not a phone number: give a mobile like 13800138000, a landline "
            "like 010-62345678, or +country code.",
        ),
        (
            ["--phone", PHONE, "--phone", "12345"],
            "Error: Phone '12345' is not a valid number: check the digits (mobiles have 11, "
            "landlines need their area code).",
        ),
        (
            ["--phone", "", "--email", "zhang@yunqi.cn"],
            "Error: At least one phone number is required (an email alone is not enough): "
            "add --phone 13800138000.",
        ),
        (
            ["--phone", PHONE, "--email", "zhang-at-yunqi"],
            "Error: Email 'zhang-at-yunqi' is not an email address (name@example.com).",
        ),
        (
            ["--phone", PHONE, "--type", "gov"],
            "Error: Unknown customer type 'gov': use one of company, person, 企业, 个人.",
        ),
        (
            ["--phone", PHONE, "--acquired", "someday"],
            "Error: Cannot read acquired date 'someday': use 2024-10-05, today, tomorrow, +3d, a "
            "weekday (fri), 10月5日, 今天, 明天, 后天 or 下周一.",
        ),
        (
            ["--phone", PHONE, "--acquired", "2024-02-30"],
            "Error: Acquired date '2024-02-30' is not a real day.",
        ),
        (
            ["--phone", PHONE, "--acquired", "tomorrow"],
            "Error: The acquired date 2024-10-08 is in the future; use today or earlier.",
        ),
        (
            ["--phone", PHONE, "--acquired", "明天"],
            "Error: The acquired date 2024-10-08 is in the future; use today or earlier.",
        ),
    ],
)
def test_add_bad_input_is_rejected(cli, args, message):
    line = rejected(cli, "add", CUSTOMER, *args, "--source", "官网注册", "--need", "采购CRM系统")
    assert line == message


def test_add_without_phone_is_rejected(cli):
    line = rejected(cli, "add", CUSTOMER, "--source", "官网注册", "--need", "采购CRM系统")
    assert "--phone" in line


def test_add_email_only_is_rejected(cli):
    line = rejected(
        cli, "add", CUSTOMER, "--email", "zhang@yunqi.cn", "--source", "官网注册", "--need", "x"
    )
    assert "--phone" in line


@pytest.mark.parametrize(
    ("customer", "source", "need", "message"),
    [
        ("  ", "官网注册", "CRM", "Error: The customer name is required and cannot be empty."),
        (CUSTOMER, "", "CRM", "Error: The source (线索来源) is required and cannot be empty."),
        (
            CUSTOMER,
            "官网注册",
            " ",
            "Error: The initial need (初步需求) is required and cannot be empty.",
        ),
    ],
)
def test_add_empty_required_text_is_rejected(cli, customer, source, need, message):
    line = rejected(cli, "add", customer, "--phone", PHONE, "--source", source, "--need", need)
    assert line == message


# ---------------------------------------------------------------- duplicates


def test_duplicate_phone_names_the_lead_and_owner(cli):
    cli.add(CUSTOMER, "138 0013 8000", "--owner", "李雷")
    line = rejected(
        cli, "add", "另一家公司", "--phone", "+86 138-0013-8000", "--source", "s", "--need", "n"
    )
    assert line == (
        "Error: Duplicate: phone 138 0013 8000 is already on lead L0001 (owner 李雷). "
        "Follow up that lead, or pass --allow-duplicate to add it anyway."
    )


def test_duplicate_second_phone_is_found(cli):
    cli.add(CUSTOMER, PHONE, "--phone", "010-62345678")
    line = rejected(
        cli, "add", "另一家公司", "--phone", "13900139000", "--phone", "(010) 6234 5678",
        "--source", "s", "--need", "n",
    )  # fmt: skip
    assert "phone 010-6234 5678 is already on lead L0001 (owner 王芳)" in line


@pytest.mark.parametrize("name", ["杭州 云栖科技 有限公司", " 杭州云栖科技有限公司 "])
def test_duplicate_customer_ignoring_spaces(cli, name):
    cli.add(CUSTOMER, PHONE)
    line = rejected(cli, "add", name, "--phone", "13900139000", "--source", "s", "--need", "n")
    assert line == (
        "Error: Duplicate: customer '杭州云栖科技有限公司' is already lead L0001 (owner 王芳). "
        "Follow up that lead, or pass --allow-duplicate to add it anyway."
    )


def test_duplicate_customer_ignoring_case(cli):
    cli.add("Acme Trading Co", PHONE, "--owner", "李雷")
    line = rejected(
        cli, "add", "ACME trading  co", "--phone", "13900139000", "--source", "s", "--need", "n"
    )
    assert "customer 'Acme Trading Co' is already lead L0001 (owner 李雷)" in line


def test_allow_duplicate_overrides(cli):
    cli.add(CUSTOMER, PHONE)
    doc = cli.add(CUSTOMER, PHONE, "--allow-duplicate")
    assert doc["number"] == "L0002"
    assert cli.scalar("SELECT count(*) FROM lead") == 2


def test_dormant_lead_still_counts_as_duplicate(cli):
    cli.add(CUSTOMER, PHONE)
    set_status(cli, "dormant")
    line = rejected(cli, "add", CUSTOMER, "--phone", "13900139000", "--source", "s", "--need", "n")
    assert "is already lead L0001" in line


@pytest.mark.parametrize(
    "close",
    [
        ["lost", "--reason", "budget", "--note", "预算不足"],
        ["won", "--amount", "30万", "--contract", "HT-001", "--product", "CRM"],
    ],
)
def test_closed_customer_may_come_back(cli, close):
    cli.add(CUSTOMER, PHONE)
    cli.ok("close", "L0001", *close)
    doc = cli.add(CUSTOMER, PHONE)
    assert doc["number"] == "L0002"
    assert doc["status"] == "new"


# ---------------------------------------------------------------- edit


def test_edit_every_field_records_old_and_new(cli):
    cli.add(CUSTOMER, PHONE, "--phone", "010-62345678", "--contact", "张经理")
    doc = cli.json(
        "edit", "L1", "--customer", "杭州云栖科技股份有限公司", "--type", "个人",
        "--contact", "李总", "--email", "li@yunqi.cn", "--wechat", "li_yq", "--source", "行业展会",
        "--need", "CRM和呼叫中心", "--acquired", "2024-10-01", "--add-phone", "139 0013 9000",
        "--remove-phone", "010 6234 5678",
    )  # fmt: skip
    assert set(doc) >= SHOW_KEYS
    assert doc["customer"] == "杭州云栖科技股份有限公司"
    assert doc["customer_type"] == "person"
    assert doc["contact"] == "李总"
    assert doc["email"] == "li@yunqi.cn"
    assert doc["wechat"] == "li_yq"
    assert doc["source"] == "行业展会"
    assert doc["need"] == "CRM和呼叫中心"
    assert doc["acquired_on"] == "2024-10-01"
    assert doc["phones"] == ["+8613800138000", "+8613900139000"]
    # still ungraded: the grade item moves with the acquired day
    assert doc["due_on"] == "2024-10-01"
    assert history(doc) == ["created", "edited"]
    edited = doc["history"][-1]
    assert edited["at"] == AT and edited["by"] == "王芳"
    changes = {c["field"]: (c["old"], c["new"]) for c in edited["changes"]}
    assert changes == {
        "customer": (CUSTOMER, "杭州云栖科技股份有限公司"),
        "customer_type": ("company", "person"),
        "contact": ("张经理", "李总"),
        "email": (None, "li@yunqi.cn"),
        "wechat": (None, "li_yq"),
        "source": ("官网注册", "行业展会"),
        "need": ("采购CRM系统", "CRM和呼叫中心"),
        "acquired_on": ("2024-10-07", "2024-10-01"),
        "phones": (
            ["+8613800138000", "+861062345678"],
            ["+8613800138000", "+8613900139000"],
        ),
    }
    assert cli.json("show", "L0001") == doc
    # the duplicate check's key: no company suffix (SPEC §6.4)
    assert cli.scalar("SELECT customer_key FROM lead") == "杭州云栖科技"
    assert cli.scalar("SELECT count(*) FROM phone") == 2


def test_edit_replace_phones(cli):
    cli.add(CUSTOMER, PHONE)
    doc = cli.json("edit", "1", "--phone", "13900139000", "--phone", "13700137000")
    assert doc["phones"] == ["+8613900139000", "+8613700137000"]
    assert doc["history"][-1]["changes"] == [
        {"field": "phones", "old": ["+8613800138000"], "new": ["+8613900139000", "+8613700137000"]}
    ]


def test_edit_one_field_by_user(cli):
    cli.add(CUSTOMER, PHONE)
    doc = cli.json("edit", "l1", "--contact", "李总", user="李雷")
    assert doc["history"][-1] == {
        "at": AT,
        "by": "李雷",
        "event": "edited",
        "changes": [{"field": "contact", "old": None, "new": "李总"}],
    }


def test_edit_clears_an_optional_field(cli):
    cli.add(CUSTOMER, PHONE, "--email", "zhang@yunqi.cn")
    doc = cli.json("edit", "1", "--email", "")
    assert doc["email"] is None
    assert doc["history"][-1]["changes"] == [
        {"field": "email", "old": "zhang@yunqi.cn", "new": None}
    ]


def test_edit_without_a_change_records_nothing(cli):
    cli.add(CUSTOMER, PHONE, "--contact", "张经理")
    before = cli.counts()
    doc = cli.json("edit", "1", "--contact", "张经理", "--phone", "138 0013 8000")
    assert history(doc) == ["created"]
    assert cli.counts() == before


def test_edit_customer_to_its_own_name_in_other_case_is_no_duplicate(cli):
    cli.add("Acme Trading Co", PHONE)
    doc = cli.json("edit", "1", "--customer", "ACME Trading Co")
    assert doc["customer"] == "ACME Trading Co"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "Error: Nothing to edit: give at least one field, e.g. --contact 张经理 "
            "or --add-phone …",
        ),
        (
            ["--phone", "12345"],
            "Error: Phone '12345' is not a valid number: check the digits (mobiles have 11, "
            "landlines need their area code).",
        ),
        (
            ["--add-phone", "abc"],
            "Error: Phone 'abc' is not a phone number: give a mobile like 13800138000, a landline "
            "like 010-62345678, or +country code.",
        ),
        (
            ["--remove-phone", "138 0013 8000"],
            "Error: L0001 must keep at least one phone; add another before removing this one.",
        ),
        (["--remove-phone", "13900139000"], "Error: L0001 has no phone 139 0013 9000 to remove."),
        (["--customer", " "], "Error: The customer name is required and cannot be empty."),
        (["--source", ""], "Error: The source (线索来源) is required and cannot be empty."),
        (["--need", ""], "Error: The initial need (初步需求) is required and cannot be empty."),
        (
            ["--email", "not-an-email"],
            "Error: Email 'not-an-email' is not an email address (name@example.com).",
        ),
        (
            ["--type", "gov"],
            "Error: Unknown customer type 'gov': use one of company, person, 企业, 个人.",
        ),
        (
            ["--acquired", "+1d"],
            "Error: The acquired date 2024-10-08 is in the future; use today or earlier.",
        ),
        (
            ["--acquired", "someday"],
            "Error: Cannot read acquired date 'someday': use 2024-10-05, today, tomorrow, +3d, a "
            "weekday (fri), 10月5日, 今天, 明天, 后天 or 下周一.",
        ),
    ],
)
def test_edit_bad_input_is_rejected(cli, args, message):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, "edit", "L0001", *args) == message


def test_edit_into_a_duplicate_is_rejected(cli):
    cli.add(CUSTOMER, PHONE, "--owner", "李雷")
    cli.add("宁波海曙贸易有限公司", "13900139000")
    assert rejected(cli, "edit", "2", "--add-phone", "138-0013-8000") == (
        "Error: Duplicate: phone 138 0013 8000 is already on lead L0001 (owner 李雷). "
        "Nothing was changed."
    )
    assert rejected(cli, "edit", "2", "--phone", "13800138000") == (
        "Error: Duplicate: phone 138 0013 8000 is already on lead L0001 (owner 李雷). "
        "Nothing was changed."
    )
    assert rejected(cli, "edit", "2", "--customer", "杭州 云栖科技有限公司") == (
        "Error: Duplicate: customer '杭州云栖科技有限公司' is already lead L0001 (owner 李雷). "
        "Nothing was changed."
    )


def test_edit_unknown_lead(cli):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, "edit", "L0009", "--contact", "李总") == (
        "Error: No lead L0009: check the number with `leadctl list`."
    )


# ---------------------------------------------------------------- grade


@pytest.mark.parametrize(("given", "grade"), [("A", "A"), ("b", "B"), ("C", "C"), ("d", "D")])
def test_grade_makes_a_new_lead_active(cli, given, grade):
    cli.add(CUSTOMER, PHONE)
    doc = cli.json("grade", "L0001", given, "--reason", "预算30万, 一个月内决策")
    assert set(doc) >= SHOW_KEYS
    assert doc["status"] == "active"
    assert doc["grade"] == grade
    assert doc["grade_reason"] == "预算30万, 一个月内决策"
    assert history(doc) == ["created", "graded"]
    graded = doc["history"][-1]
    assert graded["at"] == AT and graded["by"] == "王芳"
    assert graded["grade"] == grade
    assert graded["reason"] == "预算30万, 一个月内决策"
    assert cli.rows("SELECT status, grade, grade_reason FROM lead")[0] == (
        "active",
        grade,
        "预算30万, 一个月内决策",
    )


def test_grade_cadence_due_days(cli):
    cli.add(CUSTOMER, PHONE)
    assert cli.json("grade", "1", "A", "--reason", "r")["due_on"] == "2024-10-08"
    assert cli.json("grade", "1", "B", "--reason", "r")["due_on"] == "2024-10-09"
    assert cli.json("grade", "1", "C", "--reason", "r")["due_on"] == "2024-10-14"
    assert cli.json("grade", "1", "D", "--reason", "r")["due_on"] == "2024-11-06"


def test_regrade_keeps_history_and_clears_confirmation(cli):
    cli.add(CUSTOMER, PHONE)
    cli.json("grade", "1", "C", "--reason", "初次询价")
    cli.json("grade", "1", "--confirm", user="张主管")
    doc = cli.json("grade", "1", "A", "--reason", "已见采购总监", user="张主管")
    assert doc["grade"] == "A"
    assert doc["grade_confirmed"] is False
    assert history(doc) == ["created", "graded", "grade_confirmed", "graded"]
    last = doc["history"][-1]
    assert (last["by"], last["grade"], last["previous"]) == ("张主管", "A", "C")


def test_confirm_records_who(cli):
    cli.add(CUSTOMER, PHONE)
    cli.json("grade", "1", "B", "--reason", "多部门审批")
    doc = cli.json("grade", "L0001", "--confirm", user="张主管")
    assert doc["grade"] == "B"
    assert doc["grade_confirmed"] is True
    assert doc["history"][-1] == {
        "at": AT,
        "by": "张主管",
        "event": "grade_confirmed",
        "grade": "B",
        "graded_by": "王芳",
    }
    assert cli.rows("SELECT grade_confirmed_by FROM lead")[0][0] == "张主管"


def test_confirm_refusals(cli):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, "grade", "1", "--confirm") == (
        "Error: L0001 has no grade to confirm; grade it first."
    )
    cli.json("grade", "1", "B", "--reason", "r")
    assert rejected(cli, "grade", "1", "A", "--confirm") == (
        "Error: --confirm takes no grade or reason: it confirms the current one."
    )
    cli.json("grade", "1", "--confirm", user="张主管")
    assert rejected(cli, "grade", "1", "--confirm") == (
        "Error: L0001's grade B was already confirmed by 张主管."
    )


def test_grade_opportunity_stays_opportunity(cli):
    cli.add(CUSTOMER, PHONE)
    cli.json("grade", "1", "A", "--reason", "r")
    set_status(cli, "opportunity")
    assert cli.json("grade", "1", "B", "--reason", "r2")["status"] == "opportunity"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["E", "--reason", "r"],
            "Error: Unknown grade 'E': use one of A, B, C, D.",
        ),
        (
            ["AA", "--reason", "r"],
            "Error: Unknown grade 'AA': use one of A, B, C, D.",
        ),
        (
            ["A"],
            'Error: Grade A needs a reason: add --reason "…" (分级依据), e.g. '
            '--reason "预算30万, 一个月内决策".',
        ),
        (
            ["a", "--reason", "  "],
            'Error: Grade A needs a reason: add --reason "…" (分级依据), e.g. '
            '--reason "预算30万, 一个月内决策".',
        ),
        ([], "Error: Give a grade (A, B, C or D) and --reason, or --confirm."),
    ],
)
def test_grade_bad_input_is_rejected(cli, args, message):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, "grade", "L0001", *args) == message


@pytest.mark.parametrize("status", ["won", "lost", "dormant"])
def test_grade_refuses_closed_and_dormant_leads(cli, status):
    cli.add(CUSTOMER, PHONE)
    set_status(cli, status)
    assert rejected(cli, "grade", "1", "A", "--reason", "r") == (
        f"Error: L0001 is {status}; only new, active, opportunity leads can be graded."
    )


# ---------------------------------------------------------------- unknown leads


@pytest.mark.parametrize(
    "args",
    [
        ["show", "L0002"],
        ["edit", "2", "--contact", "x"],
        ["grade", "l2", "A", "--reason", "r"],
        ["grade", "L2", "--confirm"],
        ["assign", "L0002", "李雷"],
    ],
)
def test_unknown_lead_is_rejected(cli, args):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, *args) == "Error: No lead L0002: check the number with `leadctl list`."


@pytest.mark.parametrize("ref", ["abc", "0", "L0"])
def test_bad_lead_ref_is_rejected(cli, ref):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, "show", ref) == (
        f"Error: {ref!r} is not a lead number: use the number `leadctl list` shows, "
        "like L0001 or 1."
    )


# ---------------------------------------------------------------- show


@pytest.mark.parametrize("ref", ["L0001", "L1", "l1", "1", "0001"])
def test_show_by_any_ref(cli, ref):
    cli.add(CUSTOMER, PHONE)
    doc = cli.json("show", ref)
    assert set(doc) >= SHOW_KEYS
    assert doc["number"] == "L0001"


def test_show_human_card(cli):
    cli.add(CUSTOMER, PHONE, "--contact", "张经理", "--phone", "010-62345678")
    cli.json("grade", "1", "A", "--reason", "预算30万")
    out = cli.ok("show", "L0001").out
    for text in (
        CUSTOMER,
        "张经理",
        "138 0013 8000, 010-6234 5678",  # phones in national form; JSON keeps E.164
        "官网注册",
        "采购CRM系统",
        "王芳",
        "预算30万",
    ):
        assert text in out
    assert "+86" not in out
    # history in words
    assert "added for 王芳, source 官网注册" in out and "graded A: 预算30万" in out


def test_user_text_prints_literally(cli):
    name = "[bold red]x[/]"
    added = cli.ok(
        "add", name, "--phone", PHONE, "--source", "[i]src[/i]", "--need", "[link]n[/link]",
        "--contact", "[red]张[/red]",
    )  # fmt: skip
    assert name in added.out
    shown = cli.ok("show", "1").out
    for text in (name, "[i]src[/i]", "[link]n[/link]", "[red]张[/red]"):
        assert text in shown
    listed = cli.ok("list").out
    assert name in listed and "[i]src[/i]" in listed
    assert cli.json("show", "1")["customer"] == name


# ---------------------------------------------------------------- list


@pytest.fixture
def pipeline(cli):
    """Four leads of two owners, sources and grades."""
    cli.add("甲公司", "13800138001", "--source", "官网注册")
    cli.add("乙公司", "13800138002", "--source", "行业展会", "--owner", "李雷")
    cli.add("丙公司", "13800138003", "--source", "官网注册", "--owner", "李雷")
    cli.add("丁公司", "13800138004", "--source", "老客户转介绍", "--acquired", "2024-10-01")
    cli.json("grade", "2", "A", "--reason", "r")
    cli.json("grade", "3", "c", "--reason", "r")
    return cli


def numbers(rows):
    return [r["number"] for r in rows]


def test_list_everything(pipeline):
    rows = pipeline.json("list")
    assert numbers(rows) == ["L0001", "L0002", "L0003", "L0004"]
    for row in rows:
        assert set(row) == LIST_KEYS
    assert rows[1] == {
        "number": "L0002",
        "customer": "乙公司",
        "status": "active",
        "grade": "A",
        "owner": "李雷",
        "source": "行业展会",
        "due_on": "2024-10-08",
    }
    assert rows[0]["grade"] is None and rows[0]["due_on"] == "2024-10-07"
    assert rows[3]["due_on"] == "2024-10-01"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--status", "new"], ["L0001", "L0004"]),
        (["--status", "active"], ["L0002", "L0003"]),
        (["--status", "跟进中"], ["L0002", "L0003"]),
        (["--status", "won"], []),
        (["--grade", "A"], ["L0002"]),
        (["--grade", "c"], ["L0003"]),
        (["--grade", "D"], []),
        (["--owner", "李雷"], ["L0002", "L0003"]),
        (["--owner", "王芳"], ["L0001", "L0004"]),
        (["--owner", "nobody"], []),
        (["--source", "官网注册"], ["L0001", "L0003"]),
        (["--source", "老客户转介绍"], ["L0004"]),
        (["--status", "active", "--owner", "李雷", "--source", "官网注册"], ["L0003"]),
        (["--grade", "A", "--owner", "王芳"], []),
    ],
)
def test_list_filters(pipeline, filters, expected):
    assert numbers(pipeline.json("list", *filters)) == expected


def test_list_human_and_empty(pipeline):
    out = pipeline.ok("list", "--owner", "李雷").out
    assert "乙公司" in out and "丙公司" in out and "甲公司" not in out
    assert "2 leads" in out
    assert "No leads match." in pipeline.ok("list", "--grade", "D").out
    assert pipeline.json("list", "--grade", "D") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--status", "closed"],
            "Error: Unknown status 'closed': use one of new, active, opportunity, won, lost, "
            "dormant, 新线索, 跟进中, 销售机会, 成交, 未转化, 沉睡.",
        ),
        (["--grade", "E"], "Error: Unknown grade 'E': use one of A, B, C, D."),
    ],
)
def test_list_bad_filter(pipeline, args, message):
    assert rejected(pipeline, "list", *args) == message


# ---------------------------------------------------------------- assign


def test_assign_moves_the_lead_and_records_it(cli):
    cli.add(CUSTOMER, PHONE)
    doc = cli.json("assign", "L0001", "李雷", user="张主管")
    assert set(doc) >= SHOW_KEYS
    assert doc["owner"] == "李雷"
    assert doc["history"][-1] == {
        "at": AT,
        "by": "张主管",
        "event": "assigned",
        "previous": "王芳",
        "owner": "李雷",
    }
    assert cli.scalar("SELECT owner FROM lead") == "李雷"
    assert numbers(cli.json("list", "--owner", "李雷")) == ["L0001"]
    assert cli.json("today")["items"] == []  # no longer in 王芳's queue
    assert numbers(cli.json("today", user="李雷")["items"]) == ["L0001"]


def test_assign_refusals(cli):
    cli.add(CUSTOMER, PHONE)
    assert rejected(cli, "assign", "1", "王芳") == "Error: L0001 already belongs to 王芳."
    assert rejected(cli, "assign", "1", " ") == (
        "Error: The rep name is required and cannot be empty."
    )
    assert "Missing argument" in rejected(cli, "assign", "1")


def test_a_long_list_stays_aligned_with_chinese_names(cli, monkeypatch):
    """Past LONG_TABLE rows the list is laid out directly; columns still line up with CJK."""
    from rich.cells import cell_len

    import leadctl.render.common

    monkeypatch.setattr(leadctl.render.common, "LONG_TABLE", 2)
    for i, name in enumerate(["杭州云栖科技有限公司", "ACME Ltd", "上海[bold]明德[/]贸易"]):
        cli.add(name, f"1380013800{i}")
    out = cli.ok("list").out.splitlines()
    assert out[0].split() == ["Lead", "Customer", "Status", "Grade", "Owner", "Source", "Due"]
    rows = out[2:5]
    assert [r.split()[0] for r in rows] == ["L0001", "L0002", "L0003"]
    assert "上海[bold]明德[/]贸易" in rows[2]  # printed literally
    status_at = {cell_len(r[: r.index("new")]) for r in rows}
    assert len(status_at) == 1  # the Status column starts at the same cell in every row
    assert out[5] == "3 leads"


def test_a_long_list_in_chinese_lines_up_under_its_chinese_headings(cli, monkeypatch):
    """Every column starts under its heading, also where the heading is Chinese and wider than
    every value (等级 over A, 负责人 over a pool lead's empty owner): the headings were measured
    in characters, not cells, and the columns after them slid left of their headings."""
    from rich.cells import cell_len

    import leadctl.render.common

    monkeypatch.setattr(leadctl.render.common, "LONG_TABLE", 2)
    for i, name in enumerate(["杭州云栖科技有限公司", "ACME Ltd", "上海明德贸易"]):
        cli.add(name, f"1380013800{i}")
        cli.ok("grade", f"L{i + 1}", "A", "--reason", "预算已批")
    cli.ok("release", "L0002", "--reason", "客户暂无需求")
    out = cli.ok("list", LEADCTL_LANG="zh").out.splitlines()
    heads = out[0].split()
    assert heads == ["线索", "客户", "状态", "等级", "负责人", "来源", "到期"]
    starts = [cell_len(out[0][: out[0].index(h)]) for h in heads]
    for row in out[2:5]:
        assert cell_len(row[: row.index(" A ") + 1]) == starts[3]  # the grade under 等级
        assert cell_len(row[: row.index("官网注册")]) == starts[5]  # the source under 来源
    assert out[5] == "3条线索"
