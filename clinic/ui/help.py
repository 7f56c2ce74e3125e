"""F1: the keys of the screen underneath and of the whole app, in the user's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from clinic.i18n import N_, _
from clinic.ui import registry
from clinic.ui.base import ClinicModal


class HelpScreen(ClinicModal):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help { width: 90; max-height: 90%; border: round $accent; background: $panel; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss", N_("Close"))]

    def __init__(self, below=None) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._text())

    def _text(self) -> str:
        lines = [f"[b]{_('Keys')}[/b]", ""]
        below = self.below
        if below is not None:
            seen = set()
            for key, bindings in below._bindings.key_to_bindings.items():
                for binding in bindings:
                    if binding.description and (key, binding.description) not in seen:
                        seen.add((key, binding.description))
                        shown = binding.key_display or key
                        lines.append(f"  [b]{shown:<10}[/b] {binding.description}")
            lines.append("")
        lines.append(f"[b]{_('Everywhere')}[/b]")
        for entry in registry.available():
            lines.append(
                f"  [b]{entry.key.upper():<10}[/b] {_(entry.title)} — {_(entry.description)}"
            )
        lines += [
            f"  [b]{'F1':<10}[/b] {_('Help')}",
            f"  [b]{'Ctrl+P':<10}[/b] {_('Command palette: every screen and action by name')}",
            f"  [b]{'Tab':<10}[/b] {_('Next field or list')}",
            f"  [b]{'Ctrl+Q':<10}[/b] {_('Quit')}",
            "",
            _("Press Esc to close."),
        ]
        return "\n".join(lines)
