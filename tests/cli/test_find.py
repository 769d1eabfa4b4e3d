"""Find and correct (SPEC §6.4, issue 15), on SQLite and PostgreSQL: `find`, `show` by phone,
near-duplicate customer names, and the keys every write keeps for them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from leadctl.store.engine import HEAD_REVISION

YUNQI = "杭州云栖科技有限公司"


def numbers(items: list[dict[str, Any]]) -> list[str]:
    return [item["number"] for item in items]


def found(cli: Any, *args: str) -> list[str]:
    return numbers(cli.json("find", *args))


def refused(cli: Any, *args: str, **kwargs: Any) -> str:
    """A refusal: exit 2, one `Error:` line on stderr, nothing on stdout, nothing written."""
    before = (cli.counts(), cli.rows("SELECT * FROM lead ORDER BY id"))
    result = cli(*args, **kwargs)
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result
    assert (cli.counts(), cli.rows("SELECT * FROM lead ORDER BY id")) == before
    return lines[0]


def a_book(cli: Any) -> None:
    """L1 杭州云栖 (open), L2 上海明德 (won), L3 杭州海纳 (dormant), L4 苏州恒通 (lost),
    L5 北京华信 (active)."""
    cli.add(YUNQI, "13800138000", "--contact", "曾经理", "--email", "Zeng@YunQi.cn")
    cli.add("上海明德贸易有限公司", "13900008000", "--wechat", "MingDe_Trade")
    cli.add("杭州海纳食品", "0571-88886677", "--contact", "单田芳")
    cli.add("苏州恒通物流", "13700138000")
    cli.add("北京华信软件", "+1 415 555 0100", "--contact", "Ｌｉｕ　Ｗｅｉ")
    cli.ok("close", "L2", "won", "--amount", "30万", "--contract", "HT-1", "--product", "CRM")
    cli.ok("close", "L4", "lost", "--reason", "budget", "--note", "预算不足")
    with cli.engine().begin() as conn:
        conn.execute(text("UPDATE lead SET status = 'dormant' WHERE id = 3"))
    cli.ok("grade", "L5", "B", "--reason", "两个部门审批")


# ---------------------------------------------------------------- find by phone


def test_a_phones_last_digits_find_the_leads_not_closed_and_all_adds_the_closed(cli):
    a_book(cli)
    assert found(cli, "8000") == ["L0001"]
    assert found(cli, "8000", "--all") == ["L0001", "L0002", "L0004"]
    assert found(cli, "138000") == ["L0001"]
    assert found(cli, "138000", "--all") == ["L0001", "L0004"]
    assert found(cli, "6677") == ["L0003"]  # dormant is not closed
    assert found(cli, "9999") == []


@pytest.mark.parametrize(
    ("spelling", "lead"),
    [
        ("138 0013 8000", "L0001"),
        ("+86 138-0013-8000", "L0001"),
        ("(138) 0013 8000", "L0001"),
        ("１３８００１３８０００", "L0001"),  # full-width digits
        ("0571-88886677", "L0003"),  # the trunk 0 is not in E.164: the number itself matches
        ("(0571) 8888 6677", "L0003"),
        ("+1 (415) 555-0100", "L0005"),
    ],
)
def test_a_whole_number_finds_its_lead_however_it_is_written(cli, spelling, lead):
    a_book(cli)
    assert found(cli, spelling) == [lead]


def test_fewer_than_four_digits_is_text(cli):
    cli.add("明德123号", "13800138000")
    cli.add("别的公司", "13900139123")
    assert found(cli, "123") == ["L0001"]  # in the name, not the phone's end
    assert found(cli, "9123") == ["L0002"]


# ---------------------------------------------------------------- find by text


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("云栖", ["L0001"]),
        ("杭州", ["L0001", "L0003"]),
        ("杭 州 云 栖", ["L0001"]),  # spaces ignored
        ("zeng@yunqi", ["L0001"]),  # email, any case
        ("ＹＵＮＱＩ．ＣＮ", ["L0001"]),  # full-width forms
        ("mingde_", []),  # L0002 is won
        ("liu wei", ["L0005"]),  # a contact written full-width, with an ideographic space
        ("%", []),  # LIKE's wildcards are plain characters
        ("_", []),
        ("有限公司", ["L0001"]),
    ],
)
def test_text_is_found_in_customer_contact_wechat_and_email(cli, needle, expected):
    a_book(cli)
    assert found(cli, needle) == expected


def test_all_lists_the_won_and_lost_after_the_open_by_number(cli):
    a_book(cli)
    assert found(cli, "mingde_", "--all") == ["L0002"]
    assert found(cli, "公司", "--all") == ["L0001", "L0002"]
    assert found(cli, "_", "--all") == ["L0002"]  # in mingde_trade
    assert found(cli, "13", "--all") == []  # too short for a phone, and in no name


# ---------------------------------------------------------------- find by pinyin


@pytest.mark.parametrize(
    ("spelled", "expected"),
    [
        ("hzyq", ["L0001"]),
        ("HZ", ["L0001", "L0003"]),
        ("hangzhouyunqi", ["L0001"]),
        ("hangzhou", ["L0001", "L0003"]),
        ("kzyx", ["L0001"]),  # 杭 also reads kang, 栖 xi: any reading counts
        ("zjl", ["L0001"]),  # the contact 曾经理: zeng, the surname
        ("cengjingli", ["L0001"]),  # and ceng
        ("stf", ["L0003"]),  # 单田芳: shan (the surname), dan, chan
        ("dantianfang", ["L0003"]),
        ("bjhxrj", ["L0005"]),  # past the keys' first four characters
        ("beijinghuaxinruanjian", ["L0005"]),
        ("hzyqkjyxgs", ["L0001"]),
        ("hzyqkjyxgz", []),
        ("zhouyun", []),  # pinyin matches from the start only
        ("yq", []),
    ],
)
def test_pinyin_and_initials_of_the_customer_or_contact_match_from_the_start(
    cli, spelled, expected
):
    a_book(cli)
    assert found(cli, spelled) == expected


def test_nothing_found_is_an_empty_list_and_exit_0(cli):
    a_book(cli)
    result = cli("find", "没有这个客户", "--json")
    assert (result.code, result.json, result.err) == (0, [], "")
    human = cli("find", "没有这个客户")
    assert (human.code, human.out.strip()) == (0, "No leads match.")


def test_find_json_gives_lists_items_and_people_get_its_table(cli):
    a_book(cli)
    items = cli.json("find", "hz")
    listed = {item["number"]: item for item in cli.json("list")}
    assert items == [listed["L0001"], listed["L0003"]]
    assert set(items[0]) == {"number", "customer", "status", "grade", "owner", "source", "due_on"}
    table = cli.ok("find", "hz").out
    assert "L0001" in table and YUNQI in table and "杭州海纳食品" in table and "2 leads" in table


@pytest.mark.parametrize("needle", ["", "   ", "\u3000"])
def test_find_needs_something_to_look_for(cli, needle):
    assert refused(cli, "find", needle) == (
        "Error: Give find something to look for: part of a name, WeChat id or email, pinyin or "
        "initials (hzyq), or a phone's last digits (8000)."
    )


# ---------------------------------------------------------------- every write keeps the keys


def test_edit_moves_what_find_sees(cli):
    a_book(cli)
    cli.ok("edit", "L1", "--customer", "宁波甬江贸易", "--contact", "李总", "--wechat", "yj88",
           "--email", "li@yj.cn", "--phone", "13512345678")  # fmt: skip
    for gone in ("云栖", "hzyq", "zjl", "zeng@", "8000"):
        assert found(cli, gone) == [], gone
    for now, lead in (("甬江", "L0001"), ("nbyj", "L0001"), ("lz", "L0001"), ("yj88", "L0001"),
                      ("li@yj", "L0001"), ("5678", "L0001")):  # fmt: skip
        assert found(cli, now) == [lead], now
    cli.ok("edit", "L1", "--add-phone", "13612346677", "--contact", "")
    assert found(cli, "6677") == ["L0001", "L0003"]
    assert found(cli, "lz") == []
    from leadctl.domain.search import spelling_keys

    keys = cli.rows("SELECT key FROM lead_key WHERE lead_id = 1")
    assert {k for (k,) in keys} == spelling_keys("宁波甬江贸易") != set()


def test_imported_leads_are_found_like_added_ones(cli, tmp_path: Path):
    path = tmp_path / "leads.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["客户名称", "联系人", "联系电话", "微信", "线索来源", "初步需求"])
        writer.writerow([YUNQI, "曾经理", "13800138000", "yunqi_wx", "展会", "CRM"])
        writer.writerow(["单氏食品", "", "0571-88886677 / 13900139000", "", "展会", "CRM"])
    cli.ok("import", str(path))
    assert found(cli, "hzyq") == ["L0001"]
    assert found(cli, "zjl") == ["L0001"]
    assert found(cli, "shanshi") == ["L0002"]
    assert found(cli, "YUNQI_WX") == ["L0001"]
    assert found(cli, "6677") == ["L0002"]
    assert found(cli, "9000") == ["L0002"]


def test_the_stored_keys_are_what_the_domain_computes(cli):
    from leadctl.domain.leads import customer_key
    from leadctl.domain.search import digits_reversed, search_text, spelling_keys

    a_book(cli)
    for lead_id, customer, contact, wechat, email, key, folded in cli.rows(
        "SELECT id, customer, contact, wechat, email, customer_key, search_text FROM lead"
    ):
        assert key == customer_key(customer)
        assert folded == search_text(customer, contact, wechat, email)
        stored = cli.rows("SELECT key FROM lead_key WHERE lead_id = :i", i=lead_id)
        assert {k for (k,) in stored} == spelling_keys(customer, contact)
    for e164, reversed_ in cli.rows("SELECT e164, digits_reversed FROM phone"):
        assert reversed_ == digits_reversed(e164)


# ---------------------------------------------------------------- show by phone


def test_show_takes_a_phone_of_an_open_lead(cli):
    a_book(cli)
    for ref in ("13800138000", "+86 138 0013 8000", "138-0013-8000", "0571-88886677"):
        doc = cli.json("show", ref)
        assert doc["number"] == ("L0003" if ref.startswith("0571") else "L0001"), ref
    assert cli.json("show", "1")["number"] == "L0001"  # a lead number stays a lead number


def test_show_by_phone_prefers_the_open_lead_else_the_latest(cli):
    cli.add("老客户", "13800138000")
    cli.ok("close", "L1", "lost", "--reason", "timing", "--note", "明年再说")
    cli.add("老客户", "13800138000")  # a lost customer comes back
    assert cli.json("show", "13800138000")["number"] == "L0002"
    cli.ok("close", "L2", "won", "--amount", "5万", "--contract", "HT-2", "--product", "CRM")
    assert cli.json("show", "13800138000")["number"] == "L0002"  # none open: the latest


def test_show_by_phone_refuses_several_open_leads_naming_them(cli):
    cli.add(YUNQI, "13800138000")
    cli.add("别的公司", "13800138000", "--allow-duplicate", "--owner", "李强")
    assert refused(cli, "show", "138 0013 8000") == (
        "Error: The phone 138 0013 8000 is on 2 leads that are not closed: L0001 (owner 王芳), "
        "L0002 (owner 李强); show one of them by its number."
    )


def test_show_by_a_phone_nobody_has(cli):
    a_book(cli)
    assert refused(cli, "show", "13912345678") == (
        "Error: No lead has the phone 139 1234 5678: `leadctl find 5678` finds leads by a "
        "phone's last digits."
    )
    assert refused(cli, "show", "12-34").startswith("Error: Phone '12-34' is not a")


# ---------------------------------------------------------------- near-duplicate names


@pytest.mark.parametrize(
    "name",
    ["杭州云栖科技", "杭州云栖科技有限责任公司", "杭州云栖科技（滨江）", "杭州云栖科技集团有限公司",
     "杭州 云栖科技 (Binjiang) 股份有限公司"],
)  # fmt: skip
def test_add_refuses_a_near_duplicate_customer_name(cli, name):
    cli.add(YUNQI, "13800138000", "--owner", "李强")
    line = refused(cli, "add", name, "--phone", "13900139000", "--source", "s", "--need", "n")
    assert line == (
        f"Error: Duplicate: customer '{YUNQI}' is already lead L0001 (owner 李强). Follow up "
        "that lead, or pass --allow-duplicate to add it anyway."
    )
    doc = cli.add(name, "13900139000", "--allow-duplicate")
    assert doc["number"] == "L0002"


def test_near_duplicates_of_closed_leads_may_come_back(cli):
    cli.add(YUNQI, "13800138000")
    cli.ok("close", "L1", "lost", "--reason", "price", "--note", "太贵")
    assert cli.add("杭州云栖科技", "13900139000")["number"] == "L0002"


def test_different_companies_are_not_near_duplicates(cli):
    cli.add(YUNQI, "13800138000")
    for n, name in enumerate(["杭州云栖", "杭州云栖科技园", "云栖科技有限公司"]):
        assert cli.add(name, f"1390013900{n}")["customer"] == name


def test_edit_refuses_a_near_duplicate_name(cli):
    cli.add(YUNQI, "13800138000")
    cli.add("上海明德", "13900139000")
    assert refused(cli, "edit", "L2", "--customer", "杭州云栖科技（总部）") == (
        f"Error: Duplicate: customer '{YUNQI}' is already lead L0001 (owner 王芳). "
        "Nothing was changed."
    )


def test_import_refuses_near_duplicates_in_the_database_and_in_the_file(cli, tmp_path: Path):
    cli.add(YUNQI, "13800138000", user="李娜")
    path = tmp_path / "leads.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["客户名称", "联系电话", "线索来源", "初步需求"])
        writer.writerow(["杭州云栖科技", "13900139000", "展会", "CRM"])
        writer.writerow(["宁波甬江贸易有限公司", "13700137000", "展会", "CRM"])
        writer.writerow(["宁波甬江贸易（北仑）", "13600136000", "展会", "CRM"])
    doc = cli("import", str(path), "--json").json
    assert doc["errors"] == [
        {"row": 2, "column": "客户名称", "reason": f"Duplicate: customer '{YUNQI}' is already "
         "lead L0001 (owner 李娜). Follow up that lead, or pass --allow-duplicate to import it "
         "anyway."},
        {"row": 4, "column": "客户名称", "reason": "Duplicate: customer '宁波甬江贸易（北仑）' is "
         "also on row 3; keep one of the two rows, or pass --allow-duplicate to import both."},
    ]  # fmt: skip
    assert cli.counts()["lead"] == 1


# ---------------------------------------------------------------- the index at work


@pytest.mark.parametrize("backend", ["sqlite"])
def test_find_reads_indexes_only_on_sqlite(cli):
    """The text scan reads the compact partial index of the leads it may show; phones and
    pinyin are index ranges; no step reads the whole lead table."""
    from sqlalchemy import union
    from sqlalchemy.dialects import sqlite

    from leadctl.store import finding

    a_book(cli)

    def plan(statement: Any) -> list[str]:
        sql = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
        return [row[-1] for row in cli.rows(f"EXPLAIN QUERY PLAN {sql}")]

    (open_,) = finding.text_holders("云栖", include_closed=False)
    assert plan(open_) == ["SCAN lead USING COVERING INDEX ix_lead_find_open"]
    both = plan(union(*finding.text_holders("云栖", include_closed=True)))
    assert "SCAN lead USING COVERING INDEX ix_lead_find_open" in both
    assert "SCAN lead USING COVERING INDEX ix_lead_find_closed" in both
    assert plan(finding.key_holders("hzyq")) == [
        "SEARCH lead_key USING PRIMARY KEY (key>? AND key<?)"
    ]
    assert plan(finding.phone_holders("0008", None)) == [
        "SEARCH phone USING INDEX ix_phone_digits_reversed (digits_reversed>? AND "
        "digits_reversed<?)"
    ]
    rows = plan(finding.found_rows_statement([finding.key_holders("hzyq")], include_closed=True))
    assert not any(step.startswith("SCAN lead") for step in rows), rows


# ---------------------------------------------------------------- the upgrade


def test_a_database_at_0003_gets_its_keys(cli, monkeypatch):
    """Leads written before find existed: the upgrade fills every key, and recomputes the
    customer keys, so find and the near-duplicate check see them at once; a long upgrade says
    so on stderr."""
    from alembic import command

    import leadctl.commands.common as common
    from leadctl.store.migrate import alembic_config

    cli.add(YUNQI, "13800138000", "--contact", "曾经理", "--wechat", "yq_wx")
    cli.add("上海明德贸易", "0571-88886677")
    with cli.engine().begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
        # as the first release wrote them: the whole name, folded
        conn.execute(text("UPDATE lead SET customer_key = lower(customer)"))
    cli.close()
    monkeypatch.setattr(common, "PROGRESS_FROM", 2)
    upgraded = cli.ok("find", "hzyq", "--json")
    assert numbers(upgraded.json) == ["L0001"]
    assert (
        upgraded.err == "Building the find index of 2 leads (once, for this version of leadctl)…\n"
    )
    assert cli.rows("SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert found(cli, "zjl") == ["L0001"]
    assert found(cli, "YQ_WX") == ["L0001"]
    assert found(cli, "6677") == ["L0002"]
    assert [k for (k,) in cli.rows("SELECT customer_key FROM lead ORDER BY id")] == [
        "杭州云栖科技",
        "上海明德贸易",
    ]
    assert refused(
        cli, "add", "杭州云栖科技", "--phone", "13900139000", "--source", "s", "--need", "n"
    ).startswith(f"Error: Duplicate: customer '{YUNQI}' is already lead L0001")
