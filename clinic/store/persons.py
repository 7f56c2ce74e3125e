"""Persons: the one row shape every list, search hit and form shows, the
lookups that find a person, and the writes of the desk and the register import.

Tags, conditions on record and consents are :mod:`clinic.store.person_details`;
search keys are :mod:`clinic.store.person_keys`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clinic.store import field_changes
from clinic.store.connection import Store, insert_row, new_uid, new_uids

_PERSON_COLUMNS = """
SELECT p.id, p.uid, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.relation,
       p.household_id, p.walk_in, p.group_no, p.other_conditions, p.family_doctor,
       h.number AS household_number, h.head_name, h.category,
       v.id AS village_id, v.name AS village, t.name AS township"""
_PERSON_JOINS = """
LEFT JOIN households h ON h.id = p.household_id
LEFT JOIN villages v ON v.id = COALESCE(p.village_id, h.village_id)
LEFT JOIN townships t ON t.id = v.township_id
"""
# What a search hit, a person list row or a person's form carries; one SELECT
# for every list. A person's village is their own, else their household's. A
# person merged into another (a duplicate, clinic.core.merges) is in no list: the
# subquery is flattened by SQLite, so every index on persons still serves.
PERSON_SELECT = (
    _PERSON_COLUMNS + "\nFROM (SELECT * FROM persons WHERE merged_into IS NULL) p" + _PERSON_JOINS
)
# The same row of any person, merged or not (the merge screens and commands).
PERSON_ANY_SELECT = _PERSON_COLUMNS + ", p.merged_into\nFROM persons p" + _PERSON_JOINS

# The register import's columns of a person, in the order of its tuples.
PERSON_FIELDS = (
    "household_id",
    "village_id",
    "name",
    "relation",
    "sex",
    "birth_date",
    "id_number",
    "id_number_old",
    "phone",
    "group_no",
    "other_conditions",
    "family_doctor",
)
PERSON_COLUMNS = ("id", *PERSON_FIELDS)


def prefix_upper(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix + "\U0010ffff"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- reads -------------------------------------------------------------------------


def person(store: Store, person_id: int) -> dict | None:
    return store.one(PERSON_SELECT + " WHERE p.id = ?", [person_id])


def persons_by_ids(store: Store, ids: Sequence[int]) -> list[dict]:
    """The persons of ``ids``, in that order."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(PERSON_SELECT + f" WHERE p.id IN ({marks})", list(ids))
    order = {pid: i for i, pid in enumerate(ids)}
    return sorted(rows, key=lambda row: order[row["id"]])


def persons_by_name(store: Store, text: str, limit: int) -> list[dict]:
    """Names starting with ``text`` first (index), then names containing it (scan)."""
    found = store.query(
        PERSON_SELECT + " WHERE p.name >= ? AND p.name < ? ORDER BY p.name, p.id LIMIT ?",
        [text, prefix_upper(text), limit],
    )
    if len(found) < limit:
        have = [row["id"] for row in found] or [0]
        marks = ",".join("?" * len(have))
        found += store.query(
            PERSON_SELECT + " WHERE p.name LIKE ? ESCAPE '\\' "
            f"AND p.id NOT IN ({marks}) ORDER BY p.name, p.id LIMIT ?",
            ["%" + escape_like(text) + "%", *have, limit - len(found)],
        )
    return found


def persons_by_household_number(store: Store, number: str, limit: int) -> list[dict]:
    return store.query(
        PERSON_SELECT + " WHERE h.number >= ? AND h.number < ? "
        "ORDER BY h.number, p.relation != '户主', p.id LIMIT ?",
        [number, prefix_upper(number), limit],
    )


def household_members(store: Store, household: int) -> list[dict]:
    return store.query(
        PERSON_SELECT + " WHERE p.household_id = ? "
        "ORDER BY p.relation != '户主', p.birth_date, p.id",
        [household],
    )


def persons_named(store: Store, name: str) -> list[dict]:
    return store.query(PERSON_SELECT + " WHERE p.name = ? LIMIT 50", [name])


