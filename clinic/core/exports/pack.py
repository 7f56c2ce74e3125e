"""The coordinator's year-end pack: one workbook with a summary sheet of native
Excel charts and one sheet per dataset.

Nothing here counts anything: the summary's figures and chart tables are the
report's (:func:`clinic.core.reports.build_report`, the figures of ``clinic
report --json``), the sheets are the export datasets' rows as ``clinic export
DATASET`` writes them (:func:`.delivery.dataset_rows`, masked unless asked),
each sheet written by :func:`clinic.core.tabular.add_sheet`, and the file goes
out through :func:`.delivery.deliver`: atomic, private, audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from clinic.core.exports.datasets import dataset
from clinic.core.exports.delivery import ExportResult, dataset_rows, deliver
from clinic.core.files import write_atomic
from clinic.core.reports import Report, ReportFilters, build_report, describe_filters
from clinic.core.reports.charts import ChartSeries, report_charts
from clinic.core.tabular import PROGRESS_EVERY, add_sheet, neutralise, sheet_name
from clinic.i18n import _
from clinic.store import Store

# The datasets of the pack, in the order of their sheets (after the summary).
PACK_DATASETS = (
    "report",
    "coverage",
    "visits",
    "handouts",
    "volunteer-hours",
    "follow-ups",
    "talks",
)

# Where the charts sit on the summary sheet: column E, one under the other,
# each 18 rows high (a chart is 7.5 cm x 15 cm).
CHART_COLUMN = "E"
CHART_ROWS = 18


def headline_figures(report: Report) -> list[tuple[str, float | int | None, bool]]:
    """The figures at the top of the summary (sheet and printed page alike):
    label, value, and whether it is a percentage."""
    h, v, t = report.households, report.volunteers, report.talks
    return [
        (_("Clinic days held"), report.days["held"], False),
        (_("Visits"), report.visits, False),
        (_("People seen"), report.people, False),
        (_("Households served"), h["served"], False),
        (_("Households registered in these villages"), h["registered"], False),
        (_("Coverage %"), h["coverage_pct"], True),
        (_("Coverage of poverty categories %"), h["coverage_poor_pct"], True),
        (_("Health prescriptions"), report.prescriptions["total"], False),
        (_("Referrals"), report.referrals["total"], False),
        (_("Volunteers"), v["people"], False),
        (_("Hours"), v["hours"], False),
        (_("Talks held"), t["total"], False),
        (_("Attendees"), t["attendees"], False),
    ]


def export_pack(
    store: Store,
    out: str | Path,
    *,
    filters: ReportFilters | None = None,
    unmasked: bool = False,
    actor: str = "",
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the pack to ``out`` (an .xlsx path); record it in the audit log.

    ``progress(n)`` is called with the rows written so far and may raise to
    cancel (the half-written file is removed)."""
    filters = filters or ReportFilters()
    report = build_report(store, filters)
    written = [0]

    def tick() -> None:
        written[0] += 1
        if progress is not None and written[0] % PROGRESS_EVERY == 0:
            progress(written[0])

    def fill(stream: IO[bytes]) -> None:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        summary_sheet(wb, report)
        for name in PACK_DATASETS:
            ds = dataset(name)
            rows = dataset_rows(store, name, filters, unmasked=unmasked, today=today, fmt="xlsx")
            add_sheet(wb, _(ds.title), ds.headers("xlsx"), rows, ds.text_columns(), tick)
        wb.save(stream)
        if progress is not None:
            progress(written[0])  # the last chance to cancel: before the file is in place

    def write(target: str | Path | IO) -> int:
        write_atomic(Path(str(target)), fill)
        return written[0]

    return deliver(
        store,
        out,
        write,
        actor=actor,
        dataset="pack",
        unmasked=unmasked,
        detail={"format": "xlsx", "filters": filters.describe(), "sheets": list(PACK_DATASETS)},
    )


def summary_sheet(wb: Any, report: Report) -> Any:
    """The summary sheet: what the pack covers, the headline figures, and the
    four charts, each drawn from a small table on this sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title=sheet_name(_("Summary")))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 14
    bold = Font(bold=True)

    def cell(value: Any, *, strong: bool = False, fmt: str | None = None) -> Any:
        c = WriteOnlyCell(ws, value=neutralise(value))
        if strong:
            c.font = bold
        if fmt:
            c.number_format = fmt
        return c

    rows = [0]  # rows appended so far: a write-only sheet cannot be asked

    def append(*cells: Any) -> int:
        ws.append(list(cells))
        rows[0] += 1
        return rows[0]

    append(cell(_("Summary"), strong=True))
    for line in describe_filters(report.filters):
        append(cell(line))
    append()
    append(cell(_("Figure"), strong=True), cell(_("Number"), strong=True))
    for label, value, _pct in headline_figures(report):
        append(cell(label), cell(value, fmt="0.0" if isinstance(value, float) else None))
    anchor = 1
    for chart in report_charts(report):
        append()
        header = append(cell(chart.x_title, strong=True), cell(chart.y_title, strong=True))
        for label, value in zip(chart.labels, chart.values, strict=True):
            append(cell(label), cell(value))
        if chart.labels:
            ws.add_chart(excel_chart(ws, chart, header), f"{CHART_COLUMN}{anchor}")
            anchor += CHART_ROWS
    return ws


def excel_chart(ws: Any, chart: ChartSeries, header: int) -> Any:
    """A native Excel chart of ``chart``, its data the table whose header is
    on row ``header`` (column A the categories, column B the values)."""
    from openpyxl.chart import BarChart, LineChart, Reference

    drawn: Any = LineChart() if chart.kind == "line" else BarChart()
    if chart.kind == "bar":
        drawn.type = "col"
    drawn.title = chart.title
    drawn.x_axis.title = chart.x_title
    drawn.y_axis.title = chart.y_title
    # openpyxl 3.1 hides the axes unless told otherwise; Excel and WPS then draw none.
    drawn.x_axis.delete = False
    drawn.y_axis.delete = False
    drawn.legend = None
    drawn.width, drawn.height = 15, 8.5
    last = header + len(chart.labels)
    drawn.add_data(
        Reference(ws, min_col=2, max_col=2, min_row=header, max_row=last), titles_from_data=True
    )
    drawn.set_categories(Reference(ws, min_col=1, max_col=1, min_row=header + 1, max_row=last))
    return drawn
