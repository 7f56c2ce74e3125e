"""Closing a visit at the desk asks once to put the conditions assessed on the
person's record (the rule itself: tests/domain/test_chronic_record.py)."""

from __future__ import annotations

import pytest

SIZE = (120, 36)


@pytest.fixture
def close_visit_with_hypertension(open_desk):
    """``await close_visit_with_hypertension(app, pilot, name, answer)``: at the desk,
    check the person in, assess hypertension, close the visit and answer the question."""

    async def close(app, pilot, name: str, answer: str) -> None:
        keys = await open_desk(app, pilot)
        await keys.type(name)
        await keys.press("enter", "ctrl+o")
        await keys.type("130/80")
        app.screen.query_one("#conditions").select("hypertension")
        await pilot.pause()
        await keys.press("ctrl+d")
        assert type(app.screen).__name__ == "ConfirmDialog"
        question = str(app.screen.query_one("#confirm-question").render())
        assert name in question and ("高血压" in question or "Hypertension" in question)
        await keys.press(answer)

    return close


@pytest.mark.parametrize("answer, recorded", [("y", {"hypertension"}), ("n", set())])
async def test_closing_a_visit_asks_once(
    demo_path,
    demo_store,
    answer,
    recorded,
    today_day,
    a_person,
    make_app,
    conditions_on_record,
    close_visit_with_hypertension,
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    with demo_store.transaction():
        demo_store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [p["id"]])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await close_visit_with_hypertension(app, pilot, p["name"], answer)
        await pilot.pause()
        assert type(app.screen).__name__ != "VisitScreen"
        assert type(app.screen).__name__ != "ConfirmDialog"
    assert conditions_on_record(demo_store, p["id"]) == recorded
