"""Conditions assessed at a visit, put on the person's record with one confirmation."""

from __future__ import annotations

import json

import pytest
from desk_helpers import NOW, a_volunteer, person, today_day
from test_desk_journey import make_app, open_desk

from clinic.core import chronic, desk

SIZE = (120, 36)


@pytest.fixture
def visit(demo_store):
    day = today_day(demo_store)
    vol = a_volunteer(demo_store, day["id"])
    p = person(demo_store, consent=True, not_on_day=day["id"])
    demo_store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [p["id"]])
    visit_id, _ = desk.check_in(demo_store, day, p["id"], vol, NOW)
    return demo_store, day, vol, visit_id, p


def _on_record(store, person_id: int) -> set[str]:
    rows = store.query(
        "SELECT condition_code FROM person_conditions WHERE person_id = ?", [person_id]
    )
    return {r["condition_code"] for r in rows}


def _finish(store, day, vol, visit_id, conditions, finish=True):
    form = desk.VisitForm(values={"bp": "150/95"}, conditions=conditions)
    desk.save_visit(store, day, visit_id, form, NOW, vol, finish=finish)


def test_a_draft_visit_offers_nothing(visit):
    store, day, vol, visit_id, p = visit
    _finish(store, day, vol, visit_id, ["hypertension"], finish=False)
    assert chronic.proposal(store, visit_id) is None
    assert chronic.record_assessed(store, visit_id) == []
    assert _on_record(store, p["id"]) == set()


def test_conditions_not_on_record_are_offered_and_written_with_an_audit_row(visit):
    store, day, vol, visit_id, p = visit
    store.conn.execute(
        "INSERT INTO person_conditions (person_id, condition_code) VALUES (?, 'diabetes')",
        [p["id"]],
    )
    _finish(store, day, vol, visit_id, ["diabetes", "hypertension"])
    found = chronic.proposal(store, visit_id)
    assert found is not None and found.codes == ("hypertension",)
    assert p["name"] in found.question()
    before = store.scalar("SELECT count(*) FROM audit_log WHERE action = 'conditions_recorded'")
    assert chronic.record_assessed(store, visit_id, "tester") == ["hypertension"]
    assert _on_record(store, p["id"]) == {"diabetes", "hypertension"}
    audit = store.one(
        "SELECT actor, detail, rows FROM audit_log WHERE action = 'conditions_recorded' "
        "ORDER BY id DESC LIMIT 1"
    )
    assert before == 0 and audit["actor"] == "tester" and audit["rows"] == 1
    detail = json.loads(audit["detail"])
    assert detail["conditions"] == ["hypertension"] and p["name"] not in audit["detail"]
    # Asked once: nothing left to offer.
    assert chronic.proposal(store, visit_id) is None


def test_a_cancelled_day_puts_nothing_on_record(visit):
    store, day, vol, visit_id, p = visit
    _finish(store, day, vol, visit_id, ["hypertension"])
    store.conn.execute("UPDATE clinic_days SET status = 'cancelled' WHERE id = ?", [day["id"]])
    assert chronic.proposal(store, visit_id) is None
    assert _on_record(store, p["id"]) == set()


async def _close_visit_with_hypertension(app, pilot, name: str, answer: str) -> None:
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


@pytest.mark.parametrize("answer, recorded", [("y", {"hypertension"}), ("n", set())])
async def test_closing_a_visit_asks_once(demo_path, demo_store, answer, recorded):
    day = today_day(demo_store)
    p = person(demo_store, consent=True, not_on_day=day["id"])
    with demo_store.transaction():
        demo_store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [p["id"]])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await _close_visit_with_hypertension(app, pilot, p["name"], answer)
        await pilot.pause()
        assert type(app.screen).__name__ != "VisitScreen"
        assert type(app.screen).__name__ != "ConfirmDialog"
    assert _on_record(demo_store, p["id"]) == recorded
