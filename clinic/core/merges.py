"""Duplicate persons: found, merged into one, and the merge undone (issue 11, point 5).

One person registered twice (a walk-in typed again at another desk or laptop, or
a laptop's walk-in whose ID number the district already has) is merged: every
row that refers to the other person — visits with their health prescriptions,
consents, tags, chronic conditions — now refers to the person kept; the other
person stays, marked merged into the kept one, and is in no register, search or
count of people. Every move is recorded (``person_merges``, ``person_merge_rows``),
so an undo puts back exactly the rows the merge moved. Which tables refer to a
person comes from the schema's foreign keys: a table added later without a rule
in :data:`RULES` stops every merge (and the tests) until it has one.

Likely duplicates are the walk-in rule of the desk (:func:`likely_duplicates`),
applied to every walk-in on the register: one rule, the desk's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from clinic.core.desk.walk_ins import CleanWalkIn, likely_duplicates
from clinic.core.errors import InputError, NotFoundError
from clinic.core.records import record_label
from clinic.i18n import N_, _
from clinic.store import Store
from clinic.store import person_merges as q
from clinic.store import sync as sync_q
from clinic.store.audit import record as record_audit

# What a merge does with each kind of row that refers to the merged person:
#   move        the row now refers to the person kept; a row that cannot refuses the merge
#   move_or_keep  moved unless the kept person has the same already (a tag, a
#               condition on record; a visit on a day the kept person was seen too, at
#               another desk or laptop): then it stays with the merged person, and the
#               figures count it as the kept person's (clinic.store.rules.SCOPE_VISITS_SQL)
#   follow      derived from the merged person (search keys): moved, so that the merged
#               person's name, phone or ID number finds the kept person; one the kept
#               person has too stays; on undo given back even if the kept person's own
#               were rebuilt since (an edit of their name rewrites their keys)
#   remove      removed, and put back whole on undo
#   leave       bookkeeping of merges themselves
RULES: dict[tuple[str, str], str] = {
    ("visits", "person_id"): "move_or_keep",
    ("consents", "person_id"): "move",
    ("person_tags", "person_id"): "move_or_keep",
    ("person_conditions", "person_id"): "move_or_keep",
    ("person_keys", "person_id"): "follow",
    ("persons", "merged_into"): "leave",
    ("person_merges", "kept_id"): "leave",
    ("person_merges", "merged_id"): "leave",
    # "not the same person" marks: of the two persons as they were judged
    ("person_distinct", "person_id"): "leave",
    ("person_distinct", "other_id"): "leave",
}
REASONS = ("id_number", "likely", "chosen", "sync")
# Why a pair is listed (Pair.reason), in words.
PAIR_REASONS = {
    "id_number": N_("same ID number"),
    "phone": N_("same name and phone"),
    "name": N_("same name, close birth year or same village"),
}


def rows_text(counts: dict[str, int]) -> str:
    """``{"visits": 2, "consents": 1}`` as "visits 2, consents 1" in the user's language."""
    return ", ".join(f"{record_label(t)} {n}" for t, n in sorted(counts.items()))


def reason_label(code: str) -> str:
    return _(PAIR_REASONS[code])


class UnknownReference(Exception):
    """A table refers to persons and has no rule in RULES. Not a user error: a
    programming error, found before anything is written (and by
    tests/domain/test_person_merges.py)."""


@dataclass
class Merged:
    merge_id: int
    kept_id: int
    merged_id: int
    moved: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    stayed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Pair:
    """Two persons who may be one: ``keep`` is the one to keep (on the register, else
    the first registered), ``other`` the duplicate; ``reason`` id_number, phone or name."""

    keep: dict[str, Any]
    other: dict[str, Any]
    reason: str


# -- likely duplicates --------------------------------------------------------------------


def _as_walk_in(row: dict) -> CleanWalkIn:
    return CleanWalkIn(
        name=row["name"],
        sex=row["sex"],
        birth_date=row["birth_date"],
        village_id=row["village_id"],
        phone=row["phone"],
        id_number=row["id_number"],
        id_number_old=None,
    )


def _reason(a: dict, b: dict) -> str:
    if a["id_number"] and a["id_number"] == b["id_number"]:
        return "id_number"
    if a["phone"] and a["phone"] == b["phone"]:
        return "phone"
    return "name"


def _keep_first(a: dict, b: dict) -> tuple[dict, dict]:
    """The register's person before a walk-in; else the one registered first."""
    if bool(a["walk_in"]) != bool(b["walk_in"]):
        return (b, a) if a["walk_in"] else (a, b)
    return (a, b) if a["id"] < b["id"] else (b, a)


