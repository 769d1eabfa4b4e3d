"""The review page in a real browser (issue 18): Debian's Chromium, headless, opens the page a
supervisor would forward, on SQLite and PostgreSQL data.

It must show the review's figures and names, draw every chart from them, log no console error,
ask for nothing over the network, draw Chinese with a Chinese font, and print on A4. The same
checks are run on broken copies of the page (a chart removed, a figure changed, a web font and
a script added) to show they catch what they look for. A screenshot and the A4 print of each
page are kept in tests/artifacts/ (ignored by git).

Chromium is required, never skipped: `.ci/run` installs Debian's `chromium` and
`fonts-noto-cjk`; locally, `apt-get install chromium fonts-noto-cjk`. Playwright (a dev
dependency) drives the system Chromium; its own browser downloads are never used.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_review import BOSS, CRITERIA, SUNDAY_NIGHT, add, lost, won

CHROMIUM = (
    os.environ.get("LEADCTL_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# as the machine's notes start it: no sandbox (root), no GPU, and none of Chromium's own
# background traffic; every host name resolves to nothing, so no request can leave the machine
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]  # fmt: skip
CJK_FONTS = ("Noto Sans CJK", "Source Han Sans", "PingFang", "Hiragino Sans GB", "Microsoft YaHei",
             "WenQuanYi", "Noto Sans SC")  # fmt: skip
CHARTS = ("reps", "funnel", "weeks", "losses", "sources")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium with a fresh profile, for the module's pages."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium is not installed ({CHROMIUM}): apt-get install chromium fonts-noto-cjk "
            "(.ci/run does)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1000, "height": 1400},
        )
        yield context
        context.close()


@dataclass
class Seen:
    """What the browser made of a page."""

    console: list[str] = field(default_factory=list)  # errors and warnings, and page errors
    requests: list[str] = field(default_factory=list)  # every address asked for but the page
    text: str = ""  # the rendered text, as a reader sees it
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)  # drawn charts: bars, text
    fonts: dict[str, list[str]] = field(default_factory=dict)  # fonts that drew Chinese text


def open_page(browser: Any, path: Path, keep_as: str | None = None) -> Seen:
    seen = Seen()
    page = browser.new_page()
    page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning", "assert") else None)  # fmt: skip
    page.on("pageerror", lambda error: seen.console.append(f"page error: {error}"))
    own = path.resolve().as_uri()
    page.on("request", lambda r: seen.requests.append(r.url) if r.url != own else None)
    # anything but the page itself is refused before it is sent (and seen above)
    page.route("**/*", lambda route: route.continue_() if route.request.url == own
               else route.abort())  # fmt: skip
    page.goto(own, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")  # web fonts are asked for at layout
    seen.text = page.inner_text("body")
    seen.charts = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('figure[id^="chart-"]')]
              .map(figure => [figure.id.slice(6), {
                  height: figure.querySelector('svg')?.getBoundingClientRect().height ?? 0,
                  text: [...figure.querySelectorAll('svg text')].map(t => t.textContent),
                  bars: Object.fromEntries([...figure.querySelectorAll('g[id*="-bar-"]')]
                      .map(g => { const box = g.getBoundingClientRect();
                                  return [g.id, [box.width, box.height]]; })),
              }]))"""
    )
    seen.fonts = _fonts(browser, page)
    if keep_as:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{keep_as}.png"), full_page=True)
        # the paper is the page's own (@page A4); Playwright's default would be Letter
        page.pdf(path=str(ARTIFACTS / f"{keep_as}.pdf"), prefer_css_page_size=True,
                 print_background=True)  # fmt: skip
        print(f"kept {ARTIFACTS / keep_as}.png and .pdf")
    page.close()
    return seen


def _fonts(browser: Any, page: Any) -> dict[str, list[str]]:
    """The platform fonts Chromium drew a rep's name with, in the table and in a chart."""
    cdp = browser.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    fonts = {}
    for name, selector in (("table", "#table-reps tbody td"), ("chart", "#reps-label-0 text")):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if node:
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            fonts[name] = [f["familyName"] for f in used]
    cdp.detach()
    return fonts


# ---------------------------------------------------------------- what the page must show


