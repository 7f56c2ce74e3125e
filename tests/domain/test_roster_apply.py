"""The roster against the database: existing assignments kept, limits counted, apply writes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import planning as p


def test_plan_respects_existing_assignments_and_limits(store, add_village, add_day, add_volunteer):
    village = add_village(store)
    d1 = add_day(store, village, date="2026-12-05", needs="全科=2")
    d2 = add_day(store, village, date="2026-12-12", needs="全科=2")
    cancelled = add_day(store, village, date="2026-12-19", needs="全科=5")
    p.set_day_status(store, cancelled, "cancelled")
    fixed = add_volunteer(store, "甲固定", limit=1)
    free = add_volunteer(store, "乙自由")
    weekday = add_volunteer(store, "丙平日", weekdays="01234")
    aid, _w = p.assign(store, d1, fixed, status="confirmed")

    plan = p.plan_roster(store, "2026-12-01", "2026-12-31")
    made = {(x.day_id, x.volunteer_id) for x in plan.result.proposals}
    assert (d1, fixed) not in made and (d2, fixed) not in made  # limit 1 already used in December
    assert {(d1, free), (d2, free)} <= made
    assert all(x.volunteer_id != weekday for x in plan.result.proposals)
    assert all(u.day_id != cancelled for u in plan.result.unfilled)
    open_d2 = [u for u in plan.result.unfilled if u.day_id == d2][0]
    assert open_d2.reasons == {"limit": 1, "weekday": 1}

    p.apply_roster(store, "2026-12-01", "2026-12-31")
    rows = store.query(
        "SELECT clinic_day_id, volunteer_id, status, source FROM assignments ORDER BY id"
    )
    assert rows[0] == {
        "clinic_day_id": d1,
        "volunteer_id": fixed,
        "status": "confirmed",
        "source": "manual",
    }
    assert all(r["status"] == "invited" and r["source"] == "roster" for r in rows[1:])
    # A second run finds nothing more to add and moves nobody.
    again = p.plan_roster(store, "2026-12-01", "2026-12-31")
    assert again.result.proposals == [] and again.released == []


def test_replan_moves_only_unconfirmed_roster_invitations(
    store, add_village, add_day, add_volunteer
):
    village = add_village(store)
    d1 = add_day(store, village, date="2026-12-05", needs="全科=1")
    a = add_volunteer(store, "甲")
    p.apply_roster(store, "2026-12-01", "2026-12-31")
    made = store.one("SELECT id FROM assignments")["id"]
    plan = p.plan_roster(store, "2026-12-01", "2026-12-31", replan=True)
    assert plan.released == [made] and [
        (x.day_id, x.volunteer_id) for x in plan.result.proposals
    ] == [(d1, a)]
    p.set_assignment(store, made, status="confirmed")
    assert p.plan_roster(store, "2026-12-01", "2026-12-31", replan=True).released == []


def test_fairness_spreads_days(store, add_village, add_day, add_volunteer):
    village = add_village(store)
    for date in ("2026-12-05", "2026-12-12", "2026-12-19", "2026-12-26"):
        add_day(store, village, date=date, needs="护士=1")
    for name in ("甲", "乙"):
        add_volunteer(store, name, specialty="nurse")
    plan = p.plan_roster(store, "2026-12-01", "2026-12-31")
    assert plan.result.filled == 4 and plan.result.max_load == 2 and plan.result.sum_squares == 8


def test_roster_command_json_and_apply(demo_path):
    runner = CliRunner()
    args = ["--db", str(demo_path), "roster", "--from", "2026-11-24", "--to", "2027-02-28"]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # nothing but JSON on stdout (no solver banner)
    assert (
        data["optimal"]
        and data["filled"] + sum(u["places"] for u in data["unfilled"]) == data["open_places"]
    )
    for u in data["unfilled"]:
        assert "why" not in u and u["reasons"] is not None  # codes; words only with --labels
    labelled = json.loads(runner.invoke(cli, [*args, "--json", "--labels"]).output)
    for u in labelled["unfilled"]:
        assert u["why"]
    applied = runner.invoke(cli, [*args, "--apply"])
    assert applied.exit_code == 0 and "Written" in applied.output
    again = json.loads(runner.invoke(cli, [*args, "--json"]).output)
    assert again["assignments"] == []


def test_roster_text_in_chinese(demo_path):
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(demo_path),
            "--lang",
            "zh",
            "roster",
            "--from",
            "2026-11-24",
            "--to",
            "2027-02-28",
        ],
    )
    assert "未写入" in result.output
