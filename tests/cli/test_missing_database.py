"""A typo never creates a private database (SPEC §6.4, issue 16 point 3).

A database file named by `--db`, `LEADCTL_DB` or the config's `db` that does not exist: a
command that only reads answers as on an empty database and warns on stderr, naming the file and
the setting; `add`, `import` and `team add` create it; any other command is refused (exit 3)
without creating it. The reference "empty database" is the backend's own, so the answers are
compared on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REP

WARNING = (
    "Warning: there is no database at {path} (set by {setting}); answering as for an empty "
    "one. Check the path; `leadctl add` or `leadctl import` creates it."
)
REFUSAL = (
    "Error: There is no database at {path} (set by {setting}); check the path. "
    "`leadctl add`, `leadctl import` or `leadctl team add` creates a new one."
)
# every command that only reads, with --json
READS = [
    ("today",),
    ("today", "--all"),
    ("list",),
    ("find", "8000"),
    ("find", "云栖", "--all"),
    ("review", "--week"),
    ("pool",),
    ("team", "list"),
    ("team", "settings"),
    ("wake", "--dry-run"),
]
# every command that changes what a database holds, but cannot create one
CHANGES = [
    ("edit", "L1", "--need", "CRM"),
    ("grade", "L1", "A", "--reason", "预算明确"),
    ("grade", "L1", "--confirm"),
    ("follow", "L1", "--note", "电话沟通"),
    ("upgrade", "L1", "--need-match"),
    ("close", "L1", "lost", "--reason", "budget", "--note", "预算不足"),
    ("assign", "L1", "李强"),
    ("undo", "L1"),
    ("claim", "L1"),
    ("release", "L1", "--reason", "暂无需求"),
    ("wake",),
    ("wake", "--quiet"),
    ("team", "role", "王芳", "supervisor"),
    ("team", "remove", "王芳", "--to", "李强"),
    ("team", "set", "calendar.kind", "cn"),
    ("backup", "copy.db"),
    ("copy", "--to", "copy.db"),
]


@pytest.fixture
def missing(tmp_path: Path) -> Path:
    """A database path with a typo, in folders that do not exist either."""
    return tmp_path / "typo" / "sales" / "weeek.db"


def nothing_created(missing: Path) -> None:
    assert not (missing.parent.parent).exists()


def warned(result: Any, path: Path, setting: str) -> None:
    assert result.err.splitlines()[0] == WARNING.format(path=path, setting=setting), result


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_a_read_on_a_missing_file_answers_as_on_an_empty_database(cli, missing, args):
    empty = cli(*args, "--json")
    assert empty.code == 0, empty
    answer = cli("--db", str(missing), *args, "--json")
    assert answer.code == 0, answer
    assert answer.json == empty.json
    warned(answer, missing, "--db")
    assert empty.err.count("Warning") == 0
    nothing_created(missing)


def test_show_and_export_on_a_missing_file_answer_as_on_an_empty_database(cli, missing, tmp_path):
    shown = cli("--db", str(missing), "show", "L1", "--json")
    assert shown.code == 2, shown
    assert shown.out == ""
    assert shown.err.splitlines() == [
        WARNING.format(path=missing, setting="--db"),
        "Error: No lead L0001: check the number with `leadctl list`.",
    ]
    exported = cli("--db", str(missing), "export", str(tmp_path / "out.csv"), "--json")
    assert exported.code == 0, exported
    assert exported.json["exported"] == 0
    warned(exported, missing, "--db")
    # the export is written (it is what was asked for); the database is not
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("\n") == 1
    nothing_created(missing)


def test_import_dry_run_on_a_missing_file_checks_against_an_empty_database(cli, missing, tmp_path):
    cli.add("杭州云栖科技有限公司", "13800138000")  # in the real database, not in the typo
    form = tmp_path / "form.csv"
    form.write_text(
        "客户名称,联系电话,线索来源,初步需求\n杭州云栖科技有限公司,13800138000,官网注册,CRM\n",
        encoding="utf-8",
    )
    answer = cli("--db", str(missing), "import", str(form), "--dry-run", "--json")
    assert answer.code == 0, answer  # no duplicate: the empty database holds no lead
    assert (answer.json["imported"], answer.json["errors"]) == (0, [])
    warned(answer, missing, "--db")
    nothing_created(missing)


@pytest.mark.parametrize("setting", ["--db", "LEADCTL_DB", "config"])
def test_the_warning_names_the_setting_that_chose_the_file(cli, missing, setting):
    config = cli.home / "leadctl.toml"
    if setting == "config":
        config.write_text(f'db = "{missing}"\n', encoding="utf-8")
        answer = cli("today", "--json", LEADCTL_DB="")
        named = f"db in {config}"
    elif setting == "LEADCTL_DB":
        answer = cli("today", "--json", LEADCTL_DB=str(missing))
        named = "LEADCTL_DB"
    else:
        answer = cli("--db", str(missing), "today", "--json")
        named = "--db"
    assert answer.code == 0, answer
    assert answer.json["items"] == []
    warned(answer, missing, named)
    assert json.loads(answer.out) == answer.json  # the warning stays off stdout
    nothing_created(missing)


def test_a_sqlite_url_is_a_named_file_too(cli, missing):
    answer = cli("list", "--json", LEADCTL_DB=f"sqlite:///{missing}")
    assert (answer.code, answer.json) == (0, [])
    warned(answer, missing, "LEADCTL_DB")
    nothing_created(missing)


@pytest.mark.parametrize("args", CHANGES, ids=" ".join)
def test_a_change_on_a_missing_file_is_refused_and_creates_nothing(cli, missing, args):
    cli.add("杭州云栖科技有限公司", "13800138000")  # L1 exists in the real database only
    before = cli.counts()
    result = cli(*args, LEADCTL_DB=str(missing))
    assert result.code == 3, result
    assert result.out == ""
    assert result.err.splitlines() == [REFUSAL.format(path=missing, setting="LEADCTL_DB")]
    nothing_created(missing)
    assert cli.counts() == before


def test_add_import_and_team_add_create_the_named_file(cli, missing, tmp_path):
    for args in (
        ("add", "杭州云栖科技有限公司", "--phone", "13800138000", "--source", "官网注册",
         "--need", "CRM", "--json"),
        ("team", "add", "张伟", "--role", "supervisor", "--json"),
    ):  # fmt: skip
        missing.parent.mkdir(parents=True, exist_ok=True)
        for leftover in missing.parent.iterdir():
            leftover.unlink()
        result = cli("--db", str(missing), *args)
        assert result.code == 0, result
        assert "Warning" not in result.err
        assert stat.S_IMODE(missing.stat().st_mode) == 0o600
    form = tmp_path / "form.csv"
    form.write_text(
        "客户名称,联系电话,线索来源,初步需求\n苏州恒通物流,13700138000,展会,CRM\n", encoding="utf-8"
    )
    new = tmp_path / "new" / "folder" / "team.db"
    imported = cli("--db", str(new), "import", str(form), "--json")
    assert imported.json["imported"] == 1, imported
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    listed = cli("--db", str(new), "list", "--json")
    assert ([r["customer"] for r in listed.json], listed.err) == (["苏州恒通物流"], "")


def test_a_refused_add_import_or_team_add_leaves_no_database_behind(cli, missing, tmp_path):
    """A command that may create the named file, refused (exit 2, nothing written), removes the
    file it made: a typo leaves no empty database to find later."""
    bad_form = tmp_path / "bad.csv"
    bad_form.write_text(
        "客户名称,联系电话,线索来源,初步需求\n苏州恒通物流,123,展会,CRM\n", encoding="utf-8"
    )
    for args in (
        ("import", str(bad_form)),
        ("team", "add", "李强", "--role", "rep"),  # the first member must be a supervisor
        ("add", "杭州云栖科技有限公司", "--phone", "123", "--source", "官网注册", "--need", "CRM"),
    ):
        result = cli("--db", str(missing), *args)
        assert result.code == 2 and result.err.startswith("Error: "), result
        assert not missing.exists() and not Path(f"{missing}-wal").exists(), args
    # a database that already held something is never removed by a refusal
    assert cli("--db", str(missing), "team", "add", "张伟", "--role", "supervisor").code == 0
    assert cli("--db", str(missing), "team", "add", "张伟", "--role", "rep").code == 2
    assert missing.is_file()


def test_a_created_file_is_then_read_and_changed_without_a_warning(cli, missing):
    os.makedirs(missing.parent)
    added = cli("--db", str(missing), "add", "杭州云栖科技有限公司", "--phone", "13800138000",
                "--source", "官网注册", "--need", "CRM", "--json")  # fmt: skip
    assert added.json["owner"] == REP
    graded = cli("--db", str(missing), "grade", "L1", "A", "--reason", "预算明确", "--json")
    assert (graded.code, graded.json["grade"], graded.err) == (0, "A", "")
    listed = cli("--db", str(missing), "list", "--json")
    assert ([r["grade"] for r in listed.json], listed.err) == (["A"], "")


def test_the_default_database_is_still_created_by_a_read(cli, tmp_path):
    data = tmp_path / "fresh-data"
    result = cli("list", "--json", LEADCTL_DB="", XDG_DATA_HOME=str(data))
    assert (result.code, result.json, result.err) == (0, [], "")
    database = data / "leadctl" / "leads.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