def _money(amount: str) -> str:
    return f"¥{Decimal(amount):,.2f}"


def problems(seen: Seen, doc: dict[str, Any]) -> list[str]:
    """Everything wrong with the page the browser showed, measured against the review
    document (`review --json`) it was made from; [] when nothing is."""
    found = [f"console: {line}" for line in seen.console]
    found += [f"request: {url}" for url in seen.requests]
    s = doc["summary"]
    shown = {
        "New leads": f"{s['new_leads']:,}", "Follow-ups": f"{s['follow_ups']:,}",
        "Won amount": _money(s["won_amount"]), "Lost": f"{s['lost']:,}",
    }  # fmt: skip
    for label, value in shown.items():
        if not re.search(rf"(?m)^{re.escape(label)}\s*\n{re.escape(value)}$", seen.text):
            found.append(f"summary: {label} {value} not shown")
    names = [r["owner"] for r in doc["reps"]] + [g["customer"] for g in doc["grades_to_confirm"]]
    names += [src["source"] for src in doc["sources"]]
    found += [f"name: {name} not shown" for name in names if name not in seen.text]
    for rep in doc["reps"]:
        row = f"{rep['owner']}\t{rep['follow_ups']:,}\t{rep['leads_touched']:,}"
        if row not in seen.text:
            found.append(f"reps table: {row!r} not shown")
    missing = [c for c in CHARTS if c not in seen.charts]
    found += [f"chart: {name} not drawn" for name in missing]
    for name, chart in seen.charts.items():
        if chart["height"] < 40:
            found.append(f"chart: {name} is {chart['height']} px high")
    if "reps" in seen.charts:
        charted = [r for r in doc["reps"] if r["follow_ups"]]
        found += _lengths(seen, "reps", [float(r["follow_ups"]) for r in charted], 0)
        found += [f"chart reps: {r['owner']} not written" for r in charted
                  if r["owner"] not in seen.charts["reps"]["text"]]  # fmt: skip
    if "funnel" in seen.charts:
        funnel = doc["funnel"]
        stages = [funnel[k] for k in ("captured", "graded", "upgraded", "won")]
        found += _lengths(seen, "funnel", [float(n) for n in stages], 0)
    if "weeks" in seen.charts:
        found += _lengths(seen, "weeks", [float(w["follow_ups"]) for w in doc["weeks"]], 1, "0-")
        found += _lengths(seen, "weeks", [float(w["won"]) for w in doc["weeks"]], 1, "1-")
    if "losses" in seen.charts:
        found += _lengths(seen, "losses", [float(r["count"]) for r in doc["loss_reasons"]], 0)
    if "sources" in seen.charts:
        found += _lengths(seen, "sources", [s["win_rate"] for s in doc["sources"]], 0)
    return found


def _lengths(seen: Seen, name: str, values: list[float], axis: int, panel: str = "") -> list[str]:
    """The chart has a bar for each value, drawn in proportion to it (axis 0: widths, as
    horizontal bars; 1: heights)."""
    bars = seen.charts[name]["bars"]
    drawn = [bars.get(f"{name}-{panel}bar-{i}", [None, None])[axis] for i in range(len(values))]
    if any(length is None for length in drawn) or len(bars) < len(values):
        return [f"chart {name}: {len(values)} bars expected, drawn {sorted(bars)}"]
    largest = max(values)
    if not largest:
        return []
    scale = max(drawn) / largest
    wrong = [(v, d) for v, d in zip(values, drawn, strict=True) if abs(d - v * scale) > 1.5]
    return [f"chart {name}{panel}: bars not in proportion {wrong}"] if wrong else []


# ---------------------------------------------------------------- a week of a small team


