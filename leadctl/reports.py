"""The supervisor's Monday: `review` for one week, every figure by set-based SQL.

Week and day bounds are computed here in Python, in the user's zone, and passed as parameters
to the queries of store/review.py.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from leadctl.domain.dates import parse_day
from leadctl.domain.money import from_fen
from leadctl.errors import LeadctlError
from leadctl.i18n import N_, _
from leadctl.services.common import Ctx, known_owner
from leadctl.store import review as queries

if TYPE_CHECKING:
    from leadctl.settings import Settings


def week_bounds(
    today: date, *, last_week: bool = False, week_of: date | None = None
) -> tuple[date, date]:
    """Monday–Sunday containing `week_of` (or today, or the week before today's)."""
    anchor = week_of or (today - timedelta(days=7) if last_week else today)
    monday = anchor - timedelta(days=anchor.weekday())
    return monday, monday + timedelta(days=6)


def _start(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def review(
    ctx: Ctx,
    *,
    last_week: bool = False,
    week_of: str | None = None,
    owner: str | None = None,
) -> dict[str, Any]:
    today = ctx.today
    tz = ctx.settings.clock.tz
    if last_week and week_of:
        raise LeadctlError(_("Use one of --week, --last-week or --week-of DATE."))
    anchor = parse_day(week_of, today, what=N_("week")) if week_of else None
    first, last = week_bounds(today, last_week=last_week, week_of=anchor)
    start, end = _start(first, tz), _start(last + timedelta(days=1), tz)
    with ctx.store.read() as session:
        if owner is not None:
            known_owner(ctx, session, owner)
        doc: dict[str, Any] = {
            "from": first,
            "to": last,
            "owner": owner,
            "summary": queries.summary(session, first, last, start, end, owner),
            "grades_to_confirm": [
                {
                    "number": ctx.number(r[0]),
                    "customer": r[1],
                    "owner": r[2],
                    "grade": r[3],
                    "reason": r[4],
                    "graded_at": r[5],
                    "by": r[6],
                }
                for r in queries.grades_to_confirm(session, owner)
            ],
            "reps": queries.reps(session, first, last, start, end, today, owner),
            "sources": by_listed_source(queries.sources(session, last, owner), ctx.settings),
            "loss_reasons": queries.loss_reasons(session, first, last, owner),
            "wake_runs": queries.wake_runs(session, start, end),
            "recycled": _recycled(ctx, session, start, end, owner),
        }
        doc["funnel"] = _funnel(doc["sources"], queries.graded_leads(session, last, owner))
        doc["weeks"] = [
            *(_week(session, monday, tz, owner) for monday in _weeks_before(first)),
            {"from": first, "to": last, **{key: doc["summary"][key] for key in WEEK_FIGURES}},
        ]
    counts: dict[str, int] = {}
    for lead in doc["recycled"]:
        counts[lead["owner"]] = counts.get(lead["owner"], 0) + 1
    for rep in doc["reps"]:
        rep["recycled"] = counts.pop(rep["owner"], 0)
    for name, count in sorted(counts.items()):  # a rep whose only news is a recycled lead
        doc["reps"].append(
            {"owner": name, "follow_ups": 0, "leads_touched": 0, "overdue": 0, "late_logs": 0,
             "proposals_missed": 0, "recycled": count}
        )  # fmt: skip
    return doc


def by_listed_source(rows: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """Conversion by source, grouped by the team's list (config [sources]) when there is one:
    each spelling in use (one row each from the query) counts under the list's name it is or
    is an alias of; a source off the list keeps its own row, `listed: false`, so nothing
    drops out of the figures. Without a list, `listed` is null."""
    sources = settings.sources
    if not sources:
        return [{**row, "listed": None} for row in rows]
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = sources.canonical(row["source"])
        group = merged.setdefault(
            name or row["source"],
            {"source": name or row["source"], "leads": 0, "opportunities": 0, "won": 0,
             "lost": 0, "listed": name is not None},
        )  # fmt: skip
        for count in ("leads", "opportunities", "won", "lost"):
            group[count] += row[count]
    for group in merged.values():
        group["win_rate"] = round(group["won"] / group["leads"], 4)
    return sorted(merged.values(), key=lambda s: (-s["leads"], s["source"]))


PREVIOUS_WEEKS = 4  # the page sets the period against this many weeks before it
WEEK_FIGURES = ("follow_ups", "won", "won_amount")


def _funnel(sources: list[dict[str, Any]], graded: int) -> dict[str, int]:
    """The leads acquired up to the period's end, as `sources` counts them: captured → ever
    graded → ever upgraded → won (now)."""
    return {
        "captured": sum(s["leads"] for s in sources),
        "graded": graded,
        "upgraded": sum(s["opportunities"] for s in sources),
        "won": sum(s["won"] for s in sources),
    }


def _weeks_before(first: date) -> list[date]:
    return [first - timedelta(weeks=n) for n in range(PREVIOUS_WEEKS, 0, -1)]


def _week(session: Any, monday: date, tz: tzinfo, owner: str | None) -> dict[str, Any]:
    """One earlier week's follow-ups and wins, counted as the summary counts the period's."""
    sunday = monday + timedelta(days=6)
    start, end = _start(monday, tz), _start(sunday + timedelta(days=1), tz)
    won, won_fen, _ = queries.closes(session, monday, sunday, owner)
    return {
        "from": monday,
        "to": sunday,
        "follow_ups": queries.follow_ups(session, start, end, owner),
        "won": won,
        "won_amount": from_fen(won_fen),
    }


def _recycled(
    ctx: Ctx, session: Any, start: datetime, end: datetime, owner: str | None
) -> list[dict[str, Any]]:
    """The period's leads the nightly sweep returned to the pool, with the rep who had them."""
    leads = []
    for lead_id, customer, at, details in queries.recycled(session, start, end):
        previous = json.loads(details or "{}").get("previous")
        if owner is None or previous == owner:
            leads.append(
                {"number": ctx.number(lead_id), "customer": customer, "owner": previous,
                 "on": at.astimezone(ctx.settings.clock.tz).date()}
            )  # fmt: skip
    return leads
