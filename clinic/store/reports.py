"""SQL of the reports area: the figures of a report and the rows of each export.

Every figure starts from one set of clinic days, :func:`scope_cte`: the days
*held* (status ``done``, or any day with a visit recorded, and never a
cancelled one) that match the filters (period, villages, organising
organisations). Figures and exports share this CTE so that they cannot
disagree about which days count (issue 5, "one truth").

Exports return cursors (rows are streamed into the file, never collected).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from clinic.store.connection import Store

# Hours of an attended assignment whose hours were not typed: the clinic
# day's opening hours.
DAY_HOURS_SQL = (
    "(julianday('2000-01-01 ' || d.end_time) - julianday('2000-01-01 ' || d.start_time)) * 24"
)


@dataclass(frozen=True)
class Scope:
    """Resolved filters: ISO dates and database ids (None = no filter)."""

    date_from: str | None = None
    date_to: str | None = None
    village_ids: tuple[int, ...] | None = None
    org_ids: tuple[int, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _in(column: str, ids: Sequence[int]) -> str:
    return f"{column} IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"


def _day_filters(scope: Scope) -> tuple[list[str], list[Any]]:
    """WHERE terms on clinic_days ``d`` for the period, villages and organisations."""
    where: list[str] = []
    params: list[Any] = []
    if scope.date_from:
        where.append("d.date >= ?")
        params.append(scope.date_from)
    if scope.date_to:
        where.append("d.date <= ?")
        params.append(scope.date_to)
    if scope.village_ids is not None:
        where.append(_in("d.village_id", scope.village_ids))
    if scope.org_ids is not None:
        where.append(_in("d.organisation_id", scope.org_ids))
    return where, params


def scope_cte(scope: Scope) -> tuple[str, list[Any]]:
    """``WITH days AS (...), scope_villages AS (...)`` and its parameters.

    ``scope_villages`` are the villages the report is about: those named by
    the filter, or else those where a counted clinic day was held; the
    households registered there are the denominator of coverage.
    """
    where, params = _day_filters(scope)
    where += [
        "d.status != 'cancelled'",
        "(d.status = 'done' OR EXISTS (SELECT 1 FROM visits v0 WHERE v0.clinic_day_id = d.id))",
    ]
    if scope.village_ids is not None:
        villages = "SELECT id AS village_id FROM villages WHERE " + _in("id", scope.village_ids)
    else:
        villages = "SELECT DISTINCT village_id FROM days"
    sql = (
        "WITH days AS (SELECT d.* FROM clinic_days d WHERE " + " AND ".join(where) + "),\n"
        "scope_villages AS (" + villages + ")\n"
    )
    return sql, params


def _q(store: Store, scope: Scope, body: str, params: Sequence[Any] = ()) -> list[dict]:
    cte, cte_params = scope_cte(scope)
    return store.query(cte + body, [*cte_params, *params])


def _scalar(store: Store, scope: Scope, body: str) -> Any:
    cte, params = scope_cte(scope)
    return store.scalar(cte + body, params)


# -- filters -------------------------------------------------------------------


def villages_named(store: Store, name: str) -> list[int]:
    """Ids of the villages a user means by ``name``: a village ("龙山村"), a
    township and village ("中峰镇 龙山村", "中峰镇/龙山村") or a whole township."""
    name = name.strip()
    for sep in ("/", " ", "·"):
        if sep in name:
            town, _, village = name.partition(sep)
            return [
                r["id"]
                for r in store.query(
                    "SELECT v.id FROM villages v JOIN townships t ON t.id = v.township_id "
                    "WHERE v.name = ? AND t.name = ?",
                    [village.strip(), town.strip()],
                )
            ]
    ids = [r["id"] for r in store.query("SELECT id FROM villages WHERE name = ?", [name])]
    if ids:
        return ids
    return [
        r["id"]
        for r in store.query(
            "SELECT v.id FROM villages v JOIN townships t ON t.id = v.township_id WHERE t.name = ?",
            [name],
        )
    ]


def organisations_named(store: Store, name: str) -> list[int]:
    """Ids of the organisation called ``name`` (short, Chinese or English
    name) and of every unit under it: "民进" counts 民进綦江区委会 too."""
    return [
        r["id"]
        for r in store.query(
            """
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM organisations
            WHERE short_name = ?1 OR name_zh = ?1 OR lower(name_en) = lower(?1)
            UNION SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id
        )
        SELECT id FROM tree ORDER BY id
        """,
            [name.strip()],
        )
    ]


def village_choices(store: Store) -> list[dict]:
    return store.query(
        "SELECT v.id, v.name, t.name AS township FROM villages v JOIN townships t ON t.id = v.township_id "
        "WHERE EXISTS (SELECT 1 FROM clinic_days d WHERE d.village_id = v.id) "
        "ORDER BY t.name, v.name"
    )


def organisation_choices(store: Store) -> list[dict]:
    """Organisations that ran a clinic day, and the bodies above them (so
    "民进" can be chosen for all of its units)."""
    return store.query("""
        WITH RECURSIVE up(id) AS (
            SELECT DISTINCT organisation_id FROM clinic_days WHERE organisation_id IS NOT NULL
            UNION SELECT o.parent_id FROM organisations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL
        )
        SELECT id, short_name, name_zh, name_en FROM organisations WHERE id IN (SELECT id FROM up)
        ORDER BY sort_order, short_name""")


# -- figures -------------------------------------------------------------------


def day_counts(store: Store, scope: Scope) -> dict[str, int]:
    """Held days in scope, and the planned/cancelled days matching the same
    filters (they are not "held" but a coordinator wants to see them)."""
    held = _scalar(store, scope, "SELECT count(*) FROM days") or 0
    where, params = _day_filters(scope)
    row = (
        store.one(
            "SELECT sum(d.status = 'cancelled') AS cancelled, count(*) AS total FROM clinic_days d WHERE "
            + " AND ".join(["1", *where]),
            params,
        )
        or {}
    )
    cancelled = row.get("cancelled") or 0
    return {
        "held": held,
        "cancelled": cancelled,
        "planned": (row.get("total") or 0) - held - cancelled,
    }


def visit_counts(store: Store, scope: Scope) -> dict[str, int]:
    return _q(
        store,
        scope,
        """
        SELECT count(*) AS visits,
               count(DISTINCT v.person_id) AS people,
               count(DISTINCT CASE WHEN p.household_id IS NULL THEN v.person_id END) AS people_without_household,
               count(DISTINCT p.household_id) AS households,
               count(DISTINCT CASE WHEN p.walk_in = 1 THEN v.person_id END) AS walk_ins,
               count(DISTINCT CASE WHEN p.sex = 'M' THEN v.person_id END) AS men,
               count(DISTINCT CASE WHEN p.sex = 'F' THEN v.person_id END) AS women,
               count(CASE WHEN v.referral_to IS NOT NULL AND trim(v.referral_to) != '' THEN 1 END) AS referrals,
               count(CASE WHEN v.flags != '' THEN 1 END) AS flagged_visits,
               count(CASE WHEN v.follow_up_due IS NOT NULL THEN 1 END) AS follow_ups
        FROM days d JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
    """,
    )[0]


def households_by_category(store: Store, scope: Scope) -> list[dict]:
    """Per category: households registered in the scope's villages, those of
    them with a member seen, and all households seen (from anywhere)."""
    return _q(
        store,
        scope,
        """
        , seen AS (
            SELECT DISTINCT p.household_id AS id
            FROM days d JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
            WHERE p.household_id IS NOT NULL
        )
        SELECT h.category,
               sum(h.village_id IN (SELECT village_id FROM scope_villages)) AS registered,
               sum(h.village_id IN (SELECT village_id FROM scope_villages) AND h.id IN (SELECT id FROM seen)) AS served_here,
               sum(h.id IN (SELECT id FROM seen)) AS served
        FROM households h
        WHERE h.village_id IN (SELECT village_id FROM scope_villages) OR h.id IN (SELECT id FROM seen)
        GROUP BY h.category
    """,
    )


def people_by_category(store: Store, scope: Scope) -> dict[str, int]:
    """Distinct people seen, by their household's category (no household: '')."""
    rows = _q(
        store,
        scope,
        """
        SELECT coalesce(h.category, '') AS category, count(DISTINCT v.person_id) AS people
        FROM days d JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
        LEFT JOIN households h ON h.id = p.household_id
        GROUP BY coalesce(h.category, '')
    """,
    )
    return {r["category"]: r["people"] for r in rows}


