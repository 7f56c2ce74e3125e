"""Named queries of the clinic-day desk (check-in, queue, visits, handouts, stock, summary).

Plain dicts in and out; the rules live in ``clinic.core.desk``.
"""

from __future__ import annotations

import json
from typing import Any

from clinic.store.connection import Store, new_uid
from clinic.store.figures import DAY_HOURS_SQL

# -- clinic days ---------------------------------------------------------------

_DAY_SELECT = """
SELECT d.id, d.uid, d.date, d.start_time, d.end_time, d.village_id, d.venue, d.status, d.walk_in,
       d.organisation_id, v.name AS village, t.name AS township,
       o.short_name AS organisation, o.name_zh AS organisation_zh, o.name_en AS organisation_en
FROM clinic_days d
JOIN villages v ON v.id = d.village_id
JOIN townships t ON t.id = v.township_id
LEFT JOIN organisations o ON o.id = d.organisation_id
"""


def day(store: Store, day_id: int) -> dict | None:
    return store.one(_DAY_SELECT + " WHERE d.id = ?", [day_id])


def days_around(store: Store, today: str, limit: int = 60) -> list[dict]:
    """Today's days, then the coming ones, then the past ones (newest first),
    with how many people each has checked in."""
    select = _DAY_SELECT.replace(
        "SELECT d.id,",
        "SELECT (SELECT COUNT(*) FROM visits vi WHERE vi.clinic_day_id = d.id) AS checked_in, d.id,",
        1,
    )
    return store.query(
        select
        + """ WHERE d.status != 'cancelled'
        ORDER BY CASE WHEN d.date = :t THEN 0 WHEN d.date > :t THEN 1 ELSE 2 END,
                 CASE WHEN d.date >= :t THEN d.date END ASC,
                 d.date DESC, d.id
        LIMIT :n""",
        {"t": today, "n": limit},
    )


def latest_day_up_to(store: Store, date: str) -> dict | None:
    return store.one(
        _DAY_SELECT
        + " WHERE d.date <= ? AND d.status != 'cancelled' ORDER BY d.date DESC, d.id DESC LIMIT 1",
        [date],
    )


def days_on(store: Store, date: str) -> list[dict]:
    return store.query(_DAY_SELECT + " WHERE d.date = ? ORDER BY d.id", [date])


def insert_day(store: Store, row: dict) -> int:
    row = {"uid": new_uid(), **row}
    return store.db["clinic_days"].insert(row).last_pk


def villages(store: Store) -> list[dict]:
    return store.query(
        """SELECT v.id, v.name, t.name AS township FROM villages v
           JOIN townships t ON t.id = v.township_id ORDER BY t.name, v.name"""
    )


def organisations(store: Store) -> list[dict]:
    return store.query(
        "SELECT id, short_name, name_zh, name_en FROM organisations ORDER BY sort_order, id"
    )


def specialties(store: Store, clinical_only: bool = True) -> list[dict]:
    where = "WHERE clinical = 1" if clinical_only else ""
    return store.query(
        f"SELECT code, name_zh, name_en FROM specialties {where} ORDER BY sort_order"
    )


def conditions(store: Store) -> list[dict]:
    return store.query("SELECT code, name_zh, name_en FROM conditions ORDER BY sort_order, code")


# -- volunteers ------------------------------------------------------------------


def day_volunteers(store: Store, day_id: int) -> list[dict]:
    return store.query(
        """SELECT vo.id, vo.name, vo.specialty_code, a.role, a.status, a.hours,
                  s.name_zh AS role_zh, s.name_en AS role_en
           FROM assignments a JOIN volunteers vo ON vo.id = a.volunteer_id
           LEFT JOIN specialties s ON s.code = a.role
           WHERE a.clinic_day_id = ? AND a.status != 'declined'
           ORDER BY s.sort_order, vo.name""",
        [day_id],
    )


def all_volunteers(store: Store, query: str = "", limit: int = 200) -> list[dict]:
    return store.query(
        """SELECT vo.id, vo.name, vo.specialty_code, vo.specialty_code AS role,
                  s.name_zh AS role_zh, s.name_en AS role_en
           FROM volunteers vo LEFT JOIN specialties s ON s.code = vo.specialty_code
           WHERE vo.active = 1 AND vo.name LIKE ? ORDER BY vo.name LIMIT ?""",
        [f"%{query}%", limit],
    )


def volunteer(store: Store, volunteer_id: int) -> dict | None:
    return store.one(
        "SELECT id, name, specialty_code, licence_no FROM volunteers WHERE id = ?", [volunteer_id]
    )


def assignment(store: Store, day_id: int, volunteer_id: int) -> dict | None:
    return store.one(
        "SELECT id, status, role, hours FROM assignments WHERE clinic_day_id = ? AND volunteer_id = ?",
        [day_id, volunteer_id],
    )


def insert_assignment(store: Store, row: dict) -> int:
    return store.db["assignments"].insert({"uid": new_uid(), **row}).last_pk


def update_assignment(store: Store, assignment_id: int, values: dict) -> None:
    store.db["assignments"].update(assignment_id, values)


