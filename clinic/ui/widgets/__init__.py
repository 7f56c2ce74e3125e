"""Widgets several screens share: a table that reads a page at a time
(:mod:`.paged_table`), columns fitted to the terminal (:mod:`.columns`) and the
yes/no dialog (:mod:`.confirm`). A widget one screen uses lives beside it."""
