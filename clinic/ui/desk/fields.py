"""Form fields that keep up with paste and barcode-scanner speed.

Why this exists: Textual's app hands every key to the *focused* widget's own
message queue, and a form moved on with ``Widget.focus()`` (a later message)
or from an ``Input.Submitted`` / ``Input.Changed`` handler (later messages
too). Keys arriving 5 ms apart (a paste, a scanner, ``tmux send-keys``) are
all dispatched before the field has even seen its Enter, so they went to the
old field: a walk-in typed ``沈芳⏎女⏎65`` got the sex ``女65``.

The fix is at the point of dispatch. The app handles every key and paste in
its own task, one after the other (``App.on_event``); before dispatching, the
app offers it to the focused widget's ``take_now(event)``
(:meth:`clinic.ui.app.ClinicApp.on_event`). A :class:`FieldInput` applies the
key right there (text, editing keys, Enter, Tab) and the form moves the focus
there and then with ``Screen.set_focus``, so the very next key is dispatched
to the next field. Keys the field does not take go the usual way; the forms
make their own keys (Ctrl+D, Ctrl+S, Esc …) priority bindings, which the app
also runs in order. Only public interfaces of Textual are used.

A form screen takes part by implementing ``field_entered(widget)`` (Enter in
a field; moving on or submitting), and optionally ``field_typed(widget,
inserted)`` (after a key changed the text: a complete reading moves on) and
``field_may_edit()`` (False while the form is locked, e.g. a visit already done).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select

from clinic.ui.keys import types_search_key
from clinic.ui.widgets.selection import SelectionList

# Printable keys a desk list keeps: Space, and / (the desk's "go to the search box").
NOT_TYPED = {"space", "slash"}

# Editing and cursor keys a field applies at once, with the Input action each runs. Keys
# with Ctrl are left to the usual way: the forms bind some of them (Ctrl+D: done).
NOW_KEYS = {
    "backspace": "delete_left",
    "delete": "delete_right",
    "left": "cursor_left",
    "right": "cursor_right",
    "home": "home",
    "end": "end",
}
# The keys that move a form list's highlight, with the OptionList action each runs.
LIST_NOW_KEYS = {
    "down": "cursor_down",
    "up": "cursor_up",
    "home": "first",
    "end": "last",
    "pagedown": "page_down",
    "pageup": "page_up",
}
# Input actions that change the text: refused while the form is locked.
EDIT_ACTIONS = {"delete_left", "delete_right"}


def _hook(widget: Widget, name: str):
    try:
        return getattr(widget.screen, name, None)
    except Exception:  # noqa: BLE001 - not on a screen (any more)
        return None


def move_focus(widget: Widget | None, select: bool = True) -> None:
    """Focus ``widget`` now, not on a later message: the next key dispatched goes to it.
    A field with text has it selected now too (typing replaces it, as on a click);
    ``select=False``: the cursor at its end instead, for a value to be mended (a wrong
    field after Save: one Backspace wiped a whole ID number)."""
    if widget is not None:
        widget.screen.set_focus(widget)
        if isinstance(widget, FieldInput) and widget.screen.focused is widget:
            if select:
                widget.select_all()
            else:
                widget.cursor_position = len(widget.value)


class CurrentRow:
    """Marks the label (``.field-label``) of the form row (``.field``) holding the focused
    field with ``-current``, so that it stands out. (CSS ``:focus-within`` on the row did
    not restyle the label when the focus moved on.) The label alone: a class on the row
    restyled the field too, an Input and its parts (about 2 ms of every move of the focus,
    against 0.35 ms for the label)."""

    def on_focus(self) -> None:
        self._mark(True)

    def on_blur(self) -> None:
        self._mark(False)

    def _mark(self, current: bool) -> None:
        row = self.parent
        if row is not None and row.has_class("field"):
            for label in row.query_children(".field-label"):
                label.set_class(current, "-current")


class FieldInput(CurrentRow, Input):
    """An Input whose keys take effect in the order they were dispatched (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        # Selecting the text on the (later) Focus message would select what was already
        # typed into the field at speed, and the next key would replace it: move_focus
        # selects at once instead.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def take_now(self, event: events.Key | events.Paste) -> bool:
        """Apply a key or a paste at once (see the module); False leaves it to Textual."""
        if isinstance(event, events.Paste):
            paste_into_form(self, event.text)
            return True
        return self._apply_now(event)

    def _may_edit(self) -> bool:
        hook = _hook(self, "field_may_edit")
        return hook is None or bool(hook())

    def _apply_now(self, event: events.Key) -> bool:
        if event.key in ("tab", "shift+tab"):
            screen = self.screen
            move_focus(screen.focus_next() if event.key == "tab" else screen.focus_previous())
            return True
        if event.key == "enter":
            entered = _hook(self, "field_entered")
            if entered is None:
                return False  # a plain Input: Input.Submitted as usual
            entered(self)
            return True
        if event.is_printable and event.character:
            if not self.drops(event.key):
                self.type_now(event.character)
            return True
        return self._run_own_binding(event.key)

    def drops(self, key: str) -> bool:
        """Whether this printable key is dropped rather than typed (none is, here)."""
        return False

    def type_now(self, text: str) -> None:
        """Insert ``text`` at the cursor (as a key would), then let the form react."""
        if not self._may_edit():
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
        self._typed(inserted=True)

    def _typed(self, inserted: bool) -> None:
        typed = _hook(self, "field_typed")
        if typed is not None:
            typed(self, inserted)

    def _run_own_binding(self, key: str) -> bool:
        """The Input's editing and cursor keys, run now so they keep their place in line."""
        name = NOW_KEYS.get(key)
        if name is None:
            return False
        if name in EDIT_ACTIONS and not self._may_edit():
            return True
        getattr(self, f"action_{name}")()
        if name in EDIT_ACTIONS:
            self._typed(inserted=False)
        return True


class SearchInput(FieldInput):
    """The desk's search box: its key, /, pressed in it is typed only where
    :func:`clinic.ui.keys.types_search_key` says."""

    def drops(self, key: str) -> bool:
        return key == "slash" and not types_search_key(self)


def paste_into_form(field: Widget, text: str) -> None:
    """A pasted block as if typed: each line into the field focused at that moment, Enter between."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        target = field.screen.focused
        if index:
            entered = _hook(field, "field_entered")
            if entered is None or target is None:
                return
            entered(target)
            target = field.screen.focused
        if line and isinstance(target, FieldInput):
            target.type_now(line)


class FieldList(SelectionList[str]):
    """A SelectionList in a form: Enter moves on at once; Space ticks, and the keys that
    move the highlight move it, at once too, so that keys typed together keep their
    order (Textual's Space ticks the row highlighted when its message is handled:
    after a ↓ typed right behind it, the next row)."""

    def take_now(self, event: events.Key | events.Paste) -> bool:
        if not isinstance(event, events.Key):
            return False
        if event.key == "enter":
            entered = _hook(self, "field_entered")
            if entered is not None:
                entered(self)
                return True
            return False
        if event.key == "space":
            if self.highlighted is not None:
                self.toggle(self.get_option_at_index(self.highlighted))
            return True
        action = LIST_NOW_KEYS.get(event.key)
        if action is None:
            return False
        getattr(self, f"action_{action}")()
        return True


class FieldSelect(CurrentRow, Select):
    """A Select in a form: Enter keeps the choice shown and moves on at once;
    Space or ↓ opens the list to change it."""

    def take_now(self, event: events.Key | events.Paste) -> bool:
        if isinstance(event, events.Key) and event.key == "enter" and not self.expanded:
            entered = _hook(self, "field_entered")
            if entered is not None:
                entered(self)
                return True
        return False


class DeskTable(DataTable):
    """A list on the desk: printable keys typed while it has the focus go to the search box
    (in order, at once), instead of vanishing while Enter then opened the highlighted row."""

    def take_now(self, event: events.Key | events.Paste) -> bool:
        if isinstance(event, events.Key) and event.is_printable and event.character:
            if event.key not in NOT_TYPED:
                typed = _hook(self, "typed_outside_search")
                if typed is not None:
                    typed(event.character)
                    return True
        return False
