"""Every figure the app shows, counted once: the SQL behind home, F5, F7,
F8, F9, the CLI's reports and the exports (issue 9, "one truth").

A figure is a count over a *scope*: a period, villages, organising
organisations, or a single clinic day (:class:`Scope`). Every figure starts
from the same set of days, :func:`scope_cte`: the days *held* in the scope.
The rules themselves (what is held, who served, how many hours, which places
are filled, which follow-ups are open) are the SQL fragments below, each
written once; docs/figures.md says them in words. ``clinic.core.figures``
turns these rows into the figures the screens and commands show.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from clinic.store.connection import Store

# -- the rules, in SQL ----------------------------------------------------------

# Hours of an attended assignment whose hours were not typed: the clinic
# day's planned length (start to end). Reports say how many were counted so.
DAY_HOURS_SQL = (
    "(julianday('2000-01-01 ' || d.end_time) - julianday('2000-01-01 ' || d.start_time)) * 24"
)


# A volunteer served on a day when their assignment is marked attended.
SERVED_STATUS = "attended"
# Assignments that fill a needed place: invited, confirmed or attended. A
# declined volunteer or a no-show leaves the place open.
FILLS_PLACE = ("invited", "confirmed", "attended")
FILLS_PLACE_SQL = "(" + ", ".join(f"'{s}'" for s in FILLS_PLACE) + ")"

# A clinic day is held when it was not cancelled and is marked done, or has
# a visit, or has a volunteer marked attended (attendance means it happened).
HELD_SQL = (
    "d.status != 'cancelled' AND (d.status = 'done'"
    " OR EXISTS (SELECT 1 FROM visits v0 WHERE v0.clinic_day_id = d.id)"
    " OR EXISTS (SELECT 1 FROM assignments a0 WHERE a0.clinic_day_id = d.id"
    f" AND a0.status = '{SERVED_STATUS}'))"
)

# Places of a clinic day ``d``: needed, assigned (filling statuses, any role)
# and filled (per role at most the places needed).
PLACES_COLUMNS = f"""
    (SELECT COALESCE(SUM(n.count), 0) FROM clinic_day_needs n WHERE n.clinic_day_id = d.id) AS needed,
    (SELECT COUNT(*) FROM assignments a WHERE a.clinic_day_id = d.id
        AND a.status IN {FILLS_PLACE_SQL}) AS assigned,
    (SELECT COALESCE(SUM(MIN(n.count, (SELECT COUNT(*) FROM assignments a WHERE a.clinic_day_id = d.id
        AND a.role = n.specialty_code AND a.status IN {FILLS_PLACE_SQL}))), 0)
     FROM clinic_day_needs n WHERE n.clinic_day_id = d.id) AS filled"""


@dataclass(frozen=True)
class Scope:
    """Resolved filters: ISO dates and database ids (None = no filter)."""

    date_from: str | None = None
    date_to: str | None = None
    village_ids: tuple[int, ...] | None = None
    org_ids: tuple[int, ...] | None = None
    day_ids: tuple[int, ...] | None = None
    # Coverage of every village, not only those named or where a day was held (F7).
    all_villages: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # Set by :func:`materialised`: the scope's rows are in temporary tables.
    materialised: bool = field(default=False, compare=False)


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
    if scope.day_ids is not None:
        where.append(_in("d.id", scope.day_ids))
    return where, params


# The visits of the held days, with the columns of their person that figures
# count by: every visit figure reads these rows (``scope_visits v``).
SCOPE_VISITS_SQL = """SELECT v.id, v.clinic_day_id, v.person_id, v.state, v.flags, v.referral_to,
           v.follow_up_due, p.household_id, p.sex, p.walk_in
    FROM days d JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id"""

# The households of the people seen on those days (a member seen = served).
SCOPE_HOUSEHOLDS_SQL = (
    "SELECT DISTINCT household_id AS id FROM scope_visits WHERE household_id IS NOT NULL"
)

_SCOPE_TABLES = ("days", "scope_villages", "scope_visits", "scope_households")


def scope_cte(scope: Scope) -> tuple[str, list[Any]]:
    """``WITH days AS (...), scope_villages AS (...), scope_visits AS (...)``
    and its parameters: the held days of the scope (:data:`HELD_SQL`), the
    villages it is about and the visits of its days (:data:`SCOPE_VISITS_SQL`).

    ``scope_villages`` are the villages the report is about: those named by
    the filter, or else those where a counted clinic day was held; the
    households registered there are the denominator of coverage.
    """
    if scope.materialised:
        return (
            "WITH "
            + ",\n".join(f"{name} AS (SELECT * FROM temp.m_{name})" for name in _SCOPE_TABLES)
            + "\n",
            [],
        )
    where, params = _day_filters(scope)
    where.append(HELD_SQL)
    if scope.all_villages:
        villages = "SELECT id AS village_id FROM villages"
    elif scope.village_ids is not None:
        villages = "SELECT id AS village_id FROM villages WHERE " + _in("id", scope.village_ids)
    else:
        villages = "SELECT DISTINCT village_id FROM days"
    sql = (
        "WITH days AS (SELECT d.* FROM clinic_days d WHERE " + " AND ".join(where) + "),\n"
        "scope_villages AS (" + villages + "),\n"
        "scope_visits AS (" + SCOPE_VISITS_SQL + "),\n"
        "scope_households AS (" + SCOPE_HOUSEHOLDS_SQL + ")\n"
    )
    return sql, params


@contextmanager
def materialised(store: Store, scope: Scope) -> Iterator[Scope]:
    """The scope's days, villages and visits written once into temporary
    tables of this connection (``temp.m_days`` ...), for the length of the block.

    A report asks a dozen figures of one scope; without this each of them
    finds the scope's visits again among every visit of the database
    (bench/bench_report.py measures the difference). The figures' SQL is the
    same either way: only :func:`scope_cte` changes what ``days``,
    ``scope_villages`` and ``scope_visits`` read.
    """
    if scope.materialised:
        yield scope
        return
    cte, params = scope_cte(scope)
    conn = store.conn
    try:
        for name in _SCOPE_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS temp.m_{name}")
            conn.execute(f"CREATE TEMP TABLE m_{name} AS {cte} SELECT * FROM {name}", params)
        conn.execute("CREATE UNIQUE INDEX temp.m_scope_visits_id ON m_scope_visits(id)")
        conn.execute("CREATE INDEX temp.m_scope_visits_day ON m_scope_visits(clinic_day_id)")
        conn.execute("CREATE INDEX temp.m_scope_visits_person ON m_scope_visits(person_id)")
        conn.execute("CREATE UNIQUE INDEX temp.m_scope_households_id ON m_scope_households(id)")
        # Tell the planner how small the scope is, or it may scan every
        # handout of the database to look up the few visits in scope.
        conn.execute("ANALYZE temp")
        yield replace(scope, materialised=True)
    finally:
        for name in _SCOPE_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS temp.m_{name}")


def _q(store: Store, scope: Scope, body: str, params: Sequence[Any] = ()) -> list[dict]:
    cte, cte_params = scope_cte(scope)
    return store.query(cte + body, [*cte_params, *params])


def _scalar(store: Store, scope: Scope, body: str) -> Any:
    cte, params = scope_cte(scope)
    return store.scalar(cte + body, params)


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
               count(DISTINCT CASE WHEN v.household_id IS NULL THEN v.person_id END) AS people_without_household,
               count(DISTINCT v.household_id) AS households,
               count(DISTINCT CASE WHEN v.walk_in = 1 THEN v.person_id END) AS walk_ins,
               count(DISTINCT CASE WHEN v.sex = 'M' THEN v.person_id END) AS men,
               count(DISTINCT CASE WHEN v.sex = 'F' THEN v.person_id END) AS women,
               count(CASE WHEN v.referral_to IS NOT NULL AND trim(v.referral_to) != '' THEN 1 END) AS referrals,
               count(CASE WHEN v.flags != '' THEN 1 END) AS flagged_visits,
               count(CASE WHEN v.follow_up_due IS NOT NULL THEN 1 END) AS follow_ups
        FROM scope_visits v
    """,
    )[0]


