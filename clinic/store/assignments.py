"""Assignments: who works a clinic day, in which role, with what status and
hours; a volunteer's schedule and load."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clinic.store.connection import Store, insert_row, new_uid
from clinic.store.rules import DAY_HOURS_SQL, SERVED_STATUS

# Assignments that count (not declined).
ACTIVE_ASSIGNMENT = "('invited', 'confirmed', 'attended', 'no_show')"


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


def insert_assignment(
    store: Store,
    day_id: int,
    volunteer_id: int,
    role: str,
    status: str = "invited",
    source: str = "manual",
    hours: float | None = None,
) -> int:
    return insert_row(
        store.db,
        "assignments",
        {
            "uid": new_uid(),
            "clinic_day_id": day_id,
            "volunteer_id": volunteer_id,
            "role": role,
            "status": status,
            "source": source,
            "hours": hours,
        },
    )


def assignment(store: Store, assignment_id: int) -> dict | None:
    return store.one("SELECT * FROM assignments WHERE id = ?", [assignment_id])


def update_assignment(store: Store, assignment_id: int, values: dict[str, Any]) -> None:
    store.db.table("assignments").update(assignment_id, values)


def delete_assignments(store: Store, ids: Iterable[int]) -> None:
    store.conn.executemany("DELETE FROM assignments WHERE id = ?", [(i,) for i in ids])


def assignment_of(store: Store, day_id: int, volunteer_id: int) -> dict | None:
    """A volunteer's assignment on a clinic day, if they have one."""
    return store.one(
        "SELECT * FROM assignments WHERE clinic_day_id = ? AND volunteer_id = ?",
        [day_id, volunteer_id],
    )


def fill_hours(store: Store, day_id: int) -> int:
    """Type the day's planned length as the hours of attended volunteers without hours."""
    cur = store.conn.execute(
        f"""UPDATE assignments SET hours = (SELECT round({DAY_HOURS_SQL}, 2) FROM clinic_days d
                                           WHERE d.id = assignments.clinic_day_id)
            WHERE clinic_day_id = ? AND status = 'attended' AND hours IS NULL""",
        [day_id],
    )
    return cur.rowcount


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
