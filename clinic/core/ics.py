"""iCalendar (RFC 5545) files that phone calendars import: one event per clinic day.

Written with the ``icalendar`` package rather than by hand: it escapes TEXT
values (backslash, semicolon, comma, newline), folds lines at 75 octets
without splitting a UTF-8 character and ends them with CRLF, and draws the
VTIMEZONE block from the time zone database. What stays ours: a stable UID
per assignment (so importing the file again updates events rather than
doubling them), DTSTAMP in UTC, and start/end in Asia/Shanghai with its
VTIMEZONE (one STANDARD rule, +0800: China has had no daylight saving time
since 1991, and the block starts in 1992 so it carries none of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

TZID = "Asia/Shanghai"
PRODID = "-//clinic//Free village clinics//ZH"
# The VTIMEZONE block covers this day on (the last change of offset was in 1991).
TIMEZONE_FROM = dt.date(1992, 1, 1)


@dataclass
class Event:
    uid: str
    date: str  # ISO date
    start: str  # HH:MM local
    end: str
    summary: str
    location: str = ""
    description: str = ""
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED, CANCELLED


def _local(date: str, time: str) -> dt.datetime:
    """The wall-clock time in China, as an aware datetime (written with TZID)."""
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time.fromisoformat(time)).replace(
        tzinfo=ZoneInfo(TZID)
    )


def _event(e: Event, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", e.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(e.date, e.start))
    event.add("dtend", _local(e.date, e.end))
    event.add("summary", e.summary)
    if e.location:
        event.add("location", e.location)
    if e.description:
        event.add("description", e.description)
    event.add("status", e.status)
    event.add("transp", "OPAQUE")
    return event


def calendar(events: Iterable[Event], *, name: str = "", now: dt.datetime | None = None) -> str:
    """The whole VCALENDAR as text with CRLF line ends."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
    # Before the events, where every importer looks for it.
    cal.add_component(icalendar.Timezone.from_tzid(TZID, first_date=TIMEZONE_FROM))
    for e in events:
        cal.add_component(_event(e, stamp))
    return cal.to_ical().decode("utf-8")
