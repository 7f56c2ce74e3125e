"""The end-of-day summary screen (F9): the day's figures, thanks, hours filled in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from clinic.core.desk import summary as day_summary
from clinic.i18n import N_, _, join_list, ngettext
from clinic.ui.base import ClinicScreen
from clinic.ui.text import fill, sentence
from clinic.ui.text import lines as text_lines
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer


class SummaryScreen(ClinicScreen):
    """The end-of-day summary; the same figures as ``clinic report day``."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("r", "reload", N_("Refresh")),
        Binding("h", "hours", N_("Record hours")),
    ]

    def __init__(self, day_id: int) -> None:
        super().__init__()
        self.day_id = day_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="summary")
            yield Static("", id="thanks", classes="title")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        data = day_summary.summary(self.app.store, self.day_id)
        lines = day_summary.summary_lines(data)
        message = day_summary.thanks(data)
        if message and lines and lines[-1] == message:
            lines = lines[:-2]
        shown = [
            line if line.startswith(" ") or not line else fill("[b]$line[/b]", line=line)
            for line in lines
        ]
        self.query_one("#summary", Static).update(text_lines(*shown))
        self.query_one("#thanks", Static).update(sentence(message))

    def action_hours(self) -> None:
        """Written on the app's writer: the screen stays responsive while another
        desk holds the lock, and says what it did once written."""
        from clinic.core.desk import fill_hours

        day_id = self.day_id
        self.app.write(lambda store: fill_hours(store, day_id), done=self._hours_filled)

    def _hours_filled(self, n: int) -> None:
        self.notify(
            hours_message(n, day_summary.summary(self.app.store, self.day_id)), markup=False
        )
        if still_shown(self):
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)


def hours_message(filled: int, data: dict) -> str:
    """What ``h`` did, in words: whose hours it typed, and who it could not
    count (nobody marked them attended)."""
    attended = len(data["volunteers"])
    if not attended:
        text = _(
            "No volunteer is marked attended on this clinic day: mark attendance on F5 (t), then hours."
        )
    elif filled:
        text = ngettext(
            "The day's planned hours recorded for {n} volunteer marked attended without hours.",
            "The day's planned hours recorded for {n} volunteers marked attended without hours.",
            filled,
        ).format(n=filled)
    else:
        text = ngettext(
            "The {n} volunteer marked attended already has hours.",
            "All {n} volunteers marked attended already have hours.",
            attended,
        ).format(n=attended)
    if attended:
        text += " " + _("Change them on F5: h on the team list.")
    if data["not_marked"]:
        text += " " + _("Not counted (not marked attended): {names}.").format(
            names=join_list([a["name"] for a in data["not_marked"]])
        )
    return text
