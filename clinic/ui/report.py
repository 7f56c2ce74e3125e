"""Reports (F8): the coordinator's figures with the CLI's filters, two terminal
charts, and exports of what is shown to a file the user names.

Everything slow runs in thread workers with their own connection: the
report is computed off the screen, and an export streams rows to its file
while a progress bar moves (Esc cancels it; the half-written file is
removed). The figures come from clinic.core.reports, the very function
behind ``clinic report --json``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    ProgressBar,
    Select,
    Sparkline,
    Static,
)
from textual.worker import get_current_worker

from clinic.core.errors import ClinicError
from clinic.core.exports import export_target, exports_folder
from clinic.core.reports import percent, percent_text, volunteer_notes
from clinic.i18n import N_, _, pick
from clinic.ui.app import NARROW_WIDTH
from clinic.ui.base import ClinicScreen
from clinic.ui.confirm import ConfirmDialog
from clinic.ui.talks import talk_grid_rows

BAR_WIDTH = 20
BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, maximum: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``width`` cells, with eighth-cell precision."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(width * 8 * min(value, maximum) / maximum)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


class ReportCommands(Provider):
    """The report screen's actions in the command palette (Ctrl+P)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        from clinic.core.exports import DATASETS

        found = [
            (_("Show report"), _("Recompute the report with the filters as typed"), "refresh"),
            (_("Export"), _("Export the chosen dataset with the screen's filters"), "export"),
            (_("Cancel export"), _("Stop a running export; no file is left"), "cancel_export"),
        ]
        for ds in DATASETS.values():
            found.append(
                (
                    _("Export: {name}").format(name=_(ds.title)),
                    _(ds.help),
                    f"export_dataset('{ds.name}')",
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )


class ExportCancelled(Exception):
    """The user pressed Esc during an export."""


def organisation_choice(org: dict) -> str:
    """The short name every list uses, then the full name to tell units apart,
    but not twice (九三学社 is both)."""
    full = pick(org["name_zh"], org["name_en"]) or ""
    return org["short_name"] if full in ("", org["short_name"]) else f"{org['short_name']} {full}"


class ReportScreen(ClinicScreen):
    """Figures by period, village and organisation; charts; exports."""

    CSS_PATH = "report.tcss"
    COMMANDS = {ReportCommands}
    BINDINGS = [
        Binding("ctrl+r", "refresh", N_("Show report"), key_display="^R"),
        Binding("ctrl+s", "export", N_("Export"), key_display="^S"),
        Binding("ctrl+o", "focus_file", N_("File name"), key_display="^O", show=False),
        Binding("escape", "cancel_export", N_("Cancel export"), key_display="Esc", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report = None  # the clinic.core.reports.Report shown
        self.filters = None  # the ReportFilters it was computed for

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
            with Vertical(id="charts"):
                with VerticalScroll(id="month-panel", classes="panel"):
                    yield Static(_("People served per month"), classes="title")
                    yield Sparkline([], id="month-spark")
                    yield Static("", id="month-bars")
                with VerticalScroll(id="village-panel", classes="panel"):
                    yield Static(
                        _("Coverage per village (households served / registered)"), classes="title"
                    )
                    yield Static("", id="village-bars")
        with Horizontal(id="export"):
            yield Select(
                [(_(ds.title), ds.name) for ds in DATASETS.values()],
                value="report",
                allow_blank=False,
                id="dataset",
            )
            yield Input(
                value=self._default_file(),
                placeholder=_("File name (.csv, .xlsx or .json)"),
                id="file",
            )
            yield Checkbox(_("Whole ID numbers and phones"), id="unmasked")
            yield Button(_("Export"), id="export-button")
        with Horizontal(id="export-status"):
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="export-message")
        yield Footer()

    def exports_dir(self) -> Path:
        return exports_folder(self.app.db_path)

    def _default_file(self) -> str:
        return str(self.exports_dir() / f"report-{self.app.today().isoformat()}.xlsx")

    def target_path(self, name: str) -> Path:
        return export_target(self.app.db_path, name)

    def on_mount(self) -> None:
        self.query_one("#export-status").display = False
        self._fit(self.app.size.width)
        self.load_choices()
        self.action_refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

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
        from clinic.store.catalogues import organisation_choices
        from clinic.store.places import village_choices

        with self.app.open_store() as store:
            villages = village_choices(store)
            orgs = organisation_choices(store)
        self.app.call_from_thread(self._show_choices, villages, orgs)

    def _show_choices(self, villages: list[dict], orgs: list[dict]) -> None:
        self.query_one("#village", Select).set_options(
            [(f"{v['township']} {v['name']}", f"{v['township']}/{v['name']}") for v in villages]
        )
        self.query_one("#org", Select).set_options(
            [(organisation_choice(o), o["short_name"]) for o in orgs]
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
                self.notify(exc.message, severity="error")
                widget.focus()
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
                self.app.call_from_thread(self.notify, exc.message, severity="error")
                return
        self.app.call_from_thread(self.show, filters, report)

    def show(self, filters, report) -> None:
        self.filters = filters
        self.report = report
        from clinic.core.reports import describe_filters

        self.query_one("#figures-title", Static).update(
            _("Report for {period}").format(period=" · ".join(describe_filters(report.filters)))
        )
        self.query_one("#figures-body", Static).update(self.figures_table(report))
        people = [m["people"] for m in report.by_month]
        spark = self.query_one("#month-spark", Sparkline)
        spark.data = people
        spark.display = len(people) > 1  # a single month is a full block: says nothing
        self.query_one("#month-bars", Static).update(self.month_bars(report))
        self.query_one("#village-bars", Static).update(self.village_bars(report))

    @staticmethod
    def figures_table(report) -> Table:
        # The labels take the room the numbers and notes leave; when that is
        # short they wrap rather than end in "…" (below NARROW_WIDTH the panel
        # has the whole width).
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column(justify="right")

        def section(title: str) -> None:
            grid.add_row(Text(title, style="bold underline"), "", "")

        def pct(value: float | None) -> str:
            return "" if value is None else percent_text(value)

        d, h = report.days, report.households
        section(_("Overview"))
        grid.add_row(
            _("Clinic days held"),
            f"{d['held']:,}",
            _("planned {planned}, cancelled {cancelled}").format(**d),
        )
        grid.add_row(_("Visits"), f"{report.visits:,}", "")
        grid.add_row(
            _("People seen"),
            f"{report.people:,}",
            _("men {men}, women {women}").format(
                men=f"{report.people_detail['men']:,}", women=f"{report.people_detail['women']:,}"
            ),
        )
        grid.add_row(_("Walk-ins"), f"{report.people_detail['walk_ins']:,}", "")
        grid.add_row(_("Households served"), f"{h['served']:,}", "")
        grid.add_row(
            _("Households registered in these villages"),
            f"{h['registered']:,}",
            pct(h["coverage_pct"]),
        )
        section(_("Households by category (served / registered)"))
        for c in h["by_category"]:
            grid.add_row(
                c["label"],
                f"{c['served_registered']:,} / {c['registered']:,}",
                _("{people} people · {pct}").format(
                    people=f"{c['people']:,}", pct=pct(c["coverage_pct"]) or "-"
                ),
            )
        section(_("People with a tag"))
        for t in report.tags:
            grid.add_row(t["label"], f"{t['people']:,}", "")
        rx = report.prescriptions
        section(_("Health prescriptions"))
        grid.add_row(
            _("Total"),
            f"{rx['total']:,}",
            _("to {people} people").format(people=f"{rx['people']:,}"),
        )
        for c in rx["by_condition"]:
            grid.add_row(c["label"], f"{c['handouts']:,}", "")
        section(_("Referrals"))
        grid.add_row(_("Total"), f"{report.referrals['total']:,}", "")
        for r in report.referrals["by_destination"]:
            grid.add_row(Text(r["destination"]), f"{r['visits']:,}", "")  # as typed, not markup
        v = report.volunteers
        section(_("Volunteers"))
        grid.add_row(
            _("Volunteers"), f"{v['people']:,}", _("{hours:g} hours").format(hours=v["hours"])
        )
        for o in v["by_organisation"]:
            grid.add_row(
                o["label"], f"{o['volunteers']:,}", _("{hours:g} hours").format(hours=o["hours"])
            )
        for note in volunteer_notes(v):
            grid.add_row(Text(note, style="dim"), "", "")
        section(_("Health talks"))
        for row in talk_grid_rows(report.talks):
            grid.add_row(*row)
        if len(report.by_organiser) > 1 or any(not o["organisation"] for o in report.by_organiser):
            section(_("Clinic days by organising organisation"))
            for o in report.by_organiser:
                grid.add_row(
                    o["label"],
                    f"{o['days']:,}",
                    _("{visits} visits, {people} people").format(
                        visits=f"{o['visits']:,}", people=f"{o['people']:,}"
                    ),
                )
        # Clinical detail after the programme's figures (what goes upward first).
        if report.conditions:
            section(_("People seen by chronic condition on record"))
            for c in report.conditions:
                grid.add_row(c["label"], f"{c['people']:,}", "")
        section(_("Flags raised (visits)"))
        for f in report.flags:
            grid.add_row(f["label"], f"{f['visits']:,}", "")
        if not report.flags:
            grid.add_row("-", "", "")
        return grid

    @staticmethod
    def month_bars(report) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        grid.add_column(style="green")
        grid.add_column(justify="right")
        top = max((m["people"] for m in report.by_month), default=0)
        for m in report.by_month:
            grid.add_row(m["month"], bar(m["people"], top), f"{m['people']:,}")
        if not report.by_month:
            grid.add_row(_("No clinic days held in this period."), "", "")
        return grid

    @staticmethod
    def village_bars(report) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        grid.add_column(style="cyan")
        grid.add_column(justify="right")
        for v in report.by_village:
            pct = v["coverage_pct"]
            whole = percent(v["served"], v["registered"], 0)
            grid.add_row(
                f"{v['township']} {v['village']}",
                bar(pct or 0, 100),
                f"{v['served']}/{v['registered']} " + percent_text(whole, 0),
            )
        if not report.by_village:
            grid.add_row(_("No clinic days held in this period."), "", "")
        return grid

    # -- export ---------------------------------------------------------------------

    def action_focus_file(self) -> None:
        self.query_one("#file", Input).focus()

    @on(Button.Pressed, "#export-button")
    @on(Input.Submitted, "#file")
    def _export_pressed(self) -> None:
        self.action_export()

    def action_export_dataset(self, name: str) -> None:
        """Choose ``name`` in the dataset list, then export (from the palette)."""
        self.query_one("#dataset", Select).value = name
        self.action_export()

    def action_export(self) -> None:
        from clinic.core.tabular import format_from_name

        filters = self.read_filters()
        if filters is None:
            return
        name = self.query_one("#file", Input).value.strip()
        if not name:
            self.notify(_("Type a file name to export to."), severity="warning")
            self.action_focus_file()
            return
        path = self.target_path(name)
        try:
            fmt = format_from_name(path)
        except ClinicError as exc:
            self.notify(exc.message, severity="error")
            self.action_focus_file()
            return
        dataset = str(self.query_one("#dataset", Select).value)
        unmasked = self.query_one("#unmasked", Checkbox).value
        args = (dataset, filters, path, fmt, unmasked)
        questions = []
        if unmasked and dataset != "report":
            questions.append(
                (
                    _(
                        "Write whole ID numbers and phones into {file}? The export will be recorded in the audit log."
                    ).format(file=path.name),
                    _("Write them whole"),
                    _("Cancel"),
                )
            )
        if path.exists():
            questions.append(
                (
                    _("{file} already exists. Replace it?").format(file=path),
                    _("Replace"),
                    _("Keep the file"),
                )
            )
        self._ask(questions, lambda: self._start_export(*args))

    def _ask(self, questions: list[tuple[str, str, str]], then) -> None:
        """Ask each question in turn; go on only if every answer is yes."""
        if not questions:
            then()
            return
        (question, yes, no), rest = questions[0], questions[1:]
        self.app.push_screen(
            ConfirmDialog(question, yes, no), lambda ok: self._ask(rest, then) if ok else None
        )

    def _start_export(self, dataset: str, filters, path: Path, fmt: str, unmasked: bool) -> None:
        status = self.query_one("#export-status")
        status.display = True
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#export-message", Static).update(
            _("Exporting to {file}… (Esc cancels)").format(file=path)
        )
        self.run_export(dataset, filters, path, fmt, unmasked)

    @work(thread=True, exclusive=True, group="report-export")
    def run_export(self, dataset: str, filters, path: Path, fmt: str, unmasked: bool) -> None:
        from clinic.core.exports import count_rows, export_dataset

        worker = get_current_worker()
        with self.app.open_store() as store:
            try:
                total = count_rows(store, dataset, filters, today=self.app.today())
                self.app.call_from_thread(self._progress, 0, total)

                def progress(n: int) -> None:
                    if worker.is_cancelled:
                        raise ExportCancelled
                    self.app.call_from_thread(self._progress, n, total)

                result = export_dataset(
                    store,
                    dataset,
                    path,
                    filters=filters,
                    fmt=fmt,
                    unmasked=unmasked,
                    actor=self.app.actor,
                    today=self.app.today(),
                    progress=progress,
                )
            except ExportCancelled:
                self.app.call_from_thread(
                    self._export_done, _("Export cancelled; no file was written."), "warning"
                )
                return
            except ClinicError as exc:
                self.app.call_from_thread(self._export_done, exc.message, "error")
                return
            except OSError as exc:
                self.app.call_from_thread(
                    self._export_done,
                    _("Cannot write {file}: {reason}").format(
                        file=path, reason=exc.strerror or exc
                    ),
                    "error",
                )
                return
        self.app.call_from_thread(
            self._export_done,
            _("Wrote {rows} rows to {file}.").format(rows=result.rows, file=path),
            "information",
        )

    def _progress(self, n: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, n, 1), progress=n)

    def _export_done(self, message: str, severity: str) -> None:
        self.query_one("#export-message", Static).update(message)
        if severity == "information":
            bar_widget = self.query_one("#progress", ProgressBar)
            bar_widget.update(progress=bar_widget.total or 0)
        self.notify(message, severity=severity)

    def action_cancel_export(self) -> None:
        for worker in self.workers:
            if worker.group == "report-export" and not worker.is_finished:
                worker.cancel()
