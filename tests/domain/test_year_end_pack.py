"""The coordinator's year-end pack (issue 13): the workbook with native Excel charts
(``clinic export pack``), the printable A4 summary (``clinic report --format html``),
and the templates they come from. Every figure in them is checked against
``clinic report --json`` for the same filters."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import openpyxl
import pytest
from click.testing import CliRunner

from clinic.core.reports.charts import village_labels
from clinic.i18n import _, set_language

FILTERS = ["--village", "中峰镇", "--village", "永新镇"]


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")


def run(path, lang, *args):
    from clinic.cli.main import cli

    result = CliRunner().invoke(cli, ["--db", str(path), "--lang", lang, *args])
    return result


def report_json(path, *filters) -> dict:
    result = run(path, "en", "report", *filters, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- the workbook ------------------------------------------------------------------


def _table(ws, ref: str) -> list:
    """The values of a one-column range such as 'Summary'!$B$20:$B$21."""
    sheet, cells = ref.split("!")
    assert sheet.strip("'") == ws.title
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in ws[f"{first}:{last}"] for c in row]


def _cell_left(ws, ref: str):
    """The cell above a range's first cell (its header)."""
    first = ref.split("!")[1].replace("$", "").split(":")[0]
    col, row = first[0], int(first[1:])
    return ws[f"{col}{row - 1}"].value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pack_sheets_charts_and_figures(demo_path, tmp_path, lang):
    out = tmp_path / "pack.xlsx"
    result = run(demo_path, lang, "export", "pack", *FILTERS, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    truth = report_json(demo_path, *FILTERS)
    set_language(lang)
    from clinic.core.exports import dataset
    from clinic.core.exports.pack import PACK_DATASETS

    wb = openpyxl.load_workbook(out)
    titles = [_("Summary")] + [_(dataset(n).title) for n in PACK_DATASETS]
    assert wb.sheetnames == titles
    if lang == "zh":
        assert wb.sheetnames[:3] == ["总结", "统计报告", "覆盖率"]
    summary = wb[titles[0]]
    charts = summary._charts
    assert [type(c).__name__ for c in charts] == ["LineChart", "BarChart", "BarChart", "BarChart"]
    expected = [
        (_("People served per month"), _("Month"), _("People"), "by_month"),
        (
            _("Coverage per village (households served / registered)"),
            _("Village"),
            _("Households served of those registered (%)"),
            "by_village",
        ),
        (
            _("Health prescriptions by condition"),
            _("Condition"),
            _("Health prescriptions"),
            "prescriptions",
        ),
        (_("Volunteer hours by organisation"), _("Organisation"), _("Hours"), "hours"),
    ]
    month_people = [m["people"] for m in truth["by_month"]]
    values = {
        "by_month": ([m["month"] for m in truth["by_month"]], month_people),
        "by_village": (
            village_labels(truth["by_village"]),
            [v["coverage_pct"] for v in truth["by_village"]],
        ),
        "prescriptions": (
            None,
            [c["handouts"] for c in truth["prescriptions"]["by_condition"]],
        ),
        "hours": (None, [o["hours"] for o in truth["volunteers"]["by_organisation"]]),
    }
    for chart, (title, x_title, y_title, key) in zip(charts, expected, strict=True):
        assert chart.title.tx.rich.p[0].r[0].t == title
        assert chart.x_axis.title.tx.rich.p[0].r[0].t == x_title
        assert chart.y_axis.title.tx.rich.p[0].r[0].t == y_title
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
        (series,) = chart.series
        data_ref = series.val.numRef.f
        cat_ref = (series.cat.strRef or series.cat.numRef).f
        assert data_ref.startswith(f"'{summary.title}'!$B$") and cat_ref.startswith(
            f"'{summary.title}'!$A$"
        )
        # The data range is the table's value column right under its header, the
        # categories the column beside it, row for row.
        assert data_ref.split("!$B$")[1].replace("$B$", "") == cat_ref.split("!$A$")[1].replace(
            "$A$", ""
        )
        assert _cell_left(summary, data_ref) == y_title
        assert _cell_left(summary, cat_ref) == x_title
        labels, numbers = values[key]
        assert _table(summary, data_ref) == numbers and numbers
        if labels is not None:
            assert _table(summary, cat_ref) == labels
    # The headline figures are the report's.
    figures = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert figures[_("Visits")] == truth["visits"]
    assert figures[_("People seen")] == truth["people"]
    assert figures[_("Clinic days held")] == truth["clinic_days"]["held"]
    assert figures[_("Coverage %")] == truth["households"]["coverage_pct"]
    assert figures[_("Hours")] == truth["volunteers"]["hours"]
    # The dataset sheets add up to the report's figures.
    visits = list(wb[_(dataset("visits").title)].iter_rows(values_only=True))
    assert len(visits) - 1 == truth["visits"]
    handouts = list(wb[_(dataset("handouts").title)].iter_rows(values_only=True))
    assert len(handouts) - 1 == truth["prescriptions"]["total"]
    hours = list(wb[_(dataset("volunteer-hours").title)].iter_rows(values_only=True))
    assert round(sum(r[5] for r in hours[1:]), 2) == truth["volunteers"]["hours"]
    coverage = list(wb[_(dataset("coverage").title)].iter_rows(values_only=True))
    assert [(r[1], r[6]) for r in coverage[1:]] == [
        (v["village"], v["served"]) for v in truth["by_village"]
    ]
    talks = list(wb[_(dataset("talks").title)].iter_rows(values_only=True))
    assert len(talks) - 1 == truth["talks"]["total"]
    report_sheet = list(wb[_(dataset("report").title)].iter_rows(values_only=True))
    assert (_("Overview"), _("Visits"), truth["visits"], None) in report_sheet
    # Headers in the chosen language; ID numbers as text, masked.
    head = visits[0]
    assert head == tuple(dataset("visits").headers("xlsx"))
    if lang == "zh":
        assert "身份证号" in head
    ids_col = head.index(_("ID number"))
    ws = wb[_(dataset("visits").title)]
    cells = [row[ids_col] for row in ws.iter_rows(min_row=2)]
    assert cells and all(c.data_type == "s" and c.number_format == "@" for c in cells if c.value)
    assert all("*" in c.value for c in cells if c.value)


def test_pack_unmasked_and_audited(demo_store, demo_path, tmp_path):
    out = tmp_path / "pack.xlsx"
    assert run(demo_path, "en", "export", "pack", "-o", str(out)).exit_code == 0
    log = demo_store.one("SELECT * FROM audit_log ORDER BY id DESC")
    detail = json.loads(log["detail"])
    assert log["action"] == "export" and detail["dataset"] == "pack"
    assert detail["format"] == "xlsx" and detail["file"] == "pack.xlsx"
    assert log["rows"] > 0 and log["actor"] == "测试协调员"
    result = run(demo_path, "en", "export", "pack", "--unmasked", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert demo_store.one("SELECT action FROM audit_log ORDER BY id DESC")["action"] == (
        "export_unmasked"
    )
    ws = openpyxl.load_workbook(out)["Visits"]
    head = [c.value for c in ws[1]]
    ids = [r[head.index("ID number")] for r in ws.iter_rows(min_row=2, values_only=True)]
    whole = [i for i in ids if i]
    assert whole and all("*" not in i and len(i) in (15, 18) for i in whole)


def test_pack_needs_an_xlsx_name(demo_path, tmp_path):
    result = run(demo_path, "en", "export", "pack", "-o", str(tmp_path / "pack.csv"))
    assert result.exit_code == 1
    assert ".xlsx" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "pack.csv").exists()


def test_pack_lists_as_personal_data_for_a_purge():
    """A pack holds visits and follow-ups: a purge names it among the exports to delete."""
    from clinic.core.purge import PERSONAL_DATASETS

    assert "pack" in PERSONAL_DATASETS


# -- the printable summary ------------------------------------------------------------


class _Page(HTMLParser):
    """The parts of the summary a test reads: the headline table, the ids of the
    chart figures, the style sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.headline: list[list[str]] = []
        self.style = ""
        self.figures: list[str] = []
        self._in: list[str] = []
        self._table: list[list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in.append(tag)
        if tag == "table" and attrs.get("class") == "headline":
            self._table = self.headline
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag == "figure":
            self.figures.append(attrs["id"])

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._in and self._in[-1] == "style":
            self.style += data
        if self._table is not None and self._in and self._in[-1] == "td":
            self._table[-1].append(data.strip())


def _svg_texts(html: str, figure: str) -> list[str]:
    """The words of the SVG inside ``<figure id=figure>``, read as XML."""
    start = html.index(f'id="{figure}"')
    svg = html[html.index("<svg", start) : html.index("</svg>", start) + len("</svg>")]
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter() if t.tag.endswith("text")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_html(demo_path, tmp_path, lang):
    out = tmp_path / "summary.html"
    result = run(demo_path, lang, "report", *FILTERS, "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    truth = report_json(demo_path, *FILTERS)
    set_language(lang)
    html = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert "@page { size: A4" in page.style and "Noto Sans CJK SC" in page.style
    assert "Microsoft YaHei" in page.style and "@media print" in page.style
    headline = {row[0]: row[1] for row in page.headline if len(row) == 2}
    assert headline[_("Visits")] == str(truth["visits"])
    assert headline[_("People seen")] == str(truth["people"])
    assert headline[_("Households served")] == str(truth["households"]["served"])
    assert headline[_("Coverage %")] == f"{truth['households']['coverage_pct']:.1f}%"
    assert headline[_("Health prescriptions")] == str(truth["prescriptions"]["total"])
    if lang == "zh":
        assert "就诊" in headline
    assert page.figures == [
        "chart-people_by_month",
        "chart-coverage_by_village",
        "chart-prescriptions_by_condition",
        "chart-hours_by_organisation",
    ]
    titles = [
        _("People served per month"),
        _("Coverage per village (households served / registered)"),
        _("Health prescriptions by condition"),
        _("Volunteer hours by organisation"),
    ]
    for figure, title in zip(page.figures, titles, strict=True):
        assert title in _svg_texts(html, figure)
    months = _svg_texts(html, "chart-people_by_month")
    assert all(m["month"] in months for m in truth["by_month"])
    hours = _svg_texts(html, "chart-hours_by_organisation")
    organisations = truth["volunteers"]["by_organisation"]
    assert all(o["organisation"] in hours for o in organisations if o["organisation"])
    # The bars carry the report's values (pygal prints them: 31.5, 28).
    assert all(f"{o['hours']:g}" in hours for o in organisations)
    # Prints offline: no script or style sheet fetched from the internet.
    assert "<script src" not in html.replace("'", '"') and 'href="http' not in html


def test_summary_is_audited_and_refuses_o_without_html(demo_store, demo_path, tmp_path):
    out = tmp_path / "s.html"
    assert run(demo_path, "en", "report", "--format", "html", "-o", str(out)).exit_code == 0
    detail = json.loads(demo_store.one("SELECT detail FROM audit_log ORDER BY id DESC")["detail"])
    assert detail["dataset"] == "report" and detail["format"] == "html"
    result = run(demo_path, "en", "report", "-o", str(tmp_path / "t.html"))
    assert result.exit_code == 2 and "--format html" in result.output


def _browser() -> str | None:
    return next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )


@pytest.mark.slow
@pytest.mark.skipif(_browser() is None, reason="no headless browser (chromium) on this machine")
def test_summary_renders_in_a_headless_browser(demo_path, tmp_path):
    out = tmp_path / "summary.html"
    assert run(demo_path, "zh", "report", "--format", "html", "-o", str(out)).exit_code == 0
    shot = tmp_path / "summary.png"
    done = subprocess.run(
        [
            _browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1240,1754",
            f"--screenshot={shot}",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # A blank page compresses to a few kilobytes; the figures and four charts do not.
    assert len(data) > 50_000


# -- templates ---------------------------------------------------------------------


def test_own_template_beside_the_database_wins(demo_path, tmp_path):
    own = demo_path.parent / "templates"
    own.mkdir()
    (own / "summary.html.j2").write_text(
        "<p>{{ w.heading }}: {% for f in headline %}{{ f.label }}={{ f.value }};{% endfor %}</p>",
        encoding="utf-8",
    )
    out = tmp_path / "s.html"
    assert run(demo_path, "en", "report", "--format", "html", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<p>Free clinics: summary: Clinic days held=")
    (own / "summary.html.j2").write_text("{% for %}", encoding="utf-8")
    result = run(demo_path, "en", "report", "--format", "html", "-o", str(out))
    assert result.exit_code == 1 and "summary.html.j2" in result.output
    assert "Traceback" not in result.output


def test_templates_escape_what_they_show(demo_store, tmp_path):
    from clinic.core.templates import environment

    env = environment(None)
    for name in ("summary.html.j2", "follow-ups.html.j2", "sheet.html.j2"):
        assert env.get_template(name).environment.autoescape is not False
    assert environment(None).from_string("{{ x }}").render(x="<b>") == "<b>"  # text: as is
    rendered = env.get_template("follow-ups.html.j2").render(
        lang_tag="en",
        today="2026-11-24",
        scope=[],
        villages=[
            {
                "township": "<i>T</i>",
                "village": "V",
                "next_day": "",
                "rows": [],
            }
        ],
        w={
            k: k
            for k in (
                "heading",
                "next_day",
                "none_planned",
                "printed",
                "name",
                "household",
                "follow_up",
                "readings",
                "phone",
                "came",
                "due",
                "bp",
                "glucose",
                "referred",
                "none",
                "private",
            )
        },
    )
    assert "&lt;i&gt;T&lt;/i&gt;" in rendered and "<i>T</i>" not in rendered
