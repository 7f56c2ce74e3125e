"""A yes/no question (y / n, Esc is no) before something that cannot be taken back:
changing recorded attendance, replacing a file, writing whole ID numbers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from clinic.i18n import N_
from clinic.ui.base import ClinicModal
from clinic.ui.text import sentence


class ConfirmDialog(ClinicModal):
    """A yes/no question (y / n, Esc is no) before changing something already recorded."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    #confirm { width: 72; height: auto; border: round $warning; background: $panel; padding: 1 2; }
    #confirm-buttons { height: auto; margin-top: 1; }
    #confirm-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n,escape", "answer(False)", N_("No")),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(sentence(self.question), id="confirm-question")  # names as typed
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
