"""The end-of-day summary and `clinic report day`: the same figures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clinic.core import desk
from clinic.core.desk import handouts
from clinic.core.desk import summary as day_summary


@pytest.fixture
def run_day(today_day, day_volunteer, a_person, now, desk_user):
    """``run_day(store)``: a morning's work on the demo's day today, through ``store``
    (a volunteer joins, one person is seen, flagged, referred and given a sheet)."""

    def run(store):
        day = today_day
        vol = day_volunteer
        desk.join_desk(store, day["id"], vol)
        p = a_person(consent=True, not_on_day=day["id"])
        visit_id, _ = desk.check_in(store, day, p["id"], vol, now)
        form = desk.VisitForm(
            values={"bp": "185/100", "glucose": "12.5", "referral_to": "中峰镇卫生院"},
            conditions=["hypertension"],
        )
        desk.save_visit(store, day, visit_id, form, now, vol, finish=True, by=desk_user)
        tpl = next(t for t in handouts.templates(store) if t.code == "hypertension")
        handouts.hand_out(
            store, day, visit_id, [handouts.Pick(tpl.id, tpl.default_ticks())], vol, now
        )
        return day, vol

    return run


def test_summary_counts(demo_store, run_day):
    day, vol = run_day(demo_store)
    data = day_summary.summary(demo_store, day["id"])
    assert data["checked_in"] == 1 and data["seen"] == 1
    assert data["referrals"] == 1 and data["referral_places"] == [
        {"place": "中峰镇卫生院", "count": 1}
    ]
    assert {f["flag"] for f in data["flags"]} == {"bp_urgent", "glucose_diabetes"}
    assert data["people_flagged"] == {"urgent": 1, "raised": 0}
    assert data["prescriptions"][0]["condition"] == "hypertension"
    assert sum(r["count"] for r in data["by_category"]) == 1
    me = next(v for v in data["volunteers"] if v["seen"])
    assert me["handouts"] == 1
    assert me["name"] in day_summary.thanks(data)
    text = "\n".join(day_summary.summary_lines(data))
    assert "Referrals: 1" in text


def test_report_day_cli_matches(demo_path, run_day):
    from clinic.cli.main import cli
    from clinic.core.figures import machine_output
    from clinic.store import open_store

    store = open_store(demo_path)
    day, _vol = run_day(store)
    expected = day_summary.summary(store, day["id"])
    store.close()
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--db", str(demo_path), "report", "day", "--date", day["date"], "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(json.dumps(machine_output(expected)))
    text = runner.invoke(cli, ["--db", str(demo_path), "report", "day", "--date", day["date"]])
    assert text.exit_code == 0 and "Thank you" in text.output
    missing = runner.invoke(cli, ["--db", str(demo_path), "report", "day", "--date", "2001-01-01"])
    assert missing.exit_code == 1 and "no clinic day" in missing.output
    assert "Traceback" not in missing.output


def test_report_day_help():
    from clinic.cli.main import cli

    result = CliRunner().invoke(cli, ["report", "day", "--help"])
    assert result.exit_code == 0 and "--date" in result.output and "--json" in result.output


def test_find_day_latest_up_to_today(demo_store, today):

    assert day_summary.find_day(demo_store, None, today)["date"] == today.isoformat()


def test_fill_hours_gives_attended_volunteers_the_planned_hours(demo_store, run_day):
    day, vol = run_day(demo_store)
    assert desk.fill_hours(demo_store, day["id"]) >= 1
    data = day_summary.summary(demo_store, day["id"])
    me = next(v for v in data["volunteers"] if v["seen"])
    assert me["hours"] == 3.5  # 08:30-12:00
    assert desk.fill_hours(demo_store, day["id"]) == 0  # never overwrites