def a_week(cli: Any) -> None:
    """Four weeks of history and a busy week, for three reps and three sources."""
    old = add(cli, "苏州博远教育科技", "13900139000", grade="C", source="老客户转介绍",
              now="2024-09-09T10:00")  # fmt: skip
    for day in ("2024-09-10", "2024-09-17", "2024-09-18", "2024-09-30", "2024-10-02"):
        cli.ok("follow", old, "--note", "电话沟通", now=f"{day}T10:00")
    early = add(cli, "武汉天和建材", "13900139001", grade="A", user="李雷", now="2024-09-16T10:00")
    won(cli, early, "12万", user="李雷", now="2024-09-20T10:00")

    a = add(cli, "杭州云栖科技有限公司", "13800138000", grade="A")
    cli.ok("follow", a, "--note", "确认预算", now="2024-10-07T10:00")
    cli.ok("follow", a, "--note", "补录拜访", "--at", "2024-10-07 14:00", now="2024-10-08T09:00")
    cli.ok("upgrade", a, *CRITERIA, now="2024-10-08T10:00")
    won(cli, a, "30万", now="2024-10-10T10:00")
    b = add(cli, "上海明德贸易有限公司", "13800138001", grade="B", user="李雷", source="行业展会")
    cli.ok("follow", b, "--note", "报价", user="李雷", now="2024-10-08T11:00")
    lost(cli, b, "price", user="李雷", now="2024-10-09T10:00")
    c = add(cli, "北京华信软件", "13800138002", grade="C", user="李雷", source="行业展会")
    lost(cli, c, "budget", user="李雷", now="2024-10-09T11:00")
    d = add(cli, "深圳恒通物流", "13800138003", grade="A", user="张伟", source="行业展会")
    cli.ok("follow", d, "--note", "演示", "--kind", "demo", user="张伟", now="2024-10-09T15:00")
    e = add(cli, "<广州&金桥>制造", "13800138004", grade="B", user="张伟")
    lost(cli, e, "competitor", "--competitor", "某竞品", user="张伟", now="2024-10-11T10:00")
    add(cli, "成都新元医疗", "13800138005", grade="B", now="2024-10-11T10:00")


def test_the_page_in_chromium_shows_the_review_loads_nothing_and_prints_on_a4(
    cli, tmp_path, browser, backend
):
    a_week(cli)
    target = tmp_path / "周报.html"
    assert cli("review", "--html", str(target), user=BOSS, now=SUNDAY_NIGHT).code == 0
    doc = cli.json("review", user=BOSS, now=SUNDAY_NIGHT)
    assert len(doc["reps"]) == 3 and len(doc["loss_reasons"]) == 3 and doc["summary"]["won"] == 1

    seen = open_page(browser, target, keep_as=f"review-page-{backend}")
    assert problems(seen, doc) == []
    assert "<广州&金桥>制造" in seen.text  # user text shown as text
    assert "Price" in seen.charts["losses"]["text"]  # categories in the user's words
    # Chinese is drawn with a Chinese font named by the page, in the tables and the charts
    for where in ("table", "chart"):
        assert any(f.startswith(CJK_FONTS) for f in seen.fonts[where]), seen.fonts
    pdf = (ARTIFACTS / f"review-page-{backend}.pdf").read_bytes()
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    sizes_mm = {(round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) for w, h in boxes}
    assert sizes_mm == {(210, 297)}  # A4, as the page's @page asks (Letter is 216 × 279)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2

    # the checks catch what they look for: the same page, broken four ways
    page = target.read_text(encoding="utf-8")
    no_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    web_font = (
        "@font-face { font-family: X; src: url(https://fonts.leadctl-test.invalid/x.woff2); }"
        " body { font-family: X; }</style>"
    )
    broken = {
        "no funnel chart": re.sub(r'<figure id="chart-funnel".*?</figure>', "", page, flags=re.S),
        "a figure changed": page.replace("¥300,000.00", "¥30,000.00"),
        "a web font": no_policy.replace("</style>", web_font),
        "a script": page.replace("<body>", "<body><script>window.leadctl.draw()</script>"),
    }
    found = {}
    for what, html in broken.items():
        copy = tmp_path / f"broken-{len(found)}.html"
        copy.write_text(html, encoding="utf-8")
        found[what] = problems(open_page(browser, copy), doc)
    assert found["no funnel chart"] == ["chart: funnel not drawn"]
    assert found["a figure changed"] == ["summary: Won amount ¥300,000.00 not shown"]
    assert found["a web font"] == [
        "console: error: Failed to load resource: net::ERR_FAILED",  # refused by the test
        "request: https://fonts.leadctl-test.invalid/x.woff2",
    ]
    assert len(found["a script"]) == 1
    assert found["a script"][0].startswith("console: error: Executing inline script violates")
