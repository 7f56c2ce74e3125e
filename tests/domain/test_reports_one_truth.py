"""One truth (issues 5 and 9): every figure agrees across the TUI screens
(home, F5, F7, F8, F9), the CLI's ``--json`` and the exports, on the demo
database and on a database built with every edge case of docs/figures.md
(tests/support/figures_data.py: no-show, confirmed but absent, attended without typed
hours, attendance on a day not marked done, cancelled day, walk-in, draft
visit)."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from clinic.core.figures import machine_output
from clinic.core.reports import ReportFilters, build_report


def test_each_day_agrees_with_the_desk_day_summary(demo_store):
    """The period report narrowed to one day says what the desk's end-of-day summary says."""
    from clinic.core.desk.summary import summary

    days = demo_store.query(
        "SELECT d.id, d.date, t.name || '/' || v.name AS village FROM clinic_days d "
        "JOIN villages v ON v.id = d.village_id JOIN townships t ON t.id = v.township_id "
        "WHERE EXISTS (SELECT 1 FROM visits WHERE clinic_day_id = d.id)"
    )
    assert days
    for day in days:
        desk = summary(demo_store, day["id"])
        date = dt.date.fromisoformat(day["date"])
        ours = build_report(
            demo_store, ReportFilters(date, date, villages=(day["village"],))
        ).as_dict()
        assert ours["clinic_days"]["held"] == 1
        assert ours["visits"] == desk["checked_in"]
        assert ours["prescriptions"]["total"] == desk["prescriptions_total"]
        assert ours["referrals"]["total"] == desk["referrals"]
        assert {f["flag"]: f["visits"] for f in ours["flags"]} == {
            f["flag"]: f["count"] for f in desk["flags"]
        }
        assert {t["tag"]: t["people"] for t in ours["tags"] if t["people"]} == {
            t["tag"]: t["count"] for t in desk["by_tag"]
        }


# -- the edge cases of docs/figures.md ------------------------------------------------


