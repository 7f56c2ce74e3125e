"""The clinic day as the desk sees it: choosing or opening a day, who works it, visit times.

Every record names the volunteer who made it. A visit on a past clinic day
(forms written on paper first, entered afterwards) takes the clinic day's
date, not today's: see ``stamp``.
"""

from __future__ import annotations

import datetime as dt

from clinic.core.errors import (
    NotFoundError,
)
from clinic.core.search import age_from_iso
from clinic.i18n import _
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import days as days_q
from clinic.store import persons as persons_q
from clinic.store import visits as visits_q
from clinic.store import volunteers as volunteers_q

# -- small helpers ------------------------------------------------------------


def age_on(birth: str | None, on: dt.date) -> int | None:
    """Age on the clinic day (not today: past days are typed in afterwards)."""
    return age_from_iso(birth, on)


def stamp(day: dict, now: dt.datetime) -> str:
    """The time a record made now for ``day`` carries: now on the day itself,
    the day's date with the present clock time when a past day is entered
    afterwards (so the order of entry is kept)."""
    if day["date"] == now.date().isoformat():
        return now.strftime("%Y-%m-%d %H:%M:%S")
    return f"{day['date']} {now.strftime('%H:%M:%S')}"


def minutes_between(start: str | None, end: str | dt.datetime) -> int | None:
    if not start:
        return None
    try:
        a = dt.datetime.fromisoformat(start)
        b = end if isinstance(end, dt.datetime) else dt.datetime.fromisoformat(end)
    except ValueError:
        return None
    return max(0, int((b - a).total_seconds() // 60))


# -- clinic days --------------------------------------------------------------


def day_label(day: dict) -> str:
    place = f"{day['township']} {day['village']}"
    return f"{day['date']} {place}" + (f" · {day['venue']}" if day.get("venue") else "")


def days_for_desk(store: Store, today: dt.date) -> list[dict]:
    return days_q.days_around(store, today.isoformat())


def get_day(store: Store, day_id: int) -> dict:
    found = days_q.day(store, day_id)
    if not found:
        raise NotFoundError(_("There is no clinic day number {id}.").format(id=day_id))
    return found


def create_walk_in_day(
    store: Store,
    village_id: int,
    date: dt.date,
    organisation_id: int | None = None,
    venue: str = "",
) -> int:
    """A clinic day made on the spot at the desk (nobody planned it in advance)."""
    with store.transaction():
        return days_q.insert_day(
            store,
            {
                "date": date.isoformat(),
                "village_id": village_id,
                "organisation_id": organisation_id,
                "venue": venue,
                "status": "confirmed",
                "walk_in": 1,
            },
        )


def join_desk(store: Store, day_id: int, volunteer_id: int, role: str | None = None) -> None:
    """A volunteer says they are at the desk: their assignment is marked attended
    (made if they were not on the roster)."""
    with store.transaction():
        found = assignments_q.assignment_of(store, day_id, volunteer_id)
        if found:
            if found["status"] != "attended":
                assignments_q.update_assignment(store, found["id"], {"status": "attended"})
            return
        vol = volunteers_q.volunteer(store, volunteer_id)
        if not vol:
            raise NotFoundError(_("There is no volunteer number {id}.").format(id=volunteer_id))
        assignments_q.insert_assignment(
            store,
            day_id,
            volunteer_id,
            role or vol["specialty_code"] or "clerk",
            status="attended",
        )


def fill_hours(store: Store, day_id: int) -> int:
    """Type the day's planned length (start to end) as the hours of every
    volunteer marked attended without typed hours; returns how many. The
    figures already count them so (docs/figures.md): this only makes it
    typed, so the summary no longer marks them with *."""
    get_day(store, day_id)
    with store.transaction():
        return assignments_q.fill_hours(store, day_id)


def volunteers_for_day(store: Store, day_id: int) -> list[dict]:
    """The day's assigned volunteers first, then every other active volunteer."""
    assigned = assignments_q.day_volunteers(store, day_id)
    ids = {v["id"] for v in assigned}
    others = [
        dict(v, status=None) for v in volunteers_q.all_volunteers(store) if v["id"] not in ids
    ]
    return assigned + others


def seen_counts(store: Store, day_id: int) -> dict[int, int]:
    return visits_q.seen_counts(store, day_id)


# -- what the desk screen reads ------------------------------------------------


def find_day(store: Store, day_id: int) -> dict | None:
    """The clinic day, or None when there is no such day (``get_day`` raises instead)."""
    return days_q.day(store, day_id)


def volunteer(store: Store, volunteer_id: int) -> dict | None:
    """The volunteer at the desk (``id``, ``name``, ``specialty_code``, ``licence_no``)."""
    return volunteers_q.volunteer(store, volunteer_id)


def person(store: Store, person_id: int) -> dict | None:
    """One registered person, as the desk shows them."""
    return persons_q.person(store, person_id)


def visit(store: Store, visit_id: int) -> dict | None:
    return visits_q.visit(store, visit_id)


def visit_for(store: Store, day_id: int, person_id: int) -> dict | None:
    """The person's visit on that clinic day, if they are checked in."""
    return visits_q.visit_for(store, day_id, person_id)
