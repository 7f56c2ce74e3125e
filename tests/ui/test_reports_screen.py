"""The report screen (F8): filters, figures, charts, exports in a worker."""

from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pytest

from clinic.core.reports import ReportFilters, build_report
from clinic.core.reports.charts import report_charts
from clinic.i18n import set_language


async def test_filters_change_the_report(year_path, make_app, open_report):
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        assert screen.report.visits == 402
        screen.query_one("#from").value = "2025-01-01"
        screen.query_one("#to").value = "2025/12/31"
        screen.query_one("#org").value = "民进"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report.visits == 401
        assert screen.report.volunteers["hours"] == 310.0
        assert (
            screen.report.as_dict()
            == build_report(
                app.store, ReportFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), orgs=("民进",))
            ).as_dict()
        )
        # The chart follows the filters: drawn from the report just computed.
        assert screen.query_one("#chart").series == report_charts(screen.report)[0]


async def test_bad_date_is_a_message_not_a_crash(year_path, make_app, open_report, said):
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        before = screen.report
        screen.query_one("#from").value = "2025-13-45"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report is before
        assert screen.query_one("#from").has_class("-invalid")
        assert any("2025-13-45" in m for m in said(app))


@pytest.mark.parametrize("name,fmt", [("report", "xlsx"), ("visits", "csv"), ("coverage", "json")])
async def test_export_what_is_shown(year_path, tmp_path, name, fmt, make_app, open_report):
    app = make_app(year_path, lang=None, user="coordinator")
    target = tmp_path / f"out.{fmt}"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#village").value = "中峰镇/龙山村"
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen.query_one("#dataset").value = name
        screen.query_one("#file").value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#export-status").display
        assert "Wrote" in str(screen.query_one("#export-message").render())
        progress = screen.query_one("#progress")
        assert progress.total and progress.progress == progress.total
        log = app.store.one("SELECT * FROM audit_log ORDER BY id DESC")
    assert log["action"] == "export" and log["actor"] == "coordinator"
    assert json.loads(log["detail"])["filters"]["villages"] == ["中峰镇/龙山村"]
    if fmt == "xlsx":
        rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
        assert ("Overview", "Visits", 20, None) in rows
    elif fmt == "csv":
        with open(target, encoding="utf-8-sig", newline="") as fh:
            assert len(list(csv.reader(fh))) == 21
    else:
        assert len(json.loads(target.read_text(encoding="utf-8-sig"))) == 1


async def test_unmasked_export_from_the_screen_is_audited(
    year_path, tmp_path, make_app, open_report
):
    app = make_app(year_path, lang=None, user="coordinator")
    target = tmp_path / "persons.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#dataset").value = "persons"
        screen.query_one("#file").value = str(target)
        screen.query_one("#unmasked").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")  # asked first: nothing written on "no"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not target.exists()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        log = app.store.one("SELECT * FROM audit_log ORDER BY id DESC")
    assert log["action"] == "export_unmasked" and log["rows"] == 801
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert any(len(r[9]) == 18 and "*" not in r[9] for r in rows[1:])


async def test_export_to_a_folder_that_does_not_exist(year_path, tmp_path, make_app, open_report):
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#file").value = str(tmp_path / "nowhere" / "r.csv")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Cannot write" in str(screen.query_one("#export-message").render())


async def _settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_and_settle(pilot):
    await pilot.press("f8")
    await _settle(pilot)
    # The default file name is beside the (temporary) database: a fixed one
    # keeps the picture the same from run to run.
    pilot.app.screen.query_one("#file").value = "/srv/clinic/exports/report-2026-11-24.xlsx"
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(year_path, snap_compare, lang, size, make_app):
    set_language(lang)
    try:
        app = make_app(year_path, lang=None, user="coordinator")
        assert snap_compare(app, terminal_size=size, run_before=_open_and_settle)
    finally:
        set_language("en")


async def test_replacing_a_file_asks_first(year_path, tmp_path, make_app, open_report):
    from clinic.ui.widgets.confirm import ConfirmDialog as Confirm

    target = tmp_path / "r.csv"
    target.write_text("keep me", encoding="utf-8")
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#file").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert target.read_text(encoding="utf-8-sig").startswith("Section,Item")


