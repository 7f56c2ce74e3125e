"""Plan a season from the villages screen: clinic days on chosen weekdays in the neediest villages.

The same rules as ``clinic day season``: the "where next" ranking, each village once, at most
"per date" clinic days on one date (those already planned count), public holidays and weekend days
worked (调休) left out. Enter in any field previews; Ctrl+S creates the days.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from clinic.core import catalogues
from clinic.core import planning as p
from clinic.core.errors import ClinicError, FieldError
from clinic.i18n import N_, _, ngettext
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.text import cell, sentence
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer


class SeasonDialog(ClinicModal):
    BINDINGS = [
        Binding("ctrl+s", "create", N_("Create the clinic days")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plan: list[p.SeasonDay] = []
        self.weekdays = "5"
        self.default_end = ""
        self.created = False

    def compose(self) -> ComposeResult:
        today = self.app.today()
        start = today + dt.timedelta(days=1)
        end = self.default_end = p.default_season_end(start.isoformat(), self.weekdays)
        orgs = [(cell(o["short_name"]), o["id"]) for o in catalogues.organisations(self.app.store)]
        with Vertical(classes="dialog", id="season-dialog"):
            yield Static(_("Plan a season in the neediest villages"), classes="title")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(_("From"))
                    yield Input(start.isoformat(), id="s-from")
                with Vertical():
                    yield Label(_("To"))
                    yield Input(end, id="s-to")
                with Vertical():
                    yield Label(_("Weekdays"))
                    yield Input(_("Saturday"), id="s-weekdays")
                with Vertical():
                    yield Label(_("Days per date"))
                    yield Input("1", id="s-per-day", type="integer")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(_("Organising organisation"))
                    yield Select(orgs, id="s-org", prompt=_("Choose an organisation"))
                with Vertical():
                    yield Label(_("Needs per specialty"))
                    yield Input(p.default_needs_text(self.app.store), id="s-needs")
            yield DataTable(id="season", cursor_type="row", zebra_stripes=True)
            # What was planned, left out and warned about scrolls in a few lines so the
            # proposals keep their rows at 80×24.
            with VerticalScroll(id="season-notes"):
                yield Static("", id="season-status")
                yield Static("", id="season-warning", classes="warning")
            yield Static(
                _("Enter: preview · Ctrl+S: create the clinic days · Esc: close"), classes="muted"
            )
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        table = self.query_one("#season", DataTable)
        table.add_columns(_("Date"), _("Village"), _("Score"))
        # The reasons wrap: never cut off.
        table.add_column(_("Why"), width=max(30, self.app.size.width - 54))
        self.preview()

    @on(Input.Submitted)
    def preview(self) -> None:
        status = self.query_one("#season-status", Static)
        warning = self.query_one("#season-warning", Static)
        table = self.query_one("#season", DataTable)
        table.clear()
        warning.update("")
        try:
            self.weekdays = p.parse_weekdays(self.query_one("#s-weekdays", Input).value)
            plan = p.propose_season(
                self.app.store,
                p.iso(self.query_one("#s-from", Input).value),
                p.iso(self.query_one("#s-to", Input).value),
                self.app.today(),
                weekdays=self.weekdays,
                per_day=self._per_day(),
            )
        except ClinicError as exc:
            self.plan = []
            show_error(self, exc, box=status)
            return
        self.plan = plan.days
        for s in plan.days:
            table.add_row(
                s.date,
                cell(f"{s.township}{s.village}"),
                f"{s.score:g}",
                cell(_("; ").join(s.reasons)),
                height=None,
            )
        status.update(sentence("\n".join(t for t in (plan.explain(), plan.skipped_text()) if t)))
        warning.update(sentence(plan.warning or ""))

    @on(Input.Changed, "#s-from, #s-weekdays")
    def follow_default_end(self) -> None:
        """While "To" holds the default end, it follows the start and the weekdays (the last
        Sunday for 周六,周日), so a season never ends on the Monday after."""
        to = self.query_one("#s-to", Input)
        try:
            start = p.iso(self.query_one("#s-from", Input).value)
            weekdays = p.parse_weekdays(self.query_one("#s-weekdays", Input).value)
        except ClinicError:
            return
        if to.value == self.default_end:
            self.default_end = to.value = p.default_season_end(start, weekdays)

    def _per_day(self) -> int:
        text = self.query_one("#s-per-day", Input).value.strip() or "1"
        try:
            return int(text)
        except ValueError:
            raise FieldError(
                _("Clinic days per date: a whole number from 1 to 50."), "s-per-day"
            ) from None

    def action_create(self) -> None:
        """Checked here, written on the app's writer (the dialog stays responsive
        while another desk holds the lock); closed once written."""
        if not self.plan:
            return
        try:
            org = self.query_one("#s-org", Select).value
            needs = p.parse_needs(self.app.store, self.query_one("#s-needs", Input).value)
        except ClinicError as exc:
            show_error(self, exc, box="#season-status")
            return
        plan, today = list(self.plan), self.app.today()
        self.save_once(
            lambda store: p.add_season(
                store, plan, org if isinstance(org, int) else None, needs, today=today
            ),
            done=self._created,
            failed=lambda exc: show_error(self, exc, box="#season-status"),
        )

    def _created(self, ids: list[int]) -> None:
        self.created = True
        self.notify(
            ngettext(
                "Created {n} clinic day (status planned).",
                "Created {n} clinic days (status planned).",
                len(ids),
            ).format(n=len(ids))
        )
        if still_shown(self):
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(self.created)
