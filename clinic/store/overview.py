"""What the home screen and `clinic status` show: counts and the coming clinic days."""

from __future__ import annotations

from typing import Any

from clinic.store.connection import Store


def counts(store: Store) -> dict[str, Any]:
    """How many records of each kind (for status and the home screen)."""
    tables = {
        "townships": "townships",
        "villages": "villages",
        "households": "households",
        "persons": "persons",
        "volunteers": "volunteers",
        "clinic_days": "clinic_days",
        "assignments": "assignments",
        "visits": "visits",
        "handouts": "handouts",
    }
    return {key: store.scalar(f"SELECT count(*) FROM {table}") for key, table in tables.items()}


COUNTED = (
    "townships",
    "villages",
    "households",
    "persons",
    "volunteers",
    "organisations",
    "clinic_days",
    "assignments",
    "visits",
    "handouts",
)


def count(store: Store, table: str) -> int:
    """Rows in one of the tables the app counts (a fixed list: never a name from input)."""
    if table not in COUNTED:
        raise ValueError(table)
    return store.scalar(f"SELECT count(*) FROM {table}")


def upcoming_days(store: Store, today: str, limit: int = 8) -> list[dict]:
    """Clinic days from today on, with needs and assignments counted.

    `assigned` is the number of needed places filled: a volunteer counts toward a place of their
    role only, at most that role's count (so 8 volunteers for 6 places with 3 open is 3/6, not 8/6);
    `assigned_total` counts everyone on the team."""
    return store.query(
        """
        SELECT d.id, d.date, d.start_time, d.end_time, d.status, d.venue,
               v.name AS village, t.name AS township,
               o.short_name AS organisation,
               (SELECT COALESCE(sum(count), 0) FROM clinic_day_needs n WHERE n.clinic_day_id = d.id) AS needed,
               (SELECT COALESCE(sum(min(n.count, (SELECT count(*) FROM assignments a
                    WHERE a.clinic_day_id = d.id AND a.role = n.specialty_code
                      AND a.status NOT IN ('declined', 'no_show')))), 0)
                FROM clinic_day_needs n WHERE n.clinic_day_id = d.id) AS assigned,
               (SELECT count(*) FROM assignments a WHERE a.clinic_day_id = d.id
                  AND a.status NOT IN ('declined', 'no_show')) AS assigned_total
        FROM clinic_days d
        JOIN villages v ON v.id = d.village_id
        JOIN townships t ON t.id = v.township_id
        LEFT JOIN organisations o ON o.id = d.organisation_id
        WHERE d.date >= ? AND d.status != 'cancelled'
        ORDER BY d.date, d.start_time LIMIT ?
        """,
        [today, limit],
    )


def follow_ups_due(store: Store, today: str) -> int:
    """Visits whose follow-up date has come (the latest visit of each person only)."""
    return store.scalar(
        """
        SELECT count(*) FROM visits v
        WHERE v.follow_up_due IS NOT NULL AND v.follow_up_due <= date(?, '+14 days')
          AND NOT EXISTS (SELECT 1 FROM visits later JOIN clinic_days d ON d.id = later.clinic_day_id
                          JOIN clinic_days d0 ON d0.id = v.clinic_day_id
                          WHERE later.person_id = v.person_id AND d.date > d0.date)
        """,
        [today],
    )
