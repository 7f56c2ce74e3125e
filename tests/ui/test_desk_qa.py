"""Defects found by QA at the desk, each pinned by a test that fails if it comes back."""

from __future__ import annotations

import json

import pytest

SIZE = (120, 36)


async def test_follow_up_survives_reopening_a_draft(
    demo_path, demo_store, today_day, a_person, make_app, open_visit_form
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("130/80")  # no flag: no follow-up proposed
        app.screen.query_one("#follow_up_due").focus()
        await keys.type("3m")
        await keys.press("ctrl+s", "escape", "ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        assert app.screen.query_one("#follow_up_due").value == "3m"
        await keys.press("ctrl+s", "escape")
    visit = demo_store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], p["id"]]
    )
    assert visit["follow_up_due"] == "2027-02-24"
    assert json.loads(visit["draft_form"])["values"]["follow_up_due"] == "3m"


async def test_a_cleared_proposal_stays_cleared_on_reopening(
    demo_path, demo_store, today_day, a_person, make_app, open_visit_form
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("150/95")  # raised: 3m proposed
        assert app.screen.query_one("#follow_up_due").value == "3m"
        app.screen.query_one("#follow_up_due").focus()
        await keys.press("ctrl+u")  # cleared on purpose
        await keys.press("escape", "ctrl+o")
        assert app.screen.query_one("#follow_up_due").value == ""
        await keys.press("escape")
    visit = demo_store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day["id"], p["id"]]
    )
    assert visit["follow_up_due"] is None


async def test_the_desk_stays_open_when_leaving_it(demo_path, today, make_app, open_desk):
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
            assert app.screen.day["date"] == today.isoformat()


async def test_queue_filter_is_named_and_cycles_through_the_days_specialties(
    demo_path, demo_store, today_day, make_app, open_desk
):
    from clinic.store import days as days_q

    day = today_day
    used = days_q.day_queue_codes(demo_store, day["id"])
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


async def test_stock_inputs_are_visible_boxes(demo_path, make_app, open_desk):
    from textual.widgets import Input

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.press("f10")
        await keys.type("40")
        first = list(app.screen.query(Input))[0]
        assert first.region.width >= 8 and first.value == "40"
        assert "40" in "".join(s.text for s in first.render_line(0))


async def test_a_broad_search_says_only_the_first_are_shown(
    demo_path, demo_store, today, make_app, open_desk
):
    from clinic.core import desk

    assert len(desk.find(demo_store, "V001", today, limit=40)) > 30
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type("V001")  # every household of the first village
        status = str(app.screen.query_one("#search-status").render())
        assert "first 30 shown; type more to narrow" in status
        assert app.screen.query_one("#results").row_count == 30


def _unique_initials_volunteer(store):
    from clinic.core.pinyin import initials

    names = [r["name"] for r in store.query("SELECT name FROM volunteers WHERE active = 1")]
    counts: dict[str, int] = {}
    for name in names:
        counts[initials(name)] = counts.get(initials(name), 0) + 1
    return next(n for n in names if counts[initials(n)] == 1 and len(initials(n)) >= 2)


async def test_volunteer_picker_takes_pinyin_and_says_when_nobody_matches(
    demo_path, demo_store, make_app, counted_keys, said
):
    from clinic.core.pinyin import initials

    name = _unique_initials_volunteer(demo_store)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = counted_keys(app, pilot)
        await keys.press("f4", "enter")
        assert type(app.screen).__name__ == "VolunteerPicker"
        await keys.type("qxzq")  # nobody
        await keys.press("enter")
        assert type(app.screen).__name__ == "VolunteerPicker"
        assert any("Nobody matches qxzq" in m for m in said(app))
        for _i in range(4):
            await keys.press("backspace")
        await keys.type(initials(name))
        await keys.press("enter")
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.volunteer_name() == name


async def test_volunteer_picker_takes_a_name_typed_at_paste_speed(
    demo_path, make_app, counted_keys
):
    """Keys arriving together ("wang" pasted, a fast typist): each narrowed the list again
    before the last highlight was handled; OptionDoesNotExist, and the picker took no key
    after it (Ctrl+Q neither)."""
    from textual import events

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await counted_keys(app, pilot).press("f4", "enter")
        assert type(app.screen).__name__ == "VolunteerPicker"
        for char in "wangxq":
            app.post_message(events.Key(char, char))
        await pilot.pause()
        await pilot.pause()
        box = app.screen.query_one("#volunteers")
        assert app.screen.query_one("#filter").value == "wangxq"
        assert box.option_count == 0 and box.is_running
        for _i in range(6):
            await pilot.press("backspace")
        assert box.option_count > 0


