"""Pairing households with village cadres, and the cadre's weekend visiting list."""

from __future__ import annotations

import datetime as dt

from clinic.core.planning.labels import norm_text
from clinic.i18n import _
from clinic.store import Store
from clinic.store import households as households_q


def pair(store: Store, household_id: int, cadre_id: int | None) -> None:
    """Make a volunteer the household's paired cadre (帮扶责任人); None unpairs."""
    with store.transaction():
        if cadre_id is not None:
            from clinic.store.volunteers import mark_cadre

            mark_cadre(store, cadre_id)
        households_q.set_cadre(store, household_id, cadre_id)


def log_pairing_visit(
    store: Store, household_id: int, cadre_id: int, date: str, notes: str = ""
) -> bool:
    """Record the cadre's visit to the household on ``date``; False when one was recorded
    that day already (a second v, a command run twice): the day counts one visit, and
    new notes are added to its own."""
    notes = norm_text(notes)
    with store.transaction():
        done = households_q.pairing_visit_on(store, household_id, cadre_id, date)
        if done is None:
            households_q.insert_pairing_visit(store, household_id, cadre_id, date, notes)
            return True
        if notes and notes not in done["notes"]:
            joined = f"{done['notes']}; {notes}" if done["notes"] else notes
            households_q.set_pairing_notes(store, done["id"], joined)
        return False


def weekend_list(store: Store, cadre_id: int, today: dt.date) -> list[dict]:
    """A cadre's households, most urgent first: follow-ups due, flags, longest since a visit."""
    rows = households_q.cadre_households(store, cadre_id, today.isoformat())
    for r in rows:
        r["flags"] = sorted(
            {f for part in (r["flags"] or "").split(",") for f in part.split(";") if f}
        )
        # Overdue: the follow-up's date has passed (docs/figures.md; due today is not overdue yet).
        r["overdue"] = bool(r["follow_up_due"] and r["follow_up_due"] < today.isoformat())
    rows.sort(key=lambda r: (not r["overdue"], not r["flags"], r["last_visit"] or ""))
    return rows


def follow_up_text(row: dict) -> str:
    """A weekend-list row's follow-up date, with "overdue" in words when it is
    (a red colour alone is lost on a monochrome screen and in a copy)."""
    if not row["follow_up_due"]:
        return ""
    if row["overdue"]:
        return _("{date} (overdue)").format(date=row["follow_up_due"])
    return row["follow_up_due"]


def next_weekend(today: dt.date) -> tuple[dt.date, dt.date]:
    sat = today + dt.timedelta(days=(5 - today.weekday()) % 7)
    return sat, sat + dt.timedelta(days=1)


def flag_label(code: str) -> str:
    from clinic.core.vitals import flag_label as label

    return label(code)
