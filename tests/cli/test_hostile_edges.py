"""Edges that exited 1 where SPEC §5 promises 2 or 3 (issue 20, classes 5, 9 and 10), on SQLite
and PostgreSQL.

- dates near year 1 or 9999, in every option that takes one and in LEADCTL_NOW: exit 2;
- arguments and environment that are not UTF-8 (GBK bytes from an old terminal, which Python
  keeps as surrogates): exit 2, saying so;
- a PostgreSQL URL with a bad port, an open bracket or another driver: exit 3 with a message;
- output that cannot be written (a full disk, a closed stdout; a reader gone is no error):
  exit 3 with a message, and no partial file from export or template;
- lock_timeout 0 or less: exit 2, and one mapping to milliseconds on both engines;
- backup of a page-damaged database: exit 3, no copy; no "readable by others" for a folder;
- and a property test: every command with generated argv and environment (non-UTF-8 bytes,
  extreme dates) exits 0, 2 or 3, never 1, and on 2 or 3 the database is unchanged.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_faults import ADD_MINE, LOCKED, leadctl, lock_held
from tests.conftest import REP, TABLES

HYPOTHESIS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI: a failure reproduces
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

GBK_BYTES = "广州客户".encode("gbk")
GBK = GBK_BYTES.decode("utf-8", "surrogateescape")  # what sys.argv holds
# as the refusal shows it: the bytes that are not UTF-8 as \xNN (d6 dd happens to be, ݝ)
GBK_SHOWN = GBK_BYTES.decode("utf-8", "backslashreplace")


def snapshot(cli: Any) -> tuple[dict[str, int], str]:
    """Row counts and a digest of every table: equal before and after = nothing written."""
    digest = hashlib.sha256()
    for table in TABLES:
        for row in cli.rows(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(tuple(row)).encode())
    return cli.counts(), digest.hexdigest()


def refused(result: Any, code: int = 2) -> str:
    """One `Error:` line on stderr, nothing on stdout, exit `code`: the line."""
    assert result.code == code, result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result
    assert "Traceback" not in result.err
    return str(lines[0])


def a_lead(cli: Any) -> str:
    return str(cli.add("杭州云栖科技有限公司", "13800138000")["number"])


# ---------------------------------------------------------------- dates near year 1 and 9999

EXTREME_DAYS = [
    "0001-01-01",
    "0001-01-02",
    "1899-12-31",
    "9999-12-31",
    "9999-12-30",
    "9001-01-01",
    "0001年1月1日",
    "9999年12月31日",
    "Dec 31 9999",
]
EXTREME_MOMENTS = [
    "0001-01-01 00:05",
    "0001-01-01T00:00+14:00",
    "0001-01-01T00:00-12:00",
    "9999-12-31 23:59",
    "9999-12-31T23:30+00:00",
    "9999-12-31T23:30-12:00",
    "1899-12-31T12:00+08:00",
    *EXTREME_DAYS,
]


def date_commands(lead: str) -> list[tuple[list[str], list[str]]]:
    """Every option that takes a DATE or DATETIME, with the values to put in it."""
    return [
        (["follow", lead, "--note", "电话", "--at", "{}"], EXTREME_MOMENTS),
        (["follow", lead, "--note", "电话", "--next", "回访", "--next-date", "{}"], EXTREME_DAYS),
        (
            [
                "add",
                "新客户",
                "--phone",
                "13700137000",
                "--source",
                "展会",
                "--need",
                "CRM",
                "--acquired",
                "{}",
            ],
            EXTREME_DAYS,
        ),
        (["edit", lead, "--acquired", "{}"], EXTREME_DAYS),
        (
            ["close", lead, "lost", "--reason", "budget", "--note", "预算", "--date", "{}"],
            EXTREME_DAYS,
        ),
        (
            [
                "close",
                lead,
                "won",
                "--amount",
                "30万",
                "--contract",
                "HT-1",
                "--product",
                "CRM",
                "--date",
                "{}",
            ],
            EXTREME_DAYS,
        ),
        (["review", "--week-of", "{}"], EXTREME_DAYS),
    ]


def test_every_date_option_refuses_days_near_year_1_and_9999(cli):
    lead = a_lead(cli)
    cli.ok("grade", lead, "B", "--reason", "有预算")
    before = snapshot(cli)
    for template, values in date_commands(lead):
        for value in values:
            args = [value if word == "{}" else word for word in template]
            line = refused(cli(*args))
            assert "is beyond the calendar: use a day from 1900-01-01 to 9000-12-31." in line, (
                args,
                line,
            )
    assert snapshot(cli) == before


@pytest.mark.parametrize(
    "now",
    [
        "9999-12-31T23:30+00:00",
        "9999-12-31T23:30",
        "9999-12-31T23:30-12:00",
        "0001-01-01T00:05+08:00",
        "0001-01-01T00:05",
        "0001-01-01T00:05+14:00",
        "1899-12-31T23:00+00:00",
        "9001-01-01T00:00",
    ],
)
def test_a_clock_near_year_1_or_9999_is_refused_by_every_command(cli, now):
    lead = a_lead(cli)
    before = snapshot(cli)
    for args in (
        ["today"],
        ["review"],
        ["wake"],
        ["list"],
        ["show", lead],
        ["follow", lead, "--note", "电话"],
        ["grade", lead, "A", "--reason", "预算明确"],
        ["add", "新客户", "--phone", "13700137000", "--source", "展会", "--need", "CRM"],
    ):
        line = refused(cli(*args, now=now))
        assert line == (
            f"Error: LEADCTL_NOW {now!r} is beyond the calendar: use a time from 1900-01-01 "
            "to 9000-12-31."
        ), args
    assert snapshot(cli) == before


def test_the_calendar_edges_themselves_are_read(cli):
    lead = a_lead(cli)
    assert cli.json("review", "--week-of", "9000-12-31")["to"] == "9001-01-04"
    assert cli.json("today", now="9000-12-31T23:59")["date"] == "9000-12-31"
    assert lead
    # a contact is never before its lead's acquired day (class 7): a lead acquired on the first
    # day of the calendar takes a contact at its first minute
    old = cli.add("百年老店", "13700137001", "--acquired", "1900-01-01")["number"]
    assert cli.json("follow", old, "--note", "电话", "--at", "1900-01-01 00:00")


# ---------------------------------------------------------------- not UTF-8


def argv_templates(lead: str) -> list[list[str]]:
    return [
        ["add", "新客户", "--phone", "13700137000", "--source", "展会", "--need", "CRM"],
        ["edit", lead, "--contact", "张三"],
        ["grade", lead, "A", "--reason", "预算明确"],
        ["follow", lead, "--note", "电话沟通"],
        ["close", lead, "lost", "--reason", "budget", "--note", "预算"],
        ["assign", lead, "李强"],
        ["find", "云栖"],
        ["list", "--source", "官网注册"],
        ["--user", "李强", "today"],
        ["review", "--week-of", "2024-10-07"],
    ]


def test_an_argument_that_is_not_utf8_is_refused_wherever_it_is(cli):
    lead = a_lead(cli)
    before = snapshot(cli)
    for template in argv_templates(lead):
        for position in range(len(template)):
            args = list(template)
            args[position] = args[position] + GBK  # a word typed in a GBK terminal
            line = refused(cli(*args))
            assert line == (
                f"Error: Argument {position + 1} ({template[position]}{GBK_SHOWN}) is not "
                "UTF-8 text: set the terminal to UTF-8 (e.g. LANG=zh_CN.UTF-8) and type it "
                "again."
            ), args
    assert snapshot(cli) == before


@pytest.mark.parametrize(
    "name",
    ["LEADCTL_USER", "LEADCTL_DB", "LEADCTL_TZ", "LEADCTL_NOW", "LEADCTL_CONFIG", "LANG"],
)
def test_an_environment_variable_that_is_not_utf8_is_refused(cli, name):
    lead = a_lead(cli)
    before = snapshot(cli)
    for args in (["today"], ["follow", lead, "--note", "电话"]):
        line = refused(cli(*args, **{name: "abc" + GBK}))
        assert line == (
            f"Error: The environment variable {name} (abc{GBK_SHOWN}) is not UTF-8 text: set "
            "it again from a UTF-8 terminal."
        )
    assert snapshot(cli) == before


def test_a_console_script_given_gbk_bytes_exits_2(cli):
    """The real thing: bytes in argv, decoded by Python itself (surrogateescape)."""
    raw = [sys.executable, "-m", "leadctl", "add", "广州客户".encode("gbk"), "--phone",
           "13700137000", "--source", "展会", "--need", "CRM"]  # fmt: skip
    proc = subprocess.run(raw, env={**os.environ, **cli.env}, capture_output=True, timeout=120)
    assert proc.returncode == 2, proc
    assert proc.stderr.decode() == (
        f"Error: Argument 2 ({GBK_SHOWN}) is not UTF-8 text: set the terminal to UTF-8 "
        "(e.g. LANG=zh_CN.UTF-8) and type it again.\n"
    )
    assert cli.scalar("SELECT count(*) FROM lead") == 0


# ---------------------------------------------------------------- database URLs


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://u:s3cret@localhost:abc/x", "The database URL cannot be read: "),
        ("postgresql+psycopg://u:s3cret@[::1/x", "The database URL cannot be read: "),
        ("postgresql://u:s3cret@[::1:5432/x", "The database URL cannot be read: "),
        ("postgresql+psycopg://u:s3cret@h:99999/x", "The port 99999 of the database URL is not"),
        ("postgresql+psycopg://u:s3cret@h:0/x", "The port 0 of the database URL is not a port"),
        ("postgresql+psycopg://u:s3cret@h:-1/x", "The port -1 of the database URL is not a port"),
        ("postgresql+asyncpg://u:s3cret@h/x", "leadctl reaches PostgreSQL through psycopg only"),
        ("postgresql+psycopg2://u:s3cret@h/x", "leadctl reaches PostgreSQL through psycopg only"),
        ("postgresql+pg8000://u:s3cret@h/x", "leadctl reaches PostgreSQL through psycopg only"),
        ("postgres+nosuch://u:s3cret@h/x", "leadctl reaches PostgreSQL through psycopg only"),
    ],
)
def test_a_database_url_leadctl_cannot_use_exits_3_with_a_message(
    tmp_path, monkeypatch, capsys, url, message
):
    from leadctl.entry import main

    monkeypatch.setenv("LEADCTL_USER", REP)
    for args in (["--db", url, "today"], ["--db", url, "add", "客户", "--phone", "13700137000",
                                          "--source", "展会", "--need", "CRM"]):  # fmt: skip
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 3 and out == "", (code, out, err)
        assert err.startswith(f"Error: {message}") and err.count("\n") == 1, err
        assert "s3cret" not in err and "Traceback" not in err


# ---------------------------------------------------------------- output that cannot be written


def test_output_to_a_full_disk_exits_3_and_says_so(cli):
    lead = a_lead(cli)
    for args in (["list"], ["show", lead, "--json"], ["today"], ["--help"], [], ["team"]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "leadctl", *args],
                env={**os.environ, **cli.env},
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        assert proc.returncode == 3, proc
        assert proc.stderr == (
            "Error: Cannot write the output (No space left on device); any change the command "
            "made is saved: write the output elsewhere, or free some disk space.\n"
        ), args
    # a write is committed before its confirmation is printed: it stays, and exit 3 says the
    # confirmation was lost
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "leadctl", "follow", lead, "--note", "电话"],
            env={**os.environ, **cli.env}, stdout=full, stderr=subprocess.PIPE, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 3, proc
    assert cli.scalar("SELECT count(*) FROM follow_up") == 1


def test_a_closed_stdout_exits_3_and_a_reader_gone_exits_0(cli):
    lead = a_lead(cli)
    for args in (["show", lead], [], ["follow", lead, "--note", "电话"]):
        closed = leadctl(cli, *args, preexec=lambda: os.close(1))
        assert closed.returncode == 3, closed
        assert closed.stderr == (
            "Error: Cannot write the output: standard output is closed; any change the command "
            "made is saved.\n"
        )
    quiet = leadctl(cli, "wake", "--quiet", preexec=lambda: os.close(1))
    assert quiet.returncode in (0, 3), quiet  # prints a line, or nothing: never a traceback
    assert "Traceback" not in quiet.stderr
    for i in range(30):
        cli.add(f"客户{i:02d}", f"1390013{i:04d}")
    for args in (["list"], ["list", "--json"], [], ["follow", lead, "--note", "电话"]):
        # `leadctl list | head -1`: the reader has what it wanted and goes away
        reader_gone = subprocess.Popen(
            [sys.executable, "-m", "leadctl", *args],
            env={**os.environ, **cli.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert reader_gone.stdout is not None
        reader_gone.stdout.close()
        _out, err = reader_gone.communicate(timeout=120)
        assert (reader_gone.returncode, err) == (0, b""), (args, err)
    assert cli.scalar("SELECT count(*) FROM follow_up") == 2  # the closed stdout's and this one


class FullDisk(io.FileIO):
    """A file on a disk that fills up after `room` bytes."""

    room = 500

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(data)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{folder}/leads.xlsx"],
        ["export", "{folder}/leads.csv"],
        ["template", "{folder}/form.xlsx"],
        ["review", "--html", "{folder}/review.html"],
    ],
)
def test_a_full_disk_during_a_file_write_exits_3_and_leaves_no_file(cli, monkeypatch, args):
    import leadctl.io.writing as writing

    for i in range(8):
        cli.add(f"客户{i:02d}", f"1390013{i:04d}")
    folder = cli.home / "out"
    folder.mkdir()
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        writing.os,
        "fdopen",
        lambda fd, mode="r", *a, **kw: (
            io.BufferedWriter(FullDisk(fd, "w"))
            if mode == "wb"
            else real_fdopen(fd, mode, *a, **kw)
        ),
    )
    before = snapshot(cli)
    target = [word.format(folder=folder) for word in args]
    result = cli(*target)
    line = refused(result, code=3)
    assert line == (
        f"Error: Cannot write {target[-1]!r} (No space left on device); nothing was written: "
        "free some disk space or choose another folder, and try again."
    )
    assert list(folder.iterdir()) == []
    assert snapshot(cli) == before


def test_a_device_or_a_pipe_is_never_replaced_by_an_export(cli, tmp_path):
    """`--force` replaces a file: renaming a finished export onto /dev/full (as root) or onto a
    named pipe would replace the device or the pipe itself."""
    a_lead(cli)
    pipes = ("pipe.csv", "pipe.xlsx", "form.xlsx", "review.html")
    for name in pipes:
        os.mkfifo(tmp_path / name)
    for args in (
        ["export", str(tmp_path / "pipe.csv"), "--force"],
        ["export", str(tmp_path / "pipe.xlsx"), "--force"],
        ["template", str(tmp_path / "form.xlsx"), "--force"],
        ["review", "--html", str(tmp_path / "review.html"), "--force"],
    ):
        line = refused(cli(*args))
        assert line.endswith("is not a regular file: give the name of a file to write."), line
    assert all((tmp_path / name).is_fifo() for name in pipes)


# ---------------------------------------------------------------- lock_timeout


@pytest.mark.parametrize("value", ["0", "0.0", "-0", "-1", "-0.5", "nan", "inf", "86400", "x"])
def test_a_lock_timeout_that_is_not_a_positive_number_of_seconds_is_refused(cli, value):
    lead = a_lead(cli)
    before = snapshot(cli)
    for args in (["today"], ["follow", lead, "--note", "电话"]):
        line = refused(cli(*args, LEADCTL_LOCK_TIMEOUT=value))
        assert line == (
            "Error: lock_timeout must be a positive number of seconds below 86400 (e.g. 30), "
            f"not {value!r}."
        )
    assert snapshot(cli) == before


@pytest.mark.parametrize("value", ["0", "-3", "0.0", "true", '"0"', '"soon"'])
def test_a_lock_timeout_in_the_config_file_is_checked_the_same_way(cli, value):
    (cli.home / "leadctl.toml").write_text(f"lock_timeout = {value}\n", encoding="utf-8")
    line = refused(cli("today"))
    assert line.startswith("Error: lock_timeout must be a positive number of seconds"), line


def test_a_tiny_lock_timeout_waits_a_moment_on_both_engines_never_forever(cli):
    """0.0001 s is 1 ms on both engines: PostgreSQL's lock_timeout = 0 would wait forever."""
    from leadctl.store.engine import lock_timeout_ms

    assert [lock_timeout_ms(s) for s in (0.0001, 0.001, 0.3, 0.0015, 30)] == [1, 1, 300, 2, 30000]
    lead = a_lead(cli)
    before = snapshot(cli)
    with lock_held(cli, 30):
        started = time.monotonic()
        followed = cli("follow", lead, "--note", "电话", LEADCTL_LOCK_TIMEOUT="0.0001")
        added = cli(*ADD_MINE, "--allow-duplicate", LEADCTL_LOCK_TIMEOUT="0.0001")
        waited = time.monotonic() - started
    assert waited < 15
    for result in (followed, added):
        assert LOCKED in refused(result, code=3)
    assert snapshot(cli) == before


