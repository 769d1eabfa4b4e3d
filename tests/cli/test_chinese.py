"""The whole interface in Chinese (SPEC §6.5, issue 17).

On a week of Chinese data, every command's human output, every refusal and every `--help` in
`zh` holds no ASCII word of the English catalog (syntax aside: options, quoted commands,
metavariables, the grades); JSON is byte-identical in both languages and so are exit codes; the
language is chosen by --lang (before or after the command), LEADCTL_LANG, the config's lang, or
the locale, and a bad value is refused before anything runs.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import REP

PO = Path(__file__).resolve().parents[2] / "leadctl/locale/zh_CN/LC_MESSAGES/leadctl.pot"
PO = PO.with_name("leadctl.po")
ZH = {"LEADCTL_LANG": "zh"}
# ASCII words that are names, not English: they stay in a Chinese interface
NAMES = {"leadctl", "csv", "xlsx", "json", "html", "sqlite", "postgresql", "excel", "id", "url"}
NAMES |= {"crm"}  # data: the fixtures' need is 采购CRM系统


@cache
def english_words() -> frozenset[str]:
    """Every ASCII word of the catalog's English messages (placeholders taken out)."""
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    words: set[str] = set()
    for message in catalog:
        for text in [message.id] if isinstance(message.id, str) else list(message.id):
            text = re.sub(r"\{[^{}]*\}", " ", text)
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", text))
    return frozenset(words - NAMES)


@cache
def command_names() -> frozenset[str]:
    return frozenset(word for command in _commands() for word in command)


@cache
def typed_words() -> frozenset[str]:
    """What a rep types, which help and the settings table list as it is typed: the closed
    choices' English names, calendar kinds, roles, languages, and a few names of tools."""
    from leadctl.domain import choices

    words = {"cn", "weekdays", "every", "day", "rep", "supervisor", "zh", "en", "fri", "cron",
             "shell", "stderr", "hzyq", "ceng", "zeng"}  # fmt: skip
    for enum in choices.CHINESE:
        for member in enum:
            words.update(member.value.split("-"))
    return frozenset(words)


def english_left(out: str, *, typed: bool = False) -> list[str]:
    """The English words of the catalog that remain in `out`, syntax and data taken out first:
    quoted commands and values, options, metavariables, setting keys (`pool.max_open`,
    `[cadence]`), command names, URLs and paths; with `typed`, also the values a rep types
    (help lists `won`, `budget` … beside their Chinese names)."""
    text = re.sub(r"`[^`]*`|'[^'\n]*'", " ", out)  # a quoted command or value
    text = re.sub(r"\b[a-z]+(?:[._][a-z_]+)+\b|\[[a-z_]+\]", " ", text)  # setting keys
    text = re.sub(r"(?:\w+://)?\S*/\S*", " ", text)  # URLs and paths
    text = re.sub(r"leadctl( [a-z]+)*", " ", text)  # a command's name after leadctl
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)  # options
    text = re.sub(
        r"\b[A-Z][A-Z0-9_]+\b|\b[\w-]+(?:\.\.\.)? <[^>]*>|<[^>]*>|\{\w+\}", " ", text
    )  # metavariables
    found = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)}
    left = found & english_words() - command_names()
    return sorted(left - typed_words() if typed else left)


def test_the_check_finds_english() -> None:
    # the check must fail on what it is for, and pass syntax
    assert english_left("L0001 3 days overdue") == ["days", "overdue"]
    assert english_left("错误：找不到线索 L0009。请运行 `leadctl list --all`。") == []
    assert english_left("用法：leadctl today [OPTIONS] --owner <str>") == []
    assert english_left("状态：won") == ["won"]  # a status shown to a rep is a word
    assert english_left("--status：new、active（新线索、跟进中）", typed=True) == []


