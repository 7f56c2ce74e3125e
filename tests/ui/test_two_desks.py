"""Two desks on one database (issue 10, "no silent overwrite" and "never frozen").

Two ClinicApp windows on one file, driven by keys: fields changed on one desk
survive the other's saves; a field both changed asks the second desk, in
words, and keeps what it chooses; a desk whose write waits for another's lock
stays responsive, says so, and loses nothing typed.
"""

from __future__ import annotations

import asyncio
import sqlite3

SIZE = (120, 40)


def visit_row(store, day_id: int, person_id: int) -> dict:
    return store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day_id, person_id]
    )


async def open_visit(app, pilot, keys, name: str, check_in: bool) -> None:
    """Search ``name``; check them in (first desk) and open their visit form."""
    await keys.type(name)
    if check_in:
        await keys.press("enter")
        await keys.type(name)
    await keys.press("ctrl+o")
    assert type(app.screen).__name__ == "VisitScreen"


async def type_into(pilot, settle, app, field: str, text: str) -> None:
    app.screen.query_one(f"#{field}").focus()
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot, app)


def two_desks_on_one_visit(demo_path, a_person, today_day, make_app):
    p = a_person(consent=True, not_on_day=today_day["id"])
    app1 = make_app(demo_path, user="王医生")
    app2 = make_app(demo_path, lang=None, user="李护士")
    return p, app1, app2


async def test_fields_changed_on_two_desks_are_all_kept(
    demo_path, demo_store, a_person, today_day, make_app, open_desk, settle
):
    p, app1, app2 = two_desks_on_one_visit(demo_path, a_person, today_day, make_app)
    async with app1.run_test(size=SIZE) as p1, app2.run_test(size=SIZE) as p2:
        await open_visit(app1, p1, await open_desk(app1, p1), p["name"], check_in=True)
        await open_visit(app2, p2, await open_desk(app2, p2), p["name"], check_in=False)
        await type_into(p1, settle, app1, "bp", "150/95")  # desk A: blood pressure
        await type_into(p2, settle, app2, "glucose", "6.3")  # desk B: glucose
        await type_into(p1, settle, app1, "pulse", "72")  # desk A: pulse
        assert app1.screen.query_one("#glucose").value == "6.3"  # A's form shows B's field
        assert not app1.screen.query("ClashDialog") and type(app2.screen).__name__ == "VisitScreen"
    visit = visit_row(demo_store, today_day["id"], p["id"])
    assert (visit["sbp"], visit["dbp"], visit["glucose"], visit["pulse"]) == (150, 95, 6.3, 72)


async def clash_on_glucose(p1, p2, app1, app2, settle):
    await type_into(p1, settle, app1, "glucose", "6.3")  # desk A saves first
    await type_into(p2, settle, app2, "glucose", "7.0")  # desk B typed over it
    assert type(app2.screen).__name__ == "ClashDialog"
    told = " ".join(str(s.render()) for s in app2.screen.query(".clash-told"))
    assert "王医生" in told and "6.3" in told and "7.0" in told and "09:30" in told


async def test_one_field_changed_on_two_desks_asks_and_keeps_mine(
    demo_path, demo_store, a_person, today_day, make_app, open_desk, settle
):
    p, app1, app2 = two_desks_on_one_visit(demo_path, a_person, today_day, make_app)
    async with app1.run_test(size=SIZE) as p1, app2.run_test(size=SIZE) as p2:
        await open_visit(app1, p1, await open_desk(app1, p1), p["name"], check_in=True)
        await open_visit(app2, p2, await open_desk(app2, p2), p["name"], check_in=False)
        await clash_on_glucose(p1, p2, app1, app2, settle)
        # Not written while asked: the other desk's value stays, mine stays in the form.
        assert visit_row(demo_store, today_day["id"], p["id"])["glucose"] == 6.3
        await p2.press("ctrl+s")  # "keep mine" is the choice made by default
        await settle(p2, app2)
        assert type(app2.screen).__name__ == "VisitScreen"
        assert visit_row(demo_store, today_day["id"], p["id"])["glucose"] == 7.0
        await type_into(p1, settle, app1, "pulse", "80")  # desk A saves again: sees 7.0
        assert app1.screen.query_one("#glucose").value == "7.0"
    visit = visit_row(demo_store, today_day["id"], p["id"])
    assert (visit["glucose"], visit["pulse"]) == (7.0, 80)
    who = demo_store.one(
        "SELECT actor FROM field_changes WHERE kind = 'visit' AND record_id = ? AND field = 'glucose'",
        [visit["id"]],
    )
    assert who["actor"] == "李护士"


