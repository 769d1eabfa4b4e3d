"""The weekly review as a page (issue 18, SPEC §6.6), on SQLite and PostgreSQL: the figures the
page adds to the review document (the funnel, the period against the four weeks before), and
the file `review --html` writes. What a browser makes of the page: test_review_browser.py.

The default clock is Monday 2024-10-07 09:00 (Asia/Shanghai); the supervisor looks at the week
2024-10-07 – 10-13 on Sunday night.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli.test_review import BOSS, CRITERIA, SUNDAY_NIGHT, add, lost, review, won
from tests.cli.test_startup import _modules_after


def page_of(cli: Any, *args: str, now: str = SUNDAY_NIGHT, **env: str) -> Any:
    return cli("review", *args, user=BOSS, now=now, **env)


# ---------------------------------------------------------------- the funnel


def test_the_funnel_counts_leads_acquired_up_to_the_end_ever_graded_upgraded_won(cli):
    # before this week: a D lead that slept, was woken and answered (ungraded now, graded once),
    # a lead lost without a grade, one never graded, one whose grading was taken back
    sleeper = add(cli, "沉睡客户", "13800138000", grade="D", now="2024-07-01T10:00")
    for attempt in range(3):
        cli.ok("follow", sleeper, "--note", f"未接 {attempt}", "--no-response",
               now=f"2024-07-01T1{attempt + 1}:00")  # fmt: skip
    assert cli.json("wake", now="2024-10-01T02:00", user="cron")["woken"] == [sleeper]
    reopened = cli.json("follow", sleeper, "--note", "客户回电", now="2024-10-02T10:00")
    assert (reopened["status"], reopened["grade"]) == ("active", None)
    never = add(cli, "未分级客户", "13800138001", now="2024-10-02T10:00")
    lost(cli, add(cli, "直接丢单", "13800138002", now="2024-10-02T10:00"), "budget",
         now="2024-10-03T10:00")  # fmt: skip
    undone = add(cli, "撤销分级", "13800138003", grade="B", now="2024-10-03T10:00")
    cli.ok("undo", undone, now="2024-10-03T10:05")
    # this week: graded, upgraded and won; upgraded and lost; graded only (李雷's)
    a = add(cli, "一号客户", "13800138004", grade="A")
    cli.ok("upgrade", a, *CRITERIA, now="2024-10-08T10:00")
    won(cli, a, "30万", now="2024-10-09T10:00")
    b = add(cli, "二号客户", "13800138005", grade="A", source="行业展会")
    cli.ok("upgrade", b, *CRITERIA, now="2024-10-08T10:00")
    lost(cli, b, "price", now="2024-10-09T10:00")
    add(cli, "三号客户", "13800138006", grade="C", user="李雷")

    doc = review(cli)
    assert doc["funnel"] == {"captured": 7, "graded": 4, "upgraded": 2, "won": 1}
    # the stages are counted as `sources` counts the leads: the same leads, the same totals
    sources = doc["sources"]
    assert doc["funnel"]["captured"] == sum(s["leads"] for s in sources)
    assert doc["funnel"]["upgraded"] == sum(s["opportunities"] for s in sources)
    assert doc["funnel"]["won"] == sum(s["won"] for s in sources)
    # last week's: only the leads acquired by Sunday 10-06, as they are now
    assert review(cli, "--last-week")["funnel"] == {
        "captured": 4, "graded": 1, "upgraded": 0, "won": 0,
    }  # fmt: skip
    assert review(cli, "--owner", "李雷")["funnel"] == {
        "captured": 1, "graded": 1, "upgraded": 0, "won": 0,
    }  # fmt: skip
    assert never and review(cli, "--week-of", "2024-06-30")["funnel"] == dict.fromkeys(
        ("captured", "graded", "upgraded", "won"), 0
    )


# ---------------------------------------------------------------- the weeks


def test_the_period_against_the_four_weeks_before_counts_follow_ups_and_wins(cli):
    lead = add(cli, "老客户", "13800138000", grade="C", now="2024-08-30T10:00")
    # five weeks ago (not shown), then in each of the four weeks before, then this week
    for day, times in (("2024-09-06", 1), ("2024-09-09", 2), ("2024-09-22", 1),
                       ("2024-10-06", 3), ("2024-10-07", 4)):  # fmt: skip
        for hour in range(times):
            cli.ok("follow", lead, "--note", "电话沟通", now=f"{day}T1{hour}:00")
    # Sunday 23:59 is last week's, Monday 00:00 this week's
    cli.ok("follow", lead, "--note", "深夜", "--at", "2024-10-06 23:59", now="2024-10-07T00:30")
    for number, (day, amount) in enumerate((("2024-09-18", "1.5万"), ("2024-09-19", "0.5万"),
                                            ("2024-10-10", "30万"))):  # fmt: skip
        deal = add(cli, f"成交{number}", f"1390013900{number}", grade="A", now=f"{day}T09:00")
        won(cli, deal, amount, now=f"{day}T10:00")
    other = add(cli, "李雷的客户", "13700137000", grade="C", user="李雷", now="2024-09-09T09:00")
    cli.ok("follow", other, "--note", "李雷跟进", user="李雷", now="2024-09-10T10:00")

    doc = review(cli)
    assert doc["weeks"] == [
        {"from": "2024-09-09", "to": "2024-09-15", "follow_ups": 3, "won": 0,
         "won_amount": "0.00"},
        {"from": "2024-09-16", "to": "2024-09-22", "follow_ups": 1, "won": 2,
         "won_amount": "20000.00"},
        {"from": "2024-09-23", "to": "2024-09-29", "follow_ups": 0, "won": 0,
         "won_amount": "0.00"},
        {"from": "2024-09-30", "to": "2024-10-06", "follow_ups": 4, "won": 0,
         "won_amount": "0.00"},
        {"from": "2024-10-07", "to": "2024-10-13", "follow_ups": 4, "won": 1,
         "won_amount": "300000.00"},
    ]  # fmt: skip
    # the period's own column is the summary's figures
    summary = doc["summary"]
    assert [doc["weeks"][-1][k] for k in ("follow_ups", "won", "won_amount")] == [
        summary["follow_ups"], summary["won"], summary["won_amount"]
    ]  # fmt: skip
    # --owner counts that rep's leads, as the summary does
    assert [w["follow_ups"] for w in review(cli, "--owner", "李雷")["weeks"]] == [1, 0, 0, 0, 0]
    assert [w["from"] for w in review(cli, "--last-week")["weeks"]] == [
        "2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23", "2024-09-30",
    ]  # fmt: skip


# ---------------------------------------------------------------- the file


def small_team(cli: Any) -> dict[str, str]:
    a = add(cli, "杭州云栖科技有限公司", "13800138000", grade="A")
    cli.ok("follow", a, "--note", "确认预算", now="2024-10-08T10:00")
    b = add(cli, "上海明德贸易", "13800138001", grade="B", user="李雷", source="行业展会")
    lost(cli, b, "price", user="李雷", now="2024-10-09T10:00")
    return {"a": a, "b": b}


def test_review_html_writes_a_private_page_and_says_where(cli, tmp_path):
    small_team(cli)
    target = tmp_path / "周报.html"
    result = page_of(cli, "--html", str(target))
    assert (result.code, result.err) == (0, "")
    size = max(1, round(target.stat().st_size / 1024))
    assert result.out == f"Wrote {target} ({size} KB): the weekly review 2024-10-07 – 2024-10-13.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n")
    for shown in ("Weekly review", "2024-10-07 – 2024-10-13", "杭州云栖科技有限公司", "李雷",
                  "行业展会", "Price"):  # fmt: skip
        assert shown in page, shown
    # with --json, the page is written and stdout holds the review document, as without --html
    again = page_of(cli, "--html", str(tmp_path / "again.html"), "--json")
    assert (again.code, again.err) == (0, "")
    assert again.json == review(cli)
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == page


def test_the_page_loads_nothing_and_runs_nothing(cli, tmp_path):
    small_team(cli)
    target = tmp_path / "review.html"
    page_of(cli, "--html", str(target))
    page = target.read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page
    assert "<script" not in page.lower()
    assert not re.search(r"@import|url\(\s*['\"]?(?!#)", page)
    # every reference stays inside the page: no src, href or xlink:href to another address
    links = re.findall(r"\b(?:src|href)\s*=\s*[\"']([^\"']*)", page)
    assert all(link.startswith("#") for link in links), links
    # the only addresses are XML namespace names, which are never fetched
    addresses = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, addresses


def test_user_text_is_text_on_the_page(cli, tmp_path):
    hostile = '<script>alert("x")</script> & 云栖'
    add(cli, hostile, "13800138000", grade="A", source="<b>展会</b>")
    add(cli, "数学客户", "13800138001", grade="B", source=r"$\frac{$ 渠道", user="李$雷")
    add(cli, "长名客户", "13800138002", source="很长的渠道名称" * 10 + "\x1b[31m")
    target = tmp_path / "review.html"
    assert page_of(cli, "--html", str(target)).code == 0
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page and "<b>展会" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 云栖" in page
    assert page.count("&lt;b&gt;展会&lt;/b&gt;") == 2  # in the table and the chart
    assert page.count(r"$\frac{$ 渠道") == 2  # not read as TeX
    # a long name is cut in the chart, whole in the table, its terminal escape shown escaped
    assert page.count("很长的渠道名称" * 5 + "很长的渠…<") == 1  # 40 characters
    assert page.count("很长的渠道名称" * 10 + "\\x1b[31m<") == 1


def test_an_existing_file_is_replaced_only_with_force(cli, tmp_path):
    small_team(cli)
    target = tmp_path / "review.html"
    target.write_text("last week's page", encoding="utf-8")
    os.chmod(target, 0o644)
    result = page_of(cli, "--html", str(target))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"Error: {str(target)!r} already exists: choose another name, or pass --force to "
        "replace it.\n"
    )
    assert target.read_text(encoding="utf-8") == "last week's page"
    assert page_of(cli, "--html", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_bad_targets_are_refused_and_nothing_is_written(cli, tmp_path):
    small_team(cli)
    cases = [
        (["--html", str(tmp_path / "review.txt")],
         "Error: The review page is a web page: give a file name ending in .html (not "
         "'review.txt'), e.g. 周报.html.\n"),
        (["--html", str(tmp_path / "no-such-folder" / "review.html")],
         f"Error: The folder {str(tmp_path / 'no-such-folder')!r} does not exist: create it "
         "first.\n"),
        (["--force"], "Error: --force replaces the page of --html FILE: give --html FILE too.\n"),
        (["--html", str(tmp_path / "review.html"), "--week-of", "someday"],
         "Error: Cannot read week 'someday': use 2024-10-05, today, tomorrow, +3d, a weekday "
         "(fri), 10月5日, 今天, 明天, 后天 or 下周一.\n"),
    ]  # fmt: skip
    long_name = tmp_path / ("周" * 100 + ".html")  # 305 bytes: more than a file name may have
    cases.append((["--html", str(long_name)], f"Error: Cannot write {str(long_name)!r}: File "
                  "name too long.\n"))  # fmt: skip
    (tmp_path / "folder.html").mkdir()
    cases.append((["--html", str(tmp_path / "folder.html")],
                  f"Error: {str(tmp_path / 'folder.html')!r} is a folder: give a file name, e.g. "
                  f"{tmp_path / 'folder.html' / '周报.html'}.\n"))  # fmt: skip
    for args, error in cases:
        result = page_of(cli, *args)
        assert (result.code, result.out, result.err) == (2, "", error), args
    # no page, and no part of one (a temporary .周报.html.….part)
    assert [p.name for p in tmp_path.rglob("*") if "htm" in p.name] == ["folder.html"]


def test_an_unknown_rep_is_refused_before_any_page_is_written(cli, tmp_path):
    cli.ok("team", "add", BOSS, "--role", "supervisor", user=BOSS)
    cli.ok("team", "add", "李强", user=BOSS)
    cli.ok("team", "set", "calendar.kind", "every-day", user=BOSS)  # as this user's own setting
    result = page_of(cli, "--html", str(tmp_path / "review.html"), "--owner", "李墙")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "Error: 李墙 is not on the team's roster, so cannot be the owner. Did you mean 李强? "
        "(`leadctl team list` shows the team.)\n"
    )
    assert list(tmp_path.glob("*review*")) == []


def test_the_page_of_an_empty_week_says_so(cli, tmp_path):
    target = tmp_path / "review.html"
    assert page_of(cli, "--html", str(target)).code == 0
    page = target.read_text(encoding="utf-8")
    for words in ("No follow-ups logged in the period.", "No leads acquired up to 2024-10-13.",
                  "No deals lost in the period.", "Every grade is confirmed."):  # fmt: skip
        assert words in page, words
    assert 'id="chart-weeks"' in page  # five empty weeks are still five weeks
    for chart in ("reps", "funnel", "losses", "sources"):
        assert f'id="chart-{chart}"' not in page


def test_the_page_is_in_the_help(cli):
    out = cli.ok("review", "--help").out
    assert "--html FILE" in out and "--force" in out
    assert "leadctl --user 主管 review --last-week --html 周报.html" in out


def test_a_missing_file_is_never_half_written(cli, tmp_path, monkeypatch):
    """A failure while the page is drawn leaves no file and no temporary file."""
    small_team(cli)
    from leadctl.render import charts

    def broken(chart: Any) -> str:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(charts, "bars", broken)
    target = tmp_path / "review.html"
    result = page_of(cli, "--html", str(target))
    assert result.code == 1
    assert list(Path(tmp_path).glob("*.html")) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".review")] == []


def test_only_the_page_loads_the_chart_library(cli, tmp_path):
    small_team(cli)
    for args in (["today"], ["review", "--json"], ["review"]):
        assert not {"matplotlib", "numpy"} & _modules_after(cli, *args), args
    page = ["review", "--html", str(tmp_path / "review.html")]
    assert "matplotlib" in _modules_after(cli, *page)


def test_a_matplotlibrc_of_the_user_does_not_restyle_the_page(cli, tmp_path):
    """The charts are drawn with matplotlib's defaults and the page's settings, whatever the
    user's own matplotlib configuration says (it is read when matplotlib loads: a process of
    its own)."""
    small_team(cli)
    ours = tmp_path / "ours.html"
    page_of(cli, "--html", str(ours))
    rc = tmp_path / "config" / "matplotlib" / "matplotlibrc"  # XDG_CONFIG_HOME/matplotlib
    rc.parent.mkdir(parents=True, exist_ok=True)
    rc.write_text("figure.facecolor: black\nsvg.fonttype: path\npatch.force_edgecolor: True\n")
    theirs = tmp_path / "theirs.html"
    env = {**os.environ, **cli.env, "LEADCTL_USER": BOSS, "LEADCTL_NOW": SUNDAY_NIGHT}
    done = subprocess.run(
        [sys.executable, "-m", "leadctl", "review", "--html", str(theirs)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert theirs.read_text(encoding="utf-8") == ours.read_text(encoding="utf-8")