def people_by_tag(store: Store, scope: Scope) -> dict[str, int]:
    rows = _q(
        store,
        scope,
        """
        , seen AS (SELECT DISTINCT v.person_id AS id FROM days d JOIN visits v ON v.clinic_day_id = d.id)
        SELECT t.tag, count(*) AS people FROM person_tags t JOIN seen ON seen.id = t.person_id GROUP BY t.tag
        UNION ALL
        SELECT 'family_doctor', count(*) FROM persons p JOIN seen ON seen.id = p.id WHERE p.family_doctor = 1
    """,
    )
    return {r["tag"]: r["people"] for r in rows}


def people_by_condition(store: Store, scope: Scope) -> list[dict]:
    """People seen by chronic condition on record (what the register says)."""
    return _q(
        store,
        scope,
        """
        , seen AS (SELECT DISTINCT v.person_id AS id FROM days d JOIN visits v ON v.clinic_day_id = d.id)
        SELECT c.code, c.name_zh, c.name_en, count(*) AS people
        FROM person_conditions pc JOIN seen ON seen.id = pc.person_id JOIN conditions c ON c.code = pc.condition_code
        GROUP BY c.code ORDER BY c.sort_order, c.code
    """,
    )


def flag_counts(store: Store, scope: Scope) -> list[dict]:
    """Visits per flag code (a visit may carry several, ';'-separated)."""
    return _q(
        store,
        scope,
        """
        , split(visit_id, flag, rest) AS (
            SELECT v.id, '', v.flags || ';' FROM days d JOIN visits v ON v.clinic_day_id = d.id WHERE v.flags != ''
            UNION ALL
            SELECT visit_id, trim(substr(rest, 1, instr(rest, ';') - 1)), substr(rest, instr(rest, ';') + 1)
            FROM split WHERE rest != ''
        )
        SELECT flag, count(DISTINCT visit_id) AS visits FROM split WHERE flag != '' GROUP BY flag ORDER BY visits DESC, flag
    """,
    )


