"""The report's charts as data: which figures each chart shows, labelled, in order.

Decided once here so every picture of a report (the F8 screen's plotext bars,
the year-end workbook's native Excel charts, the printable summary's SVG)
plots the same series from the same figures, under the same titles; the
values are the report's own (the figures of ``clinic report --json``), never
counted again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from clinic.core.reports.building import Report
from clinic.i18n import N_, _


@dataclass(frozen=True)
class ChartSeries:
    """One chart: a label and a value per point, and what the values count."""

    key: str
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str
    kind: str = "bar"  # bar | line (documents draw the months as a line)
    x_title: str = ""
    y_title: str = ""
    # What a bar's value stands for, where a percentage hides it ("24/74").
    details: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.values)


# key, title, unit, kind, axis titles (for documents, whose charts have axes titled)
CHARTS = (
    (
        "people_by_month",
        N_("People served per month"),
        N_("people"),
        "line",
        N_("Month"),
        N_("People"),
    ),
    (
        "coverage_by_village",
        N_("Coverage per village (households served / registered)"),
        "%",
        "bar",
        N_("Village"),
        N_("Households served of those registered (%)"),
    ),
    (
        "prescriptions_by_condition",
        N_("Health prescriptions by condition"),
        N_("handouts"),
        "bar",
        N_("Condition"),
        N_("Health prescriptions"),
    ),
    (
        "hours_by_organisation",
        N_("Volunteer hours by organisation"),
        N_("hours"),
        "bar",
        N_("Organisation"),
        N_("Hours"),
    ),
)


def village_labels(rows: list[dict]) -> list[str]:
    """The village's name, with its township where two townships have a village so named."""
    names = Counter(r["village"] for r in rows)
    return [
        r["village"] if names[r["village"]] == 1 else f"{r['township']} {r['village']}"
        for r in rows
    ]


def _points(report: Report, key: str) -> list[tuple[str, float, str]]:
    if key == "people_by_month":
        return [(m["month"], m["people"], "") for m in report.by_month]
    if key == "coverage_by_village":
        rows = report.by_village
        return [
            (label, r["coverage_pct"] or 0.0, f"{r['served']}/{r['registered']}")
            for label, r in zip(village_labels(rows), rows, strict=True)
        ]
    if key == "prescriptions_by_condition":
        return [(c["label"], c["handouts"], "") for c in report.prescriptions["by_condition"]]
    return [(o["label"], o["hours"], "") for o in report.volunteers["by_organisation"]]


def report_charts(report: Report) -> list[ChartSeries]:
    """The four charts of a report, titles and units in the user's language."""
    out = []
    for key, title, unit, kind, x_title, y_title in CHARTS:
        points = _points(report, key)
        out.append(
            ChartSeries(
                key=key,
                title=_(title),
                labels=tuple(p[0] for p in points),
                values=tuple(float(p[1]) for p in points),
                unit=_(unit),
                kind=kind,
                x_title=_(x_title),
                y_title=_(y_title),
                details=tuple(p[2] for p in points) if any(p[2] for p in points) else (),
            )
        )
    return out
