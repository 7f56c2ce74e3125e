"""The audit log screen (F11): loaded in a worker, filtered by the fields typed,
numbers masked, user data shown as text; refused to a signed-in non-coordinator.
(``clinic audit`` and the rows' words: tests/domain/test_audit.py.)"""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static


def _add_rows(path):
    from clinic.store import open_store
    from clinic.store.audit import record

    with open_store(path) as store:
        record(store, "李[b]华[/b]", "export", {"dataset": "persons", "file": "a.csv"}, 12)
        record(store, "王敏", "backup", {"file": "b-13812345678.db", "bytes": 1})


def _cells(app) -> list[list[str]]:
    table = app.screen.query_one("#audit-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_audit_screen_lists_filters_and_masks(demo_path, make_app):
    _add_rows(demo_path)
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f11")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = _cells(app)
        assert rows[0][1] == "王敏" and rows[1][1] == "李[b]华[/b]"  # newest first, as typed
        assert "138****5678" in rows[0][3] and "13812345678" not in rows[0][3]
        assert rows[1][3] == "Exported Persons to a.csv" and rows[1][4] == "12"
        assert rows[1][2] == "Export"  # the action's name, not its code
        assert any(r[2] == "User added" for r in rows)  # the demo's users
        app.screen.query_one("#audit-user", Input).value = "王敏"
        app.screen.query_one("#audit-user").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r[1] for r in _cells(app)] == ["王敏"]
        status = str(app.screen.query_one("#audit-status", Static).render())
        assert "1 rows" in status


async def test_a_bad_date_is_said_and_nothing_loads(demo_path, make_app):
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f11")
        await app.workers.wait_for_complete()
        app.screen.query_one("#audit-from", Input).value = "2026-13-45"
        app.screen.query_one("#audit-from").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert _cells(app) == []
        assert "2026-13-45" in str(app.screen.query_one("#audit-status", Static).render())


async def test_only_a_coordinator_reads_the_audit_log(demo_path, make_app):
    from clinic.core.users import User

    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.user = User(9, "李华", frozenset({"clerk"}))
        await pilot.press("f11")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _cells(app) == []
        status = str(app.screen.query_one("#audit-status", Static).render())
        assert "Only a coordinator" in status


async def test_in_chinese_the_actions_are_named_and_filtered_in_chinese(demo_path, make_app):
    """zh: the Action column read "export", "user_add", "sign_in_failed"."""
    _add_rows(demo_path)
    app = make_app(demo_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        await app.workers.wait_for_complete()
        await pilot.pause()
        actions = {r[2] for r in _cells(app)}
        assert {"导出", "备份", "添加用户"} <= actions and not any(a.isascii() for a in actions)
        box = app.screen.query_one("#audit-action", Input)
        assert box.placeholder.startswith("操作（导出")
        box.value = "导出"
        box.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r[2] for r in _cells(app)] == ["导出"]
