"""Every screen and dialog is usable at 80×24, in Chinese and English (issue 14, #7).

A field trial at 80×24 found the glucose box squeezed to 2 cells (a typed value
saved but never shown), the queue's doctor and flags, F5's status, places and
team, F6's phone and availability off screen, dialogs past the right edge and
home's list of screens cut short. The app gives every screen the class -narrow
below 100 columns (ClinicApp.HORIZONTAL_BREAKPOINTS) and the .tcss files reflow
under it; these tests drive each screen by keys at 80×24 and look at where its
parts are.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import DataTable

SIZE = (80, 24)
SCREEN = Region(0, 0, *SIZE)
LANGS = pytest.mark.parametrize("lang", ["en", "zh"])


async def go(pilot, *keys: str) -> None:
    """Press the keys, then wait for the screen and its workers to settle."""
    for key in keys:
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def assert_within_screen(widget) -> None:
    region = widget.region
    assert region.width > 0 and region.height > 0, (widget, region)
    assert SCREEN.contains_region(region), (widget, region)


def assert_dialog_fits(app) -> None:
    """The open dialog (a modal screen's outer box) lies within the 80×24 screen."""
    boxes = [child for child in app.screen.children if child.display]
    assert boxes, app.screen
    for box in boxes:
        assert_within_screen(box)


def columns_in_view(table: DataTable, *labels: str) -> None:
    """The columns named end within the table's visible width (no scrolling needed)."""
    right = 0
    ends = {}
    for column in table.ordered_columns:
        right += column.get_render_width(table)
        ends[str(column.label)] = right
    for label in labels:
        assert ends[label] <= table.scrollable_content_region.width, (label, ends, table.region)


def shown_line(widget) -> str:
    return widget.render_line(0).text


async def enter_desk(pilot) -> None:
    await go(pilot, "f4", "enter", "enter")  # the desk, today's clinic day, "that's me"
    assert type(pilot.app.screen).__name__ == "DeskScreen"


async def open_visit(pilot, name: str) -> None:
    await enter_desk(pilot)
    await go(pilot, *name, "enter", "ctrl+o")  # check in, the visit form
    assert type(pilot.app.screen).__name__ == "VisitScreen"


@LANGS
async def test_home_shows_every_screen_key(demo_path, lang, make_app):
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot)
        menu = app.screen.query_one("#menu-body")
        lines = str(menu.render()).splitlines()
        assert lines[-1].lstrip().startswith("^Q") and any("F8" in line for line in lines)
        assert menu.size.height == len(lines)  # one line each
        assert menu.parent.content_region.contains_region(menu.region)  # all in view
        assert_within_screen(app.screen.query_one("#days"))