async def test_a_dialog_stopped_by_an_unexpected_error_closes_and_the_app_goes_on(
    demo_path, make_app, monkeypatch, said, counted_keys
):
    """An error in a dialog's handler ends that dialog's message loop (Textual's): it took
    no key after the notification, Ctrl+Q neither. It is closed; the app takes keys."""
    from unittest.mock import PropertyMock, patch

    from clinic.ui.app import ClinicApp
    from clinic.ui.desk.pickers import VolunteerPicker

    def broken(self, text):
        raise ZeroDivisionError

    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    app = make_app(demo_path)
    with patch.object(ClinicApp, "is_headless", new_callable=PropertyMock, return_value=False):
        async with app.run_test(size=SIZE) as pilot:
            await counted_keys(app, pilot).press("f4", "enter")
            assert type(app.screen).__name__ == "VolunteerPicker"
            monkeypatch.setattr(VolunteerPicker, "_fill", broken)  # what narrowing the list calls
            await pilot.press("w")
            await pilot.pause()
            await pilot.pause()
            assert type(app.screen).__name__ != "VolunteerPicker"
            assert any("ZeroDivisionError" in m for m in said(app))
            before = type(app.screen).__name__
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ != before  # F1's help: keys are taken again
            assert app.return_code is None


async def test_a_main_screen_stopped_by_an_unexpected_error_opens_again(
    demo_path, make_app, monkeypatch, said
):
    """The home screen's handler failed (as it came back from F1): the screen is closed
    and a new one opened, which takes keys."""
    import asyncio
    from unittest.mock import PropertyMock, patch

    from clinic.ui.app import ClinicApp
    from clinic.ui.home import HomeScreen

    failures = []
    refresh = HomeScreen.action_refresh

    def fails_once(self):
        if not failures:
            failures.append(1)
            raise ZeroDivisionError
        refresh(self)

    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    app = make_app(demo_path)
    patched = patch.object(ClinicApp, "is_headless", new_callable=PropertyMock, return_value=False)
    with patched:
        async with app.run_test(size=SIZE) as pilot:
            stopped = app.screen
            assert isinstance(stopped, HomeScreen)
            await pilot.press("f1")
            monkeypatch.setattr(HomeScreen, "action_refresh", fails_once)
            app.screen.dismiss()  # back to home, whose resume refreshes it (not a key:
            for _i in range(50):  # the Pilot would wait for the stopped screen)
                await asyncio.sleep(0.05)
                if isinstance(app.screen, HomeScreen) and app.screen is not stopped:
                    break
            assert failures
            assert isinstance(app.screen, HomeScreen) and app.screen is not stopped
            assert any("ZeroDivisionError" in m for m in said(app))
            await pilot.press("f1")
            assert type(app.screen).__name__ == "HelpScreen"
            assert app.return_code is None


async def test_an_action_stopped_by_an_unexpected_error_ends_the_app_in_words(
    demo_path, make_app, monkeypatch
):
    """An action runs in the app's own message loop, which ends with the error: the app
    ends with the sentence (exit 1) instead of staying on a screen that takes no key."""
    import asyncio
    from unittest.mock import PropertyMock, patch

    from textual import events

    from clinic.ui.app import ClinicApp
    from clinic.ui.home import HomeScreen

    def broken(self):
        raise ZeroDivisionError

    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    app = make_app(demo_path)
    said_at_exit = []
    exit_ = app.exit

    def exit_saying(*args, **kwargs):
        said_at_exit.append(kwargs.get("message"))
        exit_(*args, **kwargs)

    app.exit = exit_saying  # type: ignore[method-assign]
    patched = patch.object(ClinicApp, "is_headless", new_callable=PropertyMock, return_value=False)
    with patched:
        async with app.run_test(size=SIZE):
            assert isinstance(app.screen, HomeScreen)
            monkeypatch.setattr(HomeScreen, "action_refresh", broken)
            app.post_message(events.Key("ctrl+r", None))  # Ctrl+R: refresh
            for _i in range(50):
                await asyncio.sleep(0.05)
                if app.return_code is not None:
                    break
    assert app.return_code == 1
    assert any("ZeroDivisionError" in str(m) and "safe" in str(m) for m in said_at_exit)


async def _until(condition, seconds: float = 3.0) -> None:
    """Wait for ``condition()`` without the Pilot, which waits for a stopped screen."""
    import asyncio

    for _i in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)


def _boom() -> None:
    raise ZeroDivisionError


async def test_a_visit_form_stopped_by_an_error_closes_and_ctrl_o_makes_a_new_one(
    demo_path, make_app, monkeypatch, said, open_visit_form, a_person, today_day
):
    """The desk keeps its visit form for the next Ctrl+O: one stopped by an error is
    closed and not used again (Textual has removed its widgets)."""
    from unittest.mock import PropertyMock, patch

    from clinic.ui.app import ClinicApp

    p = a_person(consent=True, not_on_day=today_day["id"])
    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    app = make_app(demo_path)
    patched = patch.object(ClinicApp, "is_headless", new_callable=PropertyMock, return_value=False)
    with patched:
        async with app.run_test(size=SIZE) as pilot:
            keys = await open_visit_form(app, pilot, p)
            stopped = app.screen
            stopped.call_later(_boom)  # an error in one of the form's handlers
            await _until(lambda: app.screen is not stopped, 10)
            assert type(app.screen).__name__ == "DeskScreen"
            assert any("ZeroDivisionError" in m for m in said(app))
            await keys.press("ctrl+o")
            assert type(app.screen).__name__ == "VisitScreen" and app.screen is not stopped
            assert app.screen.is_running and app.return_code is None


