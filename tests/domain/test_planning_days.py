"""Clinic days and assignments: planning, refusals with reasons, warnings, attendance."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import planning as p
from clinic.core.errors import InputError, RefusedError
from clinic.store.connection import new_uid

pytestmark = pytest.mark.usefixtures("cli_today")


def test_parse_needs_accepts_every_spelling(store):
    assert p.parse_needs(store, "全科=2，中医1、护士：2 药师") == {
        "gp": 2,
        "tcm": 1,
        "nurse": 2,
        "pharmacist": 1,
    }
    assert p.parse_needs(store, "General practice=1,nurse=3") == {"gp": 1, "nurse": 3}
    assert p.parse_needs(store, "检验/心电图=1") == {"lab": 1}
    with pytest.raises(InputError, match="Unknown specialty"):
        p.parse_needs(store, "外星科=1")


def test_day_add_and_list_from_the_command_line(store, tmp_path, add_village, add_coordinator):
    add_village(store)
    store.close()
    db = str(add_coordinator(tmp_path / "test.db"))
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--db",
            db,
            "day",
            "add",
            "--date",
            "2026/12/19",
            "--village",
            "龙山村",
            "--org",
            "民进",
            "--needs",
            "全科=2,护士=1",
            "--start",
            "9:00",
            "--end",
            "11:30",
            "--venue",
            "卫生室",
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["--db", db, "day", "list", "--from", "2026-12-01", "--to", "2026-12-31", "--json"]
    )
    rows = json.loads(result.output)
    assert (
        rows[0]["date"] == "2026-12-19"
        and rows[0]["start"] == "09:00"
        and rows[0]["venue"] == "卫生室"
    )
    assert rows[0]["needs"] == {"gp": 2, "nurse": 1} and rows[0]["organisation"] == "民进"
    bad = runner.invoke(
        cli, ["--db", db, "day", "add", "--date", "2026-12-19", "--village", "无此村"]
    )
    assert bad.exit_code == 1 and "No village" in bad.output and "Traceback" not in bad.output


def test_refusals_say_why(store, add_village, add_day, add_volunteer):
    village = add_village(store)
    day = add_day(store, village)  # a Saturday
    other = add_day(store, add_village(store, "高庙村", "郭扶镇"), date="2026-12-05")
    weekday_only = add_volunteer(store, "王工作", weekdays="01234")
    busy = add_volunteer(store, "李忙")
    away = add_volunteer(store, "赵外出")
    p.save_volunteer(
        store,
        p.VolunteerInput(name="赵外出", specialty_code="gp", unavailable=["2026-12-05"]),
        away,
    )
    limited = add_volunteer(store, "钱有限", limit=1)
    p.assign(store, other, busy)
    p.assign(store, add_day(store, village, date="2026-12-12"), limited)

    cases = {weekday_only: "weekday", busy: "busy", away: "unavailable", limited: "limit"}
    for vol, code in cases.items():
        with pytest.raises(RefusedError) as err:
            p.assign(store, day, vol)
        assert err.value.code == code
    with pytest.raises(RefusedError, match="does not serve on Saturdays"):
        p.assign(store, day, weekday_only)
    with pytest.raises(RefusedError, match="高庙村"):
        p.assign(store, day, busy)

    ok = add_volunteer(store, "孙可以")
    p.assign(store, day, ok)
    with pytest.raises(RefusedError) as err:
        p.assign(store, day, ok)
    assert err.value.code == "same_day"
    p.set_day_status(store, day, "cancelled")
    with pytest.raises(RefusedError) as err:
        p.assign(store, day, add_volunteer(store, "周取消"))
    assert err.value.code == "cancelled"


def test_holiday_rule(store, add_village, add_day, add_volunteer):
    village = add_village(store)
    day = add_day(store, village, date="2027-10-01")  # 国庆节, a Friday
    no_holidays = add_volunteer(store, "吴不过节", holidays=False)
    with pytest.raises(RefusedError) as err:
        p.assign(store, day, no_holidays)
    assert err.value.code == "holiday"
    # On a holiday the holiday flag decides, not the weekday pattern.
    weekend_and_holidays = add_volunteer(store, "郑过节", weekdays="56", holidays=True)
    p.assign(store, day, weekend_and_holidays)


def test_warnings_for_specialty_and_full_places(store, add_day, add_volunteer, add_village):
    day = add_day(store, add_village(store), needs="护士=1")
    doctor = add_volunteer(store, "冯医生", specialty="gp")
    _id, warnings = p.assign(store, day, doctor, role="nurse")
    assert any("specialty is General practice, not Nurse" in w for w in warnings)
    _id, warnings = p.assign(store, day, add_volunteer(store, "陈护士", specialty="nurse"))
    assert any("already taken" in w for w in warnings)


def test_attendance_states_and_hours(store, add_day, add_volunteer, add_village):
    day = add_day(store, add_village(store))
    a = add_volunteer(store, "褚来了")
    b = add_volunteer(store, "卫没来")
    ida, _w = p.assign(store, day, a)
    idb, _w = p.assign(store, day, b)
    p.set_assignment(store, ida, status="attended")
    p.set_assignment(store, idb, status="no_show")
    seen = p.attendance(store, day)
    assert [r["name"] for r in seen["attended"]] == ["褚来了"]
    assert [r["name"] for r in seen["no_show"]] == ["卫没来"]
    # Nobody typed hours: none are stored, and the figures count the planned 08:30-12:00.
    assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [ida]) is None
    assert p.volunteer_summary(store, a, "2000-01-01").hours == 3.5
    with pytest.raises(InputError):
        p.remove_assignment(store, ida)
    with pytest.raises(InputError):
        p.set_assignment(store, idb, hours=30)


def test_declined_frees_the_place_but_not_the_volunteer(store, add_day, add_volunteer, add_village):
    day = add_day(store, add_village(store), needs="全科=1")
    a = add_volunteer(store, "蒋谢绝")
    aid, _w = p.assign(store, day, a)
    p.set_assignment(store, aid, status="declined")
    assert [line.open for line in p.day_needs(store, day)] == [1]
    cands = {c.volunteer["name"]: c.refusal for c in p.candidates(store, day, "gp")}
    assert cands["蒋谢绝"] == "declined"


def test_uid_on_every_new_row(store, add_day, add_village):
    day = add_day(store, add_village(store))
    assert len(store.scalar("SELECT uid FROM clinic_days WHERE id = ?", [day])) == len(new_uid())


def test_parse_needs_round_trip(store):
    """Any needs written with any catalogue spelling and separator read back the same (hypothesis)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    rows = store.query("SELECT code, name_zh, name_en FROM specialties")
    spellings = {r["code"]: [r["code"], r["name_zh"], r["name_en"]] for r in rows}

    @settings(max_examples=80, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(sorted(spellings)), st.integers(1, 9), min_size=1, max_size=6
        ),
        st.data(),
    )
    def check(needs, data):
        parts = []
        for code, n in needs.items():
            name = data.draw(st.sampled_from(spellings[code]))
            sep = (
                data.draw(st.sampled_from(["=", ":", "：", "", " = "])) if " " not in name else "="
            )
            parts.append(f"{name}{sep}{n}" if (sep or not name[-1].isdigit()) else f"{name}={n}")
        joiner = data.draw(st.sampled_from([",", "，", "、", ";", "；"]))
        assert p.parse_needs(store, joiner.join(parts)) == needs

    check()


