"""`leadctl today` end to end (SPEC §2 Cadence, §4 `today`), both backends, fixed clock.

Monday 2024-10-07 09:00 Asia/Shanghai is "now" unless a test moves the clock; the user is 王芳.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

BOSS = "李强"
MON, TUE, WED, THU, FRI = (f"2024-10-{d:02d}" for d in range(7, 12))
NEXT_MON = "2024-10-14"


def at(day: str, hhmm: str = "09:00") -> str:
    return f"{day}T{hhmm}"


def add_lead(cli: Any, customer: str, *extra: str, **kwargs: Any) -> str:
    """Add a lead with the next phone of 138 0013 0000, 138 0013 0001, …"""
    n = cli.phones_used = getattr(cli, "phones_used", -1) + 1
    phone = f"1380013{n:04d}"
    return str(cli.add(customer, phone, *extra, **kwargs)["number"])


def grade(cli: Any, number: str, letter: str, day: str = MON, **kwargs: Any) -> dict[str, Any]:
    return dict(cli.json("grade", number, letter, "--reason", "依据", now=at(day), **kwargs))


def follow(cli: Any, number: str, day: str, *extra: str, **kwargs: Any) -> dict[str, Any]:
    return dict(cli.json("follow", number, "--note", "跟进", *extra, now=at(day), **kwargs))


def queue(cli: Any, day: str, *options: str, **kwargs: Any) -> dict[str, Any]:
    return dict(cli.json("today", *options, now=at(day), **kwargs))


def numbers(doc: dict[str, Any]) -> list[str]:
    return [i["number"] for i in doc["items"]]


def entry(doc: dict[str, Any], number: str) -> dict[str, Any] | None:
    return next((i for i in doc["items"] if i["number"] == number), None)


def stored(cli: Any, number: str) -> tuple[str | None, str | None]:
    """The lead's due_on and deadline_on columns, as ISO days."""
    lead_id = int(number.lstrip("L"))
    row = cli.rows("SELECT due_on, deadline_on FROM lead WHERE id = :id", id=lead_id)[0]
    return tuple(None if v is None else str(v) for v in row)  # type: ignore[return-value]


# ---------------------------------------------------------------- the cadence through the CLI


def test_b_lead_graded_monday(cli):
    """SPEC §2: due Wednesday, not overdue Thursday, overdue Friday."""
    number = add_lead(cli, "杭州云栖科技有限公司")
    assert stored(cli, number) == (MON, MON)
    grade(cli, number, "B")
    assert stored(cli, number) == (WED, THU)
    assert number not in numbers(queue(cli, TUE))
    wed = entry(queue(cli, WED), number)
    assert wed is not None
    assert (wed["due_on"], wed["overdue"], wed["reasons"]) == (WED, False, ["cadence"])
    thu = entry(queue(cli, THU), number)
    assert thu is not None and thu["overdue"] is False
    fri = entry(queue(cli, FRI), number)
    assert fri is not None and fri["overdue"] is True
    assert fri["reasons"] == ["cadence"]


def test_a_lead_daily_touch(cli):
    number = add_lead(cli, "北京星辰数据有限公司")
    doc = grade(cli, number, "A")
    assert (doc["due_on"], doc["overdue"]) == (TUE, False)
    assert stored(cli, number) == (TUE, TUE)
    assert queue(cli, MON)["items"] == []
    tue = entry(queue(cli, TUE), number)
    assert tue is not None and (tue["reasons"], tue["overdue"]) == (["cadence"], False)
    wed = entry(queue(cli, WED), number)
    assert wed is not None and wed["overdue"] is True
    follow(cli, number, WED)
    assert stored(cli, number) == (THU, THU)
    assert queue(cli, WED)["items"] == []
    assert numbers(queue(cli, THU)) == [number]


