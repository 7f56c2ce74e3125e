"""The footer of the desk's screens: Textual's, without the work that changed nothing.

Why: Textual's footer throws its keys away and mounts new ones whenever the
screen's bindings are refreshed, which is at every focus change: each vitals
reading that moves on to the next field, each dialog opened or closed. On the
visit form that was a good part of a key's time (profile of ``bench/bench_desk.py``):
the keys shown had not changed. And each new key was styled three times on
mount: once as mounted, and once for each change of its ``compact`` flag (on by
default, then bound to the footer's, off).

This footer composes again only when what it shows changes (the keys in their
order, their descriptions, whether each is enabled), and gives each new key its
``compact`` flag and class before it is mounted. (Composing the keys with the
screen instead of at its first bindings refresh was tried: their order changes
once the first field has the focus, so the footer was composed twice.) The picture is the same as Textual's.
The class keeps Textual's name, so CSS written for ``Footer`` applies to it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """Textual's footer, composed again only when its keys change (see the module).
    F1 (help) comes first, always in view: last, at 80 columns a screen's own keys
    filled the line and pushed it off (F5's ended at "r 自动"); docked at the right end,
    the palette's key (^p, at 120 columns) covered it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # what the keys shown were composed from

    def _keys(self, screen: Screen) -> tuple:
        """Everything the footer's keys are composed from, comparable: the keys shown
        and the palette's (the focused field's own keys are not shown)."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (key, b.key, b.action, b.description, b.key_display, id(b.group))
                + (enabled, tooltip)
                for key, (_node, b, enabled, tooltip) in screen.active_bindings.items()
                if b.show or key == palette
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        if (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self._keys(screen) == self._shown
        ):
            return  # the same keys: nothing to compose again
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        keys = self._keys(self.screen)
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey):
                # Palette key: not bound to the footer's flag, compact as Textual leaves it.
                compact = True if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
        first = [w for w in widgets if isinstance(w, FooterKey) and w.action == "help"]
        yield from first
        yield from (w for w in widgets if w not in first)
        self._shown = keys if widgets else None
