"""Shell completion (issue 16 point 8), through Typer's protocol as the shells drive it: bash sets
COMP_WORDS and COMP_CWORD, zsh and fish _TYPER_COMPLETE_ARGS, each with
_LEADCTL_COMPLETE=complete_<shell>. Values come from the database, read only, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from leadctl.store.engine import HEAD_REVISION, KNOWN_REVISIONS
from tests.conftest import REP, Result

LI = "李强"
EARLIER = KNOWN_REVISIONS[-2]  # a schema the next command would migrate


def bash(cli: Any, line: str, **env: str) -> list[str]:
    """What bash offers for `line` (the cursor at its end): one value a line."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    result = cli(_LEADCTL_COMPLETE="complete_bash", COMP_WORDS=" ".join(words),
                 COMP_CWORD=str(len(words) - 1), **env)  # fmt: skip
    assert result.code == 0, result
    return [value for value in result.out.splitlines() if value]  # bash drops an empty line


def zsh_answer(cli: Any, line: str, **env: str) -> Result:
    result = cli(_LEADCTL_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS=line, **env)
    assert result.code == 0, result
    return result  # type: ignore[no-any-return]


def zsh(cli: Any, line: str, **env: str) -> list[tuple[str, str]]:
    """What zsh offers for `line`: (value, description) pairs."""
    out = zsh_answer(cli, line, **env).out.strip()
    if out == "_files":
        return []
    assert out.startswith("_arguments '*: :((") and out.endswith("))'"), out
    return [(v, h) for v, h in re.findall(r'"((?:[^"]|"")*)"(?::"((?:[^"]|"")*)")?', out[18:-3])]


def leads(cli: Any) -> None:
    """L1 甲 and L4 丁 (dormant) are 王芳's open leads; L2 is 李强's; L3 was lost."""
    cli.add("甲公司", "13800138000")
    cli.add("乙公司", "13800138001", "--owner", LI)
    cli.add("丙公司", "13800138002")
    cli.ok("close", "L3", "lost", "--reason", "price", "--note", "贵")
    cli.add("丁公司", "13800138003")
    with cli.engine().begin() as conn:
        conn.execute(text("UPDATE lead SET status = 'dormant' WHERE id = 4"))


# ---------------------------------------------------------------- commands and options


def test_bash_completes_commands_and_options(cli):
    assert bash(cli, "leadctl s") == ["show", "sources"]
    assert bash(cli, "leadctl follow L1 --n") == [
        "--note",
        "--next",
        "--next-date",
        "--no-response",
    ]
    assert bash(cli, "leadctl --u") == ["--user"]
    assert "--install-completion" in bash(cli, "leadctl --")


def test_zsh_completes_commands_with_their_summary(cli):
    assert zsh(cli, "leadctl sh") == [
        ("show", "Everything about one lead\\\\: details, due...")  # zsh escapes the colon
    ]


# ---------------------------------------------------------------- lead numbers


def test_lead_numbers_are_the_users_leads_not_closed_with_the_customer(cli):
    leads(cli)
    assert zsh(cli, "leadctl follow ") == [("L0001", "甲公司"), ("L0004", "丁公司")]
    assert bash(cli, "leadctl show ") == ["L0001", "L0004"]
    assert bash(cli, "leadctl close L") == ["L0001", "L0004"]
    assert zsh(cli, "leadctl show ", LEADCTL_USER=LI) == [("L0002", "乙公司")]


def test_lead_numbers_follow_the_users_spelling(cli):
    leads(cli)
    assert bash(cli, "leadctl show l000") == ["l0001", "l0004"]
    assert bash(cli, "leadctl show 4") == ["4"]
    assert bash(cli, "leadctl show L0002") == []  # 李强's


def test_global_options_before_the_command_choose_the_user_and_database(cli, tmp_path):
    leads(cli)
    assert bash(cli, f"leadctl --user {LI} edit ") == ["L0002"]
    assert bash(cli, f"leadctl --db {tmp_path / 'other.db'} edit ") == []


def test_grade_completes_a_lead_then_its_grade_and_confirm_the_grades_to_confirm(cli):
    leads(cli)
    cli.ok("grade", "L2", "B", "--reason", "预算待定", user=LI)
    assert bash(cli, "leadctl grade ") == ["L0001", "L0004"]
    assert zsh(cli, "leadctl grade L0001 ") == [
        ("A", "clear need, budget, decision within a month (高意向)"),
        ("B", "clear need, budget unconfirmed, 1–3 months (中意向)"),
        ("C", "first inquiry, vague need or budget (低意向)"),
        ("D", "no need now, refused, out of scope (暂缓)"),
    ]
    assert bash(cli, "leadctl grade L0001 b") == ["b"]
    assert bash(cli, "leadctl grade L0001 B ") == []
    assert zsh(cli, "leadctl grade --confirm ") == [("L0002", f"乙公司 · B · {LI}")]


