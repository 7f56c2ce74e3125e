"""The command palette in the user's language.

Textual writes its "No matches found" line in English, in a timer inside
``CommandPalette._start_no_matches_countdown``; this subclass shows the same
line from the catalogue (issue 14, #18: the Chinese screen said "No matches
found"). The placeholder is given by the app when it opens the palette.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from clinic.i18n import _


class ClinicCommandPalette(CommandPalette):
    """Textual's palette, with its "no matches" line translated."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # in discovery mode (nothing typed) there is nothing to say
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