@LANGS
async def test_visit_form_shows_what_is_typed(
    demo_path, demo_store, lang, today_day, a_person, make_app
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_visit(pilot, p["name"])
        await go(pilot, *"150/95", *"7.8")  # the form moves on to glucose by itself
        screen = app.screen
        form = screen.query_one("#visit-form")
        for fid, value in (("bp", "150/95"), ("glucose", "7.8")):
            box = screen.query_one(f"#{fid}")
            assert box.value == value
            assert box.region.width >= 6, (fid, box.region)
            assert form.region.contains_region(box.region), (fid, box.region)
            assert value in shown_line(box)
        assert_within_screen(screen.query_one("#visit-side"))
        await go(pilot, "ctrl+r")  # the prescription dialog
        assert type(app.screen).__name__ == "HandoutDialog"
        assert_dialog_fits(app)
        assert_within_screen(app.screen.query_one("#items"))


@LANGS
async def test_desk_queue_shows_doctor_and_flags(
    demo_path, demo_store, lang, today_day, a_person, make_app
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_visit(pilot, p["name"])
        await go(pilot, *"185/115", "escape")  # urgent: a flag in the queue
        queue = app.screen.query_one("#queue", DataTable)
        assert_within_screen(queue)
        assert_within_screen(app.screen.query_one("#results"))
        labels = [str(c.label) for c in queue.ordered_columns]
        columns_in_view(queue, *labels[:5])  # name … doctor whole; flags begin in view
        flags_start = sum(c.get_render_width(queue) for c in queue.ordered_columns[:5])
        assert flags_start + 4 <= queue.scrollable_content_region.width


@LANGS
async def test_desk_dialogs_lie_within_the_screen(demo_path, lang, make_app):
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, "f4")
        assert type(app.screen).__name__ == "DayPicker"
        assert_dialog_fits(app)
        await go(pilot, "enter")
        assert type(app.screen).__name__ == "VolunteerPicker"
        assert_dialog_fits(app)
        await go(pilot, "enter")
        for key, name in (("ctrl+n", "WalkInForm"), ("f10", "StockDialog")):
            await go(pilot, key)
            assert type(app.screen).__name__ == name
            assert_dialog_fits(app)
            await go(pilot, "escape")
        await go(pilot, "f10", "tab", *"30")  # a count typed in the stock dialog shows
        box = app.screen.focused
        assert box.value == "30" and box.region.width >= 6 and "30" in shown_line(box)
        await go(pilot, "escape")  # typed and not saved: asked first
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert_dialog_fits(app)
        await go(pilot, "y", "f9")  # close without saving
        assert type(app.screen).__name__ == "SummaryScreen"
        assert_within_screen(app.screen.query_one("#summary").parent)  # the scrolled view


@LANGS
async def test_clinic_days_show_status_places_and_team(demo_path, lang, make_app):
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, "f5")
        screen = app.screen
        days = screen.query_one("#days-list", DataTable)
        labels = [str(c.label) for c in days.ordered_columns]
        columns_in_view(days, *labels)  # status and places filled too
        assert days.scrollable_content_region.height >= 4  # four days of a month in view
        team = screen.query_one("#team", DataTable)
        assert team.row_count >= 3
        assert_within_screen(team)
        assert team.scrollable_content_region.height >= 4
        labels = [str(c.label) for c in team.ordered_columns]
        columns_in_view(team, *labels[:3])  # volunteer, role, status
        assert_within_screen(screen.query_one("#needs"))
        for key in ("n", "a", "R"):
            await go(pilot, key)
            assert screen is not app.screen, key
            assert_dialog_fits(app)
            await go(pilot, "escape")
        team.focus()
        await go(pilot, "h")  # the hours dialog of the first team member
        assert type(app.screen).__name__ == "HoursDialog"
        assert_dialog_fits(app)


@LANGS
async def test_volunteers_show_phone_and_availability(demo_path, lang, make_app):
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, "f6")
        vol_list = app.screen.query_one("#vol-list", DataTable)
        assert_within_screen(vol_list)
        labels = [str(c.label) for c in vol_list.ordered_columns]
        columns_in_view(vol_list, *labels[:4])  # name, specialty, phone, availability
        assert_within_screen(app.screen.query_one("#vol-detail"))
        await go(pilot, "n", *"王芳")
        assert app.screen.focused.value == "王芳" and "王芳" in shown_line(app.screen.focused)
        assert_dialog_fits(app)
        await go(pilot, "escape", "w")
        assert_dialog_fits(app)


@LANGS
async def test_villages_registers_reports_help_and_palette(demo_path, lang, make_app):
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, "f7")
        assert_within_screen(app.screen.query_one("#villages-table"))
        await go(pilot, "s")  # plan a season
        assert_dialog_fits(app)
        await go(pilot, "escape", "f3", *"zs")
        persons = app.screen.query_one("#persons", DataTable)
        assert persons.row_count
        assert_within_screen(persons)
        assert persons.ordered_columns[0].get_render_width(persons) <= persons.region.width
        await go(pilot, "f8")
        assert_within_screen(app.screen.query_one("#filters"))
        await go(pilot, "f1")
        assert_dialog_fits(app)
        await go(pilot, "escape", "ctrl+p", *("desk" if lang == "en" else "义诊"))
        assert type(app.screen).__name__ == "ClinicCommandPalette"
        assert_within_screen(app.screen.query_one("CommandInput"))
        assert_within_screen(app.screen.query_one("CommandList"))


