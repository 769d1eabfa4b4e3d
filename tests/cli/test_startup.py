"""What each command pays for at start-up (issue 7): heavy modules stay off the everyday path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Annotated

import pytest
import typer

# pypinyin (~250 ms) is paid by the writes of a name and by find, never by the queue
HEAVY_EVERYWHERE = {"openpyxl", "alembic", "phonenumbers", "dateutil", "pypinyin"}


def _modules_after(cli, *args: str) -> set[str]:
    code = (
        "import sys, json\n"
        "from leadctl.entry import main\n"
        f"code = main({list(args)!r})\n"
        "sys.stderr.write(json.dumps([code, sorted(m.split('.')[0] for m in sys.modules)]))\n"
    )
    env = {**os.environ, **cli.env}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    exit_code, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    assert exit_code == 0, proc.stderr
    return set(modules)


def test_today_imports_no_heavy_module(cli):
    cli.add("杭州云栖科技有限公司", "13800138000")
    modules = _modules_after(cli, "today")
    assert not HEAVY_EVERYWHERE & modules
    if cli.backend == "sqlite":
        assert "psycopg" not in modules
    else:
        assert "psycopg" in modules  # it is the driver there


def test_today_json_does_not_load_rich(cli):
    cli.add("杭州云栖科技有限公司", "13800138000")
    modules = _modules_after(cli, "today", "--json")
    assert not HEAVY_EVERYWHERE & modules
    assert "rich" not in modules


def test_an_xlsx_export_does_not_load_openpyxl(cli, tmp_path):
    """The workbook's XML is written directly (leadctl.io.sheet): ~5x faster at 100k leads."""
    cli.add("杭州云栖科技有限公司", "13800138000")
    modules = _modules_after(cli, "export", str(tmp_path / "leads.xlsx"))
    assert "openpyxl" not in modules
    assert (tmp_path / "leads.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("args", [["--help"], ["today", "--help"], ["add", "-h"]])
def test_help_loads_no_database_layer(args):
    code = (
        "import sys, json\n"
        "from leadctl.entry import main\n"
        f"main({args!r})\n"
        "sys.stderr.write(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert f"Usage: leadctl {args[0] if len(args) > 1 else ''}".rstrip() in proc.stdout
    assert not {"sqlalchemy", "sqlmodel", "openpyxl", "alembic", "psycopg", "rich"} & modules


def test_console_script_exits_with_the_code_and_flushes_output(cli):
    """The console script's fast exit still delivers every byte and the exit code."""
    env = {**os.environ, **cli.env}
    ok = subprocess.run(
        [sys.executable, "-m", "leadctl", "add", "杭州云栖科技有限公司", "--phone", "13800138000",
         "--source", "官网注册", "--need", "CRM", "--json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["number"] == "L0001"
    bad = subprocess.run(
        [sys.executable, "-m", "leadctl", "show", "L0099"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.startswith("Error: No lead L0099")
    assert cli.scalar("SELECT count(*) FROM lead") == 1


def test_only_the_command_asked_for_is_built_whatever_global_options_come_first():
    from leadctl.entry import _command_for

    assert list(_command_for(["today"]).commands) == ["today"]
    assert list(_command_for(["--db", "x.db", "--user=王芳", "--tz", "UTC", "show"]).commands) == [
        "show"
    ]
    assert list(_command_for(["--calendar", "cn", "team", "list"]).commands) == ["team"]
    for whole_app in (["--help"], [], ["--db", "x.db"], ["--bogus", "today"], ["tday"]):
        assert len(_command_for(whole_app).commands) == 24, whole_app  # 23 and `team`


def test_the_global_options_are_read_off_the_app_callback():
    """A new global option (a value or a flag) needs no list of names beside the callback."""
    from leadctl.entry import _requested_command

    options = typer.Typer()

    @options.callback()
    def _global(
        calendar: Annotated[str | None, typer.Option("--calendar", "-c")] = None,
        quiet: Annotated[bool, typer.Option("--quiet/--loud")] = False,
    ) -> None: ...

    params = typer.main.get_group(options).params
    for args in (
        ["--calendar", "cn", "today"],
        ["-c", "cn", "today"],
        ["--calendar=cn", "--loud", "today", "--all"],
        ["--quiet", "today"],
    ):
        assert _requested_command(args, params) == "today", args
    assert _requested_command(["--calendar", "today"], params) is None  # "today" is its value
    assert _requested_command(["--lang", "zh", "today"], params) is None  # unknown: whole app


def test_the_console_script_collects_garbage_once_start_up_is_over(cli):
    """No collection while start-up imports (the ORM included: its largest part); the command's
    own work is collected as usual, without going through what start-up left behind again."""
    cli.add("杭州云栖科技有限公司", "13800138000")
    code = (
        "import gc, sys\n"
        "import leadctl.render.leads as views\n"
        "from leadctl.entry import run\n"
        "orm_loaded_at_first_collection = []\n"
        "def collecting(phase, info):\n"
        "    if not orm_loaded_at_first_collection:\n"
        "        orm = sys.modules.get('sqlmodel')\n"
        "        orm_loaded_at_first_collection.append(hasattr(orm, 'SQLModel'))\n"
        "gc.callbacks.append(collecting)\n"
        "def lead_card(doc, clock):\n"
        "    print(gc.isenabled(), gc.get_freeze_count() > 0, orm_loaded_at_first_collection)\n"
        "views.lead_card = lead_card\n"
        "run()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "show", "L0001"],
        env={**os.environ, **cli.env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "True True [True]\n"
