"""The review list of clashes in the TUI (issue 11, point 5): opened from the command
palette's entry, listed in a worker, both sides shown as text, settled on the writer
through the service of ``clinic sync settle``. (The clashes themselves:
tests/domain/test_sync_bundles.py.)"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.enrol import make_base
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_bundles
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
        assert [r[1:] for r in rows] == [["甲[b]队[/b]", "1", "assignments", "UPDATE", "data"]]
        await pilot.press("enter")
        sides = str(app.screen.query_one("#conflicts-sides", Static).render())
        assert '"hours": 5.0' in sides and '"hours": 3.0' in sides
        await pilot.press("l")
        await settle(pilot, app)
        assert table.row_count == 0
    with open_store(demo_path) as store:
        assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == 5.0
        assert store.one("SELECT 1 FROM audit_log WHERE action = 'sync_settle'")