async def test_escape_cancels_a_long_export(
    year_path, tmp_path, monkeypatch, make_app, open_report
):
    import threading

    from clinic.core.exports import delivery

    started = threading.Event()
    release = threading.Event()
    real_rows = delivery.dataset_rows

    def slow_rows(*args, **kwargs):
        for i, row in enumerate(real_rows(*args, **kwargs)):
            if i == 500:
                started.set()
                release.wait(5)
            yield row

    monkeypatch.setattr(delivery, "dataset_rows", slow_rows)
    target = tmp_path / "visits.csv"
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#dataset").value = "persons"
        screen.query_one("#file").value = str(target)
        await pilot.press("ctrl+s")
        for _ in range(500):
            if started.is_set():
                break
            await pilot.pause(0.01)
        assert started.is_set()
        await pilot.press("escape")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cancelled" in str(screen.query_one("#export-message").render())
    assert not target.exists() and list(tmp_path.glob("*.part")) == []


async def test_palette_exports_a_dataset(year_path, tmp_path, monkeypatch, make_app, open_report):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#file").value = "cov.csv"
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "Export: Coverage":
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#dataset").value == "coverage"
    # A relative name is in the exports folder beside the database, not the working directory.
    assert (year_path.parent / "exports" / "cov.csv").exists()
    assert list((tmp_path / "cwd").iterdir()) == []


async def test_the_pack_and_the_printed_summary_from_the_screen(
    year_path, tmp_path, make_app, open_report, cli_report, said
):
    """F8: the year-end pack (.xlsx with the charts) and the printable summary (.html)
    with the screen's filters, audited like every export."""
    app = make_app(year_path, lang=None, user="tester")
    pack, page = tmp_path / "pack.xlsx", tmp_path / "summary.html"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#village").value = "中峰镇/龙山村"
        await app.workers.wait_for_complete()
        await pilot.pause()
        for dataset, target in (("pack", pack), ("report", page)):
            screen.query_one("#dataset").value = dataset
            screen.query_one("#file").value = str(target)
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "Wrote" in str(screen.query_one("#export-message").render())
        log = app.store.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 2")
        screen.query_one("#dataset").value = "pack"
        screen.query_one("#file").value = str(tmp_path / "pack.csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(".xlsx" in m for m in said(app))
    assert not (tmp_path / "pack.csv").exists()
    assert [json.loads(r["detail"])["dataset"] for r in log] == ["report", "pack"]
    truth = cli_report(year_path, "--village", "中峰镇/龙山村")
    wb = openpyxl.load_workbook(pack)
    assert len(wb.worksheets[0]._charts) == 4
    figures = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True) if r[0]}
    assert figures["Visits"] == truth["visits"] == 20
    assert len(list(wb["Visits"].iter_rows())) == truth["visits"] + 1
    text = page.read_text(encoding="utf-8")
    assert "People served per month" in text and "<svg" in text


async def test_the_file_name_follows_the_dataset_chosen(year_path, today, make_app, open_report):
    """The file proposed is the dataset's own: choosing the persons list after the report
    never writes it over the report's workbook (it did, after a "replace?" that named the
    report's file); a name the user typed stays; the palette's export goes to the
    dataset's file too."""
    app = make_app(year_path, lang=None, user="coordinator")
    exports = year_path.parent / "exports"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_report(app, pilot)
        box = screen.query_one("#file")
        assert box.value == str(exports / f"report-{today.isoformat()}.xlsx")
        screen.query_one("#dataset").focus()
        await pilot.press("enter", "down", "down", "enter")  # by keys, as a user chooses
        await pilot.pause()
        chosen = screen.query_one("#dataset").value
        assert chosen != "report"
        assert box.value == str(exports / f"{chosen}-{today.isoformat()}.xlsx")
        screen.action_export_dataset("coverage")  # what the palette's "Export: …" runs
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert box.value == str(exports / f"coverage-{today.isoformat()}.xlsx")
        box.value = "mine.csv"
        screen.query_one("#dataset").value = "visits"
        await pilot.pause()
        assert box.value == "mine.csv"
    assert (exports / f"coverage-{today.isoformat()}.xlsx").exists()
    assert not (exports / f"{chosen}-{today.isoformat()}.xlsx").exists()
    assert not (exports / f"report-{today.isoformat()}.xlsx").exists()
