"""What the roster export and a volunteer's calendar contain: the roster table
(headers and rows) and the .ics text.
"""

from __future__ import annotations

import datetime as dt

from clinic.core.errors import NotFoundError
from clinic.core.planning.labels import assignment_label
from clinic.core.planning.needs import specialty_label
from clinic.i18n import N_, _, pick
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import datasets as datasets_q
from clinic.store import volunteers as volunteers_q

ROSTER_HEADERS = (
    N_("Date"),
    N_("Start"),
    N_("End"),
    N_("Township"),
    N_("Village"),
    N_("Venue"),
    N_("Organising organisation"),
    N_("Role"),
    N_("Volunteer"),
    N_("Phone"),
    N_("Volunteer's organisation"),
    N_("Status"),
    N_("Hours"),
    N_("Clinic day"),
)
ROSTER_TEXT_COLUMNS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}


def roster_table(
    store: Store, date_from: str, date_to: str, *, by: str = "day", unmasked: bool = False
) -> tuple[list[str], list[list]]:
    """The roster as rows for :func:`clinic.core.tabular.write_table`, by day or by volunteer."""
    from clinic.core.privacy import mask_phone

    rows = datasets_q.roster_rows(store, date_from, date_to)
    if by == "volunteer":
        rows.sort(key=lambda r: (r["volunteer"], r["volunteer_id"], r["date"], r["start_time"]))
    out = [
        [
            r["date"],
            r["start_time"],
            r["end_time"],
            r["township"],
            r["village"],
            r["venue"],
            r["organisation"] or "",
            pick(r["role_zh"], r["role_en"]) or r["role"],
            r["volunteer"],
            (r["phone"] or "") if unmasked else mask_phone(r["phone"]),
            r["volunteer_org"] or "",
            assignment_label(r["status"]),
            r["hours"] if r["hours"] is not None else "",
            r["day_id"],
        ]
        for r in rows
    ]
    headers = [_(h) for h in ROSTER_HEADERS]
    if by == "volunteer":
        order = [8, 10, 0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13]
        headers = [headers[i] for i in order]
        out = [[row[i] for i in order] for row in out]
    return headers, out


def volunteers_with_days(store: Store, date_from: str, date_to: str) -> list[dict]:
    ids = {r["volunteer_id"] for r in datasets_q.roster_rows(store, date_from, date_to)}
    return [v for v in volunteers_q.volunteers(store) if v["id"] in ids]


def volunteer_ics(
    store: Store, volunteer_id: int, date_from: str, date_to: str, now: dt.datetime | None = None
) -> tuple[str, int]:
    """The volunteer's clinic days as an iCalendar text; cancelled days stay in as CANCELLED."""
    from clinic.core import ics

    vol = volunteers_q.volunteer(store, volunteer_id)
    if vol is None:
        raise NotFoundError(_("No volunteer with number {value}.").format(value=volunteer_id))
    events = []
    for r in assignments_q.schedule(store, volunteer_id, date_from, date_to):
        if r["status"] == "declined":
            continue
        role = specialty_label(store, r["role"])
        status = (
            "CANCELLED"
            if r["day_status"] == "cancelled"
            else ("CONFIRMED" if r["status"] in ("confirmed", "attended") else "TENTATIVE")
        )
        events.append(
            ics.Event(
                uid=f"{r['uid']}@clinic",
                date=r["date"],
                start=r["start_time"],
                end=r["end_time"],
                summary=_("Free clinic {village}: {role}").format(village=r["village"], role=role),
                location=f"{r['township']}{r['village']} {r['venue']}".strip(),
                description=_("Organised by {org}. Your role: {role}. Status: {status}.").format(
                    org=r["organisation"] or "-", role=role, status=assignment_label(r["status"])
                ),
                status=status,
            )
        )
    name = _("Free clinics: {name}").format(name=vol["name"])
    return ics.calendar(events, name=name, now=now), len(events)