def duplicates(store: Store) -> list[Pair]:
    """Pairs of persons on the register the desk's walk-in rule calls likely the same:
    every walk-in against everyone (the register's own persons are checked at import)."""
    pairs: dict[frozenset[int], Pair] = {}
    distinct = q.distinct_pairs(store)
    for walk_in in q.walk_ins(store):
        for other in likely_duplicates(store, _as_walk_in(walk_in)):
            if other["id"] == walk_in["id"]:
                continue
            key = frozenset((walk_in["id"], other["id"]))
            if key not in pairs and key not in distinct:
                keep, dup = _keep_first(walk_in, other)
                pairs[key] = Pair(keep, dup, _reason(keep, dup))
    return sorted(pairs.values(), key=lambda p: (p.keep["id"], p.other["id"]))


def mark_distinct(store: Store, first: int, second: int, *, actor: str) -> bool:
    """The coordinator judged a listed pair two different persons: not listed again.
    One transaction with its audit row; False when they were marked already."""
    with store.transaction():
        for person_id in (first, second):
            _person(store, person_id)
        if first == second:
            raise InputError(_("A person cannot be merged into themselves."))
        added = q.add_distinct(store, first, second, actor)
        if added:
            detail = {"first": min(first, second), "second": max(first, second)}
            record_audit(store, actor, "person_distinct", json.dumps(detail), 1)
    return added


# -- merge and undo -----------------------------------------------------------------------


def _rules(store: Store) -> list[tuple[str, str, str]]:
    found = q.person_references(store)
    missing = [ref for ref in found if ref not in RULES]
    if missing:
        raise UnknownReference(f"no merge rule for {missing}: add them to clinic.core.merges.RULES")
    return [(table, column, RULES[(table, column)]) for table, column in found]


def _person(store: Store, person_id: int) -> dict:
    row = q.person_any(store, person_id)
    if row is None:
        raise NotFoundError(_("There is no person #{id}.").format(id=person_id))
    return row


def _check(store: Store, kept: dict, merged: dict) -> None:
    if kept["id"] == merged["id"]:
        raise InputError(_("A person cannot be merged into themselves."))
    for row in (kept, merged):
        if row["merged_into"] is not None:
            raise InputError(
                _("#{id} is merged into #{into} already.").format(
                    id=row["id"], into=row["merged_into"]
                )
            )
    if q.merged_into_it(store, merged["id"]):
        raise InputError(
            _(
                "Others are merged into #{id}: merge #{id} into #{kept} is refused; undo those merges first, or keep #{id}."
            ).format(id=merged["id"], kept=kept["id"])
        )


def _key_after(key: dict, column: str, to: int) -> dict:
    return {c: (to if c == column else v) for c, v in key.items()}


def _carry(
    store: Store, merge_id: int, kept: int, merged: int, done: Merged, *, strict: bool = True
) -> None:
    """Every row that refers to ``merged`` now, as RULES say; ``strict``: a row that must
    move and cannot refuses the merge (else it stays with the merged person)."""
    for table, column, rule in _rules(store):
        if rule == "leave":
            continue
        pk = q.primary_key(store, table)
        for row in q.rows_of(store, table, column, merged):
            key = {c: row[c] for c in pk}
            if rule == "remove":
                sync_q.delete_by_key(store, table, key)
                whole = {c: v for c, v in row.items() if c != "rowid"}
                q.add_merge_row(store, merge_id, table, column, "removed", key, whole)
                done.removed[table] = done.removed.get(table, 0) + 1
            elif q.move_row(store, table, column, key, kept):
                q.add_merge_row(
                    store, merge_id, table, column, "moved", _key_after(key, column, kept)
                )
                done.moved[table] = done.moved.get(table, 0) + 1
            elif rule == "move" and strict:
                raise InputError(_clash_sentence(table, merged, kept))
            else:
                done.stayed[table] = done.stayed.get(table, 0) + 1


def _clash_sentence(table: str, merged: int, kept: int) -> str:
    return _(
        "A record of #{merged} ({table}) clashes with one of #{kept}; nothing was merged."
    ).format(merged=merged, kept=kept, table=table)


def merge(
    store: Store,
    kept_id: int,
    merged_id: int,
    *,
    actor: str,
    reason: str = "chosen",
    conflict_id: int | None = None,
    cleared_id_number: bool = False,
) -> Merged:
    """Merge person ``merged_id`` into ``kept_id``, in one transaction with its audit row."""
    if reason not in REASONS:
        raise ValueError(reason)
    with store.transaction():
        kept, merged = _person(store, kept_id), _person(store, merged_id)
        _check(store, kept, merged)
        merge_id = q.add_merge(
            store,
            {
                "kept_id": kept_id,
                "merged_id": merged_id,
                "reason": reason,
                "conflict_id": conflict_id,
                "cleared_id_number": int(cleared_id_number),
                "merged_by": actor,
            },
        )
        done = Merged(merge_id, kept_id, merged_id)
        _carry(store, merge_id, kept_id, merged_id, done)
        q.set_merged_into(store, merged_id, kept_id)
        detail = {
            "merge": merge_id,
            "kept": kept_id,
            "merged": merged_id,
            "reason": reason,
            "visits": done.moved.get("visits", 0),
            "moved": done.moved,
        }
        record_audit(store, actor, "person_merge", json.dumps(detail), sum(done.moved.values()))
    return done