def fill_hours(store: Store, day_id: int) -> int:
    """Type the day's planned length as the hours of attended volunteers without hours."""
    cur = store.conn.execute(
        f"""UPDATE assignments SET hours = (SELECT round({DAY_HOURS_SQL}, 2) FROM clinic_days d
                                           WHERE d.id = assignments.clinic_day_id)
            WHERE clinic_day_id = ? AND status = 'attended' AND hours IS NULL""",
        [day_id],
    )
    return cur.rowcount


def seen_counts(store: Store, day_id: int) -> dict[int, int]:
    rows = store.query(
        """SELECT seen_by, COUNT(*) AS n FROM visits
           WHERE clinic_day_id = ? AND seen_by IS NOT NULL AND state = 'done'
           GROUP BY seen_by""",
        [day_id],
    )
    return {r["seen_by"]: r["n"] for r in rows}


# -- persons -------------------------------------------------------------------

_PERSON_SELECT = """
SELECT p.id, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.walk_in,
       h.number AS household_number, h.category, h.head_name,
       v.name AS village, t.name AS township, p.village_id
FROM persons p
LEFT JOIN households h ON h.id = p.household_id
LEFT JOIN villages v ON v.id = COALESCE(p.village_id, h.village_id)
LEFT JOIN townships t ON t.id = v.township_id
"""


def persons_by_ids(store: Store, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(_PERSON_SELECT + f" WHERE p.id IN ({marks})", ids)
    order = {pid: i for i, pid in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r["id"]])


def person(store: Store, person_id: int) -> dict | None:
    return store.one(_PERSON_SELECT + " WHERE p.id = ?", [person_id])


def simple_find_ids(store: Store, query: str, limit: int) -> list[int]:
    """A plain indexed lookup, used until clinic.core.search exists and as the
    benchmark's baseline: name prefix, household number, and the person_keys
    prefixes (pinyin 'y:', reversed ID 'i:', reversed phone 'p:')."""
    q = query.strip()
    if not q:
        return []
    ids: list[int] = []
    seen: set[int] = set()

    def add(rows: list[Any]) -> None:
        for (pid,) in rows:
            if pid not in seen:
                seen.add(pid)
                ids.append(pid)

    conn = store.conn
    if q.isdigit():
        rev = q[::-1]
        for prefix in ("i:", "p:"):
            add(
                conn.execute(
                    "SELECT person_id FROM person_keys WHERE key >= ? AND key < ? LIMIT ?",
                    [prefix + rev, prefix + rev + "\uffff", limit],
                ).fetchall()
            )
        add(
            conn.execute(
                "SELECT p.id FROM households h JOIN persons p ON p.household_id = h.id WHERE h.number = ? LIMIT ?",
                [q, limit],
            ).fetchall()
        )
    elif q.isascii():
        low = q.lower().replace(" ", "")
        add(
            conn.execute(
                "SELECT person_id FROM person_keys WHERE key >= ? AND key < ? LIMIT ?",
                ["y:" + low, "y:" + low + "\uffff", limit],
            ).fetchall()
        )
        add(
            conn.execute(
                "SELECT p.id FROM households h JOIN persons p ON p.household_id = h.id WHERE h.number = ? LIMIT ?",
                [q, limit],
            ).fetchall()
        )
    else:
        add(
            conn.execute(
                "SELECT id FROM persons WHERE name >= ? AND name < ? LIMIT ?",
                [q, q + "\uffff", limit],
            ).fetchall()
        )
    return ids[:limit]


def persons_named(store: Store, name: str) -> list[dict]:
    return store.query(_PERSON_SELECT + " WHERE p.name = ? LIMIT 50", [name])


def person_with_id_number(store: Store, number: str) -> dict | None:
    return store.one(_PERSON_SELECT + " WHERE p.id_number = ?", [number])


def persons_with_phone(store: Store, phone: str) -> list[dict]:
    return store.query(_PERSON_SELECT + " WHERE p.phone = ? LIMIT 20", [phone])


def insert_person(store: Store, row: dict, keys: list[str]) -> int:
    pid = store.db["persons"].insert({"uid": new_uid(), **row}).last_pk
    if keys:
        store.db["person_keys"].insert_all(
            [{"key": k, "person_id": pid} for k in dict.fromkeys(keys)], ignore=True
        )
    return pid


def person_tags(store: Store, person_id: int) -> list[str]:
    return [
        r["tag"]
        for r in store.query("SELECT tag FROM person_tags WHERE person_id = ?", [person_id])
    ]


def person_conditions(store: Store, person_id: int) -> list[str]:
    return [
        r["condition_code"]
        for r in store.query(
            "SELECT condition_code FROM person_conditions WHERE person_id = ?", [person_id]
        )
    ]


# -- consent -------------------------------------------------------------------


def current_consent(store: Store, person_id: int) -> dict | None:
    return store.one(
        """SELECT * FROM consents WHERE person_id = ? AND withdrawn_at IS NULL
           ORDER BY given_at DESC LIMIT 1""",
        [person_id],
    )