async def test_one_field_changed_on_two_desks_keeps_theirs_when_chosen(
    demo_path, demo_store, a_person, today_day, make_app, open_desk, settle
):
    p, app1, app2 = two_desks_on_one_visit(demo_path, a_person, today_day, make_app)
    async with app1.run_test(size=SIZE) as p1, app2.run_test(size=SIZE) as p2:
        await open_visit(app1, p1, await open_desk(app1, p1), p["name"], check_in=True)
        await open_visit(app2, p2, await open_desk(app2, p2), p["name"], check_in=False)
        await clash_on_glucose(p1, p2, app1, app2, settle)
        await p2.click("#theirs-glucose")
        await p2.press("ctrl+s")
        await settle(p2, app2)
        assert app2.screen.query_one("#glucose").value == "6.3"  # the form shows theirs
        await type_into(p2, settle, app2, "pulse", "66")
    visit = visit_row(demo_store, today_day["id"], p["id"])
    assert (visit["glucose"], visit["pulse"]) == (6.3, 66)


async def test_a_desk_waiting_for_another_desks_lock_stays_responsive_and_loses_nothing(
    demo_path, demo_store, a_person, today_day, make_app, open_desk, settle
):
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    other = sqlite3.connect(demo_path, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_visit(app, pilot, await open_desk(app, pilot), p["name"], check_in=True)
        other.execute("BEGIN IMMEDIATE")  # another desk (or an import) holds the write lock
        try:
            await pilot.press(*"150/95", *"6.2")
            await pilot.pause(1.0)
            screen = app.screen
            # Responsive: every key landed, the form moved on by itself, and it says why
            # nothing is written yet.
            assert screen.query_one("#bp").value == "150/95"
            assert screen.query_one("#glucose").value == "6.2"
            line = app.screen.query("#writer-waiting")
            assert line and "Waiting for another desk" in str(line.first().render())
            await pilot.press(*"72")  # typing goes on while waiting
            await pilot.pause()
            assert screen.query_one("#pulse").value == "72"
        finally:
            other.execute("COMMIT")
            other.close()
        await settle(pilot, app)
        assert not app.screen.query("#writer-waiting")  # gone once written
    visit = visit_row(demo_store, today_day["id"], p["id"])
    assert (visit["sbp"], visit["dbp"], visit["glucose"], visit["pulse"]) == (150, 95, 6.2, 72)


def a_day_to_come(store, today) -> int:
    return store.scalar(
        "SELECT id FROM clinic_days WHERE date > ? AND status = 'planned' ORDER BY date LIMIT 1",
        [today.isoformat()],
    )


async def test_one_clinic_day_edited_on_two_desks(demo_path, demo_store, today, make_app, settle):
    day_id = a_day_to_come(demo_store, today)
    app1 = make_app(demo_path, user="王医生")
    app2 = make_app(demo_path, lang=None, user="李护士")
    async with app1.run_test(size=SIZE) as p1, app2.run_test(size=SIZE) as p2:
        from clinic.ui.planning.day_form import DayForm

        # Both forms open on the day as it is; A changes the venue, B the end time.
        app1.push_screen(DayForm(day_id))
        app2.push_screen(DayForm(day_id))
        await settle(p1, app1)
        await settle(p2, app2)
        app1.screen.query_one("#venue").value = "卫生室"
        await p1.press("ctrl+s")
        await settle(p1, app1)
        app2.screen.query_one("#end").value = "16:00"
        await p2.press("ctrl+s")
        await settle(p2, app2)
        assert "DayForm" not in type(app2.screen).__name__  # saved and closed
        row = demo_store.one("SELECT venue, end_time FROM clinic_days WHERE id = ?", [day_id])
        assert (row["venue"], row["end_time"]) == ("卫生室", "16:00")  # both kept
        # Both change the venue: the second desk is told who, and keeps its own.
        app1.push_screen(DayForm(day_id))
        app2.push_screen(DayForm(day_id))
        await settle(p1, app1)
        await settle(p2, app2)
        app1.screen.query_one("#venue").value = "村委会"
        await p1.press("ctrl+s")
        await settle(p1, app1)
        app2.screen.query_one("#venue").value = "小学礼堂"
        await p2.press("ctrl+s")
        await settle(p2, app2)
        assert type(app2.screen).__name__ == "ClashDialog"
        told = str(app2.screen.query_one(".clash-told").render())
        assert "王医生" in told and "村委会" in told and "小学礼堂" in told
        assert demo_store.scalar("SELECT venue FROM clinic_days WHERE id = ?", [day_id]) == "村委会"
        await p2.press("ctrl+s")  # keep mine
        await settle(p2, app2)
        assert "DayForm" not in type(app2.screen).__name__
    assert demo_store.scalar("SELECT venue FROM clinic_days WHERE id = ?", [day_id]) == "小学礼堂"


async def test_keys_typed_while_a_check_in_waits_for_the_lock_reach_the_visit_form(
    demo_path, demo_store, a_person, today_day, make_app, open_desk, settle
):
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    other = sqlite3.connect(demo_path, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        other.execute("BEGIN IMMEDIATE")
        try:
            # Check in, open the form, type a reading: at once, while the lock is held.
            # Ctrl+O waits for the check-in (the keys after it wait in order), so the
            # keys are sent from a task of their own, as a keyboard would.
            typing = asyncio.create_task(pilot.press("enter", "ctrl+o", *"150/95"))
            await asyncio.sleep(1.5)
            line = app.screen.query("#writer-waiting")
            assert line and "Waiting for another desk" in str(line.first().render())
        finally:
            other.execute("COMMIT")
            other.close()
        await asyncio.wait_for(typing, 30)
        await settle(pilot, app)
        assert type(app.screen).__name__ == "VisitScreen"
        assert app.screen.ctx["person"]["id"] == p["id"]
        assert app.screen.query_one("#bp").value == "150/95"
    visit = visit_row(demo_store, today_day["id"], p["id"])
    assert (visit["sbp"], visit["dbp"]) == (150, 95)


async def test_a_clinic_days_organisation_changed_on_two_desks_is_told_by_name(
    demo_path, demo_store, today, make_app, settle
):
    """The clash names organisations, never their ids, nor the village that has the
    same number (each field read by its own rule: clinic.core.field_values)."""
    day_id = a_day_to_come(demo_store, today)
    orgs = demo_store.query("SELECT id, short_name FROM organisations ORDER BY id")
    was = demo_store.scalar("SELECT organisation_id FROM clinic_days WHERE id = ?", [day_id])
    first, second = [o for o in orgs if o["id"] != was][:2]
    app1 = make_app(demo_path, user="王医生")
    app2 = make_app(demo_path, lang=None, user="李护士")
    async with app1.run_test(size=SIZE) as p1, app2.run_test(size=SIZE) as p2:
        from clinic.ui.planning.day_form import DayForm

        app1.push_screen(DayForm(day_id))
        app2.push_screen(DayForm(day_id))
        await settle(p1, app1)
        await settle(p2, app2)
        app1.screen.query_one("#org").value = first["id"]
        await p1.press("ctrl+s")
        await settle(p1, app1)
        app2.screen.query_one("#org").value = second["id"]
        await p2.press("ctrl+s")
        await settle(p2, app2)
        assert type(app2.screen).__name__ == "ClashDialog"
        told = str(app2.screen.query_one(".clash-told").render())
        assert first["short_name"] in told and second["short_name"] in told
        village = demo_store.scalar("SELECT name FROM villages WHERE id = ?", [first["id"]])
        assert village is None or village not in told
        mine = str(app2.screen.query_one("#mine-organisation_id").render())
        assert second["short_name"] in mine