def visit_states(store: Store, scope: Scope) -> dict[str, int]:
    """Visits on the held days finished (``seen``) and not finished yet (drafts)."""
    row = _q(
        store,
        scope,
        """SELECT coalesce(sum(v.state = 'done'), 0) AS seen, coalesce(sum(v.state != 'done'), 0) AS not_done
           FROM scope_visits v""",
    )[0]
    return {"seen": row["seen"], "not_done": row["not_done"]}


def households_by_category(store: Store, scope: Scope) -> list[dict]:
    """Per category: households registered in the scope's villages, those of
    them with a member seen, and all households seen (from anywhere)."""
    return _q(
        store,
        scope,
        """
        SELECT category, sum(here) AS registered, sum(here AND seen) AS served_here,
               sum(seen) AS served
        FROM (
            SELECT h.category, 1 AS here, h.id IN (SELECT id FROM scope_households) AS seen
            FROM scope_villages sv JOIN households h ON h.village_id = sv.village_id
            UNION ALL
            SELECT h.category, 0, 1 FROM scope_households s JOIN households h ON h.id = s.id
            WHERE h.village_id NOT IN (SELECT village_id FROM scope_villages)
        )
        GROUP BY category
    """,
    )


def people_by_category(store: Store, scope: Scope) -> dict[str, int]:
    """Distinct people seen, by their household's category (no household: '')."""
    rows = _q(
        store,
        scope,
        """
        SELECT coalesce(h.category, '') AS category, count(DISTINCT v.person_id) AS people
        FROM scope_visits v
        LEFT JOIN households h ON h.id = v.household_id
        GROUP BY coalesce(h.category, '')
    """,
    )
    return {r["category"]: r["people"] for r in rows}


