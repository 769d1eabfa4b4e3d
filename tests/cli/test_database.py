"""The store (issue 2): migrations match the models, the default database is private, and a
database leadctl cannot use exits 3 with one clean `Error:` line, never a secret.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import MONDAY, PG_URL, REP, TZ, _pg_admin_url

ENV = {
    "LEADCTL_USER": REP,
    "LEADCTL_NOW": MONDAY,
    "LEADCTL_TZ": TZ,
    "LEADCTL_CALENDAR": "every-day",
}


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: Any, *args: str, fixed: bool = True, **env: str
) -> Any:
    """`leadctl …` in-process with only the environment given (no LEADCTL_DB unless passed).

    `fixed`: also set the test user, clock and zone (ENV)."""
    from leadctl.entry import main
    from tests.conftest import Result

    with monkeypatch.context() as mp:
        for key, value in {**(ENV if fixed else {}), **env}.items():
            mp.setenv(key, value)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def one_error_line(result: Any, code: int = 3) -> str:
    assert result.code == code, result
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("Error: "), result
    assert "Traceback" not in result.err
    return lines[0]


def sqlalchemy_url(db: str) -> str:
    return db if db.startswith("postgresql") else f"sqlite:///{db}"


@pytest.fixture
def blank_db(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database leadctl has never opened: a new file path, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield str(tmp_path / "blank.db")
        return
    from sqlalchemy.engine import make_url

    name = f"leadctl_blank_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def private_file(path: Path, content: bytes) -> Path:
    """A file the user owns alone (so leadctl has no reason to warn about its mode)."""
    path.write_bytes(content)
    os.chmod(path, 0o600)
    return path


# ---------------------------------------------------------------- schema


def _made_on(dialect: str):
    """Alembic compares every index of the models; find's scan indexes exist on SQLite only
    (Index.ddl_if), so they are left out of the comparison elsewhere."""

    def include(obj, name, type_, reflected, compare_to):
        made_if = getattr(obj, "_ddl_if", None)
        return made_if is None or made_if.dialect in (None, dialect)

    return include


def test_migrated_blank_database_matches_the_models(blank_db, monkeypatch, capsys):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import leadctl.store.tables  # noqa: F401
    from leadctl.store.engine import HEAD_REVISION

    # a write: a command that only reads never creates a database file (SPEC §6.4)
    result = run(monkeypatch, capsys, "team", "add", "张伟", "--role", "supervisor",
                 LEADCTL_DB=blank_db)  # fmt: skip
    assert result.code == 0, result
    engine = create_engine(sqlalchemy_url(blank_db))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_object": _made_on(conn.dialect.name),
                },
            )
            assert compare_metadata(context, SQLModel.metadata) == []
            assert context.get_current_revision() == HEAD_REVISION
            tables = set(SQLModel.metadata.tables)
            assert {"lead", "phone", "event", "follow_up", "opportunity", "outcome"} <= tables
    finally:
        engine.dispose()


def test_opening_twice_migrates_once(blank_db, monkeypatch, capsys):
    assert run(monkeypatch, capsys, "add", "杭州云栖科技有限公司", "--phone", "13800138000",
               "--source", "官网注册", "--need", "CRM", LEADCTL_DB=blank_db).code == 0  # fmt: skip
    result = run(monkeypatch, capsys, "list", "--json", LEADCTL_DB=blank_db)
    assert result.code == 0, result
    assert [r["number"] for r in result.json] == ["L0001"]


# ---------------------------------------------------------------- the default database


def test_default_database_is_private(tmp_path, monkeypatch, capsys):
    data_home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.delenv("LEADCTL_DB", raising=False)
    old_umask = os.umask(0o022)
    try:
        result = run(monkeypatch, capsys, "today")
        assert result.code == 0, result
        assert result.err == ""
        folder = data_home / "leadctl"
        database = folder / "leads.db"
        assert database.is_file()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(database.stat().st_mode) == 0o600
        for side in (folder / "leads.db-wal", folder / "leads.db-shm"):
            if side.exists():
                assert stat.S_IMODE(side.stat().st_mode) == 0o600
        # it is a real leadctl database, used again next time
        added = run(monkeypatch, capsys, "add", "杭州云栖科技有限公司", "--phone", "13800138000",
                    "--source", "官网注册", "--need", "CRM", "--json")  # fmt: skip
        assert added.code == 0, added
        assert run(monkeypatch, capsys, "today", "--json").json["items"][0]["number"] == "L0001"
        assert stat.S_IMODE(database.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_default_database_from_a_real_process(tmp_path):
    """The console script on a fresh home: creates a private database and exits 0."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")},
        **ENV,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        ["sh", "-c", f"umask 022 && exec {sys.executable} -m leadctl today"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc
    database = tmp_path / "data" / "leadctl" / "leads.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700


# ---------------------------------------------------------------- databases leadctl cannot use


def test_damaged_sqlite_file_exits_3(tmp_path, monkeypatch, capsys):
    content = b"SQLite format 3\x00" + b"\xff" * 4080  # SQLite's header, then garbage
    path = private_file(tmp_path / "leads.db", content)
    for args in (["today"], ["list", "--json"], ["add", "x", "--phone", "13800138000",
                                                  "--source", "s", "--need", "n"]):  # fmt: skip
        line = one_error_line(run(monkeypatch, capsys, *args, LEADCTL_DB=str(path)))
        assert line == f"Error: The database {path} is damaged; restore it from a backup."
    assert path.read_bytes() == content  # never touched


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"this is a text file, not a database\n" * 100, b"x"],
    ids=["random", "text", "one-byte"],
)
def test_a_file_that_is_not_sqlite_is_not_a_leadctl_database(tmp_path, monkeypatch, capsys,
                                                              content):  # fmt: skip
    path = private_file(tmp_path / "notes.txt", content)
    for args, env in (
        (["today"], {"LEADCTL_DB": str(path)}),
        (["--db", str(path), "list", "--json"], {}),
        (["add", "x", "--phone", "13800138000", "--source", "s", "--need", "n"],
         {"LEADCTL_DB": str(path)}),
    ):  # fmt: skip
        line = one_error_line(run(monkeypatch, capsys, *args, **env))
        named_by = "--db" if "--db" in args else "LEADCTL_DB"
        assert line == (
            f"Error: {path} is not a leadctl database (not a SQLite file at all); check the path "
            f"set by {named_by}."
        )
    assert path.read_bytes() == content  # never touched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no -wal, no -shm


