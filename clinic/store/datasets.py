"""The rows of each export (visits, handouts, the registers, follow-ups,
the roster), streamed into the file.

Exports start from the same held days as the figures
(:func:`clinic.store.rules.scope_cte`), so the files and the screens
cannot disagree about which days count (issue 9, "one truth").
Cursors are read in batches (rows are never all collected).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from clinic.store.assignments import ACTIVE_ASSIGNMENT
from clinic.store.connection import Store
from clinic.store.rules import (
    OPEN_FOLLOW_UPS_CTE,
    VISIT_PERSON_JOIN,
    Scope,
    ids_in,
    scope_cte,
    scope_scalar,
)


def _cursor(store: Store, sql: str, params: Sequence[Any]) -> Iterator[tuple]:
    cursor = store.conn.execute(sql, list(params))
    while True:
        batch = cursor.fetchmany(2000)
        if not batch:
            return
        yield from batch


def visit_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    """One row per visit on the days in scope, in date and arrival order."""
    return _cursor(store, *visit_query(scope))


def visit_query(scope: Scope) -> tuple[str, list[Any]]:
    """The SQL behind the visits export (bench/bench_export.py hands the same
    text to ``sqlite3 -csv``)."""
    cte, params = scope_cte(scope)
    return (
        cte
        + f"""
        SELECT d.date, t.name, vg.name, o.short_name, p.name, p.sex, p.birth_date,
               p.id_number, p.phone, h.number, h.category,
               (SELECT group_concat(tag, ';') FROM (SELECT tag FROM person_tags WHERE person_id = p.id ORDER BY tag)),
               v.arrived_at, v.queue, v.sbp, v.dbp, v.pulse, v.glucose, v.glucose_fasting,
               v.weight_kg, v.height_cm, v.flags,
               (SELECT group_concat(condition_code, ';') FROM visit_conditions WHERE visit_id = v.id),
               (SELECT count(*) FROM handouts WHERE visit_id = v.id),
               v.referral_to, v.follow_up_due, sb.name, v.uid
        FROM days d JOIN visits v ON v.clinic_day_id = d.id
        {VISIT_PERSON_JOIN}
        JOIN villages vg ON vg.id = d.village_id JOIN townships t ON t.id = vg.township_id
        LEFT JOIN organisations o ON o.id = d.organisation_id
        LEFT JOIN households h ON h.id = p.household_id
        LEFT JOIN volunteers sb ON sb.id = v.seen_by
        ORDER BY d.date, d.id, v.arrived_at, v.id
    """,
        params,
    )


def count_visits(store: Store, scope: Scope) -> int:
    return (
        scope_scalar(
            store, scope, "SELECT count(*) FROM days d JOIN visits v ON v.clinic_day_id = d.id"
        )
        or 0
    )


def handout_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    cte, params = scope_cte(scope)
    return _cursor(
        store,
        cte
        + f"""
        SELECT d.date, t.name, vg.name, p.name, p.id_number, coalesce(pt.condition_code, pt.code),
               pt.code, pt.version, pt.title_zh, pt.title_en, hd.ticked, gb.name, hd.given_at, hd.uid
        FROM days d JOIN visits v ON v.clinic_day_id = d.id
        JOIN handouts hd ON hd.visit_id = v.id
        JOIN prescription_templates pt ON pt.id = hd.template_id
        {VISIT_PERSON_JOIN}
        JOIN villages vg ON vg.id = d.village_id JOIN townships t ON t.id = vg.township_id
        LEFT JOIN volunteers gb ON gb.id = hd.given_by
        ORDER BY d.date, d.id, hd.given_at, hd.id
    """,
        params,
    )


def count_handouts(store: Store, scope: Scope) -> int:
    return (
        scope_scalar(
            store,
            scope,
            """SELECT count(*) FROM days d JOIN visits v ON v.clinic_day_id = d.id
        JOIN handouts hd ON hd.visit_id = v.id""",
        )
        or 0
    )


def _register_where(scope: Scope, column: str) -> str:
    if scope.village_ids is None:
        return "1"
    return ids_in(column, scope.village_ids)


def person_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    """The register (filtered by village), with each person's visits in the period (the
    figures' ``scope_visits``: a merged duplicate's visits are the person kept's)."""
    cte, params = scope_cte(Scope(scope.date_from, scope.date_to, None, scope.org_ids))
    return _cursor(
        store,
        cte
        + f"""
        , seen AS (SELECT v.person_id, count(*) AS n, max(d.date) AS last
                   FROM scope_visits v JOIN days d ON d.id = v.clinic_day_id GROUP BY v.person_id)
        SELECT t.name, vg.name, coalesce(p.group_no, h.group_no), h.number, h.category, p.name, p.relation,
               p.sex, p.birth_date, p.id_number, p.phone,
               (SELECT group_concat(tag, ';') FROM (SELECT tag FROM person_tags WHERE person_id = p.id ORDER BY tag)),
               p.family_doctor,
               (SELECT group_concat(condition_code, ';') FROM person_conditions WHERE person_id = p.id),
               p.other_conditions, p.walk_in, coalesce(seen.n, 0), seen.last, p.uid
        FROM persons p
        LEFT JOIN households h ON h.id = p.household_id
        LEFT JOIN villages vg ON vg.id = coalesce(p.village_id, h.village_id)
        LEFT JOIN townships t ON t.id = vg.township_id
        LEFT JOIN seen ON seen.person_id = p.id
        WHERE p.merged_into IS NULL AND {_register_where(scope, "vg.id")}
        ORDER BY t.name, vg.name, h.number, p.id
    """,
        params,
    )


