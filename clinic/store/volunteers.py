"""Volunteers: the roster's people, the days they cannot come, the cadres
among them, and the roster import's matching by name and phone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clinic.store.connection import Store, insert_row, new_uid
from clinic.store.rules import DAY_HOURS_SQL, HELD_SQL, SERVED_STATUS

VOLUNTEER_SELECT = f"""
    SELECT v.*, o.short_name AS organisation, s.name_zh AS specialty_zh, s.name_en AS specialty_en,
           (SELECT COUNT(*) FROM assignments a WHERE a.volunteer_id = v.id
                AND a.status IN ('invited', 'confirmed', 'attended', 'no_show')) AS days,
           (SELECT COALESCE(ROUND(SUM(COALESCE(a.hours, {DAY_HOURS_SQL})), 2), 0)
                FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id
                WHERE a.volunteer_id = v.id AND a.status = '{SERVED_STATUS}' AND {HELD_SQL}) AS hours
    FROM volunteers v
    LEFT JOIN organisations o ON o.id = v.organisation_id
    LEFT JOIN specialties s ON s.code = v.specialty_code
"""


def volunteers(
    store: Store,
    *,
    organisation_id: int | None = None,
    specialty: str | None = None,
    active: bool | None = None,
    name: str | None = None,
    cadres: bool = False,
) -> list[dict]:
    where: list[str] = []
    params: list[Any] = []
    if organisation_id is not None:
        where.append("(v.organisation_id = ? OR o.parent_id = ?)")
        params += [organisation_id, organisation_id]
    if specialty:
        where.append("v.specialty_code = ?")
        params.append(specialty)
    if active is not None:
        where.append("v.active = ?")
        params.append(1 if active else 0)
    if name:
        where.append("v.name LIKE ?")
        params.append(f"%{name}%")
    if cadres:
        where.append("v.is_cadre = 1")
    sql = (
        VOLUNTEER_SELECT
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY v.name, v.id"
    )
    return store.query(sql, params)


def volunteer(store: Store, volunteer_id: int) -> dict | None:
    return store.one(VOLUNTEER_SELECT + " WHERE v.id = ?", [volunteer_id])


def volunteers_named(store: Store, name: str) -> list[dict]:
    return store.query(VOLUNTEER_SELECT + " WHERE v.name = ? ORDER BY v.id", [name])


def insert_volunteer(store: Store, values: dict[str, Any]) -> int:
    return insert_row(store.db, "volunteers", {"uid": new_uid(), **values})


def update_volunteer(store: Store, volunteer_id: int, values: dict[str, Any]) -> None:
    if values:
        store.db.table("volunteers").update(volunteer_id, values)


def unavailable_dates(store: Store, volunteer_id: int) -> list[str]:
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT date FROM volunteer_unavailable WHERE volunteer_id = ? ORDER BY date",
            [volunteer_id],
        )
    ]


def replace_unavailable(store: Store, volunteer_id: int, dates: Iterable[str]) -> None:
    store.conn.execute("DELETE FROM volunteer_unavailable WHERE volunteer_id = ?", [volunteer_id])
    store.conn.executemany(
        "INSERT OR IGNORE INTO volunteer_unavailable (volunteer_id, date) VALUES (?, ?)",
        [(volunteer_id, d) for d in dates],
    )


def all_unavailable(store: Store, date_from: str, date_to: str) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for vid, date in store.conn.execute(
        "SELECT volunteer_id, date FROM volunteer_unavailable WHERE date BETWEEN ? AND ?",
        [date_from, date_to],
    ):
        out.setdefault(vid, set()).add(date)
    return out


def all_volunteers(store: Store, query: str = "", limit: int = 200) -> list[dict]:
    return store.query(
        """SELECT vo.id, vo.name, vo.specialty_code, vo.specialty_code AS role,
                  s.name_zh AS role_zh, s.name_en AS role_en
           FROM volunteers vo LEFT JOIN specialties s ON s.code = vo.specialty_code
           WHERE vo.active = 1 AND vo.name LIKE ? ORDER BY vo.name LIMIT ?""",
        [f"%{query}%", limit],
    )


def find_volunteer(
    store: Store, name: str, phone: str | None, other_than: int | None = None
) -> dict | None:
    """The volunteer with this name and phone (the roster's identity), other than ``other_than``."""
    return store.one(
        "SELECT * FROM volunteers WHERE name = ? AND phone IS ? AND id IS NOT ? ORDER BY id LIMIT 1",
        [name, phone, other_than],
    )


def save_volunteer(store: Store, values: dict[str, Any]) -> str:
    """Insert or update by (name, phone); returns 'created', 'updated' or 'unchanged'."""
    existing = find_volunteer(store, values["name"], values["phone"])
    if existing is None:
        insert_row(store.db, "volunteers", {"uid": new_uid(), **values})
        return "created"
    changes = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changes:
        return "unchanged"
    store.db.table("volunteers").update(existing["id"], changes)
    return "updated"


def mark_cadre(store: Store, volunteer_id: int) -> None:
    store.conn.execute("UPDATE volunteers SET is_cadre = 1 WHERE id = ?", [volunteer_id])
