"""Clinic days: the one row shape of a day (with whether it was held and its
places), the needs of each day, and the stock of sheets it brought.

Who works a day is :mod:`clinic.store.assignments`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clinic.store.connection import Store, in_parts, insert_row, new_uid
from clinic.store.rules import HELD_SQL, PLACES_COLUMNS

# One row of a clinic day, for every screen, command and export.
_DAY_COLUMNS = f"""
    d.*, v.name AS village, t.name AS township,
    o.short_name AS organisation, o.name_zh AS org_zh, o.name_en AS org_en,
    ({HELD_SQL}) AS held,
    {PLACES_COLUMNS}
"""
_DAY_FROM = """
    FROM clinic_days d
    JOIN villages v ON v.id = d.village_id
    JOIN townships t ON t.id = v.township_id
    LEFT JOIN organisations o ON o.id = d.organisation_id
"""
DAY_SELECT = "SELECT " + _DAY_COLUMNS + _DAY_FROM


def day(store: Store, day_id: int) -> dict | None:
    return store.one(DAY_SELECT + " WHERE d.id = ?", [day_id])


def days_around(store: Store, today: str, limit: int = 60) -> list[dict]:
    """Today's days, then the coming ones, then the past ones (newest first),
    with how many people each has checked in."""
    return store.query(
        "SELECT (SELECT COUNT(*) FROM visits vi WHERE vi.clinic_day_id = d.id) AS checked_in, "
        + _DAY_COLUMNS
        + _DAY_FROM
        + """ WHERE d.status != 'cancelled'
        ORDER BY CASE WHEN d.date = :t THEN 0 WHEN d.date > :t THEN 1 ELSE 2 END,
                 CASE WHEN d.date >= :t THEN d.date END ASC,
                 d.date DESC, d.id
        LIMIT :n""",
        {"t": today, "n": limit},
    )


def latest_day_up_to(store: Store, date: str) -> dict | None:
    return store.one(
        DAY_SELECT
        + " WHERE d.date <= ? AND d.status != 'cancelled' ORDER BY d.date DESC, d.id DESC LIMIT 1",
        [date],
    )


def days_on(store: Store, date: str) -> list[dict]:
    return store.query(DAY_SELECT + " WHERE d.date = ? ORDER BY d.id", [date])


def days_at(
    store: Store, village_id: int, date: str, *, exclude_day: int | None = None
) -> list[dict]:
    """The clinic days (not cancelled) in a village on a date."""
    return store.query(
        DAY_SELECT
        + " WHERE d.village_id = ? AND d.date = ? AND d.status != 'cancelled' AND d.id != ?"
        " ORDER BY d.id",
        [village_id, date, exclude_day or 0],
    )


def days_between(
    store: Store,
    date_from: str,
    date_to: str,
    *,
    include_cancelled: bool = True,
    limit: int = -1,
) -> list[dict]:
    sql = DAY_SELECT + " WHERE d.date BETWEEN ? AND ?"
    if not include_cancelled:
        sql += " AND d.status != 'cancelled'"
    return store.query(
        sql + " ORDER BY d.date, d.start_time, d.id LIMIT ?", [date_from, date_to, limit]
    )


def insert_day(store: Store, values: dict[str, Any], needs: dict[str, int] | None = None) -> int:
    """A new clinic day, with the places it needs per specialty."""
    day_id = insert_row(store.db, "clinic_days", {"uid": new_uid(), **values})
    if needs:
        replace_needs(store, day_id, needs)
    return day_id


def update_day(store: Store, day_id: int, values: dict[str, Any]) -> None:
    if values:
        store.db.table("clinic_days").update(day_id, values)


def replace_needs(store: Store, day_id: int, needs: dict[str, int]) -> None:
    store.conn.execute("DELETE FROM clinic_day_needs WHERE clinic_day_id = ?", [day_id])
    store.conn.executemany(
        "INSERT INTO clinic_day_needs (clinic_day_id, specialty_code, count) VALUES (?, ?, ?)",
        [(day_id, code, n) for code, n in needs.items() if n > 0],
    )


def needs_of(store: Store, day_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    ids = list(day_ids)
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    for part, marks in in_parts(ids):
        for row in store.conn.execute(
            f"SELECT n.clinic_day_id, n.specialty_code, n.count FROM clinic_day_needs n"
            f" JOIN specialties s ON s.code = n.specialty_code"
            f" WHERE n.clinic_day_id IN ({marks}) ORDER BY s.sort_order",
            part,
        ):
            out[row[0]][row[1]] = row[2]
    return out


def day_queue_codes(store: Store, day_id: int) -> set[str]:
    """The specialties a clinic day needs (planning) or uses (its visits' queues)."""
    rows = store.query(
        """SELECT specialty_code AS code FROM clinic_day_needs WHERE clinic_day_id = ?
                          UNION SELECT queue FROM visits WHERE clinic_day_id = ? AND queue IS NOT NULL""",
        [day_id, day_id],
    )
    return {r["code"] for r in rows}


# -- stock of sheets brought ---------------------------------------------------


def stock(store: Store, day_id: int) -> list[dict]:
    return store.query(
        """WITH given AS (
               SELECT t.code, COUNT(*) AS n FROM handouts ho
               JOIN visits vi ON vi.id = ho.visit_id
               JOIN prescription_templates t ON t.id = ho.template_id
               WHERE vi.clinic_day_id = :d GROUP BY t.code)
           SELECT s.template_code AS code, s.brought, COALESCE(g.n, 0) AS given
           FROM day_stock s LEFT JOIN given g ON g.code = s.template_code
           WHERE s.clinic_day_id = :d
           UNION ALL
           SELECT g.code, NULL, g.n FROM given g
           WHERE g.code NOT IN (SELECT template_code FROM day_stock WHERE clinic_day_id = :d)""",
        {"d": day_id},
    )


def set_stock(store: Store, day_id: int, code: str, brought: int) -> None:
    store.db.table("day_stock").upsert(
        {"clinic_day_id": day_id, "template_code": code, "brought": brought},
        pk=("clinic_day_id", "template_code"),
    )
