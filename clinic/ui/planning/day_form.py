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
from clinic.core.edits import Saved
from clinic.core.errors import ClinicError, FieldError
from clinic.core.field_values import value_text
from clinic.core.records import FIELD_LABELS
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.planning.widgets import form_footer
from clinic.ui.text import cell
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer

# The day's fields (clinic.core.planning.DAY_FORM_FIELDS): their widgets, their labels.
WIDGETS = {
    "date": "date",
    "start_time": "start",
    "end_time": "end",
    "village_id": "village",
    "venue": "venue",
    "organisation_id": "org",
    "needs": "needs",
    "status": "status",
}
# The day's fields as every screen names them (clinic.core.records), and its needs.
LABELS = {**FIELD_LABELS["clinic_days"], "needs": N_("Needs per specialty")}


class DayForm(ClinicModal):
    """Create or edit a clinic day; the whole form is checked on save."""

    ASK_BEFORE_QUIT = True  # Ctrl+Q asks before typing is lost

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
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        store = self.app.store
        if self.day_id is not None:
            day, self.edit = p.day_edit(store, self.day_id)
            self.show(day)
        else:
            self.query_one("#needs", Input).value = p.default_needs_text(store)
            if self.default_date:
                self.query_one("#date", Input).value = self.default_date.isoformat()
            if self.default_village:
                self.query_one("#village", Select).value = self.default_village
        self.query_one("#date", Input).focus()

    def show(self, day: dict) -> None:
        """Fill the form's fields with these values (those of the day given)."""
        for name, widget_id in WIDGETS.items():
            if name not in day:
                continue
            value = day[name]
            if name == "needs":
                self.query_one("#needs", Input).value = p.format_needs(self.app.store, value)
            elif widget_id in ("village", "org", "status"):
                self.query_one(f"#{widget_id}", Select).value = (
                    value if value is not None else Select.BLANK
                )
            else:
                self.query_one(f"#{widget_id}", Input).value = value or ""

    def read(self) -> p.DayInput:
        """The form as typed, checked field by field (a FieldError names its field)."""
        store = self.app.store
        village = self.query_one("#village", Select).value
        if not isinstance(village, int):
            raise FieldError(_("Choose the village."), "village")
        org = self.query_one("#org", Select).value
        return p.DayInput(
            date=p.iso(self.query_one("#date", Input).value),
            village_id=village,
            organisation_id=org if isinstance(org, int) else None,
            needs=p.parse_needs(store, self.query_one("#needs", Input).value),
            start_time=p.parse_time(self.query_one("#start", Input).value),
            end_time=p.parse_time(self.query_one("#end", Input).value),
            venue=self.query_one("#venue", Input).value.strip(),
            status=str(self.query_one("#status", Select).value),
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.save()

    def save(self, keep_mine: tuple[str, ...] = ()) -> None:
        """Checked here, written on the app's writer (the form stays responsive while
        another desk holds the lock); an edit is merged with another desk's changes."""
        try:
            day = self.read()
        except ClinicError as exc:
            show_error(self, exc)
            return
        today, actor = self.app.today(), self.app.actor
        at = self.app.now().strftime("%Y-%m-%d %H:%M:%S")
        if self.day_id is None:
            self.app.write(
                lambda store: (p.add_day(store, day, today=today), []),
                done=lambda result: self.saved(day, result[0], None, result[1]),
                failed=self.failed,
            )
            return
        edit, day_id = self.edit, self.day_id

        def write(store):
            saved, problems = p.save_day_edit(
                store, edit, day, today=today, actor=actor, at=at, keep_mine=keep_mine
            )
            return saved, problems

        self.app.write(
            write,
            done=lambda result: self.saved(day, day_id, *result),
            failed=self.failed,
        )

    def failed(self, exc: ClinicError) -> None:
        show_error(self, exc)

    def saved(self, day: p.DayInput, day_id: int, result: Saved | None, problems: list) -> None:
        if result is not None and result.clashes:
            self.ask(result)
            return
        for problem in problems:
            self.app.notify(problem, title=_("Check the team"), severity="warning", timeout=10)
        if warning := holidays.coverage_warning(day.date, day.date):
            self.app.notify(warning, title=_("Public holidays"), severity="warning", timeout=15)
        if still_shown(self):
            self.dismiss(day_id)

    def ask(self, result: Saved) -> None:
        """Another desk changed a field this form changed too: say who, and choose."""
        from clinic.ui.clash_dialog import ClashDialog

        store = self.app.store

        def shown(field: str, value) -> str:
            """Each field by its own rule (an organisation's id is not a village's)."""
            if isinstance(value, dict):
                return p.format_needs(store, value)
            return value_text(store, "clinic_days", field, value)

        def chosen(choices: dict[str, bool] | None) -> None:
            theirs = {t.clash.field: t.clash.theirs for t in result.clashes}
            self.show({n: theirs[n] for n, mine in (choices or {}).items() if not mine})
            self.save(keep_mine=tuple(n for n, mine in (choices or {}).items() if mine))

        labels = {name: _(label) for name, label in LABELS.items()}
        self.app.push_screen(ClashDialog(result.clashes, labels, shown), chosen)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave()
