"""Visits: a person's check-in on a clinic day, the desk's queue, what was
measured and assessed, the sheets handed out, and a person's visit history."""

from __future__ import annotations

import json
from typing import Any

from clinic.store.connection import Store, insert_row, new_uid


def visit_for(store: Store, day_id: int, person_id: int) -> dict | None:
    return store.one(
        "SELECT * FROM visits WHERE clinic_day_id = ? AND person_id = ?", [day_id, person_id]
    )


def checked_in_among(store: Store, day_id: int, person_ids: list[int]) -> set[int]:
    if not person_ids:
        return set()
    marks = ",".join("?" * len(person_ids))
    rows = store.conn.execute(
        f"SELECT person_id FROM visits WHERE clinic_day_id = ? AND person_id IN ({marks})",
        [day_id, *person_ids],
    ).fetchall()
    return {r[0] for r in rows}


def visit(store: Store, visit_id: int) -> dict | None:
    return store.one("SELECT * FROM visits WHERE id = ?", [visit_id])


def insert_visit(store: Store, row: dict) -> int:
    return insert_row(store.db, "visits", {"uid": new_uid(), **row})


def update_visit(store: Store, visit_id: int, values: dict) -> None:
    store.db.table("visits").update(visit_id, values)


def set_visit_conditions(store: Store, visit_id: int, codes: list[str]) -> None:
    store.conn.execute("DELETE FROM visit_conditions WHERE visit_id = ?", [visit_id])
    if codes:
        store.db.table("visit_conditions").insert_all(
            [{"visit_id": visit_id, "condition_code": c} for c in dict.fromkeys(codes)]
        )


def visit_conditions(store: Store, visit_id: int) -> list[str]:
    return [
        r["condition_code"]
        for r in store.query(
            "SELECT condition_code FROM visit_conditions WHERE visit_id = ?", [visit_id]
        )
    ]


def assessed_not_on_record(store: Store, visit_id: int) -> list[dict]:
    """Conditions assessed at a finished visit on a day not cancelled that the
    person does not have on record yet (catalogue order)."""
    return store.query(
        """
        SELECT c.code, c.name_zh, c.name_en, v.person_id
        FROM visits v
        JOIN clinic_days d ON d.id = v.clinic_day_id
        JOIN visit_conditions vc ON vc.visit_id = v.id
        JOIN conditions c ON c.code = vc.condition_code
        WHERE v.id = ? AND v.state = 'done' AND v.draft = 0 AND d.status != 'cancelled'
          AND NOT EXISTS (SELECT 1 FROM person_conditions pc
                          WHERE pc.person_id = v.person_id AND pc.condition_code = c.code)
        ORDER BY c.sort_order, c.code
        """,
        [visit_id],
    )


def visit_ids(store: Store, person_id: int) -> list[int]:
    return [r["id"] for r in store.query("SELECT id FROM visits WHERE person_id = ?", [person_id])]


def visit_history(
    store: Store, person_id: int, before_date: str | None = None, limit: int = 8
) -> list[dict]:
    """A person's visits, newest first (only those before ``before_date`` when given)."""
    return store.query(
        """SELECT d.date, vi.sbp, vi.dbp, vi.glucose, vi.glucose_fasting, vi.flags, vi.weight_kg,
                  vi.follow_up_due,
                  (SELECT group_concat(condition_code, ';') FROM visit_conditions vc WHERE vc.visit_id = vi.id) AS conditions
           FROM visits vi JOIN clinic_days d ON d.id = vi.clinic_day_id
           WHERE vi.person_id = ?1 AND (?2 IS NULL OR d.date < ?2)
           ORDER BY d.date DESC LIMIT ?3""",
        [person_id, before_date, limit],
    )


# -- the queue of a clinic day -------------------------------------------------------


def queue(store: Store, day_id: int, specialty: str | None = None) -> list[dict]:
    sql = """
        SELECT vi.id AS visit_id, vi.person_id, vi.state, vi.queue, vi.arrived_at, vi.called_at,
               vi.done_at, vi.flags, vi.draft, vi.seen_by, p.name, p.sex, p.birth_date,
               vg.name AS village, vo.name AS seen_by_name,
               (SELECT COUNT(*) FROM handouts ho WHERE ho.visit_id = vi.id) AS handouts
        FROM visits vi
        JOIN persons p ON p.id = vi.person_id
        LEFT JOIN households h ON h.id = p.household_id
        LEFT JOIN villages vg ON vg.id = COALESCE(p.village_id, h.village_id)
        LEFT JOIN volunteers vo ON vo.id = vi.seen_by
        WHERE vi.clinic_day_id = ?"""
    params: list[Any] = [day_id]
    if specialty:
        sql += " AND vi.queue = ?"
        params.append(specialty)
    sql += """ ORDER BY CASE vi.state WHEN 'with_doctor' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END,
                        vi.arrived_at, vi.id"""
    return store.query(sql, params)


def queue_stamp(store: Store, day_id: int) -> tuple:
    """A cheap fingerprint of the day's queue, so a desk refreshes only on change."""
    row = store.conn.execute(
        "SELECT COUNT(*), MAX(updated_at), SUM(id * (CASE state WHEN 'waiting' THEN 1 WHEN 'with_doctor' THEN 2 ELSE 3 END)),"
        " (SELECT COUNT(*) FROM handouts ho JOIN visits v2 ON v2.id = ho.visit_id WHERE v2.clinic_day_id = ?)"
        " FROM visits WHERE clinic_day_id = ?",
        [day_id, day_id],
    ).fetchone()
    return tuple(row)


def seen_counts(store: Store, day_id: int) -> dict[int, int]:
    rows = store.query(
        """SELECT seen_by, COUNT(*) AS n FROM visits
           WHERE clinic_day_id = ? AND seen_by IS NOT NULL AND state = 'done'
           GROUP BY seen_by""",
        [day_id],
    )
    return {r["seen_by"]: r["n"] for r in rows}


# -- handouts -----------------------------------------------------------------


def insert_handout(store: Store, row: dict) -> int:
    row = dict(row)
    row["ticked"] = json.dumps(row.get("ticked", []), ensure_ascii=False)
    return insert_row(store.db, "handouts", {"uid": new_uid(), **row})


def visit_handouts(store: Store, visit_id: int) -> list[dict]:
    return store.query(
        """SELECT ho.*, t.code, t.version, t.title_zh, t.title_en FROM handouts ho
           JOIN prescription_templates t ON t.id = ho.template_id
           WHERE ho.visit_id = ? ORDER BY ho.id""",
        [visit_id],
    )


def summary_assessed(store: Store, day_id: int) -> list[dict]:
    return store.query(
        """SELECT vc.condition_code AS condition, c.name_zh, c.name_en, COUNT(*) AS n
           FROM visit_conditions vc JOIN visits vi ON vi.id = vc.visit_id
           JOIN conditions c ON c.code = vc.condition_code
           WHERE vi.clinic_day_id = ? GROUP BY 1 ORDER BY n DESC""",
        [day_id],
    )
