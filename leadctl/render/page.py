"""The weekly review as one self-contained HTML page (`review --html`, SPEC §6.6).

The page is built from the document `review --json` prints — the same numbers, nothing counted
again — as the review's sections in tables, with charts (render/charts.py) drawn inline as SVG.
Nothing in it loads anything: no script at all, styles inline, fonts named (the reader's own
CJK fonts draw the Chinese), and a Content-Security-Policy that forbids every request, so a
page forwarded to a manager opens the same offline. It prints on A4.

Every word of the page is here, each passed through leadctl.i18n's `_()` (or `_n()` where it
counts): in the Chinese interface (§6.5) the page is Chinese, loss reasons by the names a rep
types. Customers', reps' and sources' names are the user's data and stay as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from leadctl.i18n import _, _n, _p, lang
from leadctl.render import charts

if TYPE_CHECKING:
    from leadctl.settings import Clock


def loss_reason_words() -> dict[str, str]:
    """The page's words for the loss reasons; in Chinese the names a rep types (`shown`)."""
    return {
        "budget": _p("reason", "Budget"),
        "price": _p("reason", "Price"),
        "competitor": _p("reason", "Chose a competitor"),
        "need-changed": _p("reason", "Need changed"),
        "timing": _p("reason", "Timing"),
        "no-response": _p("reason", "No response"),
        "out-of-scope": _p("reason", "Out of scope"),
        "other": _p("reason", "Other"),
    }


LANG_TAGS = {"zh": "zh-CN"}  # the page's `lang`, for its fonts and a screen reader


REPS_CHARTED = 15  # the chart shows the reps with the most follow-ups; the table shows all
SOURCES_CHARTED = 12  # the sources with the most leads

# Chinese first by name, so Chinese text takes Chinese glyphs (a Japanese face of the same
# font would draw some characters differently); web fonts are never loaded
FONTS = (
    '-apple-system, "Segoe UI", "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)
# nothing may be fetched, run or sent: styles and SVG are inline, there is no script
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

STYLE = """
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb;
  --accent: #2f6db5; --bad: #c8463d; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 190mm; padding: 24px 20px 40px; color: var(--ink);
  font: 14px/1.5 FONTS; background: #fff; }
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid
  var(--line); }
p { margin: 4px 0 10px; }
.period { font-size: 16px; margin: 2px 0 0; }
.made, .note, figcaption { color: var(--muted); font-size: 12px; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(112px, 1fr));
  gap: 8px; margin: 16px 0 0; padding: 0; }
.summary div { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px;
  min-width: 0; }
#summary-won_amount { grid-column: span 2; }
.summary dt { color: var(--muted); font-size: 12px; }
.summary dd { margin: 0; font-size: 20px; font-weight: 600; overflow-wrap: anywhere;
  font-variant-numeric: tabular-nums; }
figure { margin: 6px 0 10px; }
figure svg { display: block; width: 100%; height: auto; }
figure svg text { font-family: FONTS !important; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 8px; }
th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; border-bottom-color: #9ca3af; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;
  padding-right: 0; padding-left: 8px; }
td.bad { color: var(--bad); font-weight: 600; }
.lead { font-weight: 600; }
.empty { color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .summary dd { font-size: 14pt; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 16px; }
  figure, .summary, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
""".replace("FONTS", FONTS)


# ---------------------------------------------------------------- small pieces of HTML

# C0 and C1 control characters but tab and newline: shown escaped, as the terminal shows them
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(value: Any) -> str:
    """User text with its control characters shown escaped, as the terminal shows them."""
    plain = "" if value is None else str(value)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], plain)


def _text(value: Any) -> str:
    """User text or a figure as HTML text."""
    return html.escape(_visible(value))


LABEL_CHARACTERS = 40  # a chart's label; the table beside it holds the whole name


def _label(name: str) -> str:
    """A rep's or source's name as a chart labels it (matplotlib escapes it into the SVG)."""
    shown = _visible(name).replace("\n", " ")
    return shown if len(shown) <= LABEL_CHARACTERS else shown[: LABEL_CHARACTERS - 1] + "…"


def _count(value: int) -> str:
    return f"{value:,}"