def test_day_show_status_and_assign_from_the_command_line(demo_path, demo_store):
    day = demo_store.one(
        "SELECT id, date FROM clinic_days WHERE date > '2026-11-24' ORDER BY date LIMIT 1"
    )
    vol = demo_store.one(
        "SELECT v.name FROM volunteers v WHERE v.weekdays LIKE '%5%' AND v.name IN "
        "(SELECT name FROM volunteers GROUP BY name HAVING COUNT(*) = 1) AND NOT EXISTS "
        "(SELECT 1 FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id "
        " WHERE a.volunteer_id = v.id AND d.date = ?) "
        "AND (v.max_days_per_month IS NULL OR v.max_days_per_month > 4) LIMIT 1",
        [day["date"]],
    )
    runner = CliRunner()
    db = ["--db", str(demo_path)]
    if vol is not None:
        result = runner.invoke(
            cli, [*db, "day", "assign", str(day["id"]), vol["name"], "--role", "护士"]
        )
        assert result.exit_code == 0, result.output
    again = runner.invoke(
        cli,
        [
            *db,
            "day",
            "assign",
            str(day["id"]),
            demo_store.scalar(
                "SELECT v.name FROM assignments a JOIN volunteers v ON v.id = "
                "a.volunteer_id WHERE a.clinic_day_id = ? LIMIT 1",
                [day["id"]],
            ),
        ],
    )
    assert again.exit_code == 1 and "already on this clinic day" in again.output
    shown = json.loads(runner.invoke(cli, [*db, "day", "show", str(day["id"]), "--json"]).output)
    first = shown["assignments"][0]["id"]
    assert (
        runner.invoke(
            cli, [*db, "day", "status", str(first), "attended", "--assignment", "--hours", "3"]
        ).exit_code
        == 0
    )
    assert runner.invoke(cli, [*db, "day", "status", str(day["id"]), "cancelled"]).exit_code == 0
    shown = json.loads(runner.invoke(cli, [*db, "day", "show", str(day["id"]), "--json"]).output)
    assert shown["status"] == "cancelled"
    assert [a["hours"] for a in shown["assignments"] if a["id"] == first] == [3.0]
    bad = runner.invoke(cli, [*db, "day", "status", str(day["id"]), "nonsense"])
    assert bad.exit_code == 1 and "Unknown status" in bad.output