def test_foreign_sqlite_database_exits_3_untouched(tmp_path, monkeypatch, capsys):
    import sqlite3

    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.execute("INSERT INTO customers VALUES ('x')")
    conn.commit()
    conn.close()
    os.chmod(path, 0o600)
    before = path.read_bytes()
    line = one_error_line(run(monkeypatch, capsys, "today", LEADCTL_DB=str(path)))
    assert line == (
        f"Error: {path} is not a leadctl database; point --db or LEADCTL_DB at a leadctl "
        "database or a new file."
    )
    # not migrated, not switched to WAL, no side files: someone else's database stays theirs
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_foreign_postgresql_database_exits_3(monkeypatch, capsys):
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"leadctl_foreign_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        from sqlalchemy.engine import make_url

        url = make_url(PG_URL).set(database=name)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE customers (name TEXT)"))
        engine.dispose()
        db = url.render_as_string(hide_password=False)
        line = one_error_line(run(monkeypatch, capsys, "today", LEADCTL_DB=db))
        assert line.endswith(
            "is not a leadctl database; point --db or LEADCTL_DB at a leadctl database or a new "
            "file."
        )
        engine = create_engine(url)
        with engine.connect() as conn:
            names = conn.execute(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema='public'")
            ).scalars()
            assert sorted(names) == ["customers"]
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_newer_schema_exits_3(cli):
    cli.add("杭州云栖科技有限公司", "13800138000")
    from leadctl.store.engine import HEAD_REVISION

    with cli.engine().begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        before = cli.counts()
        for args in (["today"], ["show", "L0001"], ["grade", "1", "A", "--reason", "r"]):
            line = one_error_line(cli(*args))
            assert line.endswith(
                "was written by a newer leadctl (schema 9999_future); upgrade leadctl to use it."
            )
        assert cli.counts() == before
        assert cli.scalar("SELECT version_num FROM alembic_version") == "9999_future"
    finally:  # the PostgreSQL database is shared by the session's tests
        with cli.engine().begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD_REVISION})


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://u:secret@127.0.0.1:1/x",
        "postgresql://u:secret@127.0.0.1:1/x",
        "postgresql+psycopg://u:secret@nonexistent.invalid:5432/x",
    ],
)
def test_unreachable_postgresql_exits_3_without_the_password(monkeypatch, capsys, url):
    for args in (["today"], ["list", "--json"], ["--db", url, "today"]):
        env = {} if "--db" in args else {"LEADCTL_DB": url}
        result = run(monkeypatch, capsys, *args, **env)
        line = one_error_line(result)
        assert "secret" not in result.out + result.err
        assert "u:***@" in line
        assert "unavailable" in line


