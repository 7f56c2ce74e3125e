"""QA defects in the planning screens: status keys on a focused team row, real default
needs in the new-day and season dialogs, tables that fit at 120 columns, the F6 phone
field kept, replaced or removed (the rules: tests/domain/test_planning_qa.py)."""

from __future__ import annotations

import pytest

from clinic.core import planning as p


async def test_status_keys_act_only_on_a_focused_team_row(demo_path, demo_store, make_app, go):
    from textual.widgets import DataTable

    from clinic.ui.planning.widgets import cursor_id
    from clinic.ui.widgets.confirm import ConfirmDialog

    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await go(pilot, app, "f5")
        screen = app.screen
        day_id = screen.day_id
        a = demo_store.one(
            "SELECT id FROM assignments WHERE clinic_day_id = ? ORDER BY id LIMIT 1", [day_id]
        )
        if a is None:
            a = {
                "id": p.assign(
                    demo_store, day_id, demo_store.scalar("SELECT id FROM volunteers LIMIT 1")
                )[0]
            }
        demo_store.conn.execute(
            "UPDATE assignments SET status = 'attended' WHERE clinic_day_id = ?", [day_id]
        )
        demo_store.conn.commit()
        screen.refresh_month()
        await go(pilot, app)
        status = "SELECT status FROM assignments WHERE id = ?"
        assert screen.focused is screen.query_one("#days-list")
        for key in ("c", "d", "t", "x", "delete"):
            await go(pilot, app, key)
        assert demo_store.scalar(status, [a["id"]]) == "attended"
        team = screen.query_one("#team", DataTable)
        team.focus()
        await go(pilot, app)
        a = {"id": cursor_id(team)}
        await go(pilot, app, "c")
        assert isinstance(app.screen, ConfirmDialog)
        await go(pilot, app, "n")
        assert demo_store.scalar(status, [a["id"]]) == "attended"
        assert screen.focused is team
        await go(pilot, app, "c")
        assert isinstance(app.screen, ConfirmDialog)
        await go(pilot, app, "y")
        assert not isinstance(app.screen, ConfirmDialog), app.screen
        assert demo_store.scalar(status, [a["id"]]) == "confirmed"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_new_day_and_season_have_real_default_needs(
    demo_path, demo_store, lang, make_app, go
):
    from textual.widgets import Input, Select

    from clinic.i18n import set_language

    app = make_app(demo_path, lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await go(pilot, app, "f5")
            await go(pilot, app, "n")
            form = app.screen
            needs = form.query_one("#needs", Input).value
            assert needs.startswith("General practice=2" if lang == "en" else "全科=2")
            form.query_one("#date", Input).value = "2026-12-23"
            form.query_one("#village", Select).value = demo_store.scalar(
                "SELECT id FROM villages ORDER BY id"
            )
            await go(pilot, app, "ctrl+s")
            day = demo_store.scalar("SELECT id FROM clinic_days WHERE date = '2026-12-23'")
            assert (
                demo_store.scalar(
                    "SELECT SUM(count) FROM clinic_day_needs WHERE clinic_day_id = ?", [day]
                )
                == 6
            )
            await go(pilot, app, "f7")
            await go(pilot, app, "s")
            dialog = app.screen
            assert dialog.query_one("#s-weekdays", Input).value == (
                "Saturday" if lang == "en" else "周六"
            )
            assert (
                p.parse_needs(demo_store, dialog.query_one("#s-needs", Input).value)
                == p.DEFAULT_NEEDS
            )
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_tables_fit_at_120_columns(demo_path, lang, make_app, go):
    from textual.widgets import DataTable

    from clinic.i18n import set_language

    app = make_app(demo_path, lang)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            for key, tables in (
                ("f5", ["#team", "#needs", "#days-list"]),
                ("f6", ["#vol-list"]),
                ("f7", ["#villages-table"]),
            ):
                await go(pilot, app, key)
                if key == "f7":
                    await go(pilot, app, "w")
                for name in tables:
                    table = app.screen.query_one(name, DataTable)
                    assert table.virtual_size.width <= table.scrollable_content_region.width, (
                        lang,
                        name,
                    )
            await go(pilot, app, "s")
            table = app.screen.query_one("#season", DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width
    finally:
        set_language("en")


def test_volunteer_phone_kept_replaced_or_removed():
    from clinic.ui.planning.volunteer_form import _phone_field

    assert _phone_field("", "13800001111") == "13800001111"
    assert _phone_field("13900002222", "13800001111") == "13900002222"
    assert _phone_field(" - ", "13800001111") is None