def _money(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _percent(share: float, digits: int = 0) -> str:
    return f"{share:.{digits}%}"


Column = tuple[str, Callable[[dict[str, Any]], str], str]  # heading, cell HTML, class


def _table(name: str, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> str:
    head = "".join(f'<th class="{cls}">{_text(title)}</th>' for title, _cell, cls in columns)
    body = "\n".join(
        "<tr>" + "".join(f'<td class="{cls}">{cell(row)}</td>' for _t, cell, cls in columns)
        + "</tr>"
        for row in rows
    )  # fmt: skip
    return f'<table id="table-{name}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'


def _figure(name: str, svg: str, caption: str) -> str:
    return (
        f'<figure id="chart-{name}" role="img" aria-label="{_text(caption)}">\n{svg}\n'
        f"<figcaption>{_text(caption)}</figcaption></figure>"
    )


def _heading(words: str) -> str:
    return f"<h2>{_text(words)}</h2>"


def _empty(words: str) -> str:
    return f'<p class="empty">{_text(words)}</p>'


# ---------------------------------------------------------------- the sections


def _summary(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    figures = [
        ("new_leads", _("New leads"), _count(s["new_leads"])),
        ("graded", _("Graded"), _count(s["graded"])),
        ("follow_ups", _("Follow-ups"), _count(s["follow_ups"])),
        ("upgraded", _("Upgraded"), _count(s["upgraded"])),
        ("won", _("Won"), _count(s["won"])),
        ("won_amount", _("Won amount"), _money(s["won_amount"])),
        ("lost", _("Lost"), _count(s["lost"])),
        ("dormant", _("Went dormant"), _count(s["dormant"])),
        ("woken", _("Woken"), _count(s["woken"])),
    ]
    cards = "".join(
        f'<div id="summary-{key}"><dt>{_text(label)}</dt><dd>{_text(value)}</dd></div>'
        for key, label, value in figures
    )
    return f'<dl class="summary">{cards}</dl>'


def _reps(doc: dict[str, Any]) -> str:
    reps = doc["reps"]
    out = [_heading(_("Follow-ups per rep"))]
    active = [r for r in reps if r["follow_ups"]]
    if active:
        shown = active[:REPS_CHARTED]
        svg = charts.bars(
            charts.Bars(
                "reps",
                [
                    charts.Bar(
                        _label(r["owner"]), r["follow_ups"],
                        _count(r["follow_ups"]) + (
                            " · " + _("{count} late").format(count=_count(r["late_logs"]))
                            if r["late_logs"] else ""
                        ),
                        part=r["late_logs"],
                    )
                    for r in shown
                ],
                legend=(_("Follow-ups logged within the hour"), _("Logged late")),
            )
        )  # fmt: skip
        if len(active) > len(shown):
            caption = _("The {shown} reps with the most follow-ups, of {count}; the table lists "
                        "every rep.").format(shown=len(shown), count=len(active))  # fmt: skip
        else:
            caption = _("Follow-ups each rep logged in the period, late logs darker.")
        out.append(_figure("reps", svg, caption))
    else:
        out.append(_empty(_("No follow-ups logged in the period.")))
    if reps:

        def counted(key: str) -> Callable[[dict[str, Any]], str]:
            return lambda r: _count(r[key])

        out.append(
            _table(
                "reps",
                [
                    (_("Rep"), lambda r: _text(r["owner"]), ""),
                    (_("Follow-ups"), counted("follow_ups"), "n"),
                    (_("Leads touched"), counted("leads_touched"), "n"),
                    (_("Late logs"), counted("late_logs"), "n"),
                    (_("Overdue now"), counted("overdue"), "n"),
                    (_("Proposals missed"), counted("proposals_missed"), "n"),
                    (_("Back to the pool"), counted("recycled"), "n"),
                ],
                reps,
            )
        )
    else:
        out.append(_empty(_("Nothing overdue and no proposal missed.")))
    return "\n".join(out)


def _funnel(doc: dict[str, Any]) -> str:
    funnel = doc["funnel"]
    to = doc["to"].isoformat()
    out = [_heading(_("The funnel"))]
    captured = funnel["captured"]
    if not captured:
        out.append(_empty(_("No leads acquired up to {day}.").format(day=to)))
        return "\n".join(out)
    stages = [
        ("captured", _("Captured")),
        ("graded", _("Graded")),
        ("upgraded", _("Opportunity")),
        ("won", _("Won")),
    ]
    svg = charts.bars(
        charts.Bars(
            "funnel",
            [
                charts.Bar(label, funnel[key],
                           f"{_count(funnel[key])} · {_percent(funnel[key] / captured, 1)}")
                for key, label in stages
            ],
            scale_to=captured,
        )
    )  # fmt: skip
    out.append(
        _figure(
            "funnel",
            svg,
            _("The leads acquired up to {day}: how many were ever graded, ever became an "
              "opportunity, and are won; shares of those captured.").format(day=to),
        )
    )  # fmt: skip
    out.append(
        _table(
            "funnel",
            [
                (_("Stage"), lambda r: _text(r["label"]), ""),
                (_("Leads"), lambda r: _count(r["count"]), "n"),
                (_("Of captured"), lambda r: _percent(r["count"] / captured, 1), "n"),
            ],
            [{"label": label, "count": funnel[key]} for key, label in stages],
        )
    )
    return "\n".join(out)


def _weeks(doc: dict[str, Any]) -> str:
    weeks = doc["weeks"]
    out = [_heading(_("The period against the four weeks before"))]
    svg = charts.columns(
        charts.Columns(
            "weeks",
            [f"{w['from']:%m-%d}" for w in weeks],
            [
                (_("Follow-ups"), [w["follow_ups"] for w in weeks],
                 [_count(w["follow_ups"]) for w in weeks]),
                (_("Deals won"), [w["won"] for w in weeks], [_count(w["won"]) for w in weeks]),
            ],
        )
    )  # fmt: skip
    out.append(
        _figure(
            "weeks",
            svg,
            _("Weeks by their Monday; the darker column is the period under review."),
        )
    )
    out.append(
        _table(
            "weeks",
            [
                (_("Week"), lambda w: _text(f"{w['from'].isoformat()} – {w['to'].isoformat()}"),
                 ""),
                (_("Follow-ups"), lambda w: _count(w["follow_ups"]), "n"),
                (_("Deals won"), lambda w: _count(w["won"]), "n"),
                (_("Won amount"), lambda w: _money(w["won_amount"]), "n"),
            ],
            weeks,
        )
    )  # fmt: skip
    return "\n".join(out)


def _losses(doc: dict[str, Any]) -> str:
    reasons = doc["loss_reasons"]
    words = loss_reason_words()
    out = [_heading(_("Why deals were lost"))]
    if not reasons:
        out.append(_empty(_("No deals lost in the period.")))
        return "\n".join(out)
    total = sum(r["count"] for r in reasons)
    top = reasons[0]
    out.append(
        "<p>"
        + _text(
            _n("{count} of {total} lost deal cites: {reason}.",
               "{count} of {total} lost deals cite: {reason}.", total)
            .format(count=top["count"], total=total, reason=words.get(top["reason"], top["reason"]))
        )
        + "</p>"
    )  # fmt: skip
    svg = charts.bars(
        charts.Bars(
            "losses",
            [
                charts.Bar(words.get(r["reason"], r["reason"]), r["count"],
                           f"{_count(r['count'])} · {_percent(r['share'])}")
                for r in reasons
            ],
            color=charts.RED,
        )
    )  # fmt: skip
    out.append(_figure("losses", svg, _("Deals lost in the period by reason, with their share.")))
    out.append(
        _table(
            "losses",
            [
                (_("Reason"), lambda r: _text(words.get(r["reason"], r["reason"])), ""),
                (_("Deals"), lambda r: _count(r["count"]), "n"),
                (_("Share"), lambda r: _percent(r["share"], 1), "n"),
            ],
            reasons,
        )
    )
    return "\n".join(out)


def _sources(doc: dict[str, Any]) -> str:
    sources = doc["sources"]
    to = doc["to"].isoformat()
    out = [_heading(_("Conversion by source"))]
    if not sources:
        out.append(_empty(_("No leads acquired up to {day}.").format(day=to)))
        return "\n".join(out)
    shown = sources[:SOURCES_CHARTED]
    svg = charts.bars(
        charts.Bars(
            "sources",
            [
                charts.Bar(_label(s["source"]), s["win_rate"],
                           _("{rate} · {won} won of {leads}").format(
                               rate=_percent(s["win_rate"], 1), won=_count(s["won"]),
                               leads=_count(s["leads"])))
                for s in shown
            ],
            color=charts.BLUE,
        )
    )  # fmt: skip
    caption = _("Win rate (won of the leads acquired up to {day}) of each source.").format(day=to)
    if len(sources) > len(shown):
        caption += " " + _("The {shown} sources with the most leads, of {count}; the table "
                           "lists every source.").format(shown=len(shown), count=len(sources))  # fmt: skip
    out.append(_figure("sources", svg, caption))
    out.append(
        _table(
            "sources",
            [
                (_("Source"), lambda s: _text(s["source"]), ""),
                (_("Leads"), lambda s: _count(s["leads"]), "n"),
                (_("Opportunities"), lambda s: _count(s["opportunities"]), "n"),
                (_("Won"), lambda s: _count(s["won"]), "n"),
                (_("Lost"), lambda s: _count(s["lost"]), "n"),
                (_("Win rate"), lambda s: _percent(s["win_rate"], 1), "n"),
            ],
            sources,
        )
    )
    return "\n".join(out)


def _grades(doc: dict[str, Any], clock: Clock) -> str:
    grades = doc["grades_to_confirm"]
    out = [
        "<h2>" + _text(_("Grades to confirm ({count})").format(count=_count(len(grades)))) + "</h2>"
    ]
    if not grades:
        out.append(_empty(_("Every grade is confirmed.")))
        return "\n".join(out)
    confirm = _("Confirm each with: leadctl grade LEAD --confirm")
    out.append(f'<p class="note">{_text(confirm)}</p>')

    def graded_on(g: dict[str, Any]) -> str:
        return "" if g["graded_at"] is None else clock.local(g["graded_at"]).date().isoformat()

    out.append(
        _table(
            "grades",
            [
                (_("Lead"), lambda g: _text(g["number"]), "lead"),
                (_("Customer"), lambda g: _text(g["customer"]), ""),
                (_("Owner"), lambda g: _text(g["owner"]), ""),
                (_("Grade"), lambda g: _text(g["grade"]), ""),
                (_("Reason"), lambda g: _text(g["reason"]), ""),
                (_("Graded"), lambda g: _text(graded_on(g)), ""),
                (_("By"), lambda g: _text(g["by"]), ""),
            ],
            grades,
        )
    )
    return "\n".join(out)


def _nightly(doc: dict[str, Any], clock: Clock) -> str:
    recycled = doc.get("recycled") or []
    runs = doc.get("wake_runs") or []
    if not (recycled or runs):
        return ""
    out = [_heading(_("The nightly wake"))]
    if runs:
        out.append(
            "<p>"
            + _text(
                _n("wake ran {runs} time: woke {woken}, {dormant} went dormant.",
                   "wake ran {runs} times: woke {woken}, {dormant} went dormant.", len(runs))
                .format(runs=len(runs), woken=_count(sum(r["woken"] for r in runs)),
                        dormant=_count(sum(r["dormant"] for r in runs)))
            )
            + "</p>"
        )  # fmt: skip
    if recycled:
        out.append(
            "<p>" + _text(_("Back to the pool (公海), nobody having followed them up:")) + "</p>"
        )
        out.append(
            _table(
                "recycled",
                [
                    (_("Lead"), lambda r: _text(r["number"]), "lead"),
                    (_("Customer"), lambda r: _text(r["customer"]), ""),
                    (_("Owner"), lambda r: _text(r["owner"]), ""),
                    (_("On"), lambda r: _text(r["on"].isoformat()), ""),
                ],
                recycled,
            )
        )
    return "\n".join(out)


# ---------------------------------------------------------------- the page


def review_page(doc: dict[str, Any], clock: Clock, user: str) -> str:
    """The review document as one HTML page."""
    first: date = doc["from"]
    last: date = doc["to"]
    period = f"{first.isoformat()} – {last.isoformat()}"
    if doc.get("owner"):
        period += " · " + _("{owner}'s leads").format(owner=doc["owner"])
    title = _("Weekly review {period}").format(period=period)
    heading = _("Weekly review")
    made = _("Made by leadctl for {user} on {moment}.").format(
        user=user, moment=clock.local(clock.now).isoformat(sep=" ", timespec="minutes")
    )
    footer = _(
        "Figures count what happened from Monday to Sunday in the team's time zone; the funnel "
        "and conversion by source count every lead acquired up to the period's end."
    )
    sections = [
        _summary(doc),
        _reps(doc),
        _funnel(doc),
        _weeks(doc),
        _losses(doc),
        _sources(doc),
        _grades(doc, clock),
        _nightly(doc, clock),
    ]
    return f"""<!DOCTYPE html>
<html lang="{LANG_TAGS.get(lang(), "en")}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="leadctl">
<title>{_text(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{_text(heading)}</h1>
<p class="period">{_text(period)}</p>
<p class="made">{_text(made)}</p>
</header>
<main>
{chr(10).join(s for s in sections if s)}
</main>
<footer>{_text(footer)}</footer>
</body>
</html>
"""


def page_written(doc: dict[str, Any], clock: Clock, *, file: str) -> None:
    """The one line `review --html` prints for people."""
    from pathlib import Path

    from leadctl.render.common import escaped

    size = Path(file).stat().st_size
    print(
        _("Wrote {file} ({size} KB): the weekly review {period}.").format(
            file=escaped(file), size=_count(max(1, round(size / 1024))),
            period=f"{doc['from'].isoformat()} – {doc['to'].isoformat()}",
        )
    )  # fmt: skip
