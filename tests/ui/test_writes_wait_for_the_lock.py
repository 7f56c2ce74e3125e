"""Issue 10, "never frozen", beyond the desk's visit form (tests/ui/test_two_desks.py).

Each family of screens that writes (the F5 team and its dialogs, health talks,
volunteers, the F10 stock, F9's ``h``) is driven while another connection holds
the database's write lock: the screen still takes keys and says it is waiting
for another desk, nothing is written yet, and once the lock is released the
change is saved and the screen moves on as it does without the wait.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from textual.widgets import DataTable, Input

from clinic.core import planning as p
from clinic.core import talks as T

SIZE = (120, 40)


@contextmanager
def lock_held(path) -> Iterator[None]:
    """Another desk (or an import) holds the write lock until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


async def assert_waiting(app, pilot) -> None:
    """The job is held back by the lock and the screen says so (the line is
    mounted by the UI thread: it is not blocked)."""
    await pilot.pause(1.0)
    line = app.screen.query("#writer-waiting")
    assert line and "Waiting for another desk" in str(line.first().render())


async def assert_takes_keys(app, pilot) -> None:
    """A key still moves the focus while the write waits."""
    before = app.focused
    await pilot.press("tab")
    await pilot.pause()
    assert app.focused is not before


async def test_f5_changing_attendance_waits_for_the_lock(demo_path, demo_store, make_app, settle):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot, app)
        screen = app.screen
        attended = [
            a for a in p.team_of_day(demo_store, screen.day_id) if a["status"] == "attended"
        ]
        assert attended, "the demo's shown day has a volunteer marked attended"
        status = "SELECT status FROM assignments WHERE id = ?"
        table = screen.query_one("#team", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(attended[0]["id"])))
        await pilot.pause()
        with lock_held(demo_path):
            await pilot.press("x")  # a recorded attendance: asked first, while the lock is held
            await pilot.pause(0.5)
            assert type(app.screen).__name__ == "ConfirmDialog"
            await pilot.press("y")
            await assert_waiting(app, pilot)
            assert app.screen is screen
            await pilot.press("tab")  # the keys still move the focus
            await pilot.pause()
            assert screen.focused is not table
            assert demo_store.scalar(status, [attended[0]["id"]]) == "attended"
        await settle(pilot, app)
        assert not app.screen.query("#writer-waiting")
    assert demo_store.scalar(status, [attended[0]["id"]]) == "no_show"


@pytest.mark.usefixtures("no_demo_talks")
async def test_a_talk_saved_while_another_desk_writes_waits_and_is_kept(
    demo_path, demo_store, make_app, go, settle, two_speakers
):
    name = two_speakers(demo_store)[0]["name"]
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f5")
        day_id = app.screen.day_id
        await go(pilot, app, "k")
        await go(pilot, app, "n")
        form = app.screen
        form.query_one("#topic", Input).value = "高血压防治"
        form.query_one("#speaker", Input).value = name
        form.query_one("#attendees", Input).value = "40"
        with lock_held(demo_path):
            await pilot.press("ctrl+s")
            await assert_waiting(app, pilot)
            assert app.screen is form  # open until written: nothing typed is lost
            await assert_takes_keys(app, pilot)
            await pilot.press("ctrl+s")  # impatient: the talk is still written once
            assert T.talks_of_day(demo_store, day_id) == []
        await settle(pilot, app)
        assert type(app.screen).__name__ == "TalksDialog"
        assert app.screen.query_one("#talks", DataTable).row_count == 1
    talks = T.talks_of_day(demo_store, day_id)
    assert [(t["topic"], t["attendees"]) for t in talks] == [("高血压防治", 40)]


async def test_a_volunteer_saved_while_another_desk_writes_waits_and_is_kept(
    demo_path, demo_store, make_app, go, settle
):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        await go(pilot, app, "n")
        form = app.screen
        form.query_one("#f-name", Input).value = "等锁的志愿者"
        with lock_held(demo_path):
            await pilot.press("ctrl+s")
            await assert_waiting(app, pilot)
            assert app.screen is form
            await assert_takes_keys(app, pilot)
            await pilot.press("ctrl+s")  # impatient: the volunteer is still added once
            assert not demo_store.scalar(
                "SELECT count(*) FROM volunteers WHERE name = '等锁的志愿者'"
            )
        await settle(pilot, app)
        assert type(app.screen).__name__ == "VolunteersScreen"
    assert demo_store.scalar("SELECT count(*) FROM volunteers WHERE name = '等锁的志愿者'") == 1


async def test_f10_stock_saved_while_another_desk_writes_waits_and_is_kept(
    demo_path, demo_store, today_day, make_app, open_desk, settle
):
    app = make_app(demo_path)
    brought = (
        "SELECT brought FROM day_stock WHERE clinic_day_id = ? AND template_code = 'hypertension'"
    )
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f10")
        dialog = app.screen
        assert type(dialog).__name__ == "StockDialog"
        await keys.type("40")
        with lock_held(demo_path):
            await pilot.press("ctrl+s")
            await assert_waiting(app, pilot)
            assert app.screen is dialog
            await assert_takes_keys(app, pilot)
            assert demo_store.scalar(brought, [today_day["id"]]) != 40
        await settle(pilot, app)
        assert type(app.screen).__name__ == "DeskScreen"
    assert demo_store.scalar(brought, [today_day["id"]]) == 40


async def test_f9_h_while_another_desk_writes_waits_then_records_the_hours(
    demo_path, demo_store, today_day, make_app, open_desk, settle, said
):
    day_id = today_day["id"]
    with demo_store.transaction():
        demo_store.conn.execute(
            "UPDATE assignments SET status = 'attended', hours = NULL WHERE clinic_day_id = ?",
            [day_id],
        )
    missing = "SELECT count(*) FROM assignments WHERE clinic_day_id = ? AND hours IS NULL"
    assert demo_store.scalar(missing, [day_id])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f9")
        assert type(app.screen).__name__ == "SummaryScreen"
        with lock_held(demo_path):
            await pilot.press("h")
            await assert_waiting(app, pilot)
            await pilot.press("r")  # the summary still reloads on its key
            await pilot.pause()
            assert type(app.screen).__name__ == "SummaryScreen"
            assert demo_store.scalar(missing, [day_id])
        await settle(pilot, app)
        assert "planned hours recorded" in said(app)[-1]
    assert demo_store.scalar(missing, [day_id]) == 0
