"""Visits: drafts never lost, finishing refuses wrong values, handouts, stock, sheets."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core import desk
from clinic.core import vitals as V
from clinic.core.desk import handouts, sheets, visits, walk_ins
from clinic.core.errors import FormError, InputError


@pytest.fixture
def visit(demo_store, today_day, day_volunteer, a_person, now):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=True, not_on_day=day["id"])
    visit_id, _ = desk.check_in(demo_store, day, p["id"], vol, now)
    return demo_store, day, vol, visit_id


def test_draft_keeps_everything_typed_even_a_wrong_value(visit, now, desk_user):
    store, day, vol, visit_id = visit
    form = desk.VisitForm(
        values={"bp": "150/95", "glucose": "110", "complaint": "头晕"},
        fasting=True,
        conditions=["hypertension"],
    )
    result = desk.save_visit(store, day, visit_id, form, now, vol, by=desk_user)
    assert set(result.problems) == {"glucose"}
    row = store.one("SELECT * FROM visits WHERE id = ?", [visit_id])
    assert (row["sbp"], row["dbp"], row["glucose"], row["draft"], row["complaint"]) == (
        150,
        95,
        None,
        1,
        "头晕",
    )
    assert row["state"] == "with_doctor" and row["seen_by"] == vol
    assert row["flags"] == "bp_raised"
    again = desk.load_visit_form(store, visit_id)
    assert (
        again.values["glucose"] == "110" and again.fasting and again.conditions == ["hypertension"]
    )


def test_finish_refuses_a_wrong_value_and_keeps_the_draft(visit, now, desk_user):
    store, day, vol, visit_id = visit
    form = desk.VisitForm(values={"bp": "1500/95"})
    with pytest.raises(FormError) as info:
        desk.save_visit(store, day, visit_id, form, now, vol, finish=True, by=desk_user)
    assert set(info.value.problems) == {"bp"}
    assert store.scalar("SELECT draft FROM visits WHERE id = ?", [visit_id]) == 1
    form.values["bp"] = "150/95"
    form.values["follow_up_due"] = "3m"
    desk.save_visit(store, day, visit_id, form, now, vol, finish=True, by=desk_user)
    row = store.one(
        "SELECT state, draft, follow_up_due, done_at FROM visits WHERE id = ?", [visit_id]
    )
    assert row == {
        "state": "done",
        "draft": 0,
        "follow_up_due": "2027-02-24",
        "done_at": "2026-11-24 09:30:00",
    }


def test_follow_up_must_be_after_the_visit(visit, now, desk_user):
    store, day, vol, visit_id = visit
    result = desk.save_visit(
        store,
        day,
        visit_id,
        desk.VisitForm(values={"follow_up_due": "2026-01-01"}),
        now,
        vol,
        by=desk_user,
    )
    assert "follow_up_due" in result.problems


def test_suggestions_from_flags_and_conditions(demo_store):
    templates = handouts.templates(demo_store)
    assert handouts.suggest(templates, [], V.flags_for(150, 95, None, None))[:1] == ["hypertension"]
    assert handouts.suggest(templates, [], V.flags_for(None, None, 12.0, False)) == ["diabetes"]
    assert handouts.suggest(templates, ["copd"], [], ["stroke"]) == ["copd", "stroke"]


def test_a_hand_out_is_given_by_the_user_signed_in_over_the_desk(visit, now):
    """Another user signed in over the desk (F12): the health prescription is theirs, as
    the visit's "seen by" is, not the desk's volunteer's (a coordinator at the desk was
    credited with a doctor's prescriptions in the end-of-day summary)."""
    from clinic.core.users import ROLES, User

    store, day, vol, visit_id = visit
    doctor = store.scalar("SELECT id FROM volunteers WHERE id != ? ORDER BY id LIMIT 1", [vol])
    signed_in = User(0, "doctor", frozenset(ROLES), doctor)
    tpl = next(t for t in handouts.templates(store) if t.code == "hypertension")
    pick = [handouts.Pick(tpl.id, tpl.default_ticks())]
    (theirs,) = handouts.hand_out(store, day, visit_id, pick, vol, now, by=signed_in)
    unlinked = User(0, "clerk", frozenset(ROLES), None)
    (desks,) = handouts.hand_out(store, day, visit_id, pick, vol, now, by=unlinked)
    given = {r["id"]: r["given_by"] for r in store.query("SELECT id, given_by FROM handouts")}
    assert (given[theirs], given[desks]) == (doctor, vol)


def test_hand_out_records_template_version_ticks_who_and_when(visit, tmp_path, now, desk_user):
    store, day, vol, visit_id = visit
    desk.save_visit(
        store,
        day,
        visit_id,
        desk.VisitForm(
            values={"bp": "150/95", "follow_up_due": "30d"}, conditions=["hypertension"]
        ),
        now,
        vol,
        by=desk_user,
    )
    tpl = next(t for t in handouts.templates(store) if t.code == "hypertension")
    ticks = tpl.default_ticks()[:2] + ["no-such-item"]
    (handout_id,) = handouts.hand_out(
        store, day, visit_id, [handouts.Pick(tpl.id, ticks)], vol, now
    )
    row = store.one("SELECT * FROM handouts WHERE id = ?", [handout_id])
    assert json.loads(row["ticked"]) == tpl.default_ticks()[:2]
    assert (row["template_id"], row["given_by"], row["given_at"]) == (
        tpl.id,
        vol,
        "2026-11-24 09:30:00",
    )
    sheet = sheets.build_sheet(store, visit_id, [handout_id])
    html_path, text_path = sheets.save_sheet(sheet, tmp_path, visit_id)
    html = html_path.read_text(encoding="utf-8")
    # In the person's language (a Chinese name: Chinese), whatever the interface's.
    zh = next(t for t in handouts.templates(store, "zh") if t.code == "hypertension")
    assert "size: A5" in html and "150/95" in html and zh.sections[0].items[0].text in html
    text = text_path.read_text(encoding="utf-8")
    assert sheet.name in text and sheet.follow_up in text and "[x]" in text


