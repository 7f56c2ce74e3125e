"""The desk keeps one visit form and fills it anew at each Ctrl+O (issue 12, point 3):
nothing of one person may show, or be saved, in the next person's form.

Each test opens the form for a person A, leaves it in some state, then opens it
for a person B on the same desk and checks that the form is the same screen
(reused: otherwise these tests would prove nothing) and shows B as a new form
would: B's values (empty for a first visit), no ticks, no messages beside the
fields, B's name in the title, banner and panel, the cursor in the first field.
Speed is measured in bench/bench_desk.py, never here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from textual.widgets import DataTable, Input, SelectionList, Static

from clinic.ui.desk.visit import FIELDS

SIZE = (120, 36)


@contextmanager
def lock_held(path) -> Iterator[None]:
    """Another desk holds the write lock until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _check_in_and_open(keys, app, name: str):
    """Search ``name``, check them in (Enter), open their visit form (Ctrl+O)."""
    await keys.press("escape")  # the search box emptied, focused
    await keys.type(name)
    await keys.press("enter", "ctrl+o")
    assert type(app.screen).__name__ == "VisitScreen"
    return app.screen


def assert_fresh_form_for(form, name: str, other: str) -> None:
    """The form shows ``name``'s first visit as a new form would, and nothing of ``other``."""
    for fid, _label, _placeholder in FIELDS:
        field = form.query_one(f"#{fid}", Input)
        assert field.value == "", fid
        assert field.cursor_position == 0 and field.selection.is_empty, fid
        assert not field.has_class("-invalid"), fid
        box = form.query_one(f"#{fid}-error", Static)
        assert not box.has_class("-shown") and str(box.render()) == "", fid
    conditions = form.query_one("#conditions", SelectionList)
    assert list(conditions.selected) == [] and not conditions.disabled
    assert "Done at" not in _text(form, "#visit-title")
    assert not form.locked and not form.flags and not form._clashes
    assert form.focused is form.query_one("#bp", Input)
    assert list(form.query(".-current")) == [form.query_one("#bp").parent.query_one(".field-label")]
    assert form.title == f"Visit: {name}"
    for selector in ("#visit-title", "#person"):
        assert name in _text(form, selector) and other not in _text(form, selector)
    assert "No flags" in _text(form, "#flags")
    history = form.query_one("#history", DataTable)
    assert history.row_count == max(1, len(form.ctx["history"]))  # B's visits only
    assert form.ctx["person"]["name"] == name
    assert "No health prescription yet" in _text(form, "#handouts")
    assert form.query_one("#visit-form").scroll_offset.y == 0


