"""Steps 4 and 5 of the playbook, end to end on SQLite and PostgreSQL: upgrade and close (issue 4).

The clock is fixed at Monday 2024-10-07 09:00 Asia/Shanghai; the current user is 王芳.
"""

from __future__ import annotations

from typing import Any

import pytest

ALL_CRITERIA = (
    "--need-match", "--budget", "20-50万", "--budget-ok", "--decision-maker", "张总",
    "--no-objection",
)  # fmt: skip
NOT_MET = "Error: L0001 cannot become an opportunity yet; not met: "
NEED = "need matches the product (--need-match)"
BUDGET = "budget clear and acceptable ({})"
DM = "key decision maker confirmed with no major objection ({})"
OWNER_ONLY = (
    "Error: L0001 belongs to 王芳; only the owner can {} it "
    "(pass --force to do it anyway; it is recorded).\n"
)
WON = ("won", "--amount", "30万", "--contract", "HT-2024-017", "--product", "CRM 标准版")


def active_lead(cli: Any, customer: str = "杭州云栖科技有限公司", phone: str = "13800138000",
                grade: str = "A", **kwargs: Any) -> dict[str, Any]:  # fmt: skip
    lead = cli.add(customer, phone, **kwargs)
    return cli.json("grade", lead["number"], grade, "--reason", "预算30万, 一个月内决策", **kwargs)


def refused(cli: Any, *args: str, **kwargs: Any) -> str:
    """Run a command that must be rejected; prove it wrote nothing; return its stderr."""
    before = cli.counts()
    result = cli(*args, **kwargs)
    assert result.code == 2, result
    assert result.out == "", result
    assert cli.counts() == before
    return result.err


# ---------------------------------------------------------------- upgrade


@pytest.mark.parametrize(
    ("given", "unmet"),
    [
        ((), [NEED, BUDGET.format("--budget RANGE, --budget-ok"),
              DM.format("--decision-maker NAME, --no-objection")]),
        (("--need-match", "--budget", "20-50万"),
         [BUDGET.format("--budget-ok"), DM.format("--decision-maker NAME, --no-objection")]),
        (("--budget-ok", "--decision-maker", "张总"),
         [NEED, BUDGET.format("--budget RANGE"), DM.format("--no-objection")]),
        (("--need-match", "--budget", "20-50万", "--budget-ok", "--no-objection"),
         [DM.format("--decision-maker NAME")]),
        (("--need-match", "--budget", "  ", "--budget-ok", "--decision-maker", "张总",
          "--no-objection"), [BUDGET.format("--budget RANGE")]),
    ],
)  # fmt: skip
def test_upgrade_refusal_names_every_unmet_criterion_in_one_message(cli, given, unmet):
    active_lead(cli)
    err = refused(cli, "upgrade", "L0001", *given)
    assert err == NOT_MET + "; ".join(unmet) + ".\n"
    lead = cli.json("show", "1")
    assert lead["status"] == "active"
    assert lead["opportunity"] is None
    assert [h["event"] for h in lead["history"]] == ["created", "graded"]


def test_upgrade_stores_the_opportunity(cli):
    active_lead(cli)
    lead = cli.json(
        "upgrade", "l1", *ALL_CRITERIA, "--dm-title", "采购总监", "--dm-phone", "139 0013 9000",
        "--competitor", "销售易", "--advantage", "本地实施团队", "--strategy", "先做两周试用",
    )  # fmt: skip
    assert lead["status"] == "opportunity"
    assert lead["grade"] == "A"
    opp = lead["opportunity"]
    assert {k: v for k, v in opp.items() if k not in ("upgraded_at", "upgraded_by")} == {
        "budget": "20-50万",
        "budget_ok": True,
        "decision_maker": {"name": "张总", "title": "采购总监", "phone": "+8613900139000"},
        "competitor": "销售易",
        "advantage": "本地实施团队",
        "strategy": "先做两周试用",
    }
    assert opp["upgraded_at"] == "2024-10-07T09:00:00+08:00"
    last = lead["history"][-1]
    assert (last["event"], last["by"], last["at"]) == (
        "upgraded",
        "王芳",
        "2024-10-07T09:00:00+08:00",
    )
    assert (last["budget"], last["decision_maker"]) == ("20-50万", "张总")
    assert cli.json("show", "L0001") == lead
    row = cli.rows(
        "SELECT budget, decision_maker, dm_title, dm_phone, competitor, advantage, strategy "
        "FROM opportunity WHERE lead_id = 1"
    )
    assert [tuple(r) for r in row] == [
        ("20-50万", "张总", "采购总监", "+8613900139000", "销售易", "本地实施团队", "先做两周试用")
    ]
    assert cli.scalar("SELECT status FROM lead WHERE id = 1") == "opportunity"