def handouts_by_condition(store: Store, scope: Scope) -> list[dict]:
    return _q(
        store,
        scope,
        """
        SELECT coalesce(t.condition_code, t.code) AS code, c.name_zh, c.name_en,
               min(t.title_zh) AS title_zh, min(t.title_en) AS title_en,
               count(*) AS handouts, count(DISTINCT v.person_id) AS people
        FROM days d JOIN visits v ON v.clinic_day_id = d.id
        JOIN handouts h ON h.visit_id = v.id
        JOIN prescription_templates t ON t.id = h.template_id
        LEFT JOIN conditions c ON c.code = t.condition_code
        GROUP BY coalesce(t.condition_code, t.code)
        ORDER BY handouts DESC, code
    """,
    )


def handout_people(store: Store, scope: Scope) -> int:
    return (
        _scalar(
            store,
            scope,
            """
        SELECT count(DISTINCT v.person_id) FROM days d JOIN visits v ON v.clinic_day_id = d.id
        JOIN handouts h ON h.visit_id = v.id""",
        )
        or 0
    )


def referrals_by_destination(store: Store, scope: Scope) -> list[dict]:
    return _q(
        store,
        scope,
        """
        SELECT trim(v.referral_to) AS destination, count(*) AS visits
        FROM days d JOIN visits v ON v.clinic_day_id = d.id
        WHERE v.referral_to IS NOT NULL AND trim(v.referral_to) != ''
        GROUP BY trim(v.referral_to) ORDER BY visits DESC, destination
    """,
    )


