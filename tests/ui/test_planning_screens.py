"""The planning screens driven by keys: clinic days (form, assign, refusals, roster), volunteers, villages."""

from __future__ import annotations

import json

import pytest
from textual import events
from textual.widgets import DataTable, Input, Select

from clinic.i18n import set_language

SIZE = (120, 40)


async def test_create_day_assign_and_refusals(demo_path, demo_store, make_app, go, settle):
    village = demo_store.one("SELECT id, name FROM villages ORDER BY id LIMIT 1")
    # A Tuesday: weekend-only volunteers are refused with the reason.
    weekend = demo_store.one(
        "SELECT id, name FROM volunteers WHERE weekdays = '56' AND holidays = 0 "
        "AND specialty_code = 'gp' LIMIT 1"
    )
    if weekend is None:
        weekend_id = (
            demo_store.db["volunteers"]
            .insert(
                {
                    "uid": "w1",
                    "name": "周末甲",
                    "specialty_code": "gp",
                    "weekdays": "56",
                    "holidays": 0,
                }
            )
            .last_pk
        )
        weekend = {"id": weekend_id, "name": "周末甲"}
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f5")
        await go(pilot, app, "n")
        form = app.screen
        form.query_one("#date", Input).value = "2026-12-22"
        form.query_one("#village", Select).value = village["id"]
        form.query_one("#needs", Input).value = "全科=2,护士=1"
        await go(pilot, app, "ctrl+s")
        day = demo_store.one("SELECT * FROM clinic_days WHERE date = '2026-12-22'")
        assert day and day["village_id"] == village["id"]
        assert (
            demo_store.scalar(
                "SELECT SUM(count) FROM clinic_day_needs WHERE clinic_day_id = ?", [day["id"]]
            )
            == 3
        )
        assert app.screen.day_id == day["id"]

        await go(pilot, app, "a")
        dialog = app.screen
        dialog.query_one("#filter", Input).value = weekend["name"]
        await settle(pilot, app)
        table = dialog.query_one("#candidates", DataTable)
        assert "does not serve on Tuesdays" in str(table.get_row_at(0)[-1])
        table.focus()
        await go(pilot, app, "enter")
        assert "Refused" in str(dialog.query_one("#assign-status").render())
        assert "Tuesday" in str(dialog.query_one("#assign-status").render())
        # Someone free is accepted.
        dialog.query_one("#filter", Input).value = ""
        await settle(pilot, app)
        first = table.get_row_at(0)
        assert str(first[-1]) == "yes"
        table.focus()
        table.move_cursor(row=0)
        await go(pilot, app, "enter")
        assert "assigned" in str(dialog.query_one("#assign-status").render())
        await go(pilot, app, "escape")
        team = app.screen.query_one("#team", DataTable)
        assert team.row_count == 1
        team.focus()
        await go(pilot, app, "c")
    assert (
        demo_store.scalar("SELECT status FROM assignments WHERE clinic_day_id = ?", [day["id"]])
        == "confirmed"
    )


async def test_roster_preview_and_apply(demo_path, demo_store, make_app, go, settle):
    before = demo_store.scalar("SELECT COUNT(*) FROM assignments WHERE source = 'roster'")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f5")
        await pilot.press("right_square_bracket")  # December: the month has open places
        await settle(pilot, app)
        await go(pilot, app, "r")
        preview = app.screen
        proposals = preview.query_one("#proposals", DataTable).row_count
        assert proposals > 0
        assert "open places filled" in str(preview.query_one("#roster-summary").render())
        assert (
            demo_store.scalar("SELECT COUNT(*) FROM assignments WHERE source = 'roster'") == before
        )
        await go(pilot, app, "a")
        assert app.screen.__class__.__name__ == "ClinicDaysScreen"
    assert (
        demo_store.scalar("SELECT COUNT(*) FROM assignments WHERE source = 'roster'")
        == before + proposals
    )


