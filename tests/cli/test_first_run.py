"""A first run that looks alive (issue 16, point 6): the Quick start's sample leads make a queue
dated the day you try them, owned by the example team and by you; its install lines work from a
clone. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "leads.csv"
TEAM = {"王芳", "李强", "张伟"}  # the README's example team
NEWCOMER = "alice"  # someone trying leadctl: a login name the sample file does not know


def quick_start(cli: Any, now: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Quick start's first line, by a newcomer at `now`: the import, then `today`."""
    imported = cli.json("import", str(EXAMPLES), "--skip-invalid", user=NEWCOMER, now=now)
    return imported, cli.json("today", user=NEWCOMER, now=now)


@pytest.mark.parametrize(
    "now",
    ["2024-10-07T09:00", "2031-03-12T16:30", datetime.now().isoformat(timespec="minutes")],
    ids=["a Monday", "years later", "the real clock"],
)
def test_the_sample_leads_make_a_queue_dated_today(cli, now):
    imported, queue = quick_start(cli, now)
    assert (imported["imported"], imported["skipped"], imported["errors"]) == (40, 0, [])
    today = date.fromisoformat(now[:10])
    assert queue["date"] == today.isoformat() and queue["owner"] == NEWCOMER
    assert len(queue["items"]) >= 3
    due = [date.fromisoformat(item["due_on"]) for item in queue["items"]]
    assert today in due  # something to do today, not only old debts
    assert all(today - timedelta(days=2) <= d <= today for d in due)  # never "795 days overdue"
    everyone = cli.json("today", "--all", user=NEWCOMER, now=now)["items"]
    assert all(date.fromisoformat(i["due_on"]) >= today - timedelta(days=2) for i in everyone)
    owners = {lead["owner"] for lead in cli.json("list", user=NEWCOMER, now=now)}
    assert owners == TEAM | {NEWCOMER}


def test_the_sample_leads_carry_no_fixed_acquired_dates(cli):
    """Imported years apart, every lead is as many days old: the dates are relative."""
    ages = []
    for now in ("2024-10-07T09:00", "2031-03-12T16:30"):
        cli.json("import", str(EXAMPLES), "--allow-duplicate", user=NEWCOMER, now=now)
        today = date.fromisoformat(now[:10])
        leads = sorted(cli.json("list", user=NEWCOMER, now=now), key=lambda lead: lead["number"])
        ages.append(
            [
                (today - date.fromisoformat(cli.json("show", lead["number"])["acquired_on"])).days
                for lead in leads[-40:]
            ]
        )
    assert ages[0] == ages[1]
    assert set(ages[0]) > {0, 1}  # some today, some earlier: a week of capturing


def test_the_readme_installs_from_a_clone_in_two_quick_start_lines():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    lines = [line for line in quick.splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0] == (
        "pip install . && leadctl import examples/leads.csv --skip-invalid && leadctl today"
    )
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    installs = re.findall(r"pip install (?:-e )?(\S+)", readme)
    assert "'.[postgres]'" in installs
    for target in installs:  # each installs this clone, with extras it defines
        assert target.strip("'").startswith("."), target
        named = re.findall(r"\[([^\]]+)\]", target)
        assert all(extra in extras for name in named for extra in name.split(",")), target
