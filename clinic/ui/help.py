"""F1: the keys of the screen underneath and of the whole app, in the user's language."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from clinic.i18n import N_, _
from clinic.ui import registry
from clinic.ui.base import ClinicModal
from clinic.ui.keys import key_label, screen_keys
from clinic.ui.prose import wrap_text


class HelpScreen(ClinicModal):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help { width: 90; max-width: 100%; max-height: 90%; border: round $accent; background: $panel; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss", N_("Close"))]

    def __init__(self, below=None) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self.help_text())

    def help_text(self) -> Text:
        """The help as Rich text built piece by piece, never parsed as markup: a key such as
        ``[`` inside ``[b]…[/b]`` was read as a tag and showed as ``[         [/b]``."""
        text = Text()

        def heading(title: str) -> None:
            text.append(title, style="bold")
            text.append("\n")

        # The words of a key wrap under themselves, not under the key (at 80 columns the
        # audit log's line went back to the left edge): the box is 90 wide at most, less
        # its border, padding and scroll bar (8), less the key's column (13).
        width = max(20, min(90, self.app.size.width) - 8 - 13)

        def line(key: str, words: str) -> None:
            text.append("  ")
            text.append(f"{key:<10}", style="bold")
            text.append(" " + wrap_text(words, width).replace("\n", "\n" + " " * 13) + "\n")

        heading(_("Keys"))
        text.append("\n")
        below = self.below
        if below is not None:
            for shown, description, _action in screen_keys(below):
                line(shown, description)
            text.append("\n")
        heading(_("Everywhere"))
        for entry in registry.available():
            if entry.key:  # the others: by name in the command palette
                line(key_label(entry.key), f"{_(entry.title)} — {_(entry.description)}")
        line("F1", _("Help"))
        line("Ctrl+P", _("Command palette: every screen and action by name"))
        line("F12", _("Lock the screen; someone else may sign in instead (switch user)"))
        line("Tab", _("Next field or list"))
        line("Shift+Tab", _("Previous field or list"))
        line("Ctrl+Q", _("Quit"))
        text.append("\n" + _("Press Esc to close."))
        return text