@pytest.fixture
def week(cli):
    """A week of the team's work, in Chinese: new, graded, followed, upgraded, won, lost,
    released to the pool, woken."""
    cli.add("杭州云栖科技有限公司", "13800138000", "--contact", "刘经理")
    cli.add("宁波海曙贸易公司", "13800138001", "--contact", "陈总", "--acquired", "2024-10-01")
    cli.add("绍兴柯桥纺织厂", "13800138002")
    cli.add("温州鹿城眼镜店", "13800138003")
    cli.add("嘉兴南湖食品厂", "13800138004", "--owner", "李强")
    cli.ok("grade", "L1", "A", "--reason", "需求明确，预算已批，一个月内决策")
    cli.ok("grade", "L2", "B", "--reason", "需求清晰但需多部门审批")
    cli.ok("grade", "L3", "C", "--reason", "初步咨询")
    cli.ok("grade", "L4", "A", "--reason", "老板亲自来电")
    cli.ok("follow", "L1", "--note", "确认预算30万", "--next", "发送方案", "--next-date", "明天")
    cli.ok("follow", "L2", "--note", "未接", "--no-response", "--channel", "电话")
    cli.ok(
        "upgrade", "L4", "--need-match", "--budget", "30万", "--budget-ok",
        "--decision-maker", "王总", "--no-objection",
    )  # fmt: skip
    cli.ok(
        "close", "L4", "won", "--amount", "30万", "--product", "质检系统", "--contract", "合同一号",
        "--factors", "响应快",
    )  # fmt: skip
    cli.ok("close", "L3", "lost", "--reason", "预算不足", "--note", "客户预算砍掉了")
    cli.ok("release", "L5", "--reason", "客户在外地", user="李强")
    return cli


