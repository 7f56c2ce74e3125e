"""QA defects in the planning area: duplicate days, filled places, status keys, defaults, wording."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import planning as p
from clinic.core.errors import ConfirmationNeeded, InputError
from clinic.core.figures import follow_up_totals
from clinic.store import days as days_q

pytestmark = pytest.mark.usefixtures("cli_today")


def test_a_second_day_in_one_village_on_one_date_is_refused(store, add_village, add_day, today):
    village = add_village(store)
    first = add_day(store, village, date="2026-12-19")
    with pytest.raises(
        InputError, match=rf"already a clinic day in 龙山村 on 2026-12-19 \(number {first}"
    ):
        add_day(store, village, date="2026-12-19")
    assert store.scalar("SELECT count(*) FROM clinic_days") == 1
    # Another village that date, or this village another date, is fine; so is moving onto a cancelled day.
    add_day(store, add_village(store, "高庙村", "郭扶镇"), date="2026-12-19")
    second = add_day(store, village, date="2026-12-26")
    day = p.get_day(store, second)
    move = p.DayInput(date="2026-12-19", village_id=village, organisation_id=None, needs={"gp": 1})
    with pytest.raises(InputError, match="already a clinic day"):
        p.edit_day(store, second, move, today=today)
    assert p.get_day(store, second)["date"] == day["date"]
    p.set_day_status(store, first, "cancelled")
    p.edit_day(store, second, move, today=today)


def test_duplicate_day_refused_from_the_command_line(store, tmp_path, add_village, add_coordinator):
    add_village(store)
    store.close()
    db = str(add_coordinator(tmp_path / "test.db"))
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


def test_filled_counts_places_of_the_role_only(
    store, tmp_path, add_village, add_day, add_volunteer
):
    village = add_village(store)
    day_id = add_day(store, village, date="2026-12-19", needs="全科=3,护士=3")
    for i in range(6):  # six GPs for three GP places, no nurse: 3 of 6 filled, not 6/6
        vol = add_volunteer(store, f"医生{i}")
        p.assign(store, day_id, vol)
    for i in range(2):  # two pharmacists nobody asked for
        p.assign(store, day_id, add_volunteer(store, f"药师{i}", specialty="pharmacist"))
    row = p.get_day(store, day_id)
    assert (row["filled"], row["needed"], row["assigned"]) == (3, 6, 8)
    home = p.upcoming_days(store, dt.date(2026, 12, 1))
    assert (home[0]["filled"], home[0]["needed"], home[0]["assigned"]) == (3, 6, 8)
    lines = {n.role: n for n in p.day_needs(store, day_id)}
    assert lines["gp"].filled == 3 and lines["nurse"].filled == 0 and lines["nurse"].open == 3
    assert days_q.days_between(store, "2026-12-19", "2026-12-19")[0]["filled"] == 3
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


def test_changing_recorded_attendance_needs_consent(store, add_village, add_day, add_volunteer):
    village = add_village(store)
    day_id = add_day(store, village, date="2026-11-21", status="done")
    a, _w = p.assign(store, day_id, add_volunteer(store, "张到"))
    p.set_assignment(store, a, status="attended")
    with pytest.raises(ConfirmationNeeded, match="张到 is recorded as attended"):
        p.set_assignment(store, a, status="confirmed")
    assert store.scalar("SELECT status FROM assignments WHERE id = ?", [a]) == "attended"
    p.set_assignment(store, a, status="no_show", change_attendance=True)
    assert store.scalar("SELECT status FROM assignments WHERE id = ?", [a]) == "no_show"


def test_villages_count_today_and_follow_ups_like_the_home_screen(
    store, add_village, add_day, today
):

    from clinic.store.connection import new_uid

    village = add_village(store)
    day_id = add_day(store, village, date=today.isoformat())
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


def test_a_count_that_is_not_a_whole_number_says_so(store, tmp_path, add_village, add_coordinator):
    for text in ("全科=abc", "全科=2.5"):
        with pytest.raises(InputError, match="must be a whole number"):
            p.parse_needs(store, text)
    with pytest.raises(InputError, match="Unknown specialty"):
        p.parse_needs(store, "外星科=abc")
    assert p.parse_needs(store, "全科=2 护士=1") == {"gp": 2, "nurse": 1}
    add_village(store)
    store.close()
    add_coordinator(tmp_path / "test.db")
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


def test_a_clinic_day_needs_a_place_and_a_date_to_come_unless_recorded_as_done(
    store, add_village, add_day, today
):
    """day add accepted 2020-01-04 as planned, --needs 全科=0 or "" (a day needing nobody), and
    called 全科=-1 "not a whole number"; the same rules hold for the form (core.check_day)."""
    village = add_village(store)
    with pytest.raises(InputError, match="2020-01-04 is in the past.*status to done"):
        add_day(store, village, date="2020-01-04")
    with pytest.raises(InputError, match="2020-01-04 is in the past"):
        add_day(store, village, date="2020-01-04", status="confirmed")
    held = add_day(store, village, date="2020-01-04", status="done")  # written on paper first
    assert p.get_day(store, held)["status"] == "done"
    with pytest.raises(InputError, match="still to come"):
        add_day(store, village, date="2026-12-19", status="done")
    assert p.get_day(store, add_day(store, village, date=today.isoformat()))["date"] == "2026-11-24"
    for needs in ("全科=0", "", "全科=0,护士=0"):
        with pytest.raises(InputError, match="at least one place"):
            add_day(store, village, date="2026-12-26", needs=needs)
    with pytest.raises(InputError, match="between 0 and 50"):
        p.parse_needs(store, "全科=-1")
    with pytest.raises(InputError, match="between 0 and 50"):
        p.parse_needs(store, "全科-1")


def test_an_edit_keeps_a_past_date_but_cannot_move_a_day_into_the_past(store, add_village, add_day):
    village = add_village(store)
    day_id = add_day(store, village, date="2026-11-28", today=dt.date(2026, 11, 20))
    edit = p.DayInput(date="2026-11-28", village_id=village, organisation_id=None, needs={"gp": 1})
    # The day went by still planned: it can be edited (and closed as done) without moving it.
    assert p.edit_day(store, day_id, edit, today=dt.date(2026, 12, 1)) == []
    edit.status = "done"
    p.edit_day(store, day_id, edit, today=dt.date(2026, 12, 1))
    moved = p.DayInput(date="2026-11-21", village_id=village, organisation_id=None, needs={"gp": 1})
    with pytest.raises(InputError, match="2026-11-21 is in the past"):
        p.edit_day(store, day_id, moved, today=dt.date(2026, 12, 1))


def test_day_add_on_the_command_line_applies_the_same_rules(
    store, tmp_path, add_village, add_coordinator
):
    add_village(store)
    store.close()
    db = str(add_coordinator(tmp_path / "test.db"))
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


def test_a_walk_in_day_without_needs_can_still_be_edited_and_closed(
    store, add_village, today, add_day
):
    """The desk makes walk-in days asking for nobody; the form must not refuse to edit them."""
    from clinic.core import desk

    village = add_village(store)
    walk_in = desk.create_walk_in_day(store, village, today)
    edit = p.DayInput(
        date=today.isoformat(), village_id=village, organisation_id=None, needs={}, venue="卫生室"
    )
    assert p.edit_day(store, walk_in, edit, today=today) == []
    edit.status = "done"
    p.edit_day(store, walk_in, edit, today=today)
    assert p.get_day(store, walk_in)["status"] == "done"
    # A planned day that asks for people cannot be emptied.
    planned = add_day(store, add_village(store, "高庙村", "郭扶镇"), date="2026-12-19")
    empty = p.DayInput(date="2026-12-19", village_id=planned, organisation_id=None, needs={})
    empty.village_id = p.get_day(store, planned)["village_id"]
    with pytest.raises(InputError, match="at least one place"):
        p.edit_day(store, planned, empty, today=today)
