"""What volunteers ran into on a whole clinic day (issue 14, desk items), each pinned by a
test that fails if it comes back. Keys are pressed as a volunteer would; `burst` sends
them at paste or scanner speed (all queued before the first is handled)."""

from __future__ import annotations

import json

import pytest
from textual import events

from clinic.core import desk

SIZE = (120, 36)


async def burst(app, pilot, *keys: str) -> None:
    """Keys at paste or scanner speed: every key is queued before the app handles the first
    (Pilot.press waits for the screen to settle after each key, which hid the bug of keys
    landing in the field a form had already left). Single characters are typed as they are;
    longer names ("enter", "ctrl+d") are keys."""
    from textual import events

    for key in keys:
        if len(key) == 1:
            event = events.Key("space" if key == " " else key, key)
        else:
            event = events.Key(key, "\r" if key == "enter" else None)
        app.post_message(event)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def chars(text: str) -> list[str]:
    """A typed string as keys for burst(): ⏎ is Enter."""
    return ["enter" if c == "⏎" else c for c in text]


def visit_row(store, day, person_id) -> dict:
    return store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], person_id]
    )


def values(screen, *ids) -> dict:
    return {i: screen.query_one(f"#{i}").value for i in ids}


# -- #4 keys at paste speed -------------------------------------------------------------


