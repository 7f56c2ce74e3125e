"""The report's charts on screen: horizontal bar charts drawn by plotext through
textual-plotext, with a value axis, its unit, and a label and value per bar.

Imported with the F8 screen only (the screen registry loads it on first use),
so plotext costs nothing at start-up.

plotext counts every character as one cell, so a Chinese label (two cells a
character) pushed its row out of line with the axis. Each wide character is
given to plotext followed by a filler character it counts but the screen
never sees (:func:`widen`): plotext then makes the room the terminal needs,
and the filler is taken out of the drawn text (:meth:`BarChart.render`).
Labels longer than the screen allows (a quarter of the chart, at least 14
cells) are cut at a cell boundary with "…" (:func:`clip`, rich's cell
functions, as the desk's handout list cuts its section names).

One bar per row: the chart is exactly as tall as its bars plus the frame,
the ticks and the unit, and has no animation, so the same figures give the
same picture (the SVG snapshots rely on it).
"""

from __future__ import annotations

import math

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from clinic.core.reports import percent_text
from clinic.core.reports.charts import ChartSeries

# A Unicode noncharacter (for a program's internal use): never in a name, and
# removed from labels before it is added.
FILLER = "\ufdd0"
CHROME_ROWS = 4  # the frame's two lines, the tick labels, the unit
COLOURS = {
    "people_by_month": "green",
    "coverage_by_village": "cyan",
    "prescriptions_by_condition": "magenta",
    "hours_by_organisation": "blue",
}


def clip(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` terminal cells, cut with "…" when longer."""
    return text if cell_len(text) <= cells else set_cell_size(text, cells - 1) + "…"


def widen(text: str) -> str:
    """``text`` with a filler after each wide character, so plotext's count of
    characters equals the cells the terminal draws."""
    return "".join(ch + FILLER * (cell_len(ch) - 1) for ch in text.replace(FILLER, ""))


def nice_step(top: float, ticks: int = 5) -> float:
    """A 1-2-5 step that cuts 0..``top`` into at most ``ticks`` intervals."""
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def value_text(value: float, unit: str) -> str:
    """A bar's value as the figures show it: "58.4%", "162", "31.5"."""
    if unit == "%":
        return percent_text(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _strip_filler(text: Text) -> Text:
    """``text`` without the filler characters, styles kept."""
    plain = text.plain
    cuts = sorted(
        {i for i, ch in enumerate(plain) if ch == FILLER}
        | {i + 1 for i, ch in enumerate(plain) if ch == FILLER}
    )
    if not cuts:
        return text
    pieces = [piece for piece in text.divide(cuts) if piece.plain != FILLER]
    return Text("").join(pieces)


class BarChart(PlotextPlot):
    """One :class:`~clinic.core.reports.charts.ChartSeries` as horizontal bars."""

    DEFAULT_CSS = """
    BarChart {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.series: ChartSeries | None = None

    def show_series(self, series: ChartSeries, label_cells: int) -> None:
        """Draw ``series``; labels cut to ``label_cells`` cells."""
        self.series = series
        self.styles.height = len(series) + CHROME_ROWS
        plt = self.plt
        plt.clear_figure()
        if not len(series):
            self.refresh()
            return
        # plotext draws the first bar at the bottom: reversed, the first is on top.
        labels = [widen(clip(label, label_cells)) for label in reversed(series.labels)]
        values = list(reversed(series.values))
        details = list(reversed(series.details)) or [""] * len(values)
        top = 100.0 if series.unit == "%" else max(max(values), 1.0)
        step = nice_step(top)
        plt.bar(labels, values, orientation="h", width=0.5, color=COLOURS.get(series.key))
        for row, (value, detail) in enumerate(zip(values, details, strict=True), start=1):
            shown = f"{value_text(value, series.unit)} {detail}".strip()
            plt.text(
                shown,
                x=value + top * 0.02,
                y=row,
                alignment="left",
                color="default",
                background="default",
            )
        plt.xlim(0, top * 1.25)  # room for the value after the longest bar
        ticks = [step * i for i in range(int(top / step) + 1)]
        plt.xticks(ticks, [f"{t:g}" for t in ticks])
        plt.xlabel(widen(series.unit))
        self.refresh(layout=True)

    def render(self) -> RenderResult:
        if self.series is None or not len(self.series):
            return Text("")
        rendered = super().render()
        return _strip_filler(rendered) if isinstance(rendered, Text) else rendered
