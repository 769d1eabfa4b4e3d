"""Locks, ghost commits, crashes and broken storage (issue 8, items 1–4), on both engines.

What a user must see when the database cannot do its part: exit 3 and one `Error:` line that
says what to do — never a traceback, a password, a phone or a customer's name — and afterwards
a database holding every committed change and nothing else. (Corrupt files, foreign and newer
databases and unreachable servers are in test_database.py; this file adds what happens under
load, on crashes, on a damaged page, read-only files and folders, and a full disk.)
"""

from __future__ import annotations

import contextlib
import csv
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.cli.test_database import one_error_line
from tests.conftest import MONDAY, PG_URL, REP, TZ, _pg_admin_url

CUSTOMER, PHONE = "杭州云栖科技有限公司", "13800138000"
ADD_MINE = ("add", CUSTOMER, "--phone", PHONE, "--source", "官网注册", "--need", "采购CRM")
ADD_NEW = ("add", "新客户", "--phone", "13700137000", "--source", "展会", "--need", "CRM")
LOCKED = "stayed locked by another leadctl past the lock timeout; try again in a moment"


def leadctl(
    cli: Any, *args: str, prefix: tuple[str, ...] = (), preexec: Any = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`leadctl …` as its own process (the console script's fast exit included)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "leadctl", *args],
        env={**os.environ, **cli.env, **env},
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=preexec,
    )


def no_secrets(text_: str, *secrets: str) -> None:
    for secret in (CUSTOMER, PHONE, "138 0013 8000", "+8613800138000", *secrets):
        assert secret not in text_, f"{secret!r} leaked: {text_!r}"


def integrity(path: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


# ---------------------------------------------------------------- locks: wait, then exit 3


@contextlib.contextmanager
def lock_held(cli: Any, seconds: float) -> Iterator[None]:
    """Another writer holds the lock leadctl's `add` needs, for `seconds` (then lets go)."""
    ready = threading.Event()
    if cli.backend == "sqlite":
        conn: Any = sqlite3.connect(cli.db, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        release = conn.execute
    else:  # `add` serialises on the leads advisory lock (and `follow` on the lead's row)
        engine = create_engine(cli.db)
        conn = engine.connect()
        conn.execute(text("SELECT pg_advisory_xact_lock(7001)"))
        conn.execute(text("SELECT id FROM lead FOR UPDATE")).all()

        def release(_sql: str) -> None:
            conn.rollback()

    def later() -> None:
        ready.wait(seconds)
        release("ROLLBACK")

    thread = threading.Thread(target=later)
    thread.start()
    try:
        yield
    finally:
        ready.set()
        thread.join()
        conn.close()
        if cli.backend == "postgresql":
            engine.dispose()


def test_a_writer_waits_for_the_lock_inside_the_timeout(cli):
    lead = cli.add("苏州某某机械有限公司", "13900139000")["number"]
    with lock_held(cli, 1.5):
        started = time.monotonic()
        added = cli(
            *ADD_MINE,
            LEADCTL_LOCK_TIMEOUT="20",
        )
        followed = cli("follow", lead, "--note", "电话沟通", LEADCTL_LOCK_TIMEOUT="20")
        waited = time.monotonic() - started
    assert (added.code, added.err) == (0, ""), added
    assert (followed.code, followed.err) == (0, ""), followed
    assert waited >= 1.2  # it did wait for the other writer, and then did its work
    assert cli.scalar("SELECT count(*) FROM lead") == 2


def test_a_writer_gives_up_after_the_timeout_with_exit_3(cli):
    lead = cli.add("苏州某某机械有限公司", "13900139000")["number"]
    before = cli.counts()
    with lock_held(cli, 8):
        started = time.monotonic()
        added = cli(
            *ADD_MINE,
            LEADCTL_LOCK_TIMEOUT="0.5",
        )
        waited = time.monotonic() - started
        followed = cli("follow", lead, "--note", "电话沟通", LEADCTL_LOCK_TIMEOUT="0.5")
    assert 0.4 <= waited < 6
    for result in (added, followed):
        line = one_error_line(result)
        assert LOCKED in line, line
        no_secrets(line)
    assert cli.counts() == before
    # once the other writer is done, the same command goes through
    assert cli(*ADD_MINE).code == 0


def test_lock_timeout_from_the_config_file(cli):
    (cli.home / "leadctl.toml").write_text("lock_timeout = 0.3\n", encoding="utf-8")
    with lock_held(cli, 8):
        started = time.monotonic()
        result = cli(*ADD_MINE)
        assert time.monotonic() - started < 6
    assert LOCKED in one_error_line(result)


# ---------------------------------------------------------------- ghost commits (SQLite)


@pytest.mark.parametrize("pool_reset", [True, False], ids=["pool-resets", "pool-skips-reset"])
def test_a_commit_that_failed_on_a_lock_never_commits_later(tmp_path, monkeypatch, pool_reset):
    """A COMMIT that fails with "database is locked" leaves SQLite inside the transaction.

    The next unit of work on the same pooled connection must start clean, or it commits the
    failed change along with its own (a ghost commit). In WAL mode a COMMIT never waits
    (BEGIN IMMEDIATE took the lock), so the database is switched to a rollback journal, where
    COMMIT needs every reader gone: a reader holding its snapshot past the timeout fails it.
    SQLAlchemy 2.0.36 and 2.1.9 do roll such a connection back on return to the pool; a pool
    that skipped it has been seen. `pool-skips-reset` turns the pool's reset off: then
    leadctl's rollback-on-checkin alone must keep the failed change out (without it the next
    command fails: "cannot start a transaction within a transaction").
    """
    import sqlalchemy

    import leadctl.store.engine as engine_module
    from leadctl.errors import DatabaseUnavailable
    from leadctl.services.common import Ctx
    from leadctl.services.leads import add_lead
    from leadctl.settings import load_settings

    if not pool_reset:
        monkeypatch.setattr(
            engine_module,
            "create_engine",
            lambda *a, **kw: sqlalchemy.create_engine(*a, pool_reset_on_return=None, **kw),
        )
    path = tmp_path / "leads.db"
    env = {
        "LEADCTL_USER": REP,
        "LEADCTL_NOW": MONDAY,
        "LEADCTL_TZ": TZ,
        "LEADCTL_LOCK_TIMEOUT": "0.3",
    }
    ctx = Ctx(load_settings(env, db=str(path)))
    try:
        store = ctx.store  # created and migrated, in WAL
        store.engine.dispose()  # no connection open: the journal mode can change
        other = sqlite3.connect(path, isolation_level=None)
        assert other.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM lead").fetchone()  # a reader keeps its lock

        with pytest.raises(DatabaseUnavailable, match="stayed locked"):
            add_lead(ctx, customer="幽灵客户", phones=["13900139000"], source="s", need="n")
        other.execute("ROLLBACK")
        other.close()

        # the next command on the same pool commits its own change, and only that
        doc = add_lead(ctx, customer=CUSTOMER, phones=[PHONE], source="s", need="n")
        assert doc["number"] == "L0001"
    finally:
        ctx.close()
    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT customer FROM lead").fetchall() == [(CUSTOMER,)]
        assert check.execute("SELECT count(*) FROM event").fetchone() == (1,)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        check.close()


# ---------------------------------------------------------------- crashes (SIGKILL)


KILLER = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine

AT = os.environ["KILL_AT"]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

@event.listens_for(Engine, "commit")
def _at_commit(conn):
    if AT == "COMMIT" and conn.get_execution_options().get("leadctl_write"):
        die()  # every row is written, the transaction is not committed

@event.listens_for(Engine, "before_cursor_execute")
def _at_statement(conn, cursor, statement, *args):
    if AT != "COMMIT" and statement.lstrip().startswith(AT):
        die()

from leadctl.entry import run
sys.argv[0] = "leadctl"
run()
"""


def killed_at(cli: Any, point: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `leadctl …` and SIGKILL it at `point`: a statement's start, or COMMIT."""
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, *args],
        env={**os.environ, **cli.env, "KILL_AT": point},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == -signal.SIGKILL, proc
    return proc


def capture_form(path: Path, rows: int, *, prefix: str = "导入客户") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["customer", "phone", "source", "need"])
        for i in range(rows):
            writer.writerow([f"{prefix}{i:05d}", f"139{i:08d}", "行业展会", "采购CRM系统"])
    return path


def after_crash(cli: Any, before: dict[str, int]) -> None:
    """Nothing of the killed command is there, and the database is sound."""
    assert cli.counts() == before
    if cli.backend == "sqlite":
        assert integrity(cli.db) == "ok"
    else:  # the dead client's transaction is gone; nobody still holds a lock
        assert no_advisory_locks(cli), "a lock of the killed command outlived it"


def no_advisory_locks(cli: Any, timeout: float = 10) -> bool:
    """Whether every advisory lock is gone within `timeout` seconds.

    The server notices a SIGKILLed client only when it next reads from its socket, so the dead
    backend's locks linger for a moment after the kill: poll, don't read once."""
    deadline = time.monotonic() + timeout
    while True:
        held = cli.scalar(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        )
        if held == 0:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["INSERT INTO phone", "COMMIT"])