def person_with_id_number(store: Store, number: str) -> dict | None:
    """The person with this ID number; for a duplicate merged into another (who keeps
    their number), the person they were merged into: the same human."""
    found = store.scalar(
        "SELECT coalesce(merged_into, id) FROM persons WHERE id_number = ?", [number]
    )
    return person(store, found) if found is not None else None


def persons_with_phone(store: Store, phone: str) -> list[dict]:
    return store.query(PERSON_SELECT + " WHERE p.phone = ? LIMIT 20", [phone])


def person_id_by_number(store: Store, number: str) -> int | None:
    return store.scalar(
        "SELECT id FROM persons WHERE id_number = ? OR id_number_old = ?", [number, number]
    )


def person_created_at(store: Store, person_id: int) -> str | None:
    return store.scalar("SELECT created_at FROM persons WHERE id = ?", [person_id])


def other_members(store: Store, household_id: int, person_id: int) -> list[dict]:
    """The household's other members, eldest first (no birth date last)."""
    return store.query(
        "SELECT id, name, relation, birth_date FROM persons WHERE household_id = ? AND id != ? "
        "ORDER BY birth_date IS NULL, birth_date, id",
        [household_id, person_id],
    )


# -- writes ------------------------------------------------------------------------


def insert_person(store: Store, row: dict, keys: list[str]) -> int:
    """A person made at the desk (a walk-in), with their search keys."""
    from clinic.store.person_keys import insert_person_keys

    pid = insert_row(store.db, "persons", {"uid": new_uid(), **row})
    insert_person_keys(store, [(k, pid) for k in dict.fromkeys(keys)])
    return pid


def delete_person(store: Store, person_id: int) -> dict[str, int]:
    """Remove a person and everything recorded about them; returns rows removed per table.

    Visits cascade to their handouts and assessed conditions; tags, conditions,
    search keys and consents cascade from the person.
    """
    removed = {
        "visits": store.scalar("SELECT count(*) FROM visits WHERE person_id = ?", [person_id]),
        "handouts": store.scalar(
            "SELECT count(*) FROM handouts h JOIN visits v ON v.id = h.visit_id WHERE v.person_id = ?",
            [person_id],
        ),
        "consents": store.scalar("SELECT count(*) FROM consents WHERE person_id = ?", [person_id]),
    }
    field_changes.forget_person(store, person_id)
    store.conn.execute("DELETE FROM persons WHERE id = ?", [person_id])
    return removed


# -- the register import -------------------------------------------------------------


def persons_matching(
    store: Store, id_numbers: list[str], household_ids: list[int], *, merged: bool = False
) -> list[tuple]:
    """Persons on the register with one of ``id_numbers`` or in one of ``household_ids``,
    by id, as tuples of PERSON_COLUMNS. ``merged``: the duplicates merged into another
    person instead (hidden from the register), each tuple followed by the person kept."""
    cols = ", ".join(PERSON_COLUMNS)
    if merged:
        cols, which = cols + ", merged_into", "merged_into IS NOT NULL"
    else:
        which = "merged_into IS NULL"
    # OR, not UNION: SQLite reads both indexes and keeps each person once by id, where
    # UNION compared whole rows to drop the doubles.
    return store.conn.execute(
        f"SELECT {cols} FROM persons WHERE {which} "
        "AND (id_number IN (SELECT value FROM json_each(?)) "
        "OR household_id IN (SELECT value FROM json_each(?))) ORDER BY id",
        [json.dumps(id_numbers), json.dumps(household_ids)],
    ).fetchall()


def insert_persons(store: Store, rows: list[tuple]) -> None:
    """Tuples of the values of PERSON_COLUMNS; uids made here."""
    cols = ", ".join(("uid", *PERSON_COLUMNS))
    marks = ", ".join("?" * (len(PERSON_COLUMNS) + 1))
    uids = new_uids(len(rows))
    store.conn.executemany(
        f"INSERT INTO persons ({cols}) VALUES ({marks})",
        [(uid, *row) for uid, row in zip(uids, rows, strict=True)],
    )


def update_person(store: Store, person_id: int, changes: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.conn.execute(
        f"UPDATE persons SET {sets}, updated_at = datetime('now', 'localtime') WHERE id = ?",
        [*changes.values(), person_id],
    )
