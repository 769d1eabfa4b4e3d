"""What a person reads (issue 16.1, 16.2): at 80 columns (a pipe, cron mail, an SSH window) and
at 200, `show`, `today` and `review` cut nothing a person must read — notes, next actions,
grading reasons wrap in their column —, no line is wider than the terminal, history is written
in words, table titles stay on one line, and phones read in national form everywhere but JSON.
"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.conftest import REP

CUSTOMER = "杭州云栖科技有限公司"
REASON = "需求明确，需质量管理模块，预算30万已批，一个月内决策，已见采购总监并获其认可"
B_REASON = "需求清晰但需多部门审批，预算待确认"
NOTE = "确认预算30万，客户希望下周看演示，重点关注质量追溯与报表功能，需准备两个行业案例"
NEXT = "准备演示环境并发送会议邀请给采购总监和IT负责人，附上报价方案与实施计划"
LANDLINE = "0571-88886677转8001"
WIDTHS = [80, 200]


def squeezed(value: str) -> str:
    """Text with every space and line break taken out: wrapped cells compare by their words."""
    return re.sub(r"\s", "", value)


def lines_of(out: str, width: int) -> list[str]:
    lines = out.splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, out  # nothing spills over the terminal's edge
    assert "…" not in out, out  # and nothing is cut short
    return lines


def table_after(lines: list[str], title: str) -> list[list[str]]:
    """The body rows of the table under the line `title`: each cell's wrapped lines joined,
    spaces removed. A row starts where its first cell has text."""
    start = lines.index(title) + 1
    rows: list[list[str]] = []
    for line in lines[start:]:
        if not any(ch in line for ch in "│┃━"):
            break  # the table ended
        if "│" not in line:
            continue  # the header and the rule under it
        cells = [squeezed(cell) for cell in line.split("│")]
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return rows


def card_facts(lines: list[str], customer: str) -> dict[str, str]:
    """The panel of `show`: each label with its value, wrapped lines joined, spaces removed."""
    top = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("╰"))
    inside = [line[2:-2] for line in lines[top + 1 : bottom]]
    value_at = inside[0].index(customer)  # labels are ASCII: one cell a character
    facts: dict[str, str] = {}
    label = ""
    for line in inside:
        label = line[:value_at].strip() or label
        facts[label] = facts.get(label, "") + squeezed(line[value_at:])
    return facts


@pytest.fixture
def record(cli):
    """A lead with a long grading reason, an edit, a long note with a long next action, and
    an unanswered call."""
    cli.add(CUSTOMER, "13800138000", "--phone", LANDLINE, "--contact", "刘经理")
    cli.ok("grade", "L1", "A", "--reason", REASON)
    cli.ok("edit", "L1", "--contact", "刘建华经理")
    cli.ok(
        "follow", "L1", "--note", NOTE, "--next", NEXT, "--next-date", "明天", "--mood", "积极关注"
    )  # fmt: skip
    cli.ok("follow", "L1", "--note", "未接", "--no-response")
    return cli


# ---------------------------------------------------------------- show


@pytest.mark.parametrize("width", WIDTHS)
def test_show_wraps_what_a_person_reads_and_writes_history_in_words(record, width):
    out = record.ok("show", "L1", COLUMNS=str(width)).out
    lines = lines_of(out, width)

    facts = card_facts(lines, CUSTOMER)
    assert facts["Grade"] == squeezed(f"A {REASON} (unconfirmed)")
    assert facts["Phones"] == squeezed("138 0013 8000, 0571-8888 6677 ext. 8001")
    assert "138 0013 8000, 0571-8888 6677 ext. 8001" in out  # a phone is never broken

    follow_ups = table_after(lines, "Follow-ups")
    assert [row[:3] for row in follow_ups] == [
        ["2024-10-0709:00", REP, "phonecontactpositive"],
        ["2024-10-0709:00", REP, "phonecontact✗noanswer"],
    ]
    assert follow_ups[0][3] == squeezed(f"{NOTE} next 2024-10-08: {NEXT}")
    assert follow_ups[1][3] == "未接"

    history = table_after(lines, "History")
    assert [row[2] for row in history] == [
        squeezed(words)
        for words in (
            f"added for {REP}, source 官网注册",
            f"graded A: {REASON}",
            "edited contact: 刘经理 → 刘建华经理",
            "followed by phone, answered",
            "followed by phone, no answer",
        )
    ]
    for python in ("changes=", "{'", "responded=", "True", "False", "None"):
        assert python not in out

    whole_on_a_line = [any(text in line for line in lines) for text in (NOTE, REASON, NEXT)]
    # 200 columns leave room for each on one line; 80 do not, and they wrap instead
    assert whole_on_a_line == [width == 200] * 3, out


def test_show_json_keeps_e164_and_the_history_details(record):
    doc = record.json("show", "L1")
    assert doc["phones"] == ["+8613800138000", "+8657188886677;ext=8001"]
    edited = next(h for h in doc["history"] if h["event"] == "edited")
    assert edited["changes"] == [{"field": "contact", "old": "刘经理", "new": "刘建华经理"}]


def test_show_words_for_a_whole_lifecycle(cli):
    """Every event a lead goes through reads as words: assign, upgrade, close, undo."""
    cli.add(CUSTOMER, "13800138000")
    cli.ok("grade", "L1", "B", "--reason", "两到三个月内决策")
    cli.ok("grade", "L1", "--confirm", user="主管")
    cli.ok("edit", "L1", "--add-phone", LANDLINE)
    cli.ok("assign", "L1", "李强")
    cli.ok("grade", "L1", "A", "--reason", "预算已批", user="李强")
    cli.ok(
        "upgrade", "L1", "--need-match", "--budget", "20-50万", "--budget-ok",
        "--decision-maker", "陈明", "--dm-phone", "021-62345678", "--no-objection", user="李强",
    )  # fmt: skip
    cli.ok("close", "L1", "won", "--amount", "30万", "--contract", "HT-17", "--product", "CRM",
           user="李强")  # fmt: skip
    cli.ok("undo", "L1", user="李强")
    out = cli.ok("show", "L1", COLUMNS="80").out
    lines = lines_of(out, 80)
    assert [row[2] for row in table_after(lines, "History")] == [
        squeezed(words)
        for words in (
            f"added for {REP}, source 官网注册",
            "graded B: 两到三个月内决策",
            f"grade B confirmed (given by {REP})",
            "edited phones: 138 0013 8000 → 138 0013 8000, 0571-8888 6677 ext. 8001",
            f"assigned {REP} → 李强",
            "graded A (was B): 预算已批",
            "upgraded to an opportunity: budget 20-50万, decision maker 陈明",
            "won on 2024-10-07, ¥300,000.00, contract HT-17",
            "undid the close (won) of 2024-10-07 09:00 by 李强",
        )
    ]
    assert card_facts(lines, CUSTOMER)["Decision maker"] == squeezed("陈明 / 021-6234 5678")


# ---------------------------------------------------------------- today


@pytest.mark.parametrize("width", WIDTHS)
def test_today_wraps_next_actions_and_shows_national_phones(cli, width):
    cli.add(CUSTOMER, LANDLINE)
    cli.ok("grade", "L1", "B", "--reason", "r")
    cli.ok("follow", "L1", "--note", "n", "--next", NEXT, "--next-date", "明天")
    cli.add("宁波海曙贸易有限公司", "13900139000")
    out = cli.ok("today", now="2024-10-10T09:00", COLUMNS=str(width)).out
    lines = lines_of(out, width)
    assert lines[0] == f"2024-10-10 Thu — {REP}: 2 overdue · 2 due · 1 to grade"
    rows = table_after(lines, lines[0])
    assert [row[:3] + row[4:] for row in rows] == [
        ["L0002", "宁波海曙贸易有限公司", "–", "never", "13900139000"],
        ["L0001", CUSTOMER, "B", "3daysago", "0571-88886677ext.8001"],
    ]
    assert rows[1][3] == squeezed(f"next action: {NEXT}, 2 days overdue B: touch every 2–3 days")
    assert ("0571-8888 6677" in out, "139 0013 9000" in out) == (True, True)
    assert any(NEXT in line for line in lines) == (width == 200), out


# ---------------------------------------------------------------- review


@pytest.mark.parametrize("width", WIDTHS)
def test_review_wraps_grading_reasons_and_keeps_titles_on_one_line(cli, width):
    cli.add(CUSTOMER, "13800138000", "--source", "行业展会")
    cli.ok("grade", "L1", "A", "--reason", REASON)
    name = "深圳立方数据科技股份有限公司（南山分公司）"
    cli.add(name, "13900139000", "--owner", "李强")
    cli.ok("grade", "L2", "B", "--reason", B_REASON)
    cli.ok("close", "L2", "lost", "--reason", "价格", "--note", "选择了更便宜的方案", user="李强")
    cli.ok("follow", "L1", "--note", "电话确认需求")
    out = cli.ok("review", user="主管", COLUMNS=str(width)).out
    lines = lines_of(out, width)

    title = "Grades to confirm (2) — leadctl grade LEAD --confirm"
    assert sorted(table_after(lines, title)) == [
        ["L0001", CUSTOMER, REP, "A", squeezed(REASON), f"2024-10-07{REP}"],
        ["L0002", squeezed(name), "李强", "B", squeezed(B_REASON), f"2024-10-07{REP}"],
    ]
    # each title on a line of its own; this week is not over, so the leads counted by source
    # are those acquired up to today, not up to Sunday
    for heading in ("Reps", "Conversion by source (leads acquired up to 2024-10-07)",
                    "Loss reasons"):  # fmt: skip
        assert heading in lines, out
    assert table_after(lines, "Reps") == [[REP, "1", "1", "0", "0", "0"]]
    assert table_after(lines, "Conversion by source (leads acquired up to 2024-10-07)") == [
        ["官网注册", "1", "0", "0", "1", "0%"],
        ["行业展会", "1", "0", "0", "0", "0%"],
    ]
    assert any(REASON in line for line in lines) == (width == 200), out


def test_review_of_a_past_week_counts_sources_up_to_its_sunday(cli):
    cli.add(CUSTOMER, "13800138000", "--acquired", "2024-10-02")
    out = cli.ok("review", "--last-week", COLUMNS="80").out
    lines = lines_of(out, 80)
    assert "Conversion by source (leads acquired up to 2024-10-06)" in lines
    assert cli.json("review", "--last-week")["to"] == "2024-10-06"
