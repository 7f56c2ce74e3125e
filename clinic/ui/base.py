"""What every screen of the app shares: keys described in the user's language.

BINDINGS are class attributes, built once at import, with descriptions
written with ``N_``; :class:`clinic.ui.keys.TranslatedBindings` translates
them where they are shown, so switching the language (tests do, in one
process) never leaves stale footer text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import ModalScreen, Screen

from clinic.core.database import Store
from clinic.core.errors import ClinicError
from clinic.ui.keys import TranslatedBindings


class ClinicScreen(TranslatedBindings, Screen):
    pass


class ClinicModal(TranslatedBindings, ModalScreen):
    _saving = False

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
