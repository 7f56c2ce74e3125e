"""The desk's stock of printed sheets: how many of each template were brought, what is left."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Static

from clinic.core.desk import handouts
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.desk.fields import FieldInput, move_focus
from clinic.ui.errors import show_error
from clinic.ui.text import plain
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer


class StockDialog(ClinicModal):
    """How many printed sheets of each template were brought; what is left."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "close", N_("Close"), priority=True),
    ]
    # Counts typed and not saved are not thrown away by Esc or Ctrl+Q without asking.
    ASK_BEFORE_QUIT = True

    def __init__(self, day_id: int) -> None:
        super().__init__()
        self.day_id = day_id

    def compose(self) -> ComposeResult:
        lines = handouts.stock(self.app.store, self.day_id)
        with Vertical(classes="dialog wide"):
            yield Static(_("Printed sheets brought today (handouts count down)"), classes="title")
            with VerticalScroll(id="stock-lines", classes="compact"):
                for line in lines:
                    with Horizontal(classes="field"):
                        yield Label(plain(line.title), classes="stock-label")
                        # A FieldInput: a number and Enter typed at once land in
                        # their own line (desk.fields).
                        yield FieldInput(
                            "" if line.brought is None else str(line.brought),
                            id=f"s-{line.code}",
                            classes="stock-input",
                            type="integer",
                        )
                        left = "-" if line.left is None else str(line.left)
                        text = _("given {given}, left {left}").format(given=line.given, left=left)
                        yield Static(
                            plain(text, "bold red" if line.low else ""), classes="stock-left"
                        )
            yield Static("", id="error", classes="error")
            yield Static(
                _("Type the number brought; Enter moves on; Ctrl+S saves."), classes="muted"
            )
        yield Footer()

    def on_mount(self) -> None:
        inputs = list(self.query(FieldInput))
        if inputs:
            move_focus(inputs[0])

    def field_entered(self, field: Widget) -> None:
        """Enter in a line (desk.fields): the next line at once; the last one saves."""
        inputs = list(self.query(FieldInput))
        index = inputs.index(field)
        if index + 1 < len(inputs):
            move_focus(inputs[index + 1])
        else:
            self.action_save()

    def action_save(self) -> None:
        """Every line in one transaction, written on the app's writer (the dialog
        stays responsive while another desk holds the lock); closed once written."""
        day_id = self.day_id
        typed = [
            (str(field.id)[2:], field.value)
            for field in self.query(FieldInput)
            if field.value.strip()
        ]

        def write(store) -> None:
            with store.transaction():
                for code, value in typed:
                    handouts.set_stock(store, day_id, code, value)

        self.app.write(write, done=lambda _result: self._saved(), failed=self._failed)

    def _saved(self) -> None:
        self.notify(_("Stock saved."))
        if still_shown(self):
            self.dismiss(None)

    def _failed(self, exc: ClinicError) -> None:
        show_error(self, exc)

    def action_close(self) -> None:
        self.leave()
