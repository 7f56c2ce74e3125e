"""Two desks changed the same field: the second one is told, in words, and chooses.

Used by every form that saves through ``clinic.core.edits.Edit`` (the visit
form, the clinic-day form). One line per field says who changed it, from what
to what and when, and what this desk typed; the user keeps theirs or the other
desk's value, field by field. The dialog cannot be closed without choosing:
until then the field is not written and what was typed stays in the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, RadioButton, RadioSet, Static

from clinic.core.edits import Told, shown_or_empty
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.text import plain, sentence
from clinic.ui.widgets.footer import Footer


class ClashDialog(ClinicModal):
    """Keep mine or keep theirs, per field; dismissed with ``{field: keep_mine}``."""

    DEFAULT_CSS = """
    ClashDialog { align: center middle; }
    #clash { width: 90; max-width: 100%; height: auto; max-height: 100%;
             border: round $warning; background: $panel; padding: 1 2; }
    #clash .clash-told { margin-top: 1; }
    #clash RadioSet { width: 100%; }
    #clash-done { margin-top: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "done", N_("Save choices"), priority=True)]

    def __init__(
        self,
        clashes: tuple[Told, ...],
        labels: Mapping[str, str],
        shown: Callable[[str, Any], str] = lambda _field, value: str(value),
    ) -> None:
        super().__init__()
        self.clashes, self.labels, self.shown = clashes, labels, shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="clash"):
            yield Static(
                _("Another desk changed this record while you were typing."), classes="title"
            )
            for told in self.clashes:
                field = told.clash.field
                label = self.labels.get(field, field)
                words = partial(self.shown, field)
                yield Static(plain(told.sentence(label, words)), classes="clash-told")
                with RadioSet(id=f"clash-{field}"):
                    yield RadioButton(
                        sentence(_("Keep mine: {value}"), value=self._text(field, told.clash.mine)),
                        value=True,
                        id=f"mine-{field}",
                    )
                    yield RadioButton(
                        sentence(
                            _("Keep theirs: {value}"), value=self._text(field, told.clash.theirs)
                        ),
                        id=f"theirs-{field}",
                    )
            with Vertical():
                yield Button(_("Save choices (Ctrl+S)"), id="clash-done", variant="primary")
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def _text(self, field: str, value: Any) -> str:
        return shown_or_empty(partial(self.shown, field), value)

    def on_mount(self) -> None:
        self.query(RadioSet).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "clash-done":
            self.action_done()

    def action_done(self) -> None:
        choices = {}
        for told in self.clashes:
            field = told.clash.field
            choices[field] = self.query_one(f"#mine-{field}", RadioButton).value
        self.dismiss(choices)
