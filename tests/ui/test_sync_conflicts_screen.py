"""The review list of clashes in the TUI (issue 11, point 5): opened from the command
palette's entry, listed in a worker, both sides shown as text, settled on the writer
through the service of ``clinic sync settle``. (The clashes themselves:
tests/domain/test_sync_bundles.py.)"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.enrol import make_base
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_bundles
from clinic.i18n import set_language
from clinic.store import open_store


def _clash(district, tmp_path) -> int:
    """Hours of one assignment typed on laptop A (5) and on the district (3): one clash."""
    laptop = tmp_path / "a.db"
    with open_store(district) as store:
        make_base(store, "甲[b]队[/b]", laptop, actor="tester")
        assignment = store.scalar("SELECT min(id) FROM assignments")
    open_store(laptop).close()
    with open_store(laptop) as store:
        set_assignment(store, assignment, status="attended", hours=5.0, change_attendance=True)
        export_bundle(store, tmp_path / "a.bundle", actor="tester")
    with open_store(district) as store:
        set_assignment(store, assignment, status="attended", hours=3.0, change_attendance=True)
        import_bundles(store, [tmp_path / "a.bundle"], actor="tester")
    return assignment


async def test_a_clash_is_shown_and_settled_keeping_the_laptops_side(
    demo_path, make_app, settle, tmp_path
):
    assignment = _clash(demo_path, tmp_path)
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync_conflicts")
        await settle(pilot, app)
        table = app.screen.query_one("#conflicts-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        # In words: the record, the change and the clash, as a coordinator reads them.
        assert [r[1:] for r in rows] == [
            ["甲[b]队[/b]", "1", "roster places", "changed", "changed here too"]
        ]
        await pilot.press("enter")
        sides = str(app.screen.query_one("#conflicts-sides", Static).render())
        assert "Hours: 5.0" in sides and "Hours: 3.0" in sides
        assert "Record roster places #" in sides and "\nDistrict now: Hours: 3.0" in sides
        assert "␊" not in sides  # a line each, not one line with the breaks shown
        await pilot.press("l")
        await settle(pilot, app)
        assert table.row_count == 0
    with open_store(demo_path) as store:
        assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == 5.0
        assert store.one("SELECT 1 FROM audit_log WHERE action = 'sync_settle'")


def _day_clash(district, tmp_path, today) -> int:
    """Today's clinic day: notes typed on laptop A and on the district, venue and start
    on the laptop only (one clash, three fields); the day's id."""
    laptop = tmp_path / "a.db"
    with open_store(district) as store:
        make_base(store, "甲队", laptop, actor="tester")
        day = store.scalar("SELECT id FROM clinic_days WHERE date = ?", [today.isoformat()])
    open_store(laptop).close()
    with open_store(laptop) as store:
        store.conn.execute(
            "UPDATE clinic_days SET notes = '笔记本备注', venue = '村委会二楼', "
            "start_time = '07:45' WHERE id = ?",
            [day],
        )
        store.conn.commit()
        export_bundle(store, tmp_path / "a.bundle", actor="tester")
    with open_store(district) as store:
        store.conn.execute("UPDATE clinic_days SET notes = '区里备注' WHERE id = ?", [day])
        store.conn.commit()
        import_bundles(store, [tmp_path / "a.bundle"], actor="tester")
    return day


def _open_merge(settle):
    """The review list opened, its clash chosen and merged (``m``): the merge dialog."""

    async def run(pilot) -> None:
        pilot.app.action_open("sync_conflicts")
        await settle(pilot, pilot.app)
        await pilot.press("enter", "m")
        await settle(pilot, pilot.app)

    return run


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_merge_dialog_names_fields_as_the_forms_do(
    demo_path, make_app, settle, tmp_path, today, lang
):
    from clinic.core.records import field_label
    from clinic.ui.merge_dialog import FieldMergeDialog

    _day_clash(demo_path, tmp_path, today)
    app = make_app(demo_path, lang)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await _open_merge(settle)(pilot)
            assert isinstance(app.screen, FieldMergeDialog)
            names = [str(s.render()) for s in app.screen.query(".merge-field")]
            for column in ("notes", "venue", "start_time"):
                label = field_label("clinic_days", column)
                assert label != column
                assert any(name.startswith(label + " (") for name in names), (label, names)
            assert not any(name.startswith(("notes", "start_time")) for name in names)
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_of_the_merge_dialog(
    snap_compare, demo_path, make_app, settle, tmp_path, today, lang
):
    """The field-by-field merge of a clinic day at 80×24: the fields by their labels."""
    _day_clash(demo_path, tmp_path, today)
    try:
        assert snap_compare(
            make_app(demo_path, lang), terminal_size=(80, 24), run_before=_open_merge(settle)
        )
    finally:
        set_language("en")
