"""A clash of the review list in words, as the coordinator reads it: on the Sync
conflicts screen and in ``clinic sync conflicts`` (``--json`` keeps the raw values).

The review list stores a clash as SQLite's session extension reports it: a table,
an operation, a kind and the rows' values by column. A coordinator knows "a new
person, who clashes with one here (a unique number)", and fields by the forms'
names with a village or a status in words; numbers stay masked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from clinic.core.edits import shown_or_empty
from clinic.core.field_values import Shown, value_texts
from clinic.core.records import field_label, record_label
from clinic.core.sync.review import masked_values
from clinic.i18n import N_, _
from clinic.store import Store

CHANGES = {"INSERT": N_("added"), "UPDATE": N_("changed"), "DELETE": N_("deleted")}
KINDS = {
    "data": N_("changed here too"),
    "not_found": N_("no longer here"),
    "conflict": N_("already here"),
    "constraint": N_("clashes with a record here (a unique number, or a missing one)"),
    "held": N_("waits for a record under review"),
}


@dataclass(frozen=True)
class ConflictWords:
    """One clash's table, change and kind in words, and each side's fields."""

    record: str
    change: str
    kind: str
    key: str
    old: str  # the laptop's record before its change
    new: str  # the laptop's record after it
    current: str  # the district's record now


def in_words(store: Store, item: dict[str, Any]) -> ConflictWords:
    """The clash in words. For a change, the district's side shows the fields the
    laptop changed (what the coordinator compares), not the whole record."""
    table, op, kind = item["table_name"], item["op"], item["kind"]
    current = item["current"]
    if op == "UPDATE" and current is not None and item["bundle_new"]:
        current = {k: v for k, v in current.items() if k in item["bundle_new"]}
    # each column's rule read once for the three sides (a village list, a catalogue)
    words: Callable[[str], Shown] = cache(partial(value_texts, store, table))
    return ConflictWords(
        record=record_label(table),
        change=_(CHANGES[op]) if op in CHANGES else op,
        kind=_(KINDS[kind]) if kind in KINDS else kind,
        key=" ".join(f"#{v}" for v in (item["row_key"] or {}).values()),
        old=_fields_text(words, table, item["bundle_old"]),
        new=_fields_text(words, table, item["bundle_new"]),
        current=_fields_text(words, table, current),
    )


def _fields_text(words: Callable[[str], Shown], table: str, values: dict[str, Any] | None) -> str:
    """``Venue: 村委会; Status: cancelled``: a side's fields by label, numbers masked,
    ids and codes in words, "(empty)" for a field without a value; "—" for no record."""
    if values is None:
        return "—"
    shown = masked_values(values, table) or {}
    return _("; ").join(
        _("{field}: {value}").format(
            field=field_label(table, name),
            value=shown_or_empty(words(name), value),
        )
        for name, value in shown.items()
        if name not in ("id", "uid")
    )
