"""Households: the register's families, their heads, and the cadre paired
with each (结对帮扶) with the cadre's visits."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from clinic.store.connection import Store, insert_row, new_uid, new_uids
from clinic.store.rules import OPEN_FOLLOW_UPS_CTE

# -- reads -------------------------------------------------------------------------


def households_of_village(
    store: Store, village: int, after: tuple[str, int] | None, limit: int
) -> list[dict]:
    """Households of a village, keyset-paged by (number, id)."""
    where, params = "", []
    if after:
        where = "AND (COALESCE(h.number, ''), h.id) > (?, ?)"
        params = list(after)
    return store.query(
        f"""
        SELECT h.id, h.number, h.head_name, h.group_no, h.category,
               (SELECT count(*) FROM persons p WHERE p.household_id = h.id AND p.merged_into IS NULL) AS persons
        FROM households h WHERE h.village_id = ? {where}
        ORDER BY COALESCE(h.number, ''), h.id LIMIT ?
        """,
        [village, *params, limit],
    )


def households_matching(store: Store, text: str) -> list[dict]:
    """Households whose number or head's name is ``text``, with their village."""
    return store.query(
        "SELECT h.*, v.name AS village FROM households h JOIN villages v ON v.id = h.village_id"
        " WHERE h.number = ? OR h.head_name = ?",
        [text, text],
    )


def household_head(store: Store, household_id: int) -> str | None:
    return store.scalar("SELECT head_name FROM households WHERE id = ?", [household_id])


def household_number(store: Store, household_id: int) -> str | None:
    return store.scalar("SELECT number FROM households WHERE id = ?", [household_id])


def set_head_name(store: Store, household_id: int, name: str) -> None:
    store.conn.execute("UPDATE households SET head_name = ? WHERE id = ?", [name, household_id])


# -- the register import (a batch of households at a time) -----------------------------
# One query fetches what the batch may match, and new rows go in with
# executemany (ids assigned by the caller inside its write transaction).

_IMPORT_SELECT = (
    "SELECT h.id, h.village_id, h.number, h.head_name, h.group_no, h.category "
    "FROM json_each(?) j CROSS JOIN households h ON h.village_id = json_extract(j.value, '$[0]') "
)


def households_by_number(store: Store, keys: list[tuple[int, str]]) -> list[sqlite3.Row]:
    """Households of (village id, household number) pairs."""
    return store.rows(
        _IMPORT_SELECT + "AND h.number = json_extract(j.value, '$[1]')",
        [json.dumps(keys, ensure_ascii=False)],
    )


def households_by_head(store: Store, keys: list[tuple[int, str]]) -> list[sqlite3.Row]:
    """Households without a number, of (village id, head name) pairs, oldest first."""
    return store.rows(
        _IMPORT_SELECT
        + "AND h.head_name = json_extract(j.value, '$[1]') AND +h.number IS NULL ORDER BY h.id",
        [json.dumps(keys, ensure_ascii=False)],
    )


def insert_households(store: Store, rows: list[tuple]) -> None:
    """Rows of (id, village_id, number, head_name, group_no, category); uids made here."""
    store.conn.executemany(
        "INSERT INTO households (id, uid, village_id, number, head_name, group_no, category) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(row[0], uid, *row[1:]) for uid, row in zip(new_uids(len(rows)), rows, strict=True)],
    )


def update_household(store: Store, household_id: int, changes: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.conn.execute(
        f"UPDATE households SET {sets} WHERE id = ?", [*changes.values(), household_id]
    )


# -- pairing (结对帮扶) ---------------------------------------------------------------


def cadre_households(store: Store, cadre_id: int, today: str) -> list[dict]:
    """A cadre's households with the flags of each member's latest visit and the earliest open
    follow-up among them (clinic.store.rules.OPEN_FOLLOW_UPS_CTE: the one rule of "open")."""
    return store.query(
        "WITH "
        + OPEN_FOLLOW_UPS_CTE
        + """SELECT h.id, h.number, h.head_name, h.category, h.group_no, v.name AS village,
              t.name AS township,
              (SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.merged_into IS NULL) AS persons,
              (SELECT MAX(pv.date) FROM pairing_visits pv WHERE pv.household_id = h.id) AS last_visit,
              (SELECT GROUP_CONCAT(DISTINCT l.flags) FROM latest l JOIN persons p ON p.id = l.kept_id
                 WHERE l.rn = 1 AND p.household_id = h.id AND l.flags != '') AS flags,
              (SELECT MIN(f.follow_up_due) FROM open_follow_ups f JOIN persons p ON p.id = f.person_id
                 WHERE p.household_id = h.id) AS follow_up_due
           FROM households h JOIN villages v ON v.id = h.village_id JOIN townships t ON t.id = v.township_id
           WHERE h.cadre_id = ?
           ORDER BY (follow_up_due IS NULL), follow_up_due, last_visit, h.number""",
        [cadre_id],
    )


def set_cadre(store: Store, household_id: int, cadre_id: int | None) -> None:
    store.conn.execute("UPDATE households SET cadre_id = ? WHERE id = ?", [cadre_id, household_id])


def pairing_visit_on(store: Store, household_id: int, cadre_id: int, date: str) -> dict | None:
    """The cadre's visit to the household on ``date``, if one is recorded."""
    return store.one(
        "SELECT id, notes FROM pairing_visits WHERE household_id = ? AND cadre_id = ? "
        "AND date = ? ORDER BY id LIMIT 1",
        [household_id, cadre_id, date],
    )


def set_pairing_notes(store: Store, visit_id: int, notes: str) -> None:
    store.conn.execute("UPDATE pairing_visits SET notes = ? WHERE id = ?", [notes, visit_id])


def insert_pairing_visit(
    store: Store, household_id: int, cadre_id: int, date: str, notes: str
) -> int:
    return insert_row(
        store.db,
        "pairing_visits",
        {
            "uid": new_uid(),
            "household_id": household_id,
            "cadre_id": cadre_id,
            "date": date,
            "notes": notes,
        },
    )


def pairing_visits(store: Store, cadre_id: int, limit: int = 200) -> list[dict]:
    return store.query(
        """SELECT pv.*, h.number, h.head_name, v.name AS village FROM pairing_visits pv
           JOIN households h ON h.id = pv.household_id JOIN villages v ON v.id = h.village_id
           WHERE pv.cadre_id = ? ORDER BY pv.date DESC, pv.id DESC LIMIT ?""",
        [cadre_id, limit],
    )
