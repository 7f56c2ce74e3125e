"""The app's SelectionList: Textual's, safe when its options are replaced while the
news of a highlight is still on its way."""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import OptionList
from textual.widgets import SelectionList as TextualSelectionList

Value = TypeVar("Value")


class SelectionList(TextualSelectionList[Value]):
    """Textual's SelectionList, which turns each highlight into a SelectionHighlighted
    by reading the option at the highlighted *index* when the news arrives. A filter typed
    at paste speed (the desk's "who is at the desk?" list) had replaced the options in
    between: OptionDoesNotExist, and the list never took a key again. The news of an
    option no longer at its place is dropped; the options that replaced it bring their
    own."""

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if index >= self.option_count or self.get_option_at_index(index) is not event.option:
            event.prevent_default()  # Textual's handler (in the class below) is not called
            event.stop()
