"""One truth (issues 5 and 9): every figure agrees across the TUI screens
(home, F5, F7, F8, F9), the CLI's ``--json`` and the exports, on the demo
database and on a database built with every edge case of docs/figures.md
(tests/figures_data.py: no-show, confirmed but absent, attended without typed
hours, attendance on a day not marked done, cancelled day, walk-in, draft
visit)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter

import pytest
from click.testing import CliRunner

from clinic.core.exports import dataset, export_dataset
from clinic.core.figures import machine_output
from clinic.core.reports import ReportFilters, build_report
from clinic.core.vitals import flag_short

TODAY = dt.date(2026, 11, 24)


def cli_report(path, *args) -> dict:
    from clinic.cli.main import cli

    result = CliRunner().invoke(
        cli, ["--db", str(path), "report", *args, "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def exported(store, tmp_path, name, filters) -> list[dict]:
    """An export read back as dicts keyed by the dataset's JSON keys."""
    path = tmp_path / f"{name}.csv"
    export_dataset(store, name, path, filters=filters, today=TODAY)
    keys = [c.key for c in dataset(name).columns]
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    return [dict(zip(keys, r, strict=True)) for r in rows]


def check_sums(store, tmp_path, filters: ReportFilters, report: dict) -> None:
    visits = exported(store, tmp_path, "visits", filters)
    assert len(visits) == report["visits"]
    assert sum(1 for v in visits if v["referral_to"]) == report["referrals"]["total"]
    flags = Counter(f for v in visits for f in v["flags"].split(";") if f)  # words, not codes
    assert dict(flags) == {flag_short(f["flag"]): f["visits"] for f in report["flags"]}
    assert sum(int(v["handouts"]) for v in visits) == report["prescriptions"]["total"]
    assert Counter(v["organisation"] for v in visits) == Counter(
        {o["organisation"]: o["visits"] for o in report["by_organiser"] if o["visits"]}
    )

    handouts = exported(store, tmp_path, "handouts", filters)
    assert len(handouts) == report["prescriptions"]["total"]
    assert Counter(h["condition"] for h in handouts) == Counter(
        {c["label"]: c["handouts"] for c in report["prescriptions"]["by_condition"]}
    )

    coverage = exported(store, tmp_path, "coverage", filters)
    assert len(coverage) == len(report["by_village"])
    assert sum(int(c["days"]) for c in coverage) == report["clinic_days"]["held"]
    assert sum(int(c["visits"]) for c in coverage) == report["visits"]
    assert sum(int(c["registered"]) for c in coverage) == report["households"]["registered"]
    assert sum(int(c["served"]) for c in coverage) == report["households"]["served_registered"]

    hours = exported(store, tmp_path, "volunteer-hours", filters)
    assert len(hours) == report["volunteers"]["people"]
    assert sum(float(h["hours"]) for h in hours) == pytest.approx(
        report["volunteers"]["hours"], abs=0.05
    )
    by_org = Counter(h["organisation"] for h in hours)
    assert dict(by_org) == {
        o["organisation"]: o["volunteers"] for o in report["volunteers"]["by_organisation"]
    }

    table = exported(store, tmp_path, "report", filters)
    overview = {r["item"]: r["number"] for r in table if r["section"] == "Overview"}
    assert (
        int(overview["Visits"]) == report["visits"]
        and int(overview["People seen"]) == report["people"]
    )


