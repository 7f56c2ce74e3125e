"""The end-of-day summary and `clinic report day`: the same figures."""

from __future__ import annotations

import json

from click.testing import CliRunner
from desk_helpers import NOW, a_volunteer, person, today_day

from clinic.core import daysummary, desk
from clinic.core import prescriptions as P


def run_day(store):
    day = today_day(store)
    vol = a_volunteer(store, day["id"])
    desk.join_desk(store, day["id"], vol)
    p = person(store, consent=True, not_on_day=day["id"])
    visit_id, _ = desk.check_in(store, day, p["id"], vol, NOW)
    form = desk.VisitForm(
        values={"bp": "185/100", "glucose": "12.5", "referral_to": "中峰镇卫生院"},
        conditions=["hypertension"],
    )
    desk.save_visit(store, day, visit_id, form, NOW, vol, finish=True)
    tpl = next(t for t in P.templates(store) if t.code == "hypertension")
    P.hand_out(store, day, visit_id, [P.Pick(tpl.id, tpl.default_ticks())], vol, NOW)
    return day, vol


def test_summary_counts(demo_store):
    day, vol = run_day(demo_store)
    data = daysummary.summary(demo_store, day["id"])
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
    assert me["name"] in daysummary.thanks(data)
    text = "\n".join(daysummary.summary_lines(data))
    assert "Referrals: 1" in text


def test_report_day_cli_matches(demo_path):
    from clinic.cli.main import cli
    from clinic.core.figures import machine_output
    from clinic.store import open_store

    store = open_store(demo_path)
    day, _vol = run_day(store)
    expected = daysummary.summary(store, day["id"])
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


def test_find_day_latest_up_to_today(demo_store):
    from desk_helpers import TODAY

    assert daysummary.find_day(demo_store, None, TODAY)["date"] == TODAY.isoformat()


def test_fill_hours_gives_attended_volunteers_the_planned_hours(demo_store):
    day, vol = run_day(demo_store)
    assert desk.fill_hours(demo_store, day["id"]) >= 1
    data = daysummary.summary(demo_store, day["id"])
    me = next(v for v in data["volunteers"] if v["seen"])
    assert me["hours"] == 3.5  # 08:30-12:00
    assert desk.fill_hours(demo_store, day["id"]) == 0  # never overwrites
