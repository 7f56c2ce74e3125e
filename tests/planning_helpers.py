"""Helpers for the planning tests: a village, a volunteer, a clinic day in a fresh store."""

from __future__ import annotations

from clinic.core import planning as p

from conftest import TODAY


def village(store, name="龙山村", township="中峰镇") -> int:
    t = store.db["townships"].insert({"name": township}, pk="id", ignore=True)
    tid = store.scalar("SELECT id FROM townships WHERE name = ?", [township]) or t.last_pk
    store.db["villages"].insert({"township_id": tid, "name": name})
    return store.scalar("SELECT id FROM villages WHERE name = ? AND township_id = ?", [name, tid])


def volunteer(
    store, name, specialty="gp", weekdays="0123456", holidays=True, limit=None, org=None
) -> int:
    return p.save_volunteer(
        store,
        p.VolunteerInput(
            name=name,
            specialty_code=specialty,
            weekdays=weekdays,
            holidays=holidays,
            max_days_per_month=limit,
            organisation_id=org,
        ),
    )


def day(
    store, village, date="2026-12-05", needs="全科=2,护士=1", status="planned", today=TODAY
) -> int:
    return p.add_day(
        store,
        p.DayInput(
            date=date,
            village_id=village,
            organisation_id=p.find_organisation(store, "民进"),
            needs=p.parse_needs(store, needs),
            status=status,
        ),
        today=today,
    )