def follow(store: Store, *, actor: str, cause: dict[str, Any]) -> list[Merged]:
    """Rows that came to refer to a merged duplicate after the merge (a laptop's later
    bundle: a visit of its walk-in, merged at the district into the district's person)
    follow them to the person kept, as the merge moved theirs: recorded in the same
    merge (an undo gives them back), one transaction with an audit row per merge that
    moved any, naming ``cause`` (what brought them: the bundles imported)."""
    followed = []
    with store.transaction():
        for row in q.merges_with_rows_left(store, list(_moving_references(store))):
            done = Merged(row["id"], row["kept_id"], row["merged_id"])
            _carry(store, done.merge_id, done.kept_id, done.merged_id, done, strict=False)
            if not done.moved:
                continue
            followed.append(done)
            detail = {
                "merge": done.merge_id,
                "kept": done.kept_id,
                "merged": done.merged_id,
                "visits": done.moved.get("visits", 0),
                "moved": done.moved,
                **cause,
            }
            record_audit(
                store, actor, "person_merge_follow", json.dumps(detail), sum(done.moved.values())
            )
    return followed


def _moving_references(store: Store) -> list[tuple[str, str]]:
    """The references to persons whose rows a merge moves (not its own bookkeeping)."""
    return [(table, column) for table, column, rule in _rules(store) if rule != "leave"]


def unmerge(store: Store, merge_id: int, *, actor: str) -> dict[str, Any]:
    """Undo merge ``merge_id``: the rows it moved refer to the merged person again, the
    rows it removed are back, the person is on the register again. One transaction."""
    with store.transaction():
        row = q.merge(store, merge_id)
        if row is None:
            raise NotFoundError(_("There is no merge number {id}.").format(id=merge_id))
        if row["undone_at"] is not None:
            raise InputError(_("Merge {id} was undone already.").format(id=merge_id))
        kept, merged = row["kept_id"], row["merged_id"]
        later = q.later_merges(store, merge_id, (kept, merged))
        if later:
            raise InputError(
                _(
                    "Merge {later} came after merge {id} and involves the same persons: undo it first."
                ).format(later=later[0], id=merge_id)
            )
        back = 0
        for done in reversed(q.merge_rows(store, merge_id)):
            table, column = done["table_name"], done["column_name"]
            if done["action"] == "removed":
                q.put_row(store, table, done["row"])
            elif q.move_back(store, table, column, done["row_key"], merged, kept):
                back += 1
            elif RULES.get((table, column)) == "follow":
                q.put_row(store, table, {**done["row_key"], column: merged})
                back += 1
        q.set_merged_into(store, merged, None)
        q.set_undone(store, merge_id, actor)
        detail = {"merge": merge_id, "kept": kept, "merged": merged, "moved_back": back}
        record_audit(store, actor, "person_unmerge", json.dumps(detail), back)
    return {**row, "moved_back": back}


def merges(store: Store, *, undone: bool = False) -> list[dict[str, Any]]:
    """Merges, newest first (those not undone; ``undone``: every one)."""
    return q.merges(store, undone=undone)


def person_with_number(store: Store, number: str) -> int | None:
    """The person on the register with this (normalised) ID number."""
    return q.person_with_number(store, number)


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """A person as every merge list shows them: numbers masked, never whole."""
    from clinic.core.privacy import mask_id, mask_phone

    return {
        "id": row["id"],
        "name": row["name"],
        "sex": row["sex"],
        "birth_date": row["birth_date"],
        "village": row["village"],
        "household": row["household_number"],
        "walk_in": bool(row["walk_in"]),
        "id_number": mask_id(row["id_number"]) if row["id_number"] else None,
        "phone": mask_phone(row["phone"]) if row["phone"] else None,
    }


def pair_items(store: Store) -> list[dict[str, Any]]:
    """:func:`duplicates` as plain data (masked), for the command line and the screen."""
    return [
        {"keep": shown(p.keep), "other": shown(p.other), "reason": p.reason}
        for p in duplicates(store)
    ]


def person_text(person: dict[str, Any]) -> str:
    """One line for a person of :func:`shown`: #id, name, sex, birth, village, household
    (or walk-in), the masked numbers."""
    sex = {"M": _("M"), "F": _("F")}.get(person["sex"] or "", "")
    parts = [
        f"#{person['id']} {person['name']}",
        sex,
        person["birth_date"] or "",
        person["village"] or "",
        person["household"] or (_("walk-in") if person["walk_in"] else ""),
        person["id_number"] or "",
        person["phone"] or "",
    ]
    return "  ".join(p for p in parts if p)