def test_claim_completes_the_pool(cli):
    leads(cli)
    cli.ok("release", "L1", "--reason", "暂无需求")
    assert zsh(cli, "leadctl claim ", LEADCTL_USER=LI) == [("L0001", "甲公司")]


# ---------------------------------------------------------------- closed choices


def test_closed_choices_come_with_their_chinese_names(cli):
    assert zsh(cli, "leadctl follow L1 --channel ") == [
        ("phone", "电话"), ("wechat", "微信"), ("meeting", "面谈"), ("email", "邮件"),
        ("other", "其他"),
    ]  # fmt: skip
    assert zsh(cli, "leadctl follow L1 --mood h") == [("hesitant", "犹豫观望")]
    assert zsh(cli, "leadctl follow L1 --kind p") == [("proposal", "方案")]
    assert zsh(cli, "leadctl close L1 lost --reason n") == [
        ("need-changed", "需求变更"), ("no-response", "无回应"),
    ]  # fmt: skip
    assert zsh(cli, "leadctl close L1 ") == [("won", "成交"), ("lost", "未转化")]
    assert zsh(cli, "leadctl add X --type ") == [("company", "企业"), ("person", "个人")]
    assert bash(cli, "leadctl list --status o") == ["opportunity"]
    assert bash(cli, "leadctl list --grade ") == ["A", "B", "C", "D"]
    assert zsh(cli, "leadctl team role 王芳 ") == [("rep", "销售"), ("supervisor", "主管")]


def test_a_chinese_character_offers_the_chinese_names(cli):
    assert bash(cli, "leadctl follow L1 --channel 微") == ["微信"]
    assert zsh(cli, "leadctl close L1 lost --reason 预") == [("预算不足", "budget")]
    assert bash(cli, "leadctl follow L1 --mood 积极") == ["积极关注"]


# ---------------------------------------------------------------- reps and sources


def test_reps_are_the_owners_without_a_roster_and_the_members_with_one(cli):
    leads(cli)
    assert sorted(zsh(cli, "leadctl assign L1 ")) == sorted([(REP, "3 leads"), (LI, "1 lead")])
    cli.ok("team", "add", "张伟", "--role", "supervisor", user="张伟")
    cli.ok("team", "add", REP, user="张伟")
    assert sorted(zsh(cli, "leadctl today --owner ")) == [("张伟", "supervisor"), (REP, "rep")]
    assert bash(cli, "leadctl list --owner 张") == ["张伟"]
    assert bash(cli, "leadctl team remove 王") == [REP]


def test_sources_are_those_in_use_then_the_teams_list(cli):
    cli.add("甲公司", "13800138000")
    cli.add("乙公司", "13800138001")
    cli.json("add", "丙公司", "--phone", "13800138002", "--source", "展会", "--need", "CRM")
    assert zsh(cli, "leadctl list --source ") == [("官网注册", "2 leads"), ("展会", "1 lead")]
    Path(cli.env["LEADCTL_CONFIG"]).write_text(
        '[sources]\n"行业展会" = ["展会", "展销会"]\n"官网注册" = []\n', encoding="utf-8"
    )
    assert zsh(cli, "leadctl add X --source ") == [
        ("行业展会", "also 展会, 展销会"), ("官网注册", ""),
    ]  # fmt: skip
    assert bash(cli, "leadctl edit L1 --source 行") == ["行业展会"]


# ---------------------------------------------------------------- read only, never created


def test_completion_never_creates_a_database(cli, tmp_path):
    typo = tmp_path / "weeek" / "leads.db"
    assert bash(cli, f"leadctl --db {typo} show ") == []
    assert not typo.parent.exists()
    data = tmp_path / "fresh-data"
    env = {"XDG_DATA_HOME": str(data)}
    # LEADCTL_DB empty: the default database, in the user data folder
    result = cli(_LEADCTL_COMPLETE="complete_bash", COMP_WORDS="leadctl show ", COMP_CWORD="2",
                 LEADCTL_DB="", **env)  # fmt: skip
    assert (result.code, result.out.strip()) == (0, "")
    assert not data.exists()


def test_completion_writes_nothing_not_even_a_due_day_recompute(cli):
    leads(cli)
    before = (cli.counts(), cli.rows("SELECT * FROM lead ORDER BY id"),
              cli.rows("SELECT * FROM setting ORDER BY key"))  # fmt: skip
    # a changed cadence would make the next command recompute every due day
    Path(cli.env["LEADCTL_CONFIG"]).write_text("[cadence]\nc_days = 3\n", encoding="utf-8")
    assert bash(cli, "leadctl show ") == ["L0001", "L0004"]
    after = (cli.counts(), cli.rows("SELECT * FROM lead ORDER BY id"),
             cli.rows("SELECT * FROM setting ORDER BY key"))  # fmt: skip
    assert after == before


