"""F5's hours dialog: type or change the hours of a volunteer marked attended.

Empty hours are "not typed": the figures count the day's planned length
for them and say so (docs/figures.md), so clearing the field is allowed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from clinic.core import planning as p
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.text import sentence
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer


class HoursDialog(ClinicModal):
    """One field; Enter saves (dismisses True), Esc leaves the hours as they were."""

    DEFAULT_CSS = """
    HoursDialog { align: center middle; }
    #hours-box { width: 64; max-width: 100%; height: auto; border: round $accent;
                 background: $panel; padding: 1 2; }
    #hours-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, assignment: dict, day: dict) -> None:
        super().__init__()
        self.assignment, self.day = assignment, day

    def compose(self) -> ComposeResult:
        a, d = self.assignment, self.day
        with Vertical(id="hours-box"):
            yield Static(
                sentence(_("Hours of {name} on {date}"), name=a["name"], date=d["date"]),
                classes="title",
            )
            yield Static(
                _(
                    "Planned {start}–{end}. Leave empty to count the day's planned length. "
                    "Enter saves, Esc cancels."
                ).format(start=d["start_time"], end=d["end_time"]),
                classes="muted",
            )
            yield Input(
                "" if a["hours"] is None else f"{a['hours']:g}",
                placeholder=_("hours, e.g. 3.5"),
                id="hours-input",
            )
            yield Static("", id="hours-error", markup=False)
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        self.query_one("#hours-input", Input).focus()

    @on(Input.Submitted, "#hours-input")
    def save(self, event: Input.Submitted) -> None:
        """Checked here, written on the app's writer (the dialog stays responsive
        while another desk holds the lock); closed once written."""
        try:
            hours = p.parse_hours(event.value)
        except ClinicError as exc:
            show_error(self, exc, box="#hours-error")
            return
        assignment_id = self.assignment["id"]
        self.app.write(
            lambda store: p.set_hours(store, assignment_id, hours),
            done=lambda _result: self.dismiss(True) if still_shown(self) else None,
            failed=lambda exc: show_error(self, exc, box="#hours-error"),
        )

    def action_cancel(self) -> None:
        self.dismiss(False)
