"""The report's chart series (clinic.core.reports.charts): the report's own figures,
checked against what "a year in numbers" holds by its shape."""

from __future__ import annotations

import pytest

from clinic.core.reports import build_report
from clinic.core.reports.charts import report_charts, village_labels
from clinic.i18n import set_language


def test_series_are_the_reports_figures(year_store, year_facts):
    report = build_report(year_store)
    months, villages, prescriptions, hours = report_charts(report)
    assert months.labels == tuple(m["month"] for m in report.by_month)
    assert sum(months.values) == sum(m["people"] for m in report.by_month)
    # 16 of the 20 households of every village were served.
    assert len(villages) == year_facts.villages and set(villages.values) == {80.0}
    assert set(villages.details) == {"16/20"} and villages.unit == "%"
    assert sum(prescriptions.values) == year_facts.prescriptions
    assert dict(zip(prescriptions.labels, prescriptions.values, strict=True)) == {
        c["label"]: c["handouts"] for c in report.prescriptions["by_condition"]
    }
    assert sum(hours.values) == pytest.approx(year_facts.hours)
    assert months.details == prescriptions.details == hours.details == ()


def test_titles_and_units_in_the_users_language(year_store):
    report = build_report(year_store)
    set_language("zh")
    try:
        charts = report_charts(report)
    finally:
        set_language("en")
    assert [c.title for c in charts][:2] == ["每月服务人数", "各村覆盖率（服务户数 / 登记户数）"]
    assert charts[3].unit == "小时"


def test_namesake_villages_carry_their_township():
    rows = [
        {"township": "中峰镇", "village": "龙山村"},
        {"township": "郭扶镇", "village": "龙山村"},
        {"township": "郭扶镇", "village": "高庙村"},
    ]
    assert village_labels(rows) == ["中峰镇 龙山村", "郭扶镇 龙山村", "高庙村"]
