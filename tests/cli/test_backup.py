"""`leadctl backup FILE` (issue 8, item 7): a consistent, private copy of a SQLite database made
while others write; on PostgreSQL, a pointer to pg_dump.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_faults import capture_form, small_disk

CUSTOMER, PHONE = "杭州云栖科技有限公司", "13800138000"

WRITER = """
import contextlib, io, sys, time
from pathlib import Path
from leadctl.entry import main
stop = Path(sys.argv[1])
i = 0
while not stop.exists():
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["add", f"并发客户{i:05d}", "--phone", f"1370{i:07d}", "--source", "展会",
                     "--need", "CRM", "--allow-duplicate"])
    assert code == 0, code
    i += 1
print(i)
"""


def leadctl(cli: Any, *args: str, umask: int = 0o022, **env: str) -> Any:
    """`leadctl …` as its own process under `umask` (022: what most accounts have)."""

    def preexec() -> None:
        os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "leadctl", *args],
        env={**os.environ, **cli.env, **env},
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=preexec,
    )


def open_copy(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def consistent(path: Path) -> int:
    """The copy is sound and whole: every lead with its phone and its history. Returns leads."""
    conn = open_copy(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
        leads = conn.execute("SELECT count(*) FROM lead").fetchone()[0]
        created = conn.execute("SELECT count(*) FROM event WHERE event = 'created'").fetchone()[0]
        phoned = conn.execute("SELECT count(DISTINCT lead_id) FROM phone").fetchone()[0]
        assert leads == created == phoned
        return int(leads)
    finally:
        conn.close()


def no_part_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
def test_backups_while_another_process_writes_are_consistent_private_and_usable(cli, tmp_path):
    done = leadctl(cli, "import", str(capture_form(tmp_path / "form.csv", 5_000)))
    assert done.returncode == 0, done
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env={**os.environ, **cli.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        while cli.scalar("SELECT count(*) FROM lead") < 5_003:  # the writer is writing
            assert writer.poll() is None, writer.communicate()
            time.sleep(0.05)
        for n in range(3):
            target = tmp_path / "backups" / f"leads-{n}.db"
            target.parent.mkdir(exist_ok=True)
            made = leadctl(cli, "backup", str(target))
            assert (made.returncode, made.stderr) == (0, ""), made
            assert made.stdout == f"Backed up {cli.db} to {target}\n"
            copies.append(target)
            time.sleep(0.2)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert (writer.returncode, err) == (0, ""), (out, err)
    assert int(out) >= 3  # it really wrote throughout

    counts = [consistent(copy) for copy in copies]
    assert 5_000 < counts[0] <= counts[1] <= counts[2] <= cli.scalar("SELECT count(*) FROM lead")
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    no_part_files(copies[0].parent)
    # a backup is a leadctl database: point LEADCTL_DB at it (the restore README describes)
    listed = leadctl(cli, "list", "--json", LEADCTL_DB=str(copies[0]))
    assert listed.returncode == 0, listed
    assert listed.stderr == ""  # private: no warning
    added = leadctl(
        cli,
        "add",
        CUSTOMER,
        "--phone",
        PHONE,
        "--source",
        "s",
        "--need",
        "n",
        "--json",
        LEADCTL_DB=str(copies[0]),
    )
    assert added.returncode == 0, added
    assert consistent_after_use(copies[0]) == counts[0] + 1


def consistent_after_use(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(conn.execute("SELECT count(*) FROM lead").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_backup_never_replaces_a_file_and_needs_an_existing_folder(cli, tmp_path):
    cli.add(CUSTOMER, PHONE)
    folder = tmp_path / "backups"
    folder.mkdir()
    existing = folder / "leads.db"
    existing.write_bytes(b"yesterday's backup")
    (folder / "a-folder").mkdir()
    (folder / "dangling").symlink_to(folder / "nowhere")
    cases = {
        existing: f"Error: {existing} already exists; choose a new file name for the backup.",
        folder / "a-folder": f"Error: {folder / 'a-folder'} already exists; choose a new file "
        "name for the backup.",
        folder / "dangling": f"Error: {folder / 'dangling'} already exists; choose a new file "
        "name for the backup.",
        folder / "missing" / "x.db": f"Error: The folder {folder / 'missing'} does not exist.",
    }
    for target, message in cases.items():
        result = cli("backup", str(target))
        assert (result.code, result.out, result.err) == (2, "", message + "\n"), result
    assert existing.read_bytes() == b"yesterday's backup"
    assert not (folder / "nowhere").exists()
    no_part_files(folder)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_backup_on_postgresql_says_to_use_pg_dump(cli, tmp_path):
    cli.add(CUSTOMER, PHONE)
    target = tmp_path / "leads.db"
    result = cli("backup", str(target))
    assert result.code == 2, result
    assert result.err == (
        "Error: backup copies a SQLite database; on PostgreSQL use pg_dump "
        "(e.g. pg_dump -Fc -f leads.dump DBNAME) and pg_restore to restore.\n"
    )
    assert not target.exists()


KILL_MID_BACKUP = """
import os, signal, sqlite3, sys, types
import leadctl.store.backup as backup

class Source:
    def __init__(self, conn):
        self.conn = conn
    def backup(self, dest, pages=-1, **kw):
        def progress(status, remaining, total):
            os.kill(os.getpid(), signal.SIGKILL)  # after the first pages are copied
        self.conn.backup(dest, pages=2, progress=progress)
    def __getattr__(self, name):
        return getattr(self.conn, name)

def connect(path, *args, **kwargs):
    conn = sqlite3.connect(path, *args, **kwargs)
    return Source(conn) if str(path) == os.environ["LEADCTL_DB"] else conn

backup.sqlite3 = types.SimpleNamespace(connect=connect, Error=sqlite3.Error)
sys.argv[0] = "leadctl"
from leadctl.entry import run
run()
"""


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_backup_killed_midway_leaves_no_file_that_looks_like_a_backup(cli, tmp_path):
    for i in range(20):
        cli.add(f"客户{i:02d}", f"1390013{i:04d}")
    target = tmp_path / "leads-backup.db"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_MID_BACKUP, "backup", str(target)],
        env={**os.environ, **cli.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc
    assert not target.exists()
    # the next backup works (a hidden .part file of the killed one may stay behind)
    made = leadctl(cli, "backup", str(target))
    assert made.returncode == 0, made
    assert consistent(target) == 20


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_backup_onto_a_full_disk_exits_3_and_leaves_nothing(cli, tmp_path):
    done = leadctl(cli, "import", str(capture_form(tmp_path / "form.csv", 5_000)))
    assert done.returncode == 0, done
    with small_disk(tmp_path) as (folder, preexec, _grow):
        target = folder / "leads.db"
        proc = subprocess.run(
            [sys.executable, "-m", "leadctl", "backup", str(target)],
            env={**os.environ, **cli.env},
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=preexec,
        )
        assert proc.returncode == 3, proc
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: Backup of {cli.db} failed ("), proc
        assert lines[0].endswith("nothing was written: free some disk space and try again."), proc
        assert list(folder.iterdir()) == []
    assert consistent_after_use(Path(cli.db)) == 5_000
