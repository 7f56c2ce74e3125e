"""Small pieces the planning screens share: the highlighted row's key and a form's footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static

from clinic.i18n import _
from clinic.ui.widgets.confirm import ConfirmDialog  # noqa: F401 - planning screens import it from here


def cursor_id(table: DataTable) -> int | None:
    """The integer key of the highlighted row, or None for an empty table."""
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    return int(key.value) if key and key.value else None


def form_footer() -> ComposeResult:
    """The error line and the Save / Cancel buttons under every planning form."""
    yield Static("", id="error", classes="error")
    with Horizontal(classes="buttons"):
        yield Button(_("Save"), id="save", variant="primary")
        yield Button(_("Cancel"), id="cancel")
