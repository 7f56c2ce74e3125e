"""The consent dialog (PIPL): asked before a person's first health data is stored."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from clinic.core import desk
from clinic.core.errors import InputError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.desk.fields import FieldInput, move_focus
from clinic.ui.errors import show_error
from clinic.ui.text import sentence
from clinic.ui.widgets.footer import Footer


class ConsentDialog(ClinicModal):
    """Record consent before any health data: who explained it, and who signed."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        # Shown in the footer; the fields' own Enter does the same.
        Binding("enter", "give", N_("Consent given")),
        Binding("escape", "cancel", N_("No consent"), priority=True),
    ]

    def __init__(self, person_name: str, explained_by: int | None, explained_name: str) -> None:
        super().__init__()
        self.person_name = person_name
        self.explained_by = explained_by
        self.explained_name = explained_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                sentence(_("Consent for health data: {name}"), name=self.person_name),
                classes="title",
            )
            yield Static(
                _(
                    "Explain: the clinic records blood pressure, glucose and advice to look after the person; "
                    "it is kept on this laptop, shown to the clinic team only, and never published with names. "
                    "The person may refuse or withdraw at any time and will still be seen."
                )
            )
            yield Static(
                sentence(_("Explained by: {name}"), name=self.explained_name or "-"),
                classes="muted",
            )
            yield Label(_("Signed by a proxy? Their name (leave empty when the person signs)"))
            yield FieldInput(id="proxy")
            yield Label(_("Proxy's relation to the person"))
            yield FieldInput(placeholder=_("e.g. son, daughter, spouse"), id="relation")
            yield Static(
                _("Enter: consent given · Esc: no consent (nothing is recorded)"), classes="muted"
            )
            yield Static("", id="error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#proxy", Input).focus()

    def field_entered(self, field: Widget) -> None:
        """Enter (fields.py): a proxy's name moves on to the relation; else consent is given."""
        proxy = self.query_one("#proxy", Input).value.strip()
        if field.id == "proxy" and proxy:
            move_focus(self.query_one("#relation", Input))
            return
        self.action_give()

    def action_give(self) -> None:
        proxy = self.query_one("#proxy", Input).value.strip()
        consent = desk.Consent(
            explained_by=self.explained_by,
            signed_by="proxy" if proxy else "self",
            proxy_name=proxy,
            proxy_relation=self.query_one("#relation", Input).value.strip(),
        )
        try:
            consent.check()
        except InputError as exc:
            show_error(self, exc)
            return
        self.dismiss(consent)

    def action_cancel(self) -> None:
        self.dismiss(None)
