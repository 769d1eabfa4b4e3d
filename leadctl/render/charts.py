"""The review page's charts, drawn by matplotlib as SVG to sit inside the HTML page.

Every word a chart shows comes in as an argument (render/page.py holds them all). The SVG
keeps its text as text (`svg.fonttype: none`), so the browser draws it with the page's font
stack, CJK included, and the page can be searched and copied. Category labels sit above
their bars and figures at the bars' ends (`bar_label`), so no layout depends on how wide
matplotlib, which may have no CJK font at hand, thinks a Chinese name is; no axis ticks are
computed where the bars carry their own figures.

matplotlib is imported only here, and only `review --html` imports this module.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH_IN = 7.0  # the printable width of A4 at 12 mm margins is 7.3 in
ROW_IN = 0.36  # one labelled bar
BLUE, LIGHT_BLUE, ORANGE, RED, GREY, INK = (
    "#2f6db5", "#9fc1e8", "#e08a1e", "#c8463d", "#b9bec6", "#1f2937",
)  # fmt: skip
_SVG_START = re.compile(r"<svg\b")
NO_METADATA = ("Creator", "Date", "Format", "Type")


@dataclass
class Bar:
    """One labelled bar: its category, its length and the figure written at its end. `part`
    is a share of it drawn darker (late logs among follow-ups)."""

    label: str
    value: float
    note: str
    part: float = 0.0


@dataclass
class Bars:
    """A horizontal bar chart: one bar a category, top to bottom."""

    name: str  # the chart's id in the page (`chart-NAME`) and its bars' (`NAME-bar-N`)
    bars: Sequence[Bar]
    color: str = BLUE
    part_color: str = ORANGE
    legend: tuple[str, str] | None = None  # words for the bar and its part
    scale_to: float | None = None  # the value of a full-width bar (default: the largest)


@dataclass
class Columns:
    """Vertical bars side by side, one panel a figure (follow-ups, wins), one column a week;
    the last column (the period under review) stands out."""

    name: str
    columns: Sequence[str]  # the weeks' labels
    panels: Sequence[tuple[str, Sequence[float], Sequence[str]]]  # title, values, notes
    colors: tuple[str, str] = (LIGHT_BLUE, BLUE)


def load() -> None:
    """Import matplotlib (~0.4 s of CPU, most of the page's cost), collecting no garbage while
    it loads: its thousands of new objects are not garbage. `review --html` calls this in a
    thread while the review's queries run, which mostly wait on the database."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        import matplotlib.backends.backend_svg
        import matplotlib.figure

        matplotlib.rcdefaults()  # the user's own matplotlibrc does not restyle the page
    except ImportError:  # said by the import in bars()/columns(), on the command's own thread
        pass
    finally:
        gc.freeze()  # and the charts' collections need not go through them again
        if collecting:
            gc.enable()


def _rc(name: str) -> Any:  # matplotlib types its keys as a Literal of every name
    return {
        "svg.fonttype": "none",  # text stays text: the page's fonts draw it
        "text.parse_math": False,  # a name with `$` in it is a name, not TeX
        "svg.hashsalt": name,  # the same chart gives the same SVG; ids unique in the page
        "svg.id": f"svg-{name}",
        "font.family": ["DejaVu Sans"],  # ships with matplotlib: measuring needs no font search
        "font.size": 9,
        "text.color": INK,
    }


def _svg(figure: Any) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    out = io.StringIO()
    with warnings.catch_warnings():
        # DejaVu Sans has no CJK glyphs: matplotlib says so while measuring, but the browser
        # draws the text, with the page's fonts
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from")
        # no RDF metadata (a date, matplotlib's address): the SVG is the drawing alone
        FigureCanvasSVG(figure).print_svg(out, metadata=dict.fromkeys(NO_METADATA))
    text = out.getvalue()
    start = _SVG_START.search(text)
    return text[start.start() :] if start else text  # no XML prolog or DOCTYPE inside HTML


def bars(chart: Bars) -> str:
    """A horizontal bar chart as an SVG element."""
    import matplotlib
    from matplotlib.figure import Figure

    rows = list(chart.bars)
    count = len(rows)
    legend_in = 0.3 if chart.legend else 0.0
    with matplotlib.rc_context(_rc(chart.name)):
        figure = Figure(figsize=(WIDTH_IN, ROW_IN * count + 0.15 + legend_in))
        top = 1 - legend_in / figure.get_figheight()
        axes = figure.add_axes((0.005, 0.01, 0.99, top - 0.01))
        axes.set_axis_off()
        ys = [count - 1 - i for i in range(count)]
        full = chart.scale_to or max(r.value for r in rows) or 1
        whole = axes.barh(ys, [r.value for r in rows], height=0.42, color=chart.color)
        for index, patch in enumerate(whole):
            patch.set_gid(f"{chart.name}-bar-{index}")
        if any(r.part for r in rows):
            parts = axes.barh(ys, [r.part for r in rows], height=0.42, color=chart.part_color)
            for index, patch in enumerate(parts):
                patch.set_gid(f"{chart.name}-part-{index}")
        axes.bar_label(whole, labels=[r.note for r in rows], padding=4, fontsize=8.5)
        for index, (y, row) in enumerate(zip(ys, rows, strict=True)):
            axes.text(0, y + 0.26, row.label, va="bottom", ha="left", fontsize=9,
                      gid=f"{chart.name}-label-{index}")  # fmt: skip
        # room at the right for the longest figure: the bars take 70 % of the width
        axes.set_xlim(0, full / 0.7)
        axes.set_ylim(-0.45, count - 0.2)
        if chart.legend:
            from matplotlib.patches import Patch

            figure.legend(
                handles=[Patch(color=chart.color, label=chart.legend[0]),
                         Patch(color=chart.part_color, label=chart.legend[1])],
                loc="upper left", ncols=2, frameon=False, fontsize=8.5,
                bbox_to_anchor=(0.0, 1.0), handlelength=1.2,
            )  # fmt: skip
        return _svg(figure)


def columns(chart: Columns) -> str:
    """Panels of vertical bars (one column per week) as an SVG element."""
    import matplotlib
    from matplotlib.figure import Figure

    labels = list(chart.columns)
    with matplotlib.rc_context(_rc(chart.name)):
        figure = Figure(figsize=(WIDTH_IN, 2.3))
        panels = figure.subplots(1, len(chart.panels), squeeze=False)[0]
        figure.subplots_adjust(left=0.02, right=0.98, bottom=0.12, top=0.84, wspace=0.12)
        for number, (axes, (title, values, notes)) in enumerate(
            zip(panels, chart.panels, strict=True)
        ):
            axes.set_axis_off()  # the columns carry their figures and weeks: no ticks to lay out
            colors = [chart.colors[0]] * (len(values) - 1) + [chart.colors[1]]
            drawn = axes.bar(range(len(values)), list(values), width=0.6, color=colors)
            for index, patch in enumerate(drawn):
                patch.set_gid(f"{chart.name}-{number}-bar-{index}")
            axes.bar_label(drawn, labels=list(notes), padding=2, fontsize=8.5)
            axes.axhline(0, color=GREY, linewidth=0.8)
            for x, label in enumerate(labels):
                axes.annotate(label, (x, 0), xytext=(0, -4), textcoords="offset points",
                              ha="center", va="top", fontsize=8.5)  # fmt: skip
            # a title set by set_title() would be placed clear of the ticks, which costs more
            # than the chart: there are none
            axes.text(0, 1.04, title, transform=axes.transAxes, fontsize=9.5,
                      fontweight="bold", va="bottom")  # fmt: skip
            axes.set_xlim(-0.6, len(values) - 0.4)
            axes.set_ylim(0, max([*values, 1]) * 1.25)
        return _svg(figure)
