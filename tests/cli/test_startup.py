"""What each command pays for at start-up (issue 7): heavy modules stay off the everyday path."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY_EVERYWHERE = {"openpyxl", "alembic", "phonenumbers", "dateutil"}


def _modules_after(cli, *args: str) -> set[str]:
    code = (
        "import sys, json\n"
        "from leadctl.cli import main\n"
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


def test_help_loads_no_database_layer(tmp_path):
    code = (
        "import sys, json\n"
        "from leadctl.cli import main\n"
        "main(['--help'])\n"
        "sys.stderr.write(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert "Usage: leadctl" in proc.stdout
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
