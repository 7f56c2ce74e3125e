"""Home and registers screens, driven by keys as a user would."""

from __future__ import annotations

import pytest
from textual import events

from clinic.ui.app import ClinicApp
from clinic.ui.widgets.paged_table import PagedTable

SIZE = (130, 40)


async def settle(app, pilot):
    """Until no worker runs: a page loaded can highlight a row that loads the next list."""
    for _ in range(10):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break


async def test_home_shows_counts_and_coming_days(demo_path, demo_store, today, make_app):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        counts = str(app.screen.query_one("#counts-body").render())
        assert "2,000" in counts and "Persons" in counts
        table = app.screen.query_one("#days")
        coming = demo_store.scalar(
            "SELECT count(*) FROM clinic_days WHERE date >= ? AND status != 'cancelled'",
            [today.isoformat()],
        )
        assert table.row_count == min(coming, 8)
        assert table.get_row_at(0)[0] == today.isoformat()


async def test_help_and_quit(demo_path, make_app):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_search_as_you_type_finds_by_pinyin_and_digits(demo_path, demo_store, make_app):
    target = demo_store.one(
        "SELECT name, id_number FROM persons WHERE id_number IS NOT NULL ORDER BY id LIMIT 1 OFFSET 5"
    )
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RegistersScreen"
        await pilot.press(*target["id_number"][-6:])
        await settle(app, pilot)
        persons = app.screen.query_one("#persons", PagedTable)
        shown = [persons.get_row_at(i) for i in range(persons.row_count)]
        assert any(str(row[0]) == target["name"] for row in shown)
        assert all(target["id_number"] not in str(row) for row in shown)
        assert any("**********" in str(row[3]) for row in shown)
        await pilot.press("enter")  # into the results
        await settle(app, pilot)
        detail = str(app.screen.query_one("#detail").render())
        assert target["name"] in detail or persons.row_count > 1
        for _ in range(8):
            await pilot.press("backspace")
        await pilot.press("escape")
        await pilot.press(
            "s", "l"
        )  # 单 read shan: sl finds 单丽-like names if any; at least no crash
        await settle(app, pilot)


async def test_browse_village_households_members(demo_path, demo_store, make_app):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("tab")  # from the search box to the villages list
        await settle(app, pilot)
        villages = app.screen.query_one("#villages", PagedTable)
        assert villages.row_count == demo_store.scalar("SELECT count(*) FROM villages")
        first = villages.current
        households = app.screen.query_one("#households", PagedTable)
        expected = demo_store.scalar(
            "SELECT count(*) FROM households WHERE village_id = ?", [first["id"]]
        )
        assert households.row_count == min(expected, PagedTable.PAGE)
        await pilot.press("enter")  # into households
        await settle(app, pilot)
        members = app.screen.query_one("#persons", PagedTable)
        hh = households.current
        assert members.row_count == demo_store.scalar(
            "SELECT count(*) FROM persons WHERE household_id = ?", [hh["id"]]
        )


async def test_long_lists_load_page_by_page(store, tmp_path, make_app):
    from clinic.store import places as places_q
    from clinic.store.connection import new_uid

    with store.transaction():
        village = places_q.village_id(store, "石角镇", "新华村")
        store.db["households"].insert_all(
            {
                "uid": new_uid(),
                "village_id": village,
                "number": f"X{i:04d}",
                "head_name": f"户主{i}",
            }
            for i in range(250)
        )
    app = make_app(store.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        households = app.screen.query_one("#households", PagedTable)
        assert households.row_count == 100  # one page, not the whole table
        households.focus()
        for _ in range(95):
            await pilot.press("down")
        await settle(app, pilot)
        assert households.row_count == 200
        await pilot.press("ctrl+end")
        await settle(app, pilot)
        await pilot.press("ctrl+end")
        await settle(app, pilot)
        assert households.row_count == 250


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_home(snap_compare, demo_path, lang, make_app):
    assert snap_compare(make_app(demo_path, lang), terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_registers_search(snap_compare, demo_path, lang, make_app):
    async def search(pilot):
        await pilot.press("r")
        await settle(pilot.app, pilot)
        await pilot.press("z", "h", "a", "n", "g")
        await settle(pilot.app, pilot)
        await settle(pilot.app, pilot)  # the highlighted person's detail loads after the results

    assert snap_compare(make_app(demo_path, lang), terminal_size=SIZE, run_before=search)


async def test_errors_become_notifications_not_tracebacks(demo_path, monkeypatch, make_app, said):
    from unittest.mock import PropertyMock, patch

    from clinic.core.errors import DatabaseError

    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        with patch.object(ClinicApp, "is_headless", new_callable=PropertyMock, return_value=False):
            app._handle_exception(DatabaseError("The database x.db is busy."))
            app._handle_exception(ZeroDivisionError())
        await pilot.pause()
        messages = said(app)
        assert "The database x.db is busy." in messages
        assert any("ZeroDivisionError" in m and "safe" in m for m in messages)
        assert app.return_code is None and app.is_running


async def test_the_search_key_in_the_search_box_is_not_typed(demo_path, demo_store, make_app):
    """The footer says "/ Search": pressed in the search box (where the screen opens), it
    leaves the box as it was, so what is typed next is the search; after other text it is
    typed (a household number may hold one); from a list it goes back to the box."""
    name = demo_store.scalar("SELECT name FROM persons ORDER BY id LIMIT 1")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        search = app.screen.query_one("#search")
        assert search.has_focus
        await pilot.press("slash", *name)
        await settle(app, pilot)
        assert search.value == name
        persons = app.screen.query_one("#persons", PagedTable)
        assert any(str(persons.get_row_at(i)[0]) == name for i in range(persons.row_count))
        await pilot.press("slash", "1")
        assert search.value == name + "/1"
        await pilot.press("tab")
        assert not search.has_focus
        await pilot.press("slash")
        assert search.has_focus and search.value == name + "/1"
        search.value = ""
        await pilot.press("tab")
        for key, character in (("slash", "/"), ("z", "z"), ("s", "s")):  # at once, as pasted
            app.post_message(events.Key(key, character))
        await settle(app, pilot)
        assert search.has_focus and search.value == "zs"


async def test_clearing_the_search_shows_the_household_again(demo_path, demo_store, make_app):
    """Esc after a search: the person list is the highlighted household's members again
    (it stayed empty, the details panel showing the last hit), and so is the panel."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        household = app.screen.query_one("#households", PagedTable).current
        members = demo_store.query(
            "SELECT name FROM persons WHERE household_id = ? ORDER BY id", [household["id"]]
        )
        await pilot.press("z", "s")
        await settle(app, pilot)
        assert "Search results" in str(app.screen.query_one("#persons-title").render())
        await pilot.press("escape")
        await settle(app, pilot)
        persons = app.screen.query_one("#persons", PagedTable)
        shown = [str(persons.get_row_at(i)[0]) for i in range(persons.row_count)]
        assert sorted(shown) == sorted(m["name"] for m in members)
        assert persons.current["name"] in str(app.screen.query_one("#detail").render())