def test_a_database_still_to_migrate_is_left_alone(cli):
    leads(cli)
    with cli.engine().begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": EARLIER})
    try:
        assert bash(cli, "leadctl show ") == []
        assert cli.scalar("SELECT version_num FROM alembic_version") == EARLIER
    finally:  # the PostgreSQL test database is shared by the worker's tests: put it back
        with cli.engine().begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD_REVISION})


def test_a_config_that_cannot_be_read_gives_no_values_and_no_error(cli):
    leads(cli)
    Path(cli.env["LEADCTL_CONFIG"]).write_text("[sources\n", encoding="utf-8")
    result = cli(_LEADCTL_COMPLETE="complete_bash", COMP_WORDS="leadctl show ", COMP_CWORD="2")
    assert (result.code, result.out.strip(), result.err) == (0, "", "")


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("instruction", ["complete_bash", "complete_zsh", "complete_fish"])
def test_a_stray_completion_variable_gives_no_values_and_no_traceback(cli, instruction):
    """_LEADCTL_COMPLETE exported by mistake, without the shell's own variables."""
    for name in ("COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS"):
        cli.env.pop(name, None)
    result = cli(_LEADCTL_COMPLETE=instruction)
    assert result.code in (0, 1), result
    assert result.err == "", result  # (zsh and fish then offer the commands, as Typer does)
    assert "Traceback" not in result.out and "Error" not in result.out
    if instruction == "complete_bash":
        assert result.out.strip() == ""
    assert cli.counts()["lead"] == 0


# ---------------------------------------------------------------- installing it


def test_the_install_and_show_options_exist(cli):
    out = cli.ok("--help").out
    assert "--install-completion" in out and "--show-completion" in out
    result = cli(_LEADCTL_COMPLETE="source_zsh")
    assert result.code == 0
    assert "compdef _leadctl_completion leadctl" in result.out


CONSOLE_SCRIPT = Path(sys.executable).parent / "leadctl"


def test_install_completion_for_bash_and_the_script_completes_in_bash(cli, tmp_path):
    leads(cli)
    env = {**os.environ, **cli.env, "HOME": str(tmp_path),
           "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}  # fmt: skip
    done = subprocess.run([CONSOLE_SCRIPT, "--install-completion", "bash"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "leadctl.sh"
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    # bash itself runs the installed function, as TAB would
    session = (
        f"source '{script}'\n"
        'COMP_WORDS=(leadctl follow L0001 --channel ""); COMP_CWORD=4\n'
        f"_leadctl_completion '{CONSOLE_SCRIPT}'\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
        'COMP_WORDS=(leadctl show ""); COMP_CWORD=2\n'
        f"_leadctl_completion '{CONSOLE_SCRIPT}'\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    shell = subprocess.run(["bash", "--norc", "-c", session], env=env, capture_output=True,
                           text=True, timeout=60)  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["phone", "wechat", "meeting", "email", "other",
                                    "L0001", "L0004"]  # fmt: skip


# ---------------------------------------------------------------- staying fast


def _modules_while_completing(cli: Any, line: str) -> set[str]:
    words = line.split() + ([""] if line.endswith(" ") else [])
    code = (
        "import sys, json\n"
        "from leadctl.entry import main\n"
        "code = main([])\n"
        "sys.stderr.write(json.dumps([code, sorted(m.split('.')[0] for m in sys.modules)]))\n"
    )
    env = {**os.environ, **cli.env, "_LEADCTL_COMPLETE": "complete_bash",
           "COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    exit_code, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    assert exit_code == 0, proc.stderr
    return set(modules)


def test_a_closed_choice_completes_without_the_database_layer(cli):
    modules = _modules_while_completing(cli, "leadctl follow L1 --channel ")
    assert not {"sqlalchemy", "sqlmodel", "rich", "openpyxl", "alembic", "pypinyin"} & modules


def test_a_lead_number_completes_without_heavy_modules(cli):
    cli.add("甲公司", "13800138000")
    modules = _modules_while_completing(cli, "leadctl show ")
    assert not {"rich", "openpyxl", "alembic", "pypinyin", "phonenumbers", "dateutil"} & modules


def test_only_the_command_being_completed_is_built(monkeypatch):
    from leadctl.entry import _command_for, _completion_words

    monkeypatch.setenv("COMP_WORDS", "leadctl --db x.db show L")
    monkeypatch.setenv("COMP_CWORD", "4")
    assert list(_command_for(_completion_words("complete_bash")).commands) == ["show"]
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "leadctl team r")
    assert list(_command_for(_completion_words("complete_zsh")).commands) == ["team"]
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "leadctl sh")
    assert len(_command_for(_completion_words("complete_zsh")).commands) == 24
