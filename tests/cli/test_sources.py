"""Sources as the team's vocabulary (issue 16 point 4), on SQLite and PostgreSQL: `[sources]` in
the config; add, edit and import refuse a source off the list unless --new-source and store an
alias by its name; the template's 线索来源 drop-down; the review grouped by the list;
`leadctl sources` and the list's filters."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.cli.test_capture import rejected

TEAM = """
[sources]
"行业展会" = ["展会", "Expo"]
"官网注册" = ["官网"]
"老客户转介绍" = []
"""
LISTED = "行业展会 (or 展会, Expo), 官网注册 (or 官网), 老客户转介绍"
REFUSED = (
    "Error: Unknown source '{}': the team's sources (config [sources]) are " + LISTED + "; use "
    "one of them, or pass --new-source to add it anyway."
)
BOSS = "主管"
SUNDAY_NIGHT = "2024-10-13T23:59"


def team_list(cli: Any, text: str = TEAM) -> None:
    Path(cli.env["LEADCTL_CONFIG"]).write_text(text, encoding="utf-8")


def add(cli: Any, customer: str, phone: str, source: str, *extra: str) -> dict[str, Any]:
    return cli.json(  # type: ignore[no-any-return]
        "add", customer, "--phone", phone, "--source", source, "--need", "采购CRM系统", *extra
    )


def stored_sources(cli: Any) -> list[str]:
    return [r[0] for r in cli.rows("SELECT source FROM lead ORDER BY id")]


# ---------------------------------------------------------------- add, edit


def test_add_stores_an_alias_by_the_lists_name(cli):
    team_list(cli)
    assert add(cli, "甲公司", "13800138000", "展会")["source"] == "行业展会"
    assert add(cli, "乙公司", "13800138001", "ＥＸＰＯ")["source"] == "行业展会"  # full-width
    assert add(cli, "丙公司", "13800138002", " 官网 ")["source"] == "官网注册"
    assert add(cli, "丁公司", "13800138003", "老客户转介绍")["source"] == "老客户转介绍"
    assert stored_sources(cli) == ["行业展会", "行业展会", "官网注册", "老客户转介绍"]


def test_add_refuses_a_source_off_the_list_with_the_list(cli):
    team_list(cli)
    line = rejected(cli, "add", "甲公司", "--phone", "13800138000", "--source", "展销会",
                    "--need", "CRM")  # fmt: skip
    assert line == REFUSED.format("展销会")


def test_new_source_adds_a_source_off_the_list_as_written(cli):
    team_list(cli)
    assert add(cli, "甲公司", "13800138000", "展销会", "--new-source")["source"] == "展销会"
    assert stored_sources(cli) == ["展销会"]


def test_without_a_list_any_source_is_accepted_as_written(cli):
    assert add(cli, "甲公司", "13800138000", "展销会")["source"] == "展销会"
    assert add(cli, "乙公司", "13800138001", "展会")["source"] == "展会"
    assert stored_sources(cli) == ["展销会", "展会"]


def test_edit_stores_an_alias_by_its_name_and_refuses_a_source_off_the_list(cli):
    team_list(cli)
    number = add(cli, "甲公司", "13800138000", "官网")["number"]
    doc = cli.json("edit", number, "--source", "expo")
    assert doc["source"] == "行业展会"
    assert doc["history"][-1]["changes"] == [
        {"field": "source", "old": "官网注册", "new": "行业展会"}
    ]
    assert rejected(cli, "edit", number, "--source", "抖音") == REFUSED.format("抖音")
    assert cli.json("edit", number, "--source", "抖音", "--new-source")["source"] == "抖音"
    assert stored_sources(cli) == ["抖音"]


def test_a_list_that_cannot_be_read_is_refused_naming_the_config_file(cli):
    team_list(cli, '[sources]\n"行业展会" = ["展会"]\n"展会" = []\n')
    result = cli("add", "甲公司", "--phone", "13800138000", "--source", "展会", "--need", "CRM")
    assert result.code == 2, result
    assert result.err == (
        f"Error: [sources] in the config file {cli.env['LEADCTL_CONFIG']}: '展会' names both "
        "'行业展会' and '展会'; keep it under one of them.\n"
    )
    assert cli.scalar("SELECT count(*) FROM lead") == 0


# ---------------------------------------------------------------- import


def write_form(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["客户名称", "联系电话", "线索来源", "初步需求"])
    for customer, phone, source in rows:
        writer.writerow([customer, phone, source, "采购CRM系统"])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


ROWS = [("甲公司", "13800138000", "展会"), ("乙公司", "13800138001", "抖音"),
        ("丙公司", "13800138002", "官网注册")]  # fmt: skip


def test_import_refuses_every_row_off_the_list_and_writes_nothing(cli, tmp_path):
    team_list(cli)
    form = write_form(tmp_path / "form.csv", ROWS)
    before = cli.counts()
    result = cli("import", str(form), "--json")
    assert result.code == 2, result
    assert result.err.splitlines()[0] == (
        "Error: 1 of 3 rows in 'form.csv' cannot be imported, so nothing was imported. Fix it "
        "and import again, or pass --skip-invalid to import the 2 good rows."
    )
    assert result.json["errors"] == [
        {"row": 3, "column": "线索来源", "reason": REFUSED.format("抖音")[len("Error: ") :]}
    ]
    assert cli.counts() == before


def test_import_stores_aliases_by_name_and_takes_new_sources_with_new_source(cli, tmp_path):
    team_list(cli)
    form = write_form(tmp_path / "form.csv", ROWS)
    assert cli.json("import", str(form), "--new-source")["imported"] == 3
    assert stored_sources(cli) == ["行业展会", "抖音", "官网注册"]


def test_import_skips_rows_off_the_list_with_skip_invalid(cli, tmp_path):
    team_list(cli)
    form = write_form(tmp_path / "form.csv", ROWS)
    doc = cli.json("import", str(form), "--skip-invalid")
    assert (doc["imported"], doc["skipped"]) == (2, 1)
    assert stored_sources(cli) == ["行业展会", "官网注册"]


# ---------------------------------------------------------------- template


def source_rule(path: Path) -> Any:
    from openpyxl import load_workbook

    book = load_workbook(path)
    rules = [r for r in book["线索登记"].data_validations.dataValidation if "G2" in str(r.sqref)]
    return book, rules


def test_the_templates_source_column_offers_the_list(cli, tmp_path):
    team_list(cli)
    cli.ok("template", str(tmp_path / "form.xlsx"))
    book, rules = source_rule(tmp_path / "form.xlsx")
    assert book["线索登记"]["G1"].value == "线索来源"
    [rule] = rules
    assert (rule.type, rule.errorStyle, str(rule.sqref)) == ("list", "warning", "G2:G5001")
    assert rule.formula1 == "'线索来源'!$A$1:$A$3"
    names = book["线索来源"]
    assert names.sheet_state == "hidden"
    assert [c.value for c in names["A"]] == ["行业展会", "官网注册", "老客户转介绍"]


def test_the_filled_in_template_with_its_list_imports(cli, tmp_path):
    from openpyxl import load_workbook

    team_list(cli)
    cli.ok("template", str(tmp_path / "form.xlsx"))
    book = load_workbook(tmp_path / "form.xlsx")
    book["线索登记"].append(["甲公司", None, None, "13800138000", None, None, "展会", "CRM"])
    book.save(tmp_path / "form.xlsx")
    assert cli.json("import", str(tmp_path / "form.xlsx"))["imported"] == 1
    assert stored_sources(cli) == ["行业展会"]


def test_without_a_list_the_source_column_has_no_drop_down(cli, tmp_path):
    out = cli.ok("template", str(tmp_path / "form.xlsx")).out
    book, rules = source_rule(tmp_path / "form.xlsx")
    assert rules == []
    assert "线索来源" not in book.sheetnames
    assert "offers the team's" not in out


# ---------------------------------------------------------------- review, list


def mixed_leads(cli: Any) -> None:
    """Leads written before the list (an alias, an off-list source), then the list."""
    add(cli, "甲公司", "13800138000", "展会")
    add(cli, "乙公司", "13800138001", "行业展会")
    add(cli, "丙公司", "13800138002", "官网")
    add(cli, "丁公司", "13800138003", "抖音")
    cli.ok("close", "L2", "won", "--amount", "10万", "--contract", "HT-1", "--product", "CRM")
    team_list(cli)


def test_the_review_groups_sources_by_the_list(cli):
    mixed_leads(cli)
    doc = cli.json("review", user=BOSS, now=SUNDAY_NIGHT)
    assert doc["sources"] == [
        {"source": "行业展会", "leads": 2, "opportunities": 0, "won": 1, "lost": 0,
         "win_rate": 0.5, "listed": True},
        {"source": "官网注册", "leads": 1, "opportunities": 0, "won": 0, "lost": 0,
         "win_rate": 0.0, "listed": True},
        {"source": "抖音", "leads": 1, "opportunities": 0, "won": 0, "lost": 0,
         "win_rate": 0.0, "listed": False},
    ]  # fmt: skip


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_reviews_source_table_marks_sources_off_the_list(cli, columns):
    mixed_leads(cli)
    out = cli.ok("review", user=BOSS, now=SUNDAY_NIGHT, COLUMNS=columns).out
    table = out[out.index("Conversion by source") :]
    rows = {line.split("│")[0].strip(): line for line in table.splitlines() if "│" in line}
    assert set(rows) == {"行业展会", "官网注册", "抖音 *"}
    assert "* not on the team's list of sources (config [sources]): add it there, or correct " in (
        " ".join(table.split())
    )
    assert max(cell_len(line) for line in out.splitlines()) <= int(columns)


def test_list_by_a_listed_source_finds_leads_stored_by_an_alias(cli):
    mixed_leads(cli)
    assert [r["customer"] for r in cli.json("list", "--source", "Expo")] == ["甲公司", "乙公司"]
    assert [r["customer"] for r in cli.json("list", "--source", "官网注册")] == ["丙公司"]
    assert [r["customer"] for r in cli.json("list", "--source", "抖音")] == ["丁公司"]


def test_list_export_and_pool_by_a_listed_source_find_every_spelling_the_review_counts(
    cli, tmp_path
):
    """Leads written before the list in another width, case or spacing of a name or alias
    (`ＥＸＰＯ`, `展 会`) count under the name in the review: the filters find them too."""
    add(cli, "甲公司", "13800138000", "ＥＸＰＯ")
    add(cli, "乙公司", "13800138001", "展 会")
    add(cli, "丙公司", "13800138002", "行业展会")
    add(cli, "丁公司", "13800138003", "官网")
    cli.ok("release", "L1", "--reason", "暂无需求")
    team_list(cli)
    everyone = ["甲公司", "乙公司", "丙公司"]
    assert [s["leads"] for s in cli.json("review", user=BOSS, now=SUNDAY_NIGHT)["sources"]] == [
        3,
        1,
    ]
    for spelling in ("行业展会", "expo", "展会"):
        assert [r["customer"] for r in cli.json("list", "--source", spelling)] == everyone
    assert [r["customer"] for r in cli.json("pool", "--source", "Expo")] == ["甲公司"]
    export = tmp_path / "展会.csv"
    assert cli.json("export", str(export), "--source", "行业展会")["exported"] == 3
    assert [r["customer"] for r in cli.json("list", "--source", "官网注册")] == ["丁公司"]


# ---------------------------------------------------------------- leadctl sources


def test_sources_counts_each_spelling_in_use(cli):
    mixed_leads(cli)
    Path(cli.env["LEADCTL_CONFIG"]).unlink()  # no list yet
    assert cli.json("sources") == [
        {"source": "官网", "leads": 1, "open": 1, "last_acquired_on": "2024-10-07",
         "listed_as": None},
        {"source": "展会", "leads": 1, "open": 1, "last_acquired_on": "2024-10-07",
         "listed_as": None},
        {"source": "抖音", "leads": 1, "open": 1, "last_acquired_on": "2024-10-07",
         "listed_as": None},
        {"source": "行业展会", "leads": 1, "open": 0, "last_acquired_on": "2024-10-07",
         "listed_as": None},
    ]  # fmt: skip


def test_sources_shows_what_the_list_covers_and_its_unused_names(cli):
    mixed_leads(cli)
    add(cli, "戊公司", "13800138004", "官网")
    rows = cli.json("sources")
    assert [(r["source"], r["leads"], r["listed_as"]) for r in rows] == [
        ("官网", 1, "官网注册"),  # written before the list
        ("官网注册", 1, "官网注册"),  # 官网 once the list existed
        ("展会", 1, "行业展会"),
        ("抖音", 1, None),
        ("行业展会", 1, "行业展会"),
        ("老客户转介绍", 0, "老客户转介绍"),
    ]
    assert rows[-1]["last_acquired_on"] is None


@pytest.mark.parametrize("columns", ["80", "200"])
def test_sources_human_output(cli, columns):
    mixed_leads(cli)
    out = cli.ok("sources", COLUMNS=columns).out
    rows = {line.split("│")[0].strip(): line.split("│") for line in out.splitlines() if "│" in line}
    assert [cell.strip() for cell in rows["展会"]] == ["展会", "1", "1", "2024-10-07",
                                                      "alias of 行业展会"]  # fmt: skip
    assert rows["抖音"][-1].strip() == "no"
    assert rows["老客户转介绍"][-1].strip() == "yes"
    assert "1 spelling is not on the list: add them to [sources] in the config file" in (
        " ".join(out.split())
    )
    assert f"Config file: {cli.env['LEADCTL_CONFIG']}\n" in out  # whole, to copy
    width = max(cell_len(line) for line in out.splitlines() if not line.startswith("Config"))
    assert width <= int(columns)


def test_sources_without_a_list_says_how_to_write_one(cli):
    add(cli, "甲公司", "13800138000", "展会")
    out = cli.ok("sources", COLUMNS="80").out
    assert "On the list" not in out
    assert (
        "No list of sources yet: write the team's channels as [sources] in the config file, "
        'each with its aliases (e.g. "行业展会" = ["展会"]); add, edit and import then take '
        "only those (or --new-source)." in " ".join(out.split())
    )
    assert out.endswith(f"Config file: {cli.env['LEADCTL_CONFIG']}\n")


def test_sources_on_an_empty_database(cli):
    assert cli.json("sources") == []
    assert "No leads yet, so no sources in use." in cli.ok("sources").out
