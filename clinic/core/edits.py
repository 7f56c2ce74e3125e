"""Two desks editing one record: field by field, nothing typed is lost.

Why: a form used to write every field it showed, so the last desk to save
won and silently undid another desk's fields (desk A typed the blood
pressure, desk B the glucose, desk A the pulse: the glucose was gone; issue
10, "no silent overwrite"). A form now keeps the record as it was when the
form was filled (the *base*), and on saving compares three versions of each
field: the base, what this desk typed (*mine*) and what is in the database
now (*theirs*).

- A field this desk did not change is not written: another desk's value stays.
- A field only this desk changed, or both changed to the same value, is written.
- A field both changed to different values is a :class:`Clash`: nothing is
  written until the user chooses (keep theirs, or write mine), told in words
  who changed it to what.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Clash:
    """One field two desks changed to different values."""

    field: str
    base: Any  # as the form found it
    mine: Any  # as this desk typed it
    theirs: Any  # as the other desk saved it


@dataclass(frozen=True)
class Merge:
    """What a save writes, and what it must ask about first."""

    changes: dict[str, Any]
    clashes: tuple[Clash, ...]

    @property
    def clean(self) -> bool:
        return not self.clashes


def merge_fields(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    fields: Iterable[str],
) -> Merge:
    """Field by field, as the module says. ``fields`` are the ones the form edits."""
    changes: dict[str, Any] = {}
    clashes: list[Clash] = []
    for name in fields:
        was, typed, now = base.get(name), mine.get(name), theirs.get(name)
        if same_value(typed, was):
            continue  # not changed here: whatever the other desk saved stays
        if same_value(now, was) or same_value(now, typed):
            changes[name] = typed
        else:
            clashes.append(Clash(name, was, typed, now))
    return Merge(changes, tuple(clashes))


def resolve(merge: Merge, keep_mine: Iterable[str]) -> dict[str, Any]:
    """The changes to write once the user chose: the clean ones, plus the clashing
    fields they chose to write over the other desk's value."""
    chosen = set(keep_mine)
    changes = dict(merge.changes)
    for clash in merge.clashes:
        if clash.field in chosen:
            changes[clash.field] = clash.mine
    return changes


def same_value(a: Any, b: Any) -> bool:
    """Equal as a user sees them: an empty text is no value."""
    return _plain(a) == _plain(b)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(map(str, value))) or None
    return value
