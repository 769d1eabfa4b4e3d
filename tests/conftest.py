"""Fixtures: every test that touches a database runs on SQLite and on PostgreSQL.

PostgreSQL comes from LEADCTL_TEST_PG_URL (default: the local server, trust auth). When it cannot
be reached the PostgreSQL half of the suite errors — it is never skipped.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# the suite reads English unless a test asks for Chinese (SPEC §6.5): a developer's zh locale or
# LEADCTL_LANG must not change what the assertions read; subprocesses inherit it
os.environ["LEADCTL_LANG"] = "en"

PG_URL = os.environ.get("LEADCTL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MONDAY = "2024-10-07T09:00"  # a Monday, 09:00 in Asia/Shanghai
TZ = "Asia/Shanghai"
REP = "王芳"

TABLES = (
    "event",
    "follow_up",
    "phone",
    "opportunity",
    "outcome",
    "wake_run",
    "lead_key",
    "lead_change",
    "lead",
)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    def __repr__(self) -> str:  # shown by pytest on a failed assert
        return f"Result(code={self.code}, out={self.out[:2000]!r}, err={self.err[:2000]!r})"


class Cli:
    """Run `leadctl …` in-process, as a user would, with a fixed clock."""

    def __init__(self, db: str, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
        self.db = db
        self.home = home
        self.backend = "postgresql" if db.startswith("postgresql") else "sqlite"
        self._mp = monkeypatch
        self._capsys = capsys
        self.env = {
            "LEADCTL_DB": db,
            "LEADCTL_USER": REP,
            "LEADCTL_NOW": MONDAY,
            "LEADCTL_TZ": TZ,
            # §1–5's tests count calendar days; the work calendar has tests of its own
            "LEADCTL_CALENDAR": "every-day",
            "LEADCTL_CONFIG": str(home / "leadctl.toml"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "LEADCTL_LANG": "en",
        }
        self._engine: Any = None

    def __call__(
        self, *args: str, user: str | None = None, now: str | None = None, **env: str
    ) -> Result:
        from leadctl.entry import main

        values = dict(self.env)
        if user is not None:
            values["LEADCTL_USER"] = user
        if now is not None:
            values["LEADCTL_NOW"] = now
        values.update(env)
        with self._mp.context() as mp:
            for key, value in values.items():
                mp.setenv(key, value)
            self._capsys.readouterr()
            code = main([str(a) for a in args])
            captured = self._capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *args: str, **kwargs: Any) -> Result:
        result = self(*args, **kwargs)
        assert result.code == 0, result
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        return self.ok(*args, "--json", **kwargs).json

    def add(self, customer: str, phone: str, *extra: str, **kwargs: Any) -> dict[str, Any]:
        return self.json(
            "add", customer, "--phone", phone, "--source", "官网注册", "--need", "采购CRM系统",
            *extra, **kwargs,
        )  # fmt: skip

    # -- looking at the database afterwards
    def engine(self) -> Any:
        if self._engine is None:
            from sqlalchemy import create_engine

            url = self.db if self.backend == "postgresql" else f"sqlite:///{self.db}"
            self._engine = create_engine(url)
        return self._engine

    def rows(self, sql: str, **params: Any) -> list[Any]:
        from sqlalchemy import text

        with self.engine().connect() as conn:
            return list(conn.execute(text(sql), params))

    def scalar(self, sql: str, **params: Any) -> Any:
        return self.rows(sql, **params)[0][0]

    def counts(self) -> dict[str, int]:
        """Rows in every table: compare before/after to prove nothing was written."""
        return {t: self.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _pg_admin_url(database: str = "postgres") -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_database(worker_id: str) -> Iterator[str]:
    """One migrated PostgreSQL database per test worker; tests truncate it between them."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    # unique per process: two test runs on one machine never share (or drop) a database
    name = f"leadctl_test_{worker_id}_{os.getpid()}".replace("-", "_")
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # never skip: the PostgreSQL half must run
        raise RuntimeError(
            f"PostgreSQL is unreachable at {make_url(PG_URL).render_as_string()}: {exc}"
        ) from exc
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    from leadctl.settings import load_settings
    from leadctl.store.engine import open_store

    open_store(load_settings({"LEADCTL_USER": "t"}, db=url)).close()  # migrate once
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated blank SQLite database, copied for each test (migrating once is enough)."""
    path = tmp_path_factory.mktemp("template") / "leads.db"
    from leadctl.settings import load_settings
    from leadctl.store.engine import open_store

    store = open_store(load_settings({"LEADCTL_USER": "t"}, db=str(path)))
    store.close()
    return path


def _truncate(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT to_regclass('public.lead')")).scalar()
        if exists:
            tables = ", ".join((*TABLES, "setting", "member"))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "postgresql":
        url = str(request.getfixturevalue("pg_database"))
        _truncate(url)
        return url
    template = request.getfixturevalue("sqlite_template")
    target = tmp_path / "leads.db"
    shutil.copy(template, target)
    os.chmod(target, 0o600)
    return str(target)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Iterator[Cli]:
    runner = Cli(db_url, tmp_path, monkeypatch, capsys)
    yield runner
    runner.close()


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch a real home: data and config dirs point into the test's temp dir."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("LEADCTL_CONFIG", str(tmp_path / "no-config.toml"))
    for var in ("LEADCTL_DB", "LEADCTL_USER", "LEADCTL_NOW", "LEADCTL_TZ"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """Each test starts in English: a command run in Chinese leaves the process speaking it,
    and unit tests call the domain directly."""
    from leadctl import i18n

    i18n.use("en")
    yield
    i18n.use("en")
