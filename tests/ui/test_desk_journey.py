"""The desk driven by keys as a volunteer would: the whole journey, and every refusal.

The journey test counts the key presses for a registered person (find, check
in, blood pressure, glucose, one prescription, done), not counting the
characters of the values typed; docs/desk.md reports the number.
"""

from __future__ import annotations

import json

import pytest

from clinic.i18n import set_language

SIZE = (120, 40)
JOURNEY_KEYS = 5  # the number reported in docs/desk.md


async def test_whole_journey_by_keys(
    demo_path, demo_store, today_day, a_person, today, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        volunteer = app.screen.volunteer_id
        await keys.type(p["name"])
        assert app.screen.hits[0].id == p["id"]
        await keys.press("enter")  # check in
        await keys.press("ctrl+o")  # the visit form of the person just checked in
        assert type(app.screen).__name__ == "VisitScreen"
        await keys.type("150/95")  # complete: the form moves on to glucose by itself
        await keys.type("6.2")  # and on to pulse
        flags = str(app.screen.query_one("#flags").render())
        assert "raised" in flags
        await keys.press("ctrl+r")  # prescriptions: hypertension suggested and picked
        assert type(app.screen).__name__ == "HandoutDialog"
        assert app.screen.picked == {"hypertension"}
        await keys.press("enter")  # hand out, sheet saved
        await keys.press("ctrl+d")  # done
        assert type(app.screen).__name__ == "DeskScreen"
        assert keys.count == JOURNEY_KEYS
        await keys.type(p["name"])  # found again: marked as checked in today
        assert "✓" in str(
            app.screen.query_one("#results").get_row_at(0)[0]
        )  # its own narrow column
        assert "✓ checked in today" in str(app.screen.query_one("#search-status").render())
    visit = demo_store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], p["id"]]
    )
    assert (visit["sbp"], visit["dbp"], visit["glucose"], visit["glucose_fasting"]) == (
        150,
        95,
        6.2,
        0,
    )
    assert (visit["state"], visit["draft"], visit["flags"]) == ("done", 0, "bp_raised")
    assert visit["follow_up_due"] == "2027-02-24"  # proposed: 3 months for raised blood pressure
    assert visit["checked_in_by"] == volunteer and visit["seen_by"] == volunteer
    handouts = demo_store.query(
        """SELECT t.code, h.ticked, h.given_by FROM handouts h
                                   JOIN prescription_templates t ON t.id = h.template_id WHERE h.visit_id = ?""",
        [visit["id"]],
    )
    assert [h["code"] for h in handouts] == ["hypertension"]
    assert json.loads(handouts[0]["ticked"]) and handouts[0]["given_by"] == volunteer
    sheets = list((demo_path.parent / "sheets" / today.isoformat()).glob("*.html"))
    html = sheets[0].read_text(encoding="utf-8")
    assert p["name"] in html and "2027-02-24" in html  # saved again when done, with the follow-up


async def test_no_consent_no_check_in(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=False, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter")
        assert type(app.screen).__name__ == "ConsentDialog"
        await keys.press("escape")  # the person does not consent
        assert type(app.screen).__name__ == "DeskScreen"
        assert (
            demo_store.scalar(
                "SELECT COUNT(*) FROM visits WHERE person_id = ? AND clinic_day_id = ?",
                [p["id"], day["id"]],
            )
            == 0
        )
        await keys.press("enter")  # the name is still in the box: try again
        await keys.press("enter")  # consent given by the person, explained by the desk volunteer
        assert type(app.screen).__name__ == "DeskScreen"
    consent = demo_store.one(
        "SELECT signed_by, explained_by FROM consents WHERE person_id = ?", [p["id"]]
    )
    assert consent["signed_by"] == "self" and consent["explained_by"]
    assert (
        demo_store.scalar(
            "SELECT COUNT(*) FROM visits WHERE person_id = ? AND clinic_day_id = ?",
            [p["id"], day["id"]],
        )
        == 1
    )


async def test_bad_vitals_are_refused_and_the_draft_kept(
    demo_path, demo_store, today_day, a_person, make_app, open_visit_form
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("1500/95")
        assert "systolic" in str(app.screen.query_one("#bp-error").render())
        await keys.press("enter")
        await keys.type("5.5")
        await keys.press("ctrl+d")  # refused: the screen stays, the form is kept
        assert type(app.screen).__name__ == "VisitScreen"
        assert app.focused.id == "bp"  # the refusal took the cursor to the wrong value
        app.screen.query_one("#weight_kg").focus()
        await keys.type("60")
        await keys.press("enter")
        await keys.type("160")  # height
        assert "BMI 23.4" in str(app.screen.query_one("#flags").render())
        await keys.press("escape")  # back to the desk; the draft is saved
    visit = demo_store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], p["id"]]
    )
    assert visit["draft"] == 1 and visit["sbp"] is None and visit["glucose"] == 5.5
    assert json.loads(visit["draft_form"])["values"]["bp"] == "1500/95"