def volunteer_hours_by_org(store: Store, scope: Scope) -> list[dict]:
    """Attended assignments on the days in scope, by the volunteer's organisation."""
    return _q(
        store,
        scope,
        f"""
        SELECT o.id AS organisation_id, o.short_name, o.name_zh, o.name_en,
               count(DISTINCT a.volunteer_id) AS volunteers,
               count(*) AS assignments,
               round(sum(coalesce(a.hours, {DAY_HOURS_SQL})), 2) AS hours
        FROM days d JOIN assignments a ON a.clinic_day_id = d.id AND a.status = 'attended'
        JOIN volunteers vol ON vol.id = a.volunteer_id
        LEFT JOIN organisations o ON o.id = vol.organisation_id
        GROUP BY o.id ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name
    """,
    )


def volunteer_totals(store: Store, scope: Scope) -> dict[str, Any]:
    return _q(
        store,
        scope,
        f"""
        SELECT count(DISTINCT a.volunteer_id) AS volunteers,
               round(coalesce(sum(coalesce(a.hours, {DAY_HOURS_SQL})), 0), 2) AS hours
        FROM days d JOIN assignments a ON a.clinic_day_id = d.id AND a.status = 'attended'
    """,
    )[0]


def by_organiser(store: Store, scope: Scope) -> list[dict]:
    """Per organising organisation: days held, visits, people, prescriptions."""
    return _q(
        store,
        scope,
        """
        SELECT o.short_name, o.name_zh, o.name_en, count(DISTINCT d.id) AS days,
               count(v.id) AS visits, count(DISTINCT v.person_id) AS people,
               coalesce(sum((SELECT count(*) FROM handouts h WHERE h.visit_id = v.id)), 0) AS handouts
        FROM days d LEFT JOIN organisations o ON o.id = d.organisation_id
        LEFT JOIN visits v ON v.clinic_day_id = d.id
        GROUP BY d.organisation_id ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name
    """,
    )


def by_month(store: Store, scope: Scope) -> list[dict]:
    return _q(
        store,
        scope,
        """
        SELECT substr(d.date, 1, 7) AS month, count(DISTINCT d.id) AS days,
               count(v.id) AS visits, count(DISTINCT v.person_id) AS people
        FROM days d LEFT JOIN visits v ON v.clinic_day_id = d.id
        GROUP BY month ORDER BY month
    """,
    )


def coverage_rows(store: Store, scope: Scope) -> list[dict]:
    """One row per village in scope: days held, visits, people, registered
    and served households (served = a member seen on a day in scope)."""
    return _q(
        store,
        scope,
        """
        , seen AS (
            SELECT DISTINCT p.household_id AS id
            FROM days d JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
            WHERE p.household_id IS NOT NULL
        ),
        hh AS (
            SELECT h.village_id, count(*) AS registered,
                   sum(h.id IN (SELECT id FROM seen)) AS served,
                   sum(h.category != 'ordinary') AS registered_poor,
                   sum(h.category != 'ordinary' AND h.id IN (SELECT id FROM seen)) AS served_poor
            FROM households h WHERE h.village_id IN (SELECT village_id FROM scope_villages)
            GROUP BY h.village_id
        ),
        dv AS (
            SELECT d.village_id, count(DISTINCT d.id) AS days, count(v.id) AS visits,
                   count(DISTINCT v.person_id) AS people, max(d.date) AS last_day
            FROM days d LEFT JOIN visits v ON v.clinic_day_id = d.id GROUP BY d.village_id
        )
        SELECT sv.village_id, t.name AS township, vg.name AS village,
               coalesce(dv.days, 0) AS days, coalesce(dv.visits, 0) AS visits,
               coalesce(dv.people, 0) AS people, dv.last_day,
               coalesce(hh.registered, 0) AS registered, coalesce(hh.served, 0) AS served,
               coalesce(hh.registered_poor, 0) AS registered_poor, coalesce(hh.served_poor, 0) AS served_poor
        FROM scope_villages sv JOIN villages vg ON vg.id = sv.village_id
        JOIN townships t ON t.id = vg.township_id
        LEFT JOIN dv ON dv.village_id = sv.village_id
        LEFT JOIN hh ON hh.village_id = sv.village_id
        ORDER BY t.name, vg.name
    """,
    )


