"""The printable summary of the report: one HTML file for an A4 page (or a few),
in the chosen language, with the report's figures and the pack's four charts
as inline SVG drawn by pygal, for printing or pasting into a Word report.

The page comes from the template ``summary.html.j2`` (:mod:`clinic.core.templates`:
a coordinator may keep their own copy beside the database); the figures are the
report's own (:func:`clinic.core.reports.build_report`), the charts those of
:func:`clinic.core.reports.charts.report_charts`. Counts only, never names.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from clinic.core.exports.delivery import ExportResult, deliver
from clinic.core.exports.pack import headline_figures
from clinic.core.files import write_document
from clinic.core.reports import (
    Report,
    ReportFilters,
    build_report,
    describe_filters,
    percent_text,
    report_rows,
)
from clinic.core.reports.charts import ChartSeries, report_charts
from clinic.core.templates import own_templates, render
from clinic.i18n import _, current_language
from clinic.store import Store

# Fonts that have the Chinese characters, on Windows, macOS and Linux, then any.
CJK_FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"WenQuanYi Micro Hei", "SimHei", sans-serif'
)


def svg_chart(chart: ChartSeries) -> str:
    """``chart`` as an SVG element to put inside the HTML (no script, no
    XML declaration), sized for half an A4 page's width."""
    import pygal
    from pygal.style import Style

    style = Style(
        font_family=CJK_FONTS,
        background="white",
        plot_background="white",
        foreground="#222",
        foreground_strong="#000",
        foreground_subtle="#999",
        colors=("#2f6fb0",),
        title_font_size=18,
        label_font_size=12,
        major_label_font_size=12,
        value_font_size=12,
    )
    kind = pygal.Line if chart.kind == "line" else pygal.Bar
    drawn = kind(
        title=chart.title,
        x_title=chart.x_title,
        y_title=chart.y_title,
        show_legend=False,
        style=style,
        js=[],  # no script from the internet: the page prints offline
        width=640,
        height=360,
        x_label_rotation=30 if len(chart.labels) > 4 else 0,
        truncate_label=-1,
        print_values=True,
        margin=12,
        include_x_axis=True,  # the value axis starts at 0: a bar or a line is read against it
    )
    drawn.x_labels = chart.labels
    drawn.add(chart.y_title, chart.values)
    svg = drawn.render(is_unicode=True, disable_xml_declaration=True)
    return str(svg)


def summary_context(report: Report) -> dict[str, Any]:
    """What ``summary.html.j2`` sees (see the comment at the top of that file)."""
    sections: list[dict[str, Any]] = []
    for section, item, number, pct in report_rows(report):
        if not sections or sections[-1]["title"] != section:
            sections.append({"title": section, "rows": []})
        sections[-1]["rows"].append(
            {
                "item": item,
                "number": "" if number is None else _number(number),
                "percent": "" if pct is None else percent_text(pct),
            }
        )
    charts = report_charts(report)
    return {
        "lang_tag": "zh-CN" if current_language() == "zh" else "en",
        "w": {
            "heading": _("Free clinics: summary"),
            "figures": _("Key figures"),
            "charts": _("Charts"),
            "details": _("All figures"),
            "item": _("Item"),
            "number": _("Number"),
            "percent": _("Percent"),
            "no_data": _("No data in this period."),
            "counts_only": _("Counts only; no names."),
        },
        "period": describe_filters(report.filters),
        "headline": [
            {
                "label": label,
                "value": "-"
                if value is None
                else (percent_text(value) if is_pct else _number(value)),
            }
            for label, value, is_pct in headline_figures(report)
        ],
        "charts": [
            {"key": c.key, "title": c.title, "svg": svg_chart(c) if c.labels else None}
            for c in charts
        ],
        "sections": sections,
    }


def _number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def summary_html(report: Report, templates: Path | None = None) -> str:
    """The summary page of ``report`` (own templates from ``templates`` first)."""
    from markupsafe import Markup

    context = summary_context(report)
    for chart in context["charts"]:
        if chart["svg"] is not None:
            chart["svg"] = Markup(chart["svg"])  # pygal's own SVG: trusted, escaped by pygal
    return render("summary.html.j2", context, templates)


def export_summary(
    store: Store,
    out: str | Path | IO[bytes],
    *,
    filters: ReportFilters | None = None,
    actor: str = "",
) -> ExportResult:
    """Write the summary to ``out`` (a path, atomically and private, or a binary
    stream); recorded in the audit log like every export."""
    filters = filters or ReportFilters()
    report = build_report(store, filters)
    data = summary_html(report, own_templates(store.path)).encode("utf-8")

    def write(target: str | Path | IO) -> int:
        write_document(target, data)
        return len(report_rows(report))

    return deliver(
        store,
        out,
        write,
        actor=actor,
        dataset="report",
        unmasked=False,
        detail={"format": "html", "filters": filters.describe()},
    )
