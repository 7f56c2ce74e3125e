"""The form that adds or edits a clinic day: date, village, organisation, needs, times, venue."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from clinic.core import catalogues, holidays
from clinic.core import planning as p
from clinic.core.errors import ClinicError, FieldError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.planning.widgets import form_footer
from clinic.ui.text import cell


class DayForm(ClinicModal):
    """Create or edit a clinic day; the whole form is checked on save."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save")), Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, day_id: int | None, default_date: dt.date | None = None) -> None:
        super().__init__()
        self.day_id = day_id
        self.default_date = default_date
        self.default_village: int | None = None

    def compose(self) -> ComposeResult:
        store = self.app.store
        villages = [
            (cell(f"{v['township']}{v['name']}"), v["id"]) for v in catalogues.villages(store)
        ]
        orgs = [(cell(o["short_name"]), o["id"]) for o in catalogues.organisations(store)]
        statuses = [(p.day_status_label(s), s) for s in p.DAY_STATUSES]
        with VerticalScroll(classes="dialog", id="day-form"):
            yield Static(
                _("Edit clinic day") if self.day_id else _("New clinic day"), classes="title"
            )
            yield Label(_("Date"))
            yield Input(id="date", placeholder="2026-12-19")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(_("Start"))
                    yield Input("08:30", id="start")
                with Vertical():
                    yield Label(_("End"))
                    yield Input("12:00", id="end")
            yield Label(_("Village"))
            yield Select(villages, id="village", prompt=_("Choose a village"))
            yield Label(_("Venue"))
            yield Input(id="venue", placeholder=_("village committee hall, health room ..."))
            yield Label(_("Organising organisation"))
            yield Select(orgs, id="org", prompt=_("Choose an organisation"))
            yield Label(_("Needs per specialty"))
            yield Input(id="needs")
            yield Label(_("Status"))
            yield Select(statuses, id="status", value="planned", allow_blank=False)
            yield from form_footer()

    def on_mount(self) -> None:
        store = self.app.store
        if self.day_id is not None:
            day = p.get_day(store, self.day_id)
            self.query_one("#date", Input).value = day["date"]
            self.query_one("#start", Input).value = day["start_time"]
            self.query_one("#end", Input).value = day["end_time"]
            self.query_one("#village", Select).value = day["village_id"]
            self.query_one("#venue", Input).value = day["venue"]
            if day["organisation_id"]:
                self.query_one("#org", Select).value = day["organisation_id"]
            self.query_one("#needs", Input).value = p.format_needs(
                store, p.needs_of_day(store, self.day_id)
            )
            self.query_one("#status", Select).value = day["status"]
        else:
            self.query_one("#needs", Input).value = p.default_needs_text(store)
            if self.default_date:
                self.query_one("#date", Input).value = self.default_date.isoformat()
            if self.default_village:
                self.query_one("#village", Select).value = self.default_village
        self.query_one("#date", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        store = self.app.store
        try:
            village = self.query_one("#village", Select).value
            if not isinstance(village, int):
                raise FieldError(_("Choose the village."), "village")
            org = self.query_one("#org", Select).value
            day = p.DayInput(
                date=p.iso(self.query_one("#date", Input).value),
                village_id=village,
                organisation_id=org if isinstance(org, int) else None,
                needs=p.parse_needs(store, self.query_one("#needs", Input).value),
                start_time=p.parse_time(self.query_one("#start", Input).value),
                end_time=p.parse_time(self.query_one("#end", Input).value),
                venue=self.query_one("#venue", Input).value.strip(),
                status=str(self.query_one("#status", Select).value),
            )
            if self.day_id is None:
                day_id = p.add_day(store, day, today=self.app.today())
            else:
                for problem in p.edit_day(store, self.day_id, day, today=self.app.today()):
                    self.app.notify(
                        problem, title=_("Check the team"), severity="warning", timeout=10
                    )
                day_id = self.day_id
        except ClinicError as exc:
            show_error(self, exc)
            return
        if warning := holidays.coverage_warning(day.date, day.date):
            self.app.notify(warning, title=_("Public holidays"), severity="warning", timeout=15)
        self.dismiss(day_id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