def test_a_lead_needs_a_proposal_within_three_days(cli):
    number = add_lead(cli, "北京星辰数据有限公司")
    grade(cli, number, "A")
    follow(cli, number, TUE, "--kind", "contact")
    follow(cli, number, WED, "--kind", "demo")
    assert stored(cli, number) == (THU, THU)
    thu = entry(queue(cli, THU), number)
    assert thu is not None and thu["reasons"] == ["cadence", "proposal"]
    assert thu["overdue"] is False
    # no proposal by Thursday: Friday it is overdue (its daily touch was made Thursday)
    follow(cli, number, THU, "--kind", "greeting")
    fri = entry(queue(cli, FRI), number)
    assert fri is not None
    assert (fri["reasons"], fri["overdue"]) == (["proposal", "cadence"], True)  # earliest first
    assert stored(cli, number) == (THU, THU)
    # the proposal, sent Friday, clears it
    doc = follow(cli, number, FRI, "--kind", "方案")
    assert doc["reasons"] == []
    assert [i["item"] for i in doc["due_items"]] == ["cadence"]
    assert stored(cli, number) == ("2024-10-12", "2024-10-12")
    sat = entry(queue(cli, "2024-10-12"), number)
    assert sat is not None and (sat["reasons"], sat["overdue"]) == (["cadence"], False)


def test_a_proposal_made_before_the_lead_became_a_does_not_count(cli):
    number = add_lead(cli, "北京星辰数据有限公司")
    grade(cli, number, "C")
    follow(cli, number, MON, "--kind", "proposal")
    doc = grade(cli, number, "A", TUE)
    assert {i["item"]: i["due_on"] for i in doc["due_items"]} == {
        "cadence": WED,
        "proposal": FRI,
    }
    # regrading A as A does not restart the three days
    doc = grade(cli, number, "A", WED)
    assert {i["item"]: i["due_on"] for i in doc["due_items"]}["proposal"] == FRI


def test_a_proposal_sent_in_the_minute_of_the_grading_counts(cli):
    number = add_lead(cli, "北京星辰数据有限公司")
    cli.ok("grade", number, "A", "--reason", "预算明确", now="2024-10-07T09:00:40")
    doc = cli.json(
        "follow", number, "--note", "当场发了方案", "--kind", "方案", now="2024-10-07T09:00:50"
    )
    assert doc["follow_ups"][0]["at"] == "2024-10-07T09:00:00+08:00"
    assert [i["item"] for i in doc["due_items"]] == ["cadence"]
    thu = entry(queue(cli, THU), number)
    assert thu is not None and thu["reasons"] == ["cadence"]


def test_b_lead_weekly_case(cli):
    number = add_lead(cli, "深圳海湾电子有限公司")
    grade(cli, number, "B")
    for day in (WED, FRI, "2024-10-13"):
        follow(cli, number, day)
    assert stored(cli, number) == ("2024-10-14", "2024-10-14")
    mon = entry(queue(cli, NEXT_MON), number)
    assert mon is not None and (mon["reasons"], mon["overdue"]) == (["case"], False)
    tue = entry(queue(cli, "2024-10-15"), number)
    assert tue is not None and tue["overdue"] is True  # no case a week after becoming B
    doc = follow(cli, number, "2024-10-15", "--kind", "案例")
    assert {i["item"]: i["due_on"] for i in doc["due_items"]} == {
        "cadence": "2024-10-17",
        "case": "2024-10-22",
    }
    assert stored(cli, number) == ("2024-10-17", "2024-10-18")


def test_a_next_action_brings_a_lead_forward(cli):
    number = add_lead(cli, "成都天府软件有限公司")
    grade(cli, number, "C")
    assert stored(cli, number) == (NEXT_MON, NEXT_MON)
    follow(cli, number, MON, "--next", "提供成功案例", "--next-date", "后天")
    assert stored(cli, number) == (WED, WED)
    assert queue(cli, TUE)["items"] == []
    wed = entry(queue(cli, WED), number)
    assert wed is not None
    assert (wed["reasons"], wed["next_action"], wed["overdue"]) == (
        ["next_action"],
        "提供成功案例",
        False,
    )
    thu = entry(queue(cli, THU), number)
    assert thu is not None and thu["overdue"] is True
    # the next follow-up without a next action: back to the weekly touch from that day
    follow(cli, number, THU)
    assert stored(cli, number) == ("2024-10-17", "2024-10-17")


def test_ungraded_lead_is_due_on_its_acquired_day(cli):
    number = add_lead(cli, "个人客户张三", "--type", "个人", "--acquired", "2024-10-03")
    assert stored(cli, number) == ("2024-10-03", "2024-10-03")
    item = entry(queue(cli, MON), number)
    assert item is not None
    assert (item["grade"], item["status"], item["reasons"], item["overdue"]) == (
        None,
        "new",
        ["grade"],
        True,
    )