def people_by_tag(store: Store, scope: Scope) -> dict[str, int]:
    rows = _q(
        store,
        scope,
        """
        , seen AS (SELECT DISTINCT v.person_id AS id FROM scope_visits v)
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
        , seen AS (SELECT DISTINCT v.person_id AS id FROM scope_visits v)
        SELECT c.code, c.name_zh, c.name_en, count(*) AS people
        FROM person_conditions pc JOIN seen ON seen.id = pc.person_id JOIN conditions c ON c.code = pc.condition_code
        GROUP BY c.code ORDER BY c.sort_order, c.code
    """,
    )


def visit_flags(store: Store, scope: Scope) -> list[dict]:
    """One row per (visit, flag code) on the held days: a visit may carry
    several flags, stored ';'-separated. The only place flags are split."""
    return _q(
        store,
        scope,
        """
        , split(visit_id, flag, rest) AS (
            SELECT v.id, '', v.flags || ';' FROM scope_visits v WHERE v.flags != ''
            UNION ALL
            SELECT visit_id, trim(substr(rest, 1, instr(rest, ';') - 1)), substr(rest, instr(rest, ';') + 1)
            FROM split WHERE rest != ''
        )
        SELECT DISTINCT visit_id, flag FROM split WHERE flag != '' ORDER BY visit_id, flag
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
        FROM scope_visits v
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
        SELECT count(DISTINCT v.person_id) FROM scope_visits v
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
        FROM scope_visits v
        WHERE v.referral_to IS NOT NULL AND trim(v.referral_to) != ''
        GROUP BY trim(v.referral_to) ORDER BY visits DESC, destination
    """,
    )


def volunteers_served(store: Store, scope: Scope) -> list[dict]:
    """One row per volunteer who served (assignment marked attended) on the
    held days: days, hours (typed, or the day's planned length when not
    typed), how many of those days had no typed hours, first and last day.

    The report's volunteers and hours, the volunteer-hours export and the
    end-of-day summary's team are all these rows."""
    return _q(
        store,
        scope,
        f"""
        SELECT vol.id AS volunteer_id, vol.name, vol.phone, vol.specialty_code, vol.uid,
               min(a.role) AS role,
               o.id AS organisation_id, o.short_name, o.name_zh, o.name_en,
               count(*) AS days,
               round(sum(coalesce(a.hours, {DAY_HOURS_SQL})), 2) AS hours,
               sum(a.hours IS NULL) AS untyped,
               min(d.date) AS first_day, max(d.date) AS last_day
        FROM days d JOIN assignments a ON a.clinic_day_id = d.id AND a.status = '{SERVED_STATUS}'
        JOIN volunteers vol ON vol.id = a.volunteer_id
        LEFT JOIN organisations o ON o.id = vol.organisation_id
        GROUP BY vol.id
        ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name, vol.name, vol.id
    """,
    )


def signed_up_not_attended(store: Store, scope: Scope) -> list[dict]:
    """Volunteers still invited or confirmed on a held day: they are not
    counted as having served (nobody marked them attended or no-show)."""
    return _q(
        store,
        scope,
        """
        SELECT a.id AS assignment_id, d.id AS day_id, d.date, vol.id AS volunteer_id, vol.name,
               a.role, a.status
        FROM days d JOIN assignments a ON a.clinic_day_id = d.id AND a.status IN ('invited', 'confirmed')
        JOIN volunteers vol ON vol.id = a.volunteer_id
        ORDER BY d.date, vol.name
    """,
    )


# -- health talks (健康讲座) ------------------------------------------------------

# One talk row of the held days: its day, topic, speaker and the speaker's organisation.
_TALKS_FROM = """
        FROM days d JOIN health_talks t ON t.clinic_day_id = d.id
        JOIN volunteers vol ON vol.id = t.speaker_id
        LEFT JOIN organisations o ON o.id = vol.organisation_id
"""


def talk_rows(store: Store, scope: Scope) -> list[dict]:
    """Every health talk held on the scope's held days (a talk on a day not
    held counts nowhere, like a visit): the report's talks and the talks export."""
    return _q(
        store,
        scope,
        """
        SELECT t.id, t.uid, d.id AS day_id, d.date, tw.name AS township, vi.name AS village,
               org.short_name AS organiser, trim(t.topic) AS topic, vol.name AS speaker,
               o.short_name, t.attendees, t.materials
        """
        + _TALKS_FROM
        + """
        JOIN villages vi ON vi.id = d.village_id JOIN townships tw ON tw.id = vi.township_id
        LEFT JOIN organisations org ON org.id = d.organisation_id
        ORDER BY d.date, d.id, t.id
    """,
    )


