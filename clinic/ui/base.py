"""What every screen of the app shares: keys described in the user's language.

BINDINGS are class attributes, built once at import, with descriptions
written with ``N_``; :class:`clinic.ui.keys.TranslatedBindings` translates
them where they are shown, so switching the language (tests do, in one
process) never leaves stale footer text.
"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen

from clinic.ui.keys import TranslatedBindings


class ClinicScreen(TranslatedBindings, Screen):
    pass


class ClinicModal(TranslatedBindings, ModalScreen):
    pass