async def test_a_lock_stopped_by_an_error_ends_the_app_rather_than_open(
    demo_path, make_app, monkeypatch
):
    """Nothing but a PIN takes the lock away: stopped by an error, it is not closed
    (the screens under it would show); the app ends with the sentence."""
    from unittest.mock import PropertyMock, patch

    from clinic.ui.app import ClinicApp

    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    app = make_app(demo_path)
    patched = patch.object(ClinicApp, "is_headless", new_callable=PropertyMock, return_value=False)
    with patched:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f5")  # a screen with records under the lock
            app.action_lock()
            await _until(lambda: type(app.screen).__name__ == "SignInScreen", 10)
            await pilot.pause()
            lock = app.screen
            assert type(lock).__name__ == "SignInScreen"
            lock.call_later(_boom)
            await _until(lambda: app.return_code is not None, 10)
            assert app.screen is lock
    assert app.return_code == 1


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


async def test_desk_fits_120_columns_in_chinese(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    from clinic.i18n import set_language

    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, "zh")
    try:
        async with app.run_test(size=SIZE) as pilot:
            keys = await open_desk(app, pilot)
            footer = screen_lines(app)[-1]
            for whole in ("现场登记", "筛选", "当日小结", "库存", "命令面板"):
                assert whole in footer, footer
            await keys.type(p["name"])
            await keys.press("enter", "ctrl+o")
            await keys.type("185/115")
            await keys.type("20.1")  # urgent BP and glucose: the longest flags
            await keys.press("escape")
            app.screen.specialties.sort(key=lambda s: s[0] != "tcm")
            await keys.press("tab", "tab", "ctrl+g")  # into the TCM queue
            app.screen.action_focus_search()
            await keys.type(p["name"])  # results with a ✓ row
            lines = screen_lines(app)
            row = next(line for line in lines if p["name"] in line and "就诊中" in line)
            assert (
                "‼血压 ‼血糖" in row and "中医" in row
            )  # the last column whole: nothing pushed out
            ticked = next(
                line.split("│")[0]
                for line in lines
                if line.lstrip().startswith("✓") and "…" in line
            )
            masked = app.screen.hits[0].id_masked
            assert ticked.split()[-1] == masked[:4] + "…" + masked[-4:], ticked  # whole beside a ✓
    finally:
        set_language("en")


async def test_handout_list_shows_condition_names_with_the_star_first(
    demo_path, demo_store, today_day, a_person, make_app, open_visit_form
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("150/95")
        await keys.press("ctrl+r")
        box = app.screen.query_one("#templates")
        first = str(box.get_option_at_index(0).prompt)
        assert first.startswith("★ ") and "Health prescription" not in first
        lines = screen_lines(app)
        assert any("★ Hypertension" in line for line in lines)
        items = [
            str(app.screen.query_one("#items").get_option_at_index(i).prompt)
            for i in range(app.screen.query_one("#items").option_count)
        ]
        heads = [item.split("│")[0].strip() for item in items if item.split("│")[0].strip()]
        assert "Treatment and" in heads and "rehabilitation" in heads, (
            heads
        )  # the whole name, wrapped
        assert not any(h.startswith("Treatm ") for h in heads)


async def test_queue_columns_fit_their_contents_after_a_check_in(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(p["name"])
        await keys.press("enter")
        await pilot.pause(0.1)
        row = next(
            line.split("│")[1]
            for line in screen_lines(app)
            if "│" in line and p["name"] in line.split("│")[1]
        )
        assert (
            f"{p['name']}  waiting" in row.lstrip() or f"{p['name']}  with doctor" in row.lstrip()
        ), row


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_namesakes_in_the_queue_are_told_apart(
    demo_path, demo_store, today_day, day_volunteer, now, lang, make_app, open_desk
):
    """Two 张伟 checked in showed as two identical rows: which one to call?"""
    from clinic.core import desk

    day = today_day
    people = demo_store.query(
        "SELECT p.id FROM persons p JOIN consents c ON c.person_id = p.id "
        "WHERE p.id NOT IN (SELECT person_id FROM visits WHERE clinic_day_id = ?) "
        "GROUP BY p.id ORDER BY p.id LIMIT 3",
        [day["id"]],
    )
    with demo_store.transaction():
        for person in people[:2]:
            demo_store.conn.execute(
                "UPDATE persons SET name = '同名人' WHERE id = ?", [person["id"]]
            )
    for person in people:
        desk.check_in(demo_store, day, person["id"], day_volunteer, now)
    app = make_app(demo_path, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_desk(app, pilot)
        table = app.screen.query_one("#queue")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    twins = [n for n in names if n.startswith("同名人")]
    assert len(twins) == 2 and twins[0] != twins[1] and all(len(n) > 3 for n in twins), names
    assert (
        sum(
            n == str(demo_store.scalar("SELECT name FROM persons WHERE id = ?", [people[2]["id"]]))
            for n in names
        )
        == 1
    )
