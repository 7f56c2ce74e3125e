"""Conditions assessed at a visit, put on the person's record with one confirmation."""

from __future__ import annotations

import json

import pytest

from clinic.core import desk
from clinic.core.desk import chronic


@pytest.fixture
def visit(demo_store, today_day, day_volunteer, a_person, now):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=True, not_on_day=day["id"])
    demo_store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [p["id"]])
    visit_id, _ = desk.check_in(demo_store, day, p["id"], vol, now)
    return demo_store, day, vol, visit_id, p


@pytest.fixture
def finish_visit(now, desk_user):
    """``finish_visit(store, day, vol, visit_id, conditions, finish=True)``: the visit saved
    with a blood pressure and the conditions assessed (a draft with ``finish=False``)."""

    def save(store, day, vol, visit_id, conditions, finish=True):
        form = desk.VisitForm(values={"bp": "150/95"}, conditions=conditions)
        desk.save_visit(store, day, visit_id, form, now, vol, finish=finish, by=desk_user)

    return save


def test_a_draft_visit_offers_nothing(visit, finish_visit, conditions_on_record):
    store, day, vol, visit_id, p = visit
    finish_visit(store, day, vol, visit_id, ["hypertension"], finish=False)
    assert chronic.proposal(store, visit_id) is None
    assert chronic.record_assessed(store, visit_id) == []
    assert conditions_on_record(store, p["id"]) == set()


def test_conditions_not_on_record_are_offered_and_written_with_an_audit_row(
    visit, finish_visit, conditions_on_record
):
    store, day, vol, visit_id, p = visit
    store.conn.execute(
        "INSERT INTO person_conditions (person_id, condition_code) VALUES (?, 'diabetes')",
        [p["id"]],
    )
    finish_visit(store, day, vol, visit_id, ["diabetes", "hypertension"])
    found = chronic.proposal(store, visit_id)
    assert found is not None and found.codes == ("hypertension",)
    assert p["name"] in found.question()
    before = store.scalar("SELECT count(*) FROM audit_log WHERE action = 'conditions_recorded'")
    assert chronic.record_assessed(store, visit_id, "tester") == ["hypertension"]
    assert conditions_on_record(store, p["id"]) == {"diabetes", "hypertension"}
    audit = store.one(
        "SELECT actor, detail, rows FROM audit_log WHERE action = 'conditions_recorded' "
        "ORDER BY id DESC LIMIT 1"
    )
    assert before == 0 and audit["actor"] == "tester" and audit["rows"] == 1
    detail = json.loads(audit["detail"])
    assert detail["conditions"] == ["hypertension"] and p["name"] not in audit["detail"]
    # Asked once: nothing left to offer.
    assert chronic.proposal(store, visit_id) is None


def test_a_cancelled_day_puts_nothing_on_record(visit, finish_visit, conditions_on_record):
    store, day, vol, visit_id, p = visit
    finish_visit(store, day, vol, visit_id, ["hypertension"])
    store.conn.execute("UPDATE clinic_days SET status = 'cancelled' WHERE id = ?", [day["id"]])
    assert chronic.proposal(store, visit_id) is None
    assert conditions_on_record(store, p["id"]) == set()


def test_ctrl_t_closes_a_visit_holding_a_consult_as_ctrl_d_does(
    visit, finish_visit, now, desk_user, conditions_on_record
):
    """The queue's Ctrl+T on a visit with a doctor whose form holds a consult: the
    draft ends and the conditions assessed are offered, as Ctrl+D on the form would."""
    store, day, vol, visit_id, p = visit
    finish_visit(store, day, vol, visit_id, ["hypertension"], finish=False)
    assert desk.visit(store, visit_id)["state"] == "with_doctor"  # a reading calls the person in

    moved = desk.advance_state(store, day, visit_id, vol, now, by=desk_user)

    assert moved.state == "done" and moved.closed is not None
    closed = desk.visit(store, visit_id)
    assert closed["state"] == "done" and closed["draft"] == 0 and closed["done_at"]
    assert moved.closed.name == p["name"] and moved.closed.sheet_problem is None
    assert moved.closed.proposal is not None
    assert moved.closed.proposal.codes == ("hypertension",)
    assert conditions_on_record(store, p["id"]) == set()  # asked, not yet answered


def test_ctrl_t_leaves_a_visit_with_a_wrong_value_open_and_says_why(visit, now, desk_user):
    from clinic.core.errors import InputError

    store, day, vol, visit_id, p = visit
    form = desk.VisitForm(values={"bp": "150/95", "pulse": "abc"})
    desk.save_visit(store, day, visit_id, form, now, vol, by=desk_user)

    with pytest.raises(InputError) as raised:
        desk.advance_state(store, day, visit_id, vol, now, by=desk_user)

    assert p["name"] in raised.value.message and "Ctrl+O" in raised.value.message
    still = desk.visit(store, visit_id)
    assert still["state"] == "with_doctor" and still["draft"] == 1


def test_a_clerk_cannot_close_a_consult_from_the_queue(visit, finish_visit, now):
    from clinic.core.errors import SignInError
    from clinic.core.users import User

    store, day, vol, visit_id, p = visit
    finish_visit(store, day, vol, visit_id, ["hypertension"], finish=False)
    clerk = User(9, "clerk", frozenset({"clerk"}), volunteer_id=vol)

    with pytest.raises(SignInError) as raised:
        desk.advance_state(store, day, visit_id, vol, now, by=clerk)

    assert p["name"] in raised.value.message
    assert desk.visit(store, visit_id)["state"] == "with_doctor"