async def test_walk_in_typed_at_paste_speed_lands_in_its_fields(demo_path, make_app, open_desk):
    app = make_app(demo_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        await burst(app, pilot, *chars("沈芳⏎女⏎65"))
        assert values(app.screen, "name", "sex", "birth") == {
            "name": "沈芳",
            "sex": "女",
            "birth": "65",
        }
        assert app.focused.id == "birth"
        await burst(app, pilot, "enter")  # after the age: the village, not the phone
        assert app.focused.id == "village"
        await burst(app, pilot, *chars("⏎13912345678"))
        assert app.focused.id == "phone" and app.screen.query_one("#phone").value == "13912345678"


async def test_visit_typed_at_paste_speed_lands_in_its_fields(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        # Readings auto-advance (complete BP, glucose with its decimal); Enter after the rest.
        await burst(app, pilot, *chars("150/956.278⏎62⏎165⏎头晕两周⏎"))
        assert values(
            app.screen, "bp", "glucose", "pulse", "weight_kg", "height_cm", "complaint"
        ) == {
            "bp": "150/95",
            "glucose": "6.2",
            "pulse": "78",
            "weight_kg": "62",
            "height_cm": "165",
            "complaint": "头晕两周",
        }
        assert app.focused.id == "conditions"
        # Enter on the conditions list moves on at once too; Backspace keeps its place in line.
        await burst(app, pilot, *chars("⏎复查x"), "backspace", *chars("⏎县医院"))
        assert values(app.screen, "notes", "referral_to") == {
            "notes": "复查",
            "referral_to": "县医院",
        }
        await keys.press("escape")
    visit = visit_row(demo_store, day, p["id"])
    assert (visit["sbp"], visit["glucose"], visit["pulse"], visit["weight_kg"]) == (
        150,
        6.2,
        78,
        62,
    )


async def test_a_pasted_block_fills_one_field_per_line(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        app.post_message(events.Paste("130/85\n5.8\n72\n"))
        await pilot.pause()
        await pilot.pause()
        assert values(app.screen, "bp", "glucose", "pulse") == {
            "bp": "130/85",
            "glucose": "5.8",
            "pulse": "72",
        }
        assert app.focused.id == "weight_kg"


# -- #2 the person whose visit opens ---------------------------------------------------------


async def test_ctrl_o_after_a_search_that_found_nobody_opens_nobody(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    first = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(first["name"])
        await keys.press("enter")  # checked in: highlighted in the queue
        await keys.type("秦珍珍珍")  # nobody
        assert not app.screen.hits
        await keys.press("ctrl+o")
        assert type(app.screen).__name__ == "DeskScreen"  # not the queue's highlighted person
        await keys.press("escape")  # search box empty: Ctrl+O means the queue's row
        await keys.press("ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        assert first["name"] in str(app.screen.query_one("#visit-title").render())
        assert first["name"] in app.screen.title
        await keys.press("escape")


async def test_ctrl_o_opens_the_search_result_not_the_queue_row(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    a = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(a["name"])
        await keys.press("enter")
        b = a_person(consent=True, not_on_day=day["id"])
        await keys.type(b["name"])
        await keys.press("enter")  # b checked in and highlighted in the queue
        await keys.type(a["name"])  # the volunteer means a
        await keys.press("ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        assert app.screen.ctx["person"]["id"] == a["id"]
        await keys.press("escape")
        # A result not checked in opens nothing (Enter checks them in).
        c = a_person(consent=True, not_on_day=day["id"])
        await keys.press("escape")
        await keys.type(c["name"])
        await keys.press("ctrl+o")
        assert type(app.screen).__name__ == "DeskScreen"
        assert visit_row(demo_store, day, c["id"]) is None


async def test_a_done_visit_says_so_and_asks_before_a_change(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        await keys.type("185/115")
        await keys.press("ctrl+d")  # done
        assert visit_row(demo_store, day, p["id"])["state"] == "done"
        await keys.press("ctrl+o")
        assert "Done at" in str(app.screen.query_one("#visit-title").render())
        app.screen.query_one("#bp").focus()
        await keys.press("end")
        await keys.type("1")
        assert type(app.screen).__name__ == "ConfirmDialog"
        await keys.press("n")  # leave it
        assert app.screen.query_one("#bp").value == "185/115"
        await keys.press("backspace")  # asks again; this time yes
        assert type(app.screen).__name__ == "ConfirmDialog"
        await keys.press("y")
        await keys.press("ctrl+u")
        await keys.type("128/78")
        assert app.screen.query_one("#bp").value == "128/78"
        await keys.press("ctrl+d")
    visit = visit_row(demo_store, day, p["id"])
    assert (visit["sbp"], visit["dbp"], visit["state"]) == (128, 78, "done")


# -- #3 typing while a list has the focus ------------------------------------------------------


async def test_typing_on_the_queue_goes_to_the_search_box(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    first = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(first["name"])
        await keys.press("enter")
        other = a_person(consent=True, not_on_day=day["id"])
        for away in ("tab", "ctrl+t", "f10"):  # the ways focus ended up on a list, or on nothing
            app.screen.query_one("#queue").focus()
            await keys.press(away)
            if type(app.screen).__name__ == "StockDialog":
                await keys.press("escape")
            await burst(app, pilot, *other["name"])
            assert app.screen.query_one("#search").value == other["name"], away
            assert app.focused.id == "search"
            await keys.press("escape")
        app.screen.query_one("#queue").focus()
        await burst(app, pilot, *other["name"], "enter")
        assert type(app.screen).__name__ == "DeskScreen"  # Enter checked in, opened nothing
    assert visit_row(demo_store, day, other["id"]) is not None


async def test_the_search_key_is_not_typed_into_the_empty_search_box(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    """F1 says "/ Search": pressed in the empty search box (where the desk opens) it
    changes nothing, at scanner speed too, so Enter checks in the person typed after it
    (it used to search for "/" and the name: nobody); after other text it is typed; from
    the queue it goes back to the box."""
    day = today_day
    person = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        search = app.screen.query_one("#search")
        assert app.focused is search
        app.post_message(events.Key("slash", "/"))  # as a terminal sends it, then the name
        await burst(app, pilot, *person["name"], "enter")
        assert visit_row(demo_store, day, person["id"]) is not None
        await keys.press("escape")
        await keys.type("12")
        await keys.press("slash")
        assert search.value == "12/"
        app.screen.query_one("#queue").focus()
        await keys.press("slash")
        assert app.focused is search and search.value == "12/"


async def test_space_and_arrows_typed_at_once_tick_the_rows_they_meant(
    demo_path, demo_store, today_day, a_person, make_app, open_visit_form
):
    """The conditions list: Space, ↓, Space typed at once ticks the first two rows (the
    second Space ticked the row the first had, unticking it, when Space was applied
    after the ↓ behind it); so does the form's saved draft."""
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        conditions = app.screen.query_one("#conditions")
        conditions.focus()
        await keys.press("home")
        first, second = (conditions.get_option_at_index(i).value for i in (0, 1))
        await burst(app, pilot, " ", "down", " ", "up", "up")
        assert sorted(conditions.selected) == sorted([first, second])
        await keys.press("escape")
    draft = json.loads(visit_row(demo_store, day, p["id"])["draft_form"])
    assert sorted(draft["conditions"]) == sorted([first, second])


async def test_stock_counts_typed_at_speed_land_in_their_own_lines(
    demo_path, today_day, make_app, open_desk
):
    """F10: "20", Enter, "2" at once gave the first line 202 and left the second empty;
    an Enter then a count typed slower skipped a line."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f10")
        dialog = app.screen
        assert type(dialog).__name__ == "StockDialog"
        lines = [field.value for field in dialog.query("#stock-lines Input")]
        await burst(app, pilot, "2", "0", "enter", "2")
        await keys.press("enter")
        await keys.type("9")
        typed = [field.value for field in dialog.query("#stock-lines Input")]
        assert typed[:3] == ["20", "2", "9"] and typed[3:] == lines[3:]


async def test_enter_typed_before_the_results_checks_in_the_person_typed(
    demo_path, demo_store, today_day, a_person, make_app, open_desk, monkeypatch
):
    """A name typed at scanner speed, then Enter, while the search still runs
    (a loaded laptop): Enter waits for that name's results. It used to act on
    the results of the earlier text, checking in nobody or the wrong person."""
    import time

    day = today_day
    first = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(first["name"])  # found, shown, not checked in
        assert app.screen.hits[0].id == first["id"]
        other = demo_store.one(
            """SELECT p.id, p.name FROM persons p
               WHERE EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
                 AND (SELECT count(*) FROM persons p2 WHERE p2.name = p.name) = 1
                 AND p.id != ? ORDER BY p.id DESC LIMIT 1""",
            [first["id"]],
        )
        find = desk.find

        def slow_find(*args, **kwargs):
            time.sleep(0.3)
            return find(*args, **kwargs)

        monkeypatch.setattr(desk, "find", slow_find)
        await burst(app, pilot, *["backspace"] * len(first["name"]), *other["name"], "enter")
        for _ in range(20):  # the searches finish in their own time
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.screen.enter_pending is None
    assert visit_row(demo_store, day, other["id"]) is not None
    assert visit_row(demo_store, day, first["id"]) is None


# -- #5 refusing consent for a walk-in -------------------------------------------------------


async def test_a_walk_in_refusing_consent_leaves_nothing(
    demo_path, demo_store, make_app, open_desk
):
    tables = ("persons", "consents", "audit_log", "visits")
    before = {t: demo_store.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        await keys.type("柏雪梅")
        await keys.press("enter")
        await keys.type("F")
        await keys.press("enter")
        await keys.type("1956-03-02")
        await keys.press("enter", "enter")  # village kept; on to the phone
        await keys.type("13912345678")
        await keys.press("ctrl+s")
        assert type(app.screen).__name__ == "ConsentDialog"
        await keys.press("escape")  # no consent
        assert type(app.screen).__name__ == "DeskScreen"
    assert {t: demo_store.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables} == before


# -- #8 keys and looks --------------------------------------------------------------------------


async def test_done_and_filter_are_different_keys(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        desk_keys = {b.key for b in app.screen.BINDINGS}
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        visit_keys = {b.key for b in app.screen.BINDINGS}
        assert "ctrl+f" in desk_keys and "ctrl+f" not in visit_keys
        assert "ctrl+d" in visit_keys and "ctrl+d" not in desk_keys
        await keys.type("130/80")
        await burst(app, pilot, "ctrl+d", "ctrl+d")  # pressed twice: done, and nothing more
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.queue_filter is None
        rows = app.screen.query_one("#queue").row_count
        assert rows == len(desk.queue_rows(demo_store, day, app.now()))


async def test_ctrl_g_cycles_through_the_days_queues_only(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    from clinic.store import days as days_q

    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter")
        allowed = set(app.screen.filter_codes())
        seen = []
        for _press in range(len(allowed)):
            await keys.press("ctrl+g")
            seen.append(visit_row(demo_store, day, p["id"])["queue"])
        assert set(seen) == allowed and len(allowed) < len(app.screen.specialties)
        assert set(seen) - {None} <= days_q.day_queue_codes(demo_store, day["id"])


async def test_glucose_fasting_does_not_carry_over_to_the_next_person(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    a = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(a["name"])
        await keys.press("enter", "ctrl+o", "ctrl+g")
        assert app.screen.form.fasting
        await keys.type("130/80")
        await keys.type("5.6")
        await keys.press("escape")
        b = a_person(consent=True, not_on_day=day["id"])
        await keys.type(b["name"])
        await keys.press("enter", "ctrl+o")
        assert not app.screen.form.fasting
        assert "random" in str(app.screen.query_one("#fasting").render())
        await keys.press("escape")
    assert visit_row(demo_store, day, a["id"])["glucose_fasting"] == 1


async def test_tab_after_the_follow_up_goes_back_to_the_first_field(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        stops = []
        for _press in range(11):
            stops.append(app.focused.id)
            await pilot.press("tab")
        assert stops == [
            "bp",
            "glucose",
            "pulse",
            "weight_kg",
            "height_cm",
            "complaint",
            "conditions",
            "notes",
            "referral_to",
            "follow_up_due",
            "bp",
        ]


def _contrast(a, b) -> float:
    return sum(abs(x - y) for x, y in zip(a.rgb, b.rgb, strict=True))


async def test_inputs_and_the_focused_field_are_clearly_visible(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")
        form = app.screen.query_one("#visit-form")
        bp, pulse = app.screen.query_one("#bp"), app.screen.query_one("#pulse")
        page = form.background_colors[1]
        # An empty box stands out from the form (it was 235 on 234: 3 apart).
        assert _contrast(pulse.background_colors[1], page) >= 30
        # The focused box stands out from the others, and its row's label is marked.
        assert _contrast(bp.background_colors[1], pulse.background_colors[1]) >= 60

        def label(field):
            return field.parent.query_one(".field-label")

        marked = label(bp).styles.background
        assert label(bp).has_class("-current") and not label(pulse).has_class("-current")
        assert marked != label(pulse).styles.background
        await keys.press("enter")
        glucose = app.screen.query_one("#glucose")
        assert label(glucose).has_class("-current") and not label(bp).has_class("-current")
        assert label(glucose).styles.background == marked
        assert label(bp).styles.background == label(pulse).styles.background


# -- #9 the walk-in form ------------------------------------------------------------------------


async def test_walk_in_says_where_the_name_came_from_and_refuses_a_name_as_sex(
    demo_path, today, make_app, open_desk
):
    app = make_app(demo_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type("沈芳")
        await keys.press("ctrl+n")
        form = app.screen
        assert form.query_one("#name").value == "沈芳"
        assert form.query_one("#name-note").display
        assert app.focused.id == "sex"  # the first empty required field
        await keys.type("沈芳")  # typed again by a volunteer who did not see it: refused
        assert form.query_one("#sex").value == ""
        await keys.type("女")
        assert form.query_one("#sex").value == "女"
        placeholder = form.query_one("#birth").placeholder
        date, age = placeholder.split()[-3], placeholder.split()[-1]
        assert desk.age_on(date, today) == int(age)  # the example date and age agree
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type("shenfang")  # pinyin is not a name: nothing taken, start at the name
        await keys.press("ctrl+n")
        assert app.focused.id == "name" and app.screen.query_one("#name").value == ""
        assert not app.screen.query("#name-note")


async def test_walk_in_look_alikes_can_be_picked_and_esc_keeps_the_form(
    demo_path, demo_store, today_day, make_app, open_desk
):
    day = today_day
    existing = demo_store.one(
        """SELECT p.id, p.name, p.sex, p.birth_date, p.village_id FROM persons p
           WHERE p.birth_date IS NOT NULL AND p.village_id IS NOT NULL AND p.sex IS NOT NULL
             AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
             AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id
                             AND v.clinic_day_id = ?) LIMIT 1""",
        [day["id"]],
    )
    persons = demo_store.scalar("SELECT COUNT(*) FROM persons")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        await keys.type(existing["name"])
        await keys.press("enter")
        await keys.type(existing["sex"])
        await keys.press("enter")
        await keys.type(existing["birth_date"])
        app.screen.query_one("#village").value = existing["village_id"]
        await keys.press("ctrl+s")
        dupes = app.screen.query_one("#dupes")
        assert dupes.display and app.focused is dupes
        await keys.press("escape")  # back to the form, nothing thrown away
        assert type(app.screen).__name__ == "WalkInForm"
        assert app.screen.query_one("#name").value == existing["name"]
        assert not dupes.display and app.focused.id == "name"
        await keys.press("end", "backspace")  # a change to the form: asked again
        await keys.type(existing["name"][-1])
        await keys.press("ctrl+s")
        assert app.focused is dupes
        row = [c["id"] for c in app.screen.candidates].index(existing["id"])
        dupes.move_cursor(row=row)
        await keys.press("enter")  # check this registered person in instead
        assert type(app.screen).__name__ == "DeskScreen"
    assert demo_store.scalar("SELECT COUNT(*) FROM persons") == persons
    assert visit_row(demo_store, day, existing["id"]) is not None


# -- #10 search rows show what matched -----------------------------------------------------------


async def test_a_phone_match_shows_the_masked_phone(
    demo_path, demo_store, today, make_app, open_desk
):
    row = demo_store.one(
        "SELECT id, phone, id_number FROM persons WHERE phone IS NOT NULL AND id_number IS NOT NULL"
        " AND substr(phone, -4) <> substr(id_number, -4) LIMIT 1"
    )
    digits = row["phone"][-6:]
    hit = next(h for h in desk.find(demo_store, digits, today) if h.id == row["id"])
    assert desk.matched_number(hit, digits) == ("phone", hit.phone_masked)
    id_digits = row["id_number"][-6:]
    hit = next(h for h in desk.find(demo_store, id_digits, today) if h.id == row["id"])
    assert desk.matched_number(hit, id_digits) == ("id", hit.id_masked)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(digits)
        index = [h.id for h in app.screen.hits].index(row["id"])
        shown = str(app.screen.query_one("#results").get_row_at(index)[-1])
        assert shown == "✆" + row["phone"][:3] + "…" + row["phone"][-4:]


async def test_a_second_ctrl_s_confirms_a_look_alike_typed_at_speed(
    demo_path, demo_store, make_app, open_desk
):
    """Keys typed just before Ctrl+S must not take back the confirmation it asks for."""
    existing = demo_store.one(
        """SELECT name, sex, birth_date, village_id FROM persons
           WHERE birth_date IS NOT NULL AND village_id IS NOT NULL AND sex IS NOT NULL LIMIT 1"""
    )
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("ctrl+n")
        app.screen.query_one("#village").value = existing["village_id"]
        await pilot.pause()
        typed = f"{existing['name']}⏎{existing['sex']}⏎{existing['birth_date']}⏎⏎13912345678"
        await burst(app, pilot, *chars(typed), "ctrl+s")
        assert app.screen.query_one("#dupes").display
        await burst(app, pilot, "ctrl+s")
        assert type(app.screen).__name__ == "ConsentDialog"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_search_box_says_whole_what_it_finds(demo_path, lang, size, make_app, open_desk):
    """The search box's hint, whole: in English at 120x36 it ended "…of ID or"."""
    from rich.cells import cell_len

    app = make_app(demo_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await open_desk(app, pilot)
        search = app.screen.query_one("#search")
        assert cell_len(search.placeholder) <= search.content_region.width - 1  # the cursor