def talks_by_topic(store: Store, scope: Scope) -> list[dict]:
    """Talks and attendees per topic (the topic as typed, spaces trimmed)."""
    return _q(
        store,
        scope,
        "SELECT trim(t.topic) AS topic, count(*) AS talks, sum(t.attendees) AS attendees"
        + _TALKS_FROM
        + "GROUP BY trim(t.topic) ORDER BY talks DESC, attendees DESC, topic",
    )


def talks_by_organisation(store: Store, scope: Scope) -> list[dict]:
    """Talks and attendees per organisation of the speaker (the party that gave the talk)."""
    return _q(
        store,
        scope,
        "SELECT o.short_name, count(*) AS talks, sum(t.attendees) AS attendees"
        + _TALKS_FROM
        + "GROUP BY vol.organisation_id "
        "ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name",
    )


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
        LEFT JOIN scope_visits v ON v.clinic_day_id = d.id
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
        FROM days d LEFT JOIN scope_visits v ON v.clinic_day_id = d.id
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
        , hh AS (
            SELECT village_id, count(*) AS registered, sum(seen) AS served,
                   sum(poor) AS registered_poor, sum(poor AND seen) AS served_poor
            FROM (SELECT h.village_id, h.category != 'ordinary' AS poor,
                         h.id IN (SELECT id FROM scope_households) AS seen
                  FROM scope_villages sv JOIN households h ON h.village_id = sv.village_id)
            GROUP BY village_id
        ),
        dv AS (
            SELECT d.village_id, count(DISTINCT d.id) AS days, count(v.id) AS visits,
                   count(DISTINCT v.person_id) AS people, max(d.date) AS last_day
            FROM days d LEFT JOIN scope_visits v ON v.clinic_day_id = d.id GROUP BY d.village_id
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


# -- places of a clinic day -------------------------------------------------------


def role_places(store: Store, day_id: int) -> list[dict]:
    """Per role of a clinic day: places needed and volunteers filling them
    (:data:`FILLS_PLACE`), including roles nobody asked for."""
    return store.query(
        f"""
        WITH roles AS (
            SELECT specialty_code AS role FROM clinic_day_needs WHERE clinic_day_id = ?1
            UNION SELECT role FROM assignments WHERE clinic_day_id = ?1 AND status IN {FILLS_PLACE_SQL}
        )
        SELECT r.role,
               coalesce((SELECT count FROM clinic_day_needs n
                         WHERE n.clinic_day_id = ?1 AND n.specialty_code = r.role), 0) AS needed,
               (SELECT count(*) FROM assignments a WHERE a.clinic_day_id = ?1 AND a.role = r.role
                   AND a.status IN {FILLS_PLACE_SQL}) AS assigned
        FROM roles r LEFT JOIN specialties s ON s.code = r.role
        ORDER BY needed = 0, s.sort_order, r.role
    """,
        [day_id],
    )


# -- follow-ups -------------------------------------------------------------------

# A follow-up is open when the person's latest visit (on a day not cancelled)
# asked for one; the person belongs to their own village, else their
# household's, else the village of that visit's clinic day.
OPEN_FOLLOW_UPS_CTE = """
    latest AS (
        SELECT v.*, row_number() OVER (
            PARTITION BY v.person_id ORDER BY dd.date DESC, v.arrived_at DESC, v.id DESC) AS rn
        FROM visits v JOIN clinic_days dd ON dd.id = v.clinic_day_id WHERE dd.status != 'cancelled'
    ),
    lv AS (SELECT * FROM latest WHERE rn = 1 AND follow_up_due IS NOT NULL),
    open_follow_ups AS (
        SELECT lv.id AS visit_id, lv.person_id, lv.follow_up_due, lv.clinic_day_id,
               coalesce(p.village_id, h.village_id, d.village_id) AS village_id
        FROM lv JOIN persons p ON p.id = lv.person_id
        JOIN clinic_days d ON d.id = lv.clinic_day_id
        LEFT JOIN households h ON h.id = p.household_id
    )
"""


def follow_up_counts(store: Store, today: str, due_by: str) -> list[dict]:
    """Per village: open follow-ups due by ``due_by`` (overdue ones
    included) and those overdue (due before ``today``)."""
    return store.query(
        "WITH "
        + OPEN_FOLLOW_UPS_CTE
        + """
        SELECT village_id, sum(follow_up_due <= ?2) AS due, sum(follow_up_due < ?1) AS overdue
        FROM open_follow_ups GROUP BY village_id
    """,
        [today, due_by],
    )