def test_hand_out_refusals(visit, now):
    store, day, vol, visit_id = visit
    tpl = handouts.templates(store)[0]
    with pytest.raises(InputError):
        handouts.hand_out(store, day, visit_id, [], vol, now)
    with pytest.raises(InputError):
        handouts.hand_out(store, day, visit_id, [handouts.Pick(tpl.id, [])], vol, now)


def test_stock_counts_down_and_warns(visit, now):
    store, day, vol, visit_id = visit
    tpl = next(t for t in handouts.templates(store) if t.code == "diabetes")
    handouts.set_stock(store, day["id"], "diabetes", 6)
    before = next(s for s in handouts.stock(store, day["id"]) if s.code == "diabetes")
    handouts.hand_out(store, day, visit_id, [handouts.Pick(tpl.id, tpl.default_ticks())], vol, now)
    after = next(s for s in handouts.stock(store, day["id"]) if s.code == "diabetes")
    assert after.left == before.left - 1
    assert after.low
    assert any("left" in w for w in handouts.low_stock_warnings(store, day["id"], ["diabetes"]))
    with pytest.raises(InputError):
        handouts.set_stock(store, day["id"], "diabetes", "many")


def test_follow_up_delays_and_the_proposed_default():
    assert visits._parse_follow_up("3m", "2026-11-30") == "2027-02-28"
    assert visits._parse_follow_up("4w", "2026-11-24") == "2026-12-22"
    assert visits._parse_follow_up("30天", "2026-11-24") == "2026-12-24"
    assert visits._parse_follow_up("2026/12/24", "2026-11-24") == "2026-12-24"
    assert desk.default_follow_up(V.flags_for(150, 90, None, None), []) == "3m"
    assert desk.default_follow_up([], ["diabetes"]) == "3m"
    assert desk.default_follow_up([], ["oral"]) is None


@given(st.integers(0, 120))
def test_an_age_gives_a_birth_year(today, age):
    born = walk_ins._parse_birth(str(age), today)
    assert desk.age_on(born, today) in (age - 1, age)


@given(st.text(max_size=15))
def test_birth_and_follow_up_parsers_refuse_in_words_or_answer(today, text):
    for parse in (
        lambda t: walk_ins._parse_birth(t, today),
        lambda t: visits._parse_follow_up(t, today.isoformat()),
    ):
        try:
            value = parse(text)
        except InputError as exc:
            assert exc.message
        else:
            assert value is None or len(value) == 10


@given(st.integers(1, 400), st.sampled_from(["d", "w", "m", "天", "周", "月"]))
def test_a_delay_is_always_after_the_visit(n, unit):
    assert visits._parse_follow_up(f"{n}{unit}", "2026-01-31") > "2026-01-31"


def test_a_low_glucose_is_not_diabetes(demo_store):
    """A random 2.9 with no diabetes on record picked the diabetes sheet ("eat less sugar")."""
    templates = handouts.templates(demo_store)
    low = V.flags_for(None, None, 2.9, False)
    assert [f.code for f in low] == ["glucose_low"]
    assert handouts.suggest(templates, [], low) == []
    assert handouts.suggest(templates, [], low, ["diabetes"]) == ["diabetes"]  # on record: offered
    assert handouts.suggest(templates, [], V.flags_for(None, None, 12.5, False)) == ["diabetes"]


def test_only_a_clinician_records_vitals_and_consults(visit, now):
    from clinic.core.errors import SignInError
    from clinic.core.users import User

    store, day, vol, visit_id = visit
    before = store.one("SELECT * FROM visits WHERE id = ?", [visit_id])
    form = desk.VisitForm(values={"bp": "150/95", "complaint": "头晕"})
    for roles in ({"clerk"}, {"pharmacist"}, {"coordinator"}):
        with pytest.raises(SignInError, match="only a clinician"):
            desk.save_visit(store, day, visit_id, form, now, vol, by=User(9, "x", frozenset(roles)))
    assert store.one("SELECT * FROM visits WHERE id = ?", [visit_id]) == before


def test_the_visit_is_seen_by_the_signed_in_clinicians_own_volunteer(visit, now, demo_store):
    from clinic.core.users import User

    store, day, vol, visit_id = visit
    other = demo_store.scalar("SELECT id FROM volunteers WHERE id != ? ORDER BY id LIMIT 1", [vol])
    doctor = User(9, "dr", frozenset({"clinician"}), volunteer_id=other)
    # The desk says `vol` is there; the doctor signed in is someone else, and is recorded.
    desk.save_visit(
        store, day, visit_id, desk.VisitForm(values={"bp": "150/95"}), now, vol, by=doctor
    )
    assert desk.visit(store, visit_id)["seen_by"] == other


def test_a_clerk_moves_the_queue_but_is_never_the_one_who_saw_the_person(visit, now):
    from clinic.core.users import User

    store, day, vol, visit_id = visit
    clerk = User(9, "clerk", frozenset({"clerk"}), volunteer_id=vol)
    assert desk.advance_state(store, day, visit_id, vol, now, by=clerk).state == "with_doctor"
    called = desk.visit(store, visit_id)
    assert called["state"] == "with_doctor" and called["seen_by"] is None