def test_import_killed_mid_write_leaves_nothing_and_runs_again(cli, tmp_path, point):
    form = capture_form(tmp_path / "10k.csv", 10_000)
    cli.add(CUSTOMER, PHONE)
    before = cli.counts()

    killed_at(cli, point, "import", str(form))
    after_crash(cli, before)

    done = leadctl(cli, "import", str(form), "--json")
    assert (done.returncode, done.stderr) == (0, ""), done
    assert cli.scalar("SELECT count(*) FROM lead") == 10_001
    assert cli.scalar("SELECT count(*) FROM phone") == 10_001
    assert cli.scalar("SELECT max(id) FROM lead") == 10_001
    assert cli.json("show", "L10001")["customer"] == "导入客户09999"
    assert cli.add("新客户", "13700137000")["number"] == "L10002"


def wait_for_writer(cli: Any, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    """Return as soon as `proc` holds the write lock (it is inside its write transaction)."""
    deadline = time.monotonic() + timeout
    probe: Any
    if cli.backend == "sqlite":
        probe = sqlite3.connect(cli.db, isolation_level=None, timeout=0)
    else:
        probe = create_engine(cli.db).connect()
    try:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the import finished before it could be killed"
            if cli.backend == "sqlite":
                try:
                    probe.execute("BEGIN IMMEDIATE")
                    probe.execute("ROLLBACK")
                except sqlite3.OperationalError:
                    return  # locked: the importer is writing
            else:
                held = probe.execute(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_database d "
                        "ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted "
                        "AND d.datname = current_database()"
                    )
                ).scalar()
                probe.rollback()
                if held:
                    return
            time.sleep(0.005)
        raise AssertionError("the import never started writing")
    finally:
        probe.close()