async def test_a_tab_typed_at_paste_speed_moves_on_before_the_next_keys(demo_path, make_app, go):
    """Keys arriving together (a paste, a scanner, a text expander): "王五⇥139" made the
    name "王五139", the Tab handled after the digits. Then Shift+Tab back, at speed too:
    the name selected as the focus comes to it, "甲" typed over it as at any speed."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        await go(pilot, app, "n")
        form = app.screen
        assert form.focused is form.query_one("#f-name", Input)
        for key, char in [("王", "王"), ("五", "五"), ("tab", None), *[(d, d) for d in "139"]]:
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("shift+tab", None))
        app.post_message(events.Key("甲", "甲"))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#f-name", Input).value == "甲"
        assert form.query_one("#f-phone", Input).value == "139"


async def test_volunteer_form_and_villages_where_next(demo_path, demo_store, make_app, go, settle):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        await go(pilot, app, "n")
        form = app.screen
        form.query_one("#f-name", Input).value = "新志愿者"
        form.query_one("#f-phone", Input).value = "13812345678"
        form.query_one("#f-spec", Select).value = "tcm"
        form.query_one("#f-avail", Input).value = "周六;节假日"
        form.query_one("#f-max", Input).value = "2"
        form.query_one("#f-unavailable", Input).value = "2026-12-05, 2026/12/12"
        await go(pilot, app, "ctrl+s")
        row = demo_store.one("SELECT * FROM volunteers WHERE name = '新志愿者'")
        assert row["weekdays"] == "5" and row["holidays"] == 1 and row["max_days_per_month"] == 2
        assert (
            demo_store.scalar(
                "SELECT COUNT(*) FROM volunteer_unavailable WHERE volunteer_id = ?", [row["id"]]
            )
            == 2
        )
        # Editing keeps the phone on record without showing it.
        app.screen.query_one("#vol-name", Input).value = "新志愿者"
        await settle(pilot, app)
        app.screen.query_one("#vol-list").focus()
        await go(pilot, app, "e")
        assert app.screen.query_one("#f-phone", Input).value == ""
        assert "138****5678" in app.screen.query_one("#f-phone", Input).placeholder
        await go(pilot, app, "ctrl+s")
        assert (
            demo_store.scalar("SELECT phone FROM volunteers WHERE id = ?", [row["id"]])
            == "13812345678"
        )

        await go(pilot, app, "f7")
        await go(pilot, app, "w")
        assert "households not served" in str(app.screen.query_one("#villages-why").render())


async def test_weekend_list_records_a_visit(demo_path, demo_store, make_app, go, settle):
    from clinic.core import planning as p

    cadre = demo_store.one("SELECT id FROM volunteers WHERE is_cadre = 1 LIMIT 1")["id"]
    household = demo_store.one("SELECT id FROM households LIMIT 1")["id"]
    other = demo_store.one(
        "SELECT id, number FROM households WHERE number IS NOT NULL AND cadre_id IS NULL "
        "AND id != ? LIMIT 1",
        [household],
    )
    p.pair(demo_store, household, cadre)
    name = demo_store.scalar("SELECT name FROM volunteers WHERE id = ?", [cadre])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        app.screen.query_one("#vol-name", Input).value = name
        await settle(pilot, app)
        app.screen.query_one("#vol-list").focus()
        await go(pilot, app, "w")
        assert app.screen.query_one("#weekend", DataTable).row_count >= 1
        await go(pilot, app, "v")
        rows = app.screen.query_one("#weekend", DataTable).row_count
        await pilot.press("p")
        await go(pilot, app, *other["number"], "enter")
        assert app.screen.query_one("#weekend", DataTable).row_count == rows + 1
    assert demo_store.scalar("SELECT COUNT(*) FROM pairing_visits WHERE cadre_id = ?", [cadre]) == 1
    assert demo_store.scalar("SELECT cadre_id FROM households WHERE id = ?", [other["id"]]) == cadre


async def test_the_highlight_stays_on_the_household_just_visited(
    demo_path, demo_store, make_app, go, settle, said
):
    """v moves the household visited down the list (the least recently visited come
    first); the highlight stayed on the row, so a second v went to another household."""
    from clinic.core import planning as p

    cadre = demo_store.one("SELECT id, name FROM volunteers WHERE is_cadre = 1 LIMIT 1")
    with demo_store.transaction():
        demo_store.conn.execute(
            "UPDATE households SET cadre_id = NULL WHERE cadre_id = ?", [cadre["id"]]
        )
    for household in demo_store.query("SELECT id FROM households ORDER BY id LIMIT 3"):
        p.pair(demo_store, household["id"], cadre["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        app.screen.query_one("#vol-name", Input).value = cadre["name"]
        await settle(pilot, app)
        app.screen.query_one("#vol-list").focus()
        await go(pilot, app, "w")
        table = app.screen.query_one("#weekend", DataTable)
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        await go(pilot, app, "v")
        assert table.get_row_index(first) != 0  # moved down the list
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == first
        await go(pilot, app, "v")  # the same household again: one visit a day
        messages = said(app)
    visited = demo_store.query(
        "SELECT household_id FROM pairing_visits WHERE cadre_id = ?", [cadre["id"]]
    )
    assert [v["household_id"] for v in visited] == [int(first)]
    assert "recorded already" in messages[-1]


@pytest.mark.parametrize("lang,word", [("en", "(overdue)"), ("zh", "（已逾期）")])
async def test_weekend_list_says_overdue_in_words(
    demo_path, demo_store, lang, word, make_app, go, settle, cadre_with_due_dates
):

    name, late, ahead = cadre_with_due_dates(demo_store)
    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        app.screen.query_one("#vol-name", Input).value = name
        await settle(pilot, app)
        app.screen.query_one("#vol-list").focus()
        await go(pilot, app, "w")
        table = app.screen.query_one("#weekend", DataTable)
        due = {str(table.get_row(key)[0]): str(table.get_row(key)[2]) for key in table.rows}
    assert due[late] == "2020-01-04" + (" " if lang == "en" else "") + word
    assert due[ahead] == "2099-01-04"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_calendar_snapshot(demo_path, snap_compare, lang, make_app):
    app = make_app(demo_path, lang)
    try:
        assert snap_compare(app, terminal_size=SIZE, press=["f5", "right_square_bracket"])
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_volunteer_list_snapshot(demo_path, snap_compare, lang, make_app):
    app = make_app(demo_path, lang)
    try:
        assert snap_compare(app, terminal_size=SIZE, press=["f6"])
    finally:
        set_language("en")


async def test_screen_keys_are_in_the_command_palette(demo_path, today, make_app, go):
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f5")
        await pilot.press("ctrl+p")
        await pilot.press(*"next month")
        await pilot.pause(0.5)
        await go(pilot, app, "enter")
        assert app.screen.month == today.month % 12 + 1


async def test_plan_a_season_from_the_villages_screen(demo_path, demo_store, make_app, go):
    before = demo_store.scalar("SELECT COUNT(*) FROM clinic_days")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f7")
        await go(pilot, app, "s")
        proposed = app.screen.query_one("#season", DataTable).row_count
        assert proposed > 0
        await go(pilot, app, "ctrl+s")
        assert app.screen.__class__.__name__ == "VillagesScreen"
    assert demo_store.scalar("SELECT COUNT(*) FROM clinic_days") == before + proposed


async def december_team(pilot, app, store, go, settle, size: int, order: str) -> DataTable:
    """F5, December, the first (ASC) or last (DESC) day with a team of ``size`` or more:
    its team list, focused."""
    await go(pilot, app, "f5", "right_square_bracket")
    days = app.screen.query_one("#days-list", DataTable)
    day = store.scalar(
        "SELECT d.id FROM clinic_days d JOIN assignments a ON a.clinic_day_id = d.id "
        "WHERE d.date LIKE '2026-12-%' GROUP BY d.id HAVING COUNT(*) >= ? "
        f"ORDER BY d.date {order} LIMIT 1",
        [size],
    )
    days.focus()
    days.move_cursor(row=days.get_row_index(str(day)))
    await settle(pilot, app)
    team = app.screen.query_one("#team", DataTable)
    team.focus()
    return team


@pytest.mark.parametrize("key,status", [("c", "confirmed"), ("d", "declined"), ("t", "attended")])
async def test_status_keys_keep_the_highlight_on_the_same_volunteer(
    demo_path, demo_store, key, status, make_app, go, settle
):
    """c/d/t/x act on the third team member and the highlight stays on them, so the next key
    acts on the same person (it used to jump back to the first row)."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        # A December day with a team of three or more, preferably not the first of the month.
        team = await december_team(pilot, app, demo_store, go, settle, 3, "DESC")
        screen = app.screen
        assert team.row_count >= 3
        await go(pilot, app, "down", "down")
        third = int(team.coordinate_to_cell_key(team.cursor_coordinate).row_key.value)
        await go(pilot, app, key)
        assert demo_store.scalar("SELECT status FROM assignments WHERE id = ?", [third]) == status
        assert int(team.coordinate_to_cell_key(team.cursor_coordinate).row_key.value) == third
        assert screen.focused is team
        # The next key acts on the same volunteer too.
        await go(pilot, app, "x")
        if app.screen is not screen:  # changing a recorded attendance asks first
            await go(pilot, app, "y")
        assert demo_store.scalar("SELECT status FROM assignments WHERE id = ?", [third]) == (
            "no_show"
        )
        assert int(team.coordinate_to_cell_key(team.cursor_coordinate).row_key.value) == third


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_highlighted_volunteer_stays_in_view_at_80x24(
    demo_path, demo_store, lang, make_app, go, settle
):
    """80x24: t on the fourth of today's team adds the notes on attendance and hours to
    the team's title; the highlighted volunteer stayed below the box, out of view."""
    app = make_app(demo_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        team = await december_team(pilot, app, demo_store, go, settle, 6, "ASC")
        screen = app.screen
        for _step in range(3):
            await go(pilot, app, "down")
            await go(pilot, app, "t")
        await go(pilot, app, "down", "down")
        box = screen.query_one("#team-box")
        row = team.cursor_row
        shown_at = team.region.y + 1 + row - int(team.scroll_y)  # under the column headers
        assert box.region.y < shown_at < box.region.bottom - 1, (row, team.region, box.region)
        assert team.region.bottom <= box.region.bottom


async def test_roster_preview_columns_show_whole_dates(demo_path, make_app, go):
    """Rows come from a worker after the first render: the columns were cut to the header
    ("2026" for a date, "Tra" for a reason)."""
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "f5", "right_square_bracket", "R")
        preview = app.screen
        for table_id in ("#proposals", "#unfilled"):
            table = preview.query_one(table_id, DataTable)
            assert table.row_count > 0, table_id
            # Sized from the rows before they are added (a real terminal draws the rows cached
            # at the old width before an idle re-measure; headless redraws too late to see it).
            assert table.ordered_columns[0].width >= len("2026-12-19"), table_id