# ---------------------------------------------------------------- backup, and a folder's mode


def damage_a_page(path: str) -> None:
    """Overwrite the lead table's root page with garbage, as a failing disk would."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'follow_up'"
        ).fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as db:
        db.seek((root - 1) * page_size)
        db.write(b"\x0d\xff\xff\xff" * (page_size // 4))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_backup_of_a_damaged_database_exits_3_and_leaves_no_copy(cli, tmp_path):
    lead = a_lead(cli)
    for i in range(30):
        cli.ok("follow", lead, "--note", f"第{i}次电话沟通" * 20)
    damage_a_page(cli.db)
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli("backup", str(folder / "leads.db"))
    line = refused(result, code=3)
    assert line.startswith(f"Error: The database {cli.db} is damaged ("), line
    assert line.endswith(
        "); no backup was written: restore it from an earlier backup, or ask an administrator "
        "to recover it with sqlite3's .recover."
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_database_path_that_is_a_folder_gets_no_readable_by_others_warning(cli, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    for args in (["today"], ["add", "客户", "--phone", "13700137000", "--source", "展会",
                             "--need", "CRM"]):  # fmt: skip
        result = cli("--db", str(folder), *args)
        assert result.code in (2, 3), result
        assert "readable by other users" not in result.err, result
        assert "Traceback" not in result.err


# ---------------------------------------------------------------- the property test

NOT_UTF8 = (
    st.binary(min_size=1, max_size=12)
    .filter(lambda b: b"\x00" not in b)
    .filter(lambda b: _not_utf8(b))
    .map(lambda b: b.decode("utf-8", "surrogateescape"))
)
DAYS = st.one_of(
    st.sampled_from(
        [*EXTREME_DAYS, "today", "昨天", "10月5日", "2月29日", "fri", "下周一", "+9999w", "-9999w"]
    ),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)
MOMENTS = st.one_of(
    DAYS,
    st.sampled_from([*EXTREME_MOMENTS, "now", "昨天下午3点", "2024-10-07 08:30"]),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda d: d.isoformat(sep=" ", timespec="minutes")
    ),
)
TEXT = st.one_of(
    st.sampled_from(["电话沟通", "李强", "官网注册", "A", "budget", "13700137000", "L0001"]),
    st.text(min_size=1, max_size=12).filter(lambda s: "\x00" not in s),
    NOT_UTF8,
)


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _commands(draw: Any, lead: str, folder: Path) -> list[str]:
    text, day, moment = draw(TEXT), draw(DAYS), draw(MOMENTS)
    phone = draw(st.sampled_from(["13700137000", "13900139000", text]))
    choice = draw(st.integers(0, 20))
    return [
        ["add", text, "--phone", phone, "--source", "展会", "--need", "CRM", "--acquired", day],
        ["edit", lead, "--contact", text, "--acquired", day],
        ["grade", lead, draw(st.sampled_from(["A", "b", text])), "--reason", text],
        ["follow", lead, "--note", text, "--at", moment, "--force"],
        ["follow", lead, "--note", "电话", "--next", text, "--next-date", day, "--no-response"],
        [
            "upgrade",
            lead,
            "--need-match",
            "--budget",
            text,
            "--budget-ok",
            "--decision-maker",
            "王总",
            "--no-objection",
        ],
        ["close", lead, "lost", "--reason", "budget", "--note", text, "--date", day],
        ["close", lead, "won", "--amount", text, "--contract", "HT", "--product", "CRM"],
        ["today", "--all"],
        ["review", "--week-of", day],
        ["wake"],
        ["show", draw(st.sampled_from([lead, text]))],
        ["list", "--source", text],
        ["find", text],
        ["assign", lead, text],
        ["undo", lead],
        ["release", lead, "--reason", text],
        ["claim", lead],
        ["pool"],
        ["export", str(folder / f"e{choice}.csv"), "--owner", text],
        ["team", "list"],
    ][choice]


@st.composite
def runs(draw: Any, lead: str, folder: Path) -> tuple[list[str], dict[str, str]]:
    args = _commands(draw, lead, folder)
    if draw(st.booleans()):
        args.append("--json")
    env: dict[str, str] = {}
    if draw(st.integers(0, 3)) == 0:
        env["LEADCTL_NOW"] = draw(
            st.one_of(
                st.sampled_from(["9999-12-31T23:30+00:00", "0001-01-01T00:05", "2024-10-07T09:00"]),
                st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
                    datetime.isoformat
                ),
            )
        )
    if draw(st.integers(0, 5)) == 0:
        env[draw(st.sampled_from(["LEADCTL_USER", "LEADCTL_TZ", "LANG"]))] = draw(NOT_UTF8)
    if draw(st.integers(0, 5)) == 0:
        env["LEADCTL_LOCK_TIMEOUT"] = draw(st.sampled_from(["0", "-1", "0.0001", "nan", "5"]))
    return args, env


def test_every_command_with_generated_argv_and_env_exits_0_2_or_3(cli):
    lead = a_lead(cli)
    folder = cli.home / "exports"
    folder.mkdir()

    @HYPOTHESIS
    @given(run=runs(lead, folder))
    def check(run: tuple[list[str], dict[str, str]]) -> None:
        args, env = run
        before = snapshot(cli)
        result = cli(*args, **env)
        assert result.code in (0, 2, 3), (args, env, result)
        assert "Traceback" not in result.err, (args, env, result)
        if result.code != 0:
            assert snapshot(cli) == before, (args, env, result)

    check()


def test_the_property_test_reaches_the_edges():
    """The strategies do produce what the property is about (a guard against a strategy that
    quietly stops generating non-UTF-8 text or extreme dates)."""
    seen = {"surrogate": False, "year 1": False, "year 9999": False}

    @settings(max_examples=200, derandomize=True, deadline=None)
    @given(text=NOT_UTF8, day=DAYS)
    def look(text: str, day: str) -> None:
        seen["surrogate"] |= any("\udc80" <= ch <= "\udcff" for ch in text)
        seen["year 1"] |= day.startswith("0001")
        seen["year 9999"] |= day.startswith("9999")

    look()
    assert all(seen.values()), seen
    assert date(9000, 12, 31) + timedelta(days=365) < date.max


# ---------------------------------------------------------------- rules that reach past the calendar


@pytest.mark.parametrize(
    ("section", "key"),
    [("cadence", "d_days"), ("cadence", "case_days"), ("wake", "lost_days"),
     ("pool", "recycle_days"), (None, "late_log_minutes")],
)  # fmt: skip
def test_a_day_count_past_the_calendar_is_refused_not_a_crash(cli, section, key):
    lead = a_lead(cli)
    huge = 10_000_000
    line = f"{key} = {huge}\n" if section is None else f"[{section}]\n{key} = {huge}\n"
    (cli.home / "leadctl.toml").write_text(line, encoding="utf-8")
    before = snapshot(cli)
    for args in (["grade", lead, "D", "--reason", "暂无需求"], ["today"], ["wake"]):
        result = cli(*args)
        assert result.code == 2, (args, result)
        name = key if section is None else f"{section}.{key}"
        assert f"{name} in the config file is at most 36500, not {huge}." in result.err
    assert snapshot(cli) == before


def test_a_team_setting_past_the_calendar_is_refused(cli):
    cli.ok("team", "add", "主管甲", "--role", "supervisor", user="主管甲")
    result = cli("team", "set", "cadence.c_days", "99999999", user="主管甲")
    assert result.code == 2, result
    assert "cadence.c_days in the config file is at most 36500" in result.err