@pytest.mark.slow
def test_import_killed_from_outside_while_it_writes(cli, tmp_path):
    """The real thing: `kill -9` from another process, the moment the import holds the lock."""
    form = capture_form(tmp_path / "10k.csv", 10_000)
    before = cli.counts()
    proc = subprocess.Popen(
        [sys.executable, "-m", "leadctl", "import", str(form)],
        env={**os.environ, **cli.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_writer(cli, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    after_crash(cli, before)
    done = leadctl(cli, "import", str(form))
    assert done.returncode == 0, done
    assert cli.scalar("SELECT count(*) FROM lead") == 10_000


@pytest.mark.slow
@pytest.mark.parametrize("point", ["INSERT INTO event", "COMMIT"])
def test_wake_killed_mid_write_leaves_nothing_and_runs_again(cli, tmp_path, point):
    rows = 2_000
    done = leadctl(cli, "import", str(capture_form(tmp_path / "sleepers.csv", rows)))
    assert done.returncode == 0, done
    with cli.engine().begin() as conn:  # all of them dormant since June: due to wake
        conn.execute(
            text(
                "UPDATE lead SET status = 'dormant', grade = 'D', grade_reason = '暂无需求', "
                "rested_on = :rested, due_on = NULL, deadline_on = NULL"
            ),
            {"rested": "2024-06-03"},
        )
    before = cli.counts()

    killed_at(cli, point, "wake")
    after_crash(cli, before)
    assert cli.scalar("SELECT count(*) FROM lead WHERE woken_on IS NOT NULL") == 0

    woke = leadctl(cli, "wake", "--json")
    assert (woke.returncode, woke.stderr) == (0, ""), woke
    assert cli.scalar("SELECT count(*) FROM lead WHERE woken_on IS NOT NULL") == rows
    assert cli.scalar("SELECT count(*) FROM event WHERE event = 'woken'") == rows
    assert cli.scalar("SELECT count(*) FROM wake_run") == 1


# ---------------------------------------------------------------- damaged and unwritable files


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL's pages are the server's own
def test_a_damaged_page_inside_a_real_database_exits_3_without_customer_data(cli):
    cli.add(CUSTOMER, PHONE)
    for i in range(30):
        cli.add(f"客户{i:02d}", f"1390013{i:04d}")
    conn = sqlite3.connect(cli.db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'lead'").fetchone()[0]
    conn.close()
    with open(cli.db, "r+b") as fh:  # the lead table's first page, overwritten
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)
    for args in (
        ["list"],
        ["show", "L0001"],
        ["today", "--json"],
        [*ADD_NEW],
    ):
        result = cli(*args)
        line = one_error_line(result)
        assert line == (f"Error: The database {cli.db} is damaged; restore it from a backup.")
        no_secrets(result.err)


def plain_user() -> tuple[str, ...]:
    """A prefix that takes away root's power to ignore file modes (tests may run as root)."""
    if os.geteuid() != 0:
        return ()
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_read_only_database_file_reads_but_refuses_writes_with_exit_3(cli):
    cli.add(CUSTOMER, PHONE)
    before = cli.counts()
    os.chmod(cli.db, 0o400)
    try:
        listed = leadctl(cli, "list", "--json", prefix=plain_user())
        assert listed.returncode == 0, listed
        added = leadctl(
            cli,
            *ADD_NEW,
            prefix=plain_user(),
        )
    finally:
        os.chmod(cli.db, 0o600)
    assert added.returncode == 3, added
    assert added.stderr == (
        f"Error: Cannot write the database {cli.db} (attempt to write a readonly database); "
        "check the permissions of the file, of its -wal and -shm files, and of its folder.\n"
    )
    assert cli.counts() == before
    # SQLite left a read-only -shm beside it: once the file is writable again, so is leadctl
    again = leadctl(
        cli,
        *ADD_NEW,
        prefix=plain_user(),
    )
    assert again.returncode == 0, again
    assert integrity(cli.db) == "ok"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_database_that_accepts_no_writes(cli):
    """PostgreSQL's read-only case: every session read-only, as on a standby server."""
    cli.add(CUSTOMER, PHONE)
    before = cli.counts()
    name = cli.db.rsplit("/", 1)[1]
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    try:
        result = cli(*ADD_NEW)
        listed = cli("list", "--json")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        admin.dispose()
    line = one_error_line(result)
    assert line == (
        f"Error: The database {cli.db} accepts no writes (cannot execute INSERT in a read-only "
        "transaction); point LEADCTL_DB at the primary server."
    )
    assert listed.code == 0, listed
    assert cli.counts() == before


@pytest.mark.parametrize("folder_mode", [0o500, 0o000], ids=["read-only", "unreadable"])
def test_a_locked_folder_exits_3_and_says_to_check_permissions(tmp_path, folder_mode):
    """The database in a folder leadctl cannot write (or even enter): no traceback, exit 3."""
    folder = tmp_path / "shared"
    folder.mkdir()
    env = {
        **os.environ,
        "LEADCTL_USER": REP,
        "LEADCTL_NOW": MONDAY,
        "LEADCTL_TZ": TZ,
        "LEADCTL_DB": str(folder / "leads.db"),
        "LEADCTL_CONFIG": str(tmp_path / "no.toml"),
    }
    first = subprocess.run(
        [sys.executable, "-m", "leadctl", *ADD_MINE],
        env=env,
        capture_output=True,
    )
    assert first.returncode == 0, first
    os.chmod(folder, folder_mode)
    try:
        for args in (
            ["list"],
            [*ADD_NEW],
        ):
            proc = subprocess.run(
                [*plain_user(), sys.executable, "-m", "leadctl", *args],
                env=env,
                capture_output=True,
                text=True,
            )
            assert proc.returncode == 3, proc
            lines = proc.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), proc
            assert "permissions" in lines[0] and str(folder / "leads.db") in lines[0], proc
            no_secrets(proc.stderr)
    finally:
        os.chmod(folder, 0o700)
    assert integrity(str(folder / "leads.db")) == "ok"


@contextlib.contextmanager
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, Any, Any]]:
    """(folder, preexec, grow): a folder on a nearly full disk, and a way to free space.

    As root: a 512 KiB tmpfs (`grow` remounts it at 64 MiB). Otherwise the process's file-size
    limit stands in for the full disk (SQLite then sees EFBIG, a disk I/O error)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    if mounted:
        try:
            yield (
                folder,
                None,
                lambda: subprocess.run(
                    ["mount", "-o", "remount,size=64m", str(folder)], check=True
                ),
            )
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=True)
        return

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))

    yield folder, limit, lambda: None


def test_a_full_disk_exits_3_keeps_the_database_and_works_once_space_is_freed(
    tmp_path, sqlite_template, monkeypatch
):
    form = capture_form(tmp_path / "10k.csv", 10_000)
    with small_disk(tmp_path) as (folder, preexec, grow):
        db = folder / "leads.db"
        db.write_bytes(sqlite_template.read_bytes())
        os.chmod(db, 0o600)
        env = {
            **os.environ,
            "LEADCTL_USER": REP,
            "LEADCTL_NOW": MONDAY,
            "LEADCTL_TZ": TZ,
            "LEADCTL_DB": str(db),
            "LEADCTL_CONFIG": str(tmp_path / "no.toml"),
        }
        run = lambda *args: subprocess.run(  # noqa: E731
            [sys.executable, "-m", "leadctl", *args],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=preexec,
        )
        assert run(*ADD_MINE).returncode == 0
        full = run("import", str(form))
        assert full.returncode == 3, full
        lines = full.stderr.splitlines()
        assert len(lines) == 1, full
        assert lines[0].startswith(f"Error: Cannot write the database {db}: "), full
        assert lines[0].endswith("Free some disk space."), full
        no_secrets(full.stderr, "导入客户")
        assert integrity(str(db)) == "ok"
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM lead").fetchone() == (1,)
        conn.close()
        grow()
        preexec = None
        done = subprocess.run(
            [sys.executable, "-m", "leadctl", "import", str(form)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM lead").fetchone() == (10_001,)
        conn.close()


# ---------------------------------------------------------------- PostgreSQL down or refusing


@pytest.mark.parametrize(
    "where",
    ["postgresql+psycopg://rep:s3cret-pw@127.0.0.1:1/leads", "no-such-database", "no-such-role"],
)
@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_unusable_says_what_to_do_and_masks_the_password(cli, where):
    """Down (a closed port), a database that is not there, a role that does not exist.

    The local server trusts every local connection (pg_hba), so a wrong password cannot be
    refused here; a role that does not exist, given with a password, stands in for it."""
    from sqlalchemy.engine import make_url

    if where == "no-such-database":
        url = make_url(PG_URL).set(database=f"nope_{uuid.uuid4().hex[:8]}", password="s3cret-pw")
    elif where == "no-such-role":
        url = make_url(PG_URL).set(username=f"nobody_{uuid.uuid4().hex[:8]}", password="s3cret-pw")
    else:
        url = make_url(where)
    db = url.render_as_string(hide_password=False)
    for args in (["today"], [*ADD_MINE]):
        result = cli(*args, LEADCTL_DB=db)
        line = one_error_line(result)
        assert "s3cret" not in result.err
        assert ":***@" in line
        assert line.endswith(
            "Check that the server is running and that LEADCTL_DB (or --db) names the right "
            "host, database and user."
        ), line
        no_secrets(result.err)
    assert cli.counts()["lead"] == 0  # the test's own database was never touched


@pytest.mark.parametrize("backend", ["postgresql"])  # a file has no server to go away
def test_postgresql_connection_lost_mid_command_exits_3(cli):
    """The server ends leadctl's session while it waits (a restart, an admin): one line."""
    cli.add("苏州某某机械有限公司", "13900139000")
    before = cli.counts()
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with lock_held(cli, 30):
        proc = subprocess.Popen(
            [sys.executable, "-m", "leadctl", *ADD_MINE],
            env={**os.environ, **cli.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with admin.connect() as conn:
            for _ in range(600):
                killed = conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :db AND wait_event_type = 'Lock' "
                        "AND query LIKE '%pg_advisory_xact_lock%'"
                    ),
                    {"db": cli.db.rsplit("/", 1)[1]},
                ).all()
                if killed:
                    break
                time.sleep(0.05)
        out, err = proc.communicate(timeout=60)
    admin.dispose()
    assert killed, "leadctl never waited for the lock"
    assert proc.returncode == 3, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: The database "), err
    no_secrets(err)
    assert cli.counts() == before
