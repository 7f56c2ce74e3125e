"""The four charts of the coordinator's year-end pack, defined once.

The workbook draws them as native Excel charts (:mod:`.pack`) and the printable
summary as SVG (:mod:`.summary`); both take their titles, axis titles and
values from :func:`report_charts`, so the two never disagree, and the values
are the report's own (:func:`clinic.core.reports.build_report`, the figures of
``clinic report --json``).
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic.core.reports import Report
from clinic.i18n import _


@dataclass(frozen=True)
class Chart:
    """One chart: what it shows, its axes, its categories and values."""

    key: str  # stable: people_by_month, coverage_by_village, prescriptions, hours
    kind: str  # line | bar | pie
    title: str
    x_title: str
    y_title: str
    labels: list[str]
    values: list[float | int | None]


def report_charts(report: Report) -> list[Chart]:
    """People served per month, coverage per village, prescriptions by condition
    and hours by organisation, in the current language."""
    return [
        Chart(
            "people_by_month",
            "line",
            _("People served per month"),
            _("Month"),
            _("People"),
            [m["month"] for m in report.by_month],
            [m["people"] for m in report.by_month],
        ),
        Chart(
            "coverage_by_village",
            "bar",
            _("Coverage per village"),
            _("Village"),
            _("Households served of those registered (%)"),
            [f"{v['township']} {v['village']}" for v in report.by_village],
            [v["coverage_pct"] for v in report.by_village],
        ),
        Chart(
            "prescriptions",
            "bar",
            _("Health prescriptions by condition"),
            _("Condition"),
            _("Health prescriptions"),
            [c["label"] for c in report.prescriptions["by_condition"]],
            [c["handouts"] for c in report.prescriptions["by_condition"]],
        ),
        Chart(
            "hours",
            "bar",
            _("Volunteer hours by organisation"),
            _("Organisation"),
            _("Hours"),
            [o["label"] for o in report.volunteers["by_organisation"]],
            [o["hours"] for o in report.volunteers["by_organisation"]],
        ),
    ]