def test_season_plan_picks_neediest_villages_once(demo_path, demo_store, today):
    import datetime as dt

    plan = p.propose_season(demo_store, "2027-01-01", "2027-03-31", today, weekdays="5").days
    assert plan and all(dt.date.fromisoformat(s.date).weekday() == 5 for s in plan)
    assert len({s.village_id for s in plan}) == len(plan)
    assert [s.score for s in plan] == sorted((s.score for s in plan), reverse=True)
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(demo_path),
            "day",
            "season",
            "--from",
            "2027-01-01",
            "--to",
            "2027-03-31",
            "--weekday",
            "六,日",
            "--per-day",
            "2",
            "--needs",
            "全科=2,护士=1",
            "--apply",
            "--json",
        ],
    )
    data = json.loads(result.output)
    assert data["applied"] and len(data["ids"]) == len(data["days"])
    # Planned villages are not proposed again for the same period.
    again = p.propose_season(demo_store, "2027-01-01", "2027-03-31", today).days
    assert not {s.village_id for s in again} & {
        r["village_id"]
        for r in demo_store.query(
            "SELECT village_id FROM clinic_days WHERE date BETWEEN '2027-01-01' AND '2027-03-31'"
        )
    }
    assert (
        p.parse_weekdays("sat") == "5"
        and p.parse_weekdays("六 日") == "56"
        and p.parse_weekdays("06") == "06"
    )


def test_moving_a_day_reports_who_can_no_longer_come(
    store, add_village, add_day, add_volunteer, today
):
    village = add_village(store)
    day = add_day(store, village, date="2026-12-05")  # Saturday
    sat = add_volunteer(store, "周六甲", weekdays="5")
    add_volunteer(store, "随时乙")
    p.assign(store, day, sat)
    p.assign(store, day, p.find_volunteer(store, "随时乙")["id"])
    same = p.DayInput(date="2026-12-05", village_id=village, organisation_id=None, needs={"gp": 2})
    assert p.edit_day(store, day, same, today=today) == []
    moved = p.DayInput(date="2026-12-06", village_id=village, organisation_id=None, needs={"gp": 2})
    problems = p.edit_day(store, day, moved, today=today)
    assert len(problems) == 1 and "周六甲" in problems[0] and "Sundays" in problems[0]
