"""Named queries for putting conditions assessed at a visit on a person's record.

The rule (which conditions qualify) lives in :mod:`clinic.core.chronic`.
"""

from __future__ import annotations

from clinic.store.connection import Store


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


def add_person_conditions(store: Store, person_id: int, codes: list[str]) -> int:
    """Insert the codes (those already on record are left alone); how many were new."""
    before = store.conn.total_changes
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_conditions (person_id, condition_code) VALUES (?, ?)",
        [(person_id, code) for code in codes],
    )
    return store.conn.total_changes - before
