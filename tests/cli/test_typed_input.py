"""What reps type (issue 16.2): full-width forms from a Chinese input method are accepted
wherever the half-width ones are, and a landline's extension is kept (SPEC §6.4)."""

from __future__ import annotations

from tests.conftest import REP

CUSTOMER = "杭州云栖科技有限公司"


def refused(cli, *args: str) -> str:
    before = cli.counts()
    result = cli(*args)
    assert result.code == 2, result
    assert cli.counts() == before  # nothing written
    return result.err.strip()


# ---------------------------------------------------------------- extensions


def test_an_extension_is_kept_and_the_same_phone_however_it_is_written(cli):
    doc = cli.add(CUSTOMER, "0571-88886677转8001")
    assert doc["phones"] == ["+8657188886677;ext=8001"]
    assert refused(
        cli, "add", "别的公司", "--phone", "0571-88886677-8001", "--source", "s", "--need", "n"
    ) == (
        "Error: Duplicate: phone 0571-8888 6677 ext. 8001 is already on lead L0001 (owner "
        f"{REP}). Follow up that lead, or pass --allow-duplicate to add it anyway."
    )
    # another extension of the same switchboard is another phone
    assert cli.add("别的公司", "0571-88886677 分机 8002")["phones"] == ["+8657188886677;ext=8002"]
    assert cli.rows("SELECT e164 FROM phone ORDER BY id") == [
        ("+8657188886677;ext=8001",),
        ("+8657188886677;ext=8002",),
    ]
    # found by the number's last digits, shown by the phone as leadctl writes it
    assert [r["number"] for r in cli.json("find", "6677")] == ["L0001", "L0002"]
    assert cli.json("show", "0571-8888 6677 ext. 8001")["number"] == "L0001"
    assert cli.json("show", "0571-88886677转8002")["number"] == "L0002"


def test_edit_removes_a_phone_by_its_extension(cli):
    cli.add(CUSTOMER, "13800138000", "--phone", "0571-88886677-8001")
    doc = cli.json("edit", "L1", "--remove-phone", "0571-8888 6677 ext. 8001")
    assert doc["phones"] == ["+8613800138000"]
    assert refused(cli, "edit", "L1", "--remove-phone", "0571-88886677转8002") == (
        "Error: L0001 has no phone 0571-8888 6677 ext. 8002 to remove."
    )


def test_a_decision_makers_extension_is_kept(cli):
    cli.add(CUSTOMER, "13800138000")
    cli.ok("grade", "L1", "A", "--reason", "预算已批")
    doc = cli.json(
        "upgrade", "L1", "--need-match", "--budget", "30万", "--budget-ok",
        "--decision-maker", "陈明", "--dm-phone", "021-62345678转302", "--no-objection",
    )  # fmt: skip
    assert doc["opportunity"]["decision_maker"]["phone"] == "+862162345678;ext=302"
    assert "陈明 / 021-6234 5678 ext. 302" in cli.ok("show", "L1").out


def test_import_keeps_extensions_and_reads_full_width_cells(cli, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        "客户名称,联系电话,线索来源,初步需求,线索等级,分级依据,获取时间,客户类型\n"
        f"{CUSTOMER},０５７１－８８８８６６７７转８００１,展会,CRM,Ａ,预算已批,２０２４／１０／０５,ｐｅｒｓｏｎ\n",
        encoding="utf-8",
    )
    assert cli.json("import", str(path))["imported"] == 1
    doc = cli.json("show", "L1")
    assert (doc["phones"], doc["grade"], doc["acquired_on"], doc["customer_type"]) == (
        ["+8657188886677;ext=8001"],
        "A",
        "2024-10-05",
        "person",
    )


# ---------------------------------------------------------------- full-width input


def test_full_width_input_works_as_half_width_in_every_command(cli):
    doc = cli.json(
        "add", CUSTOMER, "--phone", "１３８００１３８０００", "--source", "官网注册", "--need", "CRM",
        "--type", "ｐｅｒｓｏｎ", "--acquired", "２０２４－１０－０５",
        "--email", "ｌｉｕ＠ｙｕｎｑｉ．ｃｏｍ",
    )  # fmt: skip
    assert (doc["phones"], doc["customer_type"], doc["acquired_on"], doc["email"]) == (
        ["+8613800138000"],
        "person",
        "2024-10-05",
        "liu@yunqi.com",
    )
    assert cli.json("grade", "Ｌ０００１", "Ａ", "--reason", "预算已批")["grade"] == "A"
    followed = cli.json(
        "follow", "ｌ１", "--note", "确认需求", "--channel", "ＷＥＣＨＡＴ", "--kind", "ｄｅｍｏ",
        "--mood", "ｐｏｓｉｔｉｖｅ", "--at", "２０２４－１０－０７　０８：３０", "--next", "报价",
        "--next-date", "＋３ｄ",
    )  # fmt: skip
    latest = followed["follow_ups"][-1]
    assert (latest["channel"], latest["kind"], latest["mood"], latest["next_action_on"]) == (
        "wechat",
        "demo",
        "positive",
        "2024-10-10",
    )
    assert latest["at"] == "2024-10-07T08:30:00+08:00"
    listed = cli.json("list", "--grade", "ａ", "--status", "ＡＣＴＩＶＥ")
    assert [r["number"] for r in listed] == ["L0001"]
    assert cli.json("show", "１３８　００１３　８０００")["number"] == "L0001"
    assert cli.json("review", "--week-of", "２０２４－１０－０１")["from"] == "2024-09-30"
    closed = cli.json(
        "close", "Ｌ１", "ｗｏｎ", "--amount", "３０万", "--contract", "HT-1", "--product", "CRM",
        "--date", "１０月７日",
    )  # fmt: skip
    assert (closed["status"], closed["outcome"]["amount"], closed["outcome"]["closed_on"]) == (
        "won",
        "300000.00",
        "2024-10-07",
    )


def test_full_width_lost_reason_and_team_role(cli):
    cli.add(CUSTOMER, "13800138000")
    doc = cli.json("close", "L1", "ｌｏｓｔ", "--reason", "ＰＲＩＣＥ", "--note", "太贵")
    assert doc["outcome"]["reason"] == "price"
    member = cli.json("team", "add", "主管", "--role", "ＳＵＰＥＲＶＩＳＯＲ", user="主管")
    assert member["role"] == "supervisor"