async def test_tab_skips_empty_results(demo_path, demo_store, make_app, open_desk):
    """Tab from the search box went to the results table while it was empty (a second Tab
    reached the queue); it goes there only when a search found somebody."""
    person = demo_store.one("SELECT name FROM persons ORDER BY id LIMIT 1")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        results = app.screen.query_one("#results")
        assert app.focused.id == "search"
        await keys.press("tab")
        assert app.focused is not results and app.focused.id == "queue"
        await keys.press("shift+tab")
        await keys.type(person["name"])
        await pilot.pause()
        assert app.screen.hits
        await keys.press("tab")
        assert app.focused is results


async def test_walk_in_esc_asks_before_the_typing_is_lost(demo_path, make_app, open_desk):
    """Ctrl+N, a name typed, Esc: the walk-in form closed and the typing was lost. Now it
    asks; n goes back to the form as typed, y closes it."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        form = app.screen
        await keys.type("新来的人")
        await keys.press("escape")
        assert type(app.screen).__name__ == "ConfirmDialog"
        await keys.press("n")
        assert app.screen is form and form.query_one("#name").value == "新来的人"
        await keys.press("escape", "y")
        assert type(app.screen).__name__ == "DeskScreen"


async def test_walk_in_wrong_field_is_mended_not_wiped(demo_path, make_app, open_desk):
    """After Ctrl+S a wrong field had the focus with all its text selected: one Backspace
    wiped it. Now the cursor is at its end, and its message says what is wrong."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        await keys.type("新来的人")
        await keys.press("enter")
        await keys.type("F")
        await keys.press("enter")
        await keys.type("2023-02-30")
        await keys.press("ctrl+s")
        birth = app.screen.query_one("#birth")
        assert app.focused is birth
        assert "2023-02-30 is not a real date." in str(app.screen.query_one("#error").render())
        await keys.press("backspace")
        assert birth.value == "2023-02-3"


async def test_walk_in_with_duplicate_warning(demo_path, demo_store, make_app, open_desk):
    existing = demo_store.one(
        "SELECT name, birth_date, village_id FROM persons WHERE birth_date IS NOT NULL LIMIT 1"
    )
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        assert type(app.screen).__name__ == "WalkInForm"
        await keys.type(existing["name"])
        await keys.press("enter")
        await keys.type("F")
        await keys.press("enter")
        await keys.type(existing["birth_date"])
        app.screen.query_one("#village").value = existing["village_id"]
        await keys.press("ctrl+s")
        error = str(app.screen.query_one("#error").render())
        assert "look like" in error
        before = demo_store.scalar("SELECT COUNT(*) FROM persons")
        await keys.press("ctrl+s")  # a new person after all: consent first, nothing written yet
        assert type(app.screen).__name__ == "ConsentDialog"
        assert demo_store.scalar("SELECT COUNT(*) FROM persons") == before
        await keys.press("enter")
        assert type(app.screen).__name__ == "DeskScreen"
        assert demo_store.scalar("SELECT COUNT(*) FROM persons") == before + 1
    assert (
        demo_store.scalar(
            "SELECT COUNT(*) FROM visits v JOIN persons p ON p.id = v.person_id WHERE p.walk_in = 1"
        )
        == 1
    )


async def test_another_desk_sees_the_queue_change(
    demo_path, demo_store, today_day, a_person, day_volunteer, make_app, open_desk
):
    from clinic.core import desk

    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_desk(app, pilot)
        screen = app.screen
        rows_before = screen.query_one("#queue").row_count
        # Another laptop's desk (another connection) checks someone in.
        desk.check_in(demo_store, day, p["id"], day_volunteer, app.now())
        screen.poll_queue()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#queue").row_count == rows_before + 1
        await pilot.press("ctrl+t")  # call the highlighted person in
        await pilot.pause()
        states = {
            r["state"]
            for r in demo_store.query(
                "SELECT state FROM visits WHERE clinic_day_id = ?", [day["id"]]
            )
        }
        assert "with_doctor" in states


async def ctrl_t_on(app, pilot, keys, visit_id: int) -> None:
    """Ctrl+T on the queue's row of ``visit_id``, its write waited for."""
    app.screen.refresh_queue(select=visit_id)
    await pilot.pause()
    app.screen.query_one("#queue").focus()
    await keys.press("ctrl+t")
    await app.flush_writes()
    await pilot.pause()


async def answer(app, pilot, keys, key: str) -> None:
    """A question's answer (y or n), its write waited for."""
    await keys.press(key)
    await app.flush_writes()
    await pilot.pause()