def cli_json(path, *args) -> object:
    from clinic.cli.main import cli

    result = CliRunner().invoke(cli, ["--db", str(path), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_edge_cases_by_hand(edge):
    """The report says what the rules say, worked out by hand from the rows."""
    store, _path, ex = edge
    r = build_report(store).as_dict()
    assert r["clinic_days"] == {"held": ex.held, "planned": ex.planned, "cancelled": ex.cancelled}
    assert (r["visits"], r["people"]) == (ex.visits, ex.people)
    assert r["people_detail"]["walk_ins"] == ex.walk_ins
    v = r["volunteers"]
    assert (v["people"], v["hours"]) == (ex.volunteers, ex.hours)
    assert (v["hours_not_typed"], v["not_marked"]) == (ex.hours_not_typed, ex.not_marked)
    assert [(f["flag"], f["visits"]) for f in r["flags"]] == list(ex.flags)
    assert r["flagged_visits"] == {"urgent": ex.flagged_urgent, "raised": ex.flagged_raised}
    assert r["prescriptions"]["total"] == ex.prescriptions
    assert r["referrals"]["total"] == ex.referrals

    from clinic.core.desk.summary import summary

    cancelled = summary(store, ex.day_c)  # a visit and attendance recorded, then cancelled
    assert not cancelled["day"]["held"]
    assert (cancelled["checked_in"], cancelled["seen"], cancelled["volunteers"]) == (0, 0, [])
    planned = summary(store, ex.day_b)  # attendance recorded, not marked done
    assert planned["day"]["held"] and planned["volunteer_hours"] == 3.5
    assert planned["hours_not_typed"] == 1
    today = summary(store, ex.day_a)
    assert (today["checked_in"], today["seen"], today["not_done"]) == (4, 3, 1)  # a draft


def test_edge_cases_cli_and_exports(edge, tmp_path, exported, check_sums):
    """``report``, ``report day``, ``day list``, ``day show``, ``status`` and the
    exports say the same as core, including hours, volunteers and filled places."""
    from clinic.core.desk.summary import summary
    from clinic.core.figures import follow_up_totals
    from clinic.core.planning import day_needs, get_day

    store, path, ex = edge
    core = build_report(store).as_dict()
    assert cli_json(path, "report") == machine_output(core)

    day = summary(store, ex.day_a)
    assert cli_json(path, "report", "day", "--date", ex.today.isoformat()) == machine_output(day)
    assert (len(day["volunteers"]), day["volunteer_hours"]) == (ex.day_a_volunteers, ex.day_a_hours)
    assert [a["name"] for a in day["not_marked"]] == ["丙医生"]
    assert day["hours_not_typed"] == 1 and day["people_flagged"] == core["flagged_visits"]
    one_day = build_report(
        store, ReportFilters(ex.today, ex.today, villages=(ex.village,))
    ).as_dict()
    assert one_day["volunteers"]["people"] == len(day["volunteers"])
    assert one_day["volunteers"]["hours"] == day["volunteer_hours"]
    assert one_day["visits"] == day["checked_in"] and one_day["flags"] == [
        {"flag": f["flag"], "label": f["label"], "visits": f["count"]} for f in day["flags"]
    ]

    listed = {
        d["id"]: d
        for d in cli_json(
            path,
            "day",
            "list",
            "--from",
            (ex.today - dt.timedelta(days=40)).isoformat(),
            "--to",
            (ex.today + dt.timedelta(days=20)).isoformat(),
        )
    }
    for day_id, needed, filled in [
        (ex.day_a, ex.day_a_needed, ex.day_a_filled),
        (ex.day_d, ex.day_d_needed, ex.day_d_filled),
    ]:
        shown = cli_json(path, "day", "show", str(day_id))
        assert (listed[day_id]["needed"], listed[day_id]["filled"]) == (needed, filled)
        assert (shown["needed"], shown["filled"]) == (needed, filled)
        assert sum(n["filled"] for n in shown["needs"]) == filled
        assert sum(n.filled for n in day_needs(store, day_id)) == filled
        assert get_day(store, day_id)["filled"] == filled
    assert [listed[i]["held"] for i in (ex.day_a, ex.day_b, ex.day_c, ex.day_d, ex.day_e)] == [
        True,
        True,  # planned, but attendance is recorded
        False,  # cancelled
        False,
        True,
    ]
    team = {a["volunteer"]: a for a in cli_json(path, "day", "show", str(ex.day_a))["assignments"]}
    assert team["乙医生"]["hours"] is None and team["乙医生"]["counted_hours"] == 3.5
    assert team["丙医生"]["counted_hours"] is None  # confirmed, never came: not counted
    assert sum(a["counted_hours"] or 0 for a in team.values()) == ex.day_a_hours

    status = cli_json(path, "status")
    assert status["follow_ups"] == {"due": ex.follow_ups_due, "overdue": ex.follow_ups_overdue}
    assert follow_up_totals(store, ex.today) == status["follow_ups"]

    hours = exported(store, tmp_path, "volunteer-hours", ReportFilters())
    assert len(hours) == ex.volunteers
    assert sum(float(h["hours"]) for h in hours) == ex.hours
    assert sum(int(h["hours_not_typed"]) for h in hours) == ex.hours_not_typed
    table = exported(store, tmp_path, "report", ReportFilters())
    volunteers = {r["item"]: r["number"] for r in table if r["section"] == "Volunteers"}
    assert float(volunteers["Hours"]) == ex.hours and int(volunteers["Volunteers"]) == ex.volunteers
    follow_ups = exported(store, tmp_path, "follow-ups", ReportFilters())
    assert len(follow_ups) == ex.follow_ups_open
    assert sum(f["status"] == "overdue" for f in follow_ups) == ex.follow_ups_overdue
    check_sums(store, tmp_path, ReportFilters(), core)


def test_edge_cases_cadre_weekend_list_uses_the_open_follow_up_rule(edge):
    """A cadre's weekend list (F6 w, ``pairing list``) finds the same open and
    overdue follow-ups as home, F7 and the export."""
    from clinic.core.planning import weekend_list

    store, path, ex = edge
    cadre = store.scalar("SELECT id FROM volunteers WHERE name = '甲医生'")
    store.conn.execute("UPDATE volunteers SET is_cadre = 1 WHERE id = ?", [cadre])
    store.conn.execute("UPDATE households SET cadre_id = ?", [cadre])
    store.conn.commit()
    rows = weekend_list(store, cadre, ex.today)
    assert sum(r["overdue"] for r in rows) == ex.follow_ups_overdue
    assert cli_json(path, "pairing", "list", "甲医生") == json.loads(json.dumps(rows, default=str))
    dues = sorted(r["follow_up_due"] for r in rows if r["follow_up_due"])
    assert dues == [
        (ex.today + dt.timedelta(days=n)).isoformat() for n in (-14, 7)
    ]  # each household's earliest open follow-up
