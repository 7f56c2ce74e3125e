"""Issue 14 item 12: hours on F5 and F9, and attendance on a day not marked done.

F5's team list has ``h`` to type, change or clear a volunteer's hours; F9's
``h`` says what it did and whom it could not count; a day with attendance
recorded but not marked done counts as held and F5 says so.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Static

from clinic.core import planning as p
from clinic.core.reports import build_report


def _hours(store, name: str, day_id: int):
    return store.scalar(
        "SELECT a.hours FROM assignments a JOIN volunteers v ON v.id = a.volunteer_id "
        "WHERE v.name = ? AND a.clinic_day_id = ?",
        [name, day_id],
    )


async def _team_row(app, pilot, day_id: int, name: str) -> DataTable:
    # The edge days are relative to the real date (yesterday may be last month):
    # F5 shows one month, so go to the day's month first, by its keys.
    date = dt.date.fromisoformat(p.get_day(app.store, day_id)["date"])
    screen = app.screen
    step = (date.year - screen.year) * 12 + date.month - screen.month
    for _ in range(abs(step)):
        await pilot.press("left_square_bracket" if step < 0 else "right_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
    days = app.screen.query_one("#days-list", DataTable)
    days.move_cursor(row=days.get_row_index(str(day_id)))
    await pilot.pause()
    team = app.screen.query_one("#team", DataTable)
    names = [str(team.get_row_at(i)[0]) for i in range(team.row_count)]
    team.focus()
    team.move_cursor(row=names.index(name))
    await pilot.pause()
    return team


async def test_f5_h_sets_changes_and_clears_hours(edge, app_user, settle, said):
    from clinic.ui.app import ClinicApp
    from clinic.ui.planning.hours_dialog import HoursDialog

    store, path, ex = edge
    app = ClinicApp(path, user=app_user(path), today=ex.today)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await _team_row(app, pilot, ex.day_a, "乙医生")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HoursDialog)
        assert app.screen.query_one(Input).value == ""  # not typed yet
        await pilot.press(*"2,5", "enter")  # a comma is read as a decimal point
        await settle(pilot, app)
        assert _hours(store, "乙医生", ex.day_a) == 2.5
        team = app.screen.query_one("#team", DataTable)
        row = team.get_row_at(team.cursor_row)
        assert str(row[0]) == "乙医生" and row[3] == "2.5"  # the highlight stays on her
        assert build_report(store).volunteers["hours"] == ex.hours - 1.0

        await pilot.press("h")
        await pilot.pause()
        await pilot.press("end", "backspace", "backspace", "backspace", "x", "enter")
        await settle(pilot, app)
        error = app.screen.query_one("#hours-error", Static)
        assert "must be a number" in str(error.content)
        await pilot.press("backspace", "enter")  # empty: back to the planned length
        await settle(pilot, app)
        assert _hours(store, "乙医生", ex.day_a) is None
        assert build_report(store).volunteers["hours"] == ex.hours

        await _team_row(app, pilot, ex.day_a, "丙医生")  # confirmed, never came
        await pilot.press("h")
        await pilot.pause()
        assert not isinstance(app.screen, HoursDialog)
        assert any("not marked attended" in m for m in said(app))


async def test_f5_says_attendance_counts_a_day_not_marked_done(edge, app_user):
    from clinic.ui.app import ClinicApp

    store, path, ex = edge
    app = ClinicApp(path, user=app_user(path), today=ex.today)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await _team_row(app, pilot, ex.day_b, "辛医生")
        title = str(app.screen.query_one("#team-title", Static).content)
        assert "reports count this day as held" in title
        assert "hours not typed" in title
        await _team_row(app, pilot, ex.day_a, "甲医生")
        title = str(app.screen.query_one("#team-title", Static).content)
        assert "reports count this day as held" not in title  # marked done
    assert p.get_day(store, ex.day_b)["held"]
    assert build_report(store).days["held"] == ex.held


async def test_f9_h_says_what_it_recorded_and_whom_it_left_out(edge, app_user, settle, said):
    from clinic.ui.app import ClinicApp
    from clinic.ui.desk.summary import SummaryScreen

    store, path, ex = edge
    app = ClinicApp(path, user=app_user(path), today=ex.today)
    async with app.run_test(size=(140, 45)) as pilot:
        app.push_screen(SummaryScreen(ex.day_a))
        await pilot.pause()
        shown = str(app.screen.query_one("#summary", Static).content)
        assert "3.5*" in shown and "丙医生" in shown
        await pilot.press("h")
        await settle(pilot, app)  # written on the app's writer
        first = said(app)[-1]
        assert "recorded for 1 volunteer marked attended without hours" in first
        assert "丙医生" in first  # not counted, named
        assert _hours(store, "乙医生", ex.day_a) == 3.5
        await pilot.press("h")
        await settle(pilot, app)  # written on the app's writer
        again = said(app)[-1]
        assert "All 4 volunteers marked attended already have hours" in again
    # Typing the planned length changes no figure: it was counted so already.
    assert build_report(store).volunteers["hours"] == ex.hours