def test_upgrade_without_competition_and_with_a_landline(cli):
    active_lead(cli)
    lead = cli.json("upgrade", "1", *ALL_CRITERIA, "--dm-phone", "010-62345678")
    opp = lead["opportunity"]
    assert opp["decision_maker"] == {"name": "张总", "title": None, "phone": "+861062345678"}
    assert (opp["competitor"], opp["advantage"], opp["strategy"]) == (None, None, None)


def test_upgrade_validates_the_decision_makers_phone(cli):
    active_lead(cli)
    err = refused(cli, "upgrade", "1", *ALL_CRITERIA, "--dm-phone", "12345")
    assert err == (
        "Error: Phone '12345' is not a valid number: check the digits (mobiles have 11, "
        "landlines need their area code).\n"
    )
    assert cli.json("show", "1")["status"] == "active"


def test_only_active_leads_are_upgraded(cli):
    cli.add("杭州云栖科技有限公司", "13800138000")
    assert refused(cli, "upgrade", "1", *ALL_CRITERIA) == (
        "Error: L0001 is new; only active leads can be upgraded (grade it first).\n"
    )
    cli.ok("grade", "1", "B", "--reason", "多部门审批")
    cli.ok("upgrade", "1", *ALL_CRITERIA)
    assert refused(cli, "upgrade", "1", *ALL_CRITERIA) == (
        "Error: L0001 is already an opportunity.\n"
    )
    assert refused(cli, "upgrade", "L9", *ALL_CRITERIA) == (
        "Error: No lead L0009: check the number with `leadctl list`.\n"
    )


def test_a_dormant_lead_is_not_upgraded(cli):
    active_lead(cli, grade="D")
    for attempt in range(3):
        cli.ok("follow", "1", "--note", f"未接 {attempt + 1}", "--no-response")
    assert cli.json("show", "1")["status"] == "dormant"
    assert refused(cli, "upgrade", "1", *ALL_CRITERIA) == (
        "Error: L0001 is dormant; only active leads can be upgraded.\n"
    )


def test_only_the_owner_upgrades_unless_forced(cli):
    active_lead(cli)
    err = refused(cli, "upgrade", "1", *ALL_CRITERIA, user="李雷")
    assert err == OWNER_ONLY.format("upgrade")
    lead = cli.json("upgrade", "1", *ALL_CRITERIA, "--force", user="李雷")
    assert (lead["status"], lead["owner"]) == ("opportunity", "王芳")
    last = lead["history"][-1]
    assert (last["event"], last["by"], last["forced"], last["owner"]) == (
        "upgraded", "李雷", True, "王芳"
    )  # fmt: skip
    assert lead["opportunity"]["upgraded_by"] == "李雷"


# ---------------------------------------------------------------- close won


@pytest.mark.parametrize(
    ("amount", "text", "fen"),
    [
        ("30万", "300000.00", 30_000_000),
        ("30w", "300000.00", 30_000_000),
        ("30W", "300000.00", 30_000_000),
        ("1.5万", "15000.00", 1_500_000),
        ("300000", "300000.00", 30_000_000),
        ("300,000", "300000.00", 30_000_000),
        ("¥12345.67", "12345.67", 1_234_567),
        ("0.1", "0.10", 10),
        ("999999999999999.99", "999999999999999.99", 99_999_999_999_999_999),
    ],
)
def test_close_won_keeps_the_amount_exact(cli, amount, text, fen):
    active_lead(cli)
    lead = cli.json(
        "close", "1", "won", "--amount", amount, "--contract", "HT-2024-017",
        "--product", "CRM 标准版", "--factors", "本地服务",
    )  # fmt: skip
    assert lead["status"] == "won"
    assert lead["outcome"] == {
        "result": "won",
        "closed_on": "2024-10-07",
        "amount": text,
        "contract": "HT-2024-017",
        "product": "CRM 标准版",
        "factors": "本地服务",
        "by": "王芳",
    }
    last = lead["history"][-1]
    assert (last["event"], last["amount"], last["contract"], last["closed_on"]) == (
        "won", text, "HT-2024-017", "2024-10-07"
    )  # fmt: skip
    assert cli.scalar("SELECT amount_fen FROM outcome WHERE lead_id = 1") == fen


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("0", "Error: Amount '0' must be more than 0.\n"),
        ("0万", "Error: Amount '0万' must be more than 0.\n"),
        ("1.234", "Error: Amount '1.234' has fractions of a fen: use at most 2 decimals.\n"),
        ("三十万", "Error: Cannot read amount '三十万': use a number of yuan like 300000, "
                   "30万, 30w or 1.5万.\n"),
        ("1000000000000000", "Error: Amount '1000000000000000' is too large.\n"),
    ],
)  # fmt: skip
def test_close_won_refuses_a_bad_amount(cli, amount, error):
    active_lead(cli)
    err = refused(
        cli, "close", "1", "won", "--amount", amount, "--contract", "HT-1", "--product", "CRM"
    )
    assert err == error
    assert cli.json("show", "1")["status"] == "active"


