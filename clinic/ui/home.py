"""Home: what is in the database, what is coming, and where to go from here."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from clinic.i18n import N_, _
from clinic.ui import registry
from clinic.ui.base import ClinicScreen
from clinic.ui.labels import status_label, weekday_label
from clinic.ui.text import cell, fill, lines
from clinic.ui.threads import deliver
from clinic.ui.widgets.columns import fit_columns
from clinic.ui.widgets.footer import Footer


class HomeScreen(ClinicScreen):
    """The first screen: counts, the next clinic days, and the way to every other screen."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("r", "app.open('registers')", N_("Registers"), key_display="r"),
        Binding("d", "app.open('desk')", N_("Clinic desk"), key_display="d"),
        Binding("c", "app.open('days')", N_("Clinic days"), key_display="c"),
        Binding("o", "app.open('report')", N_("Reports"), key_display="o"),
        Binding("ctrl+r", "refresh", N_("Refresh"), show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-top"):
            with Vertical(id="counts", classes="panel"):
                yield Static(_("In this database"), classes="title")
                yield Static("", id="counts-body")
            with Vertical(id="menu", classes="panel"):
                yield Static(_("Go to"), classes="title")
                yield Static(self._menu_text(), id="menu-body")
        with Vertical(id="upcoming", classes="panel"):
            yield Static(_("Coming clinic days"), classes="title")
            yield DataTable(id="days", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _menu_text(self) -> Content:
        entries = [
            (entry.key.upper(), _(entry.title), _(entry.description))
            for entry in registry.in_menu()
            if entry.name != "home"
        ]
        entries.append(("F1", _("Help"), _("Keys and what they do")))
        menu = [
            fill("[b]$key[/b]  $title — [dim]$what[/dim]", key=f"{key:>3}", title=title, what=what)
            for key, title, what in entries
        ]
        return lines(*menu, fill("[b]$key[/b]  $title", key=f"{'^Q':>3}", title=_("Quit")))

    def on_mount(self) -> None:
        table = self.query_one("#days", DataTable)
        table.add_columns(
            _("Date"),
            _("Day"),
            _("Time"),
            _("Village"),
            # Short headings: "Places filled" (已排满岗位) and "Organisation" made the
            # table wider than 80 columns, its last column cut ("Fil", "已排满岗").
            _("Org."),
            _("Status"),
            _("Filled"),
        )
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="home")
    def load(self) -> None:
        from clinic.core.database import record_counts
        from clinic.core.figures import follow_up_totals
        from clinic.core.planning import upcoming_days

        with self.app.open_store() as store:
            today = self.app.today()
            data = (
                record_counts(store),
                upcoming_days(store, today),
                follow_up_totals(store, today)["due"],
            )
        deliver(self, self.show, *data)

    def show(self, numbers: dict, days: list[dict], follow_ups: int) -> None:
        import datetime as dt

        labels = [
            (_("Villages"), numbers["villages"]),
            (_("Households"), numbers["households"]),
            (_("Persons"), numbers["persons"]),
            (_("Volunteers"), numbers["volunteers"]),
            (_("Clinic days"), numbers["clinic_days"]),
            (_("Visits"), numbers["visits"]),
            (_("Health prescriptions handed out"), numbers["handouts"]),
            (_("Follow-ups due in the next 14 days"), follow_ups),
        ]
        from rich.cells import cell_len

        width = max(cell_len(label) for label, _n in labels)
        text = lines(
            *(
                fill(
                    "$label  [b]$value[/b]",
                    label=label + " " * (width - cell_len(label)),
                    value=f"{value:>8,}",
                )
                for label, value in labels
            )
        )
        self.query_one("#counts-body", Static).update(text)
        table = self.query_one("#days", DataTable)
        table.clear()
        rows = [
            (
                day["date"],
                weekday_label(dt.date.fromisoformat(day["date"]).weekday()),
                f"{day['start_time']}–{day['end_time']}",
                cell(f"{day['township']} {day['village']}"),
                cell(day["organisation"] or ""),
                status_label(day["status"]),
                f"{day['filled']}/{day['needed']}",
            )
            for day in days
        ] or [(_("No clinic days planned."), "", "", "", "", "", "")]
        # Sized from the rows before they are added: Textual measures new cells only
        # when idle, and a snapshot or a quick eye caught "2026" for 2026-11-24.
        fit_columns(table, rows)
        keys = [str(day["id"]) for day in days] or [None]
        for row, key in zip(rows, keys, strict=True):
            table.add_row(*row, key=key)