def insert_consent(store: Store, row: dict) -> int:
    return store.db["consents"].insert({"uid": new_uid(), **row}).last_pk


# -- visits --------------------------------------------------------------------


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
    return store.db["visits"].insert({"uid": new_uid(), **row}).last_pk


def update_visit(store: Store, visit_id: int, values: dict) -> None:
    store.db["visits"].update(visit_id, values)


def set_visit_conditions(store: Store, visit_id: int, codes: list[str]) -> None:
    store.conn.execute("DELETE FROM visit_conditions WHERE visit_id = ?", [visit_id])
    if codes:
        store.db["visit_conditions"].insert_all(
            [{"visit_id": visit_id, "condition_code": c} for c in dict.fromkeys(codes)]
        )


def visit_conditions(store: Store, visit_id: int) -> list[str]:
    return [
        r["condition_code"]
        for r in store.query(
            "SELECT condition_code FROM visit_conditions WHERE visit_id = ?", [visit_id]
        )
    ]


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


def history(store: Store, person_id: int, before_date: str, limit: int = 8) -> list[dict]:
    return store.query(
        """SELECT d.date, vi.sbp, vi.dbp, vi.glucose, vi.glucose_fasting, vi.flags, vi.weight_kg,
                  (SELECT group_concat(condition_code, ';') FROM visit_conditions vc WHERE vc.visit_id = vi.id) AS conditions
           FROM visits vi JOIN clinic_days d ON d.id = vi.clinic_day_id
           WHERE vi.person_id = ? AND d.date < ?
           ORDER BY d.date DESC LIMIT ?""",
        [person_id, before_date, limit],
    )


# -- templates, handouts, stock ---------------------------------------------


def templates(store: Store) -> list[dict]:
    """The newest version of every template."""
    return store.query(
        """SELECT t.* FROM prescription_templates t
           WHERE t.version = (SELECT MAX(version) FROM prescription_templates t2 WHERE t2.code = t.code)
           ORDER BY (SELECT sort_order FROM conditions c WHERE c.code = t.condition_code), t.code"""
    )


def template(store: Store, template_id: int) -> dict | None:
    return store.one("SELECT * FROM prescription_templates WHERE id = ?", [template_id])


def insert_handout(store: Store, row: dict) -> int:
    row = dict(row)
    row["ticked"] = json.dumps(row.get("ticked", []), ensure_ascii=False)
    return store.db["handouts"].insert({"uid": new_uid(), **row}).last_pk


def visit_handouts(store: Store, visit_id: int) -> list[dict]:
    return store.query(
        """SELECT ho.*, t.code, t.version, t.title_zh, t.title_en FROM handouts ho
           JOIN prescription_templates t ON t.id = ho.template_id
           WHERE ho.visit_id = ? ORDER BY ho.id""",
        [visit_id],
    )


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
    store.db["day_stock"].upsert(
        {"clinic_day_id": day_id, "template_code": code, "brought": brought},
        pk=("clinic_day_id", "template_code"),
    )


# -- day summary -----------------------------------------------------------


def summary_assessed(store: Store, day_id: int) -> list[dict]:
    return store.query(
        """SELECT vc.condition_code AS condition, c.name_zh, c.name_en, COUNT(*) AS n
           FROM visit_conditions vc JOIN visits vi ON vi.id = vc.visit_id
           JOIN conditions c ON c.code = vc.condition_code
           WHERE vi.clinic_day_id = ? GROUP BY 1 ORDER BY n DESC""",
        [day_id],
    )


def summary_volunteer_work(store: Store, day_id: int) -> list[dict]:
    """What each volunteer on a clinic day did at the desk (the end-of-day
    summary's extras; who served and their hours are clinic.store.figures)."""
    return store.query(
        """SELECT a.volunteer_id, s.name_zh AS role_zh, s.name_en AS role_en,
                  (SELECT COUNT(*) FROM visits vi WHERE vi.clinic_day_id = a.clinic_day_id
                      AND vi.seen_by = a.volunteer_id AND vi.state = 'done') AS seen,
                  (SELECT COUNT(*) FROM visits vi WHERE vi.clinic_day_id = a.clinic_day_id
                      AND vi.checked_in_by = a.volunteer_id) AS checked_in,
                  (SELECT COUNT(*) FROM handouts ho JOIN visits vi ON vi.id = ho.visit_id
                      WHERE vi.clinic_day_id = a.clinic_day_id AND ho.given_by = a.volunteer_id) AS handouts
           FROM assignments a LEFT JOIN specialties s ON s.code = a.role
           WHERE a.clinic_day_id = ?""",
        [day_id],
    )


def day_queue_codes(store: Store, day_id: int) -> set[str]:
    """The specialties a clinic day needs (planning) or uses (its visits' queues)."""
    rows = store.query(
        """SELECT specialty_code AS code FROM clinic_day_needs WHERE clinic_day_id = ?
                          UNION SELECT queue FROM visits WHERE clinic_day_id = ? AND queue IS NOT NULL""",
        [day_id, day_id],
    )
    return {r["code"] for r in rows}
