"""Schedules out: the roster as CSV (BOM, masked phones) and iCalendar files per volunteer."""

from __future__ import annotations

import csv
import datetime as dt
import io

import icalendar
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import ics
from clinic.core import planning as p


def unfolded(text: str) -> list[str]:
    """The content lines of an iCalendar text, continuation lines joined (RFC 5545 3.1)."""
    return [line for line in text.replace("\r\n ", "").split("\r\n") if line]


def event_uids(text: str) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]


def test_export_roster_csv(demo_path):
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--db", str(demo_path), "export", "roster", "--from", "2026-11-24", "--to", "2027-02-28"],
    )
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Date" and len(rows) > 5
    assert all("****" in r[9] for r in rows[1:] if r[9])
    by_vol = runner.invoke(
        cli,
        [
            "--db",
            str(demo_path),
            "export",
            "roster",
            "--by",
            "volunteer",
            "--from",
            "2026-11-24",
            "--to",
            "2027-02-28",
            "--format",
            "json",
        ],
    )
    assert by_vol.exit_code == 0 and '"Volunteer"' in by_vol.output


def test_ics_lines_are_folded_and_crlf():
    long = "义诊" * 60
    text = ics.calendar(
        [
            ics.Event(
                uid="x@clinic",
                date="2026-12-05",
                start="08:30",
                end="12:00",
                summary=long,
                location="中峰镇龙山村, 村委会; 活动室",
            )
        ],
        name="测试",
        now=dt.datetime(2026, 11, 24, 1, 2, 3, tzinfo=dt.UTC),
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    lines = unfolded(text)
    assert "SUMMARY:" + long in lines
    assert "LOCATION:中峰镇龙山村\\, 村委会\\; 活动室" in lines
    assert "DTSTAMP:20261124T010203Z" in lines
    assert "DTSTART;TZID=Asia/Shanghai:20261205T083000" in lines
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1 and "BEGIN:VTIMEZONE" in lines
    # The VTIMEZONE comes before the events that refer to it.
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert (
        str(event["SUMMARY"]) == long and str(event["LOCATION"]) == "中峰镇龙山村, 村委会; 活动室"
    )


def test_export_ics_for_a_volunteer(demo_path, demo_store, tmp_path):
    vol = demo_store.one(
        "SELECT v.id, v.name FROM volunteers v JOIN assignments a ON a.volunteer_id = v.id "
        "JOIN clinic_days d ON d.id = a.clinic_day_id WHERE d.date >= '2026-11-24' "
        "AND v.name IN (SELECT name FROM volunteers GROUP BY name HAVING COUNT(*) = 1) LIMIT 1"
    )
    out = tmp_path / "me.ics"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(demo_path),
            "export",
            "ics",
            "--volunteer",
            vol["name"],
            "--from",
            "2026-11-24",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    uids = event_uids(out.read_bytes().decode("utf-8"))
    assert uids and len(set(uids)) == len(uids)
    # The same assignment keeps its UID, so re-importing updates instead of doubling.
    again, _n = p.volunteer_ics(demo_store, vol["id"], "2026-11-24", "2027-11-24")
    assert event_uids(again) == uids
    assert demo_store.scalar("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%\"ics\"%'") == 1


def test_export_ics_unknown_volunteer(demo_path):
    result = CliRunner().invoke(
        cli, ["--db", str(demo_path), "export", "ics", "--volunteer", "无此人"]
    )
    assert result.exit_code == 1 and "No volunteer called" in result.output


def test_export_ics_for_everyone(demo_path, tmp_path):
    folder = tmp_path / "ics"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(demo_path),
            "export",
            "ics",
            "--all",
            "--from",
            "2026-11-24",
            "-o",
            str(folder),
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(folder.glob("*.ics"))
    assert files
    for f in files:
        assert icalendar.Calendar.from_ical(f.read_bytes().decode("utf-8")).walk("VEVENT")
    both = CliRunner().invoke(cli, ["--db", str(demo_path), "export", "ics"])
    assert both.exit_code == 1 and "--all" in both.output


def test_export_roster_xlsx_sheet_is_named(demo_path, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "roster.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(demo_path),
            "--lang",
            "zh",
            "export",
            "roster",
            "--from",
            "2026-11-01",
            "--to",
            "2026-12-31",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["自动排班"]  # the roster, named in Chinese
