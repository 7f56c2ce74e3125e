"""Merge a sync clash field by field: each field the laptop changed, with the district's
value and the laptop's, and a choice per field (issue 11, point 5).

The layout of :class:`clinic.ui.clash_dialog.ClashDialog` (two desks, one record): a
line per field (named as the forms name it, :func:`clinic.core.records.field_label`;
its values in words, numbers masked: :func:`clinic.core.sync.review.merge_fields`)
and a radio set under it. Here a free-text field may also take a
value typed now. Dismissed with ``{field: 'district' | 'laptop' | Typed}`` (the
choices of :func:`clinic.core.sync.review.settle`), or None on Esc.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from clinic.core.records import field_label
from clinic.core.sync.review import Typed
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.text import plain, sentence
from clinic.ui.widgets.footer import Footer


class FieldMergeDialog(ClinicModal):
    """District's, laptop's, or (free text) a typed value, per field."""

    DEFAULT_CSS = """
    FieldMergeDialog { align: center middle; }
    #field-merge { width: 90; max-width: 100%; height: auto; max-height: 100%;
                   border: round $warning; background: $panel; padding: 1 2; }
    #field-merge .merge-field { margin-top: 1; }
    #field-merge RadioSet { width: 100%; }
    #field-merge Input { margin-left: 4; }
    #merge-done { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "done", N_("Save choices"), priority=True),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, conflict_id: int, fields: list[dict[str, Any]]) -> None:
        super().__init__()
        self.conflict_id = conflict_id
        self.fields = fields

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="field-merge"):
            yield Static(
                sentence(_("Merge conflict {id}: choose each field's value."), id=self.conflict_id),
                classes="title",
            )
            for index, item in enumerate(self.fields):
                note = (
                    _("changed on both sides") if item["clash"] else _("changed on the laptop only")
                )
                label = field_label(item["table"], item["field"])
                yield Static(plain(f"{label} ({note})"), classes="merge-field")
                with RadioSet(id=f"merge-{index}"):
                    yield RadioButton(
                        sentence(_("District: {value}"), value=item["district_text"]),
                        value=item["clash"],
                        id=f"district-{index}",
                    )
                    yield RadioButton(
                        sentence(_("Laptop: {value}"), value=item["laptop_text"]),
                        value=not item["clash"],
                        id=f"laptop-{index}",
                    )
                    if item["typed"]:
                        yield RadioButton(_("Type a value below"), id=f"typed-{index}")
                if item["typed"]:
                    yield Input(
                        str(item["laptop"] or ""),
                        placeholder=_("the merged text"),
                        id=f"value-{index}",
                    )
            with Vertical():
                yield Button(_("Save choices (Ctrl+S)"), id="merge-done", variant="primary")
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        self.query(RadioSet).first().focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing a value chooses it."""
        index = (event.input.id or "").removeprefix("value-")
        button = self.query(f"#typed-{index}")
        if button and event.input.has_focus:
            button.first(RadioButton).value = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "merge-done":
            self.action_done()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_done(self) -> None:
        choices: dict[str, Any] = {}
        for index, item in enumerate(self.fields):
            if self.query_one(f"#district-{index}", RadioButton).value:
                choices[item["field"]] = "district"
            elif self.query_one(f"#laptop-{index}", RadioButton).value:
                choices[item["field"]] = "laptop"
            else:
                choices[item["field"]] = Typed(self.query_one(f"#value-{index}", Input).value)
        self.dismiss(choices)
