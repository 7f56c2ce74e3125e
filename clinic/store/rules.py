"""What counts, in SQL: the rules every figure, list and export applies
(which days were held, who served, how many hours, which places are filled,
which follow-ups are open), each written once, and the *scope* a figure is
counted over (:class:`Scope`, :func:`scope_cte`). docs/figures.md says them
in words; :mod:`clinic.store.figures` counts with them.
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


def ids_in(column: str, ids: Sequence[int]) -> str:
    return f"{column} IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"


def ids_in_text(column: str, codes: Sequence[str]) -> str:
    """``column IN ('a', 'b')`` for codes the app defines (quotes doubled)."""
    quoted = ", ".join("'" + str(c).replace("'", "''") + "'" for c in codes)
    return f"{column} IN ({quoted or 'NULL'})"


def day_filters(scope: Scope) -> tuple[list[str], list[Any]]:
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
        where.append(ids_in("d.village_id", scope.village_ids))
    if scope.org_ids is not None:
        where.append(ids_in("d.organisation_id", scope.org_ids))
    if scope.day_ids is not None:
        where.append(ids_in("d.id", scope.day_ids))
    return where, params


# Whose a visit is: the person it names (``persons seen``), or, for a person merged
# into another (a duplicate, clinic.core.merges: a visit on a day the kept person was
# seen too stays with the duplicate), the person kept. One level: a merge into a merged
# person is refused. Every figure, list and export that counts or lists persons by their
# visits resolves them so, with ``persons seen`` joined on the visit's person.
KEPT_PERSON_SQL = "coalesce(seen.merged_into, seen.id)"

# Visit ``v``'s person as every figure, list and export names them: ``p``, the
# person kept (``seen`` is the one the visit names).
VISIT_PERSON_JOIN = f"""JOIN persons seen ON seen.id = v.person_id
    JOIN persons p ON p.id = {KEPT_PERSON_SQL}"""

# The visits of the held days, with the columns of their person that figures
# count by: every visit figure reads these rows (``scope_visits v``). A visit of a
# duplicate counts as the kept person's (:data:`KEPT_PERSON_SQL`), so that person
# is counted once.
SCOPE_VISITS_SQL = f"""SELECT v.id, v.clinic_day_id, p.id AS person_id, v.state, v.flags,
           v.referral_to, v.follow_up_due, p.household_id, p.sex, p.walk_in
    FROM days d JOIN visits v ON v.clinic_day_id = d.id {VISIT_PERSON_JOIN}"""

# The people seen on those days, once each, with the columns figures count
# them by: every figure of distinct people reads these rows (``scope_people``)
# instead of finding the distinct persons among the visits again.
SCOPE_PEOPLE_SQL = """SELECT p.id, p.household_id, p.sex, p.walk_in FROM persons p
    WHERE p.id IN (SELECT person_id FROM scope_visits)"""

# The health prescriptions (handouts) given at those visits, with the visit's
# person and day: what the figures of prescriptions count (``scope_handouts``).
# ``code``: the condition of the template, or the template's own code when it
# has none; the figures count prescriptions by it.
SCOPE_HANDOUTS_SQL = """SELECT h.id, h.visit_id, h.template_id, v.person_id, v.clinic_day_id,
           coalesce(t.condition_code, t.code) AS code
    FROM scope_visits v JOIN handouts h ON h.visit_id = v.id
    JOIN prescription_templates t ON t.id = h.template_id"""

# The households of the people seen on those days (a member seen = served),
# with the village and category coverage counts them by.
SCOPE_HOUSEHOLDS_SQL = """SELECT h.id, h.village_id, h.category FROM households h
    WHERE h.id IN (SELECT household_id FROM scope_people)"""

_SCOPE_TABLES = (
    "days",
    "scope_villages",
    "scope_visits",
    "scope_people",
    "scope_households",
    "scope_handouts",
)


def _scope_parts(scope: Scope) -> tuple[list[tuple[str, str]], list[Any]]:
    """The scope's names with their SELECTs, in order (each reads only names
    before it), and the parameters of the first (the days)."""
    where, params = day_filters(scope)
    where.append(HELD_SQL)
    if scope.all_villages:
        villages = "SELECT id AS village_id FROM villages"
    elif scope.village_ids is not None:
        villages = "SELECT id AS village_id FROM villages WHERE " + ids_in("id", scope.village_ids)
    else:
        villages = "SELECT DISTINCT village_id FROM days"
    parts = [
        ("days", "SELECT d.* FROM clinic_days d WHERE " + " AND ".join(where)),
        ("scope_villages", villages),
        ("scope_visits", SCOPE_VISITS_SQL),
        ("scope_people", SCOPE_PEOPLE_SQL),
        ("scope_households", SCOPE_HOUSEHOLDS_SQL),
        ("scope_handouts", SCOPE_HANDOUTS_SQL),
    ]
    return parts, params


def _written(names: Sequence[str]) -> list[str]:
    """CTE terms reading scope names already written into temporary tables.

    NOT MATERIALIZED: a name a query reads twice would otherwise be copied
    into yet another temporary table first (and lose the indexes of its own)."""
    return [f"{name} AS NOT MATERIALIZED (SELECT * FROM temp.m_{name})" for name in names]


def scope_cte(scope: Scope) -> tuple[str, list[Any]]:
    """``WITH days AS (...), scope_villages AS (...), scope_visits AS (...),
    scope_people AS (...), scope_households AS (...), scope_handouts AS (...)``
    and its parameters: the held days of the scope (:data:`HELD_SQL`), the
    villages it is about, the visits of its days (:data:`SCOPE_VISITS_SQL`),
    the people seen (:data:`SCOPE_PEOPLE_SQL`), the households served and the
    health prescriptions given (:data:`SCOPE_HANDOUTS_SQL`).

    ``scope_villages`` are the villages the report is about: those named by
    the filter, or else those where a counted clinic day was held; the
    households registered there are the denominator of coverage.
    """
    if scope.materialised:
        return "WITH " + ",\n".join(_written(_SCOPE_TABLES)) + "\n", []
    parts, params = _scope_parts(scope)
    return "WITH " + ",\n".join(f"{name} AS ({sql})" for name, sql in parts) + "\n", params


@contextmanager
def materialised(store: Store, scope: Scope) -> Iterator[Scope]:
    """The scope's days, villages, visits and households written once into
    temporary tables of this connection (``temp.m_days`` ...), for the length
    of the block.

    A report asks a dozen figures of one scope; without this each of them
    finds the scope's visits again among every visit of the database
    (bench/bench_report.py measures the difference). Each table is filled from
    the ones written before it, so the scope's visits are joined once. The
    figures' SQL is the same either way: only :func:`scope_cte` changes what
    the scope's names read.
    """
    if scope.materialised:
        yield scope
        return
    parts, params = _scope_parts(scope)
    conn = store.conn
    try:
        for index, (name, sql) in enumerate(parts):
            earlier = _written(_SCOPE_TABLES[:index])
            cte = ("WITH " + ", ".join(earlier) + " ") if earlier else ""
            conn.execute(f"DROP TABLE IF EXISTS temp.m_{name}")
            conn.execute(f"CREATE TEMP TABLE m_{name} AS {cte}{sql}", params if index == 0 else [])
            # Its size, for the planner of the next one (else it may scan every
            # visit to find the few days in scope).
            conn.execute(f"ANALYZE temp.m_{name}")
        # Only the lookups a figure makes: the visits and the prescriptions of
        # a day (per organiser, month, village).
        conn.execute(
            "CREATE INDEX temp.m_scope_visits_day ON m_scope_visits(clinic_day_id, person_id)"
        )
        conn.execute("CREATE INDEX temp.m_scope_handouts_day ON m_scope_handouts(clinic_day_id)")
        # The indexes' statistics too, or a figure may scan every handout of
        # the database to look up the few visits in scope.
        conn.execute("ANALYZE temp")
        yield replace(scope, materialised=True)
    finally:
        for name in _SCOPE_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS temp.m_{name}")


def scope_query(store: Store, scope: Scope, body: str, params: Sequence[Any] = ()) -> list[dict]:
    cte, cte_params = scope_cte(scope)
    return store.query(cte + body, [*cte_params, *params])


def scope_scalar(store: Store, scope: Scope, body: str) -> Any:
    cte, params = scope_cte(scope)
    return store.scalar(cte + body, params)


# -- follow-ups -------------------------------------------------------------------

# A follow-up is open when the person's latest visit (on a day not cancelled)
# asked for one; the person belongs to their own village, else their
# household's, else the village of that visit's clinic day. The visits of a
# duplicate merged into another are the kept person's (:data:`KEPT_PERSON_SQL`):
# the follow-up is theirs, and a merged duplicate has none.
OPEN_FOLLOW_UPS_CTE = f"""
    latest AS (
        SELECT v.*, {KEPT_PERSON_SQL} AS kept_id, row_number() OVER (
            PARTITION BY {KEPT_PERSON_SQL} ORDER BY dd.date DESC, v.arrived_at DESC, v.id DESC
        ) AS rn
        FROM visits v JOIN clinic_days dd ON dd.id = v.clinic_day_id
        JOIN persons seen ON seen.id = v.person_id
        WHERE dd.status != 'cancelled'
    ),
    lv AS (SELECT * FROM latest WHERE rn = 1 AND follow_up_due IS NOT NULL),
    open_follow_ups AS (
        SELECT lv.id AS visit_id, lv.kept_id AS person_id, lv.follow_up_due, lv.clinic_day_id,
               coalesce(p.village_id, h.village_id, d.village_id) AS village_id
        FROM lv JOIN persons p ON p.id = lv.kept_id
        JOIN clinic_days d ON d.id = lv.clinic_day_id
        LEFT JOIN households h ON h.id = p.household_id
    )
"""