async def tui_report(path, filters_typed: dict[str, str] | None = None):
    from clinic.ui.app import ClinicApp
    from clinic.ui.report import ReportScreen

    app = ClinicApp(db_path=path, actor="tester", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        for field, text in (filters_typed or {}).items():
            screen.query_one(f"#{field}").value = text
        if filters_typed:
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = screen.report.as_dict()
        text = render_text(screen.figures_table(screen.report))
    return shown, text


def render_text(renderable) -> str:
    from rich.console import Console

    console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


async def test_one_truth_on_the_demo(demo_store, demo_path, tmp_path):
    core = build_report(demo_store).as_dict()
    assert core["visits"] > 0 and core["prescriptions"]["total"] > 0
    assert cli_report(demo_path) == machine_output(core)
    shown, text = await tui_report(demo_path)
    assert shown == core
    assert f"{core['visits']:,}" in text and f"{core['prescriptions']['total']:,}" in text
    check_sums(demo_store, tmp_path, ReportFilters(), core)


async def test_one_truth_with_filters(demo_store, demo_path, tmp_path):
    village = demo_store.one(
        "SELECT t.name AS town, v.name FROM clinic_days d JOIN villages v ON v.id = d.village_id "
        "JOIN townships t ON t.id = v.township_id JOIN visits x ON x.clinic_day_id = d.id "
        "GROUP BY d.village_id ORDER BY count(*) DESC LIMIT 1"
    )
    name = f"{village['town']}/{village['name']}"
    first = demo_store.scalar(
        "SELECT min(date) FROM clinic_days d WHERE EXISTS (SELECT 1 FROM visits WHERE clinic_day_id = d.id)"
    )
    filters = ReportFilters(date_from=dt.date.fromisoformat(first), date_to=TODAY, villages=(name,))
    core = build_report(demo_store, filters).as_dict()
    assert core["visits"] > 0
    assert cli_report(
        demo_path, "--from", first, "--to", TODAY.isoformat(), "--village", name
    ) == machine_output(core)
    check_sums(demo_store, tmp_path, filters, core)
    shown, _text = await tui_report(
        demo_path, {"from": first, "to": TODAY.isoformat(), "village": name}
    )
    assert shown == core


def test_each_day_agrees_with_the_desk_day_summary(demo_store):
    """The period report narrowed to one day says what the desk's end-of-day summary says."""
    from clinic.core.daysummary import summary

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


@pytest.fixture
def edge(tmp_path):
    """The edge-case database (tests/figures_data.py) and what it must show."""
    from figures_data import build

    from clinic.store import open_store

    path = tmp_path / "edge.db"
    store = open_store(path)
    expected = build(store)
    yield store, path, expected
    store.close()


def cli_json(path, *args) -> object:
    from clinic.cli.main import cli

    result = CliRunner().invoke(cli, ["--db", str(path), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def plain(markup: str) -> str:
    from rich.text import Text

    return Text.from_markup(markup).plain


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

    from clinic.core.daysummary import summary

    cancelled = summary(store, ex.day_c)  # a visit and attendance recorded, then cancelled
    assert not cancelled["day"]["held"]
    assert (cancelled["checked_in"], cancelled["seen"], cancelled["volunteers"]) == (0, 0, [])
    planned = summary(store, ex.day_b)  # attendance recorded, not marked done
    assert planned["day"]["held"] and planned["volunteer_hours"] == 3.5
    assert planned["hours_not_typed"] == 1
    today = summary(store, ex.day_a)
    assert (today["checked_in"], today["seen"], today["not_done"]) == (4, 3, 1)  # a draft


def test_edge_cases_cli_and_exports(edge, tmp_path):
    """``report``, ``report day``, ``day list``, ``day show``, ``status`` and the
    exports say the same as core, including hours, volunteers and filled places."""
    from clinic.core.daysummary import summary
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


async def test_edge_cases_on_every_screen(edge):
    """Home, F5, F7, F8 and F9 show the figures core computes."""
    from textual.widgets import DataTable, Static

    from clinic.core.daysummary import summary, summary_lines, thanks
    from clinic.ui.app import ClinicApp
    from clinic.ui.days import ClinicDaysScreen
    from clinic.ui.desk_extra import SummaryScreen
    from clinic.ui.report import ReportScreen
    from clinic.ui.villages import VillagesScreen

    store, path, ex = edge
    core = build_report(store).as_dict()
    app = ClinicApp(db_path=path, actor="tester", today=ex.today)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen.query_one("#days", DataTable)
        assert home.get_row(str(ex.day_a))[6] == f"{ex.day_a_filled}/{ex.day_a_needed}"
        assert home.get_row(str(ex.day_d))[6] == f"{ex.day_d_filled}/{ex.day_d_needed}"
        counts = plain(str(app.screen.query_one("#counts-body", Static).content))
        line = next(x for x in counts.splitlines() if x.startswith("Follow-ups due"))
        assert line.split()[-1] == str(ex.follow_ups_due)

        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ClinicDaysScreen)
        days = app.screen.query_one("#days-list", DataTable)
        assert days.get_row(str(ex.day_a))[6] == f"{ex.day_a_filled}/{ex.day_a_needed}"
        days.move_cursor(row=days.get_row_index(str(ex.day_a)))
        await pilot.pause()
        needs = app.screen.query_one("#needs", DataTable)
        filled = sum(int(str(needs.get_row_at(i)[2]).split()[0]) for i in range(needs.row_count))
        assert filled == ex.day_a_filled
        team = app.screen.query_one("#team", DataTable)
        rows = {str(team.get_row_at(i)[0]): team.get_row_at(i) for i in range(team.row_count)}
        assert rows["乙医生"][3] == "3.5*" and rows["丙医生"][3] == ""
        assert sum(float(r[3].rstrip("*") or 0) for r in rows.values()) == ex.day_a_hours

        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, VillagesScreen)
        villages = app.screen.query_one("#villages-table", DataTable)
        row = villages.get_row_at(0)
        assert str(row[-1]) == str(ex.follow_ups_due)

        await pilot.press("f8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.report.as_dict() == core
        text = render_text(app.screen.figures_table(app.screen.report))
        assert f"{ex.hours:g} hours" in text
        assert "2 days of volunteers without typed hours" in text

        app.push_screen(SummaryScreen(ex.day_a))
        await pilot.pause()
        shown = plain(str(app.screen.query_one("#summary", Static).content))
        data = summary(store, ex.day_a)
        assert f"Volunteers ({ex.day_a_volunteers}, {ex.day_a_hours:g} hours):" in shown
        lines = summary_lines(data)
        assert lines[-1] == thanks(data)  # shown apart, under the figures
        assert shown.splitlines() == lines[:-2]
        assert "丙医生" in shown  # confirmed but absent: named, not counted
