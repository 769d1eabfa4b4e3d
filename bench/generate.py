"""Synthetic lead databases for the benchmarks: realistic shape, cached between runs.

The schema comes from leadctl itself (its Alembic migrations, via `open_store`); due days come
from leadctl's own cadence engine (`leadctl.domain.cadence.stored_schedule`) under the work
calendar every timed run uses (`CALENDAR`, the `cn` default), and the database records that basis
(the `schedule_basis` setting), so `today` sees what the product would have stored and no timed
command starts by recomputing due days. Rows go in with the standard library's executemany.

Shape, for N leads: 20 main reps plus a long tail (N // 500 more), each with a bounded book of
open leads (a rep cannot work 45,000 at once: at 1M leads most leads are closed or dormant, as a
team's history is); about 10 follow-ups a lead; Chinese names; grades, statuses and dates spread
over two years before the fixed benchmark day.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 16, 9, 0, tzinfo=TZ)  # a Monday
TODAY = NOW.date()
WEEK_START = datetime.combine(TODAY - timedelta(days=TODAY.weekday()), time(0, 0), tzinfo=TZ)
MAIN_REPS = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞",
             "徐涛", "孙丽", "马超", "朱琳", "胡斌", "郭燕", "何军", "高洁", "林峰", "罗娟"]  # fmt: skip
CITIES = ["杭州", "上海", "北京", "深圳", "广州", "成都", "南京", "苏州", "武汉", "西安"]
TRADES = ["云栖科技", "明德贸易", "华信软件", "恒通物流", "金桥制造", "新元医疗", "博远教育",
          "立方数据", "海纳食品", "天和建材"]  # fmt: skip
SOURCES = ["官网注册", "行业展会", "老客户转介绍", "短视频平台推广", "电话营销", "合作伙伴"]
NEEDS = ["需要采购CRM系统", "寻求年度供应商合作", "升级现有ERP", "咨询数据分析平台", "采购办公设备"]
CHANNELS = ["phone", "wechat", "meeting", "email"]
KINDS = ["contact", "contact", "contact", "proposal", "case", "greeting", "demo"]
MOODS = ["positive", "hesitant", "negative", None]
OPEN_PER_MAIN_REP = 250
OPEN_PER_TAIL_REP = 20
FOLLOW_UPS_PER_LEAD = 10
CONTACT = "联系人"
CALENDAR = "cn"  # LEADCTL_CALENDAR of every timed run: the stored due days are computed under it


def bench_env(config: Path) -> dict[str, str]:
    """The settings every benchmark run uses (config: a file that does not exist)."""
    return {"LEADCTL_USER": MAIN_REPS[0], "LEADCTL_NOW": NOW.isoformat(),
            "LEADCTL_TZ": "Asia/Shanghai", "LEADCTL_CALENDAR": CALENDAR,
            "LEADCTL_CONFIG": str(config)}  # fmt: skip


def _ts(moment: datetime) -> str:
    """SQLAlchemy's SQLite storage of an aware datetime: naive UTC text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _d(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def build(path: Path, size: int, seed: int = 7) -> None:
    from leadctl.domain.cadence import SCHEDULE_COLUMNS, LeadFacts, stored_schedule
    from leadctl.domain.choices import Grade, Status
    from leadctl.domain.leads import customer_key
    from leadctl.domain.search import digits_reversed, search_text, spelling_keys
    from leadctl.services.schedule import BASIS, CALENDAR_BASIS
    from leadctl.settings import load_settings
    from leadctl.store.engine import open_store

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    settings = load_settings(bench_env(path.with_suffix(".no-config.toml")), db=str(tmp))
    assert settings.config_path is not None and not settings.config_path.exists()
    open_store(settings).close()

    rng = random.Random(seed)
    rules, calendar = settings.cadence, settings.calendar
    no_schedule = dict.fromkeys(SCHEDULE_COLUMNS)
    tail = [f"代表{i:04d}" for i in range(size // 500)]
    books = [(r, OPEN_PER_MAIN_REP) for r in MAIN_REPS] + [(r, OPEN_PER_TAIL_REP) for r in tail]
    open_owners = [r for r, n in books for _ in range(n)][: size // 2]
    all_reps = MAIN_REPS + tail

    leads, phones, follow_ups, events, opportunities, outcomes, keys = [], [], [], [], [], [], []
    follow_id = 0
    for lead_id in range(1, size + 1):
        is_open = lead_id <= len(open_owners)
        owner = open_owners[lead_id - 1] if is_open else rng.choice(all_reps)
        acquired = TODAY - timedelta(
            days=rng.randint(20, 730) if not is_open else rng.randint(3, 120)
        )
        customer = f"{rng.choice(CITIES)}{rng.choice(TRADES)}{lead_id}号有限公司"
        grade = rng.choices(["A", "B", "C", "D", None], [10, 25, 35, 25, 5])[0]
        if is_open and grade is None:  # new leads get graded within a day or two
            acquired = TODAY - timedelta(days=rng.randint(0, 2))
        if is_open:
            status = "new" if grade is None else rng.choices(["active", "opportunity"], [85, 15])[0]
        else:
            status = rng.choices(["won", "lost", "dormant"], [30, 50, 20])[0]
            grade = grade or "C"
        start = datetime.combine(acquired, time(10, 0), tzinfo=TZ)
        # the last touch: mostly inside the grade's interval, some due today, a few overdue
        interval = rules.touch_interval(Grade(grade))[1] if grade else 1
        age = rng.choices(
            [rng.randint(0, max(0, interval - 1)), interval, interval + rng.randint(1, 3)],
            [85, 10, 5],
        )[0] if is_open else rng.randint(30, 400)  # fmt: skip
        last_touch = min(
            NOW - timedelta(hours=1),
            datetime.combine(TODAY - timedelta(days=age), time(15, 0), tzinfo=TZ),
        )
        last_touch = max(last_touch, start + timedelta(hours=1))
        graded_at = start + (last_touch - start) / 3 if grade else None
        n = FOLLOW_UPS_PER_LEAD if grade else 0
        span = (last_touch - start).total_seconds()
        times = sorted(start + timedelta(seconds=span * rng.random()) for _ in range(max(0, n - 1)))
        if n:
            times.append(last_touch)
        last_proposal = last_case = None
        next_action = next_on = None
        mood = None
        for i, at in enumerate(times):
            follow_id += 1
            kind = rng.choice(KINDS)
            if i == len(times) - 1 and is_open:  # most reps keep up with proposals and cases
                if grade == "A" and rng.random() < 0.85:
                    kind = "proposal"
                elif grade == "B" and rng.random() < 0.75:
                    kind = "case"
            responded = rng.random() > 0.15
            mood = rng.choice(MOODS)
            late = rng.random() < 0.1
            is_last = i == len(times) - 1
            nxt = nxt_on = None
            if is_last and is_open and rng.random() < 0.3:
                nxt_on = max(at.astimezone(TZ).date(), TODAY + timedelta(days=rng.randint(-1, 10)))
                nxt = "发送案例资料"
                next_action, next_on = nxt, nxt_on
            if kind == "proposal":
                last_proposal = at
            if kind == "case":
                last_case = at
            logged = at + timedelta(hours=2 if late else 0, minutes=5)
            follow_ups.append((follow_id, lead_id, _ts(at), rng.choice(CHANNELS), kind,
                               "沟通需求与预算", nxt, _d(nxt_on), mood, int(responded),
                               _ts(logged), int(late), owner, 0))  # fmt: skip
        facts = LeadFacts(
            status=Status(status),
            grade=Grade(grade) if grade else None,
            ungraded_since=acquired if grade is None else None,
            graded_at=graded_at,
            grade_set_at=graded_at,
            last_contact_at=times[-1] if times else None,
            last_proposal_at=last_proposal,
            last_case_at=last_case,
            next_action=next_action,
            next_action_on=next_on,
            # recycling counts from the latest touch (the pool figures turn it on)
            recycle_from=last_touch.astimezone(TZ).date(),
        )
        # what `leadctl` stores (and recomputes for open leads when the settings change)
        stored = stored_schedule(facts, None, rules, TZ, calendar) if is_open else no_schedule
        upgraded = status in ("opportunity", "won") or (status == "lost" and rng.random() < 0.3)
        rested = None
        closed_on = (last_touch + timedelta(days=1)).astimezone(TZ).date()
        if status in ("lost", "dormant"):
            # wake runs every night, so only a night's worth of leads finish their rest today:
            # the others rest less than their 90 (180) days, or were woken and rested again
            rest = 90 if status == "dormant" else 180
            rested = TODAY - timedelta(
                days=rest if rng.random() < 0.01 else rng.randint(0, rest - 1)
            )
        # the supervisor confirms grades every Monday: only this week's gradings are unconfirmed
        confirmed = None
        if graded_at is not None and graded_at < WEEK_START:
            confirmed = _ts(min(graded_at + timedelta(days=3), WEEK_START))
        leads.append((
            lead_id, customer, customer_key(customer), rng.choice(["company"] * 9 + ["person"]),
            CONTACT, None, None, rng.choice(SOURCES), rng.choice(NEEDS), _d(acquired), owner,
            status, grade, "首次沟通后分级" if grade else None,
            _ts(graded_at) if graded_at else None, owner if grade else None,
            _ts(graded_at) if graded_at else None, confirmed, "主管" if confirmed else None,
            _d(acquired) if grade is None else None,
            _ts(times[-1]) if times else None, mood,
            _ts(last_proposal) if last_proposal else None, _ts(last_case) if last_case else None,
            next_action, _d(next_on), 0, _d(last_touch.date()) if upgraded else None, None,
            _d(rested), _ts(start), _ts(last_touch), *(_d(stored[c]) for c in SCHEDULE_COLUMNS),
            search_text(customer, CONTACT, None, None),
        ))  # fmt: skip
        keys.extend((key, lead_id) for key in spelling_keys(customer, CONTACT))
        e164 = f"+86139{lead_id:08d}"
        phones.append((lead_id, lead_id, e164, 0, digits_reversed(e164)))
        events.append((lead_id, "created", _ts(start), owner, "{}"))
        if graded_at:
            events.append((lead_id, "graded", _ts(graded_at), owner, f'{{"grade": "{grade}"}}'))
        if upgraded:
            opportunities.append((lead_id, 1, "20-50万", 1, "张总", "总经理", None, 1, None, None,
                                  None, _ts(last_touch), owner))  # fmt: skip
        if status in ("won", "lost"):
            won = status == "won"
            outcomes.append((
                lead_id, status, _d(closed_on), _ts(last_touch + timedelta(days=1)), owner,
                rng.randint(5, 500) * 1_000_000 if won else None, f"HT-{lead_id}" if won else None,
                "CRM 标准版" if won else None, None,
                None if won else rng.choice(["budget", "price", "competitor", "timing", "other"]),
                None if won else "客户选择暂缓", None,
            ))  # fmt: skip
            events.append((lead_id, status, _ts(last_touch + timedelta(days=1)), owner, "{}"))
        if len(follow_ups) >= 200_000:
            _flush(tmp, leads, phones, follow_ups, events, opportunities, outcomes, keys)
    _flush(tmp, leads, phones, follow_ups, events, opportunities, outcomes, keys)
    con = sqlite3.connect(tmp)
    with con:  # the due days above were computed with these settings (leadctl checks the basis)
        con.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?)",
            [(BASIS, settings.schedule_basis), (CALENDAR_BASIS, settings.calendar.fingerprint())],
        )
        # a lost lead keeps its loss reason (as closing stores it, and migration 0006 fills it)
        con.execute(
            "UPDATE lead SET lost_reason = (SELECT reason FROM outcome WHERE outcome.lead_id = "
            "lead.id ORDER BY outcome.id DESC LIMIT 1) WHERE status = 'lost'"
        )
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    tmp.replace(path)


def _flush(path: Path, *batches: list[tuple[object, ...]]) -> None:
    from leadctl.domain.cadence import SCHEDULE_COLUMNS

    leads, phones, follow_ups, events, opportunities, outcomes, keys = batches
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous = OFF")
    con.execute("BEGIN")
    cols = (
        "id, customer, customer_key, customer_type, contact, email, wechat, source, need, "
        "acquired_on, owner, status, grade, grade_reason, graded_at, graded_by, grade_set_at, "
        "grade_confirmed_at, grade_confirmed_by, ungraded_since, last_contact_at, last_mood, "
        "last_proposal_at, last_case_at, next_action, next_action_on, unanswered_streak, "
        "upgraded_on, woken_on, rested_on, created_at, updated_at, "
        + ", ".join(SCHEDULE_COLUMNS)
        + ", search_text"
    )
    marks = ",".join("?" * (33 + len(SCHEDULE_COLUMNS)))
    con.executemany(f"INSERT INTO lead ({cols}) VALUES ({marks})", leads)
    con.executemany(
        "INSERT INTO phone (id, lead_id, e164, position, digits_reversed) VALUES (?,?,?,?,?)",
        phones,
    )
    keys.sort()  # find's pinyin keys, in index order: far fewer pages touched
    con.executemany("INSERT INTO lead_key (key, lead_id) VALUES (?,?)", keys)
    con.executemany(
        "INSERT INTO follow_up (id, lead_id, at, channel, kind, note, next_action, next_action_on,"
        " mood, responded, logged_at, late, by, forced) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        follow_ups,
    )
    con.executemany(
        "INSERT INTO event (lead_id, event, at, by, details) VALUES (?,?,?,?,?)", events
    )
    con.executemany(
        "INSERT INTO opportunity (lead_id, need_match, budget, budget_ok, decision_maker, dm_title,"
        " dm_phone, no_objection, competitor, advantage, strategy, upgraded_at, upgraded_by)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        opportunities,
    )
    con.executemany(
        "INSERT INTO outcome (lead_id, result, closed_on, closed_at, by, amount_fen, contract,"
        " product, factors, reason, note, competitor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        outcomes,
    )
    con.execute("COMMIT")
    con.close()
    for batch in batches:
        batch.clear()


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2])
    build(target, count)
    print(f"built {target} with {count} leads")
