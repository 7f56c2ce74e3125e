"""A screen's keys in the user's language: for the footer, F1 help and the palette.

BINDINGS are class attributes written with ``N_``; they are translated where
they are shown, through Textual's public ``Screen.active_bindings`` (which
the footer reads), so switching the language (tests do, in one process) never
leaves stale text and nothing reaches into Textual's private binding tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from textual.binding import ActiveBinding, Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Input

from clinic.i18n import _, current_language

# (id of a binding, language) -> (that binding, it translated). The footer reads a
# screen's active bindings at every focus change; a dataclass ``replace`` per binding
# each time was most of that. The binding is kept in the value, so its id stays its own.
_TRANSLATED: dict[tuple[int, str], tuple[Binding, Binding]] = {}


def _translated_binding(binding: Binding) -> Binding:
    key = (id(binding), current_language())
    found = _TRANSLATED.get(key)
    if found is None or found[0] is not binding:
        found = (
            binding,
            replace(
                binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "",
            ),
        )
        _TRANSLATED[key] = found
    return found[1]


def translated(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """``active`` with every description and tooltip in the user's language."""
    return {
        key: item._replace(
            binding=_translated_binding(item.binding),
            tooltip=_(item.tooltip) if item.tooltip else "",
        )
        for key, item in active.items()
    }


class TranslatedBindings:
    """Mixed into the app's screens: the footer shows their keys in the user's language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)  # type: ignore[misc]


# Textual's own keys every screen has (Tab, Shift+Tab): F1 lists them once, under
# "Everywhere", in words of ours rather than Textual's "Focus Next" (a screen's own
# Tab binding, such as "Next list", stays).
_TEXTUAL_KEYS = ("Focus Next", "Focus Previous")


def screen_keys(screen: Screen) -> Iterator[tuple[str, str, str]]:
    """(key as shown, description, action) of the keys ``screen`` itself defines, each
    action once: "[" and PgUp for one action are one line."""
    seen = set()
    textual_words = {_(words) for words in _TEXTUAL_KEYS}
    for item in screen.active_bindings.values():
        binding = item.binding
        if item.node is not screen or not binding.description or binding.action in seen:
            continue
        if binding.description in textual_words or binding.action == "app.help":
            continue  # F1 itself: under "Everywhere"
        seen.add(binding.action)
        yield keys_label(binding.key), binding.description, binding.action


_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "backspace": "Backspace",
    "insert": "Ins",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_label(key: str) -> str:
    """A key as F1, the palette and the README write it: "ctrl+d" → "Ctrl+D",
    "escape" → "Esc", "shift+tab" → "Shift+Tab", "slash" → "/", "f9" → "F9"."""
    *modifiers, name = key.split("+")
    if name in _KEY_NAMES:
        shown = _KEY_NAMES[name]
    elif name[:1] == "f" and name[1:].isdigit():
        shown = name.upper()
    else:
        shown = format_key(name)
        if modifiers and len(shown) == 1:
            shown = shown.upper()
    return "+".join([*(m.capitalize() for m in modifiers), shown])


def keys_label(keys: str) -> str:
    """A binding's keys ("left_square_bracket,pageup") as one label: "[ PgUp"."""
    return " ".join(key_label(key.strip()) for key in keys.split(","))


class ScreenKeysProvider(Provider):
    """The screen's keys as command-palette entries (Ctrl+P): every action by its name."""

    def _commands(self):
        screen = self.screen
        for shown, description, action in screen_keys(screen):
            yield description, shown, partial(screen.run_action, action)

    async def discover(self) -> Hits:
        for description, shown, run in self._commands():
            yield DiscoveryHit(description, run, help=shown)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, shown, run in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), run, help=shown)


def search_key(box: Input) -> None:
    """The / key of a screen with a search or filter box (bound with ``priority``, so
    it reaches the screen before the box types it): it goes to the box; in the box,
    see :func:`types_search_key`."""
    if box.has_focus and types_search_key(box):
        box.insert_text_at_cursor("/")
    else:
        # Now, not on a later message (Widget.focus): the keys typed right after the /
        # go to the box, also when they come at once ("/zs" pasted).
        box.screen.set_focus(box)


def types_search_key(box: Input) -> bool:
    """Whether / pressed in a search box is typed: only after other text (a household
    number may hold one). In an empty box it changes nothing, as the footer and F1
    tell ("/ Search"): what is typed next is the search, not "/" and the search."""
    return bool(box.value)
