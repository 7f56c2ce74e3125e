"""Health talks on F5: recorded, edited and removed by keys (the rules, figures and
exports: tests/domain/test_talks.py)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from clinic.core import talks as T

pytestmark = pytest.mark.usefixtures("no_demo_talks")


async def test_f5_records_edits_and_removes_a_talk(
    demo_path, demo_store, make_app, go, settle, two_speakers
):
    name = two_speakers(demo_store)[0]["name"]
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await go(pilot, app, "f5")
        day_id = app.screen.day_id
        await go(pilot, app, "k")
        assert type(app.screen).__name__ == "TalksDialog"
        await go(pilot, app, "n")
        form = app.screen
        form.query_one("#topic", Input).value = "慢病防治 [b]x[/b]"
        form.query_one("#speaker", Input).value = name
        form.query_one("#attendees", Input).value = "abc"
        await go(pilot, app, "ctrl+s")
        assert app.screen is form and "whole number" in str(form.query_one("#error").render())
        form.query_one("#attendees", Input).value = "52"
        await go(pilot, app, "ctrl+s")
        dialog = app.screen
        assert type(dialog).__name__ == "TalksDialog"
        assert dialog.query_one("#talks", DataTable).row_count == 1
        await go(pilot, app, "e")
        app.screen.query_one("#attendees", Input).value = "60"
        await go(pilot, app, "ctrl+s")
        talks = T.talks_of_day(demo_store, day_id)
        assert [(t["topic"], t["attendees"]) for t in talks] == [("慢病防治 [b]x[/b]", 60)]
        await go(pilot, app, "escape")
        assert "Health talks: 1 (60 attendees)" in str(app.screen.query_one("#team-title").render())
        await go(pilot, app, "k")
        await go(pilot, app, "delete")
        await go(pilot, app, "y")
        await settle(pilot, app)
    assert T.talks_of_day(demo_store, day_id) == []
