"""Queries of the planning area: clinic days, needs, assignments, volunteers, villages, pairing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clinic.store.connection import Store, new_uid
from clinic.store.figures import (
    DAY_HOURS_SQL,
    HELD_SQL,
    OPEN_FOLLOW_UPS_CTE,
    PLACES_COLUMNS,
    SERVED_STATUS,
)

ACTIVE_ASSIGNMENT = "('invited', 'confirmed', 'attended', 'no_show')"

DAY_SELECT = f"""
    SELECT d.*, v.name AS village, t.name AS township,
           o.short_name AS organisation, o.name_zh AS org_zh, o.name_en AS org_en,
           ({HELD_SQL}) AS held,
           {PLACES_COLUMNS}
    FROM clinic_days d
    JOIN villages v ON v.id = d.village_id
    JOIN townships t ON t.id = v.township_id
    LEFT JOIN organisations o ON o.id = d.organisation_id
"""


# -- catalogues ---------------------------------------------------------------
def specialties(store: Store) -> list[dict]:
    return store.query("SELECT * FROM specialties ORDER BY sort_order, code")


def organisations(store: Store) -> list[dict]:
    return store.query("SELECT * FROM organisations ORDER BY sort_order, id")


def villages(store: Store) -> list[dict]:
    return store.query(
        "SELECT v.id, v.name, t.name AS township FROM villages v JOIN townships t ON t.id = v.township_id"
        " ORDER BY t.name, v.name"
    )


def insert_day(store: Store, values: dict[str, Any], needs: dict[str, int]) -> int:
    day_id = store.db["clinic_days"].insert({"uid": new_uid(), **values}).last_pk
    replace_needs(store, day_id, needs)
    return day_id


def update_day(store: Store, day_id: int, values: dict[str, Any]) -> None:
    if values:
        store.db["clinic_days"].update(day_id, values)


def replace_needs(store: Store, day_id: int, needs: dict[str, int]) -> None:
    store.conn.execute("DELETE FROM clinic_day_needs WHERE clinic_day_id = ?", [day_id])
    store.conn.executemany(
        "INSERT INTO clinic_day_needs (clinic_day_id, specialty_code, count) VALUES (?, ?, ?)",
        [(day_id, code, n) for code, n in needs.items() if n > 0],
    )


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


def day(store: Store, day_id: int) -> dict | None:
    return store.one(DAY_SELECT + " WHERE d.id = ?", [day_id])


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


def needs_of(store: Store, day_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    ids = list(day_ids)
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        for row in store.conn.execute(
            f"SELECT n.clinic_day_id, n.specialty_code, n.count FROM clinic_day_needs n"
            f" JOIN specialties s ON s.code = n.specialty_code"
            f" WHERE n.clinic_day_id IN ({marks}) ORDER BY s.sort_order",
            part,
        ):
            out[row[0]][row[1]] = row[2]
    return out


def assignments_of_day(store: Store, day_id: int) -> list[dict]:
    """The team of a day; ``counted_hours`` is what the figures count for an attended
    volunteer (typed hours, else the day's planned length), None for anyone else."""
    return store.query(
        f"""SELECT a.*, v.name, v.phone, v.specialty_code, o.short_name AS organisation,
                  CASE WHEN a.status = '{SERVED_STATUS}'
                       THEN coalesce(a.hours, round({DAY_HOURS_SQL}, 2)) END AS counted_hours
           FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id
           JOIN volunteers v ON v.id = a.volunteer_id
           LEFT JOIN organisations o ON o.id = v.organisation_id
           LEFT JOIN specialties s ON s.code = a.role
           WHERE a.clinic_day_id = ? ORDER BY s.sort_order, v.name""",
        [day_id],
    )


def assignments_between(store: Store, date_from: str, date_to: str) -> list[dict]:
    """Every assignment on a clinic day in the period (any status), for the roster."""
    return store.query(
        """SELECT a.id, a.clinic_day_id, a.volunteer_id, a.role, a.status, a.source, a.hours, d.date
           FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id
           WHERE d.date BETWEEN ? AND ?""",
        [date_from, date_to],
    )


def insert_assignment(
    store: Store,
    day_id: int,
    volunteer_id: int,
    role: str,
    status: str = "invited",
    source: str = "manual",
    hours: float | None = None,
) -> int:
    return (
        store.db["assignments"]
        .insert(
            {
                "uid": new_uid(),
                "clinic_day_id": day_id,
                "volunteer_id": volunteer_id,
                "role": role,
                "status": status,
                "source": source,
                "hours": hours,
            }
        )
        .last_pk
    )


def assignment(store: Store, assignment_id: int) -> dict | None:
    return store.one("SELECT * FROM assignments WHERE id = ?", [assignment_id])


def update_assignment(store: Store, assignment_id: int, values: dict[str, Any]) -> None:
    store.db["assignments"].update(assignment_id, values)


def delete_assignments(store: Store, ids: Iterable[int]) -> None:
    store.conn.executemany("DELETE FROM assignments WHERE id = ?", [(i,) for i in ids])


# -- volunteers ---------------------------------------------------------------
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
    where, params = [], []
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
    return store.db["volunteers"].insert({"uid": new_uid(), **values}).last_pk


def update_volunteer(store: Store, volunteer_id: int, values: dict[str, Any]) -> None:
    if values:
        store.db["volunteers"].update(volunteer_id, values)


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


def month_loads(store: Store, month_from: str, month_to: str) -> dict[int, dict[str, int]]:
    """Assignments that count (not declined) per volunteer per month, in whole months."""
    out: dict[int, dict[str, int]] = {}
    for vid, month, n in store.conn.execute(
        f"""SELECT a.volunteer_id, substr(d.date, 1, 7), COUNT(*) FROM assignments a
            JOIN clinic_days d ON d.id = a.clinic_day_id
            WHERE substr(d.date, 1, 7) BETWEEN ? AND ? AND a.status IN {ACTIVE_ASSIGNMENT}
            GROUP BY 1, 2""",
        [month_from, month_to],
    ):
        out.setdefault(vid, {})[month] = n
    return out


def busy_dates(
    store: Store, volunteer_id: int, date: str, exclude_day: int | None = None
) -> list[dict]:
    return store.query(
        f"""SELECT d.id, d.date, v.name AS village FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id
            JOIN villages v ON v.id = d.village_id
            WHERE a.volunteer_id = ? AND d.date = ? AND a.status IN {ACTIVE_ASSIGNMENT} AND d.id IS NOT ?""",
        [volunteer_id, date, exclude_day],
    )


def schedule(
    store: Store, volunteer_id: int, date_from: str | None = None, date_to: str | None = None
) -> list[dict]:
    return store.query(
        """SELECT a.id AS assignment_id, a.role, a.status, a.hours, a.source, d.id AS day_id, d.date,
                  d.start_time, d.end_time, d.venue, d.status AS day_status, d.uid AS day_uid, a.uid,
                  v.name AS village, t.name AS township, o.short_name AS organisation
           FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id
           JOIN villages v ON v.id = d.village_id JOIN townships t ON t.id = v.township_id
           LEFT JOIN organisations o ON o.id = d.organisation_id
           WHERE a.volunteer_id = ? AND d.date >= COALESCE(?, '') AND d.date <= COALESCE(?, '9999')
           ORDER BY d.date, d.start_time""",
        [volunteer_id, date_from, date_to],
    )


def roster_rows(store: Store, date_from: str, date_to: str) -> list[dict]:
    """Every counting assignment in the period with its day and volunteer, for exports."""
    return store.query(
        f"""SELECT d.id AS day_id, d.date, d.start_time, d.end_time, d.status AS day_status, d.venue,
                   vi.name AS village, t.name AS township, o.short_name AS organisation,
                   vo.id AS volunteer_id, vo.name AS volunteer, vo.phone, vo.specialty_code,
                   vorg.short_name AS volunteer_org, a.role, a.status, a.hours, a.source,
                   s.name_zh AS role_zh, s.name_en AS role_en
            FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id
            JOIN villages vi ON vi.id = d.village_id JOIN townships t ON t.id = vi.township_id
            LEFT JOIN organisations o ON o.id = d.organisation_id
            JOIN volunteers vo ON vo.id = a.volunteer_id
            LEFT JOIN organisations vorg ON vorg.id = vo.organisation_id
            LEFT JOIN specialties s ON s.code = a.role
            WHERE d.date BETWEEN ? AND ? AND a.status IN {ACTIVE_ASSIGNMENT} AND d.status != 'cancelled'
            ORDER BY d.date, d.id, s.sort_order, vo.name""",
        [date_from, date_to],
    )


# -- villages -----------------------------------------------------------------
def village_overview(store: Store, today: str) -> list[dict]:
    """Per village: households, persons, the last clinic day (today's or earlier: a day that has
    happened or is happening) and the next one (after today). Served households and follow-ups
    are figures (clinic.core.figures)."""
    return store.query(
        """SELECT v.id, v.name, t.name AS township,
              (SELECT COUNT(*) FROM households h WHERE h.village_id = v.id) AS households,
              (SELECT COUNT(*) FROM persons p WHERE p.village_id = v.id) AS persons,
              (SELECT MAX(d.date) FROM clinic_days d WHERE d.village_id = v.id AND d.status != 'cancelled'
                 AND (d.date <= ? OR EXISTS (SELECT 1 FROM visits x WHERE x.clinic_day_id = d.id))) AS last_day,
              (SELECT MIN(d.date) FROM clinic_days d WHERE d.village_id = v.id AND d.date > ?
                 AND d.status != 'cancelled'
                 AND NOT EXISTS (SELECT 1 FROM visits x WHERE x.clinic_day_id = d.id)) AS next_day
           FROM villages v JOIN townships t ON t.id = v.township_id
           ORDER BY t.name, v.name""",
        [today, today],
    )


# -- pairing ------------------------------------------------------------------
def cadre_households(store: Store, cadre_id: int, today: str) -> list[dict]:
    """A cadre's households with the flags of each member's latest visit and the earliest open
    follow-up among them (clinic.store.figures.OPEN_FOLLOW_UPS_CTE: the one rule of "open")."""
    return store.query(
        "WITH "
        + OPEN_FOLLOW_UPS_CTE
        + """SELECT h.id, h.number, h.head_name, h.category, h.group_no, v.name AS village,
              t.name AS township,
              (SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id) AS persons,
              (SELECT MAX(pv.date) FROM pairing_visits pv WHERE pv.household_id = h.id) AS last_visit,
              (SELECT GROUP_CONCAT(DISTINCT l.flags) FROM latest l JOIN persons p ON p.id = l.person_id
                 WHERE l.rn = 1 AND p.household_id = h.id AND l.flags != '') AS flags,
              (SELECT MIN(f.follow_up_due) FROM open_follow_ups f JOIN persons p ON p.id = f.person_id
                 WHERE p.household_id = h.id) AS follow_up_due
           FROM households h JOIN villages v ON v.id = h.village_id JOIN townships t ON t.id = v.township_id
           WHERE h.cadre_id = ?
           ORDER BY (follow_up_due IS NULL), follow_up_due, last_visit, h.number""",
        [cadre_id],
    )


def households_by_number(store: Store, number: str) -> list[dict]:
    return store.query(
        "SELECT h.*, v.name AS village FROM households h JOIN villages v ON v.id = h.village_id"
        " WHERE h.number = ? OR h.head_name = ?",
        [number, number],
    )


def set_cadre(store: Store, household_id: int, cadre_id: int | None) -> None:
    store.conn.execute("UPDATE households SET cadre_id = ? WHERE id = ?", [cadre_id, household_id])


def insert_pairing_visit(
    store: Store, household_id: int, cadre_id: int, date: str, notes: str
) -> int:
    return (
        store.db["pairing_visits"]
        .insert(
            {
                "uid": new_uid(),
                "household_id": household_id,
                "cadre_id": cadre_id,
                "date": date,
                "notes": notes,
            }
        )
        .last_pk
    )


def pairing_visits(store: Store, cadre_id: int, limit: int = 200) -> list[dict]:
    return store.query(
        """SELECT pv.*, h.number, h.head_name, v.name AS village FROM pairing_visits pv
           JOIN households h ON h.id = pv.household_id JOIN villages v ON v.id = h.village_id
           WHERE pv.cadre_id = ? ORDER BY pv.date DESC, pv.id DESC LIMIT ?""",
        [cadre_id, limit],
    )
