"""Hostile and random input (issue 8, item 5), on SQLite and PostgreSQL, in-process.

Hypothesis feeds random text — control characters, RTL and zero-width marks, Rich markup, SQL
fragments, 10k-character strings, emoji, NUL — to every option of every command. Whatever comes
in, the answer is exit 0 or 2, never a bug (1) nor a database error (3); on 2 the database is
unchanged (row counts and a checksum of every table) and stderr is one `Error:` line; on 0 the
text comes back exactly as given, less surrounding whitespace (docs/design.md), and Rich markup
in it is printed literally.

Option values are passed as `--option=value` and positional values after `--`, as a shell user
would have to, so a value like `--json` is data, not an option.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import REP, TABLES, Result

EXAMPLES = 30
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI: a failure reproduces
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PIECES = [
    "[bold]",
    "[/]",
    "[red]红[/red]",
    "[link=https://x.cn]y[/link]",
    "[/bold]",
    "\\[b]",
    "'; DROP TABLE lead; --",
    '" OR 1=1 --',
    "%",
    "_",
    "\\",
    "%s",
    "{0}",
    "$(id)",
    "`id`",
    "\u202e",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "\u3000",
    "😀",
    "👨‍👩‍👧",
    "🇨🇳",
    "\x00",
    "\x1b[31m",
    "\x07",
    "\x7f",
    "\r",
    "\n",
    "\t",
    "\r\n",
    "杭州云栖科技有限公司",
    "王芳",
    "NULL",
    "None",
    "--json",
    "-h",
    "L0001",
    " ",
    "=1+2",
    "@SUM(A1)",
]
LONG_CHARS = ["x", "客", "😀", "[", "\u202e"]


def hostile() -> st.SearchStrategy[str]:
    """Random text, weighted towards what breaks programs."""
    return st.one_of(
        st.text(max_size=30),
        st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=6).map("".join),
        # around the 10 000-character limit of every text field
        st.builds(
            lambda char, n, tail: char * n + tail,
            st.sampled_from(LONG_CHARS),
            st.integers(9_990, 10_010),
            st.sampled_from(["", " ", "\n", "[/]"]),
        ),
    )


def stored(value: str) -> str | None:
    """What a text field must hold afterwards: the value less surrounding whitespace."""
    text = value.strip()
    return text or None


def snapshot(cli: Any) -> str:
    """Every row of every table, hashed: equal snapshots mean nothing was written."""
    digest = hashlib.sha256()
    for table in TABLES:
        for row in cli.rows(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


class Hostile:
    """Runs one command on hostile input and checks what every command owes the user."""

    def __init__(self, cli: Any, tmp_path: Path) -> None:
        self.cli = cli
        self.tmp = tmp_path
        self._serial = itertools.count(1)

    def fresh_phone(self) -> str:
        return f"137{next(self._serial):08d}"

    def lead(self, *, grade: str | None = None) -> str:
        doc = self.cli.add(f"样本客户{next(self._serial)}", self.fresh_phone())
        if grade:
            self.cli.ok("grade", doc["number"], grade, "--reason", "样本")
        return str(doc["number"])

    def run(self, *args: str, **kwargs: Any) -> Result:
        before = snapshot(self.cli)
        result = self.cli(*args, **kwargs)
        assert result.code in (0, 2), result
        assert "Traceback" not in result.err, result
        if result.code == 2:
            assert snapshot(self.cli) == before, f"written although rejected: {result!r}"
            first, *rest = result.err.split("\n")
            assert first.startswith("Error: "), result
            if args[0] != "import":  # only import follows its line with a table of bad rows
                assert rest == [""], f"more than one line: {result!r}"
        return result


@pytest.fixture
def hostile_cli(cli: Any, tmp_path: Path) -> Hostile:
    return Hostile(cli, tmp_path)


def shown(h: Hostile, number: str) -> dict[str, Any]:
    return dict(h.cli.json("show", number))


# ---------------------------------------------------------------- capture


ADD_TEXT = {
    "customer": "customer",
    "--contact": "contact",
    "--source": "source",
    "--need": "need",
    "--wechat": "wechat",
    "--owner": "owner",
}
ADD_OTHER = ["--phone", "--type", "--email", "--acquired"]


@given(option=st.sampled_from([*ADD_TEXT, *ADD_OTHER]), value=hostile())
@HYPOTHESIS
def test_add(hostile_cli, option, value):
    h = hostile_cli
    values = {
        "customer": f"新客户{h.fresh_phone()}",
        "--phone": h.fresh_phone(),
        "--source": "官网注册",
        "--need": "采购CRM",
        option: value,
    }
    options = [f"{k}={v}" for k, v in values.items() if k != "customer"]
    result = h.run("add", *options, "--json", "--", values["customer"])
    if result.code == 0 and option in ADD_TEXT:
        # an empty --owner means the default owner: you
        expected = stored(value) or (REP if option == "--owner" else None)
        assert result.json[ADD_TEXT[option]] == expected
        assert shown(h, result.json["number"])[ADD_TEXT[option]] == expected


EDIT_TEXT = {
    "--customer": "customer",
    "--contact": "contact",
    "--wechat": "wechat",
    "--source": "source",
    "--need": "need",
}
EDIT_OTHER = ["--type", "--phone", "--add-phone", "--remove-phone", "--email", "--acquired"]


@given(option=st.sampled_from([*EDIT_TEXT, *EDIT_OTHER, "LEAD"]), value=hostile())
@HYPOTHESIS
def test_edit(hostile_cli, option, value):
    h = hostile_cli
    number = h.lead()
    if option == "LEAD":
        h.run("edit", "--contact=李经理", "--", value)
        return
    result = h.run("edit", f"{option}={value}", "--json", "--", number)
    if result.code == 0 and option in EDIT_TEXT:
        assert shown(h, number)[EDIT_TEXT[option]] == stored(value)


@given(option=st.sampled_from(["GRADE", "--reason", "LEAD", "--user"]), value=hostile())
@HYPOTHESIS
def test_grade(hostile_cli, option, value):
    h = hostile_cli
    number = h.lead()
    if option == "GRADE":
        h.run("grade", "--reason=预算明确", "--", number, value)
    elif option == "LEAD":
        h.run("grade", "--reason=预算明确", "--", value, "B")
    elif option == "--user":  # who graded is recorded, and the confirmation names them
        result = h.run(f"--user={value}", "grade", "--reason=预算明确", "--", number, "B")
        if result.code == 0:
            assert shown(h, number)["history"][-1]["by"] == (stored(value) or REP)
            h.run("grade", "--confirm", "--", number)
    else:
        result = h.run("grade", f"--reason={value}", "--", number, "A")
        if result.code == 0:
            assert shown(h, number)["grade_reason"] == stored(value)


@given(option=st.sampled_from(["REP", "LEAD"]), value=hostile())
@example(option="REP", value="李\n雷")  # the owner's name is quoted by a refusal: one line
@example(option="REP", value="\x1b[2J\x1b[31m李雷")  # a terminal escape is shown, not obeyed
@HYPOTHESIS
def test_assign(hostile_cli, option, value):
    h = hostile_cli
    number = h.lead()
    if option == "LEAD":
        h.run("assign", "--", value, "李雷")
        return
    result = h.run("assign", "--json", "--", number, value)
    if result.code == 0:
        assert shown(h, number)["owner"] == stored(value)
        # the new owner's name now appears in refusals: still one line
        h.run("follow", "--note=电话沟通", "--", number)


@given(option=st.sampled_from(["LEAD", "--json"]), value=hostile())
@HYPOTHESIS
def test_show(hostile_cli, option, value):
    h = hostile_cli
    if option == "LEAD":
        h.run("show", "--", value)
    else:
        h.run("show", "--json", "--", value)


@given(option=st.sampled_from(["--status", "--grade", "--owner", "--source"]), value=hostile())
@HYPOTHESIS
def test_list_and_export_filters(hostile_cli, option, value):
    h = hostile_cli
    h.run("list", f"{option}={value}")
    h.run("list", f"{option}={value}", "--json")
    target = h.tmp / "filtered.csv"  # export takes list's filters
    if h.run("export", f"{option}={value}", "--force", "--", str(target)).code == 0:
        assert target.stat().st_mode & 0o077 == 0
    assert [p.name for p in h.tmp.iterdir() if p.name.endswith(".part")] == []


# ---------------------------------------------------------------- the day and the pipeline


FOLLOW_TEXT = {"--note": "note", "--next": "next_action"}
FOLLOW_OTHER = ["--channel", "--kind", "--at", "--next-date", "--mood", "LEAD"]


@given(option=st.sampled_from([*FOLLOW_TEXT, *FOLLOW_OTHER]), value=hostile())
@HYPOTHESIS
def test_follow(hostile_cli, option, value):
    h = hostile_cli
    number = h.lead()
    if option == "LEAD":
        h.run("follow", "--note=电话沟通", "--", value)
        return
    values = {"--note": "电话沟通", "--next": "发送方案", option: value}
    result = h.run("follow", *(f"{k}={v}" for k, v in values.items()), "--json", "--", number)
    if result.code == 0 and option in FOLLOW_TEXT:
        follow_up = shown(h, number)["follow_ups"][-1]
        assert follow_up[FOLLOW_TEXT[option]] == stored(value)


@given(option=st.sampled_from(["--owner", "--all"]), value=hostile())
@HYPOTHESIS
def test_today(hostile_cli, option, value):
    h = hostile_cli
    if option == "--owner":
        h.run("today", f"--owner={value}")
        h.run("today", f"--owner={value}", "--json")
    else:  # the queue shows whatever text was stored
        h.run("add", f"--phone={h.fresh_phone()}", "--source=s", "--need=n", "--", value)
        h.run("today", "--all")
        h.run("today", "--all", "--json")


UPGRADE_TEXT = {
    "--budget": "budget",
    "--dm-title": "title",
    "--decision-maker": "name",
    "--competitor": "competitor",
    "--advantage": "advantage",
    "--strategy": "strategy",
}


@given(option=st.sampled_from([*UPGRADE_TEXT, "--dm-phone", "LEAD"]), value=hostile())
@HYPOTHESIS
def test_upgrade(hostile_cli, option, value):
    h = hostile_cli
    number = h.lead(grade="A")
    if option == "LEAD":
        h.run(
            "upgrade",
            "--need-match",
            "--budget=20-50万",
            "--budget-ok",
            "--decision-maker=张总",
            "--no-objection",
            "--",
            value,
        )
        return
    values = {"--budget": "20-50万", "--decision-maker": "张总", option: value}
    result = h.run(
        "upgrade",
        "--need-match",
        "--budget-ok",
        "--no-objection",
        *(f"{k}={v}" for k, v in values.items()),
        "--json",
        "--",
        number,
    )
    if result.code == 0 and option in UPGRADE_TEXT:
        opportunity = shown(h, number)["opportunity"]
        holder = opportunity["decision_maker"] if option.startswith("--d") else opportunity
        assert holder[UPGRADE_TEXT[option]] == stored(value)


CLOSE_WON_TEXT = {"--contract": "contract", "--product": "product", "--factors": "factors"}
CLOSE_LOST_TEXT = {"--note": "note", "--competitor": "competitor"}


@given(
    option=st.sampled_from(
        [*CLOSE_WON_TEXT, "--amount", "--date", "RESULT", *CLOSE_LOST_TEXT, "--reason"]
    ),
    value=hostile(),
)
@HYPOTHESIS
def test_close(hostile_cli, option, value):
    h = hostile_cli
    number = h.lead(grade="B")
    if option in (*CLOSE_WON_TEXT, "--amount", "--date"):
        values = {"--amount": "30万", "--contract": "HT-1", "--product": "CRM", option: value}
        result = h.run("close", *(f"{k}={v}" for k, v in values.items()), "--", number, "won")
        texts = CLOSE_WON_TEXT
    elif option == "RESULT":
        h.run("close", "--amount=30万", "--contract=HT-1", "--product=CRM", "--", number, value)
        return
    else:
        values = {"--reason": "价格", "--note": "选择了更便宜的方案", option: value}
        result = h.run("close", *(f"{k}={v}" for k, v in values.items()), "--", number, "lost")
        texts = CLOSE_LOST_TEXT
    if result.code == 0 and option in texts:
        assert shown(h, number)["outcome"][texts[option]] == stored(value)


@given(option=st.sampled_from(["--week-of", "--owner"]), value=hostile())
@example(option="--owner", value="\x00")  # PostgreSQL cannot search for NUL: exit 2, not 3
@HYPOTHESIS
def test_review(hostile_cli, option, value):
    h = hostile_cli
    h.run("review", f"{option}={value}")
    h.run("review", f"{option}={value}", "--json")


@given(option=st.sampled_from(["--user", "--tz"]), value=hostile())
@example(option="--user", value="\x00")  # PostgreSQL cannot store NUL: exit 2, not 3
@example(option="--tz", value="Asia/" + "上海" * 100)  # longer than a file name: exit 2, not 1
@HYPOTHESIS
def test_wake_and_the_global_options(hostile_cli, option, value):
    """`wake` has no text option of its own: the global ones it records (who ran it)."""
    h = hostile_cli
    result = h.run(f"{option}={value}", "wake", "--json")
    if result.code == 0 and option == "--user":
        ran_by = h.cli.rows("SELECT by FROM wake_run ORDER BY id DESC")[0][0]
        assert ran_by == (stored(value) or REP)  # an empty --user: LEADCTL_USER


def test_a_very_long_time_zone_name_is_refused(hostile_cli):
    h = hostile_cli
    result = h.cli("--tz", "x" * 300, "today")
    assert result.code == 2, result
    assert result.err.startswith("Error: Unknown time zone"), result


# ---------------------------------------------------------------- files


def file_name() -> st.SearchStrategy[str]:
    """A hostile name inside the test folder (no `/`: it never leaves the folder).

    No NUL either: a command line cannot carry one (C strings), so a file name never holds it.
    """
    return st.tuples(
        hostile().filter(lambda s: "/" not in s and "\x00" not in s and len(s.encode()) < 200),
        st.sampled_from(["", ".csv", ".xlsx", ".CSV", ".db"]),
    ).map("".join)


@given(command=st.sampled_from(["import", "export", "template", "backup"]), name=file_name())
@example(command="export", name="\x1b[31m[bold]客户\n.csv")
@example(command="backup", name="-h")
@example(command="template", name=".xlsx")
@HYPOTHESIS
def test_file_names(hostile_cli, command, name):
    h = hostile_cli
    folder = h.tmp / "files"
    folder.mkdir(exist_ok=True)
    target = f"{folder}/{name}"
    existed = sorted(p.name for p in folder.iterdir())
    result = h.run(command, "--", target)
    after = sorted(p.name for p in folder.iterdir())
    if result.code == 2 or command == "import":
        assert after == existed, "a refused command left a file behind"
    else:
        (new,) = set(after) - set(existed)
        assert Path(folder / new).stat().st_mode & 0o077 == 0  # private: 0600


@given(column=st.sampled_from(["customer", "contact", "source", "need", "wechat"]), value=hostile())
@HYPOTHESIS
def test_import_cells(hostile_cli, column, value):
    """Hostile text inside the file: imported exactly (less surrounding space) or refused."""
    h = hostile_cli
    path = h.tmp / "form.csv"
    row = {
        "customer": f"导入客户{h.fresh_phone()}",
        "phone": h.fresh_phone(),
        "source": "展会",
        "need": "CRM",
        "contact": "",
        "wechat": "",
    }
    row[column] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    result = h.run("import", str(path), "--json")
    if result.code == 0:
        number = result.json["first"]
        got = shown(h, number)[column]
        expected = stored(value)
        if expected and expected.startswith("'"):  # import strips the formula guard (SPEC §3)
            expected = stored(expected[1:])
        assert got == expected


# ---------------------------------------------------------------- Rich markup, literally


MARKUP = st.lists(
    st.sampled_from(["[bold]", "[/]", "[red]", "[/red]", "[link=x]", ":smile:", "[i]", "王", "a"]),
    min_size=1,
    max_size=6,
).map("".join)


@given(name=MARKUP, source=MARKUP)
@HYPOTHESIS
def test_rich_markup_in_user_text_prints_literally(hostile_cli, name, source):
    h = hostile_cli
    added = h.run("add", "--phone", h.fresh_phone(), f"--source={source}", "--need=n", "--", name)
    if added.code != 0:  # the same customer again: a duplicate
        return
    number = h.cli.json("list", "--json")[-1]["number"]
    assert name in added.out
    card = h.cli.ok("show", number).out
    assert name in card and source in card
    # tables may wrap a long name over several lines of its cell — never cut or style it
    assert printed(name, h.cli.ok("list", f"--source={source}").out)
    assert printed(name, h.cli.ok("today", f"--owner={REP}").out)


def printed(text: str, out: str) -> bool:
    """`text` appears in `out` as it is, or whole in one table cell, wrapped over its lines."""
    if text in out:
        return True
    rows: list[list[str]] = []
    for line in out.splitlines():
        if "│" not in line:
            continue  # not a body row
        cells = [cell.strip() for cell in line.split("│")]
        if cells[0]:
            rows.append(cells)
        elif rows:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return any(cell == text for row in rows for cell in row)


def test_terminal_escapes_in_user_text_never_reach_the_terminal(hostile_cli):
    """With colour off (not a terminal, NO_COLOR), no ESC may come out: any would be data's."""
    h = hostile_cli
    name = "\x1b[2J\x1b[31m杭州\x07客户"
    added = h.cli.ok(
        "add", f"--phone={h.fresh_phone()}", "--source=展会", "--need=n", "--json", "--", name
    )
    number = added.json["number"]
    assert h.cli.json("show", number)["customer"] == name  # stored exactly
    for args in (["show", number], ["list"], ["today", "--all"]):
        out = h.cli.ok(*args).out
        assert "\x1b" not in out and "\x07" not in out, out