async def test_next_person_after_a_visit_done_gets_an_empty_form(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    """A: vitals typed at speed, a handout given, Ctrl+D. B: the same form, B's and empty."""
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        form = await _check_in_and_open(keys, app, a["name"])
        await keys.type("190/95" + "12.5" + "88")  # urgent BP, high glucose, pulse
        assert form.query_one("#pulse", Input).value == "88"
        assert form.query_one("#follow_up_due", Input).value  # proposed for the flags
        assert form.flags
        await keys.press("ctrl+r", "enter")  # a health prescription handed out
        await keys.press("ctrl+d")
        assert type(app.screen).__name__ == "DeskScreen"
        again = await _check_in_and_open(keys, app, a["name"])  # A's visit, done: locked
        assert again is form and form.locked and "Done at" in _text(form, "#visit-title")
        assert form.query_one("#conditions", SelectionList).disabled
        await keys.press("escape")
        b = a_person(consent=True, not_on_day=today_day["id"])
        assert b["id"] != a["id"]
        again = await _check_in_and_open(keys, app, b["name"])
        assert again is form  # the desk's one form, reused
        assert_fresh_form_for(again, b["name"], a["name"])
        await keys.type("120/80")  # B's reading is B's, A's visit keeps A's
        await keys.press("escape")
    rows = {
        r["person_id"]: r
        for r in demo_store.query(
            "SELECT person_id, sbp, state FROM visits WHERE clinic_day_id = ?",
            [today_day["id"]],
        )
    }
    assert rows[a["id"]]["sbp"] == 190 and rows[a["id"]]["state"] == "done"
    assert rows[b["id"]]["state"] != "done"


async def test_next_person_after_leaving_with_a_wrong_value_gets_no_message(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    """A: a wrong reading (its message shown), a refused Ctrl+D, a condition ticked,
    Esc. B: no message, no tick, no red box. A again: A's draft, as left."""
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        form = await _check_in_and_open(keys, app, a["name"])
        await keys.type("1500/95")
        await keys.press("ctrl+d")  # refused: the message beside the field
        assert form.query_one("#bp-error", Static).has_class("-shown")
        form.query_one("#conditions", SelectionList).focus()
        await keys.press("space")  # the first condition ticked
        ticked = list(form.query_one("#conditions", SelectionList).selected)
        assert len(ticked) == 1
        form.query_one("#notes", Input).focus()
        await keys.type("A's note")
        await keys.press("escape")  # back, the draft kept
        b = a_person(consent=True, not_on_day=today_day["id"])
        again = await _check_in_and_open(keys, app, b["name"])
        assert again is form
        assert_fresh_form_for(again, b["name"], a["name"])
        await keys.press("escape")
        await keys.press("escape")
        again = await _check_in_and_open(keys, app, a["name"])  # A is checked in already
        assert again is form
        assert form.query_one("#bp", Input).value == "1500/95"
        assert form.query_one("#notes", Input).value == "A's note"
        assert list(form.query_one("#conditions", SelectionList).selected) == ticked
        assert "systolic" in _text(form, "#bp-error")
        assert a["name"] in _text(form, "#visit-title")
    draft = demo_store.one(
        "SELECT draft_form FROM visits WHERE clinic_day_id = ? AND person_id = ?",
        [today_day["id"], b["id"]],
    )
    assert draft["draft_form"] is None or json.loads(draft["draft_form"])["values"].get(
        "notes", ""
    ) in ("", None)


async def test_a_message_refused_at_done_goes_when_the_value_is_corrected(
    demo_path, today_day, a_person, make_app, open_desk
):
    """Ctrl+D refused writes beside the field and selects its value; the value typed over
    it takes the message away (the form forgot what it had shown, and kept the old
    sentence beside a correct glucose)."""
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        form = await _check_in_and_open(keys, app, a["name"])
        form.query_one("#glucose", Input).focus()
        await keys.type("99")
        form.query_one("#complaint", Input).focus()
        await keys.press("ctrl+d")  # refused: the message beside glucose, its value selected
        box = form.query_one("#glucose-error", Static)
        assert box.has_class("-shown") and form.focused.id == "glucose"
        await keys.type("6")
        assert form.query_one("#glucose", Input).value == "6"
        assert not box.has_class("-shown") and str(box.render()) == ""
        assert not form.query_one("#glucose", Input).has_class("-invalid")


async def test_a_form_reused_after_the_terminal_shrank_takes_the_narrow_layout(
    demo_path, today_day, a_person, make_app, open_desk
):
    """The kept form was off the stack while the terminal shrank: it opens with the
    breakpoint classes and layout of the size it opens at."""
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        form = await _check_in_and_open(keys, app, a["name"])
        assert not form.has_class("-narrow")
        await keys.press("escape")
        await pilot.resize_terminal(80, 24)
        await keys.press("escape")
        b = a_person(consent=True, not_on_day=today_day["id"])
        again = await _check_in_and_open(keys, app, b["name"])
        assert again is form and form.has_class("-narrow")
        assert (
            form.query_one("#visit-side").outer_size.width == 30
        )  # the narrow side panel (desk.tcss)


async def test_a_form_whose_draft_is_not_written_yet_is_not_reused(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    """Another desk holds the write lock: A's last draft waits on the writer after Esc.
    B's Ctrl+O then gets a new form (A's is left to finish as a closed form would),
    and A's draft is written once the lock goes, with A's values only."""
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await _check_in_and_open(keys, app, a["name"])
        await keys.press("escape")
        b = a_person(consent=True, not_on_day=today_day["id"])
        await keys.press("escape")
        await keys.type(b["name"])
        await keys.press("enter")  # B checked in too
        form = await _check_in_and_open(keys, app, a["name"])
        with lock_held(demo_path):
            await pilot.press(*"150/95", "escape")  # A's draft waits for the lock
            await pilot.pause()
            assert type(app.screen).__name__ == "DeskScreen" and not form.idle
            await pilot.press("escape", *b["name"])
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("ctrl+o")
            await pilot.pause()
            other = app.screen
            assert type(other).__name__ == "VisitScreen" and other is not form
            assert_fresh_form_for(other, b["name"], a["name"])
            assert not app.is_screen_installed(form)
        await keys.press("escape")
        assert form.idle  # written at last
        again = await _check_in_and_open(keys, app, a["name"])
        assert again is other  # the desk's form now
        assert again.query_one("#bp", Input).value == "150/95"
    sbp = "SELECT sbp FROM visits WHERE clinic_day_id = ? AND person_id = ?"
    assert demo_store.scalar(sbp, [today_day["id"], a["id"]]) == 150
    assert demo_store.scalar(sbp, [today_day["id"], b["id"]]) is None


async def test_a_form_reused_after_a_theme_change_takes_the_new_theme(
    demo_path, today_day, a_person, make_app, open_desk
):
    """Textual restyles only the screens on the stack when the theme changes: the kept
    form, off it meanwhile, is restyled as it opens (and only then)."""
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        form = await _check_in_and_open(keys, app, a["name"])
        await keys.press("escape")
        desk = app.screen
        before = form.styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.pause()
        assert desk.styles.background != before  # the theme did change the screens' colour
        b = a_person(consent=True, not_on_day=today_day["id"])
        again = await _check_in_and_open(keys, app, b["name"])
        assert again is form and form.styles.background == desk.styles.background


async def test_who_may_write_follows_the_user_signed_in_at_each_opening(
    demo_path, today_day, a_person, make_app, open_desk, app_user
):
    """A clinician's form, then a clerk signs in (F12): the reused form opens read only
    for the next person; the clinician back, it takes keys again."""
    clinician = app_user(demo_path, "tester")
    clerk = app_user(demo_path, "clerk1", roles=("clerk",))
    a = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path, user=clinician)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        form = await _check_in_and_open(keys, app, a["name"])
        await keys.type("150/95")
        await keys.press("escape")
        app.signed_in(clerk)  # as the sign-in screen does after the clerk's PIN
        b = a_person(consent=True, not_on_day=today_day["id"])
        again = await _check_in_and_open(keys, app, b["name"])
        assert again is form and form.read_only
        assert "a clinician (doctor or nurse) signs in" in _text(form, "#visit-title")
        assert all(field.disabled for field in form.query(Input)) and form.focused is None
        assert form.query_one("#bp", Input).value == ""
        writing = {"ctrl+r", "ctrl+s", "ctrl+g"}  # offered only to who may write
        assert not writing & set(form.active_bindings)
        await keys.press("ctrl+r", "ctrl+s")  # not bound here: nothing happens
        assert app.screen is form and form.query_one("#bp", Input).value == ""
        await keys.press("escape")
        app.signed_in(clinician)
        again = await _check_in_and_open(keys, app, b["name"])
        assert again is form and not form.read_only
        assert "signs in" not in _text(form, "#visit-title")
        assert not any(field.disabled for field in form.query(Input))
        assert form.focused is form.query_one("#bp", Input)
        assert writing <= set(form.active_bindings)


async def test_a_prescription_is_given_by_the_user_signed_in_over_the_desk(
    demo_path, demo_store, today_day, day_volunteer, a_person, make_app, open_desk, app_user
):
    """The visit form opened by one user, another (a doctor linked to a volunteer) signs
    in over it (F12): the health prescription handed out is the doctor's, as the visit
    is (it was the desk's volunteer's, who was then credited with it at the day's end)."""
    doctor = demo_store.scalar(
        "SELECT id FROM volunteers WHERE id != ? ORDER BY id LIMIT 1", [day_volunteer]
    )
    opener = app_user(demo_path, "tester")
    signed_in = app_user(demo_path, "doctor1", volunteer_id=doctor)
    person = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path, user=opener)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await _check_in_and_open(keys, app, person["name"])
        app.signed_in(signed_in)  # over the open form, as the sign-in screen does (F12)
        await keys.type("150/95")
        await keys.press("ctrl+r")
        assert type(app.screen).__name__ == "HandoutDialog"
        await keys.press("enter")
    given = demo_store.query(
        "SELECT h.given_by, v.seen_by FROM handouts h JOIN visits v ON v.id = h.visit_id "
        "WHERE v.person_id = ? AND v.clinic_day_id = ?",
        [person["id"], today_day["id"]],
    )
    assert given and all(row == {"given_by": doctor, "seen_by": doctor} for row in given)
