"""iCalendar (RFC 5545) files that phone calendars import: one event per clinic day.

Written by hand (the format is small) and to the letter: CRLF line ends,
lines folded at 75 octets without splitting a UTF-8 character, TEXT values
escaped (backslash, semicolon, comma, newline), a stable UID per assignment
(so importing the file again updates events rather than doubling them),
DTSTAMP in UTC, and start/end in Asia/Shanghai with a VTIMEZONE block (China
has had no daylight saving time since 1991: one STANDARD rule, +0800).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

TZID = "Asia/Shanghai"
PRODID = "-//clinic//Free village clinics//ZH"

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


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


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma escaped; newlines as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 3.1: at most 75 octets a line; continuation lines start with a space."""
    out = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _local(date: str, time: str) -> str:
    return date.replace("-", "") + "T" + time.replace(":", "") + "00"


def calendar(events: Iterable[Event], *, name: str = "", now: dt.datetime | None = None) -> str:
    """The whole VCALENDAR as text with CRLF line ends."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
        lines.append(f"X-WR-TIMEZONE:{TZID}")
    lines += VTIMEZONE
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={TZID}:{_local(e.date, e.start)}",
            f"DTEND;TZID={TZID}:{_local(e.date, e.end)}",
            f"SUMMARY:{escape_text(e.summary)}",
        ]
        if e.location:
            lines.append(f"LOCATION:{escape_text(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        lines += [f"STATUS:{e.status}", "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def unfold(text: str) -> list[str]:
    """Content lines back from a file (for tests and for reading what we wrote)."""
    out: list[str] = []
    for raw in text.split("\r\n"):
        if raw.startswith((" ", "\t")) and out:
            out[-1] += raw[1:]
        elif raw:
            out.append(raw)
    return out
