"""A volunteer's calendar file read back with the icalendar package: the events are
the volunteer's days on the roster, in China's time, with what calendars need to
import it (VERSION, PRODID, DTSTAMP, UID) — and written privately."""

from __future__ import annotations

import datetime as dt
import stat
from zoneinfo import ZoneInfo

import icalendar

from clinic.core import planning as p
from clinic.core.planning.labels import assignment_label
from clinic.core.planning.schedule_exports import export_calendar
from clinic.i18n import set_language

FROM, TO = "2026-11-24", "2027-02-28"
NOW = dt.datetime(2026, 11, 24, 1, 2, 3, tzinfo=dt.UTC)


def _volunteer_with_days(store) -> dict:
    return store.one(
        "SELECT v.id, v.name, COUNT(*) AS n FROM volunteers v "
        "JOIN assignments a ON a.volunteer_id = v.id "
        "JOIN clinic_days d ON d.id = a.clinic_day_id "
        "WHERE d.date BETWEEN ? AND ? AND a.status != 'declined' "
        "GROUP BY v.id ORDER BY n DESC, v.id LIMIT 1",
        [FROM, TO],
    )


def _roster_days(store, name: str) -> list[tuple]:
    """(date, start, end, village) of the volunteer's days on the roster export, not declined."""
    headers, rows = p.roster_table(store, FROM, TO)
    col = {h: i for i, h in enumerate(headers)}
    declined = assignment_label("declined")
    return sorted(
        (r[col["Date"]], r[col["Start"]], r[col["End"]], r[col["Village"]])
        for r in rows
        if r[col["Volunteer"]] == name and r[col["Status"]] != declined
    )


def test_events_are_the_volunteers_days_on_the_roster(demo_store, tmp_path):
    vol = _volunteer_with_days(demo_store)
    out = tmp_path / "days.ics"
    export_calendar(demo_store, vol["id"], out, date_from=FROM, date_to=TO, now=NOW)
    cal = icalendar.Calendar.from_ical(out.read_bytes().decode("utf-8"))
    shanghai = ZoneInfo("Asia/Shanghai")
    events = []
    for e in cal.walk("VEVENT"):
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert start.utcoffset() == dt.timedelta(hours=8) and e["DTSTART"].params["TZID"] == (
            "Asia/Shanghai"
        )
        start, end = start.astimezone(shanghai), end.astimezone(shanghai)
        village = next(r[3] for r in _roster_days(demo_store, vol["name"]) if r[3] in e["SUMMARY"])
        events.append((start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}", village))
    assert events and sorted(events) == _roster_days(demo_store, vol["name"])
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_calendar_has_what_importers_need(demo_store):
    vol = _volunteer_with_days(demo_store)
    text, n = p.volunteer_ics(demo_store, vol["id"], FROM, TO, now=NOW)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//clinic//")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    standard = cal.walk("STANDARD")
    assert len(standard) == 1 and standard[0].decoded("TZOFFSETTO") == dt.timedelta(hours=8)
    events = cal.walk("VEVENT")
    assert len(events) == n
    for e in events:
        assert e.decoded("DTSTAMP") == NOW  # in UTC ("Z")
        assert str(e["UID"]).endswith("@clinic")
        assert str(e["STATUS"]) in ("TENTATIVE", "CONFIRMED", "CANCELLED")
    assert len({str(e["UID"]) for e in events}) == n
    assert all(line.endswith("Z") for line in text.split("\r\n") if line.startswith("DTSTAMP"))


def test_chinese_calendar_round_trips(demo_store):
    vol = _volunteer_with_days(demo_store)
    set_language("zh")
    try:
        text, _n = p.volunteer_ics(demo_store, vol["id"], FROM, TO, now=NOW)
    finally:
        set_language("en")
    raw = text.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded in octets
    assert b"\n" not in raw.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["X-WR-CALNAME"]).endswith(vol["name"]) and "义诊" in str(cal["X-WR-CALNAME"])
    for e in cal.walk("VEVENT"):
        assert str(e["SUMMARY"]).startswith("义诊")
        assert "\\" not in str(e["LOCATION"])  # unescaped back to the text as written