async def test_the_new_day_form_applies_the_rules_of_day_add(demo_path, demo_store, make_app, go):
    """The form refuses a past date as planned and a day needing nobody (core.check_day), and
    records a past day held with the status done."""
    village = demo_store.one("SELECT id FROM villages ORDER BY id LIMIT 1")["id"]
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "f5", "n")
        form = app.screen
        form.query_one("#date", Input).value = "2020-01-04"
        form.query_one("#village", Select).value = village
        await go(pilot, app, "ctrl+s")
        assert "2020-01-04 is in the past" in str(form.query_one("#error").render())
        form.query_one("#date", Input).value = "2026-12-29"
        form.query_one("#needs", Input).value = "全科=0"
        await go(pilot, app, "ctrl+s")
        assert "at least one place" in str(form.query_one("#error").render())
        form.query_one("#date", Input).value = "2020-01-04"
        form.query_one("#needs", Input).value = "全科=1"
        form.query_one("#status", Select).value = "done"
        await go(pilot, app, "ctrl+s")
        assert app.screen is not form
    assert demo_store.scalar("SELECT status FROM clinic_days WHERE date = '2020-01-04'") == "done"
    assert demo_store.scalar("SELECT COUNT(*) FROM clinic_days WHERE date = '2026-12-29'") == 0