def test_days_are_the_users_calendar_days(cli):
    # 23:30 Monday in Shanghai: an A lead graded then is due Tuesday
    late = add_lead(cli, "夜间客户一")
    cli.ok("grade", late, "A", "--reason", "晚上再评", now="2024-10-07T23:30")
    assert stored(cli, late)[0] == TUE
    # 00:30 Tuesday in Shanghai is still Monday in UTC: it counts as Tuesday
    early = add_lead(cli, "凌晨客户二")
    cli.ok("grade", early, "D", "--reason", "暂无需求")
    cli.ok("grade", early, "A", "--reason", "凌晨来电", now="2024-10-08T00:30")
    assert stored(cli, early)[0] == WED


def test_cadence_intervals_from_the_config_file(cli):
    (cli.home / "leadctl.toml").write_text(
        "[cadence]\nb_days = 4\nb_deadline_days = 6\nproposal_days = 1\n", encoding="utf-8"
    )
    b_lead = add_lead(cli, "配置客户B")
    doc = grade(cli, b_lead, "B")
    assert stored(cli, b_lead) == (FRI, "2024-10-13")
    assert {i["item"]: (i["due_on"], i["deadline_on"]) for i in doc["due_items"]}["cadence"] == (
        FRI,
        "2024-10-13",
    )
    a_lead = add_lead(cli, "配置客户A")
    grade(cli, a_lead, "A")
    tue = entry(queue(cli, TUE), a_lead)
    assert tue is not None and tue["reasons"] == ["cadence", "proposal"]


# ---------------------------------------------------------------- order, owners, JSON


def test_order_overdue_then_ungraded_then_grade_then_due_day(cli):
    today = NEXT_MON

    def lead(name: str, letter: str | None, graded_on: str | None, **kw: Any) -> str:
        number = add_lead(cli, name, now=at(graded_on or today), **kw)
        if letter:
            grade(cli, number, letter, graded_on or today)
        return number

    late_d = lead("逾期D", "D", "2024-09-06")  # due 10-06: overdue
    late_a = lead("逾期A", "A", "2024-10-10")  # due 10-11: overdue
    late_new = add_lead(cli, "逾期未分级", "--acquired", "2024-10-10", now=at(today))
    new = add_lead(cli, "今日新线索", now=at(today))
    a = lead("今日A", "A", "2024-10-13")
    b_later = lead("今日B", "B", "2024-10-12")  # due 10-14, deadline 10-15
    b_earlier = lead("昨日B", "B", "2024-10-11")  # due 10-13, deadline 10-14: not yet overdue
    c = lead("今日C", "C", MON)
    d = lead("今日D", "D", "2024-09-14")
    not_yet = lead("下周C", "C", "2024-10-10")  # due 10-17
    others = add_lead(cli, "别人的线索", "--owner", BOSS, now=at(today))
    expected = [late_new, late_a, late_d, new, a, b_earlier, b_later, c, d]

    doc = queue(cli, today)
    assert numbers(doc) == expected
    assert [i["overdue"] for i in doc["items"]] == [True] * 3 + [False] * 6
    assert not_yet not in numbers(doc) and others not in numbers(doc)
    everyone = queue(cli, today, "--all")
    assert numbers(everyone) == [late_new, late_a, late_d, new, others, a, b_earlier, b_later, c, d]


def test_today_json_as_the_spec_gives_it(cli):
    number = add_lead(cli, "杭州云栖科技有限公司")
    grade(cli, number, "A")
    follow(cli, number, MON, "--next", "发送方案", "--next-date", "明天", "--mood", "积极关注")
    doc = queue(cli, TUE)
    assert set(doc) == {"date", "owner", "items"}
    assert (doc["date"], doc["owner"]) == (TUE, "王芳")
    (item,) = doc["items"]
    spec = {
        "number": "L0001",
        "customer": "杭州云栖科技有限公司",
        "grade": "A",
        "status": "active",
        "due_on": TUE,
        "overdue": False,
        "reasons": ["cadence", "next_action"],
        "next_action": "发送方案",
        "phone": "+8613800130000",
    }
    assert {k: item[k] for k in spec} == spec