@LANGS
async def test_messages_leave_the_typed_value_in_view(
    demo_path, demo_store, lang, today_day, a_person, make_app
):
    """Messages take rows above the footer: three of them at 24 rows still leave the
    field being typed in, and its value, in view."""
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_visit(pilot, p["name"])
        await go(pilot, *"150/95", *"7.8")
        for n in range(3):
            app.notify(f"message {n}", timeout=60)
        await go(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        toasts = list(app.screen.query_one("#textual-toastrack").query("Toast"))
        glucose = app.screen.query_one("#glucose")
        footer = app.screen.query_one("Footer")
        assert len(toasts) >= 3  # and "… checked in." when it has not gone yet
        for toast in toasts:
            assert_within_screen(toast)
            assert not toast.region.overlaps(glucose.region)
            assert toast.region.bottom <= footer.region.y  # above the footer, not over it
        assert glucose.region.height >= 1 and "7.8" in shown_line(glucose)


@LANGS
def test_visit_form_snapshot(
    demo_path, demo_store, snap_compare, lang, today_day, a_person, make_app
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path, lang)
    keys = ["f4", "enter", "enter", *p["name"], "enter", "ctrl+o", *"185/95", *"7.8"]
    assert snap_compare(app, terminal_size=SIZE, press=keys)


@LANGS
def test_clinic_days_snapshot(demo_path, snap_compare, lang, make_app):
    app = make_app(demo_path, lang)
    assert snap_compare(app, terminal_size=SIZE, press=["f5"])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_f1_stays_in_the_footer(demo_path, lang, size, make_app):
    """Every screen's footer shows F1 (help), first: last, F5's own keys pushed it off
    at 80 columns; docked at the right end, the palette's key covered it at 120."""
    from textual.widgets._footer import FooterKey

    width, height = size
    app = make_app(demo_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        for key in ("f2", "f3", "f5", "f6", "f7", "f8"):
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = [k for k in app.screen.query(FooterKey) if k.region.width]
            assert shown and shown[0].action == "help", (key, [k.action for k in shown])
            region = shown[0].region
            assert region.right <= width and region.y == height - 1, (key, region)
            assert not any(k.region.overlaps(region) for k in shown[1:]), key


def painted(widget) -> list[str]:
    """The lines of ``widget`` as painted on the screen."""
    size = widget.region.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, size.width, size.height))]


