"""Every figure the app shows, counted once: the SQL behind home, F5, F7,
F8, F9, the CLI's reports and the exports (issue 9, "one truth").

A figure is a count over a *scope*: a period, villages, organising
organisations, or a single clinic day (:class:`clinic.store.rules.Scope`).
Every figure starts from the same set of days,
:func:`clinic.store.rules.scope_cte`: the days *held* in the scope. The
rules themselves (what is held, who served, how many hours, which places are
filled, which follow-ups are open) are the SQL fragments of
:mod:`clinic.store.rules`, each written once; docs/figures.md says them in
words. ``clinic.core.figures`` turns these rows into the figures the screens
and commands show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clinic.store.connection import Store
from clinic.store.rules import (
    DAY_HOURS_SQL,
    FILLS_PLACE_SQL,
    OPEN_FOLLOW_UPS_CTE,
    SERVED_STATUS,
    Scope,
    day_filters,
    ids_in_text,
    scope_query,
    scope_scalar,
)

# -- figures -------------------------------------------------------------------


def day_counts(store: Store, scope: Scope) -> dict[str, int]:
    """Held days in scope, and the planned/cancelled days matching the same
    filters (they are not "held" but a coordinator wants to see them)."""
    held = scope_scalar(store, scope, "SELECT count(*) FROM days") or 0
    where, params = day_filters(scope)
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
    return scope_query(
        store,
        scope,
        """
        , per_visit AS (
            SELECT count(*) AS visits,
                   count(CASE WHEN v.referral_to IS NOT NULL AND trim(v.referral_to) != '' THEN 1 END) AS referrals,
                   count(CASE WHEN v.flags != '' THEN 1 END) AS flagged_visits,
                   count(CASE WHEN v.follow_up_due IS NOT NULL THEN 1 END) AS follow_ups
            FROM scope_visits v
        ),
        per_person AS (
            SELECT count(*) AS people,
                   count(CASE WHEN p.household_id IS NULL THEN 1 END) AS people_without_household,
                   count(CASE WHEN p.walk_in = 1 THEN 1 END) AS walk_ins,
                   count(CASE WHEN p.sex = 'M' THEN 1 END) AS men,
                   count(CASE WHEN p.sex = 'F' THEN 1 END) AS women
            FROM scope_people p
        )
        SELECT per_visit.*, per_person.*, (SELECT count(*) FROM scope_households) AS households
        FROM per_visit, per_person
    """,
    )[0]


def visit_states(store: Store, scope: Scope) -> dict[str, int]:
    """Visits on the held days finished (``seen``) and not finished yet (drafts)."""
    row = scope_query(
        store,
        scope,
        """SELECT coalesce(sum(v.state = 'done'), 0) AS seen, coalesce(sum(v.state != 'done'), 0) AS not_done
           FROM scope_visits v""",
    )[0]
    return {"seen": row["seen"], "not_done": row["not_done"]}


def households_by_category(store: Store, scope: Scope) -> list[dict]:
    """Per category: households registered in the scope's villages, those of
    them with a member seen, and all households seen (from anywhere)."""
    return scope_query(
        store,
        scope,
        """
        SELECT category, sum(registered) AS registered, sum(served_here) AS served_here,
               sum(served) AS served
        FROM (
            SELECT h.category, count(*) AS registered, 0 AS served_here, 0 AS served
            FROM scope_villages sv JOIN households h ON h.village_id = sv.village_id
            GROUP BY h.category
            UNION ALL
            SELECT s.category, 0,
                   count(CASE WHEN s.village_id IN (SELECT village_id FROM scope_villages) THEN 1 END),
                   count(*)
            FROM scope_households s GROUP BY s.category
        )
        GROUP BY category
    """,
    )


def people_by_category(store: Store, scope: Scope) -> dict[str, int]:
    """Distinct people seen, by their household's category (no household: '')."""
    rows = scope_query(
        store,
        scope,
        """
        SELECT coalesce(h.category, '') AS category, count(*) AS people
        FROM scope_people p
        LEFT JOIN households h ON h.id = p.household_id
        GROUP BY coalesce(h.category, '')
    """,
    )
    return {r["category"]: r["people"] for r in rows}


def people_by_tag(store: Store, scope: Scope) -> dict[str, int]:
    rows = scope_query(
        store,
        scope,
        """
        SELECT t.tag, count(*) AS people FROM person_tags t JOIN scope_people seen ON seen.id = t.person_id
        GROUP BY t.tag
        UNION ALL
        SELECT 'family_doctor', count(*) FROM persons p JOIN scope_people seen ON seen.id = p.id
        WHERE p.family_doctor = 1
    """,
    )
    return {r["tag"]: r["people"] for r in rows}


def people_by_condition(store: Store, scope: Scope) -> list[dict]:
    """People seen by chronic condition on record (what the register says)."""
    return scope_query(
        store,
        scope,
        """
        SELECT c.code, c.name_zh, c.name_en, count(*) AS people
        FROM person_conditions pc JOIN scope_people seen ON seen.id = pc.person_id JOIN conditions c ON c.code = pc.condition_code
        GROUP BY c.code ORDER BY c.sort_order, c.code
    """,
    )


# (visit, flag code) pairs of the held days: a visit may carry several flags,
# stored ';'-separated. The only place flags are split.
_VISIT_FLAGS_CTE = """
        , split(visit_id, flag, rest) AS (
            SELECT v.id, '', v.flags || ';' FROM scope_visits v WHERE v.flags != ''
            UNION ALL
            SELECT visit_id, trim(substr(rest, 1, instr(rest, ';') - 1)), substr(rest, instr(rest, ';') + 1)
            FROM split WHERE rest != ''
        ),
        visit_flags AS MATERIALIZED (SELECT DISTINCT visit_id, flag FROM split WHERE flag != '')
"""


