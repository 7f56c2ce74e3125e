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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from clinic.i18n import _
from clinic.store import Store
from clinic.store import field_changes as field_changes_q


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


def shown_or_empty(shown: Callable[[Any], str], value: Any) -> str:
    """``shown(value)``, or "(empty)" for a field without a value (nothing, blank
    text, an empty list): every clash a user reads, of a form or of a sync,
    says it alike."""
    return shown(value) if _plain(value) is not None else _("(empty)")


# -- saving a form: the merge above, in the save's own transaction --------------------


@dataclass(frozen=True)
class Told:
    """A clash, with who made the other change and when (from ``field_changes``)."""

    clash: Clash
    actor: str | None
    at: str | None

    def sentence(self, label: str, shown: Callable[[Any], str] = str) -> str:
        """In words, for the second desk: who changed what, to what, and what you typed."""

        text = partial(shown_or_empty, shown)

        return _("{who} changed {field} from {was} to {now} at {time}; you typed {mine}.").format(
            who=self.actor or _("Another desk"),
            field=label,
            was=text(self.clash.base),
            now=text(self.clash.theirs),
            time=(self.at or "")[11:16] or "?",
            mine=text(self.clash.mine),
        )


@dataclass(frozen=True)
class Saved:
    """What one save did: the fields another desk changed underneath (the form shows
    them now), and the clashes it must ask about (those fields were not written)."""

    theirs: dict[str, Any]
    clashes: tuple[Told, ...]


class Edit:
    """One form's edit of one record. It keeps the base (the record as the form last
    knew it) and moves it on at each save, so a form saving at every key compares
    each draft with its own last save, not with the record as first loaded. Saves of
    one form run in order on one thread (clinic.ui.writer): the base needs no lock."""

    def __init__(self, kind: str, record_id: int, base: Mapping[str, Any]) -> None:
        self.kind, self.record_id, self.base = kind, record_id, dict(base)

    def save(
        self,
        store: Store,
        mine: Mapping[str, Any],
        *,
        fields: Iterable[str],
        read: Callable[[Store], Mapping[str, Any]],
        write: Callable[[Store, dict[str, Any], bool], None],
        actor: str,
        at: str,
        keep_mine: Iterable[str] = (),
        always: bool = False,
    ) -> Saved:
        """Merge ``mine`` with the record as ``read`` finds it now and ``write`` the
        result (all fields, merged; its last argument says whether nothing clashed),
        in one transaction; the fields changed here are marked as ``actor``'s.
        ``keep_mine``: clashing fields the user chose to write over the other desk's.
        ``always``: write even when nothing changed (closing a visit)."""
        fields = tuple(fields)
        with store.transaction():
            now = dict(read(store))
            merge = merge_fields(self.base, mine, now, fields)
            changes = resolve(merge, keep_mine)
            chosen = set(changes) - set(merge.changes)
            open_clashes = [c for c in merge.clashes if c.field not in chosen]
            if changes or always:
                write(store, {**now, **changes}, not open_clashes)
            if changes:
                field_changes_q.mark_changed(store, self.kind, self.record_id, changes, actor, at)
            who = field_changes_q.last_changes(store, self.kind, self.record_id)
        theirs = {
            name: now.get(name)
            for name in fields
            if same_value(mine.get(name), self.base.get(name))
            and not same_value(now.get(name), self.base.get(name))
        }
        clashing = {c.field for c in open_clashes}
        self.base = {
            name: (self.base.get(name) if name in clashing else changes.get(name, now.get(name)))
            for name in fields
        }
        told = tuple(
            Told(c, who.get(c.field, {}).get("actor"), who.get(c.field, {}).get("at"))
            for c in open_clashes
        )
        return Saved(theirs, told)
