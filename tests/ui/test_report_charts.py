"""F8's charts (plotext through textual-plotext): the bars drawn are the core's
figures, in Chinese and English, at 120×36 and 80×24; Chinese labels keep the
axis straight; Ctrl+G goes through the four charts (and, in the narrow column,
first brings the chart into view); plotext is not loaded at start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rich.cells import cell_len
from rich.console import Console

from clinic.core.reports import build_report
from clinic.core.reports.charts import report_charts
from clinic.i18n import set_language
from clinic.ui.report.charts import FILLER, _strip_filler, clip, nice_step, widen

SIZES = pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
LANGS = pytest.mark.parametrize("lang", ["en", "zh"])


def plotted(chart) -> list[tuple[str, float]]:
    """(label, value) of each bar, top first, read back from the plot itself: the
    tick labels plotext put on the axis and the length of each bar it drew."""
    monitor = chart.plt.monitor
    label_at = dict(zip(monitor.yticks[0], monitor.ylabels[0], strict=True))
    bars = [(label_at[i].replace(FILLER, ""), max(x)) for i, x in enumerate(monitor.x, start=1)]
    return bars[::-1]


def drawn_lines(chart) -> list[str]:
    console = Console(width=chart.size.width, record=True, color_system=None)
    with console.capture() as capture:
        console.print(chart.render(), end="")
    return capture.get().rstrip("\n").split("\n")


async def _open(app, pilot):
    await pilot.press("f8")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


@LANGS
@SIZES
async def test_charts_show_the_core_figures(year_path, make_app, lang, size):
    set_language(lang)
    try:
        app = make_app(year_path, lang=None, user="tester")
        async with app.run_test(size=size) as pilot:
            screen = await _open(app, pilot)
            report = build_report(app.store)
            assert screen.report.as_dict() == report.as_dict()
            expected = report_charts(report)
            assert [s.key for s in expected] == [
                "people_by_month",
                "coverage_by_village",
                "prescriptions_by_condition",
                "hours_by_organisation",
            ]
            chart = screen.query_one("#chart")
            for index, series in enumerate(expected):
                assert screen.chart_index == index
                assert chart.series == series
                width = chart.size.width
                cut = max(14, screen.query_one("#charts").content_region.width // 4)
                assert plotted(chart) == [
                    (clip(label, cut), value)
                    for label, value in zip(series.labels, series.values, strict=True)
                ]
                assert series.title in str(screen.query_one("#chart-title").render())
                # One bar a row, plus the frame, the ticks and the unit: nothing squeezed.
                assert chart.size.height == len(series) + 4
                # Wide characters counted as two cells: every line exactly as wide as the chart.
                lines = drawn_lines(chart)
                assert len(lines) == chart.size.height
                assert [line for line in lines if cell_len(line) != width] == []
                assert chart.region.right <= size[0]
                await pilot.press("ctrl+g")
                await pilot.pause()
                if index == 0 and size[0] < 100:
                    # The narrow column first scrolls to the chart, then goes on.
                    await pilot.press("ctrl+g")
                    await pilot.pause()
            assert screen.chart_index == 0  # round again
    finally:
        set_language("en")


async def test_chart_values_are_the_reports_own(year_path, year_facts, make_app):
    app = make_app(year_path, lang="zh", user="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(app, pilot)
        months, villages, prescriptions, hours = screen.charts
        assert sum(months.values) == sum(m["people"] for m in screen.report.by_month)
        assert len(villages) == year_facts.villages
        assert villages.details == tuple(
            f"{v['served']}/{v['registered']}" for v in screen.report.by_village
        )
        assert sum(prescriptions.values) == year_facts.prescriptions
        assert sum(hours.values) == pytest.approx(year_facts.hours)
        await pilot.press("ctrl+g")
        await pilot.pause()
        text = "\n".join(drawn_lines(screen.query_one("#chart")))
        first = screen.report.by_village[0]
        assert first["village"] in text and f"{first['served']}/{first['registered']}" in text


async def test_no_figures_no_chart_but_a_sentence(year_path, make_app):
    app = make_app(year_path, lang="en", user="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(app, pilot)
        screen.query_one("#from").value = "2030-01-01"
        screen.query_one("#to").value = "2030-12-31"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report.visits == 0 and len(screen.charts[0]) == 0
        assert not screen.query_one("#chart").display
        empty = screen.query_one("#chart-empty")
        assert empty.display and "Nothing to show" in str(empty.render())


def test_wide_characters_made_countable_and_taken_out():
    from rich.text import Text

    assert widen("龙山村") == f"龙{FILLER}山{FILLER}村{FILLER}"
    assert widen("COPD") == "COPD" and widen(f"a{FILLER}b") == "ab"
    text = Text.assemble(("龙" + FILLER, "bold"), ("┤██", "green"))
    stripped = _strip_filler(text)
    assert stripped.plain == "龙┤██" and stripped.cell_len == 5
    assert [span.style for span in stripped.spans] == ["bold", "green"]
    assert clip("慢性阻塞性肺疾病", 9) == "慢性阻塞…" and clip("Stroke", 14) == "Stroke"


@pytest.mark.parametrize("top,step", [(100, 20), (7, 2), (162, 50), (38.5, 10), (1, 0.2)])
def test_nice_step(top, step):
    assert nice_step(top) == pytest.approx(step)
    assert top / nice_step(top) <= 5


def test_plotext_is_not_loaded_at_start_up():
    code = "import sys, clinic.ui.app; print('plotext' in sys.modules, 'textual_plotext' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "lang,size,presses",
    [("zh", (80, 24), 2), ("en", (120, 36), 2), ("zh", (120, 36), 3)],
    ids=["zh-80x24-villages", "en-120x36-prescriptions", "zh-120x36-hours"],
)
def test_chart_snapshot(year_path, snap_compare, make_app, lang, size, presses):
    """A chart as drawn (the F8 snapshots show the first chart beside the figures)."""

    async def open_chart(pilot):
        await _open(pilot.app, pilot)
        # The default file name is beside the (temporary) database: a fixed one.
        pilot.app.screen.query_one("#file").value = "/srv/clinic/exports/report-2026-11-24.xlsx"
        for _press in range(presses):  # a key at a time: the narrow column scrolls first
            await pilot.press("ctrl+g")
            await pilot.pause()

    set_language(lang)
    try:
        app = make_app(year_path, lang=None, user="tester")
        assert snap_compare(app, terminal_size=size, run_before=open_chart)
    finally:
        set_language("en")
