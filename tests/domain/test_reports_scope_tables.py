"""A report reads its scope from temporary tables written once
(:func:`clinic.store.rules.materialised`); every figure must say the same as
when each query finds the scope itself (the CTE of
:func:`clinic.store.rules.scope_cte`), for every kind of scope (issue 12)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from clinic.core.figures import day_scope, flag_figures
from clinic.core.reports import ReportFilters, resolve
from clinic.core.reports.building import _report, report_for_scope
from clinic.core.vitals import FLAG_LEVEL
from clinic.store import figures as q
from clinic.store.rules import Scope


def _scopes(store) -> list[Scope]:
    first = store.one("SELECT min(date) AS a, max(date) AS b FROM clinic_days")
    year = dt.date.fromisoformat(first["a"]).year
    village = store.one(
        "SELECT t.name || '/' || v.name AS name FROM clinic_days d JOIN villages v ON v.id = d.village_id "
        "JOIN townships t ON t.id = v.township_id "
        "WHERE EXISTS (SELECT 1 FROM visits WHERE clinic_day_id = d.id) LIMIT 1"
    )["name"]
    day = store.scalar("SELECT clinic_day_id FROM visits LIMIT 1")
    return [
        resolve(store, ReportFilters()),
        resolve(store, ReportFilters(dt.date(year, 1, 1), dt.date(year, 12, 31))),
        resolve(store, ReportFilters(villages=(village,))),
        day_scope(day),
        Scope(date_from="1900-01-01", date_to="1900-12-31"),  # nothing held
    ]


def test_the_scope_tables_give_every_figure_the_cte_gives(demo_store):
    for scope in _scopes(demo_store):
        written = report_for_scope(demo_store, scope, {}).as_dict()
        found = _report(demo_store, scope, {}).as_dict()
        assert written == found, scope


def test_the_edge_cases_give_the_same_figures_both_ways(edge):
    store, _path, _expected = edge
    for scope in _scopes(store):
        assert report_for_scope(store, scope, {}).as_dict() == _report(store, scope, {}).as_dict()


@pytest.mark.parametrize("scoped", [False, True])
def test_flags_counted_in_sql_match_the_flag_rows(demo_store, scoped):
    """Visits per flag and visits urgent/raised, counted from the (visit, flag)
    rows by hand: a visit with an urgent flag counts once, as urgent."""
    scope = resolve(demo_store, ReportFilters())
    rows = q.visit_flags(demo_store, scope)
    assert rows, "the demo has flagged visits"
    levels: dict[int, set[str]] = {}
    for r in rows:
        levels.setdefault(r["visit_id"], set()).add(FLAG_LEVEL.get(r["flag"], "raised"))
    urgent = sum(1 for found in levels.values() if "urgent" in found)
    per_flag = Counter(r["flag"] for r in rows)
    if scoped:
        from clinic.store.rules import materialised

        with materialised(demo_store, scope) as written:
            counts, flagged = flag_figures(demo_store, written)
    else:
        counts, flagged = flag_figures(demo_store, scope)
    assert {c["flag"]: c["visits"] for c in counts} == dict(per_flag)
    assert [c["visits"] for c in counts] == sorted((c["visits"] for c in counts), reverse=True)
    assert flagged == {"urgent": urgent, "raised": len(levels) - urgent}


def test_the_scope_tables_are_gone_after_the_report(demo_store):
    report_for_scope(demo_store, resolve(demo_store, ReportFilters()), {})
    left = demo_store.query(
        "SELECT name FROM temp.sqlite_master WHERE name LIKE 'm\\_%' ESCAPE '\\'"
    )
    assert left == []
