"""Defects found by QA at the desk, each pinned by a test that fails if it comes back."""

from __future__ import annotations

import json

from desk_helpers import TODAY, person, today_day
from test_desk_journey import make_app, open_desk

SIZE = (120, 36)


async def test_follow_up_survives_reopening_a_draft(demo_path, demo_store):
    day = today_day(demo_store)
    p = person(demo_store, consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        await keys.type("130/80")  # no flag: no follow-up proposed
        app.screen.query_one("#follow_up_due").focus()
        await keys.type("3m")
        await keys.press("ctrl+s", "escape", "ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        assert app.screen.query_one("#follow_up_due").value == "3m"
        await keys.press("ctrl+s", "escape")
    visit = demo_store.one("SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], p["id"]])
    assert visit["follow_up_due"] == "2027-02-24"
    assert json.loads(visit["draft_form"])["values"]["follow_up_due"] == "3m"


async def test_a_cleared_proposal_stays_cleared_on_reopening(demo_path, demo_store):
    day = today_day(demo_store)
    p = person(demo_store, consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        await keys.type("150/95")  # raised: 3m proposed
        assert app.screen.query_one("#follow_up_due").value == "3m"
        app.screen.query_one("#follow_up_due").focus()
        await keys.press("ctrl+u")  # cleared on purpose
        await keys.press("escape", "ctrl+o")
        assert app.screen.query_one("#follow_up_due").value == ""
        await keys.press("escape")
    visit = demo_store.one("SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], p["id"]])
    assert visit["follow_up_due"] is None


async def test_the_desk_stays_open_when_leaving_it(demo_path):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        day, volunteers = app.screen.day["id"], list(app.screen.volunteer_ids)
        for away in ("f3", "f2", "f5"):
            await keys.press(away)
            assert type(app.screen).__name__ != "DeskScreen"
            await keys.press("f4")
            assert type(app.screen).__name__ == "DeskScreen", away  # no day or volunteer picker
            assert app.screen.day["id"] == day and app.screen.volunteer_ids == volunteers
            assert app.screen.day["date"] == TODAY.isoformat()


async def test_queue_filter_is_named_and_cycles_through_the_days_specialties(demo_path, demo_store):
    from clinic.store import desk as q

    day = today_day(demo_store)
    used = q.day_queue_codes(demo_store, day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        title = lambda: str(app.screen.query_one("#queue-title").render())  # noqa: E731
        assert "all queues" in title()
        names = dict(app.screen.specialties)
        seen = []
        for _press in range(len(app.screen.specialties) + 1):
            await keys.press("ctrl+f")
            if app.screen.queue_filter is None:
                break
            seen.append(app.screen.queue_filter)
            assert names[app.screen.queue_filter] in title() and "only" in title()
        assert app.screen.queue_filter is None and "all queues" in title()
        assert set(seen) == used & set(names) and len(seen) < len(app.screen.specialties)


async def test_stock_inputs_are_visible_boxes(demo_path):
    from textual.widgets import Input

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f10")
        await keys.type("40")
        first = list(app.screen.query(Input))[0]
        assert first.region.width >= 8 and first.value == "40"
        assert "40" in "".join(s.text for s in first.render_line(0))