def test_wrong_postgresql_password_is_not_printed(monkeypatch, capsys):
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL).set(database="no_such_database_here", password="hunter2-secret")
    result = run(monkeypatch, capsys, "today", LEADCTL_DB=url.render_as_string(False))
    one_error_line(result)
    assert "hunter2" not in result.out + result.err


# ---------------------------------------------------------------- start-up cost


PROBE = """
import sys
from leadctl.entry import main
code = main(["today", "--json"])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"alembic", "openpyxl"})
print("RESULT", code, ",".join(heavy) or "-")
"""


def probe(db: str, tmp_path: Path) -> tuple[int, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")},
        **ENV,
        "LEADCTL_DB": db,
        "LEADCTL_CONFIG": str(tmp_path / "none.toml"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc
    last = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")][-1]
    _, code, heavy = last.split(" ")
    return int(code), heavy


def test_alembic_is_not_imported_when_the_schema_is_current(cli, tmp_path):
    cli.add("杭州云栖科技有限公司", "13800138000")  # the database exists and is current
    assert probe(cli.db, tmp_path) == (0, "-")


def test_alembic_is_imported_to_migrate_a_blank_database(blank_db, tmp_path):
    # the control for the test above: the probe does see alembic when it is used. A command
    # that only reads creates no file, but migrates an empty one that exists
    if not blank_db.startswith("postgresql"):
        private_file(Path(blank_db), b"")
    assert probe(blank_db, tmp_path) == (0, "alembic")


# ---------------------------------------------------------------- settings


def write_config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "leadctl.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_settings_layers_config_then_environment_then_option(tmp_path, monkeypatch, capsys):
    config = write_config(
        tmp_path,
        f'db = "{tmp_path / "from-config.db"}"\nuser = "配置用户"\ntz = "UTC"\n',
    )
    late_sunday = {"LEADCTL_NOW": "2024-10-06T23:30+00:00", "LEADCTL_CONFIG": config}

    def today(*args: str, **env: str) -> Any:
        """`today --json`, and which database it read, by the warning that names it (it does
        not exist: a command that only reads does not create it)."""
        result = run(monkeypatch, capsys, *args, "today", "--json", fixed=False,
                     **late_sunday, **env)  # fmt: skip
        assert result.code == 0, result
        return result.json, result.err.split(" (set by ")[0].split("database at ")[-1]

    doc, read = today()
    assert (doc["owner"], doc["date"], read) == (
        "配置用户",
        "2024-10-06",
        str(tmp_path / "from-config.db"),
    )
    doc, read = today(LEADCTL_DB=str(tmp_path / "from-env.db"), LEADCTL_USER="环境用户",
                      LEADCTL_TZ="Asia/Shanghai")  # fmt: skip
    assert (doc["owner"], doc["date"], read) == (
        "环境用户",
        "2024-10-07",
        str(tmp_path / "from-env.db"),
    )
    option_db = str(tmp_path / "from-option.db")
    doc, read = today("--db", option_db, "--user", "选项用户", "--tz", "UTC",
                      LEADCTL_DB=str(tmp_path / "from-env.db"), LEADCTL_USER="环境用户",
                      LEADCTL_TZ="Asia/Shanghai")  # fmt: skip
    assert (doc["owner"], doc["date"], read) == ("选项用户", "2024-10-06", option_db)
    assert sorted(p.name for p in tmp_path.glob("*.db")) == []


def test_number_prefix_from_config(tmp_path, monkeypatch, capsys):
    config = write_config(tmp_path, 'number_prefix = "线索"\n')
    db = str(tmp_path / "leads.db")
    added = run(monkeypatch, capsys, "add", "杭州云栖科技有限公司", "--phone", "13800138000",
                "--source", "官网注册", "--need", "CRM", "--json",
                LEADCTL_DB=db, LEADCTL_CONFIG=config)  # fmt: skip
    assert added.json["number"] == "线索0001"
    for ref in ("线索0001", "线索1", "L1", "1"):
        shown = run(
            monkeypatch, capsys, "show", ref, "--json", LEADCTL_DB=db, LEADCTL_CONFIG=config
        )
        assert shown.json["number"] == "线索0001"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("db = [", "Error: Cannot read the config file"),
        ("db = 5\n", "Error: db in the config file must be text."),
        ("tz = 8\n", "Error: tz in the config file must be text."),
        ('tz = "Mars/Base"\n', "Error: Unknown time zone 'Mars/Base'"),
        ("number_prefix = 1\n", "Error: number_prefix in the config file must be text."),
        ('late_log_minutes = "x"\n', "Error: late_log_minutes in the config file must be a whole"),
        ('lock_timeout = "soon"\n', "Error: lock_timeout must be a positive number of seconds"),
        ('lock_timeout = "nan"\n', "Error: lock_timeout must be a positive number of seconds"),
        ('[cadence]\na_days = "x"\n', "Error: cadence.a_days in the config file must be a whole"),
        ("[cadence]\nz_days = 1\n", "Error: Unknown setting 'z_days' in [cadence]"),
        ('[wake]\nlost_reasons = "budget"\n', "Error: wake.lost_reasons in the config file must"),
        ('[wake]\nlost_reasons = ["money"]\n', "Error: wake.lost_reasons in the config file: unk"),
    ],
)
def test_bad_config_exits_2_with_one_line(tmp_path, monkeypatch, capsys, body, message):
    # checked even where the environment overrides it (LEADCTL_DB, LEADCTL_TZ are set)
    config = write_config(tmp_path, body)
    result = run(monkeypatch, capsys, "today", LEADCTL_CONFIG=config,
                 LEADCTL_DB=str(tmp_path / "leads.db"))  # fmt: skip
    assert one_error_line(result, code=2).startswith(message)
    assert not (tmp_path / "leads.db").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LEADCTL_TZ": "Mars/Base"}, "Error: Unknown time zone 'Mars/Base': use an IANA name"),
        ({"LEADCTL_NOW": "yesterday"}, "Error: LEADCTL_NOW 'yesterday' is not an ISO 8601 time"),
        ({"LEADCTL_USER": "  "}, "Error: The user name is empty: set --user or LEADCTL_USER."),
        (
            {"LEADCTL_LOCK_TIMEOUT": "-1"},
            "Error: lock_timeout must be a positive number of seconds",
        ),
    ],
)
def test_bad_environment_exits_2_with_one_line(tmp_path, monkeypatch, capsys, env, message):
    db = str(tmp_path / "leads.db")
    result = run(monkeypatch, capsys, "today", LEADCTL_DB=db, **env)
    assert one_error_line(result, code=2).startswith(message)
    assert not Path(db).exists()


def test_postgresql_without_the_driver_exits_3(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were missing
    result = run(monkeypatch, capsys, "today", LEADCTL_DB="postgresql+psycopg://u:secret@h/x")
    assert one_error_line(result) == (
        "Error: PostgreSQL needs the postgres extra: run pip install '.[postgres]' in leadctl's "
        "folder (or pip install 'psycopg[binary]')."
    )