async def test_ctrl_t_on_a_consult_closes_it_and_asks_about_its_conditions(
    demo_path, demo_store, today_day, a_person, day_volunteer, desk_user, now, make_app, open_desk
):
    """Ctrl+T moving a visit whose form holds a consult to done closes it as Ctrl+D on the
    form does: "visit done", then the question about the conditions it assessed."""
    from clinic.core import desk

    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    with demo_store.transaction():
        demo_store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [p["id"]])
    visit_id, _new = desk.check_in(demo_store, day, p["id"], day_volunteer, now)
    form = desk.VisitForm(values={"bp": "150/95"}, conditions=["hypertension"])
    desk.save_visit(demo_store, day, visit_id, form, now, day_volunteer, by=desk_user)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await ctrl_t_on(app, pilot, keys, visit_id)
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert p["name"] in str(app.screen.query_one("#confirm-question").render())
        await answer(app, pilot, keys, "y")  # Add to record
        assert type(app.screen).__name__ == "DeskScreen"
    done = demo_store.one("SELECT state, draft FROM visits WHERE id = ?", [visit_id])
    assert done == {"state": "done", "draft": 0}
    on_record = demo_store.query(
        "SELECT condition_code FROM person_conditions WHERE person_id = ?", [p["id"]]
    )
    assert on_record == [{"condition_code": "hypertension"}]


async def test_ctrl_t_asks_before_a_finished_visit_goes_back_to_waiting(
    demo_path, demo_store, today_day, a_person, day_volunteer, desk_user, now, make_app, open_desk
):
    """Ctrl+T on a finished visit put it back to waiting at once: its form then opened
    without the "done: ask before changing" guard, and its readings were typed over."""
    from clinic.core import desk

    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, p["id"], day_volunteer, now)
    form = desk.VisitForm(values={"bp": "160/100"})
    desk.save_visit(demo_store, day, visit_id, form, now, day_volunteer, by=desk_user, finish=True)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await ctrl_t_on(app, pilot, keys, visit_id)
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert p["name"] in str(app.screen.query_one("#confirm-question").render())
        await answer(app, pilot, keys, "n")  # leave it done
        assert demo_store.scalar("SELECT state FROM visits WHERE id = ?", [visit_id]) == "done"
        await ctrl_t_on(app, pilot, keys, visit_id)
        await answer(app, pilot, keys, "y")  # back to waiting
    back = demo_store.one("SELECT state, sbp, dbp FROM visits WHERE id = ?", [visit_id])
    assert back == {"state": "waiting", "sbp": 160, "dbp": 100}


async def test_stock_and_summary_screens(demo_path, demo_store, today_day, make_app, open_desk):
    day = today_day
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f10")
        assert type(app.screen).__name__ == "StockDialog"
        await keys.type("40")
        await keys.press("ctrl+s")
        await keys.press("f9")
        assert type(app.screen).__name__ == "SummaryScreen"
        assert "Clinic day" in str(app.screen.query_one("#summary").render())
        await keys.press("escape")
        assert type(app.screen).__name__ == "DeskScreen"
    assert (
        demo_store.scalar(
            "SELECT brought FROM day_stock WHERE clinic_day_id = ? AND template_code = 'hypertension'",
            [day["id"]],
        )
        == 40
    )