def test_close_won_needs_amount_contract_and_product(cli):
    active_lead(cli)
    assert refused(cli, "close", "1", "won") == (
        "Error: A won deal needs --amount, --contract, --product.\n"
    )
    assert refused(cli, "close", "1", "won", "--amount", "30万", "--contract", " ") == (
        "Error: A won deal needs --contract, --product.\n"
    )
    assert refused(cli, "close", "1", "won", *WON[1:], "--reason", "价格") == (
        "Error: --reason and --note describe a lost deal; a won deal takes --factors.\n"
    )
    assert refused(cli, "close", "1", "maybe") == (
        "Error: Close as won or lost (成交 / 未转化), not 'maybe'.\n"
    )


def test_close_date_defaults_to_today_and_is_never_in_the_future(cli):
    active_lead(cli)
    active_lead(cli, "苏州工业园区某某公司", "13800138001")
    assert refused(cli, "close", "1", *WON, "--date", "tomorrow") == (
        "Error: The close date 2024-10-08 is in the future.\n"
    )
    assert refused(cli, "close", "1", *WON, "--date", "2024-10-08") == (
        "Error: The close date 2024-10-08 is in the future.\n"
    )
    assert cli.json("close", "1", *WON, "--date", "10月3日")["outcome"]["closed_on"] == "2024-10-03"
    assert cli.json("close", "2", *WON)["outcome"]["closed_on"] == "2024-10-07"
    assert [str(d) for (d,) in cli.rows("SELECT closed_on FROM outcome ORDER BY lead_id")] == [
        "2024-10-03",
        "2024-10-07",
    ]


def test_close_accepts_the_chinese_result_names(cli):
    active_lead(cli)
    active_lead(cli, "苏州工业园区某某公司", "13800138001")
    assert cli.json("close", "1", "成交", *WON[1:])["status"] == "won"
    lost = cli.json("close", "2", "未转化", "--reason", "价格", "--note", "对方选了低价方案")
    assert lost["status"] == "lost"


# ---------------------------------------------------------------- close lost

REASONS = [
    ("budget", "预算不足"),
    ("price", "价格"),
    ("competitor", "选择竞品"),
    ("need-changed", "需求变更"),
    ("timing", "时机"),
    ("no-response", "无回应"),
    ("out-of-scope", "超出业务范围"),
    ("other", "其他"),
]


@pytest.mark.parametrize(("english", "chinese"), REASONS)
def test_close_lost_reads_reasons_by_english_and_chinese_name(cli, english, chinese):
    active_lead(cli)
    active_lead(cli, "苏州工业园区某某公司", "13800138001")
    by_english = cli.json("close", "1", "lost", "--reason", english.upper(), "--note", "原因见备注")
    by_chinese = cli.json(
        "close", "2", "lost", "--reason", chinese, "--note", "选了别家", "--competitor", "销售易"
    )
    assert by_english["outcome"] == {
        "result": "lost",
        "closed_on": "2024-10-07",
        "reason": english,
        "note": "原因见备注",
        "competitor": None,
        "by": "王芳",
    }
    assert by_chinese["outcome"]["reason"] == english
    assert by_chinese["outcome"]["competitor"] == "销售易"
    last = by_chinese["history"][-1]
    assert (last["event"], last["reason"], last["competitor"]) == ("lost", english, "销售易")
    assert cli.rows("SELECT reason, note FROM outcome ORDER BY lead_id") == [
        (english, "原因见备注"),
        (english, "选了别家"),
    ]


def test_close_lost_needs_a_known_reason_and_a_note(cli):
    active_lead(cli)
    assert refused(cli, "close", "1", "lost", "--note", "x") == (
        "Error: A lost deal needs --reason: one of budget, price, competitor, need-changed, "
        "timing, no-response, out-of-scope, other (or 预算不足, 价格 …).\n"
    )
    assert refused(cli, "close", "1", "lost", "--reason", "价格") == (
        'Error: A lost deal needs --note "…": what happened, for the weekly review.\n'
    )
    assert refused(cli, "close", "1", "lost", "--reason", "价格", "--note", "   ") == (
        'Error: A lost deal needs --note "…": what happened, for the weekly review.\n'
    )
    assert refused(cli, "close", "1", "lost", "--reason", "太贵", "--note", "x") == (
        "Error: Unknown lost reason '太贵': use one of budget, price, competitor, need-changed, "
        "timing, no-response, out-of-scope, other, 预算不足, 价格, 选择竞品, 需求变更, 时机, "
        "无回应, 超出业务范围, 其他.\n"
    )
    assert refused(cli, "close", "1", "lost", "--reason", "价格", "--note", "x",
                   "--amount", "30万") == (
        "Error: --amount, --contract and --product describe a won deal.\n"
    )  # fmt: skip


