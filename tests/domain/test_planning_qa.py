"""QA defects in the planning area: duplicate days, filled places, status keys, defaults, wording."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from planning_helpers import day as _day
from planning_helpers import village as _village
from planning_helpers import volunteer as _volunteer

from clinic.cli.main import cli
from clinic.core import planning as p
from clinic.core.figures import follow_up_totals
from clinic.store import planning as q

from conftest import TODAY


@pytest.fixture(autouse=True)
def cli_today(monkeypatch):
    """The command line's today is the tests' TODAY, so dates in these tests stay to come."""
    monkeypatch.setattr("clinic.cli.planning._today", lambda: TODAY)


def test_a_second_day_in_one_village_on_one_date_is_refused(store):
    village = _village(store)
    first = _day(store, village, date="2026-12-19")
    with pytest.raises(
        p.PlanningError, match=rf"already a clinic day in 龙山村 on 2026-12-19 \(number {first}"
    ):
        _day(store, village, date="2026-12-19")
    assert store.scalar("SELECT count(*) FROM clinic_days") == 1
    # Another village that date, or this village another date, is fine; so is moving onto a cancelled day.
    _day(store, _village(store, "高庙村", "郭扶镇"), date="2026-12-19")
    second = _day(store, village, date="2026-12-26")
    day = p.get_day(store, second)
    move = p.DayInput(date="2026-12-19", village_id=village, organisation_id=None, needs={"gp": 1})
    with pytest.raises(p.PlanningError, match="already a clinic day"):
        p.edit_day(store, second, move, today=TODAY)
    assert p.get_day(store, second)["date"] == day["date"]
    p.set_day_status(store, first, "cancelled")
    p.edit_day(store, second, move, today=TODAY)


def test_duplicate_day_refused_from_the_command_line(store, tmp_path):
    _village(store)
    store.close()
    db = str(tmp_path / "test.db")
    runner = CliRunner()
    args = [
        "--db",
        db,
        "day",
        "add",
        "--date",
        "2026-12-19",
        "--village",
        "龙山村",
        "--needs",
        "全科=1",
    ]
    assert runner.invoke(cli, args).exit_code == 0
    again = runner.invoke(cli, args)
    assert again.exit_code == 1 and "already a clinic day in 龙山村 on 2026-12-19" in again.output
    assert "Traceback" not in again.output


def test_filled_counts_places_of_the_role_only(store, tmp_path):
    village = _village(store)
    day_id = _day(store, village, date="2026-12-19", needs="全科=3,护士=3")
    for i in range(6):  # six GPs for three GP places, no nurse: 3 of 6 filled, not 6/6
        vol = _volunteer(store, f"医生{i}")
        p.assign(store, day_id, vol)
    for i in range(2):  # two pharmacists nobody asked for
        p.assign(store, day_id, _volunteer(store, f"药师{i}", specialty="pharmacist"))
    row = p.get_day(store, day_id)
    assert (row["filled"], row["needed"], row["assigned"]) == (3, 6, 8)
    home = p.upcoming_days(store, dt.date(2026, 12, 1))
    assert (home[0]["filled"], home[0]["needed"], home[0]["assigned"]) == (3, 6, 8)
    lines = {n.role: n for n in p.day_needs(store, day_id)}
    assert lines["gp"].filled == 3 and lines["nurse"].filled == 0 and lines["nurse"].open == 3
    assert q.days_between(store, "2026-12-19", "2026-12-19")[0]["filled"] == 3
    store.close()
    db = str(tmp_path / "test.db")
    out = (
        CliRunner()
        .invoke(cli, ["--db", db, "day", "list", "--from", "2026-12-01", "--to", "2026-12-31"])
        .output
    )
    assert " 3/6 " in out and "8/6" not in out
    data = json.loads(
        CliRunner()
        .invoke(
            cli, ["--db", db, "day", "list", "--from", "2026-12-01", "--to", "2026-12-31", "--json"]
        )
        .output
    )
    assert data[0]["filled"] == 3 and data[0]["needed"] == 6


def test_changing_recorded_attendance_needs_consent(store):
    village = _village(store)
    day_id = _day(store, village, date="2026-11-21", status="done")
    a, _w = p.assign(store, day_id, _volunteer(store, "张到"))
    p.set_assignment(store, a, status="attended")
    with pytest.raises(p.AttendanceRecorded, match="张到 is recorded as attended"):
        p.set_assignment(store, a, status="confirmed")
    assert store.scalar("SELECT status FROM assignments WHERE id = ?", [a]) == "attended"
    p.set_assignment(store, a, status="no_show", change_attendance=True)
    assert store.scalar("SELECT status FROM assignments WHERE id = ?", [a]) == "no_show"


async def test_status_keys_act_only_on_a_focused_team_row(demo_path, demo_store):
    from test_planning_screens import go, make_app
    from textual.widgets import DataTable

    from clinic.ui.planning_widgets import ConfirmDialog, cursor_id

    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await go(pilot, app, "f5")
        screen = app.screen
        day_id = screen.day_id
        a = demo_store.one(
            "SELECT id FROM assignments WHERE clinic_day_id = ? ORDER BY id LIMIT 1", [day_id]
        )
        if a is None:
            a = {
                "id": p.assign(
                    demo_store, day_id, demo_store.scalar("SELECT id FROM volunteers LIMIT 1")
                )[0]
            }
        demo_store.conn.execute(
            "UPDATE assignments SET status = 'attended' WHERE clinic_day_id = ?", [day_id]
        )
        demo_store.conn.commit()
        screen.refresh_month()
        await go(pilot, app)
        status = "SELECT status FROM assignments WHERE id = ?"
        assert screen.focused is screen.query_one("#days-list")
        for key in ("c", "d", "t", "x", "delete"):
            await go(pilot, app, key)
        assert demo_store.scalar(status, [a["id"]]) == "attended"
        team = screen.query_one("#team", DataTable)
        team.focus()
        await go(pilot, app)
        a = {"id": cursor_id(team)}
        await go(pilot, app, "c")
        assert isinstance(app.screen, ConfirmDialog)
        await go(pilot, app, "n")
        assert demo_store.scalar(status, [a["id"]]) == "attended"
        assert screen.focused is team
        await go(pilot, app, "c")
        assert isinstance(app.screen, ConfirmDialog)
        await go(pilot, app, "y")
        assert not isinstance(app.screen, ConfirmDialog), app.screen
        assert demo_store.scalar(status, [a["id"]]) == "confirmed"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_new_day_and_season_have_real_default_needs(demo_path, demo_store, lang):
    from test_planning_screens import go, make_app
    from textual.widgets import Input, Select

    from clinic.i18n import set_language

    app = make_app(demo_path, lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await go(pilot, app, "f5")
            await go(pilot, app, "n")
            form = app.screen
            needs = form.query_one("#needs", Input).value
            assert needs.startswith("General practice=2" if lang == "en" else "全科=2")
            form.query_one("#date", Input).value = "2026-12-23"
            form.query_one("#village", Select).value = demo_store.scalar(
                "SELECT id FROM villages ORDER BY id"
            )
            await go(pilot, app, "ctrl+s")
            day = demo_store.scalar("SELECT id FROM clinic_days WHERE date = '2026-12-23'")
            assert (
                demo_store.scalar(
                    "SELECT SUM(count) FROM clinic_day_needs WHERE clinic_day_id = ?", [day]
                )
                == 6
            )
            await go(pilot, app, "f7")
            await go(pilot, app, "s")
            dialog = app.screen
            assert dialog.query_one("#s-weekdays", Input).value == (
                "Saturday" if lang == "en" else "周六"
            )
            assert (
                p.parse_needs(demo_store, dialog.query_one("#s-needs", Input).value)
                == p.DEFAULT_NEEDS
            )
    finally:
        set_language("en")


def test_villages_count_today_and_follow_ups_like_the_home_screen(store):
    import datetime as dt

    from clinic.store.connection import new_uid

    village = _village(store)
    today = dt.date(2026, 11, 24)
    day_id = _day(store, village, date=today.isoformat())
    person = (
        store.db["persons"]
        .insert({"uid": new_uid(), "name": "病人", "village_id": village})
        .last_pk
    )
    for due in ("2026-11-20", "2026-12-01", "2027-01-30"):  # overdue, within 14 days, later
        other = (
            store.db["persons"]
            .insert({"uid": new_uid(), "name": "病人", "village_id": village})
            .last_pk
        )
        store.db["visits"].insert(
            {
                "uid": new_uid(),
                "clinic_day_id": day_id,
                "person_id": other,
                "arrived_at": "2026-11-24 09:00",
                "follow_up_due": due,
            }
        )
    store.db["visits"].insert(
        {
            "uid": new_uid(),
            "clinic_day_id": day_id,
            "person_id": person,
            "arrived_at": "2026-11-24 09:30",
        }
    )
    store.conn.commit()
    row = p.village_overview(store, today)[0]
    assert row["last_day"] == "2026-11-24" and row["next_day"] is None
    assert (row["follow_ups_due"], row["follow_ups_overdue"]) == (2, 1)
    assert row["follow_ups_due"] == follow_up_totals(store, today)["due"]
    reasons = p.where_next(store, today)[0].reasons
    assert "no clinic day yet" not in reasons
    assert "clinic day today (2026-11-24)" in reasons
    assert "2 follow-ups due within 14 days (1 overdue)" in reasons
    plan = p.propose_season(store, "2026-12-01", "2026-12-31", today)
    assert all("no clinic day yet" not in s.reasons for s in plan.days)


def test_singular_and_plural():
    from clinic.i18n import set_language

    data = {
        "filled": 1,
        "open_places": 1,
        "max_days_per_volunteer": 1,
        "organising_members": 1,
        "seconds": 0.1,
    }
    assert "at most 1 day per volunteer" in p.roster_summary(data)
    assert "1 place to members" in p.roster_summary(data)
    assert "at most 2 days per volunteer" in p.roster_summary({**data, "max_days_per_volunteer": 2})
    one = p.VolunteerSummary(days=1, attended=0, no_shows=1, hours=1.0, upcoming=[])
    assert p.volunteer_record(one) == "1 clinic day, 0 attended, 1 no-show, 1 hour served"
    two = p.VolunteerSummary(days=2, attended=2, no_shows=0, hours=7.0, upcoming=[])
    assert p.volunteer_record(two) == "2 clinic days, 2 attended, 0 no-shows, 7 hours served"
    set_language("zh")
    try:
        assert p.volunteer_record(one) == "义诊 1 次，到场 0 次，未到 1 次，服务 1 小时"
        assert "每位志愿者最多 1 天" in p.roster_summary(data)
    finally:
        set_language("en")


def test_a_count_that_is_not_a_whole_number_says_so(store, tmp_path):
    for text in ("全科=abc", "全科=2.5"):
        with pytest.raises(p.PlanningError, match="must be a whole number"):
            p.parse_needs(store, text)
    with pytest.raises(p.PlanningError, match="Unknown specialty"):
        p.parse_needs(store, "外星科=abc")
    assert p.parse_needs(store, "全科=2 护士=1") == {"gp": 2, "nurse": 1}
    _village(store)
    store.close()
    out = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "test.db"),
            "day",
            "add",
            "--date",
            "2026-12-19",
            "--village",
            "龙山村",
            "--needs",
            "全科=abc",
        ],
    )
    assert (
        out.exit_code == 1
        and "whole number" in out.output
        and "Unknown specialty" not in out.output
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_tables_fit_at_120_columns(demo_path, lang):
    from test_planning_screens import go, make_app
    from textual.widgets import DataTable

    from clinic.i18n import set_language

    app = make_app(demo_path, lang)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            for key, tables in (
                ("f5", ["#team", "#needs", "#days-list"]),
                ("f6", ["#vol-list"]),
                ("f7", ["#villages-table"]),
            ):
                await go(pilot, app, key)
                if key == "f7":
                    await go(pilot, app, "w")
                for name in tables:
                    table = app.screen.query_one(name, DataTable)
                    assert table.virtual_size.width <= table.scrollable_content_region.width, (
                        lang,
                        name,
                    )
            await go(pilot, app, "s")
            table = app.screen.query_one("#season", DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width
    finally:
        set_language("en")


def test_volunteer_phone_kept_replaced_or_removed():
    from clinic.ui.volunteers import _phone_field

    assert _phone_field("", "13800001111") == "13800001111"
    assert _phone_field("13900002222", "13800001111") == "13900002222"
    assert _phone_field(" - ", "13800001111") is None


def test_a_clinic_day_needs_a_place_and_a_date_to_come_unless_recorded_as_done(store):
    """day add accepted 2020-01-04 as planned, --needs 全科=0 or "" (a day needing nobody), and
    called 全科=-1 "not a whole number"; the same rules hold for the form (core.check_day)."""
    village = _village(store)
    with pytest.raises(p.PlanningError, match="2020-01-04 is in the past.*status to done"):
        _day(store, village, date="2020-01-04")
    with pytest.raises(p.PlanningError, match="2020-01-04 is in the past"):
        _day(store, village, date="2020-01-04", status="confirmed")
    held = _day(store, village, date="2020-01-04", status="done")  # written on paper first
    assert p.get_day(store, held)["status"] == "done"
    with pytest.raises(p.PlanningError, match="still to come"):
        _day(store, village, date="2026-12-19", status="done")
    assert p.get_day(store, _day(store, village, date=TODAY.isoformat()))["date"] == "2026-11-24"
    for needs in ("全科=0", "", "全科=0,护士=0"):
        with pytest.raises(p.PlanningError, match="at least one place"):
            _day(store, village, date="2026-12-26", needs=needs)
    with pytest.raises(p.PlanningError, match="between 0 and 50"):
        p.parse_needs(store, "全科=-1")
    with pytest.raises(p.PlanningError, match="between 0 and 50"):
        p.parse_needs(store, "全科-1")


def test_an_edit_keeps_a_past_date_but_cannot_move_a_day_into_the_past(store):
    village = _village(store)
    day_id = _day(store, village, date="2026-11-28", today=dt.date(2026, 11, 20))
    edit = p.DayInput(date="2026-11-28", village_id=village, organisation_id=None, needs={"gp": 1})
    # The day went by still planned: it can be edited (and closed as done) without moving it.
    assert p.edit_day(store, day_id, edit, today=dt.date(2026, 12, 1)) == []
    edit.status = "done"
    p.edit_day(store, day_id, edit, today=dt.date(2026, 12, 1))
    moved = p.DayInput(date="2026-11-21", village_id=village, organisation_id=None, needs={"gp": 1})
    with pytest.raises(p.PlanningError, match="2026-11-21 is in the past"):
        p.edit_day(store, day_id, moved, today=dt.date(2026, 12, 1))


def test_day_add_on_the_command_line_applies_the_same_rules(store, tmp_path):
    _village(store)
    store.close()
    db = str(tmp_path / "test.db")
    runner = CliRunner()
    base = ["--db", db, "day", "add", "--village", "龙山村"]
    past = runner.invoke(cli, [*base, "--date", "2020-01-04"])
    assert past.exit_code == 1 and "in the past" in past.output and "Traceback" not in past.output
    done = runner.invoke(cli, [*base, "--date", "2020-01-04", "--status", "done"])
    assert done.exit_code == 0 and "recorded as held" in done.output, done.output
    for needs in ("全科=0", ""):
        nobody = runner.invoke(cli, [*base, "--date", "2026-12-19", "--needs", needs])
        assert nobody.exit_code == 1 and "at least one place" in nobody.output
    negative = runner.invoke(cli, [*base, "--date", "2026-12-19", "--needs", "全科=-1"])
    assert negative.exit_code == 1 and "between 0 and 50" in negative.output
    usual = runner.invoke(cli, [*base, "--date", "2026-12-19", "--json"])
    assert usual.exit_code == 0 and json.loads(usual.output)["needs"] == {
        "gp": 2,
        "tcm": 1,
        "nurse": 2,
        "pharmacist": 1,
    }


def test_a_walk_in_day_without_needs_can_still_be_edited_and_closed(store):
    """The desk makes walk-in days asking for nobody; the form must not refuse to edit them."""
    from clinic.core import desk

    village = _village(store)
    walk_in = desk.create_walk_in_day(store, village, TODAY)
    edit = p.DayInput(
        date=TODAY.isoformat(), village_id=village, organisation_id=None, needs={}, venue="卫生室"
    )
    assert p.edit_day(store, walk_in, edit, today=TODAY) == []
    edit.status = "done"
    p.edit_day(store, walk_in, edit, today=TODAY)
    assert p.get_day(store, walk_in)["status"] == "done"
    # A planned day that asks for people cannot be emptied.
    planned = _day(store, _village(store, "高庙村", "郭扶镇"), date="2026-12-19")
    empty = p.DayInput(date="2026-12-19", village_id=planned, organisation_id=None, needs={})
    empty.village_id = p.get_day(store, planned)["village_id"]
    with pytest.raises(p.PlanningError, match="at least one place"):
        p.edit_day(store, planned, empty, today=TODAY)