async def test_esc_on_typed_stock_counts_asks_first(
    demo_path, demo_store, today_day, make_app, open_desk
):
    """F10, "25", Esc: the count was thrown away without a word (the forms ask)."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f10")
        await keys.type("25")
        await keys.press("escape")
        assert type(app.screen).__name__ == "ConfirmDialog"
        await keys.press("escape")  # keep editing
        assert type(app.screen).__name__ == "StockDialog"
        await keys.press("ctrl+s")
        assert type(app.screen).__name__ == "DeskScreen"
        await keys.press("f10")
        await keys.press("escape")  # nothing typed since it opened: closes at once
        assert type(app.screen).__name__ == "DeskScreen"
    brought = demo_store.scalar(
        "SELECT brought FROM day_stock WHERE clinic_day_id = ? AND template_code = 'hypertension'",
        [today_day["id"]],
    )
    assert brought == 25


async def test_past_clinic_day_entry(
    demo_path, demo_store, a_person, today, make_app, counted_keys
):
    app = make_app(demo_path)
    past = demo_store.one(
        "SELECT id, date FROM clinic_days WHERE date < ? ORDER BY date DESC LIMIT 1",
        [today.isoformat()],
    )
    p = a_person(consent=True, not_on_day=past["id"])
    async with app.run_test(size=SIZE) as pilot:
        keys = counted_keys(app, pilot)
        await keys.press("f4")
        box = app.screen.query_one("#days")
        index = next(
            i for i in range(box.option_count) if box.get_option_at_index(i).id == str(past["id"])
        )
        box.highlighted = index
        await keys.press("enter", "enter")
        assert "Past clinic day" in str(app.screen.query_one("#day-bar").render())
        await keys.type(p["name"])
        await keys.press("enter")
    arrived = demo_store.scalar(
        "SELECT arrived_at FROM visits WHERE clinic_day_id = ? AND person_id = ?",
        [past["id"], p["id"]],
    )
    assert arrived.startswith(past["date"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_desk_snapshot(demo_path, snap_compare, lang, make_app):
    app = make_app(demo_path, lang)
    try:
        assert snap_compare(app, terminal_size=SIZE, press=["f4", "enter", "enter", *"xqj"])
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_visit_snapshot(demo_path, demo_store, snap_compare, lang, today_day, a_person, make_app):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, lang)
    try:
        keys = ["f4", "enter", "enter", *p["name"], "enter", "ctrl+o", *"185/95", *"3.1"]
        assert snap_compare(app, terminal_size=SIZE, press=keys)
    finally:
        set_language("en")


async def test_typing_a_name_in_the_volunteer_picker_narrows_it(
    demo_path, demo_store, make_app, counted_keys
):
    name = demo_store.scalar("SELECT name FROM volunteers ORDER BY id DESC LIMIT 1")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = counted_keys(app, pilot)
        await keys.press("f4", "enter")
        assert type(app.screen).__name__ == "VolunteerPicker"
        await keys.type(name)
        await keys.press("enter")
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.volunteer_name() == name


async def test_desk_actions_in_the_command_palette(demo_path, make_app, open_desk):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+p")
        await keys.type("End of day")
        await pilot.pause(0.3)
        await keys.press("enter")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "SummaryScreen"


async def test_walk_in_clinic_day_made_at_the_desk(
    demo_path, demo_store, today, make_app, counted_keys
):
    village = demo_store.scalar("SELECT id FROM villages ORDER BY id DESC LIMIT 1")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = counted_keys(app, pilot)
        await keys.press("f4", "ctrl+n")
        assert type(app.screen).__name__ == "WalkInDay"
        app.screen.query_one("#village").value = village
        await keys.press("ctrl+s")
        assert type(app.screen).__name__ == "VolunteerPicker"
        await keys.press("enter")
        assert app.screen.day["village_id"] == village and app.screen.day["walk_in"] == 1
    row = demo_store.one(
        "SELECT date, status, walk_in FROM clinic_days WHERE village_id = ? AND walk_in = 1",
        [village],
    )
    assert row == {"date": today.isoformat(), "status": "confirmed", "walk_in": 1}


async def test_empty_database_offers_a_walk_in_day(tmp_path, make_app, counted_keys):
    from clinic.store import open_store

    store = open_store(tmp_path / "empty.db")
    township = store.db["townships"].insert({"name": "中峰镇"}).last_pk
    store.db["villages"].insert({"township_id": township, "name": "龙山村"})
    store.db["volunteers"].insert({"uid": "v1", "name": "李医生", "specialty_code": "gp"})
    store.close()
    app = make_app(tmp_path / "empty.db")
    async with app.run_test(size=SIZE) as pilot:
        keys = counted_keys(app, pilot)
        await keys.press("f4")
        assert "No clinic days yet" in str(
            app.screen.query_one("#days").get_option_at_index(0).prompt
        )
        await keys.press("enter")  # nothing to open
        assert type(app.screen).__name__ == "DayPicker"
        await keys.press("ctrl+n")
        await keys.press("ctrl+s")  # no village chosen: refused in words
        assert "village" in str(app.screen.query_one("#error").render())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_handout_snapshot(demo_path, demo_store, snap_compare, lang, today_day, a_person, make_app):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, lang)
    try:
        keys = ["f4", "enter", "enter", *p["name"], "enter", "ctrl+o", *"150/95", *"12.5"]
        assert snap_compare(app, terminal_size=SIZE, press=[*keys, "ctrl+r"])
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_snapshot(demo_path, snap_compare, lang, make_app):
    app = make_app(demo_path, lang)
    try:
        assert snap_compare(app, terminal_size=SIZE, press=["f4", "enter", "enter", "f9"])
    finally:
        set_language("en")


async def test_handout_dialog_shows_sheets_left_and_warns(
    demo_path, demo_store, today_day, a_person, make_app, open_visit_form
):
    from clinic.core.desk import handouts

    day = today_day
    handouts.set_stock(demo_store, day["id"], "hypertension", 3)
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("150/95")
        await keys.press("ctrl+r")
        first = str(app.screen.query_one("#templates").get_option_at_index(0).prompt)
        assert "(3 left)" in first
        assert "left" in str(app.screen.query_one("#stock-warning").render())
        await keys.press("enter")
    assert handouts.stock(demo_store, day["id"])[0].left == 2