def count_register(store: Store, scope: Scope, table: str) -> int:
    """Rows of the persons or households register that the village filter keeps."""
    if table == "persons":
        return (
            store.scalar(
                "SELECT count(*) FROM persons p LEFT JOIN households h ON h.id = p.household_id "
                "WHERE p.merged_into IS NULL AND "
                + _register_where(scope, "coalesce(p.village_id, h.village_id)")
            )
            or 0
        )
    return (
        store.scalar(
            "SELECT count(*) FROM households h WHERE " + _register_where(scope, "h.village_id")
        )
        or 0
    )


def household_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    """The households register (filtered by village), with the persons seen in the period
    and the last day one was: the figures' people seen (``scope_people``: a duplicate
    merged into another is the person kept, counted once)."""
    cte, params = scope_cte(Scope(scope.date_from, scope.date_to, None, scope.org_ids))
    return _cursor(
        store,
        cte
        + f"""
        , seen AS (SELECT v.household_id, max(d.date) AS last
                   FROM scope_visits v JOIN days d ON d.id = v.clinic_day_id GROUP BY v.household_id)
        SELECT t.name, vg.name, h.group_no, h.number, h.head_name, h.category,
               (SELECT count(*) FROM persons WHERE household_id = h.id AND merged_into IS NULL),
               (SELECT count(*) FROM scope_people sp WHERE sp.household_id = h.id),
               (SELECT s.last FROM seen s WHERE s.household_id = h.id),
               c.name, h.uid
        FROM households h JOIN villages vg ON vg.id = h.village_id JOIN townships t ON t.id = vg.township_id
        LEFT JOIN volunteers c ON c.id = h.cadre_id
        WHERE {_register_where(scope, "h.village_id")}
        ORDER BY t.name, vg.name, h.group_no, h.number, h.id
    """,
        params,
    )


def follow_up_rows(store: Store, scope: Scope, today: str) -> Iterator[tuple]:
    """Open follow-ups (:data:`clinic.store.rules.OPEN_FOLLOW_UPS_CTE`).
    ``date_to`` bounds the due date; villages filter by the person's village."""
    where = ["1"]
    params: list[Any] = [today, today]
    if scope.date_to:
        where.append("f.follow_up_due <= ?")
        params.append(scope.date_to)
    if scope.village_ids is not None:
        where.append(ids_in("f.village_id", scope.village_ids))
    if scope.org_ids is not None:
        where.append(ids_in("d.organisation_id", scope.org_ids))
    return _cursor(
        store,
        "WITH "
        + OPEN_FOLLOW_UPS_CTE
        + f"""
        SELECT t.name, vg.name, p.name, p.sex, p.birth_date, p.id_number, p.phone,
               d.date, f.follow_up_due,
               CASE WHEN f.follow_up_due < ?1 THEN 'overdue' ELSE 'due' END,
               (SELECT group_concat(condition_code, ';') FROM visit_conditions WHERE visit_id = f.visit_id),
               lv.flags, lv.referral_to,
               (SELECT min(n.date) FROM clinic_days n WHERE n.village_id = vg.id AND n.date >= ?2
                    AND n.status IN ('planned', 'confirmed')),
               lv.sbp, lv.dbp, lv.glucose, lv.glucose_fasting,
               hh.number, hh.head_name, p.uid
        FROM open_follow_ups f JOIN lv ON lv.id = f.visit_id
        JOIN persons p ON p.id = f.person_id
        LEFT JOIN households hh ON hh.id = p.household_id
        JOIN clinic_days d ON d.id = f.clinic_day_id
        JOIN villages vg ON vg.id = f.village_id
        JOIN townships t ON t.id = vg.township_id
        WHERE {" AND ".join(where)}
        ORDER BY t.name, vg.name, f.follow_up_due, p.name
    """,
        params,
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