async def test_a_volunteer_with_brackets_in_the_name_is_shown_as_typed(
    demo_path, demo_store, make_app, go
):
    """User data is never markup: "[b]" in a name or licence used to be read as a tag."""
    demo_store.db["volunteers"].update(
        demo_store.scalar("SELECT id FROM volunteers ORDER BY name LIMIT 1"),
        {"name": "[王]芳[/b]", "licence_no": "[red]110[/red]"},
    )
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        shown = str(app.screen.query_one("#vol-info").render())
        assert "[王]芳[/b]" in shown and "[red]110[/red]" in shown


async def test_villages_screen_writes_the_follow_up_list(demo_path, demo_store, make_app, go, said):
    """F7, f: the highlighted village's follow-up list, in exports/ beside the database."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f7")
        table = app.screen.query_one("#villages-table", DataTable)
        names = app.screen.village_names
        village = "中峰镇/龙山村"  # a village with follow-ups due in the demo
        row = [names[i] for i in app.screen.village_ids].index(village)
        table.move_cursor(row=row)
        await go(pilot, app, "f")
        messages = said(app)
    (written,) = list((demo_path.parent / "exports").glob("follow-ups-*.html"))
    assert any(str(written) in m and "follow-ups" in m for m in messages)
    assert village.split("/")[1] in written.name
    assert written.stat().st_mode & 0o777 == 0o600
    assert (written.parent.stat().st_mode & 0o777) == 0o700
    text = written.read_text(encoding="utf-8")
    assert village.replace("/", " ") in text
    log = demo_store.one("SELECT * FROM audit_log ORDER BY id DESC")
    detail = json.loads(log["detail"])
    assert log["action"] == "export" and detail["dataset"] == "follow-ups"
    assert detail["filters"]["villages"] == [village] and detail["format"] == "html"


async def test_no_follow_up_list_is_written_for_a_village_without_follow_ups(
    demo_path, demo_store, today, make_app, go, said
):
    """F7, f on a village where nobody is due: it wrote an empty list (and audited an
    export of nothing); now it says so and writes nothing."""
    from clinic.core.exports.follow_up_list import follow_up_list_html
    from clinic.core.reports import ReportFilters

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f7")
        screen = app.screen
        names = [screen.village_names[i] for i in screen.village_ids]
        empty = next(
            name
            for name in names
            if not follow_up_list_html(demo_store, ReportFilters(villages=(name,)), today=today)[1]
        )
        audited = demo_store.scalar("SELECT COUNT(*) FROM audit_log")
        screen.query_one("#villages-table", DataTable).move_cursor(row=names.index(empty))
        await go(pilot, app, "f")
        messages = said(app)
    assert not list((demo_path.parent / "exports").glob("follow-ups-*.html"))
    assert demo_store.scalar("SELECT COUNT(*) FROM audit_log") == audited
    assert any(empty.replace("/", " ") in m and "no list written" in m for m in messages)


async def test_the_filter_key_in_the_filter_box_is_not_typed(demo_path, make_app, go):
    """ "/ Filter": from the list to the name filter; pressed again there, nothing typed."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6")
        box = app.screen.query_one("#vol-name", Input)
        assert not box.has_focus
        await go(pilot, app, "slash")
        assert box.has_focus
        await go(pilot, app, "slash", "a")
        assert box.value == "a"
        box.value = ""
        app.screen.query_one("#vol-list").focus()
        await go(pilot, app)
        for key, character in (("slash", "/"), ("周", "周")):  # at once, as pasted
            app.post_message(events.Key(key, character))
        await go(pilot, app)
        assert box.has_focus and box.value == "周"


