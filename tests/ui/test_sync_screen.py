"""The Sync screen (issue 11, point 3: "the TUI does the same from a menu"): a laptop
writes its bundle and imports the district's update, the district imports bundles (a
folder of them, each file's fate said), writes a laptop's update and enrols a laptop,
all by keys, through the services of ``clinic sync``. (The sync itself:
tests/domain/test_sync_*.py.)"""

from __future__ import annotations

import stat

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Input, Static

from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.importing import import_bundles, sync_status
from clinic.i18n import set_language
from clinic.store import open_store


def _result(app) -> str:
    return str(app.screen.query_one("#sync-result", Static).render())


def _heading(app) -> str:
    return str(app.screen.query_one("#sync-heading", Static).render())


def _hours_on(path, hours: float) -> int:
    """One assignment's hours typed on ``path``: one change to send. Its id."""
    with open_store(path) as store:
        assignment = store.scalar("SELECT min(id) FROM assignments")
        set_assignment(store, assignment, status="attended", hours=hours, change_attendance=True)
    return assignment


async def _open_sync(app, pilot, settle) -> None:
    """Ctrl+P, "Sync", Enter: the command palette's entry."""
    await pilot.press("ctrl+p")
    await settle(pilot, app)
    await pilot.press(*"Sync")
    await settle(pilot, app)
    await pilot.pause(0.3)  # the palette searches in a task of its own
    await pilot.press("enter")
    await settle(pilot, app)
    assert type(app.screen).__name__ == "SyncScreen"


async def _type_path(app, pilot, settle, text: str) -> None:
    """Into the file-or-folder field: focus it, clear it (Ctrl+U), type."""
    field = app.screen.query_one("#sync-path", Input)
    field.focus()
    await pilot.press("ctrl+u", *text)
    await settle(pilot, app)


async def test_a_laptop_writes_its_bundle_by_keys_and_the_district_imports_it(
    sync_pair, make_app, settle
):
    district, laptop = sync_pair
    _hours_on(laptop, 5.0)
    app = make_app(laptop)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_sync(app, pilot, settle)
        heading = _heading(app)
        assert "甲[b]队" in heading and "No bundle written yet." in heading
        assert "1 change waits to be sent." in heading
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        bundle = laptop.parent / "bundles" / "甲[b]队-0001.bundle"
        assert f"Bundle 1 saved: {bundle} (" in _result(app)
        assert "roster places: 1 changed" in _result(app)
        assert "Last bundle: 1, written" in _heading(app)
        assert "Nothing waits to be sent." in _heading(app)
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert stat.S_IMODE(bundle.parent.stat().st_mode) == 0o700
    with open_store(district) as store:
        (result,) = import_bundles(store, [bundle], actor="tester")
    assert (result.device, result.sequence, result.already) == ("甲[b]队", 1, False)
    assert result.changes >= 1


async def test_the_district_imports_a_folder_each_file_said_a_tampered_one_refused(
    sync_pair, make_app, settle, tmp_path
):
    district, laptop = sync_pair
    assignment = _hours_on(laptop, 5.0)
    stick = tmp_path / "stick"
    stick.mkdir()
    app = make_app(laptop)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        await _type_path(app, pilot, settle, str(stick))
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    good = stick / "甲[b]队-0001.bundle"
    assert good.exists()
    data = bytearray(good.read_bytes())
    data[-10] ^= 1
    (stick / "changed.bundle").write_bytes(bytes(data))
    app = make_app(district)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        assert "1 laptops enrolled" in _heading(app)
        await _type_path(app, pilot, settle, str(stick))
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        said = _result(app)
        assert "2 files: 1 applied, 0 imported before, 0 held, 1 refused." in said
        assert f"{good}: bundle 1 of 甲[b]队 imported:" in said
        assert f"{stick / 'changed.bundle'} cannot be imported: it is damaged" in said
        table = app.screen.query_one("#sync-devices", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:3] == ["甲[b]队", "1", "1"]
        await pilot.press("ctrl+o")  # again: nothing changes
        await settle(pilot, app)
        assert "1 imported before" in _result(app)
        # The import ran in a process of its own: the app's connections still have their
        # write-ahead log (apsw's SQLite, closing in this process, deleted it under them).
        assert district.with_name(district.name + "-shm").exists()
        await pilot.press("ctrl+s")  # and the next write works: the laptop's update
        await settle(pilot, app)
        assert "Update 1 for 甲[b]队 saved" in _result(app)
    with open_store(district) as store:
        assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == 5.0
        assert sync_status(store)[0]["last_sequence"] == 1