def visit_flags(store: Store, scope: Scope) -> list[dict]:
    """One row per (visit, flag code) on the held days."""
    return scope_query(
        store,
        scope,
        _VISIT_FLAGS_CTE + "SELECT visit_id, flag FROM visit_flags ORDER BY visit_id, flag",
    )


def flag_counts(store: Store, scope: Scope, urgent: Sequence[str]) -> dict[str, Any]:
    """Visits per flag code (``per_flag``: rows of flag, visits), visits with
    any flag (``flagged``) and those with one of the ``urgent`` codes
    (``urgent``), counted in SQL: a year has tens of thousands of flags."""
    rows = scope_query(
        store,
        scope,
        _VISIT_FLAGS_CTE
        + f"""
        SELECT flag, count(*) AS visits, NULL AS urgent FROM visit_flags GROUP BY flag
        UNION ALL
        SELECT NULL, count(DISTINCT visit_id),
               count(DISTINCT CASE WHEN {ids_in_text("flag", urgent)} THEN visit_id END)
        FROM visit_flags
    """,
    )
    totals = next(r for r in rows if r["flag"] is None)
    return {
        "per_flag": [r for r in rows if r["flag"] is not None],
        "flagged": totals["visits"],
        "urgent": totals["urgent"],
    }


def handouts_by_condition(store: Store, scope: Scope) -> list[dict]:
    """Health prescriptions given and people given one, per condition of the
    template (a template without a condition counts under its own code)."""
    return scope_query(
        store,
        scope,
        """
        , per_code AS (
            SELECT h.code, count(*) AS handouts, count(DISTINCT h.person_id) AS people
            FROM scope_handouts h GROUP BY h.code
        ),
        titles AS (
            SELECT coalesce(t.condition_code, t.code) AS code,
                   min(t.title_zh) AS title_zh, min(t.title_en) AS title_en
            FROM prescription_templates t
            WHERE t.id IN (SELECT DISTINCT template_id FROM scope_handouts)
            GROUP BY 1
        )
        SELECT g.code, c.name_zh, c.name_en, ti.title_zh, ti.title_en, g.handouts, g.people
        FROM per_code g JOIN titles ti ON ti.code = g.code
        LEFT JOIN conditions c ON c.code = g.code
        ORDER BY g.handouts DESC, g.code
    """,
    )


def handout_people(store: Store, scope: Scope) -> int:
    return (
        scope_scalar(
            store,
            scope,
            """
        SELECT count(DISTINCT h.person_id) FROM scope_handouts h""",
        )
        or 0
    )


def referrals_by_destination(store: Store, scope: Scope) -> list[dict]:
    return scope_query(
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
    return scope_query(
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
    return scope_query(
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
    return scope_query(
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
    return scope_query(
        store,
        scope,
        "SELECT trim(t.topic) AS topic, count(*) AS talks, sum(t.attendees) AS attendees"
        + _TALKS_FROM
        + "GROUP BY trim(t.topic) ORDER BY talks DESC, attendees DESC, topic",
    )


def talks_by_organisation(store: Store, scope: Scope) -> list[dict]:
    """Talks and attendees per organisation of the speaker (the party that gave the talk)."""
    return scope_query(
        store,
        scope,
        "SELECT o.short_name, count(*) AS talks, sum(t.attendees) AS attendees"
        + _TALKS_FROM
        + "GROUP BY vol.organisation_id "
        "ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name",
    )


def by_organiser(store: Store, scope: Scope) -> list[dict]:
    """Per organising organisation: days held, visits, people, prescriptions."""
    return scope_query(
        store,
        scope,
        """
        , per_org AS (
            SELECT d.organisation_id, count(DISTINCT d.id) AS days,
                   count(v.id) AS visits, count(DISTINCT v.person_id) AS people
            FROM days d LEFT JOIN scope_visits v ON v.clinic_day_id = d.id
            GROUP BY d.organisation_id
        ),
        org_handouts AS (
            SELECT d.organisation_id,
                   sum((SELECT count(*) FROM scope_handouts h WHERE h.clinic_day_id = d.id)) AS handouts
            FROM days d GROUP BY d.organisation_id
        )
        SELECT o.short_name, o.name_zh, o.name_en, g.days, g.visits, g.people,
               coalesce(oh.handouts, 0) AS handouts
        FROM per_org g LEFT JOIN organisations o ON o.id = g.organisation_id
        LEFT JOIN org_handouts oh ON oh.organisation_id IS g.organisation_id
        ORDER BY o.sort_order IS NULL, o.sort_order, o.short_name
    """,
    )


def by_month(store: Store, scope: Scope) -> list[dict]:
    return scope_query(
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
    return scope_query(
        store,
        scope,
        """
        , hh AS (
            SELECT village_id, sum(registered) AS registered, sum(served) AS served,
                   sum(registered_poor) AS registered_poor, sum(served_poor) AS served_poor
            FROM (
                SELECT h.village_id, count(*) AS registered, 0 AS served,
                       count(CASE WHEN h.category != 'ordinary' THEN 1 END) AS registered_poor,
                       0 AS served_poor
                FROM scope_villages sv JOIN households h ON h.village_id = sv.village_id
                GROUP BY h.village_id
                UNION ALL
                SELECT s.village_id, 0, count(*), 0,
                       count(CASE WHEN s.category != 'ordinary' THEN 1 END)
                FROM scope_households s
                WHERE s.village_id IN (SELECT village_id FROM scope_villages)
                GROUP BY s.village_id
            )
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