# -- export rows (cursors) ----------------------------------------------------------


def _cursor(store: Store, sql: str, params: Sequence[Any]) -> Iterator[sqlite3.Row]:
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
        + """
        SELECT d.date, t.name, vg.name, o.short_name, p.name, p.sex, p.birth_date,
               p.id_number, p.phone, h.number, h.category,
               (SELECT group_concat(tag, ';') FROM (SELECT tag FROM person_tags WHERE person_id = p.id ORDER BY tag)),
               v.arrived_at, v.queue, v.sbp, v.dbp, v.pulse, v.glucose, v.glucose_fasting,
               v.weight_kg, v.height_cm, v.flags,
               (SELECT group_concat(condition_code, ';') FROM visit_conditions WHERE visit_id = v.id),
               (SELECT count(*) FROM handouts WHERE visit_id = v.id),
               v.referral_to, v.follow_up_due, sb.name, v.uid
        FROM days d JOIN visits v ON v.clinic_day_id = d.id
        JOIN persons p ON p.id = v.person_id
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
        _scalar(store, scope, "SELECT count(*) FROM days d JOIN visits v ON v.clinic_day_id = d.id")
        or 0
    )


def handout_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    cte, params = scope_cte(scope)
    return _cursor(
        store,
        cte
        + """
        SELECT d.date, t.name, vg.name, p.name, p.id_number, coalesce(pt.condition_code, pt.code),
               pt.code, pt.version, pt.title_zh, pt.title_en, hd.ticked, gb.name, hd.given_at, hd.uid
        FROM days d JOIN visits v ON v.clinic_day_id = d.id
        JOIN handouts hd ON hd.visit_id = v.id
        JOIN prescription_templates pt ON pt.id = hd.template_id
        JOIN persons p ON p.id = v.person_id
        JOIN villages vg ON vg.id = d.village_id JOIN townships t ON t.id = vg.township_id
        LEFT JOIN volunteers gb ON gb.id = hd.given_by
        ORDER BY d.date, d.id, hd.given_at, hd.id
    """,
        params,
    )


def count_handouts(store: Store, scope: Scope) -> int:
    return (
        _scalar(
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
    return _in(column, scope.village_ids)


def person_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    """The register (filtered by village), with each person's visits in the period."""
    cte, params = scope_cte(Scope(scope.date_from, scope.date_to, None, scope.org_ids))
    return _cursor(
        store,
        cte
        + f"""
        , seen AS (SELECT v.person_id, count(*) AS n, max(d.date) AS last
                   FROM days d JOIN visits v ON v.clinic_day_id = d.id GROUP BY v.person_id)
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
        WHERE {_register_where(scope, "vg.id")}
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
                "WHERE " + _register_where(scope, "coalesce(p.village_id, h.village_id)")
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
    cte, params = scope_cte(Scope(scope.date_from, scope.date_to, None, scope.org_ids))
    return _cursor(
        store,
        cte
        + f"""
        , seen AS (SELECT DISTINCT v.person_id, d.date FROM days d JOIN visits v ON v.clinic_day_id = d.id)
        SELECT t.name, vg.name, h.group_no, h.number, h.head_name, h.category,
               (SELECT count(*) FROM persons WHERE household_id = h.id),
               (SELECT count(DISTINCT s.person_id) FROM seen s JOIN persons pm ON pm.id = s.person_id WHERE pm.household_id = h.id),
               (SELECT max(s.date) FROM seen s JOIN persons pm ON pm.id = s.person_id WHERE pm.household_id = h.id),
               c.name, h.uid
        FROM households h JOIN villages vg ON vg.id = h.village_id JOIN townships t ON t.id = vg.township_id
        LEFT JOIN volunteers c ON c.id = h.cadre_id
        WHERE {_register_where(scope, "h.village_id")}
        ORDER BY t.name, vg.name, h.group_no, h.number, h.id
    """,
        params,
    )


def volunteer_hour_rows(store: Store, scope: Scope) -> Iterator[tuple]:
    """One row per volunteer: attended days and hours on the days in scope."""
    cte, params = scope_cte(scope)
    return _cursor(
        store,
        cte
        + f"""
        SELECT o.short_name, vol.name, vol.phone, vol.specialty_code,
               count(*) AS days, round(sum(coalesce(a.hours, {DAY_HOURS_SQL})), 2) AS hours,
               min(d.date), max(d.date), vol.uid
        FROM days d JOIN assignments a ON a.clinic_day_id = d.id AND a.status = 'attended'
        JOIN volunteers vol ON vol.id = a.volunteer_id
        LEFT JOIN organisations o ON o.id = vol.organisation_id
        GROUP BY vol.id ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name, vol.name, vol.id
    """,
        params,
    )


def follow_up_rows(store: Store, scope: Scope, today: str) -> Iterator[tuple]:
    """Open follow-ups: a person whose latest visit asked for one. ``date_to``
    bounds the due date; villages filter by the person's village."""
    where = ["1"]
    params: list[Any] = [today, today]
    if scope.date_to:
        where.append("lv.follow_up_due <= ?")
        params.append(scope.date_to)
    if scope.village_ids is not None:
        where.append(_in("vg.id", scope.village_ids))
    if scope.org_ids is not None:
        where.append(_in("d.organisation_id", scope.org_ids))
    return _cursor(
        store,
        f"""
        WITH latest AS (
            SELECT v.*, row_number() OVER (PARTITION BY v.person_id ORDER BY dd.date DESC, v.arrived_at DESC, v.id DESC) AS rn
            FROM visits v JOIN clinic_days dd ON dd.id = v.clinic_day_id WHERE dd.status != 'cancelled'
        ),
        lv AS (SELECT * FROM latest WHERE rn = 1 AND follow_up_due IS NOT NULL)
        SELECT t.name, vg.name, p.name, p.sex, p.birth_date, p.id_number, p.phone,
               d.date, lv.follow_up_due,
               CASE WHEN lv.follow_up_due < ?1 THEN 'overdue' ELSE 'due' END,
               (SELECT group_concat(condition_code, ';') FROM visit_conditions WHERE visit_id = lv.id),
               lv.flags, lv.referral_to,
               (SELECT min(n.date) FROM clinic_days n WHERE n.village_id = vg.id AND n.date >= ?2
                    AND n.status IN ('planned', 'confirmed')),
               p.uid
        FROM lv JOIN persons p ON p.id = lv.person_id
        JOIN clinic_days d ON d.id = lv.clinic_day_id
        LEFT JOIN households h ON h.id = p.household_id
        JOIN villages vg ON vg.id = coalesce(p.village_id, h.village_id, d.village_id)
        JOIN townships t ON t.id = vg.township_id
        WHERE {" AND ".join(where)}
        ORDER BY t.name, vg.name, lv.follow_up_due, p.name
    """,
        params,
    )
