"""One truth (issue 5): the TUI report, ``clinic report --json`` and the sums of
the exported rows agree, on the demo database."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter

import pytest
from click.testing import CliRunner

from clinic.core.exports import dataset, export_dataset
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
    assert cli_report(demo_path) == core
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
    assert (
        cli_report(demo_path, "--from", first, "--to", TODAY.isoformat(), "--village", name) == core
    )
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
