"""A year in numbers (issue 5): built from raw records, the report states exactly its figures."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.core.errors import FieldError, NotFoundError
from clinic.core.reports import ReportFilters, build_report

YEAR = ReportFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), orgs=("民进",))


def test_the_year_in_numbers(year_store, year_facts):
    r = build_report(year_store, YEAR).as_dict()
    # The shape the programme reported: 20 villages, 300+ registered households
    # served (low-income and disabled among them), 500+ health prescriptions.
    assert (
        year_facts.villages == 20
        and year_facts.households_served > 300
        and year_facts.prescriptions > 500
    )
    assert r["clinic_days"] == {"held": 20, "cancelled": 1, "planned": 1}
    assert len(r["by_village"]) == 20
    assert r["visits"] == year_facts.visits == 401
    assert r["people"] == year_facts.people == 401
    assert r["people_detail"] == {"men": 320, "women": 81, "walk_ins": 1, "without_household": 1}
    h = r["households"]
    assert h["served"] == year_facts.households_served == 320
    assert h["registered"] == year_facts.households_registered == 400
    assert h["coverage_pct"] == 80.0
    by_cat = {c["category"]: c for c in h["by_category"]}
    for cat, served in year_facts.served_by_category.items():
        assert by_cat[cat]["served"] == served
        assert by_cat[cat]["registered"] == year_facts.registered_by_category[cat]
    assert by_cat["dibao"]["served"] == 80 and by_cat["dibao"]["coverage_pct"] == 100.0
    # People: every head of a served household, and the spouse in every fourth.
    assert {c: by_cat[c]["people"] for c in by_cat} == {
        "lifted": 120 + 40,
        "monitored": 40,
        "dibao": 80 + 20,
        "tekun": 20 + 20,
        "ordinary": 60,
    }
    assert (
        sum(c["people"] for c in h["by_category"]) + r["people_detail"]["without_household"]
        == r["people"]
    )
    assert by_cat["ordinary"]["coverage_pct"] == round(100 * 60 / 140, 1)
    assert h["served_poor"] == 260 and h["registered_poor"] == 260
    tags = {t["tag"]: t["people"] for t in r["tags"]}
    assert tags == {
        "disabled": year_facts.disabled_seen,
        "left_behind_elderly": year_facts.left_behind_seen,
        "family_doctor": year_facts.family_doctor_seen,
    }
    assert tags["disabled"] == 80 and tags["left_behind_elderly"] == 20
    assert {f["flag"]: f["visits"] for f in r["flags"]} == year_facts.flags
    rx = r["prescriptions"]
    assert rx["total"] == year_facts.prescriptions == 660
    assert {
        c["condition"]: c["handouts"] for c in rx["by_condition"]
    } == year_facts.prescriptions_by_condition
    assert rx["people"] == 400
    assert r["referrals"] == {
        "total": 20,
        "by_destination": [{"destination": "中峰镇卫生院", "visits": 20}],
    }
    v = r["volunteers"]
    assert v["people"] == year_facts.volunteers and v["hours"] == year_facts.hours == 310.0
    assert [(o["organisation"], o["volunteers"], o["hours"]) for o in v["by_organisation"]] == [
        ("民进綦江区委会", 5, 310.0)
    ]
    assert [
        (o["organisation"], o["days"], o["visits"], o["people"], o["handouts"])
        for o in r["by_organiser"]
    ] == [("民进綦江区委会", 20, 401, 401, 660)]
    assert sum(m["people"] for m in r["by_month"]) == 401
    assert [m["month"] for m in r["by_month"]] == [f"2025-{m:02d}" for m in range(1, 11)]


def test_filters_narrow_the_report(year_store, year_facts):
    everything = build_report(year_store).as_dict()
    # The other organisation's day in 2026 (one visit by the walk-in) counts without filters.
    assert everything["clinic_days"]["held"] == 21 and everything["visits"] == 402
    assert everything["people"] == 401  # the walk-in came twice
    other = build_report(year_store, ReportFilters(orgs=("民盟",))).as_dict()
    assert other["clinic_days"]["held"] == 1 and other["visits"] == 1
    assert other["households"]["registered"] == 20 and other["households"]["served"] == 0
    village = build_report(
        year_store,
        ReportFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), villages=("中峰镇/龙山村",)),
    ).as_dict()
    assert village["clinic_days"]["held"] == 1
    assert village["households"] | {"by_category": None} == {
        "served": 16,
        "registered": 20,
        "served_registered": 16,
        "coverage_pct": 80.0,
        "served_poor": 13,
        "registered_poor": 13,
        "coverage_poor_pct": 100.0,
        "by_category": None,
    }
    township = build_report(
        year_store, ReportFilters(villages=("中峰镇",), date_to=dt.date(2025, 12, 31))
    ).as_dict()
    assert township["clinic_days"]["held"] == 5 and township["households"]["registered"] == 100
    nothing = build_report(
        year_store, ReportFilters(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    ).as_dict()
    assert nothing["visits"] == 0 and nothing["households"]["coverage_pct"] is None


def test_bad_filters(year_store, year_facts):
    with pytest.raises(NotFoundError):
        build_report(year_store, ReportFilters(villages=("没有村",)))
    with pytest.raises(NotFoundError):
        build_report(year_store, ReportFilters(orgs=("nobody",)))
    with pytest.raises(FieldError):
        build_report(year_store, ReportFilters(dt.date(2025, 2, 1), dt.date(2025, 1, 1)))


def test_empty_database(store):
    r = build_report(store).as_dict()
    assert r["visits"] == 0 and r["clinic_days"]["held"] == 0
    assert r["volunteers"] == {
        "people": 0,
        "hours": 0.0,
        "hours_not_typed": 0,
        "not_marked": 0,
        "by_organisation": [],
    }
