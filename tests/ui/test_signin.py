"""Signing in to the TUI, switching user, the idle lock, and what only some roles may
do on screen (issue 10, #1)."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, Static

SIZE = (120, 36)


async def settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, done, tries: int = 100) -> None:
    """Until ``done()``: the PIN's check (a slow hash in a thread) and the screen it
    dismisses take a moment on a loaded machine."""
    for _try in range(tries):
        await settled(pilot)
        if done():
            return
        await pilot.pause(0.05)


async def sign_in(pilot, name: str, pin: str) -> None:
    """Type the name, Enter, the PIN, Enter, as a user does."""
    await pilot.press(*name, "enter")
    await pilot.press(*pin, "enter")
    await until(pilot, lambda: answered(pilot.app))


def answered(app) -> bool:
    """The PIN was checked: the sign-in is gone, or it says why not."""
    if type(app.screen).__name__ != "SignInScreen":
        return True
    return str(app.screen.query_one("#error", Static).render()) not in ("", "Checking…")


def screen_text(app) -> str:
    """Every Static and Input of the top screen, as shown."""
    parts = [str(w.render()) for w in app.screen.query(Static)]
    parts += [w.value for w in app.screen.query(Input)]
    return "\n".join(parts)


async def test_the_app_starts_with_a_sign_in_and_a_right_pin_opens_home(
    demo_path, make_app, app_user, test_pin
):
    app_user(demo_path, "王医生", roles=("clinician",))
    app = make_app(demo_path, user=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen"
        assert app.user is None
        await pilot.press("f3")  # no screen past the sign-in
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen"
        await sign_in(pilot, "王", test_pin)  # typed in part, the list gives the whole name
        assert app.user is not None and app.user.name == "王医生"
        assert app.actor == "王医生"
        assert type(app.screen).__name__ == "HomeScreen"


async def test_a_wrong_pin_is_refused_beside_the_field_in_the_users_language(
    demo_path, make_app, app_user
):
    app_user(demo_path, "tester")
    app = make_app(demo_path, lang="zh", user=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await sign_in(pilot, "tester", "9999")
        assert type(app.screen).__name__ == "SignInScreen" and app.user is None
        assert "用户名或密码错误" in str(app.screen.query_one("#error", Static).render())
        assert app.screen.query_one("#pin", Input).value == ""  # typed again, from empty


async def test_five_wrong_pins_lock_the_user_and_say_until_when(
    demo_path, demo_store, make_app, app_user, test_pin
):
    app_user(demo_path, "tester")
    app = make_app(demo_path, user=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press(*"tester", "enter")
        for _attempt in range(5):
            await pilot.press(*"0000", "enter")
            await until(pilot, lambda: answered(app))
        await pilot.press(*test_pin, "enter")  # even the right PIN, while locked
        await until(pilot, lambda: answered(app))
        message = str(app.screen.query_one("#error", Static).render())
        assert "Too many wrong PINs: tester can sign in again after" in message
        assert app.user is None
    row = demo_store.one("SELECT locked_until FROM users WHERE name = 'tester'")
    assert row["locked_until"][11:16] in message


async def test_a_database_without_users_creates_its_first_coordinator(tmp_path, make_app):
    from clinic.store import open_store

    path = tmp_path / "new.db"
    app = make_app(path, user=None)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert type(app.screen).__name__ == "FirstUserScreen"
        assert "no users yet" in screen_text(app)
        await pilot.press(*"李协调", "enter", *"1357", "enter", *"1358", "enter")
        await settled(pilot)
        assert "The two PINs differ" in str(app.screen.query_one("#pin2-error").render())
        assert app.user is None
        await pilot.press(*"1357", "enter")
        await until(pilot, lambda: app.user is not None)
        assert app.user is not None and app.user.name == "李协调"
        assert app.user.roles == {"coordinator"}
        assert type(app.screen).__name__ == "HomeScreen"
    with open_store(path) as store:
        row = store.one("SELECT u.name, r.role FROM users u JOIN user_roles r ON r.user_id = u.id")
        assert row == {"name": "李协调", "role": "coordinator"}
        audit = store.one("SELECT actor, action FROM audit_log WHERE action = 'user_add'")
        assert audit == {"actor": "李协调", "action": "user_add"}


async def test_another_clinician_signing_in_at_the_desk_becomes_its_volunteer(
    demo_path, demo_store, today_day, a_person, make_app, open_desk, app_user, test_pin
):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        first = app.screen.volunteer_id
        other = demo_store.one(
            "SELECT a.volunteer_id AS id, v.name FROM assignments a "
            "JOIN volunteers v ON v.id = a.volunteer_id "
            "WHERE a.clinic_day_id = ? AND a.volunteer_id != ? ORDER BY a.id LIMIT 1",
            [today_day["id"], first],
        )
        app_user(demo_path, "dr2", roles=("clinician",), volunteer_id=other["id"])
        await keys.press("f12")
        assert type(app.screen).__name__ == "SignInScreen"
        assert app.screen.query_one("#name", Input).value == "tester"
        await pilot.press("shift+tab", "shift+tab")  # back to the name, selected whole
        await sign_in(pilot, "dr2", test_pin)
        desk = app.screen
        assert type(desk).__name__ == "DeskScreen"
        assert app.user.name == "dr2" and desk.volunteer_id == other["id"]
        assert other["name"] in str(desk.query_one("#day-bar", Static).render())
        p = a_person(consent=True, not_on_day=today_day["id"])
        await keys.type(p["name"])
        await keys.press("enter")
        desk.query_one("#queue").focus()
        await keys.press("ctrl+t")  # with the doctor: the one signed in
    visit = demo_store.one(
        "SELECT state, seen_by FROM visits WHERE clinic_day_id = ? AND person_id = ?",
        [today_day["id"], p["id"]],
    )
    assert visit == {"state": "with_doctor", "seen_by": other["id"]}


async def test_a_name_typed_on_the_list_of_users_goes_to_the_name_box(
    demo_path, make_app, app_user, test_pin
):
    """F12, Shift+Tab to the list of users, then a name typed at once (as pasted) and
    Enter, the PIN and Enter: the list dropped the letters and signed nobody in."""
    from textual import events

    app_user(demo_path, "dr2", roles=("clinician",))
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("f12")
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen"
        await pilot.press("shift+tab")
        assert app.screen.focused.id == "users"
        for character in "dr":
            app.post_message(events.Key(character, character))
        await settled(pilot)
        name = app.screen.query_one("#name", Input)
        assert name.has_focus and name.value == "dr"  # "tester" replaced, as on a click
        await pilot.press("2", "enter")
        await pilot.press(*test_pin, "enter")
        await until(pilot, lambda: answered(app))
        assert app.user.name == "dr2"


async def test_idle_minutes_lock_the_screen_and_the_pin_gives_back_the_form_as_typed(
    demo_path, today_day, a_person, make_app, open_visit_form, test_pin
):
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("150/95")
        await keys.type("6.1")
        typed = {w.id: w.value for w in app.screen.query(Input)}
        form = app.screen
        assert typed["bp"] == "150/95"
        app.lock_if_idle()  # not idle yet
        assert app.screen is form
        app.notify(f"{p['name']} checked in")  # a toast left on screen
        await settled(pilot)
        assert app._notifications
        start = app.last_input
        app.clock = lambda: start + app.lock_minutes * 60 + 1
        app.lock_if_idle()
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen" and app.screen.mode == "lock"
        assert p["name"] not in screen_text(app) and "150/95" not in screen_text(app)
        assert not app._notifications
        await pilot.press("escape", "f4", "f2", "ctrl+p")  # nothing gets past the lock
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen"
        await pilot.press(*"1111", "enter")
        await until(pilot, lambda: answered(app))
        assert type(app.screen).__name__ == "SignInScreen"  # a wrong PIN leaves it locked
        await pilot.press(*test_pin, "enter")
        await until(pilot, lambda: app.screen is form)
        assert app.screen is form
        assert {w.id: w.value for w in form.query(Input)} == typed


def test_lock_minutes_come_from_the_environment(monkeypatch):
    from clinic.ui.app import LOCK_MINUTES, lock_minutes

    monkeypatch.setenv("CLINIC_LOCK_MINUTES", "0")
    assert lock_minutes() == 0
    monkeypatch.setenv("CLINIC_LOCK_MINUTES", "2.5")
    assert lock_minutes() == 2.5
    monkeypatch.setenv("CLINIC_LOCK_MINUTES", "soon")
    assert lock_minutes() == LOCK_MINUTES
    monkeypatch.delenv("CLINIC_LOCK_MINUTES")
    assert lock_minutes() == LOCK_MINUTES == 5


async def test_no_lock_when_lock_minutes_is_zero(demo_path, make_app, monkeypatch):
    monkeypatch.setenv("CLINIC_LOCK_MINUTES", "0")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        home = app.screen
        app.clock = lambda: app.last_input + 10 * 3600
        app.lock_if_idle()
        await settled(pilot)
        assert app.screen is home


async def test_a_clerk_cannot_record_a_consult(
    demo_path, demo_store, today_day, a_person, make_app, open_desk, app_user
):
    clerk = app_user(demo_path, "clerk1", roles=("clerk",))
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path, user=clerk)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter", "ctrl+o")  # the clerk checks in, and may look
        form = app.screen
        assert type(form).__name__ == "VisitScreen"
        assert "a clinician (doctor or nurse) signs in" in str(
            form.query_one("#visit-title", Static).render()
        )
        assert all(field.disabled for field in form.query(Input))
        await keys.type("150/95")
        assert form.query_one("#bp", Input).value == ""
        offered = {k.key: k for k in form.query("FooterKey")}
        # Ctrl+D offered as "Close", not "Done": a clerk took the visit as recorded.
        assert offered["ctrl+d"].action == "close_form" and offered["ctrl+d"].description == "Close"
        assert "escape" not in offered or offered["escape"].action == "close_form"  # no draft
        assert "Ctrl+R" not in str(form.query_one("#handouts", Static).render())
        await keys.press("ctrl+d")  # closes the form, and not the visit
        assert type(app.screen).__name__ == "DeskScreen"
    visit = demo_store.one(
        "SELECT state, sbp, seen_by FROM visits WHERE clinic_day_id = ? AND person_id = ?",
        [today_day["id"], p["id"]],
    )
    assert visit == {"state": "waiting", "sbp": None, "seen_by": None}


async def open_registers_on(app, pilot, person: dict) -> None:
    await pilot.press("f3")
    await settled(pilot)
    await pilot.press(*person["id_number"][-8:])
    await settled(pilot)
    await settled(pilot)  # the highlighted person's detail loads after the results


@pytest.mark.parametrize("roles", [("clerk",), ("coordinator",)])
async def test_only_a_coordinator_reveals_a_whole_number_and_it_is_audited(
    demo_path, demo_store, make_app, app_user, roles, said
):
    from clinic.core.privacy import mask_id

    person = demo_store.one(
        "SELECT id, name, id_number FROM persons WHERE id_number IS NOT NULL "
        "AND length(id_number) = 18 ORDER BY id LIMIT 1"
    )
    user = app_user(demo_path, "u-" + roles[0], roles=roles)
    app = make_app(demo_path, user=user)
    async with app.run_test(size=SIZE) as pilot:
        await open_registers_on(app, pilot, person)
        detail = app.screen.query_one("#detail", Static)
        assert mask_id(person["id_number"]) in str(detail.render())
        await pilot.press("ctrl+r")
        await settled(pilot)
        shown = str(detail.render())
        toasts = said(app)
    audit = demo_store.query("SELECT actor, detail FROM audit_log WHERE action = 'reveal'")
    if "coordinator" in roles:
        assert person["id_number"] in shown
        assert audit == [{"actor": user.name, "detail": f'{{"person_id": {person["id"]}}}'}]
    else:
        assert person["id_number"] not in shown
        assert any("may not reveal a whole number" in t for t in toasts), toasts
        assert audit == []


async def test_a_non_coordinator_cannot_export_whole_numbers(
    year_path, make_app, app_user, open_report, said
):
    clerk = app_user(year_path, "clerk1", roles=("clerk", "clinician"))
    app = make_app(year_path, lang=None, user=clerk)
    async with app.run_test(size=(140, 45)) as pilot:
        report = await open_report(app, pilot)
        box = report.query_one("#unmasked", Checkbox)
        assert box.disabled and "a coordinator only" in str(box.label)
        box.value = True  # forced on: the export still refuses
        report.query_one("#dataset").value = "persons"
        report.query_one("#file", Input).value = "all.csv"
        report.action_export()
        await settled(pilot)
        toasts = said(app)
        assert any("may not export whole ID and phone numbers" in t for t in toasts), toasts
        assert not (year_path.parent / "exports" / "all.csv").exists()
        assert not list(year_path.parent.rglob("all.csv"))


@pytest.mark.parametrize("lang", ["zh"])
def test_sign_in_snapshot(snap_compare, demo_path, lang, make_app, app_user):
    for name, roles in (
        ("王医生", ("clinician",)),
        ("李护士", ("clinician",)),
        ("张登记", ("clerk",)),
    ):
        app_user(demo_path, name, roles=roles)
    assert snap_compare(make_app(demo_path, lang, user=None), terminal_size=(80, 24))


async def test_switch_user_from_the_palette_goes_back_with_esc(demo_path, make_app):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        home = app.screen
        app.action_switch_user()
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen" and app.screen.mode == "switch"
        assert "Esc goes back to tester" in screen_text(app)
        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is home and app.user.name == "tester"
        app.action_switch_user()
        await settled(pilot)
        app.action_lock()  # idle while switching: now only a PIN takes it away
        await settled(pilot)
        assert app.screen.mode == "lock"
        await pilot.press("escape")
        await settled(pilot)
        assert type(app.screen).__name__ == "SignInScreen"
