"""The roster preview: what the optimiser proposes for a period, why places stay open, apply.

The optimiser runs in a thread worker on its own connection; apply plans
again inside one transaction in a worker too (so what is written matches the
database as it is at that moment) and closes the dialog.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from clinic.core import planning as p
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.text import cell, lines, sentence
from clinic.ui.threads import deliver, still_shown
from clinic.ui.widgets.columns import fit_columns
from clinic.ui.widgets.footer import Footer


class RosterPreview(ClinicModal):
    BINDINGS = [
        Binding("ctrl+a,a", "apply", N_("Apply roster")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, date_from: str, date_to: str) -> None:
        super().__init__()
        self.date_from = date_from
        self.date_to = date_to
        self.plan: p.RosterPlan | None = None
        self.reasons: list[str] = []
        self.applied = False
        self.applying = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="roster-dialog"):
            yield Static(
                _("Roster {start} to {end}").format(start=self.date_from, end=self.date_to),
                classes="title",
            )
            # Summary, spread and a holiday warning scroll in a few lines so the tables keep
            # their rows at 80×24.
            with VerticalScroll(id="roster-head"):
                yield Static(_("Working out the best roster…"), id="roster-summary")
                yield Static("", id="roster-warning", classes="warning")
            yield DataTable(id="proposals", cursor_type="row", zebra_stripes=True)
            yield Static(_("Places that stay open"), classes="title")
            yield DataTable(id="unfilled", cursor_type="row", zebra_stripes=True)
            yield Static("", id="why-full")
            yield Static(
                _("a: apply (write as invitations) · Esc: close without writing"), classes="muted"
            )
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        self.query_one("#proposals", DataTable).add_columns(
            _("Date"), _("Village"), _("Role"), _("Volunteer"), _("Organising member")
        )
        unfilled = self.query_one("#unfilled", DataTable)
        unfilled.add_columns(_("Date"), _("Village"), _("Places"))
        # The reason is cut to the room left; the highlighted one is shown whole below.
        unfilled.add_column(_("Why"), width=max(30, self.app.size.width - 50))
        self.run_plan()

    @work(thread=True, exclusive=True, group="roster")
    def run_plan(self) -> None:
        with self.app.open_store() as store:
            try:
                plan = p.plan_roster(store, self.date_from, self.date_to)
                data = plan.to_json(store)
            except ClinicError as exc:
                deliver(self, show_error, self, exc)
                return
        deliver(self, self.show_plan, plan, data)

    def show_plan(self, plan: p.RosterPlan, data: dict) -> None:
        self.plan = plan
        table = self.query_one("#proposals", DataTable)
        table.clear()
        rows = [
            (
                a["date"],
                cell(a["village"]),
                cell(a["role_name"]),
                cell(a["volunteer_label"]),
                Text("✓", style="green") if a["organising_member"] else "",
            )
            for a in data["assignments"]
        ]
        # Filled after the first render (a worker): size the columns from the rows, or the
        # cached widths cut them ("2026" for 2026-12-19).
        fit_columns(table, rows)
        for row in rows:
            table.add_row(*row)
        unfilled = self.query_one("#unfilled", DataTable)
        unfilled.clear()
        self.reasons = [u["why"] for u in data["unfilled"]]
        open_rows = [
            (u["date"], cell(u["village"]), u["places"], cell(u["why"])) for u in data["unfilled"]
        ]
        fit_columns(unfilled, open_rows)
        for row in open_rows:
            unfilled.add_row(*row)
        self.query_one("#why-full", Static).update(
            sentence(self.reasons[0] if self.reasons else "")
        )
        summary = p.roster_summary(data)
        if spread := p.roster_spread(data):
            summary += "\n" + spread
        if not data["assignments"]:
            summary += " " + _("Nothing to add.")
        self.query_one("#roster-summary", Static).update(sentence(summary))
        self.query_one("#roster-warning", Static).update(lines(*data["warnings"]))

    @on(DataTable.RowHighlighted, "#unfilled")
    def show_reason(self, event: DataTable.RowHighlighted) -> None:
        """The whole explanation of the highlighted open place (the cell may be cut off)."""
        if 0 <= event.cursor_row < len(self.reasons):
            self.query_one("#why-full", Static).update(sentence(self.reasons[event.cursor_row]))

    def action_apply(self) -> None:
        if self.plan is None or self.applying:
            return
        if not self.plan.result.proposals:
            self.notify(_("Nothing to add."))
            return
        self.applying = True
        self.query_one("#roster-summary", Static).update(_("Writing the roster…"))
        self.run_apply()

    @work(thread=True, exclusive=True, group="roster")
    def run_apply(self) -> None:
        """Plan again and write in one transaction, on this worker's own connection;
        what it did is said even if the app is closing meanwhile."""
        app = self.app
        with app.open_store() as store:
            try:
                plan = p.apply_roster(store, self.date_from, self.date_to)
            except ClinicError as exc:
                app.call_from_thread(self.apply_failed, exc)
                return
        app.call_from_thread(self.applied_done, len(plan.result.proposals))

    def apply_failed(self, exc: ClinicError) -> None:
        self.applying = False
        show_error(self, exc)

    def applied_done(self, n: int) -> None:
        self.applied = True
        # Said even when the preview has gone (the app closing as it wrote).
        self.app.notify(_("Written: {n} new assignments (status invited).").format(n=n))
        if still_shown(self):
            self.dismiss(True)

    def action_close(self) -> None:
        if self.applying:  # closed once written: the days screen then shows the new team
            return
        self.dismiss(self.applied)