def test_empty_queue_json(cli):
    assert cli.json("today") == {"date": MON, "owner": "王芳", "items": []}
    assert cli.json("today", "--all") == {"date": MON, "owner": None, "items": []}


def test_owner_and_all(cli):
    mine = add_lead(cli, "我的客户")
    boss = add_lead(cli, "李强的客户", "--owner", BOSS)
    theirs = add_lead(cli, "张伟的客户", "--owner", "张伟")
    assert numbers(cli.json("today")) == [mine]
    doc = cli.json("today", "--owner", BOSS)
    assert (doc["owner"], numbers(doc)) == (BOSS, [boss])
    doc = cli.json("today", user=BOSS)
    assert (doc["owner"], numbers(doc)) == (BOSS, [boss])
    doc = cli.json("today", "--all")
    assert doc["owner"] is None
    assert sorted(numbers(doc)) == sorted([mine, boss, theirs])
    assert cli.json("today", "--owner", "没有这个人")["items"] == []


def test_owner_and_all_together_are_refused(cli):
    result = cli("today", "--owner", BOSS, "--all")
    assert result.code == 2
    assert result.err == "Error: Use --owner or --all, not both.\n"
    assert result.out == ""


def test_assign_moves_the_lead_to_the_new_owners_queue(cli):
    number = add_lead(cli, "转交客户")
    grade(cli, number, "B")
    cli.ok("assign", number, BOSS)
    assert stored(cli, number) == (WED, THU)
    assert queue(cli, WED)["items"] == []
    assert numbers(queue(cli, WED, user=BOSS)) == [number]


def test_closed_and_dormant_leads_leave_the_queue(cli):
    number = add_lead(cli, "沉睡客户")
    grade(cli, number, "D")
    for n in range(3):
        cli.ok("follow", number, "--note", f"未接{n}", "--no-response", "--at", f"08:1{n}")
    assert stored(cli, number) == (None, None)
    assert queue(cli, "2025-03-01", "--all")["items"] == []


def test_a_woken_lead_is_in_its_owners_queue(cli):
    """`wake` (issue 5) sets woken_on and the stored days; today lists it with its wake item."""
    from datetime import date

    from sqlalchemy import text

    number = add_lead(cli, "沉睡客户")
    grade(cli, number, "D")
    for n in range(3):
        cli.ok("follow", number, "--note", f"未接{n}", "--no-response", "--at", f"08:1{n}")
    woken = date(2025, 1, 6)
    with cli.engine().begin() as conn:
        conn.execute(
            text("UPDATE lead SET woken_on = :d, due_on = :d, deadline_on = :d WHERE id = 1"),
            {"d": woken},
        )
    doc = queue(cli, "2025-01-06")
    item = entry(doc, number)
    assert item is not None
    assert (item["status"], item["grade"], item["reasons"], item["overdue"]) == (
        "dormant",
        "D",
        ["wake"],
        False,
    )
    late = cli.ok("today", now=at("2025-01-08"))
    rows = _table_rows(late.out.splitlines()[1:])
    assert [r[:4] for r in rows] == [[number, "沉睡客户", "D", "woken:tryagain,2daysoverdue"]]
    assert rows[0][4] == "93daysago"  # last tried 2024-10-07


# ---------------------------------------------------------------- the query plan


@pytest.mark.parametrize("backend", ["sqlite"])
def test_today_query_uses_the_owner_due_index_on_sqlite(cli):
    from datetime import date

    from sqlalchemy.dialects import sqlite

    from leadctl.store.queries import today_statement

    for n in range(5):
        add_lead(cli, f"客户{n}", "--owner", BOSS if n % 2 else "王芳")
    statement = today_statement(date(2024, 10, 7), "王芳")
    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    plan = [row[-1] for row in cli.rows(f"EXPLAIN QUERY PLAN {sql}")]
    lead_steps = [step for step in plan if re.search(r"\blead\b", step)]
    assert lead_steps == ["SEARCH lead USING INDEX ix_lead_owner_due (owner=? AND due_on<?)"], plan
    assert not any(step.startswith("SCAN") for step in plan), plan
    assert not any("follow_up" in step for step in plan), plan
    # --all: a range scan of the due index
    everyone = today_statement(date(2024, 10, 7), None)
    sql = str(everyone.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    plan = [row[-1] for row in cli.rows(f"EXPLAIN QUERY PLAN {sql}")]
    assert "SEARCH lead USING INDEX ix_lead_due (due_on<?)" in plan, plan


# ---------------------------------------------------------------- the Rich queue


def _separators(line: str) -> list[int]:
    """Display columns of the table's vertical separators on one line."""
    from rich.cells import cell_len

    return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in "│┃╇"]