def test_only_the_owner_closes_unless_forced(cli):
    active_lead(cli)
    err = refused(cli, "close", "1", "lost", "--reason", "价格", "--note", "x", user="李雷")
    assert err == OWNER_ONLY.format("close")
    lead = cli.json("close", "1", "lost", "--reason", "价格", "--note", "x", "--force", user="李雷")
    assert (lead["status"], lead["owner"], lead["outcome"]["by"]) == ("lost", "王芳", "李雷")
    last = lead["history"][-1]
    assert (last["event"], last["by"], last["forced"], last["owner"]) == (
        "lost", "李雷", True, "王芳"
    )  # fmt: skip


# ---------------------------------------------------------------- after the close


@pytest.mark.parametrize(
    "close", [WON, ("lost", "--reason", "budget", "--note", "今年没有预算")], ids=["won", "lost"]
)
def test_a_closed_lead_is_never_closed_again_upgraded_or_followed(cli, close):
    active_lead(cli)
    status = cli.json("close", "1", *close)["status"]
    assert refused(cli, "close", "1", *WON) == (
        f"Error: L0001 is already {status}; a closed lead is never closed again.\n"
    )
    assert refused(cli, "close", "1", "lost", "--reason", "price", "--note", "x") == (
        f"Error: L0001 is already {status}; a closed lead is never closed again.\n"
    )
    assert refused(cli, "upgrade", "1", *ALL_CRITERIA) == (
        f"Error: L0001 is {status}; only active leads can be upgraded.\n"
    )
    followed = refused(cli, "follow", "1", "--note", "回访")
    add = "capture a new lead: leadctl add '杭州云栖科技有限公司' --phone … --source … --need …"
    if status == "won":
        assert followed == (
            "Error: L0001 is won; a won lead takes no more follow-ups. "
            f"For another deal with this customer, {add}\n"
        )
    else:
        assert followed == (
            "Error: L0001 is lost; it takes follow-ups again only once `leadctl wake` wakes it. "
            f"If the customer came back, {add}\n"
        )
    assert cli.scalar("SELECT count(*) FROM outcome") == 1


def test_closing_clears_the_due_items(cli):
    active_lead(cli)
    cli.ok("follow", "1", "--note", "约下周演示", "--next", "演示", "--next-date", "明天")
    assert cli.json("show", "1")["due_on"] == "2024-10-08"
    lead = cli.json("close", "1", *WON)
    assert (lead["due_on"], lead["overdue"], lead["due_items"], lead["reasons"]) == (
        None, False, [], []
    )  # fmt: skip
    assert cli.rows("SELECT due_on, deadline_on FROM lead WHERE id = 1") == [(None, None)]
    assert cli.json("today", now="2024-10-09T09:00")["items"] == []


@pytest.mark.parametrize("status", ["new", "active", "opportunity", "dormant"])
def test_close_takes_new_active_opportunity_and_dormant_leads(cli, status):
    cli.add("杭州云栖科技有限公司", "13800138000")
    if status != "new":
        cli.ok("grade", "1", "D" if status == "dormant" else "A", "--reason", "r")
    if status == "opportunity":
        cli.ok("upgrade", "1", *ALL_CRITERIA)
    if status == "dormant":
        for attempt in range(3):
            cli.ok("follow", "1", "--note", f"未接 {attempt + 1}", "--no-response")
    assert cli.json("show", "1")["status"] == status
    lead = cli.json("close", "1", "lost", "--reason", "无回应", "--note", "三次未接")
    assert (lead["status"], lead["due_on"]) == ("lost", None)
    assert cli.json("list", "--status", "lost") == [
        {
            "number": "L0001",
            "customer": "杭州云栖科技有限公司",
            "status": "lost",
            "grade": None if status == "new" else lead["grade"],
            "owner": "王芳",
            "source": "官网注册",
            "due_on": None,
        }
    ]


def test_human_output_of_upgrade_and_close(cli):
    active_lead(cli)
    result = cli.ok("upgrade", "1", *ALL_CRITERIA)
    assert result.out.startswith(
        "Upgraded L0001 杭州云栖科技有限公司  [opportunity, grade A, owner 王芳]"
    )
    result = cli.ok("close", "1", *WON)
    assert result.out.startswith("Closed L0001 杭州云栖科技有限公司  [won, grade A, owner 王芳]")
    assert "No more follow-ups due (won)." in result.out
    assert result.err == ""
