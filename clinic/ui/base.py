"""What every screen of the app shares: keys described in the user's language.

BINDINGS are class attributes, built once at import, with descriptions
written with ``N_``; :class:`clinic.ui.keys.TranslatedBindings` translates
them where they are shown, so switching the language (tests do, in one
process) never leaves stale footer text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen

from clinic.core.database import Store
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui.keys import TranslatedBindings


def breakpoint_classes(width: int, height: int, horizontal, vertical) -> set[str]:
    """The breakpoint classes Textual gives a screen of that size (the largest
    breakpoint each dimension reaches), as ``Screen`` computes them on resize."""
    found = set()
    for size, breakpoints in ((width, horizontal or ()), (height, vertical or ())):
        for at, name in sorted(breakpoints, reverse=True):
            if size >= at:
                found.add(name)
                break
    return found


def css_state(app: Any) -> tuple:
    """What the styles of a screen depend on beyond its own classes: the theme, and the
    style sheets loaded (each screen adds its own file the first time it opens)."""
    return (app.theme, app.ansi_color, len(app.stylesheet.source))


class Breakpoints:
    """Mixed into the app's screens: born with the breakpoint classes (-narrow/-wide,
    -short/-tall) of the app's size. Textual adds them on the screen's first resize,
    after its widgets were styled, and styled them all again for it: a share of
    every screen opened (the visit form at each Ctrl+O, each dialog). Nor restyled
    whole when they show with their styles current (``post_message``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        try:
            app = self.app  # type: ignore[attr-defined]
            width, height = app.size
        except RuntimeError:  # Textual's NoActiveAppError
            return  # made outside a running app: the first resize adds them
        horizontal = self.HORIZONTAL_BREAKPOINTS  # type: ignore[attr-defined]
        vertical = self.VERTICAL_BREAKPOINTS  # type: ignore[attr-defined]
        classes = breakpoint_classes(
            width,
            height,
            app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal,
            app.VERTICAL_BREAKPOINTS if vertical is None else vertical,
        )
        self.add_class(*classes, update=False)  # type: ignore[attr-defined]
        self._styled_under = css_state(app)
        self._styles_current = True

    _styled_under: tuple | None = None  # css_state its widgets were last styled under
    _styles_current = False  # its next ScreenResume may go without Textual's restyle

    def styles_kept(self) -> None:
        """The widgets' styles are current (a screen kept and filled anew: the visit
        form): its next ScreenResume goes without the restyle, as a new screen's does."""
        self._styles_current = True

    def post_message(self, message: Message) -> bool:
        """A ScreenResume without Textual's restyle of every widget for a screen just
        made (or kept, ``styles_kept``) whose styles still hold: its widgets were styled
        as they were mounted, and a widget is restyled on its own as its classes or
        focus change. Were the theme or the style sheets changed since (a screen's own
        file loads as it is first pushed: the sign-in at the start), the restyle
        happens. It was about a tenth of opening a dialog (Ctrl+R) and a third of a
        Ctrl+O on the kept visit form."""
        if isinstance(message, events.ScreenResume):
            now = css_state(self.app)  # type: ignore[attr-defined]
            if self._styles_current and self._styled_under == now:
                message.refresh_styles = False
            self._styles_current, self._styled_under = False, now
        return super().post_message(message)  # type: ignore[misc]


class ClinicScreen(Breakpoints, TranslatedBindings, Screen):
    pass


class ClinicModal(Breakpoints, TranslatedBindings, ModalScreen):
    # A modal screen cuts Textual's chain of bindings before the app's: F1 (help) is
    # bound here again, so a form or dialog says its keys too (shown in their footers).
    BINDINGS = [Binding("f1", "app.help", N_("Help"))]
    _saving = False
    # A form whose typing Ctrl+Q must not throw away without asking (ClinicApp.action_quit).
    ASK_BEFORE_QUIT = False
    _as_opened: tuple | None = None

    def on_mount(self) -> None:
        if self.ASK_BEFORE_QUIT:  # once the form's own on_mount has filled it
            self.call_after_refresh(self.remember_as_saved)

    def _values(self) -> tuple:
        from textual.widgets import Checkbox, Input, Select

        return tuple(
            (widget.id, widget.value)
            for widget in self.query("Input, Select, Checkbox")
            if isinstance(widget, (Input, Select, Checkbox))
        )

    def remember_as_saved(self) -> None:
        """What the form holds now, once its own on_mount filled it, counts as nothing typed."""
        self._as_opened = self._values()

    def has_unsaved(self) -> bool:
        """Whether something was typed or chosen here since the form opened."""
        return self._as_opened is not None and self._values() != self._as_opened

    def leave(self) -> None:
        """Close the form without saving (Esc, its Cancel button): at once if nothing
        was typed since it opened, else once the user says so. Esc threw a half-typed
        walk-in or volunteer away without a word; Ctrl+Q asks the same way."""
        if not self.has_unsaved():
            self.dismiss(None)
            return
        from clinic.ui.widgets.confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        question = _("Close without saving? What is typed in this form is lost.")
        self.app.push_screen(ConfirmDialog(question, _("Close"), _("Keep editing")), answered)

    def save_once(
        self,
        job: Callable[[Store], Any],
        done: Callable[[Any], None],
        failed: Callable[[ClinicError], None],
    ) -> None:
        """``app.write(job)`` for a form's save, at most one at a time: while another
        desk holds the lock the form stays open and takes keys, and a second Ctrl+S
        must not add the same volunteer, talk or days twice."""
        if self._saving:
            return
        self._saving = True

        def finished(callback: Callable[[Any], None], value: Any) -> None:
            self._saving = False
            callback(value)

        self.app.write(
            job,
            done=lambda result: finished(done, result),
            failed=lambda exc: finished(failed, exc),
        )
