"""Private data (issue 8, item 6): customers' names and phones stay in files only the user can
read, and no error path — rejected input, a database fault, or a bug — prints them, a local
variable, an SQL parameter or a password.

(The default data folder and a fresh database from a real process are in test_database.py;
this file adds the -wal/-shm files while they exist, exports, templates, the warning on a shared
database, and the error paths.)
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MONDAY, REP, TZ

CUSTOMER, PHONE = "杭州云栖科技有限公司", "13800138000"
CONTACT, WECHAT, DM_PHONE = "张秘书长", "zhang_secret_wx", "13911112222"
PERSONAL = (CUSTOMER, PHONE, "+8613800138000", "138 0013 8000", CONTACT, WECHAT, DM_PHONE)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def nothing_personal(text: str) -> None:
    for value in PERSONAL:
        assert value not in text, f"{value!r} printed: {text!r}"


# ---------------------------------------------------------------- files are private


def test_default_database_and_its_wal_and_shm_are_private_while_in_use(tmp_path, monkeypatch):
    """The -wal/-shm exist only while a connection is open: look at them then, under umask 022."""
    from leadctl.services.common import Ctx
    from leadctl.services.leads import add_lead
    from leadctl.settings import load_settings

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with umask(0o022):
        ctx = Ctx(load_settings({"LEADCTL_USER": REP, "LEADCTL_NOW": MONDAY, "LEADCTL_TZ": TZ}))
        try:
            add_lead(ctx, customer=CUSTOMER, phones=[PHONE], source="s", need="n")
            folder = tmp_path / "data" / "leadctl"
            files = {p.name: mode(p) for p in folder.iterdir()}  # the pool keeps one open
        finally:
            ctx.close()
    assert mode(folder) == 0o700
    assert files == {"leads.db": 0o600, "leads.db-wal": 0o600, "leads.db-shm": 0o600}


def test_a_new_database_named_by_path_is_private_too(tmp_path):
    """`--db new.db` in a shared folder (umask 022): the file leadctl creates is still 0600."""
    env = {
        **os.environ,
        "LEADCTL_USER": REP,
        "LEADCTL_NOW": MONDAY,
        "LEADCTL_TZ": TZ,
        "LEADCTL_CONFIG": str(tmp_path / "no.toml"),
    }
    env.pop("LEADCTL_DB", None)
    db = tmp_path / "team" / "new.db"
    proc = subprocess.run(
        [
            "sh",
            "-c",
            f'umask 022 && exec "{sys.executable}" -m leadctl --db "{db}" add '
            f"{CUSTOMER} --phone {PHONE} --source s --need n",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700  # a folder leadctl had to create holds customer data


@pytest.mark.parametrize("name", ["leads.csv", "leads.xlsx", "form.xlsx"])
def test_exports_and_templates_are_private(cli, tmp_path, name):
    cli.add(CUSTOMER, PHONE)
    target = tmp_path / "out" / name
    target.parent.mkdir()
    os.chmod(target.parent, 0o755)
    command = "template" if name.startswith("form") else "export"
    with umask(0o022):
        cli.ok(command, str(target))
        cli.ok(command, str(target), "--force")  # replacing keeps it private
    assert mode(target) == 0o600
    assert [p.name for p in target.parent.iterdir()] == [name]  # no temporary file left


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL's server guards its own files
@pytest.mark.parametrize("shared_mode", [0o644, 0o640, 0o604])
def test_a_database_others_can_read_gets_a_one_line_warning(cli, shared_mode):
    """The command still runs (the data is the user's to share), stdout stays clean JSON."""
    cli.add(CUSTOMER, PHONE)
    os.chmod(cli.db, shared_mode)
    result = cli("list", "--json")
    assert result.code == 0
    assert [row["number"] for row in result.json] == ["L0001"]
    assert result.err == (
        f"Warning: the database {cli.db} is readable by other users; run `chmod 600 {cli.db}` "
        "to keep customer data private.\n"
    )
    os.chmod(cli.db, 0o600)
    assert cli("list", "--json").err == ""


# ---------------------------------------------------------------- nothing personal on error paths


def captured(cli: Any) -> None:
    """A lead whose every personal field is set (the data a leak would show)."""
    cli.add(CUSTOMER, PHONE, "--contact", CONTACT, "--wechat", WECHAT)
    cli.ok("grade", "L0001", "A", "--reason", "预算明确")


def test_rejections_quote_only_what_the_user_typed(cli):
    """Exit 2 messages name the lead and what was wrong with the input, never stored data."""
    captured(cli)
    for args in (
        ["show", "L0009"],
        ["grade", "L0001", "Z", "--reason", "x"],
        ["follow", "L0001", "--note", "x", "--at", "明年"],
        ["upgrade", "L0001"],
        ["close", "L0001", "lost", "--reason", "budget"],
        ["edit", "L0001", "--email", "not-an-email"],
        ["assign", "L0001", REP],
    ):
        result = cli(*args)
        assert result.code == 2, result
        nothing_personal(result.err)


def forced_bug(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Make `add` hit a bug deep inside, with the customer's data in local variables."""
    import leadctl.services.leads as capture

    original = capture.insert_lead

    def insert_lead(ctx: Any, session: Any, draft: Any) -> Any:
        lead = original(ctx, session, draft)  # draft, lead: locals full of personal data
        phone, customer = draft.phones[0], lead.customer  # noqa: F841
        if how == "python":
            raise RuntimeError("the cadence table is inconsistent")
        if how == "constraint":  # PostgreSQL's DETAIL would print the whole failing row
            lead.status = None
            session.flush()
        if how == "conversion":  # refused while binding: SQLAlchemy's message lists parameters
            session.add(
                type(lead)(
                    **{**lead.model_dump(exclude={"id"}), "created_at": datetime(2024, 10, 7, 9, 0)}
                )
            )
            session.flush()
        return lead

    monkeypatch.setattr(capture, "insert_lead", insert_lead)


@pytest.mark.parametrize("how", ["python", "constraint", "conversion"])
def test_a_bug_prints_a_traceback_without_locals_parameters_or_personal_data(cli, monkeypatch, how):
    forced_bug(monkeypatch, how)
    result = cli(
        "add",
        CUSTOMER,
        "--phone",
        PHONE,
        "--source",
        "官网注册",
        "--need",
        "采购CRM",
        "--contact",
        CONTACT,
        "--wechat",
        WECHAT,
    )
    assert result.code == 1, result
    assert result.out == ""
    assert result.err.startswith("Error: leadctl hit a bug; please report it with the lines below.")
    assert "Traceback (most recent call last)" in result.err
    nothing_personal(result.err)
    assert "draft = " not in result.err and "locals" not in result.err.lower()
    assert cli.counts()["lead"] == 0  # and nothing of it was written


def test_a_bug_in_a_real_process_prints_nothing_personal(cli, tmp_path):
    """The console script's path (fast exit) on a real bug: a service that blows up."""
    hook = (
        "import leadctl.services.leads as c\n"
        "def boom(ctx, session, draft):\n"
        "    secret = draft.customer + draft.phones[0]\n"
        "    raise KeyError(len(secret))\n"
        "c.insert_lead = boom\n"
        "import sys; sys.argv[0] = 'leadctl'\n"
        "from leadctl.entry import run; run()\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            hook,
            "add",
            CUSTOMER,
            "--phone",
            PHONE,
            "--source",
            "s",
            "--need",
            "n",
            "--contact",
            CONTACT,
        ],
        env={**os.environ, **cli.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc
    assert "KeyError" in proc.stderr
    nothing_personal(proc.stderr + proc.stdout)


def test_a_password_in_the_url_never_shows_on_a_bug(monkeypatch, capsys, tmp_path):
    """Even a bug while the URL is a local variable (opening the store) masks the password."""
    import leadctl.store.engine as engine_module
    from leadctl.entry import main

    def broken_engine(url: str, lock_timeout: float) -> Any:
        raise RuntimeError("the driver could not be loaded")

    monkeypatch.setattr(engine_module, "_postgres_engine", broken_engine)
    for key, value in {
        "LEADCTL_USER": REP,
        "LEADCTL_NOW": MONDAY,
        "LEADCTL_TZ": TZ,
        "LEADCTL_DB": "postgresql+psycopg://rep:pa55-secret@db.example/leads",
    }.items():
        monkeypatch.setenv(key, value)
    assert main(["today"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "pa55-secret" not in err