@pytest.mark.parametrize(("lang", "any_time"), [("en", "any"), ("zh", "不限")])
async def test_the_volunteer_form_speaks_the_users_language(
    demo_path, demo_store, lang, any_time, make_app, go
):
    """F6 n in English showed "Availability (周末, 工作日 …)" and the value 不限."""
    import re

    from textual.widgets import Label

    app = make_app(demo_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6", "n")
        form = app.screen
        assert form.query_one("#f-avail", Input).value == any_time
        labels = [str(label.render()) for label in form.query(Label)]
        if lang == "en":
            assert not [t for t in labels if re.search(r"[\u4e00-\u9fff]", t)], labels
        form.query_one("#f-name", Input).value = "周末甲乙"
        form.query_one("#f-avail", Input).value = "weekends" if lang == "en" else "周末"
        await go(pilot, app, "ctrl+s")
    saved = demo_store.one("SELECT weekdays, holidays FROM volunteers WHERE name = '周末甲乙'")
    assert saved == {"weekdays": "56", "holidays": 0}


async def test_ctrl_q_asks_before_a_form_typed_in_is_lost(demo_path, demo_store, make_app, go):
    """F6 n, a name typed, Ctrl+Q: the app quit at once and the name was lost. Now it
    asks; Stay keeps the form as typed; a form opened and left untouched quits at once."""
    from clinic.ui.widgets.confirm import ConfirmDialog

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6", "n", *"未保存")
        form = app.screen
        await go(pilot, app, "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await go(pilot, app, "n")  # Stay
        assert app.screen is form and form.query_one("#f-name", Input).value == "未保存"
        await go(pilot, app, "ctrl+s")  # saved: nothing left to lose
        await go(pilot, app, "n")
        await go(pilot, app, "ctrl+q")
        assert not isinstance(app.screen, ConfirmDialog)
    assert demo_store.scalar("SELECT COUNT(*) FROM volunteers WHERE name = '未保存'") == 1


async def test_esc_asks_before_a_form_typed_in_is_lost(demo_path, demo_store, make_app, go):
    """F6 n, a name typed, Esc: the form closed and the name was gone without a word. Now
    Esc asks; n (or Esc again) keeps the form as typed, y closes it; a form left untouched
    closes at Esc at once."""
    from clinic.ui.widgets.confirm import ConfirmDialog

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await go(pilot, app, "f6", "n", *"未保存")
        form = app.screen
        await go(pilot, app, "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await go(pilot, app, "escape")  # Esc on the question: keep editing
        assert app.screen is form and form.query_one("#f-name", Input).value == "未保存"
        await go(pilot, app, "escape", "y")
        assert app.screen is not form and not isinstance(app.screen, ConfirmDialog)
        await go(pilot, app, "n")
        untouched = app.screen
        await go(pilot, app, "escape")
        assert app.screen is not untouched and not isinstance(app.screen, ConfirmDialog)
    assert demo_store.scalar("SELECT COUNT(*) FROM volunteers WHERE name = '未保存'") == 0


async def test_where_next_reasons_keep_numbers_with_their_words(demo_path, make_app, go):
    """F7 w at 80 columns in Chinese: "21 人 14" / "天内待随访" was cut between the number
    and its measure word."""
    from rich.cells import cell_len

    app = make_app(demo_path, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, app, "f7", "w")
        table = app.screen.query_one("#villages-table", DataTable)
        width = table.columns["why"].width
        for index in range(table.row_count):
            rows = str(table.get_row_at(index)[-1]).split("\n")
            assert all(cell_len(row) <= width for row in rows), rows
            for before, after in zip(rows, rows[1:], strict=False):
                assert not (before[-1:].isdigit() and after[:1] == "天"), (before, after)
