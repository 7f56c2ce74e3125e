"""What every screen of the app shares: bindings described in the user's language.

BINDINGS are class attributes, built once at import; their descriptions are
written with ``N_`` and translated here per instance, so that switching the
language (tests do, in one process) never leaves stale footer text.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from clinic.i18n import _


def translate_bindings(node: DOMNode) -> None:
    table = node._bindings.key_to_bindings
    for key, bindings in list(table.items()):
        table[key] = [
            replace(
                b,
                description=_(b.description) if b.description else "",
                tooltip=_(b.tooltip) if b.tooltip else "",
            )
            for b in bindings
        ]


class ClinicScreen(Screen):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)


class ClinicModal(ModalScreen):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