async def test_the_update_round_trip_by_keys(sync_pair, make_app, settle):
    district, laptop = sync_pair
    assignment = _hours_on(district, 7.0)
    app = make_app(district)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        await pilot.press("ctrl+s")  # the highlighted (only) laptop's update
        await settle(pilot, app)
        update = district.parent / "updates" / "甲[b]队-update-0001.bundle"
        assert f"Update 1 for 甲[b]队 saved: {update} (" in _result(app)
    assert stat.S_IMODE(update.stat().st_mode) == 0o600
    app = make_app(laptop)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        assert "No update from the district yet." in _heading(app)
        await _type_path(app, pilot, settle, str(update.parent))  # the folder: its updates
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        assert f"{update}: update 1 of the district applied:" in _result(app)
        assert "Last update from the district: 1." in _heading(app)
    with open_store(laptop) as store:
        assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == 7.0


async def test_a_tampered_update_is_refused_with_its_sentence(
    sync_pair, make_app, settle, tmp_path
):
    district, laptop = sync_pair
    _hours_on(district, 7.0)
    from clinic.core.sync.updating import export_update

    with open_store(district) as store:
        made = export_update(store, "甲[b]队", tmp_path / "u.bundle", actor="tester")
    data = bytearray(made.path.read_bytes())
    data[40] ^= 1
    made.path.write_bytes(bytes(data))
    app = make_app(laptop, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        await _type_path(app, pilot, settle, str(made.path))
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        said = _result(app)
        assert str(made.path) in said and "Traceback" not in said
        with open_store(laptop) as store:
            assert not store.scalar("SELECT value FROM settings WHERE key = 'sync.update_sequence'")
    from clinic.i18n import _

    set_language("zh")
    assert _("it is damaged, or it was made for another laptop.") in said
    set_language("en")


async def test_a_folder_that_does_not_exist_is_one_sentence(sync_pair, make_app, settle, tmp_path):
    _district, laptop = sync_pair
    _hours_on(laptop, 5.0)
    app = make_app(laptop)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        await _type_path(app, pilot, settle, str(tmp_path / "no" / "such.bundle"))
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert _result(app) == (
            f"Cannot write {tmp_path / 'no' / 'such.bundle'}: the folder {tmp_path / 'no'} does not exist."
        )
        assert "1 change waits to be sent." in _heading(app)  # nothing was exported


async def test_enrolling_a_laptop_by_keys(sync_pair, make_app, settle):
    district, _laptop = sync_pair
    app = make_app(district)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        await pilot.press("ctrl+n")  # no name yet
        await settle(pilot, app)
        assert _result(app) == "Type the new laptop's name first."
        assert app.focused is app.screen.query_one("#sync-name", Input)
        await pilot.press(*"乙队")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        base = district.parent / "laptops" / "乙队.db"
        assert f"Laptop 乙队 enrolled as number 2: {base}." in _result(app)
        table = app.screen.query_one("#sync-devices", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["甲[b]队", "乙队"]
        table.focus()
        await pilot.press("down", "ctrl+s")  # the update of the highlighted laptop: 乙队
        await settle(pilot, app)
        assert _result(app).startswith("Nothing changed for 乙队 since its last update")
        assert table.cursor_row == 1  # still highlighted after the list is read again
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
    with open_store(base) as store:
        assert store.scalar("SELECT value FROM settings WHERE key = 'sync.device_name'") == "乙队"


def _offered(app) -> set[str]:
    """The sync screen's own keys offered in the footer (the app's and F1 aside)."""
    return {
        item.binding.action
        for item in app.screen.active_bindings.values()
        if item.node is app.screen and item.binding.show and item.enabled
    }


async def test_a_clerk_writes_a_bundle_but_may_not_import_on_the_district(
    sync_pair, make_app, app_user, settle
):
    district, laptop = sync_pair
    _hours_on(laptop, 5.0)
    clerk = app_user(laptop, "clerk", roles=("clerk",))
    app = make_app(laptop, user=clerk)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Bundle 1 saved" in _result(app)
        # The district's update is a coordinator's to import: neither offered nor said.
        assert _offered(app) == {"export_bundle", "reload"}
        assert "Ctrl+O" not in _heading(app)
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        assert "Bundle 1 saved" in _result(app)  # nothing else happened
    clerk = app_user(district, "clerk", roles=("clerk",))
    app = make_app(district, user=clerk)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        assert _heading(app) == "Only a coordinator may import bundles and enrol laptops."
        assert not app.screen.query_one("#sync-devices").display
        # Ctrl+O, Ctrl+N, Ctrl+S, Ctrl+T were offered and answered with a refusal, or
        # asked for a laptop's name in a field not shown.
        assert _offered(app) == {"reload"}
        await pilot.press("ctrl+o", "ctrl+n")
        await settle(pilot, app)
        assert _result(app) == ""


async def test_the_conflicts_screen_is_one_key_away(sync_pair, make_app, settle):
    district, _laptop = sync_pair
    app = make_app(district)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("sync")
        await settle(pilot, app)
        assert "0 conflicts to review (Ctrl+T)" in _heading(app)
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "SyncConflictsScreen"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_both_sides_fit_80_by_24(sync_pair, make_app, settle, lang):
    """Heading, laptops, the fields and a result of several lines, all on an 80×24 screen."""
    district, laptop = sync_pair
    _hours_on(laptop, 5.0)
    _hours_on(district, 7.0)
    screen = Region(0, 0, 80, 24)
    for path, parts in (
        (laptop, ["#sync-heading", "#sync-path", "#sync-result"]),
        (district, ["#sync-heading", "#sync-devices", "#sync-path", "#sync-name", "#sync-result"]),
    ):
        app = make_app(path, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            app.action_open("sync")
            await settle(pilot, app)
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert len(_result(app).splitlines()) >= 2
            for selector in parts:
                region = app.screen.query_one(selector).region
                assert region.height > 0 and screen.contains_region(region), (selector, region)
    set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_of_the_district_side(snap_compare, sync_pair, make_app, settle, lang):
    """The district's Sync screen at 80×24, its field pointed at a USB stick (a path of
    the test's own would change at every run)."""
    district, _laptop = sync_pair

    async def open_sync(pilot):
        pilot.app.action_open("sync")
        await settle(pilot, pilot.app)
        await _type_path(pilot.app, pilot, settle, "/media/usb")

    try:
        assert snap_compare(make_app(district, lang), terminal_size=(80, 24), run_before=open_sync)
    finally:
        set_language("en")


async def test_a_key_while_the_state_is_read_waits_for_it(sync_pair, make_app, settle, monkeypatch):
    """An export must not run while the state is read (that reads the copy an export
    replaces): the key says so, and works once the state is shown."""
    import threading

    from clinic.ui import sync as sync_ui

    _district, laptop = sync_pair
    _hours_on(laptop, 5.0)
    release = threading.Event()
    read = sync_ui.read_state

    def slow(store):
        release.wait(10)
        return read(store)

    monkeypatch.setattr(sync_ui, "read_state", slow)
    app = make_app(laptop)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("sync")
        await pilot.pause()
        app.screen.state = sync_ui.SyncState(folder=laptop.parent)  # an older state shown
        app.screen.query_one("#sync-path", Input).focus()
        await pilot.press(*str(laptop.parent), "ctrl+o")
        await pilot.pause()
        assert _result(app).startswith("Still reading the state of this database")
        release.set()
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Bundle 1 saved" in _result(app)
