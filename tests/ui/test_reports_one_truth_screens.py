"""One truth on the screens (issues 5 and 9): home, F5, F7, F8 and F9 show the figures
core computes, which the CLI's ``--json`` and the exports give too, on the demo
database and on the edge-case database of docs/figures.md
(tests/support/figures_data.py). The same figures without a screen are checked in
tests/domain/test_reports_one_truth.py."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.core.figures import machine_output
from clinic.core.reports import ReportFilters, build_report


@pytest.fixture
def tui_report(make_app):
    """``await tui_report(path, filters_typed=None)``: the report F8 shows (after typing
    the filters, if any) and its figures as text."""

    async def report(path, filters_typed: dict[str, str] | None = None):
        from clinic.ui.report import ReportScreen

        app = make_app(path, lang=None)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f8")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReportScreen)
            for field, text in (filters_typed or {}).items():
                screen.query_one(f"#{field}").value = text
            if filters_typed:
                await pilot.press("ctrl+r")
                await app.workers.wait_for_complete()
                await pilot.pause()
            shown = screen.report.as_dict()
            text = render_text(screen.figures_table(screen.report))
        return shown, text

    return report


def render_text(renderable) -> str:
    from rich.console import Console

    console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def plain(markup: str) -> str:
    from rich.text import Text

    return Text.from_markup(markup).plain


async def test_one_truth_on_the_demo(
    demo_store, demo_path, tmp_path, check_sums, cli_report, tui_report
):
    core = build_report(demo_store).as_dict()
    assert core["visits"] > 0 and core["prescriptions"]["total"] > 0
    assert cli_report(demo_path) == machine_output(core)
    shown, text = await tui_report(demo_path)
    assert shown == core
    assert f"{core['visits']:,}" in text and f"{core['prescriptions']['total']:,}" in text
    check_sums(demo_store, tmp_path, ReportFilters(), core)


async def test_one_truth_with_filters(
    demo_store, demo_path, tmp_path, today, check_sums, cli_report, tui_report
):
    village = demo_store.one(
        "SELECT t.name AS town, v.name FROM clinic_days d JOIN villages v ON v.id = d.village_id "
        "JOIN townships t ON t.id = v.township_id JOIN visits x ON x.clinic_day_id = d.id "
        "GROUP BY d.village_id ORDER BY count(*) DESC LIMIT 1"
    )
    name = f"{village['town']}/{village['name']}"
    first = demo_store.scalar(
        "SELECT min(date) FROM clinic_days d WHERE EXISTS (SELECT 1 FROM visits WHERE clinic_day_id = d.id)"
    )
    filters = ReportFilters(date_from=dt.date.fromisoformat(first), date_to=today, villages=(name,))
    core = build_report(demo_store, filters).as_dict()
    assert core["visits"] > 0
    assert cli_report(
        demo_path, "--from", first, "--to", today.isoformat(), "--village", name
    ) == machine_output(core)
    check_sums(demo_store, tmp_path, filters, core)
    shown, _text = await tui_report(
        demo_path, {"from": first, "to": today.isoformat(), "village": name}
    )
    assert shown == core


async def test_edge_cases_on_every_screen(edge, app_user):
    """Home, F5, F7, F8 and F9 show the figures core computes."""
    from textual.widgets import DataTable, Static

    from clinic.core.desk.summary import summary, summary_lines, thanks
    from clinic.ui.app import ClinicApp
    from clinic.ui.desk.summary import SummaryScreen
    from clinic.ui.planning.days_screen import ClinicDaysScreen
    from clinic.ui.planning.villages_screen import VillagesScreen
    from clinic.ui.report import ReportScreen

    store, path, ex = edge
    core = build_report(store).as_dict()
    app = ClinicApp(path, user=app_user(path), today=ex.today)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen.query_one("#days", DataTable)
        assert home.get_row(str(ex.day_a))[6] == f"{ex.day_a_filled}/{ex.day_a_needed}"
        assert home.get_row(str(ex.day_d))[6] == f"{ex.day_d_filled}/{ex.day_d_needed}"
        counts = plain(str(app.screen.query_one("#counts-body", Static).content))
        line = next(x for x in counts.splitlines() if x.startswith("Follow-ups due"))
        assert line.split()[-1] == str(ex.follow_ups_due)

        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ClinicDaysScreen)
        days = app.screen.query_one("#days-list", DataTable)
        assert days.get_row(str(ex.day_a))[6] == f"{ex.day_a_filled}/{ex.day_a_needed}"
        days.move_cursor(row=days.get_row_index(str(ex.day_a)))
        await pilot.pause()
        needs = app.screen.query_one("#needs", DataTable)
        filled = sum(int(str(needs.get_row_at(i)[2]).split()[0]) for i in range(needs.row_count))
        assert filled == ex.day_a_filled
        team = app.screen.query_one("#team", DataTable)
        rows = {str(team.get_row_at(i)[0]): team.get_row_at(i) for i in range(team.row_count)}
        assert rows["乙医生"][3] == "3.5*" and rows["丙医生"][3] == ""
        assert sum(float(r[3].rstrip("*") or 0) for r in rows.values()) == ex.day_a_hours

        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, VillagesScreen)
        villages = app.screen.query_one("#villages-table", DataTable)
        row = villages.get_row_at(0)
        assert str(row[-1]) == str(ex.follow_ups_due)

        await pilot.press("f8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.report.as_dict() == core
        text = render_text(app.screen.figures_table(app.screen.report))
        assert f"{ex.hours:g} hours" in text
        assert "2 days of volunteers without typed hours" in text

        app.push_screen(SummaryScreen(ex.day_a))
        await pilot.pause()
        shown = plain(str(app.screen.query_one("#summary", Static).content))
        data = summary(store, ex.day_a)
        assert f"Volunteers ({ex.day_a_volunteers}, {ex.day_a_hours:g} hours):" in shown
        lines = summary_lines(data)
        assert lines[-1] == thanks(data)  # shown apart, under the figures
        assert shown.splitlines() == lines[:-2]
        assert "丙医生" in shown  # confirmed but absent: named, not counted
