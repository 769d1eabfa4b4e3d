"""The work calendar end to end (SPEC §6.1, issue 12), on SQLite and PostgreSQL.

Due days and deadlines that fall on a day off move to the next working day; a change of the
calendar or the cadence recomputes stored due days before the next command answers.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from leadctl.store.engine import HEAD_REVISION as HEAD
from tests.conftest import TABLES

BEFORE_NATIONAL_DAY = "2024-09-30T09:00"  # Monday; 10-01..10-07 off, 10-12 (Sat) a makeup day


def graded_a(cli: Any, calendar: str, now: str = BEFORE_NATIONAL_DAY) -> dict[str, Any]:
    cli.add("杭州云栖科技有限公司", "13800138000", now=now, LEADCTL_CALENDAR=calendar)
    return cli.json("grade", "L1", "A", "--reason", "预算明确", now=now, LEADCTL_CALENDAR=calendar)


def items(doc: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {i["item"]: (i["due_on"], i["deadline_on"]) for i in doc["due_items"]}


def test_an_a_lead_touched_before_national_day_is_due_the_first_day_back(cli):
    doc = graded_a(cli, "cn")
    assert doc["due_on"] == "2024-10-08"
    assert items(doc)["cadence"] == ("2024-10-08", "2024-10-08")
    # the proposal (due 10-03) moves too, and so does the review's deadline for it
    assert items(doc)["proposal"] == ("2024-10-08", "2024-10-08")
    back = cli.json("today", now="2024-10-08T09:00", LEADCTL_CALENDAR="cn")
    assert [(i["number"], i["overdue"]) for i in back["items"]] == [("L0001", False)]
    assert cli.json("today", now="2024-10-05T09:00", LEADCTL_CALENDAR="cn")["items"] == []


def test_every_day_keeps_the_calendar_days_of_the_first_release(cli):
    doc = graded_a(cli, "every-day")
    assert doc["due_on"] == "2024-10-01"
    assert items(doc)["proposal"] == ("2024-10-03", "2024-10-03")


def test_a_due_day_on_a_makeup_saturday_stays_and_weekdays_moves_it_to_monday(cli):
    # a C lead graded Saturday 2024-10-05 (a holiday) is due 7 days later: Saturday 10-12
    cli.add("苏州明达", "13900139000", now="2024-10-05T10:00", LEADCTL_CALENDAR="cn")
    cn = cli.json("grade", "L1", "C", "--reason", "初次询价", now="2024-10-05T10:00",
                  LEADCTL_CALENDAR="cn")  # fmt: skip
    assert cn["due_on"] == "2024-10-12"
    weekdays = cli.json("show", "L1", LEADCTL_CALENDAR="weekdays", now="2024-10-08T09:00")
    assert weekdays["due_on"] == "2024-10-14"


def test_changing_the_config_between_two_today_runs_moves_the_due_day(cli):
    graded_a(cli, "cn")
    config = Path(cli.env["LEADCTL_CONFIG"])
    config.write_text('[calendar]\nkind = "cn"\n', encoding="utf-8")
    env = {"LEADCTL_CALENDAR": ""}  # the config decides
    first = cli.json("today", "--all", now="2024-10-08T09:00", **env)
    assert [i["due_on"] for i in first["items"]] == ["2024-10-08"]
    stored = cli.rows("SELECT due_on, deadline_on FROM lead WHERE id = 1")[0]
    assert str(stored[0]) == "2024-10-08"
    # the team declares a company day off on the 8th: nothing is written, the queue follows
    config.write_text('[calendar]\nkind = "cn"\nholidays = ["2024-10-08"]\n', encoding="utf-8")
    second = cli.json("today", "--all", now="2024-10-08T09:00", **env)
    assert second["items"] == []
    assert cli.json("show", "L1", now="2024-10-08T09:00", **env)["due_on"] == "2024-10-09"
    assert str(cli.rows("SELECT due_on FROM lead WHERE id = 1")[0][0]) == "2024-10-09"
    # and a cadence interval counts too
    config.write_text('[calendar]\nkind = "every-day"\n[cadence]\na_days = 2\n', encoding="utf-8")
    assert cli.json("show", "L1", **env)["due_on"] == "2024-10-02"


def test_the_review_counts_no_overdue_lead_over_the_holiday(cli):
    graded_a(cli, "cn")
    review = cli.json("review", "--week-of", "2024-10-08", now="2024-10-08T18:00",
                      LEADCTL_CALENDAR="cn")  # fmt: skip
    assert [r["overdue"] for r in review["reps"] if r["owner"] == "王芳"] in ([], [0])
    every_day = cli.json("review", "--week-of", "2024-10-08", now="2024-10-08T18:00",
                         LEADCTL_CALENDAR="every-day")  # fmt: skip
    assert [r["overdue"] for r in every_day["reps"] if r["owner"] == "王芳"] == [1]


def test_a_year_without_holiday_data_is_noted_on_stderr_never_in_json(cli):
    cli.add("杭州云栖科技", "13800138000", now="2026-12-20T09:00", LEADCTL_CALENDAR="cn")
    shown = cli("show", "L1", "--json", now="2026-12-20T09:00", LEADCTL_CALENDAR="cn")
    assert shown.code == 0
    assert shown.json["number"] == "L0001"  # stdout is one JSON document, the note is not in it
    notes = [line for line in shown.err.splitlines() if "2027" in line]
    assert len(notes) == 1, shown.err
    assert "[calendar]" in notes[0] and "holidays" in notes[0]
    quiet = cli("wake", "--quiet", now="2026-12-20T09:00", LEADCTL_CALENDAR="cn")
    assert (quiet.code, quiet.err) == (0, "")
    # listed days off for 2027 in the config: the note goes away
    Path(cli.env["LEADCTL_CONFIG"]).write_text(
        '[calendar]\nholidays = ["2027-01-01"]\n', encoding="utf-8"
    )
    listed = cli("show", "L1", now="2026-12-20T09:00", LEADCTL_CALENDAR="cn")
    assert "2027" not in listed.err
    every_day = cli("show", "L1", now="2026-12-20T09:00", LEADCTL_CALENDAR="every-day")
    assert "2027" not in every_day.err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            {"LEADCTL_CALENDAR": "moon"},
            "Error: Unknown calendar 'moon': choose cn (Chinese holidays and makeup workdays), "
            "weekdays (Monday to Friday) or every-day.",
        ),
        (
            {"config": '[calendar]\nholidays = ["2024-13-01"]\n'},
            "Error: [calendar] holidays has '2024-13-01', which is not a day: write days as "
            'YYYY-MM-DD, e.g. "2024-10-09".',
        ),
    ],
)
def test_a_bad_calendar_setting_is_refused_and_nothing_is_written(cli, setting, message):
    cli.add("杭州云栖科技", "13800138000")
    before = cli.counts()
    env = dict(setting)
    if "config" in env:
        Path(cli.env["LEADCTL_CONFIG"]).write_text(env.pop("config"), encoding="utf-8")
    result = cli("follow", "L1", "--note", "x", **env)
    assert (result.code, result.err.strip()) == (2, message)
    assert cli.counts() == before


def test_the_global_calendar_option_wins_over_the_environment(cli):
    cli.add("杭州云栖科技", "13800138000", now=BEFORE_NATIONAL_DAY)
    doc = cli.json("--calendar", "cn", "grade", "L1", "A", "--reason", "r",
                   now=BEFORE_NATIONAL_DAY, LEADCTL_CALENDAR="every-day")  # fmt: skip
    assert doc["due_on"] == "2024-10-08"


def test_dates_without_a_year_take_the_nearest_allowed_occurrence(cli):
    cli.add("杭州云栖科技", "13800138000", now="2024-12-28T09:00")
    doc = cli.json("follow", "L1", "--note", "年后再联系", "--next", "回访",
                   "--next-date", "1月3日", now="2024-12-28T09:00")  # fmt: skip
    assert doc["follow_ups"][-1]["next_action_on"] == "2025-01-03"
    back = cli.json("follow", "L1", "--note", "补记", "--at", "12月30日 15:00",
                    now="2025-01-02T09:00")  # fmt: skip
    assert back["follow_ups"][-1]["at"] == "2024-12-30T15:00:00+08:00"
    assert date.fromisoformat(back["acquired_on"]) == date(2024, 12, 28)


def test_a_database_of_the_first_release_opens_and_migrates(tmp_path, monkeypatch, backend, db_url):
    """The released schema (0001) with a lead in it: the team edition migrates it and keeps it."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from leadctl.entry import main
    from leadctl.store.migrate import alembic_config

    url = db_url if backend == "postgresql" else f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("DROP TABLE IF EXISTS setting"))
            conn.execute(text("DROP TABLE IF EXISTS member"))
            conn.execute(text("DELETE FROM alembic_version"))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            for table in TABLES:  # every table of leads (the lead last: the others refer to it)
                conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO lead (customer, customer_key, customer_type, source, need, "
                "acquired_on, owner, status, ungraded_since, unanswered_streak, due_on, "
                "deadline_on, created_at, updated_at) VALUES ('老客户', '老客户', 'company', "
                "'官网注册', 'CRM', '2024-10-05', '王芳', 'new', '2024-10-05', 0, '2024-10-05', "
                "'2024-10-05', '2024-10-05 01:00:00', '2024-10-05 01:00:00')"
            )
        )
        conn.execute(
            text("INSERT INTO phone (lead_id, e164, position) VALUES (1, '+8613800138000', 0)")
        )
    engine.dispose()
    db = url if backend == "postgresql" else str(tmp_path / "old.db")
    for key, value in {"LEADCTL_DB": db, "LEADCTL_USER": "王芳", "LEADCTL_NOW": "2024-10-07T09:00",
                       "LEADCTL_TZ": "Asia/Shanghai", "LEADCTL_CALENDAR": "cn"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    assert main(["show", "L1", "--json"]) == 0
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert conn.execute(text("SELECT customer FROM lead")).scalar() == "老客户"
        # recomputed under cn: acquired on a holiday, due for grading the first day back
        assert str(conn.execute(text("SELECT due_on FROM lead")).scalar()) == "2024-10-08"
    engine.dispose()


def test_a_calendar_change_moves_stored_days_exactly_as_a_full_recompute(cli):
    """A change of calendar alone moves the stored plain days in SQL; the result equals the
    lead-by-lead recompute from each lead's facts, for every calendar."""
    days = ["2024-09-27T09:00", "2024-09-30T09:00", "2024-10-05T10:00", "2024-10-11T16:00"]
    for n, now in enumerate(days * 2):
        number = cli.add(f"客户{n}", f"1390013{n:04d}", now=now)["number"]
        grade = "ABCD"[n % 4]
        cli.ok("grade", number, grade, "--reason", "r", now=now)
        if n % 3 == 0:
            cli.ok("follow", number, "--note", "约见", "--next", "拜访", "--next-date",
                   "2024-10-13", now=now)  # fmt: skip
    query = "SELECT id, due_on, deadline_on, proposal_due_on FROM lead ORDER BY id"
    config = Path(cli.env["LEADCTL_CONFIG"])
    for kind, holidays in [("cn", "[]"), ("weekdays", '["2024-10-14"]'), ("every-day", "[]"),
                           ("cn", '["2024-10-08", "2024-10-09"]')]:  # fmt: skip
        config.write_text(f'[calendar]\nkind = "{kind}"\nholidays = {holidays}\n', encoding="utf-8")
        cli.ok("today", LEADCTL_CALENDAR="", now="2024-10-12T09:00")
        moved = [tuple(map(str, r)) for r in cli.rows(query)]
        cli.rows("SELECT 1")  # the same engine reads the result of each way
        with cli.engine().begin() as conn:
            from sqlalchemy import text

            conn.execute(text("DELETE FROM setting WHERE key = 'schedule_calendar'"))
            conn.execute(text("UPDATE setting SET value = 'x' WHERE key = 'schedule_basis'"))
        cli.ok("today", LEADCTL_CALENDAR="", now="2024-10-12T09:00")
        recomputed = [tuple(map(str, r)) for r in cli.rows(query)]
        assert moved == recomputed, kind
    assert len({r[1] for r in moved}) > 1


SCHEDULE_QUERY = (
    "SELECT id, due_on, deadline_on, proposal_due_on, proposal_done_on, recycle_from, "
    "plain_due_on, plain_deadline_on, plain_proposal_due_on, touch_on, grade_set_on, "
    "proposal_from, case_from FROM lead ORDER BY id"
)


def a_varied_book(cli: Any) -> None:
    """Leads in every state an interval counts from: ungraded, each grade, a proposal made and
    one outstanding, a case, a next action, an opportunity, one in the pool, one closed."""
    start = ["2024-09-27T09:00", "2024-09-30T09:00", "2024-10-05T10:00", "2024-10-11T16:00"]
    for n, now in enumerate(start * 3):
        number = cli.add(f"客户{n}", f"1390013{n:04d}", now=now)["number"]
        if n % 6 == 5:
            continue  # never graded
        cli.ok("grade", number, "ABCD"[n % 4], "--reason", "r", now=now)
        if n % 3 == 0:
            cli.ok("follow", number, "--note", "约见", "--next", "拜访", "--next-date",
                   "2024-11-13", now="2024-10-12T10:00")  # fmt: skip
        if n in (4, 8):
            cli.ok("follow", number, "--kind", "proposal", "--note", "报价", now="2024-10-12T11:00")
        if n in (1, 9):
            cli.ok("follow", number, "--kind", "case", "--note", "案例", now="2024-10-12T11:00")
    cli.ok("upgrade", "L0001", "--need-match", "--budget", "20-50万", "--budget-ok",
           "--decision-maker", "张总", "--no-objection", now="2024-10-12T12:00")  # fmt: skip
    cli.ok("release", "L0002", "--reason", "暂无需求", now="2024-10-12T12:00")
    cli.ok("close", "L0003", "lost", "--reason", "budget", "--note", "预算不足",
           now="2024-10-12T12:00")  # fmt: skip


def test_an_interval_change_recomputes_in_sql_exactly_as_from_facts(cli, monkeypatch):
    """A change of any cadence or recycling interval recomputes every open lead's schedule in
    SQL from the base days it keeps; the result equals the lead-by-lead recompute from facts,
    under every calendar, and no lead is read into Python."""
    from sqlalchemy import text

    import leadctl.services.schedule as schedule

    a_varied_book(cli)
    config = Path(cli.env["LEADCTL_CONFIG"])
    settings = [
        ('kind = "cn"', "", ""),
        ('kind = "cn"', "a_days = 2\nb_days = 3\nb_deadline_days = 5\nproposal_days = 5", ""),
        ('kind = "weekdays"', "c_days = 10\ncase_days = 4\nd_days = 14", "recycle_days = 9"),
        ('kind = "every-day"', "b_deadline_days = 1\nproposal_days = 1",
         "recycle_days = 20\nnotify_days = 30"),
        ('kind = "cn"\nholidays = ["2024-10-14"]', "", "recycle_days = 12\nnotify_days = 2"),
        # the proposal and case items come first, then the recycling notice
        ('kind = "every-day"', "a_days = 9\nb_days = 9\nb_deadline_days = 9\nproposal_days = 1"
         "\ncase_days = 2\nc_days = 30\nd_days = 40", "recycle_days = 4\nnotify_days = 2"),
    ]  # fmt: skip
    # then one interval at a time: only the leads counting it are recomputed
    last = settings[-1]
    for rule, value in [("case_days", "5"), ("proposal_days", "2"), ("notify_days", "1"),
                        ("d_days", "3"), ("b_days", "1")]:  # fmt: skip
        changed = tuple(re.sub(rf"{rule} = \d+", f"{rule} = {value}", part) for part in last)
        assert changed != last
        settings.append(last := changed)
    seen = set()
    for calendar, cadence, pool in settings:
        config.write_text(f"[calendar]\n{calendar}\n[cadence]\n{cadence}\n[pool]\n{pool}\n",
                          encoding="utf-8")  # fmt: skip
        with monkeypatch.context() as mp:
            mp.setattr(schedule, "_recompute", None)  # the SQL path must not need it
            mp.setattr(schedule, "RANGE", 4)  # a range of four open leads at a time
            cli.ok("today", LEADCTL_CALENDAR="", now="2024-10-12T18:00")
        in_sql = [tuple(map(str, r)) for r in cli.rows(SCHEDULE_QUERY)]
        with cli.engine().begin() as conn:  # no basis: recomputed from facts
            conn.execute(text("DELETE FROM setting WHERE key LIKE 'schedule_%'"))
        cli.ok("today", LEADCTL_CALENDAR="", now="2024-10-12T18:00")
        assert cli.rows("SELECT count(*) FROM setting WHERE key LIKE 'schedule_%'") == [(2,)]
        from_facts = [tuple(map(str, r)) for r in cli.rows(SCHEDULE_QUERY)]
        assert in_sql == from_facts, (calendar, cadence, pool)
        seen.add(tuple(in_sql))
    assert len(seen) == len(settings)  # every setting changed some stored day
    rows = cli.rows(SCHEDULE_QUERY)
    for column in range(9, 13):  # every base day is in use
        assert any(r[column] is not None for r in rows)


def test_a_database_of_the_team_edition_preview_gets_its_base_days(cli, monkeypatch):
    """Schema 0002 kept no base days: the upgrade forgets the basis, so the next command
    recomputes from facts and fills them; the next interval change is SQL."""
    from alembic import command
    from sqlalchemy import text

    import leadctl.services.schedule as schedule
    from leadctl.store.migrate import alembic_config

    a_varied_book(cli)
    cli.ok("today")
    expected = cli.rows(SCHEDULE_QUERY)
    with cli.engine().begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
        conn.execute(text("DELETE FROM setting"))  # a basis 0002 wrote, without base days
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('schedule_basis', 'old'), "
                          "('schedule_calendar', 'old')"))  # fmt: skip
    cli.close()
    cli.ok("today")
    assert cli.rows("SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert cli.rows(SCHEDULE_QUERY) == expected
    Path(cli.env["LEADCTL_CONFIG"]).write_text("[cadence]\na_days = 3\n", encoding="utf-8")
    with monkeypatch.context() as mp:
        mp.setattr(schedule, "_recompute", None)
        cli.ok("today")
    assert cli.rows(SCHEDULE_QUERY) != expected


def test_a_long_recompute_says_so_on_stderr_only(cli, monkeypatch):
    """From PROGRESS_FROM open leads a recompute says what it is doing on stderr (one line off
    a terminal, for cron mail); JSON on stdout stays clean."""
    import leadctl.commands.common as common

    for n in range(3):
        cli.add(f"客户{n}", f"1390013{n:04d}")
    Path(cli.env["LEADCTL_CONFIG"]).write_text("[cadence]\nd_days = 20\n", encoding="utf-8")
    monkeypatch.setattr(common, "PROGRESS_FROM", 3)
    result = cli.ok("today", "--json")
    assert result.err == (
        "Recomputing due days of 3 open leads (the calendar or cadence settings changed)…\n"
    )
    assert [i["number"] for i in result.json["items"]] == ["L0001", "L0002", "L0003"]
    assert cli.ok("today", "--json").err == ""  # once
