"""The report's figures for a scope: the counts of clinic days, visits, people
and households, coverage by category, tags, flags, prescriptions, referrals,
volunteers and hours, read from the one definition of each figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clinic.core.categories import CATEGORIES, TAGS, category_label, tag_label
from clinic.core.figures import flag_figures, talk_figures, volunteer_figures
from clinic.core.reports.filters import ReportFilters, resolve
from clinic.i18n import _, pick
from clinic.store import Store
from clinic.store import figures as q
from clinic.store.rules import Scope, materialised


def percent(part: int, whole: int, digits: int = 1) -> float | None:
    """``part`` of ``whole`` in percent, rounded half up (9/16 = 56.25 is 56.3,
    as a coordinator rounds by hand; float's round() gives 56.2); None when
    ``whole`` is 0. The one rounding of every percentage shown or exported."""
    if not whole:
        return None
    exact = Decimal(100) * Decimal(part) / Decimal(whole)
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percent_text(value: float | None, digits: int = 1) -> str:
    """A :func:`percent` (rounded to ``digits``) as shown: "56.3%", "-" for none."""
    return "-" if value is None else f"{value:.{digits}f}%"


@dataclass
class Report:
    """Every figure of the report; ``as_dict()`` is what ``--json`` prints."""

    filters: dict[str, Any]
    days: dict[str, int]
    visits: int
    people: int
    people_detail: dict[str, int]
    households: dict[str, Any]
    tags: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    flagged_visits: dict[str, int]
    prescriptions: dict[str, Any]
    referrals: dict[str, Any]
    volunteers: dict[str, Any]
    by_organiser: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_village: list[dict[str, Any]] = field(default_factory=list)
    talks: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "clinic_days": self.days,
            "visits": self.visits,
            "people": self.people,
            "people_detail": self.people_detail,
            "households": self.households,
            "tags": self.tags,
            "conditions": self.conditions,
            "flags": self.flags,
            "flagged_visits": self.flagged_visits,
            "prescriptions": self.prescriptions,
            "referrals": self.referrals,
            "volunteers": self.volunteers,
            "talks": self.talks,
            "by_organiser": self.by_organiser,
            "by_month": self.by_month,
            "by_village": self.by_village,
        }


def _flag_label(code: str) -> str:
    try:
        from clinic.core.vitals import flag_label
    except ImportError:  # pragma: no cover - the desk area not installed
        return code
    return flag_label(code)


def build_report(store: Store, filters: ReportFilters | None = None) -> Report:
    """Compute the report for ``filters`` (all held days when None)."""
    filters = filters or ReportFilters()
    return report_for_scope(store, resolve(store, filters), filters.describe())


def report_for_scope(store: Store, scope: Scope, described: dict[str, Any]) -> Report:
    """The report for already resolved filters (``described`` is echoed in it).

    Its figures read the scope's rows written once for the report
    (:func:`clinic.store.figures.materialised`), not the whole database each."""
    with materialised(store, scope) as scoped:
        return _report(store, scoped, described)


def _report(store: Store, scope: Scope, described: dict[str, Any]) -> Report:
    counts = q.visit_counts(store, scope)

    by_cat = {r["category"]: r for r in q.households_by_category(store, scope)}
    people_cat = q.people_by_category(store, scope)
    categories: list[dict[str, Any]] = []
    for code in CATEGORIES:
        row = by_cat.get(code, {})
        registered = row.get("registered") or 0
        served_here = row.get("served_here") or 0
        categories.append(
            {
                "category": code,
                "label": category_label(code),
                "registered": registered,
                "served": row.get("served") or 0,
                "served_registered": served_here,
                "coverage_pct": percent(served_here, registered),
                "people": people_cat.get(code, 0),
            }
        )
    registered = sum(c["registered"] for c in categories)
    served_here = sum(c["served_registered"] for c in categories)
    poor = [c for c in categories if c["category"] != "ordinary"]
    households = {
        "served": counts["households"],
        "registered": registered,
        "served_registered": served_here,
        "coverage_pct": percent(served_here, registered),
        "served_poor": sum(c["served"] for c in poor),
        "registered_poor": sum(c["registered"] for c in poor),
        "coverage_poor_pct": percent(
            sum(c["served_registered"] for c in poor), sum(c["registered"] for c in poor)
        ),
        "by_category": categories,
    }

    tag_counts = q.people_by_tag(store, scope)
    tags = [{"tag": t, "label": tag_label(t), "people": tag_counts.get(t, 0)} for t in TAGS]
    conditions = [
        {"condition": r["code"], "label": pick(r["name_zh"], r["name_en"]), "people": r["people"]}
        for r in q.people_by_condition(store, scope)
    ]
    flag_counts, flagged = flag_figures(store, scope)
    flags = [dict(f, label=_flag_label(f["flag"])) for f in flag_counts]
    by_condition = [
        {
            "condition": r["code"],
            "label": pick(r["name_zh"], r["name_en"])
            if r["name_zh"]
            else pick(r["title_zh"], r["title_en"]),
            "handouts": r["handouts"],
            "people": r["people"],
        }
        for r in q.handouts_by_condition(store, scope)
    ]
    prescriptions = {
        "total": sum(r["handouts"] for r in by_condition),
        "people": q.handout_people(store, scope),
        "by_condition": by_condition,
    }
    destinations = [
        {"destination": r["destination"], "visits": r["visits"]}
        for r in q.referrals_by_destination(store, scope)
    ]
    referrals = {"total": counts["referrals"], "by_destination": destinations}

    volunteers = volunteer_figures(store, scope).as_dict()

    by_village = []
    for r in q.coverage_rows(store, scope):
        row = dict(r)
        row["coverage_pct"] = percent(r["served"], r["registered"])
        row["coverage_poor_pct"] = percent(r["served_poor"], r["registered_poor"])
        by_village.append(row)

    return Report(
        filters=described,
        days=q.day_counts(store, scope),
        visits=counts["visits"],
        people=counts["people"],
        people_detail={
            "men": counts["men"],
            "women": counts["women"],
            "walk_ins": counts["walk_ins"],
            "without_household": counts["people_without_household"],
        },
        households=households,
        tags=tags,
        conditions=conditions,
        flags=flags,
        flagged_visits=flagged,
        prescriptions=prescriptions,
        referrals=referrals,
        volunteers=volunteers,
        by_organiser=[
            {
                "organisation": r["short_name"] or "",
                "label": r["short_name"] or _("No organisation"),
                "days": r["days"],
                "visits": r["visits"],
                "people": r["people"],
                "handouts": r["handouts"],
            }
            for r in q.by_organiser(store, scope)
        ],
        by_month=q.by_month(store, scope),
        by_village=by_village,
        talks=talk_figures(store, scope),
    )
