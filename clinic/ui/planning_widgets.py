"""Small pieces the planning screens share: the highlighted row's key, a form's footer, and
the screen's keys in the command palette (every action reachable from Ctrl+P)."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static

from clinic.i18n import _
from clinic.ui.confirm import ConfirmDialog  # noqa: F401 - planning screens import it from here


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


class ScreenKeysProvider(Provider):
    """The active screen's bindings as palette commands, in the user's language.

    The descriptions are already translated per screen instance (see clinic.ui.base);
    each command runs the same action the key does.
    """

    def _commands(self):
        screen = self.screen
        seen = set()
        for key, bindings in screen._bindings.key_to_bindings.items():
            for binding in bindings:
                if binding.description and binding.action not in seen:
                    seen.add(binding.action)
                    shown = binding.key_display or key
                    yield binding.description, shown, partial(screen.run_action, binding.action)

    async def discover(self) -> Hits:
        for description, shown, run in self._commands():
            yield DiscoveryHit(description, run, help=shown)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, shown, run in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), run, help=shown)
