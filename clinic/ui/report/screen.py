"""Reports (F8): the coordinator's figures with the CLI's filters, four bar
charts (one at a time, Ctrl+G for the next), and exports of what is shown to
a file the user names.

Everything slow runs in thread workers with their own connection: the
report is computed off the screen, and an export streams rows to its file
while a progress bar moves (Esc cancels it; the half-written file is
removed). The figures come from clinic.core.reports, the very function
behind ``clinic report --json``."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    ProgressBar,
    Select,
    Static,
)

from clinic.core.errors import ClinicError, FieldError
from clinic.i18n import N_, _, pick
from clinic.ui.app import NARROW_WIDTH
from clinic.ui.errors import show_error
from clinic.ui.report.charts import BarChart
from clinic.ui.report.commands import ReportCommands
from clinic.ui.report.export_panel import PACK, ExportingScreen
from clinic.ui.report.figures import figures_table
from clinic.ui.text import cell, sentence
from clinic.ui.threads import deliver
from clinic.ui.widgets.footer import Footer

LABEL_CELLS = 14  # a bar's label at least: 7 Chinese characters, or 14 letters


def organisation_choice(org: dict) -> str:
    """The short name every list uses, then the full name to tell units apart,
    but not twice (九三学社 is both)."""
    full = pick(org["name_zh"], org["name_en"]) or ""
    return org["short_name"] if full in ("", org["short_name"]) else f"{org['short_name']} {full}"


class ReportScreen(ExportingScreen):
    """Figures by period, village and organisation; charts; exports."""

    CSS_PATH = "report.tcss"
    COMMANDS = {ReportCommands}
    BINDINGS = [
        Binding("ctrl+r", "refresh", N_("Show report"), key_display="^R"),
        Binding("ctrl+s", "export", N_("Export"), key_display="^S"),
        Binding("ctrl+g", "next_chart", N_("Next chart"), key_display="^G"),
        Binding("ctrl+o", "focus_file", N_("File name"), key_display="^O", show=False),
        Binding("escape", "cancel_export", N_("Cancel export"), key_display="Esc", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report = None  # the clinic.core.reports.Report shown
        self.filters = None  # the ReportFilters it was computed for
        self.charts: list = []  # its ChartSeries (clinic.core.reports.charts)
        self.chart_index = 0  # the one shown

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from clinic.core.exports import DATASETS

        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder=_("From (2025-01-01)"), id="from")
            yield Input(placeholder=_("To (2025-12-31)"), id="to")
            yield Select([], prompt=_("All villages"), id="village")
            yield Select([], prompt=_("All organisations"), id="org")
            yield Button(_("Show"), id="show", variant="primary")
        with ScrollableContainer(id="body"):
            with VerticalScroll(id="figures", classes="panel"):
                yield Static(_("Report"), classes="title", id="figures-title")
                yield Static(_("Loading…"), id="figures-body")
            with VerticalScroll(id="charts", classes="panel"):
                yield Static("", classes="title", id="chart-title")
                yield BarChart(id="chart")
                yield Static("", id="chart-empty")
        with Horizontal(id="export"):
            yield Select(
                [(_(ds.title), ds.name) for ds in DATASETS.values()]
                + [(_("Year-end pack (every sheet and charts, .xlsx)"), PACK)],
                value="report",
                allow_blank=False,
                id="dataset",
            )
            yield Input(
                value=self.proposed_file("report"),
                placeholder=_("File name (.csv, .xlsx, .json; .html prints the report)"),
                id="file",
            )
            yield Checkbox(_("Whole ID numbers and phones"), id="unmasked")
            yield Button(_("Export"), id="export-button")
        with Horizontal(id="export-status"):
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="export-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-status").display = False
        self.apply_rights()
        self._fit(self.app.size.width)
        self.load_choices()
        self.action_refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)
        if self.charts:
            self.call_after_refresh(self.show_chart)  # labels cut to the new width

    def _fit(self, width: int) -> None:
        """Compact one-line fields below NARROW_WIDTH (the app's breakpoint gives the
        screen its -narrow class, and report.tcss the single scrolling column)."""
        narrow = width < NARROW_WIDTH
        for widget in self.query("#filters > *, #export > *"):
            if hasattr(widget, "compact"):
                widget.compact = narrow
        self.query_one("#body").can_focus = narrow  # the one column scrolls with the keys

    # -- filters -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="report-choices")
    def load_choices(self) -> None:
        from clinic.core.reports import organisation_choices, village_choices

        with self.app.open_store() as store:
            villages = village_choices(store)
            orgs = organisation_choices(store)
        deliver(self, self._show_choices, villages, orgs)

    def _show_choices(self, villages: list[dict], orgs: list[dict]) -> None:
        self.query_one("#village", Select).set_options(
            [
                (cell(f"{v['township']} {v['name']}"), f"{v['township']}/{v['name']}")
                for v in villages
            ]
        )
        self.query_one("#org", Select).set_options(
            [(cell(organisation_choice(o)), o["short_name"]) for o in orgs]
        )

    def read_filters(self):
        """The filters as typed; None (and a message) when a date cannot be read."""
        from clinic.core.reports import ReportFilters, parse_bound

        dates = []
        for field in ("from", "to"):
            widget = self.query_one(f"#{field}", Input)
            text = widget.value.strip()
            try:
                dates.append(parse_bound(text, end=field == "to"))
            except ClinicError as exc:
                widget.add_class("-invalid")
                show_error(self, exc.at(field) if isinstance(exc, FieldError) else exc)
                return None
            widget.remove_class("-invalid")
        village = self.query_one("#village", Select).value
        org = self.query_one("#org", Select).value
        return ReportFilters(
            date_from=dates[0],
            date_to=dates[1],
            villages=(village,) if isinstance(village, str) else (),
            orgs=(org,) if isinstance(org, str) else (),
        )

    @on(Input.Submitted, "#from, #to")
    @on(Button.Pressed, "#show")
    def _apply(self) -> None:
        self.action_refresh()

    @on(Select.Changed, "#village, #org")
    def _select_changed(self) -> None:
        if self.is_mounted and self.report is not None:
            self.action_refresh()

    # -- the report ---------------------------------------------------------------

    def action_refresh(self) -> None:
        filters = self.read_filters()
        if filters is not None:
            self.load(filters)

    @work(thread=True, exclusive=True, group="report")
    def load(self, filters) -> None:
        from clinic.core.reports import build_report

        with self.app.open_store() as store:
            try:
                report = build_report(store, filters)
            except ClinicError as exc:
                deliver(self, show_error, self, exc)
                return
        deliver(self, self.show, filters, report)

    def show(self, filters, report) -> None:
        self.filters = filters
        self.report = report
        from clinic.core.reports import describe_filters

        self.query_one("#figures-title", Static).update(
            sentence(_("Report for {period}"), period=" · ".join(describe_filters(report.filters)))
        )
        self.query_one("#figures-body", Static).update(self.figures_table(report))
        from clinic.core.reports.charts import report_charts

        self.charts = report_charts(report)
        self.show_chart()

    # -- the charts ---------------------------------------------------------------

    def action_next_chart(self) -> None:
        """The next chart; in the one narrow column, first the chart itself when it
        is scrolled out of view (below the figures), and the new chart kept in view."""
        if not self.charts:
            return
        body = self.query_one("#body")
        charts = self.query_one("#charts")
        narrow = self.has_class("-narrow")
        if narrow and not body.region.y <= charts.region.y < body.region.bottom:
            body.scroll_to_widget(charts, top=True, animate=False)
            return
        self.chart_index = (self.chart_index + 1) % len(self.charts)
        self.show_chart()
        if narrow:
            self.call_after_refresh(body.scroll_to_widget, charts, top=True, animate=False)

    def show_chart(self) -> None:
        """The chart ``chart_index`` points at, or a sentence when it has no bars."""
        series = self.charts[self.chart_index]
        self.query_one("#chart-title", Static).update(
            Text(f"{series.title} · {self.chart_index + 1}/{len(self.charts)}")
        )
        chart = self.query_one("#chart", BarChart)
        width = self.query_one("#charts").content_region.width
        chart.show_series(series, max(LABEL_CELLS, width // 4))
        chart.display = bool(len(series))
        empty = self.query_one("#chart-empty", Static)
        empty.update(_("Nothing to show for these filters."))
        empty.display = not len(series)

    # The figures as drawn (tests read them as the screen shows them).
    figures_table = staticmethod(figures_table)