async def test_chinese_lines_break_between_characters_not_inside_numbers(
    demo_path, demo_store, today_day, a_person, make_app
):
    """80x24 in Chinese: the flag "（空腹≥7.0，随机≥11.1）" was cut inside 7.0, with its
    "!" on a line alone; a notification broke after the number of "已发放 1 份"."""
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path, "zh")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_visit(pilot, p["name"])
        await go(pilot, *"180/110", *"16.5")
        rows = painted(app.screen.query_one("#flags"))
        assert any("≥7.0，" in row for row in rows), rows
        assert not any(row.strip() in ("!", "‼") for row in rows), rows
        app.notify("张成珍：已发放 1 份；处方单已保存：/home/义诊/sheets/2026-12-02/张成珍.html")
        await go(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        toast = list(app.screen.query_one("#textual-toastrack").query("Toast"))[-1]
        rows = painted(toast)
        assert any("已发放 1 份" in row for row in rows), rows


@LANGS
async def test_a_form_says_how_to_save_it_at_80x24(demo_path, lang, make_app):
    """F6 n and F5 n at 80x24: the form fills the screen, its Save button below it;
    nothing said Ctrl+S saves, and F1 did nothing (a modal screen cuts the app's keys)."""
    from textual.widgets._footer import FooterKey

    from clinic.ui.help import HelpScreen

    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        for screen_key in ("f6", "f5"):
            await go(pilot, screen_key, "n")
            form = app.screen
            keys = {k.action: k for k in form.query(FooterKey)}
            for action in ("app.help", "save", "cancel"):
                assert action in keys and keys[action].region.width, (screen_key, action)
                assert keys[action].region.bottom <= SIZE[1]
            await go(pilot, "f1")
            assert isinstance(app.screen, HelpScreen)
            assert "Ctrl+S" in str(app.screen.query_one("#help Static").render())
            await go(pilot, "escape", "escape")
            assert app.screen is not form


@pytest.mark.parametrize(("size", "thanked"), [((80, 24), False), ((120, 36), True)])
async def test_the_desk_thanks_its_volunteer_where_it_fits(
    demo_path, demo_store, today_day, a_person, desk_user, now, size, thanked, make_app, open_desk
):
    """zh, 80 columns: " — 谢谢！" after the desk's volunteer took a second line."""
    from clinic.core import desk

    app = make_app(demo_path, "zh")
    async with app.run_test(size=size) as pilot:
        screen_keys = await open_desk(app, pilot)
        screen = app.screen
        p = a_person(consent=True, not_on_day=today_day["id"])
        visit_id, _new = desk.check_in(demo_store, today_day, p["id"], screen.volunteer_id, now)
        form = desk.VisitForm(values={"bp": "120/80"})
        desk.save_visit(
            demo_store,
            today_day,
            visit_id,
            form,
            now,
            screen.volunteer_id,
            by=desk_user,
            finish=True,
        )
        screen.refresh_bar()
        await screen_keys.press()
        bar = screen.query_one("#day-bar")
        assert bar.region.height == 1
        assert ("谢谢" in str(bar.render())) is thanked


@LANGS
async def test_the_coming_clinic_days_fit_the_home_screen(demo_path, lang, make_app):
    """80x24: the table was wider than its box, its last column cut ("Fil", "已排满岗")."""
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, "f2")
        table = app.screen.query_one("#days", DataTable)
        await pilot.pause()
        needed = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert needed <= table.scrollable_content_region.width, (needed, table.size)


async def test_a_wrong_value_is_said_in_view_at_80x24(demo_path, today_day, a_person, make_app):
    """zh 80x24: "abc" as the follow-up and Ctrl+D; the message under the field was
    below the screen's edge, and nothing seemed to happen."""
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_visit(pilot, p["name"])
        form = app.screen
        form.query_one("#follow_up_due").focus()
        await go(pilot, "ctrl+u", *"abc", "ctrl+d")
        await (
            pilot.wait_for_scheduled_animations()
        )  # the scroll to the message, on a slow machine too
        await pilot.pause()
        slot = form.query_one("#follow_up_due-error")
        footer = form.query_one("Footer")
        assert str(slot.render()), "no message"
        visible = form.query_one("#follow_up_due-error").region.intersection(form.region)
        assert visible.height >= 1 and slot.region.bottom <= footer.region.y, slot.region


@LANGS
async def test_the_day_picker_gives_each_day_one_line(demo_path, demo_store, lang, make_app):
    """F4 at 80×24: a past day's "已签到 43 人" took a second line (half as many days fitted).
    The venue is left out at this width, and a day marked done is not also called past."""
    from rich.cells import cell_len
    from textual.widgets import OptionList

    past = demo_store.scalar(
        "SELECT COUNT(*) FROM clinic_days WHERE status = 'done' AND date < date('now')"
    )
    assert past, "the demo has days done"
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, "f4")
        days = app.screen.query_one("#days", OptionList)
        width = days.scrollable_content_region.width
        prompts = [str(days.get_option_at_index(i).prompt) for i in range(days.option_count)]
        assert all(cell_len(p) <= width for p in prompts), (width, prompts)
        done = [p for p in prompts if ("[已完成]" in p or "[done]" in p)]
        assert done and not [p for p in done if "已过" in p or " past" in p], done