READS = [
    ("today",),
    ("today", "--all"),
    ("show", "L1"),
    ("show", "L4"),
    ("list",),
    ("list", "--status", "lost"),
    ("find", "8001"),
    ("find", "杭州"),
    ("sources",),
    ("review",),
    ("pool",),
    ("wake", "--dry-run"),
    ("team", "list"),
    ("team", "settings"),
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_what_a_rep_reads_is_chinese(week, args) -> None:
    result = week(*args, **ZH)
    assert result.code == 0, result
    assert re.search(r"[\u4e00-\u9fff]", result.out), result
    # the settings table shows each setting's value as it is typed (`team set KEY VALUE`)
    typed = args == ("team", "settings")
    assert english_left(result.out + result.err, typed=typed) == [], result


@pytest.mark.parametrize(
    "args",
    [a for a in READS if a not in {("team", "list"), ("team", "settings")}],
    ids=" ".join,
)
def test_json_is_the_same_in_both_languages(week, args) -> None:
    english = week(*args, "--json")
    chinese = week(*args, "--json", **ZH)
    assert english.code == chinese.code == 0, (english, chinese)
    assert chinese.out == english.out


WRITES = [
    ("add", "台州椒江模具厂", "--phone", "13900139000", "--source", "行业展会", "--need", "模具"),
    ("edit", "L1", "--contact", "刘建华经理"),
    ("grade", "L2", "A", "--reason", "预算确认"),
    ("assign", "L2", "李强"),
    ("follow", "L1", "--note", "演示完成", "--mood", "积极关注"),
    ("undo", "L1"),
    ("claim", "L5"),
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: a[0])
def test_confirmations_are_chinese(week, args) -> None:
    result = week(*args, **ZH)
    assert result.code == 0, result
    assert english_left(result.out + result.err) == [], result


REFUSALS = [
    ("show", "L99"),
    ("grade", "L1", "E"),
    ("follow", "L1", "--at", "明年某天"),
    ("add", "某公司", "--phone", "123", "--source", "官网注册", "--need", "x"),
    ("close", "L1", "won"),
    ("upgrade", "L2"),
    ("claim", "L1"),
    ("follow", "L3", "--note", "回访"),
    ("today", "--owner"),
    ("todya",),
    ("add",),
    ("list", "--nope"),
    ("review", "--week-of", "明年"),
]


@pytest.mark.parametrize("args", REFUSALS, ids=" ".join)
def test_refusals_are_whole_chinese_sentences(week, args) -> None:
    english = week(*args)
    before = week.counts()
    result = week(*args, **ZH)
    assert result.code == english.code == 2, (english, result)
    assert result.err.startswith("错误："), result
    assert english_left(result.err) == [], result
    assert week.counts() == before


def _commands() -> list[tuple[str, ...]]:
    from leadctl.entry import _registered_commands

    names: list[tuple[str, ...]] = []
    for name, info in _registered_commands():
        if name == "team":
            names += [("team", sub.name) for sub in info.typer_instance.registered_commands]
            names.append(("team",))
        else:
            names.append((name,))
    return names


@pytest.mark.parametrize("command", [(), *_commands()], ids=lambda c: " ".join(c) or "leadctl")
def test_help_is_chinese(cli, command) -> None:
    result = cli(*command, "--help", **ZH)
    assert result.code == 0, result
    assert result.out.startswith("用法："), result
    assert english_left(result.out, typed=True) == [], result.out


def test_help_lines_fit_80_columns_in_chinese(cli) -> None:
    from rich.cells import cell_len

    for command in [(), ("follow",), ("import",)]:
        out = cli(*command, "--help", COLUMNS="80", **ZH).out
        assert max(cell_len(line) for line in out.splitlines()) <= 80, out


# ---------------------------------------------------------------- choosing the language


def test_the_language_is_chosen_by_option_env_config_or_locale(cli, tmp_path) -> None:
    def says(*args: str, **env: str) -> str:
        out = cli(*args, "today", "--help", **env).out
        assert out.startswith(("Usage:", "用法：")), out
        return "zh" if out.startswith("用法：") else "en"

    assert says() == "en"
    assert says(**ZH) == "zh"
    assert says("--lang", "zh") == "zh"
    assert says("--lang", "中文") == "zh"
    assert cli("today", "--lang", "zh").out == cli("today", **ZH).out  # after the command too
    assert says("--lang", "en", **ZH) == "en"
    (cli.home / "leadctl.toml").write_text('lang = "zh"\n', encoding="utf-8")
    assert says(LEADCTL_LANG="") == "zh"
    assert says() == "en"  # the environment wins over the config file
    (cli.home / "leadctl.toml").unlink()
    assert says(LEADCTL_LANG="", LANG="zh_CN.UTF-8") == "zh"
    assert says(LEADCTL_LANG="", LANG="en_US.UTF-8", LC_ALL="zh_TW.UTF-8") == "zh"
    assert says(LEADCTL_LANG="", LANG="de_DE.UTF-8") == "en"


@pytest.mark.parametrize(
    ("args", "env", "setting"),
    [
        (("--lang", "fr"), {}, "--lang"),
        ((), {"LEADCTL_LANG": "klingon"}, "LEADCTL_LANG"),
    ],
)
def test_a_bad_language_is_refused_before_anything_runs(cli, args, env, setting) -> None:
    result = cli(*args, "add", "某公司", "--phone", "13800138000", "--source", "官网", **env)
    assert result.code == 2, result
    assert result.err.startswith("Error: "), result
    assert setting in result.err and "zh" in result.err
    assert not Path(cli.db).exists() or cli.scalar("SELECT count(*) FROM lead") == 0


def test_a_bad_language_in_the_config_file_is_refused(cli) -> None:
    (cli.home / "leadctl.toml").write_text('lang = "fr"\n', encoding="utf-8")
    result = cli("today", LEADCTL_LANG="")
    assert result.code == 2, result
    assert "lang in the config file" in result.err


def test_rep_names_and_notes_stay_as_typed(week) -> None:
    out = week("show", "L1", **ZH).out
    assert "杭州云栖科技有限公司" in out and "确认预算30万" in out and REP in out
