"""Duplicate persons for the merge tests: a registered person typed again at the desk.

``walk_in_twin`` registers, through the desk's own services, a walk-in with the name
and phone of a person already on the register (the desk's rule calls them likely the
same), checks them in on today's clinic day and hands them a health prescription.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

from clinic.core import desk
from clinic.core.desk import handouts
from clinic.store import Store
from tests.support.sync import clinic_day, walk_in

# The merge's own bookkeeping and the audit log change by design; every other table
# must be given back to the byte by an undo.
MERGE_BOOKKEEPING = {"person_merges", "person_merge_rows", "audit_log", "sqlite_sequence"}


today_day = clinic_day  # the clinic day of the tests' today


def registered_with_visit(store: Store, today: dt.date) -> int:
    """A person with a phone, seen on a day before today, not seen today."""
    return store.scalar(
        "SELECT min(p.id) FROM persons p JOIN visits v ON v.person_id = p.id "
        "JOIN clinic_days d ON d.id = v.clinic_day_id "
        "WHERE p.phone IS NOT NULL AND d.date < ? AND d.status != 'cancelled' "
        "AND p.id NOT IN (SELECT v2.person_id FROM visits v2 JOIN clinic_days d2 "
        "ON d2.id = v2.clinic_day_id WHERE d2.date = ?)",
        [today.isoformat(), today.isoformat()],
    )


def walk_in_twin(store: Store, person_id: int, today: dt.date, now: dt.datetime) -> int:
    """A walk-in with ``person_id``'s name and phone, seen today with a handout; its id."""
    row = store.one("SELECT name, sex, phone FROM persons WHERE id = ?", [person_id])
    day = today_day(store, today)
    volunteer = store.scalar("SELECT min(id) FROM volunteers")
    twin = walk_in(
        store,
        today,
        now,
        row["name"],
        village_id=day["village_id"],
        birth="60",
        sex=row["sex"],
        phone=row["phone"] or "",
    )
    visit, _new = desk.check_in(store, day, twin, volunteer, now)
    template = next(t for t in handouts.templates(store) if t.code == "hypertension")
    handouts.hand_out(store, day, visit, [handouts.Pick(template.id, ["salt"])], volunteer, now)
    return twin


def tables_digest(path: Path) -> dict[str, str]:
    """Every table's rows (by every column, sorted), one digest per table."""
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in MERGE_BOOKKEEPING
        ]
        found = {}
        for name in names:
            rows = sorted(repr(r) for r in conn.execute(f"SELECT * FROM [{name}]"))
            found[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return found
    finally:
        conn.close()
