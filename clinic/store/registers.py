"""Writes of the register import: households and persons, matched so that a
second import of the same file changes nothing."""

from __future__ import annotations

from typing import Any

from clinic.store.audit import record as record_audit  # noqa: F401 - the one audit writer
from clinic.store.connection import Store, new_uid

HOUSEHOLD_FIELDS = ("head_name", "group_no", "category")
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


def find_household(
    store: Store, village_id: int, number: str | None, head_name: str
) -> dict | None:
    if number:
        return store.one(
            "SELECT * FROM households WHERE village_id = ? AND number = ?", [village_id, number]
        )
    return store.one(
        "SELECT * FROM households WHERE village_id = ? AND number IS NULL AND head_name = ?",
        [village_id, head_name],
    )


def save_household(
    store: Store, village_id: int, number: str | None, values: dict[str, Any]
) -> tuple[int, str]:
    """Insert or update a household; returns (id, 'created' | 'updated' | 'unchanged')."""
    existing = find_household(store, village_id, number, values["head_name"])
    if existing is None:
        row = {"uid": new_uid(), "village_id": village_id, "number": number, **values}
        return store.db["households"].insert(row).last_pk, "created"
    changes = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changes:
        return existing["id"], "unchanged"
    store.db["households"].update(existing["id"], changes)
    return existing["id"], "updated"


def find_person(
    store: Store, id_number: str | None, household_id: int | None, name: str, birth_date: str | None
) -> dict | None:
    """Match on ID number, else household + name + birth date."""
    if id_number:
        row = store.one("SELECT * FROM persons WHERE id_number = ?", [id_number])
        if row:
            return row
    if household_id is None:
        return None
    return store.one(
        "SELECT * FROM persons WHERE household_id = ? AND name = ? AND birth_date IS ? "
        "AND (id_number IS NULL OR ? IS NULL)",
        [household_id, name, birth_date, id_number],
    )


def save_person(store: Store, existing: dict | None, values: dict[str, Any]) -> tuple[int, str]:
    if existing is None:
        row = {"uid": new_uid(), **values}
        return store.db["persons"].insert(row).last_pk, "created"
    changes = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changes:
        return existing["id"], "unchanged"
    store.db["persons"].update(
        existing["id"],
        {**changes, "updated_at": store.scalar("SELECT datetime('now','localtime')")},
    )
    return existing["id"], "updated"


def condition_lookup(store: Store) -> dict[str, str]:
    """Every spelling of a catalogued condition (name, aliases, code) → its code."""
    table: dict[str, str] = {}
    for row in store.query("SELECT code, name_zh, name_en, aliases FROM conditions"):
        for word in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]:
            if word.strip():
                table[word.strip().lower()] = row["code"]
    return table


def tags_and_conditions(store: Store, person_id: int) -> tuple[set[str], set[str]]:
    tags = {
        r[0]
        for r in store.conn.execute("SELECT tag FROM person_tags WHERE person_id = ?", [person_id])
    }
    conds = {
        r[0]
        for r in store.conn.execute(
            "SELECT condition_code FROM person_conditions WHERE person_id = ?", [person_id]
        )
    }
    return tags, conds