def _table_rows(lines: list[str]) -> list[list[str]]:
    """The table's body rows, each cell's wrapped lines joined, all whitespace removed."""
    rows: list[list[str]] = []
    for line in lines:
        if "│" not in line:
            continue  # the heading and the rule under it
        cells = [re.sub(r"\s", "", cell) for cell in line.split("│")]
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return rows


LONG_NAME = "内蒙古自治区呼和浩特市某某大型国有能源集团有限责任公司"


@pytest.mark.parametrize("everyone", [False, True])
def test_rich_queue_lines_up_with_chinese_names(cli, everyone):
    from rich.cells import cell_len

    first = add_lead(cli, "杭州云栖科技有限公司")
    grade(cli, first, "B")
    follow(cli, first, MON, "--next", "提供成功案例", "--next-date", "明天", "--mood", "犹豫观望")
    second = add_lead(cli, "[bold red]x[/] 贸易")
    third = add_lead(cli, LONG_NAME)
    grade(cli, third, "A")
    boss = add_lead(cli, "上海某某贸易有限公司", "--owner", BOSS)

    result = cli.ok("today", *(["--all"] if everyone else []), now=at(FRI))
    assert result.err == ""
    lines = result.out.splitlines()
    header, table = lines[0], lines[1:]
    if everyone:
        assert header == "2024-10-11 Fri — everyone: 4 overdue · 4 due · 2 to grade"
    else:
        assert header == "2024-10-11 Fri — 王芳: 3 overdue · 3 due · 1 to grade"
    # every line of the table is as wide as the others, and the column rules line up
    widths = {cell_len(line) for line in table}
    assert len(widths) == 1 and widths.pop() <= 100, result.out
    rules = [_separators(line) for line in table]
    assert all(r == rules[0] for r in rules), result.out
    assert len(rules[0]) == (6 if everyone else 5), result.out
    assert "…" not in result.out  # nothing is cut off, long CJK names fold

    rows = _table_rows(table)
    expected = [
        [second, "[boldred]x[/]贸易", "–", "tograde,4daysoverdue", "never", "13800130001"],
    ]
    if everyone:
        expected.append(
            [boss, "上海某某贸易有限公司", "–", "tograde,4daysoverdue", "never", "13800130003"]
        )
    expected += [
        [
            third,
            LONG_NAME,
            "A",
            "A:dailytouch,3daysoverdueproposaldueby10-10,1dayoverdue",
            "never",
            "13800130002",
        ],
        [
            first,
            "杭州云栖科技有限公司",
            "B",
            "nextaction:提供成功案例,3daysoverdueB:touchevery2–3days,1dayoverdue",
            "4daysagohesitant",
            "13800130000",
        ],
    ]
    if everyone:
        for row, owner in zip(expected, ["王芳", BOSS, "王芳", "王芳"], strict=True):
            row.append(owner)
    assert rows == expected, result.out


def test_rich_queue_when_nothing_is_due(cli):
    result = cli.ok("today")
    assert result.out == (
        "2024-10-07 Mon — 王芳: 0 overdue · 0 due · 0 to grade\n"
        "Nothing due today. Good time to find new leads or wake an old one.\n"
    )
    result = cli.ok("today", "--all")
    assert result.out.splitlines()[0] == "2024-10-07 Mon — everyone: 0 overdue · 0 due · 0 to grade"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_today_query_can_use_the_owner_due_index_on_postgresql(cli):
    """A handful of rows is a sequential scan; with it off, the index must serve the query."""
    from datetime import date

    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql

    from leadctl.store.queries import today_statement

    for n in range(5):
        add_lead(cli, f"客户{n}", "--owner", BOSS if n % 2 else "王芳")
    statement = today_statement(date(2024, 10, 7), "王芳")
    sql = str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
    with cli.engine().begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
    uses_index = r"(Index (Only )?Scan using|Bitmap Index Scan on) ix_lead_owner_due"
    assert re.search(uses_index, plan), plan
    assert "follow_up" not in plan, plan
