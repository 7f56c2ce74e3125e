"""The F7 season dialog: a per-day field, and a season ending on a Saturday (the rules
of seasons and holidays: tests/domain/test_planning_season.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from textual.widgets import DataTable, Input


async def test_the_season_dialog_has_a_per_day_field_and_ends_on_a_saturday(
    demo_path, make_app, settle
):

    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f7")
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        dialog = app.screen
        to = dialog.query_one("#s-to", Input).value
        assert dt.date.fromisoformat(to).weekday() == 5
        one = [dialog.query_one("#season", DataTable).get_row_at(i)[0] for i in range(3)]
        assert len(set(one)) == 3  # one village per Saturday
        dialog.query_one("#s-per-day", Input).value = "3"
        dialog.query_one("#s-per-day", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        table = dialog.query_one("#season", DataTable)
        dates = [table.get_row_at(i)[0] for i in range(table.row_count)]
        # Several villages on one Saturday, at most three clinic days a date with those planned.
        assert max(Counter(dates).values()) >= 2
        for date, n in Counter(dates).items():
            held = app.store.scalar(
                "SELECT COUNT(*) FROM clinic_days WHERE date = ? AND status != 'cancelled'", [date]
            )
            assert n + held <= 3
        assert "clinic days proposed" in str(dialog.query_one("#season-status").render())
        # "To" follows the weekdays while the user has not changed it: weekends end on a Sunday.
        dialog.query_one("#s-weekdays", Input).value = "周六,周日"
        await settle(pilot, app)
        assert dt.date.fromisoformat(dialog.query_one("#s-to", Input).value).weekday() == 6
        dialog.query_one("#s-to", Input).value = "2027-01-30"
        dialog.query_one("#s-weekdays", Input).value = "周六"
        await settle(pilot, app)
        assert dialog.query_one("#s-to", Input).value == "2027-01-30"  # the user's own end stays
        dialog.query_one("#s-per-day", Input).value = "0"
        await pilot.press("enter")
        await settle(pilot, app)
        assert "from 1 to 50" in str(dialog.query_one("#season-status").render())
